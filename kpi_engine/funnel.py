"""The marketing funnel: from a revenue goal back up to website visits, and forward again.

Planners work backwards (DOMAIN.md section 1, seeds 000 and 002): customers needed =
revenue goal / deal size, then each stage above = the stage below / the conversion
rate between them. The forward direction projects customers and revenue from a
top-of-funnel volume. Phasing spreads an annual plan over quarters or months, and a
sales cycle says how many periods earlier leads must arrive.

Rates are fractions (0.015 for 1.5 %), given top to bottom, one between each pair of
adjacent stages, so ``n`` stages take ``n - 1`` rates.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kpi_engine._args import Args, Given, is_series, pandas, plain
from kpi_engine.errors import KPIInputError, Problem

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEFAULT_STAGES",
    "SEED_RATES",
    "WHOLE_NUMBER_DECIMALS",
    "Projection",
    "arrival_schedule",
    "conversion_rate",
    "conversion_rates",
    "customers_needed",
    "forward_funnel",
    "period_labels",
    "period_shares",
    "phase_funnel",
    "resolve_stages",
    "reverse_funnel",
    "sales_cycle_lag",
    "transition_names",
]

#: The B2B funnel of seed 000, top to bottom.
DEFAULT_STAGES: tuple[str, ...] = ("Visits", "Leads", "MQL", "SQL", "Opportunities", "Customers")

#: Seed 000's example rates: visit -> lead 1.5 %, lead -> MQL 20 %, MQL -> SQL 20 %,
#: SQL -> opportunity 40 %, opportunity -> customer 50 %.
SEED_RATES: tuple[float, ...] = (0.015, 0.2, 0.2, 0.4, 0.5)

#: Rounding to whole numbers first rounds to this many decimals, so binary noise does not add
#: a whole unit: 21 / 0.7 is 30.000000000000004 in floating point, and means 30.
WHOLE_NUMBER_DECIMALS = 6
#: From 2**33 (about 8.6e9) up, a double has no digit left at the sixth decimal (its spacing is
#: 2**-19 or more), so rounding to 6 decimals must leave it as it is, as Excel's ROUND and
#: Python's round() do; numpy's ``rint(v * 1e6) / 1e6`` would move it by a spacing and make
#: a whole 1,026,331,059,347 round up to ...348.
_ROUNDING_LIMIT = 2.0**33

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# -- stages -------------------------------------------------------------------------------


def resolve_stages(stages: Sequence[str] | None, rate_count: int) -> tuple[str, ...]:
    """Check stage names against the number of rates, or name the stages when none are given.

    With no names, five rates get :data:`DEFAULT_STAGES`; another count gets
    ``Stage 1, Stage 2, ..., Customers``.

    >>> resolve_stages(None, 2)
    ('Stage 1', 'Stage 2', 'Customers')
    """
    if rate_count < 1:
        raise KPIInputError(
            [Problem("rates", [], "is empty: a funnel needs at least 2 stages, so at least 1 rate")]
        )
    if stages is None:
        if rate_count == len(SEED_RATES):
            return DEFAULT_STAGES
        return (*(f"Stage {i}" for i in range(1, rate_count + 1)), "Customers")
    names = tuple(stages)
    if isinstance(stages, str) or not all(isinstance(s, str) and s.strip() for s in names):
        raise KPIInputError([Problem("stages", stages, "must be a list of non-empty names")])
    if len(set(names)) != len(names):
        twice = sorted({s for s in names if names.count(s) > 1})
        raise KPIInputError([Problem("stages", list(names), f"names {twice} more than once")])
    if len(names) != rate_count + 1:
        rule = (
            f"has {len(names)} names but there are {rate_count} rates: "
            f"n stages need n - 1 rates, one between each pair of stages"
        )
        raise KPIInputError([Problem("stages", list(names), rule)])
    return names


def transition_names(stages: Sequence[str]) -> list[str]:
    """Names of the conversions between adjacent stages, e.g. ``"Visits -> Leads"``.

    >>> transition_names(["Visits", "Leads", "Customers"])
    ['Visits -> Leads', 'Leads -> Customers']
    """
    return [f"{upper} -> {lower}" for upper, lower in itertools.pairwise(stages)]


def _as_list(argument: str, values: object, what: str) -> list[object]:
    """A list from a list, tuple, array or Series; anything else (text, one number) is refused."""
    if isinstance(values, str | bytes) or not (
        isinstance(values, Sequence | np.ndarray) or is_series(values)
    ):
        raise KPIInputError([Problem(argument, values, f"must be a list of {what}")])
    return list(values)


def _rate_list(rates: object) -> list[object]:
    return _as_list("rates", rates, "conversion rates, top stage first")


def _read_rates(args: Args, rates: Sequence[Given], stages: Sequence[str]) -> list[np.ndarray]:
    """Read conversion rates: fractions in (0, 1]; a 0 names the stage it makes impossible."""
    read = []
    for i, (given, transition) in enumerate(zip(rates, transition_names(stages), strict=True)):
        upper, lower = stages[i], stages[i + 1]
        argument = f"rates[{i}] ({transition})" if args.frame is None else f"{transition} rate"
        why_not_zero = (
            f"a conversion rate of 0 from {upper} to {lower} makes the plan impossible: "
            f"no number of {upper} (or of any stage above it) would produce a single "
            f"{lower}; give a rate above 0"
        )
        read.append(args.fraction(argument, given, why_not_zero))
    return read


def _round6(volumes: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``volumes`` rounded to 6 decimals (into ``out``, which may be ``volumes``), leaving
    values past :data:`_ROUNDING_LIMIT` as they are."""
    values = np.asarray(volumes, dtype=float)
    # Rare; two reductions tell (a mask of every value would cost more than the rounding).
    large = values.size > 0 and (values.max() >= _ROUNDING_LIMIT
                                 or values.min() <= -_ROUNDING_LIMIT)  # fmt: skip
    kept = values.copy() if large else None
    rounded = np.round(values, WHOLE_NUMBER_DECIMALS, out=out)
    if large:
        np.copyto(rounded, kept, where=np.abs(kept) >= _ROUNDING_LIMIT)
    return rounded


