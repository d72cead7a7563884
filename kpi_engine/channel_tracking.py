"""Plan vs actual by channel: which channel brings less than its share of the plan.

DOMAIN.md section 4 (seed 002) compares actuals with the plan stage by stage; revenue
planning templates report the same by source. A channel's plan to date is its share of the
year's plan paced like the plan's months: its annual volume (of the entry stage it is paid
for, and of customers) times the share of the year's plan due by now::

    planned to date  P[i] = annual[i] * (plan to date / plan for the year)
    attainment       actual[i] / P[i]
    cost per unit    spend[i] / actual entry volume[i];  CAC  spend[i] / actual customers[i]

The channel to fix is the one short of its plan by more than the tolerance that loses the
most customers against plan (``P - actual``); before any customer is due, or where the
team tracks only the entry stage by channel, the one that loses the most units of the entry
stage. Volumes are counts to date, money in the plan's currency, attainment and tolerance
fractions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kpi_engine.errors import KPIInputError, Problem

__all__ = ["ChannelAttainment", "channel_attainment", "channel_to_date"]


def channel_to_date(
    annual: Sequence[float], planned_to_date: float, planned_year: float
) -> np.ndarray:
    """Each channel's plan to date: ``annual * (planned_to_date / planned_year)``.

    Parameters
    ----------
    annual
        Each channel's volume of one stage in the year (NaN: a channel with no plan).
    planned_to_date, planned_year
        The whole plan's volume of that stage due by now and in the year (> 0), from the
        plan's months: the pace is the same for every channel.

    Examples
    --------
    A quarter of the year's leads are due; search plans 675 leads in the year:

    >>> channel_to_date([675.0, 450.0], 281.25, 1125.0).tolist()
    [168.75, 112.5]
    """
    if not (planned_year > 0 and math.isfinite(planned_year)):
        rule = "must be a volume above 0: the pace is to date / year"
        raise KPIInputError([Problem("planned_year", planned_year, rule)])
    if not (planned_to_date >= 0 and math.isfinite(planned_to_date)):
        raise KPIInputError([Problem("planned_to_date", planned_to_date, "must be 0 or more")])
    return np.asarray(annual, dtype=float) * (planned_to_date / planned_year)


@dataclass(frozen=True)
class ChannelAttainment:
    """Each channel's plan to date against its actuals (arrays by channel; NaN where a value
    is not typed or not defined), and the channel to fix (None: every channel within the
    tolerance, or no actuals by channel)."""

    names: tuple[str, ...]
    planned_entry: np.ndarray
    actual_entry: np.ndarray
    entry_attainment: np.ndarray
    planned_customers: np.ndarray
    actual_customers: np.ndarray
    customer_attainment: np.ndarray
    actual_spend: np.ndarray
    cost_per_unit: np.ndarray
    cac: np.ndarray
    shortfall: np.ndarray  # units short of plan, where short by more than the tolerance
    by_customers: bool  # judged by customers (some due and typed), else by the entry stage
    focus: str | None

    @property
    def has_actuals(self) -> bool:
        return bool(np.isfinite(np.stack([self.actual_entry, self.actual_customers,
                                          self.actual_spend])).any())  # fmt: skip


def _counts(argument: str, values: Sequence[float | None], count: int) -> np.ndarray:
    """Typed counts or money (NaN: not typed); a negative one is an error naming its place."""
    array = np.array([np.nan if v is None else v for v in values], dtype=float)
    if array.shape != (count,):
        raise KPIInputError([Problem(argument, list(values), f"must have {count} values, one "
                                     "per channel")])  # fmt: skip
    bad = [Problem(f"{argument}[{i}]", v, "must be 0 or more: it is a count or money to date")
           for i, v in enumerate(array.tolist()) if v < 0 or math.isinf(v)]  # fmt: skip
    if bad:
        raise KPIInputError(bad)
    return array


def _ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """top / bottom, NaN where either is missing or the bottom is 0 (Excel's IFERROR "")."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # a tiny plan: inf
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), np.nan)


def channel_attainment(
    names: Sequence[str],
    planned_entry: Sequence[float],
    planned_customers: Sequence[float],
    actual_entry: Sequence[float | None],
    actual_customers: Sequence[float | None],
    actual_spend: Sequence[float | None],
    *,
    tolerance: float = 0.1,
) -> ChannelAttainment:
    """Plan vs actual to date for each channel, and the channel to fix first.

    Parameters
    ----------
    names
        The channels, in the Channels sheet's order.
    planned_entry, planned_customers
        Each channel's plan to date (:func:`channel_to_date`): entry stage, customers.
    actual_entry, actual_customers, actual_spend
        What each channel brought and cost to date (>= 0); None or NaN: not typed.
    tolerance
        How far below plan still counts as on plan (0.1: 90 % of plan), as
        :func:`kpi_engine.focus_area`.

    Notes
    -----
    Attainment is undefined (NaN) where the plan to date is 0; cost per unit and CAC where
    the channel brought none. The judgement is by customers when any are due to date and
    any channel's customers are typed, else by the entry stage; a channel is short when its
    attainment < 1 - tolerance, and the channel to fix is the short one with the largest
    ``planned - actual`` (the first on a tie). Source: seed 002 (DOMAIN.md section 4), by channel.

    Examples
    --------
    A quarter of the year: search planned 168.75 leads and 1.35 customers to date and
    brought 150 and 1; events planned 112.5 and 0.9 and brought 60 and 0:

    >>> result = channel_attainment(["Search", "Events"], [168.75, 112.5], [1.35, 0.9],
    ...                             [150, 60], [1, 0], [9000, 7500])
    >>> result.customer_attainment.round(4).tolist(), result.focus
    ([0.7407, 0.0], 'Events')
    >>> result.cost_per_unit.tolist()
    [60.0, 125.0]
    """
    labels = tuple(str(name) for name in names)
    count = len(labels)
    if not 0 <= tolerance < 1:
        raise KPIInputError([Problem("tolerance", tolerance, "must be a fraction from 0 to "
                                     "below 1: 0.1 for 90 % of plan")])  # fmt: skip
    planned_e = _counts("planned_entry", planned_entry, count)
    planned_c = _counts("planned_customers", planned_customers, count)
    entry = _counts("actual_entry", actual_entry, count)
    customers = _counts("actual_customers", actual_customers, count)
    spend = _counts("actual_spend", actual_spend, count)
    entry_attainment = _ratio(entry, planned_e)
    customer_attainment = _ratio(customers, planned_c)
    by_customers = bool(np.nansum(planned_c) > 0 and np.isfinite(customers).any())
    attained, planned, actual = ((customer_attainment, planned_c, customers) if by_customers
                                 else (entry_attainment, planned_e, entry))  # fmt: skip
    with np.errstate(invalid="ignore"):
        short = attained < 1 - tolerance  # NaN compares False: not judged
    shortfall = np.where(short, planned - actual, np.nan)
    focus = None
    if np.isfinite(shortfall).any():
        focus = labels[int(np.nanargmax(shortfall))]
    return ChannelAttainment(labels, planned_e, entry, entry_attainment, planned_c, customers,
                             customer_attainment, spend, _ratio(spend, entry),
                             _ratio(spend, customers), shortfall, by_customers, focus)  # fmt: skip
