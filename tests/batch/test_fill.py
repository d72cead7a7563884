"""`kpi-planner fill`: every row checked, good rows written safely, bad rows reported."""

import gc
import zipfile

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from kpi_engine import KPIInputError
from kpi_planner.batch import chunk as fill_job
from kpi_planner.batch import fill as batch
from kpi_planner.cli.main import app

runner = CliRunner()

HEADER = "Name,RevenueGoal,DealSize,MarketingBudget,StageRates1,WholeNumbers\n"
GOOD = ["EMEA,10000000,1100000,600000,1.5%,TRUE", "APAC,4000000,500000,300000,0.02,false"]


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})


def table(tmp_path, *rows, header=HEADER, name="scenarios.csv"):
    path = tmp_path / name
    path.write_text(header + "\n".join(rows) + "\n")
    return path


def test_fills_one_workbook_per_row_with_inputs_and_cached_values(tmp_path):
    scenarios = table(tmp_path, *GOOD)
    result = run("fill", scenarios, "--out", tmp_path / "plans", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "plans").iterdir()) == ["APAC.xlsx", "EMEA.xlsx"]
    emea = openpyxl.load_workbook(tmp_path / "plans" / "EMEA.xlsx", data_only=True)["Plan"]
    # Seed 000 in whole numbers: 83,334 visits ... 10 customers; inputs as given.
    assert [emea[f"C{r}"].value for r in range(26, 32)] == [83_334, 1_250, 250, 50, 20, 10]
    assert emea["B6"].value == 10_000_000
    assert emea["B26"].value == 0.015  # "1.5%" read as a fraction
    apac = pd.read_excel(tmp_path / "plans" / "APAC.xlsx", sheet_name="Plan", header=None)
    # pandas sees the cached value: 4,000,000 / 500,000 = 8 customers needed.
    assert apac.iloc[17, 1] == 8
    assert "2 written, 0 skipped (already there), 0 bad rows" in result.stderr


def test_bad_rows_are_reported_and_good_rows_still_written(tmp_path):
    scenarios = table(
        tmp_path, GOOD[0], "LATAM,2000000,0,100000,15,yes", "NA,1e6,1e5,5e4,abc,maybe"
    )
    result = run("fill", scenarios, "--out", tmp_path / "plans", "--jobs", "1")
    assert result.exit_code == 1
    assert [p.name for p in (tmp_path / "plans").iterdir()] == ["EMEA.xlsx"]
    err = result.stderr
    assert "row 3, column 'StageRates1': must be a fraction between 0 and 1; 15 looks like" in err
    assert "row 3, column 'DealSize': a deal size of 0" in err
    assert "row 4, column 'StageRates1': is not a number (value: 'abc')" in err
    assert (
        "row 4, column 'WholeNumbers': must be TRUE or FALSE (or yes/no, 1/0) (value: 'maybe')"
        in err
    )
    assert "1 written, 0 skipped (already there), 2 bad rows" in err


def test_unknown_column_suggests_the_closest_name_and_writes_nothing(tmp_path):
    scenarios = table(tmp_path, "EMEA,1,2", header="Name,RevenueGoal,DealSise\n")
    result = run("fill", scenarios, "--out", tmp_path / "plans")
    assert result.exit_code == 2
    assert "column = 'DealSise': is not a plan input; did you mean 'DealSize'?" in result.stderr
    assert not (tmp_path / "plans").exists()


def test_columns_match_case_and_punctuation_insensitively():
    layout = batch.plan_layout(
        ["REGION", "revenue goal", "Stage_Rates[2]", "wholenumbers"], "region"
    )
    assert layout.name_column == "REGION"
    assert layout.columns == {
        "revenue goal": "revenue_goal",
        "Stage_Rates[2]": "rate_2",
        "wholenumbers": "whole_numbers",
    }
    with pytest.raises(KPIInputError, match="--name-column = 'Country': is not a column"):
        batch.plan_layout(["Name"], "Country")


def test_rerun_skips_done_rows_and_force_overwrites(tmp_path):
    scenarios = table(tmp_path, *GOOD)
    out = tmp_path / "plans"
    assert run("fill", scenarios, "--out", out, "--jobs", "1").exit_code == 0
    (out / "EMEA.xlsx").write_bytes(b"edited by hand")
    again = run("fill", scenarios, "--out", out, "--jobs", "1")
    assert "0 written, 2 skipped (already there)" in again.stderr
    assert (out / "EMEA.xlsx").read_bytes() == b"edited by hand"
    forced = run("fill", scenarios, "--out", out, "--jobs", "1", "--force")
    assert "2 written, 0 skipped" in forced.stderr
    assert (out / "EMEA.xlsx").read_bytes() != b"edited by hand"


