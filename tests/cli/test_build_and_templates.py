"""`kpi-planner build` and `kpi-planner templates`."""

import json
import sys

import openpyxl
from typer.testing import CliRunner

from kpi_planner.cli.main import app
from kpi_planner.workbook import templates

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})


def test_build_writes_the_inputs_into_the_plan(tmp_path):
    out = tmp_path / "emea.xlsx"
    result = run("build", "--out", out, "--revenue-goal", "5000000", "--deal-size", "25000",
                 "--rates", "2%,25%,30%,40%,25%", "--budget", "400000", "--exact")  # fmt: skip
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["Plan"]
    assert sheet["B6"].value == 5_000_000
    assert sheet["B7"].value == 25_000
    assert sheet["B8"].value == 400_000
    assert sheet["B12"].value is False
    assert [sheet[f"B{r}"].value for r in range(26, 31)] == [0.02, 0.25, 0.3, 0.4, 0.25]
    # 5,000,000 / 25,000 = 200 customers; / 0.25 / 0.4 / 0.3 / 0.25 / 0.02 = 1,333,333.3 visits.
    assert "1,333,333.33 Visits -> 200 Customers" in result.output


def test_build_from_a_yaml_file_with_options_overriding(tmp_path):
    config = tmp_path / "plan.yaml"
    config.write_text("revenue_goal: 2000000\ndeal_size: 50000\nstages: [Leads, SQL, Won]\n"
                      "rates: [0.1, 0.25]\nplan_year: 2028\n")  # fmt: skip
    out = tmp_path / "plan.xlsx"
    result = run("build", "--out", out, "--config", config, "--budget", "80000")
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["Plan"]
    assert sheet["B5"].value == 2028  # PlanYear; the title A1 is ="Marketing plan "&PlanYear
    assert [sheet[f"A{r}"].value for r in range(26, 29)] == ["Leads", "SQL", "Won"]
    assert sheet["B8"].value == 80_000


def test_build_from_json(tmp_path):
    config = tmp_path / "plan.json"
    config.write_text(json.dumps({"revenue_goal": 1e6, "deal_size": 1e5}))
    result = run("build", "--out", tmp_path / "p.xlsx", "--config", config)
    assert result.exit_code == 0, result.output


def test_build_reports_every_bad_input_and_writes_nothing(tmp_path):
    out = tmp_path / "plan.xlsx"
    result = run("build", "--out", out, "--rates", "15,0.2,0.2,0.4,0.5", "--budget", "0")
    assert result.exit_code == 2
    assert "rates[0] (Visits -> Leads) = 15: must be a fraction between 0 and 1" in result.stderr
    assert "marketing_budget = 0: ROI is undefined" in result.stderr
    assert not out.exists()


def test_build_suggests_the_closest_key_of_a_plan_file(tmp_path):
    config = tmp_path / "plan.yaml"
    config.write_text("revenue_goal: 1\ndeal_sise: 5\n")
    result = run("build", "--out", tmp_path / "p.xlsx", "--config", config)
    assert result.exit_code == 2
    assert "key = 'deal_sise': is not a plan input; did you mean 'deal_size'?" in result.stderr


def test_build_keeps_an_existing_file_without_force(tmp_path):
    out = tmp_path / "plan.xlsx"
    out.write_bytes(b"mine")
    result = run("build", "--out", out)
    assert result.exit_code == 2
    assert "exists; add --force to overwrite it" in result.output
    assert out.read_bytes() == b"mine"
    assert run("build", "--out", out, "--force").exit_code == 0
    assert out.read_bytes() != b"mine"


def test_templates_regenerates_and_checks(tmp_path):
    assert run("templates", "--out", tmp_path, "--check").exit_code == 1  # none there yet
    result = run("templates", "--out", tmp_path)
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(templates.TEMPLATES)
    assert run("templates", "--out", tmp_path, "--check").exit_code == 0


def test_addin_commands(tmp_path):
    out = tmp_path / "kpi_planner.xlam"
    assert run("addin", "build", "--check", "--out", out).exit_code == 1  # not built yet
    result = run("addin", "build", "--out", out)
    assert result.exit_code == 0, result.output
    assert run("addin", "build", "--check", "--out", out).exit_code == 0
    assert run("addin", "sources", "--check").exit_code == 0  # the committed addin/vba
    if not sys.platform.startswith(("win", "darwin")):
        refused = run("addin", "install")
        assert refused.exit_code == 2
        assert "install on Windows or macOS" in refused.stderr
