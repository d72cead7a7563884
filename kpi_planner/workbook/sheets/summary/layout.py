"""The "Summary" sheet: the plan on one page, for a board that has never seen the tool.

The goal and what it takes (customers, the top of the funnel, budget needed against the
budget, CAC, LTV:CAC, CAC payback, pipeline coverage, first-year ROI), the funnel, the three
levers that save most and the budget by channel, with two charts (the funnel, the budget by
channel). Every number is a live formula over the other sheets' defined names; the labels
are words, with what each number means beside it. It prints on one landscape page.

:func:`formula_sources` says which of :meth:`kpi_planner.plan.one_plan.PlanOutputs.by_name`'s
values each formula cell shows: the fast fill caches them, and the tests evaluate the
formulas independently and compare.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from kpi_planner.workbook.sheets.channels.grid import CHANNELS, FIRST_RESULT, SLOTS
from kpi_planner.workbook.sheets.number_formats import (
    DECIMALS,
    MONEY,
    PERCENT,
    RATIO,
    whole_number_formats,
)
from kpi_planner.workbook.sheets.summary.grid import (
    CHART_COLUMN,
    GOAL_HEADER,
    LEVERS,
    SUMMARY,
    SummaryGrid,
    result_row,
)
from kpi_planner.workbook.spec import BarChart, Cell, Name, Sheet

#: Where a formula cell's value comes from: (output name, index into its array).
Source = tuple[str, tuple[int, ...]]


@dataclass(frozen=True)
class Result:
    """One row of the goal's block: its label, formula, format and what it means."""

    label: str
    formula: str
    number_format: str
    meaning: str
    source: str | None  # the output it shows (see :func:`formula_sources`); None: none
    money: bool = False
    stage: int | None = None  # the stage of a volume: 0 the top, -1 the last (customers)


#: CAC payback in months: a year's deal size earns a twelfth of it a month, at the margin.
PAYBACK = "=IF(GrossMargin>0,PlannedCAC/(DealSize/12*GrossMargin),NA())"

RESULTS = (
    Result("Revenue goal", "=RevenueGoal", MONEY, "New revenue to win in the plan year.",
           "RevenueGoal", money=True),
    Result("Average deal size", "=DealSize", MONEY, "What a new customer pays in a year.",
           "DealSize", money=True),
    Result("Customers to win", "=INDEX(RequiredAnnual,{stages})", DECIMALS,
           "The goal / the deal size, rounded up in whole numbers.", "RequiredAnnual",
           stage=-1),
    Result("=INDEX(StageNames,1)", "=INDEX(RequiredAnnual,1)", DECIMALS,
           "What marketing must bring in at the top of the funnel.", "RequiredAnnual",
           stage=0),
    Result("Marketing budget", "=MarketingBudget", MONEY, "What marketing may spend in the year.",
           "MarketingBudget", money=True),
    Result("Budget the plan needs", "=BudgetNeeded", MONEY,
           "What the channels' mix costs to bring the customers.", "BudgetNeeded", money=True),
    Result("Budget left over (- short)", "=BudgetGap", MONEY,
           "Budget - what the plan needs; negative: short.", "BudgetGap",
           money=True),
    Result("CAC at this budget", "=PlannedCAC", MONEY,
           "The budget / the customers to win (the mix's own: below).", "PlannedCAC",
           money=True),
    Result("Lifetime value : CAC", "=LTVtoCAC", RATIO,
           "A customer's lifetime value / CAC: 3 or more is healthy.", "LTVtoCAC"),
    Result("Months to earn back CAC", PAYBACK, "0.0##",
           "Months of a customer's gross margin that pay back its CAC.", "CACPaybackMonths"),
    Result("Deals expected vs needed", "=PipelineCoverage", "0%",
           "Deals the pipeline should close / needed: 100 % is on track.", "PipelineCoverage"),
    Result("First-year return (ROI)", "=ProjectedROI", PERCENT,
           "(The goal's gross profit - the budget) / the budget.", "ProjectedROI"),
)  # fmt: skip


