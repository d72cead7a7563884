"""The cheapest channel mix that reaches the goal, within each channel's limits.

A linear program (HiGHS, through :func:`scipy.optimize.linprog`) over ``x[i]``, the units of
the entry stage (leads) bought from channel ``i`` at cost per unit ``p[i]``, each bringing
``y[i]`` customers (its rates multiplied)::

    minimise    sum(p * x)
    subject to  sum(y * x) >= C                 the customers the goal needs
                x[i] <= max_volume[i]           where a channel has a volume limit
                x[i] <= max_share[i] * sum(x)   where it has a share limit
                x >= 0

Without limits the answer is the one channel with the lowest cost per customer ``p / y``;
limits spread the mix, and the limits that bind (that cost money) are named. An
infeasible set of limits is refused with the most customers the limits allow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kpi_engine._args import Args
from kpi_engine.channels import Channel, ChannelPlan, Mix, _read_plan, channel_plan
from kpi_engine.errors import KPIInputError, Problem

#: A limit binds when relaxing it by one unit saves more than this share of the budget.
_BINDING = 1e-9


@dataclass(frozen=True)
class OptimalMix:
    """The solver's mix: each channel's share and entry volume, the budget, the limits that
    bind (in words), and the whole :class:`~kpi_engine.channels.ChannelPlan` of that mix."""

    shares: dict[str, float]
    volumes: dict[str, float]
    budget: float
    binding: tuple[str, ...]
    plan: ChannelPlan


def _limits(args: Args, channels: Sequence[Channel], mix: Mix) -> tuple[np.ndarray, np.ndarray]:
    """Each channel's volume and share limit (inf and 1: none), checked."""
    volume = np.full(len(channels), np.inf)
    share = np.ones(len(channels))
    for i, channel in enumerate(channels):
        label = f"channels[{i}] ({mix.names[i]})"
        if channel.max_volume is not None:
            volume[i] = args.non_negative(f"{label} max_volume", channel.max_volume,
                                          "a volume")[0]  # fmt: skip
        if channel.max_share is not None:
            share[i] = args.fraction(f"{label} max_share", channel.max_share)[0]
    args.raise_if_any()
    return volume, share


def _limit_constraints(
    max_volume: np.ndarray, max_share: np.ndarray
) -> tuple[np.ndarray, list[np.ndarray], list[tuple[float, float | None]]]:
    """The channels with a share limit, their rows ``x[i] - max_share[i] * sum(x) <= 0``,
    and each channel's bounds ``0 <= x[i] <= max_volume[i]`` (no upper bound: None)."""
    capped = np.flatnonzero(max_share < 1)
    count = len(max_share)
    rows = [np.eye(count)[i] - max_share[i] for i in capped]
    bounds = [(0, None if np.isinf(v) else v) for v in max_volume]
    return capped, rows, bounds


