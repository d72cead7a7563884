"""The vectorised face of a company's plan (re-exported by :mod:`kpi_engine.frame`): the ARR
bridge and the sourced targets of every row of a frame (a segment, a source, a scenario).
The math is :mod:`kpi_engine.company`, so a row here and the scalar call agree to the last
bit."""

from __future__ import annotations

import pandas as pd

from kpi_engine._args import Args, Given
from kpi_engine.company import bridge_core, sourced_core


def arr_bridge(
    frame: pd.DataFrame,
    *,
    starting_arr: Given = "starting_arr",
    net_retention: Given = "net_retention",
    gross_retention: Given = "gross_retention",
    target_arr: Given = "target_arr",
) -> pd.DataFrame:
    """The ARR bridge of every row; see :func:`kpi_engine.arr_bridge`. Arguments are column
    names (by default, their own names) or constants.

    >>> df = pd.DataFrame({"starting_arr": [10e6, 2e6], "target_arr": [15e6, 3e6]},
    ...                   index=["EMEA", "US"])
    >>> arr_bridge(df, net_retention=1.1, gross_retention=0.9)[["expansion", "new_logo_arr"]]
          expansion  new_logo_arr
    EMEA  2000000.0     4000000.0
    US     400000.0      800000.0
    """
    values = bridge_core(Args(frame), starting_arr, net_retention, gross_retention, target_arr)
    return pd.DataFrame(values, index=frame.index)


def sourced_target(
    frame: pd.DataFrame, *, goal: Given = "goal", share: Given = "share",
    deal_size: Given = "deal_size",
) -> pd.DataFrame:  # fmt: skip
    """Each row's sourced revenue, deals and whole deals; see :func:`kpi_engine.sourced_target`.

    >>> df = pd.DataFrame({"share": [0.25, 0.5]}, index=["Marketing", "Sales"])
    >>> sourced_target(df, goal=30e6, deal_size=85_000)
                  revenue       deals  whole_deals
    Marketing   7500000.0   88.235294         89.0
    Sales      15000000.0  176.470588        177.0
    """
    values = sourced_core(Args(frame), goal, share, deal_size)
    return pd.DataFrame(values, index=frame.index)
