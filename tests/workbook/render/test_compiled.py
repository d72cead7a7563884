"""The compiled template writes what the openpyxl path writes, plus correct cached values."""

import io
import math
import re
import zipfile

import formulas
import openpyxl
import pytest

from kpi_planner.plan import one_plan
from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook.render import compiled as fast
from kpi_planner.workbook.render import xlsx, zip_parts
from kpi_planner.workbook.sheets.catalog import CATALOG
from kpi_planner.workbook.sheets.pipeline import grid as pipeline
from kpi_planner.workbook.sheets.plan import layout as plan
from kpi_planner.workbook.sheets.tracking import empty_values as empty_state
from tests.workbook.evaluate import EvaluatedPlan

CASES = [
    one_plan.PlanInputs(),
    one_plan.PlanInputs(whole_numbers=False, revenue_goal=9 * 1.1e6, plan_year=2030,
                        stages=("Web & <social>", "Leads", "MQL", "SQL", "Opps", "Won"),
                        seasonality=(1, 1, 2, 2, 1, 1, 0.5, 0.5, 1, 1, 2, 3)),
    # The timeline with lags and growth: its lead-in and next year's months are cached too.
    one_plan.PlanInputs(lag_days=(0, 10, 20, 15, 45), growth=0.25,
                        seasonality=(1, 1, 2, 2, 1, 1, 0.5, 0.5, 1, 1, 2, 3),
                        close_rate_curve=(0.1, 0.3, 0.2), opportunities_created=(5.0, None, 7.5)),
]  # fmt: skip


def fast_workbook(compiled, inputs) -> bytes:
    row = one_plan.scenario_row(inputs)
    return compiled.workbook(row, fast.outputs_of(row, one_plan.plan_outputs(inputs).by_name()))


@pytest.fixture(scope="module")
def compiled():
    return fast.CompiledPlan(6)


@pytest.mark.parametrize("inputs", CASES)
def test_fast_path_has_the_same_cells_as_the_openpyxl_path(compiled, inputs):
    reference = openpyxl.load_workbook(io.BytesIO(xlsx.xlsx_bytes(plan_book.plan_workbook(inputs))))
    filled = openpyxl.load_workbook(io.BytesIO(fast_workbook(compiled, inputs)))
    assert filled.sheetnames == reference.sheetnames
    for name in reference.sheetnames:
        want, got = reference[name], filled[name]
        assert got.max_row == want.max_row
        assert got.max_column == want.max_column
        for row_want, row_got in zip(want.iter_rows(), got.iter_rows(), strict=True):
            for a, b in zip(row_want, row_got, strict=True):
                assert (b.value, b.number_format) == (a.value, a.number_format), a.coordinate
                assert b.style_id == a.style_id, a.coordinate
    assert dict(filled.defined_names.items()).keys() == dict(reference.defined_names.items()).keys()


@pytest.mark.parametrize("inputs", CASES)
def test_cached_values_equal_the_independent_evaluator(compiled, inputs, tmp_path):
    model = EvaluatedPlan(tmp_path, inputs)
    cached = openpyxl.load_workbook(io.BytesIO(fast_workbook(compiled, inputs)), data_only=True)
    for title, evaluated in ((plan.PLAN, model.formula_cells(inputs)),
                             (pipeline.PIPELINE, model.pipeline_cells(inputs))):  # fmt: skip
        sheet = cached[title]
        assert len(evaluated) > 100
        for ref, value in evaluated.items():
            got = sheet[ref].value
            if isinstance(value, str):
                assert (got or "") == value, (title, ref)
            else:
                assert math.isclose(got, value, rel_tol=1e-9, abs_tol=1e-12), (title, ref)


# The months' and quarters' headers of a plan year 2030 that starts in April, named by its
# end year (FY2030 = Apr 2029 - Mar 2030), as finance writes them; and a calendar year's.
APRIL = (["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"],
         ["Q1 FY2030", "Q2 FY2030", "Q3 FY2030", "Q4 FY2030"])  # fmt: skip
