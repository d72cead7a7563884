"""The Actuals and Diagnosis sheets: their formulas, evaluated independently, equal the engine."""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import kpi_engine
from kpi_planner.plan import one_plan
from kpi_planner.workbook.sheets.tracking import empty_values as empty_state
from kpi_planner.workbook.sheets.tracking import layout as tracking
from tests.workbook.evaluate import EvaluatedPlan

INPUTS = one_plan.PlanInputs(whole_numbers=False)
MONTHLY = one_plan.plan_outputs(INPUTS).required_monthly  # stages x 12


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    return EvaluatedPlan(tmp_path_factory.mktemp("tracking"), INPUTS, tracking.TrackingInputs())


def actuals(grid, months_closed, tolerance=0.1, benchmarks=None):
    return tracking.TrackingInputs(
        months_closed, tuple(map(tuple, np.asarray(grid, dtype=float).tolist())),
        (1000.0,) * 12, tolerance, benchmarks or {},
    )  # fmt: skip


def assert_diagnosis_agrees(evaluated, track):
    got = evaluated.named(INPUTS, track, tracking.DIAGNOSIS)
    want = tracking.diagnosis_outputs(MONTHLY, INPUTS.stages, INPUTS.rates, track)
    assert got["FocusArea"][0, 0] == want["FocusArea"]
    for name in ["PlannedToDate", "ActualToDate", "AttainmentToDate", "PlannedRates",
                 "ActualRates"]:  # fmt: skip
        np.testing.assert_allclose(
            got[name].ravel().astype(float), want[name], rtol=1e-9, err_msg=name
        )
    for name in ["AttainmentMonthly", "AttainmentQuarterly", "CostPerStageToDate"]:
        cells, expected = got[name].ravel(), np.asarray(want[name], dtype=object).ravel()
        for k, (cell, value) in enumerate(zip(cells, expected, strict=True)):
            if value == "":
                assert cell in ("", None), (name, k)
            else:
                assert cell == pytest.approx(value, rel=1e-9), (name, k)
    return got


def test_seed_002s_case_points_at_the_visit_to_lead_rate(evaluated):
    # Three months: visits on plan, a third of the leads, the stages below at plan rates.
    grid = MONTHLY.copy()
    grid[1:] /= 3
    got = assert_diagnosis_agrees(evaluated, actuals(grid, 3))
    assert got["FocusArea"][0, 0] == "Visits -> Leads"
    # 3 months of 6,313.13 visits planned: 10,000,000 / 1,100,000 / 12 customers a month
    # / (0.015 * 0.2 * 0.2 * 0.4 * 0.5 = 0.00012).
    assert got["PlannedToDate"][0, 0] == pytest.approx(3 * 10e6 / 1.1e6 / 12 / 0.00012)


def test_on_plan_and_benchmarks(evaluated):
    assert_diagnosis_agrees(evaluated, actuals(MONTHLY, 12))
    got = assert_diagnosis_agrees(evaluated, actuals(MONTHLY, 6, benchmarks={"MQL -> SQL": 0.8}))
    assert got["FocusArea"][0, 0] == "MQL -> SQL"


def test_no_actuals_yet(evaluated):
    got = evaluated.named(INPUTS, tracking.TrackingInputs(), tracking.DIAGNOSIS)
    assert got["FocusArea"][0, 0] == tracking.NO_ACTUALS


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    factors=st.lists(st.floats(min_value=0.2, max_value=1.5), min_size=6, max_size=6),
    months=st.integers(min_value=1, max_value=12),
    tolerance=st.floats(min_value=0.0, max_value=0.5),
)
def test_drawn_actuals_agree(evaluated, factors, months, tolerance):
    # Actuals that miss or beat the plan by a factor per stage. The sheet's plan and the
    # engine's can differ in the last bit, so a stage exactly at the threshold may fall
    # either way: keep away from it.
    ratios = [factors[0], *(b / a for a, b in itertools.pairwise(factors))]
    assume(all(abs(r - (1 - tolerance)) > 1e-6 for r in ratios))
    grid = MONTHLY * np.asarray(factors)[:, None]
    assert_diagnosis_agrees(evaluated, actuals(grid, months, tolerance))


