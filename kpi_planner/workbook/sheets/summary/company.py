"""The Summary sheet of a company's workbook: the segments rolled up, on one page.

A company's Plan sheet holds the defaults its segments leave empty, not the company's plan,
so this page reads the Company sheet: the revenue goal and its ARR bridge, the customers,
budget and CAC of every segment added up, the company's funnel and each segment's goal and
budget, with two charts (the funnel, the budget by segment). Live formulas over the
Company sheet's defined names; the Company sheet's tests compare those with the engine.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kpi_planner.company.inputs import MAX_SEGMENTS
from kpi_planner.workbook.a1 import column_letter, range_bounds
from kpi_planner.workbook.sheets.number_formats import DECIMALS, MONEY
from kpi_planner.workbook.sheets.summary.grid import CHART_COLUMN, GOAL_HEADER, SummaryGrid
from kpi_planner.workbook.sheets.summary.layout import (
    Result,
    goal_cells,
    header,
    summary_page,
)
from kpi_planner.workbook.spec import BarChart, Cell, Name, Sheet

RESULTS = (
    Result("Revenue goal", "=TotalRevenueGoal", MONEY,
           "New logos and expansion: the Company sheet's goal.", None, money=True),
    Result("Expansion from today's customers", "=Expansion", MONEY,
           "Upsell and cross-sell, out of the goal.", None, money=True),
    Result("New-logo goal", "=NewLogoGoal", MONEY,
           "What the segments' funnels must win.", None, money=True),
    Result("Customers to win", "=CompanyCustomers", DECIMALS,
           "Every segment's new customers, added up.", None),
    Result("=INDEX(CompanyStages,1)", "=INDEX(CompanyVolumes,1)", DECIMALS,
           "The top of the funnel, every segment's of that name added up.", None),
    Result("Marketing budget", "=CompanyBudget", MONEY, "Every segment's budget, added up.",
           None, money=True),
    Result("CAC at this budget", "=CompanyCAC", MONEY,
           "The budget / the customers to win.", None, money=True),
)  # fmt: skip


def company_summary_sheet(
    stages: int, whole_numbers: bool = True, more: Sequence[Result] = ()
) -> tuple[Sheet, list[Name]]:
    """The Summary sheet of a company whose roll-up has ``stages`` stages (volumes whole
    while the Plan's ``WholeNumbers`` is TRUE, ``whole_numbers`` says whether it is);
    ``more`` adds rows to the goal's block (the Forecast's). No defined names of its own."""
    results = (*RESULTS, *more)
    grid = SummaryGrid(stages, len(results))  # the segments where the plan's levers are
    funnel_header, first_stage = grid.funnel_header, grid.stage_row(0)
    segments_header = grid.levers_header
    first_segment = segments_header + 1
    total = first_segment + MAX_SEGMENTS
    cells = [
        *goal_cells(results, "The company's goal and what it takes", stages),
        *header(funnel_header, "The funnel, segments added up", "Needed in the year",
                "Segments with it"),
        *_segment_cells(segments_header, first_segment, total),
    ]  # fmt: skip
    for k in range(1, stages + 1):
        row = first_stage + k - 1
        cells += [Cell(f"A{row}", f"=INDEX(CompanyStages,{k})", "label"),
                  Cell(f"B{row}", f"=INDEX(CompanyVolumes,{k})", "formula", DECIMALS),
                  Cell(f"C{row}", f"=INDEX(CompanyStageSegments,{k})", "formula", "0")]  # fmt: skip
    last_stage, last_segment = first_stage + stages - 1, total - 1
    charts = (
        BarChart("Needed in the year (log scale)", f"$A${first_stage}:$A${last_stage}",
                 f"$B${first_stage}:$B${last_stage}", f"{CHART_COLUMN}{GOAL_HEADER}",
                 "Needed in the year", log_scale=True, axis_min=1, width_cm=12.5,
                 height_cm=7.5),
        BarChart("Budget by segment", f"$A${first_segment}:$A${last_segment}",
                 f"$C${first_segment}:$C${last_segment}", f"{CHART_COLUMN}{segments_header}",
                 "Budget", width_cm=12.5, height_cm=7.5),
    )  # fmt: skip
    headers = (GOAL_HEADER, funnel_header, segments_header)
    note = ("Every segment rolled up. Every number is a live formula over the Company "
            "sheet: change a segment there and this page follows.")  # fmt: skip
    return summary_page(cells, note, headers, charts, total, whole_numbers), []


def _segment_cells(header_row: int, first: int, total: int) -> list[Cell]:
    """Each segment's goal and budget (empty rows for unused segments), and the totals."""
    cells = header(header_row, "Segments", "Goal", "Marketing budget",
                   "The Company sheet's segments, each a funnel of its own")  # fmt: skip
    for k in range(1, MAX_SEGMENTS + 1):
        row, used = first + k - 1, f'INDEX(SegmentNames,{k})=""'
        cells += [
            Cell(f"A{row}", f'=IF({used},"",INDEX(SegmentNames,{k}))', "label"),
            Cell(f"B{row}", f'=IF({used},"",INDEX(SegmentGoals,{k}))', "formula", MONEY,
                 money=True),
            Cell(f"C{row}", f'=IF({used},"",INDEX(SegmentBudgets,{k}))', "formula", MONEY,
                 money=True),
        ]  # fmt: skip
    return [
        *cells,
        Cell(f"A{total}", "All segments", "label"),
        Cell(f"B{total}", "=SegmentGoalsTotal", "output", MONEY, money=True),
        Cell(f"C{total}", "=CompanyBudget", "output", MONEY, money=True),
    ]


def company_summary_values(
    sheet: Sheet, names: Sequence[Name], company: dict[str, object], title: str
) -> dict[str, object]:
    """The value each formula cell of a company's Summary shows: the Company sheet's cell
    it reads (``company``: each cell's value, the engine's for a formula, by ref; an empty
    cell is missing), found through ``names``;
    ``title`` is the Plan's (A1). An unused segment's row is blank."""
    where = {name.name: name.ref.replace("$", "") for name in names}
    segment_names = _cells(where["SegmentNames"])
    values: dict[str, object] = {}
    for cell in sheet.cells:
        if not cell.is_formula:
            continue
        found = re.findall(r"INDEX\((\w+),(\d+)\)", cell.value)
        if cell.value == "=Plan!A1":
            values[cell.ref] = title
        elif not found:  # =Name
            values[cell.ref] = company.get(where[cell.value[1:]])
        else:
            name, k = found[-1][0], int(found[-1][1])
            used = company.get(segment_names[k - 1]) not in (None, "")
            guarded = cell.value.startswith("=IF(")
            shown = company.get(_cells(where[name])[k - 1])
            values[cell.ref] = shown if used or not guarded else ""
    return values


def _cells(span: str) -> list[str]:
    """The cells of a column or row range, in order (``B5:B7``: B5, B6, B7)."""
    first, _, last = span.partition(":")
    min_col, min_row, max_col, max_row = range_bounds(f"{first}:{last or first}")
    return [f"{column_letter(c)}{r}" for r in range(min_row, max_row + 1)
            for c in range(min_col, max_col + 1)]  # fmt: skip
