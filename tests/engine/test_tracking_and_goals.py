"""Plan vs actual, the focus area, and SMART goals (DOMAIN.md sections 4 and 5)."""

import datetime as dt

import pytest

import kpi_engine
from kpi_engine import (
    DEFAULT_PLAYBOOK,
    TRAFFIC,
    Goal,
    KPIInputError,
    attainment,
    expected_to_date,
    focus_area,
    goal_status,
    smart_problems,
)

PLAN = [6000, 90, 18, 3.6, 1.44, 0.72]  # seed 000's monthly plan from 6000 visits


def test_attainment_and_pacing():
    assert attainment(1000, 1250) == 0.8  # 1,000 of 1,250 planned
    with pytest.raises(KPIInputError, match="planned = 0: attainment is undefined") as err:
        attainment(5, 0)
    assert err.value.problems[0].undefined
    # 375 in April: 10 of 30 days elapsed by 10 April -> 125; after April, all 375.
    april = (dt.date(2027, 4, 1), dt.date(2027, 4, 30))
    assert expected_to_date(375, *april, dt.date(2027, 4, 10)) == 125
    assert expected_to_date(375, *april, dt.date(2027, 5, 3)) == 375
    assert expected_to_date(375, *april, dt.date(2027, 3, 31)) == 0


def test_focus_area_is_the_seeds_visit_to_lead_example():
    # Seed 002: visit -> lead at 0.5 % against the plan's 1.5 %: a third of plan.
    area = focus_area([6000, 30, 6, 1.2, 0.48, 0.24], PLAN)
    assert area.where == "Visits -> Leads"
    assert area.actual == pytest.approx(0.005)
    assert area.planned == pytest.approx(0.015)
    assert area.attainment == pytest.approx(1 / 3)
    assert area.play == DEFAULT_PLAYBOOK["Visits -> Leads"]
    assert "landing pages" in str(area)


def test_the_first_short_stage_top_down_wins():
    # Both MQL -> SQL (10 % vs 20 %) and SQL -> opportunity are short: MQL -> SQL is first.
    area = focus_area([6000, 90, 18, 1.8, 0.36, 0.18], PLAN)
    assert area.where == "MQL -> SQL"
    assert "nurturing" in area.play.action


def test_traffic_short_comes_before_any_rate():
    area = focus_area([4000, 30, 6, 1.2, 0.48, 0.24], PLAN)
    assert area.where == TRAFFIC
    assert area.attainment == pytest.approx(4000 / 6000)


def test_within_tolerance_there_is_no_focus_area():
    # Every rate at 95 % of plan is inside the default 10 % tolerance.
    actual = [6000, 90 * 0.95, 18 * 0.95**2, 3.6 * 0.95**3, 1.44 * 0.95**4, 0.72 * 0.95**5]
    assert focus_area(actual, PLAN) is None
    assert focus_area(actual, PLAN, tolerance=0.01).where == "Visits -> Leads"


def test_benchmarks_replace_the_plans_rate():
    # On plan at 20 % MQL -> SQL, but against a strict-MQL benchmark of 80 % (seed 004) short.
    area = focus_area(PLAN, PLAN, benchmarks={"MQL -> SQL": 0.8})
    assert area.where == "MQL -> SQL"
    assert area.planned == 0.8
    with pytest.raises(KPIInputError, match="names transitions not in the funnel"):
        focus_area(PLAN, PLAN, benchmarks={"MQL -> Deals": 0.5})


def test_custom_stages_get_the_play_of_their_position():
    area = focus_area([100, 5, 1], [100, 10, 2], stages=["Leads", "Demos", "Won"])
    assert area.where == "Leads -> Demos"
    # The top conversion of any funnel: conversion-rate optimisation, its KPIs in its names.
    assert area.play.action.startswith("Conversion-rate optimisation")
    assert "new Demos" in area.play.kpis


def test_an_empty_playbook_gives_no_advice():
    area = focus_area([100, 5, 1], [100, 10, 2], stages=["Leads", "Demos", "Won"], playbook={})
    assert area.play is None


def goal(**changes):
    fields = {
        "metric": "SQL per month",
        "baseline": 100,
        "target": 120,
        "start": dt.date(2027, 1, 1),
        "deadline": dt.date(2027, 4, 1),
        "owner": "Ana",
    }
    return Goal(**(fields | changes))  # fmt: skip


def test_a_goal_that_is_not_smart_says_why():
    assert smart_problems(goal()) == []
    reasons = smart_problems(goal(target=None, deadline=None, owner=" "))
    assert reasons == [
        "no target number: measurable goals say how much",
        "no deadline: time-bound goals say by when",
        "no owner: someone must be accountable",
    ]
    assert "nothing to achieve" in smart_problems(goal(target=100))[0]
    with pytest.raises(KPIInputError, match="is not SMART: no owner"):
        goal_status(goal(owner=""), 110, dt.date(2027, 2, 1))


@pytest.mark.parametrize(
    ("current", "today", "status"),
    [
        # 90 days from 1 Jan to 1 Apr; +20 SQL. On 15 Feb (45 days) a steady path is at 110.
        (110, dt.date(2027, 2, 15), "on track"),  # exactly on the path
        (108, dt.date(2027, 2, 15), "on track"),  # 40 % vs 50 %: 10 points behind
        (106, dt.date(2027, 2, 15), "at risk"),  # 30 % vs 50 %: 20 points behind
        (102, dt.date(2027, 2, 15), "off track"),  # 10 % vs 50 %
        (120, dt.date(2027, 2, 15), "met"),
        (119, dt.date(2027, 4, 2), "off track"),  # deadline passed unmet
        (100, dt.date(2026, 12, 1), "not started"),
    ],
)
def test_goal_status_follows_a_steady_path(current, today, status):
    result = goal_status(goal(), current, today)
    assert result.status == status
    assert result.meaning


def test_goals_that_go_down_progress_too():
    # -10 % ad cost: 1,000 -> 900. At 950 halfway through, progress is 50 %: on track.
    spend = goal(metric="ad cost", baseline=1000, target=900)
    result = goal_status(spend, 950, dt.date(2027, 2, 15))
    assert result.progress == pytest.approx(0.5)
    assert result.expected == pytest.approx(950)
    assert result.status == "on track"


def test_the_planned_rate_is_the_plan_s_rate_when_given():
    # Whole numbers planned to date whose ratio is no rate of the plan (each stage's year
    # spread on its own gave these after three months: 5 opportunities for 3 customers);
    # 6 opportunities won 3 customers, the plan's 50 %. Against the ratio (3 / 5 = 60 %,
    # x 0.9 = 54 %) that is short; against the plan's 50 % (x 0.9 = 45 %) it is not.
    planned = [20_834, 313, 63, 13, 5, 3]
    actual = [20_834, 313, 63, 13, 6, 3]
    rates = [0.015, 0.2, 0.2, 0.4, 0.5]
    assert focus_area(actual, planned).where == "Opportunities -> Customers"
    assert focus_area(actual, planned, rates=rates) is None
    monthly_plan = [[value] + [0] * 11 for value in planned]
    monthly_actual = [[value] + [0] * 11 for value in actual]
    diagnosis = kpi_engine.diagnose(monthly_plan, monthly_actual, 1, rates=rates)
    assert diagnosis.planned_rates.tolist() == rates
    assert diagnosis.focus is None
    with pytest.raises(KPIInputError, match=r"rates = \[0.5\]: has 1 rates for 6 stages"):
        focus_area(actual, planned, rates=[0.5])
