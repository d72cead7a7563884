"""A company's workbook evaluated by the independent `formulas` package: its Company sheet
and the Plan sheet's inputs (the Company sheet reads only its WholeNumbers; the Plan
sheet's own formulas are the other tests'), compiled once, recalculated for typed-over
inputs."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import formulas
import numpy as np

import tests.workbook.evaluate  # noqa: F401  (Excel's ROUND for the evaluator)
from kpi_planner.company.inputs import CompanyInputs
from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook.render import xlsx
from kpi_planner.workbook.sheets.company.grid import COMPANY
from kpi_planner.workbook.sheets.plan.grid import PLAN

SHEETS = (PLAN, COMPANY)


class EvaluatedCompany:
    """The workbook of ``company`` written, compiled and ready to recalculate."""

    def __init__(self, folder: Path, company: CompanyInputs) -> None:
        book = plan_book.plan_workbook(company=company)
        full_plan = next(s for s in book.sheets if s.title == PLAN)
        plan = dataclasses.replace(full_plan, charts=(), conditional_formats=(),
                                   cells=tuple(c for c in full_plan.cells
                                               if not c.is_formula))  # fmt: skip
        self.book = dataclasses.replace(
            book,
            sheets=(plan, *(s for s in book.sheets if s.title == COMPANY)),
            names=tuple(n for n in book.names if n.sheet in SHEETS),
        )
        self.sheet = self.book.sheets[1]
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

    def sheet_value(self, ref: str) -> object:
        """A constant of the Company sheet as the workbook has it (None: empty)."""
        return next((c.value for c in self.sheet.cells if c.ref == ref), None)


def _value(ranges) -> object:
    value = ranges.value[0][0]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, formulas.tokens.operand.XlError):
        return str(value)
    return value
