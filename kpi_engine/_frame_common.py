"""What every function of the vectorised face shares: which column an argument reads, and
a result labelled with the frame's index (:mod:`kpi_engine.frame`)."""

from __future__ import annotations

import pandas as pd

from kpi_engine._args import Given


class _SameName:
    def __repr__(self) -> str:
        return "SAME_NAME"


#: Default of every argument: the column named like the argument (or the scalar default).
SAME_NAME: Given = _SameName()  # type: ignore[assignment]

_REQUIRED = object()


def _pick(frame: pd.DataFrame, name: str, given: object, default: object = _REQUIRED) -> object:
    """What to read for ``name``: as given, or the column of that name, or the default."""
    if given is not SAME_NAME:
        return given
    if name in frame.columns or default is _REQUIRED:
        return name
    return default


def _series(frame: pd.DataFrame, values: object, name: str) -> pd.Series:
    return pd.Series(values, index=frame.index, name=name)
