"""The "Plan" sheet's volumes in live formulas: the funnel for the year with its quarters,
and the twelve months below it, two blocks of :func:`.layout.plan_sheet`.

In whole numbers a period's volume is what is due by its end less what was due by the end of
the one before, so the periods add up to the year.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from kpi_planner.workbook.a1 import column_letter
from kpi_planner.workbook.sheets.number_formats import UNIT_COST, VOLUME
from kpi_planner.workbook.sheets.plan import fiscal_labels
from kpi_planner.workbook.sheets.plan.grid import (
    MONTH_COLUMNS,
    QUARTER_COLUMNS,
    Block,
    PlanGrid,
    plan_name,
)
from kpi_planner.workbook.sheets.plan.timeline_grid import weights_so_far_cell
from kpi_planner.workbook.sheets.rounding import (
    chained_due,
    customers_due,
    period_volume,
    round_up_if_whole,
)
from kpi_planner.workbook.spec import Cell


def funnel_block(grid: PlanGrid, input_cell: Callable[[str], Cell]) -> Block:
    """The funnel: each stage's rate, volume for the year, cost per unit and its quarters."""
    quarters = (fiscal_labels.quarter(q) for q in range(1, 5))
    headers = ["Stage", "Conversion rate to next stage", "Required for the year",
               "Cost target per unit", *quarters]  # fmt: skip
    cells = [
        Cell(f"{column_letter(1 + i)}{grid.funnel_header}", text, "header")
        for i, text in enumerate(headers)
    ]
    for i in range(grid.stages):
        cells += _funnel_row(grid, input_cell, i)
    first, last = grid.first_stage_row, grid.last_stage_row
    names = [
        plan_name("StageNames", f"$A${first}:$A${last}", "Stage names, top stage first."),
        plan_name("StageRates", f"$B${first}:$B${last - 1}",
                  "Conversion rate of each stage into the next."),
        plan_name("RequiredAnnual", f"$C${first}:$C${last}",
                  "Volume each stage needs in the year."),
        plan_name("CostPerStage", f"$D${first}:$D${last}",
                  "Budget / required volume: CPL, cost per MQL..."),
        plan_name("RequiredQuarterly", f"$E${first}:$H${last}", "Stages x 4 quarters."),
        plan_name("QuarterLabels", f"$E${grid.funnel_header}:$H${grid.funnel_header}",
                  "The quarters: Q1, or Q1 FY2028 in a fiscal year."),
    ]  # fmt: skip
    return Block(cells, names)


def _funnel_row(grid: PlanGrid, input_cell: Callable[[str], Cell], i: int) -> list[Cell]:
    """Stage ``i``'s row of the funnel: name, rate, year, cost per unit, then its quarters."""
    row = grid.first_stage_row + i
    last = i == grid.stages - 1
    cells = [input_cell(f"A{row}")]
    if last:
        cells.append(Cell(f"B{row}", None, "formula"))
        annual = round_up_if_whole("CustomersNeeded")
    else:
        cells.append(input_cell(f"B{row}"))
        annual = round_up_if_whole(f"C{row + 1}/B{row}")
    cells += [
        Cell(f"C{row}", f"={annual}", "output", VOLUME),
        Cell(f"D{row}", f"=MarketingBudget/C{row}", "formula", UNIT_COST, money=True),
    ]
    return cells + _quarter_cells(grid, row, last)


def _quarter_cells(grid: PlanGrid, row: int, last: bool) -> list[Cell]:
    """A funnel row's four quarters: each its share of the year (whole: what is due by its end,
    less what was due before)."""
    weights = grid.weights_row
    due = _due(last, row, QUARTER_COLUMNS, partial(weights_so_far_cell, grid.timeline))
    cells = []
    for q, column in enumerate(QUARTER_COLUMNS):
        if last:
            months = f"${MONTH_COLUMNS[3 * q]}${weights}:${MONTH_COLUMNS[3 * q + 2]}${weights}"
            share = f"CustomersNeeded*SUM({months})/SUM(SeasonalityWeights)"
        else:
            share = f"{column}{row + 1}/$B{row}"
        volume = period_volume(share, due(q, 3 * q + 2), due(q - 1, 3 * q - 1) if q else None)
        cells.append(Cell(f"{column}{row}", f"={volume}", "formula", VOLUME))
    return cells


def months_block(grid: PlanGrid, input_cell: Callable[[str], Cell]) -> Block:
    """The twelve months: their seasonality weights (inputs), then each stage's volumes."""
    header, weights = grid.monthly_header, grid.weights_row
    cells = [Cell(f"A{header}", "Stage", "header"), Cell(f"B{header}", None, "header")]
    cells += [
        Cell(f"{column}{header}", fiscal_labels.month(m), "header")
        for m, column in enumerate(MONTH_COLUMNS)
    ]
    cells += [
        Cell(f"A{weights}", "Seasonality weight", "label"),
        Cell(f"B{weights}", "relative; 1 = even", "note"),
    ]
    cells += [input_cell(f"{column}{weights}") for column in MONTH_COLUMNS]
    for i in range(grid.stages):
        cells += _month_row(grid, i)
    names = [
        plan_name("SeasonalityWeights", f"$C${weights}:$N${weights}",
                  "Relative weight of each month."),
        plan_name("MonthLabels", f"$C${header}:$N${header}",
                  "The plan's months, from the fiscal year's first."),
        plan_name("RequiredMonthly", f"$C${grid.first_monthly_row}:$N${grid.last_monthly_row}",
                  "Stages x 12 months."),
    ]  # fmt: skip
    return Block(cells, names)


def _month_row(grid: PlanGrid, i: int) -> list[Cell]:
    """Stage ``i``'s twelve months: each its share of the year, whole as the quarters are."""
    row = grid.first_monthly_row + i
    rate_row = grid.first_stage_row + i
    last = i == grid.stages - 1
    due = _due(last, rate_row, MONTH_COLUMNS, partial(weights_so_far_cell, grid.timeline), row)
    cells = [Cell(f"A{row}", f"=A{rate_row}", "formula")]
    for m, column in enumerate(MONTH_COLUMNS):
        if last:
            share = f"CustomersNeeded*{column}${grid.weights_row}/SUM(SeasonalityWeights)"
        else:
            share = f"{column}{row + 1}/$B${rate_row}"
        volume = period_volume(share, due(m, m), due(m - 1, m - 1) if m else None)
        cells.append(Cell(f"{column}{row}", f"={volume}", "formula", VOLUME))
    return cells


def _due(last: bool, rate_row: int, columns: Sequence[str], so_far: Callable[[int], str],
         row: int | None = None) -> Callable[[int, int], str]:  # fmt: skip
    """``due(period, month)``: a stage's whole volume due by the end of a period (its
    column's index, ending in ``month`` of the year): the customers' share of the year's
    whole customers, or what the periods of the row below (``row`` + 1; the funnel row
    ``rate_row`` + 1 when ``row`` is None) add up to by then, at the stage's rate."""
    below = (rate_row if row is None else row) + 1

    def due(period: int, month: int) -> str:
        if last:
            return customers_due(f"$C{rate_row}", so_far(month), so_far(11))
        return chained_due(f"SUM(${columns[0]}{below}:{columns[period]}{below})", f"$B${rate_row}")

    return due
