"""Channels: the budget a goal needs, bottom-up, and what each channel brings.

A marketing lead buys the plan's leads (or its opportunities: the *entry* stage) from
channels, each with its share of the entry stage's volume, its cost per unit of it (cost per
lead) and, where they differ from the plan's, its own conversion rates below the entry
stage. From the customers the goal needs, the mix gives each channel's volumes, its budget,
its cost per stage and its CAC, and the budget the whole goal needs; from a budget, the
revenue that mix can reach (the forward direction).

The math, for channels ``i`` with share ``s[i]``, cost per unit ``p[i]`` and yield ``y[i]``
(the product of its rates from the entry stage to customers)::

    entry volume  E = C / sum(s * y)          C: customers needed (goal / deal size)
    customers of i  c[i] = C * s[i] y[i] / sum(s * y), walked up by its rates to its entry
                    volume E[i] = s[i] E
    budget          B = sum(E[i] p[i]) = C * sum(s * p) / sum(s * y)
    reachable       revenue = budget * sum(s * y) / sum(s * p) * deal size

so a mix of one channel with the plan's rates is exactly :func:`kpi_engine.reverse_funnel`
(the same divisions in the same order). Volumes are exact (fractional): a channel's share of
a whole-number plan is rarely whole. Source: planning spreadsheets derive the demand
budget from the target and the cost per stage (DOMAIN.md, issue 11).

Every function runs one array implementation for one plan (scalar) and for a frame of
scenarios (:func:`kpi_engine.frame.channel_budget`), so the two agree to the last bit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kpi_engine._args import Args, Given
from kpi_engine.channel_inputs import (
    SHARE_TOLERANCE,
    Channel,
    Mix,
    check_names,
    default_entry,
    entry_index,
    read_mix,
)
from kpi_engine.funnel import _customers, _walk_up, resolve_stages

__all__ = [
    "SHARE_TOLERANCE", "Channel", "ChannelPlan", "ChannelResult", "Mix", "MixPlan",
    "channel_plan", "check_names", "default_entry", "entry_index", "plan_core",
    "reachable_revenue", "read_mix",
]  # fmt: skip


@dataclass(frozen=True)
class ChannelResult:
    """What one channel brings and costs: volumes from the entry stage down."""

    name: str
    share: float
    volumes: dict[str, float]
    budget: float
    cost_per_stage: dict[str, float]
    cac: float


@dataclass(frozen=True)
class ChannelPlan:
    """The bottom-up plan: each channel, the totals, and the budget against the one given.

    ``volumes`` are the plan's, every stage (above the entry stage by the plan's rates);
    ``budget_gap`` is ``budget - budget_needed`` (a surplus when positive), and
    ``reachable_customers`` and ``reachable_revenue`` what the given budget reaches with
    this mix: None when no budget is given (the revenue also without a deal size).
    """

    entry: str
    channels: tuple[ChannelResult, ...]
    volumes: dict[str, float]
    budget_needed: float
    cac: float
    budget: float | None = None
    budget_gap: float | None = None
    reachable_customers: float | None = None
    reachable_revenue: float | None = None


def mix_volumes(customers: np.ndarray, mix: Mix) -> np.ndarray:
    """Each channel's volumes from the entry stage to customers: (rows, channels, steps + 1).

    The customers are split by each channel's weight ``s * y`` and walked up by its rates,
    as :func:`kpi_engine.reverse_funnel` walks up one funnel.
    """
    weights = mix.shares * mix.yields
    total = weights.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        volume = customers[:, None] * (weights / total)
    steps = mix.rates.shape[2]
    volumes = np.empty((*volume.shape, steps + 1))
    for column in range(steps, -1, -1):
        if column < steps:
            volume = volume / mix.rates[:, :, column]
        volumes[:, :, column] = volume
    return volumes


def above_entry(entry_volume: np.ndarray, mix: Mix) -> np.ndarray:
    """The plan's stages above the entry stage, walked up by its rates: (rows, entry)."""
    return _walk_up(entry_volume, mix.above, False)[:, :-1]


def budget_core(customers: np.ndarray, mix: Mix) -> tuple[np.ndarray, np.ndarray]:
    """Each channel's budget (rows, channels) and the channels' volumes."""
    volumes = mix_volumes(customers, mix)
    return volumes[:, :, 0] * mix.costs, volumes


def reach_core(budget: np.ndarray, mix: Mix) -> np.ndarray:
    """Customers a budget reaches with the mix: budget / sum(s p) * sum(s y)."""
    return budget / (mix.shares * mix.costs).sum(axis=1) * (mix.shares * mix.yields).sum(axis=1)


def _read_plan(
    args: Args,
    goal: Given,
    rates: Sequence[Given],
    channels: Sequence[Channel],
    deal_size: Given | None,
    entry: str | None,
    stages: Sequence[str] | None,
    shares_needed: bool = True,
) -> tuple[np.ndarray, Mix]:
    names = resolve_stages(stages, len(list(rates)))
    mix = read_mix(args, [c.name for c in channels], [c.share for c in channels],
                   [c.cost_per_unit for c in channels], [c.rates for c in channels],
                   list(rates), names, entry, shares_needed=shares_needed)  # fmt: skip
    customers = _customers(args, goal, deal_size)
    args.raise_if_any()
    return customers, mix


