"""What a company's plan is made of: its segments, each a plan of its own
(:class:`~kpi_planner.plan.one_plan.PlanInputs`, what it leaves empty taken from the company
plan), and the revenue that does not go through the new-logo funnel.

Kept free of I/O: :mod:`kpi_planner.company.table` reads a segments table into these.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from kpi_planner.plan.one_plan import PlanInputs

#: The kinds of segment a plan names (a label: the math is the same for each).
SEGMENT_KINDS = ("region", "product", "size", "source", "team", "other")
#: The most segments a workbook's Company sheet holds.
MAX_SEGMENTS = 8


@dataclass(frozen=True)
class Segment:
    """One funnel of the company: its name, kind, and its plan.

    ``share`` is its share of the company's new-logo goal (a fraction); None when the
    segment's plan carries its own ``revenue_goal``.
    """

    name: str
    plan: PlanInputs
    kind: str | None = None
    share: float | None = None


@dataclass(frozen=True)
class Retention:
    """The revenue existing customers bring, which the new-logo funnel does not plan.

    Either an ARR bridge (``starting_arr`` with ``net_retention``, ``gross_retention`` and
    ``target_arr``: new logos bring ``target - start x NRR``) or an ``expansion_goal`` taken
    out of the company's revenue goal; none of them: the goal is all new logos.
    """

    starting_arr: float | None = None
    net_retention: float | None = None
    gross_retention: float | None = None
    target_arr: float | None = None
    expansion_goal: float | None = None

    @property
    def has_bridge(self) -> bool:
        return self.target_arr is not None

    def replace(self, **changes: object) -> Retention:
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class CompanyInputs:
    """The company plan (``company``: what every segment leaves empty), its segments, the
    company's revenue goal and the retention that sets the new-logo goal.

    ``goal`` is the year's revenue goal, new logos and expansion (None: the segments' own
    goals added up, and no shares); with an ARR bridge, the bridge's target sets the
    new-logo goal instead.
    """

    company: PlanInputs
    segments: tuple[Segment, ...]
    goal: float | None = None
    retention: Retention = Retention()
