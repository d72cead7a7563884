"""The judging boundaries, each tested on both sides with numbers exact in binary.

Each comparison here survived a mutation before (``<`` for ``<=`` or the reverse passed
every test), so each test puts a value exactly on the boundary and one just past it. The
numbers are sums of powers of two, so the arithmetic below is exact in doubles and the
boundary is hit exactly, not by a rounding error's grace.
"""

import datetime as dt

import pytest

import kpi_engine
from kpi_engine import focus_area
from kpi_engine.channel_tracking import channel_attainment


def test_a_stage_exactly_at_the_tolerance_is_not_short():
    # tolerance 0.5: short when actual < planned x 0.5. Planned rate 64 / 128 = 0.5, so the
    # boundary rate is 0.25: 32 / 128 is on it (not short), 32 - 2**-13 of 128 below it.
    planned = [128.0, 64.0]
    assert focus_area([128.0, 32.0], planned, tolerance=0.5) is None
    area = focus_area([128.0, 32.0 - 2**-13], planned, tolerance=0.5)
    assert area.where == "Stage 1 -> Customers"
    assert area.attainment == 0.5 - 2**-19  # (0.25 - 2**-20) / 0.5, exact
    # The top of the funnel: 64 of 128 planned visits is at the boundary, 63.5 below it.
    assert focus_area([64.0, 32.0], planned, tolerance=0.5) is None
    assert focus_area([63.5, 32.0], planned, tolerance=0.5).where == kpi_engine.TRAFFIC


def test_a_channel_exactly_at_the_tolerance_is_not_short():
    # tolerance 0.25: short when attainment < 0.75. 48 of 64 planned customers is 0.75.
    def focus(actual_customers):
        return channel_attainment(["Search"], [128.0], [64.0], [128.0], [actual_customers],
                                  [1000.0], tolerance=0.25).focus  # fmt: skip

    assert focus(48.0) is None
    assert focus(48.0 - 2**-10) == "Search"


@pytest.mark.parametrize(
    ("current", "status"),
    [
        # 4 days from 1 to 5 January, judged on the 3rd: half the way expected. Baseline 0,
        # target 4: progress current / 4, gap 0.5 - progress, tolerance 0.25.
        (1.0, "on track"),  # gap 0.25: exactly the tolerance
        (1.0 - 2**-10, "at risk"),  # gap just over 0.25
        (0.0, "at risk"),  # gap 0.5: exactly twice the tolerance
        (-(2**-10), "off track"),  # gap just over 0.5
    ],
)
def test_a_goal_exactly_at_the_tolerance(current, status):
    goal = kpi_engine.Goal("SQL", 0.0, 4.0, dt.date(2027, 1, 1), dt.date(2027, 1, 5), "Ana")
    result = kpi_engine.goal_status(goal, current, dt.date(2027, 1, 3), tolerance=0.25)
    assert result.expected_progress == 0.5
    assert result.status == status
