"""The "What-if" sheet: which input moves the budget most, and scenarios side by side.

- The step (10 % by default): each input, the plan's rates, the deal size, each channel's
  cost per unit and own rates, is improved by it and the channels' plan run again; the
  ranked table shows the budget each then needs and saves, the top stage's volume it
  saves, and what the same step the other way costs; a tornado chart of the largest ten.
- Scenarios: the base (the plan) and up to four named ones, each changing the revenue goal,
  the deal size, the budget, any rate or any channel's cost; an empty cell keeps the
  base's value. Each shows the volumes for the year, the planned CAC, the budget the
  channels need and the surplus or gap.

Everything is live formulas (:mod:`.formulas`) over the Plan and Channels sheets' defined
names; :mod:`.values` computes the same cells with :mod:`kpi_engine.whatif` and
:mod:`kpi_engine.channels`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from kpi_planner.workbook.sheets.channels.grid import SLOTS, stage_name
from kpi_planner.workbook.sheets.number_formats import WHOLE, whole_number_formats
from kpi_planner.workbook.sheets.whatif.formulas import (
    check_formula,
    lever_cells,
    ranked_cells,
    scenario_cells,
)
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
    SCENARIO_HEADER,
    SCENARIOS,
    STEP_ROW,
    THEN,
    TO,
    TOP_ROW,
    TOP_SAVED,
    TORNADO_LEVERS,
    WHATIF,
    WORSE_SAVED,
    Scenario,
    WhatIfGrid,
)
from kpi_planner.workbook.spec import BarChart, Cell, ConditionalFormat, Name, Sheet, Validation

FORMATS = {
    "money": "#,##0",
    "unit": "#,##0.00",
    "percent": "0.0%",
    "volume": "#,##0.00",
    # None saved (a cost per unit changes no volume) reads 0, not a placeholder 0.00.
    "saved volume": "#,##0.00;-#,##0.00;0",
}


def scenario_values(grid: WhatIfGrid, scenarios: Sequence[Scenario]) -> dict[str, object]:
    """The scenarios' input cells: ref -> what each typed (None: empty)."""
    values: dict[str, object] = {}
    for s, column in enumerate(SCENARIO_COLUMNS[1:]):
        scenario = scenarios[s] if s < len(scenarios) else None
        values[f"{column}{NAME_ROW}"] = None if scenario is None else scenario.name
        for row, field in ((GOAL_ROW, "revenue_goal"), (DEAL_ROW, "deal_size"),
                           (BUDGET_ROW, "marketing_budget")):  # fmt: skip
            values[f"{column}{row}"] = None if scenario is None else getattr(scenario, field)
        for j in range(1, grid.stages):
            rates = () if scenario is None else scenario.rates
            values[f"{column}{grid.rate_row(j)}"] = rates[j - 1] if j <= len(rates) else None
        for i in range(1, SLOTS + 1):
            costs = () if scenario is None else scenario.costs
            values[f"{column}{grid.cost_row(i)}"] = costs[i - 1] if i <= len(costs) else None
    return values


def whatif_sheet(
    stages: int, step: object, scenarios: Sequence[Scenario] = (), whole_numbers: bool = True
) -> tuple[Sheet, list[Name]]:
    """The sheet for a plan of ``stages`` stages, with the what-if ``step`` and the named
    ``scenarios`` (at most :data:`SCENARIOS`); the scenarios' volumes show decimals as the
    Plan sheet's do (none while ``WholeNumbers`` is TRUE, as ``whole_numbers`` says it is)."""
    grid = WhatIfGrid(stages)
    cells = _inputs_block(step)
    cells += _scenarios_block(grid, scenarios)
    cells += _ranked_block(grid)
    return _sheet(grid, cells, whole_numbers), _names(grid)


