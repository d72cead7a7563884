"""The engine's value of every formula cell of the Channels sheet, for many plans at once.

Each plan (row) has up to :data:`SLOTS` channel rows, some empty. Rows are grouped by
their *structure* (the entry stage, which rows are named, which own rates are typed), and
each group is one vectorised call of :mod:`kpi_engine.channels` on the named channels only,
so every number is the engine's, the same bits as :func:`kpi_engine.channel_plan` gives
that plan; the results are then laid back on their rows (NaN or "" where the sheet shows
nothing). :func:`read_channels` checks the inputs by the engine's rules and names each
problem by its column of :func:`one_plan.scenario_row` (``chshare_2``...).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kpi_engine import KPIInputError, Problem
from kpi_engine._args import Args, pandas
from kpi_engine.channel_mix import past_limits
from kpi_engine.channels import (
    Mix,
    check_names,
    entry_index,
    per_unit,
    plan_core,
    reach_core,
    read_mix,
)
from kpi_engine.whatif import above_rates
from kpi_planner.workbook.sheets.channels.grid import EXAMPLE_CHANNEL_NAMES, EXAMPLE_NOTE, SLOTS


@dataclass(frozen=True)
class ChannelInputs:
    """The channel inputs of many plans, as arrays with a leading axis of rows: ``names``
    (rows, slots) text or None, ``shares``, ``costs``, ``max_shares``, ``max_volumes``
    (rows, slots) NaN where empty, ``own`` (rows, slots, steps) NaN where empty (by the
    funnel's steps, top first), ``entry`` (rows,) the entry stage's name, ``stages``
    (rows, stages) each plan's stage names, ``rows`` the labels problems name."""

    names: np.ndarray
    shares: np.ndarray
    costs: np.ndarray
    max_shares: np.ndarray
    max_volumes: np.ndarray
    own: np.ndarray
    entry: np.ndarray
    stages: np.ndarray
    rows: Sequence[object]

    @functools.cached_property  # read by the checks, the mixes and the What-if levers
    def used(self) -> np.ndarray:
        """(rows, slots): True where a channel row is named."""
        return np.array([[isinstance(n, str) and bool(n.strip()) for n in row]
                         for row in self.names], dtype=bool).reshape(self.names.shape)  # fmt: skip


@dataclass(frozen=True)
class Group:
    """Plans of one structure: their positions, entry stage (0-based), named slots and the
    engine's mix of those channels."""

    positions: np.ndarray
    entry: int
    slots: tuple[int, ...]
    mix: Mix


#: An engine argument of a group's mix (its channels named by slot) -> the sheet's column.
_ARGUMENT = re.compile(r"(\d+) (share|cost per unit|S(\d+) -> S\d+ rate)")


def _row_problems(inputs: ChannelInputs, position: int, used: np.ndarray) -> list[Problem]:
    """One plan's problems with its channel names, entry stage and own rates (the mix's
    numbers are the engine's to check, by group)."""
    row, names = inputs.rows[position], inputs.names[position]
    stages = [str(s) for s in inputs.stages[position]]
    taken = [i for i in range(SLOTS) if used[i]]
    problems = []
    for i in range(SLOTS):
        typed = not np.isnan(inputs.shares[position, i]) or not np.isnan(inputs.costs[position, i])
        if typed and not used[i]:
            rule = "is empty, but the row gives a share or cost: name the channel"
            problems.append(Problem(f"chname_{i + 1}", names[i], rule, row))

    def slot_column(found: re.Match) -> str:
        return f"chname_{taken[int(found.group(1))] + 1}"

    try:
        check_names([names[i] for i in taken])
    except KPIInputError as err:
        for problem in err.problems:
            found = re.match(r"channels\[(\d+)\]", problem.argument)
            column = slot_column(found) if found else "chname_1"
            rule = re.sub(r"channels\[(\d+)\]", slot_column, problem.rule)
            problems.append(Problem(column, problem.value, rule, row))
    try:
        entry = entry_index(str(inputs.entry[position]), stages)
    except KPIInputError as err:
        return problems + [Problem("channel_entry", p.value, p.rule, row) for p in err.problems]
    rule = (f"is an own rate above the entry stage ({stages[entry]}): a channel's own rates "
            "start at the entry stage; clear it")  # fmt: skip
    for i in taken:
        for step in np.flatnonzero(~np.isnan(inputs.own[position, i, :entry])).tolist():
            value = float(inputs.own[position, i, step])
            problems.append(Problem(f"chrate_{i + 1}_{step + 1}", value, rule, row))
    return problems


def read_channels(inputs: ChannelInputs, plan_rates: np.ndarray) -> list[Group]:
    """Check every plan's channels (names, entry stage, shares, costs, own rates) and group
    the plans by structure. Raises :class:`~kpi_engine.KPIInputError` naming each problem
    by row and column (``chname_3``, ``channel_entry``...)."""
    used = inputs.used
    count, steps = len(inputs.entry), plan_rates.shape[1]
    typed = ~np.isnan(inputs.own)
    # Whether a row has problems, and where its entry stage is, follow from its names and
    # which numbers it types: rows alike in those (most of a table) are checked once.
    given = (~np.isnan(inputs.shares) | ~np.isnan(inputs.costs)).reshape(count, -1)
    names, stage_names = inputs.names.tolist(), inputs.stages.tolist()
    checked: dict[tuple, tuple[bool, int | None]] = {}
    problems, entries = [], []
    for position in range(count):
        key = (tuple(names[position]), str(inputs.entry[position]), tuple(stage_names[position]),
               given[position].tobytes(), typed[position].tobytes())  # fmt: skip
        known = checked.get(key)
        if known is None or known[0]:
            found = _row_problems(inputs, position, used[position])
            problems += found
            entry = None if found else entry_index(key[1], [str(s) for s in key[2]])
            known = checked[key] = (bool(found), entry)
        entries.append(known[1])
    if problems:
        raise KPIInputError(problems)
    keys: dict[tuple, list[int]] = {}
    for position, e in enumerate(entries):
        own = tuple(map(tuple, typed[position][:, e:].tolist()))
        keys.setdefault((e, tuple(used[position].tolist()), own), []).append(position)
    groups = []
    generic = tuple(f"S{k + 1}" for k in range(steps + 1))  # the steps, for _named to parse
    for (e, named, own), positions in keys.items():
        at = np.array(positions)
        slots = tuple(i for i in range(SLOTS) if named[i])
        args = Args(pandas().DataFrame(index=[inputs.rows[p] for p in positions]))
        own_rates = [[inputs.own[at, i, t] if own[i][t - e] else None for t in range(e, steps)]
                     for i in slots]  # fmt: skip
        try:
            mix = read_mix(args, [str(i + 1) for i in slots],
                           [inputs.shares[at, i] for i in slots],
                           [inputs.costs[at, i] for i in slots], own_rates,
                           [plan_rates[at, t] for t in range(steps)], generic,
                           generic[e])  # fmt: skip
        except KPIInputError as err:
            problems += [_named(p, slots) for p in err.problems]
            continue
        groups.append(Group(at, e, slots, mix))
    if problems:
        raise KPIInputError(problems)
    return groups


def _named(problem: Problem, slots: tuple[int, ...]) -> Problem:
    """An engine problem of a group's mix, named by the sheet's column."""
    if problem.argument == "shares":
        total = round(float(problem.value), 12)  # the sum as the rule words it: 0.9, not 0.8999...
        return Problem(f"chshare_{slots[0] + 1}", total, f"the channels' shares {problem.rule}",
                       problem.row, problem.undefined)  # fmt: skip
    found = _ARGUMENT.fullmatch(problem.argument)
    if found is None:
        return problem
    slot, what, step = found.groups()
    columns = {"share": f"chshare_{slot}", "cost per unit": f"chcost_{slot}"}
    column = columns.get(what, f"chrate_{slot}_{step}")
    return Problem(column, problem.value, problem.rule, problem.row, problem.undefined)


def channel_outputs(
    inputs: ChannelInputs,
    customers: np.ndarray,
    plan_rates: np.ndarray,
    budget: np.ndarray,
    deal_size: np.ndarray,
    groups: list[Group] | None = None,
) -> dict[str, np.ndarray]:
    """Every output of the Channels sheet (the names of
    :func:`kpi_planner.workbook.sheets.channels.formulas.formula_sources`) for every plan: the
    plan's ``customers`` for the year, its rates (rows, steps), marketing ``budget`` and
    ``deal_size``. ``groups`` as :func:`read_channels` gives them (read here if None)."""
    groups = read_channels(inputs, plan_rates) if groups is None else groups
    count, steps = plan_rates.shape
    out = _empty_outputs(count, steps)
    for group in groups:
        _lay_group(out, group, inputs, customers, plan_rates, budget)
    return out | _shown_outputs(inputs, out, customers, budget, deal_size, count, steps)


def _full(count: int, *shape: int, value: object = np.nan) -> np.ndarray:
    """(count, *shape) of ``value``: text as objects, numbers as floats."""
    return np.full((count, *shape), value, dtype=object if isinstance(value, str) else float)


def _empty_outputs(count: int, steps: int) -> dict[str, np.ndarray]:
    """The computed outputs as the sheet shows them for no channel: NaN, 0 or ""."""
    n = steps + 1
    out = {name: _full(count) for name in ("ChannelEntryIndex", "ChannelWeightTotal",
                                           "ChannelSpendTotal", "ChannelAboveEntry",
                                           "BudgetNeeded", "ReachableCustomers",
                                           "BlendedCAC")}  # fmt: skip
    out |= {name: _full(count, SLOTS, value=0.0) for name in ("ChannelUsed", "ChannelShown",
                                                              "ChannelYields", "ChannelWeights",
                                                              "ChannelSpendWeights")}  # fmt: skip
    out |= {name: _full(count, SLOTS)
            for name in ("ChannelBudgets", "ChannelCAC", "ChannelBudgetShares")}  # fmt: skip
    out |= {"ChannelVolumes": _full(count, SLOTS, n), "ChannelUnitCosts": _full(count, SLOTS, n),
            "ChannelTotals": _full(count, n), "BlendedUnitCosts": _full(count, n),
            "ChannelRates": _full(count, SLOTS, steps),
            "ChannelLimits": _full(count, SLOTS, value="")}  # fmt: skip
    return out


def _lay_group(
    out: dict[str, np.ndarray],
    group: Group,
    inputs: ChannelInputs,
    customers: np.ndarray,
    plan_rates: np.ndarray,
    budget: np.ndarray,
) -> None:
    """Lay the engine's plan of one group's channels on its plans' rows of ``out``."""
    at, e, slots, mix = group.positions, group.entry, list(group.slots), group.mix
    core = plan_core(customers[at], mix)
    grid = np.ix_(at, slots)
    out["ChannelEntryIndex"][at] = e + 1
    out["ChannelUsed"][grid] = 1.0
    out["ChannelShown"][grid] = 1.0
    out["ChannelYields"][grid] = mix.yields
    out["ChannelWeights"][grid] = mix.shares * mix.yields
    out["ChannelSpendWeights"][grid] = mix.shares * mix.costs
    out["ChannelWeightTotal"][at] = (mix.shares * mix.yields).sum(axis=1)
    out["ChannelSpendTotal"][at] = (mix.shares * mix.costs).sum(axis=1)
    out["ChannelAboveEntry"][at] = above_rates(mix)
    out["ChannelBudgets"][grid] = core.spend
    out["ChannelVolumes"][at[:, None], slots, e:] = core.volumes
    out["ChannelUnitCosts"][at[:, None], slots, e:] = core.unit_costs
    out["ChannelCAC"][grid] = core.unit_costs[:, :, -1]
    out["ChannelBudgetShares"][grid] = per_unit(core.spend, core.budget_needed[:, None])
    out["ChannelTotals"][at] = core.plan_volumes
    out["BlendedUnitCosts"][at] = per_unit(core.budget_needed[:, None], core.plan_volumes)
    out["BlendedCAC"][at] = core.blended_cac
    out["BudgetNeeded"][at] = core.budget_needed
    out["ReachableCustomers"][at] = reach_core(budget[at], mix)
    over_volume, over_share = past_limits(core.volumes[:, :, 0], mix.shares,
                                          inputs.max_volumes[grid],
                                          inputs.max_shares[grid])  # fmt: skip
    out["ChannelLimits"][grid] = np.where(over_volume, "over its max volume",
                                          np.where(over_share, "over its max share",
                                                   ""))  # fmt: skip
    # Each channel's rate of each step: 1 above the entry stage, its own or the plan's.
    steps = plan_rates.shape[1]
    rates = np.ones((len(at), SLOTS, steps))
    rates[:, :, :] = plan_rates[at][:, None, :]
    rates[:, :, :e] = 1.0
    rates[:, slots, e:] = mix.rates
    out["ChannelRates"][at] = rates


def _shown_outputs(
    inputs: ChannelInputs,
    out: dict[str, np.ndarray],
    customers: np.ndarray,
    budget: np.ndarray,
    deal_size: np.ndarray,
    count: int,
    steps: int,
) -> dict[str, np.ndarray]:
    """The inputs as the sheet shows them (names, headers, labels), and the budget's gap and
    reach from the laid ``out``."""
    names = np.where(inputs.used, inputs.names, "").astype(object)
    entry = inputs.entry.astype(object)
    transitions = np.array([[f"{row[k]} -> {row[k + 1]}" for k in range(steps)]
                            for row in inputs.stages],
                           dtype=object).reshape(count, steps)  # fmt: skip
    return {
        "ChannelCustomers": np.asarray(customers, dtype=float),
        "ChannelBudgetGiven": np.asarray(budget, dtype=float),
        "ChannelShareTotal": np.nansum(inputs.shares, axis=1),
        "ChannelsCheck": _full(count, value=""),
        "ChannelsExampleNote": np.where(_are_the_examples(names), EXAMPLE_NOTE, "").astype(object),
        "ChannelProblems": _full(count, SLOTS, value=""),
        "ChannelNamesShown": names,
        "ChannelHeaders": np.stack(["Share of " + entry, "Cost per unit of " + entry], axis=1),
        "StepNames": transitions,
        "StepRateLabels": "Rate: " + transitions,
        "BudgetGap": np.asarray(budget, dtype=float) - out["BudgetNeeded"],
        "ReachableRevenue": out["ReachableCustomers"] * np.asarray(deal_size, dtype=float),
    }


def _are_the_examples(names: np.ndarray) -> np.ndarray:
    """Whether each plan's channels (names, "" for an unused row) are the built-in
    example's: its three names in order, case aside as Excel compares text, and no other."""
    examples = [name.casefold() for name in EXAMPLE_CHANNEL_NAMES]
    examples += [""] * (names.shape[1] - len(examples))
    folded = np.vectorize(lambda name: str(name).casefold(), otypes=[object])(names)
    return (folded == np.array(examples, dtype=object)).all(axis=1)