def _round_up(volumes: np.ndarray) -> np.ndarray:
    return np.ceil(_round6(volumes))


def _round_down(volumes: np.ndarray) -> np.ndarray:
    return np.floor(_round6(volumes))


# -- reverse ------------------------------------------------------------------------------


def _customers(
    args: Args, goal: Given, deal_size: Given | None, goal_argument: str = "goal"
) -> np.ndarray:
    """Customers from a goal given as customers (no deal size) or as revenue / deal size."""
    if deal_size is None:
        return args.non_negative(goal_argument, goal, "a number of customers")
    revenue = args.non_negative(goal_argument, goal, "a revenue goal")
    deal = args.positive(
        "deal_size",
        deal_size,
        "a deal size of 0 means no number of customers reaches a revenue goal; "
        "give the average revenue per new customer",
    )
    args.raise_if_any()
    return revenue / deal


def reverse_core(
    args: Args,
    goal: Given,
    rates: Sequence[Given],
    deal_size: Given | None,
    periods: Given,
    whole_numbers: bool,
    stages: Sequence[str],
) -> np.ndarray:
    """Required volumes, one row per input row, one column per stage, top stage first."""
    rate_values = _read_rates(args, rates, stages)
    period_count = args.positive("periods", periods, "there must be at least one period")
    customers = _customers(args, goal, deal_size)
    args.raise_if_any()
    return _walk_up(customers / period_count, rate_values, whole_numbers)


