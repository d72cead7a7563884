"""The engine's value of each output of the Plan sheet's timeline (:mod:`.timeline`): the
same computation by :func:`kpi_engine.timeline`, one plan at a time, and the padding that
gives every timeline the sheet's 24 months.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

import kpi_engine
from kpi_planner.workbook.sheets.plan.timeline_grid import LEAD_IN, MONTHS


def timeline_outputs(
    goal: float,
    rates: Sequence[float],
    deal_size: float,
    lag_days: Sequence[float],
    growth: float,
    weights: Sequence[float],
    whole_numbers: bool,
    stages: Sequence[str],
    plan_year: int,
) -> dict[str, object]:
    """The engine's value of each of the section's outputs, by defined name."""
    customers = kpi_engine.customers_needed(goal, deal_size)
    names = list(stages)
    common = {"lag_days": list(lag_days), "growth": growth, "weights": list(weights),
              "stages": names, "plan_year": plan_year}  # fmt: skip
    shown = kpi_engine.timeline(customers, list(rates), whole_numbers=whole_numbers, **common)
    ahead = kpi_engine.stage_offsets(list(lag_days), periods=MONTHS, stages=list(stages))
    next_year = kpi_engine.next_year_volumes(
        goal, list(rates), deal_size=deal_size, growth=growth, whole_numbers=whole_numbers,
        stages=names,
    )  # fmt: skip
    monthly = pad_lead_in(shown.to_numpy())
    return {
        "MonthsAhead": np.array(list(ahead.values()), dtype=float),
        "NextYearRequired": np.array(list(next_year.values())),
        "TimelineLabels": np.array(  # one row of the sheet
            [kpi_engine.timeline_labels(MONTHS, LEAD_IN, plan_year)], dtype=object
        ),
        "TimelineMonthly": monthly,
        "TimelineRunning": kpi_engine.running_totals(monthly),
        "WeightsSoFar": kpi_engine.running_totals(weights)[None, :],  # one row
    }


def pad_lead_in(values: np.ndarray) -> np.ndarray:
    """A timeline's values (..., lead-in + 12 months) with 0 for the months of the year
    before it does not need, so every timeline has the sheet's 24 columns."""
    missing = LEAD_IN + MONTHS - values.shape[-1]
    return np.pad(values, [(0, 0)] * (values.ndim - 1) + [(missing, 0)])
