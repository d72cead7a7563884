"""Where everything sits on the "Company" sheet: data for :mod:`.layout` (the sheet's cells)
and :mod:`.values` (the engine's value of each formula cell).

The sheet reads top to bottom: the goal (inputs, then the ARR bridge and the new-logo
goal), the segments (one row each, :data:`MAX_SEGMENTS` rows whether used or not), their
funnels (one row each, a stage's name, volume and rate to the next side by side, so a row
reads as the funnel does) and the company's roll-up (one row per stage); then the quarters:
each segment's seasonality (12 monthly weights and the 4 quarters' they add up to), the
company's volumes by quarter (one row per company stage) and the segments' (one row per
segment and stage slot, :data:`MAX_SEGMENTS` x the longest funnel's stages).
"""

from __future__ import annotations

from dataclasses import dataclass

from kpi_planner.company.inputs import MAX_SEGMENTS
from kpi_planner.workbook.a1 import column_letter

COMPANY = "Company"

#: The goal's inputs, top to bottom: (defined name, label, what it is, number format).
GOAL_INPUTS = (
    ("StartingARR", "Starting ARR", "ARR at the start of the year", "#,##0"),
    ("NetRevenueRetention", "Net revenue retention", "NRR: today's customers next year, "
     "expansion included (110 % = 1.1)", "0.0%"),
    ("GrossRevenueRetention", "Gross revenue retention", "GRR: the same without expansion",
     "0.0%"),
    ("TargetARR", "Target ending ARR", "empty: no ARR bridge; the goal below instead", "#,##0"),
    ("ExpansionGoal", "Expansion goal", "upsell and cross-sell, taken out of the goal below "
     "(without a target ARR)", "#,##0"),
    ("CompanyGoal", "Company revenue goal", "new logos and expansion; empty: the segments' "
     "own goals added up", "#,##0"),
)  # fmt: skip
FIRST_INPUT_ROW = 5
#: The bridge's results, top to bottom: (defined name, label, how it is computed).
GOAL_RESULTS = (
    ("Expansion", "Expansion", "starting ARR x (NRR - GRR), or the expansion goal"),
    ("ChurnAndContraction", "Churn and contraction", "starting ARR x (1 - GRR)"),
    ("NewLogoGoal", "New-logo goal", "target - starting ARR x NRR, or goal - expansion goal"),
    ("EndingARR", "Ending ARR", "start + new logos + expansion - churn and contraction"),
    ("TotalRevenueGoal", "Revenue goal, new logos and expansion", "new-logo goal + expansion"),
)
RESULTS_HEADER = 12
FIRST_RESULT_ROW = RESULTS_HEADER + 1
GOAL_CHECK_ROW = FIRST_RESULT_ROW + len(GOAL_RESULTS)

SEGMENTS_HEADER = GOAL_CHECK_ROW + 2
FIRST_SEGMENT_ROW = SEGMENTS_HEADER + 1
SEGMENT_ROWS = tuple(FIRST_SEGMENT_ROW + i for i in range(MAX_SEGMENTS))
TOTAL_ROW = SEGMENT_ROWS[-1] + 1
SEGMENTS_CHECK_ROW = TOTAL_ROW + 1
#: The segments table's columns: (key, header).
SEGMENT_COLUMNS = (
    ("name", "Segment"), ("kind", "Kind"), ("share", "Share of the new-logo goal"),
    ("own_goal", "Own goal"), ("goal", "Goal"), ("deal_size", "Deal size"),
    ("budget", "Marketing budget"), ("customers", "Customers"), ("cac", "CAC"),
    ("why", "What is wrong"),
)  # fmt: skip
COLUMN = {key: column_letter(1 + i) for i, (key, _) in enumerate(SEGMENT_COLUMNS)}

FUNNEL_HEADER = SEGMENTS_CHECK_ROW + 2
FUNNEL_ROWS = tuple(FUNNEL_HEADER + 1 + i for i in range(MAX_SEGMENTS))
ROLLUP_HEADER = FUNNEL_ROWS[-1] + 2

