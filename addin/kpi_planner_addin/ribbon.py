"""Macros behind the "KPI Planner" ribbon tab.

Each takes the workbook as an argument; ``book=None`` means the workbook that called
(``xw.Book.caller()``), so the same function runs from a ribbon button (RunPython), from
xlwings Lite (``@script``) and from tests.
"""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, metadata
from pathlib import Path

import xlwings as xw

import kpi_engine
from kpi_engine import fiscal
from kpi_planner.inputs.currency import CurrencyError, currency_code, money
from kpi_planner.inputs.defaults import PLAN_YEAR_RULE, is_plan_year
from kpi_planner.plan import one_plan
from kpi_planner.workbook.render import xlwings_live as live
from kpi_planner.workbook.sheets.number_formats import priced
from kpi_planner.workbook.sheets.plan import layout as plan
from kpi_planner.workbook.sheets.tracking import channel_actuals
from kpi_planner.workbook.sheets.tracking import layout as tracking

from . import config_file, ribbon_channels, selftest

#: The README section the Help button shows.
HELP_SECTION = "## The Excel add-in"
HELP_SHEET = "KPI Planner help"


def last_inputs(book) -> one_plan.PlanInputs:
    """The inputs of the book's newest plan sheet, or seed 000's example if it has none.

    Reads the documented defined names, so a plan the user already filled in carries over.
    """
    inputs = one_plan.PlanInputs()
    names = {name.name: name for name in book.names}
    values = {}
    for defined, field in one_plan.PLAN_INPUT_NAMES.items():
        if defined in names:
            values[field] = names[defined].refers_to_range.value
    if "StageNames" in names and "StageRates" in names:
        stages = [s for s in names["StageNames"].refers_to_range.value if s]
        rates = [r for r in names["StageRates"].refers_to_range.value if r is not None]
        if len(stages) == len(rates) + 1:
            values["stages"], values["rates"] = tuple(stages), tuple(rates)
    if "SeasonalityWeights" in names:
        weights = names["SeasonalityWeights"].refers_to_range.value
        if len(weights) == 12:
            values["seasonality"] = tuple(weights)
    try:  # a code no one knows shows no symbol: never a wrong label
        values["currency"] = currency_code(values.get("currency"))
    except CurrencyError:
        values["currency"] = ""
    year = values.get("plan_year")
    if year is not None:
        if not is_plan_year(year):  # pasted past the cell's validation; no dates for it
            raise ValueError(f"PlanYear = {year!r}: {PLAN_YEAR_RULE}")
        values["plan_year"] = int(year)
    if values.get("fiscal_year_start") is not None:  # a month, or why not
        values["fiscal_year_start"] = fiscal.fiscal_start(values["fiscal_year_start"],
                                                          "FiscalYearStart")  # fmt: skip
    return inputs.replace(**{k: v for k, v in values.items() if v is not None})


@xw.script
def build_plan_sheet(book: xw.Book | None = None) -> None:
    """Ribbon "Build plan sheet": add the Plan sheet, pre-filled with the last inputs."""
    _plan_sheet(book or xw.Book.caller()).activate()


def _plan_sheet(book) -> xw.Sheet:
    """The Plan sheet added to ``book``, pre-filled with its last inputs. Plain, so other
    macros call it: under xlwings Lite a ``@script`` is a coroutine that Lite awaits, and
    calling one from another script builds nothing."""
    inputs = last_inputs(book)
    sheet_spec, names = plan.plan_sheet(inputs)
    return live.render(book, priced(sheet_spec, money(inputs.currency)), names)