def _walk_up(customers: np.ndarray, rates: Sequence[np.ndarray], whole_numbers: bool) -> np.ndarray:
    """Volumes from the customers up: each stage = the stage below / its rate (rounded up).

    Returns (rows, stages), a view of one (stages, rows) block that each stage is computed
    into in place: at a million rows and more, fresh temporaries per step cost more than
    the arithmetic (the same operations either way, so the same bits)."""
    by_stage = np.empty((len(rates) + 1, customers.shape[0]))
    volume = customers
    for column in range(len(rates), -1, -1):
        out = by_stage[column]
        if column < len(rates):
            np.divide(volume, rates[column], out=out)
        else:
            out[...] = volume
        if whole_numbers:
            _round6(out, out=out)
            np.ceil(out, out=out)
        volume = out
    return by_stage.T


def phase_core(
    args: Args,
    goal: Given,
    rates: Sequence[Given],
    deal_size: Given | None,
    weights: Sequence[Given],
    whole_numbers: bool,
    stages: Sequence[str],
) -> np.ndarray:
    """Required volumes per row, period and stage: shape (rows, periods, stages).

    Exact: each period gets ``customers * weights[p] / sum(weights)`` of the year's
    customers and walks up the funnel on its own. Whole numbers: cumulative rounding of
    each stage's whole-number volume for the year, so the periods add up to it (see
    :func:`phase_funnel`).
    """
    rate_values = _read_rates(args, rates, stages)
    weight_values = [
        args.non_negative(f"weights[{p}]", given, "a weight") for p, given in enumerate(weights)
    ]
    customers = _customers(args, goal, deal_size)
    matrix = np.column_stack(weight_values)
    total = matrix.sum(axis=1)
    args.flag(total == 0, "weights", total, "are all 0: nothing to phase", undefined=True)
    args.raise_if_any()
    phased = np.empty((args.size, len(weight_values), len(stages)))
    if whole_numbers:
        annual = _walk_up(customers, rate_values, True)  # (rows, stages), whole
        # Added left to right, as a spreadsheet's SUM of the months so far does; the year's
        # share is then exactly 1, so the periods add up to the year's volume exactly.
        running = np.cumsum(matrix, axis=1)
        reached = np.zeros_like(annual)
        for period in range(len(weight_values)):
            share = running[:, period] / running[:, -1]
            due = _round_up(annual * share[:, None])
            phased[:, period, :] = due - reached
            reached = due
        return phased
    for period in range(len(weight_values)):
        share = customers * matrix[:, period] / total
        phased[:, period, :] = _walk_up(share, rate_values, False)
    return phased


def customers_needed(
    revenue_goal: float, deal_size: float, *, whole_numbers: bool = False
) -> float:
    """Customers needed to reach a revenue goal: ``revenue_goal / deal_size``.

    Parameters
    ----------
    revenue_goal
        New revenue to win, in money (>= 0).
    deal_size
        Average revenue per new customer, in the same currency (> 0).
    whole_numbers
        Round up to a whole customer ("you cannot close 0.09 of a customer").

    Notes
    -----
    A deal size of 0 is an error: no number of customers would reach the goal.
    Source: seed 000 (DOMAIN.md section 1).

    Examples
    --------
    How many customers does a $10,000,000 goal need at $1,100,000 per customer?

    >>> round(customers_needed(10_000_000, 1_100_000), 4)
    9.0909
    >>> customers_needed(10_000_000, 1_100_000, whole_numbers=True)
    10.0
    """
    customers = _customers(Args(), revenue_goal, deal_size, "revenue_goal")
    return float(_round_up(customers)[0] if whole_numbers else customers[0])


