"""The forecast's engine: weighted pipeline three ways, the landing's range, and pacing,
against the published examples of issue 33 and arithmetic written next to each test."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_engine import KPIInputError, forecast, pacing

# -- the published checks -------------------------------------------------------------------


def test_weighting_reproduces_the_issue_s_example():
    # $200,000 at 30 % and $50,000 at 80 %: 60,000 + 40,000 = $100,000.
    assert forecast.weighted_pipeline([200_000, 50_000], [0.3, 0.8]) == 100_000


def test_revcast_pacing():
    # A quarter that started with $1,000,000 of day-one pipeline had $650,000 by day 60.
    assert pacing.pipeline_pacing(650_000, 1_000_000) == pytest.approx(0.65)
    # A $1,500,000 day-one target needs 65 % of it, $975,000, by day 60.
    assert pacing.pipeline_needed_by(1_500_000, 0.65) == pytest.approx(975_000)


def test_revops_inflection_coverage():
    # 3.5x coverage of a $20M quarter needs $70M; $35M in hand is 1.75x.
    assert pacing.day_one_target(20_000_000, 3.5) == 70_000_000
    assert pacing.coverage_ratio(35_000_000, 20_000_000) == 1.75


def test_build_up_share_from_a_day_one_pipeline():
    # Q3 2026 starts on 1 July; the quarter before starts on 1 April, so day 60 is 30 May.
    # Day-one pipeline: 400 created in March (before the quarter before: there all along),
    # 250 on 30 May (day 60), 350 on 10 June: by day 60, (400 + 250) / 1,000 = 65 %.
    created = [dt.date(2026, 3, 5), dt.date(2026, 5, 30), dt.date(2026, 6, 10)]
    share = pacing.build_up_share(created, [400, 250, 350], dt.date(2026, 7, 1), 60)
    assert share == pytest.approx(0.65)
    assert pacing.build_up_share(created, [400, 250, 350], dt.date(2026, 7, 1), 59) == 0.4


# -- the three weightings -------------------------------------------------------------------


def test_categories_take_their_weights_and_an_unknown_one_is_named():
    assert forecast.category_probabilities(["COMMIT", " Best  case", "best_case"]) == [
        0.9, 0.5, 0.5]  # fmt: skip
    own = forecast.category_probabilities(["Commit", "Upside"], {"commit": 0.8, "upside": 0.4})
    assert own == [0.8, 0.4]
    with pytest.raises(KPIInputError, match=r"categories\[1\] = 'Maybe': has no weight"):
        forecast.category_probabilities(["Commit", "Maybe"])


def test_curve_probability_is_the_cohort_s_wins_still_to_come_in_the_window():
    curve = [0.1, 0.2, 0.1, 0.05]  # 45 % of a cohort is won, within 4 periods
    # New (age 0), 3 periods left: 0.1 + 0.2 + 0.1 = 0.4 of those not yet won (all).
    # Age 1, 3 left: (0.2 + 0.1 + 0.05) / (1 - 0.1) = 0.35 / 0.9.
    # Age 4: the curve has no wins left; 0 periods left: nothing can close.
    got = forecast.curve_probabilities([0, 1, 4, 0], curve, 3)[:3]
    assert got == pytest.approx([0.4, 0.35 / 0.9, 0.0])
    assert forecast.curve_probabilities([0], curve, 0) == [0.0]
    with pytest.raises(KPIInputError, match=r"ages\[0\] = -1"):
        forecast.curve_probabilities([-1], curve, 3)


def test_planned_opportunities_win_within_the_periods_left():
    # Three months left; 20, 20 and 10 opportunities to create; a curve of 10 %, 20 %, 10 %:
    # month 1's win 20 x 0.4 = 8 by the year's end, month 2's 20 x 0.3 = 6, month 3's 10 x 0.1.
    assert forecast.planned_wins([20, 20, 10], [0.1, 0.2, 0.1]) == pytest.approx(15.0)
    # A gap of 6 deals with 2 months left needs 6 / (0.1 + 0.2) = 20 opportunities now;
    # with a curve that wins nothing in the first month and one month left, it is too late.
    assert forecast.opportunities_to_close(6, [0.1, 0.2, 0.1], 2) == pytest.approx(20)
    assert forecast.opportunities_to_close(6, [0.0, 0.3], 1) == math.inf


@pytest.mark.parametrize(
    ("amounts", "chances", "message"),
    [
        ([100, "n/a"], [0.5, 0.5], "amounts[1] = 'n/a': must be an amount of money, 0 or more"),
        ([100], [1.5], "probabilities[0] = 1.5: must be a chance between 0 and 1 (30 % is 0.3)"),
        ([-5], [0.5], "amounts[0] = -5: must be an amount of money"),
        ([100, 200], [0.5], "probabilities = 1: has 1 values for 2 amounts"),
    ],
)  # fmt: skip
def test_bad_deals_are_named_never_counted(amounts, chances, message):
    with pytest.raises(KPIInputError) as err:
        forecast.weighted_pipeline(amounts, chances)
    assert message in str(err.value)


# -- the range ------------------------------------------------------------------------------


def brute_force(amounts, chances, closed, goal):
    """Every outcome of the deals enumerated (2^n of them): the landing's distribution."""
    outcomes = {}
    for won in itertools.product((0, 1), repeat=len(amounts)):
        chance = math.prod(p if w else 1 - p for w, p in zip(won, chances, strict=True))
        total = closed + sum(a for w, a in zip(won, amounts, strict=True) if w)
        outcomes[total] = outcomes.get(total, 0.0) + chance
    totals = sorted(outcomes)

    def percentile(q):  # the smallest total whose cumulative chance reaches q
        cumulative = itertools.accumulate(outcomes[t] for t in totals)
        return next(t for t, c in zip(totals, cumulative, strict=True) if c >= q - 1e-12)

    reach = sum(c for t, c in outcomes.items() if t >= goal)
    return percentile(0.1), percentile(0.5), percentile(0.9), reach


