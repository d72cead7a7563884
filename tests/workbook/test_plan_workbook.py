"""The generated plan workbook: templates in sync, deterministic, named, styled, validated."""

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kpi_engine import KPIInputError
from kpi_planner.files import atomic
from kpi_planner.plan import one_plan
from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook import templates
from kpi_planner.workbook.render import xlsx
from kpi_planner.workbook.sheets.catalog import CATALOG, KPI_CATALOG
from kpi_planner.workbook.sheets.plan import layout as plan
from tests.workbook.sheets.company.examples import two_regions_and_partners

ROOT = Path(__file__).resolve().parents[2]
WORKBOOKS = ROOT / "workbooks"
README = (ROOT / "README.md").read_text(encoding="utf-8")

REQUIRED_NAMES = {
    "RevenueGoal", "DealSize", "StageNames", "StageRates", "MarketingBudget", "CustomersNeeded",
    "RequiredAnnual", "RequiredMonthly",
}  # fmt: skip

#: Native Excel functions only: the plan must work without the add-in, in Excel on the web
#: and in LibreOffice.
NATIVE_FUNCTIONS = {"IF", "ROUND", "ROUNDUP", "SUM", "INDEX", "MIN", "MEDIAN", "MOD", "NA", "AND",
                    "INT", "MID"}  # fmt: skip


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    path = xlsx.save(plan_book.plan_workbook(), tmp_path_factory.mktemp("wb") / "plan.xlsx")
    return path, openpyxl.load_workbook(path)


def test_committed_templates_match_the_code():
    # If this fails, run `kpi-planner templates` and commit the result.
    assert templates.stale_templates(WORKBOOKS) == []


def test_generation_is_byte_identical_run_to_run(tmp_path):
    first = xlsx.save(plan_book.plan_workbook(), tmp_path / "a.xlsx").read_bytes()
    second = xlsx.save(plan_book.plan_workbook(), tmp_path / "b.xlsx").read_bytes()
    assert first == second


def test_required_defined_names_and_their_shapes(saved):
    _, book = saved
    names = book.defined_names
    assert set(names) >= REQUIRED_NAMES
    shapes = {}
    for name in ["StageNames", "StageRates", "RequiredAnnual", "RequiredMonthly"]:
        (sheet, ref), *_ = names[name].destinations
        assert sheet == plan.PLAN
        cells = book[sheet][ref]
        shapes[name] = (len(cells), len(cells[0])) if isinstance(cells[0], tuple) else (1, 1)
    assert shapes == {
        "StageNames": (6, 1),
        "StageRates": (5, 1),
        "RequiredAnnual": (6, 1),
        "RequiredMonthly": (6, 12),
    }


def test_readme_documents_every_defined_name():
    for name in plan_book.plan_workbook(company=two_regions_and_partners()).names:
        assert f"`{name.name}`" in README, name.name


def test_inputs_are_filled_in_and_formulas_are_native(saved):
    _, book = saved
    sheet = book[plan.PLAN]
    values = {defined: book.defined_names[defined].attr_text for defined in ["RevenueGoal"]}
    assert values["RevenueGoal"] == "Plan!$B$6"
    assert sheet["B6"].value == 10_000_000
    formulas = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)
                and c.value.startswith("=")]  # fmt: skip
    assert len(formulas) > 100
    used = {f for formula in formulas for f in re.findall(r"([A-Z][A-Z0-9.]*)\(", formula)}
    assert used <= NATIVE_FUNCTIONS
    assert sheet["B18"].value == "=RevenueGoal/DealSize"


#: Every function the workbook's sheets use: all in Excel since 2007, Excel on the web and
#: LibreOffice (no dynamic arrays, no LAMBDA); README lists them.
WORKBOOK_FUNCTIONS = {"ABS", "AND", "COUNT", "COUNTA", "COUNTIF", "IF", "IFERROR", "INDEX", "INT",
                      "ISNA", "ISNUMBER", "ISTEXT", "LEFT", "LEN", "MATCH", "MAX", "MEDIAN", "MID",
                      "MIN", "MOD", "NA", "NOT", "OR", "PRODUCT", "ROUND", "ROUNDUP", "ROW", "SUM",
                      "SUMIF", "SUMPRODUCT", "TEXT", "TODAY", "TRIM", "VLOOKUP"}  # fmt: skip