def _inputs_block(step: object) -> list[Cell]:
    """The title, the step, the check, and the budget and top volume before any change."""
    header = [Cell(f"{c}{STEP_ROW - 1}", None, "header") for c in "BC"]
    return [
        Cell("A1", "What-if: which input moves the budget most?", "title"),
        Cell("A2", "Each input improved by the step, and the channels' plan run again; and "
             "scenarios side by side. From the Plan and Channels sheets.", "note"),
        Cell(f"A{STEP_ROW - 1}", "Inputs", "header"), *header,
        Cell(f"A{STEP_ROW}", "Step", "label"),
        Cell(f"B{STEP_ROW}", step, "input", "0%"),
        Cell(f"C{STEP_ROW}", "10 %: a rate x 1.1 (at most 100 %), a deal 10 % bigger, a cost "
             "10 % lower. -10 % asks what a worse input costs.", "note"),
        Cell(f"A{CHECK_ROW}", "What to fix", "label"),
        Cell(f"B{CHECK_ROW}", check_formula(), "formula"),
        Cell(f"A{NEEDED_ROW}", "Budget the goal needs", "label"),
        Cell(f"B{NEEDED_ROW}", '=IF(WhatIfCheck<>"",NA(),ChannelCustomers*ChannelSpendTotal/'
             "ChannelWeightTotal)", "output", FORMATS["money"]),
        Cell(f"C{NEEDED_ROW}", "With the Channels sheet's mix, before any change.", "note"),
        Cell(f"A{TOP_ROW}", f'={stage_name(1)}&" the mix needs"', "formula"),
        Cell(f"B{TOP_ROW}", '=IF(WhatIfCheck<>"",NA(),ChannelCustomers/ChannelWeightTotal/'
             "ChannelAboveEntry)", "output", FORMATS["volume"]),
    ]  # fmt: skip


def _scenarios_block(grid: WhatIfGrid, scenarios: Sequence[Scenario]) -> list[Cell]:
    """Scenarios side by side: what each changes (typed in), then the results of each."""
    cells = [Cell(f"A{SCENARIO_HEADER}", "Scenarios side by side", "header"),
             Cell(f"B{SCENARIO_HEADER}", "Base", "header")]  # fmt: skip
    cells += [Cell(f"{column}{SCENARIO_HEADER}", f"Scenario {s}", "header")
              for s, column in enumerate(SCENARIO_COLUMNS[1:], start=1)]  # fmt: skip
    cells += [Cell(f"A{NAME_ROW}", "Name (empty: not used)", "label"),
              Cell(f"B{NAME_ROW}", "The plan", "label"),
              Cell(f"A{GOAL_ROW}", "Revenue goal", "label"),
              Cell(f"A{DEAL_ROW}", "Deal size", "label"),
              Cell(f"A{BUDGET_ROW}", "Marketing budget", "label")]  # fmt: skip
    formats = _change_formats(grid)
    cells += [Cell(ref, value, "input", formats[ref])
              for ref, value in scenario_values(grid, scenarios).items()]  # fmt: skip
    cells += [Cell(f"A{grid.results_header}", "Results (empty cells above: the base's)",
                   "header"), Cell(f"B{grid.results_header}", "Base", "header")]  # fmt: skip
    cells += [Cell(f"A{grid.cac_row}", "Planned CAC", "label"),
              Cell(f"A{grid.needed_row}", "Budget the channels need", "label"),
              Cell(f"A{grid.gap_row}", "Surplus (+) or gap (-)", "label")]  # fmt: skip
    cells += scenario_cells(grid, FORMATS)
    return cells


def _ranked_block(grid: WhatIfGrid) -> list[Cell]:
    """The levers ranked by the budget the step saves, and their hidden workings."""
    s = grid.sensitivity_header
    headings = {RANK: "Rank", INPUT: "Input, improved by the step", FROM: "From", TO: "To",
                THEN: "Budget then needed", SAVED: "Budget saved",
                TOP_SAVED: '=INDEX(StageNames,1)&" saved"',
                WORSE_SAVED: "Budget saved, the step the other way (negative: it "
                "costs)"}  # fmt: skip
    cells = [Cell(f"{column}{s}", text, "header") for column, text in headings.items()]
    cells += [Cell(f"{grid.lever_column(field)}{s}", field.replace("_", " "), "header")
              for field in LEVER_FIELDS]  # fmt: skip
    money = FORMATS["money"]
    # A rate to two decimals where it has them: 1.5 % -> 1.65 %, not 1.7 %.
    ranked_formats = {FROM: "0.0#%", TO: "0.0#%", THEN: money, SAVED: money,
                      TOP_SAVED: FORMATS["saved volume"], WORSE_SAVED: money}  # fmt: skip
    cells += ranked_cells(grid, ranked_formats)
    cells += lever_cells(grid)
    return [*cells, _printed_note(grid)]


