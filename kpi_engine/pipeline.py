"""Time-based close rates and pipeline coverage: when this year's deals will close.

A single average sales cycle hides that opportunities close over several periods: some in
the period they are created, more one or two periods later, a few much later. Analysts
measure the *close-rate curve* from past opportunities (of those created in a period, the
share won in the same period, one period later, two later, ...), then multiply it into the
opportunity-generation plan to see how many deals each period can expect, and so whether
the pipeline covers each period's target.

- :func:`close_rate_curve` (in :mod:`kpi_engine.close_rates`): the curve from a table of
  opportunities (created, won dates).
- :func:`expected_closes`: closes per period from opportunities created and the curve.
- :func:`pipeline_gap`: expected closes less the closes needed, per period.
- :func:`generation_plan`: the steadiest, smallest generation plan that meets every need.

Source: the time-based close rate method of the inverted demand-generation funnel
(Kellblog, "The Inverted Funnel: A Simple Way to Build a Pipeline Model"); the convolution
is the standard cohort model of revenue operations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kpi_engine._args import Args, Given
from kpi_engine.close_rates import PERIODS_PER_YEAR, CloseRateCurve, close_rate_curve
from kpi_engine.errors import KPIInputError, Problem
from kpi_engine.funnel import _as_list, round6
from kpi_engine.phasing import running_totals

__all__ = [
    "PERIODS_PER_YEAR",
    "CloseRateCurve",
    "GenerationPlan",
    "close_rate_curve",
    "expected_closes",
    "generation_plan",
    "pipeline_coverage",
    "pipeline_gap",
    "rounded_gap",
]

#: A curve's shares may add up to 1 plus this much (rounding in a pasted curve).
_SUM_SLACK = 1e-9


def pipeline_core(
    args: Args, generated: Sequence[Given], curve: Sequence[Given]
) -> tuple[np.ndarray, np.ndarray]:
    """Expected closes of every row (rows, periods), and the curves read (rows, shares).

    One implementation for the scalar functions (one row) and the vectorised face
    (:func:`kpi_engine.frame.expected_closes`), so both agree to the last bit.
    """
    if not curve:
        raise KPIInputError([Problem("curve", [], "is empty: give the share won in the period "
                                     "of creation, one period later, ...")])  # fmt: skip
    shares = []
    for k, given in enumerate(curve):
        share = args.non_negative(f"curve[{k}]", given, "a share of opportunities won")
        args.flag(share > 1, f"curve[{k}]", share, "must be at most 1 (100 %): a share of the "
                  "opportunities won")  # fmt: skip
        shares.append(share)
    volumes = [args.non_negative(f"generated[{t}]", given, "opportunities")
               for t, given in enumerate(generated)]  # fmt: skip
    matrix = np.column_stack(shares)
    total = matrix.sum(axis=1)
    args.flag(total > 1 + _SUM_SLACK, "curve", total,
              lambda v: f"adds up to {v:.4g}, more than 1: at most all of the opportunities "
              "can be won")  # fmt: skip
    args.flag(total == 0, "curve", total, "is all 0: no opportunity would ever close",
              undefined=True)  # fmt: skip
    args.raise_if_any()
    created = np.column_stack(volumes) if volumes else np.zeros((args.size, 0))
    return _convolve(created, matrix), matrix


def _convolve(generated: np.ndarray, curve: np.ndarray) -> np.ndarray:
    """Closes per period, row by row: sum over k of curve[k] x opportunities created k
    periods earlier (periods before the first count as none)."""
    periods = generated.shape[1]
    closes = np.zeros_like(generated)
    for k in range(min(curve.shape[1], periods)):
        closes[:, k:] += curve[:, k : k + 1] * generated[:, : periods - k]
    return closes


def expected_closes(generated: Sequence[float], curve: Sequence[float]) -> list[float]:
    """Deals expected to close in each period, from the opportunities created in each.

    Parameters
    ----------
    generated
        Opportunities created per period, oldest first (past periods too: they still close).
    curve
        The close-rate curve: share won in the period of creation, one later, ... (each in
        [0, 1], adding up to at most 1, not all 0).

    Returns
    -------
    list of float
        ``expected[t] = sum over k of curve[k] * generated[t - k]`` for each period of
        ``generated`` (periods before the first count as 0 opportunities).

    Examples
    --------
    40 opportunities a month, 10 % won in the month, 20 % the next, 5 % the one after:

    >>> expected_closes([40, 40, 40, 40], [0.1, 0.2, 0.05])
    [4.0, 12.0, 14.0, 14.0]
    """
    volumes = _as_list("generated", generated, "opportunities, one per period")
    shares = _as_list("curve", curve, "shares won, from the period of creation on")
    return pipeline_core(Args(), volumes, shares)[0][0].tolist()


def pipeline_gap(
    generated: Sequence[float], curve: Sequence[float], needed: Sequence[float]
) -> list[float]:
    """Expected closes less the closes needed, for the last ``len(needed)`` periods.

    ``generated`` runs from the oldest period that still closes deals to the plan's last
    (so it is at least as long as ``needed``); ``needed`` is the deals each plan period
    needs (goal / deal size, by period). Positive: a surplus; negative: a gap to fill.

    >>> pipeline_gap([40, 40, 40, 40], [0.1, 0.2, 0.05], [10, 10, 15])
    [2.0, 4.0, -1.0]
    """
    expected = expected_closes(generated, curve)
    need = _read_needed(needed)
    if len(need) > len(expected):
        rule = (f"has {len(need)} periods but generated has {len(expected)}: generated runs "
                "from the oldest period that still closes deals to the plan's last")  # fmt: skip
        raise KPIInputError([Problem("needed", f"<{len(need)} values>", rule)])
    return (np.array(expected[len(expected) - len(need) :]) - need).tolist()


def rounded_gap(expected: np.ndarray, needed: np.ndarray) -> np.ndarray:
    """Expected closes less the closes needed, period by period, rounded to 6 decimals.

    The plan sheet's ``ROUND(expected - needed, 6)``: whole-number plans compare whole
    deals with sums of curve shares, and the binary residue of, say, ``4.2 - 4.2`` would
    otherwise show as a gap of ``-0.0``. Arrays of any shape (one plan, or one row per plan).

    >>> rounded_gap(np.array([2.2, 4.0]), np.array([2.0, 4.2])).tolist()
    [0.2, -0.2]
    """
    return round6(np.asarray(expected, dtype=float) - np.asarray(needed, dtype=float))


def pipeline_coverage(expected: np.ndarray, needed: np.ndarray) -> np.ndarray:
    """Pipeline coverage of a year: the deals the pipeline is expected to close over the
    deals the plan needs, each added up over the periods (the last axis).

    Formula: ``sum(expected) / sum(needed)``, each sum added left to right as a
    spreadsheet's SUM does, so one plan and a frame of plans give the same bits. 1 or more:
    the pipeline covers the plan; below 1: short. A plan that needs nothing gives ``inf``
    (or NaN with nothing expected either), as the sheet's division shows an error.

    >>> float(pipeline_coverage(np.array([4.0, 5.0, 6.0]), np.array([5.0, 5.0, 5.0])))
    1.0
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return added_up(expected) / added_up(needed)


