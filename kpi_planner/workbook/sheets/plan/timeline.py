"""The Plan sheet's timeline: each stage in the month it must arrive, in live formulas.

Below the twelve months, one row per stage: the days it takes to become the next stage
(typed in), how many months ahead of the deals it must therefore arrive, its volume for
next year (this year's goal grown by ``NextYearGrowth``), and its volume in each of 24
months: the 12 of the year before (the lead-in; a lag can reach back at most a year) and
the plan year's. Below them, the year's seasonality weights added up month by month: in
whole numbers, what a stage must have reached by a month's end is each year's volume times
its share of that year so far, rounded up (cumulative rounding, so the months add up to
the years). Above the months, they are added up by quarter: the eight quarters of both
years, as ``kpi-planner plan --period quarterly`` shows them. Where it sits is
:mod:`.timeline_grid`;
:func:`kpi_planner.plan.frame.plan_outputs_frame` computes the same values with
:func:`kpi_engine.frame.timeline`; the tests evaluate the formulas independently and compare.

This module knows the Plan sheet only through the rows and names it is given, so
:mod:`.layout` can call it without an import cycle.
"""

from __future__ import annotations

from collections.abc import Sequence

import kpi_engine
from kpi_planner.workbook.sheets.plan import fiscal_labels
from kpi_planner.workbook.sheets.plan.timeline_grid import (
    COLUMNS,
    LEAD_IN,
    MONTHS,
    QUARTER_COLUMNS,
    TimelineGrid,
)
from kpi_planner.workbook.sheets.rounding import round_up, round_up_if_whole
from kpi_planner.workbook.spec import BarChart, Cell, Name, Validation


def _due_by(t: int, ahead: str, this_volume: str, next_volume: str, so_far: str,
            all_weights: str) -> str:  # fmt: skip
    """What a stage ``ahead`` months ahead of its deals (a cell) must have reached by the end
    of timeline month ``t`` (0 = the plan year's January), exactly: this year's volume
    times the share of this year's deals it has fed so far, plus next year's volume times
    next year's share. ``so_far`` holds 0 then the weights added up month by month, so
    MEDIAN clamps the month into it: before the plan year nothing is due, after it all."""
    # Each share is divided before it multiplies, as the engine does, so the two agree to
    # the last bit before rounding up (a volume of 1e15 has no bits to spare).
    this_year = f"INDEX({so_far},1,MEDIAN(1,{t + 2}+{ahead},{MONTHS + 1}))/{all_weights}"
    next_year = f"INDEX({so_far},1,MEDIAN(1,{t + 2 - MONTHS}+{ahead},{MONTHS + 1}))/{all_weights}"
    return f"{this_volume}*({this_year})+{next_volume}*({next_year})"


def _chained_due(customers_due: str, rate_cells: Sequence[str]) -> str:
    """In whole numbers, a stage's running total: the whole customers due for the same
    deals (``customers_due``), walked up the funnel to the stage, each step the whole number
    the step below needs at its rate (``rate_cells``, the steps from the stage down)."""
    due = round_up(customers_due)
    for rate in reversed(rate_cells):
        due = round_up(f"{due}/{rate}")
    return due


def timeline_section(
    grid: TimelineGrid, plan_first_stage_row: int, lag_days: Sequence[float], volume_format: str
) -> tuple[list[Cell], list[Name], BarChart, list[Validation]]:
    """The section's cells, defined names, chart and validations.

    ``plan_first_stage_row``: the Plan sheet's first funnel row (stage names in A, rates in
    B, this year's volumes in C). ``lag_days``: the typed-in days of each step.
    """
    cells = [
        *_header_cells(grid),
        *_weights_so_far_cells(grid),
        *_running_header_cells(grid),
        *_month_label_cells(grid),
    ]
    for k in range(grid.stages):
        cells += _stage_cells(grid, plan_first_stage_row, k, lag_days, volume_format)
    cells += _quarter_cells(grid, plan_first_stage_row, volume_format)
    return cells, _names(grid), _chart(grid), _validations(grid)


