"""Tables the commands print, readable in an 80-column terminal: a header wraps between
words and is never cut ("opportunities", not "opportuniti…"), and the numbers of a column
(or of a row, where the rows are the measures) share their decimals ("0.00" beside "1.67",
not "0")."""

from __future__ import annotations

import dataclasses
import re
import textwrap

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.table import Column, Table
from rich.text import Text

#: A number as :func:`kpi_planner.reports.numbers.show` and ``show_money`` write it: a
#: sign, a currency's symbol or code, the digits and their decimals, and any unit after.
NUMBER = re.compile(
    r"^(?P<before>[+\-]?(?:[^\w\s]{1,3}|[A-Z]{3} )?)(?P<whole>\d[\d,]*)"
    r"(?:\.(?P<decimals>\d+))?(?P<after>\D*)$"
)
#: Most decimals a column is padded to: a column with one small share (0.0123) keeps its
#: other numbers at two.
MOST_DECIMALS = 2


def readable(table: Table, width: int | None = None, decimals: str = "columns") -> RenderableType:
    """``table`` with its numbers at the same decimals in each column, or in each row (after
    the row labels) for a table whose rows are its measures (``decimals="rows"``: scenarios
    side by side, a role's quarters), or as they are (``"none"``); see
    :func:`same_decimals`. Fitted to ``width`` (the terminal's by default): where it is
    wider, its headers wrap between words, and where even that is too wide, it is stacked:
    several tables, each repeating the first column."""
    # Rich keeps a column's cells in the Column dataclass's _cells list (rich >= 10).
    if decimals == "columns":
        for column in table.columns:
            column._cells[:] = same_decimals(column._cells)
    elif decimals == "rows":
        for i in range(table.row_count):
            shown = same_decimals([column._cells[i] for column in table.columns[1:]])
            for column, cell in zip(table.columns[1:], shown, strict=True):
                column._cells[i] = cell
    width = width or Console().width
    if 1 + sum(_natural(c) for c in table.columns) <= width:
        return table
    for column in table.columns:
        column.header = _wrapped(column.header, _narrowest(column) - 3)
        column.min_width = _narrowest(column) - 3  # so Rich narrows no column below a word
    # Rich shares spare width out between columns, so a table at its least may grow a
    # little: it must fit with a margin, or it is stacked.
    if 1 + sum(_narrowest(c) for c in table.columns) <= width - 3 or len(table.columns) < 3:
        return table
    return Group(*_stacked(table, width - 3))


def _wrapped(header: RenderableType, width: int) -> RenderableType:
    """``header`` wrapped between words to ``width``: a :class:`Text` stays one (its words
    are not read as markup), a string a string."""
    if isinstance(header, Text):
        return Text(textwrap.fill(header.plain, width), style=header.style)
    return textwrap.fill(str(header), width)


def _text(cell: RenderableType) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def _natural(column: Column) -> int:
    """A column's width with its header and cells on one line, a space either side and its
    border."""
    cells = [cell_len(_text(c)) for c in column._cells]
    return 3 + max([cell_len(_text(column.header)), *cells])


def _narrowest(column: Column) -> int:
    """A column's width with its header and text wrapped between words: its longest word,
    or its widest number (a number does not wrap)."""
    words = [len(word) for word in _text(column.header).split()]
    for cell in map(_text, column._cells):
        words += [cell_len(cell)] if NUMBER.match(cell) else [len(w) for w in cell.split()]
    return 3 + max(words, default=1)


def _stacked(table: Table, width: int) -> list[Table]:
    """``table``'s columns after the first in groups that fit ``width``, each group a table
    of its own after the first column (the row labels)."""
    first, groups = table.columns[0], [[]]
    used = 1 + _narrowest(first)
    for column in table.columns[1:]:
        if groups[-1] and used + _narrowest(column) > width:
            groups.append([])
            used = 1 + _narrowest(first)
        groups[-1].append(column)
        used += _narrowest(column)
    parts = []
    for k, group in enumerate(groups):
        part = Table(title=table.title if k == 0 else None, title_justify=table.title_justify)
        part.columns.extend(dataclasses.replace(c, _cells=list(c._cells)) for c in [first, *group])
        part.rows.extend(table.rows)
        parts.append(part)
    return parts


def same_decimals(cells: list) -> list:
    """The cells of one column, the numbers among them shown to the most decimals any of
    them has, at most :data:`MOST_DECIMALS` (padded with zeros, or rounded where a number
    of 0.1 or more has more); text, numbers with a unit (33%) and small numbers that would
    round to nothing (0.0123) as they are.

    >>> same_decimals(["1.67", "0", "+0.74", "-", "Jan 2027"])
    ['1.67', '0.00', '+0.74', '-', 'Jan 2027']
    >>> same_decimals(["83,334", "1,250"])
    ['83,334', '1,250']
    >>> same_decimals(["2.27", "0.7576", "33%", "0.0123"])
    ['2.27', '0.76', '33%', '0.0123']
    """
    found = [NUMBER.match(cell) if isinstance(cell, str) else None for cell in cells]
    plain = [m for m in found if m is not None and not m["after"].strip()]
    decimals = min(max((len(m["decimals"] or "") for m in plain), default=0), MOST_DECIMALS)
    if decimals == 0:
        return list(cells)
    return [cell if match is None or match["after"].strip() else _to(match, decimals)
            for cell, match in zip(cells, found, strict=True)]  # fmt: skip


def _to(match: re.Match, decimals: int) -> str:
    """A number's text with ``decimals`` decimals (see :func:`same_decimals`)."""
    typed = match["decimals"] or ""
    if len(typed) > decimals:
        value = float(f"{match['whole'].replace(',', '')}.{typed}")
        if value < 0.1:  # 0.0123 would show as 0.01 or 0.00: keep its digits
            return match.group(0)
        grouped = "," if "," in match["whole"] else ""  # as the number was written
        shown = f"{value:{grouped}.{decimals}f}"
    else:
        shown = f"{match['whole']}.{typed.ljust(decimals, '0')}"
    return f"{match['before']}{shown}{match['after']}"
