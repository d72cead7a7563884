"""The padding that gives every timeline of the Plan sheet (:mod:`.timeline`) the sheet's
24 months; the timeline's values are computed with the plan's others, by
:func:`kpi_planner.plan.frame.plan_outputs_frame`.
"""

from __future__ import annotations

import numpy as np

from kpi_planner.workbook.sheets.plan.timeline_grid import LEAD_IN, MONTHS


def pad_lead_in(values: np.ndarray) -> np.ndarray:
    """A timeline's values (..., lead-in + 12 months) with 0 for the months of the year
    before it does not need, so every timeline has the sheet's 24 columns."""
    missing = LEAD_IN + MONTHS - values.shape[-1]
    return np.pad(values, [(0, 0)] * (values.ndim - 1) + [(missing, 0)])
