"""``kpi-planner plan --lags / --sales-cycle / --growth``: the plan in time.

Reads the options into the engine's terms (days per step, growth as a fraction) and says,
in a marketer's words, what the timeline means.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import kpi_engine
from kpi_engine.timeline import quarters_ahead
from kpi_planner.cli.app import fail, growth_option, numbers

if TYPE_CHECKING:  # only the timeline's table is a DataFrame: pandas comes with it
    import pandas as pd


def lag_days(lags: str | None, sales_cycle: float | None, stages: Sequence[str]) -> list[float]:
    """Days each step takes, from ``--lags`` (one per step) or ``--sales-cycle`` (the days
    from the top stage to a closed deal, spread evenly over the steps)."""
    steps = len(stages) - 1
    if lags is not None and sales_cycle is not None:
        raise fail("--sales-cycle: give either --lags (days per step) or --sales-cycle")
    if lags is not None:
        what = f"the funnel {', '.join(stages)} (one lag in days between each pair of stages)"
        return numbers(lags, "--lags", expected=steps, what=what)
    if sales_cycle is None or sales_cycle < 0:
        raise fail(f"--sales-cycle {sales_cycle}: give the days from the top stage to a deal, "
                   "0 or more")  # fmt: skip
    return [sales_cycle / steps] * steps


def growth_fraction(growth: str | None) -> float:
    """``--growth 25%`` or ``0.25`` as 0.25; none is 0 (next year like this one)."""
    return 0.0 if growth is None else growth_option(growth)


def describe(stages: Sequence[str], months_ahead: dict[str, int], periods: int, plan_year: int,
             growth: float, fiscal_year_start: int = 1) -> str:  # fmt: skip
    """What the timeline means, in one paragraph (years as finance names them: FY2028).

    ``months_ahead``: each stage's months ahead of its deals; a quarterly timeline is the
    monthly one added up, its lead-in those months in whole quarters."""
    unit = "month" if periods == 12 else "quarter"
    top = stages[0]
    ahead = months_ahead[top]
    how = "" if periods == 12 else ", its months added up"
    text = (f"Timeline: each stage in the {unit} it must arrive{how}. {top} come "
            f"{_months(ahead)} ahead of the deals they become")  # fmt: skip
    if ahead:
        shown = ahead if periods == 12 else quarters_ahead(ahead)  # the lead-in's columns
        # "the first 3 months shown are", "the first quarter shown is"
        first = f"{shown} {unit}s shown are" if shown != 1 else f"{unit} shown is"
        works = "work" if ahead != 1 else "works"
        before, year, after = (kpi_engine.fiscal.year_label(plan_year + k, fiscal_year_start)
                               for k in (-1, 0, 1))  # fmt: skip
        last = _months(ahead) if ahead != 1 else "month"
        text += (f", so the first {first} in {before}, for {year}'s first deals, "
                 f"and the last {last} of {year} {works} for {after}'s first "
                 f"deals, planned {growth:+.0%} on this year")  # fmt: skip
    return text + "."


def _months(count: int) -> str:
    """``1 month``, ``3 months``."""
    return f"{count} month{'s' if count != 1 else ''}"


def timeline_table(
    goal: float,
    rates: list[float],
    deal_size: float | None,
    days: list[float],
    growth: float,
    periods: int,
    weights: list[float] | None,
    whole_numbers: bool,
    stages: Sequence[str] | None,
    plan_year: int,
    fiscal_year_start: int = 1,
    fiscal_year_named_by: str = "end",
) -> tuple[pd.DataFrame, str]:
    """The timeline (stages x periods, labelled with their years) and what it means."""
    plan = kpi_engine.timeline(goal, rates, deal_size=deal_size, lag_days=days, growth=growth,
                               periods=periods, weights=weights, whole_numbers=whole_numbers,
                               stages=stages, plan_year=plan_year,
                               fiscal_year_start=fiscal_year_start,
                               fiscal_year_named_by=fiscal_year_named_by)  # fmt: skip
    names = list(plan.index)
    offsets = kpi_engine.stage_offsets(days, periods=12, stages=names)
    return plan, describe(names, offsets, periods, plan_year, growth, fiscal_year_start)
