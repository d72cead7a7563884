"""``kpi-planner build``: one plan workbook with live Excel formulas, its channels, optimal
mix and scenarios included."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kpi_planner.cli import plan_options
from kpi_planner.cli.app import (
    app,
    check_not_an_input,
    fail,
    show,
)
from kpi_planner.inputs.defaults import FIRST_PLAN_YEAR, LAST_PLAN_YEAR
from kpi_planner.inputs.plan_fields import option_help
from kpi_planner.reports.numbers import show_money

if TYPE_CHECKING:
    from kpi_engine.channel_mix import OptimalMix
    from kpi_planner.company.inputs import CompanyInputs
    from kpi_planner.company.plan import CompanyPlan
    from kpi_planner.inputs.channel_table import ChannelTable
    from kpi_planner.plan.one_plan import PlanInputs, PlanOutputs


@app.command()
def build(
    out: Annotated[Path, typer.Option("--out", help="The .xlsx file to write.", dir_okay=False)],
    config: Annotated[
        Path | None,
        typer.Option(
            help="JSON or YAML file of plan inputs; options below override it.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    revenue_goal: plan_options.RevenueGoal = None,
    deal_size: plan_options.DealSize = None,
    rates: plan_options.Rates = None,
    stages: plan_options.Stages = None,
    budget: plan_options.Budget = None,
    gross_margin: Annotated[float | None, typer.Option(help=option_help("gross_margin"))] = None,
    churn_rate: Annotated[float | None, typer.Option(help=option_help("churn_rate"))] = None,
    discount_rate: Annotated[float | None, typer.Option(help=option_help("discount_rate"))] = None,
    plan_year: Annotated[
        int | None,
        typer.Option(help=option_help("plan_year"), min=FIRST_PLAN_YEAR, max=LAST_PLAN_YEAR),
    ] = None,
    fiscal_year_start: plan_options.FiscalYearStart = None,
    fiscal_year_named_by: plan_options.FiscalYearNamedBy = None,
    weights: Annotated[str | None, typer.Option(help=option_help("seasonality"))] = None,
    targets: plan_options.Targets = None,
    whole_numbers: Annotated[
        bool | None,
        typer.Option(
            "--whole-numbers/--exact",
            help="Round volumes up to whole numbers, or keep them exact. Default: whole "
            "numbers (as `plan`), unless --config says otherwise.",
        ),
    ] = None,
    lags: plan_options.Lags = None,
    growth: plan_options.Growth = None,
    channels: Annotated[
        Path | None,
        typer.Option(
            help="Channels table (.csv, .xlsx, .parquet or .yaml), as for `plan --channels`: "
            "fills the Channels sheet.",
            dir_okay=False,
        ),
    ] = None,
    entry: plan_options.Entry = None,
    optimise: Annotated[
        bool,
        typer.Option(
            help="With --channels: write the cheapest mix within each channel's limits into "
            "the Channels sheet, as values."
        ),
    ] = False,
    step: Annotated[
        str | None, typer.Option(help="The What-if sheet's step: 10% better, -10% for worse.")
    ] = None,
    scenario: Annotated[
        Path | None,
        typer.Option(
            help="Scenarios table, as for `plan --scenario` (at most 4, changing the revenue "
            "goal, deal size, budget, rates or, with --channels, a channel's cost per lead): "
            "fills the What-if sheet's scenarios.",
            dir_okay=False,
        ),
    ] = None,
    segments: Annotated[
        Path | None,
        typer.Option(
            help="Segments table, as for `plan --segments` (at most 8 rows): adds the Company "
            "sheet, each segment's funnel and the company's roll-up in live formulas; the "
            "options above are the company plan every segment's empty cells take, "
            "--revenue-goal the company's goal.",
            dir_okay=False,
        ),
    ] = None,
    starting_arr: plan_options.StartingArr = None,
    net_retention: plan_options.NetRetention = None,
    gross_retention: plan_options.GrossRetention = None,
    target_arr: plan_options.TargetArr = None,
    expansion_goal: plan_options.ExpansionGoal = None,
    currency: plan_options.Currency = None,
    opportunities: Annotated[
        Path | None,
        typer.Option(
            help="Opportunities, as for `kpi-planner forecast` (with --as-of): adds "
            "the Forecast sheet, the landing and next quarter's pacing in live "
            "formulas.",
            dir_okay=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="With --opportunities: the date they run to (YYYY-MM-DD).")
    ] = None,
    team: Annotated[
        Path | None,
        typer.Option(
            help="Roles table, as for `kpi-planner plan --team`: adds the Capacity sheet, "
            "who carries the plan (heads needed, hires, the bottleneck, people + programs) "
            "in live formulas.",
            dir_okay=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite --out if it exists.")] = False,
    # Hidden, so a `plan` habit gets the reason, not click's "did you mean --scenario".
    period: Annotated[str | None, typer.Option(hidden=True)] = None,
) -> None:
    """Write a plan workbook with live Excel formulas for the given inputs.

    Inputs not given keep the built-in example's values (whole numbers by default).
    Nothing is written when an input is bad, and an existing file is kept unless --force.

    [bold]Examples[/bold]

      kpi-planner build --out plan.xlsx

      kpi-planner build --out emea.xlsx --revenue-goal 5000000 --deal-size 25000 --budget 400000

      kpi-planner build --out plan.xlsx --config examples/plan.yaml \\
          --weights 1,1,1,1,1,1,0.5,0.5,1,1,1.5,1.5

      kpi-planner build --out mix.xlsx --channels examples/channels.csv --optimise \\
          --scenario examples/scenarios.csv

      kpi-planner build --out company.xlsx --segments examples/segments.csv \\
          --starting-arr 10000000 --net-retention 110% --gross-retention 90% \\
          --target-arr 15000000

      kpi-planner build --out emea.xlsx --config examples/plan.yaml --currency EUR

      kpi-planner build --out ramp.xlsx --targets 5000000,5250000,6000000,7500000 \\
          --deal-size 50000

      kpi-planner build --out forecast.xlsx --opportunities deals.csv --as-of 2027-06-30

      kpi-planner build --out team.xlsx --team examples/team.csv
    """
    from kpi_engine import KPIInputError
    from kpi_planner.cli.company import RetentionOptions
    from kpi_planner.cli.forecast import forecast_sheet_values
    from kpi_planner.cli.plan_values import fiscal_option_values, plan_option_values
    from kpi_planner.cli.team import capacity_sheet_values
    from kpi_planner.inputs.config import read_plan_file
    from kpi_planner.plan import one_plan

    _check_options(out, force, config, channels, scenario, optimise, period)
    check_not_an_input("--out", out, segments)
    if segments is not None and (team is not None or opportunities is not None):
        option, sheet = (
            ("--team", "Capacity") if team is not None else ("--opportunities", "Forecast")
        )
        raise fail(f"{option}: the {sheet} sheet plans one funnel, not the company's; with "
                   f"--segments, run `plan --team` or `forecast` per segment for now")  # fmt: skip
    retention = RetentionOptions(starting_arr, net_retention, gross_retention, target_arr,
                                 expansion_goal)  # fmt: skip
    if retention.given and segments is None:
        raise fail("--starting-arr, --net-retention, --gross-retention, --target-arr and "
                   "--expansion-goal: set the Company sheet's goal; give --segments "
                   "too")  # fmt: skip
    if targets is not None:
        revenue_goal, weights = _ramp(targets, revenue_goal, weights, segments)
    try:
        values: dict[str, Any] = read_plan_file(config) if config else {}
        values |= plan_option_values(
            revenue_goal=revenue_goal, deal_size=deal_size, budget=budget,
            gross_margin=gross_margin, churn_rate=churn_rate, discount_rate=discount_rate,
            plan_year=plan_year, whole_numbers=whole_numbers, rates=rates, stages=stages,
            weights=weights, lags=lags, growth=growth, currency=currency,
        )  # fmt: skip
        values |= fiscal_option_values(fiscal_year_start, fiscal_year_named_by)
        inputs = one_plan.PlanInputs().replace(**values)
        one_plan.check_shapes(inputs, own_stages="stages" in values, own_rates="rates" in values)
        inputs, table = _with_channels(inputs, channels, entry, step, scenario)
        outputs = one_plan.plan_outputs(inputs)
        best = _optimal(inputs, outputs.required_annual[-1], table) if optimise else None
    except KPIInputError as err:
        raise fail(err) from None
    company = None
    if segments is not None:
        company = _company(segments, inputs, values.get("revenue_goal"), retention)
    _save(
        inputs,
        best,
        out,
        company,
        forecast_sheet_values(opportunities, as_of, inputs, out),
        capacity_sheet_values(team, inputs, out),
    )
    plan_line = _summary(inputs, outputs, channels is not None, best)
    if company is None:
        typer.echo(f"wrote {out}: {plan_line}")
    else:  # the company's numbers first; the Plan sheet holds its defaults
        typer.echo(f"wrote {out}: {_company_summary(*company)}")
        typer.echo(f"Plan sheet (what a segment leaves empty takes): {plan_line}")


def _ramp(
    targets: str, revenue_goal: str | None, weights: str | None, segments: Path | None
) -> tuple[str, str]:
    """``--targets`` as the Plan sheet's goal (their sum) and seasonality weights: each month
    weighs its target, so each month and quarter plans its own."""
    from kpi_planner.cli.company import ramp_goal

    if segments is not None:
        raise fail("--targets: not used with --segments: the segments table sets each "
                   "segment's goal and seasonality (SeasonalityWeights1..12)")  # fmt: skip
    goal, monthly, _ = ramp_goal(targets, revenue_goal, weights)
    return goal, ",".join(map(repr, monthly))


def _check_options(
    out: Path, force: bool, config: Path | None, channels: Path | None, scenario: Path | None,
    optimise: bool, period: str | None,
) -> None:  # fmt: skip
    """The options that stop a build before any work: their messages, in this order."""
    if period is not None:
        raise fail(f"--period {period}: a workbook holds the year, its quarters and its months "
                   "at once (the Plan sheet); --period is for `kpi-planner plan`")  # fmt: skip
    if optimise and channels is None:
        raise fail("--optimise: give the channels to optimise with --channels")
    check_not_an_input("--out", out, config, channels, scenario)
    if out.exists() and not force:
        raise fail(f"--out {out}: exists; add --force to overwrite it")
    if out.is_dir():
        raise fail(f"--out {out}: is a folder; give a file name such as plan.xlsx")


def _company(path: Path, inputs: PlanInputs, goal: float | None, retention) -> tuple:
    """The company of the segments table over the plan's inputs, and its plan; what the
    Company sheet cannot hold is refused in the table's words."""
    from kpi_engine import KPIInputError
    from kpi_planner.cli.company import read_company
    from kpi_planner.workbook.sheets.company.layout import check_fits

    company, plan = read_company(path, inputs, goal, retention)
    try:
        check_fits(company)
    except KPIInputError as err:
        raise fail(f"--segments {path.name}: {err}") from None
    return company, plan


