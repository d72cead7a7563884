"""A fill never replaces its own inputs: the table, the template.

A row's workbook is named after the row; written into the folder that holds the table or
the template, a row named like one of them replaced it (with --force) or was "skipped:
already there" with no plan written. A summary given the table's own path replaced the
table with the summary, exit 0.
"""

import pandas as pd
from typer.testing import CliRunner

from kpi_planner.cli.main import app
from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook.render import xlsx

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})


def test_a_row_named_like_the_excel_table_in_out_gets_the_next_name(tmp_path):
    table = tmp_path / "Scenarios.xlsx"
    pd.DataFrame({"Name": ["scenarios", "B"], "RevenueGoal": [1e6, 2e6]}).to_excel(
        table, index=False
    )
    before = table.read_bytes()
    for _ in range(2):  # the second run finds the same names: nothing to write
        result = run("fill", table, "--out", tmp_path, "--jobs", "1")
        assert result.exit_code == 0, result.output
    assert table.read_bytes() == before
    # casefolded, as names clash on Windows and macOS
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == [
        "B.xlsx", "Scenarios.xlsx", "scenarios-2.xlsx"]  # fmt: skip
    assert "0 written, 2 skipped (already there)" in result.stderr
    result = run("fill", table, "--out", tmp_path, "--jobs", "1", "--force")
    assert "2 written" in result.stderr
    assert table.read_bytes() == before


def test_a_row_named_like_the_template_in_out_leaves_the_template_as_it_was(tmp_path):
    template = xlsx.save(plan_book.plan_workbook(), tmp_path / "ours.xlsx")
    before = template.read_bytes()
    (tmp_path / "s.csv").write_text("Name,RevenueGoal\nours,1000000\n")
    result = run("fill", tmp_path / "s.csv", "--out", tmp_path, "--template", template,
                 "--force", "--jobs", "1")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert template.read_bytes() == before
    assert (tmp_path / "ours-2.xlsx").is_file()


def test_a_summary_on_the_table_is_refused_before_anything_is_written(tmp_path):
    table = tmp_path / "s.csv"
    table.write_text("Name,RevenueGoal\nA,1000000\n")
    before = table.read_bytes()
    result = run("fill", table, "--out", tmp_path / "plans", "--summary", table)
    assert result.exit_code == 2
    assert "is the table being filled, which the summary would replace" in result.stderr
    assert table.read_bytes() == before
    assert not (tmp_path / "plans").exists()
    # the same file by another path
    result = run("fill", table, "--out", tmp_path / "plans", "--summary",
                 tmp_path / "plans" / ".." / "s.csv")  # fmt: skip
    assert result.exit_code == 2
    assert table.read_bytes() == before
