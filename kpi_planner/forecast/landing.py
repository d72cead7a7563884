"""Where the plan year lands: closed to date, the open opportunities weighted three ways, and
the deals the plan's opportunities still to be created are expected to bring; the range of
the landing, the gap to the goal and what closes it.

The math is :mod:`kpi_engine.forecast`'s; this module puts the opportunities table
(:mod:`kpi_planner.inputs.opportunities`) and the plan (:mod:`kpi_planner.plan.one_plan`)
together for one date, ``as_of``. Months are the plan's (its fiscal year's).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import kpi_engine
from kpi_engine import fiscal
from kpi_engine.close_rates import period_index
from kpi_planner.inputs.opportunities import Opportunity
from kpi_planner.plan.one_plan import PlanInputs, PlanOutputs

#: The ways open opportunities are weighted, in the order reports show them.
WAYS = ("stage probability", "forecast category", "close-rate curve")


@dataclass(frozen=True)
class YearWindow:
    """The plan year's first and last day, and where ``as_of`` falls in it."""

    first: dt.date
    last: dt.date
    as_of: dt.date

    @property
    def months_left(self) -> int:
        """Months of the year from ``as_of``'s on, that one included."""
        return 12 - (period_index(self.as_of, "month") - period_index(self.first, "month"))


@dataclass(frozen=True)
class Landing:
    """The forecast of the year: each figure in money unless said otherwise."""

    goal: float
    closed: float
    planned_future: float  # from the plan's opportunities still to be created
    open_expected: dict[str, float]  # by way of weighting
    range: kpi_engine.LandingRange
    range_way: str
    open_count: int
    overdue: list[int] = field(default_factory=list)  # rows of open deals past their close
    won_by_month: list[float] = field(default_factory=list)  # the plan year's 12 months
    expected_by_month: list[float] | None = None  # open, by close month, by probability
    curve: list[float] = field(default_factory=list)  # the table's monthly close rates

    def landing(self, way: str) -> float:
        return self.closed + self.open_expected[way] + self.planned_future


def year_window(inputs: PlanInputs, as_of: dt.date) -> YearWindow:
    """The plan year's days; ValueError when ``as_of`` is after its last."""
    months = fiscal.fiscal_months(inputs.plan_year, inputs.fiscal_year_start,
                                  inputs.fiscal_year_named_by)  # fmt: skip
    (first_year, first_month), (last_year, last_month) = months[0], months[-1]
    last = dt.date(last_year, last_month, calendar.monthrange(last_year, last_month)[1])
    window = YearWindow(dt.date(first_year, first_month, 1), last, as_of)
    if not window.first <= as_of <= last:
        raise ValueError(
            f"--as-of {as_of.isoformat()}: is not in the plan year ({window.first.isoformat()}"
            f" to {last.isoformat()}): a forecast lands a year in progress; give --plan-year "
            "for the year it falls in"
        )
    return window


def forecast(
    opportunities: Sequence[Opportunity], inputs: PlanInputs, outputs: PlanOutputs,
    window: YearWindow, weights: Mapping[str, float] | None = None, seed: int = 2026,
) -> Landing:  # fmt: skip
    """The landing of the plan year for the table's opportunities as of ``window.as_of``."""
    as_of = window.as_of
    closed = math.fsum(o.amount for o in opportunities
                       if o.won is not None and window.first <= o.won <= as_of)  # fmt: skip
    open_deals = [o for o in opportunities if o.is_open(as_of) and o.created <= as_of]
    in_year = [o for o in open_deals if o.close is None or o.close <= window.last]
    curve = _measured_curve(opportunities, as_of)
    chances = _chances(in_year, opportunities, curve, window, weights)
    amounts = [o.amount for o in in_year]
    expected = {way: kpi_engine.weighted_pipeline(amounts, p) for way, p in chances.items()}
    future = _planned_future(outputs, inputs.deal_size, curve, window)
    range_way = next(way for way in WAYS if way in chances)
    spread = kpi_engine.landing_range(amounts, chances[range_way], closed + future,
                                      inputs.revenue_goal, seed=seed)  # fmt: skip
    overdue = [o.row for o in in_year if o.close is not None and o.close < as_of]
    won = _by_month([(o.won, o.amount) for o in opportunities
                     if o.won is not None and o.won <= as_of], window)  # fmt: skip
    by_close = None
    if WAYS[0] in chances:
        by_close = _by_month([(o.close, o.amount * p) for o, p in
                              zip(in_year, chances[WAYS[0]], strict=True)], window)  # fmt: skip
    return Landing(inputs.revenue_goal, closed, future, expected, spread, range_way,
                   len(in_year), overdue, won, by_close, curve)  # fmt: skip