def test_every_sheet_uses_only_the_functions_readme_lists():
    book = plan_book.plan_workbook(company=two_regions_and_partners())  # and a Company sheet
    used = {f for sheet in book.sheets for cell in sheet.cells if cell.is_formula
            for f in re.findall(r"([A-Z][A-Z0-9.]*)\(", cell.value)}  # fmt: skip
    assert used <= WORKBOOK_FUNCTIONS
    listed = README.split("Every calculated cell is a live, native Excel formula")[1][:600]
    assert all(f"`{name}`" in listed for name in WORKBOOK_FUNCTIONS), listed


def test_input_cells_look_different_from_formula_cells(saved):
    _, book = saved
    sheet = book[plan.PLAN]
    input_fill = sheet["B6"].fill.start_color.rgb  # revenue goal
    formula_fill = sheet["D26"].fill.start_color.rgb  # cost target
    assert input_fill != formula_fill
    assert sheet["B6"].font.color.rgb == "000000FF"  # blue: typed in
    assert sheet["D26"].font.color is None  # automatic (black): calculated
    assert sheet["B26"].number_format == plan.PERCENT
    assert sheet["C26"].number_format == plan.VOLUME


def test_page_setup_freeze_panes_validation_and_chart(saved):
    path, book = saved
    sheet = book[plan.PLAN]
    assert sheet.freeze_panes == "B3"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_area
    rules = sheet.data_validations.dataValidation
    validated = {str(v.sqref): (v.type, v.formula1, v.formula2) for v in rules}
    assert validated["B26:B30"] == ("decimal", "0", "1")  # the five rates
    with zipfile.ZipFile(path) as archive:
        chart = archive.read("xl/charts/chart3.xml").decode()  # after the Summary's two
    assert '<barDir val="bar" />' in chart
    assert '<logBase val="10" />' in chart
    assert "$C$26:$C$31" in chart


def test_kpi_catalog_sheet(saved):
    _, book = saved
    catalog = book[CATALOG]
    stages = {catalog.cell(row, 1).value for row in range(5, 5 + len(KPI_CATALOG))}
    assert {"Attract", "Convert", "Close", "Delight"} <= stages
    kpis = [catalog.cell(row, 2).value for row in range(5, 5 + len(KPI_CATALOG))]
    assert "Net Promoter Score (NPS)" in kpis


def test_the_kpi_catalog_names_excel_functions_the_add_in_has_not_python_ones():
    # Issue 35: a marketer reads "CAC", the function they type, not kpi_engine's cac_payback.
    import re

    vba = (ROOT / "addin" / "vba" / "KpiPlannerFunctions.bas").read_text(encoding="utf-8")
    functions = set(re.findall(r"Function ([A-Z_]+)\(", vba))
    named = {
        name for *_, where in KPI_CATALOG for name in re.findall(r"\b[A-Z][A-Z_]{2,}\b", where)
    }
    assert named
    assert named <= functions, named - functions
    assert not [where for *_, where in KPI_CATALOG if re.search(r"[a-z]+_[a-z]+", where)]


def test_bad_inputs_name_the_plan_input():
    with pytest.raises(KPIInputError) as err:
        one_plan.plan_outputs(
            one_plan.PlanInputs(marketing_budget=0, rates=(0.015, 20, 0.2, 0.4, 0.5))
        )
    message = str(err.value)
    assert "rates[1] (Leads -> MQL) = 20: must be a fraction between 0 and 1" in message
    assert "marketing_budget = 0: ROI is undefined" in message


