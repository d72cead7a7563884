"""The "Pipeline" sheet: will the opportunities created close this year's deals in time?

A close-rate curve (typed in, or measured by ``kpi-planner pipeline opportunities.csv``)
says what share of a month's opportunities is won in that month, one month later, ... The
sheet takes the opportunities the plan's timeline creates each month (the 12 months of the
year before and the plan year's), lets the user type real or committed numbers over them,
and computes the deals each plan month can expect: ``SUMPRODUCT`` of the curve, reversed,
with the 13 months of opportunities that end there. Against the plan's customers per month,
that gives each month's surplus or gap, and the year's coverage.

:func:`pipeline_outputs` is the same computation by :func:`kpi_engine.expected_closes` and
:func:`kpi_engine.pipeline_gap`; the tests evaluate the formulas independently and compare.
The plan's outputs come in by defined name, so :mod:`.plan` can call this module without
an import cycle.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

import kpi_engine
import kpi_engine.frame
from kpi_engine.phasing import running_totals
from kpi_engine.pipeline import added_up, pipeline_coverage, rounded_gap
from kpi_planner.workbook.a1 import column_letter
from kpi_planner.workbook.spec import BarChart, Cell, Name, Sheet, Validation

PIPELINE = "Pipeline"
#: Months of the curve: won in the month of creation, then 1 to 12 months later.
CURVE_MONTHS = 13
#: A curve for a plan that has none measured yet: half of the opportunities won over five
#: months, as the seed example's opportunity-to-customer rate of 50 %.
DEFAULT_CURVE = (0.05, 0.15, 0.15, 0.1, 0.05)
#: The curve's columns (C..O) and the months' (C..Z: the year before's 12, the plan year's).
CURVE_COLUMNS = tuple(column_letter(3 + k) for k in range(CURVE_MONTHS))
MONTH_COLUMNS = tuple(column_letter(3 + j) for j in range(24))
PLAN_MONTHS = MONTH_COLUMNS[12:]
YEAR_COLUMN = "AA"

CURVE_ROW, REVERSED_ROW = 5, 6
LABELS_ROW, PLANNED_ROW, CREATED_ROW, COUNTED_ROW = 9, 10, 11, 12
EXPECTED_ROW, NEEDED_ROW, GAP_ROW, RUNNING_ROW = 13, 14, 15, 16
COVERAGE_ROW = 18

#: Defined names of the sheet's outputs (cached by the batch, checked by the tests).
OUTPUT_NAMES = ("CloseRateTotal", "PipelineCheck", "OpportunitiesPlanned",
                "OpportunitiesCounted", "ExpectedCloses", "ClosesNeeded", "PipelineGap",
                "PipelineGapRunning", "PipelineCoverage")  # fmt: skip
#: Defined name of each range input -> the prefix of its numbered scenario columns.
RANGE_INPUT_NAMES = {"CloseRateCurve": "curve_", "OpportunitiesCreated": "created_"}
#: Calculated volumes and shares show a zero (a month before any opportunity) as "-".
_VOLUME, _SHARE = "#,##0.0;-#,##0.0;-", "0.0%;-0.0%;-"
#: A row's range over the plan year's 12 months, ``.format(row)``.
_PLAN_SPAN = f"${PLAN_MONTHS[0]}${{0}}:${PLAN_MONTHS[-1]}${{0}}"
_CHECK_TEXT = {"over": "The curve adds up to more than 100 %: fix it.",
               "zero": "The curve is all 0: type the share won each month."}  # fmt: skip


def curve_values(curve: Sequence[float]) -> tuple[float, ...]:
    """A curve padded with 0 to the sheet's 13 months."""
    return tuple(float(c) for c in curve) + (0.0,) * (CURVE_MONTHS - len(curve))


def input_cells() -> dict[str, tuple[str, str | None]]:
    """The sheet's input cells: ref -> (scenario column, number format)."""
    cells: dict[str, tuple[str, str | None]] = {
        f"{column}{CURVE_ROW}": (f"curve_{k + 1}", "0.0%") for k, column in enumerate(CURVE_COLUMNS)
    }
    cells |= {f"{column}{CREATED_ROW}": (f"created_{j + 1}", "#,##0.0")
              for j, column in enumerate(MONTH_COLUMNS)}  # fmt: skip
    return cells


