"""What customers are worth and what marketing returns: CLV, ROI, LTV:CAC, CAC payback.

DOMAIN.md section 2 (seeds 003 and 004). Money is in one currency; rates and margins
are fractions per period (0.2 for 20 %); a period is whatever the inputs share (a
month, a year).
"""

from __future__ import annotations

import math

import numpy as np

from kpi_engine._args import Args, Given, plain

__all__ = ["cac_payback_periods", "clv", "clv_purchase", "ltv_to_cac", "roi", "roi_from_clv"]


def clv_core(
    args: Args,
    revenue_per_period: Given,
    gross_margin: Given,
    churn_rate: Given,
    discount_rate: Given,
    acquisition_cost: Given,
    horizon_periods: Given,
) -> np.ndarray:
    """Customer lifetime value; see :func:`clv` for the formula."""
    revenue = args.non_negative("revenue_per_period", revenue_per_period)
    margin = args.fraction("gross_margin", gross_margin)
    churn = args.fraction("churn_rate", churn_rate)
    discount = args.fraction("discount_rate", discount_rate)
    acquisition = args.non_negative("acquisition_cost", acquisition_cost)
    horizon = args.whole_or_infinite("horizon_periods", horizon_periods, "periods")
    endless = (churn + discount == 0) & np.isinf(horizon)
    args.flag(
        endless,
        "churn_rate",
        churn,
        "is 0 with no discount_rate and no horizon_periods: a customer who never leaves is "
        "worth an infinite amount; give a churn rate above 0, a discount rate or a horizon",
    )
    args.raise_if_any()
    # In place where the arrays allow: at millions of rows each fresh temporary costs more
    # than its arithmetic. The operations and their order are the formula's, so the bits are.
    margin_per_period = revenue * margin
    shrink = churn + discount
    flat = ~(shrink > 0)  # no churn and no discount: every period counts fully
    with np.errstate(divide="ignore"):
        # log of (1 - c) / (1 + d), the factor each period's margin shrinks by; -inf at c = 1.
        log_factor = np.negative(churn)
        np.log1p(log_factor, out=log_factor)
        log_factor -= np.log1p(discount)
    # Share of the infinite sum earned within the horizon: 1 - factor**H, exact near 1.
    np.copyto(log_factor, -1.0, where=flat)
    kept = np.multiply(horizon, log_factor, out=log_factor)
    np.expm1(kept, out=kept)
    np.negative(kept, out=kept)
    np.copyto(shrink, 1.0, where=flat)
    periods = 1 + discount
    periods *= kept
    periods /= shrink
    np.copyto(periods, horizon, where=flat)
    margin_per_period *= periods
    margin_per_period -= acquisition
    return margin_per_period


def clv(
    revenue_per_period: float,
    gross_margin: float,
    churn_rate: float,
    discount_rate: float = 0.0,
    acquisition_cost: float = 0.0,
    horizon_periods: float = math.inf,
) -> float:
    """Customer lifetime value: the gross margin a customer earns while they stay.

    Parameters
    ----------
    revenue_per_period
        Revenue per customer per period (>= 0), e.g. monthly subscription fee.
    gross_margin
        Gross margin as a fraction of revenue, in [0, 1].
    churn_rate
        Share of customers lost each period, in [0, 1] (retention = 1 - churn).
    discount_rate
        Discount rate per period, in [0, 1]; 0 for undiscounted value.
    acquisition_cost
        CAC to subtract for *net* CLV (>= 0); 0 for gross CLV.
    horizon_periods
        Periods to count (a whole number >= 1), or ``math.inf`` for the whole lifetime.

    Returns
    -------
    float
        Lifetime value in money, net of ``acquisition_cost``.

    Notes
    -----
    With margin ``m = revenue_per_period * gross_margin`` earned at the *start* of each
    period the customer is still active (the first one at acquisition)::

        CLV = sum over t = 0 .. H-1 of m * ((1 - c) / (1 + d))**t  -  a

    which is ``m * (1 + d) / (d + c) - a`` for an infinite horizon (``m / c`` when
    ``d = 0``: the subscription model) and ``m * H - a`` when churn and discount are 0
    (the purchase model, see :func:`clv_purchase`).

    Gupta & Lehmann count the first margin one period after acquisition:
    ``m * r / (1 + d - r)`` with retention ``r = 1 - c``. That is exactly this CLV minus
    one ``m``; subtract ``m`` to match a finance team that uses their convention.

    An infinite horizon with churn 0 and discount 0 is an error (infinite value).

    References
    ----------
    Seed 003 and seed 004 (DOMAIN.md section 2); S. Gupta, D. R. Lehmann, "Customers as
    assets", Journal of Interactive Marketing 17(1), 2003.

    Examples
    --------
    A subscriber pays $1,000 a month at 80 % margin and 20 % leave each month:

    >>> clv(1000, 0.8, 0.2)
    4000.0

    The same, discounted at 10 % a period, and over the first 3 periods only:

    >>> round(clv(1000, 0.8, 0.2, discount_rate=0.1), 2), round(clv(1000, 0.8, 0.2, 0, 0, 3), 6)
    (2933.33, 1952.0)
    """
    value = clv_core(
        Args(),
        revenue_per_period,
        gross_margin,
        churn_rate,
        discount_rate,
        acquisition_cost,
        horizon_periods,
    )
    return float(value[0])


