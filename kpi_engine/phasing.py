"""Phasing a plan over the year, and the lead time a sales cycle asks for.

An annual plan (:func:`kpi_engine.reverse_funnel`) is spread over quarters or months,
evenly or by seasonality weights; in whole numbers the periods add up to the year exactly.
A sales cycle says how many periods earlier leads must arrive (DOMAIN.md section 1).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from kpi_engine._args import Args, Given, pandas
from kpi_engine.errors import KPIInputError, Problem
from kpi_engine.funnel import (
    _as_list,
    _customers,
    _rate_list,
    _read_rates,
    _round_up,
    _walk_up,
    resolve_stages,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "arrival_schedule",
    "months_by_quarter",
    "period_labels",
    "period_shares",
    "phase_funnel",
    "sales_cycle_lag",
]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def phase_core(
    args: Args,
    goal: Given,
    rates: Sequence[Given],
    deal_size: Given | None,
    weights: Sequence[Given],
    whole_numbers: bool,
    stages: Sequence[str],
) -> np.ndarray:
    """Required volumes per row, period and stage: shape (rows, periods, stages).

    Exact: each period gets ``customers * weights[p] / sum(weights)`` of the year's
    customers and walks up the funnel on its own. Whole numbers: cumulative rounding of
    each stage's whole-number volume for the year, so the periods add up to it (see
    :func:`phase_funnel`).
    """
    rate_values = _read_rates(args, rates, stages)
    weight_values = [
        args.non_negative(f"weights[{p}]", given, "a weight") for p, given in enumerate(weights)
    ]
    customers = _customers(args, goal, deal_size)
    matrix = np.column_stack(weight_values)
    total = matrix.sum(axis=1)
    args.flag(total == 0, "weights", total, "are all 0: nothing to phase", undefined=True)
    args.raise_if_any()
    phased = np.empty((args.size, len(weight_values), len(stages)))
    if whole_numbers:
        whole_customers = _walk_up(customers, rate_values, True)[:, -1]
        # Added left to right, as a spreadsheet's SUM of the months so far does; the year's
        # share is then exactly 1, so the periods add up to the year's volume exactly.
        running = np.cumsum(matrix, axis=1)
        reached = np.zeros((args.size, len(stages)))
        for period in range(len(weight_values)):
            share = running[:, period] / running[:, -1]
            # Chained: the customers due by the period's end, then each stage the whole
            # number the stage below's running total needs at the plan's rate.
            due = _walk_up(_round_up(whole_customers * share), rate_values, True)
            phased[:, period, :] = due - reached
            reached = due
        return phased
    for period in range(len(weight_values)):
        share = customers * matrix[:, period] / total
        phased[:, period, :] = _walk_up(share, rate_values, False)
    return phased


# -- phasing ------------------------------------------------------------------------------


def period_labels(periods: int, first_month: int = 1) -> list[str]:
    """Column labels of a phased plan: months, quarters, or ``P1..Pn``.

    ``first_month`` starts a fiscal year in another month (4 = April).

    >>> period_labels(4), period_labels(12, first_month=4)[:3]
    (['Q1', 'Q2', 'Q3', 'Q4'], ['Apr', 'May', 'Jun'])
    """
    if periods == 12:
        return [_MONTHS[(first_month - 1 + i) % 12] for i in range(12)]
    if periods == 4:
        return [f"Q{i}" for i in range(1, 5)]
    return [f"P{i}" for i in range(1, periods + 1)]


def _period_weights(periods: int, weights: Sequence[float] | None) -> np.ndarray:
    """Checked raw weights, one per period; 12 monthly weights summed into 4 quarters."""
    if not isinstance(periods, int | np.integer) or isinstance(periods, bool) or periods < 1:
        raise KPIInputError([Problem("periods", periods, "must be a whole number, 1 or more")])
    if weights is None:
        return np.ones(periods)
    weight_list = _as_list("weights", weights, "numbers, one per period")
    pd = pandas()
    args = Args(pd.DataFrame(index=pd.RangeIndex(len(weight_list))))
    values = args.non_negative("weights", np.asarray(weight_list, dtype=object), "a weight")
    args.raise_if_any()
    if periods == 4 and len(values) == 12:
        values = quarter_weights(values)
    if len(values) != periods:
        rule = f"has {len(values)} values for {periods} periods: give one weight per period"
        raise KPIInputError([Problem("weights", weight_list, rule)])
    if values.sum() == 0:
        raise KPIInputError([Problem("weights", weight_list, "are all 0: nothing to phase")])
    return values


def quarter_weights(monthly_weights: Sequence[float] | np.ndarray) -> np.ndarray:
    """Each quarter's seasonality weight: the sum of its three months' weights.

    ``monthly_weights`` has 12 weights on its last axis (one plan), or one row of 12 per
    plan; returns 4 (or one row of 4 per plan). Each quarter adds its months left to right,
    ``(Jan + Feb) + Mar``, as a spreadsheet's SUM does, so a quarter phased from these
    weights equals the sum of its months phased from the monthly ones.

    >>> quarter_weights([1, 1, 1, 2, 2, 2, 1, 1, 1, 3, 3, 3]).tolist()
    [3.0, 6.0, 3.0, 9.0]
    """
    return months_by_quarter(monthly_weights)


def months_by_quarter(monthly: Sequence[float] | np.ndarray) -> np.ndarray:
    """Consecutive months added up three by three, on the last axis: each quarter's
    ``(first + second) + third`` month, in the order a spreadsheet's SUM adds them.

    The last axis holds whole quarters of months (its length a multiple of 3), the first
    being a quarter's first month: a timeline's 24 months (the year before's and the plan
    year's, from the fiscal year's first month) give its 8 quarters. Volumes, weights or
    money alike; NaN stays NaN.

    >>> months_by_quarter([1, 2, 3, 4, 5, 6]).tolist()
    [6.0, 15.0]
    """
    values = np.asarray(monthly, dtype=float)
    if values.shape[-1] % 3:
        rule = f"has {values.shape[-1]} months: give whole quarters, 3 months each"
        raise KPIInputError([Problem("monthly", values.shape[-1], rule)])
    return values[..., 0::3] + values[..., 1::3] + values[..., 2::3]


def running_totals(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Values added up period by period, on the last axis: period ``p``'s running total
    ``w_1 + ... + w_p``. For seasonality weights, the share of the year due by a period's
    end is its running total over the last (the whole-number plan's customers due by each
    period follow from it); for a stage's monthly volumes, the volume due to date.

    >>> running_totals([1, 1, 2, 2]).tolist()
    [1.0, 2.0, 4.0, 6.0]
    """
    return np.cumsum(np.asarray(values, dtype=float), axis=-1)


