"""Plan outputs for a frame of scenarios equal the one-plan computation, row by row."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_engine import KPIInputError
from kpi_planner.plan import frame as scenarios
from kpi_planner.plan import one_plan
from tests.workbook.test_formulas_agree_with_engine import plan_inputs


@settings(max_examples=30, deadline=None)
@given(rows=st.lists(plan_inputs, min_size=1, max_size=8))
def test_vectorised_plan_outputs_equal_the_scalar_ones(rows):
    frame = pd.DataFrame([one_plan.scenario_row(i) for i in rows])
    outputs = scenarios.plan_outputs_frame(frame, rows[0].stages)
    for position, inputs in enumerate(rows):
        for name, value in one_plan.plan_outputs(inputs).by_name().items():
            np.testing.assert_array_equal(outputs[name][position], value, err_msg=name)


def test_row_inputs_round_trip():
    inputs = one_plan.PlanInputs(
        whole_numbers=False, plan_year=2030, lag_days=(0, 10, 20, 15, 45), growth=0.25
    )
    row = pd.Series(one_plan.scenario_row(inputs))
    assert one_plan.row_inputs(row, 6) == inputs


def test_bad_rows_are_all_reported_with_their_labels():
    good = one_plan.scenario_row(one_plan.PlanInputs())
    frame = pd.DataFrame(
        [good, good | {"rate_2": 20}, good | {"deal_size": 0, "whole_numbers": "maybe"}],
        index=["north", "south", "west"],
    )
    with pytest.raises(KPIInputError) as err:
        scenarios.plan_outputs_frame(frame, one_plan.PlanInputs().stages)
    assert err.value.rows == ["south", "west"]
    text = str(err.value)
    assert "row 'south': rate_2 (Leads -> MQL rate) = 20: must be a fraction" in text
    assert "row 'west': whole_numbers = 'maybe': must be TRUE or FALSE" in text
    assert "row 'west': deal_size = 0" in text
