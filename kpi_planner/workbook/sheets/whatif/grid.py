"""Where everything sits on the "What-if" sheet, its scenarios as inputs, and its levers:
data for :mod:`.layout`, :mod:`.formulas` and :mod:`.values`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kpi_planner.workbook.a1 import column_letter
from kpi_planner.workbook.sheets.channels.grid import SLOTS

WHATIF = "What-if"
#: Named scenarios beside the base (the plan itself): base, best, worst and one more.
SCENARIOS = 4
#: The base's column, then each scenario's.
SCENARIO_COLUMNS = tuple(column_letter(2 + s) for s in range(SCENARIOS + 1))  # B..F
STEP_ROW, CHECK_ROW, NEEDED_ROW, TOP_ROW = 5, 6, 7, 8
SCENARIO_HEADER = 10
NAME_ROW, GOAL_ROW, DEAL_ROW, BUDGET_ROW = 11, 12, 13, 14
#: The levers' columns of the ranked table.
RANK, INPUT, FROM, TO, THEN, SAVED, TOP_SAVED, WORSE_SAVED = "ABCDEFGH"
#: The first hidden helper column: each lever's workings (and, on the k-th row, which lever
#: ranks k-th: "position"), then each scenario's.
FIRST_HELPER = 20  # T
LEVER_FIELDS = ("name", "exists", "before", "after", "budget", "top", "worse_after",
                "worse_budget", "saved", "top_saved", "worse_saved", "key", "top_key",
                "rank", "position")  # fmt: skip
#: The tornado chart shows this many levers, largest saving first.
TORNADO_LEVERS = 10


@dataclass(frozen=True)
class Scenario:
    """A named scenario of the What-if sheet: what it changes (None: the base's value).

    ``rates`` are by the funnel's steps, top first; ``costs`` by the Channels sheet's rows.
    """

    name: str
    revenue_goal: float | None = None
    deal_size: float | None = None
    marketing_budget: float | None = None
    rates: tuple[float | None, ...] = ()
    costs: tuple[float | None, ...] = field(default=())


@dataclass(frozen=True)
class WhatIfGrid:
    """Where each block of the sheet sits, for a plan of ``stages`` stages."""

    stages: int

    @property
    def steps(self) -> int:
        return self.stages - 1

    def rate_row(self, step: int) -> int:
        """The scenarios' row of a rate (1 = the top stage's)."""
        return BUDGET_ROW + step

    def cost_row(self, slot: int) -> int:
        """The scenarios' row of a channel's cost (1 = the Channels sheet's first row)."""
        return BUDGET_ROW + self.steps + slot

    @property
    def last_change_row(self) -> int:
        return self.cost_row(SLOTS)

    @property
    def results_header(self) -> int:
        return self.last_change_row + 1

    def volume_row(self, stage: int) -> int:
        """The scenarios' results row of a stage's volume for the year (1 = top)."""
        return self.results_header + stage

    @property
    def cac_row(self) -> int:
        return self.volume_row(self.stages) + 1

    @property
    def needed_row(self) -> int:
        return self.cac_row + 1

    @property
    def gap_row(self) -> int:
        return self.needed_row + 1

    @property
    def sensitivity_header(self) -> int:
        return self.gap_row + 3

    @property
    def levers(self) -> int:
        """Rows of the ranked table: every rate, the deal size, and each channel's cost
        and own rates (most are empty: only the inputs a plan has are ranked)."""
        return self.steps + 1 + SLOTS * self.stages

    @property
    def first_lever_row(self) -> int:
        return self.sensitivity_header + 1

    @property
    def last_lever_row(self) -> int:
        return self.first_lever_row + self.levers - 1

    def lever_column(self, name: str) -> str:
        return column_letter(FIRST_HELPER + LEVER_FIELDS.index(name))

    def lever_range(self, name: str) -> str:
        column = self.lever_column(name)
        return f"${column}${self.first_lever_row}:${column}${self.last_lever_row}"

    def scenario_yield_column(self, scenario: int) -> str:
        """Helper column of each channel's customers per unit in a scenario (0: base)."""
        return column_letter(FIRST_HELPER + len(LEVER_FIELDS) + 1 + 2 * scenario)

    def scenario_cost_column(self, scenario: int) -> str:
        return column_letter(FIRST_HELPER + len(LEVER_FIELDS) + 2 + 2 * scenario)

    @property
    def helper_columns(self) -> tuple[str, ...]:
        last = FIRST_HELPER + len(LEVER_FIELDS) + 2 * (SCENARIOS + 1)
        return tuple(column_letter(k) for k in range(FIRST_HELPER, last + 1))


@dataclass(frozen=True)
class Lever:
    """One row of the levers' workings: ``kind`` "rate" (``step``), "deal size", "cost"
    (``slot``) or "own rate" (``slot``, ``step``); steps and slots count from 1."""

    kind: str
    step: int = 0
    slot: int = 0


def levers(stages: int) -> list[Lever]:
    """The levers in the order the ranking breaks ties by, as the engine lists them: the
    plan's rates top down, the deal size, then each channel's cost and own rates."""
    found = [Lever("rate", step) for step in range(1, stages)] + [Lever("deal size")]
    for slot in range(1, SLOTS + 1):
        found.append(Lever("cost", slot=slot))
        found += [Lever("own rate", step, slot) for step in range(1, stages)]
    return found


def input_cells() -> dict[str, tuple[str, str | None]]:
    """The step: ref -> (column of :func:`one_plan.scenario_row`, format). (The scenarios are
    typed on the sheet, or given to ``kpi-planner build --scenario``; a batch leaves them
    empty.)"""
    return {f"B{STEP_ROW}": ("whatif_step", "0%")}
