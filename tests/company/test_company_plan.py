"""A company's plan: README's company example checked by hand, the roll-up equal to the sum
of its segments, one segment equal to today's plan, and the goals' rules."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kpi_engine import KPIInputError
from kpi_planner.company.inputs import CompanyInputs, Retention, Segment
from kpi_planner.company.plan import company_plan
from kpi_planner.company.table import read_segments
from kpi_planner.plan.one_plan import PlanInputs, plan_outputs

EXAMPLE = Path(__file__).parents[2] / "examples" / "segments.csv"
#: README's bridge: ARR 10,000,000 at 110 % NRR and 90 % GRR, to end at 15,000,000.
BRIDGE = Retention(starting_arr=10e6, net_retention=1.1, gross_retention=0.9, target_arr=15e6)


def example_plan():
    return company_plan(CompanyInputs(PlanInputs(), read_segments(EXAMPLE, PlanInputs()),
                                      retention=BRIDGE))  # fmt: skip


def test_readme_company_example_by_hand():
    plan = example_plan()
    # New logos: 15,000,000 - 10,000,000 x 1.1 = 4,000,000; expansion 10M x (1.1 - 0.9).
    assert plan.new_logo_goal == pytest.approx(4e6)
    assert plan.expansion == pytest.approx(2e6)
    # Shares 50 / 30 / 20 % of 4,000,000.
    assert [s.goal for s in plan.segments] == pytest.approx([2e6, 1.2e6, 0.8e6])
    # EMEA: 2,000,000 / 50,000 = 40 customers; / 25 % = 160 opportunities; / 20 % = 800
    # MQL; / 25 % = 3,200 leads. US: 24, 96, 480, 1,920. Partners: 800,000 / 100,000 = 8;
    # / 50 % = 16 deal registrations; / 20 % = 80 leads.
    assert plan.annual == {"Leads": 3200 + 1920 + 80, "MQL": 800 + 480,
                           "Opportunities": 160 + 96, "Deal registrations": 16,
                           "Customers": 40 + 24 + 8}  # fmt: skip
    assert plan.missing["Deal registrations"] == ("EMEA", "US")
    # Budget 300,000 + 300,000 + 50,000 over 72 customers.
    assert plan.budget == 650_000
    assert plan.cac == pytest.approx(650_000 / 72)
    # Cost per MQL: the two regions' budget (600,000) over their 1,280 MQLs.
    assert plan.cost_per_stage()["MQL"] == pytest.approx(600_000 / 1280)


@pytest.mark.parametrize("period", ["required_annual", "required_quarterly", "required_monthly"])
def test_roll_up_is_the_sum_of_its_segments(period):
    plan = example_plan()
    totals = {"required_annual": plan.annual, "required_quarterly": plan.quarterly,
              "required_monthly": plan.monthly}[period]  # fmt: skip
    for stage in plan.stages:
        added = sum(np.asarray(getattr(s.outputs, period))[list(s.stages).index(stage)]
                    for s in plan.segments if stage in s.stages)  # fmt: skip
        assert np.array_equal(np.asarray(totals[stage]), np.asarray(added))
    # Quarters and months add up to the year, stage by stage, in whole numbers.
    for stage in plan.stages:
        assert sum(plan.quarterly[stage]) == plan.annual[stage]
        assert sum(plan.monthly[stage]) == plan.annual[stage]


def test_one_segment_is_exactly_todays_plan():
    today = plan_outputs(PlanInputs())
    plan = company_plan(CompanyInputs(PlanInputs(), (Segment("All", PlanInputs()),)))
    only = plan.segments[0].outputs
    for name, value in vars(today).items():  # every output, bit for bit
        if isinstance(value, dict):
            assert value.keys() == getattr(only, name).keys()
            for key, part in value.items():
                assert np.array_equal(np.asarray(getattr(only, name)[key]), np.asarray(part),
                                      equal_nan=np.asarray(part).dtype.kind == "f")  # fmt: skip
        else:
            assert np.array_equal(np.asarray(getattr(only, name)), np.asarray(value),
                                  equal_nan=np.asarray(value).dtype.kind == "f"), name  # fmt: skip
    assert list(plan.annual.values()) == today.required_annual.tolist()
    assert plan.new_logo_goal == PlanInputs().revenue_goal
    assert plan.cac == today.planned_cac


def test_shares_that_do_not_add_up_are_refused():
    segments = (Segment("A", PlanInputs(), share=0.5), Segment("B", PlanInputs(), share=0.4))
    with pytest.raises(KPIInputError, match=r"90\.00% of the goal in shares"):
        company_plan(CompanyInputs(PlanInputs(), segments, goal=10e6))


def test_a_share_needs_a_company_goal():
    with pytest.raises(KPIInputError, match="no company goal is given"):
        company_plan(CompanyInputs(PlanInputs(), (Segment("A", PlanInputs(), share=1.0),)))


def test_own_goals_and_shares_add_up_to_the_goal():
    # 10,000,000 = 4,000,000 of A's own + 60 % of 10,000,000 for B.
    segments = (Segment("A", PlanInputs(revenue_goal=4e6)), Segment("B", PlanInputs(), share=0.6))
    plan = company_plan(CompanyInputs(PlanInputs(), segments, goal=10e6))
    assert [s.goal for s in plan.segments] == [4e6, 6e6]


def test_expansion_goal_comes_out_of_the_goal():
    # 12,000,000 with 3,000,000 from existing customers: the segments share 9,000,000.
    segments = (Segment("A", PlanInputs(), share=1.0),)
    plan = company_plan(CompanyInputs(PlanInputs(), segments, goal=12e6,
                                      retention=Retention(expansion_goal=3e6)))  # fmt: skip
    assert plan.new_logo_goal == 9e6
    assert plan.segments[0].goal == 9e6


def test_a_segments_bad_input_names_the_segment():
    bad = PlanInputs(rates=(0.015, 0.2, 0.2, 0.4, 0.0))
    with pytest.raises(KPIInputError, match="segment 'B': rates"):
        company_plan(CompanyInputs(PlanInputs(), (Segment("A", PlanInputs()), Segment("B", bad))))


def test_budget_needed_adds_the_segments_channels(tmp_path):
    # A: 10 customers need 1,250 leads, at 60 % x 100 + 40 % x 250 = 160 a lead: 200,000.
    # B: 5 customers (5,000,000 / 1,100,000 = 4.5, rounded up) need 625 leads at 120: 75,000.
    table = tmp_path / "segments.csv"
    table.write_text(
        "Segment,RevenueGoal,ChannelNames1,ChannelShares1,ChannelCosts1,"
        "ChannelNames2,ChannelShares2,ChannelCosts2\n"
        "A,10000000,Search,60%,100,Events,40%,250\nB,5000000,Search,100%,120,,,\n"
    )
    plan = company_plan(CompanyInputs(PlanInputs(), read_segments(table, PlanInputs())))
    assert [s.budget_needed for s in plan.segments] == [200_000, 75_000]
    assert plan.budget_needed == 275_000


def test_budget_needed_is_none_with_the_example_channels():
    plan = company_plan(CompanyInputs(PlanInputs(), (Segment("A", PlanInputs()),)))
    assert plan.segments[0].budget_needed is None
    assert plan.budget_needed is None
