"""The marketing funnel: from a revenue goal back up to website visits, and forward again.

Planners work backwards (DOMAIN.md section 1, seeds 000 and 002): customers needed =
revenue goal / deal size, then each stage above = the stage below / the conversion
rate between them. The forward direction projects customers and revenue from a
top-of-funnel volume (:mod:`kpi_engine.forward`); :mod:`kpi_engine.phasing` spreads an
annual plan over quarters or months.

Rates are fractions (0.015 for 1.5 %), given top to bottom, one between each pair of
adjacent stages, so ``n`` stages take ``n - 1`` rates.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from kpi_engine._args import Args, Given, is_series, plain
from kpi_engine.errors import KPIInputError, Problem

if TYPE_CHECKING:
    pass

__all__ = [
    "DEFAULT_STAGES",
    "SEED_RATES",
    "WHOLE_NUMBER_DECIMALS",
    "customers_needed",
    "resolve_stages",
    "reverse_funnel",
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


def round6(values: np.ndarray) -> np.ndarray:
    """``values`` rounded to 6 decimals, as a sheet's ``ROUND(x, 6)`` (values past 1e9 as
    they are): a difference of fractional counts that is 0 but for binary noise (1e-16)
    is 0, not a "-0.0" on the sheet.

    >>> round6(np.array([0.1 + 0.2 - 0.3, 1.25]))
    array([0.  , 1.25])
    """
    return _round6(values)


def _round_up(volumes: np.ndarray) -> np.ndarray:
    return np.ceil(_round6(volumes))


def _round_down(volumes: np.ndarray) -> np.ndarray:
    return np.floor(_round6(volumes))


# -- reverse ------------------------------------------------------------------------------


def _customers(
    args: Args, goal: Given, deal_size: Given | None, goal_argument: str = "goal"
) -> np.ndarray:
    """Customers from a goal given as customers (no deal size) or as revenue / deal size."""
    return _customers_and_deal(args, goal, deal_size, goal_argument)[0]


def _customers_and_deal(
    args: Args, goal: Given, deal_size: Given | None, goal_argument: str = "goal"
) -> tuple[np.ndarray, np.ndarray | None]:
    """Customers as :func:`_customers` reads them, and the deal size read (None without
    one), for the callers that show it too."""
    if deal_size is None:
        return args.non_negative(goal_argument, goal, "a number of customers"), None
    revenue = args.non_negative(goal_argument, goal, "a revenue goal")
    deal = args.positive(
        "deal_size",
        deal_size,
        "a deal size of 0 means no number of customers reaches a revenue goal; "
        "give the average revenue per new customer",
    )
    args.raise_if_any()
    return revenue / deal, deal


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
