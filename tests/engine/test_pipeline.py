"""Time-based close rates and pipeline coverage (issue 10, part 3)."""

import datetime as dt
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_engine import KPIInputError
from kpi_engine.pipeline import close_rate_curve, expected_closes, generation_plan, pipeline_gap


def test_the_curve_counts_only_cohorts_whose_window_has_elapsed():
    # Cohorts (by hand): Jan 2026, 10 opportunities: 2 won in Jan, 3 in Feb, 1 in Apr.
    # Feb: 10 opportunities: 1 won in Feb, 4 in Mar. Mar: 10: 5 won in Mar.
    # As of 15 April (April incomplete; Jan-Mar complete):
    #   k=0: Jan, Feb, Mar cohorts (30): 2 + 1 + 5 = 8 -> 8/30
    #   k=1: Jan, Feb (20): 3 + 4 = 7 -> 7/20
    # The curve ends at the longest lag won so far: the April win is after the last
    # complete month, so not counted, and Jan's k=2 (0 wins) is not shown.
    created, won = [], []
    cohorts = {1: ["01-10"] * 2 + ["02-10"] * 3 + ["04-10"], 2: ["02-20"] + ["03-05"] * 4,
               3: ["03-20"] * 5}  # fmt: skip
    for month, wins in cohorts.items():
        created += [f"2026-{month:02d}-01"] * 10
        won += [f"2026-{w}" for w in wins] + [None] * (10 - len(wins))
    curve = close_rate_curve(created, won, as_of="2026-04-15")
    assert curve.rates == pytest.approx((8 / 30, 7 / 20))
    assert curve.won == (8, 7)
    assert curve.opportunities == (30, 20)
    assert curve.cohorts == (3, 2)
    assert curve.total == pytest.approx(8 / 30 + 7 / 20)
    # As of 30 April, April is complete: k=1 now counts March's cohort too (7 / 30), k=2
    # Jan and Feb (0 of 20) and k=3 Jan alone, with its 1 win.
    later = close_rate_curve(created, won, as_of=dt.date(2026, 4, 30))
    assert later.rates == pytest.approx((8 / 30, 7 / 30, 0, 1 / 10))
    assert later.opportunities == (30, 30, 20, 10)


def test_the_curve_by_quarter_and_with_datetimes():
    # Q1 2026: 4 opportunities, 1 won in Q1, 1 in Q2; as of the end of Q2: (1/4, 1/4).
    created = [dt.datetime(2026, 1, 5, 9, 30)] * 4
    won = [dt.datetime(2026, 3, 1), dt.datetime(2026, 5, 1), None, float("nan")]
    curve = close_rate_curve(created, won, period="quarter", as_of="2026-06-30")
    assert curve.rates == pytest.approx((0.25, 0.25))


@pytest.mark.parametrize(
    ("created", "won", "message"),
    [
        (["2026-01-05"], ["2026-01-01"], "won = '2026-01-01': is before the created date"),
        (["05/01/2026"], [None], "created = '05/01/2026': is not a date"),
        (["2026-01-05"], ["soon"], "won = 'soon': is not a date"),
        ([None], [None], "is missing: every opportunity has a created date"),
        ([], [], "has no opportunities to measure"),
    ],
)
def test_bad_opportunities_are_named_by_row(created, won, message):
    with pytest.raises(KPIInputError) as err:
        close_rate_curve(created, won, rows=[7] * len(created), as_of="2026-12-31")
    assert message in str(err.value)
    if created:
        assert err.value.problems[0].row == 7


def test_a_cut_off_before_any_complete_period_is_refused():
    with pytest.raises(KPIInputError, match="leaves no complete period"):
        close_rate_curve(["2026-03-05"], [None], as_of="2026-03-20")


def test_expected_closes_is_the_sum_over_cohorts():
    # By hand: created 40, 40, 40, 40 and 10 % / 20 % / 5 % won 0 / 1 / 2 periods later:
    # period 0: 4; period 1: 4 + 8 = 12; periods 2, 3: 4 + 8 + 2 = 14.
    assert expected_closes([40, 40, 40, 40], [0.1, 0.2, 0.05]) == pytest.approx([4, 12, 14, 14])
    # With last year's 2 periods as history, the plan's 2 periods need 10 and 15 deals:
    # surplus 14 - 10 = 4 and gap 14 - 15 = -1.
    assert pipeline_gap([40] * 4, [0.1, 0.2, 0.05], [10, 15]) == pytest.approx([4, -1])


