"""The plan's inputs and the engine's value of each of its outputs.

:class:`PlanInputs` is what a marketer types into the Plan sheet (seed 000's example by
default); :func:`plan_outputs` computes every output the sheet's formulas show with
:mod:`kpi_engine`, naming each bad input by its field. The formulas are in
:mod:`kpi_planner.workbook.sheets.plan.layout`; the tests evaluate them and compare them
with these values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kpi_engine import DEFAULT_STAGES, SEED_RATES, KPIInputError, Problem
from kpi_engine.channels import Channel, default_entry
from kpi_planner.inputs.defaults import DEFAULT_PLAN_YEAR
from kpi_planner.inputs.plan_fields import RANGE_COLUMNS, SHEET_INPUTS
from kpi_planner.plan import words
from kpi_planner.plan.channels import DEFAULT_CHANNELS, in_plan_words, row_channels
from kpi_planner.plan.frame import plan_outputs_frame
from kpi_planner.workbook.sheets.channels import grid as channel_grid
from kpi_planner.workbook.sheets.channels.grid import SLOTS, channel_columns
from kpi_planner.workbook.sheets.pipeline import grid as pipeline
from kpi_planner.workbook.sheets.whatif.grid import SCENARIOS, Scenario


@dataclass(frozen=True)
class PlanInputs:
    """What a marketer types into the plan sheet; the defaults are seed 000's example.

    Rates and margins are fractions; ``deal_size`` is the revenue per new customer per
    year, which also drives CLV with the yearly ``churn_rate`` and ``discount_rate``.
    """

    revenue_goal: float = 10_000_000.0
    deal_size: float = 1_100_000.0
    stages: tuple[str, ...] = DEFAULT_STAGES
    rates: tuple[float, ...] = SEED_RATES
    marketing_budget: float = 600_000.0
    gross_margin: float = 0.8
    churn_rate: float = 0.2
    discount_rate: float = 0.1
    whole_numbers: bool = True
    plan_year: int = DEFAULT_PLAN_YEAR
    seasonality: tuple[float, ...] = (1.0,) * 12
    lag_days: tuple[float, ...] = ()  # days each step takes, top first; () for none
    growth: float = 0.0  # next year's goal over this year's, less 1
    #: The month the fiscal year starts (1-12; 1: the calendar year), and whether
    #: ``plan_year`` names it by the calendar year it ends in ("end") or starts in ("start").
    fiscal_year_start: int = 1
    fiscal_year_named_by: str = "end"
    #: Share of a month's opportunities won in it, 1 later, ... (up to 13 months).
    close_rate_curve: tuple[float, ...] = pipeline.DEFAULT_CURVE
    #: Opportunities created in each of the timeline's 24 months, where they differ from the
    #: plan's (None: the plan's); () for none typed.
    opportunities_created: tuple[float | None, ...] = ()
    #: The channels that bring the entry stage (up to 8): the Channels sheet's rows. A
    #: channel's own rates run from the entry stage down, as kpi_engine.Channel has them.
    channels: tuple[Channel, ...] = DEFAULT_CHANNELS
    #: The stage channels bring and are paid for; None: Leads, or the funnel's second stage.
    channel_entry: str | None = None
    #: The What-if sheet's step (0.1: each input 10 % better) and its named scenarios.
    whatif_step: float = 0.1
    scenarios: tuple[Scenario, ...] = ()
    #: The ISO 4217 code money is shown in (``"EUR"``), upper-case; ``""``: no symbol. A
    #: label: nothing is converted (:mod:`kpi_planner.inputs.currency`).
    currency: str = ""

    @property
    def entry(self) -> str:
        """The channels' entry stage: ``channel_entry``, or the engine's default."""
        return self.channel_entry or default_entry(list(self.stages))

    @property
    def lags(self) -> tuple[float, ...]:
        """The days of each step: ``lag_days``, or 0 for every step when none are given."""
        return tuple(self.lag_days) or (0.0,) * (len(self.stages) - 1)

    def replace(self, **changes: object) -> PlanInputs:
        """A copy with some inputs changed."""
        return dataclasses.replace(self, **changes)


def check_shapes(inputs: PlanInputs, *, own_stages: bool = False, own_rates: bool = False) -> None:
    """Refuse lists of the wrong length, all at once: one rate between each pair of stages,
    12 seasonality weights, and rates of one's own for stages of one's own.

    Raises :class:`~kpi_engine.KPIInputError` naming each list, its length and the rule.
    """
    problems = []
    for name in ("stages", "rates", "seasonality"):
        if isinstance(getattr(inputs, name), str | bytes) or not hasattr(
            getattr(inputs, name), "__len__"
        ):
            problems.append(Problem(name, getattr(inputs, name), "must be a list"))
    if problems:
        raise KPIInputError(problems)
    stages, rates = len(inputs.stages), len(inputs.rates)
    if own_stages and not own_rates and stages != len(DEFAULT_STAGES):
        rule = f"give the rates of your own {stages} stages ({stages - 1} rates, top first)"
        problems.append(Problem("rates", None, rule))
    elif rates != stages - 1:
        rule = (f"has {rates} rates for {stages} stages ({', '.join(map(str, inputs.stages))}):"
                f" give one rate between each pair of stages, {stages - 1} in all")  # fmt: skip
        problems.append(Problem("rates", list(inputs.rates), rule))
    if inputs.lag_days and len(inputs.lag_days) != stages - 1:
        rule = (f"has {len(inputs.lag_days)} lags for {stages} stages: give one lag in days "
                f"for each step, {stages - 1} in all")  # fmt: skip
        problems.append(Problem("lag_days", list(inputs.lag_days), rule))
    for name, most in (
        ("close_rate_curve", pipeline.CURVE_MONTHS),
        ("opportunities_created", len(pipeline.MONTH_COLUMNS)),
    ):
        if len(getattr(inputs, name)) > most:
            rule = f"has {len(getattr(inputs, name))} values: give at most {most}, one per month"
            problems.append(Problem(name, list(getattr(inputs, name)), rule))
    for name, most in (("channels", SLOTS), ("scenarios", SCENARIOS)):
        if len(getattr(inputs, name)) > most:
            rule = f"has {len(getattr(inputs, name))}: the workbook has room for {most}"
            problems.append(Problem(name, len(getattr(inputs, name)), rule))
    if len(inputs.seasonality) != 12:
        rule = f"has {len(inputs.seasonality)} weights: give 12, one per month (all 1 = even)"
        problems.append(Problem("seasonality", list(inputs.seasonality), rule))
    if problems:
        raise KPIInputError(problems)


@dataclass(frozen=True)
class PlanOutputs:
    """The engine's value of every output of the plan sheet."""

    customers_needed: float
    required_annual: np.ndarray  # one value per stage, top first
    required_quarterly: np.ndarray  # stages x 4
    required_monthly: np.ndarray  # stages x 12
    cost_per_stage: np.ndarray  # one per stage
    planned_cac: float
    customer_lifetime_value: float
    ltv_to_cac: float
    projected_roi: float
    lifetime_roi: float
    months_ahead: np.ndarray  # one per stage
    next_year_required: np.ndarray  # one per stage
    timeline_labels: np.ndarray  # 1 x 24 month labels: the year before's, the plan year's
    month_labels: np.ndarray  # 1 x 12: the plan's months, from the fiscal year's first
    quarter_labels: np.ndarray  # 1 x 4: Q1 .. Q4, with the fiscal year's name when it has one
    timeline_monthly: np.ndarray  # stages x 24
    timeline_running: np.ndarray  # stages x 24: the monthly volumes added up
    timeline_quarter_labels: np.ndarray  # 1 x 8: the year before's quarters, the plan year's
    timeline_quarterly: np.ndarray  # stages x 8: the timeline's months added up by quarter
    weights_so_far: np.ndarray  # 1 x 12: the seasonality weights added up month by month
    pipeline: dict[str, object]  # the Pipeline sheet's, by name (see pipeline.formula_sources)
    channels: dict[str, object]  # the Channels and What-if sheets', by name
    #: The Summary sheet's own values (CAC payback) and the inputs it shows, by name.
    summary: dict[str, object]

    def by_name(self) -> dict[str, object]:
        """Each output under the defined name of its cell or range on the plan sheet, then
        the Pipeline sheet's values by the names of :func:`pipeline.formula_sources`, the
        Channels and What-if sheets' and the Summary's."""
        plan = {name: getattr(self, attribute) for name, attribute in OUTPUT_NAMES.items()}
        return plan | self.pipeline | self.channels | self.summary


