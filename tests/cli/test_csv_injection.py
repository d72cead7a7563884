"""Every CSV the command line writes is safe to open in a spreadsheet: a user's name that
starts like a formula (``=``, ``+``, ``-``, ``@``, a tab, a carriage return) is written as
text, with a leading ``'``; numbers, negative ones too, stay numbers.

``plan --format csv`` printed a stage named ``=cmd|' /C calc'!A0`` as it was, and
``plan --channels --format csv`` a channel named ``=HYPERLINK(...)``: a spreadsheet runs
them. Only the fill summary was guarded.
"""

import csv
import io

import pytest
from typer.testing import CliRunner

from kpi_planner.cli.main import app
from kpi_planner.files.csv_text import FORMULA_START, CsvWriter, defuse

runner = CliRunner()
#: One name per way a spreadsheet starts a formula (OWASP's CSV injection list).
NAMES = ["=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-2+3", "\t=1+1", "\r=1+1"]


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def rows(text):
    return list(csv.reader(io.StringIO(text)))


def test_the_guard_covers_every_formula_start():
    assert set(FORMULA_START) == {"=", "+", "-", "@", "\t", "\r"}
    for name in NAMES:
        assert defuse(name) == "'" + name
    for safe in ("Leads", "'=already text", "1+1", "", " =x"):
        assert defuse(safe) == safe
    stream = io.StringIO()
    CsvWriter(stream, number_format=".10g").writerows([[name, -2.5] for name in NAMES])
    # A carriage return inside a cell is written as a line feed, in a quoted cell.
    expected = [["'" + n.replace("\r", "\n"), "-2.5"] for n in NAMES]
    assert rows(stream.getvalue()) == expected


@pytest.mark.parametrize("name", NAMES[:4])
def test_plan_csv_defuses_stage_names(name):
    stages = f"{name},Leads,MQL,SQL,Opportunities,Customers"
    result = run("plan", "--example", "--stages", stages, "--format", "csv")
    assert result.exit_code == 0, result.output
    table = rows(result.stdout)
    assert table[1] == ["'" + name, "83334"]  # seed 000: 83,334 visits in whole numbers
    assert table[2] == ["Leads", "1250"]


@pytest.mark.parametrize("name", NAMES)
def test_channel_csv_defuses_channel_names(tmp_path, name):
    channels = tmp_path / "channels.csv"
    with open(channels, "w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows([["name", "share", "cost_per_unit"], [name, 0.5, 60],
                                      ["Events", 0.5, 150]])  # fmt: skip
    result = run("plan", "--example", "--channels", channels, "--format", "csv")
    assert result.exit_code == 0, result.output
    table = rows(result.stdout)
    expected = "'" + name.strip() if name.strip().startswith(FORMULA_START) else name.strip()
    assert table[1][0] == expected
    # 625 leads (1,250 x 0.5) at 60 a lead: 37,500.
    assert table[1][table[0].index("budget")] == "37500"


@pytest.mark.parametrize("name", NAMES[:4])
def test_scenario_csv_defuses_scenario_names(tmp_path, name):
    scenarios = tmp_path / "scenarios.csv"
    with open(scenarios, "w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows([["scenario", "deal size"], [name, 1_300_000]])
    result = run("plan", "--example", "--scenario", scenarios, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert rows(result.stdout)[0] == ["line", "base", "'" + name]


def test_plan_csv_keeps_every_digit_of_a_whole_volume():
    # At 10 significant digits 1e12 customers' whole monthly visits printed as
    # 1.666666667e+14, and the months no longer added up to the year. 1e12 customers need
    # 1e12 / 0.00012 = 8,333,333,333,333,333.3 -> ...334 visits in whole numbers (16 digits).
    result = run("plan", "--customers", "1e12", "--period", "monthly", "--format", "csv")
    assert result.exit_code == 0, result.output
    table = rows(result.stdout)
    visits = table[1]
    assert visits[0] == "Visits"
    assert visits[1] == "8333333333333334"
    assert sum(int(cell) for cell in visits[2:]) == 8_333_333_333_333_334
