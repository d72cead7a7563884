"""`kpi-planner plan --lags / --sales-cycle / --growth`: the timeline on the command line."""

import io

import pandas as pd
import pytest
from typer.testing import CliRunner

import kpi_engine
from kpi_planner.cli.main import app

runner = CliRunner()
LAGS = "0,10,20,15,45"


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def test_the_timeline_runs_from_the_lead_in_to_the_years_end_and_says_what_it_means():
    result = run("plan", "--example", "--lags", LAGS, "--growth", "25%", "--format", "csv")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout), index_col="stage")
    # 90 days from visits to a deal: 3 months ahead, so the timeline starts in October of
    # the year before (the plan year is 2027 by default) and ends in December.
    assert list(table.columns[:2]) == ["Year", "Oct 2026"]
    assert table.columns[-1] == "Dec 2027"
    engine = kpi_engine.timeline(10e6, kpi_engine.SEED_RATES, deal_size=1.1e6,
                                 lag_days=[0, 10, 20, 15, 45], growth=0.25, whole_numbers=True,
                                 plan_year=2027)  # fmt: skip
    pd.testing.assert_frame_equal(table.drop(columns="Year"), engine, check_names=False,
                                  check_dtype=False)  # fmt: skip
    # Next year's 12,500,000 / 1,100,000 = 11.4 -> 12 customers, 1 due a month: 11, 12 and
    # 13 customers in all by the end of January to March 2028, chained up to 91,667,
    # 100,000 and 108,334 visits (83,334 for 2027's 10): 8,333 / 8,333 / 8,334.
    assert table.loc["Visits", "Oct 2027":"Dec 2027"].tolist() == [8333, 8333, 8334]
    words = run("plan", "--example", "--lags", LAGS, "--growth", "25%").stdout
    assert "Visits come 3 months ahead of the deals they become" in words
    assert "the last 3 months of 2027 work for 2028's first deals, planned +25%" in words


def test_a_sales_cycle_is_spread_over_the_steps_and_quarters_work_too():
    # 90 days over 5 steps: 18 each; visits are 90 days ahead: one quarter (91.25 days).
    result = run("plan", "--example", "--sales-cycle", 90, "--period", "quarterly",
                 "--plan-year", 2030, "--format", "csv")  # fmt: skip
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split(",")
    assert header[:3] == ["stage", "Year", "Q4 2029"]
    assert header[-1] == "Q4 2030"


@pytest.mark.parametrize(
    "when",
    [
        ("--targets", "100000" + ",0" * 11),
        ("--revenue-goal", 100000, "--weights", "1" + ",0" * 11),
    ],
)
def test_quarters_keep_each_months_weight_as_the_workbook_does(when):
    # Every deal in January: 100,000 / 10,000 = 10 customers, 20 opportunities at 50 %,
    # 45 days (2 months) ahead of them: all in November, of the year before for this
    # January and of the plan year for next January (no growth). Added up by quarter, Q4
    # 2026 and Q4 2027 hold 20 each (the workbook's timeline by quarter). With the months
    # summed into quarterly weights first, January to March alike, it was 14 and 6.
    result = run("plan", *when, "--deal-size", 10000, "--rates", 0.5, "--stages",
                 "Opps,Customers", "--lags", 45, "--period", "quarterly",
                 "--format", "csv")  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout), index_col="stage")
    assert table.loc["Opps"].tolist() == [20, 20, 0, 0, 0, 20]  # the year, then Q4 2026 ..
    assert table.loc["Customers"].tolist() == [10, 0, 10, 0, 0, 0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--growth", "25%"), "--growth: next year's goal is used by the timeline"),
        (("--lags", "10,20"), "--lags: gives 2 values (10,20), but the funnel Visits"),
        (("--lags", LAGS, "--sales-cycle", 90), "give either --lags (days per step) or"),
        (("--lags", "0,10,-20,15,45"), "--lags item 3"),
        (("--lags", "0,100,100,100,100"), "add up to more than a year"),
        (("--sales-cycle", 90, "--growth", "-150%"), "--growth = -1.5: must be -100 %"),
    ],
)
def test_bad_timeline_options_are_one_line_errors(args, message):
    result = run("plan", "--example", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_readme_timeline_example_numbers():
    # README: "--growth 50%: 15,000,000, 15 customers, so 16,666 visits in October 2027
    # where a flat year plans 8,333". January 2028's customers due are 15 x 1/12 = 1.25 ->
    # 2 (flat: 10 x 1/12 -> 1); with 2027's 10, 12 chain up to 24, 60, 300, 1,500 and
    # 100,000 visits (flat: 11 to 91,667), less 2027's 83,334.
    grown = run("plan", "--example", "--lags", LAGS, "--growth", "50%", "--format", "csv")
    flat = run("plan", "--example", "--lags", LAGS, "--format", "csv")
    visits = [pd.read_csv(io.StringIO(r.stdout), index_col="stage").loc["Visits", "Oct 2027"]
              for r in (grown, flat)]  # fmt: skip
    assert visits == [16666, 8333]


def test_build_writes_the_lags_and_growth_into_the_workbooks_timeline(tmp_path):
    import openpyxl

    out = tmp_path / "plan.xlsx"
    result = run("build", "--out", out, "--lags", LAGS, "--growth", "25%")
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["Plan"]
    assert [sheet[f"B{row}"].value for row in range(51, 56)] == [0, 10, 20, 15, 45]  # LagDays
    assert sheet["B13"].value == 0.25  # NextYearGrowth
    bad = run("build", "--out", tmp_path / "bad.xlsx", "--lags", "0,10")
    assert bad.exit_code == 2
    assert "has 2 lags for 6 stages" in bad.stderr
    assert not (tmp_path / "bad.xlsx").exists()
