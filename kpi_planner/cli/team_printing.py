"""What ``kpi-planner plan --team`` prints: computed values in, text out."""

from __future__ import annotations

import csv
import io
import math

from rich.console import Console
from rich.table import Table

from kpi_planner.capacity.team import RolePlan, TeamPlan
from kpi_planner.cli.app import OutputFormat
from kpi_planner.files.csv_text import defuse
from kpi_planner.files.json_text import json_text
from kpi_planner.reports.numbers import show, show_money
from kpi_planner.reports.text_tables import readable

QUARTERS = ("Q1", "Q2", "Q3", "Q4")


def _by_quarter(values, how=sum) -> list[float]:
    return [how(values[3 * q : 3 * q + 3]) for q in range(4)]


def print_team(team: TeamPlan, output: OutputFormat, currency: str = "",
               quarters: tuple[str, ...] = QUARTERS) -> None:  # fmt: skip
    """The team's plan: a table per role and the budget (table); or the record (JSON), or a
    row per role and month (CSV)."""
    if output is OutputFormat.json:
        print(json_text(team_record(team)), end="")
        return
    if output is OutputFormat.csv:
        print(_csv(team), end="")
        return
    console = Console(highlight=False)
    for plan in team.roles:
        console.print(readable(_role_table(plan, quarters), decimals="rows"))
    console.print(_summary(team, currency), markup=False)


def _role_table(plan: RolePlan, quarters: tuple[str, ...], segment: str = "") -> Table:
    role = plan.role
    handled = [min(c, v) for c, v in zip(plan.current_capacity, plan.volumes, strict=True)]
    rows = [
        (f"{role.stage} to handle", _by_quarter(plan.volumes), math.fsum(plan.volumes)),
        ("Heads needed (most in a month)", _by_quarter(plan.needed, max), max(plan.needed)),
        ("Current team handles", _by_quarter(handled), math.fsum(_by_quarter(handled))),
        ("Hires starting", _by_quarter(plan.hiring.starts), sum(plan.hiring.starts)),
        ("Hires to open", _by_quarter(plan.hiring.opened), sum(plan.hiring.opened)),
        ("Short even with hires", _by_quarter(plan.hiring.shortfall),
         math.fsum(plan.hiring.shortfall)),
    ]  # fmt: skip
    title = (f"{segment}{role.name}: {show(role.capacity)} {role.stage} a ramped person a "
             f"month; {show(role.current)} now")  # fmt: skip
    return _quarters_table(title, quarters, rows)


def _quarters_table(title: str, quarters: tuple[str, ...], rows: list[tuple]) -> Table:
    """A table of ``rows`` (label, a value a quarter, the year's), to two decimals at most."""
    table = Table(title=title, title_justify="left")
    table.add_column("")
    for label in (*quarters, "Year"):
        table.add_column(label, justify="right")
    for label, values, year in rows:
        table.add_row(label, *(show(round(v, 2)) for v in values), show(round(year, 2)))
    return table


def _summary(team: TeamPlan, currency: str) -> str:
    worst = team.bottleneck
    where = "" if worst is None else f"{worst.role.name} ({worst.role.stage})"
    return _carry_line(worst, where, team, currency) + "\n" + _budget_line(team, currency)


def _carry_line(worst: RolePlan | None, where: str, team, currency: str) -> str:
    """The bottleneck ``worst`` (at ``where``) and the revenue the current team reaches;
    ``team`` a :class:`TeamPlan` or a company's team."""
    if worst is None:
        one_team = isinstance(team, TeamPlan)  # a company has a team a segment
        return ("The current team carries the whole plan." if one_team else
                "The current teams carry the whole plan.")  # fmt: skip
    line = f"Bottleneck: {where}: the current team carries {worst.carries:.0%} of it without hires"
    if not team.new_revenue:
        return line + "."
    return (f"{line}, so about {_money(team.reachable_revenue, currency)} of "
            f"{_money(team.new_revenue, currency)}.")  # fmt: skip


def _budget_line(team, currency: str) -> str:
    """People + programs = the budget, the fully loaded CAC and its share of new revenue."""
    cac = _money(team.total / team.customers, currency) if team.customers else "-"
    share = f"; {team.total / team.new_revenue:.0%} of the new revenue" if team.new_revenue else ""
    return (f"Budget: people {_money(team.people_cost, currency)} + programs "
            f"{_money(team.programs, currency)} = {_money(team.total, currency)}; fully "
            f"loaded CAC {cac} ({show(team.customers)} customers){share}.")  # fmt: skip


def _money(value: float, currency: str) -> str:
    return show_money(round(value), currency)


