"""CLV, ROI, CAC, LTV:CAC, payback and cost per stage: the contract and published examples."""

import math

import pytest

from kpi_engine import (
    SEED_RATES,
    KPIInputError,
    cac,
    cac_payback_periods,
    clv,
    clv_purchase,
    cost_per,
    cost_per_stage,
    ltv_to_cac,
    paid_cac,
    reverse_funnel,
    roi,
    roi_from_clv,
)

# -- CLV ----------------------------------------------------------------------------------


def test_clv_subscription_model_contract_example():
    # Contract: r = 1000, g = 0.8, c = 0.2 -> m = 800, m / c = 4000.
    assert clv(1000, 0.8, 0.2) == 4000


def test_clv_discounted_contract_example():
    # Contract: with d = 0.1 -> 800 * 1.1 / (0.1 + 0.2) = 880 / 0.3 = 2933.33...
    assert clv(1000, 0.8, 0.2, discount_rate=0.1) == pytest.approx(2933 + 1 / 3, rel=1e-12)


def test_clv_matches_gupta_lehmann_margin_multiple_plus_one_margin():
    # Published: Gupta & Lehmann's margin multiple r / (1 + i - r) is 2.67 at r = 80 %,
    # i = 10 % (0.8 / 0.3 = 2.6667; quoted in the "Frameworks Library" summary of G&L).
    # They count the first margin one period after acquisition; the engine counts it at
    # acquisition, so engine CLV - m = m * 2.6667.
    margin = 100
    assert clv(margin, 1, 0.2, discount_rate=0.1) - margin == pytest.approx(266.67, abs=0.005)


def test_clv_finite_horizon_sums_the_periods():
    # 3 periods: 800 + 800 * 0.8 + 800 * 0.64 = 800 + 640 + 512 = 1952.
    assert clv(1000, 0.8, 0.2, horizon_periods=3) == pytest.approx(1952, rel=1e-12)
    # With d = 0.1 too: factor 0.8 / 1.1; 800 * (1 + 0.72727 + 0.52893) = 1804.96...
    expected = 800 * (1 + 0.8 / 1.1 + (0.8 / 1.1) ** 2)
    assert clv(1000, 0.8, 0.2, 0.1, 0, 3) == pytest.approx(expected, rel=1e-12)


def test_clv_without_churn_over_a_horizon_is_the_purchase_model():
    # Churn 0 over H periods is m * H: 1000 * 0.8 * 24 = 19,200.
    assert clv(1000, 0.8, 0, horizon_periods=24) == pytest.approx(19_200, rel=1e-12)
    # Purchase model: 250 a order, 4 orders a year, 3 years, 40 % margin = 1200.
    assert clv_purchase(250, 4, 3, 0.4) == pytest.approx(1200, rel=1e-12)
    assert clv_purchase(250, 4, 3, 0.4, acquisition_cost=200) == pytest.approx(1000, rel=1e-12)


def test_clv_net_of_acquisition_cost():
    # 4000 - 1500 = 2500.
    assert clv(1000, 0.8, 0.2, acquisition_cost=1500) == 2500


def test_clv_when_every_customer_leaves_after_one_period():
    # Churn 1: only the first margin, 1000 * 0.8 = 800, whatever the discount or horizon.
    assert clv(1000, 0.8, 1) == pytest.approx(800, rel=1e-15)
    assert clv(1000, 0.8, 1, discount_rate=0.1, horizon_periods=5) == pytest.approx(800)


def test_clv_finite_horizon_is_exact_for_tiny_churn():
    # Churn 1e-12 over 10 periods: sum of (1 - 1e-12)**t for t < 10 = 10 - 45e-12.
    assert clv(1, 1, 1e-12, horizon_periods=10) == pytest.approx(10 - 45e-12, rel=1e-14)


def test_clv_refuses_an_infinite_lifetime_value():
    with pytest.raises(KPIInputError) as err:
        clv(1000, 0.8, 0)
    assert str(err.value).startswith("churn_rate = 0: is 0 with no discount_rate and no horizon")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"churn_rate": 20}, "churn_rate = 20: must be a fraction between 0 and 1; 20 looks"),
        ({"gross_margin": -0.1}, "gross_margin = -0.1: must be a fraction between 0 and 1"),
        ({"horizon_periods": 2.5}, "horizon_periods = 2.5: must be a whole number of periods"),
        ({"horizon_periods": 0}, "horizon_periods = 0: must be a whole number of periods"),
        ({"revenue_per_period": -5}, "revenue_per_period = -5: must be 0 or more"),
        ({"revenue_per_period": None}, "revenue_per_period = NaN: is missing; give a number"),
    ],
)
def test_clv_bad_input(kwargs, message):
    arguments = {"revenue_per_period": 1000, "gross_margin": 0.8, "churn_rate": 0.2} | kwargs
    with pytest.raises(KPIInputError) as err:
        clv(**arguments)
    assert message in str(err.value)


