"""The scripts and functions under xlwings Lite's own decorators, which the pinned xlwings
ships (``xlwings.pro.udfs_officejs``): a ``@script`` becomes a coroutine that Lite awaits,
so a script that calls another builds nothing, and Lite's synchronous Range has no
``current_region``. The Lite runtime itself (Pyodide in Excel) cannot run here."""

import asyncio
import importlib
import sys
from unittest import mock

import pytest
import xlwings as xw
from kpi_planner_addin import ribbon, ribbon_channels, selftest

from .test_ribbon import FakeBook


@pytest.fixture
def under_lite(monkeypatch):
    """The ribbon module as xlwings Lite imports it, on Pyodide; restored afterwards."""
    # xlwings PRO's modules (Lite's decorators among them) check a license key at import;
    # these tests run them under its noncommercial licence (PolyForm Noncommercial 1.0.0).
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    from xlwings.pro import udfs_officejs as lite

    with mock.patch.multiple(xw, script=lite.script, func=lite.xlfunc, arg=lite.xlarg,
                             ret=lite.xlret):  # fmt: skip
        module = importlib.reload(ribbon)
    monkeypatch.setattr(sys, "platform", "emscripten")
    yield module
    monkeypatch.undo()
    importlib.reload(ribbon)


def test_the_self_test_builds_its_plan_sheet_under_lite(under_lite):
    # Lite calls a script as a coroutine, with the user first and the book injected.
    fake = FakeBook()
    assert asyncio.iscoroutinefunction(under_lite.self_test)
    returned = asyncio.run(under_lite.self_test(None, fake.book))
    assert returned is fake.book  # Lite found the book among the arguments
    # The Plan sheet is built in this book (Lite has one), and the self-test row reads its
    # visits by a formula Excel computes once the script has run.
    assert "Plan" in [sheet.name for sheet in fake.sheets]
    row = selftest.rows_used() + 1
    line = fake.written[selftest.SHEET][f"A{row}"].value[0]
    assert line[1] == "a ribbon macro writes a plan into the sheet Plan"
    assert line[3] == "='Plan'!C26"
    assert line[5] == selftest.pass_formula(row, 83_334.0)


def test_optimise_finds_the_table_without_current_region_as_under_lite():
    # Lite's Range raises NotImplementedError for current_region: the table is found in the
    # sheet's used range instead, the same rectangle Excel would give.
    fake = FakeBook()
    sheet = fake._add("Channels")
    grid = [[None, None, None, None],
            [None, "channel", "cost per lead", "max volume"],
            [None, "Search", 50.0, 500.0],
            [None, "Events", 120.0, None]]  # fmt: skip
    used = mock.NonCallableMagicMock(spec_set=xw.Range)
    used.row, used.column = 1, 1
    used.options.return_value.value = grid
    sheet.used_range = used
    selection = mock.NonCallableMagicMock(spec_set=xw.Range)
    type(selection).current_region = mock.PropertyMock(side_effect=NotImplementedError)
    selection.sheet, selection.row, selection.column = sheet, 3, 2  # the cell "Search"
    region = mock.NonCallableMagicMock(spec_set=xw.Range)
    sheet.range.side_effect = None
    sheet.range.return_value = region
    assert ribbon_channels.current_region(selection) is region
    # The table B2:D4 (rows 2-4, columns 2-4): bounded by the empty row 1 and column A.
    sheet.range.assert_called_once_with((2, 2), (4, 4))
