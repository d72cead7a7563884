"""The close-rate curve: of the opportunities created in a period, the share won in that
period, one period later, two later, ... measured from a table of past opportunities.

:mod:`kpi_engine.pipeline` multiplies it into an opportunity-generation plan. Source: the
time-based close rate method of the inverted demand-generation funnel (Kellblog, "The
Inverted Funnel: A Simple Way to Build a Pipeline Model").
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from kpi_engine.errors import KPIInputError, Problem

__all__ = ["PERIODS_PER_YEAR", "CloseRateCurve", "as_date", "close_rate_curve", "period_index"]

#: The periods a curve can be measured in, and how many make a year.
PERIODS_PER_YEAR = {"month": 12, "quarter": 4}


@dataclass(frozen=True)
class CloseRateCurve:
    """A measured close-rate curve: ``rates[k]`` is the share of a period's opportunities won
    ``k`` periods after the one they were created in.

    Attributes
    ----------
    rates
        The curve, from the period of creation (``k = 0``) on.
    won, opportunities
        For each ``k``: the wins ``k`` periods after creation and the opportunities they
        are counted against, over the cohorts whose ``k``-th period had ended by ``as_of``.
    cohorts
        For each ``k``: how many periods of creation (cohorts) the rate is measured on.
    period
        ``"month"`` or ``"quarter"``.
    as_of
        The date the data runs to: periods ending after it are not counted.
    """

    rates: tuple[float, ...]
    won: tuple[int, ...]
    opportunities: tuple[int, ...]
    cohorts: tuple[int, ...]
    period: str
    as_of: dt.date

    @property
    def total(self) -> float:
        """The share of opportunities won in all: the curve added up."""
        return math.fsum(self.rates)


def period_index(day: dt.date, period: str) -> int:
    """The period a day falls in, counted from year 0: ``12 * year + month - 1`` for months,
    ``4 * year + quarter - 1`` for quarters, so consecutive periods differ by 1.

    >>> period_index(dt.date(2027, 1, 15), "month") - period_index(dt.date(2026, 11, 30), "month")
    2
    """
    if period == "month":
        return 12 * day.year + day.month - 1
    return 4 * day.year + (day.month - 1) // 3


def _is_period_end(day: dt.date, period: str) -> bool:
    return period_index(day + dt.timedelta(days=1), period) != period_index(day, period)


def as_date(value: object) -> dt.date | None:
    """A date from a date, datetime, pandas Timestamp or ISO ``YYYY-MM-DD`` text (a time
    after it is ignored); None for no date (None, empty text, NaN, NaT). ValueError for
    anything else."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            raise ValueError(value) from None
    if isinstance(value, dt.datetime):  # also a pandas Timestamp (NaT is handled below)
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value != value:  # NaT
        return None
    raise ValueError(value)