def reverse_funnel(
    goal: float,
    rates: Sequence[float],
    *,
    deal_size: float | None = None,
    periods: float = 1,
    whole_numbers: bool = False,
    stages: Sequence[str] | None = None,
) -> dict[str, float]:
    """Volumes each stage must reach for a goal, walking up the funnel from the customers.

    Parameters
    ----------
    goal
        Revenue to win (money, >= 0) when ``deal_size`` is given, else customers to win.
    rates
        Conversion rates between adjacent stages, top to bottom, as fractions in (0, 1]:
        0.015 for 1.5 %. ``n`` stages take ``n - 1`` rates.
    deal_size
        Average revenue per new customer (> 0). Without it, ``goal`` counts customers.
    periods
        Divide the goal over this many periods: 1 for the year, 4 for a quarter, 12 for a
        month. Any positive number (52 for a week).
    whole_numbers
        Round up to whole numbers stage by stage from the bottom, so every stage is
        enough for the one below it. Values within 1e-6 of a whole number count as it.
    stages
        Stage names, top first; default :data:`DEFAULT_STAGES` for 5 rates.

    Returns
    -------
    dict
        Stage name -> volume per period, top stage first, customers last.

    Notes
    -----
    ``customers = goal / deal_size / periods`` and, for each stage ``i`` from the bottom,
    ``volume[i] = volume[i + 1] / rates[i]`` (rounded up at each step with
    ``whole_numbers``). A rate of 0 makes the stages above it impossible and is an error
    that names the stage; a rate above 1 is refused (15 means 15 %: write 0.15).
    Source: seeds 000 and 002 (DOMAIN.md section 1).

    Examples
    --------
    Seed 000: 9 customers a year at the seed's rates; what is needed each month?

    >>> reverse_funnel(9, [0.015, 0.2, 0.2, 0.4, 0.5], periods=12)
    {'Visits': 6250.0, 'Leads': 93.75, 'MQL': 18.75, 'SQL': 3.75, 'Opportunities': 1.5,
     'Customers': 0.75}

    The same funnel for $10,000,000 of revenue at $1,100,000 a deal, in whole numbers:

    >>> reverse_funnel(10e6, [0.015, 0.2, 0.2, 0.4, 0.5], deal_size=1.1e6, whole_numbers=True)
    {'Visits': 83334.0, 'Leads': 1250.0, 'MQL': 250.0, 'SQL': 50.0, 'Opportunities': 20.0,
     'Customers': 10.0}
    """
    rate_list = _rate_list(rates)
    names = resolve_stages(stages, len(rate_list))
    fast = _reverse_fast(goal, rate_list, deal_size, periods, whole_numbers)
    if fast is not None:
        return dict(zip(names, fast, strict=True))
    volumes = reverse_core(Args(), goal, rate_list, deal_size, periods, whole_numbers, names)
    return dict(zip(names, volumes[0].tolist(), strict=True))


def _round_up_fast(volume: float) -> float:
    """:func:`_round_up` of one float, bit for bit: numpy rounds to 6 decimals as
    ``rint(v * 1e6) / 1e6`` (Python's ``round`` of a float is ``rint``), then takes the
    ceiling; a zero keeps its sign, as ``np.ceil`` does. Past the rounding limit, only
    the ceiling."""
    if volume == 0:
        return volume
    if abs(volume) >= _ROUNDING_LIMIT:
        return float(math.ceil(volume))
    return float(math.ceil(round(volume * 10.0**WHOLE_NUMBER_DECIMALS)
                           / 10.0**WHOLE_NUMBER_DECIMALS))  # fmt: skip


def _reverse_fast(
    goal: object, rates: list[object], deal_size: object, periods: object, whole_numbers: bool
) -> list[float] | None:
    """:func:`reverse_core` for one plan of plain valid numbers, in plain Python (the same
    operations in the same order); None when any input is not, so the array path reports it."""
    total, per = plain(goal), plain(periods)
    if total is None or total < 0 or per is None or per <= 0:
        return None
    if deal_size is not None:
        deal = plain(deal_size)
        if deal is None or deal <= 0:
            return None
        total = total / deal
    values = [plain(rate) for rate in rates]
    if not all(value is not None and 0 < value <= 1 for value in values):
        return None
    volumes = [0.0] * (len(values) + 1)
    volume = total / per
    for column in range(len(values), -1, -1):
        if column < len(values):
            volume = volume / values[column]
        if not math.isfinite(volume):  # an overflow: the array path carries the infinity
            return None
        if whole_numbers:
            volume = _round_up_fast(volume)
        volumes[column] = volume
    return volumes


# -- forward ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """What a top-of-funnel volume yields: every stage's volume, the customers and revenue."""

    volumes: dict[str, float]
    customers: float
    revenue: float | None


