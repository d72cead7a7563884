"""Every generated sheet reads without help: nothing cut, hidden or looking like data (issue 13).

The layout check (``layout.py``) runs on each face that writes sheets: the committed
template, a ``build`` of a plan with its own funnel, fill's compiled path (with its cached
values, so the numbers' widths are checked too) and the sheets the ribbon's live renderer
draws. The last tests break a layout on purpose and show the check catches each defect.
"""

import dataclasses
import io
import re
from pathlib import Path

import openpyxl
import pytest
from openpyxl.formatting.formatting import ConditionalFormattingList

from kpi_planner.plan import one_plan
from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook import spec
from kpi_planner.workbook.render import compiled as fast
from kpi_planner.workbook.render import xlsx
from kpi_planner.workbook.sheets.catalog import CATALOG
from kpi_planner.workbook.sheets.plan import layout as plan
from kpi_planner.workbook.sheets.tracking import layout as tracking

from .layout import display, layout_problems, text_width

ROOT = Path(__file__).resolve().parents[2]

#: The plan's volumes: whole numbers in a whole-number plan, so never "8,334.00".
VOLUME_NAMES = ("RequiredAnnual", "RequiredQuarterly", "RequiredMonthly", "NextYearRequired",
                "TimelineMonthly", "TimelineRunning", "TimelineQuarterly")  # fmt: skip

EXACT_OWN_FUNNEL = one_plan.PlanInputs(
    whole_numbers=False, revenue_goal=9 * 1.1e6, plan_year=2030,
    stages=("Web & <social>", "Leads", "MQL", "SQL", "Opps", "Won"),
    seasonality=(1, 1, 2, 2, 1, 1, 0.5, 0.5, 1, 1, 2, 3),
)  # fmt: skip
BIG_LAGGED = one_plan.PlanInputs(revenue_goal=2.5e9, lag_days=(0, 10, 20, 15, 45), growth=0.25,
                                 close_rate_curve=(0.1, 0.3, 0.2))  # fmt: skip


