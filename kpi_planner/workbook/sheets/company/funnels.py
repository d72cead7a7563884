"""The Company sheet's funnels and roll-up: each segment's stages, rates and volumes, and
the company's volume of each stage, added over the segments that have a stage of its name.

A segment's volumes walk up its funnel from its customers as the engine's reverse funnel
does (:func:`kpi_engine.reverse_funnel`: each stage the one below over the rate, rounded
up stage by stage when ``WholeNumbers`` is TRUE, as the Plan sheet does it); the roll-up
is ``SUMIF`` over the funnels' stage names, as :func:`kpi_engine.roll_up` adds them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kpi_planner.company.inputs import CompanyInputs
from kpi_planner.workbook.sheets.company.grid import (
    COLUMN,
    COMPANY,
    FUNNEL_HEADER,
    FUNNEL_ROWS,
    ROLLUP_HEADER,
    SEGMENT_ROWS,
    CompanyGrid,
)
from kpi_planner.workbook.sheets.number_formats import DECIMALS, MONEY, PERCENT, UNIT_COST
from kpi_planner.workbook.sheets.rounding import round_up_if_whole
from kpi_planner.workbook.spec import Cell, Name


def funnel_cells(grid: CompanyGrid, company: CompanyInputs) -> tuple[list[Cell], list[Name]]:
    """Each segment's funnel on its row: a stage's name, volume and rate to the next."""
    cells = [Cell(f"A{FUNNEL_HEADER}", "Segment funnels, top stage first", "header")]
    for k in range(grid.stages):
        cells += [Cell(f"{grid.name_column(k)}{FUNNEL_HEADER}", f"Stage {k + 1}", "header"),
                  Cell(f"{grid.volume_column(k)}{FUNNEL_HEADER}", "Volume", "header")]  # fmt: skip
        if k < grid.stages - 1:
            cells.append(Cell(f"{grid.rate_column(k)}{FUNNEL_HEADER}", "Rate to next", "header"))
    for i, (row, segment_row) in enumerate(zip(FUNNEL_ROWS, SEGMENT_ROWS, strict=True)):
        plan = company.segments[i].plan if i < len(company.segments) else None
        stages = tuple(plan.stages) if plan else ()
        rates = tuple(plan.rates) if plan else ()
        cells.append(Cell(f"A{row}", f'=IF(${COLUMN["name"]}{segment_row}="","",'
                          f'${COLUMN["name"]}{segment_row})', "formula"))  # fmt: skip
        for k in range(grid.stages):
            cells += _stage_cells(grid, row, segment_row, k, stages, rates)
    span = f"$B${FUNNEL_ROWS[0]}:${grid.volume_column(grid.stages - 1)}${FUNNEL_ROWS[-1]}"
    what = "Each segment's stage names, volumes and rates to the next, side by side."
    names = [Name("SegmentFunnels", COMPANY, span, what)]
    return cells, names


def _stage_cells(
    grid: CompanyGrid, row: int, segment_row: int, k: int, stages: Sequence[str],
    rates: Sequence[float],
) -> list[Cell]:  # fmt: skip
    """Stage ``k`` of a funnel row: its name and rate (inputs) and its volume."""
    name = f"{grid.name_column(k)}{row}"
    customers = f"${COLUMN['customers']}{segment_row}"
    if k == grid.stages - 1:
        volume = f'=IF({name}="","",{customers})'
    else:
        below = f"{grid.volume_column(k + 1)}{row}"
        up = round_up_if_whole(f"{below}/{grid.rate_column(k)}{row}")
        volume = f'=IF({name}="","",IF({grid.name_column(k + 1)}{row}="",{customers},{up}))'
    cells = [
        Cell(name, stages[k] if k < len(stages) else None, "input"),
        Cell(f"{grid.volume_column(k)}{row}", volume, "formula", DECIMALS),
    ]
    if k < grid.stages - 1:
        rate = rates[k] if k < len(rates) else None
        cells.append(Cell(f"{grid.rate_column(k)}{row}", rate, "input", PERCENT))
    return cells


def rollup_cells(
    grid: CompanyGrid, stages: Sequence[str], missing: Mapping[str, Sequence[str]]
) -> tuple[list[Cell], list[Name]]:
    """The company's stages (as the build found them), each one's volume, how many segments
    have it, its cost and who lacks it; then the company's customers, budget and CAC."""
    headers = ("Company stage", "Volume", "Segments with it", "Cost per stage", "Not in")
    cells = [Cell(f"{chr(ord('A') + i)}{ROLLUP_HEADER}", text, "header")
             for i, text in enumerate(headers)]  # fmt: skip
    for stage, row in zip(stages, grid.rollup_rows, strict=True):
        lacking = ", ".join(missing.get(stage, ()))
        cells += [
            Cell(f"A{row}", stage, "label"),
            Cell(f"B{row}", f"=SUMIF({grid.names_span},$A{row},{grid.volumes_span})", "output",
                 DECIMALS),
            Cell(f"C{row}", f"=COUNTIF({grid.names_span},$A{row})", "formula", "0"),
            Cell(f"D{row}", f"={_spend_with(grid, row)}/B{row}", "formula", UNIT_COST),
            Cell(f"E{row}", lacking or "every segment has it", "note"),
        ]  # fmt: skip
    first, last = grid.rollup_rows[0], grid.rollup_rows[-1]
    budgets = f"{COLUMN['budget']}{SEGMENT_ROWS[0]}:{COLUMN['budget']}{SEGMENT_ROWS[-1]}"
    customers = f"{COLUMN['customers']}{SEGMENT_ROWS[0]}:{COLUMN['customers']}{SEGMENT_ROWS[-1]}"
    totals = (
        (grid.customers_row, "Customers", f"=SUM({customers})", DECIMALS,
         "every segment's last stage, whatever its name"),
        (grid.budget_row, "Marketing budget", f"=SUM({budgets})", MONEY, "every segment's"),
        (grid.cac_row, "CAC", f"=B{grid.budget_row}/B{grid.customers_row}", UNIT_COST,
         "budget / customers"),
    )  # fmt: skip
    for row, label, formula, number_format, note in totals:
        cells += [Cell(f"A{row}", label, "label"),
                  Cell(f"B{row}", formula, "output", number_format),
                  Cell(f"C{row}", note, "note")]  # fmt: skip
    names = [
        Name("CompanyStages", COMPANY, f"$A${first}:$A${last}", "The company's stages, top first."),
        Name("CompanyVolumes", COMPANY, f"$B${first}:$B${last}",
             "Each company stage's volume: the segments' of that name added up."),
        Name("CompanyStageSegments", COMPANY, f"$C${first}:$C${last}",
             "How many segments have each company stage."),
        Name("CompanyCostPerStage", COMPANY, f"$D${first}:$D${last}",
             "Budget of the segments with the stage / its volume."),
        Name("CompanyCustomers", COMPANY, f"$B${grid.customers_row}",
             "The company's customers: every segment's added up."),
        Name("CompanyBudget", COMPANY, f"$B${grid.budget_row}", "Every segment's budget."),
        Name("CompanyCAC", COMPANY, f"$B${grid.cac_row}", "Company budget / customers."),
    ]  # fmt: skip
    return cells, names


def _spend_with(grid: CompanyGrid, row: int) -> str:
    """The budget of the segments whose funnel has the stage named in ``A{row}``."""
    last = grid.name_column(grid.stages - 1)
    terms = [f"IF(COUNTIF($B${funnel}:${last}${funnel},$A{row})>0,"
             f"${COLUMN['budget']}${segment},0)"
             for funnel, segment in zip(FUNNEL_ROWS, SEGMENT_ROWS, strict=True)]  # fmt: skip
    return f"({'+'.join(terms)})"
