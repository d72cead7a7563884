"""A plan workbook's cells read by defined name, with errors that name sheet and cell.

The report (:mod:`kpi_planner.reports.plan_vs_actual`) reads only inputs this way:
formulas are not trusted to have been calculated.
"""

from __future__ import annotations

import numbers
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import range_boundaries

from kpi_engine import KPIInputError, Problem


class NamedCells:
    """Cells of an openpyxl workbook by defined name, with errors that name sheet and cell."""

    def __init__(self, path: Path) -> None:
        try:
            self.book = openpyxl.load_workbook(path, data_only=False)
        except Exception as err:  # openpyxl raises many kinds for a file it cannot read
            raise KPIInputError(
                [Problem("WORKBOOK", str(path), f"cannot be read: {err}")]
            ) from None

    def cells(self, name: str, required: bool = True) -> list[tuple[str, object]] | None:
        """(sheet!cell, value) of every cell a name covers, row by row."""
        if name not in self.book.defined_names:
            if not required:
                return None
            rule = "is not defined: this is not a kpi-planner plan workbook, or an old one"
            raise KPIInputError([Problem("defined name", name, rule)])
        (sheet, ref), *_ = self.book.defined_names[name].destinations
        min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
        worksheet = self.book[sheet]
        return [
            (f"{sheet}!{worksheet.cell(r, c).coordinate}", worksheet.cell(r, c).value)
            for r in range(min_row, max_row + 1)
            for c in range(min_col, max_col + 1)
        ]


def read_number(where: str, value: object, allow_empty: bool = True) -> float | None:
    if value is None or value == "":
        if allow_empty:
            return None
        raise KPIInputError([Problem(where, value, "is empty; type a number")])
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise KPIInputError([Problem(where, value, "is not a number")])
    return float(value)
