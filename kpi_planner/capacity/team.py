"""Each role's capacity against the plan's monthly volumes: the heads needed, the current
team's capacity (ramped, worn by attrition), the hiring plan and its shortfall, and the
people's cost beside the programs' budget. The math is :mod:`kpi_engine.capacity`'s."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import kpi_engine
from kpi_planner.inputs.team_table import Role


@dataclass(frozen=True)
class RolePlan:
    """One role over the plan year's 12 months."""

    role: Role
    volumes: list[float]  # of its stage, a month
    needed: list[int]  # whole ramped people the volumes need
    current_capacity: list[float]  # what the current team handles (ramped, with attrition)
    hiring: kpi_engine.HiringPlan
    payroll: list[float]  # expected people paid each month (current and hires, attrition)

    @property
    def carries(self) -> float:
        """The share of the year's volume the current team alone can handle (at most 1)."""
        total = math.fsum(self.volumes)
        handled = math.fsum(min(c, v) for c, v in zip(self.current_capacity, self.volumes,
                                                       strict=True))  # fmt: skip
        return 1.0 if total == 0 else handled / total

    @property
    def people_cost(self) -> float:
        return math.fsum(self.payroll) * self.role.cost


@dataclass(frozen=True)
class TeamPlan:
    roles: list[RolePlan]
    programs: float  # the marketing budget
    customers: float
    new_revenue: float

    @property
    def people_cost(self) -> float:
        return math.fsum(r.people_cost for r in self.roles)

    @property
    def total(self) -> float:
        return self.people_cost + self.programs

    @property
    def bottleneck(self) -> RolePlan | None:
        """The role whose current team carries the smallest share of its stage (None when
        every one carries all of it)."""
        short = [r for r in self.roles if r.carries < 1 - 1e-12]
        return min(short, key=lambda r: r.carries) if short else None

    @property
    def reachable_revenue(self) -> float:
        """The new revenue the current team can carry: the goal x the bottleneck's share."""
        worst = self.bottleneck
        return self.new_revenue * (1.0 if worst is None else worst.carries)


def team_plan(
    roles: Sequence[Role], stages: Sequence[str], monthly: Sequence[Sequence[float]],
    programs: float, new_revenue: float,
) -> TeamPlan:  # fmt: skip
    """Each role's plan for the funnel's ``monthly`` volumes (stages x 12 months)."""
    plans = []
    for role in roles:
        volumes = [float(v) for v in monthly[list(stages).index(role.stage)]]
        current = kpi_engine.team_capacity(role.current, [0] * 12, role.capacity, role.ramp,
                                           role.attrition)  # fmt: skip
        hiring = kpi_engine.hiring_plan(volumes, role.current, role.capacity, role.ramp,
                                        role.hiring_lag, role.attrition)  # fmt: skip
        payroll = kpi_engine.team_capacity(role.current, hiring.starts, 1.0, [],
                                           role.attrition)  # people, not capacity  # fmt: skip
        plans.append(RolePlan(role, volumes, kpi_engine.headcount_needed(volumes, role.capacity),
                              current, hiring, payroll))  # fmt: skip
    customers = float(sum(monthly[-1]))
    return TeamPlan(plans, programs, customers, new_revenue)


def plan_team_of(roles: Sequence[Role], inputs) -> TeamPlan:
    """The team plan of ``roles`` for the plan of ``inputs`` (a
    :class:`kpi_planner.plan.one_plan.PlanInputs`): each stage in the month it must arrive
    (the timeline's plan-year months; without lags, the plan's months), the Plan's budget
    as the programs and its revenue goal as the new revenue."""
    from kpi_planner.plan.one_plan import plan_outputs

    return team_plan(roles, inputs.stages, plan_year_months(plan_outputs(inputs)),
                     float(inputs.marketing_budget), float(inputs.revenue_goal))  # fmt: skip


def plan_year_months(outputs) -> list[list[float]]:
    """Each stage's volume in each month of the plan year (stages x 12) of a plan's
    :class:`~kpi_planner.plan.one_plan.PlanOutputs`: its timeline's last 12 months, the
    month each volume must arrive (the plan's months when it has no lags)."""
    return [[float(v) for v in row[-12:]] for row in outputs.timeline_monthly]
