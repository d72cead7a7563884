"""The self-test users run in Excel: every function has its rows, each expected value is
what the function gives through xlwings' own call path, and the PASS/FAIL formulas and the
verdict work (evaluated by the independent `formulas` package)."""

import dataclasses
import inspect
from pathlib import Path

import formulas
import pytest
from kpi_planner_addin import build, ribbon, selftest
from kpi_planner_addin.xlwings_windows import Variant, decorate, load

from kpi_planner.workbook import spec
from kpi_planner.workbook.render import xlsx

from .test_ribbon import FakeBook

ROOT = Path(__file__).resolve().parents[2]
MODULE = build.FUNCTIONS_MODULE
DIV0 = -2146826281


@pytest.fixture(scope="module")
def excel():
    _, com_server = load()
    module = decorate(MODULE)
    server = com_server.XLPython()

    def call(name, arguments):
        # The VBA wrapper passes every parameter; those left out arrive as "omitted".
        count = len(inspect.signature(getattr(module, name)).parameters)
        padded = (*arguments, *[selftest.OMITTED] * (count - len(arguments)))
        return server.CallUDF(MODULE, name, padded)

    return call


def test_every_function_has_a_self_test_row_and_every_row_a_function():
    module = decorate(MODULE)
    functions = {n for n in dir(module) if hasattr(getattr(module, n), "__xlfunc__")}
    assert {check.function for check in selftest.CHECKS} == functions


@pytest.mark.parametrize("check", selftest.CHECKS, ids=lambda c: f"{c.function}: {c.what}")
def test_each_expected_value_is_what_the_function_gives_in_excel(excel, check):
    result = excel(check.function, check.arguments)
    if check.pick is not None:  # the formula INDEXes one cell of the function's table
        row, column = check.pick
        # xlwings hands a one-row result to Excel as a flat list, which spills as a row.
        table = result if isinstance(result[0], list | tuple) else [result]
        result = table[row - 1][column - 1]
    if check.error:  # Excel shows #DIV/0!, which IFERROR turns into check.expected
        assert result == Variant(10, DIV0)
    elif len(check.expected) > 1:  # a spill: one row per value
        assert [row[0] for row in result] == pytest.approx(list(check.expected), rel=1e-12)
    elif isinstance(check.expected[0], str):
        assert result == check.expected[0]
    else:
        assert result == pytest.approx(check.expected[0], rel=1e-12)


def test_the_committed_selftest_workbook_matches_the_code():
    # If this fails, run `kpi-planner addin build` and commit the result.
    files = build.built_files(ROOT / "addin" / build.ADDIN_FILE)
    path = ROOT / "addin" / selftest.SELFTEST_FILE
    assert path.read_bytes() == files[path]


def _as_excel_would_show(results: dict[int, object]):
    """The self-test sheet with column D holding ``results`` (row -> value) as Excel would
    compute them, and the expected values elsewhere: for the `formulas` evaluator, which
    does not know the add-in's functions."""
    sheet, names = selftest.selftest_sheet()
    rows = {}
    for check_row, value in results.items():
        rows[f"D{check_row}"] = spec.Cell(f"D{check_row}", value, "output")
    cells = [c for c in sheet.cells if not c.ref.startswith("D") or c.ref == "D5"]
    cells += list(rows.values())
    return spec.Workbook((dataclasses.replace(sheet, cells=tuple(cells)),), tuple(names))


def _expected_by_row() -> dict[int, object]:
    values, row = {}, 6
    for check in selftest.CHECKS:
        for value in check.expected:
            values[row] = value
            row += 1
    return values


def _verdict(tmp_path, results) -> str:
    path = xlsx.save(_as_excel_would_show(results), tmp_path / "shown.xlsx")
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    key = f"'[shown.xlsx]{selftest.SHEET.upper()}'!B3"
    return solution[key].value[0, 0]


def test_the_verdict_is_all_pass_when_every_result_is_as_expected(tmp_path):
    assert _verdict(tmp_path, _expected_by_row()) == "ALL PASS"


def test_a_wrong_number_and_a_wrong_text_each_count_as_a_fail(tmp_path):
    results = _expected_by_row()
    results[7] = 93.76  # FUNNEL_REQUIRED's leads, off by 0.01
    text_row = next(r for r, v in results.items() if v == "at risk")
    results[text_row] = "on track"
    assert _verdict(tmp_path, results) == "2 FAIL"


def test_the_ribbon_self_test_writes_the_checks_a_plan_in_a_new_workbook_and_the_setup():
    fake, new = FakeBook(), FakeBook(sheet_names=("Sheet1",))
    fake.book.app.books.add.side_effect = lambda: new.book
    new.book.name = "Book2"
    ribbon.self_test(fake.book)
    written = fake.written[selftest.SHEET]
    last = selftest.rows_used()
    # The checks, as the spec has them; the spill as a dynamic array (Formula2).
    assert written["D6"].formula2 == selftest.CHECKS[0].formula
    assert f"F6:F{last + 1}" in written["B3"].formula
    # The plan built in the new workbook, read back, checked against 83,334 visits.
    assert [s.name for s in new.sheets][-1] == "Plan"
    row = written[f"A{last + 1}"].value[0]
    assert row[0] == "Build plan sheet"
    assert "Book2" in row[1]
    assert row[3] is new.written["Plan"]["C26"].value
    assert row[4] == 83_334
    assert row[5] == selftest.pass_formula(last + 1, 83_334.0)
    setup = dict(written[f"A{last + 3}"].value)
    assert set(setup) == {"Setup", "Python", "xlwings", "Interpreter", "Config file"}
    assert "kpi_planner.conf" in setup["Config file"]


def test_on_a_mac_the_self_test_checks_the_ribbon_and_says_why_no_functions(monkeypatch):
    monkeypatch.setattr(ribbon.sys, "platform", "darwin")
    fake, new = FakeBook(), FakeBook()
    fake.book.app.books.add.side_effect = lambda: new.book
    ribbon.self_test(fake.book)
    written = fake.written[selftest.SHEET]
    assert written["A2"].value == selftest.NO_FUNCTIONS_ON_MAC
    assert "D6" not in written or not written["D6"].formula2  # no function rows
    assert written["A6"].value[0][0] == "Build plan sheet"
    assert "F6:F6" in written["B3"].formula
