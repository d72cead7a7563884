"""`kpi-planner build --segments`: README's company example as a workbook with a Company
sheet (its formulas are checked against the engine in tests/workbook/sheets/company), and
one-line refusals with exit 2."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from kpi_planner.cli.main import app
from kpi_planner.workbook.sheets.company.grid import COMPANY

runner = CliRunner()
SEGMENTS = Path(__file__).parents[2] / "examples" / "segments.csv"
BRIDGE = ["--starting-arr", "10000000", "--net-retention", "110%", "--gross-retention", "90%",
          "--target-arr", "15000000"]  # fmt: skip


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})


def test_the_company_example_writes_the_company_sheet(tmp_path):
    out = tmp_path / "company.xlsx"
    result = run("build", "--out", out, "--segments", SEGMENTS, *BRIDGE)
    assert result.exit_code == 0, result.output
    # 15,000,000 - 10,000,000 x 110 % = 4,000,000 for new logos; 50/30/20 % at 50,000,
    # 50,000 and 100,000 a deal: 40 + 24 + 8 = 72 customers for 650,000 of budget.
    first, second = result.stdout.splitlines()[:2]
    assert first == (f"wrote {out}: Company sheet: 3 segments, new-logo goal 4,000,000, "
                     "72 customers, CAC 9,027.78")  # 650,000 / 72  # fmt: skip
    # The Plan sheet after it holds the company's defaults, the worked example's here.
    assert second.startswith("Plan sheet (what a segment leaves empty takes): 83,334 Visits")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:3] == ["Summary", COMPANY, "Plan"]  # the company's plan first
    sheet = book[COMPANY]
    assert [sheet[f"A{row}"].value for row in (21, 22, 23)] == ["EMEA", "US", "Partners"]
    assert sheet["B8"].value == 15_000_000
    assert sheet["B15"].value.startswith("=IF(CompanyGoalCheck")
    # The engine's values ride along as the formulas' cached results.
    cached = openpyxl.load_workbook(out, data_only=True)[COMPANY]
    assert cached["B15"].value == 4_000_000
    assert [cached[f"H{row}"].value for row in (21, 22, 23)] == [40, 24, 8]


def test_retention_options_need_segments(tmp_path):
    result = run("build", "--out", tmp_path / "plan.xlsx", *BRIDGE)
    assert result.exit_code == 2
    assert "give --segments too" in result.output
    assert not (tmp_path / "plan.xlsx").exists()


def test_more_segments_than_the_sheet_holds_are_refused(tmp_path):
    table = tmp_path / "nine.csv"
    rows = "\n".join(f"S{i},1000000" for i in range(9))
    table.write_text(f"Segment,RevenueGoal\n{rows}\n", encoding="utf-8")
    result = run("build", "--out", tmp_path / "plan.xlsx", "--segments", table)
    assert result.exit_code == 2
    assert "--segments nine.csv: segments = 9: are more than the Company sheet's 8" in (
        " ".join(result.output.split())
    )


def test_out_on_the_segments_table_is_refused_even_with_force(tmp_path):
    table = tmp_path / "segments.csv"
    table.write_bytes(SEGMENTS.read_bytes())
    result = run("build", "--out", table, "--segments", table, "--force")
    assert result.exit_code == 2
    assert "is the input" in result.output
    assert table.read_bytes() == SEGMENTS.read_bytes()


def test_readme_gives_the_company_sheets_cells_of_its_example(tmp_path):
    # README's defined names of the Company sheet are those of `build --segments
    # examples/segments.csv`: each name on a row of its own there names its cells.
    from kpi_planner.cli.company import RetentionOptions, read_company
    from kpi_planner.plan.one_plan import PlanInputs
    from kpi_planner.workbook import book as plan_book

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    company, _ = read_company(SEGMENTS, PlanInputs(), None, RetentionOptions(*BRIDGE[1::2]))
    names = [n for n in plan_book.plan_workbook(company=company).names if n.sheet == COMPANY]
    alone = [n for n in names if f"| `{n.name}` |" in readme]
    assert len(alone) > 15
    for name in alone:
        assert f"| `{name.name}` | Company!{name.ref.replace('$', '')} |" in readme, name.name


def test_a_stage_name_sumif_would_read_as_a_pattern_is_refused(tmp_path):
    # SUMIF's criteria "Leads*" would also add any stage starting with "Leads": the Company
    # sheet's roll-up would then differ from the engine's, which adds names as typed.
    table = tmp_path / "pattern.csv"
    table.write_text("Segment,RevenueGoal,StageNames1,StageNames2,StageNames3,StageRates1,"
                     "StageRates2\nEMEA,1000000,Leads*,MQL,Customers,20%,10%\n"
                     "US,1000000,Visits,MQL,Customers,20%,10%\n", encoding="utf-8")  # fmt: skip
    out = tmp_path / "plan.xlsx"
    result = run("build", "--out", out, "--segments", table)
    assert result.exit_code == 2, result.output
    assert "stages of segment 'EMEA' = 'Leads*': is a pattern for Excel's SUMIF" in (
        " ".join(result.output.split())
    )
    assert not out.exists()


def test_a_forecast_of_the_company_is_refused_not_measured_against_the_defaults(tmp_path):
    # The Forecast sheet reads the Plan sheet's goal and plan: in a company's workbook,
    # the segments' defaults. Refused, with what to do instead; nothing written.
    examples = Path(__file__).resolve().parents[2] / "examples"
    out = tmp_path / "company.xlsx"
    result = CliRunner().invoke(app, [
        "build", "--out", str(out), "--segments", str(examples / "segments.csv"),
        "--revenue-goal", "20000000", "--opportunities",
        str(examples / "forecast-opportunities.csv"), "--as-of", "2027-06-30"])  # fmt: skip
    assert result.exit_code == 2
    assert "--opportunities" in result.output
    assert "forecast` per segment" in result.output
    assert not out.exists()
