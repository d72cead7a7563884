"""The vectorised face of lead quality and engagement: NPS from counts and email rates, a
frame of sends or surveys, one per row (re-exported by :mod:`kpi_engine.frame`). The math
is :mod:`kpi_engine.quality`, so a row here and the scalar call agree to the last bit."""

from __future__ import annotations

import pandas as pd

from kpi_engine import quality
from kpi_engine._args import Args, Given
from kpi_engine._frame_common import SAME_NAME, _pick, _series


def nps_from_counts(
    frame: pd.DataFrame,
    *,
    promoters: Given = SAME_NAME,
    passives: Given = SAME_NAME,
    detractors: Given = SAME_NAME,
) -> pd.Series:
    """NPS for every row of counts; see :func:`kpi_engine.nps_from_counts`."""
    result = quality.nps_core(
        Args(frame),
        _pick(frame, "promoters", promoters),
        _pick(frame, "passives", passives),
        _pick(frame, "detractors", detractors),
    )
    return _series(frame, result, "nps")


def email_rates(
    frame: pd.DataFrame,
    *,
    sent: Given = SAME_NAME,
    delivered: Given = SAME_NAME,
    unique_opens: Given = SAME_NAME,
    unique_clicks: Given = SAME_NAME,
    unsubscribes: Given = SAME_NAME,
) -> pd.DataFrame:
    """Email rates for every send; columns as the fields of :class:`kpi_engine.EmailRates`."""
    rates = quality.email_rates_core(
        Args(frame),
        _pick(frame, "sent", sent),
        _pick(frame, "delivered", delivered),
        _pick(frame, "unique_opens", unique_opens),
        _pick(frame, "unique_clicks", unique_clicks),
        _pick(frame, "unsubscribes", unsubscribes),
    )
    columns = list(quality.EmailRates.__dataclass_fields__)
    return pd.DataFrame(rates, index=frame.index, columns=columns)
