"""Every table the commands print, in an 80-column terminal: no header or number cut
("opportuniti…"), nothing past the edge, and a column's numbers at the same decimals
(issue 35)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_planner.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
TRACKED = ROOT / "tests" / "golden" / "inputs" / "tracked.xlsx"
COMMANDS = {
    "plan": ["plan", "--example", "--period", "monthly"],
    "channels": ["plan", "--example", "--budget", "600000", "--channels",
                 EXAMPLES / "channels.csv", "--optimise", "--whatif"],
    "scenarios": ["plan", "--example", "--scenario", EXAMPLES / "scenarios.csv"],
    "pipeline": ["pipeline", EXAMPLES / "opportunities.csv", "--goal", "1000000",
                 "--deal-size", "50000", "--plan-year", "2027"],
    "team": ["plan", "--example", "--budget", "600000", "--team", EXAMPLES / "team.csv"],
    "company": ["plan", "--segments", EXAMPLES / "segments.csv", "--revenue-goal", "20000000",
                "--team", EXAMPLES / "company-team.csv"],
    "forecast": ["forecast", EXAMPLES / "forecast-opportunities.csv", "--as-of", "2027-06-30",
                 "--revenue-goal", "2000000", "--deal-size", "50000", "--plan-year", "2027"],
    "report": ["report", TRACKED],
}  # fmt: skip


@pytest.mark.parametrize("name", list(COMMANDS))
def test_nothing_is_cut_at_80_columns(name):
    result = CliRunner().invoke(app, [str(a) for a in COMMANDS[name]], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "…" not in result.output
    table_lines = [line for line in result.output.splitlines() if set(line) & set("│┃┏┡└")]
    assert table_lines
    assert max(len(line) for line in table_lines) <= 80
    assert all(line.rstrip()[-1] in "│┃┓┩┘" for line in table_lines)  # the right edge shown


def test_the_pipeline_plans_header_wraps_between_words_and_its_numbers_share_decimals():
    result = CliRunner().invoke(app, [str(a) for a in COMMANDS["pipeline"]],
                                env={"COLUMNS": "80"})  # fmt: skip
    assert "opportunities" in result.output  # "from earlier opportunities", wrapped whole
    # April takes nothing from earlier opportunities: 0.00 beside March's 0.52, not "0".
    [april] = [line for line in result.output.splitlines() if line.startswith("│ Apr 2027")]
    cells = [cell.strip() for cell in april.strip("│").split("│")]
    assert cells[2] == "0.00"
    assert cells[5] == "0.00"


def test_a_table_too_wide_for_80_columns_is_stacked_not_cut(tmp_path):
    # Plan vs actual by channel has eleven columns: at 80 they print as two tables, each
    # after the channel's name (tests/cli/test_report.py's workbook).
    from kpi_planner.plan import one_plan
    from kpi_planner.workbook import book as plan_book
    from kpi_planner.workbook.render import xlsx
    from kpi_planner.workbook.sheets.tracking import layout as tracking
    from tests.cli.test_report import INPUTS

    monthly = one_plan.plan_outputs(INPUTS).required_monthly
    track = tracking.TrackingInputs(3, tuple(map(tuple, monthly.tolist())), (1000.0,) * 12,
                                    channel_actuals=((150, 1, 9000), (60, 0, 7500)))  # fmt: skip
    path = xlsx.save(plan_book.plan_workbook(INPUTS, track), tmp_path / "by-channel.xlsx")
    result = CliRunner().invoke(app, ["report", str(path)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "…" not in result.output
    part = result.output[result.output.index("by channel") :]
    assert part.count("┃ Channel") == 2  # the row labels repeated in each part
    assert "Customers" in part
    assert "CAC" in part
    assert "│ Events          │   85.23 │     60 │        70% │      0.68 │" in part


def test_a_table_of_measures_shares_decimals_by_row_not_by_column():
    # Side by side, a scenario's column holds its visits and its CAC: the visits stay whole
    # (83,334), whatever the CAC's cents; a role's hires stay whole people.
    for name, wanted in (("scenarios", "│ Visits"), ("team", "│ Hires starting")):
        result = CliRunner().invoke(app, [str(a) for a in COMMANDS[name]],
                                    env={"COLUMNS": "200"})  # fmt: skip
        rows = [line for line in result.output.splitlines() if line.startswith(wanted)]
        assert rows
        assert not [row for row in rows if ".00" in row]


def test_a_name_rich_would_read_as_markup_is_printed_as_typed(tmp_path):
    table = tmp_path / "scenarios.csv"
    table.write_text("scenario,deal size\n[/q] worst case scenario,900000\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["plan", "--example", "--scenario", str(table)],
                                env={"COLUMNS": "80"})  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "[/q]" in result.output


def test_long_text_wraps_in_its_column_and_an_empty_table_prints():
    from rich.table import Table

    from kpi_planner.reports.text_tables import readable

    table = Table("Goal", "Status", "Why / what it means")
    table.add_row("SQL per month", "at risk", "behind the steady path by more than the " * 3)
    assert readable(table, width=80) is table  # wrapped in place, not stacked
    empty = Table("Stage", "Planned", "Actual")
    assert readable(empty, width=80) is empty