def close_rate_curve(
    created: Sequence[object],
    won: Sequence[object],
    *,
    period: str = "month",
    as_of: object = None,
    rows: Sequence[Hashable] | None = None,
) -> CloseRateCurve:
    """The close-rate curve of a table of opportunities, by periods after creation.

    Parameters
    ----------
    created
        The date each opportunity was created (dates, datetimes or ISO ``YYYY-MM-DD`` text).
    won
        The date each was closed-won, or None / empty / NaT if it was not (yet) won.
    period
        ``"month"`` or ``"quarter"``.
    as_of
        The date the data runs to; default the latest date in it. Wins after it are not
        known yet, and a period that ends after it is not complete.
    rows
        How problems name the rows (e.g. the lines of a file); default 0, 1, 2, ...

    Returns
    -------
    CloseRateCurve
        ``rates[k]`` = wins ``k`` periods after creation / opportunities created, counting
        for column ``k`` only the cohorts (periods of creation) whose ``k``-th later period
        has fully elapsed by ``as_of``, as analysts do: a young cohort has not had the
        time to close and would drag the later columns down. The curve runs to the longest
        lag won so far that a complete cohort can show.

    Raises
    ------
    KPIInputError
        A created date missing or unreadable, a won date unreadable or before its
        created date, ``period`` not month or quarter, no opportunities, or none whose
        first period is complete by ``as_of``; each named by its row.

    Examples
    --------
    Four opportunities a month from January to March 2026; of each month's four, one is won
    the same month and one the next. As of 31 March, January and February have shown their
    first two months, March only its first:

    >>> created, won = [], []
    >>> for month in (1, 2, 3):
    ...     created += [f"2026-{month:02d}-05"] * 4
    ...     won += [f"2026-{month:02d}-20", f"2026-{month + 1:02d}-10", None, None]
    >>> curve = close_rate_curve(created, won, as_of="2026-03-31")
    >>> curve.rates, curve.cohorts, curve.total
    ((0.25, 0.25), (3, 2), 0.5)
    """
    names = list(rows) if rows is not None else list(range(len(created)))
    if period not in PERIODS_PER_YEAR:
        raise KPIInputError([Problem("period", period, "must be 'month' or 'quarter'")])
    if len(won) != len(created) or len(names) != len(created):
        rule = f"has {len(won)} won dates for {len(created)} created dates: give one per row"
        raise KPIInputError([Problem("won", f"<{len(won)} values>", rule)])
    problems: list[Problem] = []
    starts, ends = [], []
    for row, made, closed in zip(names, created, won, strict=True):
        try:
            start = as_date(made)
        except ValueError:
            problems.append(Problem("created", made, "is not a date (YYYY-MM-DD)", row))
            continue
        if start is None:
            problems.append(Problem("created", made, "is missing: every opportunity has a "
                                    "created date", row))  # fmt: skip
            continue
        try:
            end = as_date(closed)
        except ValueError:
            problems.append(Problem("won", closed, "is not a date (YYYY-MM-DD), or empty "
                                    "when not won", row))  # fmt: skip
            continue
        if end is not None and end < start:
            problems.append(Problem("won", end.isoformat(), f"is before the created date {start}: "
                                    "an opportunity closes after it is created", row))  # fmt: skip
            continue
        starts.append(start)
        ends.append(end)
    if not starts and not problems:
        problems.append(Problem("created", "<no rows>", "has no opportunities to measure"))
    cutoff = _read_as_of(as_of, starts, ends, problems)
    if problems:
        raise KPIInputError(problems)
    assert cutoff is not None
    last_complete = period_index(cutoff, period) - (0 if _is_period_end(cutoff, period) else 1)
    cohort = np.array([period_index(d, period) for d in starts])
    lag = np.array([-1 if d is None or d > cutoff else period_index(d, period) for d in ends])
    lag = np.where(lag >= 0, lag - cohort, -1)
    known = cohort <= period_index(cutoff, period)  # created by as_of
    usable_lags = last_complete - cohort  # the last column each opportunity's cohort can show
    longest = int(usable_lags[known].max()) if known.any() else -1
    if longest < 0:
        first = min(starts)
        rule = (f"leaves no complete period: the first opportunities ({first}) are in a "
                f"{period} that ends after {cutoff}; give a later as_of")  # fmt: skip
        raise KPIInputError([Problem("as_of", str(cutoff), rule)])
    seen = lag[(lag >= 0) & (lag <= usable_lags)]
    columns = min(longest, int(seen.max()) if seen.size else 0) + 1
    rates, wins, bases, cohorts = [], [], [], []
    for k in range(columns):
        counted = known & (usable_lags >= k)
        base = int(counted.sum())
        wins_k = int((counted & (lag == k)).sum())
        wins.append(wins_k)
        bases.append(base)
        cohorts.append(len(set(cohort[counted].tolist())))
        rates.append(wins_k / base)
    return CloseRateCurve(tuple(rates), tuple(wins), tuple(bases), tuple(cohorts), period,
                          cutoff)  # fmt: skip


def _read_as_of(
    as_of: object, starts: list[dt.date], ends: list[dt.date | None], problems: list[Problem]
) -> dt.date | None:
    try:
        cutoff = as_date(as_of)
    except ValueError:
        problems.append(Problem("as_of", as_of, "is not a date (YYYY-MM-DD)"))
        return None
    if cutoff is None and starts:
        cutoff = max([*starts, *(d for d in ends if d is not None)])
    return cutoff
