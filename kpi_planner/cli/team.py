"""``kpi-planner plan --team ROLES``: who carries the plan. The plan's monthly volumes
(its seasonality and fiscal months) against each role's capacity: heads needed, the hiring
plan, the bottleneck and the people + programs budget (:mod:`kpi_planner.capacity`)."""

from __future__ import annotations

from pathlib import Path

from kpi_planner.cli.app import OutputFormat, fail


def plan_team(path: Path, funnel, timing, table, caption, rates, output: OutputFormat,
              budget: float | None, currency: str, others: tuple) -> None:  # fmt: skip
    """Print the plan (as a table) and its team, or the team alone (CSV, JSON)."""
    import kpi_engine
    from kpi_planner.capacity.team import team_plan
    from kpi_planner.cli import plan_printing
    from kpi_planner.cli.team_printing import print_team

    if any(other is not None for other in others):
        raise fail("--team: plan the team, or --channels / --scenario, one at a time")
    stages = list(table["Year"])
    roles = read_roles(path, stages)
    weights = timing.weights
    if weights is not None and len(weights) == 4:  # a quarter's weight on each of its months
        weights = [w for w in weights for _ in range(3)]
    volumes = _monthly_volumes(funnel, timing, weights, stages)
    revenue = funnel.goal if funnel.deal_size is not None else 0.0  # --customers: no revenue
    team = team_plan(roles, stages, volumes, budget or 0.0, revenue)
    if output is OutputFormat.table:
        plan_printing.print_plan(table, output, rates, caption, currency)
    labels = tuple(kpi_engine.fiscal.quarter_labels(timing.plan_year, timing.fiscal_year_start))
    print_team(team, output, currency, labels)


def read_roles(path: Path, stages: list[str], segments=None) -> list:
    """The roles of ``--team path`` for a funnel of ``stages`` (and the ``segments``' own,
    by name), or exit 2 naming every bad cell by row and column."""
    from kpi_planner.inputs.tables import TableError
    from kpi_planner.inputs.team_table import TeamTableError, read_team

    try:
        return read_team(path, stages, segments)
    except (TeamTableError, TableError) as err:
        raise fail(f"--team {path.name}: {err}" if "\n" not in str(err) else
                   f"--team {path.name}:\n{err}") from None  # fmt: skip


def capacity_sheet_values(path: Path | None, inputs, out: Path):
    """``build``'s Capacity sheet for ``--team path``: the roles and kpi-planner's hiring
    plan for the plan of ``inputs`` (None without the option)."""
    if path is None:
        return None
    from kpi_planner.capacity.team import plan_team_of
    from kpi_planner.cli.app import check_not_an_input
    from kpi_planner.workbook.sheets.capacity import CapacitySheetInputs

    check_not_an_input("--out", out, path)
    roles = read_roles(path, list(inputs.stages))
    for role in roles:  # the sheet finds a stage with MATCH, which reads * ? ~ as patterns
        if any(c in role.stage for c in "*?~"):
            raise fail(f"--team {path.name}: role {role.name!r} works {role.stage!r}, which "
                       "Excel's MATCH reads as a pattern (* ? ~): rename the stage without "
                       "them for the Capacity sheet")  # fmt: skip
    team = plan_team_of(roles, inputs)
    return CapacitySheetInputs(roles, [p.hiring.starts for p in team.roles])


def _monthly_volumes(funnel, timing, weights, stages: list[str]) -> list[list[float]]:
    """Each stage's volume in each month of the plan year: in the month it must arrive when
    the plan has lags (the timeline's plan-year months; the lead-in before the year is
    the year before's work), else as the plan phases it."""
    import kpi_engine
    from kpi_planner.cli import timeline as cli_timeline

    if timing.timed:
        days = cli_timeline.lag_days(timing.lags, timing.sales_cycle, stages)
        frame = kpi_engine.timeline(
            funnel.goal, funnel.rates, deal_size=funnel.deal_size, lag_days=days,
            growth=cli_timeline.growth_fraction(timing.growth), periods=12, weights=weights,
            whole_numbers=funnel.whole_numbers, stages=funnel.stages,
        )  # fmt: skip
        return [[float(v) for v in frame.loc[stage].tolist()[-12:]] for stage in stages]
    monthly = kpi_engine.phase_funnel(
        funnel.goal, funnel.rates, deal_size=funnel.deal_size, periods=12, weights=weights,
        whole_numbers=funnel.whole_numbers, stages=funnel.stages,
        first_month=timing.fiscal_year_start,
    )  # fmt: skip
    return [[float(monthly[column][stage]) for column in monthly.columns] for stage in stages]
