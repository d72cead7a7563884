"""`kpi-planner plan --scenario`: named scenarios side by side (issue 11)."""

import json

import pytest
from typer.testing import CliRunner

from kpi_planner.cli.main import app

runner = CliRunner()
SCENARIOS = "scenario,deal size,MQL -> SQL,budget\nbest,1300000,25%,\nworst,900000,15%,500000\n"


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "scenarios.csv"
    path.write_text(SCENARIOS, encoding="utf-8")
    return path


def test_scenarios_side_by_side_by_hand(table):
    result = run("plan", "--example", "--budget", 600000, "--scenario", table,
                 "--channels", "examples/channels.csv", "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["scenarios"] == ["base", "best", "worst"]
    lines = record["lines"]
    # Best: 10,000,000 / 1,300,000 = 7.7 -> 8 customers; / 0.5 = 16; / 0.4 = 40 SQL;
    # / 0.25 = 160 MQL; / 0.2 = 800 leads; / 0.015 = 53,333.3 -> 53,334 visits.
    # Worst: 10,000,000 / 900,000 = 11.1 -> 12; 24; 60; / 0.15 = 400; 2,000; 133,334.
    assert [lines[f"{s} (year)"]["best"] for s in ("Visits", "Leads", "MQL", "SQL")] == [
        53_334,
        800,
        160,
        40,
    ]
    assert [lines[f"{s} (year)"]["worst"] for s in ("Visits", "Leads", "MQL", "SQL")] == [
        133_334,
        2_000,
        400,
        60,
    ]
    assert lines["Customers (year)"] == {"base": 10, "best": 8, "worst": 12}
    # The worst case keeps its own budget: 500,000 / 12 customers.
    assert lines["Planned CAC"]["worst"] == pytest.approx(500_000 / 12)
    # Channels (examples/channels.csv) with MQL -> SQL at 25 %: search and content close
    # 0.2 x 0.25 x 0.4 x 0.5 = 1 % of leads, events 1.5 %; the mix 1.15 %: 8 x 80 / 0.0115.
    assert lines["Budget needed (channels)"]["best"] == pytest.approx(8 * 80 / 0.0115)
    assert lines["Surplus (+) or gap (-)"]["best"] == pytest.approx(600_000 - 8 * 80 / 0.0115)
    # Worst, MQL -> SQL at 15 %: 0.6 % and 0.9 % of leads, the mix 0.69 %: 12 x 80 / 0.0069
    # = 139,130.43 (README's worked example states these figures).
    assert lines["Budget needed (channels)"]["worst"] == pytest.approx(12 * 80 / 0.0069)


def test_the_table_shows_the_plan_then_the_scenarios(table):
    result = run("plan", "--example", "--budget", 600000, "--scenario", table)
    assert result.exit_code == 0, result.output
    assert result.stdout.index("Required volumes") < result.stdout.index("Scenarios side by side")
    assert "133,334" in result.stdout


@pytest.mark.parametrize(
    ("text", "options", "message"),
    [
        ("scenario,colour\nbest,red\n", (), "column 'colour' is not an input a scenario"),
        ("name,deal size\n,100\n", (), "row 2, column name: is empty"),
        ("scenario,deal size\nbest,1\nbest,2\n", (), "row 3, column scenario: names another"),
        ("scenario,deal size\nbest,lots\n", (), "row 2, column deal size: 'lots'"),
        ("scenario,MQL -> SQL\nbad,0\n", (), "scenario 'bad': rates[2] (MQL -> SQL) = 0"),
        ("deal size\n100\n", (), "has no 'scenario' column"),
        ("scenario,deal size\nbest,1\n", ("--whatif",), "one at a time"),
    ],
)  # fmt: skip
def test_mistakes_are_named_and_nothing_else_is_printed(tmp_path, text, options, message):
    path = tmp_path / "scenarios.csv"
    path.write_text(text, encoding="utf-8")
    result = run("plan", "--example", "--scenario", path, *options)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split()), result.stderr
    assert result.stdout == ""