def period_shares(periods: int = 12, weights: Sequence[float] | None = None) -> np.ndarray:
    """Share of the year in each period: even, or proportional to seasonality weights.

    Parameters
    ----------
    periods
        Number of periods in the year (4 quarters, 12 months, ...).
    weights
        Relative weight of each period (>= 0, not all 0), any scale: ``[1, 1, 2, 2]`` or
        ``[20, 20, 30, 30]``. For 4 periods, 12 monthly weights are summed into quarters.

    Returns
    -------
    numpy.ndarray
        ``weights / sum(weights)``; ``1 / periods`` each without weights.

    >>> period_shares(4, [1, 1, 2, 4]).tolist()
    [0.125, 0.125, 0.25, 0.5]
    """
    values = _period_weights(periods, weights)
    return values / values.sum()


def phase_funnel(
    goal: float,
    rates: Sequence[float],
    *,
    deal_size: float | None = None,
    periods: int = 12,
    weights: Sequence[float] | None = None,
    whole_numbers: bool = False,
    stages: Sequence[str] | None = None,
    first_month: int = 1,
) -> pd.DataFrame:
    """Required volumes of every stage in every period of the year, evenly or by season.

    Parameters
    ----------
    goal, rates, deal_size, stages
        As for :func:`reverse_funnel`: the goal is for the whole year.
    periods
        4 for quarters, 12 for months, any whole number for other periods.
    weights
        Seasonality, see :func:`period_shares`; even without.
    whole_numbers
        Whole numbers that add up to the year: each stage's whole-number volume for the
        year (as :func:`reverse_funnel` rounds it) is spread by cumulative rounding, so by
        the end of every period the plan has reached at least that period's exact share
        of the year (see Notes).
    first_month
        Month the plan year starts in, for the month labels (1 = January).

    Returns
    -------
    pandas.DataFrame
        One row per stage (top first), one column per period.

    Notes
    -----
    Exact: ``customers[p] = annual customers * weights[p] / sum(weights)``, then each
    period goes up the funnel as in :func:`reverse_funnel`. Even phasing gives exactly
    ``reverse_funnel(..., periods=periods)`` in each period.

    Whole numbers (chained cumulative rounding): with ``C`` the year's whole customers and
    ``S[p]`` the share of the year up to the end of period ``p`` (the weights added up to
    ``p`` / all weights), the customers due by the end of ``p`` are
    ``ceil(round(C * S[p], 6))``, and each stage above is due the whole number the
    stage below's due needs at the plan's rate, ``ceil(round(due below / rate, 6))``, as
    :func:`reverse_funnel` walks up the year. Period ``p`` gets ``due[p] - due[p - 1]``.
    Every period is a whole number, none is negative, they add up to the year's whole
    numbers (``S`` is 1 at the year's end), and at every period's end each stage has
    enough for the stage below: rounding each stage's year on its own instead planned 5
    opportunities but 3 customers at 50 % by the end of Q1, and rounding each period up
    on its own makes 12 monthly customers of a 10-customer year.

    Examples
    --------
    Seed 000's plan by quarter, with twice the deals in the second half:

    >>> plan = phase_funnel(9, [0.015, 0.2, 0.2, 0.4, 0.5], periods=4, weights=[1, 1, 2, 2])
    >>> plan.loc[["Visits", "Customers"]]
                    Q1       Q2       Q3       Q4
    stage
    Visits     12500.0  12500.0  25000.0  25000.0
    Customers      1.5      1.5      3.0      3.0

    In whole numbers the year's 10 customers are spread so each quarter's end is on track
    (2.5 by the end of Q1 needs 3; 5 by the end of Q2 needs 5) and the quarters add up to 10;
    Q1's 3 customers need 6 opportunities, 15 SQL, 75 MQL, 375 leads and 25,000 visits:

    >>> plan = phase_funnel(10e6, [0.015, 0.2, 0.2, 0.4, 0.5], deal_size=1.1e6, periods=4,
    ...                     whole_numbers=True)
    >>> plan.loc["Customers"].tolist(), plan.loc["Opportunities"].tolist()
    ([3.0, 2.0, 3.0, 2.0], [6.0, 4.0, 6.0, 4.0])
    >>> plan.loc["Visits"].tolist(), float(plan.loc["Visits"].sum())
    ([25000.0, 16667.0, 25000.0, 16667.0], 83334.0)
    """
    rate_list = _rate_list(rates)
    names = resolve_stages(stages, len(rate_list))
    raw_weights = _period_weights(periods, weights).tolist()
    phased = phase_core(Args(), goal, rate_list, deal_size, raw_weights, whole_numbers, names)
    labels = period_labels(periods, first_month)
    pd = pandas()
    return pd.DataFrame(phased[0].T, index=pd.Index(names, name="stage"), columns=labels)


