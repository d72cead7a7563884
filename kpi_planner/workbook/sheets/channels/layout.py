"""The "Channels" sheet: the budget the goal needs, bottom-up from a channel mix.

Up to :data:`SLOTS` channels, each with its share of the entry stage (leads, say), its cost
per unit of it and, where they differ from the plan's, its own rates. In live formulas: what
each channel brings at every stage from the entry down, its budget, cost per stage and CAC;
the plan's totals (above the entry stage walked up by the plan's rates); the budget the
plan's customers need, against the marketing budget, and what that budget reaches with this
mix. A check cell says what is wrong with the inputs, and the totals show #N/A until it is
mended. The cheapest mix within the limits needs a solver: it is written as values, below,
by the ribbon's "Optimise channel mix" or ``kpi-planner build --optimise``.

The same numbers come from :mod:`kpi_engine.channels` through
:func:`kpi_planner.workbook.sheets.channels.values.channel_outputs`; the tests evaluate these
formulas independently and compare. The plan is read by defined name (``StageNames``,
``StageRates``, ``RequiredAnnual``, ``MarketingBudget``, ``DealSize``), so :mod:`.plan` can
call this module without an import cycle.
"""

from __future__ import annotations

from kpi_engine.channel_mix import OptimalMix
from kpi_planner.workbook.sheets.channels import formulas
from kpi_planner.workbook.sheets.channels.grid import (
    BINDING_ROW,
    BUDGET_ROW,
    CHANNELS,
    CHECK_ROW,
    COST_HEADER,
    COST_TOTAL_ROW,
    CUSTOMERS_ROW,
    ENTRY_ROW,
    EXAMPLE_NOTE_ROW,
    FIRST_COST,
    FIRST_INPUT,
    FIRST_OPTIMAL,
    FIRST_RESULT,
    INPUT_HEADER,
    MONEY,
    NOT_OPTIMISED,
    OPTIMAL_COLUMNS_ROW,
    OPTIMAL_HEADER,
    OPTIMAL_NOTE,
    OPTIMAL_TOTAL_ROW,
    OPTIMISED,
    PERCENT,
    RESULT_HEADER,
    SHARE_TOTAL_ROW,
    SLOTS,
    SUMMARY_HEADER,
    TOTAL_ROW,
    UNIT_COST,
    VOLUME,
    ChannelGrid,
    col,
    input_cells,
    input_names,
    stage_name,
    step_name,
)
from kpi_planner.workbook.sheets.number_formats import DECIMALS, whole_number_formats
from kpi_planner.workbook.spec import BarChart, Cell, Name, Sheet, Validation


def channels_sheet(
    stages: int, values: dict[str, object], optimal: OptimalMix | None = None
) -> tuple[Sheet, list[Name]]:
    """The sheet for a plan of ``stages`` stages; ``values`` holds the inputs by their
    column of :func:`one_plan.scenario_row` (``channel_entry``, ``chname_1`` ...). ``optimal``
    is the solver's mix to write as values (None: not computed)."""
    grid = ChannelGrid(stages)
    cells = _heading_cells(grid)
    cells += [Cell(ref, values.get(column), "input", number_format,
                   money=column.startswith("chcost_"))
              for ref, (column, number_format) in input_cells(stages).items()]  # fmt: skip
    cells += _channel_input_cells(grid)
    cells += _result_cells(grid)
    cells += _cost_cells(grid)
    cells += formulas.summary_cells(grid)
    cells += optimal_cells(optimal, values)
    names = input_names(stages) + formulas.output_names(grid)
    return _sheet(grid, cells, bool(values["whole_numbers"])), names


def _heading_cells(grid: ChannelGrid) -> list[Cell]:
    """The title, the example note, and the inputs block's labels and plan figures."""
    return [
        Cell("A1", "Channels: the budget the goal needs, bottom-up", "title"),
        Cell("A2", "Type each channel's share of the entry stage, its cost per unit and, where "
             "they differ from the plan's, its own rates. Empty rows are not used.", "note"),
        Cell(f"A{EXAMPLE_NOTE_ROW}", formulas.example_note_formula(), "label"),
        Cell(f"A{ENTRY_ROW - 1}", "Inputs", "header"),
        Cell(f"B{ENTRY_ROW - 1}", None, "header"),
        Cell(f"C{ENTRY_ROW - 1}", None, "header"),
        Cell(f"A{ENTRY_ROW}", "Entry stage", "label"),
        Cell(f"C{ENTRY_ROW}", "The stage channels bring and are paid for: Leads for a cost "
             "per lead, or any stage above the last.", "note"),
        Cell(f"A{CUSTOMERS_ROW}", "Customers to win", "label"),
        Cell(f"B{CUSTOMERS_ROW}", f"=INDEX(RequiredAnnual,{grid.stages})", "formula",
             DECIMALS),  # the Plan's customers: whole while it plans whole numbers
        Cell(f"C{CUSTOMERS_ROW}", "The plan's customers for the year (Plan sheet).", "note"),
        Cell(f"A{BUDGET_ROW}", "Marketing budget", "label"),
        Cell(f"B{BUDGET_ROW}", "=MarketingBudget", "formula", MONEY, money=True),
        Cell(f"C{BUDGET_ROW}", "From the Plan sheet.", "note"),
        Cell(f"A{CHECK_ROW}", "What to fix", "label"),
        Cell(f"B{CHECK_ROW}", formulas.check_formula(grid), "formula"),
    ]  # fmt: skip


