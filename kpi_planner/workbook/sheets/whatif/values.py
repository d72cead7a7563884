"""The engine's value of every formula cell of the What-if sheet, for many plans at once.

The levers come from :func:`kpi_engine.whatif.sensitivity_core` (the step better and the
step worse) and :func:`kpi_engine.whatif.rank_order`, one call per group of plans of one
structure (see :mod:`kpi_planner.workbook.sheets.channels.values`); the scenarios from
:func:`kpi_engine.reverse_funnel`,
:func:`kpi_engine.cac` and :func:`kpi_engine.channels.plan_core`, as
``kpi-planner plan --scenario`` runs them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

import kpi_engine
from kpi_engine._args import Args
from kpi_engine.channels import plan_core, read_mix
from kpi_engine.whatif import Lever, rank_order, sensitivity_core
from kpi_planner.workbook.sheets.channels.grid import SLOTS
from kpi_planner.workbook.sheets.channels.values import ChannelInputs, Group
from kpi_planner.workbook.sheets.whatif.grid import LEVER_FIELDS, SCENARIOS, Scenario, WhatIfGrid


def _slot(lever: Lever, group: Group, stages: int) -> int:
    """The row of an engine lever among the sheet's levers (see :func:`.grid.levers`)."""
    if lever.kind == "rate":
        return lever.step
    if lever.kind == "deal size":
        return stages - 1
    first = stages + group.slots[lever.channel] * stages
    return first if lever.kind == "cost" else first + 1 + lever.step


def _names(lever: Lever, group: Group, at: np.ndarray, inputs: ChannelInputs) -> np.ndarray:
    """Each plan's name of a lever, in its own stage and channel names."""
    if lever.kind == "deal size":
        return np.full(len(at), "deal size", dtype=object)
    stages = inputs.stages[at]
    if lever.kind == "cost":
        return inputs.names[at, group.slots[lever.channel]] + " cost per unit"
    step = stages[:, lever.step] + " -> " + stages[:, lever.step + 1] + " rate"
    return step if lever.kind == "rate" else (inputs.names[at, group.slots[lever.channel]]
                                              + " " + step)  # fmt: skip


def whatif_outputs(
    inputs: ChannelInputs,
    groups: Sequence[Group],
    customers: np.ndarray,
    step: np.ndarray,
    deal: np.ndarray,
) -> dict[str, np.ndarray]:
    """The step, the levers' workings and the ranked table of every plan: the names of
    :func:`kpi_planner.workbook.sheets.whatif.formulas.formula_sources` but the scenarios'.
    ``deal``: each plan's deal size, which its lever shows from and to."""
    count, stages = inputs.stages.shape
    grid = WhatIfGrid(stages)
    levers = grid.levers
    numbers = {f: np.zeros((count, levers)) for f in LEVER_FIELDS
               if f not in ("name", "rank", "position")}  # fmt: skip
    names = np.full((count, levers), "", dtype=object)
    rank = np.full((count, levers), np.nan)
    shown_fields = ("before", "after", "budget", "saved", "top_saved", "worse_saved")
    ranked = {f: np.full((count, levers), np.nan) for f in shown_fields}
    ranked_names = np.full((count, levers), "", dtype=object)
    shown = np.full((count, levers), np.nan)
    position = np.full((count, levers), np.nan)  # on row k: the k-th lever's row, from 1
    base_budget, base_top = np.full(count, np.nan), np.full(count, np.nan)
    for group in groups:
        at = group.positions
        (budget, top), better = sensitivity_core(customers[at], group.mix, step[at], deal[at])
        _, worse = sensitivity_core(customers[at], group.mix, -step[at], deal[at])
        base_budget[at], base_top[at] = budget, top
        rows = []
        for lever, workings in better.items():
            slot = _slot(lever, group, stages)
            rows.append(slot)
            values = _lever_values(budget, top, workings, worse[lever])
            for field, value in values.items():
                numbers[field][at, slot] = value
            names[at, slot] = _names(lever, group, at, inputs)
        columns = np.array(rows)
        order = columns[rank_order(numbers["saved"][np.ix_(at, columns)],
                                   numbers["top_saved"][np.ix_(at, columns)])]  # fmt: skip
        places = np.arange(len(columns))
        rank[at[:, None], order] = places + 1
        shown[np.ix_(at, places)] = places + 1
        position[np.ix_(at, places)] = order + 1
        ranked_names[np.ix_(at, places)] = np.take_along_axis(names[at], order, axis=1)
        for field, values in ranked.items():
            values[np.ix_(at, places)] = np.take_along_axis(numbers[field][at], order, axis=1)
    top_name = inputs.stages[:, 0].astype(object)
    return {
        "WhatIfCheck": np.full(count, "", dtype=object),
        "WhatIfBudget": base_budget,
        "WhatIfTop": base_top,
        "WhatIfTopLabel": top_name + " the mix needs",
        "TopSavedHeader": top_name + " saved",
        "LeverName": names,
        "LeverRank": rank,
        **{f"Lever_{field}": values for field, values in numbers.items()},
        "RankShown": shown,
        "RankPosition": position,
        "RankedName": ranked_names,
        **{f"Ranked_{field}": values for field, values in ranked.items()},
    }


def _lever_values(budget: np.ndarray, top: np.ndarray, better: tuple, worse: tuple) -> dict:
    """One lever's workings, by field of :data:`LEVER_FIELDS`: the step better and worse."""
    before, after, then, top_then = better
    worse_after, worse_budget = worse[1], worse[2]
    values = {"exists": 1.0, "before": before, "after": after, "budget": then,
              "top": top_then, "worse_after": worse_after, "worse_budget": worse_budget,
              "saved": budget - then, "top_saved": top - top_then,
              "worse_saved": budget - worse_budget}  # fmt: skip
    values |= {"key": np.round(values["saved"], 9),
               "top_key": np.round(values["top_saved"], 9)}  # fmt: skip
    return values