def _by_month(dated: Sequence[tuple[dt.date | None, float]], window: YearWindow) -> list[float]:
    """Amounts added up by the plan year's month their date falls in (others left out)."""
    first = period_index(window.first, "month")
    totals = [[] for _ in range(12)]
    for day, amount in dated:
        month = None if day is None else period_index(day, "month") - first
        if month is not None and 0 <= month < 12:
            totals[month].append(amount)
    return [math.fsum(amounts) for amounts in totals]


def _measured_curve(opportunities: Sequence[Opportunity], as_of: dt.date) -> list[float]:
    """The monthly close-rate curve of the table's history (no wins yet: no curve)."""
    try:
        measured = kpi_engine.close_rate_curve(
            [o.created for o in opportunities], [o.won for o in opportunities],
            period="month", as_of=as_of, rows=[o.row for o in opportunities],
        )  # fmt: skip
    except kpi_engine.KPIInputError:  # no cohort complete yet: nothing measured
        return []
    return list(measured.rates) if measured.total > 0 else []


def _chances(
    in_year: Sequence[Opportunity], deals: Sequence[Opportunity], curve: list[float],
    window: YearWindow, weights: Mapping[str, float] | None,
) -> dict[str, list[float]]:  # fmt: skip
    """Each open deal's chance by each way the table allows: its stage probability (a
    probability column), its forecast category (a category column), the curve at its age
    (a history with wins)."""
    chances: dict[str, list[float]] = {}
    # A way is there when the table has its column (values in some row, open or closed);
    # with no open deal each way expects 0.
    if any(o.probability is not None for o in deals):
        chances[WAYS[0]] = [_given(o.probability, o.row, "probability") for o in in_year]
    if any(o.category is not None for o in deals):
        categories = [_given(o.category, o.row, "forecast category") for o in in_year]
        try:
            chances[WAYS[1]] = kpi_engine.category_probabilities(categories, weights)
        except kpi_engine.KPIInputError as err:  # named by the table's rows
            raise ValueError("\n".join(
                f"row {in_year[int(p.argument[11:-1])].row}: forecast category {p.value!r} "
                f"{p.rule}; weigh it with --category-weights" for p in err.problems
            )) from None  # fmt: skip
    if curve:
        month = period_index(window.as_of, "month")
        ages = [month - period_index(o.created, "month") for o in in_year]
        chances[WAYS[2]] = kpi_engine.curve_probabilities(ages, curve, window.months_left)
    if not chances:
        raise ValueError(
            "the table gives no way to weigh its open deals: fill a probability or forecast "
            "category column, or give won dates for a close-rate curve"
        )
    return chances


def _given(value, row: int, what: str):
    """A value an open deal must have once its column exists."""
    if value is None:
        raise ValueError(f"row {row}: the open deal has no {what}; give one (every open deal "
                         f"needs a {what} once the table has them)")  # fmt: skip
    return value


def _planned_future(
    outputs: PlanOutputs, deal_size: float, curve: list[float], window: YearWindow
) -> float:
    """Revenue expected from the plan's opportunities of the months after ``as_of``'s,
    each month's cohort closing by the curve before the year ends (none without a curve)."""
    later = window.months_left - 1
    if not curve or later <= 0:
        return 0.0
    planned = outputs.required_monthly[-2][12 - later :].tolist()  # the opportunity stage
    return kpi_engine.planned_wins(planned, curve) * deal_size
