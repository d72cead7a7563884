"""Every CSV kpi-planner writes, through one writer that a spreadsheet can open safely.

Text that starts like a formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage return)
is run by Excel, LibreOffice and Google Sheets when the CSV is opened (CSV injection,
OWASP: "CSV Injection"): such a cell gets a leading ``'``, which the spreadsheet shows as
text. A stage, channel or scenario name is the user's text and may start so; numbers are
written as numbers and never guarded (``-5`` stays a number). A line break inside a cell
is written as ``\\n`` (the writer quotes it): a bare ``\\r`` would end the row.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from typing import TextIO

#: What a spreadsheet reads as the start of a formula (a tab and a CR as well: some read
#: past leading whitespace).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading quote; anything else as is.

    >>> defuse("=cmd|' /C calc'!A0"), defuse("@SUM(1+1)"), defuse("Leads"), defuse(-5)
    ("'=cmd|' /C calc'!A0", "'@SUM(1+1)", 'Leads', -5)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_cell(value: object, number_format: str | None = None) -> object:
    """A cell as the CSV writer takes it: blank for nothing (None, NaN), text defused with
    its line breaks as ``\\n``, a float in ``number_format`` (its shortest round-trip text
    without one), anything else as it is.

    >>> csv_cell(None), csv_cell(float("nan")), csv_cell("a\\rb"), csv_cell(0.1 + 0.2, ".10g")
    ('', '', 'a\\nb', '0.3')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and number_format is not None:
        if value.is_integer() and abs(value) < 2**53:  # a whole number, every digit of it
            return str(int(value))
        text = format(value, number_format)
        # Rounded past the largest double (1.79769313486232e+308 is inf): the value's own
        # shortest text instead, which reads back as itself.
        return text if math.isfinite(float(text)) else repr(value)
    value = defuse(value)
    if isinstance(value, str) and "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


class CsvWriter:
    """``csv.writer`` whose every cell goes through :func:`csv_cell`.

    >>> import io
    >>> stream = io.StringIO()
    >>> CsvWriter(stream, number_format=".10g").writerow(["+1+1", 2 / 3, None, -2.0])
    >>> stream.getvalue()
    "'+1+1,0.6666666667,,-2\\n"
    """

    def __init__(
        self, stream: TextIO, *, lineterminator: str = "\n", number_format: str | None = None
    ) -> None:
        self._writer = csv.writer(stream, lineterminator=lineterminator)
        self._number_format = number_format

    def writerow(self, row: Iterable[object]) -> None:
        """Write one row."""
        self._writer.writerow([csv_cell(value, self._number_format) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        """Write rows."""
        self._writer.writerows(
            [csv_cell(value, self._number_format) for value in row] for row in rows
        )
