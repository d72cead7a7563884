"""Quality KPIs: Net Promoter Score, email rates and how fast leads move through stages.

DOMAIN.md section 3 (seeds 001 and 004).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kpi_engine._args import Args, Given, pandas
from kpi_engine.errors import KPIInputError, Problem

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["EmailRates", "email_rates", "nps", "nps_from_counts", "stage_velocity"]


def nps_core(args: Args, promoters: Given, passives: Given, detractors: Given) -> np.ndarray:
    """NPS from counts; see :func:`nps_from_counts`."""
    promoting = args.non_negative("promoters", promoters, "a count")
    passive = args.non_negative("passives", passives, "a count")
    detracting = args.non_negative("detractors", detractors, "a count")
    total = promoting + passive + detracting
    args.flag(
        total == 0,
        "promoters",
        promoting,
        "with no passives and no detractors there are no answers: NPS is undefined",
        undefined=True,
    )
    args.raise_if_any()
    return 100 * (promoting - detracting) / total


def nps_from_counts(promoters: float, passives: float, detractors: float) -> float:
    """Net Promoter Score from the number of promoters, passives and detractors.

    Parameters
    ----------
    promoters, passives, detractors
        Respondents who answered 9-10, 7-8 and 0-6 to "How likely are you to recommend
        us?" (counts >= 0, not all 0).

    Returns
    -------
    float
        ``100 * (promoters - detractors) / respondents``, from -100 to 100.

    Notes
    -----
    Source: seed 001 (DOMAIN.md section 3); Reichheld, "The One Number You Need to Grow",
    Harvard Business Review, 2003.

    Examples
    --------
    30 % promoters, 50 % passives and 20 % detractors give an NPS of +10:

    >>> nps_from_counts(30, 50, 20)
    10.0
    """
    return float(nps_core(Args(), promoters, passives, detractors)[0])


def nps(scores: Iterable[float]) -> float:
    """Net Promoter Score from raw 0-10 answers.

    Parameters
    ----------
    scores
        Whole-number answers from 0 to 10; missing answers (``None``, NaN) are skipped.

    Notes
    -----
    9-10 are promoters, 7-8 passives, 0-6 detractors; see :func:`nps_from_counts`. Every
    answer that is not a whole number from 0 to 10 is reported with its position. No
    answers at all is an error.

    Examples
    --------
    Ten customers answered:

    >>> nps([10, 9, 9, 8, 7, 7, 6, 3, 10, 9])
    30.0
    """
    if isinstance(scores, str | bytes):
        raise KPIInputError([Problem("scores", scores, "must be a list of 0-10 answers")])
    pd = pandas()
    answers = pd.Series(list(scores), dtype=object)
    args = Args(pd.DataFrame({"score": answers}))
    values = pd.to_numeric(answers, errors="coerce").to_numpy(dtype=np.float64)
    text = np.isnan(values) & answers.notna().to_numpy()
    args.flag(text, "scores", answers.to_numpy(), "must be a whole number from 0 to 10")
    out_of_scale = ~np.isnan(values) & ((values < 0) | (values > 10) | (values % 1 != 0))
    args.flag(out_of_scale, "scores", values, "must be a whole number from 0 to 10")
    args.raise_if_any()
    answered = values[~np.isnan(values)]
    if answered.size == 0:
        raise KPIInputError([Problem("scores", list(answers), "has no answers: NPS is undefined")])
    return nps_from_counts(
        int((answered >= 9).sum()),
        int(((answered >= 7) & (answered <= 8)).sum()),
        int((answered <= 6).sum()),
    )


@dataclass(frozen=True)
class EmailRates:
    """The health of one email send, each rate a fraction."""

    #: delivered / sent
    delivery_rate: float
    #: unique opens / delivered
    open_rate: float
    #: unique clicks / delivered
    click_through_rate: float
    #: unique clicks / unique opens (NaN when nobody opened)
    click_to_open_rate: float
    #: unsubscribes / delivered
    unsubscribe_rate: float


def email_rates_core(
    args: Args,
    sent: Given,
    delivered: Given,
    unique_opens: Given,
    unique_clicks: Given,
    unsubscribes: Given,
) -> np.ndarray:
    """Columns: delivery, open, click-through, click-to-open and unsubscribe rates."""
    sent_n = args.positive("sent", sent, "no emails sent: the rates are undefined")
    delivered_n = args.non_negative("delivered", delivered, "a count")
    opens = args.non_negative("unique_opens", unique_opens, "a count")
    clicks = args.non_negative("unique_clicks", unique_clicks, "a count")
    unsubscribed = args.non_negative("unsubscribes", unsubscribes, "a count")
    args.flag(delivered_n > sent_n, "delivered", delivered_n, "cannot exceed sent")
    args.flag(
        delivered_n == 0,
        "delivered",
        delivered_n,
        "none delivered: the rates are undefined",
        undefined=True,
    )
    for name, count in (
        ("unique_opens", opens),
        ("unique_clicks", clicks),
        ("unsubscribes", unsubscribed),
    ):
        args.flag(count > delivered_n, name, count, "cannot exceed delivered")
    args.raise_if_any()
    with np.errstate(invalid="ignore", divide="ignore"):
        click_to_open = np.where(opens > 0, clicks / np.where(opens > 0, opens, 1), np.nan)
    return np.column_stack(
        [
            delivered_n / sent_n,
            opens / delivered_n,
            clicks / delivered_n,
            click_to_open,
            unsubscribed / delivered_n,
        ]
    )


def email_rates(
    sent: float,
    delivered: float,
    unique_opens: float,
    unique_clicks: float,
    unsubscribes: float,
) -> EmailRates:
    """Delivery, open, click-through, click-to-open and unsubscribe rates of an email send.

    Parameters
    ----------
    sent
        Emails sent (> 0).
    delivered
        Emails that reached an inbox (> 0, at most ``sent``).
    unique_opens, unique_clicks, unsubscribes
        Recipients who opened, clicked, unsubscribed (each at most ``delivered``).

    Notes
    -----
    Rates after delivery are per delivered email, as email platforms report them. Clicks
    may exceed opens (images blocked), so click-to-open is not capped.
    Source: seed 004 (DOMAIN.md section 3).

    Examples
    --------
    10,000 sent, 9,800 delivered, 2,450 opened, 392 clicked, 49 unsubscribed:

    >>> email_rates(10_000, 9_800, 2_450, 392, 49)
    EmailRates(delivery_rate=0.98, open_rate=0.25, click_through_rate=0.04,
               click_to_open_rate=0.16, unsubscribe_rate=0.005)
    """
    row = email_rates_core(Args(), sent, delivered, unique_opens, unique_clicks, unsubscribes)[0]
    return EmailRates(*(float(v) for v in row))


def stage_velocity(leads: pd.DataFrame, stage_columns: Sequence[str]) -> pd.DataFrame:
    """How long leads spend in each stage, from the date each lead entered each stage.

    Parameters
    ----------
    leads
        One row per lead; for each stage a column with the date (or datetime) the lead
        entered it, empty where the lead never did.
    stage_columns
        The stage columns, top stage first (at least 2).

    Returns
    -------
    pandas.DataFrame
        One row per stage but the last: ``leads`` (how many moved on to the next stage),
        ``mean_days`` and ``median_days`` spent in the stage before moving on. A stage no
        lead left has 0 leads and NaN days.

    Notes
    -----
    Days in stage ``i`` = entered stage ``i + 1`` - entered stage ``i``, over leads with
    both dates. A lead that entered a stage before the one above it, or a date that does
    not parse, is an error naming the row and column. Source: DOMAIN.md section 3.

    Examples
    --------
    >>> import pandas as pd
    >>> leads = pd.DataFrame({
    ...     "lead": ["2026-01-01", "2026-01-05", "2026-01-10"],
    ...     "mql": ["2026-01-11", "2026-01-09", None],
    ...     "sql": ["2026-01-31", None, None],
    ... })
    >>> stage_velocity(leads, ["lead", "mql", "sql"])
           leads  mean_days  median_days
    stage
    lead       2        7.0          7.0
    mql        1       20.0         20.0
    """
    pd = pandas()
    columns = list(stage_columns)
    missing = [c for c in columns if c not in leads.columns]
    if len(columns) < 2 or missing:
        rule = (
            f"has columns not in the table: {missing}"
            if missing
            else "needs at least 2 stage columns"
        )
        raise KPIInputError([Problem("stage_columns", columns, rule)])
    args = Args(leads)
    dates = {}
    for column in columns:
        raw = leads[column]
        parsed = pd.to_datetime(raw, errors="coerce", format="mixed")
        args.flag(
            (parsed.isna() & raw.notna()).to_numpy(),
            column,
            raw.to_numpy(dtype=object),
            "is not a date",
        )
        dates[column] = parsed
    durations = {}
    for upper, lower in itertools.pairwise(columns):
        days = (dates[lower] - dates[upper]).dt.total_seconds() / 86_400
        args.flag(
            (days < 0).to_numpy(),
            lower,
            leads[lower].to_numpy(dtype=object),
            f"is before the date in {upper!r}: a lead cannot enter a stage before the one above",
        )
        durations[upper] = days
    args.raise_if_any()
    rows = {
        stage: {
            "leads": int(days.notna().sum()),
            "mean_days": days.mean(),
            "median_days": days.median(),
        }
        for stage, days in durations.items()
    }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "stage"
    return table
