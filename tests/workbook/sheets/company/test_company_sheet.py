"""The Company sheet's live formulas, computed by the independent `formulas` evaluator,
equal the engine's company plan (:func:`kpi_planner.company.plan.company_plan`) cell by
cell, equal hand arithmetic for issue 32's company, and show #N/A with the reason where
the engine refuses the inputs."""

from __future__ import annotations

import openpyxl
import pytest

from kpi_engine import KPIInputError
from kpi_planner.company.inputs import CompanyInputs, Segment
from kpi_planner.company.plan import company_plan
from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook.sheets.company import goal
from kpi_planner.workbook.sheets.company.grid import COMPANY, FUNNEL_ROWS
from kpi_planner.workbook.sheets.company.layout import company_grid, company_sheet

from .evaluate import EvaluatedCompany, assert_agrees, by_name, same
from .examples import goal_less_expansion, own_goals_only, two_regions_and_partners


@pytest.fixture(scope="module")
def regions(tmp_path_factory):
    return EvaluatedCompany(tmp_path_factory.mktemp("regions"), two_regions_and_partners())


def test_issue_32s_company_by_hand(regions):
    values = regions.formula_cells()

    def named(name):
        found = by_name(regions, values, name)
        return found[0] if len(found) == 1 else found

    # The bridge: 10,000,000 x (1.10 - 0.90) = 2,000,000 of expansion; 10,000,000 x
    # (1 - 0.90) = 1,000,000 lost; new logos 15,000,000 - 10,000,000 x 1.10 = 4,000,000;
    # 10 + 4 + 2 - 1 = 15 million at the end.
    assert named("Expansion") == pytest.approx(2_000_000)
    assert named("ChurnAndContraction") == pytest.approx(1_000_000)
    assert named("NewLogoGoal") == pytest.approx(4_000_000)
    assert named("EndingARR") == pytest.approx(15_000_000)
    assert named("CompanyGoalCheck") == ""
    # 50/30/20 % of 4,000,000 = 2,000,000 / 1,200,000 / 800,000; at 50,000, 50,000 and
    # 100,000 a deal: 40 + 24 + 8 = 72 customers.
    assert named("SegmentGoals")[:3] == pytest.approx([2_000_000, 1_200_000, 800_000])
    assert named("SegmentGoals")[3:] == [""] * 5  # the unused rows
    assert named("SegmentCustomers")[:3] == [40, 24, 8]
    assert named("SegmentGoalsTotal") == pytest.approx(4_000_000)
    assert named("SegmentsCheck") == ""
    # Up EMEA's funnel: 40 / 25 % = 160 opportunities, / 50 % = 320 SQL, / 50 % = 640 MQL,
    # / 20 % = 3,200 leads, / 2 % = 160,000 visits. The US: 24 / 25 % = 96, 192, / 40 % =
    # 480, / 20 % = 2,400, / 2.5 % = 96,000. Partners: 8 / 25 % = 32 deal registrations,
    # / 50 % = 64 leads. The company: each stage added where the names match.
    assert named("CompanyStages") == ["Visits", "Leads", "MQL", "SQL", "Opportunities",
                                      "Deal registrations", "Customers"]  # fmt: skip
    assert named("CompanyVolumes") == [160_000 + 96_000, 3_200 + 2_400 + 64, 640 + 480,
                                       320 + 192, 160 + 96, 32, 40 + 24 + 8]  # fmt: skip
    assert named("CompanyStageSegments") == [2, 3, 2, 2, 2, 1, 3]
    assert named("CompanyCustomers") == 72
    assert named("CompanyBudget") == 800_000
    # CAC 800,000 / 72; a visit costs the web regions' 700,000 / 256,000 visits.
    assert named("CompanyCAC") == pytest.approx(800_000 / 72)
    assert named("CompanyCostPerStage")[0] == pytest.approx(700_000 / 256_000)
    assert named("CompanyCostPerStage")[1] == pytest.approx(800_000 / 5_664)
    assert named("SegmentCAC")[:3] == pytest.approx([10_000, 12_500, 12_500])


