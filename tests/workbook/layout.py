"""A layout check of generated sheets: what a reader would see cut, hidden or misleading.

It reads a worksheet as openpyxl holds it (a file loaded from disk, or the spec rendered
in memory) and reports, in words, each place where:

- a chart is anchored over cells that hold something;
- a wrapped cell needs more lines than its row is tall;
- a text is wider than its column and the empty cells it may run into (Excel lets text run
  into empty neighbours on its right, and cuts it at the first filled one);
- a number is wider than its column (Excel shows ``####``);
- a volume of a whole-number plan shows decimals ("8,334.00");
- a calculated cell shows ``0.00`` (a placeholder that looks like data).

Widths are measured in pixels with Calibri 11's advance widths (taken from Carlito, its
metric-compatible twin, at 96 dpi: ``PIL.ImageFont.truetype("Carlito-Regular.ttf", 14.67)
.getlength(c)`` for each printable ASCII character), so the check runs without any font
installed. A column ``w`` characters wide is ``7 w + 5`` pixels, a row 15 points per line of
11-point text: Excel's own rules for its default font.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import range_boundaries

# fmt: off
_REGULAR = [3.31, 4.77, 5.88, 7.3, 7.42, 10.48, 10.0, 3.23, 4.44, 4.44, 7.3, 7.3, 3.66, 4.48, 3.7,
    5.66, 7.42, 7.42, 7.42, 7.42, 7.42, 7.42, 7.42, 7.42, 7.42, 7.42, 3.92, 3.92, 7.3, 7.3, 7.3,
    6.8, 13.11, 8.48, 7.97, 7.81, 9.02, 7.16, 6.73, 9.25, 9.12, 3.69, 4.67, 7.61, 6.16, 12.53,
    9.45, 9.7, 7.58, 9.86, 7.95, 6.73, 7.14, 9.41, 8.31, 13.03, 7.61, 7.14, 6.86, 4.5, 5.66, 4.5,
    7.3, 7.3, 4.27, 7.02, 7.7, 6.2, 7.7, 7.3, 4.47, 6.91, 7.7, 3.36, 3.5, 6.66, 3.36, 11.7, 7.7,
    7.73, 7.7, 7.7, 5.11, 5.73, 4.91, 7.7, 6.62, 10.48, 6.34, 6.64, 5.8, 4.61, 6.75, 4.61, 7.3]
_BOLD = [3.31, 4.77, 6.42, 7.3, 7.42, 10.69, 10.33, 3.42, 4.56, 4.56, 7.3, 7.3, 3.78, 4.48, 3.92,
    6.3, 7.42, 7.42, 7.42, 7.42, 7.42, 7.42, 7.42, 7.42, 7.42, 7.42, 4.05, 4.05, 7.3, 7.3, 7.3,
    6.8, 13.17, 8.88, 8.22, 7.75, 9.23, 7.16, 6.73, 9.34, 9.25, 3.91, 4.86, 8.02, 6.2, 12.81,
    9.66, 9.91, 7.8, 10.06, 8.25, 6.92, 7.25, 9.56, 8.67, 13.28, 8.08, 7.61, 7.0, 4.77, 6.3,
    4.77, 7.3, 7.3, 4.41, 7.23, 7.86, 6.14, 7.86, 7.38, 4.64, 6.95, 7.86, 3.59, 3.75, 7.03, 3.59,
    11.92, 7.86, 7.88, 7.86, 7.86, 5.2, 5.84, 5.08, 7.86, 6.94, 10.92, 6.73, 6.94, 5.83, 5.03,
    6.97, 5.03, 7.3]
# fmt: on
_WIDE = 13.0  # a character outside ASCII (an arrow, say): as wide as "M", to be safe
_PADDING = 3.0  # pixels Excel keeps free beside a cell's text
_POINTS_PER_LINE = 15.0  # an 11-point line; scaled with the font's size
_DEFAULT_ROW_POINTS = 15.0
_DEFAULT_COLUMN_WIDTH = 8.43
_PIXELS_PER_CM = 96 / 2.54
_EMU_PER_PIXEL = 9525


def text_width(text: str, size: float = 11, bold: bool = False) -> float:
    """Pixels ``text`` takes in Calibri of ``size`` points at 96 dpi."""
    table = _BOLD if bold else _REGULAR
    width = sum(table[ord(c) - 32] if 32 <= ord(c) < 127 else _WIDE for c in text)
    return width * size / 11


def _column_dimension(worksheet, letter: str):
    """The column's dimension; openpyxl keeps columns of equal width as one (min to max)."""
    index = column_index_from_string(letter)
    for dimension in worksheet.column_dimensions.values():
        if dimension.min and dimension.max and dimension.min <= index <= dimension.max:
            return dimension
    return worksheet.column_dimensions.get(letter)


def column_pixels(worksheet, letter: str) -> float:
    dimension = _column_dimension(worksheet, letter)
    if dimension is not None and dimension.hidden:
        return 0.0  # a helper column no one reads
    width = dimension.width if dimension is not None and dimension.width else None
    return 7 * (width or _DEFAULT_COLUMN_WIDTH) + 5


