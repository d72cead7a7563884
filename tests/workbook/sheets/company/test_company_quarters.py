"""The Company sheet's quarters, computed by the independent `formulas` evaluator: each
segment's volumes by quarter equal the engine's phasing (:func:`kpi_engine.phasing.
phase_core`, whole and exact) and hand arithmetic, follow the seasonality typed in, and the
company's quarters are the segments' added up by stage name, adding up to the year."""

from __future__ import annotations

import dataclasses

import pytest

from kpi_planner.company.inputs import CompanyInputs
from kpi_planner.company.plan import company_plan
from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook.sheets.company.layout import company_grid

from .evaluate import EvaluatedCompany, assert_agrees, block, by_name, same
from .examples import seasonal_segments, two_regions_and_partners


@pytest.fixture(scope="module")
def seasonal(tmp_path_factory):
    return EvaluatedCompany(tmp_path_factory.mktemp("seasonal"), seasonal_segments())


@pytest.fixture(scope="module")
def regions(tmp_path_factory):
    return EvaluatedCompany(tmp_path_factory.mktemp("regions"), two_regions_and_partners())


def segment_quarters(evaluated: EvaluatedCompany, company: CompanyInputs, values) -> dict:
    """(segment, stage) -> its four quarters and its year, as the sheet's rows show them."""
    grid = company_grid(company_plan(company))
    first, last = grid.segment_quarter_span
    rows = {}
    for row in range(first, last + 1):
        segment, stage, *volumes = (values[f"{c}{row}"] for c in "ABCDEFG")
        if stage != "":
            rows[segment, stage] = volumes
    return rows


def test_seasonal_quarters_by_hand(seasonal):
    values = seasonal.formula_cells()
    # Direct's months weigh 1, 1, 2 in every quarter: 4 a quarter. Channel's 1 x 6, 2 x 6:
    # 3, 3, 6 and 6.
    weights = block(seasonal, values, "SegmentQuarterWeights")
    assert weights[:2] == [[4, 4, 4, 4], [3, 3, 6, 6]]
    assert weights[2:] == [[""] * 4] * 6  # the unused rows
    quarters = segment_quarters(seasonal, seasonal_segments(), values)
    # Direct: 60 % of 5,000,000 / 41,000 = 73.2, so 74 customers; due by each quarter's end
    # 74 x 1/4 = 18.5 -> 19, 37, 55.5 -> 56, 74: quarters 19, 18, 19, 18.
    assert quarters["Direct", "Customers"] == [19, 18, 19, 18, 74]
    # Opportunities at 27 %: due 19 / .27 = 70.4 -> 71, 37 / .27 = 137.04 -> 138,
    # 56 / .27 = 207.4 -> 208, 74 / .27 = 274.07 -> 275: 71, 67, 70, 67.
    assert quarters["Direct", "Opportunities"] == [71, 67, 70, 67, 275]
    # Channel: 40 % of 5,000,000 / 73,000 = 27.4, so 28; due 28 x 3/18 = 4.67 -> 5,
    # 28 x 6/18 = 9.33 -> 10, 28 x 12/18 = 18.67 -> 19, 28: 5, 5, 9, 9. Deal registrations
    # at 29 %: 5 / .29 = 17.2 -> 18, 10 / .29 = 34.5 -> 35, 19 / .29 = 65.5 -> 66,
    # 28 / .29 = 96.6 -> 97; leads at 37 %: 18 / .37 = 48.6 -> 49, 35 / .37 = 94.6 -> 95,
    # 66 / .37 = 178.4 -> 179, 97 / .37 = 262.2 -> 263.
    assert quarters["Channel", "Customers"] == [5, 5, 9, 9, 28]
    assert quarters["Channel", "Deal registrations"] == [18, 17, 31, 31, 97]
    assert quarters["Channel", "Leads"] == [49, 46, 84, 84, 263]
    stages = by_name(seasonal, values, "CompanyStages")
    company = dict(zip(stages, block(seasonal, values, "CompanyQuarterly"), strict=True))
    assert company["Customers"] == [19 + 5, 18 + 5, 19 + 9, 18 + 9]
    assert company["Deal registrations"] == [18, 17, 31, 31]  # Channel's alone


def test_every_quarter_agrees_with_the_engine(seasonal):
    assert_agrees(seasonal, seasonal_segments())


