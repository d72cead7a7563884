"""A workbook as data: sheets, cells, formulas, defined names, styles, validations, charts.

The plan workbook is defined once in these terms
(:mod:`kpi_planner.workbook.sheets.plan.layout`) and
rendered by any writer: openpyxl headlessly (:mod:`kpi_planner.workbook.render.xlsx`), xlwings in
a live workbook. Nothing here knows about either; a renderer walks the cells in order and
applies each role's :data:`ROLE_STYLES`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Role = Literal["title", "note", "header", "label", "input", "formula", "output"]
CellValue = float | int | str | bool | None


@dataclass(frozen=True)
class Style:
    """How a role looks: font, fill, border, alignment; colours are RGB hex."""

    bold: bool = False
    size: float | None = None
    font_color: str | None = None
    fill: str | None = None
    border: bool = False
    wrap: bool = False
    italic: bool = False


#: Input cells are blue on pale yellow (the finance convention for "type here"); formulas
#: are black on white; key outputs bold on pale green.
ROLE_STYLES: dict[Role, Style] = {
    "title": Style(bold=True, size=16, font_color="1F3864"),
    "note": Style(italic=True, font_color="595959"),
    "header": Style(bold=True, font_color="FFFFFF", fill="1F3864", border=True, wrap=True),
    "label": Style(),
    "input": Style(font_color="0000FF", fill="FFF2CC", border=True),
    "formula": Style(border=True),
    "output": Style(bold=True, fill="E2EFDA", border=True),
}


@dataclass(frozen=True)
class Cell:
    """One cell: a constant or a formula (``"=..."``), its role and number format."""

    ref: str
    value: CellValue = None
    role: Role = "label"
    number_format: str | None = None
    comment: str | None = None
    #: Rows a formula's array result fills, down from ``ref`` (a spill); 1 for one value.
    spill_rows: int = 1
    #: Long text on several lines within the column (a role's style may wrap it anyway).
    wrap: bool = False
    #: An amount of money: its format shows the plan's currency
    #: (:func:`kpi_planner.workbook.sheets.number_formats.priced`).
    money: bool = False

    @property
    def is_formula(self) -> bool:
        return isinstance(self.value, str) and self.value.startswith("=")


@dataclass(frozen=True)
class Name:
    """A workbook-level defined name over a cell or range of one sheet."""

    name: str
    sheet: str
    ref: str  # absolute, e.g. "$B$5" or "$A$14:$A$19"
    description: str

    @property
    def formula(self) -> str:
        plain = self.sheet.replace("_", "").isalnum()  # else Excel needs it quoted: 'What-if'
        return f"{self.sheet}!{self.ref}" if plain else f"'{self.sheet}'!{self.ref}"


@dataclass(frozen=True)
class Validation:
    """Data validation of input cells, with the message Excel shows on a bad entry."""

    ranges: str  # space-separated, e.g. "B14:B18"
    kind: Literal["decimal", "whole", "list", "date"]
    operator: str | None = None  # "between", "greaterThanOrEqual", ...
    formula1: str | None = None
    formula2: str | None = None
    error: str = ""
    prompt: str = ""


@dataclass(frozen=True)
class ConditionalFormat:
    """A number format that applies while a formula is TRUE (Excel's conditional formatting):
    whole numbers without decimals while ``WholeNumbers`` is TRUE, say.

    ``holds`` is whether the formula is TRUE for the inputs the spec was built from: a
    renderer that cannot write conditional formats (the live xlwings one) applies the
    formats that hold, once.
    """

    ranges: str  # space-separated, e.g. "C23:C28 E23:H28"
    formula: str  # e.g. "WholeNumbers", without "="
    number_format: str
    holds: bool
    money: bool = False  # the format is money's, and shows the plan's currency


@dataclass(frozen=True)
class BarChart:
    """A bar chart of data ranges against category labels (one series each): horizontal
    bars, or vertical columns with ``columns``."""

    title: str
    categories: str  # e.g. "$A$14:$A$19"
    values: str
    anchor: str
    series_title: str
    more_series: tuple[tuple[str, str], ...] = ()  # (values, title) of further series
    log_scale: bool = False
    axis_min: float | None = None
    width_cm: float = 16
    height_cm: float = 8
    columns: bool = False  # vertical columns (months, left to right) instead of bars
    #: Bars of the series drawn over each other (100: a tornado, better and worse sides of
    #: one axis) instead of side by side.
    overlap: int | None = None


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its cells in writing order and its page furniture."""

    title: str
    cells: tuple[Cell, ...]
    column_widths: dict[str, float] = field(default_factory=dict)
    row_heights: dict[int, float] = field(default_factory=dict)
    freeze: str | None = None
    validations: tuple[Validation, ...] = ()
    charts: tuple[BarChart, ...] = ()
    conditional_formats: tuple[ConditionalFormat, ...] = ()
    #: What prints: a range, or several separated by commas, each on pages of its own
    #: (each fitted to one page wide: a timeline apart from the plan above it).
    print_area: str | None = None
    #: Columns repeated at the left of every printed page ("A:A": the row labels).
    print_title_columns: str | None = None
    #: Rows repeated at the top of the pages after the one they are on ("50:50": a long
    #: table's header), for a table that runs over several pages.
    print_title_rows: str | None = None
    landscape: bool = True
    #: Printed on one page, shrunk to fit (a summary); else one page wide, as tall as it is.
    fit_one_page: bool = False
    merged: tuple[str, ...] = ()
    hidden_columns: tuple[str, ...] = ()  # helper columns no one needs to read

    def cell(self, ref: str) -> Cell:
        """The cell at ``ref``; KeyError if the sheet does not define it."""
        for cell in self.cells:
            if cell.ref == ref:
                return cell
        raise KeyError(f"{self.title}!{ref} is not defined")


@dataclass(frozen=True)
class Workbook:
    """Sheets in order (the first is active) and the workbook-level defined names."""

    sheets: tuple[Sheet, ...]
    names: tuple[Name, ...]
    title: str = ""
    #: Formula cells' values, by sheet title and cell, written as their cached results (the
    #: engine's, so previews show numbers before anything recalculates); none by default.
    cached: dict[str, dict[str, CellValue]] = field(default_factory=dict)

    def name(self, name: str) -> Name:
        for defined in self.names:
            if defined.name == name:
                return defined
        raise KeyError(f"no defined name {name!r}")