#: Levers the printed ranking shows: the largest, as the ranking sorts them (the sheet
#: keeps every one; the rest, smaller or empty, would print pages of blank rows).
PRINTED_LEVERS = 20


def _print_areas(grid: WhatIfGrid) -> str:
    """The inputs and scenarios on a page; the ranking's largest levers on the next, under
    the note that says so; the tornado chart (beside them on screen) on a page of its own."""
    head, first = grid.sensitivity_header, grid.first_lever_row
    last = min(first + PRINTED_LEVERS - 1, grid.last_lever_row)
    return (f"A1:{WORSE_SAVED}{grid.gap_row},A{head - 1}:{WORSE_SAVED}{last},"
            f"J{head}:S{head + 21}")  # fmt: skip


def _printed_note(grid: WhatIfGrid) -> Cell:
    """Above the ranking: what its printed page holds."""
    shown = min(PRINTED_LEVERS, grid.levers)
    text = (f"Largest first. A printed page shows the first {shown} rows of the ranking; "
            f"the sheet holds all {grid.levers}.")  # fmt: skip
    return Cell(f"A{grid.sensitivity_header - 1}", text, "note")


def _sheet(grid: WhatIfGrid, cells: list[Cell], whole_numbers: bool) -> Sheet:
    """The sheet of ``cells``, with its tornado chart, conditional formats and widths."""
    first, last = grid.first_lever_row, grid.last_lever_row
    tornado_last = first + TORNADO_LEVERS - 1
    chart = BarChart(
        title="The ten largest: budget saved by the step, and the other way",
        categories=f"${INPUT}${first}:${INPUT}${tornado_last}",
        values=f"${SAVED}${first}:${SAVED}${tornado_last}",
        series_title="Better",
        more_series=((f"${WORSE_SAVED}${first}:${WORSE_SAVED}${tornado_last}", "Worse"),),
        anchor=f"J{grid.sensitivity_header}",
        width_cm=16.5,  # J:S, the visible columns before the hidden helpers
        height_cm=10,
        overlap=100,
    )
    volume_rows = {grid.volume_row(k) for k in range(1, grid.stages + 1)}
    volumes = [c for c in cells if c.ref[0] in SCENARIO_COLUMNS and int(c.ref[1:]) in volume_rows]
    # A cost's from and to are money (a cost per unit), the deal size's too; a rate's per
    # cent.
    rules = (('RIGHT(${0}{1},13)="cost per unit"', FORMATS["unit"]),
             ('${0}{1}="deal size"', FORMATS["money"]))  # fmt: skip
    money_rows = tuple(
        ConditionalFormat(f"{FROM}{row}:{TO}{row}", formula.format(INPUT, row), number_format,
                          holds=False, money=True)
        for row in range(first, last + 1) for formula, number_format in rules)  # fmt: skip
    # The top stage saved is a difference of the mix's exact volumes: without decimals in a
    # whole-number plan, as the sheet's other volumes show (0 stays 0).
    whole_saved = ConditionalFormat(f"{TOP_SAVED}{first}:{TOP_SAVED}{last}", "WholeNumbers",
                                    WHOLE, holds=whole_numbers)  # fmt: skip
    money = _money_cells(grid)
    cells = [dataclasses.replace(c, money=True) if c.ref in money else c for c in cells]
    widths = {"A": 34, "B": 36, **{c: 14 for c in "CDEFG"}, "H": 22}
    return Sheet(
        WHATIF,
        tuple(cells),
        column_widths=widths,
        row_heights={grid.sensitivity_header: 45},
        freeze="B3",
        validations=_validations(grid),
        charts=(chart,),
        conditional_formats=(
            *money_rows,
            whole_saved,
            *whole_number_formats(volumes, whole_numbers),
        ),
        print_area=_print_areas(grid),
        hidden_columns=grid.helper_columns,
    )


