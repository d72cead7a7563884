"""The ribbon's macros against doubles made with autospec from xlwings' real classes.

A call the real xlwings API would not accept (a wrong keyword, a missing attribute) fails
here too, so the macros are checked against the API they will meet in Excel.
"""

from unittest import mock

import pytest
import xlwings as xw
from kpi_planner_addin import ribbon

from kpi_planner.plan import one_plan
from kpi_planner.workbook.sheets.plan import layout as plan


def double(cls, **attributes):
    made = mock.create_autospec(cls, instance=True, spec_set=True)
    for name, value in attributes.items():
        setattr(made, name, value)
    return made


class FakeBook:
    """An xlwings Book double whose sheets remember what is written to their cells."""

    def __init__(self, sheet_names=("Sheet1",), names=None):
        self.book = double(xw.Book)
        self.written: dict[str, dict[str, object]] = {}  # sheet name -> ref -> Range double
        self.sheets = [self._sheet(name) for name in sheet_names]
        collection = double(xw.main.Sheets)
        collection.__iter__.side_effect = lambda: iter(self.sheets)
        collection.__len__.side_effect = lambda: len(self.sheets)
        collection.__getitem__.side_effect = self._get
        collection.add.side_effect = self._add
        self.book.sheets = collection
        defined = []
        for name, value in (names or {}).items():
            cells = double(xw.Range, value=value)
            defined.append(double(xw.main.Name, name=name, refers_to_range=cells))
        self.names = double(xw.main.Names)
        self.names.__iter__.side_effect = lambda: iter(defined)
        self.book.names = self.names
        self.book.app = double(xw.App)

    def _get(self, key):
        if isinstance(key, int):
            return self.sheets[key]
        return next(sheet for sheet in self.sheets if sheet.name == key)

    def _sheet(self, name):
        sheet = double(xw.Sheet, name=name)
        cells = self.written.setdefault(name, {})

        def cell(ref):
            if ref not in cells:
                # spec_set checks every attribute against xlwings' Range and Font (autospec,
                # which checks signatures too, is too slow for hundreds of cells).
                font = mock.NonCallableMagicMock(spec_set=xw.main.Font)
                cells[ref] = mock.NonCallableMagicMock(spec_set=xw.Range)
                cells[ref].font = font
            return cells[ref]

        sheet.range.side_effect = cell
        return sheet

    def _add(self, name=None, before=None, after=None):
        sheet = self._sheet(name)
        self.sheets.append(sheet)
        return sheet


def test_build_plan_sheet_writes_the_same_sheet_as_the_template():
    fake = FakeBook()
    ribbon.build_plan_sheet(fake.book)
    added = fake.sheets[-1]
    assert added.name == "Plan"
    expected, names = plan.plan_sheet(one_plan.PlanInputs())  # seed 000's example
    # In whole numbers (the example's) volumes show no decimals: the live renderer applies
    # the conditional format that holds, range by range, after the cells' own formats.
    (whole,) = [rule for rule in expected.conditional_formats if rule.holds]
    assert whole.number_format == "#,##0"
    spans = whole.ranges.split()
    for span in spans:
        assert fake.written[added.name][span].number_format == "#,##0", span
    for cell in expected.cells:
        written = fake.written[added.name][cell.ref]
        if cell.is_formula:
            assert written.formula == cell.value, cell.ref
        elif cell.value is not None:
            assert written.value == cell.value, cell.ref
        if cell.number_format:
            wanted = "#,##0" if cell.ref in spans else cell.number_format
            assert written.number_format == wanted, cell.ref
    assert fake.written[added.name]["B6"].color == "#FFF2CC"  # an input cell's fill
    assert fake.written[added.name]["A1"].font.bold is True
    defined = {c.args[0]: c.args[1] for c in fake.names.add.call_args_list}
    assert defined["RevenueGoal"] == "=Plan!$B$6"
    assert defined["RequiredMonthly"] == "=Plan!$C$35:$N$40"
    assert set(defined) == {n.name for n in names}
    added.activate.assert_called_once_with()


def test_build_plan_sheet_carries_over_the_last_inputs_and_picks_a_free_name():
    last = {
        "RevenueGoal": 5_000_000.0,
        "DealSize": 25_000.0,
        "PlanYear": 2028.0,
        "WholeNumbers": False,
        "StageNames": ["Leads", "SQL", "Won", None, None, None],
        "StageRates": [0.1, 0.25, None, None, None],
    }
    fake = FakeBook(sheet_names=("Plan",), names=last)
    ribbon.build_plan_sheet(fake.book)
    added = fake.sheets[-1]
    assert added.name == "Plan 2"
    assert fake.written[added.name]["B6"].value == 5_000_000
    assert fake.written[added.name]["B5"].value == 2028
    assert fake.written[added.name]["A26"].value == "Leads"
    assert fake.written[added.name]["B27"].value == 0.25
    defined = {c.args[0]: c.args[1] for c in fake.names.add.call_args_list}
    assert defined["StageNames"] == "='Plan 2'!$A$26:$A$28"