def test_output_names_are_sanitised_and_unique(tmp_path):
    rows = [f"{name},1e6,1e5,5e4,0.01,TRUE" for name in ["../../etc/passwd", "CON", "emea", "EMEA"]]
    result = run("fill", table(tmp_path, *rows), "--out", tmp_path / "plans", "--jobs", "1")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "plans").iterdir())
    assert names == ["EMEA-2.xlsx", "_CON.xlsx", "emea.xlsx", "etc_passwd.xlsx"]


def test_summary_is_safe_from_formula_injection(tmp_path):
    rows = ['"=HYPERLINK(""http://x"")",1e6,1e5,5e4,0.01,TRUE', "LATAM,1,0,1,0.1,TRUE"]
    summary = tmp_path / "summary.csv"
    result = run("fill", table(tmp_path, *rows), "--out", tmp_path / "plans", "--jobs", "1",
                 "--summary", summary)  # fmt: skip
    assert result.exit_code == 1
    frame = pd.read_csv(summary)
    assert frame.loc[0, "Name"] == '\'=HYPERLINK("http://x")'
    assert frame.loc[0, "Status"] == "written"
    # 1e6 / 1e5 = 10 customers needed.
    assert frame.loc[0, "CustomersNeeded"] == 10
    assert frame.loc[1, "Status"].startswith("bad: DealSize: a deal size of 0")


def test_xlsx_and_parquet_tables(tmp_path):
    frame = pd.DataFrame(
        {"Name": ["A", "B"], "RevenueGoal": [1e6, 2e6], "DealSize": [1e5, 1e5],
         "WholeNumbers": [True, False]}
    )  # fmt: skip
    frame.to_excel(tmp_path / "s.xlsx", index=False)
    frame.to_parquet(tmp_path / "s.parquet")
    for source in ["s.xlsx", "s.parquet"]:
        out = tmp_path / source.replace(".", "-")
        result = run("fill", tmp_path / source, "--out", out, "--jobs", "1")
        assert result.exit_code == 0, result.output
        b = openpyxl.load_workbook(out / "B.xlsx", data_only=True)["Plan"]
        assert b["B18"].value == 20  # 2e6 / 1e5
        assert b["B12"].value is False


def test_a_row_with_fewer_named_stages_is_its_own_funnel_in_every_kind_of_table(tmp_path):
    # pandas 3 reads text with blanks as its string dtype, where a blank is NaN, not None:
    # the 3-stage row once counted a 4th stage (and crashed, or named the wrong rate).
    frame = pd.DataFrame(
        {"Name": ["Three", "Four"], "StageNames1": ["Visits", "Visits"],
         "StageNames2": ["Leads", "Leads"], "StageNames3": ["Won", "SQL"],
         "StageNames4": [None, "Won"], "StageRates1": [0.02, 0.02],
         "StageRates2": [0.25, 0.3], "StageRates3": [None, 0.25]}
    )  # fmt: skip
    frame.to_csv(tmp_path / "s.csv", index=False)
    frame.to_excel(tmp_path / "s.xlsx", index=False)
    frame.to_parquet(tmp_path / "s.parquet")
    for source in ["s.csv", "s.xlsx", "s.parquet"]:
        out, summary = tmp_path / source.replace(".", "-"), tmp_path / f"{source}-summary.csv"
        result = run("fill", tmp_path / source, "--out", out, "--jobs", "1", "--summary", summary)
        assert result.exit_code == 0, result.output
        rows = pd.read_csv(summary).set_index("Name")
        # The template's 10 customers (10,000,000 / 1,100,000 = 9.09 -> 10): Three needs
        # 10 / 0.25 = 40 leads and 40 / 0.02 = 2,000 visits; Four 10 / 0.25 = 40 SQL,
        # / 0.3 = 133.3 -> 134 leads, / 0.02 = 6,700 visits.
        three = ["RequiredAnnual1", "RequiredAnnual2", "RequiredAnnual3"]
        assert rows.loc["Three", three].tolist() == [2_000, 40, 10]
        assert pd.isna(rows.loc["Three", "StageNames4"])
        assert pd.isna(rows.loc["Three", "RequiredAnnual4"])
        assert rows.loc["Four", "RequiredAnnual1"] == 6_700