def forward_core(
    args: Args,
    top_volume: Given,
    rates: Sequence[Given],
    deal_size: Given | None,
    whole_numbers: bool,
    stages: Sequence[str],
) -> np.ndarray:
    """Projected volumes (one column per stage) and, with a deal size, a last revenue column."""
    rate_values = _read_rates(args, rates, stages)
    volume = args.non_negative("top_volume", top_volume, "a volume")
    deal = None if deal_size is None else args.non_negative("deal_size", deal_size)
    args.raise_if_any()
    columns = len(stages) + (deal is not None)
    projected = np.empty((args.size, columns))
    for column in range(len(stages)):
        if column:
            volume = volume * rate_values[column - 1]
        if whole_numbers:
            volume = _round_down(volume)
        projected[:, column] = volume
    if deal is not None:
        projected[:, -1] = volume * deal
    return projected


def forward_funnel(
    top_volume: float,
    rates: Sequence[float],
    *,
    deal_size: float | None = None,
    whole_numbers: bool = False,
    stages: Sequence[str] | None = None,
) -> Projection:
    """Project each stage, the customers and the revenue from a top-of-funnel volume.

    Parameters
    ----------
    top_volume
        Volume of the top stage (e.g. website visits) in a period, >= 0.
    rates
        Conversion rates between adjacent stages, top to bottom, fractions in (0, 1].
    deal_size
        Average revenue per new customer; with it the projection includes revenue.
    whole_numbers
        Round down stage by stage from the top: only whole leads convert, so the
        projection never promises a fraction of a customer.
    stages
        Stage names, top first; default :data:`DEFAULT_STAGES` for 5 rates.

    Notes
    -----
    ``volume[i + 1] = volume[i] * rates[i]``; ``revenue = customers * deal_size``. Without
    rounding, this is the exact inverse of :func:`reverse_funnel`.
    Source: DOMAIN.md section 1.

    Examples
    --------
    Seed 000's monthly table starts at 6000 visits; what do they yield at the seed's rates?

    >>> p = forward_funnel(6000, [0.015, 0.2, 0.2, 0.4, 0.5], deal_size=1_100_000)
    >>> [round(v, 4) for v in p.volumes.values()], round(p.revenue)
    ([6000.0, 90.0, 18.0, 3.6, 1.44, 0.72], 792000)
    """
    rate_list = _rate_list(rates)
    names = resolve_stages(stages, len(rate_list))
    row = forward_core(Args(), top_volume, rate_list, deal_size, whole_numbers, names)[0]
    volumes = dict(zip(names, row[: len(names)].tolist(), strict=True))
    revenue = None if deal_size is None else float(row[-1])
    return Projection(volumes, volumes[names[-1]], revenue)


# -- conversion rates ---------------------------------------------------------------------


def conversion_rates_core(
    args: Args,
    volumes: Sequence[Given],
    stages: Sequence[str],
    arguments: Sequence[str] | None = None,
) -> np.ndarray:
    """Rates between adjacent stages' volumes, one column per transition."""
    if arguments is None:
        arguments = [
            f"volumes[{i}] ({stage})" if args.frame is None else f"{stage} volume"
            for i, stage in enumerate(stages)
        ]
    read = [
        args.non_negative(argument, given, "a volume")
        for argument, given in zip(arguments, volumes, strict=True)
    ]
    for i, (upper, lower) in enumerate(itertools.pairwise(stages)):
        why = f"is 0, so the rate {upper} -> {lower} is undefined"
        args.flag(read[i] == 0, arguments[i], read[i], why, undefined=True)
    args.raise_if_any()
    return np.column_stack([lower / upper for upper, lower in itertools.pairwise(read)])


