"""Read a user's table of scenarios (CSV, Excel or Parquet) and the values typed in its cells.

Real tables come from many spreadsheets and locales: a byte-order mark, UTF-16 text, ``;``
delimiters with decimal commas (``1,5%``), thousands separators (``10,000,000``), currency
signs, blank lines, Excel dates. Everything here either reads a value exactly as the user
meant it or says why it cannot, naming the file, the row and the column: a value is never
guessed. Rows are numbered as a spreadsheet shows them (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

#: Rows read together; small enough for a smooth progress bar.
CHUNK_ROWS = 500

#: What a decimal mark may be.
DECIMAL_MARKS = (".", ",")

_TRUE = {"true", "yes", "y", "t", "1", "wahr", "vrai", "verdadero", "vero", "waar", "sant"}
_FALSE = {"false", "no", "n", "f", "0", "falsch", "faux", "falso", "onwaar", "falsk"}
_CURRENCY = "$€£¥"
_SPACES = re.compile(r"[ \u00a0\u202f\u2009']")  # thousands separators that are never a decimal
_GROUPED_BY_SPACES = re.compile(r"[1-9]\d{0,2}(?:[ \u00a0\u202f\u2009']\d{3})+(?:[.,]\d*)?")


class TableError(ValueError):
    """The table as a whole cannot be read: the message names the file and what to do."""


@dataclass(frozen=True)
class TableFormat:
    """How a CSV file is written: its encoding, delimiter and decimal mark."""

    encoding: str = "utf-8-sig"
    delimiter: str = ","
    decimal: str = "."

    def describe(self) -> str:
        delimiter = {"\t": "tab", ",": "comma", ";": "semicolon"}.get(
            self.delimiter, repr(self.delimiter)
        )
        return f"{delimiter}-separated, decimal mark {self.decimal!r}"


def _is_csv(path: Path) -> bool:
    return path.suffix.lower() in (".csv", ".txt", ".tsv")


def detect_format(
    path: Path, decimal: str | None = None, encoding: str | None = None
) -> TableFormat:
    """The encoding, delimiter and decimal mark of a CSV file.

    The encoding is UTF-8 (with or without a byte-order mark) or UTF-16 with its mark,
    unless ``encoding`` is given; other bytes are refused with the fix. The delimiter is
    the one of ``,``, ``;`` and tab that the header line uses most. The decimal mark is
    ``decimal`` when given, else ``,`` for a ``;``-separated file (how spreadsheets in
    decimal-comma locales write CSV) and ``.`` otherwise.
    """
    with open(path, "rb") as stream:
        head = stream.read(65536)
    if encoding is None:
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        else:
            encoding = "utf-8-sig"
    try:
        text = head.decode(encoding) if len(head) < 65536 else _decode_prefix(head, encoding)
    except (UnicodeDecodeError, LookupError) as err:
        if isinstance(err, LookupError):
            raise TableError(f"--encoding {encoding!r} is not an encoding Python knows") from None
        raise TableError(
            f"{path.name}: is not {encoding.replace('-sig', '')} text (byte {err.start + 1}): "
            "save it as 'CSV UTF-8' or give its encoding, e.g. --encoding cp1252"
        ) from None
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {mark: _count_outside_quotes(first_line, mark) for mark in (",", ";", "\t")}
    delimiter = max(counts, key=lambda mark: counts[mark]) if any(counts.values()) else ","
    if decimal is None:
        decimal = "," if delimiter == ";" else "."
    return TableFormat(encoding, delimiter, decimal)


def _decode_prefix(head: bytes, encoding: str) -> str:
    # The file's first 64 KiB may end inside a character: decode incrementally.
    return codecs.getincrementaldecoder(encoding)().decode(head)


def _count_outside_quotes(line: str, mark: str) -> int:
    return sum(1 for i, part in enumerate(line.split('"')) if i % 2 == 0 for c in part if c == mark)


def read_chunks(
    path: Path, rows: int | None = None, table_format: TableFormat | None = None
) -> Iterator[pd.DataFrame]:
    """The table in chunks of ``rows`` (default :data:`CHUNK_ROWS`): CSV, XLSX or Parquet.

    Values come as stored (text stays text, every CSV cell is text). Each chunk's index is
    the row's number in a spreadsheet (the header is row 1); blank rows are dropped. A
    table that cannot be read (ragged rows, an unclosed quote, duplicate columns, no rows)
    raises :class:`TableError` naming the file and the row.
    """
    rows = rows or CHUNK_ROWS
    suffix = path.suffix.lower()
    if _is_csv(path):
        chunks = _csv_chunks(path, rows, table_format or detect_format(path))
    elif suffix == ".parquet":
        pq = pyarrow_parquet(path)
        try:
            parquet = pq.ParquetFile(path)
        except Exception as err:  # pyarrow raises several types for a damaged file
            raise TableError(f"{path.name}: is not a readable Parquet file ({err})") from None
        _check_header(path, parquet.schema_arrow.names)
        chunks = (batch.to_pandas() for batch in parquet.iter_batches(rows))
    elif suffix in (".xlsx", ".xlsm"):
        chunks = _excel_chunks(path, rows)
    else:
        raise TableError(f"{path.name}: must be a .csv, .txt, .xlsx, .xlsm or .parquet file")
    line = 2
    for chunk in chunks:
        chunk.index = pd.RangeIndex(line, line + len(chunk))
        line += len(chunk)
        blank = chunk.map(_blank).all(axis=1)
        yield chunk[~blank] if blank.any() else chunk


def read_records(path: Path) -> list[tuple[int, dict[str, object]]]:
    """Every row of a small table (channels, scenarios) as (its row number in a
    spreadsheet, {column: cell}); :class:`TableError` as :func:`read_chunks` raises it."""
    table = pd.concat(list(read_chunks(path)))
    return [(int(number), row.to_dict()) for number, row in table.iterrows()]


def pyarrow_parquet(path: Path):
    """pyarrow's Parquet module, or a :class:`TableError` that says how to install it."""
    try:
        import pyarrow.parquet
    except ImportError:
        raise TableError(
            f"{path.name}: Parquet needs pyarrow: pip install 'kpi-planner[parquet]'"
        ) from None
    return pyarrow.parquet


