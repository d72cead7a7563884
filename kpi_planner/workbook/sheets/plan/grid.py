"""Where each block of the "Plan" sheet sits, and what a block gives: data for
:mod:`.layout` (the sheet, block by block) and :mod:`.volumes` (its funnel and months).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from kpi_planner.inputs.plan_fields import SHEET_INPUTS
from kpi_planner.workbook.a1 import column_letter
from kpi_planner.workbook.sheets.plan.timeline_grid import TimelineGrid
from kpi_planner.workbook.spec import Cell, Name

PLAN = "Plan"
#: The key results, one a row: customers needed, CAC, CLV, LTV:CAC and the two ROIs.
RESULTS = 6


@dataclass(frozen=True)
class PlanGrid:
    """Where each block of the plan sheet sits, for ``n`` stages."""

    stages: int

    inputs_row: int = 5  # first input

    @property
    def results_row(self) -> int:
        """The first key result: below the inputs (one a row, as declared) and a header."""
        return self.inputs_row + len(SHEET_INPUTS) + 1

    @property
    def funnel_header(self) -> int:
        """The funnel's header: below the key results (CustomersNeeded ... LifetimeROI)."""
        return self.results_row + RESULTS + 1

    @property
    def first_stage_row(self) -> int:
        return self.funnel_header + 1

    @property
    def last_stage_row(self) -> int:
        return self.first_stage_row + self.stages - 1

    @property
    def monthly_header(self) -> int:
        return self.last_stage_row + 2

    @property
    def weights_row(self) -> int:
        return self.monthly_header + 1

    @property
    def first_monthly_row(self) -> int:
        return self.weights_row + 1

    @property
    def last_monthly_row(self) -> int:
        return self.first_monthly_row + self.stages - 1

    @property
    def timeline(self) -> TimelineGrid:
        return TimelineGrid(self.stages, self.last_monthly_row)


#: Columns of the funnel table's quarters, and of the twelve months below it.
QUARTER_COLUMNS = ("E", "F", "G", "H")
MONTH_COLUMNS = tuple(column_letter(3 + m) for m in range(12))  # C..N


class Block(NamedTuple):
    """One block of the sheet: its cells, in the order they are written, and its names."""

    cells: list[Cell]
    names: list[Name]


def plan_name(label: str, ref: str, description: str) -> Name:
    """A defined name over ``ref`` of the Plan sheet."""
    return Name(label, PLAN, ref, description)
