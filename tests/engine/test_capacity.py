"""Capacity: who carries the plan. Issue 34's published checks, each with its arithmetic,
and the hiring plan against hand-worked cases."""

from __future__ import annotations

import pytest

from kpi_engine import KPIInputError, capacity, reverse_funnel

KELLBLOG_RAMP = [0.0, 0.25, 0.5]  # then 100 %: four quarters


def test_ramped_rep_equivalents():
    # 5 people at 25 % + 3 at 60 % + 2 at 85 % + 15 at 100 % = 1.25 + 1.8 + 1.7 + 15.
    assert capacity.ramped_rep_equivalents([5, 3, 2, 15], [0.25, 0.6, 0.85, 1.0]) == 19.75


def test_kellblogs_first_year_of_a_rep():
    # 1,200,000 a year steady is 300,000 a quarter: 0 + 75,000 + 150,000 + 300,000.
    year = capacity.ramped_output(300_000, KELLBLOG_RAMP, 4)
    assert year == [0, 75_000, 150_000, 300_000]
    assert sum(year) == 525_000


def test_insight_partners_five_reps_deliver_less_than_half():
    # 5 reps hired on 1 January with 1,000,000 quotas (250,000 a quarter), the same ramp:
    # 0 + 62,500 + 125,000 + 250,000 = 437,500 each, 2,187,500 in all: 43.75 % of 5,000,000.
    each = sum(capacity.ramped_output(250_000, KELLBLOG_RAMP, 4))
    assert each == 437_500
    team = capacity.team_capacity(0, [5, 0, 0, 0], 250_000, KELLBLOG_RAMP)
    assert sum(team) == 2_187_500
    assert sum(team) / 5_000_000 == pytest.approx(0.4375)


def test_sdr_to_ae_ratio_from_the_funnel():
    # 10 AEs with 8,000 of new MRR a month each at 1,000 MRR a deal: 8 deals an AE, at
    # 50 % from opportunity and 40 % from demo: 16 opportunities, 40 demos an AE a month.
    volumes = reverse_funnel(8, [0.4, 0.5], stages=["Demos", "Opportunities", "Deals"])
    assert volumes == {"Demos": 40, "Opportunities": 16, "Deals": 8}
    # 400 demos a month for 10 AEs, at 40 demos an SDR a month: 10 SDRs.
    assert capacity.headcount_needed([10 * volumes["Demos"]], 40) == [10]


def test_the_hiring_plan_starts_hires_late_enough_and_says_what_is_too_late():
    # Need 4 people's worth from period 3 (400 at 100 each); 2 on the team; a hire ramps
    # at 50 % in its first period; the lag is 2 periods. The 2 more start in period 2
    # (fully ramped by period 3), opened in period 0.
    plan = capacity.hiring_plan([200, 200, 200, 400, 400], 2, 100, [0.5], hiring_lag=2)
    assert plan.starts == [0, 0, 2, 0, 0]
    assert plan.opened == [2, 0, 0, 0, 0]
    assert plan.capacity == [200, 200, 300, 400, 400]
    assert plan.shortfall == [0, 0, 0, 0, 0]
    # Needed from period 1 instead: nobody starts before period 2, so period 1 is short.
    late = capacity.hiring_plan([200, 400, 400], 2, 100, [0.5], hiring_lag=2)
    assert late.shortfall == [0, 200, 0]
    assert late.starts == [0, 0, 4]  # at 50 % in period 2: 4 people for 200 more
    assert late.capacity == [200, 200, 400]
    # A lag past the plan's periods: nobody can start, every period short, one value each.
    never = capacity.hiring_plan([300, 300], 2, 100, [], hiring_lag=13)
    assert never.opened == never.starts == [0, 0]
    assert never.shortfall == [100, 100]


def test_attrition_wears_the_team_down_and_hires_replace_it():
    # 10 people, 10 % leave each period: 10, 9, 8.1 expected people's capacity.
    assert capacity.team_capacity(10, [0, 0, 0], 1, []) == [10, 10, 10]
    worn = capacity.team_capacity(10, [0, 0, 0], 1, [], attrition=0.1)
    assert worn == pytest.approx([10, 9, 8.1])
    plan = capacity.hiring_plan([10, 10, 10], 10, 1, [], hiring_lag=0, attrition=0.1)
    assert plan.starts == [0, 1, 1]  # 9 + 1 = 10; then 8.1 + 0.9 + 1 = 10
    assert plan.shortfall == [0, 0, 0]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: capacity.ramp_share([0.25, 1.5], 1), r"ramp\[1\] = 1.5: must be 0 to 100 %"),
        (lambda: capacity.headcount_needed([10], 0), "capacity = 0: must be above 0"),
        (lambda: capacity.hiring_plan([1], 0, 1, [], hiring_lag=-1), "hiring_lag = -1"),
        (lambda: capacity.team_capacity(1, [0], 1, [], attrition=2), "attrition = 2"),
    ],
)  # fmt: skip
def test_bad_input_is_named(call, message):
    with pytest.raises(KPIInputError, match=message):
        call()
