"""Plan vs actual: attainment, pacing, actual vs planned rates, and the quarter's focus area.

DOMAIN.md section 4 (seed 002): track actuals against the plan by month and quarter; the
first stage, top down, whose conversion rate (or, at the top, whose volume) falls short of
plan is the focus area, and the playbook (:mod:`kpi_engine.playbook`) says what to do. Rates and
tolerances are fractions; volumes are counts per period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from kpi_engine._args import Args, Given
from kpi_engine.errors import KPIInputError, Problem
from kpi_engine.funnel import resolve_stages, transition_names
from kpi_engine.playbook import TRAFFIC, Play, playbook_for

__all__ = [
    "Diagnosis",
    "FocusArea",
    "attainment",
    "diagnose",
    "expected_to_date",
    "focus_area",
]


def attainment_core(args: Args, actual: Given, planned: Given) -> np.ndarray:
    """actual / planned; see :func:`attainment`."""
    done = args.non_negative("actual", actual, "a volume")
    target = args.positive("planned", planned, "attainment is undefined against a plan of 0")
    args.raise_if_any()
    return done / target


def attainment(actual: float, planned: float) -> float:
    """Share of the plan reached: ``actual / planned`` (1.0 = on plan, 0.8 = 20 % short).

    Parameters
    ----------
    actual
        Volume reached (>= 0): leads, MQL, revenue... in the period, quarter or year to date.
    planned
        Planned volume for the same span (> 0).

    Notes
    -----
    A plan of 0 is an error (undefined, #DIV/0! in Excel). Source: seed 002
    (DOMAIN.md section 4).

    Examples
    --------
    The plan asked for 1,250 leads in the quarter; 1,000 came:

    >>> attainment(1000, 1250)
    0.8
    """
    return float(attainment_core(Args(), actual, planned)[0])


def expected_to_date(planned: float, start: dt.date, end: dt.date, today: dt.date) -> float:
    """Where a stage should be today if on plan: the planned volume times the time elapsed.

    Parameters
    ----------
    planned
        Planned volume for the span from ``start`` to ``end`` (>= 0).
    start, end
        First and last day of the span (a month, a quarter, the year), ``end`` included.
    today
        The day to pace against; before ``start`` gives 0, after ``end`` the whole plan.

    Notes
    -----
    ``planned * elapsed days / days in the span``, counting ``today`` as elapsed: pacing
    assumes an even flow within the span (phase the plan by month for seasonality).

    Examples
    --------
    375 leads planned for April (30 days); by 15 April, 15 days have elapsed:

    >>> expected_to_date(375, dt.date(2027, 4, 1), dt.date(2027, 4, 30), dt.date(2027, 4, 15))
    187.5
    """
    args = Args()
    volume = args.non_negative("planned", planned, "a volume")
    args.raise_if_any()
    if end < start:
        raise KPIInputError([Problem("end", end.isoformat(), f"is before start {start}")])
    span = (end - start).days + 1
    elapsed = min(max((today - start).days + 1, 0), span)
    return float(volume[0] * elapsed / span)


@dataclass(frozen=True)
class FocusArea:
    """The stage to fix first, how far it is from plan, and what to do about it."""

    where: str  # TRAFFIC, or a transition such as "MQL -> SQL"
    actual: float  # the actual volume (traffic) or conversion rate
    planned: float  # the planned volume or rate (or the benchmark given for it)
    attainment: float  # actual / planned
    play: Play | None  # None when the playbook has nothing for this stage

    def __str__(self) -> str:
        what = "traffic" if self.where == TRAFFIC else f"the {self.where} rate"
        text = f"Focus on {what}: {self.attainment:.0%} of plan."
        return f"{text} {self.play.action}" if self.play else text


def focus_area(
    actual_volumes: Sequence[float],
    planned_volumes: Sequence[float],
    *,
    tolerance: float = 0.1,
    benchmarks: Mapping[str, float] | None = None,
    stages: Sequence[str] | None = None,
    playbook: Mapping[str, Play] | None = None,
    rates: Sequence[float] | None = None,
) -> FocusArea | None:
    """The first stage, top down, that falls short of plan by more than ``tolerance``.

    Parameters
    ----------
    actual_volumes, planned_volumes
        Volume of each stage in the same span (a month, a quarter), top stage first.
    tolerance
        How far below plan still counts as on plan, as a fraction: 0.1 lets a rate or the
        top volume fall to 90 % of plan.
    benchmarks
        Rates to hold a transition to instead of the plan's, e.g. ``{"MQL -> SQL": 0.8}``
        where MQL criteria are strict (seed 004): benchmarks are inputs, not constants.
    stages
        Stage names; default :data:`kpi_engine.DEFAULT_STAGES` for 6 stages.
    playbook
        What to do for each shortfall, by transition name and :data:`TRAFFIC`; default
        :func:`~kpi_engine.playbook.playbook_for` the stages.
    rates
        The plan's conversion rates, top first: each transition's planned rate where no
        benchmark is given. Without them it is the planned volumes' ratio, which in whole
        numbers is a rounding artefact (3 of 5 planned opportunities to date is 60 %
        where the plan says 50 %).

    Returns
    -------
    FocusArea or None
        ``None`` when every stage is within tolerance.

    Notes
    -----
    The top stage is checked on volume (traffic); each stage below on its conversion rate
    from the stage above (the actual rate from the volumes; the planned one the benchmark,
    else the plan's rate, else the planned volumes' ratio). A stage is short
    when ``actual < planned * (1 - tolerance)``. Source: seed 002 (DOMAIN.md section 4).

    Examples
    --------
    Seed 002's case: traffic on plan, but only 0.5 % of visits become leads (plan 1.5 %):

    >>> area = focus_area([6000, 30, 6, 1.2, 0.5, 0.25], [6000, 90, 18, 3.6, 1.44, 0.72])
    >>> area.where, round(area.attainment, 2)
    ('Visits -> Leads', 0.33)
    """
    names = resolve_stages(stages, len(list(planned_volumes)) - 1)
    args = Args()
    actual = [args.non_negative(f"actual_volumes[{i}]", v, "a volume")
              for i, v in enumerate(actual_volumes)]  # fmt: skip
    planned = [args.non_negative(f"planned_volumes[{i}]", v, "a volume")
               for i, v in enumerate(planned_volumes)]  # fmt: skip
    margin = args.fraction("tolerance", tolerance)
    args.raise_if_any()
    if len(actual) != len(planned):
        rule = f"has {len(actual)} stages but the plan has {len(planned)}"
        raise KPIInputError([Problem("actual_volumes", list(actual_volumes), rule)])
    plays = playbook_for(names) if playbook is None else playbook
    given = dict(benchmarks or {})
    plan_rates = _plan_rates(rates, names)
    unknown = set(given) - set(transition_names(names))
    if unknown:
        rule = f"names transitions not in the funnel: {sorted(unknown)}"
        raise KPIInputError([Problem("benchmarks", given, rule)])
    floor = 1 - float(margin[0])
    top_actual, top_planned = float(actual[0][0]), float(planned[0][0])
    if top_planned > 0 and top_actual < top_planned * floor:
        return FocusArea(TRAFFIC, top_actual, top_planned, top_actual / top_planned,
                         plays.get(TRAFFIC))  # fmt: skip
    for i, transition in enumerate(transition_names(names)):
        upper_actual, lower_actual = float(actual[i][0]), float(actual[i + 1][0])
        upper_planned, lower_planned = float(planned[i][0]), float(planned[i + 1][0])
        if upper_actual == 0 or upper_planned == 0:
            continue  # no rate to judge: nothing entered the stage
        actual_rate = lower_actual / upper_actual
        planned_rate = given.get(transition, lower_planned / upper_planned if plan_rates is None
                                 else plan_rates[i])  # fmt: skip
        if planned_rate > 0 and actual_rate < planned_rate * floor:
            return FocusArea(transition, actual_rate, planned_rate, actual_rate / planned_rate,
                             plays.get(transition))  # fmt: skip
    return None


def _plan_rates(rates: Sequence[float] | None, names: Sequence[str]) -> list[float] | None:
    """The plan's rates as floats, one per transition of ``names``; None for none given."""
    if rates is None:
        return None
    plan_rates = [float(rate) for rate in rates]
    if len(plan_rates) != len(names) - 1:
        rule = f"has {len(plan_rates)} rates for {len(names)} stages: give one per transition"
        raise KPIInputError([Problem("rates", list(rates), rule)])
    return plan_rates


@dataclass(frozen=True)
class Diagnosis:
    """Year to date against plan, stage by stage, and the focus area that follows."""

    planned: np.ndarray  # planned volume of each stage, year to date
    actual: np.ndarray  # actual volume of each stage, year to date
    attainment: np.ndarray  # actual / planned per stage
    planned_rates: np.ndarray  # plan's (or the benchmark's) rate of each transition
    actual_rates: np.ndarray  # actual rate of each transition, year to date
    rate_attainment: np.ndarray  # actual rate / planned rate
    focus: FocusArea | None


def diagnose(
    planned_monthly: Sequence[Sequence[float]],
    actual_monthly: Sequence[Sequence[float]],
    months_closed: int,
    *,
    tolerance: float = 0.1,
    benchmarks: Mapping[str, float] | None = None,
    stages: Sequence[str] | None = None,
    playbook: Mapping[str, Play] | None = None,
    rates: Sequence[float] | None = None,
) -> Diagnosis:
    """Plan vs actual year to date: attainment and rates per stage, and the focus area.

    Parameters
    ----------
    planned_monthly, actual_monthly
        Stages x months volumes, top stage first (the plan's and the actuals' grids).
    months_closed
        How many months, from the first, have actuals (1-12): both grids are summed over
        them.
    tolerance, benchmarks, stages, playbook, rates
        As for :func:`focus_area`: give the plan's ``rates``, or the planned rates are the
        ratios of the planned volumes to date, rounding artefacts in whole numbers.

    Notes
    -----
    Year to date = the sum of the first ``months_closed`` months; attainment = actual /
    planned; actual rates are the lower stage's volume / the upper's, year to date; planned
    rates the benchmarks, else the plan's ``rates``.
    Source: seed 002 (DOMAIN.md section 4).

    Examples
    --------
    >>> plan = [[6000] * 12, [90] * 12]
    >>> diagnosis = diagnose(plan, [[6000, 6000] + [0] * 10, [30, 60] + [0] * 10], 2,
    ...                      stages=["Visits", "Leads"])
    >>> diagnosis.attainment.tolist(), diagnosis.focus.where
    ([1.0, 0.5], 'Visits -> Leads')
    """
    planned_grid = np.asarray(planned_monthly, dtype=float)
    actual_grid = np.asarray(actual_monthly, dtype=float)
    if planned_grid.shape != actual_grid.shape or planned_grid.ndim != 2:
        rule = f"has shape {actual_grid.shape}; the plan's is {planned_grid.shape}"
        raise KPIInputError([Problem("actual_monthly", "<grid>", rule)])
    if not isinstance(months_closed, int) or not 1 <= months_closed <= planned_grid.shape[1]:
        rule = f"must be a whole number of months from 1 to {planned_grid.shape[1]}"
        raise KPIInputError([Problem("months_closed", months_closed, rule)])
    planned = planned_grid[:, :months_closed].sum(axis=1)
    actual = actual_grid[:, :months_closed].sum(axis=1)
    names = resolve_stages(stages, len(planned) - 1)
    rates_given = dict(benchmarks or {})
    plan_rates = _plan_rates(rates, names)
    with np.errstate(divide="ignore", invalid="ignore"):
        stage_attainment = actual / planned
        planned_rates = np.array([
            rates_given.get(t, planned[i + 1] / planned[i] if plan_rates is None else plan_rates[i])
            for i, t in enumerate(transition_names(names))
        ])  # fmt: skip
        actual_rates = actual[1:] / actual[:-1]
        rate_attainment = actual_rates / planned_rates
    focus = focus_area(actual.tolist(), planned.tolist(), tolerance=tolerance,
                       benchmarks=benchmarks, stages=names, playbook=playbook,
                       rates=rates)  # fmt: skip
    return Diagnosis(planned, actual, stage_attainment, planned_rates, actual_rates,
                     rate_attainment, focus)  # fmt: skip
