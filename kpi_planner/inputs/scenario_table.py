"""A user's table of scenarios as plan inputs: columns matched, cells read, rows checked.

Columns are the plan's defined names (``RevenueGoal``, ``StageRates3``), matched ignoring
case and punctuation. A cell is read as the user meant it (:mod:`kpi_planner.inputs.tables`); an
empty cell keeps the template's value. Each row is its own funnel: a table that names the
stages (``StageNames1..n``) gives each row the stages it names, top first, and the rates
between them, so a 4-stage row is a 4-stage plan, never a 4-stage plan padded with the
template's 5th and 6th stages. Every problem is reported with the row and the user's
column, and a row whose plan overflows (an infinite volume) is a bad row like any other
(:mod:`kpi_planner.batch.row_plans` computes the plans and words the engine's problems).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kpi_engine import KPIInputError, Problem
from kpi_engine.channels import default_entry
from kpi_planner.inputs.currency import CurrencyError, currency_code
from kpi_planner.inputs.defaults import PLAN_YEAR_RULE, is_plan_year
from kpi_planner.inputs.plan_fields import BY_FIELD, PLAN_FIELDS, Kind, fields_of
from kpi_planner.inputs.tables import (
    CellError,
    TableError,
    is_blank,
    parse_boolean,
    parse_growth,
    parse_month,
    parse_number,
    plain_decimal,
)
from kpi_planner.plan import one_plan
from kpi_planner.workbook.sheets.channels import grid as channel_grid
from kpi_planner.workbook.sheets.pipeline.grid import CURVE_MONTHS, MONTH_COLUMNS

SCALAR_NAMES = one_plan.SCALAR_INPUT_NAMES
RANGE_NAMES = one_plan.RANGE_INPUT_NAMES
#: The longest funnel a table may give the built-in plan.
MAX_STAGES = 12
#: Inputs that are fractions: a thousands separator or a percentage above 100 % is refused.
FRACTIONS = fields_of(Kind.FRACTION, lists=False)
#: Inputs that are amounts (money, a year): a percentage there is a mistake and is refused.
AMOUNTS = tuple(field.field for field in PLAN_FIELDS if field.is_amount and not field.is_list)
#: The channels' inputs by the prefix of their columns: fractions, amounts; and text inputs.
CHANNEL_FRACTIONS = ("chshare_", "chmaxshare_", "chrate_", "whatif_step")
CHANNEL_AMOUNTS = ("chcost_", "chmaxvol_")
#: The columns of a channel's row: a table that names channels sets them all, row by row.
CHANNEL_COLUMNS = ("chname_", "chshare_", "chcost_", "chmaxshare_", "chmaxvol_", "chrate_")
TEXT_INPUTS = ("channel_entry", *fields_of(Kind.TEXT, lists=False))


def key(name: object) -> str:
    """Column names match ignoring case and punctuation: ``Stage Rates[1]`` = ``stagerates1``."""
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def column_names(stages: int) -> dict[str, str]:
    """Every column a table may have, as the plan spells it (``StageRates3``), -> its
    column of a scenario frame (``rate_3``), for plans of up to ``stages`` stages."""
    names = dict(SCALAR_NAMES)
    counts = {"StageNames": stages, "StageRates": stages - 1, "SeasonalityWeights": 12,
              "LagDays": stages - 1, "CloseRateCurve": CURVE_MONTHS,
              "OpportunitiesCreated": len(MONTH_COLUMNS),
              **channel_grid.range_counts(stages)}  # fmt: skip
    for name, prefix in RANGE_NAMES.items():
        names |= {f"{name}{i}": f"{prefix}{i}" for i in range(1, counts[name] + 1)}
    return names


#: Scenario-frame column -> the plan's name for it, for messages about inputs a table lacks.
PLAN_NAME = {column: name for name, column in column_names(MAX_STAGES).items()}


@dataclass
class Layout:
    """How a table's columns map onto the plan: known columns, the name column, defaults."""

    columns: dict[str, str]  # user column -> scenario-frame column
    name_column: str | None
    defaults: dict[str, object]  # the template's value of every input of its funnel
    stages: int = 6  # the template's number of stages
    max_stages: int = 6  # the longest funnel a row may have
    decimal: str = "."
    fixed_stages: bool = False  # a user's template: every row has its number of stages

    @property
    def user_column(self) -> dict[str, str]:
        """Scenario-frame column -> the user's column (or the plan's name), for messages."""
        return PLAN_NAME | {v: k for k, v in self.columns.items()}

    @property
    def names_stages(self) -> bool:
        """True when the table names the stages: each row's funnel is the stages it names."""
        return any(column.startswith("stage_") for column in self.columns.values())

    @property
    def names_channels(self) -> bool:
        """True when the table names channels: each row's channels are the ones it names."""
        return any(column.startswith("chname_") for column in self.columns.values())

    @property
    def frame_columns(self) -> list[str]:
        """The columns of a scenario frame of this table, in :func:`one_plan.scenario_row` order."""
        numbered = ("stage_", "rate_", "weight_", "lag_", "chrate_")
        scalar = [c for c in self.defaults if not c.startswith(numbered)]
        stages = [f"stage_{i}" for i in range(1, self.max_stages + 1)]
        rates = [f"rate_{i}" for i in range(1, self.max_stages)]
        weights = [f"weight_{m}" for m in range(1, 13)]
        lags = [f"lag_{i}" for i in range(1, self.max_stages)]
        own = [f"chrate_{i}_{j}" for i in range(1, channel_grid.SLOTS + 1)
               for j in range(1, self.max_stages)]  # fmt: skip
        return [*scalar, *stages, *rates, *weights, *lags, *own]


