"""The tracking sheets of the plan workbook: "Actuals" and "Diagnosis", defined as data.

Actuals is a monthly grid per stage plus spend, typed in. Diagnosis compares the months
closed so far with the plan, stage by stage, and names the focus area with the playbook's
advice, in live formulas. :func:`diagnosis_outputs` is the same computation by
:func:`kpi_engine.diagnose`; the tests evaluate the formulas independently and compare.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

import kpi_engine
from kpi_engine import TRAFFIC, play_templates
from kpi_planner.workbook.a1 import column_letter
from kpi_planner.workbook.sheets.plan.layout import (
    MONEY,
    MONTH_COLUMNS,
    PERCENT,
    PLAN,
    PlanGrid,
    period_labels,
)
from kpi_planner.workbook.sheets.tracking.goals import (
    EXAMPLE,
    GOAL_ROWS,
    GOALS,
    NOT_SMART,
    GoalRow,
    goal_outputs,
    goals_sheet,
)
from kpi_planner.workbook.spec import BarChart, Cell, Name, Sheet, Validation

__all__ = [  # the Goals sheet's names too, for the callers that know them from here
    "ACTUALS",
    "DIAGNOSIS",
    "EXAMPLE",
    "GOALS",
    "GOAL_ROWS",
    "NOT_SMART",
    "NO_ACTUALS",
    "ON_PLAN",
    "GoalRow",
    "TrackingGrid",
    "TrackingInputs",
    "actuals_sheet",
    "diagnosis_outputs",
    "diagnosis_sheet",
    "goal_outputs",
    "goals_sheet",
]  # fmt: skip

ACTUALS = "Actuals"
DIAGNOSIS = "Diagnosis"
ON_PLAN = "on plan"
NO_ACTUALS = "no actuals yet"
#: Volumes typed in and added up: whole counts; a zero (nothing closed yet) shows "-".
COUNT = "#,##0;-#,##0;-"
#: Where Diagnosis says what to do until a month is closed.
HINT = "A4"
HINT_TEXT = ("No actuals yet: type each month's volumes and spend on the Actuals sheet, "
             "then set its Months with actuals.")  # fmt: skip
#: The playbook's two texts span these columns, so they read on one or two lines.
ACTION_COLUMNS, KPI_COLUMNS = ("B", "E"), ("F", "I")


@dataclass(frozen=True)
class TrackingInputs:
    """What the team types in as the year goes: actuals per month, and how to judge them."""

    months_closed: int = 0  # 0: nothing typed in yet
    actual_volumes: tuple[tuple[float, ...], ...] = ()  # stages x 12 months; () for none
    actual_spend: tuple[float, ...] = (0.0,) * 12
    tolerance: float = 0.1
    benchmarks: dict[str, float] = field(default_factory=dict)  # transition -> rate
    goals: tuple = ()  # GoalRow, one per goal
    goal_tolerance: float = 0.1
    as_of: object = None  # the day goals are judged on; None: today
    #: (entry volume, customers, spend) to date per channel row of the Channels sheet
    channel_actuals: tuple = ()


@dataclass(frozen=True)
class TrackingGrid:
    """Where things sit on the two sheets, for ``stages`` stages."""

    stages: int
    month_numbers_row: int = 6  # Actuals: 1..12 above the grid, for year-to-date sums
    first_actual_row: int = 7
    first_diagnosis_row: int = 6

    @property
    def spend_row(self) -> int:
        return self.first_actual_row + self.stages

    @property
    def focus_row(self) -> int:
        return self.first_diagnosis_row + self.stages + 1

    @property
    def playbook_row(self) -> int:
        return self.focus_row + 6

    @property
    def monthly_header_row(self) -> int:
        """Attainment by month, below the playbook (traffic and one row per conversion)."""
        return self.playbook_row + self.stages + 2


def actuals_sheet(stages: Sequence[str], tracking: TrackingInputs) -> tuple[Sheet, list[Name]]:
    """The "Actuals" sheet: months closed, then volumes per stage and spend per month."""
    n = len(stages)
    grid, plan_grid = TrackingGrid(n), PlanGrid(n)
    cells = [
        Cell("A1", "Actuals", "title"),
        Cell(
            "A2",
            "Type each month's volumes and spend in the yellow cells; Diagnosis "
            "compares the months closed with the plan.",
            "note",
        ),
        Cell("A3", "Months with actuals", "label"),
        Cell("B3", tracking.months_closed, "input", "0"),
        Cell("C3", "From the plan year's first month: 3 = January to March.", "note"),
        Cell("A5", "Stage", "header"),
        Cell("B5", None, "header"),
        Cell(f"A{grid.month_numbers_row}", "Month number", "note"),
    ]
    for m, (column, label) in enumerate(zip(MONTH_COLUMNS, period_labels(12), strict=True)):
        cells.append(Cell(f"{column}5", label, "header"))
        cells.append(Cell(f"{column}{grid.month_numbers_row}", m + 1, "note", "0"))
    for i in range(n):
        row = grid.first_actual_row + i
        cells.append(Cell(f"A{row}", f"={PLAN}!A{plan_grid.first_stage_row + i}", "formula"))
        values = tracking.actual_volumes[i] if tracking.actual_volumes else (None,) * 12
        cells += [
            Cell(f"{column}{row}", values[m], "input", COUNT)
            for m, column in enumerate(MONTH_COLUMNS)
        ]
    cells.append(Cell(f"A{grid.spend_row}", "Marketing spend", "label"))
    cells += [
        Cell(f"{column}{grid.spend_row}", tracking.actual_spend[m], "input", MONEY)
        for m, column in enumerate(MONTH_COLUMNS)
    ]
    last = grid.first_actual_row + n - 1
    names = [
        Name("MonthsClosed", ACTUALS, "$B$3", "How many months, from the first, have actuals."),
        Name("ActualVolumes", ACTUALS, f"$C${grid.first_actual_row}:$N${last}",
             "Actual volume of each stage in each month."),
        Name("ActualSpend", ACTUALS, f"$C${grid.spend_row}:$N${grid.spend_row}",
             "Actual marketing spend of each month."),
    ]  # fmt: skip
    validations = (
        Validation("B3", "whole", "between", "0", "12", error="A number of months, 0 to 12."),
        Validation(f"C{grid.first_actual_row}:N{grid.spend_row}", "decimal",
                   "greaterThanOrEqual", "0", error="Volumes and spend are 0 or more."),
    )  # fmt: skip
    widths = {"A": 24, "B": 10} | {column: 11 for column in MONTH_COLUMNS}
    sheet = Sheet(ACTUALS, tuple(cells), column_widths=widths, freeze="C6",
                  validations=validations, print_area=f"A1:N{grid.spend_row}")  # fmt: skip
    return sheet, names


def _ytd(source_sheet: str, row: int) -> str:
    """Sum of a month row over the months closed (the month numbers sit on Actuals)."""
    numbers = (
        f"{ACTUALS}!$C${TrackingGrid(1).month_numbers_row}:$N${TrackingGrid(1).month_numbers_row}"
    )
    return f'SUMIF({numbers},"<="&MonthsClosed,{source_sheet}!$C${row}:$N${row})'


def diagnosis_sheet(stages: Sequence[str], tracking: TrackingInputs) -> tuple[Sheet, list[Name]]:
    """The "Diagnosis" sheet: year to date vs plan per stage, and the focus area."""
    n = len(stages)
    grid, plan_grid = TrackingGrid(n), PlanGrid(n)
    transitions = kpi_engine.transition_names(stages)
    first, last = grid.first_diagnosis_row, grid.first_diagnosis_row + n - 1
    cells = [
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
    headers = ["Stage", "Planned to date", "Actual to date", "Attainment",
               "Plan rate to next", "Benchmark rate", "Actual rate to next", "Rate attainment",
               "Rate short?"]  # fmt: skip
    cells += [Cell(f"{column_letter(1 + i)}5", h, "header") for i, h in enumerate(headers)]
    for i in range(n):
        row = first + i
        cells += [
            Cell(f"A{row}", f"={ACTUALS}!A{grid.first_actual_row + i}", "formula"),
            Cell(f"B{row}", f"={_ytd(PLAN, plan_grid.first_monthly_row + i)}", "formula", COUNT),
            Cell(f"C{row}", f"={_ytd(ACTUALS, grid.first_actual_row + i)}", "output", COUNT),
            Cell(f"D{row}", f'=IFERROR(C{row}/B{row},"")', "output", PERCENT),
        ]
        if i < n - 1:
            benchmark = tracking.benchmarks.get(transitions[i])
            cells += [
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
                ),
            ]
    # The focus area: traffic first, then the first short rate, top down.
    focus = f'"{ON_PLAN}"'
    for i in reversed(range(n - 1)):
        row = first + i
        focus = f'IF(I{row},A{row}&" -> "&A{row + 1},{focus})'
    traffic = f"AND(B{first}>0,C{first}<B{first}*(1-FocusTolerance))"
    focus = f'=IF(MonthsClosed=0,"{NO_ACTUALS}",IF({traffic},"{TRAFFIC}",{focus}))'
    kpis = KPI_COLUMNS[0]
    table = f"$A${grid.playbook_row + 1}:${KPI_COLUMNS[1]}${grid.playbook_row + n}"
    kpi_index = ord(kpis) - ord("A") + 1  # the KPIs' column within the table
    f = grid.focus_row
    cells += [
        Cell(f"A{f}", "Focus area", "header"),
        Cell(f"B{f}", focus, "output"),
        Cell(f"A{f + 1}", "What to do", "label"),
        Cell(f"B{f + 1}", f'=IFERROR(VLOOKUP(B{f},{table},2,FALSE),"")', "formula"),
        Cell(f"A{f + 2}", "KPIs to watch", "label"),
        Cell(f"B{f + 2}", f'=IFERROR(VLOOKUP(B{f},{table},{kpi_index},FALSE),"")', "formula"),
        Cell(f"A{grid.playbook_row}", "Playbook: edit to fit your team", "header"),
        Cell(f"B{grid.playbook_row}", "What to do", "header"),
        Cell(f"{kpis}{grid.playbook_row}", "KPIs to watch", "header"),
    ]
    merged = [f"{ACTION_COLUMNS[0]}{grid.playbook_row}:{ACTION_COLUMNS[1]}{grid.playbook_row}",
              f"{kpis}{grid.playbook_row}:{KPI_COLUMNS[1]}{grid.playbook_row}"]  # fmt: skip
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
    # Month by month: each stage's attainment, and what each stage cost to date.
    monthly_header = grid.monthly_header_row
    cells += [Cell(f"A{monthly_header}", "Attainment by month", "header"),
              Cell(f"B{monthly_header}", "Cost per unit to date", "header")]  # fmt: skip
    cells += [
        Cell(f"{column}{monthly_header}", label, "header")
        for column, label in zip(MONTH_COLUMNS, period_labels(12), strict=True)
    ]
    spend = _ytd(ACTUALS, grid.spend_row)
    for i in range(n):
        row = monthly_header + 1 + i
        actual_row, plan_row = grid.first_actual_row + i, plan_grid.first_monthly_row + i
        cells += [
            Cell(f"A{row}", f"=A{first + i}", "formula"),
            Cell(f"B{row}", f'=IFERROR({spend}/C{first + i},"")', "formula", "#,##0.00"),
        ]
        cells += [
            Cell(f"{column}{row}", f'=IF({m + 1}>MonthsClosed,"",'
                 f'IFERROR({ACTUALS}!{column}{actual_row}/{PLAN}!{column}{plan_row},""))',
                 "formula", PERCENT)
            for m, column in enumerate(MONTH_COLUMNS)
        ]  # fmt: skip
    monthly_first, monthly_last = monthly_header + 1, monthly_header + n
    # Quarter by quarter, over the months closed within each quarter.
    quarter_header = monthly_last + 2
    cells.append(Cell(f"A{quarter_header}", "Attainment by quarter", "header"))
    cells += [Cell(f"{column_letter(3 + q)}{quarter_header}", label, "header")
              for q, label in enumerate(period_labels(4))]  # fmt: skip
    numbers_row = grid.month_numbers_row
    for i in range(n):
        row = quarter_header + 1 + i
        actual_row, plan_row = grid.first_actual_row + i, plan_grid.first_monthly_row + i
        cells.append(Cell(f"A{row}", f"=A{first + i}", "formula"))
        for q in range(4):
            first_month, last_month = MONTH_COLUMNS[3 * q], MONTH_COLUMNS[3 * q + 2]
            numbers = f"{ACTUALS}!${first_month}${numbers_row}:${last_month}${numbers_row}"
            closed = f'SUMIF({numbers},"<="&MonthsClosed,'
            actual = f"{closed}{ACTUALS}!{first_month}{actual_row}:{last_month}{actual_row})"
            planned = f"{closed}{PLAN}!{first_month}{plan_row}:{last_month}{plan_row})"
            cells.append(Cell(f"{column_letter(3 + q)}{row}",
                              f'=IF({3 * q + 1}>MonthsClosed,"",IFERROR({actual}/{planned},""))',
                              "formula", PERCENT))  # fmt: skip
    quarter_first, quarter_last = quarter_header + 1, quarter_header + n
    names = [
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
        Name("FocusArea", DIAGNOSIS, f"$B${f}", "The stage to fix first, or 'on plan'."),
        Name("Playbook", DIAGNOSIS, table, "What to do for each focus area."),
    ]  # fmt: skip
    chart_row = quarter_last + 2  # below the tables, over nothing
    chart = BarChart(
        title="Planned vs actual, to date (log scale)",
        categories=f"$A${first}:$A${last}",
        values=f"$B${first}:$B${last}",
        anchor=f"A{chart_row}",
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
    heights = {5: 30, monthly_header: 30}
    heights |= {grid.playbook_row + 1 + i: 30 for i in range(n)}
    sheet = Sheet(DIAGNOSIS, tuple(cells), column_widths=widths, row_heights=heights,
                  freeze="B6", validations=validations, charts=(chart,), merged=tuple(merged),
                  print_area=f"A1:N{chart_row + 16}")  # fmt: skip
    return sheet, names


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


def diagnosis_outputs(
    monthly_plan: np.ndarray, stages: Sequence[str], rates: Sequence[float],
    tracking: TrackingInputs,
) -> dict[str, object]:  # fmt: skip
    """The engine's value of every output of the Diagnosis sheet, by defined name, for the
    plan's monthly volumes, its stages and its ``rates``."""
    result = kpi_engine.diagnose(
        monthly_plan, tracking.actual_volumes, tracking.months_closed,
        tolerance=tracking.tolerance, benchmarks=tracking.benchmarks or None, stages=stages,
        rates=rates,
    )  # fmt: skip
    months = tracking.months_closed
    actual = np.asarray(tracking.actual_volumes, dtype=float)
    spend = sum(tracking.actual_spend[:months])
    monthly = np.full(actual.shape, "", dtype=object)
    for i, m in np.ndindex(actual.shape):
        if m < months and monthly_plan[i, m] > 0:
            monthly[i, m] = kpi_engine.attainment(actual[i, m], monthly_plan[i, m])
    cost = [kpi_engine.cost_per(spend, volume) if volume > 0 else "" for volume in result.actual]
    quarterly = np.full((actual.shape[0], 4), "", dtype=object)
    for i, q in np.ndindex(quarterly.shape):
        closed = [m for m in range(3 * q, 3 * q + 3) if m < months]
        planned = monthly_plan[i, closed].sum() if closed else 0.0
        if closed and planned > 0:
            quarterly[i, q] = kpi_engine.attainment(actual[i, closed].sum(), planned)
    return {
        "AttainmentQuarterly": quarterly,
        "AttainmentMonthly": monthly,
        "CostPerStageToDate": np.array(cost, dtype=object),
        "PlannedToDate": result.planned,
        "ActualToDate": result.actual,
        "AttainmentToDate": result.attainment,
        "PlannedRates": result.planned_rates,
        "ActualRates": result.actual_rates,
        "FocusArea": ON_PLAN if result.focus is None else result.focus.where,
    }
