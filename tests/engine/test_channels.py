"""Channels, the bottom-up budget, the optimal mix and what-if (issue 11)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kpi_engine import KPIInputError, reverse_funnel
from kpi_engine.channel_mix import optimal_mix
from kpi_engine.channels import Channel, channel_plan, reachable_revenue
from kpi_engine.frame_channels import channel_budget, channel_sensitivity
from kpi_engine.whatif import sensitivity

SEED = [0.015, 0.2, 0.2, 0.4, 0.5]  # seed 000: below leads 0.2 x 0.2 x 0.4 x 0.5 = 0.008
MIX = [
    Channel("Paid search", 0.5, 60),
    Channel("Events", 0.3, 150, rates=(0.3,)),  # its own Leads -> MQL: 0.3 x 0.2 x 0.4 x 0.5
    Channel("Content", 0.2, 25),
]


def test_three_channels_by_hand():
    # Yields: search and content 0.008, events 0.012. Blended: 0.5 x 0.008 + 0.3 x 0.012 +
    # 0.2 x 0.008 = 0.0092, so 9 customers need 9 / 0.0092 = 978.26 leads: 489.13 from
    # search (x 60 = 29,347.83), 293.48 from events (x 150 = 44,021.74), 195.65 from
    # content (x 25 = 4,891.30); in all 9 x 80 / 0.0092 = 78,260.87 (80 = 0.5 x 60 + 0.3 x
    # 150 + 0.2 x 25). CAC: 60 / 0.008 = 7,500; 150 / 0.012 = 12,500; 25 / 0.008 = 3,125.
    plan = channel_plan(9, SEED, MIX, budget=100_000)
    leads = 9 / 0.0092
    assert [c.volumes["Leads"] for c in plan.channels] == pytest.approx(
        [0.5 * leads, 0.3 * leads, 0.2 * leads], rel=1e-12
    )
    assert [c.budget for c in plan.channels] == pytest.approx(
        [0.5 * leads * 60, 0.3 * leads * 150, 0.2 * leads * 25], rel=1e-12
    )
    assert plan.budget_needed == pytest.approx(9 * 80 / 0.0092, rel=1e-12)
    assert [c.cac for c in plan.channels] == pytest.approx([7500, 12500, 3125], rel=1e-12)
    assert plan.channels[1].volumes["MQL"] == pytest.approx(0.3 * leads * 0.3, rel=1e-12)
    assert plan.channels[1].cost_per_stage["MQL"] == pytest.approx(150 / 0.3, rel=1e-12)
    assert plan.volumes["Customers"] == pytest.approx(9, rel=1e-12)
    assert plan.volumes["Visits"] == pytest.approx(leads / 0.015, rel=1e-12)
    assert plan.budget_gap == pytest.approx(100_000 - 9 * 80 / 0.0092, rel=1e-12)
    # 100,000 buys 100,000 / 80 = 1,250 leads, x 0.0092 = 11.5 customers.
    assert plan.reachable_customers == pytest.approx(11.5, rel=1e-12)
    assert plan.reachable_revenue is None  # a goal in customers: no deal size


def test_reachable_revenue_runs_the_plan_forward():
    # 78,260.87 of budget reaches the 9 customers again; at 1,100,000 a deal: 9.9 million.
    needed = channel_plan(9, SEED, MIX).budget_needed
    assert reachable_revenue(needed, SEED, MIX, deal_size=1.1e6) == pytest.approx(9.9e6)


rates_strategy = st.lists(st.floats(0.01, 1.0), min_size=2, max_size=6)


@settings(max_examples=60, deadline=None)
@given(rates=rates_strategy, customers=st.floats(0.5, 1e5), cost=st.floats(0.5, 500))
def test_a_mix_of_one_channel_is_todays_single_funnel_plan(rates, customers, cost):
    plan = channel_plan(customers, rates, [Channel("Only", 1.0, cost)])
    single = reverse_funnel(customers, rates)
    assert plan.volumes == single  # to the last bit: the same divisions in the same order
    entry = list(single.values())[1]  # the default entry: Leads, or the second stage
    assert plan.budget_needed == entry * cost


@settings(max_examples=60, deadline=None)
@given(
    rates=rates_strategy,
    customers=st.floats(0.5, 1e5),
    weights=st.lists(st.floats(0.05, 1.0), min_size=1, max_size=8),
    costs=st.lists(st.floats(0.5, 500), min_size=8, max_size=8),
    own=st.lists(st.floats(0.01, 1.0), min_size=8, max_size=8),
)
def test_channels_add_up_to_the_plan_and_keep_their_shares(rates, customers, weights, costs, own):
    shares = np.array(weights) / sum(weights)
    mix = [Channel(f"c{i}", s, costs[i], rates=(own[i],) if i % 2 else ())
           for i, s in enumerate(shares.tolist())]  # fmt: skip
    stages = [f"S{i}" for i in range(len(rates))] + ["Won"]
    plan = channel_plan(customers, rates, mix, entry="S1", stages=stages)
    got = sum(c.volumes["Won"] for c in plan.channels)
    assert got == pytest.approx(customers, rel=1e-9)
    entry = [c.volumes["S1"] for c in plan.channels]
    assert np.array(entry) / sum(entry) == pytest.approx(shares, rel=1e-9)
    assert plan.budget_needed == pytest.approx(sum(c.budget for c in plan.channels), rel=1e-12)
    # The budget the plan needs reaches the goal again, run forward.
    reached = channel_plan(
        customers, rates, mix, entry="S1", stages=stages, budget=plan.budget_needed
    )
    assert reached.reachable_customers == pytest.approx(customers, rel=1e-9)


def test_the_frame_agrees_with_the_scalar_calls_to_the_last_bit():
    rng = np.random.default_rng(11)
    rows = 50
    df = pd.DataFrame({"goal": rng.uniform(1e6, 5e7, rows), "deal": rng.uniform(1e4, 1e6, rows),
                       "a": rng.uniform(0.1, 0.8, rows),
                       "mql": rng.uniform(0.05, 0.5, rows)})  # fmt: skip
    rates = [0.015, "mql", 0.2, 0.4, 0.5]
    got = channel_budget(df, goal="goal", deal_size="deal", rates=rates, budget=250_000,
                         shares={"A": "a", "B": 1 - df["a"]}, costs={"A": 40, "B": 95},
                         own_rates={"B": [0.3]})  # fmt: skip
    saved = channel_sensitivity(df, goal="goal", deal_size="deal", rates=rates,
                                shares={"A": "a", "B": 1 - df["a"]}, costs={"A": 40, "B": 95},
                                own_rates={"B": [0.3]})  # fmt: skip
    for k, row in enumerate(df.itertuples()):
        mix = [Channel("A", row.a, 40), Channel("B", 1 - row.a, 95, rates=(0.3,))]
        row_rates = [0.015, row.mql, 0.2, 0.4, 0.5]
        plan = channel_plan(row.goal, row_rates, mix, deal_size=row.deal, budget=250_000)
        assert got["budget needed"].iloc[k] == plan.budget_needed
        assert got["B budget"].iloc[k] == plan.channels[1].budget
        assert got["budget gap"].iloc[k] == plan.budget_gap
        assert got["reachable revenue"].iloc[k] == plan.reachable_revenue
        ranked = sensitivity(row.goal, row_rates, mix, deal_size=row.deal)
        assert {w.input: w.budget_saved for w in ranked} == saved.iloc[k].to_dict()


def test_sensitivity_ranks_the_inputs_by_the_budget_they_save():
    # Budget 9 x 80 / 0.0092 = 78,260.87. A 10 % better MQL -> SQL rate raises every
    # channel's yield by 10 %: 78,260.87 / 1.1 = 71,146.25, saving 7,114.62. Events' own
    # Leads -> MQL rate (0.3 -> 0.33) raises only its yield: 0.0092 + 0.3 x 0.0012 =
    # 0.00956, 9 x 80 / 0.00956 = 75,313.81, saving 2,947.07. The plan's Leads -> MQL rate
    # no longer moves events: 0.0092 + 0.7 x 0.0008 = 0.00976 -> 73,770.49, saving 4,490.38.
    # Events 10 % cheaper: 9 x (80 - 4.5) / 0.0092 = 73,858.70, saving 4,402.17.
    ranked = {w.input: w for w in sensitivity(9, SEED, MIX)}
    base = 9 * 80 / 0.0092
    assert ranked["MQL -> SQL rate"].budget_saved == pytest.approx(base - base / 1.1)
    assert ranked["Events Leads -> MQL rate"].budget_saved == pytest.approx(base - 720 / 0.00956)
    assert ranked["Leads -> MQL rate"].budget_saved == pytest.approx(base - 720 / 0.00976)
    assert ranked["Events cost per unit"].budget_saved == pytest.approx(base - 9 * 75.5 / 0.0092)
    assert ranked["Visits -> Leads rate"].budget_saved == 0
    # 10 % better visit-to-lead rate: 978.26 leads need 978.26 / 0.0165 visits, not / 0.015.
    leads = 9 / 0.0092
    assert ranked["Visits -> Leads rate"].top_saved == pytest.approx(leads / 0.015 - leads / 0.0165)
    order = [w.budget_saved for w in sensitivity(9, SEED, MIX)]
    assert order == sorted(order, reverse=True)
    # A worse step costs money: a 10 % worse MQL -> SQL rate needs 78,260.87 / 0.9.
    worse = {w.input: w for w in sensitivity(9, SEED, MIX, step=-0.1)}
    assert worse["MQL -> SQL rate"].budget_saved == pytest.approx(base - base / 0.9)


def test_the_deal_size_lever_reads_in_money():
    # Issue 35: the seed's 1,100,000 deal 10 % bigger is 1,210,000 (not 100 % -> 110 %);
    # 10,000,000 / 1,210,000 = 8.26 customers for 9.09: the budget / 1.1, as a shared rate.
    ranked = {w.input: w for w in sensitivity(10_000_000, SEED, MIX, deal_size=1_100_000)}
    deal = ranked["deal size"]
    assert (deal.before, deal.after) == pytest.approx((1_100_000, 1_210_000))
    assert deal.budget_saved == pytest.approx(ranked["MQL -> SQL rate"].budget_saved)


def test_a_rate_improved_past_one_stops_at_one():
    plan = {w.input: w for w in sensitivity(1, [0.5, 0.95], [Channel("A", 1, 10)], step=0.5)}
    assert plan["Stage 2 -> Customers rate"].after == 1.0


def test_the_optimal_mix_spends_least_and_names_the_limits_that_bind():
    # Per customer: events with their own rate 150 / 0.012 = 12,500, search 7,500,
    # content 3,125. Content is capped at 20 % of leads and search at 400 leads; events
    # take the rest. With T leads: 0.2T x 0.008 + 400 x 0.008 + (0.8T - 400) x 0.012 = 9
    # -> 0.0112 T = 10.6 -> T = 946.43; events 357.14 leads.
    limited = [Channel("Paid search", None, 60, max_volume=400),
               Channel("Events", None, 150, rates=(0.3,)),
               Channel("Content", None, 25, max_share=0.2)]  # fmt: skip
    best = optimal_mix(9, SEED, limited)
    total = 10.6 / 0.0112
    assert best.volumes["Content"] == pytest.approx(0.2 * total, rel=1e-7)
    assert best.volumes["Paid search"] == pytest.approx(400, rel=1e-7)
    assert best.volumes["Events"] == pytest.approx(0.8 * total - 400, rel=1e-7)
    assert best.budget == pytest.approx(0.2 * total * 25 + 400 * 60 + (0.8 * total - 400) * 150,
                                        rel=1e-7)  # fmt: skip
    assert set(best.binding) == {"Paid search: at most 400 Leads", "Content: at most 20 % of Leads"}
    assert best.plan.budget_needed == pytest.approx(best.budget, rel=1e-7)
    assert sum(best.shares.values()) == pytest.approx(1)


@settings(max_examples=40, deadline=None)
@given(
    costs=st.lists(st.floats(1, 300), min_size=2, max_size=8),
    own=st.lists(st.floats(0.05, 1.0), min_size=8, max_size=8),
    caps=st.lists(st.floats(0.2, 1.0), min_size=8, max_size=8),
    tried=st.lists(st.floats(0.01, 1.0), min_size=8, max_size=8),
)
def test_the_optimal_mix_is_never_dearer_than_a_feasible_mix_tried(costs, own, caps, tried):
    k = len(costs)
    channels = [Channel(f"c{i}", None, costs[i], rates=(own[i],), max_share=caps[i])
                for i in range(k)]  # fmt: skip
    assume(sum(caps[:k]) >= 1.05)
    shares = np.minimum(np.array(tried[:k]) / sum(tried[:k]), caps[:k])
    assume(abs(shares.sum() - 1) < 1e-9)  # a mix within the caps
    best = optimal_mix(9, SEED, channels)
    tried_mix = [Channel(c.name, s, c.cost_per_unit, c.rates)
                 for c, s in zip(channels, shares.tolist(), strict=True)]  # fmt: skip
    mine = channel_plan(9, SEED, tried_mix)
    assert best.budget <= mine.budget_needed * (1 + 1e-7)


def test_limits_that_cannot_reach_the_goal_are_named():
    capped = [Channel("A", None, 50, max_volume=500), Channel("B", None, 120, max_volume=100)]
    with pytest.raises(KPIInputError, match=r"at most 4\.8 customers of the 9 needed"):
        optimal_mix(9, SEED, capped)  # (500 + 100) x 0.008 = 4.8
    shares = [Channel("A", None, 50, max_share=0.3), Channel("B", None, 120, max_share=0.5)]
    with pytest.raises(KPIInputError, match=r"at most 80\.0% of Leads in all"):
        optimal_mix(9, SEED, shares)


@pytest.mark.parametrize(
    ("channels", "message"),
    [
        ([Channel("A", 0.5, 50), Channel("B", 0.4, 90)],
         r"shares = 0\.9: add up to 90 %, 10 % short of 100 %"),
        ([Channel("A", 1.0, 0)], r"channels\[0\] \(A\) cost per unit = 0: a channel that costs"),
        ([Channel("A", 1.0, -5)], r"cost per unit = -5: must be above 0"),
        ([Channel("", 1.0, 5)], r"channels\[0\]\.name = '': must be a name"),
        ([Channel("Events", 0.5, 5), Channel("events", 0.5, 5)],
         r"channels\[1\]\.name = 'events': is the name of channels\[0\] too"),
        ([Channel("A", 1.0, 5, rates=(0.1, 0.2, 0.3, 0.4, 0.5))],
         r"from Leads down the funnel has 4"),
        ([Channel("A", 15, 5)], r"share = 15: must be a fraction between 0 and 1; 15 looks like"),
        ([], r"channels = \[\]: is empty"),
    ],
)  # fmt: skip
def test_bad_channels_are_named(channels, message):
    with pytest.raises(KPIInputError, match=message):
        channel_plan(9, SEED, channels)


def test_a_bad_entry_stage_and_a_step_of_zero_are_named():
    with pytest.raises(KPIInputError, match=r"entry = 'Customers': must be a stage above the last"):
        channel_plan(9, SEED, MIX, entry="Customers")
    with pytest.raises(KPIInputError, match=r"step = 0: is 0: a what-if changes its input"):
        sensitivity(9, SEED, MIX, step=0)


def test_a_step_of_100_percent_or_more_is_refused_not_a_negative_cost():
    # A cost 150 % lower would be 150 x (1 - 1.5) = -75 a lead, which the ranking used to
    # report as a saving; a step of 1 would make leads free.
    for step in (1.0, 1.5):
        with pytest.raises(KPIInputError, match=r"step = .*: must be below 1 \(100 %\)"):
            sensitivity(9, SEED, MIX, step=step)
    with pytest.raises(KPIInputError, match=r"must be above -1"):
        sensitivity(9, SEED, MIX, step=-1)
