"""Next quarter's pipeline: the day-one target, the coverage in hand, and the pacing to it.

A quarter is won mostly from the pipeline it starts with. Its **day-one target** is the
quarter's revenue target times the coverage the team needs (RevOps Inflection: 3.5x of a
$20M quarter is $70M). During the quarter before, the pipeline for the next one builds up;
its **pacing** is the pipeline in hand against what a typical quarter had by the same day
(Revcast: a quarter that started with $1,000,000 of day-one pipeline had $650,000 of it by
day 60: 65 %; a $1,500,000 day-one target then needs $975,000 by day 60).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from kpi_engine._args import scalar_non_negative
from kpi_engine.errors import KPIInputError, Problem

__all__ = [
    "build_up_share",
    "coverage_ratio",
    "day_one_target",
    "pipeline_needed_by",
    "pipeline_pacing",
]


def day_one_target(quarter_target: float, coverage: float) -> float:
    """The pipeline a quarter should start with: its revenue target x the coverage.

    >>> day_one_target(20_000_000, 3.5)  # RevOps Inflection: 3.5x of $20M
    70000000.0
    """
    return scalar_non_negative("quarter_target", quarter_target) * _positive("coverage", coverage)


def coverage_ratio(pipeline: float, quarter_target: float) -> float:
    """The pipeline in hand over the quarter's target: how many times it covers it.

    >>> coverage_ratio(35_000_000, 20_000_000)  # RevOps Inflection: $35M of a $20M quarter
    1.75
    """
    return scalar_non_negative("pipeline", pipeline) / _positive("quarter_target", quarter_target)


def pipeline_pacing(pipeline_now: float, needed_now: float) -> float:
    """The pipeline in hand over what is needed by now (1 = on pace).

    >>> pipeline_pacing(650_000, 1_000_000)  # Revcast: $650,000 by day 60 of $1,000,000: 65 %
    0.65
    """
    return scalar_non_negative("pipeline_now", pipeline_now) / _positive("needed_now", needed_now)


def pipeline_needed_by(day_one: float, share_by_then: float) -> float:
    """The pipeline needed by a day of the quarter before: the day-one target x the share a
    typical quarter had built by that day.

    >>> pipeline_needed_by(1_500_000, 0.65)  # Revcast: 65 % of a $1,500,000 day-one target
    975000.0
    """
    share = scalar_non_negative("share_by_then", share_by_then)
    if share > 1:
        raise KPIInputError([Problem("share_by_then", share_by_then, "must be at most 1")])
    return scalar_non_negative("day_one", day_one) * share


def build_up_share(
    created: Sequence[dt.date], amounts: Sequence[float], quarter_start: dt.date, day: int
) -> float:
    """Of the pipeline a quarter started with, the share (by amount) created by ``day`` of
    the quarter before (day 1 is its first).

    ``created`` and ``amounts`` are the opportunities open on ``quarter_start`` (its day-one
    pipeline); those created before the quarter before count as there from its first day.

    >>> q2 = dt.date(2026, 4, 1)
    >>> build_up_share([dt.date(2025, 12, 1), dt.date(2026, 3, 15)], [650, 350], q2, 60)
    0.65
    """
    if len(created) != len(amounts) or not created:
        rule = "give the day-one pipeline: one created date per amount, at least one"
        raise KPIInputError([Problem("created", len(created), rule)])
    before_start = _quarter_before(quarter_start)
    cutoff = before_start + dt.timedelta(days=day - 1)
    total = math.fsum(scalar_non_negative(f"amounts[{k}]", a) for k, a in enumerate(amounts))
    if total == 0:
        raise KPIInputError([Problem("amounts", 0, "add up to 0: no pipeline to share out",
                                     undefined=True)])  # fmt: skip
    built = math.fsum(a for c, a in zip(created, amounts, strict=True) if c <= cutoff)
    return built / total


def _quarter_before(start: dt.date) -> dt.date:
    """The first day of the quarter (three months) before the one starting on ``start``."""
    month = start.month - 3
    return dt.date(start.year - (month < 1), (month - 1) % 12 + 1, 1)


def _positive(name: str, value: object) -> float:
    number = scalar_non_negative(name, value)
    if number == 0:
        raise KPIInputError([Problem(name, value, "must be above 0", undefined=True)])
    return number
