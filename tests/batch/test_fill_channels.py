"""`kpi-planner fill` with channel columns: each row's channels fill the Channels and What-if
sheets, their cached values are the engine's, and bad channels are bad rows (issue 11)."""

import math

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from kpi_engine import Channel
from kpi_planner.cli.main import app
from kpi_planner.plan import one_plan
from kpi_planner.plan.channels import DEFAULT_CHANNELS
from kpi_planner.workbook.render import compiled as fast
from kpi_planner.workbook.sheets.channels import formulas as channel_formulas
from kpi_planner.workbook.sheets.channels import grid as cg
from kpi_planner.workbook.sheets.whatif import formulas as whatif_formulas
from kpi_planner.workbook.sheets.whatif import grid as whatif

runner = CliRunner()

HEADER = ("Name,RevenueGoal,ChannelNames1,ChannelShares1,ChannelCosts1,ChannelNames2,"
          "ChannelShares2,ChannelCosts2,Channel2Rates2,ChannelEntry,WhatIfStep\n")  # fmt: skip


def fill(tmp_path, *rows):
    path = tmp_path / "scenarios.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n")
    out = tmp_path / "plans"
    result = runner.invoke(app, ["fill", str(path), "--out", str(out), "--jobs", "1",
                                 "--summary", str(out / "summary.csv")],
                           env={"COLUMNS": "250"})  # fmt: skip
    return result, out


def test_a_row_s_channels_fill_the_channels_sheet(tmp_path):
    result, out = fill(tmp_path, "EMEA,10000000,Search,60%,50,Events,40%,200,30%,Leads,5%")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out / "EMEA.xlsx", data_only=True)
    sheet = book[cg.CHANNELS]
    # Only the row's two channels: a table that names channels takes none of the template's.
    assert [sheet[f"A{r}"].value for r in range(cg.FIRST_INPUT, cg.FIRST_INPUT + 3)] == [
        "Search", "Events", None]  # fmt: skip
    # Independent arithmetic: 10,000,000 / 1,100,000 = 9.09 -> 10 customers (whole numbers).
    # Below leads the seed's rates close 0.2 x 0.2 x 0.4 x 0.5 = 0.8 % of search's leads,
    # events (30 % to MQL) 1.2 %; the mix 0.6 x 0.8 % + 0.4 x 1.2 % = 0.96 %, so 10 customers
    # need 1,041.67 leads at 0.6 x 50 + 0.4 x 200 = 110 a lead: 114,583.33 of budget, of
    # which search 1,041.67 x 0.6 x 50 = 31,250 and events 83,333.33.
    budget = book.defined_names["BudgetNeeded"].attr_text.split("!")[1].replace("$", "")
    assert sheet[budget].value == pytest.approx(114_583.333333, rel=1e-9)
    budgets = [sheet[f"{cg.ChannelGrid(6).budget_column}{cg.FIRST_RESULT + i}"].value
               for i in range(2)]  # fmt: skip
    assert budgets == pytest.approx([31_250, 83_333.333333])
    assert book[whatif.WHATIF]["B5"].value == 0.05  # the row's what-if step
    summary = pd.read_csv(out / "summary.csv")
    # The summary's budget columns: needed, and 600,000 - 114,583.33 = 485,416.67 left over.
    assert summary.loc[0, "BudgetNeeded"] == pytest.approx(114_583.333333)
    assert summary.loc[0, "BudgetGap"] == pytest.approx(485_416.666667)


def test_cached_values_of_both_sheets_are_the_engine_s(tmp_path):
    # The fill's cached values sit in the cells whose formulas compute them: each equals the
    # engine's output that the cell's formula is checked against (test_channel_sheets.py
    # shows the evaluator's value of each formula is that output).
    partners = Channel("Partners", 0.2, 90.0, rates=(0.4,), max_share=0.5)  # 40 % to MQL
    inputs = one_plan.PlanInputs(
        channels=(*DEFAULT_CHANNELS[:2], partners), whatif_step=-0.1, marketing_budget=80_000
    )  # a gap: the budget is short
    row = one_plan.scenario_row(inputs)
    outputs = one_plan.plan_outputs(inputs).by_name()
    data = fast.CompiledPlan(6).workbook(row, fast.outputs_of(row, outputs))
    path = tmp_path / "filled.xlsx"
    path.write_bytes(data)
    book = openpyxl.load_workbook(path, data_only=True)
    outputs["StageNames"] = list(inputs.stages)
    checked = 0
    for title, sources in ((cg.CHANNELS, channel_formulas.formula_sources),
                           (whatif.WHATIF, whatif_formulas.formula_sources)):  # fmt: skip
        for ref, (name, index) in sources(6).items():
            want = outputs[name]
            for i in index:
                want = want[i]
            got = book[title][ref].value
            if isinstance(want, str):
                assert (got or "") == want, (title, ref)
            elif want is None or (isinstance(want, float) and math.isnan(want)):
                assert got in (None, ""), (title, ref)
            else:
                assert math.isclose(got, float(want), rel_tol=1e-12, abs_tol=1e-9), (title, ref)
            checked += 1
    assert checked > 500


def test_bad_channels_are_bad_rows_named_by_row_and_column(tmp_path):
    result, out = fill(
        tmp_path,
        "EMEA,10000000,Search,60%,50,Events,40%,200,,Leads,",
        "APAC,5000000,Search,60%,50,Events,30%,200,,Leads,",  # 90 %
        "LATAM,5000000,Search,100%,0,,,,,Leads,",  # costs nothing
        "NA,5000000,,,,,,,,,",  # names no channel
        "ANZ,5000000,Search,100%,50,,,,,Leads,100%",  # a step of 100 %
    )
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["EMEA.xlsx", "summary.csv"]
    err = result.stderr
    assert ("row 3, column 'ChannelShares1': the channels' shares add up to 90 %, 10 % short "
            "of 100 %") in err  # fmt: skip
    assert "row 4, column 'ChannelCosts1'" in err
    assert "row 5, column 'ChannelNames1': is empty: give at least one channel" in err
    assert "row 6, column 'WhatIfStep'" in err
    assert "1 written, 0 skipped (already there), 4 bad rows" in err


def test_each_row_s_channel_names_head_its_channel_actuals_sheet(tmp_path):
    # The Channel actuals sheet's names follow the Channels sheet by formula; a fill caches
    # the sheet once per set of names, so two rows with different channels keep their own.
    from kpi_planner.workbook.sheets.tracking import channel_actuals

    result, out = fill(tmp_path, "EMEA,10000000,Search,60%,50,Events,40%,200,,Leads,",
                       "APAC,10000000,Partners,100%,80,,,,,MQL,")  # fmt: skip
    assert result.exit_code == 0, result.output
    first = channel_actuals.FIRST_ROW
    for name, channels, entry in (("EMEA", ["Search", "Events", None], "Leads"),
                                  ("APAC", ["Partners", None, None], "MQL")):  # fmt: skip
        sheet = openpyxl.load_workbook(out / f"{name}.xlsx", data_only=True)[
            channel_actuals.CHANNEL_ACTUALS
        ]
        assert [sheet[f"A{first + i}"].value for i in range(3)] == channels, name
        assert sheet[f"B{channel_actuals.ENTRY_ROW}"].value == entry, name
        assert sheet[f"B{channel_actuals.FOCUS_ROW}"].value == channel_actuals.NO_ACTUALS
