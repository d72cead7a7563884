"""The roles table of ``kpi-planner plan --team``: one row per role (SDR, AE, ...), the stage
it works and what one fully ramped person handles of it a month, its ramp, attrition,
hiring lag, loaded cost and the people it has now. Every bad cell is named by row and
column.

Columns, matched ignoring case and punctuation: ``Role``, ``Stage``, ``Capacity`` (a month,
of the stage), ``Ramp`` (shares of full capacity by month of tenure, ``0%,25%,50%``; 100 %
after), ``RampPeriod`` (``month``, the default, or ``quarter``: the ramp's shares then last
three months each), ``Attrition`` (a month: 2%), ``HiringLag`` (months from the decision to
the first day), ``Cost`` (loaded cost of one person a month), ``Current`` (people now);
with segments (``plan --segments``), ``Segment``: the segment whose funnel the role works
(empty: the whole company's, the segments' volumes of its stage added up).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kpi_planner.inputs.scenario_table import key
from kpi_planner.inputs.typed_values import CellError, is_blank, parse_money, parse_number

#: The table's columns (by :func:`key`) -> the role's field; those with a default (below,
#: as read) optional.
COLUMNS = {"role": "role", "stage": "stage", "capacity": "capacity", "ramp": "ramp",
           "rampperiod": "ramp_period", "attrition": "attrition", "hiringlag": "hiring_lag",
           "cost": "cost", "current": "current", "segment": "segment"}  # fmt: skip
DEFAULTS = {"ramp": (), "ramp_period": "month", "attrition": 0.0, "hiring_lag": 0,
            "cost": 0.0, "current": 0.0, "segment": None}  # fmt: skip


class TeamTableError(ValueError):
    """A roles table that cannot be planned with: every problem, one per line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Role:
    """One role: the stage it works, one ramped person's capacity a month, the ramp by month
    of tenure, monthly attrition, hiring lag in months, loaded cost a month, people now."""

    name: str
    stage: str
    capacity: float
    ramp: tuple[float, ...]
    attrition: float
    hiring_lag: int
    cost: float
    current: float
    segment: str | None = None  # the segment whose funnel it works; None: the whole plan's


def read_team(
    path: Path, stages: Sequence[str], segments: Mapping[str, Sequence[str]] | None = None
) -> list[Role]:
    """The roles of ``path`` (CSV, Excel or Parquet) for a funnel of ``stages``; with
    ``segments`` (each segment's stages), a role names its segment or works the company's
    ``stages``."""
    from kpi_planner.inputs.tables import read_records

    records = read_records(path)
    if not records:
        raise TeamTableError(["has no roles: one row per role, under Role, Stage and "
                              "Capacity (a month)"])  # fmt: skip
    header = list(records[0][1])
    found = {COLUMNS[key(c)]: c for c in header if key(c) in COLUMNS}
    missing = [f for f in ("role", "stage", "capacity") if f not in found]
    if missing:
        raise TeamTableError([f"no {m} column: the roles table needs Role, Stage and "
                              "Capacity (a month)" for m in missing])  # fmt: skip
    roles, problems = [], []
    for row, cells in records:
        role = _role(row, cells, found, (stages, segments), problems)
        if role is not None:
            roles.append(role)
    names = [r.name if r.segment is None else f"{r.name} ({r.segment})" for r in roles]
    problems += [f"column {found['role']!r}: {n!r} is in two rows: one row per role"
                 for n in sorted({n for n in names if names.count(n) > 1})]  # fmt: skip
    if problems:
        raise TeamTableError(problems)
    return roles


def _role(row: int, cells: Mapping[str, object], found: Mapping[str, str],
          funnels: tuple, problems: list[str]) -> Role | None:  # fmt: skip
    """One row as a role, or None with its problems recorded (row and column each)."""
    before = len(problems)

    def cell(field: str, reader):
        column = found.get(field)
        value = cells.get(column) if column else None
        if is_blank(value):
            if field in DEFAULTS:
                return DEFAULTS[field]
            problems.append(f"row {row}, column {column!r}: is empty; give a value")
            return None
        try:
            return reader(value)
        except (CellError, ValueError) as err:
            problems.append(f"row {row}, column {column!r} = {value!r}: {err}")
            return None

    name = cell("role", _name)
    segment = cell("segment", lambda v: _segment(str(v).strip(), funnels[1]))
    stages = funnels[0] if segment is None else funnels[1][segment]
    stage = cell("stage", lambda v: _stage(str(v).strip(), stages))
    capacity = cell("capacity", _capacity)
    ramp = cell("ramp", _ramp)
    period = cell("ramp_period", _period)
    attrition = cell("attrition", lambda v: _share(v, "an attrition"))
    lag = cell("hiring_lag", _lag)
    cost = cell("cost", _money)
    current = cell("current", _count)
    if len(problems) > before:
        return None
    months = tuple(s for s in ramp for _ in range(3 if period == "quarter" else 1))
    return Role(name, stage, capacity, months, attrition, lag, cost, current, segment)


def _name(value: object) -> str:
    name = str(value).strip()
    if name.startswith("="):  # a workbook would take it for a formula
        raise ValueError("starts with '=': name the role without it")
    return name


def _segment(name: str, segments: Mapping[str, Sequence[str]] | None) -> str:
    if segments is None:
        raise ValueError("names a segment, but the plan has none: a company's team is "
                         "`plan --segments ... --team`; leave the column empty")  # fmt: skip
    if name not in segments:
        raise ValueError(f"is not a segment of the segments table ({', '.join(segments)})")
    return name


def _stage(name: str, stages: Sequence[str]) -> str:
    if name not in stages:
        raise ValueError(f"is not a stage of the funnel ({', '.join(stages)})")
    return name


def _capacity(value: object) -> float:
    number = parse_number(value, percent=False)
    if number <= 0:
        raise ValueError("must be above 0: what one ramped person handles of the stage a month")
    return number


def _ramp(value: object) -> tuple[float, ...]:
    text = str(value).strip()
    if not text:
        return ()
    shares = []
    for part in text.replace(";", ",").split(","):
        share = parse_number(part.strip(), fraction=True)
        if not 0 <= share <= 1:
            raise ValueError(f"{part.strip()} is above 100 %: a ramp share is 0 to 100 %")
        shares.append(share)
    return tuple(shares)


def _period(value: object) -> str:
    text = str(value).strip().lower()
    if text not in ("month", "quarter"):
        raise ValueError('must be "month" or "quarter": how long each ramp share lasts')
    return text


def _share(value: object, what: str) -> float:
    number = parse_number(value, fraction=True)
    if not 0 <= number <= 1:
        raise ValueError(f"must be {what} of 0 to 100 % a month (2% or 0.02)")
    return number


def _lag(value: object) -> int:
    number = parse_number(value, percent=False)
    if number < 0 or not float(number).is_integer():
        raise ValueError("must be a whole number of months, 0 or more")
    return int(number)


def _money(value: object) -> float:
    amount = parse_money(value)
    if amount < 0:
        raise ValueError("must be an amount, 0 or more")
    return amount


def _count(value: object) -> float:
    number = parse_number(value, percent=False)
    if number < 0:
        raise ValueError("must be 0 or more people")
    return number
