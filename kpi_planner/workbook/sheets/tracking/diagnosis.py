"""The "Diagnosis" sheet of the plan workbook, defined as data.

It compares the months closed so far (the Actuals sheet) with the plan, stage by stage,
and names the focus area with the playbook's advice, in live formulas; then each stage's
attainment by month and by quarter. :func:`.layout.diagnosis_outputs` is the same
computation by :func:`kpi_engine.diagnose`; the tests evaluate the formulas independently
and compare.
"""

from __future__ import annotations

import string
from collections.abc import Sequence

import kpi_engine
from kpi_engine import TRAFFIC, play_templates
from kpi_planner.workbook.a1 import column_letter
from kpi_planner.workbook.sheets.number_formats import PERCENT
from kpi_planner.workbook.sheets.plan.grid import MONTH_COLUMNS, PLAN, PlanGrid
from kpi_planner.workbook.sheets.tracking.grid import (
    ACTION_COLUMNS,
    ACTUALS,
    COUNT,
    DIAGNOSIS,
    HINT,
    HINT_TEXT,
    KPI_COLUMNS,
    NO_ACTUALS,
    ON_PLAN,
    TrackingGrid,
    TrackingInputs,
    month_header,
    quarter_header,
)
from kpi_planner.workbook.spec import BarChart, Cell, Name, Sheet, Validation


def diagnosis_sheet(stages: Sequence[str], tracking: TrackingInputs) -> tuple[Sheet, list[Name]]:
    """The "Diagnosis" sheet: year to date vs plan per stage, and the focus area."""
    grid = TrackingGrid(len(stages))
    cells = _heading_cells(tracking)
    cells += _to_date_cells(stages, tracking, grid)
    cells += _focus_cells(grid)
    playbook, merged = _playbook_cells(stages, grid)
    cells += playbook
    cells += _monthly_cells(grid)
    cells += _quarterly_cells(grid)
    return _sheet(grid, cells, merged), _names(grid)


def _ytd(source_sheet: str, row: int) -> str:
    """Sum of a month row over the months closed (the month numbers sit on Actuals)."""
    numbers = (
        f"{ACTUALS}!$C${TrackingGrid(1).month_numbers_row}:$N${TrackingGrid(1).month_numbers_row}"
    )
    return f'SUMIF({numbers},"<="&MonthsClosed,{source_sheet}!$C${row}:$N${row})'


def _heading_cells(tracking: TrackingInputs) -> list[Cell]:
    """The title, what the sheet does, the tolerance and the hint until a month is closed."""
    return [
        Cell("A1", "Diagnosis", "title"),
        Cell(
            "A2",
            "The months closed against the plan. The focus area is the first stage, "
            "top down, that falls short by more than the tolerance.",
            "note",
        ),
        Cell("A3", "Tolerance", "label"),
        Cell("B3", tracking.tolerance, "input", PERCENT),
        Cell("C3", "0.1: a rate may fall to 90 % of plan before it is the focus.", "note"),
        Cell(HINT, f'=IF(MonthsClosed=0,"{HINT_TEXT}","")', "note"),
    ]


def _to_date_cells(
    stages: Sequence[str], tracking: TrackingInputs, grid: TrackingGrid
) -> list[Cell]:
    """Each stage's volume to date, planned and actual, and its rate into the next."""
    n = len(stages)
    plan_grid = PlanGrid(n)
    transitions = kpi_engine.transition_names(stages)
    headers = ["Stage", "Planned to date", "Actual to date", "Attainment",
               "Plan rate to next", "Benchmark rate", "Actual rate to next", "Rate attainment",
               "Rate short?"]  # fmt: skip
    cells = [Cell(f"{column_letter(1 + i)}5", h, "header") for i, h in enumerate(headers)]
    for i in range(n):
        row = grid.first_diagnosis_row + i
        cells += [
            Cell(f"A{row}", f"={ACTUALS}!A{grid.first_actual_row + i}", "formula"),
            Cell(f"B{row}", f"={_ytd(PLAN, plan_grid.first_monthly_row + i)}", "formula", COUNT),
            Cell(f"C{row}", f"={_ytd(ACTUALS, grid.first_actual_row + i)}", "output", COUNT),
            Cell(f"D{row}", f'=IFERROR(C{row}/B{row},"")', "output", PERCENT),
        ]
        if i < n - 1:
            cells += _rate_cells(row, i, tracking.benchmarks.get(transitions[i]))
    return cells