# -- sales cycle --------------------------------------------------------------------------


def sales_cycle_lag(sales_cycle_days: float, *, periods_per_year: int = 12) -> int:
    """Whole periods by which leads must arrive before the deals they become close.

    Parameters
    ----------
    sales_cycle_days
        Average days from lead to closed deal (>= 0).
    periods_per_year
        12 for months, 4 for quarters, 52 for weeks.

    Notes
    -----
    ``ceil(days / (365 / periods_per_year))``: rounded up, so leads arrive in time. A
    period within 1e-6 of whole counts as whole. Source: DOMAIN.md section 1.

    Examples
    --------
    With a 45-day sales cycle, how many months ahead must leads arrive?

    >>> sales_cycle_lag(45)
    2
    """
    args = Args()
    days = args.non_negative("sales_cycle_days", sales_cycle_days, "a duration")
    per_year = args.positive("periods_per_year", periods_per_year, "a year has periods")
    args.raise_if_any()
    return int(_round_up(days / (365 / per_year))[0])


def arrival_schedule(
    plan: pd.DataFrame,
    days_before_close: float | Mapping[str, float],
    *,
    lead_stage: str | None = None,
) -> pd.DataFrame:
    """Shift a phased plan so each stage's volume sits in the period it must arrive in.

    Parameters
    ----------
    plan
        A phased plan from :func:`phase_funnel`: stages as rows, the year's periods as
        columns (12 columns are months, 4 quarters, otherwise ``365 / columns`` days each).
    days_before_close
        The sales cycle in days: the lead stage and every stage above it must be reached
        this long before the close. Or a mapping of stage -> days for each stage that
        moves (e.g. from measured stage velocity); stages not named stay in place.
    lead_stage
        The stage the sales cycle starts at, for a single number of days; default the
        second stage (``"Leads"`` in the default funnel).

    Returns
    -------
    pandas.DataFrame
        The plan with every shifted stage moved earlier by :func:`sales_cycle_lag` periods.
        Columns before the plan year come first, labelled ``"Dec (prior year)"`` and so on.
        Volumes the shift moves out of the year's last periods are for next year's deals,
        so those periods show 0 for the shifted stages.

    Examples
    --------
    Leads take 45 days to close: when must seed 000's leads arrive?

    >>> plan = phase_funnel(9, [0.015, 0.2, 0.2, 0.4, 0.5], periods=12)
    >>> shifted = arrival_schedule(plan, 45)
    >>> shifted.loc["Leads"].iloc[:3].tolist(), shifted.columns[:3].tolist()
    ([93.75, 93.75, 93.75], ['Nov (prior year)', 'Dec (prior year)', 'Jan'])
    """
    periods = plan.shape[1]
    if isinstance(days_before_close, Mapping):
        unknown = [s for s in days_before_close if s not in plan.index]
        if unknown:
            rule = f"names stages not in the plan: {unknown}; the plan has {list(plan.index)}"
            raise KPIInputError([Problem("days_before_close", dict(days_before_close), rule)])
        days = dict(days_before_close)
    else:
        if lead_stage is None:
            lead_stage = plan.index[min(1, len(plan.index) - 1)]
        if lead_stage not in plan.index:
            rule = f"is not a stage of the plan: {list(plan.index)}"
            raise KPIInputError([Problem("lead_stage", lead_stage, rule)])
        top = list(plan.index)[: list(plan.index).index(lead_stage) + 1]
        days = dict.fromkeys(top, days_before_close)
    lags = {stage: sales_cycle_lag(d, periods_per_year=periods) for stage, d in days.items()}
    before = max(lags.values(), default=0)
    labels = [_prior_label(plan.columns[i % periods], i, periods) for i in range(-before, 0)]
    pd = pandas()
    shifted = pd.DataFrame(
        0.0, index=plan.index, columns=pd.Index([*labels, *plan.columns], dtype=object)
    )
    for stage in plan.index:
        lag = lags.get(stage, 0)
        row = plan.loc[stage].to_numpy()
        start = before - lag
        shifted.iloc[shifted.index.get_loc(stage), start : start + periods] = row
    return shifted


def _prior_label(label: object, offset: int, periods: int) -> str:
    years_back = math.ceil(-offset / periods)
    when = "prior year" if years_back == 1 else f"{years_back} years before"
    return f"{label} ({when})"