def summary_sheet(
    stages: int, whole_numbers: bool = True, more: Sequence[Result] = ()
) -> tuple[Sheet, list[Name]]:
    """The Summary sheet of a plan of ``stages`` stages and its defined name; its volumes
    show as whole numbers while the Plan's ``WholeNumbers`` is TRUE (``whole_numbers``:
    whether it is, for a renderer that cannot write that rule). ``more`` adds rows to the
    goal's block: the Forecast's (:func:`.more.forecast_rows`) and the Capacity sheet's."""
    grid = SummaryGrid(stages, len(RESULTS) + len(more))
    cells = [
        *goal_cells((*RESULTS, *more), "The goal and what it takes", stages),
        *_funnel_cells(grid),
        *_lever_cells(grid),
        *_channel_cells(grid),
    ]
    payback = grid.result_row(next(i for i, r in enumerate(RESULTS) if r.formula == PAYBACK))
    names = [
        Name(
            "CACPaybackMonths",
            SUMMARY,
            f"$B${payback}",
            "Months of a customer's gross margin that pay back the planned CAC.",
        )
    ]
    headers = (GOAL_HEADER, grid.funnel_header, grid.levers_header, grid.channels_header)
    note = ("Every number is a live formula over the sheets behind it: change an input on "
            "the Plan or Channels sheet and this page follows.")  # fmt: skip
    return summary_page(cells, note, headers, _charts(grid), grid.last_row, whole_numbers), names


def summary_page(
    cells: Sequence[Cell],
    note: str,
    headers: Sequence[int],
    charts: tuple[BarChart, ...],
    last_row: int,
    whole_numbers: bool,
) -> Sheet:
    """The Summary sheet of ``cells`` under its title and notes: its blocks' ``headers``
    rows, two charts right of the tables, printed on one landscape page."""
    title = [
        Cell("A1", "=Plan!A1", "title"),
        Cell("A2", "The plan on one page: what the goal takes, what it costs and where to act.",
             "note"),
        Cell("A3", note, "note"),
    ]  # fmt: skip
    return Sheet(
        SUMMARY,
        (*title, *cells),
        column_widths={"A": 30, "B": 15, "C": 15, "D": 40, "E": 1},
        row_heights=dict.fromkeys(headers, 30),
        charts=charts,
        conditional_formats=whole_number_formats(cells, whole_numbers),
        print_area=f"A1:N{last_row}",
        fit_one_page=True,
    )


def header(row: int, *titles: str) -> list[Cell]:
    """A block's header row over columns A to D."""
    return [Cell(f"{column}{row}", title or None, "header")
            for column, title in zip("ABCD", (*titles, "", "", "", ""), strict=False)]  # fmt: skip


def goal_cells(results: Sequence[Result], title: str, stages: int) -> list[Cell]:
    """The goal and what it takes: a label, a value and what it means, a row each, from
    the row under :data:`GOAL_HEADER` (``{stages}`` in a formula: the funnel's count)."""
    cells = header(GOAL_HEADER, title, "", "What it means")
    for index, result in enumerate(results):
        row = result_row(index)
        role = "output" if index < 2 else "formula"
        cells += [
            Cell(f"A{row}", result.label, "label"),  # a formula: the top stage's name
            Cell(
                f"B{row}",
                result.formula.replace("{stages}", str(stages)),
                role,
                result.number_format,
                money=result.money,
            ),
            Cell(f"C{row}", result.meaning, "note"),
        ]
    return cells


def _funnel_cells(grid: SummaryGrid) -> list[Cell]:
    """Each stage, what it needs in the year and its rate into the next."""
    cells = header(grid.funnel_header, "The funnel", "Needed in the year",
                    "Converts to the next")  # fmt: skip
    for stage in range(grid.stages):
        row, k = grid.stage_row(stage), stage + 1
        cells += [
            Cell(f"A{row}", f"=INDEX(StageNames,{k})", "label"),
            Cell(f"B{row}", f"=INDEX(RequiredAnnual,{k})", "formula", DECIMALS),
        ]
        if stage < grid.stages - 1:
            cells.append(Cell(f"C{row}", f"=INDEX(StageRates,{k})", "formula", PERCENT))
    return cells


class Listed(NamedTuple):
    """A column of a table with a row each: its formula (``{k}``: the row's place from 1,
    ``{result}``: the Channels sheet's row of that channel), format and the output it shows."""

    formula: str
    number_format: str | None
    source: str


#: The What-if sheet's ranking, largest saving first: the lever, the budget it saves and
#: the budget the goal then needs (its columns 2, 6 and 5).
LEVER_COLUMNS = (
    Listed("=INDEX(SensitivityTable,{k},2)", None, "RankedName"),
    Listed("=INDEX(SensitivityTable,{k},6)", MONEY, "Ranked_saved"),
    Listed("=INDEX(SensitivityTable,{k},5)", MONEY, "Ranked_budget"),
)
#: The Channels sheet's channels: the name it shows, the budget and the CAC.
CHANNEL_COLUMNS = (
    Listed(f"={CHANNELS}!$A${{result}}", None, "ChannelNamesShown"),
    Listed("=INDEX(ChannelBudgets,{k})", MONEY, "ChannelBudgets"),
    Listed("=INDEX(ChannelCAC,{k})", MONEY, "ChannelCAC"),
)


