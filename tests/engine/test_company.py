"""A company's plan in the engine: the ARR bridge, sourced targets, segment shares, ramping
targets and the roll-up of several funnels. Expected numbers are worked by hand next to
each test, or are the published examples of issue 32."""

from __future__ import annotations

import graphlib
import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi_engine import (
    KPIInputError,
    arr_bridge,
    company_stages,
    diagnose,
    fix_first,
    frame,
    new_logo_goal,
    phase_funnel,
    ramp_weights,
    revenue_at_risk,
    roll_up,
    segment_goals,
    sourced_target,
    stage_name_problems,
)


def test_arr_bridge_worked_from_first_principles():
    # Start 10,000,000. GRR 90 %: the customers keep 9,000,000, so churn and contraction
    # lose 1,000,000. NRR 110 %: they bring 11,000,000, so expansion is 11 - 9 = 2,000,000.
    # Target 15,000,000: new logos must bring 15 - 11 = 4,000,000, at 50,000 a deal 80.
    bridge = arr_bridge(10e6, net_retention=1.10, gross_retention=0.90, target_arr=15e6)
    assert bridge.expansion == pytest.approx(2_000_000)
    assert bridge.churn_and_contraction == pytest.approx(1_000_000)
    assert bridge.new_logo_arr == pytest.approx(4_000_000)
    assert bridge.ending_arr == 15e6
    # The bridge closes: start + new + expansion - churn and contraction = ending.
    total = bridge.starting_arr + bridge.new_logo_arr + bridge.expansion
    assert total - bridge.churn_and_contraction == pytest.approx(bridge.ending_arr)
    assert bridge.new_logo_arr / 50_000 == pytest.approx(80)


def test_arr_bridge_frame_rows_equal_scalar_calls():
    df = pd.DataFrame(
        {
            "starting_arr": [10e6, 0.0, 3e6],
            "net_retention": [1.1, 1.0, 0.95],
            "gross_retention": [0.9, 0.8, 0.85],
            "target_arr": [15e6, 2e6, 3e6],
        }
    )
    bridges = frame.arr_bridge(df)
    for label, row in df.iterrows():
        one = arr_bridge(
            row["starting_arr"],
            net_retention=row["net_retention"],
            gross_retention=row["gross_retention"],
            target_arr=row["target_arr"],
        )
        assert bridges.loc[label, "new_logo_arr"] == one.new_logo_arr
        assert bridges.loc[label, "expansion"] == one.expansion


@pytest.mark.parametrize(
    ("changes", "argument", "words"),
    [
        ({"gross_retention": 1.2}, "gross_retention", "between 0 and 1"),
        ({"net_retention": 0.8}, "net_retention", "at least the gross retention"),
        ({"net_retention": 110}, "net_retention", "looks like a percentage, write 1.1"),
        ({"target_arr": 10e6}, "target_arr", "no new logos are needed"),
        ({"starting_arr": -1}, "starting_arr", "cannot be negative"),
    ],
)
def test_arr_bridge_refuses_bad_input_by_name(changes, argument, words):
    inputs = {"net_retention": 1.1, "gross_retention": 0.9, "target_arr": 15e6} | changes
    start = inputs.pop("starting_arr", 10e6)
    with pytest.raises(KPIInputError) as err:
        arr_bridge(start, **inputs)
    assert err.value.problems[0].argument == argument
    assert words in str(err.value)


def test_new_logo_goal_takes_expansion_out():
    # 12,000,000 of bookings, 3,000,000 of them from existing customers: 9,000,000 new.
    assert new_logo_goal(12e6, 3e6) == 9e6
    with pytest.raises(KPIInputError, match="expansion_goal = 13000000: is more than"):
        new_logo_goal(12e6, 13e6)


