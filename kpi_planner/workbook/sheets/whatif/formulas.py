"""The "What-if" sheet's formulas, cell by cell: the scenarios side by side, each lever's
workings (hidden) and the ranked table over them; and where each formula cell's value comes
from (:func:`formula_sources`).

The math is :mod:`kpi_engine.whatif`'s closed forms, spelled in Excel (see
:func:`kpi_engine.whatif.sensitivity_core`): with C the plan's customers, S = sum(s x p) and
W = sum(s x y) over the channels, the budget is C x S / W and the top stage's volume
C / W / (the rates above the entry stage). :mod:`.values` computes the same cells with
the engine; the tests evaluate these formulas independently and compare.
"""

from __future__ import annotations

from kpi_planner.workbook.sheets.channels.grid import (
    CHANNELS,
    FIRST_INPUT,
    SLOTS,
    ChannelGrid,
    stage_name,
    step_name,
)
from kpi_planner.workbook.sheets.rounding import round_up_if_whole
from kpi_planner.workbook.sheets.whatif.grid import (
    BUDGET_ROW,
    CHECK_ROW,
    DEAL_ROW,
    FROM,
    GOAL_ROW,
    INPUT,
    LEVER_FIELDS,
    NAME_ROW,
    NEEDED_ROW,
    RANK,
    SAVED,
    SCENARIO_COLUMNS,
    THEN,
    TO,
    TOP_ROW,
    TOP_SAVED,
    WORSE_SAVED,
    Lever,
    WhatIfGrid,
    levers,
)
from kpi_planner.workbook.spec import Cell

C, S, W = "ChannelCustomers", "ChannelSpendTotal", "ChannelWeightTotal"
STEP = "WhatIfStep"
CHECK_STEP = {
    "none": "Type the step: 10 % to try each input 10 % better.",
    "zero": "The step is 0: a what-if changes its input; type 10 % for better, -10 % for worse.",
    "range": "The step must be between -100 % and 100 %.",
}


def check_formula() -> str:
    """What stops the what-if: the Channels sheet's check, or a step it cannot take."""
    step = (f'IF(ISNUMBER({STEP}),IF({STEP}=0,"{CHECK_STEP["zero"]}",IF(OR({STEP}<=-1,'
            f'{STEP}>=1),"{CHECK_STEP["range"]}","")),"{CHECK_STEP["none"]}")')  # fmt: skip
    return f'=IF(ChannelsCheck<>"","Mend the Channels sheet first: "&ChannelsCheck,{step})'


def _own(grid: WhatIfGrid, step: int, slot: int) -> str:
    """The Channels sheet's cell of a channel's own rate of a step."""
    return f"{CHANNELS}!${ChannelGrid(grid.stages).own_column(step)}${FIRST_INPUT + slot - 1}"


def _own_column(grid: WhatIfGrid, step: int) -> str:
    column = ChannelGrid(grid.stages).own_column(step)
    return f"{CHANNELS}!${column}${FIRST_INPUT}:${column}${FIRST_INPUT + SLOTS - 1}"


def _outcome(customers: str, spend: str, weight: str) -> tuple[str, str]:
    """The budget and the top stage's volume: C x S / W and C / W / above."""
    return f"{customers}*{spend}/{weight}", f"{customers}/{weight}/ChannelAboveEntry"


