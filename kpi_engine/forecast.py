"""Where the year will land: open opportunities weighted three ways, the range of the landing,
and the pipeline next quarter needs.

An open opportunity is expected to bring ``amount x probability``: Salesforce's expected
revenue (amount x the stage's probability, rolled up by forecast category) and HubSpot's
weighted amount. The probability comes from the opportunity's stage, from its forecast
category (commit, best case, pipeline, each with a weight) or from the close-rate curve at
the opportunity's age (:mod:`kpi_engine.close_rates`). The range treats open deals as
independent: each wins its whole amount with its probability, so the landing is a sum of
weighted Bernoulli amounts (:func:`landing_range`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from kpi_engine.errors import KPIInputError, Problem

__all__ = ["DEFAULT_CATEGORY_WEIGHTS", "LandingRange", "category_probabilities",
           "curve_probabilities", "landing_range", "opportunities_to_close", "planned_wins",
           "weighted_pipeline"]  # fmt: skip

#: The weight of each forecast category when none is given: a convention to override with
#: one's own history (Salesforce's five categories; the weights are this tool's defaults,
#: about what sales teams use: a commit nearly always closes, a best case about half the
#: time; closed is won, omitted is out).
DEFAULT_CATEGORY_WEIGHTS: dict[str, float] = {
    "closed": 1.0, "commit": 0.9, "best case": 0.5, "pipeline": 0.2, "omitted": 0.0,
}  # fmt: skip

#: The most distinct totals the exact range keeps before it samples instead.
MAX_EXACT_TOTALS = 200_000


def weighted_pipeline(amounts: Sequence[float], probabilities: Sequence[float]) -> float:
    """The expected revenue of open opportunities: the sum of amount x probability.

    Parameters
    ----------
    amounts
        Each opportunity's amount, money >= 0.
    probabilities
        Each one's chance to be won, fractions 0-1 (0.3 for 30 %).

    Source: Salesforce's expected revenue and HubSpot's weighted amount.

    >>> weighted_pipeline([200_000, 50_000], [0.30, 0.80])  # 60,000 + 40,000
    100000.0
    """
    values, chances = _checked(amounts, probabilities)
    return math.fsum((values * chances).tolist())


def category_probabilities(
    categories: Sequence[object], weights: Mapping[str, float] | None = None
) -> list[float]:
    """Each opportunity's chance by its forecast category (case and spaces ignored).

    ``weights`` maps each category to its weight (:data:`DEFAULT_CATEGORY_WEIGHTS` when
    None); an opportunity whose category has no weight is a problem naming its position,
    never a weight of 0.

    >>> category_probabilities(["Commit", "best case", "Pipeline"])
    [0.9, 0.5, 0.2]
    """
    table = {_category(name): float(weight) for name, weight in
             (DEFAULT_CATEGORY_WEIGHTS if weights is None else weights).items()}  # fmt: skip
    bad = [w for w in table.values() if not 0 <= w <= 1]
    if bad:
        raise KPIInputError([Problem("weights", bad[0], "must be a fraction between 0 and 1")])
    chances, problems = [], []
    for k, name in enumerate(categories):
        weight = table.get(_category(name))
        if weight is None:
            known = ", ".join(table)
            problems.append(Problem(f"categories[{k}]", name, f"has no weight (known: {known})"))
        chances.append(weight)
    if problems:
        raise KPIInputError(problems)
    return chances


def curve_probabilities(
    ages: Sequence[int], curve: Sequence[float], periods_left: int
) -> list[float]:
    """Each open opportunity's chance to be won within ``periods_left`` periods, by its age.

    Parameters
    ----------
    ages
        Periods since each one was created (0: created this period), whole numbers >= 0.
    curve
        The close-rate curve: ``curve[k]`` is the share of a cohort won ``k`` periods after
        the period it was created in (:func:`kpi_engine.close_rate_curve`).
    periods_left
        Periods in which a win still counts, this one included (0: none).

    Notes
    -----
    An opportunity still open at age ``a`` has not been won in periods ``0..a-1``, so its
    chance is the cohort's wins still to come within the window over the share not yet
    won: ``sum(curve[a : a + periods_left]) / (1 - sum(curve[:a]))``. Losses are not in the
    curve, so an old open deal keeps the chance its cohort's remaining wins give it.

    >>> [round(p, 4) for p in curve_probabilities([0, 2], [0.1, 0.2, 0.1, 0.05], 2)]
    [0.3, 0.2143]
    """
    rates = _curve(curve)
    won_before = np.concatenate([[0.0], np.cumsum(rates)])
    chances = []
    for k, age in enumerate(ages):
        if isinstance(age, bool) or not float(age).is_integer() or age < 0:
            raise KPIInputError([Problem(f"ages[{k}]", age, "must be a whole number >= 0")])
        start, stop = min(int(age), rates.size), min(int(age) + max(periods_left, 0), rates.size)
        still_open = 1.0 - won_before[start]
        chances.append(0.0 if still_open <= 0 else
                       float((won_before[stop] - won_before[start]) / still_open))  # fmt: skip
    return chances


def planned_wins(planned: Sequence[float], curve: Sequence[float]) -> float:
    """The deals expected before the year ends from opportunities still to be created:
    ``planned[t]`` in each period left (0: this one), each cohort winning its curve's
    shares in the periods left after it: ``sum_t planned[t] x sum(curve[: n - t])``.

    Two periods left, 10 opportunities in each, a curve of 10 % then 20 %: the first
    cohort wins 10 x (0.1 + 0.2) = 3, the second 10 x 0.1 = 1.

    >>> planned_wins([10, 10], [0.1, 0.2, 0.05])
    4.0
    """
    rates = _curve(curve)
    won_by = np.concatenate([[0.0], np.cumsum(rates)])
    left = len(planned)
    problems: list[Problem] = []
    counts = [_number(f"planned[{t}]", value, math.inf, problems) for t, value in
              enumerate(planned)]  # fmt: skip
    if problems:
        raise KPIInputError(problems)
    return math.fsum(count * won_by[min(left - t, rates.size)] for t, count in enumerate(counts))


def opportunities_to_close(deals: float, curve: Sequence[float], periods_left: int) -> float:
    """The opportunities to create now so that ``deals`` are expected to close within
    ``periods_left`` periods (this one included): deals / the curve's share won in them;
    ``inf`` when no opportunity created now can close in time (too late).

    >>> opportunities_to_close(3, [0.1, 0.2, 0.05], 2)  # 3 / (0.1 + 0.2)
    10.0
    >>> opportunities_to_close(3, [0.0, 0.2], 1)
    inf
    """
    share = float(np.sum(_curve(curve)[: max(periods_left, 0)]))
    return math.inf if share <= 0 else float(deals) / share


def _curve(curve: Sequence[float]) -> np.ndarray:
    """A close-rate curve as an array, checked: shares 0-1 adding up to at most 1."""
    rates = np.asarray(curve, dtype=float)
    if rates.size == 0 or not np.all((rates >= 0) & (rates <= 1)) or rates.sum() > 1 + 1e-9:
        rule = "must be shares 0-1 of a cohort that add up to at most 1"
        raise KPIInputError([Problem("curve", list(curve), rule)])
    return rates


@dataclass(frozen=True)
class LandingRange:
    """Where the landing lies: ``closed`` plus the open deals each won with its chance.

    Attributes
    ----------
    mean, variance
        Of the landing, as the distribution computed (or the draws) give them; the closed
        forms are ``closed + sum(a p)`` and ``sum(a^2 p (1 - p))``.
    p10, p50, p90
        The 10th, 50th and 90th percentiles: the smallest landing with at least that chance
        of not being exceeded (P10 is the low case: 90 % of outcomes reach it).
    chance_of_goal
        The chance the landing reaches ``goal`` (None without one).
    method
        ``"exact"`` (every total the deals can add up to, to the cent) or ``"simulation"``
        (seeded draws, when the totals are too many to list).
    draws, seed
        The simulation's draws and seed (0 and None when exact).
    """

    mean: float
    variance: float
    p10: float
    p50: float
    p90: float
    chance_of_goal: float | None
    method: str
    draws: int = 0
    seed: int | None = None


def landing_range(
    amounts: Sequence[float], probabilities: Sequence[float], closed: float = 0.0,
    goal: float | None = None, draws: int = 200_000, seed: int = 2026,
) -> LandingRange:  # fmt: skip
    """The distribution of ``closed`` + the open deals won, each independently with its chance.

    Exact when the totals the deals can reach (in cents) number at most
    :data:`MAX_EXACT_TOTALS` (as with deals of round amounts); otherwise ``draws`` seeded
    draws (the same seed gives the same range).

    Two deals, 100 at 50 % and 300 at 50 %, land on 0, 100, 300 or 400, a quarter each:

    >>> r = landing_range([100, 300], [0.5, 0.5], goal=300)
    >>> r.mean, r.variance, (r.p10, r.p50, r.p90), r.chance_of_goal, r.method
    (200.0, 25000.0, (0.0, 100.0, 400.0), 0.5, 'exact')
    """
    values, chances = _checked(amounts, probabilities)
    totals = _exact_totals(np.rint(values * 100).astype(np.int64), chances)
    if totals is not None:
        cents, weights = totals
        landing = closed + cents / 100
        mean = math.fsum((landing * weights).tolist())
        variance = math.fsum((weights * (landing - mean) ** 2).tolist())
        cumulative = np.cumsum(weights)
        p10, p50, p90 = (float(landing[np.searchsorted(cumulative, q - 1e-12)])
                         for q in (0.1, 0.5, 0.9))  # fmt: skip
        reach = None if goal is None else math.fsum(weights[landing >= goal - 1e-9].tolist())
        return LandingRange(mean, variance, p10, p50, p90, reach, "exact")
    landing = closed + _sampled(values, chances, draws, seed)
    p10, p50, p90 = np.quantile(landing, [0.1, 0.5, 0.9], method="inverted_cdf").tolist()
    reach = None if goal is None else float(np.mean(landing >= goal - 1e-9))
    return LandingRange(float(landing.mean()), float(landing.var()), p10, p50, p90, reach,
                        "simulation", draws, seed)  # fmt: skip


def _exact_totals(cents: np.ndarray, chances: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Every total the deals can add up to (sorted) and its chance; None past the cap."""
    totals, weights = np.zeros(1, dtype=np.int64), np.ones(1)
    for amount, chance in zip(cents.tolist(), chances.tolist(), strict=True):
        if chance == 0 or amount == 0:
            continue
        if chance == 1:
            totals = totals + amount
            continue
        merged, where = np.unique(np.concatenate([totals, totals + amount]), return_inverse=True)
        if merged.size > MAX_EXACT_TOTALS:
            return None
        weights = np.bincount(where, np.concatenate([weights * (1 - chance), weights * chance]))
        totals = merged
    return totals, weights