def _listed(columns: Sequence[Listed], rows: Sequence[int]) -> list[Cell]:
    """One row of ``columns`` (A, B, C) on each of ``rows``: a label, then money."""
    cells = []
    for k, row in enumerate(rows, start=1):
        for letter, column in zip("ABC", columns, strict=True):
            formula = column.formula.format(k=k, result=FIRST_RESULT + k - 1)
            role = "label" if letter == "A" else "formula"
            cells.append(Cell(f"{letter}{row}", formula, role, column.number_format,
                              money=column.number_format == MONEY))  # fmt: skip
    return cells


def _lever_rows(grid: SummaryGrid) -> list[int]:
    return [grid.lever_row(rank) for rank in range(1, LEVERS + 1)]


def _channel_rows(grid: SummaryGrid) -> list[int]:
    return [grid.channel_row(slot) for slot in range(1, SLOTS + 1)]


def _lever_cells(grid: SummaryGrid) -> list[Cell]:
    """The What-if sheet's three largest savings: the lever, the budget it saves and the
    budget the goal then needs."""
    note = "Each changed by the What-if sheet's step, one at a time (-: it costs)"
    cells = header(
        grid.levers_header,
        "The levers that move the budget most",
        "Budget saved",
        "Budget then needed",
        note,
    )
    return cells + _listed(LEVER_COLUMNS, _lever_rows(grid))


def _channel_cells(grid: SummaryGrid) -> list[Cell]:
    """The budget of each of the Channels sheet's channels, its CAC, and all channels'."""
    cells = header(
        grid.channels_header,
        "Budget by channel",
        "Budget",
        "Cost per customer",
        "From the Channels sheet: its shares, costs per unit and rates",
    )
    total = grid.channels_total
    return [
        *cells,
        *_listed(CHANNEL_COLUMNS, _channel_rows(grid)),
        Cell(f"A{total}", "All channels (the mix)", "label"),
        Cell(f"B{total}", "=BudgetNeeded", "output", MONEY, money=True),
        Cell(f"C{total}", "=BlendedCAC", "output", MONEY, money=True),
    ]


def _charts(grid: SummaryGrid) -> tuple[BarChart, BarChart]:
    """The funnel (log scale: visits dwarf customers) and the budget by channel."""
    top, bottom = grid.stage_row(0), grid.stage_row(grid.stages - 1)
    first, last = grid.channel_row(1), grid.channel_row(SLOTS)
    return (
        BarChart("Needed in the year (log scale)", f"$A${top}:$A${bottom}",
                 f"$B${top}:$B${bottom}", f"{CHART_COLUMN}{GOAL_HEADER}", "Needed in the year",
                 log_scale=True, axis_min=1, width_cm=12.5, height_cm=7.5),
        BarChart("Budget by channel", f"$A${first}:$A${last}", f"$B${first}:$B${last}",
                 f"{CHART_COLUMN}{grid.levers_header}", "Budget", width_cm=12.5, height_cm=7.5),
    )  # fmt: skip


def formula_sources(stages: int) -> dict[str, Source]:
    """Which output each formula cell shows: ref -> (name of
    :meth:`~kpi_planner.plan.one_plan.PlanOutputs.by_name`, index into its array)."""
    grid = SummaryGrid(stages, len(RESULTS))
    sources: dict[str, Source] = {"A1": ("Title", ())}
    for index, result in enumerate(RESULTS):
        row = grid.result_row(index)
        at = () if result.stage is None else (result.stage % stages,)
        sources[f"B{row}"] = (result.source, at)
        if result.label.startswith("="):  # the top stage's name
            sources[f"A{row}"] = ("StageNames", at)
    for stage in range(stages):
        row = grid.stage_row(stage)
        sources[f"A{row}"] = ("StageNames", (stage,))
        sources[f"B{row}"] = ("RequiredAnnual", (stage,))
        if stage < stages - 1:
            sources[f"C{row}"] = ("StageRates", (stage,))
    for columns, rows in ((LEVER_COLUMNS, _lever_rows(grid)),
                          (CHANNEL_COLUMNS, _channel_rows(grid))):  # fmt: skip
        for k, row in enumerate(rows):
            for letter, column in zip("ABC", columns, strict=True):
                sources[f"{letter}{row}"] = (column.source, (k,))
    total = grid.channels_total
    sources[f"B{total}"], sources[f"C{total}"] = ("BudgetNeeded", ()), ("BlendedCAC", ())
    sheet, _ = summary_sheet(stages)
    formula_cells = {c.ref for c in sheet.cells if c.is_formula}
    if formula_cells != sources.keys():  # a formula added to the layout without its source
        raise AssertionError(f"Summary cells without a source: {formula_cells ^ sources.keys()}")
    return sources
