"""The tracking sheets of the plan workbook: "Actuals" and "Diagnosis", defined as data.

Actuals is a monthly grid per stage plus spend, typed in. Diagnosis (:mod:`.diagnosis`)
compares the months closed so far with the plan, stage by stage, and names the focus area
with the playbook's advice, in live formulas. :func:`diagnosis_outputs` is the same
computation by :func:`kpi_engine.diagnose`; the tests evaluate the formulas independently
and compare.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

import kpi_engine
from kpi_planner.workbook.sheets.number_formats import MONEY
from kpi_planner.workbook.sheets.plan.grid import MONTH_COLUMNS, PLAN, PlanGrid
from kpi_planner.workbook.sheets.tracking.diagnosis import diagnosis_sheet
from kpi_planner.workbook.sheets.tracking.goals import (
    EXAMPLE,
    GOAL_ROWS,
    GOALS,
    NOT_SMART,
    GoalRow,
    goal_outputs,
    goals_sheet,
)
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
)
from kpi_planner.workbook.spec import Cell, Name, Sheet, Validation

__all__ = [  # the grid's, Diagnosis's and Goals' names too, for the callers that import them here
    "ACTION_COLUMNS",
    "ACTUALS",
    "COUNT",
    "DIAGNOSIS",
    "EXAMPLE",
    "GOALS",
    "GOAL_ROWS",
    "HINT",
    "HINT_TEXT",
    "KPI_COLUMNS",
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
        Cell("C3", "From the plan year's first month: 3 = its first three months.", "note"),
        Cell("A5", "Stage", "header"),
        Cell("B5", None, "header"),
        Cell(f"A{grid.month_numbers_row}", "Month number", "note"),
    ]
    for m, column in enumerate(MONTH_COLUMNS):
        cells.append(Cell(f"{column}5", month_header(m), "header"))
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
        Cell(f"{column}{grid.spend_row}", tracking.actual_spend[m], "input", MONEY, money=True)
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