def past_limits(
    entry_volumes: np.ndarray, shares: np.ndarray, max_volume: np.ndarray, max_share: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Where a mix goes past a channel's limits: (over its max volume, over its max share),
    element by element; a limit of NaN is none. A volume counts as over past a relative
    1e-9, a share past 1e-12, so a mix the solver put exactly at a limit is within it.

    >>> over_volume, over_share = past_limits(np.array([700.0, 400.0]), np.array([0.6, 0.4]),
    ...                                       np.array([500.0, np.nan]), np.array([np.nan, 0.4]))
    >>> over_volume.tolist(), over_share.tolist()
    ([True, False], [False, False])
    """
    with np.errstate(invalid="ignore"):
        over_volume = entry_volumes > max_volume * (1 + 1e-9)
        over_share = shares > max_share + 1e-12
    return over_volume, over_share


def _describe(limit: str, name: str, value: float, entry: str) -> str:
    if limit == "volume":
        return f"{name}: at most {value:,.6g} {entry}"
    return f"{name}: at most {value * 100:.4g} % of {entry}"


def optimal_mix(
    goal: float,
    rates: Sequence[float],
    channels: Sequence[Channel],
    *,
    deal_size: float | None = None,
    entry: str | None = None,
    stages: Sequence[str] | None = None,
) -> OptimalMix:
    """The cheapest mix of ``channels`` that reaches the goal within their limits
    (``max_volume``, ``max_share``); their ``share`` is ignored. Arguments as
    :func:`~kpi_engine.channels.channel_plan`.

    Examples
    --------
    Seed 000's funnel below leads closes 0.8 % of leads; 9 customers need 1,125 leads.
    Search costs 50 a lead but gives at most 500; events cost 120 with no limit:
    500 x 50 + 625 x 120 = 100,000, and the search limit binds.

    >>> mix = [Channel("Search", None, 50, max_volume=500), Channel("Events", None, 120)]
    >>> best = optimal_mix(9, [0.015, 0.2, 0.2, 0.4, 0.5], mix)
    >>> {k: round(v, 6) for k, v in best.volumes.items()}, round(best.budget, 6)
    ({'Search': 500.0, 'Events': 625.0}, 100000.0)
    >>> best.binding
    ('Search: at most 500 Leads',)
    """
    from scipy.optimize import linprog  # only the optimiser needs scipy: imported here

    args = Args()
    customers, mix = _read_plan(args, goal, rates, channels, deal_size, entry, stages,
                                shares_needed=False)  # fmt: skip
    max_volume, max_share = _limits(args, channels, mix)
    needed, yields, costs = float(customers[0]), mix.yields[0], mix.costs[0]
    entry_name = mix.stages[mix.entry]
    count = len(channels)
    capped, share_rows, bounds = _limit_constraints(max_volume, max_share)
    # Rows: the customers (scaled to 1, so the solver's tolerances fit any goal), then
    # the share limits.
    rows = ([-yields / needed] if needed > 0 else []) + share_rows
    scale = costs.max()
    result = linprog(c=costs / scale, A_ub=np.array(rows) if rows else None,
                     b_ub=np.array([-1.0] * (needed > 0) + [0.0] * len(capped)) if rows else None,
                     bounds=bounds, method="highs")  # fmt: skip
    if result.status == 2:
        raise KPIInputError([_infeasible(linprog, needed, yields, max_volume, max_share,
                                         mix.names, entry_name)])  # fmt: skip
    if result.status != 0:
        rule = f"leave a mix the solver cannot compute ({result.message})"
        raise KPIInputError([Problem("channels", list(mix.names), rule)])
    volumes = np.maximum(result.x, 0.0)
    total = volumes.sum()
    binding = []
    for i in np.flatnonzero(result.upper.marginals < -_BINDING).tolist():
        binding.append(_describe("volume", mix.names[i], max_volume[i], entry_name))
    share_prices = result.ineqlin.marginals[int(needed > 0) :]
    for i, price in zip(capped.tolist(), share_prices.tolist(), strict=True):
        if price < -_BINDING:
            binding.append(_describe("share", mix.names[i], max_share[i], entry_name))
    shares = volumes / total if total > 0 else np.full(count, 1 / count)
    # The plan of this mix: its shares, renormalised so they add up to 1 to the last bit.
    shares = shares / shares.sum()
    chosen = [Channel(c.name, float(s), c.cost_per_unit, c.rates) for c, s in
              zip(channels, shares.tolist(), strict=True)]  # fmt: skip
    plan = channel_plan(goal, rates, chosen, deal_size=deal_size, entry=entry, stages=stages)
    return OptimalMix(dict(zip(mix.names, shares.tolist(), strict=True)),
                      dict(zip(mix.names, volumes.tolist(), strict=True)),
                      float(costs @ volumes), tuple(binding), plan)  # fmt: skip


def _infeasible(linprog, needed, yields, max_volume, max_share, names, entry) -> Problem:
    """Why no mix fits the limits: the most customers they allow, and which limits, each
    channel's in words (``Search max volume 100, Events max share 30%``)."""
    if max_share.sum() < 1 - 1e-9:
        shares = ", ".join(
            f"{name} {share * 100:.4g}%"
            for name, share in zip(names, max_share.tolist(), strict=True)
        )
        rule = (f"allow at most {max_share.sum():.1%} of {entry} in all (the max shares "
                "add up to less than 100 %): raise a max_share or leave one out")  # fmt: skip
        return Problem("max_share", shares, rule)
    _, rows, bounds = _limit_constraints(max_volume, max_share)
    best = linprog(c=-yields, A_ub=np.array(rows) if rows else None,
                   b_ub=np.zeros(len(rows)) if rows else None, bounds=bounds,
                   method="highs")  # fmt: skip
    most = -best.fun if best.status == 0 else 0.0
    limits = []
    for name, volume, share in zip(names, max_volume.tolist(), max_share.tolist(), strict=True):
        if np.isfinite(volume):
            limits.append(f"{name} max volume {volume:,.6g}")
        if share < 1:
            limits.append(f"{name} max share {share * 100:.4g}%")
    rule = (f"let the channels bring at most {most:,.4g} customers of the {needed:,.4g} "
            f"needed: raise a max_volume or max_share, or add a channel")  # fmt: skip
    return Problem("limits", ", ".join(limits), rule)