def problems_of(data: bytes, change=None) -> list[str]:
    """The layout problems of every sheet of an .xlsx file, with its cached values if any;
    ``change`` edits the loaded workbook first (to break it on purpose)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    if change is not None:
        change(book)
    cached = openpyxl.load_workbook(io.BytesIO(data), data_only=True)

    def holds_on(values: dict[str, object]):
        def holds(formula: str) -> bool:
            # The conditional formats' formulas: a name, NOT(name), a cell's text ending in
            # given words (the What-if sheet's cost rows) or equal to them, read from the
            # cached values.
            if ending := re.fullmatch(r'RIGHT\(\$([A-Z]+)(\d+),(\d+)\)="(.*)"', formula):
                text = values.get(ending[1] + ending[2])
                words = ending[4]
                return isinstance(text, str) and text[-int(ending[3]) :].lower() == words.lower()
            if equal := re.fullmatch(r'\$([A-Z]+)(\d+)="(.*)"', formula):  # the deal size's row
                return values.get(equal[1] + equal[2]) == equal[3]
            if formula.startswith("MOD("):  # relative to each cell (Goals): each keeps its own
                return False
            negated = formula.startswith("NOT(")
            name = formula[4:-1] if negated else formula
            (sheet, ref), *_ = book.defined_names[name].destinations
            return bool(book[sheet][ref.replace("$", "")].value) != negated

        return holds

    volumes = [book.defined_names[name].attr_text.split("!")[1] for name in VOLUME_NAMES]
    problems = []
    for worksheet in book.worksheets:
        values = {cell.coordinate: cell.value for row in cached[worksheet.title].iter_rows()
                  for cell in row}  # fmt: skip
        holds = holds_on(values)
        whole = volumes if worksheet.title == plan.PLAN and holds("WholeNumbers") else ()
        problems += layout_problems(worksheet, values, holds=holds, whole_number_cells=whole)
    return problems


def test_the_committed_template_reads_cleanly():
    assert problems_of((ROOT / "workbooks" / "marketing-plan.xlsx").read_bytes()) == []


@pytest.mark.parametrize("inputs", [EXACT_OWN_FUNNEL, BIG_LAGGED], ids=["exact", "big"])
def test_a_built_plan_reads_cleanly(inputs):
    assert problems_of(xlsx.xlsx_bytes(plan_book.plan_workbook(inputs))) == []


@pytest.fixture(scope="module")
def compiled():
    return fast.CompiledPlan(6)


@pytest.mark.parametrize("inputs", [one_plan.PlanInputs(), EXACT_OWN_FUNNEL, BIG_LAGGED],
                         ids=["template", "exact", "big"])  # fmt: skip
def test_filled_workbooks_read_cleanly_with_their_numbers(compiled, inputs):
    # The cached values are what a reader sees first: every number fits its column, no
    # whole volume shows decimals, and nothing before actuals shows 0.00.
    row = one_plan.scenario_row(inputs)
    data = compiled.workbook(row, fast.outputs_of(row, one_plan.plan_outputs(inputs).by_name()))
    assert problems_of(data) == []


def test_the_sheets_the_live_renderer_draws_read_cleanly():
    # The ribbon's "Build plan sheet" and "Add tracking sheets" render these specs.
    inputs, empty = one_plan.PlanInputs(), tracking.TrackingInputs()
    stages = inputs.stages
    sheets = [plan.plan_sheet(inputs), tracking.actuals_sheet(stages, empty),
              tracking.diagnosis_sheet(stages, empty), tracking.goals_sheet()]  # fmt: skip
    book = spec.Workbook(tuple(sheet for sheet, _ in sheets),
                         tuple(name for _, names in sheets for name in names))  # fmt: skip
    assert problems_of(xlsx.xlsx_bytes(book)) == []


# -- the check fails on a broken layout ------------------------------------------------------


def replace_sheet(sheet_title: str, change) -> list[str]:
    book = plan_book.plan_workbook()
    sheets = tuple(change(s) if s.title == sheet_title else s for s in book.sheets)
    return problems_of(xlsx.xlsx_bytes(dataclasses.replace(book, sheets=sheets)))


def test_a_chart_over_a_table_is_caught():
    # The Diagnosis chart where it used to be: beside the focus area, over the monthly table.
    focus_row = tracking.TrackingGrid(6).focus_row
    moved = replace_sheet(tracking.DIAGNOSIS, lambda s: dataclasses.replace(
        s, charts=(dataclasses.replace(s.charts[0], anchor=f"E{focus_row}"),)))  # fmt: skip
    assert any(p.startswith("Diagnosis: a chart over E13:") for p in moved), moved


def test_a_wrapped_header_in_a_short_row_is_caught():
    moved = replace_sheet(tracking.DIAGNOSIS, lambda s: dataclasses.replace(s, row_heights={}))
    assert "Diagnosis!E5 'Plan rate to next' needs 2 lines (30 pt); the row is 15 pt" in moved


def test_text_cut_by_the_next_cell_is_caught():
    narrow = replace_sheet(CATALOG, lambda s: dataclasses.replace(
        s, column_widths={**s.column_widths, "D": 30}))  # fmt: skip
    assert any(p.startswith("KPI catalog!D21 'delivered / sent;") and p.endswith("cut by E21")
               for p in narrow), narrow  # fmt: skip


def test_whole_volumes_with_decimals_and_zero_placeholders_are_caught(compiled):
    # A filled workbook without the Plan's conditional formats shows "83,334.00" visits;
    # Diagnosis in the old volume format shows "0.00" before any actuals.
    inputs = one_plan.PlanInputs()
    row = one_plan.scenario_row(inputs)
    filled = compiled.workbook(row, fast.outputs_of(row, one_plan.plan_outputs(inputs).by_name()))

    def old_formats(book):
        book[plan.PLAN].conditional_formatting = ConditionalFormattingList()
        book[tracking.DIAGNOSIS]["B6"].number_format = "#,##0.00"

    found = problems_of(filled, old_formats)
    # C24 holds the year's visits: 10,000,000 / 1,200,000 = 8.33 -> 9 customers, up the
    # funnel 9 / 0.5 / 0.4 / 0.2 / 0.2 / 0.015 = 75,000 -> rounded up stage by stage 83,334.
    assert "Plan!C26 shows the whole number 83334 as '83,334.00'" in found
    assert "Diagnosis!B6 shows '0.00': a placeholder that looks like data" in found


def test_display_and_widths_follow_excel():
    # Independent: Excel shows 1234.5 in "#,##0.00" as 1,234.50, 0.153 in "0.0%" as 15.3%,
    # and a zero in a format with a zero section as that section's text.
    assert display(1234.5, "#,##0.00") == "1,234.50"
    assert display(0.153, "0.0%") == "15.3%"
    assert display(0, "#,##0.0;-#,##0.0;-") == "-"
    assert display(-2, "#,##0.0;-#,##0.0;-") == "-2.0"
    # Calibri 11: every digit 7.42 px (Carlito's advance width), so "0000" is 29.7 px.
    assert text_width("0000") == pytest.approx(4 * 7.42)
