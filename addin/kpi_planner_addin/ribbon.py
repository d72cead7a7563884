"""Macros behind the "KPI Planner" ribbon tab.

Each takes the workbook as an argument; ``book=None`` means the workbook that called
(``xw.Book.caller()``), so the same function runs from a ribbon button (RunPython), from
xlwings Lite (``@script``) and from tests.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, metadata

import xlwings as xw

from kpi_planner.workbook import live, plan

#: The README section the Help button shows.
HELP_SECTION = "## The Excel add-in"
HELP_SHEET = "KPI Planner help"


def last_inputs(book) -> plan.PlanInputs:
    """The inputs of the book's newest plan sheet, or seed 000's example if it has none.

    Reads the documented defined names, so a plan the user already filled in carries over.
    """
    inputs = plan.PlanInputs()
    names = {name.name: name for name in book.names}
    values = {}
    for defined, field in plan.SCALAR_INPUT_NAMES.items():
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
    if values.get("plan_year") is not None:
        values["plan_year"] = int(values["plan_year"])
    return inputs.replace(**{k: v for k, v in values.items() if v is not None})


@xw.script
def build_plan_sheet(book: xw.Book | None = None) -> None:
    """Ribbon "Build plan sheet": add the Plan sheet, pre-filled with the last inputs."""
    book = book or xw.Book.caller()
    inputs = last_inputs(book)
    sheet_spec, names = plan.plan_sheet(inputs)
    sheet = live.render(book, sheet_spec, names)
    sheet.activate()


@xw.script
def refresh(book: xw.Book | None = None) -> None:
    """Ribbon "Refresh": recalculate every open workbook."""
    book = book or xw.Book.caller()
    book.app.calculate()


def help_lines() -> list[str]:
    """The README's add-in section, from the installed package's description."""
    try:
        readme = metadata("kpi-planner").get_payload() or ""
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