def _quarter_cells(grid: TimelineGrid, plan_first_stage_row: int,
                   volume_format: str) -> list[Cell]:  # fmt: skip
    """The months added up by quarter: a header with each quarter's name (``Q1 2026``), then
    each stage's name and its quarters, each the SUM of its three months below."""
    header = grid.quarter_header_row
    cells = [Cell(f"A{header}", "Timeline by quarter: the months below added up", "header"),
             *(Cell(f"{column}{header}", None, "header") for column in "BCD")]  # fmt: skip
    for q, column in enumerate(QUARTER_COLUMNS):
        cells.append(Cell(f"{column}{header}", fiscal_labels.timeline_quarter(q), "header"))
    for k in range(grid.stages):
        row, month_row = grid.first_quarter_row + k, grid.first_stage_row + k
        cells.append(Cell(f"A{row}", f"=A{plan_first_stage_row + k}", "formula"))
        for q, column in enumerate(QUARTER_COLUMNS):
            months = f"{COLUMNS[3 * q]}{month_row}:{COLUMNS[3 * q + 2]}{month_row}"
            cells.append(Cell(f"{column}{row}", f"=SUM({months})", "output", volume_format))
    return cells


def _weights_so_far(grid: TimelineGrid, from_zero: bool = False) -> str:
    """The weights added up, January to December (``from_zero``: from the 0 before them)."""
    start = COLUMNS[LEAD_IN - 1] if from_zero else COLUMNS[LEAD_IN]
    return f"${start}${grid.weights_so_far_row}:${COLUMNS[-1]}${grid.weights_so_far_row}"


def _all_weights(grid: TimelineGrid) -> str:
    """The cell holding the year's seasonality weights added up."""
    return f"${COLUMNS[-1]}${grid.weights_so_far_row}"


def _span(top: int, bottom: int) -> str:
    """The timeline's 24 months from row ``top`` to row ``bottom``, absolute."""
    return f"$E${top}:${COLUMNS[-1]}${bottom}"


def _rows(grid: TimelineGrid, plan_first_stage_row: int, k: int) -> tuple[int, int, int]:
    """Stage ``k``'s rows: on the timeline, in the running totals and in the Plan's funnel."""
    return grid.first_stage_row + k, grid.first_running_row + k, plan_first_stage_row + k


def _header_cells(grid: TimelineGrid) -> list[Cell]:
    """The timeline's header, left of its months."""
    return [
        Cell(f"A{grid.header_row}", "Timeline: each stage in the month it must arrive", "header"),
        Cell(f"B{grid.header_row}", "Days to next stage", "header"),
        Cell(f"C{grid.header_row}", "Months ahead of the deals", "header"),
        Cell(f"D{grid.header_row}", "Next year", "header"),
    ]


def _weights_so_far_cells(grid: TimelineGrid) -> list[Cell]:
    """The row of the seasonality weights added up month by month, and what it is for."""
    so_far_row = grid.weights_so_far_row
    cells = [
        Cell(f"A{so_far_row}", "Seasonality weights so far", "label"),
        Cell(
            f"B{so_far_row}",
            "Whole numbers: customers due by each month's end are the year's times this share; "
            "each stage above, what the stage below needs",
            "note",
        ),
    ]
    # The plan year's months are the last 12 columns: the weights added up under them, and
    # 0 under the year before's December (nothing of the year is due before it starts).
    cells.append(Cell(f"{COLUMNS[LEAD_IN - 1]}{so_far_row}", 0.0, "formula", "0.00"))
    so_far_cells = [f"{column}{so_far_row}" for column in COLUMNS[LEAD_IN:]]
    for m, ref in enumerate(so_far_cells):
        weight = f"INDEX(SeasonalityWeights,1,{m + 1})"
        previous = so_far_cells[m - 1] if m else None
        cells.append(Cell(ref, f"={previous}+{weight}" if previous else f"={weight}",
                          "formula", "0.00"))  # fmt: skip
    return cells


