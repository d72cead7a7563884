"""`kpi-planner plan --segments`, the retention options and ramping targets on the command
line: README's company example, its JSON, and one-line refusals with exit 2."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_planner.cli.main import app

runner = CliRunner()
SEGMENTS = str(Path(__file__).parents[2] / "examples" / "segments.csv")
BRIDGE = ["--starting-arr", "10000000", "--net-retention", "110%", "--gross-retention", "90%",
          "--target-arr", "15000000"]  # fmt: skip


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "250"})


def test_company_example_prints_segments_and_roll_up():
    result = run("plan", "--segments", SEGMENTS, *BRIDGE)
    assert result.exit_code == 0, result.output
    # 15,000,000 - 10,000,000 x 110 % = 4,000,000 of new logos; 40 + 24 + 8 = 72 customers.
    assert "New-logo goal 4,000,000" in result.output
    assert "expansion 2,000,000; churn and contraction 1,000,000" in result.output
    assert "5,200" in result.output  # leads: 3,200 + 1,920 + 80
    assert "Deal registrations (not in EMEA, US)" in result.output


def readme_company_command() -> list[str]:
    """README's company example, as its reader copies it."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    start = "kpi-planner plan --segments examples/segments.csv"
    line = next(line for line in readme.splitlines() if line.startswith(start))
    return shlex.split(line)[1:]


def test_readme_company_example_in_a_fiscal_year_in_euros():
    # Two regions and a partner source, the ARR bridge, FY2028 from April, in EUR.
    args = readme_company_command()
    assert {"--fiscal-year-start", "--currency", "--target-arr"} <= set(args)
    args[args.index("examples/segments.csv")] = SEGMENTS  # wherever the tests run
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    # New logos: 15,000,000 - 10,000,000 x 110 % = 4,000,000; shares 50/30/20 %.
    assert got["arr_bridge"]["new_logo_arr"] == pytest.approx(4_000_000)
    assert [s["goal"] for s in got["segments"]] == pytest.approx([2e6, 1.2e6, 0.8e6])
    # Customers: 2,000,000 / 50,000 = 40; 1,200,000 / 50,000 = 24; 800,000 / 100,000 = 8.
    assert [s["customers"] for s in got["segments"]] == [40, 24, 8]
    company = got["company"]
    # Leads: EMEA 40 / 25 % / 20 % / 25 % = 3,200; US 24 -> 1,920; Partners 8 / 50 % / 20 %
    # = 80: 5,200. MQL 800 + 480 = 1,280; opportunities 160 + 96 = 256; registrations 16.
    assert company["annual"] == {"Leads": 5200, "MQL": 1280, "Opportunities": 256,
                                 "Deal registrations": 16, "Customers": 72}  # fmt: skip
    # Even quarters: 72 / 4 = 18 customers and 5,200 / 4 = 1,300 leads each.
    assert company["quarterly"]["Customers"] == [18, 18, 18, 18]
    assert company["quarterly"]["Leads"] == [1300, 1300, 1300, 1300]
    assert company["cac"] == pytest.approx(650_000 / 72)
    table = run(*args)  # the table as README shows it: euros, FY2028's quarters
    assert "New-logo goal €4,000,000" in table.output
    # A column's amounts share their decimals: 7,500.00 above 9,027.78.
    assert "│ Company  │        │       │ €4,000,000 │        72 │ €650,000 │  €9,027.78 │" in (
        table.output
    )
    assert "│ EMEA     │ region │  50 % │ €2,000,000 │        40 │ €300,000 │  €7,500.00 │" in (
        table.output
    )
    assert "Q1 FY2028" in table.output


