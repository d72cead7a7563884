"""A fiscal year in the command line's faces: plan, build, fill and report (issue 32).

FY2028 from April, named by its end year, runs April 2027 to March 2028: its Q1 is April to
June 2027, its first month April 2027. The volumes are the calendar plan's; only the labels,
dates and months change. A January start is exactly today's output."""

import datetime as dt

import openpyxl
import pytest
from typer.testing import CliRunner

from kpi_engine import KPIInputError
from kpi_planner.cli.main import app
from kpi_planner.plan import one_plan
from kpi_planner.workbook.sheets.plan.grid import PlanGrid
from kpi_planner.workbook.sheets.tracking import goals

runner = CliRunner()
GRID = PlanGrid(6)


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def test_plan_labels_a_fiscal_timeline_as_finance_writes_it():
    fiscal = ("--fiscal-year-start", "April", "--plan-year", "2028")
    result = run("plan", "--example", "--lags", "0,10,20,15,45", "--period", "quarterly",
                 *fiscal, "--format", "csv")  # fmt: skip
    assert result.exit_code == 0, result.output
    # Visits come a quarter ahead: the timeline starts in FY2027's last quarter.
    assert "Q4 FY2027" in result.output
    assert "Q1 FY2028" in result.output
    assert "Q4 FY2028" in result.output


def test_plan_by_month_starts_with_the_fiscal_years_first_month():
    calendar = run("plan", "--example", "--period", "monthly", "--format", "csv")
    april = run("plan", "--example", "--period", "monthly", "--format", "csv",
                "--fiscal-year-start", "4")  # fmt: skip
    assert april.exit_code == 0, april.output
    header = next(line for line in april.output.splitlines() if "Apr" in line)
    assert header.index("Apr") < header.index("Mar")  # Apr .. Dec, Jan .. Mar
    # The same numbers: only the months' names differ.
    assert calendar.output.split("Jan", 1)[0] == april.output.split("Apr", 1)[0]


def test_a_january_start_is_todays_output():
    default = run("plan", "--example", "--lags", "0,10,20,15,45")
    january = run("plan", "--example", "--lags", "0,10,20,15,45", "--fiscal-year-start", "Jan",
                  "--fiscal-year-named-by", "start")  # fmt: skip
    assert january.output == default.output


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--fiscal-year-start", "13"), "--fiscal-year-start = '13': must be a month: 1 to 12"),
        (("--fiscal-year-start", "Apri"), "--fiscal-year-start = 'Apri': must be a month"),
        (("--fiscal-year-named-by", "middle"), "--fiscal-year-named-by = 'middle': must be"),
    ],
)
def test_a_fiscal_month_that_is_not_a_month_is_one_line_and_exit_2(options, message):
    for command in (("plan", "--example"), ("build", "--out", "never.xlsx")):
        result = run(*command, *options)
        assert result.exit_code == 2
        assert message in result.output
        assert len(result.output.strip().splitlines()) == 1


def test_build_writes_the_fiscal_year_and_its_dated_goals(tmp_path):
    out = tmp_path / "fy.xlsx"
    result = run("build", "--out", out, "--fiscal-year-start", "Apr", "--plan-year", "2028")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    plan = book["Plan"]
    assert (plan["B14"].value, plan["B15"].value) == (4, "end")
    assert book.defined_names["FiscalYearStart"].attr_text == "Plan!$B$14"
    # The example goal "+15 % in Q1" runs through FY2028's Q1: 1 April to 30 June 2027.
    assert book["Goals"]["E7"].value == dt.datetime(2027, 4, 1)
    assert book["Goals"]["F7"].value == dt.datetime(2027, 6, 30)


def test_goals_of_a_calendar_year_are_dated_as_before():
    assert goals.example_goals(2027)[0].start == dt.date(2027, 1, 1)
    assert goals.example_goals(2027)[1].deadline == dt.date(2027, 12, 31)
    # From July, named by its start year: FY2026 is July 2026 to June 2027.
    assert goals.example_goals(2026, 7, "start")[1].deadline == dt.date(2027, 6, 30)