def _company_summary(company: CompanyInputs, plan: CompanyPlan) -> str:
    """The line a build with segments adds: the company's new-logo goal, customers and CAC."""
    return (
        f"Company sheet: {len(company.segments)} segments, new-logo goal "
        f"{show_money(round(plan.new_logo_goal, 2), company.company.currency)}, "
        f"{show(plan.customers)} customers, CAC {show_money(plan.cac, company.company.currency)}"
    )


def _save(
    inputs: PlanInputs, best: OptimalMix | None, out: Path, company: tuple | None = None,
    forecast=None, capacity=None,
) -> None:  # fmt: skip
    """Write the plan workbook (with the Company sheet of ``company``, a company and its
    plan, the Forecast sheet of ``forecast``, the Capacity sheet of ``capacity``) to
    ``out``; a file that cannot be written is named."""
    from kpi_planner.workbook import book as plan_book
    from kpi_planner.workbook.render import xlsx

    try:
        book = plan_book.plan_workbook(
            inputs, optimal=best, forecast=forecast, capacity=capacity,
            company=None if company is None else company[0],
        )  # fmt: skip
        xlsx.save(book, out)
    except OSError as err:
        raise fail(f"--out {out}: cannot be written ({err.strerror})") from None


def _summary(
    inputs: PlanInputs, outputs: PlanOutputs, channels: bool, best: OptimalMix | None
) -> str:
    """What a build says of the Plan sheet: the funnel's ends, CAC, LTV:CAC, and the
    channels' budget, money in the plan's currency."""
    code = inputs.currency
    needed = float(outputs.channels["BudgetNeeded"]) if channels else None
    return (
        f"{show(outputs.required_annual[0])} {inputs.stages[0]} -> "
        f"{show(outputs.required_annual[-1])} {inputs.stages[-1]}, "
        f"CAC {show_money(outputs.planned_cac, code)}, LTV:CAC {outputs.ltv_to_cac:.2f}"
        + (f", budget needed {show_money(needed, code)}" if needed is not None else "")
        + (f", optimal mix {show_money(best.budget, code)}" if best is not None else "")
    )