def _lever_formulas(grid: WhatIfGrid, lever: Lever, row: int) -> dict[str, str]:
    """The workings of one lever on its row, by field, without their "exists" guard."""
    cell = {field: f"{grid.lever_column(field)}{row}" for field in ("before", "after",
                                                                    "worse_after")}  # fmt: skip
    j, i = lever.step, lever.slot
    if lever.kind == "deal size":
        better, worse = f"(1+{STEP})", f"(1-{STEP})"
        budget, top = _outcome(f"{C}/{better}", S, W)
        return {"name": '"deal size"', "exists": "1", "before": "DealSize",
                "after": f"{cell['before']}*{better}", "worse_after": f"{cell['before']}*{worse}",
                "budget": budget, "top": top,
                "worse_budget": _outcome(f"{C}/{worse}", S, W)[0]}  # fmt: skip
    if lever.kind == "cost":
        share = f"INDEX(ChannelShares,{i})"
        return {"name": f'INDEX(ChannelNames,{i})&" cost per unit"',
                "exists": f"INDEX(ChannelUsed,{i})", "before": f"INDEX(ChannelCosts,{i})",
                "after": f"{cell['before']}*(1-{STEP})", "worse_after":
                f"{cell['before']}*(1+{STEP})", "budget": f"{C}*({S}-{share}*{cell['before']}*"
                f"{STEP})/{W}", "top": "WhatIfTop", "worse_budget":
                f"{C}*({S}+{share}*{cell['before']}*{STEP})/{W}"}  # fmt: skip
    if lever.kind == "rate":
        own = _own_column(grid, j)

        def improved(after: str) -> str:  # W with the channels on the plan's rate improved
            return (f"(SUMPRODUCT(ChannelWeights*({own}<>\"\"))+SUMPRODUCT(ChannelWeights*"
                    f"({own}=\"\"))*{after}/{cell['before']})")  # fmt: skip

        def budget(after: str) -> str:
            return f"IF({j}<ChannelEntryIndex,WhatIfBudget,{_outcome(C, S, improved(after))[0]})"

        top = _outcome(C, S, improved(cell["after"]))[1]
        return {"name": f'{step_name(j)}&" rate"',
                "exists": f'IF({j}<ChannelEntryIndex,1,IF(SUMPRODUCT(ChannelUsed*({own}=""))>0,'
                "1,0))", "before": f"INDEX(StageRates,{j})",
                "after": f"MIN({cell['before']}*(1+{STEP}),1)",
                "worse_after": f"MIN({cell['before']}*(1-{STEP}),1)",
                "budget": budget(cell["after"]), "worse_budget": budget(cell["worse_after"]),
                "top": f"IF({j}<ChannelEntryIndex,WhatIfTop*{cell['before']}/{cell['after']},"
                f"{top})"}  # fmt: skip
    own = _own(grid, j, i)

    def gained(after: str) -> str:  # W with this channel's own rate improved
        return f"({W}+INDEX(ChannelWeights,{i})*({after}/{cell['before']}-1))"

    budget, top = _outcome(C, S, gained(cell["after"]))
    return {"name": f'INDEX(ChannelNames,{i})&" "&{step_name(j)}&" rate"',
            "exists": f'IF(INDEX(ChannelUsed,{i})=0,0,IF({j}<ChannelEntryIndex,0,IF({own}="",0,'
            "1)))", "before": own, "after": f"MIN({own}*(1+{STEP}),1)",
            "worse_after": f"MIN({own}*(1-{STEP}),1)", "budget": budget, "top": top,
            "worse_budget": _outcome(C, S, gained(cell["worse_after"]))[0]}  # fmt: skip


def lever_cells(grid: WhatIfGrid) -> list[Cell]:
    """Every lever's workings (hidden columns), one row each, and its rank."""
    cells = []
    for offset, lever in enumerate(levers(grid.stages)):
        row = grid.first_lever_row + offset
        formulas = _lever_formulas(grid, lever, row)
        exists = f"{grid.lever_column('exists')}{row}"
        fields = ("budget", "top", "worse_budget", "saved", "top_saved", "key", "top_key")
        ref = {field: f"{grid.lever_column(field)}{row}" for field in fields}
        values = {
            "name": f'=IF({exists}=0,"",{formulas["name"]})',
            "exists": f'=IF(WhatIfCheck<>"",0,{formulas["exists"]})',
            **{field: f"=IF({exists}=0,0,{formulas[field]})"
               for field in ("before", "after", "worse_after", "budget", "top", "worse_budget")},
            "saved": f"=IF({exists}=0,0,WhatIfBudget-{ref['budget']})",
            "top_saved": f"=IF({exists}=0,0,WhatIfTop-{ref['top']})",
            "worse_saved": f"=IF({exists}=0,0,WhatIfBudget-{ref['worse_budget']})",
            "key": f"=ROUND({ref['saved']},9)",
            "top_key": f"=ROUND({ref['top_saved']},9)",
        }  # fmt: skip
        keys, top_keys = grid.lever_range("key"), grid.lever_range("top_key")
        ahead = (f"({keys}>{ref['key']})+({keys}={ref['key']})*({top_keys}>{ref['top_key']})+"
                 f"({keys}={ref['key']})*({top_keys}={ref['top_key']})*"
                 f"(ROW({keys})<ROW({ref['key']}))")  # fmt: skip
        values["rank"] = (f'=IF({exists}=0,"",1+SUMPRODUCT({grid.lever_range("exists")}*'
                          f"({ahead})))")  # fmt: skip
        cells += [Cell(f"{grid.lever_column(field)}{row}", formula, "formula")
                  for field, formula in values.items()]  # fmt: skip
    return cells


#: The ranked table's columns and the lever field each shows.
RANKED_FIELDS = {INPUT: "name", FROM: "before", TO: "after", THEN: "budget", SAVED: "saved",
                 TOP_SAVED: "top_saved", WORSE_SAVED: "worse_saved"}  # fmt: skip


