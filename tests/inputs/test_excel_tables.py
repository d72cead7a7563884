"""Excel tables: formulas never calculated are refused, and problems name the right row.

A workbook written by a program (here openpyxl) and never saved by Excel stores a formula
without its result; read for its values the cell is empty, and an empty cell keeps the
template's value: a fill wrote a 10,000,000 goal for a row whose goal was =2*1000000.
"""

import re
import zipfile

import openpyxl
import pandas as pd
from typer.testing import CliRunner

from kpi_planner.cli.main import app
from kpi_planner.inputs import tables
from kpi_planner.inputs import uncalculated_formulas as excel_formulas

runner = CliRunner()


def uncalculated_table(path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "RevenueGoal", "DealSize"])
    sheet.append(["A", "=2*1000000", 25000])
    sheet.append(["B", 3000000, "=10000*2"])
    book.save(path)
    return path


def calculated(source, target):
    """``source`` as Excel saves it: each formula of column B with its result stored."""
    with zipfile.ZipFile(source) as read, zipfile.ZipFile(target, "w") as write:
        for entry in read.infolist():
            data = read.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<c r="(B\d+)"([^>]*)><v>([^<]*)</v></c>',
                              rb'<c r="\1"\2><f>\3+0</f><v>\3</v></c>', data)  # fmt: skip
            write.writestr(entry, data)
    return target


def test_a_fill_refuses_the_table_and_names_every_uncalculated_cell(tmp_path):
    table = uncalculated_table(tmp_path / "scenarios.xlsx")
    result = runner.invoke(app, ["fill", str(table), "--out", str(tmp_path / "plans")],
                           env={"COLUMNS": "250"})  # fmt: skip
    assert result.exit_code == 2
    assert "scenarios.xlsx: B2, C3 hold formulas with no calculated value" in result.stderr
    assert "open it in Excel and save it, or type the values" in result.stderr
    assert not (tmp_path / "plans").exists()


def test_formulas_with_their_results_stored_read_as_their_results(tmp_path):
    plain = tmp_path / "plain.xlsx"
    pd.DataFrame({"Name": ["A", "B"], "RevenueGoal": [2e6, 3e6]}).to_excel(plain, index=False)
    with_formulas = calculated(plain, tmp_path / "formulas.xlsx")
    assert openpyxl.load_workbook(with_formulas)["Sheet1"]["B2"].value == "=2000000+0"
    read = pd.concat(tables.read_chunks(with_formulas))
    assert read["RevenueGoal"].tolist() == [2e6, 3e6]


def test_formulas_are_read_only_from_a_workbook_that_has_some(tmp_path):
    plain = tmp_path / "plain.xlsx"
    pd.DataFrame({"Name": ["A"], "RevenueGoal": [2e6]}).to_excel(plain, index=False)
    assert excel_formulas.formula_rows(plain) is None  # no second read of a plain table
    rows = excel_formulas.formula_rows(uncalculated_table(tmp_path / "f.xlsx"))
    assert list(rows) == [("Name", "RevenueGoal", "DealSize"), ("A", "=2*1000000", 25000),
                          ("B", 3000000, "=10000*2")]  # fmt: skip
    # a value beside a formula is its stored result; only an empty one is uncalculated
    assert excel_formulas.uncalculated(("x", None, 5.0), ("x", "=A1", "=B1"), 3) == [1]
    assert excel_formulas.uncalculated(("x", None), ("x", "=A1", "=B1"), 1) == []


def test_a_value_right_of_the_last_column_is_named_by_its_row_in_a_later_chunk(tmp_path):
    # The row was counted within its chunk of 500: row 552 was named as row 52.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "RevenueGoal"])
    for i in range(600):
        sheet.append([f"S{i}", 1e6] + (["stray"] if i == 550 else []))
    book.save(tmp_path / "wide.xlsx")
    try:
        list(tables.read_chunks(tmp_path / "wide.xlsx"))
    except tables.TableError as err:
        message = str(err)
    else:
        raise AssertionError("no error")
    assert message.startswith("wide.xlsx, row 552: has values right of the last column")