def test_every_formula_cell_agrees_with_the_engine(regions):
    assert_agrees(regions, two_regions_and_partners())


def test_exact_volumes_when_the_plan_sheet_says_so(regions):
    # WholeNumbers typed FALSE on the Plan sheet: every segment's volumes exact.
    whole_numbers = regions.book.name("WholeNumbers").ref.replace("$", "")
    key = regions.key(whole_numbers, "Plan")
    _, _, engine, _ = plan_book.company_part(two_regions_and_partners(whole_numbers=False))
    solution = regions.model.calculate(
        inputs={key: False}, outputs=[regions.key(ref) for ref in engine]
    )
    computed = {ref: solution[regions.key(ref)].value[0][0] for ref in engine}
    assert {r: (computed[r], engine[r]) for r in engine if not same(computed[r], engine[r])} == {}


def test_the_roll_up_is_the_sum_of_the_segments(regions):
    # Each company stage's volume is the evaluated segments' volumes at a stage of its
    # name, added here in Python; the customers every segment's last stage.
    values = regions.formula_cells()
    grid = company_grid(company_plan(two_regions_and_partners()))
    volumes: dict[str, float] = {}
    for row in FUNNEL_ROWS:
        for k in range(grid.stages):
            name = regions.sheet_value(f"{grid.name_column(k)}{row}")
            if name:
                volume = values[f"{grid.volume_column(k)}{row}"]
                volumes[name] = volumes.get(name, 0) + volume
    stages = by_name(regions, values, "CompanyStages")
    totals = by_name(regions, values, "CompanyVolumes")
    assert dict(zip(stages, totals, strict=True)) == volumes
    customers = [v for v in by_name(regions, values, "SegmentCustomers") if v != ""]
    assert by_name(regions, values, "CompanyCustomers") == [sum(customers)] == [72]


def test_shares_that_do_not_add_up_show_the_reason(regions):
    # EMEA at 60 % instead of 50 %: 2,400,000 + 1,200,000 + 800,000 = 4,400,000.
    values = regions.formula_cells({"C21": 0.6})
    assert by_name(regions, values, "SegmentGoalsTotal") == ["#N/A"]
    assert by_name(regions, values, "SegmentsCheck") == [
        "The segments' goals add up to 4,400,000, not the new-logo goal of 4,000,000: make "
        "the shares and own goals add up to it."
    ]
    company = two_regions_and_partners()
    emea = company.segments[0]
    wrong = CompanyInputs(company.company, (Segment(emea.name, emea.plan, emea.kind, 0.6),
                                            *company.segments[1:]),
                          retention=company.retention)  # fmt: skip
    with pytest.raises(KPIInputError, match=r"add up to 4,400,000\.00"):
        company_plan(wrong)


@pytest.mark.parametrize(
    ("typed", "fault"),
    [
        ({"B6": 0.8}, "nrr"),  # NRR 80 % under GRR 90 %
        ({"B7": 1.2}, "grr"),
        ({"B8": 10e6}, "target"),  # below 10,000,000 x 1.10
        ({"B5": 0}, None),  # no ARR: new logos bring the whole target
    ],
)
def test_a_goal_the_engine_refuses_is_na_with_the_reason(regions, typed, fault):
    values = regions.formula_cells(typed)
    if fault is None:
        assert by_name(regions, values, "NewLogoGoal") == [15e6]
        return
    assert by_name(regions, values, "CompanyGoalCheck") == [goal.GOAL_CHECK_TEXT[fault]]
    assert by_name(regions, values, "NewLogoGoal") == ["#N/A"]
    assert by_name(regions, values, "SegmentsCheck") == [goal.SEGMENTS_CHECK_TEXT["goal"]]


