"""`kpi-planner plan`: the reverse funnel on the command line."""

import io
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from kpi_planner.cli.main import app

runner = CliRunner()


def run(*args: str):
    # A wide terminal, so rich does not wrap the messages the tests look for.
    return runner.invoke(app, list(args), env={"COLUMNS": "250"})


def test_example_prints_the_seed_plan_in_whole_numbers():
    result = run("plan", "--example", "--whole-numbers")
    assert result.exit_code == 0, result.output
    # Seed 000 in whole numbers: 83,334 visits ... 10 customers.
    for text in ["83,334", "1,250", "250", "Customers", "1.5 %"]:
        assert text in result.output


def test_csv_output_of_a_monthly_plan_by_customers():
    result = run(
        "plan", "--customers", "9", "--rates", "1.5%,20%,20%,40%,50%", "--period", "monthly",
        "--format", "csv", "--exact",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout), index_col="stage")
    # The contract's monthly figures: 6250 / 93.75 / 18.75 / 3.75 / 1.5 / 0.75.
    assert table["Jan"].tolist() == pytest.approx([6250, 93.75, 18.75, 3.75, 1.5, 0.75])
    assert table["Year"].tolist() == pytest.approx([75_000, 1125, 225, 45, 18, 9])
    assert len(table.columns) == 13


def test_json_output_with_budget_and_custom_stages():
    result = run(
        "plan", "--customers", "10", "--rates", "0.1,0.5", "--stages", "Leads,SQL,Won",
        "--budget", "20000", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    # 10 / 0.5 = 20 SQL, / 0.1 = 200 leads; 20,000 / 200 = 100 per lead.
    assert document["stages"] == ["Leads", "SQL", "Won"]
    assert document["volumes"]["Year"] == {"Leads": 200, "SQL": 20, "Won": 10}
    assert document["volumes"]["Cost target"]["Leads"] == 100


def test_seasonal_quarters():
    result = run("plan", "--customers", "8", "--rates", "0.5", "--stages", "Leads,Customers",
                 "--period", "quarterly",
                 "--weights", "1,1,2,4", "--format", "csv")  # fmt: skip
    table = pd.read_csv(io.StringIO(result.stdout), index_col="stage")
    # 8 customers shared 1:1:2:4 -> 1, 1, 2, 4.
    assert table.loc["Customers", ["Q1", "Q2", "Q3", "Q4"]].tolist() == [1, 1, 2, 4]


def test_bad_rate_exits_non_zero_with_the_engine_message():
    result = run("plan", "--customers", "9", "--rates", "15,0.2", "--stages", "A,B,C")
    assert result.exit_code == 2
    assert "15 looks like a percentage: write 0.15 for 15 %" in result.stderr
    assert result.stdout == ""


def test_unparseable_rate_names_the_option_and_item():
    result = run("plan", "--customers", "9", "--rates", "0.1,abc", "--stages", "A,B,C")
    assert result.exit_code == 2
    assert "error: --rates: item 2 'abc' is not a number" in result.stderr


def test_missing_goal_says_what_to_give():
    result = run("plan")
    assert result.exit_code == 2
    assert "give --revenue-goal and --deal-size, or --customers, or --example" in result.output


def test_weights_need_a_period():
    result = run("plan", "--example", "--weights", "1,2")
    assert result.exit_code == 2
    assert "weights need --period quarterly or monthly" in result.output


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("kpi-planner ")