def pipeline_sheet(
    stages: int,
    curve: Sequence[float],
    created: Sequence[float | None],
    month_labels: Sequence[str],
) -> tuple[Sheet, list[Name]]:
    """The sheet for a plan of ``stages`` stages, with the curve and typed-in opportunities
    (None: not typed, the plan's count is used). ``month_labels``: the cells of the Plan
    sheet's timeline that label its 24 months (``Plan!E39`` ...)."""
    cells = _curve_cells(stages, curve)
    cells += _opportunity_cells(stages, created, month_labels)
    cells += _deal_cells(stages)
    cells += _year_cells()
    return _sheet(cells), _names()


def _curve_cells(stages: int, curve: Sequence[float]) -> list[Cell]:
    """The title, then the close-rate curve as typed, its total and check, and reversed."""
    opportunities = stages - 1  # the plan's row of opportunities (1-based)
    cells = [
        Cell("A1", "Pipeline: will the opportunities close this year's deals in time?", "title"),
        Cell(
            "A2",
            "Type the close-rate curve (from kpi-planner pipeline, or your CRM) and, "
            "where they differ from the plan's, the opportunities created each month.",
            "note",
        ),
        Cell(f"A{CURVE_ROW - 1}", "Close-rate curve", "header"),
        Cell(f"B{CURVE_ROW - 1}", None, "header"),
        Cell(f"A{CURVE_ROW}", "Share of a month's opportunities won", "label"),
        Cell(f"B{CURVE_ROW}", "in the month, then 1, 2, ... months later", "note"),
        Cell(f"A{REVERSED_ROW}", "The curve, latest month first", "label"),
        Cell(f"B{REVERSED_ROW}", "for the sums below", "note"),
        Cell(f"P{CURVE_ROW - 1}", "Won in all", "header"),
        Cell(f"Q{CURVE_ROW - 1}", "Plan's rate", "header"),
        Cell(f"P{CURVE_ROW}", "=SUM(CloseRateCurve)", "output", "0.0%"),
        Cell(f"Q{CURVE_ROW}", f"=INDEX(StageRates,{opportunities})", "formula", "0.0%"),
        Cell(f"R{CURVE_ROW}", _check_formula(), "formula"),
    ]
    given = curve_values(curve)
    for k, column in enumerate(CURVE_COLUMNS):
        header = "In the month" if k == 0 else f"{k} later"
        cells.append(Cell(f"{column}{CURVE_ROW - 1}", header, "header"))
        cells.append(Cell(f"{column}{CURVE_ROW}", given[k], "input", "0.0%"))
        latest_first = f"=INDEX(CloseRateCurve,1,{CURVE_MONTHS - k})"
        cells.append(Cell(f"{column}{REVERSED_ROW}", latest_first, "formula", _SHARE))
    return cells


def _opportunity_cells(
    stages: int, created: Sequence[float | None], month_labels: Sequence[str]
) -> list[Cell]:
    """The table's row labels, then each of the 24 months' opportunities: planned, typed
    and counted."""
    opportunities = stages - 1  # the plan's row of opportunities (1-based)
    rows = (
        (PLANNED_ROW, "Opportunities in the plan", "the timeline's, month by month"),
        (CREATED_ROW, "Opportunities created, if different", "type real or committed ones"),
        (COUNTED_ROW, "Opportunities counted", "typed where given, else the plan's"),
        (EXPECTED_ROW, "Deals expected to close", "curve x opportunities of each month before"),
        (NEEDED_ROW, "Deals needed", "the plan's customers per month"),
        (GAP_ROW, "Surplus (+) or gap (-)", "expected - needed"),
        (RUNNING_ROW, "Surplus or gap, year to date", "added up from January"),
    )
    cells = [Cell(f"A{LABELS_ROW}", "Month", "header"), Cell(f"B{LABELS_ROW}", None, "header")]
    for row, label, note in rows:
        cells += [Cell(f"A{row}", label, "label"), Cell(f"B{row}", note, "note")]
    for j, column in enumerate(MONTH_COLUMNS):
        cells.append(Cell(f"{column}{LABELS_ROW}", f"={month_labels[j]}", "header"))
        planned = f"=INDEX(TimelineMonthly,{opportunities},{j + 1})"
        cells.append(Cell(f"{column}{PLANNED_ROW}", planned, "formula", _VOLUME))
        typed = created[j] if j < len(created) else None
        cells.append(Cell(f"{column}{CREATED_ROW}", typed, "input", "#,##0.0"))
        cells.append(Cell(f"{column}{COUNTED_ROW}",
                          f'=IF({column}{CREATED_ROW}="",{column}{PLANNED_ROW},'
                          f"{column}{CREATED_ROW})", "formula", _VOLUME))  # fmt: skip
    return cells


