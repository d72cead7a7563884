"""What the forecast asks for next: the opportunities (and up the funnel, the leads and the
budget) that would close the gap between the likely landing (P50) and the goal in the
months left, and next quarter's pipeline against its day-one target.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import kpi_engine
from kpi_planner.forecast.landing import Landing, YearWindow
from kpi_planner.inputs.opportunities import Opportunity
from kpi_planner.plan.one_plan import PlanInputs, PlanOutputs


@dataclass(frozen=True)
class GapPlan:
    """What closing the P50 gap takes, created this month: ``deals`` more wins, and each
    stage's volume up to the opportunities (``too_late`` when none created now can close
    before the year ends, by the close-rate curve); ``budget`` at the plan's cost per unit
    of its top stage."""

    gap: float
    deals: int
    volumes: dict[str, float]
    budget: float
    too_late: bool
    measured: bool = True  # False: no won deals, so no curve to time opportunities by


@dataclass(frozen=True)
class Pacing:
    """Next quarter's pipeline (open deals closing in it) against its day-one target."""

    quarter: str
    target: float  # revenue
    coverage: float  # the coverage asked for, e.g. 3.0
    day_one_target: float
    in_hand: float
    coverage_now: float
    day: int  # of the current quarter
    share_by_now: float  # of a day-one pipeline a typical quarter had built by this day
    share_measured: bool  # from the table's past quarters (else a straight line)
    needed_now: float
    pacing: float


def close_the_gap(
    landing: Landing, inputs: PlanInputs, outputs: PlanOutputs, window: YearWindow
) -> GapPlan | None:
    """The deals, opportunities and top of funnel the P50 gap needs; None with no gap."""
    gap = landing.goal - landing.range.p50
    if gap <= 0:
        return None
    deals = math.ceil(round(gap / inputs.deal_size, 9))
    curve = landing.curve  # the table's, by which opportunities created now close
    if not curve:
        return GapPlan(gap, deals, {}, math.nan, False, measured=False)
    opportunities = kpi_engine.opportunities_to_close(deals, curve, window.months_left)
    if math.isinf(opportunities):
        return GapPlan(gap, deals, {}, math.nan, True)
    stages, rates = inputs.stages[:-1], inputs.rates[:-1]  # up to the opportunity stage
    volumes = kpi_engine.reverse_funnel(opportunities, rates, stages=stages,
                                        whole_numbers=inputs.whole_numbers)  # fmt: skip
    top = float(outputs.required_annual[0])
    budget = volumes[stages[0]] * inputs.marketing_budget / top if top > 0 else math.nan
    return GapPlan(gap, deals, volumes, budget, False)


def next_quarter(
    opportunities: Sequence[Opportunity], inputs: PlanInputs, outputs: PlanOutputs,
    window: YearWindow, coverage: float,
) -> Pacing:  # fmt: skip
    """Next quarter's day-one target, the pipeline in hand for it, and the pacing by now."""
    # Next quarter's index in the plan year (0-based); 4 is next year's first.
    index = (12 - window.months_left) // 3 + 1
    labels = outputs.quarter_labels.ravel().tolist()
    customers = outputs.required_quarterly[-1]
    if index < 4:
        target, label = float(customers[index]) * inputs.deal_size, labels[index]
    else:  # next year's first quarter: this year's first, grown as the plan says
        target = float(customers[0]) * inputs.deal_size * (1 + inputs.growth)
        label = kpi_engine.fiscal.quarter_labels(inputs.plan_year + 1,
                                                 inputs.fiscal_year_start)[0]  # fmt: skip
    starts = _quarter_starts(window)
    this_start = starts[index - 1]
    next_start = starts[index] if index < 4 else _add_months(starts[0], 12)
    next_end = _add_months(next_start, 3) - dt.timedelta(days=1)
    in_hand = math.fsum(o.amount for o in opportunities
                        if o.is_open(window.as_of) and o.created <= window.as_of
                        and o.close is not None and next_start <= o.close <= next_end)  # fmt: skip
    day = (window.as_of - this_start).days + 1
    share, measured = _typical_share(opportunities, next_start, day)
    day_one = kpi_engine.day_one_target(target, coverage)
    needed = kpi_engine.pipeline_needed_by(day_one, share)
    covered = kpi_engine.coverage_ratio(in_hand, target) if target > 0 else math.nan
    pace = kpi_engine.pipeline_pacing(in_hand, needed) if needed > 0 else math.nan
    return Pacing(label, target, coverage, day_one, in_hand, covered, day, share, measured,
                  needed, pace)  # fmt: skip


def _typical_share(
    opportunities: Sequence[Opportunity], next_start: dt.date, day: int
) -> tuple[float, bool]:
    """The median share of a day-one pipeline built by ``day`` of the quarter before, over
    eight quarters, this one and the seven before it (each one's deals open on its first
    day, closing in it), and True; a straight line (``day`` / 91) and False when none had
    such deals."""
    shares = []
    for back in range(1, 9):  # this quarter (its day one is past), then the two years before
        start = _add_months(next_start, -3 * back)
        end = _add_months(start, 3) - dt.timedelta(days=1)
        eve = start - dt.timedelta(days=1)
        day_one = [o for o in opportunities if o.created <= eve and o.is_open(eve)
                   and o.close is not None and start <= o.close <= end]  # fmt: skip
        if day_one and math.fsum(o.amount for o in day_one) > 0:
            created, amounts = [o.created for o in day_one], [o.amount for o in day_one]
            shares.append(kpi_engine.build_up_share(created, amounts, start, day))
    if shares:
        return statistics.median(shares), True
    return min(day / 91, 1.0), False


def _quarter_starts(window: YearWindow) -> list[dt.date]:
    """The first day of each of the plan year's four quarters."""
    return [_add_months(window.first, 3 * q) for q in range(4)]


def _add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
