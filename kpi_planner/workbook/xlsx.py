"""Render a workbook spec with openpyxl: headless, deterministic, written atomically.

openpyxl writes formulas without cached values, so Excel computes them when it opens the
file; see README ("Formulas and cached values").
"""

from __future__ import annotations

import contextlib
import datetime
import io
import itertools
import os
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
from openpyxl.writer.excel import ExcelWriter

from . import spec

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
    for column, width in sheet_spec.column_widths.items():
        worksheet.column_dimensions[column].width = width
    for row, height in sheet_spec.row_heights.items():
        worksheet.row_dimensions[row].height = height
    for cells in sheet_spec.merged:
        worksheet.merge_cells(cells)
    for column in sheet_spec.hidden_columns:
        worksheet.column_dimensions[column].hidden = True
    worksheet.freeze_panes = sheet_spec.freeze
    for rule in sheet_spec.validations:
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
        worksheet.add_data_validation(validation)
    for chart_spec in sheet_spec.charts:
        worksheet.add_chart(_bar_chart(chart_spec, worksheet), chart_spec.anchor)
    for number, rule in enumerate(sheet_spec.conditional_formats):
        # A custom format's id: past the built-in ones (0-163), one per rule.
        style = DifferentialStyle(numFmt=NumberFormat(numFmtId=200 + number,
                                                      formatCode=rule.number_format))  # fmt: skip
        worksheet.conditional_formatting.add(
            rule.ranges, Rule(type="expression", formula=[rule.formula], dxf=style)
        )
    if sheet_spec.print_area:
        worksheet.print_area = sheet_spec.print_area
    worksheet.page_setup.orientation = "landscape" if sheet_spec.landscape else "portrait"
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0
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
    """The .xlsx file of a workbook spec; the same spec always gives the same bytes."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(to_openpyxl(workbook_spec), archive).write_data()
    # openpyxl stamps each zip entry with the current time; restamp them with a fixed one.
    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(raw) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            stamped = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
            stamped.compress_type = zipfile.ZIP_DEFLATED
            stamped.external_attr = 0o600 << 16
            target.writestr(stamped, source.read(entry.filename))
    return fixed.getvalue()


#: The ending of the temporary file an atomic write renames into place.
TEMPORARY_SUFFIX = ".tmp"


#: How a temporary file is opened: created, never an existing one (O_EXCL), written as bytes
#: (O_BINARY on Windows), not inherited by child processes.
_CREATE_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
                 | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOINHERIT", 0))  # fmt: skip
#: Temporary names: a random token per process (workers on several hosts may share a
#: folder) and a count. O_EXCL makes a clash an error to retry, never a shared file.
_TEMPORARY_TOKEN = os.urandom(4).hex()
_temporary_count = itertools.count()


def _new_temporary_token() -> None:
    global _TEMPORARY_TOKEN  # a forked worker draws its own (it would share its parent's)
    _TEMPORARY_TOKEN = os.urandom(4).hex()


if hasattr(os, "register_at_fork"):  # POSIX; a spawned process imports this module anew
    os.register_at_fork(after_in_child=_new_temporary_token)


def create_temporary(path: Path) -> tuple[int, str]:
    """A new, empty temporary file beside ``path`` (its folder created if missing), open
    for writing: its handle and name, ``.EMEA.xlsx.<token>-<count>.tmp``, the pattern
    :func:`kpi_planner.outputs.remove_stale_temporaries` removes after a killed run. It
    has the permissions of any new file (0o666 less the umask), which the rename keeps."""
    folder, name = os.path.split(path)
    while True:
        unique = f"{_TEMPORARY_TOKEN}-{next(_temporary_count):x}"
        temporary = os.path.join(folder, f".{name}.{unique}{TEMPORARY_SUFFIX}")
        try:  # mode 0o666: the umask applies, as to any new file
            return os.open(temporary, _CREATE_FLAGS, 0o666), temporary
        except FileExistsError:  # a name another process took: take the next
            continue
        except FileNotFoundError:
            if os.path.isdir(folder or "."):
                raise
            os.makedirs(folder, exist_ok=True)


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    Ctrl-C, a killed process or a full disk leaves the old file (or none), never half a
    workbook: the rename is atomic and only happens once every byte is written. The file
    gets the permissions of any new file (0o666 less the umask, typically 0o644), so
    colleagues and cluster workers can read it. There is no fsync per file (it would cost
    more than writing a workbook); surviving a power cut mid-batch is left to the file
    system, and a rerun rewrites what is missing. A missing folder is created.

    Four system calls a file (create, write, close, rename): a fill writes thousands, and
    ``tempfile.mkstemp`` with ``fdopen``, ``fchmod`` and a ``mkdir`` took eleven.
    """
    path = Path(path)
    handle, temporary = create_temporary(path)
    try:
        try:
            view = memoryview(data)
            while view:  # a write may take fewer bytes than asked
                view = view[os.write(handle, view) :]
        finally:
            os.close(handle)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return path


def save(workbook_spec: spec.Workbook, path: Path | str) -> Path:
    """Write a workbook spec to ``path`` as .xlsx, deterministically and atomically."""
    return write_atomic(Path(path), xlsx_bytes(workbook_spec))
