"""`kpi-planner plan --team`: each role's heads, hiring plan, bottleneck and budget, worked
by hand; a bad roles table is one line per cell with row and column, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_planner.cli.main import app

runner = CliRunner()
# 12 customers at 100,000 (1,200,000), 50 % from opportunity: 24 opportunities, two a month.
PLAN = ["plan", "--revenue-goal", "1200000", "--deal-size", "100000", "--rates", "50%",
        "--stages", "Opportunities,Won", "--budget", "60000"]  # fmt: skip
HEADER = "Role,Stage,Capacity,Ramp,RampPeriod,Attrition,HiringLag,Cost,Current"


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def roles(tmp_path, *rows: str):
    path = tmp_path / "team.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_one_ae_carries_half_and_one_hire_carries_the_rest(tmp_path):
    # An AE handles 1 opportunity a month, fully ramped from the start, and costs 10,000 a
    # month; there is 1. Two opportunities a month need 2 AEs: the one alone carries 50 %
    # (600,000 of 1,200,000); one hire starting in the first month meets the plan.
    team = roles(tmp_path, "AE,Opportunities,1,,month,0,0,10000,1")
    result = run(*PLAN, "--team", team, "--format", "json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    [ae] = got["roles"]
    assert ae["volumes"] == [2] * 12
    assert ae["needed"] == [2] * 12
    assert ae["starts"] == [1] + [0] * 11
    assert ae["shortfall"] == [0] * 12
    assert ae["carries"] == 0.5
    assert (got["bottleneck"], got["reachable_revenue"]) == ("AE", 600_000)
    # People: 2 AEs x 12 months x 10,000 = 240,000; + 60,000 of programs = 300,000; over
    # 12 customers, 25,000 each; 300,000 / 1,200,000 = 25 % of the new revenue.
    assert got["budget"] == {
        "people": 240_000,
        "programs": 60_000,
        "total": 300_000,
        "fully_loaded_cac": 25_000,
        "share_of_new_revenue": 0.25,
    }
    table = run(*PLAN, "--team", team)
    printed = " ".join(table.output.split())
    assert "Bottleneck: AE (Opportunities): the current team carries 50% of it" in printed
    assert "people 240,000 + programs 60,000 = 300,000; fully loaded CAC 25,000" in printed


def test_a_hire_who_ramps_and_waits_leaves_a_shortfall_said_by_month(tmp_path):
    # Hiring takes 2 months and a new AE handles nothing in the first month (ramp 0 %).
    # Nobody can start before month 3; one who starts then handles nothing that month, so
    # months 1-3 are each 1 opportunity short. Month 4 is met by a hire starting in month
    # 3 (fully ramped by month 4), opened in month 1.
    team = roles(tmp_path, "AE,Opportunities,1,0%,month,0,2,10000,1")
    got = json.loads(run(*PLAN, "--team", team, "--format", "json").output)
    [ae] = got["roles"]
    assert ae["shortfall"] == [1, 1, 1] + [0] * 9
    assert ae["starts"] == [0, 0, 1] + [0] * 9
    assert ae["opened"] == [1] + [0] * 11


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("AE,Opportunities,1,\"0%,150%\",month,0,0,1,1",
         "row 2, column 'Ramp' = '0%,150%'"),
        ("AE,Opportunities,0,,month,0,0,1,1",
         "row 2, column 'Capacity' = '0': must be above 0"),
        ("AE,Opportunities,1,,month,0,-1,1,1",
         "row 2, column 'HiringLag' = '-1': must be a whole number of months, 0 or more"),
        ("AE,Demos,1,,month,0,0,1,1",
         "row 2, column 'Stage' = 'Demos': is not a stage of the funnel (Opportunities, Won)"),
        ("=1+1,Opportunities,1,,month,0,0,1,1",  # a workbook would take it for a formula
         "row 2, column 'Role' = '=1+1': starts with '='"),
    ],
)  # fmt: skip
def test_a_bad_role_is_named_by_row_and_column(tmp_path, row, message):
    result = run(*PLAN, "--team", roles(tmp_path, row))
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())


def test_a_plan_without_a_team_is_unchanged():
    assert "Heads needed" not in run(*PLAN).output


def test_with_lags_a_role_works_each_stage_in_the_month_it_must_arrive(tmp_path):
    # Opportunities come a month (30 days) before their deals: each month's are for the
    # next month's customer (one a month, so two opportunities). December's are for next
    # January's, which at +100 % growth has two customers: four opportunities, 4 AEs.
    team = roles(tmp_path, "AE,Opportunities,1,,month,0,0,10000,4")
    got = json.loads(run(*PLAN, "--lags", "30", "--growth", "100%", "--team", team,
                         "--format", "json").output)  # fmt: skip
    [ae] = got["roles"]
    assert ae["volumes"] == [2] * 11 + [4]
    assert ae["needed"] == [2] * 11 + [4]


def test_an_empty_roles_table_says_so_and_csv_has_a_row_per_role_and_month(tmp_path):
    result = run(*PLAN, "--team", roles(tmp_path))
    assert result.exit_code == 2
    assert "team.csv: has no roles: one row per role" in result.output
    team = roles(tmp_path, "AE,Opportunities,1,,month,0,0,10000,1")
    lines = run(*PLAN, "--team", team, "--format", "csv").output.splitlines()
    assert lines[0] == "role,month,volume,needed,current_capacity,starts,opened,shortfall,payroll"
    assert lines[1] == "AE,1,2.0,2,1.0,1,1,0.0,2.0"  # 2 needed, 1 there, 1 hired: 2 paid
    assert len(lines) == 1 + 12


def test_build_team_adds_the_capacity_sheet_with_the_plans_hires(tmp_path):
    # The same AE as above: one hire starting in the first month, typed into the sheet.
    import openpyxl

    from kpi_planner.workbook.sheets.capacity import CAPACITY, CapacityGrid

    team = roles(tmp_path, "AE,Opportunities,1,,month,0,0,10000,1")
    out = tmp_path / "plan.xlsx"
    result = run("build", "--out", out, *PLAN[1:], "--team", team)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:4] == ["Summary", "Plan", "Pipeline", CAPACITY]
    sheet, grid = book[CAPACITY], CapacityGrid(1)
    assert sheet[f"A{grid.role_row(0)}"].value == "AE"
    starts = [sheet[f"{c}{grid.block_row(0, 'starts')}"].value for c in "CDEFGHIJKLMN"]
    assert starts == [1] + [0] * 11


@pytest.mark.parametrize(
    ("extra", "message"),
    [(["--segments", Path(__file__).parents[2] / "examples" / "segments.csv"],
      "--team: the Capacity sheet plans one"),
     ([], "row 2, column 'Stage' = 'Demos': is not a stage")],
)  # fmt: skip
def test_build_team_refuses_what_it_cannot_plan_and_writes_nothing(tmp_path, extra, message):
    team = roles(tmp_path, "AE,Demos,1,,month,0,0,10000,1")
    out = tmp_path / "plan.xlsx"
    result = run("build", "--out", out, *PLAN[1:], "--team", team, *extra)
    assert result.exit_code == 2
    assert message in result.output
    assert not out.exists()


def company_team_plan(tmp_path) -> list:
    """``plan`` of the segments and roles tables in ``tmp_path``, a goal of 2,400,000."""
    return ["plan", "--segments", tmp_path / "segments.csv", "--revenue-goal", "2400000",
            "--team", tmp_path / "team.csv"]  # fmt: skip


def company_team_json(tmp_path, segments: str, team: str) -> dict:
    """The company team's JSON for the tables ``segments`` and ``team`` (CSV text)."""
    (tmp_path / "segments.csv").write_text(segments, encoding="utf-8")
    (tmp_path / "team.csv").write_text(team, encoding="utf-8")
    result = run(*company_team_plan(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_company_plans_each_segments_team_and_the_shared_roles(tmp_path):
    # Two segments of 1,200,000 each (half of 2,400,000) at 100,000 a deal and 50 % from
    # opportunity: 24 opportunities a year, 2 a month, each. A's one AE handles 1 a month
    # (50 %), so one hire starts in month 1; B's two carry all of theirs. A company-wide
    # "Deal desk" role handles 2 of the 4 opportunities a month with its one person (50 %).
    segments = ("Segment,Share,DealSize,MarketingBudget,StageNames1,StageNames2,StageRates1\n"
                "A,50%,100000,30000,Opportunities,Won,50%\n"
                "B,50%,100000,30000,Opportunities,Won,50%\n")  # fmt: skip
    team = ("Role,Segment,Stage,Capacity,Cost,Current\nAE,A,Opportunities,1,10000,1\n"
            "AE,B,Opportunities,1,10000,2\nDeal desk,,Opportunities,2,5000,1\n")  # fmt: skip
    got = company_team_json(tmp_path, segments, team)
    [a_ae], [b_ae] = got["segments"]["A"]["roles"], got["segments"]["B"]["roles"]
    [desk] = got["company_wide"]["roles"]
    assert (a_ae["carries"], b_ae["carries"], desk["carries"]) == (0.5, 1.0, 0.5)
    assert a_ae["starts"] == desk["starts"] == [1] + [0] * 11
    assert b_ae["starts"] == [0] * 12
    assert got["rolled_up"]["AE"]["needed"] == [4] * 12  # 2 in A + 2 in B, each month
    # Each segment reaches its goal x the least any role carries of it: 600,000 + 600,000.
    assert got["reachable_revenue"] == 1_200_000
    assert got["bottleneck"] == {"segment": "A", "role": "AE"}
    # People: 2 AEs in A, 2 in B at 10,000 and 2 at the desk at 5,000, 12 months each;
    # programs: the segments' 30,000 + 30,000.
    assert got["budget"]["people"] == (2 + 2) * 10_000 * 12 + 2 * 5_000 * 12 == 600_000
    assert got["budget"]["total"] == 660_000
    # The table says the same in words; a role naming no segment of the table is refused.
    table = run(*company_team_plan(tmp_path))
    assert "Bottleneck: AE (A, Opportunities)" in table.output
    (tmp_path / "team.csv").write_text("Role,Segment,Stage,Capacity\nAE,C,Opportunities,1\n",
                                       encoding="utf-8")  # fmt: skip
    refused = run(*company_team_plan(tmp_path))
    assert refused.exit_code == 2
    assert "row 2, column 'Segment' = 'C': is not a segment" in refused.output
    assert "Segments" not in refused.output  # nothing printed before the refusal


def test_a_shared_role_limits_only_the_segments_that_have_its_stage(tmp_path):
    # Two segments of 1,200,000: A's funnel Opportunities -> Won, B's Registrations -> Won.
    # A company-wide desk on registrations carries half of B's 2 a month (capacity 1); A has
    # no registrations, so it reaches its whole goal: 1,200,000 + 600,000.
    segments = (
        "Segment,Share,DealSize,StageNames1,StageNames2,StageRates1\n"
        "A,50%,100000,Opportunities,Won,50%\nB,50%,100000,Registrations,Won,50%\n"
    )
    got = company_team_json(tmp_path, segments, "Role,Stage,Capacity,Current\n"
                            "Desk,Registrations,1,1\n")  # fmt: skip
    assert got["company_wide"]["roles"][0]["carries"] == 0.5
    assert got["reachable_revenue"] == 1_800_000
    assert "budget" not in got["company_wide"]  # the company's budget is counted once


def test_build_team_refuses_a_stage_excel_reads_as_a_pattern(tmp_path):
    team = roles(tmp_path, "AE,Won?,1,,month,0,0,10000,1")
    out = tmp_path / "plan.xlsx"
    result = run("build", "--out", out, *PLAN[1:-4], "--stages", "Opportunities,Won?", "--budget",
                 "60000", "--team", team)  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "MATCH reads as a pattern" in result.output
    assert not out.exists()