def ranked_cells(grid: WhatIfGrid, formats: dict[str, str]) -> list[Cell]:
    """The ranked table: the k-th lever by the budget it saves, on row k."""
    ranks = grid.lever_range("rank")
    cells = []
    for k in range(1, grid.levers + 1):
        row = grid.first_lever_row + k - 1
        position = f"{grid.lever_column('position')}{row}"
        cells += [Cell(f"{RANK}{row}", f'=IF({k}<=MAX({ranks}),{k},"")', "formula"),
                  Cell(position, f'=IFERROR(MATCH({k},{ranks},0),"")', "formula")]  # fmt: skip
        for column, field in RANKED_FIELDS.items():
            formula = f'=IF({position}="","",INDEX({grid.lever_range(field)},{position}))'
            role = "output" if column == SAVED else "formula"
            cells.append(Cell(f"{column}{row}", formula, role, formats.get(column)))
    return cells


def _changed(column: str, row: int) -> str:
    """A scenario's value of a base row: its own where typed, else the base's."""
    if column == SCENARIO_COLUMNS[0]:
        return f"$B${row}"
    return f'IF({column}${row}="",$B${row},{column}${row})'


def scenario_cells(grid: WhatIfGrid, formats: dict[str, str]) -> list[Cell]:
    """The base column's values, each scenario's results, and their hidden workings: each
    channel's customers per unit and cost in each scenario."""
    n = grid.stages
    cells = [Cell(f"B{GOAL_ROW}", "=RevenueGoal", "formula", formats["money"]),
             Cell(f"B{DEAL_ROW}", "=DealSize", "formula", formats["money"]),
             Cell(f"B{BUDGET_ROW}", "=MarketingBudget", "formula", formats["money"])]  # fmt: skip
    for j in range(1, n):
        cells += [Cell(f"A{grid.rate_row(j)}", f'={step_name(j)}&" rate"', "formula"),
                  Cell(f"B{grid.rate_row(j)}", f"=INDEX(StageRates,{j})", "formula",
                       formats["percent"])]  # fmt: skip
    for i in range(1, SLOTS + 1):
        name = f"INDEX(ChannelNames,{i})"
        label = f'=IF({name}="","Channel {i}: empty",{name}&" cost per unit")'
        cells += [Cell(f"A{grid.cost_row(i)}", label, "formula"),
                  Cell(f"B{grid.cost_row(i)}", f'=IF({name}="","",INDEX(ChannelCosts,{i}))',
                       "formula", formats["unit"])]  # fmt: skip
    for s, column in enumerate(SCENARIO_COLUMNS):
        shown = "TRUE" if s == 0 else f'{column}${NAME_ROW}<>""'
        if s:
            cells.append(
                Cell(
                    f"{column}{grid.results_header}",
                    f'=IF({column}${NAME_ROW}="","",{column}${NAME_ROW})',
                    "header",
                )
            )
        for k in range(n, 0, -1):
            if k == n:
                value = f"{_changed(column, GOAL_ROW)}/{_changed(column, DEAL_ROW)}"
            else:
                value = f"{column}{grid.volume_row(k + 1)}/{_changed(column, grid.rate_row(k))}"
            cells.append(Cell(f"{column}{grid.volume_row(k)}",
                              f'=IF({shown},{round_up_if_whole(value)},"")', "formula",
                              formats["volume"]))  # fmt: skip
        customers = f"{column}{grid.volume_row(n)}"
        budget = _changed(column, BUDGET_ROW)
        yields = (
            f"${grid.scenario_yield_column(s)}${grid.cost_row(1)}:"
            f"${grid.scenario_yield_column(s)}${grid.cost_row(SLOTS)}"
        )
        costs = (
            f"${grid.scenario_cost_column(s)}${grid.cost_row(1)}:"
            f"${grid.scenario_cost_column(s)}${grid.cost_row(SLOTS)}"
        )
        needed = (f'IF(ChannelsCheck<>"",NA(),{customers}*SUMPRODUCT(ChannelShares,{costs})/'
                  f"SUMPRODUCT(ChannelShares,{yields}))")  # fmt: skip
        cells += [
            Cell(f"{column}{grid.cac_row}", f'=IF({shown},IF({customers}=0,"",{budget}/'
                 f'{customers}),"")', "formula", formats["money"]),
            Cell(f"{column}{grid.needed_row}", f'=IF({shown},{needed},"")', "output",
                 formats["money"]),
            Cell(f"{column}{grid.gap_row}", f'=IF({shown},{budget}-{column}{grid.needed_row},"")',
                 "output", formats["money"]),
        ]  # fmt: skip
        cells += _scenario_workings(grid, s, column)
    for k in range(1, n + 1):
        cells.append(Cell(f"A{grid.volume_row(k)}", f'={stage_name(k)}&" for the year"',
                          "formula"))  # fmt: skip
    return cells


