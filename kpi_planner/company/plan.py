"""A company's plan computed: the new-logo goal (after expansion, or from the ARR bridge),
each segment's goal and plan, and the segments rolled up by stage name.

Each segment is one plan (:func:`kpi_planner.plan.one_plan.plan_outputs`, the one plan
computation); the roll-up adds their volumes with :func:`kpi_engine.roll_up`. A company of
one segment with no shares and no retention is exactly that segment's plan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from kpi_engine import ARRBridge, KPIInputError, Problem, arr_bridge, new_logo_goal, roll_up
from kpi_engine.company import SHARE_TOLERANCE
from kpi_planner.company.inputs import CompanyInputs, Retention, Segment
from kpi_planner.plan.channels import DEFAULT_CHANNELS
from kpi_planner.plan.one_plan import PlanOutputs, plan_outputs


@dataclass(frozen=True)
class SegmentPlan:
    """One segment's goal and plan."""

    segment: Segment
    goal: float
    outputs: PlanOutputs

    @property
    def stages(self) -> tuple[str, ...]:
        return tuple(self.segment.plan.stages)

    @property
    def customers(self) -> float:
        """The customers the plan wins (whole when the plan rounds up): its last stage's."""
        return float(self.outputs.required_annual[-1])

    @property
    def budget(self) -> float:
        return float(self.segment.plan.marketing_budget)

    @property
    def budget_needed(self) -> float | None:
        """The budget the goal needs with the segment's own channels (their volumes at the
        entry stage times their costs); None while it has the built-in example channels."""
        if self.segment.plan.channels == DEFAULT_CHANNELS:
            return None
        return float(self.outputs.channels["BudgetNeeded"])


@dataclass(frozen=True)
class CompanyPlan:
    """Every segment's plan and the company's: the goal's bridge and the roll-up."""

    revenue_goal: float  # the year's goal, new logos and expansion
    expansion: float  # what existing customers bring, net of churn and contraction
    new_logo_goal: float
    bridge: ARRBridge | None
    segments: tuple[SegmentPlan, ...]
    stages: tuple[str, ...]  # the company's stages, top first
    annual: dict[str, float]
    quarterly: dict[str, np.ndarray]  # 4 values a stage
    monthly: dict[str, np.ndarray]  # 12 values a stage
    #: Each stage not every segment has -> the segments without it.
    missing: dict[str, tuple[str, ...]]
    customers: float
    budget: float

    @property
    def budget_needed(self) -> float | None:
        """The budget the segments' channels need, added up; None unless every segment has
        channels of its own (an example channel's cost is no segment's)."""
        needed = [segment.budget_needed for segment in self.segments]
        return None if None in needed else math.fsum(needed)

    @property
    def cac(self) -> float:
        """The company's planned CAC: all the segments' budget over all their customers."""
        return self.budget / self.customers if self.customers else math.nan

    def cost_per_stage(self) -> dict[str, float]:
        """Each stage's cost: the budget of the segments that have it over its volume."""
        costs = {}
        for stage in self.stages:
            spend = sum(s.budget for s in self.segments if stage in s.stages)
            volume = self.annual[stage]
            costs[stage] = spend / volume if volume else math.nan
        return costs


def company_plan(inputs: CompanyInputs) -> CompanyPlan:
    """Plan every segment and roll them up.

    Raises :class:`~kpi_engine.KPIInputError` naming each problem by its segment: shares
    that do not add up, a segment with neither a goal nor a share, a stage typed two ways,
    and every bad input of a segment's plan.
    """
    if not inputs.segments:
        raise KPIInputError([Problem("segments", [], "is empty: give at least one segment")])
    _check_one_calendar(inputs)
    bridge, new_logos, expansion = _goals(inputs)
    goals = segment_goals(inputs.segments, new_logos)
    plans, problems = [], []
    for segment, segment_goal in zip(inputs.segments, goals, strict=True):
        try:
            outputs = plan_outputs(segment.plan.replace(revenue_goal=segment_goal))
        except KPIInputError as err:
            problems += [_of_segment(p, segment.name) for p in err.problems]
            continue
        plans.append(SegmentPlan(segment, segment_goal, outputs))
    if problems:
        raise KPIInputError(problems)
    return _rolled_up(tuple(plans), new_logos, expansion, bridge)


#: What a company has one of: every segment plans the same year, on the same calendar.
ONE_PER_COMPANY = ("plan_year", "fiscal_year_start", "fiscal_year_named_by", "currency")