#: A TRUE or FALSE as LibreOffice shows it (a number there): yes or no. Excel shows its own
#: TRUE and FALSE, which no number format changes.
YES_NO = '"yes";"yes";"no"'


def _rate_cells(row: int, i: int, benchmark: float | None) -> list[Cell]:
    """The ``i``-th stage's rate into the next: planned, benchmark, actual, and if short."""
    return [
        Cell(
            f"E{row}",
            # the plan's rate (not the ratio of whole numbers planned to date, a
            # rounding artefact); a benchmark typed in F replaces it; nothing is
            # judged before actuals
            f'=IF(MonthsClosed=0,"",IF(ISNUMBER(F{row}),F{row},INDEX(StageRates,{i + 1})))',
            "formula",
            PERCENT,
        ),
        Cell(f"F{row}", benchmark, "input", PERCENT),
        Cell(f"G{row}", f'=IFERROR(C{row + 1}/C{row},"")', "formula", PERCENT),
        Cell(f"H{row}", f'=IFERROR(G{row}/E{row},"")', "output", PERCENT),
        # kpi_engine.focus_area: no rate to judge when nothing entered the stage
        Cell(
            f"I{row}",
            f"=IF(OR(C{row}=0,B{row}=0),FALSE,G{row}<E{row}*(1-FocusTolerance))",
            "formula",
            YES_NO,
        ),
    ]


def _focus_formula(grid: TrackingGrid) -> str:
    """The focus area: traffic first, then the first short rate, top down."""
    first = grid.first_diagnosis_row
    focus = f'"{ON_PLAN}"'
    for i in reversed(range(grid.stages - 1)):
        row = first + i
        focus = f'IF(I{row},A{row}&" -> "&A{row + 1},{focus})'
    traffic = f"AND(B{first}>0,C{first}<B{first}*(1-FocusTolerance))"
    return f'=IF(MonthsClosed=0,"{NO_ACTUALS}",IF({traffic},"{TRAFFIC}",{focus}))'


def _playbook_range(grid: TrackingGrid) -> str:
    """The playbook's table: each focus area, what to do and the KPIs to watch."""
    return f"$A${grid.playbook_row + 1}:${KPI_COLUMNS[1]}${grid.playbook_row + grid.stages}"


def _focus_cells(grid: TrackingGrid) -> list[Cell]:
    """The focus area with the playbook's advice for it, and the playbook's headers."""
    kpis = KPI_COLUMNS[0]
    table = _playbook_range(grid)
    kpi_index = ord(kpis) - ord("A") + 1  # the KPIs' column within the table
    f = grid.focus_row
    return [
        Cell(f"A{f}", "Focus area", "header"),
        Cell(f"B{f}", _focus_formula(grid), "output"),
        Cell(f"A{f + 1}", "What to do", "label"),
        Cell(f"B{f + 1}", f'=IFERROR(VLOOKUP(B{f},{table},2,FALSE),"")', "formula"),
        Cell(f"A{f + 2}", "KPIs to watch", "label"),
        Cell(f"B{f + 2}", f'=IFERROR(VLOOKUP(B{f},{table},{kpi_index},FALSE),"")', "formula"),
        Cell(f"A{grid.playbook_row}", "Playbook: edit to fit your team", "header"),
        Cell(f"B{grid.playbook_row}", "What to do", "header"),
        Cell(f"{kpis}{grid.playbook_row}", "KPIs to watch", "header"),
    ]


