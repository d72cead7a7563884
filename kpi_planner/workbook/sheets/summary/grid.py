"""Where everything sits on the "Summary" sheet, for a plan of ``stages`` stages: data for
:mod:`.layout`."""

from __future__ import annotations

from dataclasses import dataclass

from kpi_planner.workbook.sheets.channels.grid import SLOTS

SUMMARY = "Summary"
#: The goal and what it takes: one result a row, from the row under its header.
GOAL_HEADER = 4
#: The What-if sheet's levers the page shows, largest saving first.
LEVERS = 3
#: Where the two charts sit: right of the tables, the funnel's beside the funnel's rows.
CHART_COLUMN = "F"


def result_row(index: int) -> int:
    """The row of the goal block's result ``index`` (0: the first), under its header."""
    return GOAL_HEADER + 1 + index


@dataclass(frozen=True)
class SummaryGrid:
    """The rows of each block of the sheet; ``results`` is how many rows the goal's block
    has (see :data:`.layout.RESULTS`)."""

    stages: int
    results: int

    def result_row(self, index: int) -> int:
        """The row of the goal block's result ``index`` (0: the first)."""
        return result_row(index)

    @property
    def funnel_header(self) -> int:
        return self.result_row(self.results) + 1

    def stage_row(self, stage: int) -> int:
        """The funnel table's row of stage ``stage`` (0: the top)."""
        return self.funnel_header + 1 + stage

    @property
    def levers_header(self) -> int:
        return self.stage_row(self.stages) + 1

    def lever_row(self, rank: int) -> int:
        """The row of the lever ranked ``rank`` (1: the largest saving)."""
        return self.levers_header + rank

    @property
    def channels_header(self) -> int:
        return self.lever_row(LEVERS) + 2

    def channel_row(self, slot: int) -> int:
        """The row of the Channels sheet's channel ``slot`` (1: its first row)."""
        return self.channels_header + slot

    @property
    def channels_total(self) -> int:
        return self.channel_row(SLOTS) + 1

    @property
    def last_row(self) -> int:
        return self.channels_total
