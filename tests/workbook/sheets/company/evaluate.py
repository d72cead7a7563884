"""A company's workbook evaluated by the independent `formulas` package: its Company sheet
and the Plan sheet's inputs and month labels (the Company sheet reads only its WholeNumbers
and MonthLabels; the Plan sheet's other formulas are the other tests'), compiled once,
recalculated for typed-over inputs."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import formulas
import numpy as np

import tests.workbook.evaluate  # noqa: F401  (Excel's ROUND for the evaluator)
from kpi_planner.company.inputs import CompanyInputs
from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook.a1 import column_index, column_letter, split_cell
from kpi_planner.workbook.render import xlsx
from kpi_planner.workbook.sheets.company.grid import COMPANY
from kpi_planner.workbook.sheets.plan.grid import PLAN

SHEETS = (PLAN, COMPANY)


class EvaluatedCompany:
    """The workbook of ``company`` written, compiled and ready to recalculate."""

    def __init__(self, folder: Path, company: CompanyInputs, more: tuple[str, ...] = ()) -> None:
        book = plan_book.plan_workbook(company=company)
        full_plan = next(s for s in book.sheets if s.title == PLAN)
        labels = next(n for n in book.names if n.name == "MonthLabels").formula
        label_row = split_cell(labels.split("!")[1].split(":")[0].replace("$", ""))[1]
        plan = dataclasses.replace(full_plan, charts=(), conditional_formats=(),
                                   cells=tuple(c for c in full_plan.cells if not c.is_formula
                                               or split_cell(c.ref)[1] == label_row))  # fmt: skip
        self.book = dataclasses.replace(
            book,
            sheets=(plan, *(s for s in book.sheets if s.title in (COMPANY, *more))),
            names=tuple(n for n in book.names if n.sheet in (*SHEETS, *more)),
        )
        self.sheet = next(s for s in self.book.sheets if s.title == COMPANY)
        self.path = xlsx.save(self.book, folder / "company.xlsx")
        self.model = formulas.ExcelModel().loads(str(self.path)).finish()

    def key(self, ref: str, sheet: str = COMPANY) -> str:
        return f"'[{self.path.name}]{sheet.upper()}'!{ref}"

    def formula_cells(self, typed: dict[str, object] | None = None) -> dict[str, object]:
        """Every formula cell of the Company sheet, by ref, with ``typed`` (ref -> value)
        typed over the Company sheet's inputs. An error value is its text (``#N/A``)."""
        overrides = {self.key(ref): value for ref, value in (typed or {}).items()}
        wanted = [self.key(c.ref) for c in self.sheet.cells if c.is_formula]
        solution = self.model.calculate(inputs=overrides, outputs=wanted)
        return {c.ref: _value(solution[self.key(c.ref)]) for c in self.sheet.cells
                if c.is_formula}  # fmt: skip

    def other_cells(self, title: str) -> dict[str, object]:
        """Every formula cell of the sheet ``title`` (one of ``more``), by ref."""
        sheet = next(s for s in self.book.sheets if s.title == title)
        wanted = [self.key(c.ref, title) for c in sheet.cells if c.is_formula]
        solution = self.model.calculate(outputs=wanted)
        return {c.ref: _value(solution[self.key(c.ref, title)]) for c in sheet.cells
                if c.is_formula}  # fmt: skip

    def sheet_value(self, ref: str) -> object:
        """A constant of the Company sheet as the workbook has it (None: empty)."""
        return next((c.value for c in self.sheet.cells if c.ref == ref), None)


def same(got: object, want: object) -> bool:
    """An evaluated cell equals the engine's value (to 1e-9; NaN as Excel's #DIV/0!)."""
    if isinstance(want, str):
        return got == want
    if isinstance(want, float) and math.isnan(want):
        return got == "#DIV/0!"
    return isinstance(got, int | float) and math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9)


def assert_agrees(evaluated: EvaluatedCompany, company: CompanyInputs, typed=None) -> None:
    """Every formula cell of the sheet, evaluated, equals the engine's value of it."""
    _, _, engine, _ = plan_book.company_part(company)
    computed = evaluated.formula_cells(typed)
    assert computed.keys() == engine.keys()
    differ = {ref: (computed[ref], engine[ref]) for ref in engine
              if not same(computed[ref], engine[ref])}  # fmt: skip
    assert differ == {}


def by_name(evaluated: EvaluatedCompany, values: dict[str, object], name: str) -> list[object]:
    """The cells of a defined name down its column: evaluated, or the sheet's constants."""
    return [row[0] for row in block(evaluated, values, name)]


def block(evaluated: EvaluatedCompany, values: dict[str, object], name: str) -> list[list]:
    """The cells of a defined name, row by row: evaluated, or the sheet's constants."""
    first, _, last = evaluated.book.name(name).ref.replace("$", "").partition(":")
    (left, top), (right, bottom) = split_cell(first), split_cell(last or first)
    columns = [column_letter(i) for i in range(column_index(left), column_index(right) + 1)]
    return [[values[ref] if ref in values else evaluated.sheet_value(ref)
             for ref in (f"{column}{row}" for column in columns)]
            for row in range(top, bottom + 1)]  # fmt: skip


def _value(ranges) -> object:
    value = ranges.value[0][0]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, formulas.tokens.operand.XlError):
        return str(value)
    return value
