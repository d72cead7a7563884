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
from kpi_engine.errors import KPIInputError, Problem
from kpi_engine.funnel import _customers, _read_rates, _walk_up, resolve_stages

#: Shares must add up to 1 within this (so 1/3 + 1/3 + 1/3 typed as fractions passes).
SHARE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Channel:
    """One source of the plan's entry-stage volume (leads, say).

    Attributes
    ----------
    name
        Unique, not empty: "Paid search", "Events"...
    share
        Fraction of the entry stage's volume it brings (0.4 for 40 %); the shares of a
        mix add up to 1. May be None for :func:`~kpi_engine.channel_mix.optimal_mix`.
    cost_per_unit
        What one unit of the entry stage costs from it (cost per lead), > 0.
    rates
        Its own conversion rates from the entry stage down, where they differ from the
        plan's; None (or a shorter tuple) keeps the plan's.
    max_volume, max_share
        Limits for the optimal mix: at most this many units, or this share, of the entry
        stage (None: no limit).
    """

    name: str
    share: float | None
    cost_per_unit: float
    rates: tuple[float | None, ...] = ()
    max_volume: float | None = None
    max_share: float | None = None


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


@dataclass(frozen=True)
class Mix:
    """A mix read and checked, as arrays: rows (scenarios) x channels (x steps)."""

    names: tuple[str, ...]
    shares: np.ndarray  # (rows, channels)
    costs: np.ndarray  # (rows, channels)
    rates: np.ndarray  # (rows, channels, steps from the entry stage): own or the plan's
    own: np.ndarray  # (channels, steps): True where the channel has its own rate
    above: list[np.ndarray]  # the plan's rates above the entry stage, top first
    stages: tuple[str, ...]
    entry: int  # index of the entry stage

    @property
    def yields(self) -> np.ndarray:
        """Customers per unit of the entry stage, each channel: its rates multiplied."""
        return np.prod(self.rates, axis=2)


def check_names(names: Sequence[object]) -> tuple[str, ...]:
    """Channel names: text, not empty, each once (ignoring case)."""
    problems = []
    for i, name in enumerate(names):
        if not isinstance(name, str) or not name.strip():
            problems.append(Problem(f"channels[{i}].name", name, "must be a name, not empty"))
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        key = str(name).strip().casefold()
        if key in seen and str(name).strip():
            rule = f"is the name of channels[{seen[key]}] too: each channel needs its own"
            problems.append(Problem(f"channels[{i}].name", name, rule))
        seen.setdefault(key, i)
    if not names:
        problems.append(Problem("channels", [], "is empty: give at least one channel"))
    if problems:
        raise KPIInputError(problems)
    return tuple(str(name).strip() for name in names)


def default_entry(stages: Sequence[str]) -> str:
    """The stage channels bring when none is named: Leads where the funnel has them above
    its last stage, else its second stage (the first below the top) or, in a funnel of two
    stages, the top.

    >>> default_entry(["Visits", "Leads", "Customers"]), default_entry(["Web", "Won"])
    ('Leads', 'Web')
    """
    if "Leads" in stages[:-1]:
        return "Leads"
    return stages[min(1, len(stages) - 2)]


def entry_index(entry: str | None, stages: Sequence[str]) -> int:
    """Where the channels' entry stage is in the funnel (not the last stage); None: the
    :func:`default_entry`."""
    if entry is None:
        entry = default_entry(stages)
    if entry not in stages[:-1]:
        allowed = ", ".join(stages[:-1])
        raise KPIInputError([Problem("entry", entry, f"must be a stage above the last: {allowed}")])
    return list(stages).index(entry)


def read_mix(
    args: Args,
    names: Sequence[object],
    shares: Sequence[Given],
    costs: Sequence[Given],
    own_rates: Sequence[Sequence[Given | None]],
    plan_rates: Sequence[Given],
    stages: Sequence[str],
    entry: str | None,
    *,
    shares_needed: bool = True,
) -> Mix:
    """Read a mix for one row (``args.frame`` None) or a frame's rows; every problem of
    every channel and row is collected before raising."""
    channel_names = check_names(list(names))
    start = entry_index(entry, stages)
    plan = _read_rates(args, plan_rates, stages)
    steps = len(stages) - 1 - start
    share_list, cost_list, rate_rows = [], [], []
    own = np.zeros((len(channel_names), steps), dtype=bool)
    for i, name in enumerate(channel_names):
        label = f"channels[{i}] ({name})" if args.frame is None else name
        if shares_needed:
            share_list.append(args.fraction(f"{label} share", shares[i]))
        cost_list.append(args.positive(f"{label} cost per unit", costs[i],
                                       "a channel that costs nothing per unit needs no budget: "
                                       "give its cost per lead (or per entry unit)"))  # fmt: skip
        given = list(own_rates[i]) if i < len(own_rates) and own_rates[i] is not None else []
        if len(given) > steps:
            rule = f"has {len(given)} rates; from {stages[start]} down the funnel has {steps}"
            raise KPIInputError([Problem(f"{label} rates", given, rule)])
        row = []
        for j in range(steps):
            transition = f"{stages[start + j]} -> {stages[start + j + 1]}"
            if j < len(given) and given[j] is not None:
                own[i, j] = True
                row.append(args.fraction(f"{label} {transition} rate", given[j],
                                         f"a rate of 0 means {name} brings no "
                                         f"{stages[start + j + 1]}"))  # fmt: skip
            else:
                row.append(plan[start + j])
        rate_rows.append(np.stack(row, axis=1) if row else np.ones((args.size, 0)))
    shares_array = np.stack(share_list, axis=1) if shares_needed else np.ones((args.size, 0))
    if shares_needed:
        total = shares_array.sum(axis=1)
        off = np.abs(total - 1) > SHARE_TOLERANCE
        args.flag(off, "shares", total, _shares_off)
    args.raise_if_any()
    return Mix(channel_names, shares_array, np.stack(cost_list, axis=1), np.stack(rate_rows, 1),
               own, plan[:start], tuple(stages), start)  # fmt: skip


def _shares_off(total: float) -> str:
    side = "short of" if total < 1 else "over"
    return (
        f"add up to {total:.4%}, {abs(1 - total):.4%} {side} 100 %: a mix's shares add up to 100 %"
    )


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
    spend, volumes = budget_core(customers, mix)
    entry_total = volumes[:, :, 0].sum(axis=1)
    plan_volumes = np.concatenate([above_entry(entry_total, mix)[0], volumes[0].sum(axis=0)])
    below = mix.stages[mix.entry :]
    results = []
    for i, name in enumerate(mix.names):
        own = volumes[0, i]
        results.append(ChannelResult(
            name, float(mix.shares[0, i]), dict(zip(below, own.tolist(), strict=True)),
            float(spend[0, i]),
            {stage: _per(spend[0, i], v) for stage, v in zip(below, own.tolist(), strict=True)},
            _per(spend[0, i], own[-1]),
        ))  # fmt: skip
    needed = float(spend[0].sum())
    plan = ChannelPlan(mix.stages[mix.entry], tuple(results),
                       dict(zip(mix.stages, plan_volumes.tolist(), strict=True)), needed,
                       _per(needed, plan_volumes[-1]))  # fmt: skip
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


def _per(spend: float, volume: float) -> float:
    """Spend per unit; NaN where the volume is 0 (nothing to divide by)."""
    return float(spend) / float(volume) if volume else float("nan")


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
