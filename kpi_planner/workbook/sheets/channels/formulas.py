"""The "Channels" sheet's formulas, cell by cell, and where each formula cell's value comes
from among :func:`kpi_planner.workbook.sheets.channels.values.channel_outputs`' outputs (the
batch caches them; the tests evaluate the formulas and compare).
"""

from __future__ import annotations

from kpi_planner.workbook.sheets.channels.grid import (
    BUDGET_ROW,
    CHANNELS,
    CHECK_ENTRY,
    CHECK_NONE,
    CHECK_ROW,
    COST_HEADER,
    COST_TOTAL_ROW,
    CUSTOMERS_ROW,
    EXAMPLE_CHANNEL_NAMES,
    EXAMPLE_NOTE,
    EXAMPLE_NOTE_ROW,
    FIRST_COST,
    FIRST_INPUT,
    FIRST_OPTIMAL,
    FIRST_RESULT,
    GAP_ROW,
    GIVEN_ROW,
    HELPER_CELLS,
    INPUT_HEADER,
    MONEY,
    NEEDED_ROW,
    PERCENT,
    REACH_ROW,
    RESULT_HEADER,
    REVENUE_ROW,
    SHARE_TOTAL_ROW,
    SLOTS,
    SUMMARY_HEADER,
    TOTAL_ROW,
    VOLUME,
    VOLUME_OR_DASH,
    ChannelGrid,
    step_name,
)
from kpi_planner.workbook.spec import Cell, Name


def problem_formula(grid: ChannelGrid, row: int) -> str:
    """What is wrong with one channel row, in words; empty when nothing is."""
    name, share, cost = f"$A{row}", f"$B{row}", f"$C{row}"
    own = [f"{grid.own_column(step)}{row}" for step in range(1, grid.steps + 1)]
    bad_own = "+".join(f'({cell}<>"")*(({cell}<=0)+({cell}>1))' for cell in own)
    above = "+".join(f"({step}<ChannelEntryIndex)*({cell}<>\"\")"
                     for step, cell in enumerate(own, start=1))  # fmt: skip
    checks = [
        (f"SUMPRODUCT((ChannelNames={name})*1)>1", "another channel has the same name"),
        (f'{share}=""', "give its share of the entry stage"),
        (f"OR({share}<0,{share}>1)", "a share is between 0 % and 100 %"),
        (f'{cost}=""', "give its cost per unit of the entry stage"),
        (f"{cost}<=0", "its cost per unit must be above 0"),
        (f"({bad_own})>0", "an own rate is above 0 % and at most 100 %"),
        (f"({above})>0", "an own rate above the entry stage is not used: clear it"),
    ]
    formula = '""'
    for condition, words in reversed(checks):
        formula = f'IF({condition},{name}&": {words}.",{formula})'
    unnamed = f'IF(OR({share}<>"",{cost}<>""),"Row {row} has a share or cost but no name.","")'
    return f'=IF({name}="",{unnamed},{formula})'


def check_formula(grid: ChannelGrid) -> str:
    """The sheet's check: the first thing wrong with its inputs, or empty."""
    shares = "SUM(ChannelShares)"
    off = (f'"The shares add up to "&TEXT({shares},"0.0%")&", "&TEXT(ABS(1-{shares}),"0.0%")'
           f'&IF({shares}<1," short of"," over")&" 100 %: they must add up to 100 %."')  # fmt: skip
    formula = f'IF(ABS({shares}-1)>1E-6,{off},"")'
    for i in reversed(range(SLOTS)):
        problem = f"{grid.problem_column}{FIRST_INPUT + i}"
        formula = f'IF({problem}<>"",{problem},{formula})'
    used = f"SUM({grid.used_column}{FIRST_INPUT}:{grid.used_column}{FIRST_INPUT + SLOTS - 1})"
    formula = f'IF({used}=0,"{CHECK_NONE}",{formula})'
    match = "MATCH(ChannelEntry,StageNames,0)"
    return (f'=IF(ISNA({match}),"{CHECK_ENTRY}",IF({match}={grid.stages},"{CHECK_ENTRY}",'
            f"{formula}))")  # fmt: skip


