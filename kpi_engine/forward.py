"""The funnel forward: from a top-of-funnel volume down to customers and revenue, and the
conversion rates that actual stage volumes show.

The other way from :mod:`kpi_engine.funnel`'s plan (DOMAIN.md section 1): each stage below =
the stage above * the conversion rate between them. Rates are fractions (0.015 for 1.5 %),
one between each pair of adjacent stages, top to bottom.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kpi_engine._args import Args, Given
from kpi_engine.funnel import (
    _as_list,
    _rate_list,
    _read_rates,
    _round_down,
    resolve_stages,
    transition_names,
)

__all__ = [
    "Projection",
    "conversion_rate",
    "conversion_rates",
    "forward_funnel",
]

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