def _playbook_cells(stages: Sequence[str], grid: TrackingGrid) -> tuple[list[Cell], list[str]]:
    """The playbook's rows, and the merged ranges its texts (and headers) span."""
    first, kpis = grid.first_diagnosis_row, KPI_COLUMNS[0]
    merged = [f"{ACTION_COLUMNS[0]}{grid.playbook_row}:{ACTION_COLUMNS[1]}{grid.playbook_row}",
              f"{kpis}{grid.playbook_row}:{KPI_COLUMNS[1]}{grid.playbook_row}"]  # fmt: skip
    cells = []
    # The conversions and the advice name the stages by formula, so renamed stages carry over.
    for offset, play in enumerate(play_templates(stages).values()):
        row = grid.playbook_row + 1 + offset
        upper, lower = f"A{first + max(offset - 1, 0)}", f"A{first + offset}"
        where = TRAFFIC if offset == 0 else f'={upper}&" -> "&{lower}'
        cells += [
            Cell(f"A{row}", where, "label" if offset == 0 else "formula"),
            _advice(f"B{row}", play.action, upper, lower),
            _advice(f"{kpis}{row}", ", ".join(play.kpis), upper, lower),
        ]
        merged += [f"B{row}:{ACTION_COLUMNS[1]}{row}", f"{kpis}{row}:{KPI_COLUMNS[1]}{row}"]
    return cells, merged


def _advice(ref: str, template: str, upper: str, lower: str) -> Cell:
    """A playbook text as typed-in text, or, where it names a stage (``{upper}``,
    ``{lower}``), a formula joining the text with the stage's cell."""
    parts = []
    for literal, field_name, _, _ in string.Formatter().parse(template):
        if literal:
            parts.append('"' + literal.replace('"', '""') + '"')
        if field_name:
            parts.append(upper if field_name == "upper" else lower)
    if len(parts) == 1 and parts[0].startswith('"'):
        return Cell(ref, template, "input", wrap=True)
    return Cell(ref, "=" + "&".join(parts), "formula", wrap=True)


def _monthly_cells(grid: TrackingGrid) -> list[Cell]:
    """Month by month: each stage's attainment, and what each stage cost to date."""
    first, plan_grid = grid.first_diagnosis_row, PlanGrid(grid.stages)
    monthly_header = grid.monthly_header_row
    cells = [Cell(f"A{monthly_header}", "Attainment by month", "header"),
             Cell(f"B{monthly_header}", "Cost per unit to date", "header")]  # fmt: skip
    cells += [Cell(f"{column}{monthly_header}", month_header(m), "header")
              for m, column in enumerate(MONTH_COLUMNS)]  # fmt: skip
    spend = _ytd(ACTUALS, grid.spend_row)
    for i in range(grid.stages):
        row = monthly_header + 1 + i
        actual_row, plan_row = grid.first_actual_row + i, plan_grid.first_monthly_row + i
        cells += [
            Cell(f"A{row}", f"=A{first + i}", "formula"),
            Cell(
                f"B{row}", f'=IFERROR({spend}/C{first + i},"")', "formula", "#,##0.00", money=True
            ),
        ]
        cells += [
            Cell(f"{column}{row}", f'=IF({m + 1}>MonthsClosed,"",'
                 f'IFERROR({ACTUALS}!{column}{actual_row}/{PLAN}!{column}{plan_row},""))',
                 "formula", PERCENT)
            for m, column in enumerate(MONTH_COLUMNS)
        ]  # fmt: skip
    return cells


def _quarterly_cells(grid: TrackingGrid) -> list[Cell]:
    """Quarter by quarter, over the months closed within each quarter."""
    first, plan_grid = grid.first_diagnosis_row, PlanGrid(grid.stages)
    header_row = grid.quarterly_header_row
    cells = [Cell(f"A{header_row}", "Attainment by quarter", "header")]
    cells += [Cell(f"{column_letter(3 + q)}{header_row}", quarter_header(q), "header")
              for q in range(4)]  # fmt: skip
    for i in range(grid.stages):
        row = header_row + 1 + i
        actual_row, plan_row = grid.first_actual_row + i, plan_grid.first_monthly_row + i
        cells.append(Cell(f"A{row}", f"=A{first + i}", "formula"))
        for q in range(4):
            formula = _quarter_attainment(grid, q, actual_row, plan_row)
            cells.append(Cell(f"{column_letter(3 + q)}{row}", formula, "formula", PERCENT))
    return cells