@xw.script
def add_tracking_sheets(book: xw.Book | None = None) -> None:
    """Ribbon "Add tracking sheets": Actuals, Diagnosis and Goals for the book's plan, and
    Channel actuals where the book has a Channels sheet.

    Their formulas read the sheet named "Plan" (build it first), the Channels sheet's
    names (Channel actuals) and each other.
    """
    book = book or xw.Book.caller()
    inputs = last_inputs(book)
    stages = inputs.stages
    empty = tracking.TrackingInputs()
    shown = money(inputs.currency)

    def render(sheet, names):  # money in the plan's currency
        return live.render(book, priced(sheet, shown), names)

    added = [
        render(*tracking.actuals_sheet(stages, empty)),
        render(*tracking.diagnosis_sheet(stages, empty)),
    ]
    # After Diagnosis: its formulas read Diagnosis's names (PlannedToDate, FocusTolerance).
    if "ChannelVolumes" in {name.name for name in book.names}:
        added.append(render(*channel_actuals.channel_actuals_sheet(len(stages))))
    added.append(
        live.render(
            book,
            *tracking.goals_sheet(
                plan_year=inputs.plan_year,
                fiscal_year_start=inputs.fiscal_year_start,
                fiscal_year_named_by=inputs.fiscal_year_named_by,
            ),
        )
    )
    added[0].activate()


REPORT_SHEET = "KPI Planner diagnosis"


@xw.script
def diagnose(book: xw.Book | None = None) -> None:
    """Ribbon "Diagnose": kpi_engine's reading of the months closed, on a sheet of its own.

    Reads the plan and the actuals by their defined names (``RequiredMonthly``,
    ``ActualVolumes``, ``MonthsClosed``, ``FocusTolerance``, ``StageNames``), so it is a
    second opinion on the Diagnosis sheet's formulas, and it works in any runtime.
    """
    book = book or xw.Book.caller()
    book.app.calculate()
    names = {name.name: name for name in book.names}

    def read(name: str):
        if name not in names:
            raise ValueError(f"this workbook has no '{name}': add the plan and tracking sheets")
        return names[name].refers_to_range.value

    stages = [str(s) for s in read("StageNames") if s]
    months = int(read("MonthsClosed") or 0)
    tolerance = read("FocusTolerance") if "FocusTolerance" in names else 0.1
    lines = [["KPI Planner diagnosis"]]
    if months == 0:
        lines.append([tracking.NO_ACTUALS])
    else:
        planned = [[v or 0.0 for v in row] for row in read("RequiredMonthly")]
        actual = [[v or 0.0 for v in row] for row in read("ActualVolumes")]
        rates = [float(rate) for rate in read("StageRates")[: len(stages) - 1]]
        result = kpi_engine.diagnose(planned, actual, months, tolerance=tolerance,
                                     stages=stages, rates=rates)  # fmt: skip
        lines.append([f"Months closed: {months}"])
        lines.append(["Stage", "Planned to date", "Actual to date", "Attainment"])
        lines += [[s, p, a, t] for s, p, a, t in zip(stages, result.planned.tolist(),
                  result.actual.tolist(), result.attainment.tolist(), strict=True)]  # fmt: skip
        focus = result.focus
        lines.append(["Focus area", tracking.ON_PLAN if focus is None else focus.where])
        if focus is not None and focus.play is not None:
            lines.append(["What to do", focus.play.action])
            lines.append(["KPIs to watch", ", ".join(focus.play.kpis)])
    if REPORT_SHEET in [sheet.name for sheet in book.sheets]:
        book.sheets[REPORT_SHEET].delete()
    sheet = book.sheets.add(name=REPORT_SHEET, after=book.sheets[len(book.sheets) - 1])
    width = max(len(line) for line in lines)
    sheet.range("A1").value = [line + [None] * (width - len(line)) for line in lines]
    sheet.activate()


#: The column headers "Optimise channel mix" writes beside a channels table.
SOLVER_HEADERS = ("Solver's share (values)", "Solver's volume (values)")