def _money_cells(grid: WhatIfGrid) -> set[str]:
    """The sheet's cells of money: the budget before any change; each scenario's goal, deal
    size, budget, channels' costs, CAC, budget needed and gap; the ranked budgets."""
    rows = (GOAL_ROW, DEAL_ROW, BUDGET_ROW, grid.cac_row, grid.needed_row, grid.gap_row,
            *(grid.cost_row(i) for i in range(1, SLOTS + 1)))  # fmt: skip
    cells = {f"{column}{row}" for column in SCENARIO_COLUMNS for row in rows}
    cells |= {f"{column}{row}" for column in (THEN, SAVED, WORSE_SAVED)
              for row in range(grid.first_lever_row, grid.last_lever_row + 1)}  # fmt: skip
    return cells | {f"B{NEEDED_ROW}"}


def _change_formats(grid: WhatIfGrid) -> dict[str, str]:
    formats = {}
    for column in SCENARIO_COLUMNS[1:]:
        formats[f"{column}{NAME_ROW}"] = None
        for row in (GOAL_ROW, DEAL_ROW, BUDGET_ROW):
            formats[f"{column}{row}"] = FORMATS["money"]
        for j in range(1, grid.stages):
            formats[f"{column}{grid.rate_row(j)}"] = FORMATS["percent"]
        for i in range(1, SLOTS + 1):
            formats[f"{column}{grid.cost_row(i)}"] = FORMATS["unit"]
    return formats


def _validations(grid: WhatIfGrid) -> tuple[Validation, ...]:
    c, f = SCENARIO_COLUMNS[1], SCENARIO_COLUMNS[-1]
    rates = f"{c}{grid.rate_row(1)}:{f}{grid.rate_row(grid.steps)}"
    costs = f"{c}{grid.cost_row(1)}:{f}{grid.cost_row(SLOTS)}"
    return (
        Validation(f"B{STEP_ROW}", "decimal", "between", "-0.99", "0.99",
                   error="A step between -99 % and 99 %, not 0: 10 % for better.",
                   prompt="10 %: each input 10 % better; -10 %: 10 % worse."),
        Validation(rates, "decimal", "between", "0", "1",
                   error="A conversion rate above 0 and at most 100 %."),
        Validation(f"{c}{GOAL_ROW}:{f}{GOAL_ROW} {c}{BUDGET_ROW}:{f}{BUDGET_ROW}", "decimal",
                   "greaterThanOrEqual", "0", error="Money cannot be negative."),
        Validation(f"{c}{DEAL_ROW}:{f}{DEAL_ROW} {costs}", "decimal", "greaterThan", "0",
                   error="Above 0."),
    )  # fmt: skip


def _names(grid: WhatIfGrid) -> list[Name]:
    first, last = grid.first_lever_row, grid.last_lever_row
    c, f = SCENARIO_COLUMNS[1], SCENARIO_COLUMNS[-1]
    return [
        Name("WhatIfStep", WHATIF, f"$B${STEP_ROW}", "The improvement tried: 10 % better."),
        Name("WhatIfCheck", WHATIF, f"$B${CHECK_ROW}",
             "What stops the what-if; empty when nothing does."),
        Name("WhatIfBudget", WHATIF, f"$B${NEEDED_ROW}",
             "The budget the goal needs with the channels' mix, before any change."),
        Name("WhatIfTop", WHATIF, f"$B${TOP_ROW}",
             "The top stage's volume the mix needs, before any change."),
        Name("ScenarioNames", WHATIF, f"${c}${NAME_ROW}:${f}${NAME_ROW}",
             f"The names of up to {SCENARIOS} scenarios; empty: not used."),
        Name("ScenarioChanges", WHATIF, f"${c}${GOAL_ROW}:${f}${grid.last_change_row}",
             "What each scenario changes: goal, deal size, budget, rates, costs."),
        Name("ScenarioResults", WHATIF,
             f"$B${grid.volume_row(1)}:${f}${grid.gap_row}",
             "Each scenario's volumes, CAC, budget needed and surplus or gap (base first)."),
        Name("SensitivityTable", WHATIF, f"$A${first}:$H${last}",
             "The levers ranked by the budget the step saves."),
    ]  # fmt: skip
