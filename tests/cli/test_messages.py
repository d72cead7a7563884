"""Messages a user reads when the command line cannot do what was asked, each one line
naming the option and what to do, never a Python object or a half-done output."""

import pytest
from typer.testing import CliRunner

from kpi_planner.cli.main import app

runner = CliRunner()
CHANNELS = "examples/channels.csv"


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})


def refused(result, message):
    assert result.exit_code == 2, result.output
    assert message in result.output, result.output
    assert "Traceback" not in result.output
    assert result.stdout == "" or "error" not in result.stdout


def test_one_quarter_ahead_is_said_in_the_singular():
    # 30 days of sales cycle: 1 month ahead (30 / (365 / 12) = 0.99), so the quarterly
    # timeline starts one quarter early ("the first 1 quarter shown are" before).
    result = run("plan", "--example", "--sales-cycle", 30, "--period", "quarterly")
    assert result.exit_code == 0, result.output
    assert "Visits come 1 month ahead" in result.stdout
    assert "so the first quarter shown is in 2026" in result.stdout
    assert "the last month of 2027 works for 2028's first deals" in result.stdout


def test_a_goal_of_0_with_a_budget_says_so_in_the_options_words():
    # It said "cost per Visits is undefined with 0 Visits".
    result = run("plan", "--customers", 0, "--budget", 1000)
    refused(result, "--budget 1,000: a goal of 0 needs no customers, so no stage has a cost")


def test_build_has_no_period_and_says_why(tmp_path):
    # click suggested --scenario.
    result = run("build", "--out", tmp_path / "p.xlsx", "--period", "monthly")
    refused(result, "--period monthly: a workbook holds the year, its quarters and its months")
    assert not (tmp_path / "p.xlsx").exists()


def test_csv_never_leaves_out_what_was_asked_for_without_a_word():
    # --whatif with CSV printed the channels' table alone; --optimise with a typed mix too.
    whatif = run("plan", "--example", "--channels", CHANNELS, "--whatif", "--format", "csv")
    refused(whatif, "--whatif with --format csv: a CSV holds one table")
    optimal = run("plan", "--example", "--channels", CHANNELS, "--optimise", "--format", "csv")
    refused(optimal, "--optimise with --format csv: a CSV holds one table")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        # The max shares add up to 90 %: named in words, not as a Python dict.
        ("Search,50%,60,60%,\nEvents,50%,150,30%,\n",
         "max_share = 'Search 60%, Events 30%': allow at most 90.0% of Leads in all"),
        # Search's 100 leads and Events' 30 % of the leads bind together: E <= 0.3 (100 + E)
        # gives at most 142.9 leads, x 0.2 x 0.2 x 0.4 x 0.5 = 1.143 customers. Both named.
        ("Search,50%,60,,100\nEvents,50%,150,30%,\n",
         "limits = 'Search max volume 100, Events max share 30%': let the channels bring at "
         "most 1.143 customers of the 10 needed"),
    ],
)  # fmt: skip
def test_limits_no_mix_meets_are_named_in_words(tmp_path, rows, message):
    table = tmp_path / "limits.csv"
    table.write_text("name,share,cost_per_unit,max_share,max_volume\n" + rows)
    refused(run("plan", "--example", "--channels", table, "--optimise"), message)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # The weights as a whole were named by the engine's "weights" (issue 31: the one map
        # of engine names to the plan's inputs and their options names them by the option).
        (("--period", "quarterly", "--weights", "0,0,0,0"),
         "error: --weights = [0.0, 0.0, 0.0, 0.0]: are all 0: nothing to phase"),
        (("--rates", "0.5,0,0.2,0.4,0.5"), "error: --rates item 2 (Leads -> MQL) = 0: "),
        (("--lags", "0,-5,0,0,0"), "error: --lags item 2 = -5: must be 0 or more"),
    ],
)  # fmt: skip
def test_the_engines_names_are_the_options(args, message):
    refused(run("plan", "--example", *args), message)


def test_a_plan_that_overflows_is_refused_in_words():
    # 1e300 of revenue at 1e-300 a deal is more customers than a float holds: the caption
    # crashed with OverflowError (a traceback) before.
    result = run("plan", "--revenue-goal", "1e300", "--deal-size", "1e-300")
    refused(result, "error: --revenue-goal: the plan overflows")
    assert "RuntimeWarning" not in result.output
