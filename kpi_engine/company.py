"""A company's plan: the revenue that does not go through the new-logo funnel, the goal's
split between segments and sources, targets that ramp through the year, and the roll-up of
several funnels into one.

- **The ARR bridge** (:func:`arr_bridge`): starting ARR + new + expansion - contraction -
  churn = ending ARR. Net revenue retention (NRR) is what this year's customers bring next
  year over what they bring now, expansion included; gross revenue retention (GRR) the same
  without expansion. So expansion is ``start x (NRR - GRR)``, churn and contraction
  ``start x (1 - GRR)``, and new logos must bring ``target - start x NRR``.
- **Expansion goals** (:func:`new_logo_goal`): a bookings goal less what existing customers
  bring is the new-logo funnel's goal.
- **Shares** (:func:`segment_goals`, :func:`sourced_target`): each segment's or source's
  share of the goal, in money and in whole deals (SiriusDecisions' marketing-sourced target).
- **Ramps** (:func:`ramp_weights`): quarterly or monthly targets as the plan's seasonality
  weights, so each period's own target goes through the funnel and the lags, and whole
  numbers chain and add up as they do for any seasonality.
- **Roll-ups** are :mod:`kpi_engine.rollup`'s.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kpi_engine._args import Args, Given
from kpi_engine.errors import KPIInputError, Problem, show_value
from kpi_engine.funnel import _round_up

__all__ = [
    "ARRBridge",
    "SourcedTarget",
    "arr_bridge",
    "new_logo_goal",
    "ramp_weights",
    "segment_goals",
    "sourced_target",
]

#: How far apart the shares of a goal may add up from 1 (rounding of typed percentages).
SHARE_TOLERANCE = 1e-9


# -- the ARR bridge -----------------------------------------------------------------------


@dataclass(frozen=True)
class ARRBridge:
    """A year's ARR bridge, in money a year (see :func:`arr_bridge`)."""

    starting_arr: float
    expansion: float
    churn_and_contraction: float
    new_logo_arr: float
    ending_arr: float
    net_retention: float
    gross_retention: float


def bridge_core(
    args: Args, starting_arr: Given, net_retention: Given, gross_retention: Given, target_arr: Given
) -> dict[str, np.ndarray]:
    """The bridge's arrays for every row, with every broken rule flagged and raised."""
    start = args.non_negative("starting_arr", starting_arr)
    gross = args.fraction("gross_retention", gross_retention)
    net = args.non_negative("net_retention", net_retention, "a retention rate")
    target = args.non_negative("target_arr", target_arr)

    # NRR passes 100 % (1.1 for 110 %); a value past 10 (1,000 %) is a percentage typed bare.
    def bare_percentage(value: object) -> str:
        shown = show_value(float(value))
        return f"must be a fraction: {shown} looks like a percentage, write {float(value) / 100:g}"

    args.flag(np.isfinite(net) & (net > 10), "net_retention", net, bare_percentage)
    args.flag(np.isfinite(net) & np.isfinite(gross) & (net < gross) & (net <= 10),
              "net_retention", net,
              "must be at least the gross retention: NRR is GRR plus expansion")  # fmt: skip
    kept = start * net
    below = ("is below what the customers you have will bring (starting ARR x net retention):"
             " no new logos are needed; raise the target or check NRR")  # fmt: skip
    checked = (net >= gross) & (net <= 10)
    args.flag(np.isfinite(kept) & (target < kept) & checked, "target_arr", target, below)
    args.raise_if_any()
    return {
        "starting_arr": start,
        "expansion": start * (net - gross),
        "churn_and_contraction": start * (1 - gross),
        "new_logo_arr": target - kept,
        "ending_arr": target,
        "net_retention": net,
        "gross_retention": gross,
    }


