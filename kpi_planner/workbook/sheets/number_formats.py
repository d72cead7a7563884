"""The plan's number formats, and those that follow its inputs: whole-number volumes
without decimals.

A volume cell has the format ``#,##0.00`` (an exact plan's 0.75 customers a month must show
its decimals); while ``WholeNumbers`` is TRUE, a conditional format shows it as ``#,##0``,
so a whole-number plan reads 8,334 visits, not 8,334.00. Written as Excel conditional
formatting by the openpyxl renderer (so it follows the input when a user changes it); the
live renderer applies the format that holds for the inputs it renders.
"""

from __future__ import annotations

from collections.abc import Iterable

from kpi_planner.workbook.a1 import column_index, split_cell
from kpi_planner.workbook.spec import Cell, ConditionalFormat

#: The Plan sheet's formats: money, a cost per unit, a volume, a rate and a ratio.
MONEY = "#,##0"
UNIT_COST = "#,##0.00"
VOLUME = "#,##0.00"
PERCENT = "0.0%"
RATIO = "0.00"

WHOLE = "#,##0"
DECIMALS = "#,##0.00"
#: An exact plan's volumes: two decimals, and a zero (a month before the plan's first
#: arrivals) as "-", not a "0.00" that reads like a result.
EXACT = "#,##0.00;-#,##0.00;-"


def row_spans(refs: Iterable[str]) -> str:
    """Cell references as a space-separated list of row spans, for a conditional format.

    >>> row_spans(["C5", "D5", "E5", "G5", "B7"])
    'C5:E5 G5 B7'
    """
    by_row: dict[int, list[int]] = {}
    letters: dict[int, str] = {}
    for ref in refs:
        column, row = split_cell(ref)
        index = column_index(column)
        by_row.setdefault(row, []).append(index)
        letters[index] = column
    spans = []
    for row, columns in by_row.items():
        columns.sort()
        start = previous = columns[0]
        for index in [*columns[1:], None]:
            if index is not None and index == previous + 1:
                previous = index
                continue
            first, last = f"{letters[start]}{row}", f"{letters[previous]}{row}"
            spans.append(first if start == previous else f"{first}:{last}")
            if index is not None:
                start = previous = index
    return " ".join(spans)


def whole_number_formats(
    cells: Iterable[Cell], whole_numbers: bool, exclude: Iterable[str] = ()
) -> tuple[ConditionalFormat, ConditionalFormat]:
    """The two formats of the volume cells (those formatted ``#,##0.00``, less ``exclude``:
    costs per unit and exact results keep their decimals): no decimals while
    ``WholeNumbers`` is TRUE, two (and "-" for zero) while it is FALSE."""
    skipped = set(exclude)
    ranges = row_spans(c.ref for c in cells if c.number_format == DECIMALS and c.ref not in skipped)
    return (
        ConditionalFormat(ranges, "WholeNumbers", WHOLE, holds=whole_numbers),
        ConditionalFormat(ranges, "NOT(WholeNumbers)", EXACT, holds=not whole_numbers),
    )