#: The seasonality block's columns: the twelve months' weights, then the four quarters'.
MONTH_COLUMNS = tuple(column_letter(2 + m) for m in range(12))
QUARTER_WEIGHT_COLUMNS = tuple(column_letter(14 + q) for q in range(4))
#: The quarterly blocks' columns: segment (or "All segments"), stage, Q1-Q4, the year.
QUARTER_COLUMNS = ("C", "D", "E", "F")
YEAR_COLUMN = "G"


@dataclass(frozen=True)
class CompanyGrid:
    """Where the funnels and the roll-up sit, for funnels of up to ``stages`` stages and a
    company of ``company_stages`` stages."""

    stages: int
    company_stages: int

    def name_column(self, k: int) -> str:
        """Stage ``k``'s name (0: the top stage); its volume is right of it, then its rate."""
        return column_letter(2 + 3 * k)

    def volume_column(self, k: int) -> str:
        return column_letter(3 + 3 * k)

    def rate_column(self, k: int) -> str:
        """The rate from stage ``k`` to ``k + 1`` (none for the last)."""
        return column_letter(4 + 3 * k)

    @property
    def names_span(self) -> str:
        """Every cell of the funnels from the first name to the last: SUMIF's criteria."""
        first, last = self.name_column(0), self.name_column(self.stages - 1)
        return f"${first}${FUNNEL_ROWS[0]}:${last}${FUNNEL_ROWS[-1]}"

    @property
    def volumes_span(self) -> str:
        """:attr:`names_span` one column to the right: each name's volume."""
        first, last = self.volume_column(0), self.volume_column(self.stages - 1)
        return f"${first}${FUNNEL_ROWS[0]}:${last}${FUNNEL_ROWS[-1]}"

    @property
    def rollup_rows(self) -> tuple[int, ...]:
        return tuple(ROLLUP_HEADER + 1 + j for j in range(self.company_stages))

    @property
    def customers_row(self) -> int:
        return ROLLUP_HEADER + self.company_stages + 2

    @property
    def budget_row(self) -> int:
        return self.customers_row + 1

    @property
    def cac_row(self) -> int:
        return self.customers_row + 2

    @property
    def seasonality_header(self) -> int:
        return self.cac_row + 2

    @property
    def seasonality_rows(self) -> tuple[int, ...]:
        """A row per segment row, in the segments table's order."""
        return tuple(self.seasonality_header + 1 + i for i in range(MAX_SEGMENTS))

    @property
    def seasonality_note_row(self) -> int:
        return self.seasonality_rows[-1] + 1

    @property
    def company_quarters_header(self) -> int:
        return self.seasonality_note_row + 2

    @property
    def company_quarter_rows(self) -> tuple[int, ...]:
        """A row per company stage, as the roll-up's."""
        first = self.company_quarters_header + 1
        return tuple(first + j for j in range(self.company_stages))

    @property
    def segment_quarters_header(self) -> int:
        return self.company_quarter_rows[-1] + 2

    def segment_quarter_row(self, i: int, k: int) -> int:
        """Segment ``i``'s stage ``k`` (0: the top stage) by quarter: a segment's stages
        top first on consecutive rows, so a stage's row is right above the one it needs."""
        return self.segment_quarters_header + 1 + i * self.stages + k

    @property
    def segment_quarter_span(self) -> tuple[int, int]:
        """The first and last row of the segments' quarters."""
        last = self.segment_quarter_row(MAX_SEGMENTS - 1, self.stages - 1)
        return self.segment_quarter_row(0, 0), last

    @property
    def note_row(self) -> int:
        return self.segment_quarter_span[1] + 2


def goal_input_ref(name: str) -> str:
    """The cell of a goal input, by its defined name."""
    names = [n for n, *_ in GOAL_INPUTS]
    return f"B{FIRST_INPUT_ROW + names.index(name)}"


def goal_result_ref(name: str) -> str:
    """The cell of a bridge result, by its defined name."""
    names = [n for n, *_ in GOAL_RESULTS]
    return f"B{FIRST_RESULT_ROW + names.index(name)}"
