"""Many plans at once: a frame of scenarios (one row per plan) and all their outputs, vectorised.

The columns are the fields of :class:`~kpi_planner.plan.one_plan.PlanInputs`, with the
lists numbered from 1: ``stage_1..stage_n``, ``rate_1..rate_{n-1}``, ``weight_1..weight_12``.
:func:`plan_outputs_frame` gives, for every row, what
:func:`~kpi_planner.plan.one_plan.plan_outputs` gives for one plan, from
:mod:`kpi_engine.frame` in a few array operations.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from kpi_engine import KPIInputError, Problem, frame, unique_problems
from kpi_engine.channels import default_entry
from kpi_engine.phasing import quarter_weights, running_totals
from kpi_engine.timeline import timeline_labels
from kpi_planner.inputs.defaults import PLAN_YEAR_RULE, is_plan_year
from kpi_planner.plan.channels import row_channels, sheet_outputs
from kpi_planner.plan.one_plan import PlanInputs
from kpi_planner.workbook.sheets.pipeline.grid import CURVE_MONTHS
from kpi_planner.workbook.sheets.pipeline.values import pipeline_outputs
from kpi_planner.workbook.sheets.plan.timeline_grid import LEAD_IN
from kpi_planner.workbook.sheets.plan.timeline_values import pad_lead_in
from kpi_planner.workbook.sheets.whatif.grid import Scenario

MONTHS = 12


def row_inputs(row: pd.Series | dict, stages: int) -> PlanInputs:
    """The :class:`PlanInputs` of one row of a scenario frame."""
    stage_names = [str(row[f"stage_{i}"]) for i in range(1, stages + 1)]
    return PlanInputs(
        revenue_goal=float(row["revenue_goal"]),
        deal_size=float(row["deal_size"]),
        marketing_budget=float(row["marketing_budget"]),
        gross_margin=float(row["gross_margin"]),
        churn_rate=float(row["churn_rate"]),
        discount_rate=float(row["discount_rate"]),
        whole_numbers=bool(row["whole_numbers"]),
        plan_year=int(row["plan_year"]),
        stages=tuple(str(row[f"stage_{i}"]) for i in range(1, stages + 1)),
        rates=tuple(float(row[f"rate_{i}"]) for i in range(1, stages)),
        seasonality=tuple(float(row[f"weight_{m}"]) for m in range(1, MONTHS + 1)),
        lag_days=tuple(float(row[f"lag_{i}"]) for i in range(1, stages)),
        growth=float(row["growth"]),
        close_rate_curve=_without_trailing(
            [float(row[f"curve_{k}"]) for k in range(1, CURVE_MONTHS + 1)], 0.0, keep=1
        ),
        opportunities_created=_without_trailing(
            [
                None if pd.isna(row[f"created_{j}"]) else float(row[f"created_{j}"])
                for j in range(1, 25)
            ],
            None,
        ),
        channels=row_channels(row, stages),
        # The default entry stage reads back as None, as PlanInputs has it.
        channel_entry=None
        if row["channel_entry"] == default_entry(stage_names)
        else row["channel_entry"],
        whatif_step=float(row["whatif_step"]),
    )


def _without_trailing(values: list, empty: object, keep: int = 0) -> tuple:
    """``values`` without the ``empty`` ones at the end (the sheet's padding), as typed."""
    while len(values) > keep and values[-1] == empty:
        values.pop()
    return tuple(values)


def plan_outputs_frame(
    scenarios: pd.DataFrame,
    stages: Sequence[str],
    named_scenarios: Sequence[Sequence[Scenario]] | None = None,
) -> dict[str, np.ndarray]:
    """Every output of the plan sheet for every row, by defined name, as arrays ``(rows, ...)``.

    ``stages`` names the stages in error messages; ``named_scenarios`` holds each row's
    What-if scenarios (None: none). Bad rows raise one :class:`~kpi_engine.KPIInputError`
    that names every problem (row label and column).
    """
    count = len(stages)
    rates = [f"rate_{i}" for i in range(1, count)]
    months = [f"weight_{m}" for m in range(1, MONTHS + 1)]
    problems: list[Problem] = []

    def attempt(compute):
        try:
            return compute()
        except KPIInputError as err:
            problems.extend(err.problems)
            return None

    funnel = {"goal": "revenue_goal", "deal_size": "deal_size", "rates": rates, "stages": stages}
    clv = attempt(lambda: frame.clv(scenarios, revenue_per_period="deal_size",
                                    acquisition_cost=0.0, horizon_periods=math.inf))  # fmt: skip
    roi = attempt(lambda: frame.roi(scenarios, revenue="revenue_goal",
                                    investment="marketing_budget", other_costs=0.0))  # fmt: skip
    whole = _whole_numbers(scenarios, problems)
    _check_plan_years(scenarios, problems)
    phased = {}
    # Months first: if their weights are bad, the quarters' sums of them are not reported again.
    for periods in ("monthly", "quarterly"):
        if problems and periods == "quarterly":
            break
        weights = months if periods == "monthly" else _quarter_weights(scenarios, months)
        for rounding in (False, True):
            phased[periods, rounding] = attempt(
                lambda w=weights, r=rounding: frame.phase_funnel(
                    scenarios, weights=w, whole_numbers=r, **funnel
                ).to_numpy()
            )
    lags = [f"lag_{i}" for i in range(1, count)]
    timed = {"lag_days": lags, "weights": months, "growth": "growth", **funnel}
    if not problems:
        timelines = {r: attempt(lambda r=r: frame.timeline(scenarios, whole_numbers=r, **timed)
                                .to_numpy().reshape(len(scenarios), -1, count))
                     for r in (False, True)}  # fmt: skip
        ahead = attempt(lambda: frame.stage_offsets(scenarios, lag_days=lags, stages=stages))
    exact = attempt(lambda: frame.reverse_funnel(scenarios, **funnel).to_numpy())
    rounded = attempt(
        lambda: frame.reverse_funnel(scenarios, whole_numbers=True, **funnel).to_numpy()
    )
    if problems:
        raise KPIInputError(_in_row_order(problems, scenarios.index))

    def pick(exact_values: np.ndarray, whole_values: np.ndarray) -> np.ndarray:
        mask = whole.reshape((-1,) + (1,) * (exact_values.ndim - 1))
        return np.where(mask, whole_values, exact_values)

    annual = pick(exact, rounded)
    quarterly = pick(phased["quarterly", False], phased["quarterly", True])
    monthly = pick(phased["monthly", False], phased["monthly", True])
    customers = annual[:, -1]
    budget = scenarios["marketing_budget"].to_numpy(dtype=float)
    volumes = pd.DataFrame(annual, index=scenarios.index, columns=list(stages))
    by_stage = {stage: stage for stage in stages}
    cost = attempt(lambda: frame.cost_per_stage(volumes, spend=budget, volumes=by_stage).to_numpy())
    cac = attempt(lambda: frame.cac(volumes, spend=budget, new_customers=customers).to_numpy())
    if problems:
        raise KPIInputError(_in_row_order(problems, scenarios.index))
    clv_values = clv.to_numpy()
    timeline = pick(timelines[False], timelines[True])  # (rows, lead-in + 12, stages)
    next_year = pick(*(frame.next_year_volumes(scenarios, whole_numbers=r, growth="growth",
                                               **funnel).to_numpy()
                       for r in (False, True)))  # fmt: skip
    # The labels depend on the plan year alone: made once per year, not once per row.
    years, at = np.unique(scenarios["plan_year"].to_numpy(dtype=int), return_inverse=True)
    by_year = np.array([[timeline_labels(MONTHS, LEAD_IN, int(year))] for year in years],
                       dtype=object)  # fmt: skip
    labels = by_year[at.reshape(-1)]
    timeline_monthly = pad_lead_in(timeline.transpose(0, 2, 1))
    weights_so_far = running_totals(scenarios[months].to_numpy(dtype=float))[:, None, :]
    required_monthly = monthly.reshape(len(scenarios), MONTHS, count).transpose(0, 2, 1)
    curves = scenarios[[f"curve_{k}" for k in range(1, CURVE_MONTHS + 1)]]
    created = scenarios[[f"created_{j}" for j in range(1, 25)]]
    closing_rate = scenarios[rates[-1]].to_numpy(dtype=float)
    piped = attempt(lambda: pipeline_outputs(
        curves.to_numpy(dtype=float), created.to_numpy(dtype=float), timeline_monthly,
        required_monthly, closing_rate, rows=scenarios.index))  # fmt: skip
    if problems:
        raise KPIInputError(_in_row_order(problems, scenarios.index))
    sheets = attempt(lambda: sheet_outputs(scenarios, count, {"RequiredAnnual": annual,
                                                              "PlannedCAC": cac},
                                           list(scenarios.index), named_scenarios))  # fmt: skip
    if problems:
        raise KPIInputError(_in_row_order(problems, scenarios.index))
    return (
        piped
        | sheets
        | {
            "MonthsAhead": ahead.to_numpy(dtype=float),
            "NextYearRequired": next_year,
            "TimelineLabels": labels,
            "TimelineMonthly": timeline_monthly,
            "TimelineRunning": running_totals(timeline_monthly),
            "WeightsSoFar": weights_so_far,
            "CustomersNeeded": exact[:, -1],
            "RequiredAnnual": annual,
            "RequiredQuarterly": quarterly.reshape(len(scenarios), 4, count).transpose(0, 2, 1),
            "RequiredMonthly": required_monthly,
            "CostPerStage": cost,
            "PlannedCAC": cac,
            "CustomerLifetimeValue": clv_values,
            "LTVtoCAC": frame.ltv_to_cac(volumes, clv=clv_values, cac=cac).to_numpy(),
            "ProjectedROI": roi.to_numpy(),
            "LifetimeROI": frame.roi_from_clv(
                volumes, customers=customers, clv_per_customer=clv_values, investment=budget
            ).to_numpy(),
        }
    )


def _quarter_weights(scenarios: pd.DataFrame, months: list[str]) -> list[np.ndarray]:
    """Each quarter's weight, one array per quarter (the months' weights were checked first)."""
    monthly = scenarios[months].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    return list(quarter_weights(monthly).T)


def _whole_numbers(scenarios: pd.DataFrame, problems: list[Problem]) -> np.ndarray:
    column = scenarios["whole_numbers"]
    valid = column.map(lambda v: isinstance(v, bool | np.bool_))
    for label in scenarios.index[~valid.to_numpy()]:
        problems.append(Problem("whole_numbers", column[label], "must be TRUE or FALSE", label))
    return np.array([bool(v) if ok else False for v, ok in zip(column, valid, strict=True)])


def _check_plan_years(scenarios: pd.DataFrame, problems: list[Problem]) -> None:
    """The plan year of each row is one the Goals sheet's dates can hold."""
    column = scenarios["plan_year"]
    for label, year in column[~column.map(is_plan_year)].items():
        problems.append(Problem("plan_year", year, PLAN_YEAR_RULE, label))


def _in_row_order(problems: list[Problem], index: pd.Index) -> list[Problem]:
    position = {label: i for i, label in enumerate(index)}
    unique = unique_problems(problems)
    return sorted(unique, key=lambda p: position.get(p.row, -1))
