"""`kpi-planner pipeline`: the close-rate curve of a CRM export, and the pipeline a goal needs."""

import json

import pytest
from typer.testing import CliRunner

from kpi_planner.cli.main import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


@pytest.fixture
def opportunities(tmp_path):
    # By hand: January 2026, 4 opportunities: won 10 Jan, 3 Feb, and 2 not won.
    # February, 4: won 20 Feb and 15 Mar; 2 not. March, 2: none won (by 31 March).
    # As of 31 March: same month 2 / 10 (Jan, Feb, Mar cohorts); 1 later 2 / 8 (Jan, Feb).
    path = tmp_path / "crm.csv"
    path.write_text(
        "Opportunity;Created on;Closed won\n"
        "A;2026-01-05;2026-01-10\nB;2026-01-06;2026-02-03\nC;2026-01-07;\nD;2026-01-08;\n"
        "E;2026-02-05;2026-02-20\nF;2026-02-06;2026-03-15\nG;2026-02-07;\nH;2026-02-08;\n"
        "I;2026-03-05;\nJ;2026-03-06;\n",
        encoding="utf-8",
    )
    return path


def test_the_curve_is_measured_on_complete_cohorts(opportunities, tmp_path):
    columns = ["--created-column", "Created on", "--won-column", "Closed won"]
    result = run("pipeline", opportunities, *columns, "--as-of", "2026-03-31",
                 "--json", tmp_path / "out.json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "20.0%" in result.stdout  # 2 / 10 in the month of creation
    assert "25.0%" in result.stdout  # 2 / 8 a month later
    written = json.loads((tmp_path / "out.json").read_text())
    assert written["curve"]["rates"] == pytest.approx([0.2, 0.25])
    assert written["curve"]["opportunities"] == [10, 8]


def test_with_a_goal_it_plans_the_opportunities_that_cover_every_month(opportunities, tmp_path):
    # 12 deals a year (1.2M / 100k): 1 a month. The curve closes 20 % + 25 % = 45 % in
    # all: a steady plan needs 1 / 0.45 = 2.22 opportunities a month once history is spent.
    result = run("pipeline", opportunities, "--created-column", "Created on", "--won-column",
                 "Closed won", "--as-of", "2026-03-31", "--goal", 1.2e6, "--deal-size", 1e5,
                 "--plan-year", 2026, "--json", tmp_path / "out.json")  # fmt: skip
    assert result.exit_code == 0, result.output
    plan = json.loads((tmp_path / "out.json").read_text())["plan"]
    assert plan["needed"] == pytest.approx([1.0] * 12)
    assert min(e - n for e, n in zip(plan["expected"], plan["needed"], strict=True)) >= -1e-6
    assert plan["generated"][-1] == pytest.approx(1 / 0.45, rel=1e-6)
    # Your own plan instead: 3 a month closes 0.2 x 3 = 0.6 in January, 0.45 x 3 after.
    own = run("pipeline", opportunities, "--created-column", "Created on", "--won-column",
              "Closed won", "--as-of", "2026-03-31", "--goal", 1.2e6, "--deal-size", 1e5,
              "--plan-year", 2026, "--generated", ",".join(["3"] * 12), "--json",
              tmp_path / "own.json")  # fmt: skip
    assert own.exit_code == 0, own.output
    mine = json.loads((tmp_path / "own.json").read_text())["plan"]
    assert mine["expected"][0] == pytest.approx(0.6)
    assert mine["expected"][1] == pytest.approx(1.35)
    assert mine["gap"][0] == pytest.approx(-0.4)


@pytest.mark.parametrize(
    ("body", "args", "message"),
    [
        ("created,won\n2026-01-05,2026-01-01\n", [], "row 2, column won: '2026-01-01': is before"),
        ("created,won\n05.01.2026,\n", [], "row 2, column created: '05.01.2026': is not a date"),
        ("made,won\n2026-01-05,\n", [], "--created-column created: crm.csv has no such column"),
        ("created,won\n2026-01-05,\n", ["--goal", "1e6"], "--goal and --deal-size: give both"),
        ("created,won\n2026-01-05,\n", ["--generated", "1,2"], "--generated: give --goal"),
    ],
)
def test_mistakes_are_one_line_with_exit_2(tmp_path, body, args, message):
    path = tmp_path / "crm.csv"
    path.write_text(body, encoding="utf-8")
    result = run("pipeline", path, "--as-of", "2026-12-31", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_the_readme_example_prints_the_curve_it_quotes():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    command = "kpi-planner pipeline examples/opportunities.csv --as-of 2026-11-30"
    assert command in readme
    result = run("pipeline", root / "examples" / "opportunities.csv", "--as-of", "2026-11-30")
    assert result.exit_code == 0, result.output
    quoted = "5.2 %, 11.7 %, 11.7 %, 8.7 %, 6.7 %: 44.1 % in all"
    assert quoted in " ".join(readme.split())
    for share in ("5.2%", "11.7%", "8.7%", "6.7%", "44.1%"):
        assert share in result.stdout


def test_a_history_with_no_won_deal_cannot_plan_a_goal_and_says_so(tmp_path):
    # Every rate of the curve is 0: no pipeline would close a deal. The command crashed with
    # the engine's traceback (exit 1) where it should name the cause.
    path = tmp_path / "lost.csv"
    path.write_text("id,created,won\nA,2026-01-05,\nB,2026-02-06,\nC,2026-03-07,\n")
    result = run("pipeline", path, "--as-of", "2026-03-31", "--goal", "1000000",
                 "--deal-size", "10000", "--json", tmp_path / "lost.json")  # fmt: skip
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "no opportunity of lost.csv was won by 2026-03-31 (column won)" in result.stderr
    assert not (tmp_path / "lost.json").exists()
    # the curve alone (no goal) is still shown: all 0 %
    assert run("pipeline", path, "--as-of", "2026-03-31").exit_code == 0
