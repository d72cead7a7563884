"""The plan in time: each stage planned in the period it must arrive, across the year's edges.

A lead does not become a customer the day it arrives: it takes days to become an MQL, more
to become an SQL, and so on. So each stage must be planned earlier than the deals it feeds,
by the lags below it ("your November leads are for next year's January deals"). The
timeline therefore starts before the plan year (the lead-in: periods of the year before
that must already produce this year's early deals) and, in the year's last periods, plans
what next year's early deals need, from next year's goal (this year's grown by
``growth``), so no stage drops to 0 in November.

Source: DOMAIN.md section 1 (sales cycle and lags) and issue 10, after the "inverted
demand-generation funnel" of SaaS planning spreadsheets. Rates are fractions, lags are
days, volumes are counts per period.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from kpi_engine import fiscal
from kpi_engine._args import Args, Given, pandas
from kpi_engine.errors import KPIInputError, Problem
from kpi_engine.funnel import (
    _as_list,
    _customers,
    _rate_list,
    _read_rates,
    _round6,
    _round_up,
    _walk_up,
    resolve_stages,
    transition_names,
)
from kpi_engine.next_year import _next_year_customers, _read_growth
from kpi_engine.phasing import _period_weights, months_by_quarter, period_labels

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DAYS_PER_YEAR", "quarters_ahead", "stage_offsets", "timeline", "timeline_labels"]

#: The year the lags are measured against: a month is 365 / 12 days, a quarter 365 / 4.
DAYS_PER_YEAR = 365
QUARTERS = 4
MONTHS_PER_QUARTER = 3


def offsets_core(args: Args, lag_days: Sequence[Given], periods: int) -> np.ndarray:
    """Periods each stage arrives before the deals it feeds: shape (rows, stages).

    Stage ``k`` is ahead by the lags of every transition below it, added up in days and
    then rounded up to whole periods (after the usual 6-decimal rounding), so a stage is
    never planned later than it must arrive. The last stage (the deals) is at 0.
    """
    lags = [args.non_negative(f"lag_days[{i}]", given, "a lag") for i, given in enumerate(lag_days)]
    args.raise_if_any()
    days = np.column_stack([*lags, np.zeros(args.size)]) if lags else np.zeros((args.size, 1))
    below = np.cumsum(days[:, ::-1], axis=1)[:, ::-1]  # days from each stage to the deals
    periods_ahead = _round_up(below * periods / DAYS_PER_YEAR)
    too_long = periods_ahead[:, 0] > periods
    args.flag(too_long, "lag_days", below[:, 0],
              f"add up to more than a year ({DAYS_PER_YEAR} days): a plan of one year "
              "cannot lead in by more than one year")  # fmt: skip
    args.raise_if_any()
    return periods_ahead.astype(int)


def timeline_core(
    args: Args,
    goal: Given,
    rates: Sequence[Given],
    deal_size: Given | None,
    lag_days: Sequence[Given],
    growth: Given,
    weights: Sequence[Given],
    whole_numbers: bool,
    stages: Sequence[str],
    by_quarter: bool = False,
) -> tuple[np.ndarray, int]:
    """Each stage's volume in each period of the timeline: (rows, lead-in + periods, stages),
    and the lead-in (periods before the plan year, the same for every row: the longest).

    Quarters (4 weights, or 12 monthly ones with ``by_quarter``) are the monthly timeline
    added up by quarter: a quarter's weight is shared alike by its three months, and the
    lead-in is the months ahead in whole quarters, so a stage 45 days ahead is planned
    two months ahead, not a whole quarter.
    """
    if len(lag_days) != len(stages) - 1:
        steps = ", ".join(transition_names(stages))
        rule = (f"has {len(lag_days)} lags for {len(stages)} stages: give one lag in days "
                f"for each step, {len(stages) - 1} in all ({steps})")  # fmt: skip
        raise KPIInputError([Problem("lag_days", list(lag_days), rule)])
    rate_values = _read_rates(args, rates, stages)
    weight_values = [
        args.non_negative(f"weights[{p}]", w, "a weight") for p, w in enumerate(weights)
    ]
    grown = _read_growth(args, growth)
    customers = _customers(args, goal, deal_size)
    matrix = np.column_stack(weight_values)
    total = matrix.sum(axis=1)
    args.flag(total == 0, "weights", total, "are all 0: nothing to phase", undefined=True)
    args.raise_if_any()
    by_quarter = by_quarter or len(weight_values) == QUARTERS
    if by_quarter and len(weight_values) == QUARTERS:
        matrix = np.repeat(matrix, MONTHS_PER_QUARTER, axis=1)
    ahead = offsets_core(args, lag_days, matrix.shape[1])
    this_year = _walk_up(customers, rate_values, whole_numbers)  # (rows, stages)
    next_year = _walk_up(_next_year_customers(customers, grown), rate_values, whole_numbers)
    values, lead_in = _spread(matrix, ahead, this_year, next_year, rate_values, whole_numbers)
    return _added_up_by_quarter(values, lead_in) if by_quarter else (values, lead_in)


def _spread(
    matrix: np.ndarray,
    ahead: np.ndarray,
    this_year: np.ndarray,
    next_year: np.ndarray,
    rate_values: Sequence[np.ndarray],
    whole_numbers: bool,
) -> tuple[np.ndarray, int]:
    """Each stage's volume in each period from the lead-in to the year's end, given the
    weights (rows, periods), the periods each stage is ahead and both years' volumes."""
    rows, periods = matrix.shape
    total = matrix.sum(axis=1)
    lead_in = int(ahead.max()) if ahead.size else 0
    columns = lead_in + periods
    t = np.arange(columns) - lead_in
    stages = this_year.shape[1]
    values = np.empty((rows, columns, stages))
    if whole_numbers:
        chained = _chained_dues(matrix, this_year[:, -1:], next_year[:, -1:], rate_values,
                                lead_in)  # fmt: skip
    # Stage by stage, so the temporaries are (rows, columns), not (rows, columns, stages).
    for k in range(stages):
        # s: the period of the deals that stage k's volume in timeline column t feeds,
        # counted from the plan year's first period (negative: last year's deals, not this
        # plan's).
        s = t[None, :] + ahead[:, k : k + 1]  # (rows, columns)
        if whole_numbers:  # stage k's due for the deals of period s, from the chain
            due = np.take_along_axis(chained[k], s + lead_in, axis=1)
            values[:, :, k] = np.diff(due, axis=1, prepend=0.0)
            continue
        this_volume, next_volume = this_year[:, k : k + 1], next_year[:, k : k + 1]
        weight_of = np.take_along_axis(matrix, np.clip(s % periods, 0, periods - 1), axis=1)
        # volume x weight / all weights, in the order the sheet's formula computes it
        this_year_part = this_volume * weight_of / total[:, None]
        next_year_part = next_volume * weight_of / total[:, None]
        this, later = (s >= 0) & (s < periods), s >= periods
        values[:, :, k] = np.where(this, this_year_part, np.where(later, next_year_part, 0.0))
    return values, lead_in


