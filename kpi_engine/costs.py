"""What each result of the funnel costs: cost per lead, per MQL, SQL, opportunity and customer.

All of these are one ratio, spend / count at a stage (DOMAIN.md section 2, seed 004),
written once in :func:`per_unit_core`. Spend may come as several lines (media, tools,
salaries) that are added up; which lines you include decides the variant of CAC.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from kpi_engine._args import Args, Given, plain
from kpi_engine.errors import KPIInputError, Problem

__all__ = ["cac", "cost_per", "cost_per_stage", "paid_cac"]

SpendLines = float | Sequence[float]


def spend_core(args: Args, spend: Given | Sequence[Given], argument: str = "spend") -> np.ndarray:
    """Total of one spend line or several, added left to right, each >= 0."""
    if isinstance(spend, list | tuple):
        if not spend:
            raise KPIInputError([Problem(argument, [], "is empty: give at least one spend line")])
        lines = [args.non_negative(f"{argument}[{i}]", line) for i, line in enumerate(spend)]
    else:
        lines = [args.non_negative(argument, spend)]
    total = lines[0]
    for line in lines[1:]:
        total = total + line
    return total


def per_unit_fast(spend: object, count: object) -> float | None:
    """:func:`per_unit_core` for plain valid numbers (spend lines >= 0, a count > 0), in
    plain Python and bit for bit; None otherwise, so the array path reports the problem."""
    lines = spend if isinstance(spend, list | tuple) else [spend]
    values = [plain(line) for line in lines]
    units = plain(count)
    if not values or units is None or units <= 0:
        return None
    if not all(value is not None and value >= 0 for value in values):
        return None
    total = values[0]
    for value in values[1:]:  # left to right, as spend_core adds them
        total = total + value
    return total / units


def per_unit_core(
    args: Args,
    spend: Given | Sequence[Given],
    count: Given,
    count_argument: str,
    why_not_zero: str,
    spend_argument: str = "spend",
) -> np.ndarray:
    """``sum(spend) / count``: the one formula behind CPL, cost per MQL/SQL/opportunity and CAC."""
    total = spend_core(args, spend, spend_argument)
    units = args.positive(count_argument, count, why_not_zero)
    args.raise_if_any()
    return total / units


def _undefined_cost(unit: str) -> str:
    return f"cost per {unit} is undefined with 0 {unit} (not infinite and not 0)"


def cost_per(spend: SpendLines, count: float, *, unit: str = "unit") -> float:
    """Spend per unit reached at a stage: CPL, cost per MQL, per SQL, per opportunity.

    Parameters
    ----------
    spend
        Money spent in the period (>= 0), or a list of spend lines that are added up.
    count
        Volume reached at the stage in the same period (> 0), e.g. new leads.
    unit
        What is counted, for the error message ("lead", "MQL", ...).

    Notes
    -----
    ``sum(spend) / count``. A count of 0 is an error: the cost is undefined, not infinite.
    Source: seed 004 (DOMAIN.md section 2).

    Examples
    --------
    $24,000 of campaigns brought 400 leads: what is the cost per lead?

    >>> cost_per(24_000, 400, unit="lead")
    60.0
    """
    fast = per_unit_fast(spend, count)
    if fast is not None:
        return fast
    result = per_unit_core(Args(), spend, count, "count", _undefined_cost(unit))
    return float(result[0])


def cost_per_stage(spend: SpendLines, volumes: Mapping[str, float]) -> dict[str, float]:
    """Cost per unit at every stage of a funnel, from one budget.

    Parameters
    ----------
    spend
        The budget (>= 0) or its spend lines.
    volumes
        Stage name -> volume at that stage (each > 0), e.g. a plan from
        :func:`kpi_engine.reverse_funnel`.

    Returns
    -------
    dict
        Stage name -> ``sum(spend) / volume``: the cost targets of the plan.

    Examples
    --------
    With $600,000 for seed 000's yearly whole-number plan, what may each stage cost?

    >>> from kpi_engine import reverse_funnel, SEED_RATES
    >>> plan = reverse_funnel(10e6, SEED_RATES, deal_size=1.1e6, whole_numbers=True)
    >>> {stage: round(cost, 2) for stage, cost in cost_per_stage(600_000, plan).items()}
    {'Visits': 7.2, 'Leads': 480.0, 'MQL': 2400.0, 'SQL': 12000.0, 'Opportunities': 30000.0,
     'Customers': 60000.0}
    """
    return {
        stage: float(
            per_unit_core(Args(), spend, volume, f"volumes[{stage!r}]", _undefined_cost(stage))[0]
        )
        for stage, volume in volumes.items()
    }


def cac(spend: SpendLines, new_customers: float) -> float:
    """Customer acquisition cost: what was spent to win each new customer.

    Parameters
    ----------
    spend
        Acquisition spend of the period (>= 0), or its spend lines, which are added up.
        Which lines you include is the variant: marketing + sales salaries, tools, media
        and agencies give the *fully loaded* (blended) CAC; paid media alone over the
        customers won through paid channels gives the *paid* CAC (:func:`paid_cac`).
    new_customers
        New customers won in the same period (> 0).

    Notes
    -----
    ``CAC = sum(spend) / new_customers``. With 0 new customers CAC is undefined, which is
    an error rather than infinity or 0. Source: seeds 003 and 004 (DOMAIN.md section 2).

    Examples
    --------
    A quarter cost $120,000 of marketing and $80,000 of sales and won 40 customers:

    >>> cac([120_000, 80_000], 40)
    5000.0
    """
    fast = per_unit_fast(spend, new_customers)
    if fast is not None:
        return fast
    why = "CAC is undefined with 0 new customers (not infinite and not 0)"
    return float(per_unit_core(Args(), spend, new_customers, "new_customers", why)[0])


def paid_cac(paid_spend: SpendLines, paid_customers: float) -> float:
    """Paid CAC: paid media spend per customer won through paid channels.

    Notes
    -----
    ``sum(paid_spend) / paid_customers``: :func:`cac` restricted to paid media, so
    organic customers do not flatter it. 0 paid customers is an error.

    Examples
    --------
    $45,000 of ads won 15 customers (of 40 in all):

    >>> paid_cac(45_000, 15)
    3000.0
    """
    why = "paid CAC is undefined with 0 customers from paid channels"
    result = per_unit_core(Args(), paid_spend, paid_customers, "paid_customers", why, "paid_spend")
    return float(result[0])
