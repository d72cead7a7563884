"""The visual check: each sheet as LibreOffice prints it matches its reviewed reference image.

LibreOffice is the only program here that draws a workbook; CI installs it and the fonts
(``.ci/run``) and sets ``KPI_PLANNER_VISUAL=required``, so a missing one fails rather than
skips; elsewhere the check is skipped unless LibreOffice and every font are there.
Regenerate the references after a deliberate change: ``python -m tests.workbook.visual
--update``, then look at each image in ``tests/workbook/reference/``.
"""

import dataclasses
import os

import pytest

from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook.render import xlsx
from kpi_planner.workbook.sheets.tracking import layout as tracking

from . import visual

# Skipped unless LibreOffice and the references' fonts are all here (without Carlito every
# page differs); where CI asks for the check, anything missing is an error.
LACKING = visual.missing()
if LACKING:
    if os.environ.get("KPI_PLANNER_VISUAL") == "required":
        raise RuntimeError(f"KPI_PLANNER_VISUAL=required, but this machine lacks {LACKING}")
    pytest.skip(f"no visual check: this machine lacks {', '.join(LACKING)}",
                allow_module_level=True)  # fmt: skip


def test_every_sheet_of_the_template_looks_as_reviewed(tmp_path):
    pages = visual.render(visual.TEMPLATE, tmp_path)
    # Ten sheets. The Summary prints on one page. The Plan prints the plan, then its
    # timeline by quarter, then its months' year before and plan year; the Pipeline the
    # year before and the plan
    # year; Channels the mix, then the budget and optimal mix; What-if the scenarios, the
    # ranking and its chart; Diagnosis to date, then by month and quarter.
    assert sorted(pages) == ["Actuals-1", "Channel_actuals-1", "Channels-1", "Channels-2",
                             "Diagnosis-1", "Diagnosis-2", "Goals-1", "KPI_catalog-1",
                             "Pipeline-1", "Pipeline-2", "Plan-1", "Plan-2", "Plan-3",
                             "Plan-4", "Summary-1", "What-if-1", "What-if-2",
                             "What-if-3"]  # fmt: skip
    assert visual.differences(pages) == []


def test_a_broken_layout_fails_the_visual_check(tmp_path):
    # The Diagnosis chart back where it hid the monthly table: the check must see it.
    book = plan_book.plan_workbook()
    focus_row = tracking.TrackingGrid(6).focus_row
    sheets = tuple(
        dataclasses.replace(s, charts=(dataclasses.replace(s.charts[0], anchor=f"E{focus_row}"),))
        if s.title == tracking.DIAGNOSIS else s
        for s in book.sheets
    )  # fmt: skip
    broken = xlsx.save(dataclasses.replace(book, sheets=sheets), tmp_path / "broken.xlsx")
    (tmp_path / "pages").mkdir()
    found = visual.differences(visual.render(broken, tmp_path / "pages"))
    # The chart leaves the second page for the first, over the table.
    assert [line.split(":")[0] for line in found if "changed" in line] == [
        "Diagnosis-1",
        "Diagnosis-2",
    ]


def full_builds(folder):
    """The template's plan built with every optional sheet (channels, the optimal mix,
    scenarios, the Forecast and Capacity sheets), and a company's workbook."""
    from typer.testing import CliRunner

    from kpi_planner.cli.main import app

    examples = visual.ROOT / "examples"
    commands = {
        "full.xlsx": ["--channels", examples / "channels.csv", "--optimise", "--scenario",
                      examples / "scenarios.csv", "--opportunities",
                      examples / "forecast-opportunities.csv", "--as-of", "2027-06-30",
                      "--team", examples / "team.csv"],
        "company.xlsx": ["--segments", examples / "segments.csv", "--revenue-goal", "20000000"],
    }  # fmt: skip
    for name, options in commands.items():
        result = CliRunner().invoke(app, ["build", "--out", str(folder / name),
                                          *map(str, options)])  # fmt: skip
        assert result.exit_code == 0, result.output
        yield folder / name


def test_every_printed_page_is_readable(tmp_path):
    # Issue 35: in LibreOffice's PDF (Carlito), each page's words are at least 9 pt tall
    # (median of pdftotext's boxes; about 7 pt type) and it holds at least 30 words: no
    # page of a spilled row, a chart's edge or an empty grid.
    workbooks = [visual.TEMPLATE, *full_builds(tmp_path)]
    pdfs = {book.name: visual.printed(book, tmp_path) for book in workbooks}
    found = {name: visual.unreadable(pdf) for name, pdf in pdfs.items()}
    assert found == {book.name: [] for book in workbooks}
    # The Forecast's 144 opportunities run over pages of their own, each headed by the
    # table's header row, and the forecast's page above them does not repeat it.
    forecast = [word for sheet, word in visual.first_words(pdfs["full.xlsx"])
                if sheet == "Forecast"]  # fmt: skip
    assert forecast[0] != "Opportunity"
    assert len(forecast) > 2
    assert set(forecast[1:]) == {"Opportunity"}


def test_a_page_printed_too_small_is_found(tmp_path):
    # The Plan's 28 columns back in one print area, fitted one page wide: about 5 pt.
    book = plan_book.plan_workbook()
    sheets = tuple(dataclasses.replace(s, print_area="A1:AB75") if s.title == "Plan" else s
                   for s in book.sheets)  # fmt: skip
    broken = xlsx.save(dataclasses.replace(book, sheets=sheets), tmp_path / "small.xlsx")
    found = visual.unreadable(visual.printed(broken, tmp_path))
    assert [line.split(":")[0] for line in found] == ["page 2 (Plan)"]  # after the Summary