#: Defined name of each output on the plan sheet -> its attribute of :class:`PlanOutputs`.
OUTPUT_NAMES = {
    "CustomersNeeded": "customers_needed",
    "RequiredAnnual": "required_annual",
    "RequiredQuarterly": "required_quarterly",
    "RequiredMonthly": "required_monthly",
    "CostPerStage": "cost_per_stage",
    "PlannedCAC": "planned_cac",
    "CustomerLifetimeValue": "customer_lifetime_value",
    "LTVtoCAC": "ltv_to_cac",
    "ProjectedROI": "projected_roi",
    "LifetimeROI": "lifetime_roi",
    "MonthsAhead": "months_ahead",
    "NextYearRequired": "next_year_required",
    "TimelineLabels": "timeline_labels",
    "MonthLabels": "month_labels",
    "QuarterLabels": "quarter_labels",
    "TimelineMonthly": "timeline_monthly",
    "TimelineRunning": "timeline_running",
    "TimelineQuarterLabels": "timeline_quarter_labels",
    "TimelineQuarterly": "timeline_quarterly",
    "WeightsSoFar": "weights_so_far",
}


#: The Pipeline sheet's outputs (the plan's own aside), by defined name.
PIPELINE_OUTPUTS = frozenset(
    name for name, _ in pipeline.formula_sources().values() if name not in OUTPUT_NAMES
)


