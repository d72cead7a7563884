"""The ``kpi-planner`` command: thin commands over :mod:`kpi_engine`."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

# Only the light modules load with the command line, so `kpi-planner --help` starts fast:
# pandas, the engine, openpyxl and rich's tables load inside the commands that use them.
from kpi_planner.cli import addin, build, fill, pipeline, plan_options  # noqa: F401  (they register commands)
from kpi_planner.cli.app import (
    OutputFormat,
    app,
    fail,
    money,
    numbers,
    print_error,
    reflow_help,
    show,
)
from kpi_planner.inputs.defaults import DEFAULT_PLAN_YEAR, FIRST_PLAN_YEAR, LAST_PLAN_YEAR
from kpi_planner.inputs.plan_fields import option_help

if TYPE_CHECKING:
    from kpi_engine import KPIInputError

#: The worked example: $10,000,000 of new revenue at $1,100,000 a customer.
EXAMPLE_REVENUE_GOAL = 10_000_000.0
EXAMPLE_DEAL_SIZE = 1_100_000.0


class Period(StrEnum):
    annual = "annual"
    quarterly = "quarterly"
    monthly = "monthly"


_PERIODS = {Period.annual: 1, Period.quarterly: 4, Period.monthly: 12}


def _version(show: bool) -> None:
    if show:
        from importlib.metadata import version

        typer.echo(f"kpi-planner {version('kpi-planner')}")
        raise typer.Exit()


@app.callback()
def main_options(
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Turn a revenue goal into a marketing plan: the funnel volumes, cost targets and KPIs."""


@app.command()
def plan(
    revenue_goal: plan_options.RevenueGoal = None,
    deal_size: plan_options.DealSize = None,
    customers: Annotated[
        float | None,
        typer.Option(help="Customers to win in the year (instead of revenue and deal size)."),
    ] = None,
    rates: plan_options.Rates = None,
    stages: plan_options.Stages = None,
    period: Annotated[
        Period, typer.Option(help="Show the year, its quarters or its months.")
    ] = Period.annual,
    weights: Annotated[
        str | None,
        typer.Option(help="Seasonality: one weight per quarter or month, comma-separated."),
    ] = None,
    whole_numbers: Annotated[
        bool,
        typer.Option(
            "--whole-numbers/--exact",
            help="Round up to whole numbers stage by stage from the bottom (the default, "
            "as in the plan workbook), or keep the exact fractional volumes.",
        ),
    ] = True,
    budget: plan_options.Budget = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="A table to read, or CSV / JSON for scripts.")
    ] = OutputFormat.table,
    example: Annotated[
        bool,
        typer.Option(
            "--example",
            help="Use the worked example ($10,000,000 of new revenue at $1,100,000 a "
            "customer) for the goal.",
        ),
    ] = False,
    lags: plan_options.Lags = None,
    sales_cycle: Annotated[
        float | None,
        typer.Option(
            help="Days from the top stage to a closed deal, when the steps' own lags are "
            "not known: spread evenly over the steps. Shows the timeline, as --lags.",
        ),
    ] = None,
    growth: plan_options.Growth = None,
    plan_year: Annotated[
        int,
        typer.Option(
            help=option_help("plan_year", "Labels the timeline's periods."),
            min=FIRST_PLAN_YEAR,
            max=LAST_PLAN_YEAR,
        ),
    ] = DEFAULT_PLAN_YEAR,
    channels: plan_options.Channels = None,
    entry: plan_options.Entry = None,
    optimise: plan_options.Optimise = False,
    whatif: plan_options.WhatIf = False,
    step: plan_options.Step = "10%",
    scenario: plan_options.Scenario = None,
) -> None:
    """Print the reverse funnel: what each stage must reach to hit the goal.

    [bold]Examples[/bold]

      kpi-planner plan --example --period monthly

      kpi-planner plan --revenue-goal 5000000 --deal-size 25000 --rates "2%,25%,30%,40%,25%"

      kpi-planner plan --customers 120 --rates 0.02,0.3,0.25 --stages Visits,Leads,SQL,Won

      kpi-planner plan --example --period quarterly --weights 1,1,2,2 --format csv

      kpi-planner plan --example --lags 0,10,20,15,45 --growth 25%

      kpi-planner plan --example --budget 600000 --optimise --whatif \\
          --channels examples/channels.csv

      kpi-planner plan --example --budget 600000 --scenario examples/scenarios.csv
    """
    import kpi_engine
    from kpi_engine import KPIInputError
    from kpi_planner.cli import plan_printing as plan_output
    from kpi_planner.cli import timeline as cli_timeline

    revenue_goal, deal_size, budget = (
        money(revenue_goal, "--revenue-goal"),
        money(deal_size, "--deal-size"),
        money(budget, "--budget"),
    )
    if example and revenue_goal is None and customers is None:
        revenue_goal = EXAMPLE_REVENUE_GOAL
        deal_size = deal_size if deal_size is not None else EXAMPLE_DEAL_SIZE
    if customers is not None and revenue_goal is not None:
        raise fail("--customers: give either --customers or --revenue-goal with --deal-size, "
                   "not both")  # fmt: skip
    if customers is None and (revenue_goal is None or deal_size is None):
        raise fail("--revenue-goal: give --revenue-goal and --deal-size, or --customers, "
                   "or --example")  # fmt: skip
    stage_names = None if stages is None else [s.strip() for s in stages.split(",")]
    funnel = "the funnel " + ", ".join(stage_names or kpi_engine.DEFAULT_STAGES)
    rate_values = (
        list(kpi_engine.SEED_RATES)
        if rates is None
        else numbers(
            rates,
            "--rates",
            fractions=True,
            expected=len(stage_names or kpi_engine.DEFAULT_STAGES) - 1,
            what=f"{funnel} (one rate between each pair of stages)",
        )
    )
    timed = lags is not None or sales_cycle is not None
    if timed and period is Period.annual:
        period = Period.monthly  # a timeline by year would say nothing
    if growth is not None and not timed:
        raise fail("--growth: next year's goal is used by the timeline: give --lags or "
                   "--sales-cycle too")  # fmt: skip
    if weights is not None and period is Period.annual:
        raise fail("--weights: weights need --period quarterly or monthly")
    weight_values = (
        None
        if weights is None
        else numbers(
            weights, "--weights", expected=_PERIODS[period], what=f"--period {period.value}"
        )
    )
    goal = customers if customers is not None else revenue_goal
    goal_deal_size = None if customers is not None else deal_size
    options = {"goal": "--customers" if customers is not None else "--revenue-goal",
               "spend": "--budget", "growth": "--growth"}  # fmt: skip
    # The steps' lags are --lags' items, or the even shares of --sales-cycle.
    options["lag_days"] = "--sales-cycle" if sales_cycle is not None else "--lags"
    try:
        annual = kpi_engine.reverse_funnel(
            goal,
            rate_values,
            deal_size=goal_deal_size,
            whole_numbers=whole_numbers,
            stages=stage_names,
        )
        # Columns by stage, as plain dicts: the yearly plan needs no pandas (start-up).
        table: dict[str, dict[str, float]] = {"Year": dict(annual)}
        timeline_note = None
        if timed:
            days = cli_timeline.lag_days(lags, sales_cycle, list(annual))
            phased, timeline_note = cli_timeline.timeline_table(
                goal, rate_values, goal_deal_size, days, cli_timeline.growth_fraction(growth),
                _PERIODS[period], weight_values, whole_numbers, stage_names, plan_year,
            )  # fmt: skip
            table |= {str(column): values for column, values in phased.to_dict().items()}
        elif period is not Period.annual:
            phased = kpi_engine.phase_funnel(
                goal,
                rate_values,
                deal_size=goal_deal_size,
                periods=_PERIODS[period],
                weights=weight_values,
                whole_numbers=whole_numbers,
                stages=stage_names,
            )
            table |= {str(column): values for column, values in phased.to_dict().items()}
        if budget is not None and not annual[next(reversed(annual))]:
            raise fail(
                f"--budget {show(budget)}: a goal of 0 needs no customers, so no "
                "stage has a cost per unit; give a goal above 0, or leave out --budget"
            )
        if budget is not None:
            table["Cost target"] = kpi_engine.cost_per_stage(budget, annual)
    except KPIInputError as err:
        raise fail(plan_output.in_option_words(err, options)) from None
    if customers is not None:
        caption = f"Goal: {show(customers)} customers a year"
    else:
        caption = (
            f"Goal: {show(revenue_goal)} of revenue / {show(deal_size)} a deal"
            f" = {show(kpi_engine.customers_needed(revenue_goal, deal_size))} customers a year"
        )
    if whole_numbers:
        caption += f", planned as {show(list(annual.values())[-1])} in whole numbers"
    if timeline_note:
        caption += f"\n{timeline_note}"
    plan_output.print_results(
        plan_output.Results(table, rate_values, caption, goal, goal_deal_size, whole_numbers,
                            budget),
        output, channels=channels, entry=entry, optimise=optimise, whatif=whatif, step=step,
        scenario=scenario,
    )  # fmt: skip


