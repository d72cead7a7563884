"""The plan's formulas that the workbook and the batch once computed themselves (issue 31):
next year's volumes, quarter weights, running totals, the pipeline's gap and coverage. Each
scalar call and its frame face agree to the last bit; expected values are worked by hand."""

import numpy as np
import pandas as pd
import pytest

import kpi_engine
from kpi_engine import KPIInputError, frame


def test_next_year_volumes_grow_this_years_customers_then_walk_up():
    # 4,000,000 / 500,000 = 8 customers; +25 % = 10; at 50 % then 20 %: 20 opportunities,
    # 100 leads.
    stages = ["Leads", "Opportunities", "Customers"]
    volumes = kpi_engine.next_year_volumes(4e6, [0.2, 0.5], deal_size=5e5, growth=0.25,
                                           stages=stages)  # fmt: skip
    assert volumes == {"Leads": 100.0, "Opportunities": 20.0, "Customers": 10.0}


def test_next_year_volumes_round_up_from_the_bottom():
    # 9.0909... customers (10,000,000 / 1,100,000) x 1.1 = 10.0 (binary: 10.000000000000002,
    # which the engine's 6-decimal rounding keeps at 10); / 0.4 = 25 SQL.
    volumes = kpi_engine.next_year_volumes(10e6, [0.4], deal_size=1.1e6, growth=0.1,
                                           whole_numbers=True)  # fmt: skip
    assert volumes == {"Stage 1": 25.0, "Customers": 10.0}


def test_next_year_volumes_refuse_a_goal_that_shrinks_below_nothing():
    with pytest.raises(KPIInputError, match="growth"):
        kpi_engine.next_year_volumes(1e6, [0.5], deal_size=1e5, growth=-1.5)


@pytest.mark.parametrize("whole", [False, True])
def test_next_year_volumes_frame_rows_equal_the_scalar_calls(whole):
    plans = pd.DataFrame({"goal": [10e6, 3.3e6, 0.0], "deal": [1.1e6, 7e4, 5e4],
                          "growth": [0.5, -0.2, 0.0], "r1": [0.015, 0.03, 0.2]})  # fmt: skip
    framed = frame.next_year_volumes(plans, goal="goal", deal_size="deal", growth="growth",
                                     rates=["r1", 0.4], whole_numbers=whole)  # fmt: skip
    for i, row in plans.iterrows():
        scalar = kpi_engine.next_year_volumes(row.goal, [row.r1, 0.4], deal_size=row.deal,
                                              growth=row.growth, whole_numbers=whole)  # fmt: skip
        assert framed.loc[i].tolist() == list(scalar.values())


def test_quarter_weights_add_each_quarters_months():
    months = [1, 2, 3, 0, 0, 1, 2, 2, 2, 0.5, 0.25, 0.25]
    # Q1 1+2+3 = 6, Q2 0+0+1 = 1, Q3 2+2+2 = 6, Q4 0.5+0.25+0.25 = 1
    assert kpi_engine.quarter_weights(months).tolist() == [6.0, 1.0, 6.0, 1.0]
    many = kpi_engine.quarter_weights(np.array([months, [1] * 12]))
    assert many.tolist() == [[6.0, 1.0, 6.0, 1.0], [3.0, 3.0, 3.0, 3.0]]


def test_phasing_quarters_by_monthly_weights_uses_the_quarter_weights():
    months = [1, 2, 3, 0, 0, 1, 2, 2, 2, 0.5, 0.25, 0.25]
    # 14 in all: Q1 gets 6/14 of 14 customers = 6, Q2 1, Q3 6, Q4 1.
    phased = kpi_engine.phase_funnel(14, [0.5], periods=4, weights=months)
    assert phased.loc["Customers"].tolist() == [6.0, 1.0, 6.0, 1.0]


def test_running_totals_add_up_period_by_period():
    assert kpi_engine.running_totals([1, 1, 2, 2]).tolist() == [1.0, 2.0, 4.0, 6.0]
    assert kpi_engine.running_totals([[1, 2], [3, 4]]).tolist() == [[1.0, 3.0], [3.0, 7.0]]


def test_rounded_gap_drops_binary_residue():
    # 0.1 + 0.2 - 0.3 is 5.55e-17 in binary; the sheet's ROUND(..., 6) shows 0.
    gap = kpi_engine.rounded_gap(np.array([0.1 + 0.2, 5.0]), np.array([0.3, 7.5]))
    assert gap.tolist() == [0.0, -2.5]


def test_pipeline_coverage_is_expected_over_needed_for_the_year():
    # Expected 3 + 4 + 5 = 12 against 4 + 4 + 4 = 12 needed: covered exactly; then 6 of 12.
    expected = np.array([[3.0, 4.0, 5.0], [1.0, 2.0, 3.0]])
    needed = np.array([[4.0, 4.0, 4.0], [4.0, 4.0, 4.0]])
    assert kpi_engine.pipeline_coverage(expected, needed).tolist() == [1.0, 0.5]
    # One plan gives the same bits as its row among many.
    assert kpi_engine.pipeline_coverage(expected[1], needed[1]) == 0.5


def test_pipeline_coverage_of_a_plan_that_needs_nothing_is_infinite():
    assert np.isinf(kpi_engine.pipeline_coverage(np.array([1.0]), np.array([0.0])))