def _deal_cells(stages: int) -> list[Cell]:
    """Each plan month's deals: expected from the curve, needed, and the surplus or gap."""
    customers = stages  # the plan's row of customers (1-based)
    reversed_curve = f"${CURVE_COLUMNS[0]}${REVERSED_ROW}:${CURVE_COLUMNS[-1]}${REVERSED_ROW}"
    cells = []
    for m, column in enumerate(PLAN_MONTHS):
        window = f"{MONTH_COLUMNS[m]}{COUNTED_ROW}:{column}{COUNTED_ROW}"
        cells += [
            Cell(f"{column}{EXPECTED_ROW}", f"=SUMPRODUCT({reversed_curve},{window})", "output",
                 _VOLUME),
            Cell(f"{column}{NEEDED_ROW}", f"=INDEX(RequiredMonthly,{customers},{m + 1})",
                 "formula", _VOLUME),
            # 6 decimals, as the engine's whole-number rule: a gap of binary noise is 0.
            Cell(f"{column}{GAP_ROW}", f"=ROUND({column}{EXPECTED_ROW}-{column}{NEEDED_ROW},6)",
                 "output", _VOLUME),
            Cell(f"{column}{RUNNING_ROW}",
                 f"={PLAN_MONTHS[m - 1]}{RUNNING_ROW}+{column}{GAP_ROW}" if m
                 else f"={column}{GAP_ROW}", "formula", _VOLUME),
        ]  # fmt: skip
    return cells


def _year_cells() -> list[Cell]:
    """The year's deals expected, needed and the gap, and the coverage of the year."""
    cells = [Cell(f"{YEAR_COLUMN}{LABELS_ROW}", "Year", "header")]
    for row in (EXPECTED_ROW, NEEDED_ROW, GAP_ROW):
        span = f"{PLAN_MONTHS[0]}{row}:{PLAN_MONTHS[-1]}{row}"
        cells.append(Cell(f"{YEAR_COLUMN}{row}", f"=SUM({span})", "output", _VOLUME))
    cells += [
        Cell(f"A{COVERAGE_ROW}", "Coverage of the year's deals", "label"),
        Cell(f"B{COVERAGE_ROW}", f"={YEAR_COLUMN}{EXPECTED_ROW}/{YEAR_COLUMN}{NEEDED_ROW}",
             "output", "0%"),
        Cell(f"C{COVERAGE_ROW}", "expected / needed: under 100 %, create more opportunities "
             "earlier (kpi-planner pipeline --goal says how many)", "note"),
    ]  # fmt: skip
    return cells


