"""The engine's value of every formula cell of the "Company" sheet, written next to each
formula as its cached result (previews and ``pandas.read_excel`` show numbers before
anything recalculates).

Every number comes from :func:`kpi_planner.company.plan.company_plan`'s
:class:`~kpi_planner.company.plan.CompanyPlan`; the tests evaluate the sheet's formulas
independently and compare them with these.
"""

from __future__ import annotations

import math

from kpi_planner.company.inputs import CompanyInputs
from kpi_planner.company.plan import CompanyPlan
from kpi_planner.workbook.sheets.company.grid import (
    COLUMN,
    FUNNEL_ROWS,
    GOAL_CHECK_ROW,
    SEGMENT_ROWS,
    SEGMENTS_CHECK_ROW,
    TOTAL_ROW,
    CompanyGrid,
    goal_result_ref,
)

CellValue = float | str


def company_values(
    company: CompanyInputs, plan: CompanyPlan, grid: CompanyGrid
) -> dict[str, CellValue]:
    """The value of each formula cell of the sheet, by reference (empty text for a cell
    the sheet leaves empty: an unused segment row, a stage a funnel does not have)."""
    values = _goal_values(plan) | _segment_values(company, plan) | _funnel_values(plan, grid)
    return values | _rollup_values(plan, grid)


def _goal_values(plan: CompanyPlan) -> dict[str, CellValue]:
    bridge = plan.bridge
    by_name = {
        "Expansion": plan.expansion,
        "ChurnAndContraction": bridge.churn_and_contraction if bridge else "",
        "NewLogoGoal": plan.new_logo_goal,
        "EndingARR": bridge.ending_arr if bridge else "",
        "TotalRevenueGoal": plan.revenue_goal,
    }
    return {goal_result_ref(name): value for name, value in by_name.items()} | {
        f"B{GOAL_CHECK_ROW}": ""
    }


def _segment_values(company: CompanyInputs, plan: CompanyPlan) -> dict[str, CellValue]:
    values: dict[str, CellValue] = {}
    computed = ("goal", "customers", "cac", "why")
    for i, row in enumerate(SEGMENT_ROWS):
        if i >= len(plan.segments):
            values |= {f"{COLUMN[key]}{row}": "" for key in computed}
            continue
        segment = plan.segments[i]
        shown = (segment.goal, segment.customers, float(segment.outputs.planned_cac), "")
        values |= {f"{COLUMN[key]}{row}": value for key, value in zip(computed, shown, strict=True)}
    segments = company.segments
    totals = {
        "share": math.fsum(s.share for s in segments if s.share is not None),
        "own_goal": math.fsum(s.plan.revenue_goal for s in segments if s.share is None),
        "goal": math.fsum(s.goal for s in plan.segments),
        "budget": plan.budget,
        "customers": plan.customers,
    }
    values |= {f"{COLUMN[key]}{TOTAL_ROW}": value for key, value in totals.items()}
    return values | {f"B{SEGMENTS_CHECK_ROW}": ""}


def _funnel_values(plan: CompanyPlan, grid: CompanyGrid) -> dict[str, CellValue]:
    values: dict[str, CellValue] = {}
    for i, row in enumerate(FUNNEL_ROWS):
        segment = plan.segments[i] if i < len(plan.segments) else None
        values[f"A{row}"] = segment.segment.name if segment else ""
        volumes = segment.outputs.required_annual if segment else ()
        for k in range(grid.stages):
            values[f"{grid.volume_column(k)}{row}"] = float(volumes[k]) if k < len(volumes) else ""
    return values


def _rollup_values(plan: CompanyPlan, grid: CompanyGrid) -> dict[str, CellValue]:
    costs = plan.cost_per_stage()
    values: dict[str, CellValue] = {}
    for stage, row in zip(plan.stages, grid.rollup_rows, strict=True):
        values |= {
            f"B{row}": plan.annual[stage],
            f"C{row}": float(len(plan.segments) - len(plan.missing.get(stage, ()))),
            f"D{row}": costs[stage],
        }
    return values | {
        f"B{grid.customers_row}": plan.customers,
        f"B{grid.budget_row}": plan.budget,
        f"B{grid.cac_row}": plan.cac,
    }