def added_up(values: np.ndarray) -> np.ndarray:
    """The values of the last axis added up left to right (a vectorised sum may pair the
    terms differently, which changes the last bit between one row and many)."""
    return running_totals(values)[..., -1]


def _read_needed(needed: Sequence[float]) -> np.ndarray:
    values = _as_list("needed", needed, "deals needed, one per period")
    args = Args()
    read = [args.non_negative(f"needed[{t}]", v, "deals needed") for t, v in enumerate(values)]
    args.raise_if_any()
    return np.concatenate(read) if read else np.zeros(0)


@dataclass(frozen=True)
class GenerationPlan:
    """Opportunities to create in each plan period so that every period's need is met.

    Attributes
    ----------
    generated
        Opportunities to create in each plan period.
    expected
        The closes each plan period can then expect (history included).
    shortfall
        The need a period cannot meet whatever is created in the plan: opportunities
        created in it close too late (the curve's first share is 0) and the history
        given does not cover it. 0 where the period is covered.
    """

    generated: tuple[float, ...]
    expected: tuple[float, ...]
    shortfall: tuple[float, ...]


def generation_plan(
    needed: Sequence[float], curve: Sequence[float], *, history: Sequence[float] = ()
) -> GenerationPlan:
    """The opportunity-generation plan that closes every period's gap, smallest and steady.

    Parameters
    ----------
    needed
        Deals each plan period needs.
    curve
        The close-rate curve (see :func:`expected_closes`).
    history
        Opportunities already created in the periods before the plan, oldest first: they
        still close deals in the plan's first periods.

    Returns
    -------
    GenerationPlan

    Notes
    -----
    Solving ``expected = needed`` period by period (deconvolution) is unstable: with a curve
    that closes more a period later than in the period itself, each period's plan must undo
    the last one's surplus, and the plan swings between large and negative volumes. Instead
    this solves a linear program (HiGHS, through :func:`scipy.optimize.linprog`): every
    period's expected closes at least its need, no volume negative, and the least
    ``sum of opportunities created + sum of |change from one period to the next|``: the
    fewest opportunities, with each swing from one period to the next costing as much as
    the opportunities it would save, so the plan holds steady unless a need forces it to
    move. Needs beyond the plan are not known, so the last periods plan only for the
    plan's own deals.

    Examples
    --------
    10 deals a month; 10 % of a month's opportunities are won in it and 50 % the month
    after. The first month has no history, so it needs 100 opportunities; from then on a
    steady 16.7 (10 / 0.6) covers every month:

    >>> plan = generation_plan([10] * 4, [0.1, 0.5])
    >>> [round(g, 1) for g in plan.generated], [round(e, 6) for e in plan.expected]
    ([100.0, 16.7, 16.7, 16.7], [10.0, 51.666667, 10.0, 10.0])
    """
    from scipy.optimize import linprog  # only this function needs scipy: imported here

    need = _read_needed(needed)
    past = _as_list("history", history, "opportunities, one per period")
    periods = len(need)
    # Closes from history in each plan period, and how each plan period's cohort feeds them.
    closes, read = pipeline_core(Args(), [*past, *[0.0] * periods], _as_list(
        "curve", curve, "shares won, from the period of creation on"))  # fmt: skip
    rates = read[0]
    if periods == 0:
        return GenerationPlan((), (), ())
    from_history = closes[0, len(past) :]
    feeds = np.zeros((periods, periods))
    for t in range(periods):
        for k in range(min(t + 1, len(rates))):
            feeds[t, t - k] = rates[k]
    reachable = feeds.any(axis=1)
    shortfall = np.where(reachable, 0.0, np.maximum(need - from_history, 0.0))
    # Variables: g (periods), then u (periods - 1) with u >= |g[t] - g[t-1]|.
    steps = periods - 1
    swing = np.zeros((2 * steps, periods + steps))
    for t in range(1, periods):
        swing[2 * t - 2, [t, t - 1, periods + t - 1]] = (1, -1, -1)
        swing[2 * t - 1, [t, t - 1, periods + t - 1]] = (-1, 1, -1)
    # Each need's row scaled by its largest share, so a small curve is not lost in the
    # solver's tolerances.
    scale = feeds[reachable].max(axis=1, keepdims=True)
    meets = np.hstack([-feeds[reachable] / scale, np.zeros((int(reachable.sum()), steps))])
    result = linprog(
        c=np.ones(periods + steps),
        A_ub=np.vstack([meets, swing]),
        b_ub=np.r_[-(need - from_history)[reachable] / scale[:, 0], np.zeros(2 * steps)],
        bounds=(0, None),
        method="highs",
    )
    if result.status != 0:  # every reachable need can be met: only extreme numbers fail
        rule = (f"leaves a plan the solver cannot compute ({result.message}): the shares are "
                "too small for the deals needed")  # fmt: skip
        raise KPIInputError([Problem("curve", rates.tolist(), rule)])
    plan = np.maximum(result.x[:periods], 0.0)
    expected = from_history + feeds @ plan
    return GenerationPlan(tuple(plan.tolist()), tuple(expected.tolist()),
                          tuple(shortfall.tolist()))  # fmt: skip
