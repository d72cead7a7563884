"""The cells of an Excel table that hold a formula Excel never calculated.

A workbook written by a program (openpyxl, a script's export) and never opened and saved in
Excel stores its formulas without their results. Read for its values, such a cell is
empty, and an empty cell of a scenario keeps the template's value: the plan would use
another number than the formula's, silently. :mod:`kpi_planner.inputs.tables` reads the formulas
beside the values and refuses such a table, naming the cells.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path


def _any_formula(path: Path) -> bool:
    """Whether any worksheet of the workbook may hold a formula (a ``<f`` tag in its XML):
    most tables have none, and then their formulas need not be read at all. A false
    positive (``<formula1>`` of a data validation) costs a second read, nothing more."""
    try:
        with zipfile.ZipFile(path) as archive:
            return any(b"<f" in archive.read(name) for name in archive.namelist()
                       if name.startswith("xl/worksheets/") and name.endswith(".xml"))  # fmt: skip
    except (OSError, zipfile.BadZipFile, KeyError):
        return True  # let the reader say what is wrong with the file


def formula_rows(path: Path) -> Iterator[tuple] | None:
    """The first sheet's rows with each formula as its text (``"=B2*2"``) or formula object,
    header first, in step with the rows of its values; None for a workbook without one."""
    if not _any_formula(path):
        return None
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=False)

    def rows() -> Iterator[tuple]:
        try:
            yield from book.worksheets[0].iter_rows(values_only=True)
        finally:
            book.close()

    return rows()


def uncalculated(values: Sequence[object], formulas: Sequence[object], width: int) -> list[int]:
    """The positions, among the first ``width`` cells of a row, whose value is empty while
    the cell holds a formula: a result Excel never stored."""
    pairs = zip(values[:width], formulas[:width], strict=False)  # a row may end early
    return [i for i, (value, formula) in enumerate(pairs)
            if value is None and _is_formula(formula)]  # fmt: skip


def _is_formula(cell: object) -> bool:
    if isinstance(cell, str):
        return cell.startswith("=")
    # ArrayFormula, DataTableFormula: openpyxl's objects for array and data-table formulas
    return cell is not None and type(cell).__name__.endswith("Formula")
