"""Many plans at once: a frame of scenarios (one row per plan) and all their outputs, vectorised.

The columns are the fields of :class:`~kpi_planner.plan.one_plan.PlanInputs`, with the
lists numbered from 1: ``stage_1..stage_n``, ``rate_1..rate_{n-1}``, ``weight_1..weight_12``.
:func:`plan_outputs_frame` gives, for every row, what
:func:`~kpi_planner.plan.one_plan.plan_outputs` gives for one plan, from
:mod:`kpi_engine.frame` in a few array operations.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kpi_engine import KPIInputError, Problem, fiscal, frame, unique_problems
from kpi_engine.phasing import months_by_quarter, period_labels, quarter_weights, running_totals
from kpi_engine.timeline import timeline_labels
from kpi_planner.inputs.defaults import PLAN_YEAR_RULE, is_plan_year
from kpi_planner.plan.channels import OUTPUT_NAMES as CHANNEL_OUTPUTS
from kpi_planner.plan.channels import sheet_outputs
from kpi_planner.workbook.sheets.pipeline.grid import CURVE_MONTHS
from kpi_planner.workbook.sheets.pipeline.values import pipeline_outputs
from kpi_planner.workbook.sheets.plan.timeline_grid import LEAD_IN
from kpi_planner.workbook.sheets.plan.timeline_values import pad_lead_in
from kpi_planner.workbook.sheets.whatif.grid import Scenario

MONTHS = 12
#: The outputs a valid plan leaves blank (NaN) by design: the Channels and What-if sheets'
#: unused channel and lever rows, and CAC payback with no margin to pay it back (#N/A).
BLANK_OUTPUTS = CHANNEL_OUTPUTS | {"CACPaybackMonths"}


def plan_outputs_frame(
    scenarios: pd.DataFrame,
    stages: Sequence[str],
    named_scenarios: Sequence[Sequence[Scenario]] | None = None,
) -> dict[str, np.ndarray]:
    """Every output of the plan sheet for every row, by defined name, as arrays ``(rows, ...)``.

    ``stages`` names the stages in error messages; ``named_scenarios`` holds each row's
    What-if scenarios (None: none). Bad rows raise one :class:`~kpi_engine.KPIInputError`
    that names every problem (row label and column). The inputs are checked before the
    results that follow from them, step by step, so a problem is reported once, where it is.
    """
    columns = _Columns(list(stages))
    problems = _Problems(scenarios.index)
    checked = _checked(scenarios, columns, problems)
    problems.raise_if_any()
    plan = _plan_values(scenarios, columns, checked, problems)
    problems.raise_if_any()
    timeline = _timeline_values(scenarios, columns, checked)
    piped = problems.attempt(lambda: _pipeline_values(scenarios, columns, timeline, plan))
    problems.raise_if_any()
    annual = {name: plan[name] for name in ("RequiredAnnual", "PlannedCAC")}
    sheets = problems.attempt(lambda: sheet_outputs(
        scenarios, columns.count, annual, list(scenarios.index), named_scenarios))  # fmt: skip
    problems.raise_if_any()
    return piped | sheets | timeline | plan | _summary_values(scenarios, columns, plan)


@dataclass(frozen=True)
class _Columns:
    """The scenario columns of a funnel of ``stages``."""

    stages: list[str]

    @property
    def count(self) -> int:
        return len(self.stages)

    @property
    def rates(self) -> list[str]:
        return [f"rate_{i}" for i in range(1, self.count)]

    @property
    def lags(self) -> list[str]:
        return [f"lag_{i}" for i in range(1, self.count)]

    @property
    def months(self) -> list[str]:
        return [f"weight_{m}" for m in range(1, MONTHS + 1)]

    @property
    def funnel(self) -> dict[str, object]:
        return {"goal": "revenue_goal", "deal_size": "deal_size", "rates": self.rates,
                "stages": self.stages}  # fmt: skip


class _Problems:
    """The problems found so far, in the table's row order when raised."""

    def __init__(self, index: pd.Index) -> None:
        self.found: list[Problem] = []
        self.index = index

    def attempt(self, compute):
        """``compute()``, or None with its problems kept."""
        try:
            return compute()
        except KPIInputError as err:
            self.found.extend(err.problems)
            return None

    def raise_if_any(self) -> None:
        if self.found:
            raise KPIInputError(_in_row_order(self.found, self.index))