#: The Summary sheet's values, by name: the inputs it shows and CAC payback in months.
SUMMARY_OUTPUTS = frozenset({"RevenueGoal", "DealSize", "MarketingBudget", "StageRates",
                             "CACPaybackMonths"})  # fmt: skip


def plan_outputs(inputs: PlanInputs) -> PlanOutputs:
    """Compute every output of the plan sheet with :mod:`kpi_engine`, checking the inputs:
    the frame of plans (:func:`kpi_planner.plan.frame.plan_outputs_frame`) of this one row,
    so one plan and a fill's rows are one computation.

    Raises :class:`~kpi_engine.KPIInputError` naming every bad input (by its name in
    :class:`PlanInputs`) when the plan cannot be computed.
    """
    check_shapes(inputs)  # the frame reads as many rates, weights and lags as it expects
    row = scenario_row(inputs)
    table = pd.DataFrame({column: [value] for column, value in row.items()})
    try:
        with np.errstate(all="ignore"):  # a plan too large to compute says so in its values
            values = plan_outputs_frame(table, list(inputs.stages), [inputs.scenarios])
    except KPIInputError as err:
        raise KPIInputError(_in_field_words(err.problems, inputs)) from None
    first = {name: _scalar(array[0]) for name, array in values.items()}
    plan = {attribute: first[name] for name, attribute in OUTPUT_NAMES.items()}
    pipeline_values = {name: value for name, value in first.items() if name in PIPELINE_OUTPUTS}
    summary = {name: value for name, value in first.items() if name in SUMMARY_OUTPUTS}
    rest = {
        n: v
        for n, v in first.items()
        if n not in OUTPUT_NAMES and n not in PIPELINE_OUTPUTS and n not in SUMMARY_OUTPUTS
    }
    return PlanOutputs(**plan, pipeline=pipeline_values, channels=rest, summary=summary)


