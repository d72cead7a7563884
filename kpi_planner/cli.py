"""The ``kpi-planner`` command: thin commands over :mod:`kpi_engine`."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import sys
from enum import StrEnum
from importlib.metadata import version
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

import kpi_engine
from kpi_engine import KPIInputError
from kpi_planner.config import read_plan_file
from kpi_planner.workbook import plan as plan_layout
from kpi_planner.workbook import templates as workbook_templates
from kpi_planner.workbook import xlsx

app = typer.Typer(
    name="kpi-planner",
    help="Turn a revenue goal into a marketing plan: the funnel volumes, cost targets and KPIs.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

#: Seed 000's example: $10,000,000 of new revenue at $1,100,000 a customer.
EXAMPLE_REVENUE_GOAL = 10_000_000.0
EXAMPLE_DEAL_SIZE = 1_100_000.0


class Period(StrEnum):
    annual = "annual"
    quarterly = "quarterly"
    monthly = "monthly"


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


_PERIODS = {Period.annual: 1, Period.quarterly: 4, Period.monthly: 12}


def _numbers(text: str, option: str, *, percent: bool = False) -> list[float]:
    """Parse ``"0.015, 0.2"`` (or ``"1.5%, 20%"`` where ``percent``) into floats."""
    values = []
    for position, item in enumerate(text.split(","), start=1):
        item = item.strip()
        scale = 1.0
        if percent and item.endswith("%"):
            item, scale = item[:-1].strip(), 0.01
        try:
            values.append(float(item) * scale)
        except ValueError:
            allowed = "numbers such as 0.015 or 1.5%" if percent else "numbers"
            raise typer.BadParameter(
                f"item {position} is {item!r}: give comma-separated {allowed}", param_hint=option
            ) from None
    return values


def _version(show: bool) -> None:
    if show:
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
    revenue_goal: Annotated[
        float | None, typer.Option(help="New revenue to win in the year, in money.")
    ] = None,
    deal_size: Annotated[
        float | None, typer.Option(help="Average revenue per new customer.")
    ] = None,
    customers: Annotated[
        float | None,
        typer.Option(help="Customers to win in the year (instead of revenue and deal size)."),
    ] = None,
    rates: Annotated[
        str | None,
        typer.Option(
            help="Conversion rates between stages, top first, comma-separated: "
            "0.015,0.2 or 1.5%,20%. Default: the seed's 1.5%,20%,20%,40%,50%."
        ),
    ] = None,
    stages: Annotated[
        str | None,
        typer.Option(help="Stage names, top first, comma-separated (one more than rates)."),
    ] = None,
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
            help="Round up to whole numbers stage by stage from the bottom.",
        ),
    ] = False,
    budget: Annotated[
        float | None,
        typer.Option(help="Marketing budget for the year: adds the cost target per stage."),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="A table to read, or CSV / JSON for scripts.")
    ] = OutputFormat.table,
    example: Annotated[
        bool,
        typer.Option(
            "--example",
            help="Use seed 000's example ($10,000,000 at $1,100,000 a customer) for the goal.",
        ),
    ] = False,
) -> None:
    """Print the reverse funnel: what each stage must reach to hit the goal.

    [bold]Examples[/bold]

      kpi-planner plan --example --period monthly

      kpi-planner plan --revenue-goal 5000000 --deal-size 25000 --rates "2%,25%,30%,40%,25%"

      kpi-planner plan --customers 120 --rates 0.02,0.3,0.25 --stages Visits,Leads,SQL,Won

      kpi-planner plan --example --period quarterly --weights 1,1,2,2 --format csv
    """
    if example and revenue_goal is None and customers is None:
        revenue_goal = EXAMPLE_REVENUE_GOAL
        deal_size = deal_size if deal_size is not None else EXAMPLE_DEAL_SIZE
    if customers is not None and revenue_goal is not None:
        raise typer.BadParameter(
            "give either --customers or --revenue-goal with --deal-size, not both",
            param_hint="--customers",
        )
    if customers is None and (revenue_goal is None or deal_size is None):
        raise typer.BadParameter(
            "give --revenue-goal and --deal-size, or --customers, or --example",
            param_hint="--revenue-goal",
        )
    rate_values = (
        list(kpi_engine.SEED_RATES) if rates is None else _numbers(rates, "--rates", percent=True)
    )
    stage_names = None if stages is None else [s.strip() for s in stages.split(",")]
    weight_values = None if weights is None else _numbers(weights, "--weights")
    goal = customers if customers is not None else revenue_goal
    goal_deal_size = None if customers is not None else deal_size
    try:
        annual = kpi_engine.reverse_funnel(
            goal,
            rate_values,
            deal_size=goal_deal_size,
            whole_numbers=whole_numbers,
            stages=stage_names,
        )
        table = pd.DataFrame({"Year": pd.Series(annual)})
        table.index.name = "stage"
        if period is not Period.annual:
            phased = kpi_engine.phase_funnel(
                goal,
                rate_values,
                deal_size=goal_deal_size,
                periods=_PERIODS[period],
                weights=weight_values,
                whole_numbers=whole_numbers,
                stages=stage_names,
            )
            table = table.join(phased)
        elif weights is not None:
            raise typer.BadParameter(
                "weights need --period quarterly or monthly", param_hint="--weights"
            )
        if budget is not None:
            table["Cost target"] = pd.Series(kpi_engine.cost_per_stage(budget, annual))
    except KPIInputError as err:
        raise _fail(err) from None
    if customers is not None:
        caption = f"Goal: {_show(customers)} customers a year"
    else:
        caption = (
            f"Goal: {_show(revenue_goal)} of revenue / {_show(deal_size)} a deal"
            f" = {_show(revenue_goal / deal_size)} customers a year"
        )
    if whole_numbers:
        caption += f", planned as {_show(list(annual.values())[-1])} in whole numbers"
    _print_plan(table, output, rate_values, caption)


def _show(value: float) -> str:
    if value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) >= 1 else f"{value:.4g}"


def _print_plan(
    table: pd.DataFrame, output: OutputFormat, rates: list[float], caption: str
) -> None:
    if output is OutputFormat.csv:
        sys.stdout.write(table.to_csv(float_format="%.10g"))
        return
    if output is OutputFormat.json:
        document = {
            "stages": list(table.index),
            "rates": rates,
            "volumes": {column: table[column].to_dict() for column in table.columns},
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return
    console = Console()
    yearly = [c for c in table.columns if c in ("Year", "Cost target")]
    console.print(caption, highlight=False)
    summary = Table(title="Required volumes for the year", title_justify="left")
    for heading in ["Stage", "Rate to next", *yearly]:
        summary.add_column(heading, justify="left" if heading == "Stage" else "right")
    for position, (stage, row) in enumerate(table[yearly].iterrows()):
        rate = f"{rates[position] * 100:.4g} %" if position < len(rates) else ""
        summary.add_row(str(stage), rate, *(_show(v) for v in row))
    console.print(summary)
    periods = [c for c in table.columns if c not in yearly]
    if periods:
        # Periods as rows: twelve months side by side do not fit a terminal, six stages do.
        by_period = Table(title="By period", title_justify="left")
        by_period.add_column("Period")
        for stage in table.index:
            by_period.add_column(str(stage), justify="right")
        for column in periods:
            by_period.add_row(str(column), *(_show(v) for v in table[column]))
        console.print(by_period)


def _fail(err: KPIInputError) -> typer.Exit:
    Console(stderr=True).print(f"[red]error:[/red] {err}", highlight=False)
    return typer.Exit(2)


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
    if check:
        stale = workbook_templates.stale_templates(folder)
        for name in stale:
            typer.echo(f"{folder / name} differs from the code: run 'kpi-planner templates'")
        raise typer.Exit(1 if stale else 0)
    for path in workbook_templates.write_templates(folder):
        typer.echo(f"wrote {path}")


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
    revenue_goal: Annotated[float | None, typer.Option(help="New revenue to win.")] = None,
    deal_size: Annotated[
        float | None, typer.Option(help="Revenue per new customer per year.")
    ] = None,
    rates: Annotated[
        str | None, typer.Option(help="Conversion rates, top first: 0.015,0.2 or 1.5%,20%.")
    ] = None,
    stages: Annotated[str | None, typer.Option(help="Stage names, top first.")] = None,
    budget: Annotated[float | None, typer.Option(help="Marketing budget for the year.")] = None,
    gross_margin: Annotated[float | None, typer.Option(help="Gross margin, e.g. 0.8.")] = None,
    churn_rate: Annotated[
        float | None, typer.Option(help="Customers lost per year, e.g. 0.2.")
    ] = None,
    discount_rate: Annotated[
        float | None, typer.Option(help="Yearly discount rate for CLV.")
    ] = None,
    plan_year: Annotated[int | None, typer.Option(help="The year of the plan.")] = None,
    weights: Annotated[
        str | None, typer.Option(help="Seasonality: 12 monthly weights, comma-separated.")
    ] = None,
    whole_numbers: Annotated[
        bool | None,
        typer.Option("--whole-numbers/--exact", help="Round volumes up to whole numbers."),
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite --out if it exists.")] = False,
) -> None:
    """Write a plan workbook with live Excel formulas for the given inputs.

    Inputs not given keep seed 000's example values. Nothing is written when an input is
    bad, and an existing file is kept unless --force.

    [bold]Examples[/bold]

      kpi-planner build --out plan.xlsx

      kpi-planner build --out emea.xlsx --revenue-goal 5000000 --deal-size 25000 --budget 400000

      kpi-planner build --out plan.xlsx --config plan.yaml --weights 1,1,1,1,1,1,0.5,0.5,1,1,1.5,1.5
    """
    if out.exists() and not force:
        raise typer.BadParameter(f"{out} exists; add --force to overwrite it", param_hint="--out")
    try:
        values: dict[str, Any] = read_plan_file(config) if config else {}
        options = {
            "revenue_goal": revenue_goal,
            "deal_size": deal_size,
            "marketing_budget": budget,
            "gross_margin": gross_margin,
            "churn_rate": churn_rate,
            "discount_rate": discount_rate,
            "plan_year": plan_year,
            "whole_numbers": whole_numbers,
            "rates": None if rates is None else tuple(_numbers(rates, "--rates", percent=True)),
            "stages": None if stages is None else tuple(s.strip() for s in stages.split(",")),
            "seasonality": None if weights is None else tuple(_numbers(weights, "--weights")),
        }
        values |= {key: value for key, value in options.items() if value is not None}
        if "stages" in values and "rates" not in values:
            rule = "give the rates for your own stages (one fewer than stages)"
            raise KPIInputError([kpi_engine.Problem("rates", None, rule)])
        inputs = plan_layout.PlanInputs().replace(**values)
        outputs = plan_layout.plan_outputs(inputs)
    except KPIInputError as err:
        raise _fail(err) from None
    xlsx.save(plan_layout.plan_workbook(inputs), out)
    typer.echo(
        f"wrote {out}: {_show(outputs.required_annual[0])} {inputs.stages[0]} -> "
        f"{_show(outputs.required_annual[-1])} {inputs.stages[-1]}, "
        f"CAC {_show(outputs.planned_cac)}, LTV:CAC {outputs.ltv_to_cac:.2f}"
    )


class _RateColumn(ProgressColumn):
    """Rows per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f} rows/s", style="progress.data.speed")


