"""Where things sit on the "Actuals" and "Diagnosis" sheets, and what the team types in as
the year goes: data for :mod:`.layout` (Actuals), :mod:`.diagnosis` (Diagnosis) and
:mod:`.empty_values` (what they show before anything is typed in).
"""

from __future__ import annotations

from dataclasses import dataclass, field

ACTUALS = "Actuals"
DIAGNOSIS = "Diagnosis"
ON_PLAN = "on plan"
NO_ACTUALS = "no actuals yet"
#: Volumes typed in and added up: whole counts; a zero (nothing closed yet) shows "-".
COUNT = "#,##0;-#,##0;-"
#: Where Diagnosis says what to do until a month is closed.
HINT = "A4"
HINT_TEXT = ("No actuals yet: type each month's volumes and spend on the Actuals sheet, "
             "then set its Months with actuals.")  # fmt: skip
#: The playbook's two texts span these columns, so they read on one or two lines.
ACTION_COLUMNS, KPI_COLUMNS = ("B", "E"), ("F", "I")


@dataclass(frozen=True)
class TrackingInputs:
    """What the team types in as the year goes: actuals per month, and how to judge them."""

    months_closed: int = 0  # 0: nothing typed in yet
    actual_volumes: tuple[tuple[float, ...], ...] = ()  # stages x 12 months; () for none
    actual_spend: tuple[float, ...] = (0.0,) * 12
    tolerance: float = 0.1
    benchmarks: dict[str, float] = field(default_factory=dict)  # transition -> rate
    goals: tuple = ()  # GoalRow, one per goal
    goal_tolerance: float = 0.1
    as_of: object = None  # the day goals are judged on; None: today
    #: (entry volume, customers, spend) to date per channel row of the Channels sheet
    channel_actuals: tuple = ()


@dataclass(frozen=True)
class TrackingGrid:
    """Where things sit on the two sheets, for ``stages`` stages."""

    stages: int
    month_numbers_row: int = 6  # Actuals: 1..12 above the grid, for year-to-date sums
    first_actual_row: int = 7
    first_diagnosis_row: int = 6

    @property
    def spend_row(self) -> int:
        return self.first_actual_row + self.stages

    @property
    def last_diagnosis_row(self) -> int:
        return self.first_diagnosis_row + self.stages - 1

    @property
    def focus_row(self) -> int:
        return self.first_diagnosis_row + self.stages + 1

    @property
    def playbook_row(self) -> int:
        return self.focus_row + 6

    @property
    def monthly_header_row(self) -> int:
        """Attainment by month, below the playbook (traffic and one row per conversion)."""
        return self.playbook_row + self.stages + 2

    @property
    def quarterly_header_row(self) -> int:
        """Attainment by quarter, below the months' table."""
        return self.monthly_header_row + self.stages + 2

    @property
    def chart_row(self) -> int:
        """Diagnosis's chart, below the tables, over nothing."""
        return self.quarterly_header_row + self.stages + 2


def month_header(offset: int) -> str:
    """The header of the plan's month ``offset`` (0: its first), the Plan sheet's label:
    ``Apr`` first in a fiscal year from April, as the months' columns hold that year's."""
    return f"=INDEX(MonthLabels,1,{offset + 1})"


def quarter_header(offset: int) -> str:
    """The header of the plan's quarter ``offset`` (0: its first): ``Q1 FY2028``."""
    return f"=INDEX(QuarterLabels,1,{offset + 1})"