def arr_bridge(
    starting_arr: float, *, net_retention: float, gross_retention: float, target_arr: float
) -> ARRBridge:
    """The year's ARR bridge, and the ARR new logos must bring to reach a target.

    Parameters
    ----------
    starting_arr
        Annual recurring revenue at the start of the year (>= 0), in money a year.
    net_retention
        NRR: next year's ARR from today's customers over today's ARR, expansion included,
        as a fraction (1.10 for 110 %); at least ``gross_retention``.
    gross_retention
        GRR: the same without expansion, a fraction in [0, 1] (0.90 for 90 %).
    target_arr
        The ARR the year must end with (>= ``starting_arr x net_retention``).

    Returns
    -------
    ARRBridge
        ``expansion``, ``churn_and_contraction``, ``new_logo_arr`` and ``ending_arr``.

    Notes
    -----
    ``ending = start + new + expansion - (churn + contraction)``, with
    ``expansion = start x (NRR - GRR)``, ``churn + contraction = start x (1 - GRR)``, so
    ``new = target - start x NRR``. Retention and expansion are taken on the starting ARR
    over the year (the standard SaaS definitions of NRR and GRR); new logos' own expansion
    in their first year is not counted. Source: DOMAIN.md's ARR terms; issue 32's check.

    Examples
    --------
    ARR of 10,000,000 at 110 % NRR and 90 % GRR; the board wants 15,000,000 by year end:

    >>> bridge = arr_bridge(10e6, net_retention=1.10, gross_retention=0.90, target_arr=15e6)
    >>> round(bridge.expansion), round(bridge.churn_and_contraction), round(bridge.new_logo_arr)
    (2000000, 1000000, 4000000)
    """
    values = bridge_core(Args(), starting_arr, net_retention, gross_retention, target_arr)
    return ARRBridge(**{name: float(array[0]) for name, array in values.items()})


def new_logo_goal(revenue_goal: float, expansion_goal: float) -> float:
    """The new-logo funnel's goal: a bookings goal less what existing customers bring.

    Notes
    -----
    ``revenue_goal - expansion_goal``, both in money (>= 0), the expansion at most the goal.

    Examples
    --------
    A 12,000,000 goal of which upsell and cross-sell bring 3,000,000:

    >>> new_logo_goal(12e6, 3e6)
    9000000.0
    """
    args = Args()
    goal = args.non_negative("revenue_goal", revenue_goal)
    expansion = args.non_negative("expansion_goal", expansion_goal)
    args.flag(expansion > goal, "expansion_goal", expansion,
              f"is more than the revenue goal ({show_value(float(goal[0]))}): new logos"
              " would bring less than nothing")  # fmt: skip
    args.raise_if_any()
    return float((goal - expansion)[0])


# -- shares of a goal ---------------------------------------------------------------------


@dataclass(frozen=True)
class SourcedTarget:
    """A source's share of a goal: its revenue, and the deals that bring it."""

    revenue: float
    deals: float
    whole_deals: float


def sourced_core(args: Args, goal: Given, share: Given, deal_size: Given) -> dict[str, np.ndarray]:
    """Revenue, deals and whole deals of a share of a goal, for every row."""
    revenue_goal = args.non_negative("goal", goal, "a revenue goal")
    fraction = args.fraction("share", share)
    deal = args.positive("deal_size", deal_size, "a deal size of 0 brings no revenue")
    args.raise_if_any()
    revenue = revenue_goal * fraction
    deals = revenue / deal
    return {"revenue": revenue, "deals": deals, "whole_deals": _round_up(deals)}


def sourced_target(goal: float, share: float, deal_size: float) -> SourcedTarget:
    """The revenue a source must bring (marketing-sourced, partner-sourced...) and its deals.

    Parameters
    ----------
    goal
        The company's revenue goal (>= 0).
    share
        The source's share of it, a fraction in [0, 1] (0.25 for 25 %).
    deal_size
        The source's average deal (> 0).

    Notes
    -----
    ``revenue = goal x share``; ``deals = revenue / deal_size``, and in whole deals rounded
    up (the plan needs at least that many). Source: SiriusDecisions' demand waterfall's
    marketing-sourced target; the example is SBI's.

    Examples
    --------
    Marketing must source 25 % of a $30,000,000 goal at $85,000 a deal:

    >>> target = sourced_target(30e6, 0.25, 85_000)
    >>> target.revenue, round(target.deals, 1), target.whole_deals
    (7500000.0, 88.2, 89.0)
    """
    values = sourced_core(Args(), goal, share, deal_size)
    return SourcedTarget(**{name: float(array[0]) for name, array in values.items()})


