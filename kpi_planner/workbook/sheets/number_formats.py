"""The plan's number formats, and those that follow its inputs: whole-number volumes
without decimals, and money in the plan's currency.

A volume cell has the format ``#,##0.00`` (an exact plan's 0.75 customers a month must show
its decimals); while ``WholeNumbers`` is TRUE, a conditional format shows it as ``#,##0``,
so a whole-number plan reads 8,334 visits, not 8,334.00. Written as Excel conditional
formatting by the openpyxl renderer (so it follows the input when a user changes it); the
live renderer applies the format that holds for the inputs it renders.

Money cells (``Cell.money``) show the currency the workbook is built with (``€10,000,000``,
by :mod:`kpi_planner.inputs.currency`'s rule): an Excel number format cannot read a cell,
so the symbol is written when the workbook is built. While the ``Currency`` cell holds
another code (or none), a conditional format shows money with no symbol rather than a
wrong one (:func:`priced`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING

from kpi_planner.workbook.a1 import column_index, split_cell
from kpi_planner.workbook.spec import Cell, ConditionalFormat, Sheet

if TYPE_CHECKING:  # the command line reads these formats at start-up: no currency there
    from kpi_planner.inputs.currency import Money

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


def money_format(number_format: str, money: Money) -> str:
    """A money cell's format in ``money``'s currency: an amount as ``number_format`` has it
    with the symbol; a cost per unit (a format with decimals) with the currency's minor units.

    >>> from kpi_planner.inputs.currency import money
    >>> money_format(MONEY, money("EUR")), money_format(UNIT_COST, money("JPY"))
    ('"€"#,##0', '"¥"#,##0')
    """
    return (
        money.unit_cost_format(number_format)
        if "." in number_format
        else money.excel(number_format)
    )


def priced(sheet: Sheet, money: Money) -> Sheet:
    """``sheet`` with its money cells' and money rules' formats in ``money``'s currency, and,
    first (a rule listed first wins), the rules that show them with no symbol while the
    ``Currency`` cell holds another code; unchanged without a currency."""
    if not money.code:
        return sheet
    unless = f'Currency<>"{money.code}"'
    plain: dict[str, list[str]] = {}  # each plain format -> its money cells
    for cell in sheet.cells:
        if cell.money and cell.number_format:
            plain.setdefault(cell.number_format, []).append(cell.ref)
    fallbacks = [ConditionalFormat(row_spans(refs), unless, number_format, holds=False)
                 for number_format, refs in plain.items()]  # fmt: skip
    fallbacks += [dataclasses.replace(rule, formula=f"AND({rule.formula},{unless})", holds=False)
                  for rule in sheet.conditional_formats if rule.money]  # fmt: skip
    rules = [dataclasses.replace(rule, number_format=money_format(rule.number_format, money))
             if rule.money else rule for rule in sheet.conditional_formats]  # fmt: skip
    cells = [dataclasses.replace(cell, number_format=money_format(cell.number_format, money))
             if cell.money and cell.number_format else cell for cell in sheet.cells]  # fmt: skip
    return dataclasses.replace(sheet, cells=tuple(cells),
                               conditional_formats=(*fallbacks, *rules))  # fmt: skip