@dataclass(frozen=True)
class MixPlan:
    """A mix's plan as arrays over rows (one row for a scalar call): what
    :func:`channel_plan` reports, and the Channels sheet shows, for many plans at once."""

    volumes: np.ndarray  # (rows, channels, steps + 1): each channel, from the entry stage down
    spend: np.ndarray  # (rows, channels): each channel's budget
    plan_volumes: np.ndarray  # (rows, stages): the plan's, every stage
    budget_needed: np.ndarray  # (rows,): the channels' budgets added up

    @property
    def unit_costs(self) -> np.ndarray:
        """Each channel's cost per unit of each stage from the entry down (cost per lead,
        per MQL, ... and its CAC last): (rows, channels, steps + 1)."""
        return per_unit(self.spend[:, :, None], self.volumes)

    @property
    def blended_cac(self) -> np.ndarray:
        """The budget needed per customer of the plan: (rows,)."""
        return per_unit(self.budget_needed, self.plan_volumes[:, -1])


def per_unit(spend: np.ndarray, volume: np.ndarray) -> np.ndarray:
    """Spend / volume, NaN where the volume is 0 (nothing to divide by, not infinity)."""
    spend, volume = np.broadcast_arrays(np.asarray(spend, dtype=float), volume)
    return np.divide(spend, volume, out=np.full(spend.shape, np.nan), where=volume != 0)


def plan_core(customers: np.ndarray, mix: Mix) -> MixPlan:
    """The plan of a mix for each row's customers: each channel's volumes and budget, the
    plan's volumes (above the entry stage walked up by the plan's rates) and the budget."""
    spend, volumes = budget_core(customers, mix)
    entry_total = volumes[:, :, 0].sum(axis=1)
    plan_volumes = np.concatenate([above_entry(entry_total, mix), volumes.sum(axis=1)], axis=1)
    return MixPlan(volumes, spend, plan_volumes, spend.sum(axis=1))


def channel_plan(
    goal: float,
    rates: Sequence[float],
    channels: Sequence[Channel],
    *,
    deal_size: float | None = None,
    entry: str | None = None,
    stages: Sequence[str] | None = None,
    budget: float | None = None,
) -> ChannelPlan:
    """The budget a goal needs from a channel mix, and what each channel brings.

    Parameters
    ----------
    goal, rates, deal_size, stages
        As :func:`kpi_engine.reverse_funnel`: revenue (with ``deal_size``) or customers
        for the year, the plan's conversion rates, the stage names.
    channels
        The mix: each :class:`Channel`'s share of the ``entry`` stage, cost per unit and
        own rates; the shares add up to 1.
    entry
        The stage the channels bring and are paid for: ``"Leads"`` (cost per lead) or
        any stage above the last (``"Opportunities"`` for partners who bring deals);
        None: Leads, or the funnel's second stage where it has no Leads.
    budget
        The marketing budget to compare: gives ``budget_gap`` and ``reachable_revenue``.

    Notes
    -----
    A channel's cost per stage is its budget / its volume at that stage, NaN where the
    volume is 0 (a channel with a share of 0); its CAC is the last of them.

    Examples
    --------
    Seed 000's funnel below leads (20 %, 20 %, 40 %, 50 %: 0.8 % of leads close), 9
    customers; paid search brings 60 % of the leads at 50 each, events 40 % at 120:
    9 / 0.008 = 1,125 leads, 675 from search (33,750) and 450 from events (54,000).

    >>> mix = [Channel("Paid search", 0.6, 50), Channel("Events", 0.4, 120)]
    >>> plan = channel_plan(9, [0.015, 0.2, 0.2, 0.4, 0.5], mix, budget=100_000)
    >>> [round(c.budget, 6) for c in plan.channels], round(plan.budget_needed, 6)
    ([33750.0, 54000.0], 87750.0)
    >>> round(plan.budget_gap, 6), round(plan.volumes["Visits"], 6)
    (12250.0, 75000.0)
    """
    args = Args()
    customers, mix = _read_plan(args, goal, rates, channels, deal_size, entry, stages)
    if budget is not None:
        budget_value = args.non_negative("budget", budget)
        args.raise_if_any()
    core = plan_core(customers, mix)
    costs = core.unit_costs[0]
    below = mix.stages[mix.entry :]
    results = []
    for i, name in enumerate(mix.names):
        results.append(ChannelResult(
            name, float(mix.shares[0, i]),
            dict(zip(below, core.volumes[0, i].tolist(), strict=True)), float(core.spend[0, i]),
            dict(zip(below, costs[i].tolist(), strict=True)), float(costs[i, -1]),
        ))  # fmt: skip
    needed = float(core.budget_needed[0])
    plan = ChannelPlan(mix.stages[mix.entry], tuple(results),
                       dict(zip(mix.stages, core.plan_volumes[0].tolist(), strict=True)), needed,
                       float(core.blended_cac[0]))  # fmt: skip
    if budget is None:
        return plan
    given = float(budget_value[0])
    reached = float(reach_core(budget_value, mix)[0])
    revenue = None if deal_size is None else reached * float(deal_size)
    return dataclasses.replace(
        plan,
        budget=given,
        budget_gap=given - needed,
        reachable_customers=reached,
        reachable_revenue=revenue,
    )


def reachable_revenue(
    budget: float,
    rates: Sequence[float],
    channels: Sequence[Channel],
    *,
    deal_size: float,
    entry: str | None = None,
    stages: Sequence[str] | None = None,
) -> float:
    """Revenue a budget can reach with a channel mix: the plan run forward.

    ``budget / sum(share * cost per unit)`` units of the entry stage, times the mix's
    customers per unit, times the deal size.

    >>> mix = [Channel("Paid search", 0.6, 50), Channel("Events", 0.4, 120)]
    >>> round(reachable_revenue(87_750, [0.015, 0.2, 0.2, 0.4, 0.5], mix, deal_size=1.1e6), 6)
    9900000.0
    """
    args = Args()
    _, mix = _read_plan(args, 0.0, rates, channels, deal_size, entry, stages)
    spend = args.non_negative("budget", budget)
    args.raise_if_any()
    return float(reach_core(spend, mix)[0] * float(deal_size))
