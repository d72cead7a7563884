"""The ``report`` command: a plan workbook's reading (plan vs actual, the focus area, the
goals), or several at once, one per segment, with the segment to fix first."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kpi_planner.cli.app import (
    app,
    check_not_an_input,
    fail,
    print_error,
    show,
    write_json_option,
)
from kpi_planner.reports.numbers import show_money
from kpi_planner.reports.text_tables import readable


@app.command()
def report(
    workbooks: Annotated[
        list[Path],
        typer.Argument(
            help="A plan workbook with actuals and goals; or several, one per segment "
            "(named by their files: EMEA.xlsx is EMEA).",
            exists=True,
            dir_okay=False,
            metavar="WORKBOOK...",
        ),
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

    With several workbooks, one per segment (region, product, source), each is reported,
    then the segments side by side: each one's focus area, the revenue its shortfall there
    has cost to date (the volume lost, carried down the funnel at the planned rates, times
    the deal size), and the segment to fix first: the one whose focus area costs the most.

    [bold]Examples[/bold]

      kpi-planner report plans/EMEA.xlsx

      kpi-planner report plans/EMEA.xlsx --json emea-report.json --as-of 2027-05-31

      kpi-planner report plans/EMEA.xlsx plans/US.xlsx plans/Partners.xlsx
    """  # fmt: skip
    from kpi_engine import KPIInputError
    from kpi_planner.reports.plan_vs_actual import read_report
    from kpi_planner.reports.segments import read_segment_reports

    check_not_an_input("--json", json_file, *workbooks)
    try:
        day = None if as_of is None else dt.date.fromisoformat(as_of)
    except ValueError:
        raise fail(f"--as-of {as_of!r}: is not a date like 2027-05-31") from None
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            if len(workbooks) == 1:
                result = read_report(workbooks[0], day)
            else:
                result = read_segment_reports(list(workbooks), day)
    except KPIInputError as err:
        raise fail(err) from None
    for warning in dict.fromkeys(str(w.message) for w in caught if w.category is UserWarning):
        print_error(warning, label="warning")
    if len(workbooks) == 1:
        _print_report(result)
    else:
        _print_segments(result)
    if json_file is not None:
        # allow_nan=False: a NaN or infinity left in is a bug to see, not invalid JSON to write
        write_json_option(json_file, result.to_json())


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
        console.print(readable(table))
        console.print(Text.assemble("Focus area: ", (str(data["focus_area"]), "bold")))
        if "what_to_do" in data:
            console.print(Text(f"What to do: {data['what_to_do']}"))
            console.print(Text(f"KPIs to watch: {', '.join(data['kpis_to_watch'])}"))
    if result.by_channel is not None:
        _print_by_channel(console, result.by_channel, result.currency)
    if result.forecast is not None:
        console.print(Text(_landing_line(result.forecast, result.currency)), soft_wrap=True)
    if result.goals:
        goals = Table(title="Goals", title_justify="left")
        for heading in ["Goal", "Owner", "Status", "Progress", "Why / what it means"]:
            goals.add_column(heading)
        for goal in result.goals:
            progress = goal.get("progress")
            goals.add_row(Text(str(goal["metric"] or "")), Text(str(goal["owner"] or "")),
                          Text(goal["status"]), "" if progress is None else f"{progress:.0%}",
                          Text(goal["smart"] or goal["meaning"]))  # fmt: skip
        console.print(readable(goals))


def _landing_line(forecast: dict, currency: str) -> str:
    """Where the year lands, from the workbook's Forecast sheet, in a sentence."""

    def money(value: float) -> str:
        return show_money(round(value), currency)

    spread, pace = forecast["range"], forecast["next_quarter"]
    landing = forecast["landing"]["stage probability"] if "stage probability" in (
        forecast["landing"]) else next(iter(forecast["landing"].values()))  # fmt: skip
    pacing = pace["pacing"]
    shown = "-" if pacing is None or pacing != pacing else f"{pacing:.0%}"
    return (
        f"Forecast (as of {forecast['as_of']}): the year lands at {money(landing)} of "
        f"{money(forecast['goal'])} (P10 {money(spread['p10'])}, P50 {money(spread['p50'])}"
        f", P90 {money(spread['p90'])}; chance of the goal {spread['chance_of_goal']:.0%}); "
        f"next quarter ({pace['quarter']}) pipeline pacing {shown}."
    )


def _print_segments(result) -> None:
    """Each segment's report under its name, then the segments side by side."""
    console = Console(highlight=False)
    for name, one in result.reports.items():
        console.rule(Text(name), align="left")
        _print_report(one)
    console.rule()
    table = Table(title="Segments, to date", title_justify="left")
    for heading in ["Segment", "Focus area", "Attainment", "Revenue at risk"]:
        table.add_column(heading, justify="left" if heading in ("Segment", "Focus area")
                         else "right")  # fmt: skip
    for name, one in result.reports.items():
        focus = one.to_json()["focus_area"]
        found = one.diagnosis.focus if one.diagnosis is not None else None
        table.add_row(Text(name), Text(str(focus)),
                      "" if found is None else _percent(found.attainment),
                      show(round(result.at_risk[name], 2)))  # fmt: skip
    console.print(readable(table))
    first = result.fix_first
    if first is None:
        console.print(Text("Segment to fix first: none; every segment is on plan so far."))
        return
    console.print(Text.assemble("Segment to fix first: ", (first, "bold"),
                                f" ({show(round(result.at_risk[first], 2))} of revenue lost "
                                "at its focus area so far)"))  # fmt: skip


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
    console.print(readable(table))
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
