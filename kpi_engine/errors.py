"""The one exception type for bad input, and the record of one problem.

Every function of the engine, scalar or vectorised, reports bad input by raising
:class:`KPIInputError`. Its message names the argument (or column), the value and
the rule; in a vectorised call it names every bad row, not just the first, and
:attr:`KPIInputError.problems` holds them one by one for programs (the batch
command line, the Excel add-in) that present them their own way.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

__all__ = ["NO_ROW", "KPIInputError", "Problem", "show_value", "unique_problems"]

#: The row of a problem found in a scalar call, where there are no rows.
NO_ROW: Hashable = type("NoRow", (), {"__repr__": lambda self: "NO_ROW"})()

#: How many problems the message lists before it summarises the rest.
_LISTED = 20


def show_value(value: object) -> str:
    """Write a value the way a user typed it: ``15`` not ``15.0``, ``NaN`` for a missing number,
    ``(empty)`` for none at all (an empty cell).

    >>> show_value(15.0), show_value(0.015), show_value(float("nan")), show_value("abc")
    ('15', '0.015', 'NaN', "'abc'")
    >>> show_value(None)
    '(empty)'
    """
    if value is None:
        return "(empty)"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return repr(value)


@dataclass(frozen=True)
class Problem:
    """One rule broken by one argument, in one row of a vectorised call or in a scalar call.

    Attributes
    ----------
    argument
        The argument as the user named it: ``"churn_rate"``, ``"rates[2]"``, or in a
        vectorised call the column, e.g. ``"churn (churn_rate)"``.
    value
        The offending value as given.
    rule
        What is allowed, and where it helps, why and how to fix it.
    row
        The row label in a vectorised call, :data:`NO_ROW` in a scalar call.
    undefined
        True when the input is allowed on its own but the math is undefined for it (a
        division by zero: 0 customers for CAC, an investment of 0 for ROI), where a
        spreadsheet shows ``#DIV/0!``; False for input that breaks a rule (a negative
        budget, a rate of 15).
    """

    argument: str
    value: object
    rule: str
    row: Hashable = field(default=NO_ROW)
    undefined: bool = False

    def __str__(self) -> str:
        text = f"{self.argument} = {show_value(self.value)}: {self.rule}"
        return text if self.row is NO_ROW else f"row {self.row!r}: {text}"


class KPIInputError(ValueError):
    """Bad input to a KPI function: the message names argument, value and rule.

    It is a :class:`ValueError`, so code that already catches those keeps working.

    >>> err = KPIInputError([Problem("churn_rate", 1.5, "must be a fraction between 0 and 1")])
    >>> str(err)
    'churn_rate = 1.5: must be a fraction between 0 and 1'
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        if not problems:
            raise TypeError("KPIInputError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._message())

    @property
    def rows(self) -> list[Hashable]:
        """Labels of the bad rows of a vectorised call, each once, in the order of the input."""
        return list(dict.fromkeys(p.row for p in self.problems if p.row is not NO_ROW))

    def _message(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        rows = self.rows
        where = f" in {len(rows)} rows" if rows else ""
        lines = [f"{len(self.problems)} problems{where}:"]
        lines += [f"  - {p}" for p in self.problems[:_LISTED]]
        if len(self.problems) > _LISTED:
            lines.append(f"  ... and {len(self.problems) - _LISTED} more (see .problems)")
        return "\n".join(lines)


def unique_problems(problems: Sequence[Problem]) -> list[Problem]:
    """Each problem once, in order; values may be unhashable (a list given for a number).

    >>> p = Problem("rates", [1], "must be a number")
    >>> unique_problems([p, p])
    [Problem(argument='rates', value=[1], rule='must be a number', row=NO_ROW, undefined=False)]
    """
    unique: list[Problem] = []
    for problem in problems:
        if problem not in unique:
            unique.append(problem)
    return unique
