"""What ``kpi-planner pipeline`` computes and prints: the curve, and the plan's coverage.

The numbers all come from :mod:`kpi_engine` (the curve, expected closes, the generation
plan); this module only picks the table's history, names problems in the table's words
and lays out the tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

import kpi_engine
from kpi_engine.close_rates import PERIODS_PER_YEAR, CloseRateCurve, as_date, period_index
from kpi_planner.reports.numbers import show
from kpi_planner.reports.text_tables import readable


def in_table_words(
    err: kpi_engine.KPIInputError, file_name: str, columns: Mapping[str, str]
) -> str:
    """The engine's problems named by the table's row and column: ``row 7, column won``."""
    lines = []
    for problem in err.problems:
        column = columns.get(problem.argument, problem.argument)
        where = (f"{file_name} row {problem.row}, column {column}"
                 if isinstance(problem.row, int) else column)  # fmt: skip
        lines.append(f"{where}: {kpi_engine.errors.show_value(problem.value)}: {problem.rule}")
    return "\n".join(lines)


def curve_record(curve: CloseRateCurve) -> dict[str, object]:
    """The curve as JSON-ready data."""
    return {
        "period": curve.period,
        "as_of": curve.as_of.isoformat(),
        "rates": list(curve.rates),
        "won": list(curve.won),
        "opportunities": list(curve.opportunities),
        "cohorts": list(curve.cohorts),
        "total": curve.total,
    }


def print_curve(curve: CloseRateCurve) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Close-rate curve by {curve.period}, as of {curve.as_of}",
                  title_justify="left")  # fmt: skip
    for header in (f"{curve.period}s after creation", "won", "of opportunities", "cohorts",
                   "close rate", "won so far"):  # fmt: skip
        table.add_column(header, justify="right")
    so_far = 0.0
    for k, rate in enumerate(curve.rates):
        so_far += rate
        label = "same" if k == 0 else str(k)
        table.add_row(label, f"{curve.won[k]:,}", f"{curve.opportunities[k]:,}",
                      str(curve.cohorts[k]), f"{rate:.1%}", f"{so_far:.1%}")  # fmt: skip
    console = Console(highlight=False)
    console.print(readable(table))
    console.print(f"In all, {curve.total:.1%} of opportunities are won. Each column counts only "
                  f"the {curve.period}s old enough to show it.", markup=False)  # fmt: skip


def _history(
    table: pd.DataFrame, created_column: str, period: str, plan_year: int, length: int,
    start: int = 1, named_by: str = "end",
) -> list[float]:  # fmt: skip
    """Opportunities the table created in each of the ``length`` periods before the plan (a
    fiscal year from month ``start``: its quarters are counted from that month)."""
    per_year = PERIODS_PER_YEAR[period]
    first = kpi_engine.fiscal.first_calendar_year(plan_year, start, named_by) * per_year
    counts: dict[int, int] = {}
    for value in table[created_column]:
        # Months since year 0, less the fiscal year's offset, in months or quarters.
        index = (period_index(as_date(value), "month") - (start - 1)) // (12 // per_year)
        counts[index] = counts.get(index, 0) + 1
    return [float(counts.get(first - length + i, 0)) for i in range(length)]


def plan_coverage(
    table: pd.DataFrame,
    created_column: str,
    curve: CloseRateCurve,
    goal: float,
    deal_size: float,
    plan_year: int,
    own: Sequence[float] | None,
    fiscal_year_start: int = 1,
    fiscal_year_named_by: str = "end",
) -> dict[str, object]:
    """Each plan period's need, the history's closes, the generation plan (the engine's, or
    ``own``) and its expected closes and gaps; the periods of ``plan_year``, a fiscal year
    from ``fiscal_year_start`` (labelled ``Apr 2027`` or ``Q1 FY2028``)."""
    periods = PERIODS_PER_YEAR[curve.period]
    needed = [kpi_engine.customers_needed(goal, deal_size) / periods] * periods
    history = _history(table, created_column, curve.period, plan_year, len(curve.rates) - 1,
                       fiscal_year_start, fiscal_year_named_by)  # fmt: skip
    suggested = kpi_engine.generation_plan(needed, list(curve.rates), history=history)
    generated = list(own) if own is not None else list(suggested.generated)
    expected = kpi_engine.expected_closes([*history, *generated], list(curve.rates))
    gap = kpi_engine.pipeline_gap([*history, *generated], list(curve.rates), needed)
    from_history = kpi_engine.expected_closes([*history, *[0.0] * periods], list(curve.rates))
    fiscal = kpi_engine.fiscal
    return {
        "periods": fiscal.month_labels(plan_year, fiscal_year_start, fiscal_year_named_by)
        if periods == 12
        else fiscal.quarter_labels(plan_year, fiscal_year_start),
        "needed": needed,
        "history": history,
        "from_history": from_history[len(history) :],
        "generated": generated,
        "generated_by": "you (--generated)" if own is not None else "kpi-planner",
        "expected": expected[len(history) :],
        "gap": gap,
        "shortfall": list(suggested.shortfall),
    }


def print_plan(plan: Mapping[str, object], period: str, plan_year: int | str) -> None:
    from rich.console import Console
    from rich.table import Table

    mine = plan["generated_by"] != "kpi-planner"
    title = (f"Pipeline for {plan_year}: your plan's coverage" if mine else
             f"Pipeline for {plan_year}: opportunities to create, steady, so every "
             f"{period}'s deals are covered")  # fmt: skip
    table = Table(title=title, title_justify="left")
    for header in (period, "deals needed", "from earlier opportunities", "create",
                   "deals expected", "surplus (+) / gap (-)"):  # fmt: skip
        table.add_column(header, justify="right")
    rows = zip(plan["periods"], plan["needed"], plan["from_history"], plan["generated"],
               plan["expected"], plan["gap"], strict=True)  # fmt: skip
    for label, need, past, create, expected, gap in rows:
        shown_gap = "0" if abs(gap) < 0.005 else f"{gap:+,.2f}"  # no "-0.00"
        table.add_row(label, show(round(need, 2)), show(round(past, 2)), show(round(create, 1)),
                      show(round(expected, 2)), shown_gap)  # fmt: skip
    console = Console(highlight=False)
    console.print(readable(table))
    short = [(label, s) for label, s in zip(plan["periods"], plan["shortfall"], strict=True)
             if s > 1e-9]  # fmt: skip
    if short:
        listed = ", ".join(f"{label} {s:,.2f}" for label, s in short)
        console.print(f"Too late to create: opportunities of the plan year close after {listed} "
                      "deals were due; only earlier opportunities could have covered them.",
                      markup=False)  # fmt: skip
    if not mine:
        total = sum(plan["generated"])
        console.print(
            f"{total:,.0f} opportunities in {plan_year}: the fewest that cover every "
            f"{period}, held steady from one {period} to the next.",
            markup=False,
        )