def helper_cells(grid: ChannelGrid) -> list[Cell]:
    """The hidden workings: each channel's rates, yield and weights, and the mix's totals."""
    used, h = grid.used_column, grid
    rows = range(FIRST_INPUT, FIRST_INPUT + SLOTS)
    titles = {used: "Used", h.yield_column: "Customers per unit", h.weight_column: "s x y",
              h.spend_weight_column: "s x p", h.problem_column: "Problem",
              h.shown_column: "Shown"}  # fmt: skip
    titles |= {h.rate_column(step): f"=\"Rate: \"&{step_name(step)}"
               for step in range(1, grid.steps + 1)}  # fmt: skip
    cells = [Cell(f"{column}{INPUT_HEADER}", text, "header") for column, text in titles.items()]
    span = lambda column: f"{column}{FIRST_INPUT}:{column}{FIRST_INPUT + SLOTS - 1}"  # noqa: E731
    above = "*".join(f"IF({step}<ChannelEntryIndex,INDEX(StageRates,{step}),1)"
                     for step in range(1, grid.steps + 1))  # fmt: skip
    single = {
        "ChannelEntryIndex": "=MATCH(ChannelEntry,StageNames,0)",
        "ChannelWeightTotal": f"=SUM({span(h.weight_column)})",
        "ChannelSpendTotal": f"=SUM({span(h.spend_weight_column)})",
        "ChannelAboveEntry": f"={above}",
    }
    label_column = grid.rate_column(1)
    for row, name, label in HELPER_CELLS:
        cells += [Cell(f"{used}{row}", single[name], "formula"),
                  Cell(f"{label_column}{row}", label, "note")]  # fmt: skip
    for r in rows:
        cells.append(Cell(f"{used}{r}", f'=IF($A{r}="",0,1)', "formula"))
        for step in range(1, grid.steps + 1):
            own = f"{grid.own_column(step)}{r}"
            rate = (f'=IF({step}<ChannelEntryIndex,1,IF({own}="",INDEX(StageRates,{step}),'
                    f"{own}))")  # fmt: skip
            cells.append(Cell(f"{h.rate_column(step)}{r}", rate, "formula"))
        rates = f"{h.rate_column(1)}{r}:{h.rate_column(grid.steps)}{r}"
        cells += [
            Cell(f"{h.yield_column}{r}", f"=IF({used}{r}=0,0,PRODUCT({rates}))", "formula"),
            Cell(f"{h.weight_column}{r}", f"=IF({used}{r}=0,0,$B{r}*{h.yield_column}{r})",
                 "formula"),
            Cell(f"{h.spend_weight_column}{r}", f"=IF({used}{r}=0,0,$B{r}*$C{r})", "formula"),
            Cell(f"{h.problem_column}{r}", problem_formula(grid, r), "formula"),
            Cell(f"{h.shown_column}{r}", f'=IF(AND({used}{r}=1,ChannelsCheck=""),1,0)',
                 "formula"),
        ]  # fmt: skip
    return cells


