"""Render a sheet of the workbook spec into a live, open workbook through xlwings.

The second renderer of :mod:`kpi_planner.workbook.spec` (openpyxl being the first): the
ribbon's "Build plan sheet" uses it to put the same Plan sheet into the workbook a user
has open. It uses xlwings' own API only (values, formulas, formats, colours, widths,
names), so it runs where xlwings runs: Excel on Windows and macOS, and xlwings Lite.
"""

from __future__ import annotations

from collections.abc import Iterable

from kpi_planner.workbook import spec


def free_sheet_name(taken: Iterable[str], wanted: str) -> str:
    """``wanted``, or ``wanted 2``, ``wanted 3``... if a sheet has that name already.

    >>> free_sheet_name(["Plan", "plan 2"], "Plan")
    'Plan 3'
    """
    existing = {name.lower() for name in taken}
    candidate, counter = wanted, 1
    while candidate.lower() in existing:
        counter += 1
        candidate = f"{wanted} {counter}"
    return candidate


def render(book, sheet_spec: spec.Sheet, names: Iterable[spec.Name] = ()) -> object:
    """Add ``sheet_spec`` as a new sheet of the open xlwings ``book`` and return it.

    Names of the spec on that sheet are (re)defined in the book to point at the new sheet,
    which may be called ``Plan 2`` if the book has a ``Plan`` already.
    """
    title = free_sheet_name([sheet.name for sheet in book.sheets], sheet_spec.title)
    sheet = book.sheets.add(name=title, after=book.sheets[len(book.sheets) - 1])
    for cell in sheet_spec.cells:
        if cell.is_formula and cell.spill_rows > 1:
            _spill(sheet, cell)
            style(sheet.range(cell.ref), cell)
        else:
            write(sheet, cell)
    for rule in sheet_spec.conditional_formats:
        # xlwings' API has no conditional formats: the format that holds now, once.
        if rule.holds:
            for cells in rule.ranges.split():
                sheet.range(cells).number_format = rule.number_format
    for column, width in sheet_spec.column_widths.items():
        sheet.range(f"{column}1").column_width = width
    for column in sheet_spec.hidden_columns:  # Excel hides a column of width 0
        sheet.range(f"{column}1").column_width = 0
    for row, height in sheet_spec.row_heights.items():
        sheet.range(f"A{row}").row_height = height
    for cells in sheet_spec.merged:
        sheet.range(cells).merge()
    for cell in sheet_spec.cells:  # wrapped text (headers), once the widths are set
        if cell.wrap or spec.ROLE_STYLES[cell.role].wrap:
            sheet.range(cell.ref).wrap_text = True
    # Excel needs a sheet name quoted unless it is letters, digits and underscores.
    quoted = title if title.replace("_", "").isalnum() else f"'{title}'"
    for defined in names:
        if defined.sheet == sheet_spec.title:
            book.names.add(defined.name, f"={quoted}!{defined.ref}")
    return sheet


def write(sheet, cell: spec.Cell) -> None:
    """Write one cell of a spec (its formula or value, number format and role's style)
    into an open xlwings sheet."""
    target = sheet.range(cell.ref)
    if cell.is_formula:
        target.formula = cell.value
    elif cell.value is not None:
        target.value = cell.value
    style(target, cell)


def style(target, cell: spec.Cell) -> None:
    """The cell's number format and its role's fill and font, on an xlwings range."""
    if cell.number_format:
        target.number_format = cell.number_format
    role = spec.ROLE_STYLES[cell.role]
    if role.fill:
        target.color = f"#{role.fill}"
    if role.font_color:
        target.font.color = f"#{role.font_color}"
    if role.bold:
        target.font.bold = True
    if role.italic:
        target.font.italic = True
    if role.size:
        target.font.size = role.size


def _spill(sheet, cell: spec.Cell) -> None:
    """A formula whose array result fills ``cell.spill_rows`` rows: a dynamic-array spill
    where Excel has them (``Formula2``), else a multi-cell array formula over the rows."""
    target = sheet.range(cell.ref)
    try:
        target.formula2 = cell.value
    except Exception:  # Excel before dynamic arrays, or a runtime without Formula2
        column = "".join(c for c in cell.ref if c.isalpha())
        last_row = int("".join(c for c in cell.ref if c.isdigit())) + cell.spill_rows - 1
        sheet.range(f"{cell.ref}:{column}{last_row}").formula_array = cell.value