CALENDAR = (["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
            ["Q1", "Q2", "Q3", "Q4"])  # fmt: skip


@pytest.fixture(scope="module")
def calendar_model(compiled, tmp_path_factory):
    """The filled workbook of CASES[1] (a calendar year) compiled by `formulas` once: a
    fiscal year from April is its FiscalYearStart typed over (compiling costs ~20 s)."""
    path = tmp_path_factory.mktemp("tracking") / "filled.xlsx"
    path.write_bytes(fast_workbook(compiled, CASES[1].replace(fiscal_year_start=1)))
    return formulas.ExcelModel().loads(str(path)).finish()


@pytest.mark.parametrize(("fiscal_year_start", "labels"), [(1, CALENDAR), (4, APRIL)])
def test_tracking_sheets_carry_their_empty_state_as_cached_values(
    compiled, calendar_model, fiscal_year_start, labels
):
    # A new plan has no actuals: every formula of Actuals and Diagnosis has a cached value,
    # and the evaluator computes the same from the file; their months and quarters are the
    # plan's (a fiscal year's from its first month).
    from kpi_planner.workbook.sheets.tracking import layout as tracking
    from kpi_planner.workbook.sheets.tracking.channel_actuals import CHANNEL_ACTUALS

    inputs = CASES[1].replace(fiscal_year_start=fiscal_year_start)
    data = fast_workbook(compiled, inputs)
    cached = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    expected = empty_state.values_without_actuals(
        inputs.stages, channel_names=[c.name for c in inputs.channels], entry=inputs.entry,
        month_labels=labels[0], quarter_labels=labels[1],
    )  # fmt: skip
    grid = tracking.TrackingGrid(len(inputs.stages))
    assert [expected[tracking.ACTUALS][f"{c}5"] for c in "CDEFGHIJKLMN"] == labels[0]
    assert expected[tracking.DIAGNOSIS][f"F{grid.quarterly_header_row}"] == labels[1][3]
    assert expected[CHANNEL_ACTUALS]["A8"] == inputs.channels[0].name
    assert expected[tracking.DIAGNOSIS]["B13"] == tracking.NO_ACTUALS
    # Only the tracking sheets' cells (and what they read) are computed: the What-if and
    # Summary sheets' thousands of formulas are the other tests'.
    wanted = [f"'[filled.xlsx]{title.upper()}'!{ref}" for title, values in expected.items()
              for ref in values]  # fmt: skip
    (start,) = (ref for ref, (column, _) in plan.input_cells(6).items()
                if column == "fiscal_year_start")  # fmt: skip
    fiscal = {f"'[filled.xlsx]PLAN'!{start}": fiscal_year_start}
    solution = calendar_model.calculate(inputs=fiscal, outputs=wanted)
    for title, values in expected.items():
        for ref, value in values.items():
            got = cached[title][ref].value
            evaluated = solution[f"'[filled.xlsx]{title.upper()}'!{ref}"].value[0][0]
            evaluated = evaluated.item() if hasattr(evaluated, "item") else evaluated
            assert got == value or (got is None and value == ""), (title, ref)
            assert evaluated == value or (evaluated in ("", None) and value == ""), (title, ref)


def test_the_archive_is_valid_and_deterministic(compiled):
    first = fast_workbook(compiled, CASES[0])
    assert first == fast_workbook(compiled, CASES[0])
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.testzip() is None
        reference = zipfile.ZipFile(io.BytesIO(xlsx.xlsx_bytes(plan_book.plan_workbook(CASES[0]))))
        assert archive.namelist() == reference.namelist()
        # every part but the filled sheets (all but the catalog, the last) is the template's
        titles = [sheet.title for sheet in plan_book.plan_workbook(CASES[0]).sheets]
        catalog = f"sheet{titles.index(CATALOG) + 1}.xml"
        for name in archive.namelist():
            if not name.startswith("xl/worksheets/sheet") or name.endswith(catalog):
                assert archive.read(name) == reference.read(name), name


def test_the_standard_zlib_writes_the_same_workbook_as_isal(compiled, monkeypatch):
    # Without the [fast] extra the standard library deflates each workbook: the bytes of
    # the compressed parts differ, their content must not.
    import zlib

    with_isal = fast_workbook(compiled, CASES[2])
    monkeypatch.setattr(zip_parts, "per_workbook_zlib", zlib)
    with_zlib = fast_workbook(compiled, CASES[2])
    first, second = (zipfile.ZipFile(io.BytesIO(data)) for data in (with_isal, with_zlib))
    assert first.testzip() is None
    assert second.testzip() is None
    assert first.namelist() == second.namelist()
    for name in first.namelist():
        assert first.read(name) == second.read(name), name


def test_empty_channel_names_from_a_table_share_one_cached_tracking_render():
    # A table's empty cell is NaN, which equals nothing: rows with the same channels must
    # still reuse one render of the tracking sheets, not render them again each row.
    compiled = fast.CompiledPlan(6)
    inputs = CASES[0]
    by_name = one_plan.plan_outputs(inputs).by_name()
    for _ in range(3):
        row = one_plan.scenario_row(inputs) | {f"chname_{i}": float("nan") for i in range(4, 9)}
        compiled.workbook(row, fast.outputs_of(row, by_name))
    assert len(compiled._tracking_parts) == 1


@pytest.mark.parametrize("inputs", CASES)
def test_every_formula_cell_carries_a_cached_value(compiled, inputs):
    # README: every formula cell of a filled workbook carries its value. The formulas of
    # unused channel and lever rows (whose results show "") had none: 527 to 550 cells of
    # the Channels and What-if sheets, empty in previews, pandas and LibreOffice.
    with zipfile.ZipFile(io.BytesIO(fast_workbook(compiled, inputs))) as archive:
        parts = [n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        assert len(parts) >= 9
        for part in parts:
            cells = re.findall(r'<c r="([A-Z]+\d+)"[^>]*?(?:/>|>(.*?)</c>)',
                               archive.read(part).decode())  # fmt: skip
            bare = [ref for ref, body in cells if "<f" in body and "<v" not in body]
            assert bare == [], (part, len(bare), bare[:5])