def result_row(grid: ChannelGrid, r: int, q: int) -> list[Cell]:
    """What the channel of input row ``r`` brings and costs, on results row ``q``."""
    shown = f"{grid.shown_column}{r}"
    n = grid.stages
    customers = f"{grid.stage_column(n)}{q}"
    entry_volume = f"INDEX($B{q}:{customers},ChannelEntryIndex)"
    budget = f"{grid.budget_column}{q}"
    cells = [Cell(f"A{q}", f'=IF($A{r}="","",$A{r})', "formula")]
    for k in range(n, 0, -1):
        if k == n:  # the plan's customers, split by each channel's s x y
            value = f"ChannelCustomers*({grid.weight_column}{r}/ChannelWeightTotal)"
        else:
            value = f"{grid.stage_column(k + 1)}{q}/{grid.rate_column(k)}{r}"
        formula = f'=IF({shown}=0,"",IF({k}<ChannelEntryIndex,"",{value}))'
        cells.append(Cell(f"{grid.stage_column(k)}{q}", formula, "formula", VOLUME_OR_DASH))
    over_volume = f'IF($E{r}="",FALSE,{entry_volume}>$E{r}*(1+1E-9))'
    over_share = f'IF($D{r}="",FALSE,$B{r}>$D{r}+1E-12)'
    limits = f'IF({over_volume},"over its max volume",IF({over_share},"over its max share",""))'
    cells += [
        Cell(budget, f'=IF({shown}=0,"",{entry_volume}*$C{r})', "output", MONEY, money=True),
        Cell(f"{grid.cac_column}{q}", f'=IF({shown}=0,"",IF({customers}=0,"",{budget}/'
             f"{customers}))", "formula", MONEY, money=True),
        Cell(f"{grid.budget_share_column}{q}", f'=IF({shown}=0,"",IF(BudgetNeeded=0,"",'
             f"{budget}/BudgetNeeded))", "formula", PERCENT),
        Cell(f"{grid.limits_column}{q}", f'=IF({shown}=0,"",{limits})', "formula"),
    ]  # fmt: skip
    return cells


def total_row(grid: ChannelGrid) -> list[Cell]:
    """The plan's volumes: the channels' added up from the entry stage down, walked up by
    the plan's rates above it; the budget needed and its CAC."""
    t, n = TOTAL_ROW, grid.stages
    cells = [Cell(f"A{t}", "All channels", "label")]
    for k in range(n, 0, -1):
        column = grid.stage_column(k)
        channels = f"SUM({column}{FIRST_RESULT}:{column}{FIRST_RESULT + SLOTS - 1})"
        above = f"{grid.stage_column(k + 1)}{t}/INDEX(StageRates,{k})" if k < n else channels
        formula = f'=IF(ChannelsCheck<>"","",IF({k}<ChannelEntryIndex,{above},{channels}))'
        cells.append(Cell(f"{column}{t}", formula, "output", VOLUME_OR_DASH))
    customers = f"{grid.stage_column(n)}{t}"
    cells += [
        Cell(f"{grid.budget_column}{t}", "=BudgetNeeded", "output", MONEY, money=True),
        Cell(f"{grid.cac_column}{t}", f'=IF(ChannelsCheck<>"","",IF({customers}=0,"",'
             f"BudgetNeeded/{customers}))", "output", MONEY, money=True),
    ]  # fmt: skip
    return cells


def summary_cells(grid: ChannelGrid) -> list[Cell]:
    budgets = f"{grid.budget_column}{FIRST_RESULT}:{grid.budget_column}{FIRST_RESULT + SLOTS - 1}"
    rows = (
        (NEEDED_ROW, "Budget the goal needs", f'=IF(ChannelsCheck<>"",NA(),SUM({budgets}))',
         MONEY, "Each channel's entry volume x its cost per unit, added up."),
        (GIVEN_ROW, "Marketing budget", "=MarketingBudget", MONEY, "From the Plan sheet."),
        (GAP_ROW, "Surplus (+) or gap (-)", "=MarketingBudget-BudgetNeeded", MONEY,
         "Marketing budget - budget needed."),
        (REACH_ROW, "Customers the budget reaches",
         '=IF(ChannelsCheck<>"",NA(),MarketingBudget/ChannelSpendTotal*ChannelWeightTotal)',
         VOLUME, "The plan run forward with this mix."),
        (REVENUE_ROW, "Revenue the budget reaches", "=ReachableCustomers*DealSize", MONEY,
         "Customers reached x deal size."),
    )  # fmt: skip
    cells = [Cell(f"A{SUMMARY_HEADER}", "The budget", "header"),
             Cell(f"B{SUMMARY_HEADER}", None, "header")]  # fmt: skip
    for row, label, formula, number_format, note in rows:
        cells += [Cell(f"A{row}", label, "label"),
                  Cell(f"B{row}", formula, "output", number_format,
                       money=number_format == MONEY),
                  Cell(f"C{row}", note, "note")]  # fmt: skip
    return cells