@xw.script
def optimise_channel_mix(book: xw.Book | None = None) -> None:
    """Ribbon "Optimise channel mix": the cheapest mix within the channels' limits, beside
    the channels table the selection is in; on the Channels sheet, into its optimal-mix
    block (below the budget), from the channels its defined names hold.

    The table is the selection's current region: a header row (channel, share, cost per
    lead, max share, max volume, a step's own rate such as "Leads -> MQL"), one row per
    channel, as ``kpi-planner plan --channels`` reads it. The plan is the book's (its
    defined names) or the built-in example. The solver's share and volume of each channel
    are written as values in the two columns right of the table, and the budget and the
    limits that bind below them; the user's own mix is left as it is.
    """
    from kpi_engine.channel_mix import optimal_mix
    from kpi_engine.channels import default_entry
    from kpi_planner.inputs.channel_table import ChannelTableError, channels_from_records

    book = book or xw.Book.caller()
    names = {name.name: name for name in book.names}
    if ribbon_channels.is_channels_sheet(book.selection.sheet, names):
        _optimise_channels_sheet(book, names)
        return
    region = ribbon_channels.current_region(book.selection)
    rows = region.value
    if not isinstance(rows, list) or len(rows) < 2 or not isinstance(rows[0], list):
        raise ValueError("select a cell of a channels table: a header row (channel, share, "
                         "cost per lead, ...) and one row per channel")  # fmt: skip
    header = [str(cell) for cell in rows[0]]
    # A rerun replaces the solver's columns of the last run instead of reading them in.
    width = header.index(SOLVER_HEADERS[0]) if SOLVER_HEADERS[0] in header else len(header)
    first_row, first_column = region.row, region.column
    records = [(first_row + k, dict(zip(header[:width], row[:width], strict=True)))
               for k, row in enumerate(rows[1:], start=1)
               if any(cell is not None for cell in row)]  # fmt: skip
    inputs = last_inputs(book)
    customers = _customers(inputs)
    stages = list(inputs.stages)
    entry = default_entry(stages)
    label = "the channels table"
    try:
        table = channels_from_records(records, label, stages, entry, shares_needed=False)
        best = optimal_mix(customers, list(inputs.rates), table.channels, entry=entry,
                           stages=stages)  # fmt: skip
    except ChannelTableError as err:
        raise ValueError(str(err)) from None
    except kpi_engine.KPIInputError as err:
        raise ValueError(table.in_table_words(err)) from None
    sheet = region.sheet
    column = first_column + width
    values = [list(SOLVER_HEADERS)] + [[best.shares[c.name], best.volumes[c.name]]
                                       for c in table.channels]  # fmt: skip
    sheet.range((first_row, column)).value = values
    note_row = first_row + len(values) + 1
    binding = "; ".join(best.binding) or "none"
    sheet.range((note_row, column)).value = [
        [f"Solver's budget for {customers:,.4g} customers: {best.budget:,.2f}"],
        [f"Limits that bind: {binding}"],
    ]


def _customers(inputs: one_plan.PlanInputs) -> float:
    """The plan's customers for the year (the Plan sheet's last volume)."""
    return list(kpi_engine.reverse_funnel(
        inputs.revenue_goal, list(inputs.rates), deal_size=inputs.deal_size,
        whole_numbers=inputs.whole_numbers, stages=list(inputs.stages)).values())[-1]  # fmt: skip


def _optimise_channels_sheet(book, names: dict) -> None:
    """On the Channels sheet: its channels and limits in, the solver's mix into its block."""
    from kpi_engine.channel_mix import optimal_mix
    from kpi_engine.channels import default_entry

    inputs = last_inputs(book)
    stages = list(inputs.stages)
    try:
        entry, channels = ribbon_channels.sheet_channels(names, stages)
        entry = entry or default_entry(stages)
        best = optimal_mix(_customers(inputs), list(inputs.rates), channels, entry=entry,
                           stages=stages)  # fmt: skip
    except (kpi_engine.KPIInputError, ValueError, TypeError) as err:
        raise ValueError(f"the Channels sheet: {err}") from None
    ribbon_channels.write_optimal(book.selection.sheet, best, entry)


@xw.script
def refresh(book: xw.Book | None = None) -> None:
    """Ribbon "Refresh": recalculate every open workbook."""
    book = book or xw.Book.caller()
    book.app.calculate()


