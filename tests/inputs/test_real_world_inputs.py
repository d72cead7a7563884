"""Real-world tables and mistakes: never silently wrong, never a traceback, nothing lost.

Each case is a table (or command) a user could plausibly give, with the exit code and the
one message that must name the place (file, row and column, or option). Every case also
checks that nothing is half-written: no temporary files left, every workbook a whole
zip, and no Python traceback. Expected volumes are seed 000's arithmetic: 10,000,000 /
1,100,000 = 9.09 -> 10 customers, / 0.5 / 0.4 / 0.2 / 0.2 / 0.015 -> 83,334 visits.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.workbook.defined_name import DefinedName
from typer.testing import CliRunner

from kpi_planner.batch import chunk as fill_job
from kpi_planner.batch import fill as batch
from kpi_planner.cli.main import app

runner = CliRunner()

SEED = "10000000,1100000"
SEED_VISITS = 83_334


@dataclass
class Case:
    """One table (bytes or text) and options, and what the user must see."""

    name: str
    table: str | bytes
    exit_code: int
    message: str = ""  # must appear in the output, on one line
    options: tuple[str, ...] = ()
    written: tuple[str, ...] = ()  # workbooks that must exist afterwards
    visits: dict[str, float] = field(default_factory=dict)  # cached C24 of a workbook
    suffix: str = ".csv"


H = "Name,RevenueGoal,DealSize,StageRates1\n"
NAMES4 = "StageNames1,StageNames2,StageNames3,StageNames4"
CASES = [
    Case(
        "decimal comma in a percentage",
        H + 'A,10000000,1100000,"1,5%"\n',
        1,
        "row 2, column 'StageRates1': '1,5%' has a comma that is not a thousands separator",
    ),
    Case("decimal comma 2,0%", H + 'A,10000000,1100000,"2,0%"\n', 1, "write 2.0% with a decimal"),
    Case(
        "decimal comma without percent",
        H + 'A,10000000,1100000,"0,015"\n',
        1,
        "'0,015' has a comma that is not a thousands separator: write 0.015",
    ),
    Case(
        "--decimal , reads 1,5%",
        H + 'A,10000000,1100000,"1,5%"\n',
        0,
        options=("--decimal", ","),
        written=("A.xlsx",),
        visits={"A.xlsx": SEED_VISITS},
    ),
    Case(
        "semicolons mean decimal commas",
        "Name;RevenueGoal;DealSize;StageRates1\nA;10.000.000;1.100.000;1,5%\n",
        0,
        written=("A.xlsx",),
        visits={"A.xlsx": SEED_VISITS},
    ),
    Case(
        "a decimal point in a semicolon file",
        "Name;RevenueGoal;StageRates1\nA;10000000;1.5%\n",
        1,
        "row 2, column 'StageRates1': '1.5%' has a point, but this table's decimal mark is ','",
    ),
    Case(
        "a plan year Excel's dates cannot show (it crashed the fill before)",
        "Name,RevenueGoal,DealSize,PlanYear\n" + f"A,{SEED},-5\nB,{SEED},2028\n",
        1,
        "row 2, column 'PlanYear': must be a whole year from 1900 to 2200, such as 2027 "
        "(value: '-5')",
        written=("B.xlsx",),
    ),
    Case(
        "a plan year with a fraction",
        "Name,RevenueGoal,DealSize,PlanYear\n" + f"A,{SEED},2027.5\n",
        1,
        "row 2, column 'PlanYear': must be a whole year from 1900 to 2200",
    ),
    Case(
        "a bad --decimal",
        H + f"A,{SEED},0.015\n",
        2,
        "--decimal ';': must be '.' or ','",
        options=("--decimal", ";"),
    ),
    Case(
        "UTF-8 with a BOM",
        ("\ufeff" + H + f"A,{SEED},0.015\n").encode("utf-8"),
        0,
        written=("A.xlsx",),
        visits={"A.xlsx": SEED_VISITS},
    ),
    Case(
        "UTF-16 from Excel",
        (H + f"Zürich,{SEED},0.015\n").encode("utf-16"),
        0,
        written=("Zürich.xlsx",),
    ),
    Case(
        "Windows-1252 bytes",
        (H + f"Zürich,{SEED},0.015\n").encode("cp1252"),
        2,
        "scenarios.csv: is not utf-8 text (byte 40): save it as 'CSV UTF-8' or give its "
        "encoding, e.g. --encoding cp1252",
    ),
    Case(
        "--encoding cp1252",
        (H + f"Zürich,{SEED},0.015\n").encode("cp1252"),
        0,
        options=("--encoding", "cp1252"),
        written=("Zürich.xlsx",),
    ),
    Case(
        "an unknown --encoding",
        H + f"A,{SEED},0.015\n",
        2,
        "--encoding 'klingon'",
        options=("--encoding", "klingon"),
    ),
    Case(
        "a ragged row",
        H + f"A,{SEED},0.015\nB,{SEED},0.015,9\n",
        2,
        "scenarios.csv, row 3: has 5 cells but the header has 4 columns",
    ),
    Case(
        "an unclosed quote",
        H + f'A,{SEED},0.015\n"B,{SEED},0.015\n',
        2,
        'scenarios.csv, row 3: a quote (") opens a value that is never closed',
    ),
    Case("an empty file", "", 2, "scenarios.csv: is empty: it needs a header row"),
    Case("a header and no rows", H, 2, "scenarios.csv: has a header but no rows"),
    Case(
        "blank lines keep row numbers",
        H + f"A,{SEED},0.015\n\n,,,\nB,{SEED},abc\n",
        1,
        "row 5, column 'StageRates1': is not a number",
        written=("A.xlsx",),
    ),
    Case(
        "a duplicate column",
        "Name,RevenueGoal,RevenueGoal\nA,1,2\n",
        2,
        "row 1: column 'RevenueGoal' appears twice (columns 2 and 3)",
    ),
    Case(
        "an unknown column",
        "Name,RevenueGoal,DealSise\nA,1,2\n",
        2,
        "column = 'DealSise': is not a plan input; did you mean 'DealSize'?",
    ),
    Case(
        "a 4-stage funnel",
        f"Name,{NAMES4},StageRates1,StageRates2,StageRates3\n"
        "Short,Visits,Leads,SQL,Won,0.02,0.3,0.25\n",
        0,
        written=("Short.xlsx",),
        # 10 customers / 0.25 = 40 SQL, / 0.3 = 133.3 -> 134 leads, / 0.02 = 6,700 visits.
        visits={"Short.xlsx": 6_700},
    ),
    Case(
        "an 8-stage funnel",
        "Name,"
        + ",".join(f"StageNames{i}" for i in range(1, 9))
        + ","
        + ",".join(f"StageRates{i}" for i in range(1, 8))
        + "\nLong,A,B,C,D,E,F,G,H,"
        "0.02,0.3,0.25,0.5,0.5,0.5,0.5\n",
        0,
        written=("Long.xlsx",),
        # 10 / 0.5^4 = 160, / 0.25 = 640, / 0.3 = 2,133.3 -> 2,134, / 0.02 = 106,700.
        visits={"Long.xlsx": 106_700},
    ),
    Case(
        "rows of 3 and 4 named stages in one table",
        f"Name,{NAMES4},StageRates1,StageRates2,StageRates3\n"
        "Three,Visits,Leads,Won,,0.02,0.25,\nFour,Visits,Leads,SQL,Won,0.02,0.3,0.25\n",
        0,
        written=("Three.xlsx", "Four.xlsx"),
        # Three: 10 customers / 0.25 = 40 leads, / 0.02 = 2,000 visits; Four as above.
        visits={"Three.xlsx": 2_000, "Four.xlsx": 6_700},
    ),
    Case(
        "a rate past a 3-stage row's end, beside a 4-stage row",
        f"Name,{NAMES4},StageRates1,StageRates2,StageRates3\n"
        "Three,Visits,Leads,Won,,0.02,0.25,0.5\nFour,Visits,Leads,SQL,Won,0.02,0.3,0.25\n",
        1,
        "row 2, column 'StageRates3': has a value, but the row's funnel ends at stage 3 (Won): "
        "remove it or name stage 4 (value: 0.5)",
        written=("Four.xlsx",),
    ),
    Case(
        "a gap in the stage names",
        f"Name,{NAMES4},StageRates1,StageRates2,StageRates3\nGap,Visits,,SQL,Won,0.02,0.3,0.25\n",
        1,
        "row 2, column 'StageNames2': is empty, but stage 4 is named",
    ),
    Case(
        "a rate past the funnel's end",
        "Name,StageNames1,StageNames2,StageRates1,StageRates2\nTwo,Leads,Won,0.1,0.5\n",
        1,
        "row 2, column 'StageRates2': has a value, but the row's funnel ends at stage 2 (Won)",
    ),
    Case(
        "a 4-stage funnel without its rates",
        f"Name,{NAMES4}\nShort,Visits,Leads,SQL,Won\n",
        1,
        "row 2, column 'StageRates1': is needed: the row's funnel has 4 stages",
    ),
    Case(
        "a longer funnel without names",
        "Name,StageRates6\nA,0.5\n",
        2,
        "column = 'StageRates6': sets a rate beyond the template's 6 stages",
    ),
    Case(
        "an overflowing plan",
        H + f"Huge,1e300,1e-5,0.015\nFine,{SEED},0.015\n",
        1,
        "row 2, column 'RevenueGoal': the plan overflows",
        written=("Fine.xlsx",),
    ),
    Case(
        "a table whose only plan overflows",
        "Name,StageRates1\nTiny,1e-300\n",
        1,
        "row 2, column '(the plan)': the plan overflows: a value of the What-if sheet",
    ),
    Case(
        "an overflowing plan, 2 workers",
        H + f"Huge,1e300,1e-5,0.015\nFine,{SEED},0.015\n",
        1,
        "row 2, column 'RevenueGoal': the plan overflows",
        options=("--jobs", "2"),
        written=("Fine.xlsx",),
    ),
    Case(
        "overflowing weights",
        "Name,SeasonalityWeights1,SeasonalityWeights2\nW,1e308,1e308\n",
        1,
        "column 'SeasonalityWeights1': the plan overflows (SeasonalityWeights1 would be inf)",
    ),
    Case(
        "a rate of 150%",
        H + f"A,{SEED},150%\n",
        1,
        "row 2, column 'StageRates1': is 150%: a rate or margin is at most 100%",
    ),
    Case("a rate of 15", H + f"A,{SEED},15\n", 1, "15 looks like a percentage: write 0.15"),
    Case(
        "currency and thousands",
        H + 'A,"$10,000,000","$1,100,000",1.5%\n',
        0,
        written=("A.xlsx",),
        visits={"A.xlsx": SEED_VISITS},
    ),
    Case(
        "a currency sign alone",
        H + "A,$,1100000,0.015\nB,10000000,%,0.015\n",
        1,
        "row 2, column 'RevenueGoal': is not a number (value: '$')",
    ),
    Case(
        "a thousands separator in a rate",
        H + 'A,10000000,1100000,"1,500"\n',
        1,
        "'1,500' has a comma that is not a thousands separator",
    ),
    Case(
        "an empty cell keeps the template's value",
        H + "A,,,\n",
        0,
        written=("A.xlsx",),
        visits={"A.xlsx": SEED_VISITS},
    ),
    Case(
        "rich markup in values",
        "Name,StageNames1,StageNames2,StageRates1\n[bold]x[/x],[/x],Won,abc[/x]\n",
        1,
        "(value: 'abc[/x]')",
    ),
    Case(
        "WholeNumbers maybe",
        "Name,WholeNumbers\nA,maybe\n",
        1,
        "row 2, column 'WholeNumbers': must be TRUE or FALSE",
    ),
    Case("WholeNumbers in German", "Name,WholeNumbers\nA,WAHR\n", 0, written=("A.xlsx",)),
    Case("a long name", H + "N" * 300 + f",{SEED},0.015\n", 0, written=("N" * 100 + ".xlsx",)),
    Case(
        "letters of every script",
        H + f"résumé — 日本,{SEED},0.015\n",
        0,
        written=("résumé — 日本.xlsx",),
    ),
    Case("a name like a formula", H + f"-5% case,{SEED},0.015\n", 0, written=("_-5_ case.xlsx",)),
    Case(
        "a revenue goal of 0",
        H + "A,0,1100000,0.015\n",
        1,
        "row 2, column 'RevenueGoal': the plan needs 0",
    ),
]


def _run(*args) -> object:
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "80"})


def assert_nothing_half_written(folder: Path) -> None:
    if not folder.exists():
        return
    for path in folder.rglob("*"):
        assert not path.name.endswith(".tmp"), f"left behind: {path}"
        if path.suffix in (".xlsx", ".xlsm"):
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None


def assert_one_line_and_no_traceback(result, message: str) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    if message:
        lines = [line for line in result.output.splitlines() if message in line]
        assert lines, f"{message!r} not on one line of:\n{result.output}"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_fill_under_real_world_input(tmp_path, case):
    source = tmp_path / f"scenarios{case.suffix}"
    if isinstance(case.table, bytes):
        source.write_bytes(case.table)
    else:
        source.write_text(case.table, encoding="utf-8")
    out = tmp_path / "plans"
    summary = tmp_path / "summary.csv"
    result = _run("fill", source, "--out", out, "--jobs", "1", "--summary", summary,
                  *case.options)  # fmt: skip
    assert result.exit_code == case.exit_code, result.output
    assert_one_line_and_no_traceback(result, case.message)
    assert_nothing_half_written(out)
    for name in case.written:
        assert (out / name).is_file(), sorted(p.name for p in out.iterdir())
    for name, visits in case.visits.items():
        sheet = openpyxl.load_workbook(out / name, data_only=True)["Plan"]
        assert sheet["C26"].value == visits
    if case.exit_code == 2:  # a table that cannot be read: nothing written at all
        assert not summary.exists()
        assert not out.exists() or not any(out.iterdir())
    else:  # every row of the table is in the summary, once
        rows = pd.read_csv(summary, dtype=str, keep_default_na=False)
        assert rows["Row"].is_unique
        written = rows[rows["Status"] == "written"]
        assert sorted(written["File"]) == sorted(p.name for p in out.glob("*.xlsx"))


def test_stage_names_with_markup_are_written_as_text(tmp_path):
    source = tmp_path / "s.csv"
    source.write_text("Name,StageNames1,StageNames2,StageRates1\n[b]x[/x],[/x],Won,0.5\n")
    result = _run("fill", source, "--out", tmp_path / "o", "--jobs", "1")
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(tmp_path / "o" / "[b]x[_x].xlsx", data_only=True)["Plan"]
    assert (sheet["A26"].value, sheet["C26"].value) == ("[/x]", 20)  # 10 customers / 0.5


def test_excel_tables_with_dates_booleans_and_numbers(tmp_path):
    book = openpyxl.Workbook()
    rows = [("Name", "RevenueGoal", "DealSize", "WholeNumbers"),
            ("Dated", 10_000_000, dt.datetime(2027, 1, 5), True),
            ("Ints", 10_000_000, 1_100_000, 1),
            ("Bools", 10_000_000, 1_100_000, False)]  # fmt: skip
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "s.xlsx")
    result = _run("fill", tmp_path / "s.xlsx", "--out", tmp_path / "o", "--jobs", "2")
    assert result.exit_code == 1
    assert_one_line_and_no_traceback(result, "row 2, column 'DealSize': is a date or time")
    for name, expected in [("Ints", "1"), ("Bools", "0")]:
        with zipfile.ZipFile(tmp_path / "o" / f"{name}.xlsx") as archive:
            sheet = archive.read("xl/worksheets/sheet2.xml").decode()  # the Plan, after the Summary
        # "Round up to whole numbers" is a boolean cell (TRUE/FALSE), not the number 1 or 0.
        assert re.search(f'<c r="B12" s="[0-9]+" t="b"><v>{expected}</v></c>', sheet)


def test_out_and_summary_that_cannot_be_written(tmp_path):
    source = tmp_path / "s.csv"
    source.write_text(H + f"A,{SEED},0.015\n")
    a_file = tmp_path / "file.txt"
    a_file.write_text("not a folder")
    for options, message in [
        (("--out", a_file), f"--out {a_file}: is a file"),
        (("--out", a_file / "plans"), f"{a_file} is a file, not a folder"),
        (("--out", tmp_path / "o", "--summary", a_file / "s.csv"), "is a file, not a folder"),
        (("--out", tmp_path / "o", "--summary", tmp_path), "is a folder"),
    ]:
        result = _run("fill", source, *options)
        assert result.exit_code == 2, result.output
        assert_one_line_and_no_traceback(result, message)
    assert not (tmp_path / "o").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_out_folder(tmp_path):
    source = tmp_path / "s.csv"
    source.write_text(H + f"A,{SEED},0.015\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    result = _run("fill", source, "--out", locked / "plans")
    assert result.exit_code == 2
    assert_one_line_and_no_traceback(result, "cannot write into")


def test_reruns_keep_every_row_in_the_summary(tmp_path):
    source = tmp_path / "s.csv"
    source.write_text(H + f"A,{SEED},0.015\nB,{SEED},abc\nC,{SEED},0.02\n")
    summary = tmp_path / "summary.csv"
    for _ in range(2):
        result = _run("fill", source, "--out", tmp_path / "o", "--jobs", "1", "--summary", summary)
        assert result.exit_code == 1
    rows = pd.read_csv(summary)
    assert rows["Row"].tolist() == [2, 3, 4]
    assert rows["Status"].tolist()[::2] == ["skipped: already there"] * 2
    assert rows["Status"][1].startswith("bad: StageRates1: is not a number")
    assert rows["RequiredAnnual1"][0] == SEED_VISITS  # skipped rows keep their KPIs


def test_a_stale_temporary_file_is_removed_and_outputs_are_readable(tmp_path):
    source = tmp_path / "s.csv"
    source.write_text(H + f"A,{SEED},0.015\n")
    out = tmp_path / "o"
    out.mkdir()
    (out / ".A.xlsx.abc123.tmp").write_bytes(b"half a workbook from a killed run")
    (out / "notes.tmp").write_text("not ours")
    summary = tmp_path / "summary.csv"
    old = os.umask(0o022)
    try:
        result = _run("fill", source, "--out", out, "--jobs", "1", "--summary", summary)
        assert result.exit_code == 0
    finally:
        os.umask(old)
    assert sorted(p.name for p in out.iterdir()) == ["A.xlsx", "notes.tmp"]
    assert stat.S_IMODE((out / "A.xlsx").stat().st_mode) == 0o644
    # the summary too: written through a temporary, readable by colleagues like the workbooks
    assert stat.S_IMODE(summary.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_ctrl_c_keeps_whole_workbooks_and_a_summary_of_every_row(tmp_path, monkeypatch):
    source = tmp_path / "s.csv"
    source.write_text(H + "".join(f"S{i},{SEED},0.015\n" for i in range(6)))
    monkeypatch.setattr(batch.tables, "CHUNK_ROWS", 2)
    real = batch.write_job
    calls = []

    def interrupted_on_the_second_chunk(job):
        calls.append(job)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(job)

    monkeypatch.setattr(batch, "write_job", interrupted_on_the_second_chunk)
    summary = tmp_path / "summary.csv"
    result = _run("fill", source, "--out", tmp_path / "o", "--jobs", "1", "--summary", summary)
    assert result.exit_code == 130
    assert_one_line_and_no_traceback(result, "2 written before the interrupt")
    assert_nothing_half_written(tmp_path / "o")
    rows = pd.read_csv(summary)
    assert rows["Row"].tolist() == [2, 3, 4, 5, 6, 7]
    assert rows["Status"].tolist() == ["written"] * 2 + [fill_job.INTERRUPTED] * 4


def test_a_template_with_some_names_leaves_unknown_kpis_blank(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Inputs"
    book.active["B2"], book.active["B3"] = 1_000_000, 50_000
    book.defined_names["RevenueGoal"] = DefinedName("RevenueGoal", attr_text="Inputs!$B$2")
    book.defined_names["DealSize"] = DefinedName("DealSize", attr_text="Inputs!$B$3")
    book.save(tmp_path / "mine.xlsx")
    source = tmp_path / "s.csv"
    source.write_text("Name,RevenueGoal\nA,2000000\n")
    summary = tmp_path / "summary.csv"
    result = _run("fill", source, "--out", tmp_path / "o", "--template", tmp_path / "mine.xlsx",
                  "--summary", summary, "--jobs", "1")  # fmt: skip
    assert result.exit_code == 0, result.output
    row = pd.read_csv(summary).iloc[0]
    assert row["CustomersNeeded"] == 40  # 2,000,000 / 50,000, both the user's
    # Budget, margin, churn and the funnel are not in the user's workbook: no CAC, no CLV.
    for column in ["PlannedCAC", "CustomerLifetimeValue", "LTVtoCAC", "RequiredAnnual1"]:
        assert pd.isna(row[column]), column
    assert pd.isna(row["MarketingBudget"])


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_bad_row_leaves_the_plan_year_a_whole_number_in_the_summary(tmp_path, suffix):
    # A blank in a chunk's plan years used to make that chunk's years floats: 2027.0 beside
    # 2027 in one CSV, and a Parquet column typed by whichever chunk came first.
    source = tmp_path / "s.csv"
    source.write_text("Name,RevenueGoal,DealSize,PlanYear\n"
                      f"A,{SEED},2028\nB,-1,1100000,2028\nC,{SEED},\n")  # fmt: skip
    summary = tmp_path / f"summary{suffix}"
    result = _run("fill", source, "--out", tmp_path / "o", "--summary", summary)
    assert result.exit_code == 1, result.output
    if suffix == ".csv":
        years = [line.split(",")[4] for line in summary.read_text().splitlines()[1:]]
        assert years == ["2028", "", "2027"]  # C's blank takes the template's 2027
    else:
        import pyarrow.parquet as pq

        table = pq.read_table(summary)
        assert str(table.schema.field("PlanYear").type) == "int64"
        assert table.column("PlanYear").to_pylist() == [2028, None, 2027]
