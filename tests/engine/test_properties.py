"""Invariants of the engine, checked on inputs drawn by hypothesis."""

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import kpi_engine
from kpi_engine import frame

rates_strategy = st.lists(
    st.floats(min_value=1e-4, max_value=1.0, allow_nan=False), min_size=1, max_size=8
)
customers_strategy = st.floats(min_value=0.0, max_value=1e6, allow_nan=False)
fractions = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
money = st.floats(min_value=0.0, max_value=1e9, allow_nan=False)


def same_bits(a: float, b: float) -> bool:
    """Equal to the last bit (NaN equals NaN), which is what 'agree exactly' means here."""
    return np.float64(a).tobytes() == np.float64(b).tobytes()


@given(customers=customers_strategy, rates=rates_strategy)
def test_forward_of_reverse_gives_back_the_goal(customers, rates):
    required = kpi_engine.reverse_funnel(customers, rates)
    top = next(iter(required.values()))
    projected = kpi_engine.forward_funnel(top, rates)
    for stage, volume in projected.volumes.items():
        assert math.isclose(volume, required[stage], rel_tol=1e-12, abs_tol=1e-300)


@given(
    customers=st.floats(min_value=1e-3, max_value=1e5),
    rates=rates_strategy,
    which=st.integers(min_value=0),
    factor=st.floats(min_value=1.0, max_value=10.0),
    whole_numbers=st.booleans(),
)
def test_a_better_rate_never_needs_more_volume(customers, rates, which, factor, whole_numbers):
    i = which % len(rates)
    better = list(rates)
    better[i] = min(1.0, rates[i] * factor)
    before = kpi_engine.reverse_funnel(customers, rates, whole_numbers=whole_numbers)
    after = kpi_engine.reverse_funnel(customers, better, whole_numbers=whole_numbers)
    stages = list(before)
    for position, stage in enumerate(stages):
        assert after[stage] <= before[stage]
        if position > i:  # stages below the changed rate do not move
            assert after[stage] == before[stage]


# From 0.001 customers: below 5e-7 the whole-number rule counts a volume as 0 (it is within
# 1e-6 of 0), and dividing by small rates would then magnify that documented tolerance.
@given(customers=st.floats(min_value=1e-3, max_value=1e6), rates=rates_strategy)
def test_whole_number_plan_is_enough_at_every_stage(customers, rates):
    exact = kpi_engine.reverse_funnel(customers, rates)
    whole = kpi_engine.reverse_funnel(customers, rates, whole_numbers=True)
    volumes = list(whole.values())
    for stage, volume in whole.items():
        assert volume == math.floor(volume)
        assert volume >= exact[stage] - 1e-6 * max(1.0, exact[stage])
    for upper, lower, rate in zip(volumes, volumes[1:], rates, strict=False):
        # each stage converts into at least what the stage below needs
        assert upper * rate >= lower * (1 - 1e-9)


scenario = st.fixed_dictionaries(
    {
        "customers": customers_strategy,
        "revenue": money,
        "deal_size": st.floats(min_value=1.0, max_value=1e7),
        "rate_1": st.floats(min_value=1e-4, max_value=1.0),
        "rate_2": st.floats(min_value=1e-4, max_value=1.0),
        "spend_a": money,
        "spend_b": money,
        "new_customers": st.floats(min_value=1e-3, max_value=1e6),
        "revenue_per_period": money,
        "gross_margin": fractions,
        "churn_rate": st.floats(min_value=1e-6, max_value=1.0),
        "discount_rate": fractions,
        "horizon_periods": st.one_of(st.integers(1, 600).map(float), st.just(math.inf)),
        "investment": st.floats(min_value=1e-2, max_value=1e9),
        "other_costs": money,
    }
)


@settings(max_examples=50)
@given(rows=st.lists(scenario, min_size=1, max_size=20), whole_numbers=st.booleans())
def test_scalar_and_vectorised_agree_exactly(rows, whole_numbers):
    df = pd.DataFrame(rows)
    rates = ["rate_1", "rate_2"]
    reverse = frame.reverse_funnel(
        df, goal="revenue", deal_size="deal_size", rates=rates, whole_numbers=whole_numbers
    )
    by_customers = frame.reverse_funnel(df, goal="customers", rates=rates, periods=12)
    forward = frame.forward_funnel(df, top_volume="customers", rates=rates, deal_size="deal_size")
    cac = frame.cac(df, spend=["spend_a", "spend_b"])
    clv = frame.clv(df)
    roi = frame.roi(df)
    for label, row in df.iterrows():
        row_rates = [row.rate_1, row.rate_2]
        scalar_reverse = kpi_engine.reverse_funnel(
            row.revenue, row_rates, deal_size=row.deal_size, whole_numbers=whole_numbers
        )
        assert all(map(same_bits, scalar_reverse.values(), reverse.loc[label]))
        scalar_monthly = kpi_engine.reverse_funnel(row.customers, row_rates, periods=12)
        assert all(map(same_bits, scalar_monthly.values(), by_customers.loc[label]))
        projection = kpi_engine.forward_funnel(row.customers, row_rates, deal_size=row.deal_size)
        expected = [*projection.volumes.values(), projection.revenue]
        assert all(map(same_bits, expected, forward.loc[label]))
        assert same_bits(kpi_engine.cac([row.spend_a, row.spend_b], row.new_customers), cac[label])
        scalar_clv = kpi_engine.clv(
            row.revenue_per_period,
            row.gross_margin,
            row.churn_rate,
            row.discount_rate,
            0.0,
            row.horizon_periods,
        )
        assert same_bits(scalar_clv, clv[label])
        scalar_roi = kpi_engine.roi(row.revenue, row.investment, row.gross_margin, row.other_costs)
        assert same_bits(scalar_roi, roi[label])


