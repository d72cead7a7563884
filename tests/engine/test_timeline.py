"""The timeline: stages planned ahead by their lags, the lead-in, and next year's growth.

Expected numbers are worked by hand beside each test."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_engine import (
    SEED_RATES,
    KPIInputError,
    frame,
    phase_funnel,
    reverse_funnel,
    stage_offsets,
    timeline,
)

# Issue 10's lags: leads -> MQL 10 days, MQL -> SQL 20, SQL -> opportunities 15,
# opportunities -> customers 45; visits become leads at once.
LAGS = [0, 10, 20, 15, 45]


def test_offsets_add_the_days_below_each_stage_then_round_up_to_periods():
    # Days to the deals: visits and leads 90, MQL 80, SQL 60, opportunities 45.
    # Months of 365 / 12 = 30.42 days: 2.96 -> 3, 2.63 -> 3, 1.97 -> 2, 1.48 -> 2.
    assert stage_offsets(LAGS) == {"Visits": 3, "Leads": 3, "MQL": 3, "SQL": 2,
                                   "Opportunities": 2, "Customers": 0}  # fmt: skip
    # Quarters of 91.25 days: 90 -> 0.99 -> 1; 45 -> 0.49 -> 1.
    assert stage_offsets(LAGS, periods=4) == {"Visits": 1, "Leads": 1, "MQL": 1, "SQL": 1,
                                              "Opportunities": 1, "Customers": 0}  # fmt: skip
    # Adding days before rounding: five 7-day steps are 35 days, 2 months, not 5.
    assert stage_offsets([7] * 5)["Visits"] == 2


def test_the_seed_example_with_lags_and_growth():
    # 10,000,000 / 1,100,000 = 9.09 customers; exact: 0.7576 a month, and opportunities
    # (/ 0.5) 1.5152 a month, two months ahead. Next year's goal +25 %: 12,500,000 ->
    # 11.364 customers, opportunities 1.8939 a month.
    plan = timeline(10e6, SEED_RATES, deal_size=1.1e6, lag_days=LAGS, growth=0.25,
                    plan_year=2027)  # fmt: skip
    assert list(plan.columns[:4]) == ["Oct 2026", "Nov 2026", "Dec 2026", "Jan 2027"]
    assert plan.columns[-1] == "Dec 2027"
    opportunities = plan.loc["Opportunities"]
    assert opportunities["Oct 2026"] == 0  # 2 months ahead: from November
    assert opportunities["Nov 2026"] == pytest.approx(10e6 / 1.1e6 / 12 / 0.5)  # January's
    assert opportunities["Oct 2027"] == pytest.approx(10e6 / 1.1e6 / 12 / 0.5)  # December's
    assert opportunities["Nov 2027"] == pytest.approx(12.5e6 / 1.1e6 / 12 / 0.5)  # next Jan
    # Visits are 3 months ahead: October 2026 already works for January's deals, and no
    # stage drops to 0 at the end of the year.
    assert plan.loc["Visits", "Oct 2026"] == pytest.approx(10e6 / 1.1e6 / 12 / 0.00012)
    assert (plan.loc[:, "Jan 2027":"Dec 2027"].iloc[:-1] > 0).all().all()
    # Customers stay where they close.
    assert plan.loc["Customers", "Jan 2027":].tolist() == pytest.approx([10e6 / 1.1e6 / 12] * 12)


def test_whole_numbers_add_up_to_this_years_volume_plus_next_years_first_months():
    plan = timeline(10e6, SEED_RATES, deal_size=1.1e6, lag_days=LAGS, growth=0.25,
                    whole_numbers=True, plan_year=2027)  # fmt: skip
    this = reverse_funnel(10e6, SEED_RATES, deal_size=1.1e6, whole_numbers=True)
    later = reverse_funnel(12.5e6, SEED_RATES, deal_size=1.1e6, whole_numbers=True)
    ahead = stage_offsets(LAGS)
    for stage, volume in plan.sum(axis=1).items():
        # 10 customers this year; next year 11.36 -> 12, spread evenly: a stage 3 months
        # ahead plans 3 / 12 of next year's volume too, rounded up along the timeline.
        exact = this[stage] + later[stage] * ahead[stage] / 12
        assert volume == np.ceil(round(exact, 6))
    assert (plan.to_numpy() == np.round(plan.to_numpy())).all()


def test_quarters_are_the_months_added_up():
    # The seed example: 10,000,000 / 1,100,000 = 9.0909 customers, 0.75758 a month, so
    # opportunities (/ 0.5) 1.51515 a month, 2 months (45 days) ahead of their deals; next
    # year +25 %: 1.89394 a month. Visits are 3 months ahead: one quarter of lead-in.
    plan = timeline(10e6, SEED_RATES, deal_size=1.1e6, lag_days=LAGS, growth=0.25,
                    periods=4, plan_year=2027)  # fmt: skip
    assert list(plan.columns) == ["Q4 2026", "Q1 2027", "Q2 2027", "Q3 2027", "Q4 2027"]
    this, later = 10e6 / 1.1e6 / 12 / 0.5, 12.5e6 / 1.1e6 / 12 / 0.5
    opportunities = plan.loc["Opportunities"].tolist()
    # Q4 2026: November and December, for January and February's deals (not the whole
    # quarter, as rounding 45 days up to a quarter would plan); Q4 2027: October for
    # December's deals, November and December for next year's first two months.
    assert opportunities == pytest.approx([2 * this, 3 * this, 3 * this, 3 * this,
                                           this + 2 * later])  # fmt: skip
    # Visits, 3 months ahead, run a quarter ahead in full: the year's 83,333.3 visits from
    # Q4 2026 to Q3 2027, then next year's first quarter (104,166.7 / 4).
    quarter, next_quarter = 10e6 / 1.1e6 / 0.00012 / 4, 12.5e6 / 1.1e6 / 0.00012 / 4
    assert plan.loc["Visits"].tolist() == pytest.approx([quarter] * 4 + [next_quarter])


def test_whole_quarters_add_up_the_whole_months():
    months = timeline(10e6, SEED_RATES, deal_size=1.1e6, lag_days=LAGS, growth=0.25,
                      whole_numbers=True)  # fmt: skip
    quarters = timeline(10e6, SEED_RATES, deal_size=1.1e6, lag_days=LAGS, growth=0.25,
                        whole_numbers=True, periods=4)  # fmt: skip
    # 3 months of lead-in (October to December of the year before) are Q4's months.
    added = months.to_numpy().reshape(len(months), 5, 3).sum(axis=2)
    np.testing.assert_array_equal(quarters.to_numpy(), added)


def test_quarters_from_monthly_weights_keep_each_months_weight():
    # Every deal in January (weights 12, 0, ..., 0): 12 customers, 24 opportunities (at
    # 50 %) 2 months ahead: all in November, of the year before for this January and of
    # the plan year for next January (no growth). From quarterly weights (Q1 shared alike
    # by January to March: 8 opportunities a month) it would be 16 (Nov, Dec), 8 (January,
    # for March) and 16 again.
    january = [12] + [0] * 11
    plan = timeline(12, [0.5], lag_days=[45], periods=4, weights=january)
    assert plan.loc["Stage 1"].tolist() == [24, 0, 0, 0, 24]
    shared = timeline(12, [0.5], lag_days=[45], periods=4, weights=[12, 0, 0, 0])
    assert shared.loc["Stage 1"].tolist() == pytest.approx([16, 8, 0, 0, 16])


@settings(max_examples=100, deadline=None)
@given(
    customers=st.floats(0, 1e5),
    rates=st.lists(st.floats(0.01, 1), min_size=1, max_size=5),
    weights=st.lists(st.floats(0, 10), min_size=12, max_size=12).filter(lambda w: sum(w) > 0),
    periods=st.sampled_from([4, 12]),
    whole=st.booleans(),
)
def test_with_no_lags_the_timeline_is_the_phased_plan(customers, rates, weights, periods, whole):
    lags = [0] * len(rates)
    plan = timeline(customers, rates, lag_days=lags, periods=periods, weights=weights,
                    whole_numbers=whole, growth=0.3)  # fmt: skip
    phased = phase_funnel(customers, rates, periods=periods, weights=weights, whole_numbers=whole)
    np.testing.assert_allclose(plan.to_numpy(), phased.to_numpy(), rtol=1e-12, atol=1e-9)


def test_the_vectorised_face_is_the_scalar_one_row_by_row():
    scenarios = pd.DataFrame({"goal": [10e6, 4e6], "deal": [1.1e6, 5e5], "close": [45, 10],
                              "growth": [0.25, 0.0]}, index=["EMEA", "APAC"])  # fmt: skip
    both = frame.timeline(scenarios, goal="goal", deal_size="deal", rates=SEED_RATES,
                          lag_days=[0, 10, 20, 15, "close"], weights=[1] * 12,
                          growth="growth", whole_numbers=True, plan_year=2027)  # fmt: skip
    for label, row in scenarios.iterrows():
        lags = [0, 10, 20, 15, row.close]
        one = timeline(row.goal, SEED_RATES, deal_size=row.deal, growth=row.growth,
                       lag_days=lags, whole_numbers=True, plan_year=2027)  # fmt: skip
        got = both.loc[label].unstack("period")[one.columns].loc[list(one.index)]
        # APAC's shorter lags need less lead-in: its earliest columns are 0 in the frame.
        np.testing.assert_array_equal(got.to_numpy(), one.to_numpy())


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"lag_days": [0, 10, -5, 15, 45]}, "lag_days[2] = -5: must be 0 or more"),
        ({"lag_days": [10, 20]}, "has 2 lags for 6 stages: give one lag in days for each step"),
        ({"lag_days": [0, 100, 100, 100, 100]}, "add up to more than a year"),
        ({"growth": -1.5}, "growth = -1.5: must be -100 % (-1) or more"),
        ({"lag_days": [0, 10, "ten", 15, 45]}, "lag_days[2] = 'ten': must be a number"),
    ],
)
def test_bad_lags_and_growth_are_refused(changes, message):
    arguments = {"lag_days": LAGS, "growth": 0.25} | changes
    with pytest.raises(KPIInputError) as err:
        timeline(10e6, SEED_RATES, deal_size=1.1e6, **arguments)
    assert message in str(err.value)
