"""An output option given the command's own input file is refused, and the input kept.

`report plan.xlsx --json plan.xlsx` replaced the workbook with its report, exit 0;
`pipeline` and `build --config` had the same hole (the latter even with --force).
"""

import shutil

from typer.testing import CliRunner

from kpi_planner.cli.main import app
from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook.render import xlsx

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})


def test_report_json_on_the_workbook_is_refused(tmp_path):
    workbook = xlsx.save(plan_book.plan_workbook(), tmp_path / "plan.xlsx")
    before = workbook.read_bytes()
    # the same file by another spelling of its path
    result = run("report", workbook, "--json", tmp_path / "." / "plan.xlsx")
    assert result.exit_code == 2
    assert "--json" in result.stderr
    assert "is the input" in result.stderr
    assert workbook.read_bytes() == before


def test_pipeline_json_on_the_opportunities_table_is_refused(tmp_path):
    table = shutil.copy("examples/opportunities.csv", tmp_path / "opportunities.csv")
    before = table.read_bytes()
    result = run("pipeline", table, "--as-of", "2026-11-30", "--json", table)
    assert result.exit_code == 2
    assert "is the input" in result.stderr
    assert table.read_bytes() == before


def test_build_out_on_its_config_is_refused_even_with_force(tmp_path):
    config = tmp_path / "plan.yaml"
    config.write_text("revenue_goal: 5000000\n")
    result = run("build", "--config", config, "--out", config, "--force")
    assert result.exit_code == 2
    assert "--out" in result.stderr
    assert "is the input" in result.stderr
    assert config.read_text() == "revenue_goal: 5000000\n"
