"""The engine's value of every formula cell of the "Company" sheet, written next to each
formula as its cached result (previews and ``pandas.read_excel`` show numbers before
anything recalculates).

Every number comes from :func:`kpi_planner.company.plan.company_plan`'s
:class:`~kpi_planner.company.plan.CompanyPlan`; the tests evaluate the sheet's formulas
independently and compare them with these.
"""

from __future__ import annotations

import math

from kpi_engine.phasing import period_labels, quarter_weights
from kpi_planner.company.inputs import MAX_SEGMENTS, CompanyInputs
from kpi_planner.company.plan import CompanyPlan
from kpi_planner.workbook.sheets.company.grid import (
    COLUMN,
    FUNNEL_ROWS,
    GOAL_CHECK_ROW,
    MONTH_COLUMNS,
    QUARTER_COLUMNS,
    QUARTER_WEIGHT_COLUMNS,
    SEGMENT_ROWS,
    SEGMENTS_CHECK_ROW,
    TOTAL_ROW,
    YEAR_COLUMN,
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
    values |= _rollup_values(plan, grid) | _seasonality_values(plan, grid)
    return values | _segment_quarter_values(plan, grid) | _company_quarter_values(plan, grid)


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


def _seasonality_values(plan: CompanyPlan, grid: CompanyGrid) -> dict[str, CellValue]:
    """The months' labels (the fiscal year's, as the Plan sheet's), each used row's segment
    name and its quarters' weights (the engine's sums)."""
    start = plan.segments[0].segment.plan.fiscal_year_start  # one calendar per company
    values: dict[str, CellValue] = {
        f"{column}{grid.seasonality_header}": label
        for column, label in zip(MONTH_COLUMNS, period_labels(12, first_month=start), strict=True)
    }
    for i, row in enumerate(grid.seasonality_rows):
        segment = plan.segments[i] if i < len(plan.segments) else None
        weights = quarter_weights(segment.segment.plan.seasonality) if segment else ("",) * 4
        values[f"A{row}"] = segment.segment.name if segment else ""
        values |= {f"{column}{row}": float(w) if segment else ""
                   for column, w in zip(QUARTER_WEIGHT_COLUMNS, weights, strict=True)}  # fmt: skip
    return values


def _segment_quarter_values(plan: CompanyPlan, grid: CompanyGrid) -> dict[str, CellValue]:
    """Each segment's stages by quarter (``required_quarterly``) and year; empty where a
    segment row is unused or its funnel has fewer stages."""
    values: dict[str, CellValue] = {}
    for i in range(MAX_SEGMENTS):
        segment = plan.segments[i] if i < len(plan.segments) else None
        stages = segment.stages if segment else ()
        for k in range(grid.stages):
            row = grid.segment_quarter_row(i, k)
            if segment is None or k >= len(stages):
                refs = ("A", "B", *QUARTER_COLUMNS, YEAR_COLUMN)
                values |= {f"{column}{row}": "" for column in refs}
                continue
            outputs = segment.outputs
            year = float(outputs.required_annual[k])
            values |= {f"A{row}": segment.segment.name, f"B{row}": stages[k],
                       f"{YEAR_COLUMN}{row}": year}  # fmt: skip
            values |= _quarters(row, outputs.required_quarterly[k])
    return values


def _company_quarter_values(plan: CompanyPlan, grid: CompanyGrid) -> dict[str, CellValue]:
    """Each company stage by quarter (the engine's roll-up of the quarters) and its year."""
    values: dict[str, CellValue] = {}
    for stage, row in zip(plan.stages, grid.company_quarter_rows, strict=True):
        values |= {f"B{row}": stage, f"{YEAR_COLUMN}{row}": plan.annual[stage]}
        values |= _quarters(row, plan.quarterly[stage])
    return values


def _quarters(row: int, volumes) -> dict[str, CellValue]:
    return {f"{column}{row}": float(v) for column, v in zip(QUARTER_COLUMNS, volumes, strict=True)}