def test_sourced_target_reproduces_sbi_example():
    # SBI: 25 % of a $30,000,000 goal from marketing = $7,500,000; at $85,000 a deal
    # 7,500,000 / 85,000 = 88.235..., so at least 89 whole deals.
    target = sourced_target(30e6, 0.25, 85_000)
    assert target.revenue == 7_500_000
    assert target.deals == pytest.approx(88.2353, abs=1e-4)
    assert target.whole_deals == 89
    rows = frame.sourced_target(pd.DataFrame({"share": [0.25]}), goal=30e6, deal_size=85_000)
    assert rows.loc[0, "whole_deals"] == 89


def test_sourced_target_refuses_a_share_typed_as_a_percentage():
    with pytest.raises(KPIInputError, match="share = 25: must be a fraction"):
        sourced_target(30e6, 25, 85_000)


def test_segment_goals_split_and_refuse_shares_not_adding_up():
    # 50 % + 30 % + 20 % of 20,000,000.
    assert segment_goals(20e6, [0.5, 0.3, 0.2]) == [10e6, 6e6, 4e6]
    with pytest.raises(KPIInputError, match=r"add up to 0.95 \(95.0000%\)"):
        segment_goals(20e6, [0.5, 0.3, 0.15])


def test_ramp_weights_follow_kellblogs_quarters():
    # Kellblog: 5.0, 5.25, 6.0, 7.5 million, 23.75 million in all; even months: a third of
    # each quarter's target each.
    weights = ramp_weights([5.0e6, 5.25e6, 6.0e6, 7.5e6])
    assert weights[0:3] == pytest.approx([5.0e6 / 3] * 3)
    assert weights[9:12] == pytest.approx([2.5e6] * 3)
    assert math.fsum(weights) == pytest.approx(23.75e6)


def test_ramped_plan_gives_each_quarter_its_own_customers():
    # At 250,000 a deal the quarters need 20, 21, 24 and 30 customers (5.0, 5.25, 6.0 and
    # 7.5 million / 250,000): 95 in all, and at a 20 % close rate 100, 105, 120, 150 opps.
    weights = ramp_weights([5.0e6, 5.25e6, 6.0e6, 7.5e6])
    plan = phase_funnel(
        23.75e6,
        [0.2],
        deal_size=250_000,
        periods=4,
        weights=weights,
        whole_numbers=True,
        stages=["Opportunities", "Customers"],
    )
    assert plan.loc["Customers"].tolist() == [20, 21, 24, 30]
    assert plan.loc["Opportunities"].tolist() == [100, 105, 120, 150]


def test_ramp_weights_split_quarters_by_seasonality():
    # Q1 = 3,000,000 over months weighing 1, 1, 2: 750,000, 750,000, 1,500,000.
    seasonality = [1, 1, 2] + [1] * 9
    weights = ramp_weights([3e6, 3e6, 3e6, 3e6], seasonality)
    assert weights[:3] == pytest.approx([750_000, 750_000, 1_500_000])
    with pytest.raises(KPIInputError, match="give 4 quarterly or 12 monthly targets"):
        ramp_weights([1e6, 2e6])


def test_roll_up_adds_by_stage_name_and_says_what_does_not_match():
    # Leads 800 + 1,200 = 2,000; Partners have no Leads. Customers 10 + 15 + 8 = 33.
    rolled = roll_up(
        {
            "EMEA": {"Leads": 800, "MQL": 200, "Customers": 10},
            "US": {"Leads": 1200, "MQL": 300, "Customers": 15},
            "Partners": {"Deal registrations": 40, "Customers": 8},
        }
    )
    assert rolled.stages == ("Leads", "MQL", "Deal registrations", "Customers")
    assert rolled.totals == {"Leads": 2000, "MQL": 500, "Deal registrations": 40, "Customers": 33}
    assert rolled.missing == {
        "Leads": ("Partners",),
        "MQL": ("Partners",),
        "Deal registrations": ("EMEA", "US"),
    }