@app.command()
def fill(
    scenarios_file: Annotated[
        Path,
        typer.Argument(
            metavar="SCENARIOS",
            help="CSV, XLSX or Parquet table, one scenario per row.",
            exists=True,
            dir_okay=False,
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder for the workbooks.", file_okay=False)],
    name_column: Annotated[
        str | None, typer.Option(help="Column that names each output file (default: 'Name').")
    ] = None,
    jobs: Annotated[
        int | None, typer.Option(min=1, help="Worker processes (default: all cores).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite workbooks that already exist.")] = False,
    summary: Annotated[
        Path | None,
        typer.Option(help="Write every scenario's inputs and KPIs to this .csv or .parquet."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Dask scheduler address (tcp://host:8786) to run the chunks on; "
            "--out must be a folder the workers share."
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            help="Your own .xlsx/.xlsm that defines the plan's input names, "
            "instead of the built-in plan. It is never modified.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Write one finished plan workbook per row of a table of scenarios.

    Columns are named after the plan's defined names, in any case: RevenueGoal, DealSize,
    MarketingBudget, GrossMargin, ChurnRate, DiscountRate, WholeNumbers, PlanYear,
    StageNames1..6, StageRates1..5, SeasonalityWeights1..12; a missing column keeps the
    template's value. Every row is checked first; bad rows are reported (row and column)
    and skipped, the others are written, and the exit code is 1. Workbooks that already
    exist are skipped (a rerun resumes) unless --force. Each workbook carries cached
    values, so it shows its numbers even before Excel recalculates.

    [bold]Examples[/bold]

      kpi-planner fill regions.csv --out plans/

      kpi-planner fill scenarios.xlsx --out plans/ --name-column Region --summary plans/summary.csv

      kpi-planner fill big.parquet --out plans/ --jobs 8 --scheduler tcp://10.0.0.5:8786
    """
    from kpi_planner import batch

    columns = [
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeRemainingColumn(),
    ]
    console = Console(stderr=True)
    try:
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task("writing plans", total=None)
            report = batch.fill(
                scenarios_file, out, name_column=name_column, jobs=jobs, force=force,
                summary=summary, scheduler=scheduler, template=template,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )  # fmt: skip
    except KPIInputError as err:
        raise _fail(err) from None
    for problem in report.problems:
        console.print(f"[red]bad input:[/red] {problem}", highlight=False)
    console.print(
        f"{report.written} written, {report.skipped} skipped (already there), "
        f"{report.bad_rows} bad rows -> {out}",
        highlight=False,
    )
    if report.problems:
        raise typer.Exit(1)


@app.command()
def report(
    workbook: Annotated[
        Path,
        typer.Argument(help="A plan workbook with actuals and goals.", exists=True, dir_okay=False),
    ],
    json_file: Annotated[
        Path | None, typer.Option("--json", help="Also write the report as JSON here.")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            help="Judge the goals on this day (YYYY-MM-DD); default: "
            "the workbook's AsOfDate, else today."
        ),
    ] = None,
) -> None:
    """Diagnose a filled plan workbook: plan vs actual, the focus area, the goals' status.

    Everything is computed by kpi_engine from the workbook's inputs, so the report is right
    even for a file Excel never recalculated. A cell that cannot be read is named by sheet
    and cell, and the exit code is 2.

    [bold]Examples[/bold]

      kpi-planner report plans/EMEA.xlsx

      kpi-planner report plans/EMEA.xlsx --json emea-report.json --as-of 2027-05-31
    """  # fmt: skip
    from kpi_planner.report import read_report

    try:
        day = None if as_of is None else dt.date.fromisoformat(as_of)
    except ValueError:
        raise typer.BadParameter(f"{as_of!r} is not a date like 2027-05-31",
                                 param_hint="--as-of") from None  # fmt: skip
    try:
        result = read_report(workbook, day)
    except KPIInputError as err:
        raise _fail(err) from None
    _print_report(result)
    if json_file is not None:
        text = json.dumps(result.to_json(), indent=2, default=str) + "\n"
        xlsx.write_atomic(json_file, text.encode("utf-8"))


def _print_report(result) -> None:
    console = Console()
    data = result.to_json()
    if result.diagnosis is None:
        console.print(f"Plan vs actual: {tracking_no_actuals()}", highlight=False)
    else:
        table = Table(title=f"Plan vs actual, {result.months_closed} months closed",
                      title_justify="left")  # fmt: skip
        for heading in ["Stage", "Planned to date", "Actual to date", "Attainment"]:
            table.add_column(heading, justify="left" if heading == "Stage" else "right")
        for row in data["to_date"]:
            table.add_row(row["stage"], _show(row["planned"]), _show(row["actual"]),
                          f"{row['attainment']:.0%}")  # fmt: skip
        console.print(table)
        console.print(f"Focus area: [bold]{data['focus_area']}[/bold]", highlight=False)
        if "what_to_do" in data:
            console.print(f"What to do: {data['what_to_do']}", highlight=False)
            console.print(f"KPIs to watch: {', '.join(data['kpis_to_watch'])}", highlight=False)
    if result.goals:
        goals = Table(title="Goals", title_justify="left")
        for heading in ["Goal", "Owner", "Status", "Progress", "Why / what it means"]:
            goals.add_column(heading)
        for goal in result.goals:
            progress = goal.get("progress")
            goals.add_row(str(goal["metric"] or ""), str(goal["owner"] or ""), goal["status"],
                          "" if progress is None else f"{progress:.0%}",
                          goal["smart"] or goal["meaning"])  # fmt: skip
        console.print(goals)


def tracking_no_actuals() -> str:
    from kpi_planner.workbook.tracking import NO_ACTUALS

    return NO_ACTUALS


addin_app = typer.Typer(
    help="The Excel add-in: build the .xlam, install it, generate its sources.",
    no_args_is_help=True,
)
app.add_typer(addin_app, name="addin")


def _addin_module(name: str):
    """A module of the add-in package, or exit with how to install it."""
    try:
        return importlib.import_module(f"kpi_planner_addin.{name}")
    except ImportError as err:
        Console(stderr=True).print(f"[red]error:[/red] {err}: pip install 'kpi-planner[addin]'")
        raise typer.Exit(2) from None


@addin_app.command("sources")
def addin_sources(
    folder: Annotated[
        Path, typer.Option("--out", help="Folder of the generated sources.", file_okay=False)
    ] = Path("addin/vba"),
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if a source differs.")
    ] = False,
) -> None:
    """Generate the add-in's ribbon XML and VBA modules (needs: pip install ".[addin]").

    [bold]Examples[/bold]

      kpi-planner addin sources

      kpi-planner addin sources --check
    """
    addin_build = _addin_module("build")
    if check:
        stale = [
            name
            for name, text in addin_build.sources().items()
            if not (folder / name).is_file() or (folder / name).read_bytes() != text.encode()
        ]
        for name in stale:
            typer.echo(f"{folder / name} differs from the code: run 'kpi-planner addin sources'")
        raise typer.Exit(1 if stale else 0)
    for path in addin_build.write_sources(folder):
        typer.echo(f"wrote {path}")


@addin_app.command("build")
def addin_build(
    out: Annotated[
        Path, typer.Option("--out", help="The add-in file to write.", dir_okay=False)
    ] = Path("addin/kpi_planner.xlam"),
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if --out differs from the code.")
    ] = False,
) -> None:
    """Build the Excel add-in (.xlam): ribbon, VBA callbacks, function wrappers, config sheet.

    Deterministic: the same code gives the same bytes.

    [bold]Examples[/bold]

      kpi-planner addin build

      kpi-planner addin build --out ~/Desktop/kpi_planner.xlam
    """
    addin_build_module = _addin_module("build")
    if check:
        same = out.is_file() and out.read_bytes() == addin_build_module.xlam_bytes()
        if not same:
            typer.echo(f"{out} differs from the code: run 'kpi-planner addin build'")
        raise typer.Exit(0 if same else 1)
    typer.echo(f"wrote {addin_build_module.write_xlam(out)}")


@addin_app.command("install")
def addin_install() -> None:
    """Install the add-in into Excel's startup folder (Windows, macOS) and point it at this Python.

    Writes kpi_planner.xlam into Excel's XLSTART folder and ~/.kpi_planner/kpi_planner.conf
    with this interpreter. Restart Excel; the "KPI Planner" tab appears and =FUNNEL_REQUIRED
    works in any workbook (functions on Windows only). On other systems it refuses.
    """
    installer = _addin_module("install")
    try:
        done = installer.install()
    except installer.InstallError as err:
        Console(stderr=True).print(f"[red]error:[/red] {err}", highlight=False)
        raise typer.Exit(2) from None
    typer.echo(f"installed {done.addin}\nwrote {done.config}\nRestart Excel to load it.")


def main() -> None:
    """Entry point of the ``kpi-planner`` console script."""
    app()
