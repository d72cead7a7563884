"""A table of opportunities as CRMs export it, read for the forecast: one row each, with
its amount, created date, expected close date, stage probability or forecast category, and
its won or lost date once closed.

Columns are found by their names as Salesforce and HubSpot export them (case, spaces and
punctuation ignored: ``Close Date``, ``closedate``, ``Probability (%)``), or by the
options that name them. Every bad cell is named by its row and column; nothing is counted
silently: an amount of "n/a", a probability of 150 %, a close date before the created date,
a deal both won and lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kpi_engine.close_rates import as_date
from kpi_planner.inputs.scenario_table import key
from kpi_planner.inputs.typed_values import CellError, is_blank, parse_money, parse_number

#: Each role's column names as CRMs export them (compared by :func:`key`), first the usual.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "name": ("opportunity", "opportunity name", "deal name", "name", "id"),
    # A multi-currency export has both: the converted amount is in one currency.
    "amount": ("amount converted", "amount", "deal amount", "opportunity amount"),
    "created": ("created", "created date", "create date", "createdate"),
    "close": ("close date", "closedate", "expected close date", "close"),
    "probability": ("probability", "probability %", "deal probability",
                    "hs deal stage probability"),
    "category": ("forecast category", "forecast category name", "forecastcategory",
                 "hs forecast category"),
    "won": ("won", "won date", "closed won date", "date won"),
    "lost": ("lost", "lost date", "closed lost date", "date lost"),
}  # fmt: skip

#: The roles a forecast cannot do without.
REQUIRED = ("amount", "created")


@dataclass(frozen=True)
class CellProblem:
    """A bad cell: its row in the file, its column, the value as shown, and the rule."""

    row: int
    column: str
    shown: str
    rule: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column!r}{self.shown}: {self.rule}"


class OpportunityTableError(ValueError):
    """A table of opportunities with bad cells: one line each, naming row and column."""

    def __init__(self, problems: list[CellProblem | str]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


@dataclass(frozen=True)
class Opportunity:
    """One row of the table, read: its row number in the file, and its values."""

    row: int
    amount: float
    created: dt.date
    close: dt.date | None
    probability: float | None
    category: str | None
    won: dt.date | None
    lost: dt.date | None
    name: str | None = None

    def is_open(self, as_of: dt.date) -> bool:
        """Neither won nor lost by ``as_of``."""
        return not any(day is not None and day <= as_of for day in (self.won, self.lost))


def find_columns(columns: list[str], chosen: Mapping[str, str | None]) -> dict[str, str]:
    """The table's column for each role: the option's where given (it must exist), else the
    first column named as CRMs name it. Raises :class:`OpportunityTableError` for a missing
    required or chosen column."""
    by_key = {key(column): column for column in columns}
    found, problems = {}, []
    for role, names in COLUMN_NAMES.items():
        option = chosen.get(role)
        if option is not None:
            if option not in columns:
                problems.append(f"--{role}-column {option}: the table has no such column "
                                f"(it has {', '.join(columns)})")  # fmt: skip
                continue
            found[role] = option
            continue
        match = next((by_key[key(name)] for name in names if key(name) in by_key), None)
        if match is not None:
            found[role] = match
        elif role in REQUIRED:
            first, second = (names[1], names[0]) if role == "amount" else names[:2]
            problems.append(f"no {role} column: name one {first!r} (or {second!r}), or "
                            f"give --{role}-column")  # fmt: skip
    if not problems and "won" not in found and "lost" not in found:
        problems.append("no won or lost date column: every deal would count as open, closed "
                        "ones too; name one 'Won Date' or 'Lost Date', or give --won-column "
                        "or --lost-column")  # fmt: skip
    if problems:
        raise OpportunityTableError(problems)
    return found


def read_rows(
    records: list[tuple[int, dict[str, object]]], columns: Mapping[str, str]
) -> list[Opportunity]:
    """Every row read; :class:`OpportunityTableError` listing every bad cell by row and
    column. A probability column whose name has ``%`` in it holds percentages (30 = 30 %)."""
    percent = "%" in columns.get("probability", "") and not _fractions(records, columns)
    read, problems = [], []
    for row, cells in records:
        found = _read_row(row, cells, columns, percent)
        if isinstance(found, Opportunity):
            read.append(found)
        else:
            problems += found
    problems += _duplicates(read, columns)
    if problems:
        raise OpportunityTableError(problems)
    return read


def _fractions(records, columns: Mapping[str, str]) -> bool:
    """Whether a column named as percentages holds fractions (every number 0-1, some
    between: 0.3, as an Excel column formatted as a percentage stores 30 %)."""
    numbers = []
    for _, cells in records:
        value = cells.get(columns["probability"])
        if (isinstance(value, str) and value.strip().endswith("%")) or is_blank(value):
            continue
        try:
            numbers.append(parse_number(value, percent=False))
        except CellError:
            continue
    return bool(numbers) and all(0 <= n <= 1 for n in numbers) and any(
        0 < n < 1 for n in numbers)  # fmt: skip


def _duplicates(deals: list[Opportunity], columns: Mapping[str, str]) -> list[CellProblem]:
    """A deal named twice would be counted twice: each repeat, by its row."""
    if "name" not in columns:
        return []
    first: dict[str, int] = {}
    problems = []
    for deal in deals:
        if deal.name is None:
            continue
        if deal.name in first:
            rule = f"is in row {first[deal.name]} too: one row per deal"
            problems.append(CellProblem(deal.row, columns["name"], f" = {deal.name!r}", rule))
        first.setdefault(deal.name, deal.row)
    return problems


def _read_row(
    row: int, cells: Mapping[str, object], columns: Mapping[str, str], percent: bool
) -> Opportunity | list[CellProblem]:
    """One row as an opportunity, or its problems, each naming the row and column."""
    problems: list[CellProblem] = []

    def cell(role: str, reader, required: bool = False):
        column = columns.get(role)
        value = None if column is None else cells.get(column)
        if column is None or is_blank(value):
            if required:
                problems.append(CellProblem(row, str(column), "", "is empty; give a value"))
            return None
        try:
            return reader(value)
        except (CellError, ValueError) as err:
            problems.append(CellProblem(row, column, f" = {value!r}", _why(err, role)))
            return None

    amount = cell("amount", _amount, required=True)
    created = cell("created", _date, required=True)
    close, won, lost = cell("close", _date), cell("won", _date), cell("lost", _date)
    probability = cell("probability", lambda v: _probability(v, percent))
    category = cell("category", lambda v: str(v).strip())
    name = cell("name", lambda v: str(v).strip())
    problems += _order_problems(row, columns, created, close, won, lost)
    if problems or amount is None or created is None:
        return problems
    return Opportunity(row, amount, created, close, probability, category, won, lost, name)


def _order_problems(row, columns, created, close, won, lost) -> list[CellProblem]:
    """Dates that contradict each other: closing or closed before created, won and lost.
    (A deal won or lost after the forecast's date is open as of then: no date is refused
    for being later.)"""
    found = []
    for role, day in (("close", close), ("won", won), ("lost", lost)):
        if created is not None and day is not None and day < created:
            rule = f"is before the created date {created.isoformat()}"
            found.append(CellProblem(row, columns[role], f" = {day.isoformat()}", rule))
    if won is not None and lost is not None:
        rule = f"the deal is won too ({columns['won']} {won.isoformat()}): keep one"
        found.append(CellProblem(row, columns["lost"], f" = {lost.isoformat()}", rule))
    return found


def _amount(value: object) -> float:
    amount = parse_money(value)
    if amount < 0:
        raise CellError("is negative: an amount is 0 or more")
    return amount


def _date(value: object) -> dt.date | None:
    day = as_date(value)
    if day is None and not is_blank(value):
        raise ValueError(value)
    return day


def _probability(value: object, percent: bool) -> float:
    """A chance: 0.3 or 30% (or 30 in a column of percentages), refused past 100 %."""
    typed_percent = isinstance(value, str) and value.strip().endswith("%")
    if percent and not typed_percent:
        number = parse_number(value, percent=False) / 100
    else:
        number = parse_number(value, fraction=True)
    if 0 <= number <= 1:
        return number
    if percent or typed_percent:
        raise CellError(f"is {number:.0%}: a probability is 0 to 100 %")
    raise CellError(f"is {number:g}: a probability is 0 to 1 here (0.3, or 30% with the sign); "
                    "a column of percentages has % in its name: Probability (%)")  # fmt: skip


def _why(err: Exception, role: str) -> str:
    """The reason a cell was refused, in words for its role."""
    if role in ("created", "close", "won", "lost") and not isinstance(err, CellError):
        return "is not a date: write it as YYYY-MM-DD (2027-03-31)"
    if role == "amount" and str(err) == "is not a number":
        return "is not an amount: give a number, 0 or more (an empty cell is refused too)"
    return str(err)


def read_opportunities(path: Path, chosen: Mapping[str, str | None]) -> list[Opportunity]:
    """The opportunities of ``path`` (CSV, Excel or Parquet), each role's column found as
    :func:`find_columns` finds it (``chosen``: the options')."""
    from kpi_planner.inputs.tables import read_records

    records = read_records(path)
    columns = find_columns(list(records[0][1]) if records else [], chosen)
    return read_rows(records, columns)