def _check_one_calendar(inputs: CompanyInputs) -> None:
    """Every segment plans the company's year, on its fiscal calendar, in its currency."""
    problems = []
    for field in ONE_PER_COMPANY:
        company = getattr(inputs.company, field)
        for segment in inputs.segments:
            if getattr(segment.plan, field) != company:
                rule = (f"is not the company's ({company or 'none'}): a company plans one "
                        "year, on one calendar, in one currency; leave the segment's cell "
                        "empty")  # fmt: skip
                problems.append(Problem(f"segment {segment.name!r}: {field}",
                                        getattr(segment.plan, field), rule))  # fmt: skip
    if problems:
        raise KPIInputError(problems)


def _of_segment(problem: Problem, name: str) -> Problem:
    return Problem(f"segment {name!r}: {problem.argument}", problem.value, problem.rule,
                   problem.row, problem.undefined)  # fmt: skip


def _goals(inputs: CompanyInputs) -> tuple[ARRBridge | None, float | None, float]:
    """The bridge, the new-logo goal (None: the segments' own, added) and the expansion."""
    retention: Retention = inputs.retention
    if retention.has_bridge:
        bridge = arr_bridge(
            _given(retention.starting_arr, "starting_arr"),
            net_retention=_given(retention.net_retention, "net_retention"),
            gross_retention=_given(retention.gross_retention, "gross_retention"),
            target_arr=retention.target_arr,
        )
        return bridge, bridge.new_logo_arr, bridge.expansion
    if inputs.goal is None:
        if retention.expansion_goal is not None:
            rule = "needs the company's revenue goal to be taken out of"
            raise KPIInputError([Problem("expansion_goal", retention.expansion_goal, rule)])
        return None, None, 0.0
    expansion = retention.expansion_goal or 0.0
    return None, new_logo_goal(inputs.goal, expansion), expansion


def _given(value: float | None, argument: str) -> float:
    if value is None:
        rule = "is needed with a target ARR: the bridge takes the starting ARR, NRR and GRR"
        raise KPIInputError([Problem(argument, None, rule)])
    return value


def segment_goals(segments: tuple[Segment, ...], new_logos: float | None) -> list[float]:
    """Each segment's goal: its share of the new-logo goal, or its own.

    With a company goal, the own goals and the shares' goals must add up to it; without
    one, no segment may have a share (a share of nothing).
    """
    shared = [s for s in segments if s.share is not None]
    if new_logos is None:
        if shared:
            rule = "is a share of the company's goal, but no company goal is given"
            raise KPIInputError([Problem(f"share of segment {shared[0].name!r}",
                                         shared[0].share, rule)])  # fmt: skip
        return [float(s.plan.revenue_goal) for s in segments]
    goals = [new_logos * s.share if s.share is not None else float(s.plan.revenue_goal)
             for s in segments]  # fmt: skip
    added = math.fsum(goals)
    if abs(added - new_logos) > SHARE_TOLERANCE * max(new_logos, 1.0):
        shares = math.fsum(s.share for s in shared)
        rule = (f"add up to {added:,.2f} ({shares:.2%} of the goal in shares and "
                f"{added - new_logos * shares:,.2f} in the segments' own goals), not the "
                f"new-logo goal of {new_logos:,.2f}: the segments' shares and goals must add"
                " up to it")  # fmt: skip
        raise KPIInputError([Problem("segment goals", added, rule)])
    return goals


def _rolled_up(
    plans: tuple[SegmentPlan, ...],
    new_logos: float | None,
    expansion: float,
    bridge: ARRBridge | None,
) -> CompanyPlan:
    name = [plan.segment.name for plan in plans]

    def by_stage(attribute: str) -> dict[str, dict[str, object]]:
        return {n: dict(zip(p.stages, getattr(p.outputs, attribute), strict=True))
                for n, p in zip(name, plans, strict=True)}  # fmt: skip

    annual = roll_up(by_stage("required_annual"))
    quarterly = roll_up(by_stage("required_quarterly"))
    monthly = roll_up(by_stage("required_monthly"))
    new_logo_total = math.fsum(p.goal for p in plans) if new_logos is None else new_logos
    return CompanyPlan(
        revenue_goal=new_logo_total + expansion,
        expansion=expansion,
        new_logo_goal=new_logo_total,
        bridge=bridge,
        segments=plans,
        stages=annual.stages,
        annual={stage: float(v) for stage, v in annual.totals.items()},
        quarterly=quarterly.totals,
        monthly=monthly.totals,
        missing=annual.missing,
        customers=float(annual.customers),
        budget=math.fsum(p.budget for p in plans),
    )