def help_lines() -> list[str]:
    """The README's add-in section, from the installed package's description."""
    try:
        described = metadata("kpi-planner")
        # The body, or the Description field where the importlib_metadata backport (which
        # some packages install over the standard library's) puts it.
        readme = described.get_payload() or described.get("Description") or ""
    except PackageNotFoundError:
        readme = ""
    section = readme.split(HELP_SECTION, 1)[1] if HELP_SECTION in readme else ""
    lines = [HELP_SECTION.lstrip("# "), *section.split("\n## ", 1)[0].strip().splitlines()]
    return lines if len(lines) > 1 else [*lines, "See README.md of kpi-planner."]


@xw.script
def show_help(book: xw.Book | None = None) -> None:
    """Ribbon "Help": show the add-in's documentation on a sheet of its own.

    A sheet, not a web page: it works offline, in every runtime, with the text of the
    version installed.
    """
    book = book or xw.Book.caller()
    if HELP_SHEET in [sheet.name for sheet in book.sheets]:
        book.sheets[HELP_SHEET].delete()
    sheet = book.sheets.add(name=HELP_SHEET, after=book.sheets[len(book.sheets) - 1])
    sheet.range("A1").value = [[line] for line in help_lines()]
    sheet.range("A1").column_width = 120
    sheet.activate()


#: The plan the Self-test button builds in a new workbook: the built-in example needs
#: 83,334 visits a year (10,000,000 / 1,100,000 = 9.09 -> 10 customers; / 0.5 = 20
#: opportunities; / 0.4 = 50 SQL; / 0.2 = 250 MQL; / 0.2 = 1,250 leads; / 0.015 = 83,333.3
#: -> 83,334 visits, rounding up).
SELFTEST_PLAN_VISITS = 83_334.0


@xw.script
def self_test(book: xw.Book | None = None) -> None:
    """Ribbon "Self-test": every custom function through Excel, PASS or FAIL per row; a
    ribbon macro writing a plan sheet into a new workbook; and the setup (Python, xlwings,
    interpreter, config file) on a sheet of its own."""
    book = book or xw.Book.caller()
    if selftest.SHEET in [sheet.name for sheet in book.sheets]:
        book.sheets[selftest.SHEET].delete()
    functions = not sys.platform.startswith("darwin")  # classic UDFs are Windows-only
    sheet = live.render(book, *selftest.selftest_sheet(1, with_functions=functions))
    row = selftest.rows_used(functions) + 1
    where, visits = _selftest_plan(book)
    sheet.range(f"A{row}").value = [[
        "Build plan sheet", f"a ribbon macro writes a plan into {where}",
        "KPI Planner > Build plan sheet", visits, SELFTEST_PLAN_VISITS,
        selftest.pass_formula(row, SELFTEST_PLAN_VISITS),
        "the built-in example: 10 customers -> 83,334 visits a year",
    ]]  # fmt: skip
    setup = setup_lines()
    sheet.range(f"A{row + 2}").value = [[label, value] for label, value in setup]
    book.app.calculate()
    sheet.activate()


def _selftest_plan(book) -> tuple[str, object]:
    """The Build plan sheet macro end to end: where it wrote the plan, and its visits for
    the year. Classic xlwings: into a new workbook, recalculated and read back. xlwings
    Lite (Pyodide) has one workbook and computes formulas after the script: a Plan sheet of
    this book, and a formula reading its visits."""
    visits_cell = f"C{plan.PlanGrid(6).first_stage_row}"
    if sys.platform == "emscripten":
        added = _plan_sheet(book)
        return f"the sheet {added.name}", f"='{added.name}'!{visits_cell}"
    new = book.app.books.add()
    added = _plan_sheet(new)
    new.app.calculate()
    return new.name, added.range(visits_cell).value


def setup_lines() -> list[tuple[str, str]]:
    """What the self-test reports of the setup Excel runs the add-in with."""
    config = config_file.config_path(sys.platform, Path.home())
    found = "found" if config.is_file() else "not found: run kpi-planner addin install"
    return [
        ("Setup", ""),
        ("Python", sys.version.split()[0]),
        ("xlwings", xw.__version__),
        ("Interpreter", sys.executable),
        ("Config file", f"{config} ({found})"),
    ]