def _quarter_attainment(grid: TrackingGrid, q: int, actual_row: int, plan_row: int) -> str:
    """Actual / planned over the months closed of quarter ``q`` (0-based)."""
    numbers_row = grid.month_numbers_row
    first_month, last_month = MONTH_COLUMNS[3 * q], MONTH_COLUMNS[3 * q + 2]
    numbers = f"{ACTUALS}!${first_month}${numbers_row}:${last_month}${numbers_row}"
    closed = f'SUMIF({numbers},"<="&MonthsClosed,'
    actual = f"{closed}{ACTUALS}!{first_month}{actual_row}:{last_month}{actual_row})"
    planned = f"{closed}{PLAN}!{first_month}{plan_row}:{last_month}{plan_row})"
    return f'=IF({3 * q + 1}>MonthsClosed,"",IFERROR({actual}/{planned},""))'


def _names(grid: TrackingGrid) -> list[Name]:
    """The sheet's defined names."""
    first, last, n = grid.first_diagnosis_row, grid.last_diagnosis_row, grid.stages
    monthly_first, monthly_last = grid.monthly_header_row + 1, grid.monthly_header_row + n
    quarter_first, quarter_last = grid.quarterly_header_row + 1, grid.quarterly_header_row + n
    return [
        Name("AttainmentQuarterly", DIAGNOSIS, f"$C${quarter_first}:$F${quarter_last}",
             "Actual / planned, each stage and quarter, over the months closed."),
        Name("AttainmentMonthly", DIAGNOSIS, f"$C${monthly_first}:$N${monthly_last}",
             "Actual / planned, each stage and month closed."),
        Name("CostPerStageToDate", DIAGNOSIS, f"$B${monthly_first}:$B${monthly_last}",
             "Actual spend to date / actual volume to date: CPL, cost per MQL..."),
        Name("FocusTolerance", DIAGNOSIS, "$B$3", "How far below plan still counts as on plan."),
        Name("PlannedToDate", DIAGNOSIS, f"$B${first}:$B${last}", "Planned volume, to date."),
        Name("ActualToDate", DIAGNOSIS, f"$C${first}:$C${last}", "Actual volume, to date."),
        Name("AttainmentToDate", DIAGNOSIS, f"$D${first}:$D${last}", "Actual / planned."),
        Name("PlannedRates", DIAGNOSIS, f"$E${first}:$E${last - 1}",
             "The plan's (or the benchmark's) rate of each stage into the next."),
        Name("ActualRates", DIAGNOSIS, f"$G${first}:$G${last - 1}", "Actual rates, to date."),
        Name("FocusArea", DIAGNOSIS, f"$B${grid.focus_row}",
             "The stage to fix first, or 'on plan'."),
        Name("Playbook", DIAGNOSIS, _playbook_range(grid), "What to do for each focus area."),
    ]  # fmt: skip


def _sheet(grid: TrackingGrid, cells: list[Cell], merged: list[str]) -> Sheet:
    """The sheet of ``cells``, with its chart, validations, widths and heights."""
    first, last = grid.first_diagnosis_row, grid.last_diagnosis_row
    chart = BarChart(
        title="Planned vs actual, to date (log scale)",
        categories=f"$A${first}:$A${last}",
        values=f"$B${first}:$B${last}",
        anchor=f"A{grid.chart_row}",
        series_title="Planned",
        more_series=((f"$C${first}:$C${last}", "Actual"),),
        log_scale=True,
        axis_min=1,
    )
    validations = (
        Validation("B3", "decimal", "between", "0", "1", error="A fraction, e.g. 0.1 for 10 %."),
        Validation(f"F{first}:F{last - 1}", "decimal", "between", "0", "1",
                   error="A rate is a fraction between 0 and 1: 15 % is 0.15."),
    )  # fmt: skip
    widths = {"A": 28, "B": 16, "C": 16, "D": 13, "E": 14, "F": 14, "G": 14, "H": 14, "I": 11}
    # Wrapped headers on two lines; each playbook row tall enough for two lines of advice.
    heights = {5: 30, grid.monthly_header_row: 30}
    heights |= {grid.playbook_row + 1 + i: 30 for i in range(grid.stages)}
    return Sheet(DIAGNOSIS, tuple(cells), column_widths=widths, row_heights=heights,
                 freeze="B6", validations=validations, charts=(chart,), merged=tuple(merged),
                 # To date and the playbook on a page; by month, by quarter and the chart.
                 print_area=f"A1:N{grid.monthly_header_row - 2},"
                 f"A{grid.monthly_header_row}:N{grid.chart_row + 16}")  # fmt: skip