@pytest.mark.parametrize("year", ["2027 (draft)", 1850.0, 2027.5])
def test_a_plan_year_no_workbook_can_show_is_named_not_a_crash(year):
    # Pasted over the cell's validation: the Goals sheet's dates could not be made.
    fake = FakeBook(sheet_names=("Plan",), names={"PlanYear": year})
    with pytest.raises(ValueError, match=r"PlanYear = .*: must be a whole year from 1900 to 2200"):
        ribbon.add_tracking_sheets(fake.book)


def test_refresh_recalculates():
    fake = FakeBook()
    ribbon.refresh(fake.book)
    fake.book.app.calculate.assert_called_once_with()


def test_help_shows_the_add_in_section_on_a_sheet():
    fake = FakeBook(sheet_names=("Sheet1", ribbon.HELP_SHEET))
    ribbon.show_help(fake.book)
    added = fake.sheets[-1]
    assert added.name == ribbon.HELP_SHEET
    lines = [row[0] for row in fake.written[added.name]["A1"].value]
    assert lines[0] == "The Excel add-in"
    assert len(lines) > 3


def test_a_call_the_real_api_would_refuse_fails_here_too():
    fake = FakeBook()
    with pytest.raises(TypeError):
        fake.book.sheets.add(title="Plan")  # Sheets.add has no 'title'
    with pytest.raises(AttributeError):
        fake.sheets[0].range("A1").colour = "#FFFFFF"  # a Range has no 'colour'


def test_add_tracking_sheets_renders_actuals_and_diagnosis():
    fake = FakeBook(sheet_names=("Plan",))
    ribbon.add_tracking_sheets(fake.book)
    assert [sheet.name for sheet in fake.sheets] == ["Plan", "Actuals", "Diagnosis", "Goals"]
    assert fake.written["Diagnosis"]["B13"].formula.startswith(
        '=IF(MonthsClosed=0,"no actuals yet"'
    )
    defined = {c.args[0]: c.args[1] for c in fake.names.add.call_args_list}
    assert defined["MonthsClosed"] == "=Actuals!$B$3"
    assert defined["FocusArea"] == "=Diagnosis!$B$13"
    assert defined["GoalStatus"] == "=Goals!$J$7:$J$16"
    # The layout as the spec has it (issue 13): two-line headers, the playbook's merged
    # text cells wrapped, the Goals helper columns hidden, the examples in the plan's year.
    diagnosis, goals = fake.written["Diagnosis"], fake.written["Goals"]
    assert diagnosis["A5"].row_height == 30
    diagnosis["B20:E20"].merge.assert_called_once_with()
    assert diagnosis["F21"].wrap_text is True
    assert goals["M1"].column_width == 0
    assert goals["N1"].column_width == 0
    assert goals["A7"].value.startswith("Example: ")
    assert goals["E7"].value.year == one_plan.PlanInputs().plan_year


def test_add_tracking_sheets_adds_channel_actuals_where_the_book_has_channels():
    # The Channel actuals sheet reads the Channels sheet's names: added only beside them,
    # after Diagnosis, whose names (PlannedToDate, FocusTolerance) its formulas read.
    fake = FakeBook(sheet_names=("Plan", "Channels"), names={"ChannelVolumes": [[None] * 6]})
    ribbon.add_tracking_sheets(fake.book)
    assert [sheet.name for sheet in fake.sheets] == ["Plan", "Channels", "Actuals", "Diagnosis",
                                                     "Channel actuals", "Goals"]  # fmt: skip
    by_channel = fake.written["Channel actuals"]
    assert by_channel["A8"].formula == '=IF(INDEX(ChannelNames,1)="","",INDEX(ChannelNames,1))'
    defined = {c.args[0]: c.args[1] for c in fake.names.add.call_args_list}
    assert defined["ChannelToFix"] == "='Channel actuals'!$B$17"


def test_diagnose_writes_the_engines_reading_on_its_own_sheet():
    planned = [[6000.0] * 12, [90.0] * 12, [18.0] * 12]
    # Two months closed: visits on plan, a third of the leads (seed 002's case), MQL in line.
    actual = [[6000.0, 6000.0] + [None] * 10, [30.0, 30.0] + [None] * 10,
              [6.0, 6.0] + [None] * 10]  # fmt: skip
    names = {
        "StageNames": ["Visits", "Leads", "MQL"],
        "StageRates": [0.015, 0.2, None, None, None],  # the plan's rates judge the actuals
        "MonthsClosed": 2.0,
        "FocusTolerance": 0.1,
        "RequiredMonthly": planned,
        "ActualVolumes": actual,
    }
    fake = FakeBook(names=names)
    ribbon.diagnose(fake.book)
    fake.book.app.calculate.assert_called_once_with()
    rows = fake.written[ribbon.REPORT_SHEET]["A1"].value
    table = {row[0]: row[1:] for row in rows}
    assert table["Visits"][:3] == [12_000, 12_000, 1.0]  # 2 months x 6,000, on plan
    assert table["Leads"][2] == pytest.approx(1 / 3)
    assert table["Focus area"][0] == "Visits -> Leads"
    assert "landing pages" in table["What to do"][0]


