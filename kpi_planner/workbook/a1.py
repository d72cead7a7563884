"""Excel's spelling of cells and days: A1 references (column letters, cells, ranges) and
date serials, as the layout modules and the fill write them.

openpyxl has the same helpers in ``openpyxl.utils``, but importing them runs
``openpyxl/__init__`` (its workbook, reader and writer: 0.12-0.19 s a process, measured in
benchmarks/README.md), and a fill that writes raw zips from a compiled template otherwise
never needs openpyxl. These are plain string arithmetic on Excel's limits (columns A to
XFD, rows 1 to 1,048,576); tests/workbook/test_a1.py checks them against openpyxl's.
"""

from __future__ import annotations

import datetime
import re
from functools import cache

#: Excel's last column (XFD) and last row.
MAX_COLUMN = 16_384
MAX_ROW = 1_048_576

#: Day 0 of Excel's 1900 date system (Windows and Mac Excel since 2011).
_EPOCH = datetime.date(1899, 12, 30)

_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})")


@cache
def column_letter(index: int) -> str:
    """The letters of the ``index``-th column, counted from 1: bijective base 26.

    >>> column_letter(1), column_letter(26), column_letter(27), column_letter(16_384)
    ('A', 'Z', 'AA', 'XFD')
    """
    if not 1 <= index <= MAX_COLUMN:
        raise ValueError(f"column index {index!r} is outside Excel's 1 to {MAX_COLUMN}")
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    """The number of the column named ``letters`` (either case), counted from 1.

    >>> column_index("A"), column_index("aa"), column_index("XFD")
    (1, 27, 16384)
    """
    index = 0
    for letter in letters.upper():
        if not "A" <= letter <= "Z":
            raise ValueError(f"column {letters!r} is not letters A to XFD")
        index = index * 26 + ord(letter) - 64
    if not letters or index > MAX_COLUMN:
        raise ValueError(f"column {letters!r} is outside Excel's A to XFD")
    return index


def split_cell(reference: str) -> tuple[str, int]:
    """A cell reference's column letters (upper case) and row; ``$`` marks are dropped.

    >>> split_cell("B12"), split_cell("$c$3")
    (('B', 12), ('C', 3))
    """
    found = _CELL.fullmatch(reference)
    column, row = (found.group(1).upper(), int(found.group(2))) if found else ("", 0)
    if not found or row > MAX_ROW or (column > "XFD" and len(column) == 3):
        raise ValueError(f"{reference!r} is not a cell reference such as B12 (A1 to XFD1048576)")
    return column, row


def range_bounds(reference: str) -> tuple[int, int, int, int]:
    """``(first column, first row, last column, last row)`` of ``"B2:D9"`` or ``"B2"``.

    >>> range_bounds("B2:D9"), range_bounds("$C$5")
    ((2, 2, 4, 9), (3, 5, 3, 5))
    """
    first, colon, last = reference.partition(":")
    try:
        first_column, first_row = split_cell(first)
        last_column, last_row = split_cell(last if colon else first)
    except ValueError:
        raise ValueError(f"{reference!r} is not a cell or range such as B2:D9") from None
    return column_index(first_column), first_row, column_index(last_column), last_row


def date_serial(day: datetime.date) -> float:
    """Excel's serial number of ``day`` in the 1900 date system, as a float (openpyxl's
    ``to_excel`` gives the same).

    Days since 1899-12-30, one less from 1900-01-01 to 1900-02-28: Excel counts a
    29 February 1900 that never was (Lotus 1-2-3's bug, kept for compatibility).

    >>> date_serial(datetime.date(2027, 1, 1)), date_serial(datetime.date(1900, 1, 1))
    (46388.0, 1.0)
    """
    days = (day - _EPOCH).days
    return float(days - 1 if 0 < days <= 60 else days)