def _running_header_cells(grid: TimelineGrid) -> list[Cell]:
    """The running totals' header, left of their months."""
    running_header = grid.running_header_row
    return [
        Cell(f"A{running_header}", "Running total: reached by each month's end", "header"),
        Cell(f"B{running_header}", None, "header"),
        Cell(f"C{running_header}", None, "header"),
        Cell(f"D{running_header}", None, "header"),
    ]  # fmt: skip


def _month_label_cells(grid: TimelineGrid) -> list[Cell]:
    """Each column's month ("Jan 2026"), in the timeline's header and the running totals'."""
    cells = []
    for j, column in enumerate(COLUMNS):
        label = fiscal_labels.timeline_month(j)
        cells.append(Cell(f"{column}{grid.header_row}", label, "header"))
        cells.append(Cell(f"{column}{grid.running_header_row}", f"={column}{grid.header_row}",
                          "header"))  # fmt: skip
    return cells


def _stage_cells(grid: TimelineGrid, plan_first_stage_row: int, k: int,
                 lag_days: Sequence[float], volume_format: str) -> list[Cell]:  # fmt: skip
    """Stage ``k``'s rows: its name in both tables, its days to the next stage, months ahead
    and next year's volume, then its running total and volume in each month."""
    row, running_row, plan_row = _rows(grid, plan_first_stage_row, k)
    cells = [Cell(f"A{row}", f"=A{plan_row}", "formula"),
             Cell(f"A{running_row}", f"=A{plan_row}", "formula")]  # fmt: skip
    if k < grid.stages - 1:
        cells.append(Cell(f"B{row}", float(lag_days[k]), "input", "0"))
        days = f"SUM(B{row}:B{grid.last_stage_row - 1})"
        in_months = f"{days}*{MONTHS}/{kpi_engine.DAYS_PER_YEAR}"
        ahead = round_up(in_months)
        # More than a year of lags: the engine refuses it; the sheet shows #N/A.
        cells.append(Cell(f"C{row}", f"=IF({ahead}>{MONTHS},NA(),{ahead})", "formula", "0"))
        next_year = round_up_if_whole(f"D{row + 1}/$B${plan_row}")
    else:
        cells.append(Cell(f"C{row}", "=0", "formula", "0"))  # the deals: no lag
        next_year = round_up_if_whole("CustomersNeeded*(1+NextYearGrowth)")
    cells.append(Cell(f"D{row}", f"={next_year}", "formula", volume_format))
    for j in range(len(COLUMNS)):
        cells.append(_running_cell(grid, plan_first_stage_row, k, j, volume_format))
        cells.append(_monthly_cell(grid, plan_first_stage_row, k, j, volume_format))
    return cells


def _running_cell(grid: TimelineGrid, plan_first_stage_row: int, k: int, j: int,
                  volume_format: str) -> Cell:  # fmt: skip
    """What stage ``k`` must have reached by the end of the timeline's column ``j``."""
    row, running_row, plan_row = _rows(grid, plan_first_stage_row, k)
    from_zero, all_weights = _weights_so_far(grid, from_zero=True), _all_weights(grid)
    due = _due_by(j - LEAD_IN, f"$C{row}", f"$C${plan_row}", f"$D{row}", from_zero,
                  all_weights)  # fmt: skip
    # In whole numbers each month's end is chained to the customers due for the
    # same deals (rounded up, so the months add up to the years); before the first
    # column nothing is due (a lag is at most a year).
    customers_plan_row, customers_row = plan_first_stage_row + grid.stages - 1, grid.last_stage_row
    customers = _due_by(j - LEAD_IN, f"$C{row}", f"$C${customers_plan_row}",
                        f"$D${customers_row}", from_zero, all_weights)  # fmt: skip
    rates = [f"$B${plan_first_stage_row + step}" for step in range(k, grid.stages - 1)]
    whole = _chained_due(customers, rates)
    return Cell(f"{COLUMNS[j]}{running_row}", f"=IF(WholeNumbers,{whole},{due})",
                "output", volume_format)  # fmt: skip