def scenario_outputs(
    inputs: ChannelInputs,
    channels: dict[str, np.ndarray],
    plan: dict[str, np.ndarray],
    base: dict[str, np.ndarray],
    scenarios: Sequence[Sequence[Scenario]] | None = None,
) -> dict[str, np.ndarray]:
    """The scenarios side by side: the base column from the plan's outputs (``plan``: its
    RequiredAnnual and PlannedCAC) and the Channels sheet's (``channels``); each named
    scenario of each plan (``scenarios``, one list per plan; None: none) run again by the
    engine. ``base``: each plan's revenue_goal, deal_size, marketing_budget, whole_numbers
    (rows,), rates (rows, steps) and costs (rows, slots), as arrays."""
    count, stages = inputs.stages.shape
    columns = SCENARIOS + 1
    nan = np.nan
    volumes = np.full((count, stages, columns), nan)
    cac, needed = np.full((count, columns), nan), np.full((count, columns), nan)
    yields, costs = np.full((count, SLOTS, columns), nan), np.full((count, SLOTS, columns), nan)
    used = inputs.used
    volumes[:, :, 0] = plan["RequiredAnnual"]
    cac[:, 0], needed[:, 0] = plan["PlannedCAC"], channels["BudgetNeeded"]
    yields[:, :, 0] = channels["ChannelYields"]
    costs[:, :, 0] = np.where(used, np.nan_to_num(base["costs"]), 0.0)
    budgets = np.full((count, columns), nan)
    budgets[:, 0] = base["marketing_budget"]
    shown_names = np.full((count, SCENARIOS), "", dtype=object)
    # A scenario column without a name changes nothing: its workings are the base's.
    yields[:, :, 1:], costs[:, :, 1:] = yields[:, :, :1], costs[:, :, :1]
    for position, named in enumerate(scenarios or [[]] * count):
        for s, scenario in enumerate(named[:SCENARIOS], start=1):
            shown_names[position, s - 1] = scenario.name
            result = _scenario(inputs, base, position, scenario)
            volumes[position, :, s], cac[position, s], needed[position, s] = result[:3]
            yields[position, :, s], costs[position, :, s], budgets[position, s] = result[3:]
    changes = [base["revenue_goal"], base["deal_size"], base["marketing_budget"], base["rates"],
               np.where(used, base["costs"], nan)]  # fmt: skip
    return {
        "ScenarioBase": np.column_stack(changes),
        "ScenarioLabels": _change_labels(inputs),
        "ScenarioNamesShown": shown_names,
        "ScenarioStageLabels": inputs.stages.astype(object) + " for the year",
        "ScenarioVolumes": volumes,
        "ScenarioCAC": cac,
        "ScenarioNeeded": needed,
        "ScenarioGap": budgets - needed,
        "ScenarioYields": yields,
        "ScenarioCosts": costs,
    }


def _change_labels(inputs: ChannelInputs) -> np.ndarray:
    """Each plan's labels of the changes a scenario may type: its rates, then its costs."""
    count, stages = inputs.stages.shape
    steps, used = stages - 1, inputs.used
    steps_text = np.array([[f"{r[k]} -> {r[k + 1]} rate" for k in range(steps)]
                           for r in inputs.stages], dtype=object).reshape(count, steps)  # fmt: skip
    cost_labels = np.where(used, np.where(used, inputs.names, "").astype(object) + " cost per unit",
                           np.array([f"Channel {i}: empty" for i in range(1, SLOTS + 1)],
                                    dtype=object))  # fmt: skip
    return np.concatenate([steps_text, cost_labels], axis=1)


def _scenario(inputs: ChannelInputs, base: dict, position: int, scenario: Scenario) -> tuple:
    """One named scenario of one plan: its volumes, CAC, budget needed, each channel's
    customers per unit and cost, and its budget."""

    def changed(value: float | None, given: float) -> float:
        return float(given) if value is None else float(value)

    steps = base["rates"].shape[1]
    goal = changed(scenario.revenue_goal, base["revenue_goal"][position])
    deal = changed(scenario.deal_size, base["deal_size"][position])
    budget = changed(scenario.marketing_budget, base["marketing_budget"][position])
    rates = [changed(scenario.rates[j] if j < len(scenario.rates) else None,
                     base["rates"][position, j]) for j in range(steps)]  # fmt: skip
    stages = [str(s) for s in inputs.stages[position]]
    whole = bool(base["whole_numbers"][position])
    volumes = list(kpi_engine.reverse_funnel(goal, rates, deal_size=deal, whole_numbers=whole,
                                             stages=stages).values())  # fmt: skip
    customers = volumes[-1]
    cac = kpi_engine.cac(budget, customers) if customers > 0 else np.nan
    used = np.flatnonzero(inputs.used[position])
    costs = np.zeros(SLOTS)
    for i in used:
        given = scenario.costs[i] if i < len(scenario.costs) else None
        costs[i] = changed(given, base["costs"][position, i])
    entry = kpi_engine.channels.entry_index(str(inputs.entry[position]), stages)
    own = [[None if np.isnan(inputs.own[position, i, t]) else inputs.own[position, i, t]
            for t in range(entry, steps)] for i in used]  # fmt: skip
    mix = read_mix(Args(), [str(i + 1) for i in used], [inputs.shares[position, i] for i in used],
                   [costs[i] for i in used], own, rates, stages, stages[entry])  # fmt: skip
    needed = float(plan_core(np.array([customers]), mix).budget_needed[0])
    yields = np.zeros(SLOTS)
    yields[used] = mix.yields[0]
    return np.array(volumes), cac, needed, yields, costs, budget