def conversion_rate(converted: float, entered: float) -> float:
    """Share of the volume that entered a stage and reached the next: ``converted / entered``.

    Parameters
    ----------
    converted
        Count that reached the next stage (>= 0).
    entered
        Count that entered the stage (> 0).

    Notes
    -----
    Counts of one period are not cohorts: leads of earlier months may convert this month,
    so a measured rate can exceed 1 and is returned as it is. 0 entered is an error.
    Source: DOMAIN.md section 3.

    Examples
    --------
    90 of 6000 visitors became leads; what is the visit-to-lead rate?

    >>> conversion_rate(90, 6000)
    0.015
    """
    stages = ["entered", "converted"]
    rate = conversion_rates_core(Args(), [entered, converted], stages, ["entered", "converted"])
    return float(rate[0, 0])


def conversion_rates(
    volumes: Sequence[float], stages: Sequence[str] | None = None
) -> dict[str, float]:
    """Conversion rates between adjacent stages from their volumes, top stage first.

    Parameters
    ----------
    volumes
        Volume of each stage in one period, top first (>= 0; every stage but the last > 0).
    stages
        Stage names; default :data:`DEFAULT_STAGES` for 6 volumes.

    Returns
    -------
    dict
        ``"Upper -> Lower"`` -> ``volume[lower] / volume[upper]``.

    Examples
    --------
    What are the rates of seed 000's rounded monthly table?

    >>> rates = conversion_rates([6000, 90, 18, 3.6, 1.5, 0.75])
    >>> {k: round(v, 4) for k, v in rates.items()}
    {'Visits -> Leads': 0.015, 'Leads -> MQL': 0.2, 'MQL -> SQL': 0.2,
     'SQL -> Opportunities': 0.4167, 'Opportunities -> Customers': 0.5}
    """
    volume_list = _as_list("volumes", volumes, "stage volumes, top stage first")
    names = resolve_stages(stages, len(volume_list) - 1)
    rates = conversion_rates_core(Args(), volume_list, names)[0]
    return dict(zip(transition_names(names), rates.tolist(), strict=True))


# -- phasing ------------------------------------------------------------------------------


def period_labels(periods: int, first_month: int = 1) -> list[str]:
    """Column labels of a phased plan: months, quarters, or ``P1..Pn``.

    ``first_month`` starts a fiscal year in another month (4 = April).

    >>> period_labels(4), period_labels(12, first_month=4)[:3]
    (['Q1', 'Q2', 'Q3', 'Q4'], ['Apr', 'May', 'Jun'])
    """
    if periods == 12:
        return [_MONTHS[(first_month - 1 + i) % 12] for i in range(12)]
    if periods == 4:
        return [f"Q{i}" for i in range(1, 5)]
    return [f"P{i}" for i in range(1, periods + 1)]


def _period_weights(periods: int, weights: Sequence[float] | None) -> np.ndarray:
    """Checked raw weights, one per period; 12 monthly weights summed into 4 quarters."""
    if not isinstance(periods, int | np.integer) or isinstance(periods, bool) or periods < 1:
        raise KPIInputError([Problem("periods", periods, "must be a whole number, 1 or more")])
    if weights is None:
        return np.ones(periods)
    weight_list = _as_list("weights", weights, "numbers, one per period")
    pd = pandas()
    args = Args(pd.DataFrame(index=pd.RangeIndex(len(weight_list))))
    values = args.non_negative("weights", np.asarray(weight_list, dtype=object), "a weight")
    args.raise_if_any()
    if periods == 4 and len(values) == 12:
        values = values.reshape(4, 3).sum(axis=1)
    if len(values) != periods:
        rule = f"has {len(values)} values for {periods} periods: give one weight per period"
        raise KPIInputError([Problem("weights", weight_list, rule)])
    if values.sum() == 0:
        raise KPIInputError([Problem("weights", weight_list, "are all 0: nothing to phase")])
    return values


def period_shares(periods: int = 12, weights: Sequence[float] | None = None) -> np.ndarray:
    """Share of the year in each period: even, or proportional to seasonality weights.

    Parameters
    ----------
    periods
        Number of periods in the year (4 quarters, 12 months, ...).
    weights
        Relative weight of each period (>= 0, not all 0), any scale: ``[1, 1, 2, 2]`` or
        ``[20, 20, 30, 30]``. For 4 periods, 12 monthly weights are summed into quarters.

    Returns
    -------
    numpy.ndarray
        ``weights / sum(weights)``; ``1 / periods`` each without weights.

    >>> period_shares(4, [1, 1, 2, 4]).tolist()
    [0.125, 0.125, 0.25, 0.5]
    """
    values = _period_weights(periods, weights)
    return values / values.sum()