@given(
    revenue=money,
    margin=fractions,
    churn=st.floats(min_value=1e-6, max_value=1.0),
    discount=fractions,
    horizon=st.integers(min_value=1, max_value=400),
)
def test_finite_horizon_clv_grows_towards_the_lifetime_value(
    revenue, margin, churn, discount, horizon
):
    shorter = kpi_engine.clv(revenue, margin, churn, discount, 0, horizon)
    longer = kpi_engine.clv(revenue, margin, churn, discount, 0, horizon + 1)
    lifetime = kpi_engine.clv(revenue, margin, churn, discount)
    slack = 1e-12 * max(1.0, lifetime)
    assert shorter <= longer + slack
    assert longer <= lifetime + slack


@given(
    revenue=money,
    margin=fractions,
    churn=st.floats(min_value=1e-3, max_value=1.0),
    discount=fractions,
    horizon=st.integers(min_value=1, max_value=60),
)
def test_clv_closed_form_equals_the_period_by_period_sum(revenue, margin, churn, discount, horizon):
    # The definition: margin at the start of each period t = 0..H-1, kept with probability
    # (1 - c)**t and discounted by (1 + d)**t; summed here term by term.
    m = revenue * margin
    by_period = sum(m * ((1 - churn) / (1 + discount)) ** t for t in range(horizon))
    closed = kpi_engine.clv(revenue, margin, churn, discount, 0, horizon)
    assert math.isclose(closed, by_period, rel_tol=1e-9, abs_tol=1e-6)


@settings(max_examples=50)
@given(
    rows=st.lists(
        st.tuples(
            customers_strategy,
            st.lists(st.floats(min_value=0, max_value=10), min_size=4, max_size=4).filter(
                lambda w: sum(w) > 0
            ),
        ),
        min_size=1,
        max_size=10,
    ),
    rates=rates_strategy,
    whole_numbers=st.booleans(),
)
def test_scalar_and_vectorised_phasing_agree_exactly(rows, rates, whole_numbers):
    df = pd.DataFrame([[c, *w] for c, w in rows], columns=["customers", "w1", "w2", "w3", "w4"])
    phased = frame.phase_funnel(
        df, goal="customers", rates=rates, weights=["w1", "w2", "w3", "w4"],
        whole_numbers=whole_numbers,
    )  # fmt: skip
    for label, (customers, weights) in zip(df.index, rows, strict=True):
        scalar = kpi_engine.phase_funnel(
            customers, rates, periods=4, weights=weights, whole_numbers=whole_numbers
        )
        # scalar: stages x quarters; vectorised: (period, stage) columns
        expected = scalar.to_numpy().T.ravel()
        assert all(map(same_bits, expected, phased.loc[label].to_numpy()))


nudges = st.sampled_from([0.0, 1e-7, -1e-7, 5e-7, -5e-7, 1e-6, -1e-6, 0.5])
near_whole = st.builds(lambda whole, nudge: whole + nudge, st.integers(1, 10**9).map(float), nudges)


@settings(max_examples=300)
@given(
    customers=st.one_of(near_whole, st.floats(min_value=0, max_value=1e12)),
    rates=st.lists(
        st.one_of(st.floats(min_value=1e-6, max_value=1.0), st.just(1.0)), min_size=1, max_size=11
    ),
    deal_size=st.one_of(st.none(), st.floats(min_value=1e-3, max_value=1e9)),
    periods=st.sampled_from([1, 4, 12, 52.0, 7.5]),
    whole_numbers=st.booleans(),
)
def test_the_scalar_fast_path_gives_the_array_paths_bits(
    customers, rates, deal_size, periods, whole_numbers
):
    # Issue 14: a scalar call runs in plain Python floats; it must give the same bits as
    # the array path (one-element arrays), including the rounding to whole numbers.
    from kpi_engine._args import Args
    from kpi_engine.costs import per_unit_core
    from kpi_engine.funnel import resolve_stages, reverse_core
    from kpi_engine.value import roi_core

    goal = customers if deal_size is None else customers * 1000
    names = resolve_stages(None, len(rates))
    fast = kpi_engine.reverse_funnel(goal, rates, deal_size=deal_size, periods=periods,
                                     whole_numbers=whole_numbers)  # fmt: skip
    arrays = reverse_core(Args(), goal, rates, deal_size, periods, whole_numbers, names)[0]
    assert all(map(same_bits, fast.values(), arrays.tolist()))
    spend = [customers, goal]
    cac = kpi_engine.cac(spend, periods)
    assert same_bits(cac, float(per_unit_core(Args(), spend, periods, "n", "-")[0]))
    roi = kpi_engine.roi(goal, periods, rates[0], customers)
    assert same_bits(roi, float(roi_core(Args(), goal, periods, rates[0], customers)[0]))