def test_diagnose_before_any_actuals_and_without_the_sheets():
    fake = FakeBook(names={"StageNames": ["A", "B"], "MonthsClosed": 0.0})
    ribbon.diagnose(fake.book)
    assert fake.written[ribbon.REPORT_SHEET]["A1"].value[1][0] == "no actuals yet"
    with pytest.raises(ValueError, match="no 'StageNames': add the plan and tracking sheets"):
        ribbon.diagnose(FakeBook().book)


def channels_region(fake, rows, row=3, column=2):
    """The current region of the selection: a channels table on a sheet of the book."""
    sheet = fake._add("Channels")
    region = mock.NonCallableMagicMock(spec_set=xw.Range)
    region.value, region.row, region.column, region.sheet = rows, row, column, sheet
    selection = mock.NonCallableMagicMock(spec_set=xw.Range)
    selection.current_region = region
    fake.book.selection = selection
    return fake.written["Channels"]


def test_optimise_channel_mix_writes_the_solvers_mix_beside_the_table():
    # The built-in example plans 10 customers; below leads 0.2 x 0.2 x 0.4 x 0.5 = 0.8 % of
    # leads close: 1,250 leads. Search (50 a lead) is capped at 500, events (120) take the
    # other 750: 500 x 50 + 750 x 120 = 115,000; shares 40 % and 60 %.
    fake = FakeBook()
    rows = [["channel", "cost per lead", "max volume"], ["Search", 50.0, 500.0],
            ["Events", 120.0, None]]  # fmt: skip
    written = channels_region(fake, rows)
    ribbon.optimise_channel_mix(fake.book)
    result = written[(3, 5)].value  # right of the table's three columns (B:D)
    assert result[0] == list(ribbon.SOLVER_HEADERS)
    assert [row[0] for row in result[1:]] == pytest.approx([0.4, 0.6])
    assert [row[1] for row in result[1:]] == pytest.approx([500, 750])
    note = written[(7, 5)].value
    assert note[0][0] == "Solver's budget for 10 customers: 115,000.00"
    assert note[1][0] == "Limits that bind: Search: at most 500 Leads"
    # A rerun reads the table without the solver's columns and writes them again in place.
    rows = [row + extra for row, extra in zip(rows, result, strict=False)]
    written = channels_region(fake, rows)
    ribbon.optimise_channel_mix(fake.book)
    assert written[(3, 5)].value[1][1] == pytest.approx(500)


def test_optimise_channel_mix_names_a_mistake_by_row_and_column():
    fake = FakeBook()
    channels_region(fake, [["channel", "cost per lead"], ["Search", "lots"]])
    with pytest.raises(ValueError, match=r"the channels table row 4, column cost per lead: 'lots'"):
        ribbon.optimise_channel_mix(fake.book)


def test_optimise_channel_mix_on_the_channels_sheet_fills_its_optimal_block():
    # The same arithmetic as beside a table: 1,250 leads for the example's 10 customers,
    # search capped at 500 (50 a lead: 25,000), events the other 750 (120: 90,000).
    from kpi_planner.workbook.sheets.channels import grid as cg

    empty = [None] * (cg.SLOTS - 2)
    fake = FakeBook(names={
        "ChannelEntry": "Leads", "ChannelNames": ["Search", "Events", *empty],
        "ChannelShares": [0.5, 0.5, *empty], "ChannelCosts": [50.0, 120.0, *empty],
        "ChannelMaxShares": [None] * cg.SLOTS, "ChannelMaxVolumes": [500.0, None, *empty],
        "ChannelOwnRates": [[None] * 5 for _ in range(cg.SLOTS)],
    })  # fmt: skip
    sheet = fake._add("Channels")
    for name in fake.book.names:
        name.refers_to_range.sheet = sheet
    selection = mock.NonCallableMagicMock(spec_set=xw.Range)
    selection.sheet = sheet
    fake.book.selection = selection
    ribbon.optimise_channel_mix(fake.book)
    written = fake.written["Channels"]
    first = cg.FIRST_OPTIMAL
    assert [written[f"{c}{first}"].value for c in "ACD"] == ["Search", 500, pytest.approx(25_000)]
    assert written[f"C{first + 1}"].value == pytest.approx(750)
    assert written[f"D{cg.OPTIMAL_TOTAL_ROW}"].value == pytest.approx(115_000)
    assert written[f"A{cg.BINDING_ROW}"].value == "Limits that bind: Search: at most 500 Leads"
    assert written[f"A{first + 2}"].value is None  # a row the solver leaves unused: emptied
    assert written[f"B{first}"].number_format == "0.0%"