def phase_funnel(
    goal: float,
    rates: Sequence[float],
    *,
    deal_size: float | None = None,
    periods: int = 12,
    weights: Sequence[float] | None = None,
    whole_numbers: bool = False,
    stages: Sequence[str] | None = None,
    first_month: int = 1,
) -> pd.DataFrame:
    """Required volumes of every stage in every period of the year, evenly or by season.

    Parameters
    ----------
    goal, rates, deal_size, stages
        As for :func:`reverse_funnel`: the goal is for the whole year.
    periods
        4 for quarters, 12 for months, any whole number for other periods.
    weights
        Seasonality, see :func:`period_shares`; even without.
    whole_numbers
        Whole numbers that add up to the year: each stage's whole-number volume for the
        year (as :func:`reverse_funnel` rounds it) is spread by cumulative rounding, so by
        the end of every period the plan has reached at least that period's exact share
        of the year (see Notes).
    first_month
        Month the plan year starts in, for the month labels (1 = January).

    Returns
    -------
    pandas.DataFrame
        One row per stage (top first), one column per period.

    Notes
    -----
    Exact: ``customers[p] = annual customers * weights[p] / sum(weights)``, then each
    period goes up the funnel as in :func:`reverse_funnel`. Even phasing gives exactly
    ``reverse_funnel(..., periods=periods)`` in each period.

    Whole numbers (cumulative rounding): with ``V`` a stage's whole-number volume for the
    year and ``S[p]`` the share of the year up to the end of period ``p`` (the weights
    added up to ``p`` / all weights), the plan must have reached
    ``due[p] = ceil(round(V * S[p], 6))`` by the end of ``p``, and period ``p`` gets
    ``due[p] - due[p - 1]``. Every period is a whole number, none is negative, they add up
    to ``V``, and no period end falls behind the exact need. Rounding each period up on
    its own instead makes 12 monthly customers of a 10-customer year.

    Examples
    --------
    Seed 000's plan by quarter, with twice the deals in the second half:

    >>> plan = phase_funnel(9, [0.015, 0.2, 0.2, 0.4, 0.5], periods=4, weights=[1, 1, 2, 2])
    >>> plan.loc[["Visits", "Customers"]]
                    Q1       Q2       Q3       Q4
    stage
    Visits     12500.0  12500.0  25000.0  25000.0
    Customers      1.5      1.5      3.0      3.0

    In whole numbers the year's 10 customers are spread so each quarter's end is on track
    (2.5 by the end of Q1 needs 3; 5 by the end of Q2 needs 5) and the quarters add up to 10:

    >>> plan = phase_funnel(10e6, [0.015, 0.2, 0.2, 0.4, 0.5], deal_size=1.1e6, periods=4,
    ...                     whole_numbers=True)
    >>> plan.loc["Customers"].tolist(), float(plan.loc["Visits"].sum())
    ([3.0, 2.0, 3.0, 2.0], 83334.0)
    """
    rate_list = _rate_list(rates)
    names = resolve_stages(stages, len(rate_list))
    raw_weights = _period_weights(periods, weights).tolist()
    phased = phase_core(Args(), goal, rate_list, deal_size, raw_weights, whole_numbers, names)
    labels = period_labels(periods, first_month)
    pd = pandas()
    return pd.DataFrame(phased[0].T, index=pd.Index(names, name="stage"), columns=labels)


# -- sales cycle --------------------------------------------------------------------------


