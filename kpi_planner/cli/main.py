"""The ``kpi-planner`` command: thin commands over :mod:`kpi_engine`."""

from __future__ import annotations

import math
import sys
import warnings
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

# Only the light modules load with the command line, so `kpi-planner --help` starts fast:
# pandas, the engine, openpyxl and rich's tables load inside the commands that use them.
from kpi_planner.cli import (  # noqa: F401  (they register commands)
    addin,
    build,
    fill,
    forecast,
    pipeline,
    plan_options,
    report,
    templates,
)
from kpi_planner.cli.app import (
    OutputFormat,
    app,
    currency_option,
    fail,
    money,
    numbers,
    print_error,
    read_fiscal_year,
    reflow_help,
    show,
)
from kpi_planner.inputs.defaults import DEFAULT_PLAN_YEAR, FIRST_PLAN_YEAR, LAST_PLAN_YEAR
from kpi_planner.inputs.plan_fields import option_help

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
    fiscal_year_start: plan_options.FiscalYearStart = None,
    fiscal_year_named_by: plan_options.FiscalYearNamedBy = None,
    channels: plan_options.Channels = None,
    entry: plan_options.Entry = None,
    optimise: plan_options.Optimise = False,
    whatif: plan_options.WhatIf = False,
    step: plan_options.Step = "10%",
    scenario: plan_options.Scenario = None,
    segments: plan_options.Segments = None,
    targets: plan_options.Targets = None,
    starting_arr: plan_options.StartingArr = None,
    net_retention: plan_options.NetRetention = None,
    gross_retention: plan_options.GrossRetention = None,
    target_arr: plan_options.TargetArr = None,
    expansion_goal: plan_options.ExpansionGoal = None,
    currency: plan_options.Currency = None,
    team: Annotated[
        Path | None,
        typer.Option(
            help="Roles table (.csv, .xlsx or .parquet): Role, Stage, Capacity a "
            "month, Ramp, Attrition, HiringLag, Cost, Current. Prints each role's "
            "heads, hiring plan, the bottleneck and people + programs budget. With "
            "--segments, a Segment column names each role's segment (empty: the "
            "whole company's).",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Print the reverse funnel: what each stage must reach to hit the goal.

    [bold]Examples[/bold]

      kpi-planner plan --example --period monthly

      kpi-planner plan --revenue-goal 5000000 --deal-size 25000 --rates "2%,25%,30%,40%,25%"

      kpi-planner plan --customers 120 --rates 0.02,0.3,0.25 --stages Visits,Leads,SQL,Won

      kpi-planner plan --example --period quarterly --weights 1,1,2,2 --format csv

      kpi-planner plan --example --lags 0,10,20,15,45 --growth 25%

      kpi-planner plan --example --period monthly --fiscal-year-start April --plan-year 2028

      kpi-planner plan --example --budget 600000 --optimise --whatif \\
          --channels examples/channels.csv

      kpi-planner plan --example --budget 600000 --scenario examples/scenarios.csv

      kpi-planner plan --segments examples/segments.csv --starting-arr 10000000 \\
          --net-retention 110% --gross-retention 90% --target-arr 15000000

      kpi-planner plan --example --budget 600000 --currency EUR
    """
    from kpi_planner.cli import company as company_cli
    from kpi_planner.cli import plan_printing as plan_output

    retention = company_cli.RetentionOptions(starting_arr, net_retention, gross_retention,
                                             target_arr, expansion_goal)  # fmt: skip
    code = currency_option(currency)
    if segments is not None:
        company_cli.refuse_with_segments(
            {"--customers": customers, "--weights": weights, "--lags": lags,
             "--sales-cycle": sales_cycle, "--growth": growth, "--channels": channels,
             "--entry": entry, "--optimise": optimise or None, "--whatif": whatif or None,
             "--scenario": scenario, "--targets": targets,
             "--step": None if step == "10%" else step}
        )  # fmt: skip
        goal = money(revenue_goal, "--revenue-goal")
        goal = EXAMPLE_REVENUE_GOAL if goal is None and example else goal
        company = company_cli.company_inputs(
            deal_size, stages, rates, budget, whole_numbers, plan_year, fiscal_year_start,
            fiscal_year_named_by, code,
        )  # fmt: skip
        return company_cli.plan_company(segments, company, goal, retention, output,
                                        period.value, team)  # fmt: skip
    if targets is not None:
        revenue_goal, period, weights = company_cli.ramp(targets, revenue_goal, weights, period)
    revenue_goal, deal_size, bridge = company_cli.goal_after_retention(
        revenue_goal, deal_size, example, retention
    )
    revenue_goal, deal_size = _read_goal(revenue_goal, deal_size, customers, example)
    budget_amount = money(budget, "--budget")
    stage_names = None if stages is None else [s.strip() for s in stages.split(",")]
    rate_values = _read_rates(rates, stage_names)
    period, weight_values = _read_period(period, weights, lags, sales_cycle, growth)
    goal = customers if customers is not None else revenue_goal
    goal_deal_size = None if customers is not None else deal_size
    funnel = _Funnel(goal, rate_values, goal_deal_size, whole_numbers, stage_names)
    timing = _Timing(period, weight_values, lags, sales_cycle, growth, plan_year,
                     *read_fiscal_year(fiscal_year_start, fiscal_year_named_by))  # fmt: skip
    table, annual, timeline_note = _plan_table(funnel, timing, budget_amount, customers)
    caption = plan_output.caption(customers, revenue_goal, deal_size, whole_numbers, annual,
                                  timeline_note, code)  # fmt: skip
    caption = caption if bridge is None else f"{bridge}\n{caption}"
    if team is not None:
        from kpi_planner.cli import team as cli_team

        return cli_team.plan_team(team, funnel, timing, table, caption, rate_values, output,
                                  budget_amount, code, (channels, scenario))  # fmt: skip
    plan_output.print_results(
        plan_output.Results(table, rate_values, caption, goal, goal_deal_size, whole_numbers,
                            budget_amount, code),
        output, channels=channels, entry=entry, optimise=optimise, whatif=whatif, step=step,
        scenario=scenario,
    )  # fmt: skip


def _read_goal(
    revenue_goal: str | None, deal_size: str | None, customers: float | None, example: bool
) -> tuple[float | None, float | None]:
    """The goal's revenue and deal size as amounts: the example's with --example; one of
    --customers or --revenue-goal with --deal-size."""
    goal, deal = money(revenue_goal, "--revenue-goal"), money(deal_size, "--deal-size")
    if example and goal is None and customers is None:
        goal = EXAMPLE_REVENUE_GOAL
        deal = deal if deal is not None else EXAMPLE_DEAL_SIZE
    if customers is not None and goal is not None:
        raise fail("--customers: give either --customers or --revenue-goal with --deal-size, "
                   "not both")  # fmt: skip
    if customers is None and (goal is None or deal is None):
        raise fail("--revenue-goal: give --revenue-goal and --deal-size, or --customers, "
                   "or --example")  # fmt: skip
    return goal, deal


def _read_rates(rates: str | None, stage_names: list[str] | None) -> list[float]:
    """--rates, one between each pair of stages; the worked example's by default."""
    from kpi_engine import DEFAULT_STAGES, SEED_RATES

    if rates is None:
        return list(SEED_RATES)
    names = stage_names or DEFAULT_STAGES
    what = f"the funnel {', '.join(names)} (one rate between each pair of stages)"
    return numbers(rates, "--rates", fractions=True, expected=len(names) - 1, what=what)


def _read_period(
    period: Period, weights: str | None, lags: str | None, sales_cycle: float | None,
    growth: str | None,
) -> tuple[Period, list[float] | None]:  # fmt: skip
    """The period shown (a timeline is by month unless asked by quarter) and its weights."""
    timed = lags is not None or sales_cycle is not None
    if timed and period is Period.annual:
        period = Period.monthly  # a timeline by year would say nothing
    if growth is not None and not timed:
        raise fail("--growth: next year's goal is used by the timeline: give --lags or "
                   "--sales-cycle too")  # fmt: skip
    if weights is not None and period is Period.annual:
        raise fail("--weights: weights need --period quarterly or monthly")
    if weights is None:
        return period, None
    # By quarter, 4 weights or the 12 months' own (a timeline keeps each month's weight).
    counts = (4, 12) if period is Period.quarterly else _PERIODS[period]
    return period, numbers(weights, "--weights", expected=counts,
                           what=f"--period {period.value}")  # fmt: skip


@dataclass(frozen=True)
class _Funnel:
    """What the plan is computed from: the goal (revenue with a deal size, else customers)."""

    goal: float
    rates: list[float]
    deal_size: float | None
    whole_numbers: bool
    stages: list[str] | None


@dataclass(frozen=True)
class _Timing:
    """When: the period shown, its weights, and the timeline's options."""

    period: Period
    weights: list[float] | None
    lags: str | None
    sales_cycle: float | None
    growth: str | None
    plan_year: int
    fiscal_year_start: int = 1
    fiscal_year_named_by: str = "end"

    @property
    def timed(self) -> bool:
        return self.lags is not None or self.sales_cycle is not None


def _plan_table(
    funnel: _Funnel, timing: _Timing, budget: float | None, customers: float | None
) -> tuple[dict[str, dict[str, float]], dict[str, float], str | None]:
    """The plan by column (Year, the periods, Cost target), each by stage; the year's
    volumes; the timeline's note. The engine's problems in the words of the options."""
    import kpi_engine
    from kpi_engine import KPIInputError
    from kpi_planner.cli import plan_printing as plan_output

    # The steps' lags are --lags' items, or the even shares of --sales-cycle.
    lags = "--sales-cycle" if timing.sales_cycle is not None else "--lags"
    options = {"goal": "--customers" if customers is not None else "--revenue-goal",
               "spend": "--budget", "growth": "--growth", "lag_days": lags}  # fmt: skip
    common = {"deal_size": funnel.deal_size, "whole_numbers": funnel.whole_numbers,
              "stages": funnel.stages}  # fmt: skip
    try:
        with warnings.catch_warnings():  # an overflow is said below, in words
            warnings.simplefilter("ignore", RuntimeWarning)
            annual = kpi_engine.reverse_funnel(funnel.goal, funnel.rates, **common)
        if not all(math.isfinite(volume) for volume in annual.values()):
            raise fail(f"{options['goal']}: the plan overflows (a stage would need "
                       "infinitely many): check the goal, the deal size and the rates")  # fmt: skip
        # Columns by stage, as plain dicts: the yearly plan needs no pandas (start-up).
        table: dict[str, dict[str, float]] = {"Year": dict(annual)}
        phased, note = _periods(funnel, timing, list(annual))
        if phased is not None:
            table |= {str(column): values for column, values in phased.to_dict().items()}
        if budget is not None and not annual[next(reversed(annual))]:
            raise fail(f"--budget {show(budget)}: a goal of 0 needs no customers, so "
                       "no stage has a cost per unit; give a goal above 0, or leave out "
                       "--budget")  # fmt: skip
        if budget is not None:
            table["Cost target"] = kpi_engine.cost_per_stage(budget, annual)
    except KPIInputError as err:
        raise fail(plan_output.in_option_words(err, options)) from None
    return table, annual, note


def _periods(funnel: _Funnel, timing: _Timing, stages: list[str]):
    """The plan by period (a frame of stages x periods) and the timeline's note, or None
    for the year alone."""
    import kpi_engine
    from kpi_planner.cli import timeline as cli_timeline

    periods = _PERIODS[timing.period]
    if timing.timed:
        days = cli_timeline.lag_days(timing.lags, timing.sales_cycle, stages)
        return cli_timeline.timeline_table(
            funnel.goal, funnel.rates, funnel.deal_size, days,
            cli_timeline.growth_fraction(timing.growth), periods, timing.weights,
            funnel.whole_numbers, funnel.stages, timing.plan_year, timing.fiscal_year_start,
            timing.fiscal_year_named_by,
        )  # fmt: skip
    if timing.period is Period.annual:
        return None, None
    phased = kpi_engine.phase_funnel(
        funnel.goal, funnel.rates, deal_size=funnel.deal_size, periods=periods,
        weights=timing.weights, whole_numbers=funnel.whole_numbers, stages=funnel.stages,
        first_month=timing.fiscal_year_start,
    )  # fmt: skip
    return phased, None


#: The order `kpi-planner --help` lists the commands in: a plan first, then its workbook,
#: many workbooks, tracking, and the maintenance commands.
COMMAND_ORDER = ("plan", "build", "fill", "report", "pipeline", "forecast", "templates")
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
