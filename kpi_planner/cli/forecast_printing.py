"""What ``kpi-planner forecast`` prints and writes: computed values in, text out."""

from __future__ import annotations

import dataclasses
import math

from rich.console import Console
from rich.table import Table

from kpi_planner.forecast.landing import WAYS, Landing, YearWindow
from kpi_planner.forecast.next_steps import GapPlan, Pacing
from kpi_planner.plan.one_plan import PlanInputs
from kpi_planner.reports.numbers import show, show_money
from kpi_planner.reports.text_tables import readable


def print_forecast(
    landing: Landing, gap: GapPlan | None, pacing: Pacing, inputs: PlanInputs,
    window: YearWindow,
) -> None:  # fmt: skip
    """The landing three ways, its range, what closes the gap, and next quarter's pacing."""
    code = inputs.currency

    def money(value: float) -> str:  # whole units: a forecast is not read to the cent
        return show_money(round(value), code)

    console = Console(highlight=False)
    console.print(_heading(landing, window, money), markup=False)
    table = Table(title="Where the year lands", title_justify="left")
    for header in ("weighted by", "closed", "open, expected", "to create, expected",
                   "landing", "gap to goal"):  # fmt: skip
        table.add_column(header, justify="left" if header == "weighted by" else "right")
    for way in (w for w in WAYS if w in landing.open_expected):
        total = landing.landing(way)
        table.add_row(way, money(landing.closed), money(landing.open_expected[way]),
                      money(landing.planned_future), money(total),
                      money(max(landing.goal - total, 0)))  # fmt: skip
    console.print(readable(table))
    console.print(_range_line(landing, money), markup=False)
    console.print(_gap_line(gap, inputs, money), markup=False)
    console.print(_pacing_line(pacing, money), markup=False)
    if landing.overdue:
        more = " ..." if len(landing.overdue) > 10 else ""
        rows = ", ".join(map(str, landing.overdue[:10])) + more
        console.print(f"{len(landing.overdue)} open deals are past their close date (rows "
                      f"{rows}): counted in the year; update their close dates.",
                      markup=False)  # fmt: skip


def _heading(landing: Landing, window: YearWindow, money) -> str:
    months = "1 month" if window.months_left == 1 else f"{window.months_left} months"
    return (f"Forecast as of {window.as_of.isoformat()}, {months} left of "
            f"the plan year ({window.first.isoformat()} to {window.last.isoformat()}): goal "
            f"{money(landing.goal)}; {landing.open_count} open deals close in the "
            "year.")  # fmt: skip


def _range_line(landing: Landing, money) -> str:
    spread = landing.range
    how = ("exact" if spread.method == "exact" else
           f"{spread.draws:,} draws, seed {spread.seed}")  # fmt: skip
    chance = "" if spread.chance_of_goal is None else (
        f"; chance of reaching the goal {spread.chance_of_goal:.0%}")  # fmt: skip
    return (
        f"Range ({landing.range_way}, each deal won or lost on its own; {how}): P10 "
        f"{money(spread.p10)}, P50 {money(spread.p50)}, P90 {money(spread.p90)}{chance}."
    )


def _gap_line(gap: GapPlan | None, inputs: PlanInputs, money) -> str:
    if gap is None:
        return "No gap at P50: the likely landing reaches the goal."
    start = f"To close the P50 gap of {money(gap.gap)}: {show(gap.deals)} more deals"
    if not gap.measured:
        return (f"{start}; the table has no won deals to measure how fast opportunities "
                "close, so the opportunities to create for them are not computed.")  # fmt: skip
    if gap.too_late:
        return (f"{start}; too late: no opportunity created now is expected to close before "
                "the year ends (by the close-rate curve).")  # fmt: skip
    volumes = ", ".join(f"{show(round(v, 2))} {stage}" for stage, v in
                        reversed(list(gap.volumes.items())))  # fmt: skip
    budget = "" if math.isnan(gap.budget) else (
        f", about {money(gap.budget)} of budget at the plan's cost per unit of its top "
        f"stage ({inputs.stages[0]})")  # fmt: skip
    return f"{start}: create now {volumes}{budget}."


def _pacing_line(pacing: Pacing, money) -> str:
    typical = ("measured on the table's quarters" if pacing.share_measured
               else "assumed to build evenly: no past quarter in the table")  # fmt: skip
    return (f"Next quarter ({pacing.quarter}): target {money(pacing.target)}, day-one pipeline "
            f"target {money(pacing.day_one_target)} ({pacing.coverage:g}x); in hand "
            f"{money(pacing.in_hand)} ({pacing.coverage_now:.2f}x). Day {pacing.day} of this "
            f"quarter: a typical quarter had {pacing.share_by_now:.0%} of its day-one pipeline "
            f"({typical}), so {money(pacing.needed_now)} is needed by now"
            + (f": pacing {pacing.pacing:.0%}." if pacing.needed_now > 0 else
               ": nothing to pace against yet.")
            )  # fmt: skip


def forecast_record(
    landing: Landing, gap: GapPlan | None, pacing: Pacing, inputs: PlanInputs,
    window: YearWindow,
) -> dict[str, object]:  # fmt: skip
    """The forecast as JSON-ready data."""
    spread = landing.range
    return {
        "as_of": window.as_of.isoformat(), "currency": inputs.currency or None,
        "year": {"first": window.first.isoformat(), "last": window.last.isoformat(),
                 "months_left": window.months_left},
        "goal": landing.goal, "closed": landing.closed, "open_deals": landing.open_count,
        "planned_future": landing.planned_future,
        "landing": {way: {"open_expected": landing.open_expected[way],
                          "landing": landing.landing(way),
                          "gap": max(landing.goal - landing.landing(way), 0.0)}
                    for way in WAYS if way in landing.open_expected},
        "range": {"weighted_by": landing.range_way, "method": spread.method,
                  "draws": spread.draws or None, "seed": spread.seed, "mean": spread.mean,
                  "variance": spread.variance, "p10": spread.p10, "p50": spread.p50,
                  "p90": spread.p90, "chance_of_goal": spread.chance_of_goal},
        "gap_plan": None if gap is None else {
            "gap": gap.gap, "deals": gap.deals, "too_late": gap.too_late,
            "curve_measured": gap.measured,
            "volumes": gap.volumes, "budget": None if math.isnan(gap.budget) else gap.budget},
        "next_quarter": dataclasses.asdict(pacing),
        "by_month": {"won": landing.won_by_month,
                     "open_expected_by_close_month": landing.expected_by_month},
        "overdue_rows": landing.overdue,
    }  # fmt: skip
