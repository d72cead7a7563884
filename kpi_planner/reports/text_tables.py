"""Tables the commands print, readable in an 80-column terminal: a header wraps between
words and is never cut ("opportunities", not "opportuniti…"), and the numbers of a column
share their decimals ("0.00" beside "1.67", not "0")."""

from __future__ import annotations

import dataclasses
import re
import textwrap

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.table import Column, Table

#: A number as :func:`kpi_planner.reports.numbers.show` and ``show_money`` write it: a
#: sign, a currency's symbol or code, the digits and their decimals, and any unit after.
NUMBER = re.compile(
    r"^(?P<before>[+\-]?(?:[^\w\s]{1,3}|[A-Z]{3} )?)(?P<whole>\d[\d,]*)"
    r"(?:\.(?P<decimals>\d+))?(?P<after>\D*)$"
)
#: Most decimals a column is padded to: a column with one small share (0.0123) keeps its
#: other numbers at two.
MOST_DECIMALS = 2


def readable(table: Table, width: int | None = None) -> RenderableType:
    """``table`` with its numbers at the same decimals in each column (see
    :func:`same_decimals`), fitted to ``width`` (the terminal's by default): where it is
    wider, its headers wrap between words to their column's widest cell, and where even
    that is too wide, it is stacked: several tables, each repeating the first column."""
    for column in table.columns:
        # Rich keeps a column's cells in the Column dataclass's _cells list (rich >= 10).
        column._cells[:] = same_decimals(column._cells)
    width = width or Console().width
    if 1 + sum(_natural(c) for c in table.columns) <= width:
        return table
    for column in table.columns:
        column.header = textwrap.fill(str(column.header), _narrowest(column) - 3)
    if 1 + sum(_narrowest(c) for c in table.columns) <= width or len(table.columns) < 3:
        return table
    return Group(*_stacked(table, width))


def _natural(column: Column) -> int:
    """A column's width with its header and cells on one line, a space either side and its
    border."""
    return 3 + max(cell_len(str(column.header)), *(cell_len(str(c)) for c in column._cells))


def _narrowest(column: Column) -> int:
    """A column's width with its header wrapped to its widest cell (or longest word)."""
    words = str(column.header).split() or [""]
    widest = max((cell_len(str(c)) for c in column._cells), default=0)
    return 3 + max(widest, *(len(word) for word in words))


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
        shown = f"{value:,.{decimals}f}"
    else:
        shown = f"{match['whole']}.{typed.ljust(decimals, '0')}"
    return f"{match['before']}{shown}{match['after']}"