def sales_cycle_lag(sales_cycle_days: float, *, periods_per_year: int = 12) -> int:
    """Whole periods by which leads must arrive before the deals they become close.

    Parameters
    ----------
    sales_cycle_days
        Average days from lead to closed deal (>= 0).
    periods_per_year
        12 for months, 4 for quarters, 52 for weeks.

    Notes
    -----
    ``ceil(days / (365 / periods_per_year))``: rounded up, so leads arrive in time. A
    period within 1e-6 of whole counts as whole. Source: DOMAIN.md section 1.

    Examples
    --------
    With a 45-day sales cycle, how many months ahead must leads arrive?

    >>> sales_cycle_lag(45)
    2
    """
    args = Args()
    days = args.non_negative("sales_cycle_days", sales_cycle_days, "a duration")
    per_year = args.positive("periods_per_year", periods_per_year, "a year has periods")
    args.raise_if_any()
    return int(_round_up(days / (365 / per_year))[0])


def arrival_schedule(
    plan: pd.DataFrame,
    days_before_close: float | Mapping[str, float],
    *,
    lead_stage: str | None = None,
) -> pd.DataFrame:
    """Shift a phased plan so each stage's volume sits in the period it must arrive in.

    Parameters
    ----------
    plan
        A phased plan from :func:`phase_funnel`: stages as rows, the year's periods as
        columns (12 columns are months, 4 quarters, otherwise ``365 / columns`` days each).
    days_before_close
        The sales cycle in days: the lead stage and every stage above it must be reached
        this long before the close. Or a mapping of stage -> days for each stage that
        moves (e.g. from measured stage velocity); stages not named stay in place.
    lead_stage
        The stage the sales cycle starts at, for a single number of days; default the
        second stage (``"Leads"`` in the default funnel).

    Returns
    -------
    pandas.DataFrame
        The plan with every shifted stage moved earlier by :func:`sales_cycle_lag` periods.
        Columns before the plan year come first, labelled ``"Dec (prior year)"`` and so on.
        Volumes the shift moves out of the year's last periods are for next year's deals,
        so those periods show 0 for the shifted stages.

    Examples
    --------
    Leads take 45 days to close: when must seed 000's leads arrive?

    >>> plan = phase_funnel(9, [0.015, 0.2, 0.2, 0.4, 0.5], periods=12)
    >>> shifted = arrival_schedule(plan, 45)
    >>> shifted.loc["Leads"].iloc[:3].tolist(), shifted.columns[:3].tolist()
    ([93.75, 93.75, 93.75], ['Nov (prior year)', 'Dec (prior year)', 'Jan'])
    """
    periods = plan.shape[1]
    if isinstance(days_before_close, Mapping):
        unknown = [s for s in days_before_close if s not in plan.index]
        if unknown:
            rule = f"names stages not in the plan: {unknown}; the plan has {list(plan.index)}"
            raise KPIInputError([Problem("days_before_close", dict(days_before_close), rule)])
        days = dict(days_before_close)
    else:
        if lead_stage is None:
            lead_stage = plan.index[min(1, len(plan.index) - 1)]
        if lead_stage not in plan.index:
            rule = f"is not a stage of the plan: {list(plan.index)}"
            raise KPIInputError([Problem("lead_stage", lead_stage, rule)])
        top = list(plan.index)[: list(plan.index).index(lead_stage) + 1]
        days = dict.fromkeys(top, days_before_close)
    lags = {stage: sales_cycle_lag(d, periods_per_year=periods) for stage, d in days.items()}
    before = max(lags.values(), default=0)
    labels = [_prior_label(plan.columns[i % periods], i, periods) for i in range(-before, 0)]
    pd = pandas()
    shifted = pd.DataFrame(
        0.0, index=plan.index, columns=pd.Index([*labels, *plan.columns], dtype=object)
    )
    for stage in plan.index:
        lag = lags.get(stage, 0)
        row = plan.loc[stage].to_numpy()
        start = before - lag
        shifted.iloc[shifted.index.get_loc(stage), start : start + periods] = row
    return shifted


def _prior_label(label: object, offset: int, periods: int) -> str:
    years_back = math.ceil(-offset / periods)
    when = "prior year" if years_back == 1 else f"{years_back} years before"
    return f"{label} ({when})"