def _checked(scenarios: pd.DataFrame, columns: _Columns, problems: _Problems) -> dict:
    """The engine's first pass over the inputs: CLV, ROI, the phased and timed volumes and
    the year's, exact and whole (the row's rounding picks one later)."""
    found = {
        "clv": problems.attempt(lambda: frame.clv(scenarios, revenue_per_period="deal_size",
                                                  acquisition_cost=0.0,
                                                  horizon_periods=math.inf)),
        "roi": problems.attempt(lambda: frame.roi(scenarios, revenue="revenue_goal",
                                                  investment="marketing_budget",
                                                  other_costs=0.0)),
        "whole": _whole_numbers(scenarios, problems.found),
    }  # fmt: skip
    _check_plan_years(scenarios, problems.found)
    _check_fiscal_years(scenarios, problems.found)
    # Months first: if their weights are bad, the quarters' sums of them are not reported again.
    for periods in ("monthly", "quarterly"):
        if problems.found and periods == "quarterly":
            break
        weights = (columns.months if periods == "monthly"
                   else _quarter_weights(scenarios, columns.months))  # fmt: skip
        for rounding in (False, True):
            found[periods, rounding] = problems.attempt(
                lambda w=weights, r=rounding: frame.phase_funnel(
                    scenarios, weights=w, whole_numbers=r, **columns.funnel
                ).to_numpy()
            )
    if not problems.found:
        found |= _timed(scenarios, columns, problems)
    for rounding in (False, True):
        found["annual", rounding] = problems.attempt(lambda r=rounding: frame.reverse_funnel(
            scenarios, whole_numbers=r, **columns.funnel).to_numpy())  # fmt: skip
    return found


def _timed(scenarios: pd.DataFrame, columns: _Columns, problems: _Problems) -> dict:
    """The timelines, exact and whole, and the months each stage comes ahead."""
    timed = {"lag_days": columns.lags, "weights": columns.months, "growth": "growth",
             **columns.funnel}  # fmt: skip
    found: dict = {}
    for rounding in (False, True):
        found["timeline", rounding] = problems.attempt(
            lambda r=rounding: frame.timeline(scenarios, whole_numbers=r, **timed)
            .to_numpy().reshape(len(scenarios), -1, columns.count))  # fmt: skip
    found["ahead"] = problems.attempt(lambda: frame.stage_offsets(
        scenarios, lag_days=columns.lags, stages=columns.stages))  # fmt: skip
    return found


def _pick(whole: np.ndarray, exact_values: np.ndarray, whole_values: np.ndarray) -> np.ndarray:
    """Each row's values: whole numbers where the row asks for them, else exact."""
    mask = whole.reshape((-1,) + (1,) * (exact_values.ndim - 1))
    return np.where(mask, whole_values, exact_values)


def _plan_values(
    scenarios: pd.DataFrame, columns: _Columns, checked: dict, problems: _Problems
) -> dict[str, np.ndarray]:
    """The Plan sheet's volumes and KPIs: the year, quarters and months, cost per stage,
    CAC, CLV, LTV:CAC and ROI."""
    whole, count, rows = checked["whole"], columns.count, len(scenarios)
    annual = _pick(whole, checked["annual", False], checked["annual", True])
    quarterly = _pick(whole, checked["quarterly", False], checked["quarterly", True])
    monthly = _pick(whole, checked["monthly", False], checked["monthly", True])
    customers = annual[:, -1]
    budget = scenarios["marketing_budget"].to_numpy(dtype=float)
    volumes = pd.DataFrame(annual, index=scenarios.index, columns=columns.stages)
    by_stage = {stage: stage for stage in columns.stages}
    cost = problems.attempt(
        lambda: frame.cost_per_stage(volumes, spend=budget, volumes=by_stage).to_numpy()
    )
    cac = problems.attempt(
        lambda: frame.cac(volumes, spend=budget, new_customers=customers).to_numpy()
    )
    if problems.found:
        return {}
    clv = checked["clv"].to_numpy()
    return {
        "CustomersNeeded": checked["annual", False][:, -1],
        "RequiredAnnual": annual,
        "RequiredQuarterly": quarterly.reshape(rows, 4, count).transpose(0, 2, 1),
        "RequiredMonthly": monthly.reshape(rows, MONTHS, count).transpose(0, 2, 1),
        "CostPerStage": cost,
        "PlannedCAC": cac,
        "CustomerLifetimeValue": clv,
        "LTVtoCAC": frame.ltv_to_cac(volumes, clv=clv, cac=cac).to_numpy(),
        "ProjectedROI": checked["roi"].to_numpy(),
        "LifetimeROI": frame.roi_from_clv(
            volumes, customers=customers, clv_per_customer=clv, investment=budget
        ).to_numpy(),
    }


def _summary_values(
    scenarios: pd.DataFrame, columns: _Columns, plan: dict
) -> dict[str, np.ndarray]:
    """The Summary sheet's own values: the inputs it shows (checked before) and CAC payback
    in months of a customer's gross margin (the deal size is a year's revenue); no margin
    never pays CAC back: NaN, the sheet's #N/A."""
    deal = scenarios["deal_size"].to_numpy(dtype=float)
    margin = scenarios["gross_margin"].to_numpy(dtype=float)
    earns = margin > 0
    payback = frame.cac_payback_periods(
        scenarios, cac=plan["PlannedCAC"], revenue_per_period=deal / MONTHS,
        gross_margin=np.where(earns, margin, 1.0),
    ).to_numpy()  # fmt: skip
    return {
        "RevenueGoal": scenarios["revenue_goal"].to_numpy(dtype=float),
        "DealSize": deal,
        "MarketingBudget": scenarios["marketing_budget"].to_numpy(dtype=float),
        "StageRates": scenarios[columns.rates].to_numpy(dtype=float),
        "CACPaybackMonths": np.where(earns, payback, np.nan),
    }


