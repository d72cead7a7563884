"""Who carries the plan: the capacity of a team that ramps, leaves and is hired with a lag.

A role (SDR, AE, ...) works one stage of the funnel; one fully ramped person handles
``capacity`` of it a period. A new person handles a share of that by tenure, the **ramp**
(Kellblog: 0 %, 25 %, 50 %, then 100 % over the first four quarters). A team's capacity in
**ramped-rep equivalents** (RRE) counts each person by that share. From the plan's volumes
come the heads each period needs, and the hiring plan: when to open each hire so the
team's capacity meets the plan, given the ramp and the hiring lag.

Sources: Kellblog, "ramped rep equivalents"; the Insight Partners capacity model; the
TOPO / Bridge Group SDR:AE ratios (issue 34).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from kpi_engine._args import scalar_non_negative
from kpi_engine.errors import KPIInputError, Problem

__all__ = ["HiringPlan", "headcount_needed", "hiring_plan", "ramp_share", "ramped_output",
           "ramped_rep_equivalents", "team_capacity"]  # fmt: skip


def _ramp(ramp: Sequence[float], name: str = "ramp") -> list[float]:
    """A ramp checked: shares of full capacity by period of tenure, each 0-100 %; problems
    name the argument ``name``."""
    shares = []
    for k, share in enumerate(ramp):
        if isinstance(share, bool) or not isinstance(share, int | float):
            raise KPIInputError([Problem(f"{name}[{k}]", share, "must be a share, 0 to 100 %")])
        shares.append(float(share))
        if not 0 <= share <= 1:
            hint = " (25 % is 0.25)" if share > 1 else ""
            raise KPIInputError([Problem(f"{name}[{k}]", ramp[k], f"must be 0 to 100 %{hint}")])
    return shares


def ramp_share(ramp: Sequence[float], tenure: int) -> float:
    """The share of full capacity at ``tenure`` periods (0: the first): the ramp's, and 100 %
    after it; 0 before the start (a negative tenure).

    >>> [ramp_share([0, 0.25, 0.5], t) for t in (-1, 0, 1, 2, 3)]
    [0.0, 0.0, 0.25, 0.5, 1.0]
    """
    shares = _ramp(ramp)
    if tenure < 0:
        return 0.0
    return shares[tenure] if tenure < len(shares) else 1.0


def ramped_rep_equivalents(heads: Sequence[float], shares: Sequence[float]) -> float:
    """A team's ramped-rep equivalents: each group of ``heads`` counted at its ramp share.

    Kellblog's example: 5 people at 25 %, 3 at 60 %, 2 at 85 % and 15 at 100 % are 25 heads
    and 1.25 + 1.8 + 1.7 + 15 = 19.75 RRE.

    >>> ramped_rep_equivalents([5, 3, 2, 15], [0.25, 0.60, 0.85, 1.0])
    19.75
    """
    if len(heads) != len(shares):
        rule = f"has {len(shares)} values for {len(heads)} groups: give one each"
        raise KPIInputError([Problem("shares", len(shares), rule)])
    counts = [scalar_non_negative(f"heads[{k}]", h) for k, h in enumerate(heads)]
    return math.fsum(c * s for c, s in zip(counts, _ramp(shares, "shares"), strict=True))


def ramped_output(
    steady: float, ramp: Sequence[float], periods: int, start: int = 0
) -> list[float]:
    """What one person hired at period ``start`` delivers in each of ``periods`` periods:
    ``steady`` (a fully ramped period's) x their ramp share.

    Kellblog: 0/25/50/100 % over the first four quarters at 1,200,000 a year (300,000 a
    quarter): 0 + 75,000 + 150,000 + 300,000 = 525,000 in year 1.

    >>> ramped_output(300_000, [0, 0.25, 0.5], 4)
    [0.0, 75000.0, 150000.0, 300000.0]
    """
    scalar_non_negative("steady", steady)
    return [steady * ramp_share(ramp, t - start) for t in range(periods)]


def team_capacity(
    current: float, hires: Sequence[float], steady: float, ramp: Sequence[float],
    attrition: float = 0.0,
) -> list[float]:  # fmt: skip
    """The team's capacity each period: ``current`` fully ramped people and ``hires[t]`` new
    people starting in period ``t``, each at their ramp share, every one of them staying
    with the chance ``(1 - attrition)`` a period (expected heads, not whole people).

    >>> team_capacity(2, [1, 0, 0, 0], 100, [0, 0.5], attrition=0.0)
    [200.0, 250.0, 300.0, 300.0]
    """
    rate = _fraction("attrition", attrition)
    periods = len(hires)
    stay = [(1 - rate) ** t for t in range(periods + 1)]
    capacity = []
    for t in range(periods):
        ramped = scalar_non_negative("current", current) * stay[t]
        ramped += math.fsum(scalar_non_negative(f"hires[{s}]", hires[s]) * ramp_share(ramp, t - s)
                            * stay[t - s] for s in range(t + 1))  # fmt: skip
        capacity.append(ramped * steady)
    return capacity


def headcount_needed(volumes: Sequence[float], capacity: float) -> list[int]:
    """Whole people each period's volume needs: volume / capacity a person, rounded up.

    The SDR:AE check: 10 AEs need 400 demos a month (40 each); at 40 demos an SDR a month
    that is 10 SDRs.

    >>> headcount_needed([400, 410, 0], 40)
    [10, 11, 0]
    """
    if scalar_non_negative("capacity", capacity) == 0:
        raise KPIInputError([Problem("capacity", capacity, "must be above 0: a person "
                                     "handles some of the stage", undefined=True)])  # fmt: skip
    return [math.ceil(round(scalar_non_negative(f"volumes[{k}]", v) / capacity, 9))
            for k, v in enumerate(volumes)]  # fmt: skip


@dataclass(frozen=True)
class HiringPlan:
    """When to hire so capacity meets the need: ``starts[t]`` people start in period ``t``
    (their hires opened ``lag`` periods before); ``capacity`` the team's with them, and
    ``shortfall[t]`` the need that team cannot carry, no hire coming in time (0 where met)."""

    starts: list[int]
    opened: list[int]  # hires opened each period (``starts`` shifted back by the lag)
    capacity: list[float]
    shortfall: list[float]


def hiring_plan(
    need: Sequence[float], current: float, steady: float, ramp: Sequence[float],
    hiring_lag: int, attrition: float = 0.0,
) -> HiringPlan:  # fmt: skip
    """The fewest whole hires, each starting as late as lets them carry the need, so that
    the team's capacity meets ``need`` every period it can.

    A person decided on now starts ``hiring_lag`` periods later, so nobody starts before
    that period. Period by period, a shortfall is met by hires starting at the latest
    period at which they are fully ramped by then (the ramp's length earlier), or at the
    first period anyone can start if that is later; what their ramp share cannot cover in
    time stays a shortfall, said by period.

    >>> plan = hiring_plan([200, 200, 300, 300], 2, 100, [0.5], hiring_lag=1)
    >>> plan.starts, plan.shortfall
    ([0, 1, 0, 0], [0.0, 0.0, 0.0, 0.0])
    """
    if isinstance(hiring_lag, bool) or not float(hiring_lag).is_integer() or hiring_lag < 0:
        raise KPIInputError([Problem("hiring_lag", hiring_lag, "must be a whole number of "
                                     "periods, 0 or more")])  # fmt: skip
    if scalar_non_negative("steady", steady) == 0:
        raise KPIInputError([Problem("steady", steady, "must be above 0", undefined=True)])
    periods, full = len(need), len(_ramp(ramp))
    needs = [scalar_non_negative(f"need[{t}]", need[t]) for t in range(periods)]
    starts = [0] * periods
    capacity = team_capacity(current, starts, steady, ramp, attrition)
    for t in range(periods):
        gap = needs[t] - capacity[t]
        start = max(int(hiring_lag), t - full)
        if gap <= 1e-9 or start > t:  # met, or nobody can start in time
            continue
        each = steady * ramp_share(ramp, t - start) * (1 - attrition) ** (t - start)
        if each > 0:
            starts[start] += math.ceil(round(gap / each, 9))
            capacity = team_capacity(current, starts, steady, ramp, attrition)  # with them
    # What the final team cannot carry (the Capacity sheet's formula: need - capacity).
    shortfall = [n - c if n - c > 1e-9 else 0.0 for n, c in zip(needs, capacity, strict=True)]
    opened = (starts[int(hiring_lag) :] + [0] * int(hiring_lag))[:periods]  # lag > periods
    return HiringPlan(starts, opened, capacity, shortfall)


def _fraction(name: str, value: object) -> float:
    number = scalar_non_negative(name, value)
    if number > 1:
        raise KPIInputError([Problem(name, value, "must be a fraction 0-1 (2 % is 0.02)")])
    return number
