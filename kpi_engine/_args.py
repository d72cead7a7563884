"""Reading and checking the inputs of one call, scalar or vectorised, as float64 arrays.

A scalar call is run as a vectorised call of one row: both faces of every KPI go
through the same array code, so a scalar result and the matching row of a
vectorised result agree to the last bit, and the rules for bad input are written
once. Every broken rule of every row is collected before anything is raised, so a
vectorised call reports all of its bad rows at once.
"""

from __future__ import annotations

import difflib
import math
import numbers
import sys
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from kpi_engine.errors import NO_ROW, KPIInputError, Problem, show_value

if TYPE_CHECKING:
    import pandas as pd

Rule = str | Callable[[object], str]

#: What a vectorised argument may be: a column name, a constant, or values of the frame's length.
Given = "str | float | int | pd.Series | np.ndarray | None"


def pandas():
    """pandas, imported on first use: a scalar call (one Excel cell) never needs it, and
    importing it is most of the engine's start-up (about 0.25 s)."""
    import pandas

    return pandas


def is_series(value: object) -> bool:
    """Whether ``value`` is a pandas Series, without importing pandas to find out (if pandas
    is not imported, nothing is a Series)."""
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(value, pd.Series)


def plain(value: object) -> float | None:
    """``value`` as a float when it is a plain finite real number (not TRUE/FALSE), else None.

    A scalar call (one Excel cell) whose inputs are all plain and within their rules takes a
    fast path in plain Python floats: the same IEEE operations in the same order as the
    array path, so the same bits, at a fraction of the cost of one-element arrays. Anything
    else (None, text, infinity, a value out of range) goes the array path, which names the
    problem. See the ``*_fast`` functions beside each KPI.
    """
    if type(value) is float:
        return value if math.isfinite(value) else None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def scalar_non_negative(name: str, value: object) -> float:
    """A plain number >= 0 given to a scalar function, as a float; TRUE/FALSE, text, NaN, a
    negative number or infinity is a problem naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0:
        raise KPIInputError([Problem(name, value, "must be a number, 0 or more")])
    if not math.isfinite(value):
        raise KPIInputError([Problem(name, value, "must be a finite number")])
    return float(value)


def percentage_hint(value: object) -> str:
    """The fix for a fraction typed as a percentage, e.g. 15 for 15 %."""
    if isinstance(value, float) and 1 < value <= 100:
        shown = show_value(value)
        return f"; {shown} looks like a percentage: write {value / 100:g} for {shown} %"
    return ""


class Args:
    """The inputs of one call: float64 arrays of one length, and the rules they break.

    Parameters
    ----------
    frame
        ``None`` for a scalar call (one row, arguments are plain numbers); a DataFrame for
        a vectorised call, where an argument is a column name, a constant for every row,
        or a Series/array of the frame's length.
    """

    def __init__(self, frame: pd.DataFrame | None = None) -> None:
        self.frame = frame
        self.size = 1 if frame is None else len(frame)
        self._flags: list[tuple[np.ndarray, str, np.ndarray, Rule, bool]] = []
        # Cells already reported as text, so they are not reported as missing too.
        self._text_cells: dict[str, np.ndarray] = {}
        # argument -> how problems name it (its column in a vectorised call)
        self._labels: dict[str, str] = {}
        # label -> (min, max) of values with nothing missing or infinite, for the rules
        self._bounds: dict[str, tuple[float, float]] = {}

    # -- reading ---------------------------------------------------------------------------

    def number(self, argument: str, given: object, *, allow_infinite: bool = False) -> np.ndarray:
        """Read one argument as floats; flag missing, non-numeric and (unless allowed) infinite."""
        return self._read(argument, given, allow_infinite)[0]

    def _read(
        self, argument: str, given: object, allow_infinite: bool = False
    ) -> tuple[np.ndarray, str]:
        """The values and the label problems name them by: the argument, or its column."""
        if self.frame is None:
            values, label = self._scalar(argument, given), argument
        else:
            values, label = self._column(argument, given)
        self._labels[argument] = label
        # Two reductions tell whether anything is missing or infinite: most calls then skip
        # the element-wise masks, which at a million rows cost more than the math.
        if values.size == 0 or (math.isfinite(values.min()) and math.isfinite(values.max())):
            self._bounds[label] = (values.min(), values.max()) if values.size else (0.0, 0.0)
            return values, label
        self._bounds.pop(label, None)
        missing = np.isnan(values)
        self.flag(missing & ~self._not_numbers(label), label, values, "is missing; give a number")
        if not allow_infinite:
            self.flag(np.isinf(values), label, values, "must be a finite number")
        return values, label

    def _scalar(self, argument: str, given: object) -> np.ndarray:
        if given is None:
            return np.array([np.nan])
        if isinstance(given, bool) or not isinstance(given, numbers.Real):
            kind = "TRUE/FALSE" if isinstance(given, bool) else type(given).__name__
            raise KPIInputError([Problem(argument, given, f"must be a number, not {kind}")])
        return np.array([float(given)])

    def _column(self, argument: str, given: object) -> tuple[np.ndarray, str]:
        assert self.frame is not None
        pd = pandas()
        if isinstance(given, str):
            if given not in self.frame.columns:
                raise KPIInputError([Problem(argument, given, self._no_such_column(given))])
            label = given if given == argument else f"{given} ({argument})"
            return self._numeric(label, self.frame[given]), label
        if isinstance(given, pd.Series | np.ndarray):
            if len(given) != self.size:
                rule = f"has {len(given)} values but the frame has {self.size} rows"
                raise KPIInputError([Problem(argument, f"<{len(given)} values>", rule)])
            return self._numeric(argument, pd.Series(np.asarray(given))), argument
        # One value for every row: a read-only view of it (no memory per row), as numpy
        # broadcasts it anyway; the math reads it and never writes into it.
        return np.broadcast_to(self._scalar(argument, given), (self.size,)), argument

    def _no_such_column(self, name: str) -> str:
        assert self.frame is not None
        columns = [str(c) for c in self.frame.columns]
        close = difflib.get_close_matches(name, columns, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"no such column (the frame has {', '.join(map(repr, columns))}){hint}"

    def _numeric(self, label: str, column: pd.Series) -> np.ndarray:
        pd = pandas()
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            return column.to_numpy(dtype=np.float64, na_value=np.nan)
        if pd.api.types.is_bool_dtype(column):
            converted = pd.Series(np.nan, index=column.index)
        else:
            converted = pd.to_numeric(column, errors="coerce")
        values = converted.to_numpy(dtype=np.float64, na_value=np.nan)
        not_numbers = np.isnan(values) & column.notna().to_numpy()
        if not_numbers.any():
            self._text_cells[label] = not_numbers
            self.flag(not_numbers, label, column.to_numpy(dtype=object), "is not a number")
        return values

    def _not_numbers(self, label: str) -> np.ndarray | bool:
        return self._text_cells.get(label, False)

    # -- rules -----------------------------------------------------------------------------

    def flag(
        self,
        bad: np.ndarray,
        argument: str,
        values: np.ndarray,
        rule: Rule,
        undefined: bool = False,
    ) -> None:
        """Record that ``values[bad]`` break ``rule``; a callable rule sees each bad value.

        ``argument`` is the argument's name (problems name its column, if it came from one);
        ``undefined`` marks a division by zero rather than a broken rule (see
        :class:`~kpi_engine.errors.Problem`).
        """
        if bad.any():
            label = self._labels.get(argument, argument)
            self._flags.append((np.flatnonzero(bad), label, values, rule, undefined))

    def _all(self, label: str, low: float, high: float = math.inf, above: bool = False) -> bool:
        """Whether every value of ``label`` is known to lie in [low, high] (or (low, high]
        with ``above``), from its bounds: then no rule needs its element-wise check."""
        bounds = self._bounds.get(label)
        if bounds is None:
            return False
        smallest, largest = bounds
        return (smallest > low if above else smallest >= low) and largest <= high

    def non_negative(self, argument: str, given: object, what: str = "money") -> np.ndarray:
        """A finite number >= 0: money, counts and volumes."""
        values, label = self._read(argument, given)
        if self._all(label, 0.0):
            return values
        self.flag(values < 0, label, values, f"must be 0 or more: {what} cannot be negative")
        return values

    def positive(self, argument: str, given: object, why_not_zero: str) -> np.ndarray:
        """A finite number > 0; ``why_not_zero`` says what 0 would make undefined."""
        values, label = self._read(argument, given)
        if self._all(label, 0.0, above=True):
            return values
        self.flag(values < 0, label, values, "must be above 0: it cannot be negative")
        self.flag(values == 0, label, values, why_not_zero, undefined=True)
        return values

    def fraction(self, argument: str, given: object, why_not_zero: str | None = None) -> np.ndarray:
        """A fraction in [0, 1] (0.15 for 15 %), optionally refusing 0 with the reason given."""
        values, label = self._read(argument, given)
        if self._all(label, 0.0, 1.0, above=why_not_zero is not None):
            return values
        self.flag(
            np.isfinite(values) & ((values < 0) | (values > 1)),
            label,
            values,
            lambda v: "must be a fraction between 0 and 1" + percentage_hint(v),
        )
        if why_not_zero is not None:
            self.flag(values == 0, label, values, why_not_zero, undefined=True)
        return values

    def whole_or_infinite(self, argument: str, given: object, what: str) -> np.ndarray:
        """A whole number >= 1, or infinity (``math.inf``) for no limit."""
        values, label = self._read(argument, given, allow_infinite=True)
        finite = np.isfinite(values)
        bad = (values < 1) | (finite & (values != np.floor(values)))
        self.flag(bad, label, values, f"must be a whole number of {what} (1 or more) or inf")
        return values

    # -- outcome ---------------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        """Every broken rule, ordered by row, then by the order the arguments were read."""
        found: list[tuple[int, int, Problem]] = []
        labels: Sequence[Hashable] | None = None if self.frame is None else self.frame.index
        for order, (positions, argument, values, rule, undefined) in enumerate(self._flags):
            for position in positions.tolist():
                value = values[position]
                value = value.item() if isinstance(value, np.generic) else value
                text = rule(value) if callable(rule) else rule
                row = NO_ROW if labels is None else labels[position]
                problem = Problem(argument, value, text, row, undefined)
                found.append((position, order, problem))
        found.sort(key=lambda item: item[:2])
        return [problem for *_, problem in found]

    def raise_if_any(self) -> None:
        """Raise :class:`KPIInputError` naming every problem found so far."""
        if self._flags:
            raise KPIInputError(self.problems())