def _timeline_values(
    scenarios: pd.DataFrame, columns: _Columns, checked: dict
) -> dict[str, np.ndarray]:
    """The Plan sheet's timeline: months ahead, next year's volumes, the 24 months' labels,
    volumes and running totals, their 8 quarters, and the seasonality weights so far."""
    whole = checked["whole"]
    timeline = _pick(whole, checked["timeline", False], checked["timeline", True])
    next_year = _pick(whole, *(frame.next_year_volumes(
        scenarios, whole_numbers=r, growth="growth", **columns.funnel).to_numpy()
        for r in (False, True)))  # fmt: skip
    monthly = pad_lead_in(timeline.transpose(0, 2, 1))
    weights = scenarios[columns.months].to_numpy(dtype=float)
    return _labels(scenarios) | {
        "MonthsAhead": checked["ahead"].to_numpy(dtype=float),
        "NextYearRequired": next_year,
        "TimelineMonthly": monthly,
        "TimelineRunning": running_totals(monthly),
        "TimelineQuarterly": months_by_quarter(monthly),
        "WeightsSoFar": running_totals(weights)[:, None, :],
    }


def _labels(scenarios: pd.DataFrame) -> dict[str, np.ndarray]:
    """The labels of the timeline's 24 months (``Apr 2027``), of the plan's 12 months
    (``Apr``) and of its quarters (``Q1``, or ``Q1 FY2028`` in a fiscal year that starts
    after January), each row's by its plan year and fiscal year (checked before)."""
    keys = list(zip(scenarios["plan_year"].astype(int), *_fiscal_columns(scenarios), strict=True))
    # The labels depend on the year alone: made once per year, not once per row.
    unique = {key: k for k, key in enumerate(dict.fromkeys(keys))}
    at = np.array([unique[key] for key in keys], dtype=int)
    made = [_year_labels(int(year), fiscal.fiscal_start(start), str(named_by).lower())
            for year, start, named_by in unique]  # fmt: skip
    return {name: np.array([[labels[name]] for labels in made], dtype=object)[at]
            for name in ("TimelineLabels", "MonthLabels", "QuarterLabels",
                         "TimelineQuarterLabels")}  # fmt: skip


def _fiscal_columns(scenarios: pd.DataFrame) -> list[pd.Series]:
    """The fiscal year's columns; a frame that does not give them has the calendar year."""
    return [scenarios[c] if c in scenarios else pd.Series(d, index=scenarios.index)
            for c, d in _FISCAL_DEFAULTS.items()]  # fmt: skip


def _year_labels(year: int, start: int, named_by: str) -> dict[str, list[str]]:
    """One plan year's labels (see :func:`_labels`)."""
    # A calendar year's quarters are Q1 .. Q4 on the Plan sheet: the title names the year.
    fiscal_name = "" if start == 1 else f" {fiscal.year_label(year, start)}"
    return {
        "TimelineLabels": timeline_labels(MONTHS, LEAD_IN, year, start, named_by),
        "MonthLabels": period_labels(MONTHS, start),
        "QuarterLabels": [f"Q{q}{fiscal_name}" for q in range(1, 5)],
        "TimelineQuarterLabels": timeline_labels(4, LEAD_IN // 3, year, start, named_by),
    }


#: A fiscal year's inputs and their values in a frame that does not give them.
_FISCAL_DEFAULTS = {"fiscal_year_start": 1, "fiscal_year_named_by": "end"}


def _pipeline_values(
    scenarios: pd.DataFrame, columns: _Columns, timeline: dict, plan: dict
) -> dict[str, np.ndarray]:
    """The Pipeline sheet's values: the curve against the timeline's opportunities."""
    curves = scenarios[[f"curve_{k}" for k in range(1, CURVE_MONTHS + 1)]]
    created = scenarios[[f"created_{j}" for j in range(1, 25)]]
    closing_rate = scenarios[columns.rates[-1]].to_numpy(dtype=float)
    return pipeline_outputs(curves.to_numpy(dtype=float), created.to_numpy(dtype=float),
                            timeline["TimelineMonthly"], plan["RequiredMonthly"], closing_rate,
                            rows=scenarios.index)  # fmt: skip


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


def _check_fiscal_years(scenarios: pd.DataFrame, problems: list[Problem]) -> None:
    """Each row's fiscal year starts in a month (1-12) and is named by its end or start."""
    rows: dict[tuple, list] = {}
    for label, *fiscal_year in zip(scenarios.index, *_fiscal_columns(scenarios), strict=True):
        rows.setdefault(tuple(fiscal_year), []).append(label)
    for (start, named_by), labels in rows.items():  # checked once per pair, named per row
        try:
            fiscal.first_calendar_year(2000, start, named_by)
        except KPIInputError as err:
            problems.extend(dataclasses.replace(p, row=label) for label in labels
                            for p in err.problems)  # fmt: skip


def _in_row_order(problems: list[Problem], index: pd.Index) -> list[Problem]:
    position = {label: i for i, label in enumerate(index)}
    unique = unique_problems(problems)
    return sorted(unique, key=lambda p: position.get(p.row, -1))
