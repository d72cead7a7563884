"""Read a user's table of scenarios (CSV, Excel or Parquet); its cells are read by
:mod:`kpi_planner.inputs.typed_values` (re-exported here: ``tables.parse_number``...).

Real tables come from many spreadsheets and locales: a byte-order mark, UTF-16 text, ``;``
delimiters with decimal commas (``1,5%``), thousands separators (``10,000,000``), currency
signs, blank lines, Excel dates. Everything here either reads a value exactly as the user
meant it or says why it cannot, naming the file, the row and the column: a value is never
guessed. Rows are numbered as a spreadsheet shows them (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kpi_planner.inputs import uncalculated_formulas as excel_formulas

# The cells' own rules, read as tables.parse_number... by the rest of the package too.
from kpi_planner.inputs.typed_values import (  # noqa: F401
    CellError,
    is_blank,
    parse_boolean,
    parse_growth,
    parse_month,
    parse_number,
    plain_decimal,
)

#: Rows read together; small enough for a smooth progress bar.
CHUNK_ROWS = 500

#: What a decimal mark may be.
DECIMAL_MARKS = (".", ",")


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
    path: Path,
    rows: int | None = None,
    table_format: TableFormat | None = None,
    *,
    check_formulas: bool = True,
) -> Iterator[pd.DataFrame]:
    """The table in chunks of ``rows`` (default :data:`CHUNK_ROWS`): CSV, XLSX or Parquet.

    Values come as stored (text stays text, every CSV cell is text). Each chunk's index is
    the row's number in a spreadsheet (the header is row 1); blank rows are dropped. A
    table that cannot be read (ragged rows, an unclosed quote, duplicate columns, no rows)
    raises :class:`TableError` naming the file and the row, and so does an Excel cell that
    holds a formula with no calculated value (``check_formulas``: it would read as empty;
    see :mod:`kpi_planner.inputs.uncalculated_formulas`).
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
        chunks = _excel_chunks(path, rows, check_formulas)
    else:
        raise TableError(f"{path.name}: must be a .csv, .txt, .xlsx, .xlsm or .parquet file")
    line = 2
    for chunk in chunks:
        chunk.index = pd.RangeIndex(line, line + len(chunk))
        line += len(chunk)
        blank = chunk.map(is_blank).all(axis=1)
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


def _excel_chunks(path: Path, rows: int, check_formulas: bool) -> Iterator[pd.DataFrame]:
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # zipfile, XML and openpyxl's own errors
        raise TableError(f"{path.name}: is not a readable Excel workbook ({err})") from None
    # None: the workbook holds no formula (or they are not asked about)
    formulas = excel_formulas.formula_rows(path) if check_formulas else None
    try:
        values = book.worksheets[0].iter_rows(values_only=True)
        header = [_header_text(h, i) for i, h in enumerate(next(values, ()), start=1)]
        if formulas is not None:
            next(formulas, None)  # the header
        while header and header[-1].startswith("column "):  # empty cells past the last name
            header.pop()
        _check_header(path, header)
        width = len(header)
        batch: list[tuple] = []
        uncalculated: list[str] = []
        for line, row in enumerate(values, start=2):
            if any(value is not None for value in row[width:]):
                raise TableError(
                    f"{path.name}, row {line}: has values right of the last column that has "
                    "a header: give them a header or remove them"
                )
            if formulas is not None:
                empty = excel_formulas.uncalculated(row, next(formulas, ()), width)
                uncalculated += [f"{get_column_letter(i + 1)}{line}" for i in empty]
            batch.append(tuple(row[:width]) + (None,) * (width - len(row)))
            if len(batch) == rows:
                _check_calculated(path, uncalculated)
                yield pd.DataFrame(batch, columns=header, dtype=object)
                batch = []
        _check_calculated(path, uncalculated)
        if batch:
            yield pd.DataFrame(batch, columns=header, dtype=object)
    finally:
        book.close()
        if formulas is not None:
            formulas.close()


def _check_calculated(path: Path, cells: list[str]) -> None:
    """A formula with no stored result reads as an empty cell, which keeps the template's
    value: the table is refused instead, naming the cells."""
    if cells:
        shown = ", ".join(cells[:8]) + (f" and {len(cells) - 8} more" if len(cells) > 8 else "")
        raise TableError(
            f"{path.name}: {shown} {'holds a formula' if len(cells) == 1 else 'hold formulas'} "
            "with no calculated value (the workbook was "
            "saved by a program, not by Excel), which would read as empty: open it in Excel "
            "and save it, or type the values"
        )


def _header_text(value: object, position: int) -> str:
    return f"column {position}" if value is None or str(value).strip() == "" else str(value).strip()


def read_header(path: Path, table_format: TableFormat | None = None) -> list[str]:
    """The table's column names, checked: a header exists and no name appears twice."""
    if not _is_csv(path):
        # the header alone: the rows' formulas are checked when the rows are read
        first = next(read_chunks(path, rows=1, check_formulas=False), None)
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
