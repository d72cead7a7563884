"""The ``fill`` command: many plans from a table, one workbook each."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from kpi_planner.cli.app import (
    app,
    error_console,
    fail,
    print_error,
)

if TYPE_CHECKING:
    from kpi_planner.batch.fill import FillReport

#: Bad-row messages printed before the rest are summed up (all of them are in --summary).
SHOWN_PROBLEMS = 50


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
    out: Annotated[Path, typer.Option("--out", help="Folder for the workbooks.")],
    name_column: Annotated[
        str | None, typer.Option(help="Column that names each output file (default: 'Name').")
    ] = None,
    jobs: Annotated[
        int | None, typer.Option(min=1, help="Worker processes (default: all cores).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite workbooks that already exist.")] = False,
    summary: Annotated[
        Path | None,
        typer.Option(help="Write every row's inputs, KPIs and status to this .csv or .parquet."),
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
    decimal: Annotated[
        str | None,
        typer.Option(
            help="The CSV's decimal mark, '.' or ','. Default: ',' when the file is "
            "separated by ';' (as spreadsheets in decimal-comma countries save it), else '.'."
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(help="The CSV's text encoding. Default: UTF-8, or UTF-16 with its BOM."),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            help="Companies: the column that groups the rows into companies, each row a "
            "segment (Segment, Kind, Share and plan inputs, as `plan --segments` reads "
            "them); writes one workbook per company with its Company sheet. Company-wide "
            "columns: CompanyGoal, ExpansionGoal, StartingARR, NetRevenueRetention, "
            "GrossRevenueRetention, TargetARR.",
            metavar="COLUMN",
        ),
    ] = None,
) -> None:
    """Write one finished plan workbook per row of a table of scenarios.

    Columns are named after the plan's defined names, in any case: RevenueGoal, DealSize,
    MarketingBudget, GrossMargin, ChurnRate, DiscountRate, WholeNumbers, PlanYear,
    StageNames1.., StageRates1.., SeasonalityWeights1..12, LagDays1.., NextYearGrowth,
    Currency (an ISO code such as EUR: the row's money shows its symbol); a missing
    column or an empty
    cell keeps the template's value. A table that names stages gives each row its own
    funnel (2 to 12 stages). Every row's inputs are checked first, and each row's plan as it
    is computed; bad rows are reported (row and column) and skipped, the others are
    written, and the exit code is 1. Workbooks that
    already exist are skipped (a rerun resumes) unless --force. Each workbook carries
    cached values, so it shows its numbers even before Excel recalculates.

    [bold]Examples[/bold]

      kpi-planner fill regions.csv --out plans/

      kpi-planner fill scenarios.xlsx --out plans/ --name-column Region --summary plans/summary.csv

      kpi-planner fill regionen.csv --out plans/ --decimal ,

      kpi-planner fill big.parquet --out plans/ --jobs 8 --scheduler tcp://10.0.0.5:8786

      kpi-planner fill examples/companies.csv --by Company --out companies/
    """
    from kpi_engine import KPIInputError
    from kpi_planner.batch import fill as batch
    from kpi_planner.inputs.tables import TableError

    if by is not None:
        others = {"--name-column": name_column, "--jobs": jobs, "--summary": summary,
                  "--scheduler": scheduler, "--template": template, "--decimal": decimal,
                  "--encoding": encoding}  # fmt: skip
        given = [option for option, value in others.items() if value is not None]
        if given:
            raise fail(
                f"{given[0]}: fills rows' plans; with --by, each company is one "
                "workbook (the built-in plan and its Company sheet): leave it out"
            )
        return _fill_companies(scenarios_file, out, by, force)
    console = error_console()
    try:
        with Progress(*_progress_columns(), console=console, transient=False) as bar:
            task = bar.add_task("writing plans", total=None)
            report = batch.fill(
                scenarios_file, out, name_column=name_column, jobs=jobs, force=force,
                summary=summary, scheduler=scheduler, template=template, decimal=decimal,
                encoding=encoding,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )  # fmt: skip
    except (KPIInputError, TableError) as err:
        raise fail(err) from None
    except batch.FillInterrupted as stop:
        _print_interrupted(stop.report, summary)
        raise typer.Exit(130) from None
    _print_problems(report)
    console.print(
        f"{report.written} written, {report.skipped} skipped (already there), "
        f"{report.bad_rows} bad rows -> {out}"
    )
    if report.problems:
        raise typer.Exit(1)


def _fill_companies(table: Path, out: Path, by: str, force: bool) -> None:
    """``fill --by``: one company workbook per group of rows, and a line per company."""
    from kpi_planner.batch.companies import fill_companies
    from kpi_planner.cli.app import show
    from kpi_planner.cli.company import amount
    from kpi_planner.inputs.tables import TableError

    try:
        report = fill_companies(table, out, by, force=force)
    except TableError as err:
        raise fail(err) from None
    _print_problems(report)
    console = error_console()
    for name, plan in report.plans.items():
        console.print(f"{name}: {len(plan.segments)} segments, new-logo goal "
                      f"{amount(plan.new_logo_goal)}, {show(plan.customers)} customers, "
                      f"CAC {amount(plan.cac)}")  # fmt: skip
    console.print(f"{len(report.written)} written, {len(report.skipped)} skipped (already "
                  f"there), {len({getattr(p, 'line', p) for p in report.problems})} bad rows "
                  f"-> {out}")  # fmt: skip
    if report.problems:
        raise typer.Exit(1)


def _progress_columns() -> list[ProgressColumn]:
    """The progress bar's columns: what, the bar, rows done of all, rows per second, time left."""
    return [
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeRemainingColumn(),
    ]


def _print_interrupted(report: FillReport, summary: Path | None) -> None:
    """What a fill stopped by Ctrl-C did, and how to resume it."""
    _print_problems(report)
    saved = f"; the summary lists every row in {summary}" if summary else ""
    print_error(
        f"{report.written} written before the interrupt, every one whole{saved}; "
        "run the same command again to resume",
        label="interrupted",
    )


def _print_problems(report) -> None:
    shown = list(dict.fromkeys(str(problem) for problem in report.problems))
    for message in shown[:SHOWN_PROBLEMS]:
        print_error(message, label="bad input")
    if len(shown) > SHOWN_PROBLEMS:
        print_error(
            f"... and {len(shown) - SHOWN_PROBLEMS} more problems; --summary FILE lists "
            "every bad row with its reasons",
            label="bad input",
        )