def _fail(err: KPIInputError) -> typer.Exit:
    return fail(err)


@app.command()
def templates(
    folder: Annotated[
        Path, typer.Option("--out", help="Folder of the templates.", file_okay=False)
    ] = Path("workbooks"),
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 if a template differs from the code."),
    ] = False,
) -> None:
    """Regenerate the template workbooks from code (byte-identical on every run).

    [bold]Examples[/bold]

      kpi-planner templates

      kpi-planner templates --check
    """
    from kpi_planner.workbook import templates as workbook_templates

    if check:
        stale = workbook_templates.stale_templates(folder)
        for name in stale:
            typer.echo(f"{folder / name} differs from the code: run 'kpi-planner templates'")
        raise typer.Exit(1 if stale else 0)
    for path in workbook_templates.write_templates(folder):
        typer.echo(f"wrote {path}")


#: The order `kpi-planner --help` lists the commands in: a plan first, then its workbook,
#: many workbooks, tracking, and the maintenance commands.
COMMAND_ORDER = ("plan", "build", "fill", "report", "pipeline", "templates")
app.registered_commands.sort(
    key=lambda command: COMMAND_ORDER.index(command.name or command.callback.__name__)
)
reflow_help(app)


def main() -> None:
    """Entry point of the ``kpi-planner`` console script.

    A file the system refuses (permissions, a full disk) ends in one line, not a traceback.
    """
    try:
        app(standalone_mode=True)
    except OSError as err:
        where = f" {err.filename}" if err.filename else ""
        print_error(f"{where.strip() or 'a file'}: {err.strerror or err}")
        sys.exit(2)
