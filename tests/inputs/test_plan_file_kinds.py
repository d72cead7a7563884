"""A plan file's keys are read by their kind in the table of the plan's inputs
(kpi_planner.inputs.plan_fields): lists of days and counts as plain numbers, weights and
rates may be percentages."""

import pytest

from kpi_engine import KPIInputError
from kpi_planner.inputs.config import read_plan_file


def test_lags_typed_as_text_are_read_as_days(tmp_path):
    (tmp_path / "plan.yaml").write_text('lag_days: ["0", "10", "20.5"]\n')
    assert read_plan_file(tmp_path / "plan.yaml") == {"lag_days": (0.0, 10.0, 20.5)}


def test_a_lag_typed_as_a_percentage_is_refused(tmp_path):
    # 10% of a day is no lag anyone means: a slip for 10 days, or for a rate in the wrong key.
    (tmp_path / "plan.yaml").write_text('lag_days: [0, "10%"]\n')
    with pytest.raises(KPIInputError, match=r"lag_days\[1\] = '10%': is a percentage"):
        read_plan_file(tmp_path / "plan.yaml")


def test_weights_and_curve_shares_may_be_percentages(tmp_path):
    (tmp_path / "plan.yaml").write_text('seasonality: ["8%", 1]\nclose_rate_curve: ["5%", "15%"]\n')
    assert read_plan_file(tmp_path / "plan.yaml") == {
        "seasonality": (0.08, 1), "close_rate_curve": (0.05, 0.15)}  # fmt: skip