def test_fill_reads_months_by_name_and_caches_fiscal_labels(tmp_path):
    table = tmp_path / "plans.csv"
    table.write_text("Name,PlanYear,FiscalYearStart,FiscalYearNamedBy\n"
                     "UK,2028,April,end\nAU,2026,Jul,start\nBad,2027,13,end\n")  # fmt: skip
    result = run("fill", table, "--out", tmp_path / "out", "--jobs", "1")
    assert result.exit_code == 1  # one bad row
    assert "row 4, column 'FiscalYearStart': must be a month: 1 to 12" in result.output
    uk = openpyxl.load_workbook(tmp_path / "out" / "UK.xlsx", data_only=True)["Plan"]
    assert uk["A1"].value == "Marketing plan FY2028"
    assert uk[f"E{GRID.funnel_header}"].value == "Q1 FY2028"
    assert uk[f"C{GRID.monthly_header}"].value == "Apr"
    # The timeline's 24 months: FY2027's first (April 2026) to FY2028's last (March 2028).
    assert uk[f"E{GRID.timeline.header_row}"].value == "Apr 2026"
    assert uk[f"AB{GRID.timeline.header_row}"].value == "Mar 2028"
    au = openpyxl.load_workbook(tmp_path / "out" / "AU.xlsx", data_only=True)["Plan"]
    assert au[f"Q{GRID.timeline.header_row}"].value == "Jul 2026"  # FY2026's first, by start


def test_report_reads_the_fiscal_year_and_names_a_bad_month_by_its_cell(tmp_path):
    out = tmp_path / "fy.xlsx"
    assert run("build", "--out", out, "--fiscal-year-start", "4").exit_code == 0
    assert run("report", out).exit_code == 0
    book = openpyxl.load_workbook(out)
    book["Plan"]["B14"] = 13
    book.save(out)
    result = run("report", out)
    assert result.exit_code == 2
    assert "Plan!B14 (FiscalYearStart) = 13: must be a month" in result.output


def test_one_plan_checks_the_fiscal_year_naming_each_input():
    with pytest.raises(KPIInputError) as err:
        one_plan.plan_outputs(one_plan.PlanInputs(fiscal_year_start=0, fiscal_year_named_by="x"))
    assert "fiscal_year_start = 0: must be a month" in str(err.value)
    assert "fiscal_year_named_by = 'x': must be \"end\"" in str(err.value)


def test_pipeline_history_ends_with_the_month_before_the_fiscal_year():
    import pandas as pd

    from kpi_planner.reports import pipeline as pipeline_report

    # FY2028 from April starts in April 2027: March 2027 is the last month of history,
    # and January to March 2027 the last quarter (FY2027's Q4).
    created = pd.DataFrame({"created": pd.to_datetime(["2027-03-10", "2027-03-20", "2027-01-05",
                                                       "2027-04-01"])})  # fmt: skip
    months = pipeline_report._history(created, "created", "month", 2028, 3, 4, "end")
    assert months == [1.0, 0.0, 2.0]  # Jan, Feb, Mar 2027; April 2027 is the plan's
    quarters = pipeline_report._history(created, "created", "quarter", 2028, 2, 4, "end")
    assert quarters == [0.0, 3.0]  # FY2027's Q3 (Oct-Dec 2026), Q4 (Jan-Mar 2027)


def test_pipeline_plans_the_fiscal_years_months():
    result = run("pipeline", "examples/opportunities.csv", "--goal", "10000000", "--deal-size",
                 "1100000", "--fiscal-year-start", "Apr", "--plan-year", "2028")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Pipeline for FY2028" in result.output
    assert "Apr 2027" in result.output
    assert "Mar 2028" in result.output