def example_note_formula() -> str:
    """The sheet's note while its channels are the built-in example's (names in order, no
    other: Excel compares text without case), empty once the user has typed theirs."""
    names = [f'A{FIRST_INPUT + i}="{name}"' for i, name in enumerate(EXAMPLE_CHANNEL_NAMES)]
    rest = f"A{FIRST_INPUT + len(names)}:A{FIRST_INPUT + SLOTS - 1}"
    return f'=IF(AND({",".join(names)},COUNTA({rest})=0),"{EXAMPLE_NOTE}","")'


def output_names(grid: ChannelGrid) -> list[Name]:
    first, last = FIRST_RESULT, FIRST_RESULT + SLOTS - 1
    n = grid.stages

    def column(letter: str, start: int = first, end: int = last) -> str:
        return f"${letter}${start}:${letter}${end}"

    stages = f"$B${{0}}:${grid.stage_column(n)}${{1}}"
    names = [
        Name("ChannelsCheck", CHANNELS, f"$B${CHECK_ROW}",
             "What is wrong with the channels' inputs; empty when nothing is."),
        Name("ChannelCustomers", CHANNELS, f"$B${CUSTOMERS_ROW}",
             "The plan's customers for the year, which the channels must bring."),
        Name("ChannelVolumes", CHANNELS, stages.format(first, last),
             "Each channel's volume at each stage from the entry down (channels x stages)."),
        Name("ChannelBudgets", CHANNELS, column(grid.budget_column), "Each channel's budget."),
        Name("ChannelCAC", CHANNELS, column(grid.cac_column), "Each channel's CAC."),
        Name("ChannelTotals", CHANNELS, stages.format(TOTAL_ROW, TOTAL_ROW),
             "The plan's volume at each stage, from the channels."),
        Name("BlendedCAC", CHANNELS, f"${grid.cac_column}${TOTAL_ROW}",
             "Budget needed / customers: the mix's CAC."),
        Name("ChannelUnitCosts", CHANNELS, stages.format(FIRST_COST, FIRST_COST + SLOTS - 1),
             "Each channel's cost per unit of each stage (channels x stages)."),
        Name("BudgetNeeded", CHANNELS, f"$B${NEEDED_ROW}",
             "The budget the plan's customers need from this mix."),
        Name("BudgetGap", CHANNELS, f"$B${GAP_ROW}", "Marketing budget - budget needed."),
        Name("ReachableCustomers", CHANNELS, f"$B${REACH_ROW}",
             "Customers the marketing budget reaches with this mix."),
        Name("ReachableRevenue", CHANNELS, f"$B${REVENUE_ROW}",
             "Revenue the marketing budget reaches with this mix."),
        Name("OptimalMix", CHANNELS, f"$A${FIRST_OPTIMAL}:$E${FIRST_OPTIMAL + SLOTS - 1}",
             "The solver's cheapest mix within the limits, as values (channel, share, "
             "volume, budget, CAC)."),
        # The workings the What-if sheet reads.
        Name("ChannelUsed", CHANNELS, column(grid.used_column, FIRST_INPUT, FIRST_INPUT + 7),
             "1 for each named channel row."),
        Name("ChannelWeights", CHANNELS,
             column(grid.weight_column, FIRST_INPUT, FIRST_INPUT + SLOTS - 1),
             "Each channel's share x customers per unit."),
    ]  # fmt: skip
    for row, name, label in HELPER_CELLS:
        names.append(Name(name, CHANNELS, f"${grid.used_column}${row}", label))
    return names