def row_points(worksheet, row: int) -> float:
    dimension = worksheet.row_dimensions.get(row)
    height = dimension.height if dimension is not None else None
    return height or _DEFAULT_ROW_POINTS


def _decimals(section: str) -> tuple[int, int]:
    """The fewest and most decimals a format section shows (``0.0#``: 1 and 2)."""
    match = re.search(r"\.(0*)(#*)", section)
    return (len(match.group(1)), len(match.group(1)) + len(match.group(2))) if match else (0, 0)


def display(value: object, number_format: str | None) -> str:
    """The text Excel shows for ``value`` in ``number_format`` (the formats these sheets
    use: grouped thousands, fixed decimals, percentages, dates, and a zero section)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m-%d")
    if not isinstance(value, int | float):
        return str(value)
    pattern = number_format or "General"
    if pattern == "General":
        return f"{value:.10g}"
    sections = pattern.split(";")
    section = sections[0]
    if value < 0 and len(sections) > 1:
        section, value = sections[1], -value
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    section = section.replace('"', "")
    if not re.search(r"[0#]", section):
        return section  # all text: "-" for a zero, say
    prefix, suffix = re.match(r"([^#0]*).*?([^#0%.,]*)$", section).groups()
    if "y" in section or "d" in section:
        return "yyyy-mm-dd"  # a date written as a serial number: as wide as its format
    number = value * 100 if "%" in section else value
    grouping = "," if "," in section else ""
    fewest, most = _decimals(section)
    text = f"{number:{grouping}.{most}f}"
    while most > fewest and text.endswith("0"):  # optional decimals (#) drop their zeros
        text, most = text[:-1], most - 1
    text = text.removesuffix(".")
    return prefix + text + ("%" if "%" in section else "") + suffix


def _fonts(cell) -> tuple[float, bool]:
    font = cell.font
    return (font.sz or 11) if font is not None else 11, bool(font is not None and font.b)


def _merged_width(worksheet, cell) -> float | None:
    for merged in worksheet.merged_cells.ranges:
        if cell.coordinate in merged:
            return sum(column_pixels(worksheet, get_column_letter(c))
                       for c in range(merged.min_col, merged.max_col + 1))  # fmt: skip
    return None


def _wrapped_lines(text: str, pixels: float, size: float, bold: bool) -> int:
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        current = 0.0
        for word in paragraph.split(" "):
            width = text_width(word, size, bold)
            space = text_width(" ", size, bold) if current else 0.0
            if current and current + space + width > pixels:
                lines += 1
                current = width
            else:
                current += space + width
            while current > pixels:  # one word wider than the column breaks mid-word
                lines += 1
                current -= pixels
    return lines


def _chart_box(worksheet, chart) -> tuple[int, int, float, float]:
    """A chart's top-left cell (column, row, 1-based) and size in pixels."""
    anchor = chart.anchor
    if isinstance(anchor, str):
        column, row = range_boundaries(anchor)[:2]
        return column, row, chart.width * _PIXELS_PER_CM, chart.height * _PIXELS_PER_CM
    start = anchor._from
    if getattr(anchor, "ext", None) is not None:
        width, height = anchor.ext.width / _EMU_PER_PIXEL, anchor.ext.height / _EMU_PER_PIXEL
    else:  # a two-cell anchor: measured to its last cell
        width = sum(column_pixels(worksheet, get_column_letter(c + 1))
                    for c in range(start.col, anchor.to.col))  # fmt: skip
        rows = range(start.row, anchor.to.row)
        height = sum(row_points(worksheet, r + 1) * 96 / 72 for r in rows)
    return start.col + 1, start.row + 1, width, height


def chart_cells(worksheet) -> list[tuple[int, int, int, int]]:
    """The cells each chart covers: (first column, first row, last column, last row)."""
    boxes = []
    for chart in worksheet._charts:
        column, row, width, height = _chart_box(worksheet, chart)
        last_column, covered = column, column_pixels(worksheet, get_column_letter(column))
        while covered < width - 1:
            last_column += 1
            covered += column_pixels(worksheet, get_column_letter(last_column))
        last_row, covered = row, row_points(worksheet, row) * 96 / 72
        while covered < height - 1:
            last_row += 1
            covered += row_points(worksheet, last_row) * 96 / 72
        boxes.append((column, row, last_column, last_row))
    return boxes


def _chart_problems(worksheet, used: set[tuple[int, int]], boxes) -> list[str]:
    problems = []
    for column, row, last_column, last_row in boxes:
        hidden = sorted((r, c) for r, c in used
                        if column <= c <= last_column and row <= r <= last_row)  # fmt: skip
        if hidden:
            cells = ", ".join(f"{get_column_letter(c)}{r}" for r, c in hidden[:4])
            box = f"{get_column_letter(column)}{row}:{get_column_letter(last_column)}{last_row}"
            problems.append(f"{worksheet.title}: a chart over {box} hides {len(hidden)} used "
                            f"cells ({cells}...)")  # fmt: skip
    return problems


