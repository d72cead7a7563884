"""The vectorised face of the plan's year-ahead volumes: next year's funnel for every row of
a frame of plans (re-exported by :mod:`kpi_engine.frame`). The math is
:mod:`kpi_engine.timeline`, so a row here and the scalar call agree to the last bit."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kpi_engine import funnel
from kpi_engine._args import Args, Given
from kpi_engine.next_year import next_year_core


def next_year_volumes(
    frame: pd.DataFrame,
    *,
    goal: Given,
    rates: Sequence[Given],
    deal_size: Given | None = None,
    growth: Given = 0.0,
    whole_numbers: bool = False,
    stages: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Next year's volumes per stage for every plan: one column per stage, top first; see
    :func:`kpi_engine.next_year_volumes`. Arguments are column names or constants.

    >>> df = pd.DataFrame({"goal": [10e6, 4e6], "growth": [0.5, 0.0]})
    >>> next_year_volumes(df, goal="goal", deal_size=1e6, rates=[0.5], growth="growth",
    ...                   whole_numbers=True)
       Stage 1  Customers
    0     30.0       15.0
    1      8.0        4.0
    """
    rate_list = list(rates)
    names = funnel.resolve_stages(stages, len(rate_list))
    volumes = next_year_core(Args(frame), goal, rate_list, deal_size, growth, whole_numbers, names)
    return pd.DataFrame(volumes, index=frame.index, columns=list(names))