def _channel_input_cells(grid: ChannelGrid) -> list[Cell]:
    """The channels typed in: their headers, the shares' total and the hidden helpers."""
    own_first = grid.own_column(1)
    cells = [
        Cell(
            f"{own_first}{INPUT_HEADER - 1}",
            "Own rates, where they differ from the plan's (empty: the plan's)",
            "note",
        )
    ]
    headers = ["Channel", '="Share of "&ChannelEntry', '="Cost per unit of "&ChannelEntry',
               "Max share (optimal mix)", "Max volume (optimal mix)"]  # fmt: skip
    cells += [Cell(f"{col(1 + k)}{INPUT_HEADER}", text, "header") for k, text in enumerate(headers)]
    cells += [Cell(f"{grid.own_column(step)}{INPUT_HEADER}", f"={step_name(step)}", "header")
              for step in range(1, grid.steps + 1)]  # fmt: skip
    cells += [Cell(f"A{SHARE_TOTAL_ROW}", "All channels", "label"),
              Cell(f"B{SHARE_TOTAL_ROW}", "=SUM(ChannelShares)", "output", PERCENT)]  # fmt: skip
    cells += formulas.helper_cells(grid)
    return cells


def _result_cells(grid: ChannelGrid) -> list[Cell]:
    """What each channel brings at each stage and costs, and all channels' totals."""
    stage_headers = [Cell(f"{grid.stage_column(k)}{RESULT_HEADER}", f"={stage_name(k)}",
                          "header") for k in range(1, grid.stages + 1)]  # fmt: skip
    cells = [Cell(f"A{RESULT_HEADER}", "What each channel brings", "header"), *stage_headers,
             Cell(f"{grid.budget_column}{RESULT_HEADER}", "Budget", "header"),
             Cell(f"{grid.cac_column}{RESULT_HEADER}", "CAC", "header"),
             Cell(f"{grid.budget_share_column}{RESULT_HEADER}", "Share of the budget", "header"),
             Cell(f"{grid.limits_column}{RESULT_HEADER}", "Limits", "header")]  # fmt: skip
    for i in range(SLOTS):
        cells += formulas.result_row(grid, FIRST_INPUT + i, FIRST_RESULT + i)
    cells += formulas.total_row(grid)
    # Why these totals are not the Plan sheet's whole numbers (83,333.3 visits, not 83,334).
    why = ("Exact shares of the plan's customers, walked up each channel's rates: not rounded "
           "like the Plan sheet's volumes, and other than its own where a channel's rates "
           "differ.")  # fmt: skip
    return [*cells, Cell(f"A{TOTAL_ROW + 1}", why, "note")]


def _cost_cells(grid: ChannelGrid) -> list[Cell]:
    """Each channel's cost per unit of each stage, and all channels' (the budget needed's)."""
    n = grid.stages
    cells = [Cell(f"A{COST_HEADER}", "Cost per unit of each stage", "header")]
    cells += [Cell(f"{grid.stage_column(k)}{COST_HEADER}", f"={stage_name(k)}", "header")
              for k in range(1, n + 1)]  # fmt: skip
    for i in range(SLOTS):
        r, q, c = FIRST_INPUT + i, FIRST_RESULT + i, FIRST_COST + i
        shown = f"{grid.shown_column}{r}"
        cells.append(Cell(f"A{c}", f"=A{q}", "formula"))
        for k in range(1, n + 1):
            volume = f"{grid.stage_column(k)}{q}"
            cost = (f'=IF({shown}=0,"",IF({k}<ChannelEntryIndex,"",IF({volume}=0,"",'
                    f"{grid.budget_column}{q}/{volume})))")  # fmt: skip
            cells.append(Cell(f"{grid.stage_column(k)}{c}", cost, "formula", UNIT_COST,
                              money=True))  # fmt: skip
    cells.append(Cell(f"A{COST_TOTAL_ROW}", "All channels", "label"))
    for k in range(1, n + 1):
        total = f"{grid.stage_column(k)}{TOTAL_ROW}"
        cells.append(Cell(f"{grid.stage_column(k)}{COST_TOTAL_ROW}",
                          f'=IF(ChannelsCheck<>"","",IF({total}=0,"",BudgetNeeded/{total}))',
                          "output", UNIT_COST, money=True))  # fmt: skip
    return cells