def _effective_format(cell, conditional: list[tuple[str, str]]) -> str | None:
    for ranges, number_format in conditional:
        for cells in ranges.split():
            min_col, min_row, max_col, max_row = range_boundaries(cells)
            if min_col <= cell.column <= max_col and min_row <= cell.row <= max_row:
                return number_format
    return cell.number_format


def _holding_formats(worksheet, holds: Callable[[str], bool]) -> list[tuple[str, str]]:
    """The number formats of the conditional formats whose formula is TRUE now."""
    formats = []
    for ranges in worksheet.conditional_formatting:
        for rule in ranges.rules:
            if rule.dxf is not None and rule.dxf.numFmt is not None and holds(rule.formula[0]):
                formats.append((str(ranges.sqref), rule.dxf.numFmt.formatCode))
    return formats


def layout_problems(
    worksheet,
    values: dict[str, object] | None = None,
    *,
    holds: Callable[[str], bool] = lambda formula: False,
    whole_number_cells: Iterable[str] = (),
) -> list[str]:
    """What a reader would see cut, hidden or misleading on ``worksheet``, in words.

    ``values`` are the calculated cells' values by reference (a file's cached values); a
    formula cell without one is taken as filled, of unknown text. ``holds`` says whether a
    conditional format's formula is TRUE for the sheet's inputs. ``whole_number_cells``
    (ranges) are the volumes that must show no decimals when they hold whole numbers.
    """
    values = values or {}
    problems: list[str] = []
    conditional = _holding_formats(worksheet, holds)
    shown: dict[tuple[int, int], tuple[object, object]] = {}
    for row in worksheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            is_formula = isinstance(cell.value, str) and cell.value.startswith("=")
            value = values.get(cell.coordinate) if is_formula else cell.value
            shown[(cell.row, cell.column)] = (cell, value)
    boxes = chart_cells(worksheet)
    under_charts = {(r, c) for c0, r0, c1, r1 in boxes
                    for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}  # fmt: skip
    problems += _chart_problems(
        worksheet,
        {key for key, (_, value) in shown.items() if value != ""} | _formulas_unknown(shown),
        boxes,
    )
    whole = _cells_of(whole_number_cells)
    for (row, column), (cell, value) in shown.items():
        where = f"{worksheet.title}!{cell.coordinate}"
        if value is None or value == "" or not column_pixels(worksheet, cell.column_letter):
            continue
        number_format = _effective_format(cell, conditional)
        text = display(value, number_format)
        size, bold = _fonts(cell)
        pixels = _merged_width(worksheet, cell) or column_pixels(worksheet, cell.column_letter)
        needed = text_width(text, size, bold) + _PADDING
        wrapped = cell.alignment is not None and cell.alignment.wrap_text
        if wrapped:
            lines = _wrapped_lines(text, pixels - _PADDING, size, bold)
            tall = lines * _POINTS_PER_LINE * size / 11
            if tall > row_points(worksheet, row) + 0.5:
                problems.append(f"{where} {text!r} needs {lines} lines ({tall:.0f} pt); the "
                                f"row is {row_points(worksheet, row):.0f} pt")  # fmt: skip
        elif isinstance(value, int | float) and not isinstance(value, bool):
            if needed > pixels:
                problems.append(f"{where} shows #### : {text!r} is wider than its column")
            if cell.coordinate in whole and float(value).is_integer() and "." in text:
                problems.append(f"{where} shows the whole number {value:g} as {text!r}")
            if is_calculated(cell) and re.fullmatch(r"-?0\.0+%?", text):
                problems.append(f"{where} shows {text!r}: a placeholder that looks like data")
        elif needed > pixels:
            room = pixels
            next_column = column + 1
            # Text runs on into empty cells, up to the first filled one or a chart.
            blocked = shown.keys() | under_charts
            while room < needed and (row, next_column) not in blocked:
                room += column_pixels(worksheet, get_column_letter(next_column))
                next_column += 1
            if room < needed:
                problems.append(f"{where} {text!r} is cut by "
                                f"{get_column_letter(next_column)}{row}")  # fmt: skip
    return problems


def is_calculated(cell) -> bool:
    return isinstance(cell.value, str) and cell.value.startswith("=")


def _formulas_unknown(shown) -> set[tuple[int, int]]:
    return {key for key, (cell, value) in shown.items() if is_calculated(cell) and value is None}


def _cells_of(ranges: Iterable[str]) -> set[str]:
    cells = set()
    for span in ranges:
        for part in span.replace("$", "").split():
            min_col, min_row, max_col, max_row = range_boundaries(part)
            cells |= {f"{get_column_letter(c)}{r}" for c in range(min_col, max_col + 1)
                      for r in range(min_row, max_row + 1)}  # fmt: skip
    return cells
