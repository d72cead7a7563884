"""Render a workbook spec with openpyxl: headless, deterministic, written atomically.

openpyxl writes formulas without cached values, so Excel computes them when it opens the
file; see README ("Formulas and cached values"). The values a spec gives for some sheets
(:attr:`spec.Workbook.cached`, the engine's) are written into those sheets' XML afterwards.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.comments import Comment
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.page import PageMargins
from openpyxl.writer.excel import ExcelWriter

from kpi_planner.files.atomic import write_atomic
from kpi_planner.workbook import spec
from kpi_planner.workbook.render.xml_holes import cut_holes, fill_holes

#: Every generated file carries this date, in its properties and its zip entries, so two
#: runs give byte-identical files (and committed templates can be compared with new ones).
FIXED_TIME = datetime.datetime(2026, 1, 1)
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)

_THIN = Side(style="thin", color="BFBFBF")


def _apply_style(cell: openpyxl.cell.Cell, style: spec.Style, wrap: bool = False) -> None:
    cell.font = Font(name="Calibri", bold=style.bold, italic=style.italic, size=style.size or 11,
                     color=style.font_color)  # fmt: skip
    if style.fill:
        cell.fill = PatternFill("solid", start_color=style.fill, end_color=style.fill)
    if style.border:
        cell.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
    if style.wrap or wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _write_sheet(sheet_spec: spec.Sheet, worksheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
    worksheet.title = sheet_spec.title
    for cell_spec in sheet_spec.cells:
        _write_cell(cell_spec, worksheet)
    _write_dimensions(sheet_spec, worksheet)
    for rule in sheet_spec.validations:
        worksheet.add_data_validation(_validation(rule))
    for chart_spec in sheet_spec.charts:
        worksheet.add_chart(_bar_chart(chart_spec, worksheet), chart_spec.anchor)
    for number, rule in enumerate(sheet_spec.conditional_formats):
        # A custom format's id: past the built-in ones (0-163), one per rule.
        style = DifferentialStyle(numFmt=NumberFormat(numFmtId=200 + number,
                                                      formatCode=rule.number_format))  # fmt: skip
        worksheet.conditional_formatting.add(
            rule.ranges, Rule(type="expression", formula=[rule.formula], dxf=style)
        )
    _set_up_pages(sheet_spec, worksheet)


def _write_cell(cell_spec: spec.Cell, worksheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
    """One cell: its value or formula, style, number format and comment."""
    cell = worksheet[cell_spec.ref]
    if cell_spec.is_formula and cell_spec.spill_rows > 1:
        # A multi-cell array formula: every Excel shows the whole result (a dynamic
        # array would need Excel 365's cell metadata, which openpyxl does not write).
        last = f"{cell.column_letter}{cell.row + cell_spec.spill_rows - 1}"
        cell.value = ArrayFormula(f"{cell_spec.ref}:{last}", cell_spec.value)
    else:
        cell.value = cell_spec.value
    _apply_style(cell, spec.ROLE_STYLES[cell_spec.role], cell_spec.wrap)
    if cell_spec.number_format:
        cell.number_format = cell_spec.number_format
    if cell_spec.comment:
        cell.comment = Comment(cell_spec.comment, "kpi-planner")


def _write_dimensions(
    sheet_spec: spec.Sheet, worksheet: openpyxl.worksheet.worksheet.Worksheet
) -> None:
    """Column widths, row heights, merged cells, hidden columns and frozen panes."""
    for column, width in sheet_spec.column_widths.items():
        worksheet.column_dimensions[column].width = width
    for row, height in sheet_spec.row_heights.items():
        worksheet.row_dimensions[row].height = height
    for cells in sheet_spec.merged:
        worksheet.merge_cells(cells)
    for column in sheet_spec.hidden_columns:
        worksheet.column_dimensions[column].hidden = True
    worksheet.freeze_panes = sheet_spec.freeze


def _validation(rule: spec.Validation) -> DataValidation:
    """A data validation rule over its ranges."""
    validation = DataValidation(
        type=rule.kind,
        operator=rule.operator,
        formula1=rule.formula1,
        formula2=rule.formula2,
        allow_blank=False,
        showErrorMessage=True,
        errorTitle="Not allowed here",
        error=rule.error,
        showInputMessage=bool(rule.prompt),
        prompt=rule.prompt or None,
    )
    for cells in rule.ranges.split():
        validation.add(cells)
    return validation


def _set_up_pages(
    sheet_spec: spec.Sheet, worksheet: openpyxl.worksheet.worksheet.Worksheet
) -> None:
    """Print area(s), titles, orientation, margins, fit to one page wide, and each page's
    header and footer."""
    if sheet_spec.print_area:
        worksheet.print_area = sheet_spec.print_area.split(",")
    if sheet_spec.print_title_columns:
        worksheet.print_title_cols = sheet_spec.print_title_columns
    if sheet_spec.print_title_rows:
        worksheet.print_title_rows = sheet_spec.print_title_rows
    # Narrow margins, as a finance team prints a wide plan: more of the page for its cells.
    worksheet.page_margins = PageMargins(left=0.3, right=0.3, top=0.6, bottom=0.6,
                                         header=0.3, footer=0.3)  # fmt: skip
    worksheet.page_setup.orientation = "landscape" if sheet_spec.landscape else "portrait"
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 1 if sheet_spec.fit_one_page else 0
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.print_options.gridLines = False
    # Every printed page says which plan (the file), which sheet and when it was printed.
    worksheet.oddHeader.left.text = "&F"
    worksheet.oddHeader.center.text = "&A"
    worksheet.oddHeader.right.text = "Printed &D"
    worksheet.oddFooter.center.text = "Page &P of &N"


def _bar_chart(chart_spec: spec.BarChart, worksheet) -> BarChart:
    def reference(cells: str) -> Reference:
        first, last = cells.replace("$", "").split(":")
        return Reference(worksheet, range_string=f"'{worksheet.title}'!{first}:{last}")

    def add_series(cells: str) -> None:
        # A range along a row (months) is one series, as one down a column (stages) is.
        min_col, min_row, max_col, max_row = range_boundaries(cells.replace("$", ""))
        along_row = min_row == max_row and max_col > min_col
        chart.add_data(reference(cells), titles_from_data=False, from_rows=along_row)

    chart = BarChart()
    # Horizontal bars: the funnel reads top to bottom; columns: months read left to right.
    chart.type = "col" if chart_spec.columns else "bar"
    chart.style = 10
    chart.title = chart_spec.title
    add_series(chart_spec.values)
    for values, _ in chart_spec.more_series:
        add_series(values)
    chart.set_categories(reference(chart_spec.categories))
    if chart_spec.more_series:
        titles = [chart_spec.series_title, *(title for _, title in chart_spec.more_series)]
        for series, title in zip(chart.series, titles, strict=True):
            series.tx = SeriesLabel(v=title)
        chart.legend.position = "b"
    else:
        chart.series[0].tx = None
        chart.legend = None
    if not chart_spec.columns:
        chart.x_axis.scaling.orientation = "maxMin"  # top stage at the top
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    if chart_spec.log_scale:
        chart.y_axis.scaling.logBase = 10
    if chart_spec.axis_min is not None:
        chart.y_axis.scaling.min = chart_spec.axis_min
    chart.y_axis.number_format = "#,##0"
    if chart_spec.overlap is not None:
        chart.overlap = chart_spec.overlap
        chart.gapWidth = 60
        # Bars both ways from zero: the category labels at the left edge, not over the bars.
        chart.x_axis.tickLblPos = "low"
    chart.width = chart_spec.width_cm
    chart.height = chart_spec.height_cm
    return chart


def to_openpyxl(workbook_spec: spec.Workbook) -> openpyxl.Workbook:
    """An openpyxl workbook with every sheet, style, validation, chart and defined name."""
    book = openpyxl.Workbook()
    for index, sheet_spec in enumerate(workbook_spec.sheets):
        worksheet = book.active if index == 0 else book.create_sheet()
        _write_sheet(sheet_spec, worksheet)
    for defined in workbook_spec.names:
        book.defined_names[defined.name] = DefinedName(
            defined.name, attr_text=defined.formula, comment=defined.description
        )
    book.properties.creator = "kpi-planner"
    book.properties.lastModifiedBy = "kpi-planner"
    book.properties.title = workbook_spec.title
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    book.calculation.fullCalcOnLoad = True  # no cached values: compute everything on open
    return book


def xlsx_bytes(workbook_spec: spec.Workbook) -> bytes:
    """The .xlsx file of a workbook spec, with the formulas' cached values it gives; the
    same spec always gives the same bytes."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(to_openpyxl(workbook_spec), archive).write_data()
    # openpyxl stamps each zip entry with the current time; restamp them with a fixed one.
    cached = _cached_by_part(workbook_spec)
    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(raw) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            stamped = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
            stamped.compress_type = zipfile.ZIP_DEFLATED
            stamped.external_attr = 0o600 << 16
            data = source.read(entry.filename)
            if entry.filename in cached:
                data = _with_cached_values(data, cached[entry.filename])
            target.writestr(stamped, data)
    return fixed.getvalue()


def _cached_by_part(workbook_spec: spec.Workbook) -> dict[str, dict[str, spec.CellValue]]:
    """The spec's cached values by the sheet's part in the file (sheets in order)."""
    return {f"xl/worksheets/sheet{i}.xml": workbook_spec.cached[sheet.title]
            for i, sheet in enumerate(workbook_spec.sheets, start=1)
            if sheet.title in workbook_spec.cached}  # fmt: skip


def _with_cached_values(xml: bytes, values: dict[str, spec.CellValue]) -> bytes:
    """A sheet's XML with each formula cell of ``values`` holding its value as its result."""
    holes, tail = cut_holes(xml.decode("utf-8"), {}, {ref: (ref, ()) for ref in values})
    return fill_holes(holes, tail, {}, values)


def save(workbook_spec: spec.Workbook, path: Path | str) -> Path:
    """Write a workbook spec to ``path`` as .xlsx, deterministically and atomically."""
    return write_atomic(Path(path), xlsx_bytes(workbook_spec))