def formula_sources(stages: int) -> dict[str, tuple[str, tuple[int, ...]]]:
    """Where each formula cell's value comes from: (output name, index into its array),
    the names of :func:`kpi_planner.workbook.sheets.channels.values.channel_outputs`."""
    grid = ChannelGrid(stages)
    n = stages
    sources: dict[str, tuple[str, tuple[int, ...]]] = {
        f"B{CUSTOMERS_ROW}": ("ChannelCustomers", ()),
        f"B{BUDGET_ROW}": ("ChannelBudgetGiven", ()),
        f"B{CHECK_ROW}": ("ChannelsCheck", ()),
        f"A{EXAMPLE_NOTE_ROW}": ("ChannelsExampleNote", ()),
        f"B{INPUT_HEADER}": ("ChannelHeaders", (0,)),
        f"C{INPUT_HEADER}": ("ChannelHeaders", (1,)),
        f"B{SHARE_TOTAL_ROW}": ("ChannelShareTotal", ()),
        f"B{NEEDED_ROW}": ("BudgetNeeded", ()),
        f"B{GIVEN_ROW}": ("ChannelBudgetGiven", ()),
        f"B{GAP_ROW}": ("BudgetGap", ()),
        f"B{REACH_ROW}": ("ReachableCustomers", ()),
        f"B{REVENUE_ROW}": ("ReachableRevenue", ()),
        f"{grid.budget_column}{TOTAL_ROW}": ("BudgetNeeded", ()),
        f"{grid.cac_column}{TOTAL_ROW}": ("BlendedCAC", ()),
    }
    for row, name, _ in HELPER_CELLS:
        sources[f"{grid.used_column}{row}"] = (name, ())
    for step in range(1, grid.steps + 1):
        sources[f"{grid.own_column(step)}{INPUT_HEADER}"] = ("StepNames", (step - 1,))
        sources[f"{grid.rate_column(step)}{INPUT_HEADER}"] = ("StepRateLabels", (step - 1,))
    for k in range(1, n + 1):
        for row in (RESULT_HEADER, COST_HEADER):
            sources[f"{grid.stage_column(k)}{row}"] = ("StageNames", (k - 1,))
        sources[f"{grid.stage_column(k)}{TOTAL_ROW}"] = ("ChannelTotals", (k - 1,))
        sources[f"{grid.stage_column(k)}{COST_TOTAL_ROW}"] = ("BlendedUnitCosts", (k - 1,))
    per_input_row = {
        grid.used_column: "ChannelUsed",
        grid.yield_column: "ChannelYields",
        grid.weight_column: "ChannelWeights",
        grid.spend_weight_column: "ChannelSpendWeights",
        grid.problem_column: "ChannelProblems",
        grid.shown_column: "ChannelShown",
    }
    per_result_row = {"A": "ChannelNamesShown", grid.budget_column: "ChannelBudgets",
                      grid.cac_column: "ChannelCAC",
                      grid.budget_share_column: "ChannelBudgetShares",
                      grid.limits_column: "ChannelLimits"}  # fmt: skip
    for i in range(SLOTS):
        r, q, c = FIRST_INPUT + i, FIRST_RESULT + i, FIRST_COST + i
        for column, name in per_input_row.items():
            sources[f"{column}{r}"] = (name, (i,))
        for step in range(1, grid.steps + 1):
            sources[f"{grid.rate_column(step)}{r}"] = ("ChannelRates", (i, step - 1))
        for column, name in per_result_row.items():
            sources[f"{column}{q}"] = (name, (i,))
        sources[f"A{c}"] = ("ChannelNamesShown", (i,))
        for k in range(1, n + 1):
            sources[f"{grid.stage_column(k)}{q}"] = ("ChannelVolumes", (i, k - 1))
            sources[f"{grid.stage_column(k)}{c}"] = ("ChannelUnitCosts", (i, k - 1))
    return sources
