"""The "Pipeline" sheet: will the opportunities created close this year's deals in time?

A close-rate curve (typed in, or measured by ``kpi-planner pipeline opportunities.csv``)
says what share of a month's opportunities is won in that month, one month later, ... The
sheet takes the opportunities the plan's timeline creates each month (the 12 months of the
year before and the plan year's), lets the user type real or committed numbers over them,
and computes the deals each plan month can expect: ``SUMPRODUCT`` of the curve, reversed,
with the 13 months of opportunities that end there. Against the plan's customers per month,
that gives each month's surplus or gap, and the year's coverage.

Where everything sits is :mod:`.grid`; :func:`.values.pipeline_outputs` is the same
computation by :func:`kpi_engine.expected_closes` and :func:`kpi_engine.pipeline_gap`; the
tests evaluate the formulas independently and compare. The plan's outputs come in by
defined name, so the Plan sheet and this one know each other only by those names.
"""

from __future__ import annotations

from collections.abc import Sequence

from kpi_planner.workbook.sheets.number_formats import DECIMALS, whole_number_formats
from kpi_planner.workbook.sheets.pipeline.grid import (
    CHECK_TEXT,
    COUNTED_ROW,
    COVERAGE_ROW,
    CREATED_ROW,
    CURVE_COLUMNS,
    CURVE_MONTHS,
    CURVE_ROW,
    EXPECTED_ROW,
    GAP_ROW,
    LABELS_ROW,
    MONTH_COLUMNS,
    NEEDED_ROW,
    PIPELINE,
    PLAN_MONTHS,
    PLANNED_ROW,
    REVERSED_ROW,
    RUNNING_ROW,
    YEAR_COLUMN,
    curve_values,
)
from kpi_planner.workbook.spec import BarChart, Cell, Name, Sheet, Validation

#: Calculated volumes and shares show a zero (a month before any opportunity) as "-".
_VOLUME, _SHARE = "#,##0.0;-#,##0.0;-", "0.0%;-0.0%;-"
#: A row's range over the plan year's 12 months, ``.format(row)``.
_PLAN_SPAN = f"${PLAN_MONTHS[0]}${{0}}:${PLAN_MONTHS[-1]}${{0}}"


def pipeline_sheet(
    stages: int,
    curve: Sequence[float],
    created: Sequence[float | None],
    month_labels: Sequence[str],
    whole_numbers: bool = True,
) -> tuple[Sheet, list[Name]]:
    """The sheet for a plan of ``stages`` stages, with the curve and typed-in opportunities
    (None: not typed, the plan's count is used). ``month_labels``: the cells of the Plan
    sheet's timeline that label its 24 months (``TimelineLabels``' cells). The plan's opportunities
    and deals needed show as whole numbers while the Plan's ``WholeNumbers`` is TRUE
    (``whole_numbers``: whether it is, for a renderer that cannot write that rule)."""
    cells = _curve_cells(stages, curve)
    cells += _opportunity_cells(stages, created, month_labels)
    cells += _deal_cells(stages)
    cells += _year_cells()
    return _sheet(cells, whole_numbers), _names()


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
        cells.append(Cell(f"{column}{PLANNED_ROW}", planned, "formula", DECIMALS))
        typed = created[j] if j < len(created) else None
        cells.append(Cell(f"{column}{CREATED_ROW}", typed, "input", "#,##0.0"))
        cells.append(Cell(f"{column}{COUNTED_ROW}",
                          f'=IF({column}{CREATED_ROW}="",{column}{PLANNED_ROW},'
                          f"{column}{CREATED_ROW})", "formula", _VOLUME))  # fmt: skip  # as typed
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
                 "formula", DECIMALS),
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
        shown = DECIMALS if row == NEEDED_ROW else _VOLUME  # the plan's: whole when it is
        cells.append(Cell(f"{YEAR_COLUMN}{row}", f"=SUM({span})", "output", shown))
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


def _sheet(cells: list[Cell], whole_numbers: bool) -> Sheet:
    """The sheet of ``cells``, with its chart of deals by month, validations and widths."""
    chart = BarChart(
        title="Deals needed and expected by month",
        categories=_PLAN_SPAN.format(LABELS_ROW),
        values=_PLAN_SPAN.format(NEEDED_ROW),
        series_title="Needed",
        more_series=((_PLAN_SPAN.format(EXPECTED_ROW), "Expected"),),
        anchor=f"{PLAN_MONTHS[0]}{COVERAGE_ROW + 2}",  # under the plan year's months
        width_cm=22,
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
                 conditional_formats=whole_number_formats(cells, whole_numbers),
                 print_area=_print_areas(), print_title_columns="A:B")  # fmt: skip


def _print_areas() -> str:
    """The year before's months (and most of the curve) on a page; the plan year's, the
    year's totals and the chart on the next; each with the rows' labels."""
    before, year = MONTH_COLUMNS[11], PLAN_MONTHS[0]
    return f"A1:{before}{COVERAGE_ROW},{year}1:{YEAR_COLUMN}{COVERAGE_ROW + 20}"


def _check_formula() -> str:
    total = "SUM(CloseRateCurve)"
    return f'=IF({total}>1,"{CHECK_TEXT["over"]}",IF({total}=0,"{CHECK_TEXT["zero"]}",""))'