def test_exact_quarters_when_the_plan_sheet_says_so(seasonal):
    # WholeNumbers typed FALSE on the Plan sheet: each quarter its share of the year's
    # exact customers, walked up the funnel by the rates.
    whole_numbers = seasonal.book.name("WholeNumbers").ref.replace("$", "")
    key = seasonal.key(whole_numbers, "Plan")
    _, _, engine, _ = plan_book.company_part(seasonal_segments(whole_numbers=False))
    solution = seasonal.model.calculate(
        inputs={key: False}, outputs=[seasonal.key(ref) for ref in engine]
    )
    computed = {ref: solution[seasonal.key(ref)].value[0][0] for ref in engine}
    assert {r: (computed[r], engine[r]) for r in engine if not same(computed[r], engine[r])} == {}
    quarters = segment_quarters(seasonal, seasonal_segments(), computed)
    # 3,000,000 / 41,000 = 73.17 customers, a quarter each; Channel's 27.40 by 3/18, 6/18.
    assert quarters["Direct", "Customers"][:4] == pytest.approx([3e6 / 41_000 / 4] * 4)
    channel = 2e6 / 73_000
    assert quarters["Channel", "Customers"][:4] == pytest.approx(
        [channel / 6, channel / 6, channel / 3, channel / 3]
    )


@pytest.mark.parametrize("example", ["seasonal", "regions"])
def test_the_company_quarters_are_the_segments_added_up(example, request):
    # Each company stage's quarters are the evaluated segments' quarters at a stage of its
    # name, added up here in Python; its quarters add up to the roll-up's year, and each
    # segment's quarters to its funnel's year.
    evaluated = request.getfixturevalue(example)
    company = {"seasonal": seasonal_segments, "regions": two_regions_and_partners}[example]()
    values = evaluated.formula_cells()
    added: dict[str, list[float]] = {}
    for (_, stage), (*quarters, year) in segment_quarters(evaluated, company, values).items():
        assert sum(quarters) == year
        added[stage] = [a + q for a, q in zip(added.get(stage, [0] * 4), quarters, strict=True)]
    stages = by_name(evaluated, values, "CompanyStages")
    rolled = dict(zip(stages, block(evaluated, values, "CompanyQuarterly"), strict=True))
    assert rolled == added
    years = by_name(evaluated, values, "CompanyVolumes")
    assert [sum(rolled[stage]) for stage in stages] == years


def test_the_quarters_follow_the_weights_typed_in(regions):
    # EMEA's months typed over as 1, 1, 2 in the first half and 3, 3, 3 in the second:
    # every cell is the engine's for EMEA planned with those weights.
    company = two_regions_and_partners()
    weights = (1.0, 1.0, 2.0, 1.0, 1.0, 2.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0)
    first_row = company_grid(company_plan(company)).seasonality_rows[0]
    typed = {f"{chr(ord('B') + m)}{first_row}": w for m, w in enumerate(weights)}
    emea = company.segments[0]
    seasonal = dataclasses.replace(emea, plan=emea.plan.replace(seasonality=weights))
    changed = dataclasses.replace(company, segments=(seasonal, *company.segments[1:]))
    assert_agrees(regions, changed, typed)
    # EMEA's 40 customers by weights 4, 4, 9, 9: due 40 x 4/26 = 6.15 -> 7,
    # 40 x 8/26 = 12.3 -> 13, 40 x 17/26 = 26.2 -> 27, 40: 7, 6, 14, 13.
    values = regions.formula_cells(typed)
    assert segment_quarters(regions, company, values)["EMEA", "Customers"] == [7, 6, 14, 13, 40]


def test_the_seasonality_months_follow_the_fiscal_year(tmp_path):
    # A fiscal year from April: the weights' first month is April, as the Plan sheet's.
    company = two_regions_and_partners()
    fiscal = company.company.replace(fiscal_year_start=4)
    company = dataclasses.replace(company, company=fiscal, segments=tuple(
        dataclasses.replace(s, plan=s.plan.replace(fiscal_year_start=4))
        for s in company.segments))  # fmt: skip
    evaluated = EvaluatedCompany(tmp_path, company)
    assert_agrees(evaluated, company)
    header = company_grid(company_plan(company)).seasonality_header
    values = evaluated.formula_cells()
    assert [values[f"{c}{header}"] for c in "BCM"] == ["Apr", "May", "Mar"]