def test_roll_up_adds_monthly_arrays():
    rolled = roll_up(
        {
            "A": {"Leads": np.array([1.0, 2.0]), "Customers": np.array([0.0, 1.0])},
            "B": {"Leads": np.array([3.0, 4.0]), "Customers": np.array([1.0, 1.0])},
        }
    )
    assert rolled.totals["Leads"].tolist() == [4.0, 6.0]
    assert rolled.customers.tolist() == [1.0, 2.0]


@pytest.mark.parametrize(
    ("typed", "other"), [("MQLs", "MQL"), ("mql", "MQL"), ("Opportunity", "Opportunities")]
)
def test_stage_typed_two_ways_is_refused(typed, other):
    with pytest.raises(KPIInputError) as err:
        roll_up(
            {
                "EMEA": {"Leads": 1, other: 1, "Customers": 1},
                "US": {"Leads": 1, typed: 1, "Customers": 1},
            }
        )
    assert str(err.value) == (
        f"stages of segment 'US' = {typed!r}: is typed {other!r} in "
        "segment 'EMEA': type one stage's name the same way in every segment"
    )


def test_distinct_stages_are_not_mistaken_for_typos():
    funnels = {
        "A": ["Stage 1", "Stage 2", "Customers"],
        "B": ["Stage 1", "Stage 3", "Customers"],
        "C": ["SQL", "SAL", "Customers"],
        "D": ["Leads", "Deals", "Customers"],
    }
    assert stage_name_problems(funnels) == []
    assert company_stages(funnels)[-1] == "Customers"


@given(
    st.lists(
        st.lists(
            st.sampled_from(["Visits", "Leads", "MQL", "SQL", "Opps"]),
            min_size=1,
            max_size=5,
            unique=True,
        ),
        min_size=1,
        max_size=4,
    )
)
def test_company_stages_keep_each_funnels_order(funnels):
    named = {f"S{i}": [*stages, "Customers"] for i, stages in enumerate(funnels)}
    order = company_stages(named)
    assert sorted(order) == sorted({s for stages in named.values() for s in stages})
    # Each segment's stages appear in the company's order in the segment's own order,
    # whenever the segments do not contradict each other (their orders have no cycle).
    graph = graphlib.TopologicalSorter()
    for stages in named.values():
        for upper, lower in itertools.pairwise(stages):
            graph.add(lower, upper)
    try:
        graph.prepare()
        consistent = True
    except graphlib.CycleError:
        consistent = False
    if consistent:
        for stages in named.values():
            assert [s for s in order if s in stages] == stages


def test_revenue_at_risk_of_a_rate_short():
    # Leads -> MQL -> Customers at 10 % and 10 %. A month: 1,000 leads (on plan), 50 MQL
    # (5 %, half the plan's 10 %): 1,000 x (10 % - 5 %) = 50 MQL lost, x 10 % = 5 customers,
    # x 20,000 = 100,000.
    stages = ["Leads", "MQL", "Customers"]
    actual = [[1000] + [0] * 11, [50] + [0] * 11, [5] + [0] * 11]
    d = diagnose([[1000] * 12, [100] * 12, [10] * 12], actual, 1, stages=stages,
                 rates=[0.1, 0.1])  # fmt: skip
    assert d.focus.where == "Leads -> MQL"
    assert revenue_at_risk(d, deal_size=20_000, stages=stages) == pytest.approx(100_000)


def test_revenue_at_risk_on_plan_is_zero_and_fix_first_picks_the_costliest():
    stages = ["Leads", "Customers"]
    d = diagnose(
        [[1000] * 12, [100] * 12],
        [[1000] + [0] * 11, [100] + [0] * 11],
        1,
        stages=stages,
        rates=[0.1],
    )
    assert d.focus is None
    assert revenue_at_risk(d, deal_size=20_000, stages=stages) == 0
    assert fix_first({"EMEA": 5.0, "US": 5.0, "LATAM": 0.0}) == "EMEA"  # a tie: the first
    assert fix_first({"EMEA": 0.0}) is None
    with pytest.raises(KPIInputError, match="deal_size = 0: must be a number above 0"):
        revenue_at_risk(d, deal_size=0, stages=stages)