def plan_layout(
    header: Sequence[str],
    name_column: str | None,
    stages: int = 6,
    defaults: dict[str, object] | None = None,
    settable: set[str] | None = None,
    decimal: str = ".",
) -> Layout:
    """Match a table's header to the plan's inputs; unknown columns are errors with a hint.

    ``defaults`` are the values of inputs the table has no column for (the built-in
    example's by default); ``settable`` limits the inputs a template lets a table set (a
    user's template has a fixed number of stages; the built-in plan takes up to
    :data:`MAX_STAGES`).
    """
    longest = stages if settable is not None else MAX_STAGES
    spelled = {key(name): name for name in column_names(longest)}
    known = {key(name): column for name, column in column_names(longest).items()}
    columns: dict[str, str] = {}
    problems = []
    if name_column is not None:
        matches = [h for h in header if key(h) == key(name_column)]
        if not matches:
            rule = f"is not a column of the table ({', '.join(map(repr, header))})"
            raise KPIInputError([Problem("--name-column", name_column, rule)])
        chosen_name = matches[0]
    else:
        chosen_name = next((h for h in header if key(h) == "name"), None)
    for column in header:
        if column == chosen_name:
            continue
        target = known.get(key(column))
        if target is None:
            close = difflib.get_close_matches(key(column), list(known), n=1, cutoff=0.6)
            hint = f"; did you mean {spelled[close[0]]!r}?" if close else ""
            if settable is not None and key(column).startswith(("stagenames", "stagerates")):
                hint = f"; the template's funnel has {stages} stages"
            problems.append(Problem("column", column, "is not a plan input" + hint))
        elif target in columns.values():
            problems.append(Problem("column", column, "names an input another column sets"))
        elif settable is not None and target not in settable:
            rule = "is not a defined name of the template, so it has nowhere to go"
            problems.append(Problem("column", column, rule))
        else:
            columns[column] = target
    names_stages = any(c.startswith("stage_") for c in columns.values())
    longer = [c for c, t in columns.items() if t.startswith("rate_") and int(t[5:]) >= stages]
    if longer and not names_stages:
        rule = (f"sets a rate beyond the template's {stages} stages: a longer funnel needs "
                "its stage names (StageNames1, StageNames2, ...)")  # fmt: skip
        problems += [Problem("column", c, rule) for c in longer]
    if problems:
        raise KPIInputError(problems)
    if defaults is None:
        defaults = one_plan.scenario_row(one_plan.PlanInputs())
    highest = max([int(t[6:]) for t in columns.values() if t.startswith("stage_")] + [stages])
    return Layout(columns, chosen_name, defaults, stages, highest, decimal, settable is not None)


@dataclass(frozen=True)
class RowProblem:
    """One bad cell of the input table."""

    line: int
    column: str
    value: object
    reason: str

    def __str__(self) -> str:
        # A value read from a frame may be a numpy scalar: shown as the user typed it, 0.3,
        # not np.float64(0.3).
        value = self.value.item() if isinstance(self.value, np.generic) else self.value
        shown = "" if is_blank(value) else f" (value: {value!r})"
        return f"row {self.line}, column {self.column!r}: {self.reason}{shown}"