def _csv_chunks(path: Path, rows: int, table_format: TableFormat) -> Iterator[pd.DataFrame]:
    header = read_header(path, table_format)
    try:
        reader = pd.read_csv(
            path, chunksize=rows, dtype=object, keep_default_na=False, na_values=[""],
            skipinitialspace=True, skip_blank_lines=False, encoding=table_format.encoding,
            sep=table_format.delimiter, quotechar='"', engine="c", header=0, names=header,
        )  # fmt: skip
        yield from reader
    except pd.errors.ParserError as err:
        raise TableError(_parser_message(path, str(err), len(header))) from None
    except UnicodeDecodeError as err:
        raise TableError(
            f"{path.name}: is not {table_format.encoding.replace('-sig', '')} text past its "
            f"start ({err.reason}): save it as 'CSV UTF-8' or give --encoding"
        ) from None


def _parser_message(path: Path, message: str, columns: int) -> str:
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if fields:
        return (
            f"{path.name}, row {fields.group(2)}: has {fields.group(3)} cells but the header "
            f"has {columns} columns: remove the extra cells, or quote a value that holds "
            "the delimiter"
        )
    quote = re.search(r"EOF inside string starting at row (\d+)", message)
    if quote:
        return (
            f'{path.name}, row {int(quote.group(1)) + 1}: a quote (") opens a value that is '
            "never closed: close it or remove it"
        )
    return f"{path.name}: cannot be read as CSV: {message.strip()}"