def test_company_json_adds_up():
    result = run("plan", "--segments", SEGMENTS, *BRIDGE, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert [s["goal"] for s in document["segments"]] == pytest.approx([2e6, 1.2e6, 0.8e6])
    assert document["company"]["customers"] == 72
    assert sum(document["company"]["quarterly"]["Leads"]) == document["company"]["annual"]["Leads"]
    assert document["arr_bridge"]["new_logo_arr"] == pytest.approx(4e6)


def test_company_csv_by_quarter():
    result = run("plan", "--segments", SEGMENTS, *BRIDGE, "--format", "csv", "--period",
                 "quarterly")  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "stage,Q1,Q2,Q3,Q4,Year"
    # 72 customers a year evenly: 18 a quarter.
    assert lines[-1] == "Customers,18,18,18,18,72"


def test_single_plan_takes_the_bridges_new_logo_goal():
    # Issue 32's check: 4,000,000 of new logos at 50,000 a deal = 80 customers.
    result = run("plan", "--deal-size", "50000", *BRIDGE)
    assert result.exit_code == 0, result.output
    assert "4,000,000 of revenue / 50,000 a deal = 80 customers" in result.output


@pytest.mark.parametrize(("nrr", "grr"), [("1.1", "0.9"), ("110%", "90%")])
def test_retention_rates_read_as_ratios_or_percentages(nrr, grr):
    # NRR passes 100 %: 1.1 is 110 % (not +110 % growth, which refused it once).
    args = ["--starting-arr", "10000000", "--net-retention", nrr, "--gross-retention", grr,
            "--target-arr", "15000000"]  # fmt: skip
    result = run("plan", "--deal-size", "50000", *args)
    assert result.exit_code == 0, result.output
    assert "= 80 customers" in result.output


def test_expansion_goal_is_taken_out_of_the_revenue_goal():
    result = run("plan", "--example", "--expansion-goal", "2,000,000")
    assert result.exit_code == 0, result.output
    assert "New-logo goal 8,000,000: revenue goal 10,000,000 - expansion 2,000,000" in result.output


def test_ramping_targets_plan_each_quarter():
    # Kellblog's 5.0, 5.25, 6.0 and 7.5 million at 250,000 a deal: 20, 21, 24 and 30 deals.
    targets = "5000000,5250000,6000000,7500000"
    result = run("plan", "--targets", targets, "--deal-size", "250000", "--rates", "20%",
                 "--stages", "Opportunities,Customers", "--format", "csv")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["stage,Year,Q1,Q2,Q3,Q4",
                                          "Opportunities,475,100,105,120,150",
                                          "Customers,95,20,21,24,30"]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--net-retention", "80%", *BRIDGE[:2], *BRIDGE[4:]],
         "--net-retention 0.8: must be at least the gross retention"),
        (["--starting-arr", "10000000", "--target-arr", "15000000"],
         "--net-retention: the ARR bridge needs"),
        (["--example", "--expansion-goal", "20000000"], "--expansion-goal 20000000: is more than"),
        (["--targets", "1,2,3", "--deal-size", "10"], "give 4 quarterly or 12 monthly targets"),
        ([*BRIDGE[:2], "--net-retention", "110", *BRIDGE[4:], "--deal-size", "1"],
         "--net-retention 110: must be a fraction: 110 looks like a percentage, write 1.1"),
        ([*BRIDGE[:4], "--gross-retention", "120%", *BRIDGE[6:]],
         "--gross-retention 120%: is 120%: a rate or margin is at most 100%"),
        (["--targets", "1,2,3,4", "--revenue-goal", "10"], "--targets: set the goal"),
    ],
)  # fmt: skip
def test_retention_and_target_mistakes_exit_2(args, message):
    result = run("plan", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--weights", "1,2,3,4", "--period", "quarterly"],
         "--weights: not used with --segments: the segments table sets each segment's "
         "seasonality (SeasonalityWeights1..12)"),
        (["--lags", "0,10,20,15,45"], "--lags: not used with --segments"),
        (["--channels", "examples/channels.csv"], "--channels: not used with --segments"),
        (["--targets", "1,2,3,4"], "--targets: not used with --segments"),
        (["--whatif"], "--whatif: not used with --segments"),
        (["--step", "5%"], "--step: not used with --segments"),
    ],
)  # fmt: skip
def test_a_single_plan_option_with_segments_is_refused_not_ignored(option, message):
    # A company plan has no place for these: printing its plan without them would look as
    # if they had been applied.
    result = run("plan", "--segments", "examples/segments.csv", "--revenue-goal", "1e7", *option)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Segments" not in result.output


def test_segments_table_mistake_names_row_and_column(tmp_path):
    table = tmp_path / "segments.csv"
    table.write_text("Segment,Share\nEMEA,60%\nUS,30%\n", encoding="utf-8")
    result = run("plan", "--segments", str(table), "--revenue-goal", "1000000")
    assert result.exit_code == 2
    assert "segment goals = 900000: add up to 900,000.00 (90.00% of the goal" in result.output
    table.write_text("Segment,DealSize\nEMEA,50000\n", encoding="utf-8")
    result = run("plan", "--segments", str(table))
    assert result.exit_code == 2
    assert "row 2, column 'RevenueGoal': is empty and the segment has no Share" in result.output


def test_company_quarters_in_a_fiscal_year():
    # FY2028 from April, named by its end year: Q1 FY2028 is April to June 2027.
    result = run("plan", "--segments", SEGMENTS, *BRIDGE, "--fiscal-year-start", "April",
                 "--plan-year", "2028", "--period", "quarterly", "--format", "csv")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "stage,Q1 FY2028,Q2 FY2028,Q3 FY2028,Q4 FY2028,Year"
    monthly = run("plan", "--segments", SEGMENTS, *BRIDGE, "--fiscal-year-start", "4",
                  "--plan-year", "2028", "--period", "monthly", "--format", "csv")  # fmt: skip
    header = monthly.output.splitlines()[0].split(",")
    assert header[1:3] == ["Apr 2027", "May 2027"]
    assert header[12] == "Mar 2028"


def test_a_segment_on_another_calendar_is_refused(tmp_path):
    table = tmp_path / "segments.csv"
    table.write_text("Segment,RevenueGoal,FiscalYearStart\nEMEA,1000000,\nUS,1000000,7\n")
    result = run("plan", "--segments", str(table), "--fiscal-year-start", "4")
    assert result.exit_code == 2
    assert ("segment 'US': fiscal_year_start = 7: is not the company's (4): a company plans one "
            "year, on one calendar") in result.output  # fmt: skip
