"""The second half of the drawn plans of test_formulas_agree_with_engine.py, in a file of
its own so that the two halves run on both cores: the Plan and Pipeline sheets' formulas,
and the cached value of every formula cell, as the independent evaluator computes them,
equal the engine's."""

import pytest
from hypothesis import HealthCheck, given, settings

from kpi_planner.plan import one_plan

from .evaluate import EvaluatedPlan
from .test_formulas_agree_with_engine import (
    assert_agree,
    assert_cached_values_match,
    assert_pipeline_agrees,
    plan_inputs,
)


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    return EvaluatedPlan(tmp_path_factory.mktemp("drawn"), one_plan.PlanInputs())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs=plan_inputs)
def test_formulas_agree_with_the_engine_for_more_drawn_inputs(evaluated, inputs):
    assert_agree(evaluated.calculate(inputs), inputs)
    assert_pipeline_agrees(evaluated, inputs)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs=plan_inputs)
def test_cached_values_match_the_evaluator_for_drawn_inputs(evaluated, inputs):
    assert_cached_values_match(evaluated, inputs)
