"""SMART goals: is a goal well formed, and is it on track today?

DOMAIN.md section 5 (seed 003): a goal is specific, measurable (a KPI and an owner),
achievable, relevant and time-bound. It has a metric, a baseline, a target, a start, a
deadline and an owner; progress and pacing tell whether it is on track.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from kpi_engine.errors import KPIInputError, Problem

__all__ = ["STATUS_MEANINGS", "Goal", "GoalStatus", "goal_status", "smart_problems"]

#: What each status tells the goal's owner.
STATUS_MEANINGS = {
    "on track": "progress is where a steady path from baseline to target would be by now",
    "at risk": "behind the steady path by more than the tolerance: act this period",
    "off track": "behind by more than twice the tolerance, or the deadline passed unmet",
    "met": "the target is reached",
    "not started": "the start date is still ahead",
}


@dataclass(frozen=True)
class Goal:
    """A goal as a marketer writes it: +15 % monthly revenue by the end of next quarter.

    ``baseline`` and ``target`` are values of ``metric`` (the target may be lower than the
    baseline: -10 % ad cost); ``start`` and ``deadline`` are dates.
    """

    metric: str
    baseline: float | None
    target: float | None
    start: dt.date | None
    deadline: dt.date | None
    owner: str | None


def smart_problems(goal: Goal) -> list[str]:
    """Why a goal is not SMART, one reason each; empty when it is.

    >>> for reason in smart_problems(Goal("revenue", 100, None, dt.date(2027, 1, 1), None, "")):
    ...     print(reason)
    no target number: measurable goals say how much
    no deadline: time-bound goals say by when
    no owner: someone must be accountable
    """
    reasons = []
    if not goal.metric or not str(goal.metric).strip():
        reasons.append("no metric: specific goals name the KPI they move")
    if not _number(goal.baseline):
        reasons.append("no baseline number: progress needs a starting value")
    if not _number(goal.target):
        reasons.append("no target number: measurable goals say how much")
    elif _number(goal.baseline) and goal.target == goal.baseline:
        reasons.append("the target equals the baseline: nothing to achieve")
    if goal.start is None:
        reasons.append("no start date")
    if goal.deadline is None:
        reasons.append("no deadline: time-bound goals say by when")
    elif goal.start is not None and goal.deadline <= goal.start:
        reasons.append("the deadline is not after the start")
    if not goal.owner or not str(goal.owner).strip():
        reasons.append("no owner: someone must be accountable")
    return reasons


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class GoalStatus:
    """Where a goal stands today."""

    progress: float  # share of the way from baseline to target, 1.0 = target reached
    expected: float  # the value a steady path would have reached today
    expected_progress: float  # the share of the way a steady path would have covered
    status: str  # a key of STATUS_MEANINGS

    @property
    def meaning(self) -> str:
        return STATUS_MEANINGS[self.status]


def goal_status(goal: Goal, current: float, today: dt.date, tolerance: float = 0.1) -> GoalStatus:
    """Progress, pacing and status of a SMART goal on ``today``.

    Parameters
    ----------
    goal
        A SMART goal (see :func:`smart_problems`; one that is not SMART is an error).
    current
        The metric's value today.
    today
        The day to judge.
    tolerance
        How far behind the steady path still counts as on track, as a share of the way
        (0.1 = 10 points).

    Notes
    -----
    ``progress = (current - baseline) / (target - baseline)``, which works for goals that
    go down too. The steady path is linear from the start to the deadline:
    ``expected_progress = elapsed days / planned days`` (0 before the start, 1 after the
    deadline). The status is "met" once progress reaches 1; "not started" before the start;
    "on track" when ``expected_progress - progress <= tolerance``; "at risk" within twice
    the tolerance; otherwise, or when the deadline has passed, "off track".
    Source: seed 003 (DOMAIN.md section 5).

    Examples
    --------
    Seed 003's cost per click from $3.50 to $0.50 in a year; half the year gone, it is $2.90:

    >>> goal = Goal("cost per click", 3.5, 0.5, dt.date(2027, 1, 1), dt.date(2027, 12, 31), "Ana")
    >>> status = goal_status(goal, 2.9, dt.date(2027, 7, 2))
    >>> round(status.progress, 2), round(status.expected_progress, 2), status.status
    (0.2, 0.5, 'off track')
    """
    reasons = smart_problems(goal)
    if reasons:
        raise KPIInputError([Problem("goal", goal.metric, "is not SMART: " + "; ".join(reasons))])
    if not _number(current):
        raise KPIInputError([Problem("current", current, "must be a number")])
    if not 0 <= tolerance <= 1:
        raise KPIInputError([Problem("tolerance", tolerance, "must be a fraction between 0 and 1")])
    # smart_problems has checked these: start, deadline, baseline and target are all set
    progress = (current - goal.baseline) / (goal.target - goal.baseline)
    span = (goal.deadline - goal.start).days
    elapsed = min(max((today - goal.start).days, 0), span)
    expected_progress = elapsed / span
    expected = goal.baseline + expected_progress * (goal.target - goal.baseline)
    gap = expected_progress - progress
    if progress >= 1:
        status = "met"
    elif today < goal.start:
        status = "not started"
    elif today > goal.deadline:
        status = "off track"
    elif gap <= tolerance:
        status = "on track"
    elif gap <= 2 * tolerance:
        status = "at risk"
    else:
        status = "off track"
    return GoalStatus(progress, expected, expected_progress, status)