def _excel_chunks(path: Path, rows: int) -> Iterator[pd.DataFrame]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # zipfile, XML and openpyxl's own errors
        raise TableError(f"{path.name}: is not a readable Excel workbook ({err})") from None
    try:
        values = book.worksheets[0].iter_rows(values_only=True)
        header = [_header_text(h, i) for i, h in enumerate(next(values, ()), start=1)]
        while header and header[-1].startswith("column "):  # empty cells past the last name
            header.pop()
        _check_header(path, header)
        width = len(header)
        batch: list[tuple] = []
        for row in values:
            if any(value is not None for value in row[width:]):
                raise TableError(
                    f"{path.name}, row {len(batch) + 2}: has values right of the last "
                    "column that has a header: give them a header or remove them"
                )
            batch.append(tuple(row[:width]) + (None,) * (width - len(row)))
            if len(batch) == rows:
                yield pd.DataFrame(batch, columns=header, dtype=object)
                batch = []
        if batch:
            yield pd.DataFrame(batch, columns=header, dtype=object)
    finally:
        book.close()


def _header_text(value: object, position: int) -> str:
    return f"column {position}" if value is None or str(value).strip() == "" else str(value).strip()


def read_header(path: Path, table_format: TableFormat | None = None) -> list[str]:
    """The table's column names, checked: a header exists and no name appears twice."""
    if not _is_csv(path):
        first = next(read_chunks(path, rows=1), None)
        if first is None:
            raise TableError(
                f"{path.name}: has no rows: give one row per scenario under the header"
            )
        return [str(c) for c in first.columns]
    table_format = table_format or detect_format(path)
    with open(path, encoding=table_format.encoding, newline="") as stream:
        lines = (line for line in stream if line.strip())
        try:
            header = next(csv.reader(lines, delimiter=table_format.delimiter), None)
        except csv.Error as err:
            raise TableError(f"{path.name}, row 1: cannot be read as CSV ({err})") from None
    if not header:
        raise TableError(
            f"{path.name}: is empty: it needs a header row of column names, then one row "
            "per scenario"
        )
    header = [_header_text(name, i) for i, name in enumerate(header, start=1)]
    _check_header(path, header)
    return header


def _check_header(path: Path, header: list[str]) -> None:
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if name in seen:
            raise TableError(
                f"{path.name}, row 1: column {name!r} appears twice (columns {seen[name]} "
                f"and {position}): keep one"
            )
        seen[name] = position


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def is_blank(value: object) -> bool:
    """True for an empty cell: nothing, NaN, or only spaces."""
    return _blank(value) or value is pd.NA or value is pd.NaT


class CellError(ValueError):
    """A cell's text is not a value of its kind; the message says why and how to write it."""


def plain_decimal(value: object, decimal: str = ".") -> float | None:
    """The number a cell's text is when the decimal mark is a point and Python's ``float``
    reads the text as a finite number (most cells of a CSV: ``"31292263.78"``), else None.

    :func:`parse_number` gives the same number for such a text, to the bit: every text it
    reads otherwise (a percentage, a currency sign, a thousands separator) ``float`` refuses,
    and what ``float`` reads as not finite (``inf``, ``nan``) it refuses with the reason. A
    table's column loop reads such cells with this alone, before the blank check, its cache
    and the parser's call (``tests/batch/test_cell_reading.py`` holds the two to agree).

    >>> plain_decimal("31292263.78"), plain_decimal(" -1e5 "), plain_decimal("1.5%")
    (31292263.78, -100000.0, None)
    >>> plain_decimal("inf"), plain_decimal("1.5", decimal=",")
    (None, None)
    """
    if type(value) is not str or decimal != ".":
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number - number == 0.0 else None  # inf - inf and nan are nan


