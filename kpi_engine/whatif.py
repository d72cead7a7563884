"""What-if: which improvement moves a channel plan most.

For each input of a :func:`~kpi_engine.channels.channel_plan` (each conversion rate, the deal
size, each channel's cost per unit and its own rates) :func:`sensitivity` improves it by a
step (10 % by default: a rate times 1.1, at most 1; a deal 10 % bigger; a cost 10 % lower)
and reports the budget the goal then needs and the top-of-funnel volume, ranked by the
budget saved: "a 10 % better MQL -> SQL rate saves 8,775 of budget". A negative step asks
the other question (what a 10 % worse input costs).

With ``B = C * sum(s p) / sum(s y)`` (see :mod:`kpi_engine.channels`) every alternative is
a closed form over arrays, so a frame of scenarios gets all of them at once
(:func:`sensitivity_core`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from kpi_engine._args import Args
from kpi_engine.channels import Channel, Mix, _read_plan
from kpi_engine.errors import KPIInputError, Problem


@dataclass(frozen=True)
class WhatIf:
    """One input improved by the step, and what the plan then needs.

    ``budget_saved`` and ``top_saved`` (the top stage's volume, visits say) are positive
    when the change helps.
    """

    input: str
    before: float
    after: float
    budget: float
    budget_saved: float
    top_volume: float
    top_saved: float


def read_step(step: object) -> float:
    """The what-if step: a fraction between -1 and 1, not 0 (0.1 for 10 % better).

    A step of 1 or more would make a cost 100 % lower or less than nothing, and one of -1
    or less a rate of nothing or below: both are refused.
    """
    if isinstance(step, bool) or not isinstance(step, int | float) or not np.isfinite(step):
        raise KPIInputError([Problem("step", step, "must be a number, e.g. 0.1 for 10 %")])
    if step == 0:
        rule = "is 0: a what-if changes its input; give 0.1 for 10 % better, -0.1 for worse"
        raise KPIInputError([Problem("step", step, rule)])
    if step <= -1:
        raise KPIInputError([Problem("step", step, "must be above -1 (-100 %): a rate "
                                     "cannot fall to nothing or below")])  # fmt: skip
    if step >= 1:
        raise KPIInputError([Problem("step", step, "must be below 1 (100 %): a cost cannot "
                                     "fall by 100 % or more")])  # fmt: skip
    return float(step)


def _better_rate(rate: np.ndarray, step: float) -> np.ndarray:
    return np.minimum(rate * (1 + step), 1.0)


def above_rates(mix: Mix) -> np.ndarray | float:
    """The plan's rates above the entry stage multiplied (1 when the entry is the top):
    entry volume / this = the top stage's volume."""
    return np.prod(np.stack(mix.above, axis=1), axis=1) if mix.above else 1.0


@dataclass(frozen=True)
class Lever:
    """An input the what-if changes: one of the plan's rates (``step``: 0 is the top stage's
    rate into the second), the deal size, a channel's cost per unit, or a channel's own
    rate (``channel`` and ``step``)."""

    kind: Literal["rate", "deal size", "cost", "own rate"]
    step: int | None = None
    channel: int | None = None

    def name(self, mix: Mix) -> str:
        """How the ranking names it: ``MQL -> SQL rate``, ``Events cost per unit``..."""
        if self.kind == "deal size":
            return "deal size"
        if self.kind == "cost":
            return f"{mix.names[self.channel]} cost per unit"
        transition = f"{mix.stages[self.step]} -> {mix.stages[self.step + 1]} rate"
        return transition if self.kind == "rate" else f"{mix.names[self.channel]} {transition}"


def sensitivity_core(
    customers: np.ndarray, mix: Mix, step: float | np.ndarray, deal: np.ndarray | None
) -> tuple[tuple[np.ndarray, np.ndarray], dict[Lever, tuple[np.ndarray, ...]]]:
    """The plan before any change, (budget, top stage's volume) per row: ``C * sum(s p) /
    sum(s y)`` and ``C / sum(s y)`` walked above the entry stage; and each lever's (before,
    after, budget, top-stage volume) per row, in the order the ranking breaks ties by: the
    plan's rates top down, the deal size (with ``deal``, each row's, in money: before and
    after are money too), then each channel's cost and own rates."""
    yields = mix.yields
    spend_weight = (mix.shares * mix.costs).sum(axis=1)
    weight = (mix.shares * yields).sum(axis=1)
    above = above_rates(mix)

    def outcome(c, s, w):
        return c * s / w, c / w / above

    base = outcome(customers, spend_weight, weight)
    results = {}
    for j, rate in enumerate(mix.above):  # above the entry stage: volumes only
        after = _better_rate(rate, step)
        budget, top = base
        results[Lever("rate", j)] = (rate, after, budget, top * rate / after)
    for t in range(mix.rates.shape[2]):  # the plan's rates below: channels without their own
        uses_plan = ~mix.own[:, t]
        if not uses_plan.any():
            continue
        rate = mix.rates[:, np.flatnonzero(uses_plan)[0], t]
        after = _better_rate(rate, step)
        factor = np.where(uses_plan[None, :], (after / rate)[:, None], 1.0)
        improved = (mix.shares * yields * factor).sum(axis=1)
        changed = outcome(customers, spend_weight, improved)
        results[Lever("rate", mix.entry + t)] = (rate, after, *changed)
    if deal is not None:  # a bigger deal: fewer customers for the same revenue
        bigger = outcome(customers / (1 + step), spend_weight, weight)
        results[Lever("deal size")] = (deal, deal * (1 + step), *bigger)
    for i in range(len(mix.names)):
        cost = mix.costs[:, i]
        after = cost * (1 - step)
        saved = mix.shares[:, i] * cost * step
        cheaper = outcome(customers, spend_weight - saved, weight)
        results[Lever("cost", channel=i)] = (cost, after, *cheaper)
        for t in np.flatnonzero(mix.own[i]).tolist():
            rate = mix.rates[:, i, t]
            better = _better_rate(rate, step)
            gained = mix.shares[:, i] * yields[:, i] * (better / rate - 1)
            results[Lever("own rate", mix.entry + t, i)] = (
                rate, better, *outcome(customers, spend_weight, weight + gained))  # fmt: skip
    return base, results


def rank_order(budget_saved: np.ndarray, top_saved: np.ndarray) -> np.ndarray:
    """The order of the levers, largest budget saving first, then the largest top-stage
    saving, then as listed: indices along the last axis (rows x levers, or one row).

    Savings are compared rounded to 9 decimals, so two levers that save the same budget
    by different arithmetic (a better rate every channel shares, a bigger deal) tie.

    >>> rank_order(np.array([5.0, 7.0, 7.0, 1.0]), np.array([0.0, 1.0, 2.0, 9.0])).tolist()
    [2, 1, 0, 3]
    """
    keys = (-np.round(top_saved, 9), -np.round(budget_saved, 9))
    return np.lexsort(keys, axis=-1)


def sensitivity(
    goal: float,
    rates: Sequence[float],
    channels: Sequence[Channel],
    *,
    deal_size: float | None = None,
    entry: str | None = None,
    stages: Sequence[str] | None = None,
    step: float = 0.1,
) -> list[WhatIf]:
    """Each input improved by ``step``, ranked by the budget it saves (then the top stage's
    volume it saves); arguments as :func:`~kpi_engine.channels.channel_plan`.

    A rate becomes ``min(rate * (1 + step), 1)``, the deal size ``deal * (1 + step)`` and a
    cost per unit ``cost * (1 - step)``; the deal size's from and to are money (1,100,000 ->
    1,210,000).

    Examples
    --------
    Seed 000's funnel and 9 customers, paid search 60 % of the leads at 50, events 40 % at
    120: the plan needs 87,750. A 10 % better MQL -> SQL rate (0.2 -> 0.22) leaves 87,750 /
    1.1 = 79,772.73, saving 7,977.27; so does any 10 % better rate below leads, and a 10 %
    bigger deal. Events 10 % cheaper saves 0.4 x 1,125 leads x 12 = 5,400; search 3,375.

    >>> mix = [Channel("Paid search", 0.6, 50), Channel("Events", 0.4, 120)]
    >>> ranked = sensitivity(9, [0.015, 0.2, 0.2, 0.4, 0.5], mix)
    >>> [(w.input, round(w.budget_saved, 2)) for w in ranked[4:]]
    [('Events cost per unit', 5400.0), ('Paid search cost per unit', 3375.0),
     ('Visits -> Leads rate', 0.0)]
    >>> round(ranked[0].budget_saved, 2)
    7977.27
    """
    size = read_step(step)
    args = Args()
    customers, mix = _read_plan(args, goal, rates, channels, deal_size, entry, stages)
    deal = None if deal_size is None else np.full_like(customers, float(deal_size))
    (budgets, tops), changes = sensitivity_core(customers, mix, size, deal)
    base_budget, base_top = float(budgets[0]), float(tops[0])
    found = []
    for lever, (before, after, budget, top) in changes.items():
        found.append(WhatIf(lever.name(mix), float(before[0]), float(after[0]),
                            float(budget[0]), base_budget - float(budget[0]), float(top[0]),
                            base_top - float(top[0])))  # fmt: skip
    order = rank_order(np.array([w.budget_saved for w in found]),
                       np.array([w.top_saved for w in found]))  # fmt: skip
    return [found[i] for i in order.tolist()]
