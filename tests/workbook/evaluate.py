"""Evaluate a generated plan workbook's formulas with the independent `formulas` package.

`formulas` (PyPI, EUPL) parses the .xlsx, compiles every formula into its own Python
implementation of Excel's functions and computes the cells. It shares no code with
kpi_engine or with the layout, so agreement between the two is evidence, not a tautology.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
from pathlib import Path

import formulas
import formulas.functions
import formulas.functions.math
import numpy as np
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

from kpi_planner.plan import one_plan
from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook.render import xlsx
from kpi_planner.workbook.sheets.catalog import CATALOG
from kpi_planner.workbook.sheets.channels.grid import CHANNELS
from kpi_planner.workbook.sheets.pipeline import grid as pipeline
from kpi_planner.workbook.sheets.plan import layout as plan
from kpi_planner.workbook.sheets.tracking.goals import GOALS
from kpi_planner.workbook.sheets.tracking.layout import ACTUALS, DIAGNOSIS
from kpi_planner.workbook.sheets.whatif.grid import WHATIF

_EXACT = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_UP)


def _excel_round(number: float, digits: float) -> float:
    """Excel's ROUND: the number's decimal digits rounded half away from zero.

    `formulas` computes ``ROUND(x, 6)`` as ``round(x * 1e6) / 1e6`` in binary, which moves a
    whole number past about 1e10 by a fraction (ROUND(1026331059347, 6) is ...347.0001 there;
    Excel gives 1026331059347). The evaluator takes this one function from us so that it
    computes what Excel computes; everything else stays its own.
    """
    exponent = decimal.Decimal(1).scaleb(-int(digits))
    return float(_EXACT.quantize(decimal.Decimal(repr(float(number))), exponent))


formulas.functions.math.FUNCTIONS["ROUND"] = formulas.functions.wrap_ufunc(_excel_round)


#: The sheets a recalculation computes unless asked for others.
PLAN_SHEETS = (plan.PLAN, pipeline.PIPELINE)
#: The sheets a model is compiled from unless asked for others: all but Channels and What-if.
MODEL_SHEETS = (plan.PLAN, pipeline.PIPELINE, ACTUALS, DIAGNOSIS, GOALS, CATALOG)
#: The Channels and What-if sheets' model, with the Plan sheet they read.
CHANNEL_SHEETS = (plan.PLAN, CHANNELS, WHATIF)


class EvaluatedPlan:
    """A plan workbook compiled once by `formulas`, recalculated for any set of inputs."""

    def __init__(
        self, folder: Path, inputs: one_plan.PlanInputs, tracking=None, sheets=MODEL_SHEETS
    ) -> None:
        # Only the sheets a test reads (and those they refer to): compiling and solving the
        # Channels and What-if sheets' thousands of cells costs seconds on every plan.
        self.sheets = frozenset(sheets)
        book = self._book(inputs, tracking)
        self.path = xlsx.save(book, folder / "plan.xlsx")
        self.model = formulas.ExcelModel().loads(str(self.path)).finish()
        self.stages = len(inputs.stages)

    def _book(self, inputs: one_plan.PlanInputs, tracking):
        book = plan_book.plan_workbook(inputs, tracking)
        return dataclasses.replace(
            book,
            sheets=tuple(s for s in book.sheets if s.title in self.sheets),
            names=tuple(n for n in book.names if n.sheet in self.sheets),
        )

    def _key(self, ref: str, sheet: str = plan.PLAN) -> str:
        return f"'[{self.path.name}]{sheet.upper()}'!{ref}"

    def _solve(self, inputs: one_plan.PlanInputs, tracking=None, sheets=PLAN_SHEETS):
        """Recalculate the formula cells of ``sheets`` (and what they need) with every input
        cell of every sheet set as the spec has it (the last recalculation is kept: a test
        reads the Plan and the Pipeline sheet of one)."""
        assert len(inputs.stages) == self.stages, "the model is compiled for one stage count"
        key = (inputs, repr(tracking), sheets)
        if getattr(self, "_last", (None, None))[0] == key:
            return self._last[1]
        self._last = (key, self._recalculate(inputs, tracking, sheets))
        return self._last[1]

    def _recalculate(self, inputs: one_plan.PlanInputs, tracking, sheets):
        book = self._book(inputs, tracking)
        # An empty input is left as the file has it (empty): `formulas` would take an
        # override of None for a value, where Excel's COUNTA and ="" see a blank cell.
        # The model is compiled from a workbook whose optional inputs are all empty.
        overrides = {
            self._key(c.ref, sheet.title): _serial(c.value)
            for sheet in book.sheets
            for c in sheet.cells
            if c.role == "input" and c.value is not None
        }
        # Only the sheets asked for: the What-if sheet's ranking alone costs seconds.
        wanted = [self._key(c.ref, sheet.title) for sheet in book.sheets if sheet.title in sheets
                  for c in sheet.cells if c.is_formula]  # fmt: skip
        solution = self.model.calculate(inputs=overrides, outputs=wanted)
        planned = next(sheet for sheet in book.sheets if sheet.title == plan.PLAN)
        return planned, [n for n in book.names if n.sheet == plan.PLAN], solution

    def named(
        self, inputs: one_plan.PlanInputs, tracking, sheet_title: str
    ) -> dict[str, np.ndarray]:
        """The values of the defined names on ``sheet_title``, as the evaluator computes them."""
        book = self._book(inputs, tracking)
        _, _, solution = self._solve(inputs, tracking, (sheet_title,))
        values = {}

        def cell(column: int, row: int) -> object:  # a blank cell (within a merge, say): None
            key = self._key(f"{get_column_letter(column)}{row}", sheet_title)
            return _value(solution[key]) if key in solution else None

        for name in (n for n in book.names if n.sheet == sheet_title):
            min_col, min_row, max_col, max_row = range_boundaries(name.ref.replace("$", ""))
            values[name.name] = np.array(
                [[cell(c, r) for c in range(min_col, max_col + 1)]
                 for r in range(min_row, max_row + 1)],
                dtype=object,
            )  # fmt: skip
        return values

    def cell(self, inputs: one_plan.PlanInputs, tracking, sheet_title: str, ref: str) -> object:
        """One cell of any sheet as the evaluator computes it."""
        _, _, solution = self._solve(inputs, tracking, (sheet_title,))
        return _value(solution[self._key(ref, sheet_title)])

    def formula_cells(self, inputs: one_plan.PlanInputs) -> dict[str, object]:
        """Every formula cell of the Plan sheet as the evaluator computes it from ``inputs``."""
        sheet, _, solution = self._solve(inputs)
        return {c.ref: _value(solution[self._key(c.ref)]) for c in sheet.cells if c.is_formula}

    def pipeline_cells(self, inputs: one_plan.PlanInputs) -> dict[str, object]:
        """Every formula cell of the Pipeline sheet, by ref, as the evaluator computes it."""
        _, _, solution = self._solve(inputs)
        return {ref: _value(solution[self._key(ref, pipeline.PIPELINE)])
                for ref in pipeline.formula_sources()}  # fmt: skip

    def sheet_cells(self, inputs: one_plan.PlanInputs, title: str, refs) -> dict[str, object]:
        """The cells ``refs`` of the sheet ``title``, as the evaluator computes them (a
        blank cell is "")."""
        _, _, solution = self._solve(inputs, None, (title,))
        return {ref: _value(solution[self._key(ref, title)]) if self._key(ref, title) in solution
                else "" for ref in refs}  # fmt: skip

    def calculate(self, inputs: one_plan.PlanInputs) -> dict[str, np.ndarray]:
        """Every defined name's value as the evaluator computes it from ``inputs`` (an empty
        input no formula reads, such as no Currency, None)."""
        _, names, solution = self._solve(inputs)
        values = {}
        for name in names:
            min_col, min_row, max_col, max_row = range_boundaries(name.ref.replace("$", ""))
            grid = np.empty((max_row - min_row + 1, max_col - min_col + 1), dtype=object)
            for row in range(min_row, max_row + 1):
                for col in range(min_col, max_col + 1):
                    key = self._key(f"{get_column_letter(col)}{row}")
                    grid[row - min_row, col - min_col] = (
                        _value(solution[key]) if key in solution else None
                    )
            values[name.name] = grid
        return values


def _serial(value: object) -> object:
    """Dates as Excel's serial day numbers, as a date cell holds them."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return float((value - dt.date(1899, 12, 30)).days)
    return value


def _value(ranges) -> object:
    value = ranges.value[0][0]
    return value.item() if isinstance(value, np.generic) else value
