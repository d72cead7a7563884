"""``kpi-planner pipeline OPPORTUNITIES``: the close-rate curve, and the pipeline a goal needs.

Reads a table of opportunities (created date, closed-won date or empty), measures the
close-rate curve with :func:`kpi_engine.close_rate_curve`, and with ``--goal`` and
``--deal-size`` plans the opportunities to create each period of the plan year so every
period's deals are covered (:func:`kpi_engine.generation_plan`), counting the table's
recent opportunities as history; with ``--generated``, the coverage of a plan of one's own
(:func:`kpi_engine.pipeline_gap`).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kpi_planner.cli import plan_options
from kpi_planner.cli.app import (
    app,
    check_not_an_input,
    fail,
    money,
    numbers,
    read_fiscal_year,
    show,
    write_json_option,
)
from kpi_planner.inputs.defaults import DEFAULT_PLAN_YEAR, FIRST_PLAN_YEAR, LAST_PLAN_YEAR
from kpi_planner.inputs.plan_fields import option_help

if TYPE_CHECKING:
    import pandas as pd

    from kpi_engine import CloseRateCurve


class Period(StrEnum):
    month = "month"
    quarter = "quarter"


@app.command()
def pipeline(
    opportunities: Annotated[
        Path,
        typer.Argument(
            help="Opportunities: .csv, .xlsx or .parquet, one row each, with a "
            "created date and a won date (empty if not won).",
            show_default=False,
        ),
    ],
    created_column: Annotated[
        str, typer.Option(help="The column of the date each opportunity was created.")
    ] = "created",
    won_column: Annotated[
        str, typer.Option(help="The column of the date it was won; empty when it was not.")
    ] = "won",
    period: Annotated[Period, typer.Option(help="Measure and plan by month or quarter.")] = (
        Period.month
    ),
    as_of: Annotated[
        str | None,
        typer.Option(help="The date the data runs to (YYYY-MM-DD); default its latest date."),
    ] = None,
    goal: Annotated[
        str | None,
        typer.Option(
            help="The plan year's revenue goal: plan the pipeline for it.", metavar="AMOUNT"
        ),
    ] = None,
    deal_size: Annotated[
        str | None, typer.Option(help=option_help("deal_size", "With --goal."), metavar="AMOUNT")
    ] = None,
    plan_year: Annotated[
        int,
        typer.Option(
            help="The plan year: opportunities created before it are history.",
            min=FIRST_PLAN_YEAR,
            max=LAST_PLAN_YEAR,
        ),
    ] = DEFAULT_PLAN_YEAR,
    fiscal_year_start: plan_options.FiscalYearStart = None,
    fiscal_year_named_by: plan_options.FiscalYearNamedBy = None,
    generated: Annotated[
        str | None,
        typer.Option(
            help="Your own plan: opportunities to create each period of the plan "
            "year, comma-separated; shows its expected deals and gaps."
        ),
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the results to this JSON file.")
    ] = None,
) -> None:
    """The close-rate curve of past opportunities, and the pipeline a goal needs.

    Of the opportunities created in a month, what share is won that month, one month later,
    two later...: measured on the cohorts old enough to show each column. With --goal and
    --deal-size, the opportunities to create each month of --plan-year so that every
    month's deals (goal / deal size / 12) are expected to close, counting the table's
    opportunities of the months before as history. With --fiscal-year-start, --plan-year
    is a fiscal year (its name by --fiscal-year-named-by) and its months and quarters are
    the fiscal year's.
    """
    from kpi_planner.reports import pipeline as pipeline_report

    check_not_an_input("--json", json_out, opportunities)
    fiscal_year = read_fiscal_year(fiscal_year_start, fiscal_year_named_by)
    table = _read_opportunities(opportunities, created_column, won_column)
    goal, deal_size = money(goal, "--goal"), money(deal_size, "--deal-size")
    if (goal is None) != (deal_size is None):
        raise fail("--goal and --deal-size: give both to plan the pipeline, or neither")
    curve = _curve(table, opportunities, created_column, won_column, period, as_of)
    results: dict[str, object] = {"curve": pipeline_report.curve_record(curve)}
    pipeline_report.print_curve(curve)
    if goal is not None and deal_size is not None:
        own = _own_plan(goal, deal_size, generated, period, plan_year)
        if curve.total == 0:  # every rate 0: no pipeline of any size would close a deal
            raise fail(f"--goal: no opportunity of {opportunities.name} was won by "
                       f"{curve.as_of.isoformat()} (column {won_column}), so its history has "
                       "no close rate to plan the pipeline with; give a history with won "
                       "deals")  # fmt: skip
        plan = _plan(table, created_column, curve, goal, deal_size, plan_year, own, fiscal_year)
        results["plan"] = plan
        from kpi_engine import fiscal

        year = fiscal.year_label(plan_year, fiscal_year[0])  # 2027, or FY2028
        pipeline_report.print_plan(plan, period.value, year)
    elif generated is not None:
        raise fail("--generated: give --goal and --deal-size too, to compare it with a need")
    if json_out is not None:
        write_json_option(json_out, results)


def _read_opportunities(opportunities: Path, created_column: str, won_column: str) -> pd.DataFrame:
    """The table of opportunities, with the created and won columns it is to have."""
    import pandas as pd

    from kpi_planner.inputs import tables

    try:
        table = pd.concat(list(tables.read_chunks(opportunities)))
    except tables.TableError as err:
        raise fail(err) from None
    for option, column in (("--created-column", created_column), ("--won-column", won_column)):
        if column not in table.columns:
            found = ", ".join(map(str, table.columns))
            raise fail(f"{option} {column}: {opportunities.name} has no such column "
                       f"(it has {found})")  # fmt: skip
    return table


def _curve(
    table: pd.DataFrame, opportunities: Path, created_column: str, won_column: str,
    period: Period, as_of: str | None,
) -> CloseRateCurve:  # fmt: skip
    """The table's close-rate curve; a bad date is named by the table's row and column."""
    import kpi_engine
    from kpi_planner.reports import pipeline as pipeline_report

    try:
        return kpi_engine.close_rate_curve(
            table[created_column].tolist(), table[won_column].tolist(), period=period.value,
            as_of=as_of, rows=list(table.index),
        )  # fmt: skip
    except kpi_engine.KPIInputError as err:
        names = {"created": created_column, "won": won_column, "as_of": "--as-of"}
        raise fail(pipeline_report.in_table_words(err, opportunities.name, names)) from None


def _own_plan(
    goal: float, deal_size: float, generated: str | None, period: Period, plan_year: int
) -> list[float] | None:
    """The goal and deal size checked, and ``--generated``'s numbers (None: not given)."""
    import kpi_engine

    if deal_size <= 0 or goal < 0:
        raise fail(f"--goal {show(goal)} --deal-size {show(deal_size)}: the goal must be 0 "
                   "or more and the deal size more than 0")  # fmt: skip
    periods = kpi_engine.pipeline.PERIODS_PER_YEAR[period.value]
    own = (numbers(generated, "--generated", expected=periods,
                   what=f"--generated (one number per {period.value} of {plan_year})")
           if generated is not None else None)  # fmt: skip
    if own is not None and min(own) < 0:
        raise fail("--generated: opportunities are 0 or more")
    return own


def _plan(
    table: pd.DataFrame, created_column: str, curve: CloseRateCurve, goal: float,
    deal_size: float, plan_year: int, own: list[float] | None, fiscal_year: tuple[int, str],
) -> dict[str, object]:  # fmt: skip
    """The pipeline the goal needs (and the coverage of ``own``), as the report gives it."""
    import kpi_engine
    from kpi_planner.reports import pipeline as pipeline_report

    try:
        return pipeline_report.plan_coverage(table, created_column, curve, goal, deal_size,
                                             plan_year, own, *fiscal_year)  # fmt: skip
    except kpi_engine.KPIInputError as err:
        raise fail(err) from None