def clv_purchase(
    order_value: float,
    orders_per_period: float,
    periods: float,
    gross_margin: float,
    acquisition_cost: float = 0.0,
) -> float:
    """Lifetime value of a repeat buyer: order value x orders per period x periods x margin.

    Parameters
    ----------
    order_value
        Average order value (>= 0).
    orders_per_period
        Average orders per customer per period (>= 0), e.g. 4 a year.
    periods
        Expected customer lifetime in periods (a whole number >= 1).
    gross_margin
        Gross margin as a fraction of revenue, in [0, 1].
    acquisition_cost
        CAC to subtract for net CLV.

    Notes
    -----
    The purchase model of DOMAIN.md section 2; it is :func:`clv` with revenue per period
    ``order_value * orders_per_period``, churn 0, no discount and a horizon of
    ``periods``.

    Examples
    --------
    A buyer orders $250 four times a year for 3 years at 40 % margin:

    >>> round(clv_purchase(250, 4, 3, 0.4), 6)
    1200.0
    """
    revenue = order_value * orders_per_period
    return clv(revenue, gross_margin, 0.0, 0.0, acquisition_cost, periods)


def roi_core(
    args: Args, revenue: Given, investment: Given, gross_margin: Given, other_costs: Given
) -> np.ndarray:
    """Return on marketing investment; see :func:`roi` for the formula."""
    revenue_values = args.non_negative("revenue", revenue)
    invested = args.positive(
        "investment", investment, "ROI is undefined for an investment of 0 (nothing to return)"
    )
    margin = args.fraction("gross_margin", gross_margin)
    other = args.non_negative("other_costs", other_costs)
    args.raise_if_any()
    result = revenue_values * margin  # then in place: one temporary, not four
    result -= invested
    result -= other
    result /= invested
    return result


def roi(
    revenue: float, investment: float, gross_margin: float = 1.0, other_costs: float = 0.0
) -> float:
    """Return on marketing investment, as a ratio (0.25 = 25 %).

    Parameters
    ----------
    revenue
        Revenue attributed to the marketing (>= 0).
    investment
        Marketing investment (> 0).
    gross_margin
        Fraction of revenue that is gross profit, in [0, 1]; 1 for revenue-based ROI.
    other_costs
        Overhead and other costs charged to the campaign (>= 0).

    Notes
    -----
    ``ROI = (revenue * gross_margin - investment - other_costs) / investment``. The seed's
    variants are choices of arguments: simple ROI (margin 1), gross-profit ROI (the
    margin), revenue minus investment, overhead and other costs (``other_costs``); for
    the CLV-based variant see :func:`roi_from_clv`. Investment 0 is an error.
    Source: seed 004 (DOMAIN.md section 2).

    Examples
    --------
    $10,000 of campaigns brought $50,000 of revenue at 60 % margin, with $5,000 of overhead:

    >>> roi(50_000, 10_000), roi(50_000, 10_000, 0.6), roi(50_000, 10_000, 0.6, 5_000)
    (4.0, 2.0, 1.5)
    """
    fast = _roi_fast(revenue, investment, gross_margin, other_costs)
    if fast is not None:
        return fast
    return float(roi_core(Args(), revenue, investment, gross_margin, other_costs)[0])


