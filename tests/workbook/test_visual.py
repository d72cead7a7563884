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
    # Nine sheets; Diagnosis's tables and chart take two pages, the Channels sheet's budget
    # and optimal mix a second one, the What-if sheet's empty rows for more levers another.
    assert sorted(pages) == ["Actuals-1", "Channel_actuals-1", "Channels-1", "Channels-2",
                             "Diagnosis-1", "Diagnosis-2", "Goals-1", "KPI_catalog-1",
                             "Pipeline-1", "Plan-1", "What-if-1", "What-if-2"]  # fmt: skip
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
    assert [line.split(":")[0] for line in found if "changed" in line] == ["Diagnosis-1"]