@pytest.mark.parametrize(
    ("curve", "message"),
    [
        ([0.5, 0.6], "adds up to 1.1, more than 1"),
        ([0, 0, 0], "is all 0: no opportunity would ever close"),
        ([0.1, -0.1], "curve[1] = -0.1: must be 0 or more"),
        ([1.5], "curve[0] = 1.5: must be at most 1"),
        ([], "is empty"),
    ],
)
def test_bad_curves_are_refused(curve, message):
    with pytest.raises(KPIInputError) as err:
        expected_closes([10, 10], curve)
    assert message in str(err.value)


def test_a_curve_too_small_to_plan_from_is_refused():
    with pytest.raises(KPIInputError, match="too small for the deals needed"):
        generation_plan([1.0], [1e-90])


def test_needed_longer_than_generated_is_refused():
    with pytest.raises(KPIInputError, match="has 3 periods but generated has 2"):
        pipeline_gap([10, 10], [0.5], [1, 1, 1])


def test_the_generation_plan_is_steady_where_deconvolution_swings():
    # Curve 10 % in the month, 50 % the next, 10 deals a month. Solving month by month
    # gives 100, 0, 100, 0, ... (each month undoes the last one's surplus); the plan holds
    # a steady 10 / 0.6 = 16.67 after the first month (which has no history to lean on).
    plan = generation_plan([10] * 12, [0.1, 0.5])
    assert plan.generated[0] == pytest.approx(100)
    assert plan.generated[1:] == pytest.approx([10 / 0.6] * 11, rel=1e-6)
    assert min(plan.expected) >= 10 - 1e-9


def test_history_carries_the_first_periods_and_the_late_curve_shortfall_is_reported():
    # Nothing closes in the month of creation: the plan's first month can only be fed by
    # history. 30 opportunities last month x 20 % = 6 of the 10 needed: a shortfall of 4.
    plan = generation_plan([10, 10, 10], [0.0, 0.2, 0.3], history=[0, 30])
    assert plan.shortfall == pytest.approx((4, 0, 0))
    # Month 2 (index 1): 30 x 0.3 + g0 x 0.2 >= 10 -> g0 >= 5; month 3: g0 x 0.3 + g1 x 0.2
    assert plan.expected[1] >= 10 - 1e-9
    assert plan.expected[2] >= 10 - 1e-9


@settings(max_examples=60, deadline=None)
@given(
    needed=st.lists(st.floats(0, 1000), min_size=1, max_size=12),
    curve=st.lists(st.floats(0, 1), min_size=1, max_size=5).filter(
        lambda c: sum(c) <= 1 and c[0] >= 1e-3
    ),
    history=st.lists(st.floats(0, 1000), max_size=4),
)
def test_the_plan_meets_every_need_with_no_negative_volume(needed, curve, history):
    plan = generation_plan(needed, curve, history=history)
    assert min(plan.generated) >= 0
    # The expected closes are the forward computation of history + plan.
    forward = expected_closes([*history, *plan.generated], curve)[len(history) :]
    np.testing.assert_allclose(plan.expected, forward, rtol=1e-9, atol=1e-6)
    assert all(e >= n - 1e-6 * max(1.0, n) for e, n in zip(plan.expected, needed, strict=True))


def test_the_vectorised_face_is_the_scalar_one_row_by_row():
    import pandas as pd

    from kpi_engine import frame

    table = pd.DataFrame({"jan": [40.0, 7.0], "feb": [40.0, 0.0], "now": [0.1, 0.3],
                          "later": [0.2, 0.25]}, index=["EMEA", "APAC"])  # fmt: skip
    both = frame.expected_closes(table, generated=["jan", "feb", 25.0], curve=["now", "later"])
    for label, row in table.iterrows():
        one = expected_closes([row.jan, row.feb, 25.0], [row.now, row.later])
        assert both.loc[label].tolist() == one  # bit for bit: one implementation
    with pytest.raises(KPIInputError, match=re.escape("row 'APAC': curve = 1.05: adds up to 1.05")):
        frame.expected_closes(table, generated=["jan"], curve=["now", 0.75])
