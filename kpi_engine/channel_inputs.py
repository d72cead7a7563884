"""Channel mixes as the engine reads them: each channel's share, cost per unit and own rates,
checked and turned into arrays over rows (one row for a scalar call, a frame's rows for the
vectorised face).

The math over a mix is :mod:`kpi_engine.channels`; the optimiser's is
:mod:`kpi_engine.channel_mix`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kpi_engine._args import Args, Given
from kpi_engine.errors import KPIInputError, Problem
from kpi_engine.funnel import _read_rates

#: Shares must add up to 1 within this (so 1/3 + 1/3 + 1/3 typed as fractions passes).
SHARE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Channel:
    """One source of the plan's entry-stage volume (leads, say).

    Attributes
    ----------
    name
        Unique, not empty: "Paid search", "Events"...
    share
        Fraction of the entry stage's volume it brings (0.4 for 40 %); the shares of a
        mix add up to 1. May be None for :func:`~kpi_engine.channel_mix.optimal_mix`.
    cost_per_unit
        What one unit of the entry stage costs from it (cost per lead), > 0.
    rates
        Its own conversion rates from the entry stage down, where they differ from the
        plan's; None (or a shorter tuple) keeps the plan's.
    max_volume, max_share
        Limits for the optimal mix: at most this many units, or this share, of the entry
        stage (None: no limit).
    """

    name: str
    share: float | None
    cost_per_unit: float
    rates: tuple[float | None, ...] = ()
    max_volume: float | None = None
    max_share: float | None = None


@dataclass(frozen=True)
class Mix:
    """A mix read and checked, as arrays: rows (scenarios) x channels (x steps)."""

    names: tuple[str, ...]
    shares: np.ndarray  # (rows, channels)
    costs: np.ndarray  # (rows, channels)
    rates: np.ndarray  # (rows, channels, steps from the entry stage): own or the plan's
    own: np.ndarray  # (channels, steps): True where the channel has its own rate
    above: list[np.ndarray]  # the plan's rates above the entry stage, top first
    stages: tuple[str, ...]
    entry: int  # index of the entry stage

    @property
    def yields(self) -> np.ndarray:
        """Customers per unit of the entry stage, each channel: its rates multiplied."""
        return np.prod(self.rates, axis=2)


def check_names(names: Sequence[object]) -> tuple[str, ...]:
    """Channel names: text, not empty, each once (ignoring case)."""
    problems = []
    for i, name in enumerate(names):
        if not isinstance(name, str) or not name.strip():
            problems.append(Problem(f"channels[{i}].name", name, "must be a name, not empty"))
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        key = str(name).strip().casefold()
        if key in seen and str(name).strip():
            rule = f"is the name of channels[{seen[key]}] too: each channel needs its own"
            problems.append(Problem(f"channels[{i}].name", name, rule))
        seen.setdefault(key, i)
    if not names:
        problems.append(Problem("channels", [], "is empty: give at least one channel"))
    if problems:
        raise KPIInputError(problems)
    return tuple(str(name).strip() for name in names)


def default_entry(stages: Sequence[str]) -> str:
    """The stage channels bring when none is named: Leads where the funnel has them above
    its last stage, else its second stage (the first below the top) or, in a funnel of two
    stages, the top.

    >>> default_entry(["Visits", "Leads", "Customers"]), default_entry(["Web", "Won"])
    ('Leads', 'Web')
    """
    if "Leads" in stages[:-1]:
        return "Leads"
    return stages[min(1, len(stages) - 2)]


def entry_index(entry: str | None, stages: Sequence[str]) -> int:
    """Where the channels' entry stage is in the funnel (not the last stage); None: the
    :func:`default_entry`."""
    if entry is None:
        entry = default_entry(stages)
    if entry not in stages[:-1]:
        allowed = ", ".join(stages[:-1])
        raise KPIInputError([Problem("entry", entry, f"must be a stage above the last: {allowed}")])
    return list(stages).index(entry)


def read_mix(
    args: Args,
    names: Sequence[object],
    shares: Sequence[Given],
    costs: Sequence[Given],
    own_rates: Sequence[Sequence[Given | None]],
    plan_rates: Sequence[Given],
    stages: Sequence[str],
    entry: str | None,
    *,
    shares_needed: bool = True,
) -> Mix:
    """Read a mix for one row (``args.frame`` None) or a frame's rows; every problem of
    every channel and row is collected before raising."""
    channel_names = check_names(list(names))
    start = entry_index(entry, stages)
    plan = _read_rates(args, plan_rates, stages)
    steps = len(stages) - 1 - start
    share_list, cost_list, rate_rows = [], [], []
    own = np.zeros((len(channel_names), steps), dtype=bool)
    for i, name in enumerate(channel_names):
        label = f"channels[{i}] ({name})" if args.frame is None else name
        if shares_needed:
            share_list.append(args.fraction(f"{label} share", shares[i]))
        cost_list.append(args.positive(f"{label} cost per unit", costs[i],
                                       "a channel that costs nothing per unit needs no budget: "
                                       "give its cost per lead (or per entry unit)"))  # fmt: skip
        given = list(own_rates[i]) if i < len(own_rates) and own_rates[i] is not None else []
        if len(given) > steps:
            rule = f"has {len(given)} rates; from {stages[start]} down the funnel has {steps}"
            raise KPIInputError([Problem(f"{label} rates", given, rule)])
        row = []
        for j in range(steps):
            transition = f"{stages[start + j]} -> {stages[start + j + 1]}"
            if j < len(given) and given[j] is not None:
                own[i, j] = True
                row.append(args.fraction(f"{label} {transition} rate", given[j],
                                         f"a rate of 0 means {name} brings no "
                                         f"{stages[start + j + 1]}"))  # fmt: skip
            else:
                row.append(plan[start + j])
        rate_rows.append(np.stack(row, axis=1) if row else np.ones((args.size, 0)))
    shares_array = np.stack(share_list, axis=1) if shares_needed else np.ones((args.size, 0))
    if shares_needed:
        total = shares_array.sum(axis=1)
        off = np.abs(total - 1) > SHARE_TOLERANCE
        args.flag(off, "shares", total, _shares_off)
    args.raise_if_any()
    return Mix(channel_names, shares_array, np.stack(cost_list, axis=1), np.stack(rate_rows, 1),
               own, plan[:start], tuple(stages), start)  # fmt: skip


def _shares_off(total: float) -> str:
    side = "short of" if total < 1 else "over"
    return (
        f"add up to {total * 100:.6g} %, {abs(1 - total) * 100:.6g} % {side} 100 %: a mix's "
        "shares add up to 100 %"
    )