def _scalar(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def _in_field_words(problems: Sequence[Problem], inputs: PlanInputs) -> list[Problem]:
    """The frame's problems of the one row in the words of :class:`PlanInputs`, in the
    order of its fields; a goal of 0 (no customers: no cost per stage, no CAC) once."""
    lists = {"seasonality": list(inputs.seasonality)}
    stages = list(inputs.stages)
    worded = [in_plan_words(words.in_field_words(p, stages, lists), inputs.channels)
              for p in problems]  # fmt: skip
    if any(p.argument in words.RESULTS for p in worded):  # the stages' volumes of 0 too
        worded = [p for p in worded if p.argument not in stages]
    # Customers that overflow come from the goal over the deal size: the goal names it.
    worded = [dataclasses.replace(p, argument="revenue_goal")
              if p.argument in words.RESULTS and not words.is_finite(p.value) else p
              for p in worded]  # fmt: skip
    fields = [field.name for field in dataclasses.fields(PlanInputs)]
    return sorted(words.each_once(worded), key=lambda p: words.field_order(p, fields))


# (label, defined name, field of PlanInputs, number format, note): the Plan sheet's input rows.
_INPUT_ROWS: tuple[tuple[str, str, str, str | None, str], ...] = tuple(
    (f.label, f.defined_name, f.field, f.number_format, f.help) for f in SHEET_INPUTS
)


#: Defined name of each single-cell input of the Plan sheet -> its field of :class:`PlanInputs`.
PLAN_INPUT_NAMES = {defined: field for _, defined, field, _, _ in _INPUT_ROWS}
#: Defined name of each single-cell input -> its column of :func:`scenario_row`.
SCALAR_INPUT_NAMES = PLAN_INPUT_NAMES | channel_grid.SCALAR_NAMES | {"WhatIfStep": "whatif_step"}
#: Defined name of each range input -> the prefix of its numbered columns.
RANGE_INPUT_NAMES = {**RANGE_COLUMNS, **channel_grid.RANGE_NAMES}


def scenario_row(inputs: PlanInputs) -> dict[str, object]:
    """One plan's inputs as flat columns: the fields, with the lists numbered from 1.

    ``stage_1..stage_n``, ``rate_1..rate_{n-1}``, ``weight_1..weight_12``,
    ``lag_1..lag_{n-1}``.
    """
    row: dict[str, object] = {field: getattr(inputs, field) for _, _, field, _, _ in _INPUT_ROWS}
    row |= {f"stage_{i}": s for i, s in enumerate(inputs.stages, start=1)}
    row |= {f"rate_{i}": r for i, r in enumerate(inputs.rates, start=1)}
    row |= {f"weight_{m}": w for m, w in enumerate(inputs.seasonality, start=1)}
    row |= {f"lag_{i}": d for i, d in enumerate(inputs.lags, start=1)}
    curve = pipeline.curve_values(inputs.close_rate_curve)
    row |= {f"curve_{k}": c for k, c in enumerate(curve, start=1)}
    created = [*inputs.opportunities_created, *[None] * 24][:24]
    row |= {f"created_{j}": np.nan if c is None else c for j, c in enumerate(created, start=1)}
    stages = list(inputs.stages)
    entry = inputs.entry
    position = stages.index(entry) if entry in stages else 0
    row |= {"channel_entry": entry, "whatif_step": inputs.whatif_step}
    row["currency"] = inputs.currency or None  # no currency: an empty cell, not ""
    return row | channel_columns(inputs.channels, position, len(stages))


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
        seasonality=tuple(float(row[f"weight_{m}"]) for m in range(1, 13)),
        lag_days=tuple(float(row[f"lag_{i}"]) for i in range(1, stages)),
        growth=float(row["growth"]),
        fiscal_year_start=int(row["fiscal_year_start"]),
        fiscal_year_named_by=str(row["fiscal_year_named_by"]),
        close_rate_curve=_without_trailing(
            [float(row[f"curve_{k}"]) for k in range(1, pipeline.CURVE_MONTHS + 1)], 0.0, keep=1
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
        currency=_text(row.get("currency")),
    )


def _text(value: object) -> str:
    """A text cell's value: ``""`` for an empty cell (None, NaN)."""
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _without_trailing(values: list, empty: object, keep: int = 0) -> tuple:
    """``values`` without the ``empty`` ones at the end (the sheet's padding), as typed."""
    while len(values) > keep and values[-1] == empty:
        values.pop()
    return tuple(values)
