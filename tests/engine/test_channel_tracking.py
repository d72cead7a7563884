"""Plan vs actual by channel (kpi_engine.channel_tracking), against hand arithmetic."""

import math

import numpy as np
import pytest

from kpi_engine import KPIInputError, channel_attainment, channel_to_date


def test_the_plan_to_date_is_each_channels_share_paced_like_the_plan():
    # 1,125 leads in the year, 281.25 due by the end of March (a quarter): search's 675
    # leads give 168.75 to date, events' 450 give 112.5.
    assert channel_to_date([675.0, 450.0], 281.25, 1125.0).tolist() == [168.75, 112.5]
    assert channel_to_date([675.0], 0.0, 1125.0).tolist() == [0.0]
    assert math.isnan(channel_to_date([np.nan], 10.0, 100.0)[0])


def test_a_quarter_by_hand():
    # Search: 150 of 168.75 leads (88.9 %), 1 of 1.35 customers (74.1 %, 0.35 short),
    # 9,000 spent: 60 a lead, 9,000 a customer. Events: 60 of 112.5 leads, none of 0.9
    # customers (0.9 short), 7,500 spent: 125 a lead. Events loses more customers.
    result = channel_attainment(["Search", "Events"], [168.75, 112.5], [1.35, 0.9],
                                [150, 60], [1, 0], [9000, 7500])  # fmt: skip
    assert result.entry_attainment.tolist() == pytest.approx([150 / 168.75, 60 / 112.5])
    assert result.customer_attainment.tolist() == pytest.approx([1 / 1.35, 0.0])
    assert result.shortfall.tolist() == pytest.approx([1.35 - 1, 0.9])
    assert result.cost_per_unit.tolist() == [60.0, 125.0]
    assert result.cac[0] == 9000
    assert math.isnan(result.cac[1])
    assert result.by_customers
    assert result.focus == "Events"


def test_within_the_tolerance_is_on_plan_and_untyped_is_not_judged():
    # 91 % and 100 % of plan with a 10 % tolerance: no channel to fix.
    result = channel_attainment(["A", "B"], [100, 50], [10, 5], [91, 50], [9.1, 5], [1, 1])
    assert result.focus is None
    assert np.isnan(result.shortfall).all()
    # Nothing typed at all: no actuals, nothing judged.
    empty = channel_attainment(["A"], [100], [10], [None], [None], [None])
    assert not empty.has_actuals
    assert empty.focus is None
    assert np.isnan(empty.entry_attainment).all()


def test_without_customers_by_channel_the_entry_stage_judges():
    # Leads only: A 50 of 100 (50 short), B 10 of 40 (30 short, but a lower attainment):
    # the channel losing the most leads is A.
    result = channel_attainment(["A", "B"], [100, 40], [1, 0.4], [50, 10], [None, None],
                                [None, None])  # fmt: skip
    assert not result.by_customers
    assert result.shortfall.tolist() == [50, 30]
    assert result.focus == "A"


def test_a_tie_names_the_first_channel_and_a_plan_of_0_has_no_attainment():
    result = channel_attainment(["A", "B", "C"], [10, 10, 0], [1, 1, 0], [5, 5, 3],
                                [0, 0, 1], [0, 0, 0])  # fmt: skip
    assert result.focus == "A"
    assert math.isnan(result.customer_attainment[2])  # C planned none to date


def test_bad_input_names_the_argument_and_the_channel():
    with pytest.raises(KPIInputError, match=r"actual_spend\[1\] = -5.*0 or more"):
        channel_attainment(["A", "B"], [1, 1], [1, 1], [1, 1], [1, 1], [1, -5])
    with pytest.raises(KPIInputError, match=r"actual_entry.*2 values, one per channel"):
        channel_attainment(["A", "B"], [1, 1], [1, 1], [1], [1, 1], [1, 1])
    with pytest.raises(KPIInputError, match="tolerance = 1"):
        channel_attainment(["A"], [1], [1], [1], [1], [1], tolerance=1)
    with pytest.raises(KPIInputError, match="planned_year = 0"):
        channel_to_date([1.0], 1.0, 0.0)
