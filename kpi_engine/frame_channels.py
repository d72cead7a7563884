"""The vectorised face of channels and what-if: a frame of scenarios, one per row.

Arguments as in :mod:`kpi_engine.frame` (a column name, a constant, or values of the frame's
length); the channels are given by name: ``shares={"Search": "search share", ...}`` and
``costs={"Search": "search cpl", ...}``. The math is :mod:`kpi_engine.channels` and
:mod:`kpi_engine.whatif`, so a row here and the scalar call agree to the last bit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from kpi_engine._args import Args, Given
from kpi_engine.channels import budget_core, reach_core, read_mix
from kpi_engine.funnel import _customers_and_deal, resolve_stages
from kpi_engine.whatif import read_step, sensitivity_core

__all__ = ["channel_budget", "channel_sensitivity"]


def _read(frame, goal, rates, shares, costs, own_rates, deal_size, entry, stages):
    args = Args(frame)
    names = list(costs)
    mix = read_mix(args, names, [shares[n] for n in names], [costs[n] for n in names],
                   [own_rates.get(n, ()) for n in names], list(rates),
                   resolve_stages(stages, len(list(rates))), entry)  # fmt: skip
    customers, deal = _customers_and_deal(args, goal, deal_size)
    args.raise_if_any()
    return args, customers, deal, mix


def channel_budget(
    frame: pd.DataFrame,
    *,
    goal: Given,
    rates: Sequence[Given],
    shares: Mapping[str, Given],
    costs: Mapping[str, Given],
    own_rates: Mapping[str, Sequence[Given | None]] | None = None,
    deal_size: Given | None = None,
    entry: str | None = None,
    stages: Sequence[str] | None = None,
    budget: Given | None = None,
) -> pd.DataFrame:
    """Each channel's budget and the budget the goal needs, every scenario; see
    :func:`kpi_engine.channels.channel_plan`.

    Returns the columns ``<channel> budget``, ``budget needed`` and, with ``budget``,
    ``budget gap`` (budget - needed) and ``reachable revenue`` (customers without a deal
    size: ``reachable customers``).

    >>> df = pd.DataFrame({"goal": [9.0, 18.0], "search": [0.6, 0.5]})
    >>> channel_budget(df, goal="goal", rates=[0.015, 0.2, 0.2, 0.4, 0.5],
    ...                shares={"Search": "search", "Events": 1 - df["search"]},
    ...                costs={"Search": 50, "Events": 120})
       Search budget  Events budget  budget needed
    0        33750.0        54000.0        87750.0
    1        56250.0       135000.0       191250.0
    """
    args, customers, _, mix = _read(frame, goal, rates, shares, costs, own_rates or {}, deal_size,
                                 entry, stages)  # fmt: skip
    spend, _ = budget_core(customers, mix)
    columns = {f"{name} budget": spend[:, i] for i, name in enumerate(mix.names)}
    columns["budget needed"] = spend.sum(axis=1)
    if budget is not None:
        given = args.non_negative("budget", budget)
        args.raise_if_any()
        columns["budget gap"] = given - columns["budget needed"]
        reached = reach_core(given, mix)
        if deal_size is None:
            columns["reachable customers"] = reached
        else:
            columns["reachable revenue"] = reached * args.number("deal_size", deal_size)
    return pd.DataFrame(columns, index=frame.index)


def channel_sensitivity(
    frame: pd.DataFrame,
    *,
    goal: Given,
    rates: Sequence[Given],
    shares: Mapping[str, Given],
    costs: Mapping[str, Given],
    own_rates: Mapping[str, Sequence[Given | None]] | None = None,
    deal_size: Given | None = None,
    entry: str | None = None,
    stages: Sequence[str] | None = None,
    step: float = 0.1,
) -> pd.DataFrame:
    """The budget each input's improvement by ``step`` saves, every scenario (one column
    per input, as :func:`kpi_engine.whatif.sensitivity` names them).

    >>> df = pd.DataFrame({"goal": [9.0]})
    >>> saved = channel_sensitivity(df, goal="goal", rates=[0.015, 0.2, 0.2, 0.4, 0.5],
    ...                             shares={"Search": 0.6, "Events": 0.4},
    ...                             costs={"Search": 50, "Events": 120})
    >>> saved["Events cost per unit"].round(6).tolist()
    [5400.0]
    """
    size = read_step(step)
    _, customers, deal, mix = _read(frame, goal, rates, shares, costs, own_rates or {},
                                    deal_size, entry, stages)  # fmt: skip
    (base, _), found = sensitivity_core(customers, mix, size, deal)
    return pd.DataFrame({lever.name(mix): base - budget for lever, (_, _, budget, _) in
                         found.items()}, index=frame.index)  # fmt: skip