def test_worker_processes_give_the_same_workbooks(tmp_path, monkeypatch):
    rows = [f"S{i},{1e6 * (i + 1)},1e5,5e4,0.01,TRUE" for i in range(30)]
    scenarios = table(tmp_path, *rows)
    monkeypatch.setattr(batch, "CHUNK_ROWS", 7)  # several chunks, spread over the workers
    one = batch.fill(scenarios, tmp_path / "one", jobs=1)
    two = batch.fill(scenarios, tmp_path / "two", jobs=2)
    assert one.written == two.written == 30
    for path in (tmp_path / "one").iterdir():
        assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes()


def test_the_input_table_is_never_modified_and_no_temp_files_are_left(tmp_path):
    scenarios = table(tmp_path, *GOOD)
    before = scenarios.read_bytes()
    run("fill", scenarios, "--out", tmp_path / "plans", "--jobs", "1")
    assert scenarios.read_bytes() == before
    assert not [p for p in (tmp_path / "plans").iterdir() if p.name.startswith(".")]


def test_safe_file_name_removes_separators_and_limits_length():
    taken: set[str] = set()
    assert batch.safe_file_name("a/b\\c:d*e?f", taken) == "a_b_c_d_e_f.xlsx"
    assert batch.safe_file_name("x" * 300, taken) == "x" * 100 + ".xlsx"


def test_a_dask_cluster_gives_the_same_outputs_errors_and_resume(tmp_path):
    distributed = pytest.importorskip("distributed")
    # Row 4 is bad in the table, row 6 only in its results (1e300 / 1e-5 visits overflow).
    rows = [*GOOD, "LATAM,2000000,0,100000,15,yes", "NA,1e6,1e5,5e4,0.01,TRUE",
            "HUGE,1e300,1e-5,5e4,0.01,TRUE"]  # fmt: skip
    scenarios = table(tmp_path, *rows)
    local = batch.fill(scenarios, tmp_path / "local", jobs=1)
    summary = tmp_path / "summary.csv"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:  # fmt: skip
        remote = batch.fill(scenarios, tmp_path / "cluster", scheduler=cluster.scheduler_address,
                            summary=summary)  # fmt: skip
        again = batch.fill(scenarios, tmp_path / "cluster", scheduler=cluster.scheduler_address)
    assert (remote.written, remote.skipped, remote.problems) == (3, 0, local.problems)
    assert sorted({p.line for p in local.problems}) == [4, 6]
    assert (again.written, again.skipped) == (0, 3)
    statuses = pd.read_csv(summary)["Status"].tolist()
    assert [s.split(":")[0] for s in statuses] == ["written", "written", "bad", "written", "bad"]
    for path in (tmp_path / "local").iterdir():
        # The same parts, each the same XML (a worker's deflate may pack it otherwise).
        assert unzipped(path) == unzipped(tmp_path / "cluster" / path.name), path.name