def segment_goals(goal: float, shares: Sequence[float]) -> list[float]:
    """Each segment's goal from its share of the company's goal; the shares add up to 1.

    Notes
    -----
    ``goal x share`` each. Shares that add up to more or less than 100 % (within 1e-9) are
    refused: the company's goal would be planned twice, or in part.

    Examples
    --------
    >>> segment_goals(20e6, [0.5, 0.3, 0.2])
    [10000000.0, 6000000.0, 4000000.0]
    """
    args = Args()
    total_goal = args.non_negative("goal", goal, "a revenue goal")
    fractions = [args.fraction(f"shares[{i}]", share) for i, share in enumerate(shares)]
    args.raise_if_any()
    if not fractions:
        raise KPIInputError([Problem("shares", [], "is empty: give each segment's share")])
    added = math.fsum(float(f[0]) for f in fractions)
    if abs(added - 1) > SHARE_TOLERANCE:
        rule = f"add up to {added:.6g} ({added:.4%}): the segments' shares must add up to 100 %"
        raise KPIInputError([Problem("shares", [float(f[0]) for f in fractions], rule)])
    return [float((total_goal * f)[0]) for f in fractions]


# -- targets that ramp --------------------------------------------------------------------


def ramp_weights(
    targets: Sequence[float], seasonality: Sequence[float] | None = None
) -> list[float]:
    """Quarterly or monthly targets as the plan's 12 monthly weights (and the goal, their sum).

    Parameters
    ----------
    targets
        4 quarterly or 12 monthly revenue targets (each >= 0, not all 0), in money.
    seasonality
        With quarterly targets, 12 monthly weights that split each quarter's target between
        its months (None: evenly). Not used with monthly targets.

    Notes
    -----
    Month ``m`` of quarter ``q`` weighs ``target[q] x w[m] / (w of q's months)``. The plan's
    phasing gives each month ``customers x weight / sum of weights``, which is then each
    period's own target over the deal size, and in whole numbers the periods still chain and
    add up to the year's. Source: Kellblog's ramping quarterly targets (issue 32).

    Examples
    --------
    Kellblog's targets of 5.0, 5.25, 6.0 and 7.5 million, each quarter's months alike:

    >>> weights = ramp_weights([5.0e6, 5.25e6, 6.0e6, 7.5e6])
    >>> [round(w) for w in weights[::3]], round(sum(weights))
    ([1666667, 1750000, 2000000, 2500000], 23750000)
    """
    args = Args()
    values = [args.non_negative(f"targets[{i}]", t, "a target") for i, t in enumerate(targets)]
    args.raise_if_any()
    if len(values) not in (4, 12):
        rule = f"has {len(values)} values: give 4 quarterly or 12 monthly targets"
        raise KPIInputError([Problem("targets", list(targets), rule)])
    amounts = np.array([float(v[0]) for v in values])
    if amounts.sum() == 0:
        raise KPIInputError([Problem("targets", list(targets), "are all 0: nothing to plan")])
    if len(amounts) == 12:
        return amounts.tolist()
    split = np.ones(12) if seasonality is None else _seasonality(seasonality)
    by_quarter = split.reshape(4, 3)
    sums = by_quarter.sum(axis=1, keepdims=True)
    # A quarter whose months weigh 0 in all gets its target evenly over its months.
    shares = np.where(sums > 0, by_quarter / np.where(sums > 0, sums, 1), 1 / 3)
    return (shares * amounts[:, None]).reshape(12).tolist()


def _seasonality(seasonality: Sequence[float]) -> np.ndarray:
    args = Args()
    weights = [args.non_negative(f"seasonality[{m}]", w, "a weight")
               for m, w in enumerate(seasonality)]  # fmt: skip
    args.raise_if_any()
    if len(weights) != 12:
        rule = f"has {len(weights)} weights: give 12, one per month"
        raise KPIInputError([Problem("seasonality", list(seasonality), rule)])
    return np.array([float(w[0]) for w in weights])
