"""fill --template: a user's own workbook is filled by defined name, everything else untouched."""

import hashlib
import io
import zipfile

import formulas
import numpy as np
import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName
from typer.testing import CliRunner

from kpi_engine import KPIInputError
from kpi_planner.batch import fill as batch
from kpi_planner.cli.main import app
from kpi_planner.plan import one_plan
from kpi_planner.workbook.render import compiled as fast
from kpi_planner.workbook.render import user_template

VBA = b"\xd0\xcf\x11\xe0 a VBA project, opaque to us"


def marketers_workbook(path):
    """The built-in plan as a marketer keeps it: filled (so formulas carry cached values),
    with a VBA project and a custom part of their own."""
    inputs = one_plan.PlanInputs(stages=("Visits", "Leads", "MQL", "SQL", "Opps", "Won"))
    row = one_plan.scenario_row(inputs)
    data = fast.CompiledPlan(6).workbook(
        row, fast.outputs_of(row, one_plan.plan_outputs(inputs).by_name())
    )
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(path, "w") as target:
        for entry in source.infolist():
            target.writestr(entry, source.read(entry.filename))
        target.writestr("xl/vbaProject.bin", VBA)
        target.writestr("customXml/item1.xml", "<notes>keep me</notes>")
    return path


def test_fill_from_a_users_workbook(tmp_path):
    template = marketers_workbook(tmp_path / "our-plan.xlsm")
    before = hashlib.sha256(template.read_bytes()).hexdigest()
    table = tmp_path / "regions.csv"
    table.write_text("Region,RevenueGoal,DealSize,StageRates2\nNordics,2000000,50000,0.25\n")
    result = CliRunner().invoke(
        app,
        ["fill", str(table), "--out", str(tmp_path / "out"), "--template", str(template),
         "--name-column", "Region", "--jobs", "1"],
        env={"COLUMNS": "250"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    output = tmp_path / "out" / "Nordics.xlsm"
    assert hashlib.sha256(template.read_bytes()).hexdigest() == before  # never modified

    with zipfile.ZipFile(output) as filled, zipfile.ZipFile(template) as original:
        assert filled.namelist() == original.namelist()
        assert filled.read("xl/vbaProject.bin") == VBA
        assert filled.read("customXml/item1.xml") == original.read("customXml/item1.xml")
        assert filled.read("xl/styles.xml") == original.read("xl/styles.xml")
        assert b'fullCalcOnLoad="1"' in filled.read("xl/workbook.xml")

    sheet = openpyxl.load_workbook(output)["Plan"]
    assert (sheet["B6"].value, sheet["B7"].value, sheet["B27"].value) == (2_000_000, 50_000, 0.25)
    assert sheet["A31"].value == "Won"  # the template's own stage names are kept
    assert sheet["C26"].value.startswith("=IF(WholeNumbers")
    # The template's cached results were for other inputs: gone, so nothing stale shows.
    assert openpyxl.load_workbook(output, data_only=True)["Plan"]["C26"].value is None

    # An independent evaluator computes, from the filled file, what the engine computes.
    wanted = [f"'[{output.name}]PLAN'!C{r}" for r in range(26, 32)]
    solution = formulas.ExcelModel().loads(str(output)).finish().calculate(outputs=wanted)
    cells = [solution[key].value[0][0] for key in wanted]
    expected = one_plan.plan_outputs(
        one_plan.PlanInputs(revenue_goal=2e6, deal_size=5e4, rates=(0.015, 0.25, 0.2, 0.4, 0.5),
                            stages=("Visits", "Leads", "MQL", "SQL", "Opps", "Won"))
    ).required_annual  # fmt: skip
    np.testing.assert_allclose(np.array(cells, dtype=float), expected, rtol=1e-9)


def test_a_column_the_template_does_not_define_is_refused(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Inputs"
    book.active["B2"] = 1_000_000
    book.defined_names["RevenueGoal"] = DefinedName("RevenueGoal", attr_text="Inputs!$B$2")
    book.save(tmp_path / "mine.xlsx")
    table = tmp_path / "t.csv"
    table.write_text("Name,RevenueGoal,DealSize\nA,5,6\n")
    with pytest.raises(KPIInputError, match="'DealSize': is not a defined name of the template"):
        batch.fill(table, tmp_path / "out", template=tmp_path / "mine.xlsx", jobs=1)


def test_an_input_name_on_an_empty_cell_is_refused(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Inputs"
    book.defined_names["RevenueGoal"] = DefinedName("RevenueGoal", attr_text="Inputs!$B$2")
    book.save(tmp_path / "empty.xlsx")
    with pytest.raises(KPIInputError, match=r"has empty input cells \(B2 on xl/worksheets/sheet1"):
        user_template.CompiledWorkbook(tmp_path / "empty.xlsx")


def test_not_a_workbook_is_refused(tmp_path):
    (tmp_path / "notes.xlsx").write_text("not a zip")
    with pytest.raises(KPIInputError, match=r"is not an \.xlsx or \.xlsm workbook"):
        user_template.CompiledWorkbook(tmp_path / "notes.xlsx")