def _roi_fast(revenue: object, investment: object, margin: object, other: object) -> float | None:
    """:func:`roi_core` for plain valid numbers, in plain Python and bit for bit; None
    otherwise, so the array path reports the problem."""
    won, invested, share, costs = plain(revenue), plain(investment), plain(margin), plain(other)
    if won is None or invested is None or share is None or costs is None:
        return None
    if won < 0 or invested <= 0 or not 0 <= share <= 1 or costs < 0:
        return None
    return (won * share - invested - costs) / invested


def roi_from_clv(customers: float, clv_per_customer: float, investment: float) -> float:
    """CLV-based ROI: the lifetime value of the customers won, against the investment.

    Notes
    -----
    ``(customers * clv_per_customer - investment) / investment``. Use the gross CLV
    (``acquisition_cost = 0``): the investment is already subtracted here.
    Source: seed 004 (DOMAIN.md section 2).

    Examples
    --------
    $40,000 won 10 customers worth $4,000 each over their lifetime:

    >>> roi_from_clv(10, 4000, 40_000)
    0.0
    """
    return float(roi_from_clv_core(Args(), customers, clv_per_customer, investment)[0])


def roi_from_clv_core(
    args: Args, customers: Given, clv_per_customer: Given, investment: Given
) -> np.ndarray:
    """CLV-based ROI; see :func:`roi_from_clv`."""
    won = args.non_negative("customers", customers, "a number of customers")
    value = args.number("clv_per_customer", clv_per_customer)
    invested = args.positive(
        "investment", investment, "ROI is undefined for an investment of 0 (nothing to return)"
    )
    args.raise_if_any()
    return (won * value - invested) / invested


def ltv_to_cac_core(args: Args, clv_value: Given, cac_value: Given) -> np.ndarray:
    """LTV:CAC; see :func:`ltv_to_cac`."""
    value = args.number("clv", clv_value)
    cost = args.positive(
        "cac", cac_value, "LTV:CAC is undefined when customers cost nothing to acquire"
    )
    args.raise_if_any()
    return value / cost


def ltv_to_cac(clv: float, cac: float) -> float:
    """LTV:CAC ratio: lifetime value won per unit of acquisition cost (3 is the usual target).

    Notes
    -----
    ``clv / cac``, with the gross CLV (no acquisition cost subtracted). A CAC of 0 is an
    error. Source: DOMAIN.md section 2.

    Examples
    --------
    Customers worth $4,000 cost $1,250 to win:

    >>> ltv_to_cac(4000, 1250)
    3.2
    """
    return float(ltv_to_cac_core(Args(), clv, cac)[0])


def cac_payback_core(
    args: Args, cac_value: Given, revenue_per_period: Given, gross_margin: Given
) -> np.ndarray:
    """CAC payback in periods; see :func:`cac_payback_periods`."""
    cost = args.non_negative("cac", cac_value)
    revenue = args.non_negative("revenue_per_period", revenue_per_period)
    margin = args.fraction("gross_margin", gross_margin)
    args.flag(
        (revenue * margin == 0) & (revenue >= 0) & (margin >= 0),
        "revenue_per_period",
        revenue,
        "earns no gross margin with this gross_margin, so CAC is never paid back",
        undefined=True,
    )
    args.raise_if_any()
    return cost / (revenue * margin)


def cac_payback_periods(cac: float, revenue_per_period: float, gross_margin: float) -> float:
    """Periods of gross margin a customer needs to pay back their acquisition cost.

    Parameters
    ----------
    cac
        Acquisition cost per customer (>= 0).
    revenue_per_period
        Revenue per customer per period (> 0), e.g. monthly recurring revenue.
    gross_margin
        Gross margin as a fraction, in (0, 1].

    Notes
    -----
    ``cac / (revenue_per_period * gross_margin)``, in periods of the revenue (months for
    monthly revenue). Fractional: 4.5 means mid-way through the fifth period. No margin per
    period is an error (never paid back). Churn is ignored, as boards quote it.
    Source: DOMAIN.md section 2.

    Examples
    --------
    CAC is $6,000 and a customer pays $1,000 a month at 80 % margin:

    >>> cac_payback_periods(6000, 1000, 0.8)
    7.5
    """
    return float(cac_payback_core(Args(), cac, revenue_per_period, gross_margin)[0])