def _sheet(grid: ChannelGrid, cells: list[Cell], whole_numbers: bool) -> Sheet:
    """The sheet of ``cells``, with its chart of budget by channel, validations and widths
    (the customers to win whole while ``WholeNumbers`` is TRUE; ``whole_numbers``: whether
    it is, for a renderer that cannot write that rule)."""
    budget = grid.budget_column
    chart = BarChart(
        title="Budget by channel",
        categories=f"$A${FIRST_RESULT}:$A${FIRST_RESULT + SLOTS - 1}",
        values=f"${budget}${FIRST_RESULT}:${budget}${FIRST_RESULT + SLOTS - 1}",
        anchor=f"G{SUMMARY_HEADER}",
        series_title="Budget",
        width_cm=14,
        height_cm=6.5,
    )
    widths = {"A": 26, "B": 14, "C": 14, "D": 14, "E": 14}
    widths |= {grid.own_column(step): 14 for step in range(1, grid.steps + 1)}
    widths |= {grid.stage_column(k): 14 for k in range(1, grid.stages + 1)}
    widths |= {grid.budget_column: 14, grid.cac_column: 12, grid.budget_share_column: 12,
               grid.limits_column: 22}  # fmt: skip
    return Sheet(
        CHANNELS,
        tuple(cells),
        column_widths=widths,
        row_heights={INPUT_HEADER: 30, RESULT_HEADER: 30, COST_HEADER: 30},
        freeze="B3",
        validations=_validations(grid),
        charts=(chart,),
        # The Plan's customers, whole while it plans whole numbers (the sheet's other
        # two-decimal cells are costs per unit, which keep their decimals).
        conditional_formats=whole_number_formats(
            [c for c in cells if c.ref == f"B{CUSTOMERS_ROW}"], whole_numbers
        ),
        # The channels, then the budget and optimal mix with its chart, each on its own
        # page: an automatic break at the chart's top row left its edge on the first.
        print_area=f"A1:{grid.last_visible_column}{COST_TOTAL_ROW},"
        f"A{SUMMARY_HEADER}:{grid.last_visible_column}{BINDING_ROW}",
        hidden_columns=grid.helper_columns,
        merged=(f"A{OPTIMAL_HEADER}:E{OPTIMAL_HEADER}",),  # the header reads in one line
    )


def optimal_cells(optimal: OptimalMix | None, values: dict[str, object]) -> list[Cell]:
    """The solver's mix, as values (no formulas), or the note that it is not computed; the
    rows of the :data:`SLOTS` channels it leaves unused are empty (so a rerun clears them)."""
    entry = values.get("channel_entry") or "entry stage"
    cells = [
        Cell(f"A{OPTIMAL_HEADER}", "The cheapest mix within the limits (solver)", "header"),
        *(Cell(f"{column}{OPTIMAL_HEADER}", None, "header") for column in "BCDE"),
        Cell(f"A{OPTIMAL_NOTE}", NOT_OPTIMISED if optimal is None else OPTIMISED, "note"),
    ]
    if optimal is None:
        return cells
    headers = ("Channel", "Share", f"{entry} (volume)", "Budget", "CAC")
    cells += [Cell(f"{col(1 + k)}{OPTIMAL_COLUMNS_ROW}", text, "header")
              for k, text in enumerate(headers)]  # fmt: skip
    for i, channel in enumerate(optimal.plan.channels):
        row = FIRST_OPTIMAL + i
        cells += [
            Cell(f"A{row}", channel.name, "label"),
            Cell(f"B{row}", optimal.shares[channel.name], "label", PERCENT),
            Cell(f"C{row}", optimal.volumes[channel.name], "label", VOLUME),
            Cell(f"D{row}", channel.budget, "label", MONEY, money=True),
            Cell(f"E{row}", channel.cac, "label", MONEY, money=True),
        ]
    cells += [Cell(f"{column}{FIRST_OPTIMAL + i}", None, "label") for column in "ABCDE"
              for i in range(len(optimal.plan.channels), SLOTS)]  # fmt: skip
    cells += [
        Cell(f"A{OPTIMAL_TOTAL_ROW}", "All channels", "label"),
        Cell(f"D{OPTIMAL_TOTAL_ROW}", optimal.budget, "label", MONEY, money=True),
        Cell(f"A{BINDING_ROW}", "Limits that bind: " + ("; ".join(optimal.binding) or "none"),
             "note"),
    ]  # fmt: skip
    return cells


def _validations(grid: ChannelGrid) -> tuple[Validation, ...]:
    first, last = FIRST_INPUT, FIRST_INPUT + SLOTS - 1
    own = f"{grid.own_column(1)}{first}:{grid.own_column(grid.steps)}{last}"
    return (
        Validation(f"B{first}:B{last} D{first}:D{last}", "decimal", "between", "0", "1",
                   error="A share between 0 % and 100 %: 40 % is 0.4."),
        Validation(f"C{first}:C{last}", "decimal", "greaterThan", "0",
                   error="A cost per unit above 0.",
                   prompt="What one unit of the entry stage (a lead) costs from this channel."),
        Validation(f"E{first}:E{last}", "decimal", "greaterThanOrEqual", "0",
                   error="A volume of 0 or more."),
        Validation(own, "decimal", "between", "0", "1",
                   error="A conversion rate above 0 and at most 100 %: 30 % is 0.3.",
                   prompt="This channel's own rate of the step; empty: the plan's."),
        Validation(f"B{ENTRY_ROW}", "list", formula1="StageNames",
                   error="One of the Plan's stage names, above the last."),
    )  # fmt: skip
