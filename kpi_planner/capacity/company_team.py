"""Who carries a company's plan: each segment's own roles against its funnel, and roles the
whole company shares (a role with no segment) against the segments' volumes added up.

The roll-up adds each role's heads, hires and cost across the segments (a role is one
name, as an ``AE`` in EMEA and in North America), and puts people and programs in one
budget; the revenue the current teams reach is each segment's goal times the smallest
share any role carries of it (its own roles', or a shared role's).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from kpi_planner.capacity.team import RolePlan, TeamPlan, plan_year_months, team_plan
from kpi_planner.inputs.team_table import Role


@dataclass(frozen=True)
class CompanyTeam:
    """Each segment's team plan (by segment name), the shared roles' plan, and the
    company's customers, new revenue and programs budget."""

    segments: dict[str, TeamPlan]
    shared: TeamPlan
    customers: float
    new_revenue: float
    programs: float
    stages: dict[str, tuple[str, ...]]  # each segment's stages

    @property
    def roles(self) -> list[tuple[str | None, RolePlan]]:
        """Every role's plan with its segment (None: shared), segments first."""
        own = [(name, r) for name, team in self.segments.items() for r in team.roles]
        return own + [(None, r) for r in self.shared.roles]

    def rolled_up(self) -> dict[str, dict[str, list[float]]]:
        """Each role name's months added up across the segments: ``needed``, ``starts``,
        ``opened``, ``shortfall`` and ``payroll``."""
        fields = {"needed": lambda p: p.needed, "starts": lambda p: p.hiring.starts,
                  "opened": lambda p: p.hiring.opened, "shortfall": lambda p: p.hiring.shortfall,
                  "payroll": lambda p: p.payroll}  # fmt: skip
        totals: dict[str, dict[str, list[float]]] = {}
        for _, plan in self.roles:
            role = totals.setdefault(plan.role.name, {f: [0.0] * 12 for f in fields})
            for field, values in fields.items():
                role[field] = [a + b for a, b in zip(role[field], values(plan), strict=True)]
        return totals

    @property
    def bottleneck(self) -> tuple[str | None, RolePlan] | None:
        """The role (with its segment) that carries the smallest share of its stage; None
        when every one carries all of it."""
        short = [(name, r) for name, r in self.roles if r.carries < 1 - 1e-12]
        return min(short, key=lambda pair: pair[1].carries) if short else None

    @property
    def people_cost(self) -> float:
        return math.fsum(plan.people_cost for _, plan in self.roles)

    @property
    def total(self) -> float:
        return self.people_cost + self.programs

    @property
    def reachable_revenue(self) -> float:
        """Each segment's goal times the smallest share a role carries of it: its own
        roles', and the shared roles' that work a stage the segment has."""
        reach = []
        for name, team in self.segments.items():
            shares = [r.carries for r in team.roles]
            shares += [r.carries for r in self.shared.roles if r.role.stage in self.stages[name]]
            reach.append(team.new_revenue * min(shares, default=1.0))
        return math.fsum(reach)


def company_team(roles: Sequence[Role], plan) -> CompanyTeam:
    """The team plan of ``roles`` for a :class:`kpi_planner.company.plan.CompanyPlan`."""
    segments = {}
    stages = list(plan.stages)
    months = [[0.0] * 12 for _ in stages]  # the segments' plan-year months added, by stage
    for segment in plan.segments:
        own = [r for r in roles if r.segment == segment.segment.name]
        volumes = plan_year_months(segment.outputs)
        segments[segment.segment.name] = team_plan(own, segment.stages, volumes, segment.budget,
                                                   segment.goal)  # fmt: skip
        for stage, row in zip(segment.stages, volumes, strict=True):
            k = stages.index(stage)
            months[k] = [a + b for a, b in zip(months[k], row, strict=True)]
    shared = [r for r in roles if r.segment is None]
    # The shared roles' programs are the company's, counted once in the company's budget.
    team = team_plan(shared, stages, months, 0.0, plan.new_logo_goal)
    own_stages = {s.segment.name: tuple(s.stages) for s in plan.segments}
    return CompanyTeam(segments, team, plan.customers, plan.new_logo_goal, plan.budget,
                       own_stages)  # fmt: skip