def quarters_ahead(months: int) -> int:
    """The quarters of a quarterly timeline's lead-in: its months ahead in whole quarters.

    >>> quarters_ahead(2), quarters_ahead(3), quarters_ahead(4), quarters_ahead(0)
    (1, 1, 2, 0)
    """
    return -(-months // MONTHS_PER_QUARTER)


def _added_up_by_quarter(months: np.ndarray, lead_in: int) -> tuple[np.ndarray, int]:
    """A monthly timeline (rows, lead-in + 12 months, stages) added up by quarter, and its
    lead-in in quarters: the lead-in's months are the last of the year before's quarters
    (the months before them plan nothing: last year's deals)."""
    lead_in_quarters = quarters_ahead(lead_in)
    missing = lead_in_quarters * MONTHS_PER_QUARTER - lead_in
    padded = np.pad(months, [(0, 0), (missing, 0), (0, 0)])
    added = months_by_quarter(padded.transpose(0, 2, 1)).transpose(0, 2, 1)
    return added, lead_in_quarters


def _chained_dues(
    matrix: np.ndarray,
    this_customers: np.ndarray,
    next_customers: np.ndarray,
    rates: Sequence[np.ndarray],
    lead_in: int,
) -> list[np.ndarray]:
    """In whole numbers, each stage's running total for the deals of each period from
    ``-lead_in`` to the plan year's last plus ``lead_in``: (rows, those periods) per stage.

    Chained cumulative rounding, as :func:`~kpi_engine.phase_funnel` does within the year:
    the customers due by the end of a deal period are this year's and next year's whole
    customers (``this_customers``, ``next_customers``: (rows, 1)) times their years'
    shares so far (running weights / all weights: exactly 1 at a year's end), rounded up;
    each stage above is due the whole number the stage below's due needs at its rate. So
    each year's periods add up to its whole volumes and no stage falls behind the one
    below. Walked once for every period, then each stage reads the periods it feeds.
    """
    periods = matrix.shape[1]
    running = np.cumsum(matrix, axis=1)
    # so_far[:, j]: the share of the year by the end of period j - 1 (0 before the year).
    so_far = np.concatenate([np.zeros((matrix.shape[0], 1)), running / running[:, -1:]], axis=1)
    deal_periods = np.arange(-lead_in, periods + lead_in)
    this_share = so_far[:, np.clip(deal_periods + 1, 0, periods)]
    next_share = so_far[:, np.clip(deal_periods - periods + 1, 0, periods)]
    # One block, each stage computed into it in place (fresh temporaries per step cost
    # more than the arithmetic at 100,000 rows), as _walk_up does.
    block = np.empty((len(rates) + 1, *this_share.shape))
    due = block[-1]
    np.multiply(this_customers, this_share, out=due)
    due += next_customers * next_share
    for step in range(len(rates), -1, -1):
        due = block[step]
        if step < len(rates):
            np.divide(block[step + 1], rates[step][:, None], out=due)
        _round6(due, out=due)
        np.ceil(due, out=due)
    return list(block)


def stage_offsets(
    lag_days: Sequence[float], *, periods: int = 12, stages: Sequence[str] | None = None
) -> dict[str, int]:
    """Periods each stage must arrive before the deals it feeds.

    Parameters
    ----------
    lag_days
        Days each step takes, top down: ``lag_days[0]`` from the first stage to the second,
        ..., the last from opportunities to customers (>= 0).
    periods
        Periods in the year: 12 for months, 4 for quarters.
    stages
        Stage names; default :data:`~kpi_engine.DEFAULT_STAGES` for 5 lags.

    Notes
    -----
    Stage ``k`` is ahead by ``ceil(sum of the lags below it / (365 / periods))`` periods:
    lags are added in days before rounding up, so many short steps do not each cost a
    whole period. With ``periods=4`` that is whole quarters (45 days: 1), as a sales cycle
    is counted (:func:`~kpi_engine.sales_cycle_lag`); a quarterly :func:`timeline` is the
    monthly one added up, so its stages are these months ahead (45 days: 2) and only its
    lead-in is whole quarters: :func:`quarters_ahead` of the months.

    Examples
    --------
    Leads -> MQL 10 days, MQL -> SQL 20, SQL -> opportunities 15, opportunities ->
    customers 45 (visits become leads the same day): leads come 90 days ahead, 3 months.

    >>> stage_offsets([0, 10, 20, 15, 45])
    {'Visits': 3, 'Leads': 3, 'MQL': 3, 'SQL': 2, 'Opportunities': 2, 'Customers': 0}
    """
    lags = _as_list("lag_days", lag_days, "numbers of days, one per step")
    names = resolve_stages(stages, len(lags))
    ahead = offsets_core(Args(), lags, periods)[0]
    return dict(zip(names, ahead.tolist(), strict=True))


def timeline(
    goal: float,
    rates: Sequence[float],
    *,
    lag_days: Sequence[float],
    growth: float = 0.0,
    deal_size: float | None = None,
    periods: int = 12,
    weights: Sequence[float] | None = None,
    whole_numbers: bool = False,
    stages: Sequence[str] | None = None,
    plan_year: int | None = None,
    fiscal_year_start: int = 1,
    fiscal_year_named_by: str = "end",
) -> pd.DataFrame:
    """Each stage's volume in the period it must arrive, from the lead-in to the year's end.

    Parameters
    ----------
    goal, rates, deal_size, stages
        As for :func:`~kpi_engine.reverse_funnel`: the goal is this year's.
    lag_days
        Days each step takes, top down (see :func:`stage_offsets`).
    growth
        Next year's goal over this year's, less 1: 0.25 for 25 % more (>= -1). The year's
        last periods plan the early stages of next year's first deals from it.
    periods, weights
        12 months or 4 quarters, and their seasonality (as :func:`~kpi_engine.phase_funnel`);
        next year has the same seasonality. Quarters are the months added up (see Notes):
        12 monthly weights keep each month's own; 4 quarterly ones share a quarter's
        weight alike between its months.
    whole_numbers
        Chained cumulative rounding along the timeline: the whole customers due by the end
        of each deal period (this year's and next year's whole customers times their
        shares so far), and each stage, by the end of each period, the whole number the
        stage below needs at the plan's rate for the same deals, as
        :func:`~kpi_engine.phase_funnel` does within the year. Each year's periods add up
        to its whole-number volumes, and no stage's period end falls behind the stage below.
    plan_year
        Labels the columns with their year (``Oct 2026`` ... ``Dec 2027``); without it the
        lead-in's columns say ``(year before)``.
    fiscal_year_start, fiscal_year_named_by
        The month the plan's (fiscal) year starts, 1-12, and whether ``plan_year`` names it by
        the calendar year it ends in (``"end"``) or starts in (``"start"``): the labels only (see
        :func:`timeline_labels`); the volumes are the same.

    Returns
    -------
    pandas.DataFrame
        One row per stage, top first; one column per period, from the first period of the
        lead-in to the plan year's last.

    Notes
    -----
    With ``S_k`` stage ``k``'s periods ahead, its volume in period ``t`` is what the deals
    of period ``t + S_k`` need: this year's volume times that period's share of the year
    while ``t + S_k`` is in the plan year, next year's (``goal * (1 + growth)``) once it is
    past the year's end, and nothing for deals before the plan year (last year's plan
    covered them). So each stage plans this year's deals in full, plus next year's first
    ``S_k`` periods. With no lags this is exactly :func:`~kpi_engine.phase_funnel`.

    A quarterly timeline is the monthly one added up by quarter, so it says what the monthly
    plan says: a stage 45 days ahead is planned two months ahead of its deals (one month of
    a quarter's deals falls in the quarter before), not a whole quarter, which would ask
    for every lead a month earlier than needed. Its lead-in is the months ahead in whole
    quarters.

    Examples
    --------
    12 customers a year, one a month, opportunities 60 days (2 months) ahead of the deals, next
    year's goal 50 % higher: opportunities (at 50 %) run 2 a month from November of the
    year before, and 3 a month in the year's last two months, for next January and
    February's 1.5 customers each.

    >>> plan = timeline(12, [0.5], lag_days=[60], growth=0.5, plan_year=2027)
    >>> plan.loc["Stage 1"].tolist()
    [2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 3.0, 3.0]
    >>> list(plan.columns[:3]), float(plan.loc["Customers", "Nov 2026"])
    (['Nov 2026', 'Dec 2026', 'Jan 2027'], 0.0)
    """
    rate_list = _rate_list(rates)
    names = resolve_stages(stages, len(rate_list))
    lags = _as_list("lag_days", lag_days, "numbers of days, one per step")
    given = None if weights is None else _as_list("weights", weights, "numbers, one per period")
    by_quarter = periods == QUARTERS
    # Quarters from 12 monthly weights keep the months' own weights (their sum by quarter
    # would share each quarter alike between its months).
    months_given = by_quarter and given is not None and len(given) == MONTHS_PER_QUARTER * QUARTERS
    raw_weights = _period_weights(len(given) if months_given else periods, given).tolist()
    values, lead_in = timeline_core(Args(), goal, rate_list, deal_size, lags, growth,
                                    raw_weights, whole_numbers, names, by_quarter)  # fmt: skip
    pd = pandas()
    return pd.DataFrame(values[0].T, index=pd.Index(names, name="stage"),
                        columns=timeline_labels(periods, lead_in, plan_year, fiscal_year_start,
                                                fiscal_year_named_by))  # fmt: skip


def timeline_labels(
    periods: int,
    lead_in: int,
    plan_year: int | None = None,
    fiscal_year_start: int = 1,
    fiscal_year_named_by: str = "end",
) -> list[str]:
    """Column labels of a timeline: the lead-in's last periods of the year before, then the
    plan year's (``Nov 2026``, ``Dec 2026``, ``Jan 2027``, ...).

    With a fiscal year (``fiscal_year_start`` after January; ``plan_year`` is then the
    fiscal year's name, see :mod:`kpi_engine.fiscal`) months carry their calendar years
    (``Apr 2027``) and quarters their fiscal year's (``Q4 FY2027``, ``Q1 FY2028``).

    >>> timeline_labels(4, 1, 2027), timeline_labels(12, 1)[:2]
    (['Q4 2026', 'Q1 2027', 'Q2 2027', 'Q3 2027', 'Q4 2027'], ['Dec (year before)', 'Jan'])
    >>> timeline_labels(12, 1, 2028, 4)[:2], timeline_labels(4, 1, 2028, 4)[:2]
    (['Mar 2027', 'Apr 2027'], ['Q4 FY2027', 'Q1 FY2028'])
    """
    start = fiscal.fiscal_start(fiscal_year_start)
    fiscal.naming(fiscal_year_named_by)  # checked even where the labels do not show it
    if plan_year is None:
        labels = period_labels(periods, start)
        before = labels[periods - lead_in :] if lead_in else []
        return [f"{label} (year before)" for label in before] + labels
    if periods == 12:
        return fiscal.month_labels(plan_year, start, fiscal_year_named_by, 1 - lead_in,
                                   lead_in + periods)  # fmt: skip
    labels = period_labels(periods)
    before = labels[periods - lead_in :] if lead_in else []
    if periods == 4:
        name = functools.partial(fiscal.year_label, start=start)
        return [f"{label} {name(plan_year - 1)}" for label in before] + [
            f"{label} {name(plan_year)}" for label in labels
        ]
    return [f"{label} {plan_year - 1}" for label in before] + [
        f"{label} {plan_year}" for label in labels
    ]
