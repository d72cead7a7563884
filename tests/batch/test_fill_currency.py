"""``fill``'s Currency column: each row's workbook shows its own currency, rows of several
currencies keep their order, and an unknown code is a bad row named by row and column."""

import openpyxl
from typer.testing import CliRunner

from kpi_planner.cli.main import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})


def test_each_row_shows_its_own_currency(tmp_path):
    scenarios = tmp_path / "regions.csv"
    scenarios.write_text("Name,RevenueGoal,DealSize,Currency\nEMEA,5000000,25000,eur\n"
                         "US,8000000,40000,USD\nAPAC,3000000,20000,\nJapan,300000000,2000000,JPY\n"
                         "Euro zone,4000000,20000,EUR\nTypo,1000000,10000,EURO\n")  # fmt: skip
    summary = tmp_path / "summary.csv"
    result = run("fill", scenarios, "--out", tmp_path / "plans", "--jobs", "1", "--summary",
                 summary)  # fmt: skip
    assert result.exit_code == 1  # the typo
    assert (
        "bad input: row 7, column 'Currency': is not an ISO 4217 currency code such as "
        "EUR, USD, GBP or JPY (empty for none) (value: 'EURO')"
    ) in result.stderr
    expected = {"EMEA": ("EUR", '"€"#,##0', '"€"#,##0.00', 5_000_000),
                "US": ("USD", '"$"#,##0', '"$"#,##0.00', 8_000_000),
                "APAC": (None, "#,##0", "#,##0.00", 3_000_000),
                "Japan": ("JPY", '"¥"#,##0', '"¥"#,##0', 300_000_000),
                "Euro zone": ("EUR", '"€"#,##0', '"€"#,##0.00', 4_000_000)}  # fmt: skip
    for name, (code, money, unit_cost, goal) in expected.items():
        sheet = openpyxl.load_workbook(tmp_path / "plans" / f"{name}.xlsx")["Plan"]
        # The goal identifies the row: workbooks of several currencies are not swapped.
        assert (sheet["B16"].value, sheet["B6"].value) == (code, goal), name
        assert (sheet["B6"].number_format, sheet["D26"].number_format) == (money, unit_cost)
    header, *rows = summary.read_text().splitlines()
    assert "Currency" in header.split(",")
    assert [row.split(",")[header.split(",").index("Currency")] for row in rows[:5]] == [
        "EUR", "USD", "", "JPY", "EUR"]  # fmt: skip


def test_a_table_without_a_currency_keeps_its_summary_as_it_was(tmp_path):
    scenarios = tmp_path / "regions.csv"
    scenarios.write_text("Name,RevenueGoal,DealSize\nEMEA,5000000,25000\n")
    summary = tmp_path / "summary.csv"
    result = run("fill", scenarios, "--out", tmp_path / "plans", "--jobs", "1", "--summary",
                 summary)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Currency" not in summary.read_text().splitlines()[0].split(",")