def _names() -> list[Name]:
    """The sheet's defined names."""
    all_span = f"${MONTH_COLUMNS[0]}${{0}}:${MONTH_COLUMNS[-1]}${{0}}"
    return [
        Name("CloseRateCurve", PIPELINE, f"${CURVE_COLUMNS[0]}${CURVE_ROW}:"
             f"${CURVE_COLUMNS[-1]}${CURVE_ROW}", "Share of a month's opportunities won in it, "
             "then 1 to 12 months later."),
        Name("CloseRateTotal", PIPELINE, f"$P${CURVE_ROW}", "The curve added up: won in all."),
        Name("PipelineCheck", PIPELINE, f"$R${CURVE_ROW}", "What is wrong with the curve; "
             "empty when nothing is."),
        Name("OpportunitiesPlanned", PIPELINE, all_span.format(PLANNED_ROW),
             "The timeline's opportunities, 24 months."),
        Name("OpportunitiesCreated", PIPELINE, all_span.format(CREATED_ROW),
             "Opportunities created or committed, where typed (24 months)."),
        Name("OpportunitiesCounted", PIPELINE, all_span.format(COUNTED_ROW),
             "Opportunities counted: typed where given, else the plan's."),
        Name("ExpectedCloses", PIPELINE, _PLAN_SPAN.format(EXPECTED_ROW),
             "Deals expected to close in each month of the plan year."),
        Name("ClosesNeeded", PIPELINE, _PLAN_SPAN.format(NEEDED_ROW),
             "Deals each month of the plan year needs."),
        Name("PipelineGap", PIPELINE, _PLAN_SPAN.format(GAP_ROW),
             "Expected - needed: surplus (+) or gap (-) of each month."),
        Name("PipelineGapRunning", PIPELINE, _PLAN_SPAN.format(RUNNING_ROW),
             "Surplus or gap, year to date."),
        Name("PipelineCoverage", PIPELINE, f"$B${COVERAGE_ROW}",
             "Deals expected in the year / deals needed."),
    ]  # fmt: skip


def _sheet(cells: list[Cell]) -> Sheet:
    """The sheet of ``cells``, with its chart of deals by month, validations and widths."""
    chart = BarChart(
        title="Deals needed and expected by month",
        categories=_PLAN_SPAN.format(LABELS_ROW),
        values=_PLAN_SPAN.format(NEEDED_ROW),
        series_title="Needed",
        more_series=((_PLAN_SPAN.format(EXPECTED_ROW), "Expected"),),
        anchor=f"C{COVERAGE_ROW + 2}",
        width_cm=24,
        columns=True,
    )
    validations = (
        Validation(f"{CURVE_COLUMNS[0]}{CURVE_ROW}:{CURVE_COLUMNS[-1]}{CURVE_ROW}", "decimal",
                   "between", "0", "1", error="A share between 0 % and 100 %.",
                   prompt="Share of a month's opportunities won this many months later."),
        Validation(f"{MONTH_COLUMNS[0]}{CREATED_ROW}:{MONTH_COLUMNS[-1]}{CREATED_ROW}",
                   "decimal", "greaterThanOrEqual", "0", error="Opportunities are 0 or more.",
                   prompt="Leave empty to count the plan's opportunities."),
    )  # fmt: skip
    widths = {"A": 34, "B": 36} | {column: 9 for column in MONTH_COLUMNS} | {YEAR_COLUMN: 11}
    return Sheet(PIPELINE, tuple(cells), column_widths=widths, row_heights={CURVE_ROW - 1: 30},
                 freeze="C3", validations=validations, charts=(chart,),
                 print_area=f"A1:{YEAR_COLUMN}{COVERAGE_ROW + 20}")  # fmt: skip


def _check_formula() -> str:
    total = "SUM(CloseRateCurve)"
    return f'=IF({total}>1,"{_CHECK_TEXT["over"]}",IF({total}=0,"{_CHECK_TEXT["zero"]}",""))'


