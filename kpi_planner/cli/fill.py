"""The ``fill`` and ``report`` commands: many plans from a table, and a plan's reading."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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

from kpi_planner.cli.app import (
    app,
    check_not_an_input,
    error_console,
    fail,
    print_error,
    show,
)
from kpi_planner.files.json_text import json_text
from kpi_planner.reports.numbers import show_money

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
    """
    from kpi_engine import KPIInputError
    from kpi_planner.batch import fill as batch
    from kpi_planner.inputs.tables import TableError

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
    and cell, and the exit code is 2. Negative actuals and empty months among the months
    closed are flagged as warnings, naming their cells.

    [bold]Examples[/bold]

      kpi-planner report plans/EMEA.xlsx

      kpi-planner report plans/EMEA.xlsx --json emea-report.json --as-of 2027-05-31
    """  # fmt: skip
    from kpi_engine import KPIInputError
    from kpi_planner.files import atomic
    from kpi_planner.reports.plan_vs_actual import read_report

    check_not_an_input("--json", json_file, workbook)
    try:
        day = None if as_of is None else dt.date.fromisoformat(as_of)
    except ValueError:
        raise fail(f"--as-of {as_of!r}: is not a date like 2027-05-31") from None
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            result = read_report(workbook, day)
    except KPIInputError as err:
        raise fail(err) from None
    for warning in dict.fromkeys(str(w.message) for w in caught if w.category is UserWarning):
        print_error(warning, label="warning")
    _print_report(result)
    if json_file is not None:
        # allow_nan=False: a NaN or infinity left in is a bug to see, not invalid JSON to write
        text = json_text(result.to_json())
        try:
            atomic.write_atomic(json_file, text.encode("utf-8"))
        except OSError as err:
            raise fail(f"--json {json_file}: cannot be written ({err.strerror})") from None


def _print_report(result) -> None:
    console = Console(highlight=False)
    data = result.to_json()
    if result.diagnosis is None:
        console.print(Text(f"Plan vs actual: {tracking_no_actuals()}"), soft_wrap=True)
    else:
        table = Table(title=f"Plan vs actual, {result.months_closed} months closed",
                      title_justify="left")  # fmt: skip
        for heading in ["Stage", "Planned to date", "Actual to date", "Attainment"]:
            table.add_column(heading, justify="left" if heading == "Stage" else "right")
        for row in data["to_date"]:
            table.add_row(Text(row["stage"]), show(row["planned"]), show(row["actual"]),
                          _percent(row["attainment"]))  # fmt: skip
        console.print(table)
        console.print(Text.assemble("Focus area: ", (str(data["focus_area"]), "bold")))
        if "what_to_do" in data:
            console.print(Text(f"What to do: {data['what_to_do']}"))
            console.print(Text(f"KPIs to watch: {', '.join(data['kpis_to_watch'])}"))
    if result.by_channel is not None:
        _print_by_channel(console, result.by_channel, result.currency)
    if result.goals:
        goals = Table(title="Goals", title_justify="left")
        for heading in ["Goal", "Owner", "Status", "Progress", "Why / what it means"]:
            goals.add_column(heading)
        for goal in result.goals:
            progress = goal.get("progress")
            goals.add_row(Text(str(goal["metric"] or "")), Text(str(goal["owner"] or "")),
                          Text(goal["status"]), "" if progress is None else f"{progress:.0%}",
                          Text(goal["smart"] or goal["meaning"]))  # fmt: skip
        console.print(goals)


def _percent(value: float | None) -> str:
    """A share as the report prints it (``86%``); blank for none (nothing planned)."""
    return "" if value is None else f"{value:.0%}"


def _print_by_channel(console: Console, data: dict, currency: str = "") -> None:
    """Plan vs actual by channel: the Channel actuals sheet's table, and the channel to fix;
    costs in ``currency`` (an ISO code; ``""``: none)."""
    entry = data["entry_stage"] or "Entry"
    table = Table(title="Plan vs actual by channel, to date", title_justify="left")
    headings = ["Channel", f"{entry} planned", f"{entry} actual", "Attainment",
                "Customers planned", "Customers actual", "Attainment", "Cost per unit",
                "Plan cost", "CAC", "Plan CAC"]  # fmt: skip
    for heading in headings:
        table.add_column(heading, justify="left" if heading == "Channel" else "right")

    def number(value: float | None) -> str:
        return "" if value is None else show(value)

    def money(value: float | None, digits: int) -> str:
        if value is None:
            return ""
        return f"{value:,.{digits}f}" if not currency else show_money(round(value, digits),
                                                                      currency)  # fmt: skip

    for row in data["channels"]:
        table.add_row(Text(row["channel"]), number(row["planned_entry"]),
                      number(row["actual_entry"]), _percent(row["entry_attainment"]),
                      number(row["planned_customers"]), number(row["actual_customers"]),
                      _percent(row["customer_attainment"]), money(row["cost_per_unit"], 2),
                      money(row["plan_cost_per_unit"], 2), money(row["cac"], 0),
                      money(row["plan_cac"], 0))  # fmt: skip
    console.print(table)
    focus = Text.assemble("Channel to fix: ", (str(data["channel_to_fix"]), "bold"))
    if data["attainment_of_channel_to_fix"] is not None:
        judged = "customers" if data["judged_by"] == "customers" else entry
        focus.append(f" ({_percent(data['attainment_of_channel_to_fix'])} of its planned "
                     f"{judged} to date)")  # fmt: skip
    console.print(focus)


def tracking_no_actuals() -> str:
    """What a workbook without actuals needs, and where to type it."""
    from kpi_planner.workbook.sheets.tracking.grid import HINT_TEXT

    return f"{HINT_TEXT.removesuffix('.')} (Actuals!B3) and run report again."