def _scenario_workings(grid: WhatIfGrid, s: int, column: str) -> list[Cell]:
    """Each channel's customers per unit (its rates from the entry stage down, with the
    scenario's plan rates where it has none of its own) and cost, in scenario ``s``."""
    cells = []
    for i in range(1, SLOTS + 1):
        row = grid.cost_row(i)
        used = f"INDEX(ChannelUsed,{i})"
        terms = []
        for j in range(1, grid.stages):
            rate = _changed(column, grid.rate_row(j))
            own = _own(grid, j, i)
            terms.append(f'IF({j}<ChannelEntryIndex,1,IF({own}="",{rate},{own}))')
        cost = (f"INDEX(ChannelCosts,{i})" if s == 0 else
                f'IF({column}${row}="",INDEX(ChannelCosts,{i}),{column}${row})')  # fmt: skip
        cells += [Cell(f"{grid.scenario_yield_column(s)}{row}",
                       f"=IF({used}=0,0,{'*'.join(terms)})", "formula"),
                  Cell(f"{grid.scenario_cost_column(s)}{row}", f"=IF({used}=0,0,{cost})",
                       "formula")]  # fmt: skip
    return cells


def formula_sources(stages: int) -> dict[str, tuple[str, tuple[int, ...]]]:
    """Where each formula cell's value comes from: (output name, index into its array),
    the names of :func:`.values.whatif_outputs` and :func:`.values.scenario_outputs`."""
    grid = WhatIfGrid(stages)
    sources: dict[str, tuple[str, tuple[int, ...]]] = {
        f"B{CHECK_ROW}": ("WhatIfCheck", ()),
        f"B{NEEDED_ROW}": ("WhatIfBudget", ()),
        f"B{TOP_ROW}": ("WhatIfTop", ()),
        f"A{TOP_ROW}": ("WhatIfTopLabel", ()),
        f"{TOP_SAVED}{grid.sensitivity_header}": ("TopSavedHeader", ()),
        f"B{GOAL_ROW}": ("ScenarioBase", (0,)),
        f"B{DEAL_ROW}": ("ScenarioBase", (1,)),
        f"B{BUDGET_ROW}": ("ScenarioBase", (2,)),
    }
    for j in range(1, stages):
        sources[f"A{grid.rate_row(j)}"] = ("ScenarioLabels", (j - 1,))
        sources[f"B{grid.rate_row(j)}"] = ("ScenarioBase", (2 + j,))
    for i in range(1, SLOTS + 1):
        row = grid.cost_row(i)
        sources[f"A{row}"] = ("ScenarioLabels", (grid.steps + i - 1,))
        sources[f"B{row}"] = ("ScenarioBase", (2 + grid.steps + i,))
    for s, column in enumerate(SCENARIO_COLUMNS):
        if s:
            sources[f"{column}{grid.results_header}"] = ("ScenarioNamesShown", (s - 1,))
        for k in range(1, stages + 1):
            sources[f"{column}{grid.volume_row(k)}"] = ("ScenarioVolumes", (k - 1, s))
        sources[f"{column}{grid.cac_row}"] = ("ScenarioCAC", (s,))
        sources[f"{column}{grid.needed_row}"] = ("ScenarioNeeded", (s,))
        sources[f"{column}{grid.gap_row}"] = ("ScenarioGap", (s,))
        for i in range(1, SLOTS + 1):
            row = grid.cost_row(i)
            sources[f"{grid.scenario_yield_column(s)}{row}"] = ("ScenarioYields", (i - 1, s))
            sources[f"{grid.scenario_cost_column(s)}{row}"] = ("ScenarioCosts", (i - 1, s))
    for k in range(1, stages + 1):
        sources[f"A{grid.volume_row(k)}"] = ("ScenarioStageLabels", (k - 1,))
    fields = {"name": "LeverName", "rank": "LeverRank", "position": "RankPosition"}
    ranked = {INPUT: "RankedName", FROM: "Ranked_before", TO: "Ranked_after",
              THEN: "Ranked_budget", SAVED: "Ranked_saved", TOP_SAVED: "Ranked_top_saved",
              WORSE_SAVED: "Ranked_worse_saved"}  # fmt: skip
    for offset in range(grid.levers):
        row = grid.first_lever_row + offset
        for field in LEVER_FIELDS:
            sources[f"{grid.lever_column(field)}{row}"] = (fields.get(field, f"Lever_{field}"),
                                                           (offset,))  # fmt: skip
        sources[f"{RANK}{row}"] = ("RankShown", (offset,))
        for column, name in ranked.items():
            sources[f"{column}{row}"] = (name, (offset,))
    return sources