def _with_channels(
    inputs: PlanInputs, channels: Path | None, entry: str | None, step: str | None,
    scenario: Path | None,
) -> tuple[PlanInputs, ChannelTable | None]:  # fmt: skip
    """The inputs with the options' channels, entry stage, what-if step and scenarios, and
    the channels table they came from (None without ``--channels``)."""
    from kpi_planner.cli import channels as channel_report

    stages = list(inputs.stages)
    changes: dict[str, Any] = {}
    table = None
    if channels is not None or entry is not None:
        changes["channel_entry"] = channel_report.entry_stage(entry, stages)
    if channels is not None:
        table = channel_report.read_table(channels, stages, entry)
        changes["channels"] = tuple(table.channels)
    if step is not None:
        changes["whatif_step"] = channel_report.read_step_option(step)
    inputs = inputs.replace(**changes)
    if scenario is not None:
        inputs = inputs.replace(scenarios=_scenarios(scenario, inputs))
    return inputs, table


def _changed(new: object, old: object) -> object:
    """A scenario's value where it differs from the base's, else None (the base's)."""
    return None if new == old else new


def _scenarios(path: Path, inputs: PlanInputs) -> tuple:
    """The scenarios table as the What-if sheet's scenarios: only what each changes."""
    from kpi_planner.cli import scenarios as cli_scenarios
    from kpi_planner.workbook.sheets.whatif.grid import SCENARIOS, Scenario

    base = cli_scenarios.Base(goal=inputs.revenue_goal, deal_size=inputs.deal_size,
                              rates=tuple(inputs.rates), stages=tuple(inputs.stages),
                              whole_numbers=inputs.whole_numbers,
                              budget=inputs.marketing_budget, channels=tuple(inputs.channels),
                              entry=inputs.entry)  # fmt: skip
    found = cli_scenarios.scenarios(path, base)[1:]  # without the base itself
    if len(found) > SCENARIOS:
        raise fail(f"--scenario {path.name}: has {len(found)} scenarios; the What-if sheet "
                   f"shows at most {SCENARIOS} beside the base")  # fmt: skip
    sheet = []
    for name, changed in found:
        if changed.deal_size is None:
            raise fail(f"--scenario {path.name}, scenario {name!r}: the What-if sheet changes "
                       "the revenue goal and deal size, not customers")  # fmt: skip
        if any(a.share != b.share for a, b in zip(changed.channels, base.channels, strict=True)):
            raise fail(f"--scenario {path.name}, scenario {name!r}: the What-if sheet changes "
                       "a channel's cost per lead, not its share")  # fmt: skip
        sheet.append(Scenario(
            name,
            revenue_goal=_changed(changed.goal, base.goal),
            deal_size=_changed(changed.deal_size, base.deal_size),
            marketing_budget=_changed(changed.budget, base.budget),
            rates=tuple(_changed(a, b) for a, b in zip(changed.rates, base.rates, strict=True)),
            costs=tuple(_changed(a.cost_per_unit, b.cost_per_unit)
                        for a, b in zip(changed.channels, base.channels, strict=True)),
        ))  # fmt: skip
    return tuple(sheet)


def _optimal(inputs: PlanInputs, customers: float, table: ChannelTable):
    """The solver's cheapest mix for the plan's customers, as the Channels sheet shows it;
    a set of limits no mix meets is named by the table's rows and columns."""
    from kpi_engine import KPIInputError
    from kpi_engine.channel_mix import optimal_mix

    try:
        return optimal_mix(customers, list(inputs.rates), inputs.channels, entry=inputs.entry,
                           stages=list(inputs.stages))  # fmt: skip
    except KPIInputError as err:
        raise fail(table.in_table_words(err)) from None
