"""Next year's volumes: this year's customers grown by ``growth``, walked up the funnel.

The timeline's last periods work for next year's first deals (:mod:`kpi_engine.timeline`),
so they need next year's goal: this year's grown by ``growth`` (DOMAIN.md section 1, issue
10). Rates are fractions between stages, growth a fraction (0.25 = +25 %), volumes counts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kpi_engine._args import Args, Given
from kpi_engine.funnel import _customers, _rate_list, _read_rates, _walk_up, resolve_stages

__all__ = ["next_year_volumes"]


def _read_growth(args: Args, growth: Given) -> np.ndarray:
    grown = args.number("growth", growth)
    args.flag(grown < -1, "growth", grown, "must be -100 % (-1) or more: a goal cannot shrink "
              "below nothing")  # fmt: skip
    return grown


def _next_year_customers(customers: np.ndarray, growth: np.ndarray) -> np.ndarray:
    """Next year's customers: this year's exact customers x (1 + growth)."""
    return customers * (1 + growth)


def next_year_core(
    args: Args,
    goal: Given,
    rates: Sequence[Given],
    deal_size: Given | None,
    growth: Given,
    whole_numbers: bool,
    stages: Sequence[str],
) -> np.ndarray:
    """Next year's volumes per row and stage: shape (rows, stages)."""
    rate_values = _read_rates(args, rates, stages)
    grown = _read_growth(args, growth)
    customers = _customers(args, goal, deal_size)
    args.raise_if_any()
    return _walk_up(_next_year_customers(customers, grown), rate_values, whole_numbers)


def next_year_volumes(
    goal: float,
    rates: Sequence[float],
    *,
    deal_size: float | None = None,
    growth: float = 0.0,
    whole_numbers: bool = False,
    stages: Sequence[str] | None = None,
) -> dict[str, float]:
    """The volumes each stage needs for next year's goal: the reverse funnel of this year's
    customers grown by ``growth``.

    Formula: ``customers_next = goal / deal_size x (1 + growth)``, then up the funnel as
    :func:`kpi_engine.reverse_funnel` (rounded up stage by stage from the bottom with
    ``whole_numbers``). The timeline's last periods work for these volumes: a stage that
    arrives months ahead of its deals works, late in the plan year, for next year's first
    deals.

    ``goal`` is revenue with ``deal_size`` (both in money), else customers; ``growth`` is a
    fraction (0.25 = +25 %), -1 or more; rates are fractions between stages, top first.

    Example: 10,000,000 at 1,100,000 a deal is 9.0909 customers; +50 % is 13.636, which
    needs 27.27 opportunities at a 50 % close rate (whole numbers: 14 customers, 28).

    >>> next_year_volumes(10e6, [0.5], deal_size=1.1e6, growth=0.5)
    {'Stage 1': 27.272727272727273, 'Customers': 13.636363636363637}
    >>> next_year_volumes(10e6, [0.5], deal_size=1.1e6, growth=0.5, whole_numbers=True)
    {'Stage 1': 28.0, 'Customers': 14.0}
    """
    rate_list = _rate_list(rates)
    names = resolve_stages(stages, len(rate_list))
    volumes = next_year_core(Args(), goal, rate_list, deal_size, growth, whole_numbers, names)
    return dict(zip(names, volumes[0].tolist(), strict=True))
