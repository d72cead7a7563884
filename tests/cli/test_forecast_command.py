"""`kpi-planner forecast`: the landing of a small table worked by hand, and bad cells named
by row and column with exit 2 and nothing written."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from kpi_planner.cli.main import app

runner = CliRunner()
HEADER = (
    "Opportunity,Amount,Created Date,Close Date,Probability (%),Forecast Category,"
    "Won Date,Lost Date"
)  # as Salesforce exports them
DEALS = [
    "A,200000,2027-03-01,2027-09-15,30,Best Case,,",  # open, closes in Q3
    "B,50000,2027-04-01,2027-08-01,80,Commit,,",  # open, closes in Q3
    "C,300000,2027-01-10,2027-05-20,100,Closed,2027-05-20,",  # won in May: closed to date
    "D,100000,2027-02-01,2027-04-01,0,Omitted,,2027-04-01",  # lost
    "E,400000,2027-05-01,2028-02-01,60,Best Case,,",  # open, closes after the year
]
PLAN = ["--as-of", "2027-06-30", "--revenue-goal", "1000000", "--deal-size", "100000",
        "--budget", "400000"]  # fmt: skip


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def table(tmp_path, rows=DEALS):
    path = tmp_path / "deals.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_a_small_table_lands_as_worked_by_hand(tmp_path):
    out = tmp_path / "forecast.json"
    result = run("forecast", table(tmp_path), *PLAN, "--json", out)
    assert result.exit_code == 0, result.output
    got = json.loads(out.read_text(encoding="utf-8"))
    # Closed to date: C, 300,000. Open in the year: A and B (E closes in 2028).
    assert (got["closed"], got["open_deals"], got["year"]["months_left"]) == (300_000, 2, 7)
    landing = got["landing"]
    # By stage probability: 200,000 x 30 % + 50,000 x 80 % = 100,000 (issue 33's example).
    assert landing["stage probability"]["open_expected"] == pytest.approx(100_000)
    # By category: best case 50 %, commit 90 %: 100,000 + 45,000.
    assert landing["forecast category"]["open_expected"] == pytest.approx(145_000)
    # The curve: one win (C) 4 months after its January cohort, of the 2 opportunities of
    # the cohorts 4 months old (January, February): 50 % at 4 months, 0 before. A (age 3)
    # and B (age 2) each keep a 50 % chance within the 7 months left: 100,000 + 25,000.
    assert landing["close-rate curve"]["open_expected"] == pytest.approx(125_000)
    # The plan: 10 customers, 20 opportunities, 2 a month but June's and December's (whole
    # numbers, chained). Of July's and August's, half close 4 months later, in the year;
    # later months' too late: 2 deals, 200,000.
    assert got["planned_future"] == pytest.approx(200_000)
    assert landing["stage probability"]["landing"] == pytest.approx(600_000)
    # The range: 500,000 plus A (30 %) and B (80 %): 500k 14 %, 550k 56 %, 700k 6 %, 750k 24 %.
    spread = got["range"]
    assert (spread["p10"], spread["p50"], spread["p90"]) == (500_000, 550_000, 750_000)
    assert spread["method"] == "exact"
    assert spread["chance_of_goal"] == 0
    assert spread["variance"] == pytest.approx(200_000**2 * 0.21 + 50_000**2 * 0.16)
    # The P50 gap: 1,000,000 - 550,000 = 450,000 = 4.5 deals -> 5; 50 % of opportunities
    # created now close in time: 10, then 25 SQL, 125 MQL, 625 leads, 41,667 visits; the
    # plan's 400,000 over its 83,334 visits: 41,667 x 400,000 / 83,334 = 200,000.
    gap = got["gap_plan"]
    assert (gap["deals"], gap["too_late"]) == (5, False)
    assert gap["volumes"] == {"Visits": 41_667, "Leads": 625, "MQL": 125, "SQL": 25,
                              "Opportunities": 10}  # fmt: skip
    assert gap["budget"] == pytest.approx(200_000)
    # Next quarter Q3: 3 customers (10 over 4 quarters, chained: 3, 5, 8, 10) = 300,000;
    # 3x = 900,000; A and B close in it: 250,000 in hand (0.83x). Q2 started with C and D
    # (open on 31 March, closing in Q2), both created by day 91 of Q1: a typical quarter
    # has all of its day-one pipeline by day 91, so 900,000 is needed: pacing 250 / 900.
    pace = got["next_quarter"]
    assert (pace["quarter"], pace["target"], pace["day_one_target"]) == ("Q3", 300_000, 900_000)
    assert (pace["in_hand"], pace["day"], pace["share_measured"]) == (250_000, 91, True)
    assert pace["share_by_now"] == 1.0
    assert pace["pacing"] == pytest.approx(250 / 900)
    # By month: C won in May; B (50,000 x 80 %) closes in August, A (200,000 x 30 %) in
    # September.
    months = got["by_month"]
    assert months["won"] == [0, 0, 0, 0, 300_000, 0, 0, 0, 0, 0, 0, 0]
    assert months["open_expected_by_close_month"][7:9] == [40_000, 60_000]
    printed = " ".join(result.output.split())
    assert "P10 500,000, P50 550,000, P90 750,000" in printed
    assert "pacing 28%" in printed


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("F,50000,2027-03-01,2027-09-15,150,Commit,,",
         "row 7, column 'Probability (%)' = '150': is 150%: a probability is 0 to 100 %"),
        ("F,50000,2027-03-01,2027-02-15,50,Commit,,",
         "row 7, column 'Close Date' = 2027-02-15: is before the created date 2027-03-01"),
        ("F,n/a,2027-03-01,2027-09-15,50,Commit,,",
         "row 7, column 'Amount' = 'n/a': is not an amount"),
        ("F,50000,2027-03-01,2027-05-15,0,Omitted,2027-05-15,2027-05-16",
         "row 7, column 'Lost Date' = 2027-05-16: the deal is won too (Won Date 2027-05-15)"),
    ],
)  # fmt: skip
def test_a_bad_cell_is_one_line_naming_row_and_column(tmp_path, row, message):
    out = tmp_path / "forecast.json"
    result = run("forecast", table(tmp_path, [*DEALS, row]), *PLAN, "--json", out)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def test_an_as_of_outside_the_plan_year_is_refused(tmp_path):
    result = run("forecast", table(tmp_path), *PLAN, "--plan-year", "2028")
    assert result.exit_code == 2
    assert "--as-of 2027-06-30: is not in the plan year (2028-01-01 to 2028-12-31)" in " ".join(
        result.output.split()
    )


def test_categories_take_their_weights_from_the_option_and_an_unknown_one_is_named(tmp_path):
    out = tmp_path / "forecast.json"
    weights = "commit=80%,best case=40%,pipeline=10%,omitted=0"
    result = run("forecast", table(tmp_path), *PLAN, "--category-weights", weights,
                 "--json", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    # 200,000 x 40 % (best case) + 50,000 x 80 % (commit) = 120,000.
    landing = json.loads(out.read_text(encoding="utf-8"))["landing"]
    assert landing["forecast category"]["open_expected"] == pytest.approx(120_000)
    maybe = "F,50000,2027-03-01,2027-09-15,50,Maybe,,"
    result = run("forecast", table(tmp_path, [*DEALS, maybe]), *PLAN)
    assert result.exit_code == 2
    assert "row 7: forecast category 'Maybe' has no weight (known: closed, commit" in (
        " ".join(result.output.split())
    )


def test_build_adds_the_forecast_sheet_and_refuses_half_the_options(tmp_path):
    import openpyxl

    out = tmp_path / "plan.xlsx"
    deals = table(tmp_path)
    result = run("build", "--out", out, "--opportunities", deals, *PLAN)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:4] == ["Summary", "Plan", "Pipeline", "Forecast"]
    assert book["Forecast"]["B22"].value == 550_000  # the P50, kpi-planner's value
    assert book["Forecast"]["A51"].value == "A"  # the first opportunity, by its name
    for args, message in [
        (["--as-of", "2027-06-30"], "--as-of: dates the opportunities of the Forecast sheet"),
        (["--opportunities", deals], "--opportunities: give --as-of too"),
    ]:
        other = tmp_path / "other.xlsx"
        result = run("build", "--out", other, *args)
        assert result.exit_code == 2, result.output
        assert message in result.output
        assert not other.exists()
    bad = table(tmp_path, [*DEALS, "F,n/a,2027-03-01,2027-09-15,50,Commit,,"])
    result = run("build", "--out", tmp_path / "bad.xlsx", "--opportunities", bad, *PLAN)
    assert result.exit_code == 2
    assert "row 7, column 'Amount' = 'n/a'" in result.output
    assert not (tmp_path / "bad.xlsx").exists()


def test_pacing_reproduces_revcast(tmp_path):
    # Revcast: a quarter that started with $1,000,000 of day-one pipeline had $650,000 of it
    # by day 60 of the quarter before (65 %); a $1,500,000 day-one target then needs
    # $975,000 by day 60. Here Q2 2027 started with P1 (650,000, created by 1 March, day 60
    # of Q1) and P2 (350,000, created later); on 30 May, day 60 of Q2, Q3's target is
    # 2,000,000 / 4 = 500,000, x 3 = 1,500,000 on day one; N1 and N2 close in Q3: 975,000.
    rows = ["P1,650000,2027-02-15,2027-06-20,50,Pipeline,,",
            "P2,350000,2027-03-15,2027-06-25,50,Pipeline,,",
            "N1,500000,2027-04-10,2027-08-10,50,Pipeline,,",
            "N2,475000,2027-05-01,2027-09-10,50,Pipeline,,"]  # fmt: skip
    out = tmp_path / "forecast.json"
    plan = ["--as-of", "2027-05-30", "--revenue-goal", "2000000", "--deal-size", "50000"]
    result = run("forecast", table(tmp_path, rows), *plan, "--json", out)
    assert result.exit_code == 0, result.output
    pace = json.loads(out.read_text(encoding="utf-8"))["next_quarter"]
    assert (pace["day"], pace["share_measured"]) == (60, True)
    assert pace["share_by_now"] == pytest.approx(0.65)
    assert (pace["target"], pace["day_one_target"]) == (500_000, 1_500_000)
    assert pace["needed_now"] == pytest.approx(975_000)
    assert pace["pacing"] == pytest.approx(1.0)
    # No deal won yet: no curve to time new opportunities by, and the output says so.
    assert "no won deals to measure how fast opportunities close" in " ".join(result.output.split())


def test_readme_shows_the_forecast_as_the_command_prints_it():
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    start = "kpi-planner forecast examples/forecast-opportunities.csv"
    command = next(line for line in readme.splitlines() if line.startswith(start))
    args = command.split()[1:]
    args[args.index("examples/forecast-opportunities.csv")] = str(
        Path(__file__).parents[2] / "examples" / "forecast-opportunities.csv"
    )
    result = runner.invoke(app, args, env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    printed = "\n".join(line.rstrip() for line in result.output.strip().splitlines())
    assert printed in readme


def test_report_adds_the_landing_of_the_forecast_sheet(tmp_path):
    import openpyxl

    out = tmp_path / "plan.xlsx"
    assert run("build", "--out", out, "--opportunities", table(tmp_path), *PLAN).exit_code == 0
    report = tmp_path / "report.json"
    result = run("report", out, "--json", report)
    assert result.exit_code == 0, result.output
    # The same numbers as the forecast command's (test_a_small_table_lands_as_worked_by_hand).
    found = json.loads(report.read_text(encoding="utf-8"))["forecast"]
    assert found["landing"]["stage probability"] == pytest.approx(600_000)
    assert (found["range"]["p50"], found["next_quarter"]["in_hand"]) == (550_000, 250_000)
    assert "the year lands at 600,000 of 1,000,000 (P10 500,000, P50 550,000" in " ".join(
        result.output.split()
    )
    book = openpyxl.load_workbook(out)
    book["Forecast"]["B52"] = "n/a"  # B's amount, typed over
    book.save(out)
    result = run("report", out)
    assert result.exit_code == 2
    assert "Forecast!B52 = 'n/a': is not an amount" in " ".join(result.output.split())


def test_report_names_a_forecast_sheet_it_cannot_read(tmp_path):
    import openpyxl

    out = tmp_path / "plan.xlsx"
    assert run("build", "--out", out, "--opportunities", table(tmp_path), *PLAN).exit_code == 0
    for cell, value, message in [
        ("B5", None, "Forecast!B5 (coverage) = (empty): is empty; type a number"),
        ("B4", dt.date(2029, 1, 1), "Forecast!B4 (ForecastAsOf) = '2029-01-01': is not in the "
         "plan year (2027-01-01 to 2027-12-31)"),
    ]:  # fmt: skip
        book = openpyxl.load_workbook(out)
        book["Forecast"][cell] = value
        book.save(tmp_path / "edited.xlsx")
        result = run("report", tmp_path / "edited.xlsx")
        assert result.exit_code == 2, result.output
        assert message in " ".join(result.output.split())