def formula_sources() -> dict[str, tuple[str, tuple[int, ...]]]:
    """Where each formula cell's value comes from: (output name, index into its array)."""
    sources: dict[str, tuple[str, tuple[int, ...]]] = {
        f"P{CURVE_ROW}": ("CloseRateTotal", ()),
        f"Q{CURVE_ROW}": ("PlanOpportunityRate", ()),
        f"R{CURVE_ROW}": ("PipelineCheck", ()),
        f"B{COVERAGE_ROW}": ("PipelineCoverage", ()),
    }
    for k, column in enumerate(CURVE_COLUMNS):
        sources[f"{column}{REVERSED_ROW}"] = ("CurveReversed", (k,))
    for j, column in enumerate(MONTH_COLUMNS):
        sources[f"{column}{LABELS_ROW}"] = ("TimelineLabels", (0, j))
        sources[f"{column}{PLANNED_ROW}"] = ("OpportunitiesPlanned", (j,))
        sources[f"{column}{COUNTED_ROW}"] = ("OpportunitiesCounted", (j,))
    by_row = {EXPECTED_ROW: "ExpectedCloses", NEEDED_ROW: "ClosesNeeded", GAP_ROW: "PipelineGap",
              RUNNING_ROW: "PipelineGapRunning"}  # fmt: skip
    for row, name in by_row.items():
        for m, column in enumerate(PLAN_MONTHS):
            sources[f"{column}{row}"] = (name, (m,))
    for row, name in ((EXPECTED_ROW, "ExpectedYear"), (NEEDED_ROW, "NeededYear"),
                      (GAP_ROW, "GapYear")):  # fmt: skip
        sources[f"{YEAR_COLUMN}{row}"] = (name, ())
    return sources


def pipeline_outputs(
    curves: np.ndarray,
    created: np.ndarray,
    timeline_monthly: np.ndarray,
    required_monthly: np.ndarray,
    opportunity_rate: np.ndarray,
    rows: Sequence[object] | None = None,
) -> dict[str, np.ndarray]:
    """The engine's value of each of the sheet's outputs (the names of
    :func:`formula_sources`) for many plans at once, each with a leading axis of rows.

    ``curves``: (rows, <= 13) shares; ``created``: (rows, 24) typed opportunities, NaN where
    not typed; ``timeline_monthly``: (rows, stages, 24); ``required_monthly``: (rows,
    stages, 12); ``opportunity_rate``: (rows,) the plan's opportunity-to-customer rate;
    ``rows`` labels the rows in errors. Raises :class:`~kpi_engine.KPIInputError` for a bad
    curve or a negative count, naming ``curve[k]`` or ``generated[j]`` and the row.
    """
    count = len(curves)
    shares = np.zeros((count, CURVE_MONTHS))
    shares[:, : np.shape(curves)[1]] = curves
    planned = np.asarray(timeline_monthly, dtype=float)[:, -2, :]
    typed = np.asarray(created, dtype=float)
    counted = np.where(np.isnan(typed), planned, typed)
    needed = np.asarray(required_monthly, dtype=float)[:, -1, :]
    labels = pd.RangeIndex(count) if rows is None else pd.Index(rows)
    table = pd.DataFrame(np.hstack([counted, shares]), index=labels)
    closes = kpi_engine.frame.expected_closes(
        table, generated=[table[j] for j in range(24)],
        curve=[table[24 + k] for k in range(CURVE_MONTHS)],
    ).to_numpy()  # fmt: skip
    expected = closes[:, 12:]
    gap = rounded_gap(expected, needed)  # as the sheet's ROUND(expected - needed, 6)
    total = added_up(shares)
    check = np.where(total > 1, _CHECK_TEXT["over"], np.where(total == 0, _CHECK_TEXT["zero"], ""))
    return {
        "CloseRateTotal": total,
        "PlanOpportunityRate": np.asarray(opportunity_rate, dtype=float),
        "PipelineCheck": check.astype(object),
        "CurveReversed": shares[:, ::-1],
        "OpportunitiesPlanned": planned,
        "OpportunitiesCounted": counted,
        "ExpectedCloses": expected,
        "ClosesNeeded": needed,
        "PipelineGap": gap,
        "PipelineGapRunning": running_totals(gap),
        "ExpectedYear": added_up(expected),
        "NeededYear": added_up(needed),
        "GapYear": added_up(gap),
        "PipelineCoverage": pipeline_coverage(expected, needed),
    }


def one_plan(outputs: dict[str, np.ndarray]) -> dict[str, object]:
    """The outputs of :func:`pipeline_outputs` for one plan: its first row."""
    first = {name: values[0] for name, values in outputs.items()}
    return {name: value.item() if isinstance(value, np.generic) else value
            for name, value in first.items()}  # fmt: skip