def _sampled(values: np.ndarray, chances: np.ndarray, draws: int, seed: int) -> np.ndarray:
    """``draws`` totals of the deals won, each deal drawn with its chance, in chunks."""
    rng = np.random.default_rng(seed)
    chunk = max(1, 4_000_000 // max(values.size, 1))  # about 4 M draws of a deal at once
    totals = [(rng.random((min(chunk, draws - start), values.size)) < chances) @ values
              for start in range(0, draws, chunk)]  # fmt: skip
    return np.concatenate(totals)


def _checked(amounts: Sequence[float], probabilities: Sequence[float]) -> tuple[np.ndarray, ...]:
    """The amounts (money >= 0) and chances (0-1) as arrays, every bad one named."""
    if len(amounts) != len(probabilities):
        rule = f"has {len(probabilities)} values for {len(amounts)} amounts: give one each"
        raise KPIInputError([Problem("probabilities", len(probabilities), rule)])
    problems = []
    values = np.empty(len(amounts))
    chances = np.empty(len(amounts))
    for k, (amount, chance) in enumerate(zip(amounts, probabilities, strict=True)):
        values[k] = _number(f"amounts[{k}]", amount, math.inf, problems)
        chances[k] = _number(f"probabilities[{k}]", chance, 1.0, problems)
    if problems:
        raise KPIInputError(problems)
    return values, chances


def _number(name: str, value: object, high: float, problems: list[Problem]) -> float:
    """``value`` as a float from 0 to ``high`` (1: a chance; inf: money), or nan with its
    problem recorded."""
    number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
    if number is not None and math.isfinite(number) and 0 <= number <= high:
        return float(number)
    if high == 1:
        hint = " (30 % is 0.3)" if number is not None and number > 1 else ""
        problems.append(Problem(name, value, f"must be a chance between 0 and 1{hint}"))
    else:
        problems.append(Problem(name, value, "must be an amount of money, 0 or more"))
    return math.nan


def _category(name: object) -> str:
    """A category as compared: lower case, inner spaces single (``Best  Case`` -> best case)."""
    return " ".join(str(name).lower().replace("_", " ").split())