def test_a_funnel_with_its_own_names_gets_advice_that_follows_renamed_stages(tmp_path):
    # Four stages of the user's own: the playbook is keyed by the stage names in live
    # formulas, so the focus area finds its advice (it found none when keys were fixed text).
    own = one_plan.PlanInputs(stages=("Leads", "Demos", "Trials", "Won"), rates=(0.3, 0.5, 0.25),
                              whole_numbers=False)  # fmt: skip
    evaluated = EvaluatedPlan(tmp_path, own, tracking.TrackingInputs())
    monthly = one_plan.plan_outputs(own).required_monthly
    grid = monthly.copy()
    grid[2:] /= 2  # Demos -> Trials at half its planned rate, the rest on plan
    track = actuals(grid, 4)
    got = evaluated.named(own, track, tracking.DIAGNOSIS)
    assert got["FocusArea"][0, 0] == "Demos -> Trials"
    assert list(got["Playbook"][:, 0]) == ["traffic", "Leads -> Demos", "Demos -> Trials",
                                           "Trials -> Won"]  # fmt: skip
    focus = kpi_engine.focus_area(grid[:, :4].sum(axis=1), monthly[:, :4].sum(axis=1),
                                  stages=own.stages)  # fmt: skip
    _, _, solution = evaluated._solve(own, track, (tracking.DIAGNOSIS,))
    row = tracking.TrackingGrid(4).focus_row
    what_to_do = solution[evaluated._key(f"B{row + 1}", tracking.DIAGNOSIS)].value[0, 0]
    assert what_to_do == focus.play.action
    assert what_to_do.startswith("Lead nurturing")  # the middle of three conversions


def test_diagnosis_says_where_to_type_actuals_until_a_month_is_closed(evaluated):
    # Issue 13: a newcomer sees what to do first; the hint goes once a month is closed.
    before = evaluated.cell(INPUTS, tracking.TrackingInputs(), tracking.DIAGNOSIS, tracking.HINT)
    assert before == tracking.HINT_TEXT
    assert "Actuals sheet" in before
    # What fill caches for a new plan is what the formula gives.
    cached = empty_state.values_without_actuals(INPUTS.stages)[tracking.DIAGNOSIS]
    assert cached[tracking.HINT] == before
    after = evaluated.cell(INPUTS, actuals(MONTHLY, 2), tracking.DIAGNOSIS, tracking.HINT)
    assert after in ("", None)


#: One month of a whole-number plan whose last rate is 30 %: January's 1 customer (10 a
#: year) needs ceil(1 / 0.3) = 4 opportunities, 10 SQL, 50 MQL, 250 leads and 250 / 0.015
#: = 16,666.7 -> 16,667 visits. The ratio of those planned to date, 1 / 4 = 25 %, is no
#: rate of the plan's: a team converting 25 % (short of 30 % x 0.9 = 27 %) was judged on
#: plan against it. (Before chained rounding the ratio was 3 / 5 = 60 % for a 50 % step.)
THIRTY = one_plan.PlanInputs(rates=(0.015, 0.2, 0.2, 0.4, 0.3))
JANUARY = [16_667, 250, 50, 10, 4, 1]


def test_the_planned_rate_is_the_plan_s_not_a_ratio_of_whole_numbers(tmp_path):
    monthly = one_plan.plan_outputs(THIRTY).required_monthly
    assert np.asarray(monthly)[:, 0].tolist() == JANUARY
    track = actuals([[volume] + [0] * 11 for volume in JANUARY], 1)
    evaluated = EvaluatedPlan(tmp_path, THIRTY, track)
    got = evaluated.named(THIRTY, track, tracking.DIAGNOSIS)
    assert got["PlannedRates"].ravel().tolist() == [0.015, 0.2, 0.2, 0.4, 0.3]
    assert got["FocusArea"][0, 0] == "Opportunities -> Customers"
    want = tracking.diagnosis_outputs(monthly, THIRTY.stages, THIRTY.rates, track)
    assert want["PlannedRates"].tolist() == [0.015, 0.2, 0.2, 0.4, 0.3]
    assert want["FocusArea"] == "Opportunities -> Customers"