def parse_number(
    value: object, decimal: str = ".", *, fraction: bool = False, percent: bool = True
) -> float:
    """The number a cell holds, read as the user meant it, or :class:`CellError`.

    Text may carry a sign, a currency sign (``$ € £ ¥``), thousands separators (``,`` or
    ``.``, whichever is not the decimal mark, in groups of three; or spaces), the decimal
    mark and a trailing ``%`` (a percentage: ``1.5%`` is 0.015). A separator that is not a
    valid thousands separator is never guessed at: ``1,5%`` with the decimal mark ``.`` is
    refused with the fix. ``fraction`` marks inputs that are fractions (rates, margins),
    where a thousands separator is refused as a likely decimal mark and a percentage above
    100 % is refused. ``percent=False`` marks amounts (money, years), where a percentage is
    a mistake (``150%`` as a revenue goal would be 1.5) and is refused.

    >>> parse_number("10,000,000"), parse_number("1.5%"), parse_number("1,5%", ",")
    (10000000.0, 0.015, 0.015)
    >>> parse_number("1.100.000,50 €", decimal=",")
    1100000.5
    >>> parse_number("1,5%")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kpi_planner.tables.CellError: '1,5%' has a comma that is not a thousands separator: ...
    """
    if isinstance(value, bool | np.bool_):
        raise CellError("is TRUE/FALSE, not a number")
    if isinstance(value, dt.date | dt.time | pd.Timestamp):
        raise CellError(
            f"is a date or time ({value}): the cell is formatted as a date; format it as a number"
        )
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    if not isinstance(value, str):
        raise CellError(f"is not a number ({type(value).__name__})")
    text = value.strip()
    allow_percent, percent = percent, text.endswith("%")
    if percent and not allow_percent:
        raise CellError(f"is a percentage ({text}); this input is an amount, not a rate")
    if percent:
        text = text[:-1].strip()
    text = text.strip(_CURRENCY).strip()
    sign = ""
    if text.startswith(("+", "-")):  # not text[:1] in "+-": "" is in every string
        sign, text = text[0], text[1:].strip()
    if _SPACES.search(text) and _GROUPED_BY_SPACES.fullmatch(text):
        text = _SPACES.sub("", text)
    thousands = "," if decimal == "." else "."
    if thousands in text:
        grouped = re.fullmatch(
            rf"[1-9]\d{{0,2}}(?:{re.escape(thousands)}\d{{3}})+(?:{re.escape(decimal)}\d*)?", text
        )
        if not grouped or fraction:
            raise CellError(_separator_advice(value, decimal))
        text = text.replace(thousands, "")
    if decimal == ",":
        text = text.replace(",", ".")
    try:
        number = float(sign + text)
    except ValueError:
        raise CellError("is not a number") from None
    if not math.isfinite(number):
        raise CellError("is not a finite number")
    if percent:
        if fraction and number > 100:
            raise CellError(f"is {value.strip()}: a rate or margin is at most 100%")
        # The typed digits with the point moved two places, rounded once: 12.3% is the
        # double nearest 0.123, as Excel reads it; 12.3 / 100 rounds twice, to the double
        # after it (0.12300000000000001).
        number = float(Decimal(sign + text).scaleb(-2))
    return number


def _separator_advice(value: str, decimal: str) -> str:
    text = value.strip()
    if decimal == ".":
        fixed = text.replace(".", "").replace(",", ".") if "." in text else text.replace(",", ".")
        return (
            f"{text!r} has a comma that is not a thousands separator: write {fixed} with a "
            "decimal point, or read the table with --decimal ,"
        )
    fixed = text.replace(",", "").replace(".", ",") if "," in text else text.replace(".", ",")
    return (
        f"{text!r} has a point, but this table's decimal mark is ',': write {fixed}, "
        "or read the table with --decimal ."
    )


def parse_boolean(value: object) -> bool:
    """TRUE/FALSE as a cell may hold it: a boolean, 1/0, or text (TRUE, yes, WAHR, VRAI...).

    >>> parse_boolean("TRUE"), parse_boolean(" no "), parse_boolean(1), parse_boolean("wahr")
    (True, False, True, True)
    """
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.integer | np.floating) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise CellError("must be TRUE or FALSE (or yes/no, 1/0)")