# -- ROI ----------------------------------------------------------------------------------


def test_roi_contract_examples():
    # (50000 - 10000) / 10000 = 4; (30000 - 10000) / 10000 = 2; (30000 - 15000) / 10000 = 1.5.
    assert roi(50_000, 10_000) == 4
    assert roi(50_000, 10_000, gross_margin=0.6) == 2
    assert roi(50_000, 10_000, gross_margin=0.6, other_costs=5_000) == 1.5


def test_roi_of_nothing_invested_is_an_error():
    with pytest.raises(KPIInputError, match=r"^investment = 0: ROI is undefined"):
        roi(50_000, 0)


def test_roi_from_clv():
    # 25 customers * 4000 = 100,000 against 40,000 -> (100,000 - 40,000) / 40,000 = 1.5.
    assert roi_from_clv(25, 4000, 40_000) == 1.5


# -- CAC and costs --------------------------------------------------------------------------


def test_cac_sums_spend_lines():
    # (30,000 + 12,000 + 8,000) / 25 = 2,000.
    assert cac([30_000, 12_000, 8_000], 25) == 2000
    assert cac(50_000, 25) == 2000
    assert paid_cac(9_000, 6) == 1500


def test_cac_with_no_new_customers_is_undefined():
    with pytest.raises(KPIInputError) as err:
        cac([1000, 500], 0)
    assert str(err.value) == (
        "new_customers = 0: CAC is undefined with 0 new customers (not infinite and not 0)"
    )


def test_cac_reports_the_bad_spend_line():
    with pytest.raises(KPIInputError, match=r"spend\[1\] = -500: must be 0 or more"):
        cac([1000, -500], 3)
    with pytest.raises(KPIInputError, match=r"spend = \[\]: is empty"):
        cac([], 3)


def test_cost_targets_of_the_seed_plan():
    # Budget 600,000 over the seed's whole-number year: 600,000 / 1250 leads = 480 per lead,
    # / 250 MQL = 2,400, / 50 SQL = 12,000, / 20 opportunities = 30,000, / 10 customers = 60,000.
    plan = reverse_funnel(10e6, SEED_RATES, deal_size=1.1e6, whole_numbers=True)
    targets = cost_per_stage(600_000, plan)
    assert targets["Leads"] == 480
    assert targets["MQL"] == 2_400
    assert targets["Customers"] == 60_000
    assert cost_per(600_000, 1250, unit="lead") == 480


def test_cost_per_unit_names_the_stage_that_is_empty():
    with pytest.raises(KPIInputError, match="cost per MQL is undefined with 0 MQL"):
        cost_per_stage(1000, {"Leads": 10, "MQL": 0})


# -- LTV:CAC and payback ---------------------------------------------------------------------


def test_ltv_to_cac_and_payback():
    # 4000 / 1250 = 3.2; 6000 / (1000 * 0.8) = 7.5 months.
    assert ltv_to_cac(4000, 1250) == pytest.approx(3.2)
    assert cac_payback_periods(6000, 1000, 0.8) == 7.5


def test_payback_without_margin_never_happens():
    with pytest.raises(KPIInputError, match="CAC is never paid back"):
        cac_payback_periods(6000, 1000, 0)
    with pytest.raises(KPIInputError, match="LTV:CAC is undefined"):
        ltv_to_cac(4000, 0)


def test_infinite_horizon_may_be_given_explicitly():
    assert clv(1000, 0.8, 0.2, horizon_periods=math.inf) == 4000


def test_problems_say_whether_the_math_is_undefined_or_the_input_breaks_a_rule():
    # A spreadsheet shows #DIV/0! for the first kind and a message for the second.
    with pytest.raises(KPIInputError) as zero:
        cac(1000, 0)
    with pytest.raises(KPIInputError) as negative:
        cac(-1000, 5)
    assert zero.value.problems[0].undefined
    assert not negative.value.problems[0].undefined
