"""Which segment to fix first: the revenue each segment's focus area costs to date, when
several funnels (regions, products, sources) are tracked against their plans.

A segment's focus area (:func:`kpi_engine.focus_area`) says *where* its funnel falls short;
what the shortfall is *worth* makes segments comparable: the volume missing at the focus,
carried down the rest of the funnel at the planned rates, times the deal size.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from kpi_engine.errors import KPIInputError, Problem
from kpi_engine.funnel import transition_names
from kpi_engine.tracking import TRAFFIC, Diagnosis

__all__ = ["fix_first", "revenue_at_risk"]


def revenue_at_risk(diagnosis: Diagnosis, *, deal_size: float, stages: Sequence[str]) -> float:
    """The revenue a segment's focus area has cost so far, at the plan's rates below it.

    Parameters
    ----------
    diagnosis
        The segment's plan vs actual (:func:`kpi_engine.diagnose`), year to date.
    deal_size
        Revenue per customer (> 0), in money.
    stages
        The segment's stage names, top first (as given to ``diagnose``).

    Returns
    -------
    float
        0 with no focus area (on plan).

    Notes
    -----
    Traffic short: ``(planned[0] - actual[0]) x r[0] x ... x r[n-2] x deal_size``. A rate
    short at step ``k``: the volume it lost, ``actual[k] x (planned_rate[k] -
    actual_rate[k])``, times the planned rates below, ``r[k+1] x ... x r[n-2]``, times the
    deal size. ``r`` are the diagnosis' planned rates (the plan's or the benchmarks).
    Nothing already lost further down is counted twice: only the focus area's shortfall.
    Source: kpi-planner's own measure of issue 32's "segment to fix first", built on seed
    002's focus area.

    Examples
    --------
    A segment planned 1,000 leads to date and had 800; leads become customers at 10 % and
    a customer is worth 20,000: the missing 200 leads cost 200 x 10 % x 20,000.

    >>> from kpi_engine import diagnose
    >>> d = diagnose([[1000] * 12, [100] * 12], [[800] + [0] * 11, [80] + [0] * 11], 1,
    ...              stages=["Leads", "Customers"], rates=[0.1])
    >>> revenue_at_risk(d, deal_size=20_000, stages=["Leads", "Customers"])
    400000.0
    """
    if not (isinstance(deal_size, int | float) and math.isfinite(deal_size) and deal_size > 0):
        raise KPIInputError([Problem("deal_size", deal_size, "must be a number above 0")])
    focus = diagnosis.focus
    if focus is None:
        return 0.0
    rates = [float(r) for r in diagnosis.planned_rates]
    if focus.where == TRAFFIC:
        lost, below = float(diagnosis.planned[0] - diagnosis.actual[0]), rates
    else:
        step = transition_names(list(stages)).index(focus.where)
        actual_rate = float(diagnosis.actual_rates[step])
        lost = float(diagnosis.actual[step]) * (rates[step] - actual_rate)
        below = rates[step + 1 :]
    return max(lost, 0.0) * math.prod(below) * deal_size


def fix_first(at_risk: Mapping[str, float]) -> str | None:
    """The segment whose focus area costs the most revenue; None when none costs any.

    Ties go to the segment named first.

    >>> fix_first({"EMEA": 120_000.0, "US": 400_000.0, "Partners": 0.0})
    'US'
    """
    costly = [(value, -position, name) for position, (name, value) in enumerate(at_risk.items())
              if value > 0]  # fmt: skip
    return max(costly)[2] if costly else None
