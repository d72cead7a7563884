"""Where the Plan sheet's timeline sits: its months' columns and its rows below the plan's
months (the months added up by quarter, then the months and their running totals), for
:mod:`.timeline` (its cells) and :mod:`.timeline_values` (the engine's values).
"""

from __future__ import annotations

from dataclasses import dataclass

from kpi_planner.workbook.a1 import column_letter

MONTHS = 12
#: Months of the year before shown: the most a lag of up to a year can need.
LEAD_IN = 12
#: The timeline's columns: the lead-in's months, then the plan year's (E..AB).
COLUMNS = tuple(column_letter(5 + j) for j in range(LEAD_IN + MONTHS))
#: The timeline by quarter's columns: the year before's four quarters, the plan year's (E..L).
QUARTER_COLUMNS = COLUMNS[: (LEAD_IN + MONTHS) // 3]
#: Defined names of the section's outputs (cached by the batch, checked by the tests).
OUTPUT_NAMES = ("MonthsAhead", "NextYearRequired", "TimelineLabels", "TimelineMonthly",
                "TimelineRunning", "WeightsSoFar", "TimelineQuarterLabels",
                "TimelineQuarterly")  # fmt: skip


@dataclass(frozen=True)
class TimelineGrid:
    """Where the section sits: below ``after_row`` (the Plan sheet's last monthly row)."""

    stages: int
    after_row: int

    @property
    def quarter_header_row(self) -> int:
        return self.after_row + 2

    @property
    def first_quarter_row(self) -> int:
        return self.quarter_header_row + 1

    @property
    def last_quarter_row(self) -> int:
        return self.first_quarter_row + self.stages - 1

    @property
    def header_row(self) -> int:
        return self.last_quarter_row + 2

    @property
    def first_stage_row(self) -> int:
        return self.header_row + 1

    @property
    def last_stage_row(self) -> int:
        return self.first_stage_row + self.stages - 1

    @property
    def weights_so_far_row(self) -> int:
        return self.last_stage_row + 1

    @property
    def running_header_row(self) -> int:
        return self.weights_so_far_row + 2

    @property
    def first_running_row(self) -> int:
        return self.running_header_row + 1

    @property
    def last_running_row(self) -> int:
        return self.first_running_row + self.stages - 1

    @property
    def row_heights(self) -> dict[int, float]:
        """The header rows, tall enough for their wrapped headers' two lines (points)."""
        return {self.quarter_header_row: 30, self.header_row: 30, self.running_header_row: 30}

    @property
    def last_row(self) -> int:
        return self.last_running_row


def weights_so_far_cell(grid: TimelineGrid, month: int) -> str:
    """The cell holding the seasonality weights added up to ``month`` (0 = January)."""
    return f"${COLUMNS[LEAD_IN + month]}${grid.weights_so_far_row}"