deals = st.lists(
    st.tuples(st.integers(0, 2_000_000), st.sampled_from([0, 0.05, 0.3, 0.5, 0.8, 1.0])),
    min_size=1, max_size=9,
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(deals=deals, closed=st.integers(0, 1_000_000), goal=st.integers(0, 5_000_000))
def test_the_exact_range_has_the_closed_form_moments_and_the_enumerated_percentiles(
    deals, closed, goal
):
    amounts, chances = [a for a, _ in deals], [p for _, p in deals]
    got = forecast.landing_range(amounts, chances, closed=closed, goal=goal)
    assert got.method == "exact"
    mean = closed + sum(a * p for a, p in deals)
    variance = sum(a * a * p * (1 - p) for a, p in deals)
    assert got.mean == pytest.approx(mean, rel=1e-12, abs=1e-6)
    assert got.variance == pytest.approx(variance, rel=1e-9, abs=1e-3)
    p10, p50, p90, reach = brute_force(amounts, chances, closed, goal)
    assert (got.p10, got.p50, got.p90) == (p10, p50, p90)
    assert got.chance_of_goal == pytest.approx(reach, abs=1e-12)


def test_too_many_totals_are_sampled_with_a_seed_and_keep_the_moments(monkeypatch):
    monkeypatch.setattr(forecast, "MAX_EXACT_TOTALS", 100)
    amounts = [1_000 + 37 * k for k in range(40)]  # 40 deals of distinct amounts
    chances = [0.1 + 0.02 * k for k in range(40)]
    got = forecast.landing_range(amounts, chances, goal=30_000, draws=100_000, seed=7)
    assert (got.method, got.draws, got.seed) == ("simulation", 100_000, 7)
    mean = sum(a * p for a, p in zip(amounts, chances, strict=True))
    variance = sum(a * a * p * (1 - p) for a, p in zip(amounts, chances, strict=True))
    # The sample mean is within 5 standard errors (sd / sqrt(draws)) of the closed form;
    # the sample variance within 5 % (its standard error is about sqrt(2 / draws) = 0.45 %).
    assert abs(got.mean - mean) < 5 * math.sqrt(variance / 100_000)
    assert got.variance == pytest.approx(variance, rel=0.05)
    assert got.p10 < got.p50 < got.p90
    again = forecast.landing_range(amounts, chances, goal=30_000, draws=100_000, seed=7)
    assert again == got  # the same seed, the same range