def _budget_record(team) -> dict[str, float | None]:
    return {"people": team.people_cost, "programs": team.programs, "total": team.total,
            "fully_loaded_cac": team.total / team.customers if team.customers else None,
            "share_of_new_revenue": team.total / team.new_revenue
            if team.new_revenue else None}  # fmt: skip


def team_record(team: TeamPlan) -> dict[str, object]:
    """The team's plan as JSON-ready data."""
    worst = team.bottleneck
    return {
        "roles": [{"role": p.role.name, "stage": p.role.stage, "capacity": p.role.capacity,
                   "current": p.role.current, "volumes": p.volumes, "needed": p.needed,
                   "current_capacity": p.current_capacity, "starts": p.hiring.starts,
                   "opened": p.hiring.opened, "shortfall": p.hiring.shortfall,
                   "payroll": p.payroll, "carries": p.carries, "people_cost": p.people_cost}
                  for p in team.roles],
        "bottleneck": None if worst is None else worst.role.name,
        "reachable_revenue": team.reachable_revenue,
        "budget": _budget_record(team),
    }  # fmt: skip


CSV_HEADER = ["role", "month", "volume", "needed", "current_capacity", "starts", "opened",
              "shortfall", "payroll"]  # fmt: skip


def _csv_rows(p: RolePlan) -> list[list[object]]:
    """A role's 12 months as CSV rows (under :data:`CSV_HEADER`)."""
    return [[defuse(p.role.name), m + 1, p.volumes[m], p.needed[m],
             round(p.current_capacity[m], 6), p.hiring.starts[m], p.hiring.opened[m],
             p.hiring.shortfall[m], round(p.payroll[m], 6)] for m in range(12)]  # fmt: skip


def _csv(team: TeamPlan) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for p in team.roles:
        writer.writerows(_csv_rows(p))
    return out.getvalue()


def print_company_team(team, output: OutputFormat, currency: str = "",
                       quarters: tuple[str, ...] = QUARTERS) -> None:  # fmt: skip
    """A company's team (a :class:`kpi_planner.capacity.company_team.CompanyTeam`): each
    role's table by segment, the roles rolled up, and the budget (table); the record
    (JSON); or a row per role and month with its segment (CSV)."""
    if output is OutputFormat.json:
        print(json_text(company_team_record(team)), end="")
        return
    if output is OutputFormat.csv:
        print(_company_csv(team), end="")
        return
    console = Console(highlight=False)
    for segment, plan in team.roles:
        console.print(
            readable(
                _role_table(plan, quarters, f"{segment or 'Company-wide'} / "), decimals="rows"
            )
        )
    console.print(readable(_rolled_up_table(team, quarters), decimals="rows"))
    console.print(_company_summary(team, currency), markup=False)


def _rolled_up_table(team, quarters: tuple[str, ...]) -> Table:
    rows = []
    for name, months in team.rolled_up().items():
        rows += [(f"{name}: heads needed (most in a month)", _by_quarter(months["needed"], max),
                  max(months["needed"])),
                 (f"{name}: hires starting", _by_quarter(months["starts"]), sum(months["starts"])),
                 (f"{name}: short even with hires", _by_quarter(months["shortfall"]),
                  math.fsum(months["shortfall"]))]  # fmt: skip
    return _quarters_table("The company's team, every segment added up", quarters, rows)


def _company_summary(team, currency: str) -> str:
    segment, worst = team.bottleneck or (None, None)
    where = (
        ""
        if worst is None
        else (f"{worst.role.name} ({segment or 'company-wide'}, {worst.role.stage})")
    )
    return _carry_line(worst, where, team, currency) + "\n" + _budget_line(team, currency)


def company_team_record(team) -> dict[str, object]:
    """A company's team as JSON-ready data: each segment's and the shared roles' records
    (as :func:`team_record`), the roll-up by role and the company's budget."""
    worst = team.bottleneck
    return {
        "segments": {name: team_record(plan) for name, plan in team.segments.items()},
        # The shared roles' people alone: the company's budget is below.
        "company_wide": {k: v for k, v in team_record(team.shared).items() if k != "budget"},
        "rolled_up": team.rolled_up(),
        "bottleneck": None if worst is None else {"segment": worst[0],
                                                  "role": worst[1].role.name},
        "reachable_revenue": team.reachable_revenue,
        "budget": _budget_record(team),
    }  # fmt: skip


def _company_csv(team) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["segment", *CSV_HEADER])
    for segment, plan in team.roles:
        writer.writerows([defuse(segment or ""), *row] for row in _csv_rows(plan))
    return out.getvalue()