def test_atomic_write_keeps_the_old_file_when_the_write_fails(tmp_path, monkeypatch):
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"old")

    def fail(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        xlsx.save(plan_book.plan_workbook(), target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.xlsx"]


def test_whole_number_volumes_show_no_decimals_and_exact_ones_do(saved):
    # Issue 13: "8,334.00" visits and "1.00 customer" in a whole-number plan. The volumes
    # take "#,##0" while WholeNumbers is TRUE and "#,##0.00" while it is FALSE (a zero as
    # "-", issue 13's placeholders); the
    # customers needed before rounding (B18) and the costs per unit (D26:D31) keep theirs.
    _, book = saved
    rules = {}
    for formatting in book[plan.PLAN].conditional_formatting:
        for rule in formatting.rules:
            rules[rule.formula[0]] = (str(formatting.sqref).split(), rule.dxf.numFmt.formatCode)
    whole_ranges, whole_format = rules["WholeNumbers"]
    assert whole_format == "#,##0"
    assert rules["NOT(WholeNumbers)"] == (whole_ranges, "#,##0.00;-#,##0.00;-")
    # The funnel, its quarters and months, the timeline by quarter, by month and running.
    for volume in ("C26", "E26:H26", "C35:N35", "E43:L43", "D51:AB51", "E60:AB60"):
        assert volume in whole_ranges
    assert not {"B18", "D26", "D31"} & set(whole_ranges)
    assert not any(r.startswith("D2") for r in whole_ranges)


def test_whole_numbers_show_whole_on_the_pipeline_and_channels_sheets():
    # Issue 35: the plan's 2 opportunities a month read "2", not "2.0", and the Channels
    # sheet's customers to win "10", not "10.0", while WholeNumbers is TRUE; in exact
    # plans they keep two decimals.
    from kpi_planner.workbook.sheets.channels.grid import CHANNELS, CUSTOMERS_ROW
    from kpi_planner.workbook.sheets.pipeline.grid import (
        COUNTED_ROW,
        NEEDED_ROW,
        PIPELINE,
        PLANNED_ROW,
    )

    def rules(book, title):
        sheet = next(s for s in book.sheets if s.title == title)
        return {rule.formula: rule for rule in sheet.conditional_formats}

    for whole in (True, False):
        book = plan_book.plan_workbook(one_plan.PlanInputs(whole_numbers=whole))
        pipeline, channels = rules(book, PIPELINE), rules(book, CHANNELS)
        for found in (pipeline, channels):
            assert found["WholeNumbers"].number_format == "#,##0"
            assert found["WholeNumbers"].holds is whole
            assert found["NOT(WholeNumbers)"].holds is not whole
        spans = pipeline["WholeNumbers"].ranges.split()
        assert f"C{PLANNED_ROW}:Z{PLANNED_ROW}" in spans
        assert f"O{NEEDED_ROW}:AA{NEEDED_ROW}" in spans
        # The opportunities counted are the typed ones where typed: 2.5 shows 2.5.
        assert not [span for span in spans if span.endswith(str(COUNTED_ROW))]
        assert channels["WholeNumbers"].ranges == f"B{CUSTOMERS_ROW}"  # not the unit costs


def test_the_top_stage_saved_on_what_if_shows_whole_in_a_whole_number_plan():
    # Issue 35: "Visits saved" read 6,587.62 in a whole-number plan. It is a difference of
    # the mix's exact volumes; while WholeNumbers is TRUE it shows as the sheet's other
    # volumes do, without decimals (0 stays 0: "#,##0").
    from kpi_planner.workbook.sheets.whatif.grid import TOP_SAVED, WHATIF, WhatIfGrid

    for whole in (True, False):
        book = plan_book.plan_workbook(one_plan.PlanInputs(whole_numbers=whole))
        sheet = next(s for s in book.sheets if s.title == WHATIF)
        grid = WhatIfGrid(6)
        column = f"{TOP_SAVED}{grid.first_lever_row}:{TOP_SAVED}{grid.last_lever_row}"
        (rule,) = [r for r in sheet.conditional_formats if r.ranges == column]
        assert (rule.formula, rule.number_format, rule.holds) == ("WholeNumbers", "#,##0", whole)