def _monthly_cell(grid: TimelineGrid, plan_first_stage_row: int, k: int, j: int,
                  volume_format: str) -> Cell:  # fmt: skip
    """Stage ``k``'s volume in the timeline's column ``j``."""
    row, running_row, plan_row = _rows(grid, plan_first_stage_row, k)
    # A month in whole numbers: the difference of two running totals. Exact: its own
    # share of its year's volume (a difference would lose the digits of a tiny month).
    s = f"({j - LEAD_IN}+$C{row})"
    weight = f"INDEX(SeasonalityWeights,1,MOD({s},{MONTHS})+1)"
    exact = f"IF({s}<0,0,IF({s}<{MONTHS},$C${plan_row},$D{row})*{weight}/{_all_weights(grid)})"
    whole = f"{COLUMNS[j]}{running_row}" + (f"-{COLUMNS[j - 1]}{running_row}" if j else "")
    return Cell(f"{COLUMNS[j]}{row}", f"=IF(WholeNumbers,{whole},{exact})", "output",
                volume_format)  # fmt: skip


def _names(grid: TimelineGrid) -> list[Name]:
    """The section's defined names."""
    first, last = grid.first_stage_row, grid.last_stage_row
    return [
        Name("LagDays", "Plan", f"$B${first}:$B${last - 1}",
             "Days each stage takes to become the next, top first."),
        Name("MonthsAhead", "Plan", f"$C${first}:$C${last}",
             "Months each stage arrives ahead of the deals it feeds."),
        Name("NextYearRequired", "Plan", f"$D${first}:$D${last}",
             "Volume each stage needs next year, from next year's goal."),
        Name("TimelineLabels", "Plan", _span(grid.header_row, grid.header_row),
             "The timeline's months: 12 of the year before, then the plan year's."),
        Name("TimelineMonthly", "Plan", _span(first, last),
             "Stages x 24 months: each stage in the month it must arrive."),
        Name("TimelineRunning", "Plan",
             _span(grid.first_running_row, grid.last_running_row),
             "Stages x 24 months: what each stage must have reached by each month's end."),
        Name("WeightsSoFar", "Plan", _weights_so_far(grid),
             "The seasonality weights added up month by month, January first."),
        Name("TimelineQuarterLabels", "Plan", _quarters(grid.quarter_header_row,
                                                        grid.quarter_header_row),
             "The timeline's quarters: the 4 of the year before, then the plan year's."),
        Name("TimelineQuarterly", "Plan", _quarters(grid.first_quarter_row,
                                                    grid.last_quarter_row),
             "Stages x 8 quarters: the timeline's months added up by quarter."),
    ]  # fmt: skip


def _quarters(top: int, bottom: int) -> str:
    """The timeline by quarter's 8 quarters from row ``top`` to row ``bottom``, absolute."""
    return f"${QUARTER_COLUMNS[0]}${top}:${QUARTER_COLUMNS[-1]}${bottom}"


def _chart(grid: TimelineGrid) -> BarChart:
    """The second stage's months as columns (the top one when there is one stage)."""
    second = grid.first_stage_row + min(1, grid.stages - 1)
    return BarChart(
        title="Leads needed by month, with the lead-in",
        categories=_span(grid.header_row, grid.header_row),
        values=_span(second, second),
        anchor=f"E{grid.last_row + 2}",
        series_title="Volume",
        columns=True,
    )


def _validations(grid: TimelineGrid) -> list[Validation]:
    """What the days to the next stage accept."""
    first, last = grid.first_stage_row, grid.last_stage_row
    return [
        Validation(f"B{first}:B{last - 1}", "decimal", "greaterThanOrEqual", "0",
                   error="Days are 0 or more.",
                   prompt="Days a lead takes to reach the next stage."),
    ]  # fmt: skip
