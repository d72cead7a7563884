"""`kpi-planner fill --by Company`: one company workbook per group of rows, its Company
sheet's cached values the engine's, and a bad company named by row and column while the
others are written."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from kpi_planner.batch.companies import fill_companies
from kpi_planner.cli.main import app
from kpi_planner.inputs.tables import TableError

EXAMPLE = Path(__file__).parents[2] / "examples" / "companies.csv"
runner = CliRunner()


def cached(path: Path, name: str) -> list[object]:
    """The cached values of a defined name's cells, row by row."""
    book = openpyxl.load_workbook(path, data_only=True)
    sheet, cells = next(iter(book.defined_names[name].destinations))
    found = book[sheet][cells]
    rows = found if isinstance(found, tuple) else ((found,),)
    return [cell.value for row in rows for cell in (row if isinstance(row, tuple) else (row,))]


def test_each_company_is_a_workbook_whose_roll_up_adds_its_segments(tmp_path):
    report = fill_companies(EXAMPLE, tmp_path, "Company")
    assert [p.name for p in report.written] == ["Acme.xlsx", "Globex.xlsx"]
    assert report.problems == []
    # Acme is README's company: 4,000,000 of new logos, 40 + 24 + 8 = 72 customers.
    acme = tmp_path / "Acme.xlsx"
    assert cached(acme, "NewLogoGoal") == [pytest.approx(4e6)]
    assert cached(acme, "SegmentCustomers")[:3] == [40, 24, 8]
    assert cached(acme, "CompanyCustomers") == [72]
    # Globex: 4,000,000 x 60 % / 30,000 = 80 and 4,000,000 x 40 % / 120,000 = 13.3, so 14.
    globex = tmp_path / "Globex.xlsx"
    assert cached(globex, "SegmentCustomers")[:2] == [80, 14]
    assert cached(globex, "CompanyCustomers") == [94]
    # The cached roll-up is the engine's: Leads 80 / 20 % / 10 % + 14 / 10 % / 10 %.
    assert report.plans["Globex"].annual["Leads"] == 80 / 0.2 / 0.1 + 1400
    assert cached(globex, "CompanyVolumes")[0] == pytest.approx(5400)


def test_a_bad_company_is_named_and_the_others_written(tmp_path):
    table = tmp_path / "companies.csv"
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    # Acme's US gives another target ARR than EMEA's row; Globex is fine.
    us = lines[2].split(",")
    us[16] = "16000000"
    table.write_text("\n".join([lines[0], lines[1], ",".join(us), *lines[3:]]) + "\n")
    report = fill_companies(table, tmp_path / "out", "Company")
    assert [p.name for p in report.written] == ["Globex.xlsx"]
    assert [str(p) for p in report.problems] == [
        "row 3, column 'TargetARR': differs from row 2's 15000000: a company's TargetARR is one "
        "value (type it once, or the same in each row) (value: '16000000')"
    ]


def test_shares_that_do_not_add_up_name_the_company(tmp_path):
    table = tmp_path / "companies.csv"
    text = EXAMPLE.read_text(encoding="utf-8")
    table.write_text(text.replace("Globex,Mid-market,size,60%", "Globex,Mid-market,size,50%"))
    report = fill_companies(table, tmp_path / "out", "Company")
    assert [p.name for p in report.written] == ["Acme.xlsx"]
    assert "row 5, column 'Company': company 'Globex': segment goals" in str(report.problems[0])


def test_no_such_column(tmp_path):
    with pytest.raises(TableError, match=r"--by 'Firm': is not a column of companies\.csv"):
        fill_companies(EXAMPLE, tmp_path, "Firm")


def test_command_line_fill_by_company(tmp_path):
    result = runner.invoke(app, ["fill", str(EXAMPLE), "--by", "Company", "--out",
                                 str(tmp_path)], env={"COLUMNS": "250"})  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Acme: 3 segments, new-logo goal 4,000,000, 72 customers" in result.output
    assert "2 written, 0 skipped" in result.output


def test_options_for_rows_plans_are_refused_with_by(tmp_path):
    args = ["fill", str(EXAMPLE), "--by", "Company", "--out", str(tmp_path), "--summary",
            str(tmp_path / "s.csv")]  # fmt: skip
    result = runner.invoke(app, args, env={"COLUMNS": "250"})
    assert result.exit_code == 2
    assert "--summary: fills rows' plans; with --by" in result.output
    assert not list(tmp_path.iterdir())