def unzipped(path) -> dict[str, bytes]:
    """Each part of an .xlsx file, decompressed, by name in the file's order."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    pytest.importorskip("distributed")
    result = run("fill", table(tmp_path, *GOOD), "--out", tmp_path / "plans",
                 "--scheduler", "tcp://127.0.0.1:9")  # fmt: skip
    assert result.exit_code == 2
    assert "error: --scheduler tcp://127.0.0.1:9: cannot connect" in result.stderr


def test_parquet_summary_keeps_types_and_lists_bad_rows(tmp_path):
    summary = tmp_path / "summary.parquet"
    scenarios = table(tmp_path, *GOOD, "LATAM,2000000,0,100000,0.1,yes")
    batch.fill(scenarios, tmp_path / "plans", jobs=1, summary=summary)
    frame = pd.read_parquet(summary)
    assert frame["Row"].tolist() == [2, 3, 4]
    assert frame["Status"].tolist()[:2] == ["written", "written"]
    assert frame["Status"].iloc[2].startswith("bad: DealSize")
    # 10,000,000 / 1,100,000 customers needed in EMEA; the whole-number plan wins 10.
    assert frame.loc[0, "CustomersNeeded"] == pytest.approx(10e6 / 1.1e6)
    assert frame.loc[0, "RequiredAnnual6"] == 10


def test_a_summary_of_an_unknown_kind_fails_before_any_workbook(tmp_path):
    result = run("fill", table(tmp_path, *GOOD), "--out", tmp_path / "plans",
                 "--summary", tmp_path / "summary.txt")  # fmt: skip
    assert result.exit_code == 2
    assert "error: --summary " in result.stderr
    assert "must end in .csv or .parquet" in result.stderr
    assert not (tmp_path / "plans").exists()


def test_lag_and_growth_columns_fill_the_timeline_and_bad_lags_are_bad_rows(tmp_path):
    header = "Name,LagDays1,LagDays2,LagDays3,LagDays4,LagDays5,NextYearGrowth\n"
    rows = ["Lagged,0,10,20,15,45,25%", "Negative,0,10,-20,15,45,0", "Too long,0,100,100,100,100,0"]
    scenarios = table(tmp_path, *rows, header=header)
    report = batch.fill(scenarios, tmp_path / "plans", jobs=1)
    assert report.written == 1
    reasons = {(p.line, p.column): p.reason for p in report.problems}
    assert "must be 0 or more" in reasons[3, "LagDays3"]
    assert "with the lags after it, add up to more than a year" in reasons[4, "LagDays1"]
    sheet = openpyxl.load_workbook(tmp_path / "plans" / "Lagged.xlsx", data_only=True)["Plan"]
    # The built-in example with issue 10's lags and 25 % growth: visits from October of the
    # year before (E50 is January 2026, N50 October), 8,334 for January's 1 customer, and
    # 8,333 / 8,333 / 8,334 at the year's end for next year's first 3 of 12 customers
    # (tests/workbook/test_formulas_agree_with_engine.py has the arithmetic).
    assert sheet["N50"].value == "Oct 2026"
    visits = [sheet.cell(51, column).value for column in range(5, 29)]
    assert visits[:9] == [0] * 9
    assert visits[9] == 8334
    assert visits[-3:] == [8333, 8333, 8334]
    assert sheet["D51"].value == 100_000
    # The timeline by quarter (E42:L42 Q1 2026 .. Q4 2027) adds them up: Q4 2026 is
    # October to December's visits.
    assert sheet["H42"].value == "Q4 2026"
    assert [sheet.cell(43, column).value for column in range(5, 13)] == [
        sum(visits[3 * q : 3 * q + 3]) for q in range(8)
    ]


def test_curve_and_opportunity_columns_fill_the_pipeline_and_bad_curves_are_bad_rows(tmp_path):
    header = ("Name,LagDays4,LagDays5,CloseRateCurve1,CloseRateCurve2,CloseRateCurve3,"
              "OpportunitiesCreated12\n")  # fmt: skip
    rows = [
        "Own curve,15,45,20%,30%,10%,10",
        "Over,15,45,60%,50%,0,",
        "Negative,15,45,0.2,0.3,0,-4",
    ]
    report = batch.fill(table(tmp_path, *rows, header=header), tmp_path / "plans", jobs=1)
    assert report.written == 1
    reasons = {(p.line, p.column): p.reason for p in report.problems}
    # Columns the table lacks keep the template's (its curve's 4th and 5th: 10 %, 5 %):
    # 60 % + 50 % + 0 + 10 % + 5 % = 125 %.
    assert "the close-rate curve adds up to 1.25, more than 1" in reasons[3, "CloseRateCurve1"]
    assert "must be 0 or more" in reasons[4, "OpportunitiesCreated12"]
    book = openpyxl.load_workbook(tmp_path / "plans" / "Own curve.xlsx", data_only=True)
    sheet = book["Pipeline"]
    # Opportunities 2 months ahead (45 + 15 days) of the seed plan's deals: 2 a month from
    # November 2026, chained to 1 customer a month at 50 %
    # (tests/workbook/test_formulas_agree_with_engine.py), with December typed as 10.
    # January 2027 closes 0.2 x 2 + 0.3 x 10 + 0.1 x 2 = 3.6 deals (October 2026 and
    # before: none).
    assert sheet["N11"].value == 10
    assert sheet["O13"].value == pytest.approx(0.2 * 2 + 0.3 * 10 + 0.1 * 2)
    assert sheet["O14"].value == 1  # the plan's January customers
    assert sheet["P5"].value == pytest.approx(0.2 + 0.3 + 0.1 + 0.1 + 0.05)


def test_a_chunk_runs_with_the_cyclic_collector_paused_and_restores_it(monkeypatch):
    seen = []

    def plan_outputs(frame, layout):
        seen.append(gc.isenabled())
        raise RuntimeError("stop here")

    monkeypatch.setattr(fill_job, "plan_outputs", plan_outputs)
    job = fill_job.Job(0, pd.DataFrame(index=[2]), None, [2], ["a"], [None], [fill_job.WRITE])
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            with pytest.raises(RuntimeError, match="stop here"):
                fill_job.write_job(job)
            assert gc.isenabled() is enabled  # as it was, even after an error
        finally:
            gc.enable()
    assert seen == [False, False]


def test_a_fill_without_a_summary_writes_the_same_workbooks_and_counts(tmp_path, monkeypatch):
    # Without --summary a row's record is its status alone (its ~150 inputs are not copied
    # for nobody to read): the workbooks, the counts and the problems must not change.
    scenarios = table(tmp_path, *GOOD, "LATAM,2000000,0,100000,15,yes", "NA,1e6,1e5,5e4,0.1,no")
    records = []
    write_job = fill_job.write_job

    def recorded(job):
        done = write_job(job)
        records.extend(done[1])
        return done

    monkeypatch.setattr(batch, "write_job", recorded)
    plain = batch.fill(scenarios, tmp_path / "plain", jobs=1, name_column="Name")
    monkeypatch.undo()
    summed = batch.fill(scenarios, tmp_path / "summed", jobs=1, name_column="Name",
                        summary=tmp_path / "summary.csv")  # fmt: skip
    assert (plain.written, plain.skipped, plain.bad_rows) == (3, 0, 1)
    assert (summed.written, summed.skipped, summed.bad_rows) == (3, 0, 1)
    assert [str(p) for p in plain.problems] == [str(p) for p in summed.problems]
    names = sorted(p.name for p in (tmp_path / "plain").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "summed").iterdir())
    for name in names:
        assert (tmp_path / "plain" / name).read_bytes() == (tmp_path / "summed" / name).read_bytes()
    assert len(records) == 4
    assert {tuple(record) for record in records} == {("row", "name", "file", "status")}


def test_a_bare_growth_above_1_is_a_bad_row_not_2500_percent(tmp_path):
    # NextYearGrowth = 25 planned next year's goal 26 times this year's with no word.
    header = "Name,LagDays1,LagDays2,LagDays3,LagDays4,LagDays5,NextYearGrowth\n"
    rows = ["Bare,0,10,20,15,45,25", "Percent,0,10,20,15,45,25%", "Over,0,10,20,15,45,150%"]
    report = batch.fill(table(tmp_path, *rows, header=header), tmp_path / "plans", jobs=1)
    assert report.written == 2
    (problem,) = report.problems
    assert (problem.line, problem.column) == (2, "NextYearGrowth")
    assert "is 25, which would be +2500%: write 25% or 0.25 for 25 %" in problem.reason
    assert not (tmp_path / "plans" / "Bare.xlsx").exists()


def test_example_channels_nobody_typed_never_pass_as_the_plan_s(tmp_path):
    # A row without channel columns keeps the built-in template's example channels (search
    # 60, events 150, content 25 a lead); the summary reported their BudgetNeeded (400,000)
    # and BudgetGap (-150,000) as the plan's. Now it leaves them out, and the Channels sheet
    # says plainly that its channels are examples.
    plain = table(tmp_path, *GOOD, name="plain.csv")
    result = run("fill", plain, "--out", tmp_path / "plain", "--summary", tmp_path / "p.csv")
    assert result.exit_code == 0, result.output
    columns = pd.read_csv(tmp_path / "p.csv").columns
    assert not {"BudgetNeeded", "BudgetGap", "ReachableRevenue"} & set(columns)
    assert not [c for c in columns if c.startswith(("chname_", "chshare_", "chcost_"))]
    sheet = openpyxl.load_workbook(tmp_path / "plain" / "EMEA.xlsx", data_only=True)["Channels"]
    assert sheet["A3"].value.startswith("These channels are the built-in example's, not yours")
    # A table that types its channels: their budget is the plan's, and no note.
    header = "Name,RevenueGoal,DealSize,ChannelNames1,ChannelShares1,ChannelCosts1\n"
    typed = table(tmp_path, "Own,10000000,1100000,Webinars,100%,80", header=header,
                  name="typed.csv")  # fmt: skip
    result = run("fill", typed, "--out", tmp_path / "typed", "--summary", tmp_path / "t.csv")
    assert result.exit_code == 0, result.output
    summary = pd.read_csv(tmp_path / "t.csv")
    # 10 customers / 0.5 / 0.4 / 0.2 / 0.2 = 1,250 leads x 80 a lead = 100,000.
    assert summary.loc[0, "BudgetNeeded"] == 100_000
    assert summary.loc[0, "ChannelNames1"] == "Webinars"
    sheet = openpyxl.load_workbook(tmp_path / "typed" / "Own.xlsx", data_only=True)["Channels"]
    assert sheet["A3"].value in (None, "")
