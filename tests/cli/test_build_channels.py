"""`kpi-planner build --channels --optimise --scenario --step`: the Channels and What-if
sheets filled from the command line (issue 11); their formulas are checked against the
engine in tests/workbook/sheets/test_channel_sheets.py."""

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from kpi_planner.cli.main import app
from kpi_planner.workbook.sheets.channels import grid as cg
from kpi_planner.workbook.sheets.whatif import grid as wg

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})


def test_channels_optimal_mix_and_scenarios_go_into_their_sheets(tmp_path):
    out = tmp_path / "mix.xlsx"
    result = run("build", "--out", out, "--budget", "600000", "--channels",
                 EXAMPLES / "channels.csv", "--optimise", "--scenario",
                 EXAMPLES / "scenarios.csv", "--step", "5%")  # fmt: skip
    assert result.exit_code == 0, result.output
    # README's worked example: 86,956.52 needed by the mix typed in, 70,333.33 by the optimum.
    assert "budget needed 86,956.52, optimal mix 70,333.33" in result.stdout
    book = openpyxl.load_workbook(out)
    channels = book[cg.CHANNELS]
    rows = range(cg.FIRST_INPUT, cg.FIRST_INPUT + 3)
    assert [channels[f"A{r}"].value for r in rows] == ["Paid search", "Events", "Content and SEO"]
    assert [channels[f"B{r}"].value for r in rows] == [0.5, 0.3, 0.2]
    assert [channels[f"C{r}"].value for r in rows] == [60, 150, 25]
    assert channels[f"E{cg.FIRST_INPUT}"].value == 700  # search's max volume
    assert channels[f"D{cg.FIRST_INPUT + 2}"].value == 0.3  # content's max share
    # Events' own Leads -> MQL rate (30 %) sits in the first own-rate column below leads.
    grid = cg.ChannelGrid(6)
    assert channels[f"{grid.own_column(2)}{cg.FIRST_INPUT + 1}"].value == 0.3
    # The optimum as values (README): content 30 % of the leads, search its 700 leads,
    # events the rest; 700 x 60 = 42,000 for search.
    optimal = {channels[f"A{r}"].value: (channels[f"C{r}"].value, channels[f"D{r}"].value)
               for r in range(cg.FIRST_OPTIMAL, cg.FIRST_OPTIMAL + 3)}  # fmt: skip
    assert optimal["Paid search"] == pytest.approx((700, 42_000))
    assert channels[f"D{cg.OPTIMAL_TOTAL_ROW}"].value == pytest.approx(70_333.333333)
    assert "Paid search: at most 700 Leads" in channels[f"A{cg.BINDING_ROW}"].value
    whatif = book[wg.WHATIF]
    assert whatif[f"B{wg.STEP_ROW}"].value == 0.05
    first, second = wg.SCENARIO_COLUMNS[1:3]
    assert (whatif[f"{first}{wg.NAME_ROW}"].value, whatif[f"{second}{wg.NAME_ROW}"].value) == (
        "best", "worst")  # fmt: skip
    # Only what each scenario changes is typed in: the best case's deal size and MQL -> SQL
    # rate (the third step), the worst's budget too; the rest stays empty (the base's).
    sheet_grid = wg.WhatIfGrid(6)
    assert whatif[f"{first}{wg.DEAL_ROW}"].value == 1_300_000
    assert whatif[f"{first}{sheet_grid.rate_row(3)}"].value == 0.25
    assert whatif[f"{second}{wg.BUDGET_ROW}"].value == 500_000
    assert whatif[f"{first}{wg.BUDGET_ROW}"].value is None
    assert whatif[f"{first}{wg.GOAL_ROW}"].value is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--optimise"], "--optimise: give the channels to optimise with --channels"),
        (["--step", "0"], "--step 0: must be between -100 % and 100 %, not 0"),
        (["--channels", "CHANNELS", "--entry", "Customers"],
         "--entry Customers: must be a stage above the last"),
        (["--scenario", "CUSTOMERS"], "the What-if sheet changes the revenue goal and deal "
         "size, not customers"),
        (["--channels", "TIGHT", "--optimise"],
         "raise a max_volume or max_share, or add a channel"),
    ],
)  # fmt: skip
def test_bad_channel_options_are_refused_and_nothing_is_written(tmp_path, args, message):
    tables = {"CHANNELS": EXAMPLES / "channels.csv", "CUSTOMERS": tmp_path / "customers.csv",
              "TIGHT": tmp_path / "tight.csv"}  # fmt: skip
    tables["CUSTOMERS"].write_text("scenario,customers\nsmall,5\n")
    # 20 leads in all at most: 0.16 of the 10 customers at the seed's 0.8 % below leads.
    tables["TIGHT"].write_text("channel,share,cost per lead,max volume\nA,50%,10,10\nB,50%,20,10\n")
    out = tmp_path / "plan.xlsx"
    result = run("build", "--out", out, *[tables.get(a, a) for a in args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert not out.exists()