def to_scenarios(chunk: pd.DataFrame, layout: Layout) -> tuple[pd.DataFrame, list[RowProblem]]:
    """A chunk of the user's table as a scenario frame, and the problems of its cells.

    The frame has :attr:`Layout.frame_columns` and ``stage_count``; a cell that cannot be
    read is NaN there and named in the problems (its row is bad).
    """
    problems: list[RowProblem] = []
    # Every column at once: a frame built column by column fragments (pandas warns).
    columns = {column: [_default(layout, column)] * len(chunk) for column in layout.frame_columns}
    if layout.names_stages:  # the row's own stages: nothing comes from the template's funnel
        for i in range(1, layout.max_stages + 1):
            columns[f"stage_{i}"] = [None] * len(chunk)
    for user, column in layout.columns.items():
        columns[column] = _read_column(chunk[user], column, user, layout, problems)
    frame = pd.DataFrame(_text_kept(columns, chunk.index), index=chunk.index)
    counts = _stage_counts(frame, layout, problems)
    frame["stage_count"] = counts
    if "channel_entry" not in layout.columns.values():  # the row's funnel's own default
        stages = frame[[f"stage_{i}" for i in range(1, layout.max_stages + 1)]].to_numpy()
        entries = [default_entry(list(names[:count])) if count >= 2 else None
                   for names, count in zip(stages, counts, strict=True)]  # fmt: skip
        frame["channel_entry"] = pd.Series(entries, index=chunk.index, dtype=object)
    return frame, problems


def _text_kept(columns: dict[str, list[object]], index: pd.Index) -> dict[str, object]:
    """The text columns (stage and channel names, the entry stage) as object Series, so an
    empty cell stays None: pandas 3 reads a list of text and None as its string dtype, where
    None becomes NaN, which is not None, and a 3-stage row beside 4-stage rows would count a
    4th stage."""
    return {column: pd.Series(values, index=index, dtype=object)
            if column.startswith(("stage_", "chname_")) or column in TEXT_INPUTS else values
            for column, values in columns.items()}  # fmt: skip


def _default(layout: Layout, column: str) -> object:
    """The template's value of an input; a step beyond the template's funnel takes no lag,
    and a table that names channels takes none of the template's channels."""
    if layout.names_channels and column.startswith(CHANNEL_COLUMNS):
        return None if column.startswith("chname_") else np.nan
    return layout.defaults.get(column, 0.0 if column.startswith("lag_") else np.nan)


def _read_column(values: pd.Series, column: str, user: str, layout: Layout,
                 problems: list[RowProblem]) -> list[object]:  # fmt: skip
    """One column of the user's table read cell by cell: blank keeps the template's value."""
    default = _default(layout, column)
    if column.startswith("stage_"):
        return [None if is_blank(v) else str(v).strip() for v in values]
    if column in TEXT_INPUTS or column.startswith("chname_"):  # blank: the template's
        return [default if is_blank(v) else str(v).strip() for v in values]
    if column.startswith("rate_") and layout.names_stages:
        default = np.nan  # the row's own funnel: its rates come from the row
    fraction = column.startswith(("rate_", "curve_", *CHANNEL_FRACTIONS)) or column in FRACTIONS
    percent = column not in AMOUNTS and not column.startswith(("created_", *CHANNEL_AMOUNTS))
    plain = False  # whether the column is read by parse_number, whose plain_decimal comes first
    kind = BY_FIELD[column].kind if column in BY_FIELD else None
    if kind is Kind.BOOLEAN:
        parse = parse_boolean
    elif kind is Kind.MONTH:  # 4, April or Apr
        parse = parse_month
    elif kind is Kind.YEAR:
        parse = functools.partial(_plan_year, decimal=layout.decimal)
    elif kind is Kind.GROWTH:  # a bare 25 is 25 %, not 2,500 %
        parse = functools.partial(parse_growth, decimal=layout.decimal, decimal_option=True)
    elif kind is Kind.CURRENCY:
        parse = _currency
    else:
        parse = functools.partial(parse_number, decimal=layout.decimal, fraction=fraction,
                                  percent=percent, decimal_option=True)  # fmt: skip
        plain = True
    cache: dict[object, object] = {}
    read = []
    for line, value in values.items():
        # Most cells of a CSV are plain decimals: read at once, before the blank check, the
        # cache and the parser's call (half of a column's time otherwise).
        number = plain_decimal(value, layout.decimal) if plain else None
        if number is not None:
            read.append(number)
            continue
        if is_blank(value):
            read.append(default)
            continue
        try:
            hashable = value if not isinstance(value, float) else float(value)
            if hashable not in cache:
                cache[hashable] = parse(value)
            read.append(cache[hashable])
        except CellError as err:
            problems.append(RowProblem(int(line), user, value, str(err)))
            read.append(np.nan)
        except TypeError:  # an unhashable cell (a list from Parquet): read it uncached
            read.append(value)
    return read