def test_a_goal_less_expansion_with_own_goals_and_shares(tmp_path):
    # 9,000,000 - 3,000,000 of expansion = 6,000,000 for new logos: Enterprise's own
    # 1,500,000 and Mid-market's 75 % = 4,500,000.
    company = goal_less_expansion()
    evaluated = EvaluatedCompany(tmp_path, company)
    values = evaluated.formula_cells()
    assert by_name(evaluated, values, "NewLogoGoal") == [6e6]
    assert by_name(evaluated, values, "SegmentGoals")[:2] == [1.5e6, 4.5e6]
    # 1,500,000 / 117,000 = 12.82 -> 13 customers; 4,500,000 / 37,000 = 121.6 -> 122.
    assert by_name(evaluated, values, "SegmentCustomers")[:2] == [13, 122]
    assert_agrees(evaluated, company)
    # An expansion goal past the revenue goal, and a segment with neither goal nor share.
    values = evaluated.formula_cells({"B9": 10e6})
    assert by_name(evaluated, values, "CompanyGoalCheck") == [goal.GOAL_CHECK_TEXT["too much"]]
    values = evaluated.formula_cells({"C22": ""})
    assert values["J22"] == goal.ROW_CHECK_TEXT["no goal"]
    assert by_name(evaluated, values, "SegmentsCheck") == [goal.SEGMENTS_CHECK_TEXT["row"]]


def test_own_goals_without_a_company_goal(tmp_path):
    company = own_goals_only()
    evaluated = EvaluatedCompany(tmp_path, company)
    values = evaluated.formula_cells()
    assert by_name(evaluated, values, "NewLogoGoal") == [3.2e6]  # 2,000,000 + 1,200,000
    assert by_name(evaluated, values, "ChurnAndContraction") == [""]  # no bridge
    assert_agrees(evaluated, company)
    # A share with no company goal to be a share of.
    values = evaluated.formula_cells({"C21": 0.5})
    assert values["J21"] == goal.ROW_CHECK_TEXT["share of nothing"]


def test_the_file_carries_the_engines_values(regions):
    # As previews and pandas read it before anything recalculates.
    sheet = openpyxl.load_workbook(regions.path, data_only=True)[COMPANY]
    _, _, engine, _ = plan_book.company_part(two_regions_and_partners())
    cached = {ref: sheet[ref].value for ref in engine}
    assert {r: (cached[r], v) for r, v in engine.items()
            if not same(cached[r], v) and not (v == "" and cached[r] is None)} == {}  # fmt: skip
    assert cached["B15"] == 4_000_000


def test_a_plan_without_segments_has_no_company_sheet():
    book = plan_book.plan_workbook()
    assert COMPANY not in [sheet.title for sheet in book.sheets]
    assert book.cached == {}


def test_what_the_sheet_cannot_hold_is_refused():
    company = two_regions_and_partners()
    mixed = CompanyInputs(company.company, (
        *company.segments[:2],
        Segment("Partners", company.segments[2].plan.replace(whole_numbers=False), "source",
                0.2),
    ), retention=company.retention)  # fmt: skip
    with pytest.raises(KPIInputError, match="segment 'Partners': whole_numbers"):
        company_sheet(mixed, company_plan(mixed))
    many = CompanyInputs(company.company, tuple(
        Segment(f"S{i}", company.company.replace(revenue_goal=1e6)) for i in range(9)))  # fmt: skip
    with pytest.raises(KPIInputError, match="more than the Company sheet's 8"):
        company_sheet(many, company_plan(many))


def test_a_six_stage_funnel_keeps_its_columns_wide_enough():
    # The seasonality's quarter weights print narrow (7), but a six-stage funnel's stage
    # names and volumes reach those columns: they keep their widths (the review's case).
    from kpi_planner.workbook.book import company_part
    from kpi_planner.workbook.sheets.company.grid import QUARTER_WEIGHT_COLUMNS
    from tests.workbook.sheets.company.examples import two_regions_and_partners

    sheet, _, _, _ = company_part(two_regions_and_partners())
    funnel = {c.ref.rstrip("0123456789") for c in sheet.cells if c.value in (
        "Opportunities", "Customers")}  # fmt: skip
    shared = funnel & set(QUARTER_WEIGHT_COLUMNS)
    assert shared  # six stages reach the weights' columns
    assert all(sheet.column_widths.get(c, 8.43) >= 8.43 for c in shared)
