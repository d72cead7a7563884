"""The plan sheet's live formulas, computed by an independent evaluator, equal the engine's."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_planner.plan import one_plan
from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook.sheets.pipeline import grid as pipeline
from kpi_planner.workbook.sheets.plan import layout as plan
from kpi_planner.workbook.sheets.plan.grid import PlanGrid

from .evaluate import EvaluatedPlan

# Every output of the plan sheet, by its defined name (README lists them too).
OUTPUT_NAMES = [
    "CustomersNeeded", "RequiredAnnual", "RequiredQuarterly", "RequiredMonthly", "CostPerStage",
    "PlannedCAC", "CustomerLifetimeValue", "LTVtoCAC", "ProjectedROI", "LifetimeROI",
    "MonthsAhead", "NextYearRequired", "TimelineLabels", "TimelineMonthly", "TimelineRunning",
    "WeightsSoFar", "MonthLabels", "QuarterLabels", "TimelineQuarterLabels", "TimelineQuarterly",
]  # fmt: skip
TEXT_OUTPUTS = {"TimelineLabels", "MonthLabels", "QuarterLabels", "TimelineQuarterLabels"}


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    return EvaluatedPlan(tmp_path_factory.mktemp("plan"), one_plan.PlanInputs())


def assert_agree(evaluated_values, inputs):
    every = one_plan.plan_outputs(inputs).by_name()
    expected = {name: value for name, value in every.items() if name in one_plan.OUTPUT_NAMES}
    assert set(expected) == set(OUTPUT_NAMES)
    for name in OUTPUT_NAMES:
        if name in TEXT_OUTPUTS:
            assert evaluated_values[name].ravel().tolist() == expected[name].ravel().tolist()
            continue
        got = np.asarray(evaluated_values[name], dtype=float)
        want = np.asarray(expected[name], dtype=float).reshape(got.shape)
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12, err_msg=name)


def assert_pipeline_agrees(evaluated, inputs):
    computed = evaluated.pipeline_cells(inputs)
    expected = one_plan.plan_outputs(inputs).by_name()
    for ref, (name, index) in pipeline.formula_sources().items():
        want = np.asarray(expected[name])[index] if index else expected[name]
        if isinstance(want, str):
            assert computed[ref] == want, ref
        else:
            assert math.isclose(computed[ref], want, rel_tol=1e-9, abs_tol=1e-12), ref


def test_the_pipeline_of_the_seed_example_with_lags(evaluated):
    # The seed plan with issue 10's lags: opportunities come 2 months ahead (45 days). The
    # customers due by the ends of Jan .. Apr 2027 (10 x 1/12, 2/12, ... rounded up) are 1,
    # 2, 3, 4, and the opportunities chained to them at 50 % 2, 4, 6, 8 by the ends of Nov
    # 2026 .. Feb 2027: 2 a month. The default curve (5 %, 15 %, 15 %, 10 %, 5 %: 50 % in
    # all, the plan's opportunity-to-customer rate) then closes, in January 2027,
    # 0.05 x 2 (Jan) + 0.15 x 2 (Dec) + 0.15 x 2 (Nov) = 0.7 deals: a gap of 0.3 to the 1
    # needed.
    inputs = one_plan.PlanInputs(lag_days=(0, 10, 20, 15, 45), growth=0.25)
    computed = evaluated.pipeline_cells(inputs)
    planned = [computed[f"{c}10"] for c in pipeline.MONTH_COLUMNS]
    assert planned[10:14] == [2, 2, 2, 2]  # Nov 2026 .. Feb 2027
    assert computed["O13"] == pytest.approx(0.05 * 2 + 0.15 * 2 + 0.15 * 2)
    assert computed["O15"] == pytest.approx(0.7 - 1)
    assert_pipeline_agrees(evaluated, inputs)
    # Typed opportunities replace the plan's: 10 in December 2026 instead of 2 add 0.15 x 8.
    typed = inputs.replace(opportunities_created=(None,) * 11 + (10.0,))
    assert evaluated.pipeline_cells(typed)["O13"] == pytest.approx(0.7 + 0.15 * 8)
    assert_pipeline_agrees(evaluated, typed)


def test_seed_example_formulas_agree_with_the_engine(evaluated):
    inputs = one_plan.PlanInputs()
    values = evaluated.calculate(inputs)
    assert_agree(values, inputs)
    # And the headline numbers themselves, from seed 000 in whole numbers (DOMAIN.md):
    assert values["RequiredAnnual"].ravel().tolist() == [83_334, 1_250, 250, 50, 20, 10]
    assert values["CustomersNeeded"][0, 0] == pytest.approx(10e6 / 1.1e6)


def test_whole_number_months_and_quarters_add_up_to_the_year(evaluated):
    # Issue 10's contract, in the sheet's live formulas: 10 customers due 10 * m / 12 by the
    # end of month m (0.83, 1.67, 2.5, 3.33, 4.17, 5, ...) rounded up -> 1, 2, 3, 4, 5, 5, ...,
    # so 1,1,1,1,1,0 twice; by quarter 2.5, 5, 7.5, 10 -> 3, 5, 8, 10 -> 3, 2, 3, 2.
    values = evaluated.calculate(one_plan.PlanInputs())
    monthly, quarterly = values["RequiredMonthly"], values["RequiredQuarterly"]
    assert monthly[-1].tolist() == [1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0]
    assert quarterly[-1].tolist() == [3, 2, 3, 2]
    # Chained: every stage's running total is what the one below needs at the plan's rate.
    # Q1's 3 customers need 6 opportunities, 15 SQL, 75 MQL, 375 leads and 375 / 0.015 =
    # 25,000 visits (spread on their own the 20 opportunities gave Q1 5); January's 1
    # customer needs 2, 5, 25, 125 and 8,333.3 -> 8,334.
    assert quarterly[:, 0].tolist() == [25_000, 375, 75, 15, 6, 3]
    assert monthly[:, 0].tolist() == [8_334, 125, 25, 5, 2, 1]
    annual = values["RequiredAnnual"].ravel().tolist()
    assert monthly.sum(axis=1).tolist() == annual  # 83,334 visits ... 10 customers
    assert quarterly.sum(axis=1).tolist() == annual


def test_the_timeline_of_the_seed_example_with_lags_and_growth(evaluated):
    # Issue 10's lags (0, 10, 20, 15, 45 days) put visits, leads and MQL 90 / 90 / 80 days
    # ahead (3 months of 30.4 days, rounded up), SQL 60 and opportunities 45 (2 months).
    inputs = one_plan.PlanInputs(lag_days=(0, 10, 20, 15, 45), growth=0.25)
    values = evaluated.calculate(inputs)
    assert_agree(values, inputs)
    assert values["MonthsAhead"].ravel().tolist() == [3, 3, 3, 2, 2, 0]
    labels = values["TimelineLabels"].ravel().tolist()
    assert labels[0] == "Jan 2026"
    assert labels[12] == "Jan 2027"
    assert labels[-1] == "Dec 2027"
    visits = dict(zip(labels, values["TimelineMonthly"][0], strict=True))
    # 83,334 visits a year, from October 2026 (3 months ahead of January's deals).
    # January 2027's 1 customer (10 x 1/12 rounded up) needs 8,334 visits in October 2026,
    # chained up the funnel (2, 5, 25, 125 and 125 / 0.015 = 8,333.3); nothing before.
    # Next year's 12,500,000 / 1,100,000 = 11.4 -> 12 customers, 1 due a month: the running
    # customers for January to March 2028 are 11, 12, 13, whose chains are 91,667, 100,000
    # and 108,334 visits, so October to December 2027 plan 8,333, 8,333 and 8,334.
    assert visits["Sep 2026"] == 0
    assert visits["Oct 2026"] == 8334
    assert [visits[m] for m in ("Oct 2027", "Nov 2027", "Dec 2027")] == [8333, 8333, 8334]
    assert values["NextYearRequired"].ravel().tolist() == [100_000, 1_500, 300, 60, 24, 12]
    # The running total: all of this year's 83,334 visits by the end of September 2027
    # (its deals run to December); by December 2027, next year's first 3 months too: the
    # chain of 13 customers, 108,334, 25,000 more.
    running = dict(zip(labels, values["TimelineRunning"][0], strict=True))
    assert running["Sep 2026"] == 0
    assert running["Oct 2026"] == 8334
    assert running["Sep 2027"] == 83_334
    assert running["Dec 2027"] == 83_334 + 25_000
    # By quarter, the months added up: Q4 2026 holds October to December 2026's visits, the
    # chain of January to March 2027's 3 customers (10 x 3/12 = 2.5, rounded up):
    # 3 / 0.5 / 0.4 / 0.2 / 0.2 / 0.015 = 25,000; Q4 2027 next year's first 3 (8,333 +
    # 8,333 + 8,334); the 8 quarters add up to the running total's 108,334.
    quarter_labels = values["TimelineQuarterLabels"].ravel().tolist()
    assert quarter_labels == [f"Q{q} {y}" for y in (2026, 2027) for q in range(1, 5)]
    quarters = dict(zip(quarter_labels, values["TimelineQuarterly"][0], strict=True))
    assert [quarters[q] for q in ("Q3 2026", "Q4 2026", "Q4 2027")] == [0, 25_000, 25_000]
    assert sum(quarters.values()) == 83_334 + 25_000


def test_a_fiscal_year_from_april_labels_the_sheet_as_finance_writes_it(evaluated):
    # FY2028 from April, named by its end year: April 2027 to March 2028. The timeline's
    # 24 months start with FY2027's first, April 2026; the plan year's first is April 2027,
    # its last March 2028. The quarters are FY2028's; the volumes are the calendar plan's.
    inputs = one_plan.PlanInputs(plan_year=2028, fiscal_year_start=4, lag_days=(0, 10, 20, 15, 45))
    values = evaluated.calculate(inputs)
    assert_agree(values, inputs)
    labels = values["TimelineLabels"].ravel().tolist()
    assert [labels[0], labels[12], labels[21], labels[23]] == [
        "Apr 2026", "Apr 2027", "Jan 2028", "Mar 2028"]  # fmt: skip
    assert values["MonthLabels"].ravel().tolist()[:4] == ["Apr", "May", "Jun", "Jul"]
    assert values["QuarterLabels"].ravel().tolist() == ["Q1 FY2028", "Q2 FY2028", "Q3 FY2028",
                                                        "Q4 FY2028"]  # fmt: skip
    assert evaluated.formula_cells(inputs)["A1"] == "Marketing plan FY2028"
    calendar = evaluated.calculate(inputs.replace(plan_year=2027, fiscal_year_start=1))
    assert values["RequiredMonthly"].tolist() == calendar["RequiredMonthly"].tolist()
    # Named by its start year, the same months are FY2027.
    by_start = inputs.replace(plan_year=2027, fiscal_year_named_by="start")
    by_start_values = evaluated.calculate(by_start)
    assert_agree(by_start_values, by_start)
    assert by_start_values["TimelineLabels"].ravel().tolist() == labels
    assert by_start_values["QuarterLabels"].ravel().tolist()[0] == "Q1 FY2027"
    # The timeline's quarters: the year before's, then the plan year's.
    quarters = values["TimelineQuarterLabels"].ravel().tolist()
    assert [quarters[0], quarters[4], quarters[7]] == ["Q1 FY2027", "Q1 FY2028", "Q4 FY2028"]
    assert by_start_values["TimelineQuarterLabels"].ravel().tolist()[4] == "Q1 FY2027"


@pytest.mark.parametrize("start", [13, 0, 4.5, "April"])
def test_a_fiscal_year_that_does_not_start_in_a_month_makes_its_labels_errors(evaluated, start):
    # Typed past the cell's validation: the labels that depend on it say #N/A or #VALUE!.
    cells = evaluated.formula_cells(one_plan.PlanInputs(fiscal_year_start=start))
    # The title, Q1, the first month, the timeline's first quarter and first month.
    grid = PlanGrid(6)
    timeline = grid.timeline
    for ref in ("A1", f"E{grid.funnel_header}", f"C{grid.monthly_header}",
                f"E{timeline.quarter_header_row}", f"E{timeline.header_row}"):  # fmt: skip
        assert str(cells[ref]).startswith("#"), (ref, cells[ref])


def test_a_fiscal_year_named_neither_by_its_end_nor_its_start_makes_its_months_errors(evaluated):
    cells = evaluated.formula_cells(one_plan.PlanInputs(fiscal_year_named_by="middle"))
    assert str(cells[f"E{PlanGrid(6).timeline.header_row}"]).startswith("#")


def test_seed_example_exact_monthly_volumes(evaluated):
    # Contract: 9 customers a year exactly -> 6250 / 93.75 / 18.75 / 3.75 / 1.5 / 0.75 a month.
    inputs = one_plan.PlanInputs(revenue_goal=9 * 1.1e6, whole_numbers=False)
    values = evaluated.calculate(inputs)
    assert values["RequiredMonthly"][:, 0].tolist() == pytest.approx(
        [6250, 93.75, 18.75, 3.75, 1.5, 0.75], rel=1e-12
    )
    assert_agree(values, inputs)


rates = st.floats(min_value=0.001, max_value=1.0)
plan_inputs = st.builds(
    one_plan.PlanInputs,
    revenue_goal=st.floats(min_value=1e4, max_value=1e9),
    deal_size=st.floats(min_value=100, max_value=1e6),
    rates=st.tuples(rates, rates, rates, rates, rates),
    marketing_budget=st.floats(min_value=1.0, max_value=1e8),
    gross_margin=st.floats(min_value=0.0, max_value=1.0),
    churn_rate=st.floats(min_value=0.01, max_value=1.0),
    discount_rate=st.floats(min_value=0.0, max_value=0.5),
    whole_numbers=st.booleans(),
    seasonality=st.tuples(*[st.floats(min_value=0.0, max_value=10.0)] * 12).filter(
        lambda w: sum(w) > 0.1
    ),
    lag_days=st.tuples(*[st.floats(min_value=0.0, max_value=70.0)] * 5),
    growth=st.floats(min_value=-1.0, max_value=2.0),
    close_rate_curve=st.lists(st.floats(0.0, 0.3), min_size=1, max_size=13)
    .filter(lambda c: 0 < sum(c) <= 1)
    .map(tuple),
    opportunities_created=st.lists(st.none() | st.floats(0.0, 1e4), max_size=24).map(tuple),
    plan_year=st.integers(1901, 2199),
    fiscal_year_start=st.integers(1, 12),
    fiscal_year_named_by=st.sampled_from(["end", "start"]),
).filter(
    # The evaluator's ROUND gives #VALUE! past about 1e22 (Excel's does not); plans that
    # size (a billion-dollar goal at 0.1 % rates) say nothing more than smaller ones.
    lambda p: p.revenue_goal / p.deal_size / math.prod(p.rates) * (1 + p.growth) < 1e21
)


# 15 drawn plans here and 15 more in test_formulas_agree_for_drawn_inputs.py (a file of its
# own, so the two halves run on both cores): each recalculation of the Plan and Pipeline
# sheets takes ~2.5 s, and the suite must stay within 10 minutes on two cores (new plans
# are drawn on every run).
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs=plan_inputs)
def test_formulas_agree_with_the_engine_for_drawn_inputs(evaluated, inputs):
    assert_agree(evaluated.calculate(inputs), inputs)
    assert_pipeline_agrees(evaluated, inputs)


def test_another_stage_count_agrees(tmp_path):
    inputs = one_plan.PlanInputs(
        stages=("Leads", "SQL", "Won"), rates=(0.1, 0.25), revenue_goal=2e6, deal_size=5e4
    )
    evaluated = EvaluatedPlan(tmp_path, inputs)
    values = evaluated.calculate(inputs)
    assert_agree(values, inputs)
    # 2,000,000 / 50,000 = 40 won; / 0.25 = 160 SQL; / 0.1 = 1,600 leads.
    assert values["RequiredAnnual"].ravel().tolist() == [1600, 160, 40]
    assert math.isclose(values["PlannedCAC"][0, 0], 600_000 / 40)


def assert_cached_values_match(evaluated, inputs):
    computed = evaluated.formula_cells(inputs)
    cached = plan_book.cached_values(inputs)
    assert cached.keys() == computed.keys()
    for ref, value in cached.items():
        if isinstance(value, str):
            assert computed[ref] == value, ref
        else:
            assert math.isclose(computed[ref], value, rel_tol=1e-9, abs_tol=1e-12), ref


def test_cached_values_of_every_formula_cell_match_the_evaluator(evaluated):
    assert_cached_values_match(evaluated, one_plan.PlanInputs())


def test_a_year_of_lags_is_12_months_ahead_and_more_is_na(evaluated):
    # MonthsAhead is ROUNDUP(days x 12 / 365): 365 days of lags below the visits are
    # exactly 12 months (the longest the engine and the sheet allow); a day more is 12.03,
    # 13 months, which the sheet shows as #N/A (the engine refuses it).
    year = one_plan.PlanInputs(lag_days=(365, 0, 0, 0, 0))
    values = evaluated.calculate(year)
    assert values["MonthsAhead"].ravel().tolist() == [12, 0, 0, 0, 0, 0]
    assert_agree(values, year)
    longer = one_plan.PlanInputs(lag_days=(366, 0, 0, 0, 0))
    (ahead,) = [n for n in plan_book.plan_workbook(longer).names if n.name == "MonthsAhead"]
    first = ahead.ref.split(":")[0].replace("$", "")
    assert str(evaluated.cell(longer, None, plan.PLAN, first)) == "#N/A"
