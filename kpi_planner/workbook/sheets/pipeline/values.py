"""The engine's value of every formula cell of the "Pipeline" sheet, for many plans at once.

:func:`pipeline_outputs` computes what the sheet's formulas (:mod:`.layout`) show, by
:func:`kpi_engine.frame.expected_closes`, :func:`kpi_engine.rounded_gap`,
:func:`kpi_engine.pipeline_coverage` and :func:`kpi_engine.pipeline.added_up`, under the names of
:func:`.grid.formula_sources`; the tests evaluate the formulas independently and compare.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

import kpi_engine.frame
from kpi_engine.phasing import running_totals
from kpi_engine.pipeline import added_up, pipeline_coverage, rounded_gap
from kpi_planner.workbook.sheets.pipeline.grid import CHECK_TEXT, CURVE_MONTHS


def pipeline_outputs(
    curves: np.ndarray,
    created: np.ndarray,
    timeline_monthly: np.ndarray,
    required_monthly: np.ndarray,
    opportunity_rate: np.ndarray,
    rows: Sequence[object] | None = None,
) -> dict[str, np.ndarray]:
    """The engine's value of each of the sheet's outputs (the names of
    :func:`.grid.formula_sources`) for many plans at once, each with a leading axis of rows.

    ``curves``: (rows, <= 13) shares; ``created``: (rows, 24) typed opportunities, NaN where
    not typed; ``timeline_monthly``: (rows, stages, 24); ``required_monthly``: (rows,
    stages, 12); ``opportunity_rate``: (rows,) the plan's opportunity-to-customer rate;
    ``rows`` labels the rows in errors. Raises :class:`~kpi_engine.KPIInputError` for a bad
    curve or a negative count, naming ``curve[k]`` or ``generated[j]`` and the row.
    """
    count = len(curves)
    shares = np.zeros((count, CURVE_MONTHS))
    shares[:, : np.shape(curves)[1]] = curves
    planned = np.asarray(timeline_monthly, dtype=float)[:, -2, :]
    typed = np.asarray(created, dtype=float)
    counted = np.where(np.isnan(typed), planned, typed)
    needed = np.asarray(required_monthly, dtype=float)[:, -1, :]
    labels = pd.RangeIndex(count) if rows is None else pd.Index(rows)
    table = pd.DataFrame(np.hstack([counted, shares]), index=labels)
    closes = kpi_engine.frame.expected_closes(
        table, generated=[table[j] for j in range(24)],
        curve=[table[24 + k] for k in range(CURVE_MONTHS)],
    ).to_numpy()  # fmt: skip
    expected = closes[:, 12:]
    gap = rounded_gap(expected, needed)  # as the sheet's ROUND(expected - needed, 6)
    total = added_up(shares)
    check = np.where(total > 1, CHECK_TEXT["over"], np.where(total == 0, CHECK_TEXT["zero"], ""))
    return {
        "CloseRateTotal": total,
        "PlanOpportunityRate": np.asarray(opportunity_rate, dtype=float),
        "PipelineCheck": check.astype(object),
        "CurveReversed": shares[:, ::-1],
        "OpportunitiesPlanned": planned,
        "OpportunitiesCounted": counted,
        "ExpectedCloses": expected,
        "ClosesNeeded": needed,
        "PipelineGap": gap,
        "PipelineGapRunning": running_totals(gap),
        "ExpectedYear": added_up(expected),
        "NeededYear": added_up(needed),
        "GapYear": added_up(gap),
        "PipelineCoverage": pipeline_coverage(expected, needed),
    }