def _currency(value: object) -> str:
    """A cell's currency code, upper-case (``eur`` is EUR); a code no one knows is refused."""
    try:
        return currency_code(value)
    except CurrencyError as err:
        raise CellError(str(err)) from None


def _plan_year(value: object, decimal: str) -> int:
    """A cell's plan year as a whole number; a year a workbook cannot show is refused."""
    number = parse_number(value, decimal, percent=False, decimal_option=True)
    if not is_plan_year(number):
        raise CellError(PLAN_YEAR_RULE)
    return int(number)


def _stage_counts(frame: pd.DataFrame, layout: Layout, problems: list[RowProblem]) -> list[int]:
    """Each row's number of stages; a row whose names or rates do not make a funnel is bad."""
    if not layout.names_stages:
        return [layout.stages] * len(frame)
    user = layout.user_column
    counts = []
    names = frame[[f"stage_{i}" for i in range(1, layout.max_stages + 1)]].to_numpy()
    rates = frame[[f"rate_{i}" for i in range(1, layout.max_stages)]].to_numpy(dtype=object)
    for line, row_names, row_rates in zip(frame.index, names, rates, strict=True):
        given = [i for i, name in enumerate(row_names, start=1) if name is not None]
        count = max(given, default=0)
        counts.append(count)
        missing = [i for i in range(1, count + 1) if i not in given]

        def bad(column: str, reason: str, value: object = None, line: int = line) -> None:
            problems.append(RowProblem(int(line), user[column], value, reason))

        if count < 2:
            bad("stage_1", "a funnel needs at least two stage names (StageNames1, StageNames2)",
                row_names[0])  # fmt: skip
            continue
        for i in missing:
            bad(f"stage_{i}", f"is empty, but stage {count} is named: name every stage, top first")
        if layout.fixed_stages and count != layout.stages:
            reason = (f"the row names {count} stages, but the template's funnel has "
                      f"{layout.stages}: name all {layout.stages}")  # fmt: skip
            bad(f"stage_{min(count + 1, layout.stages)}", reason)
            continue
        for i in range(1, count):
            column = f"rate_{i}"
            in_table = column in layout.columns.values()
            if count != layout.stages and not in_table:
                reason = (f"is needed: the row's funnel has {count} stages, not the template's "
                          f"{layout.stages}, so all its rates come from the table "
                          f"(StageRates1..{count - 1})")  # fmt: skip
                bad(column, reason)
            elif is_blank(row_rates[i - 1]):
                if count == layout.stages:  # the template's funnel length: its rate stands
                    frame.at[line, column] = layout.defaults[column]
                    continue
                reason = (f"is empty: the row's funnel has {count} stages, so it needs "
                          f"{count - 1} rates (StageRates1..{count - 1})")  # fmt: skip
                bad(column, reason)
        for i in range(count, layout.max_stages):
            for column in (f"rate_{i}", f"lag_{i}"):
                value = frame.at[line, column] if column in frame.columns else None
                if column in layout.columns.values() and not is_blank(value):
                    end = f"stage {count} ({row_names[count - 1]})"
                    reason = (f"has a value, but the row's funnel ends at {end}: remove it or "
                              f"name stage {i + 1}")  # fmt: skip
                    bad(column, reason, value)
    return counts


def check_table(total: int, path_name: str) -> None:
    """A table with a header and no rows is a mistake, not an empty success."""
    if total == 0:
        raise TableError(f"{path_name}: has a header but no rows: add one row per scenario")
