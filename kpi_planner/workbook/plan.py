"""The plan workbook, defined once: the "Plan" sheet, the "KPI catalog" sheet and their names.

Every output cell is written twice, side by side: as a live Excel formula in
:func:`plan_sheet`, and as the :mod:`kpi_engine` call that computes it in
:func:`plan_outputs`. The tests evaluate the formulas with an independent evaluator and
compare them with the engine, so the two spellings cannot drift apart.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import kpi_engine
from kpi_engine import DEFAULT_STAGES, SEED_RATES, KPIInputError, Problem, unique_problems
from kpi_engine.channels import Channel, default_entry
from kpi_engine.errors import NO_ROW
from kpi_engine.phasing import period_labels
from kpi_planner.defaults import DEFAULT_PLAN_YEAR

from . import channel_grid, pipeline
from .a1 import column_letter, range_bounds
from .catalog import CATALOG, KPI_CATALOG, catalog_sheet  # noqa: F401 (the plan's names)
from .channel_grid import SLOTS, channel_columns
from .formats import whole_number_formats
from .plan_channels import DEFAULT_CHANNELS, in_plan_words, sheet_outputs
from .rounding import round_up, round_up_if_whole
from .spec import BarChart, Cell, Name, Sheet, Validation, Workbook
from .timeline import COLUMNS as TIMELINE_COLUMNS
from .timeline import TimelineGrid, timeline_outputs, timeline_section, weights_so_far_cell
from .whatif_grid import SCENARIOS, Scenario

PLAN = "Plan"

MONEY = "#,##0"
UNIT_COST = "#,##0.00"
VOLUME = "#,##0.00"
PERCENT = "0.0%"
RATIO = "0.00"


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


# How the engine names an argument -> how the plan's inputs name it, for error messages.
_INPUT_NAMES = {
    "goal": "revenue_goal",
    "weights": "seasonality",
    "investment": "marketing_budget",
    "revenue_per_period": "deal_size",
    "spend": "marketing_budget",
    "curve": "close_rate_curve",
    "generated": "opportunities_created",
}


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
    timeline_monthly: np.ndarray  # stages x 24
    timeline_running: np.ndarray  # stages x 24: the monthly volumes added up
    weights_so_far: np.ndarray  # 1 x 12: the seasonality weights added up month by month
    pipeline: dict[str, object]  # the Pipeline sheet's, by name (see pipeline.formula_sources)
    channels: dict[str, object]  # the Channels and What-if sheets', by name

    def by_name(self) -> dict[str, object]:
        """Each output under the defined name of its cell or range on the plan sheet, then
        the Pipeline sheet's values by the names of :func:`pipeline.formula_sources`."""
        plan = {name: getattr(self, attribute) for name, attribute in OUTPUT_NAMES.items()}
        return plan | self.pipeline | self.channels


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
    "TimelineMonthly": "timeline_monthly",
    "TimelineRunning": "timeline_running",
    "WeightsSoFar": "weights_so_far",
}


def plan_outputs(inputs: PlanInputs) -> PlanOutputs:
    """Compute every output of the plan sheet with :mod:`kpi_engine`, checking the inputs.

    Raises :class:`~kpi_engine.KPIInputError` naming every bad input (by its name in
    :class:`PlanInputs`) when the plan cannot be computed.
    """
    problems: list[Problem] = []
    values: dict[str, object] = {}

    def attempt(name: str, compute: Callable[[], object]) -> None:
        try:
            values[name] = compute()
        except KPIInputError as err:
            for problem in err.problems:
                first, space, rest = problem.argument.partition(" ")
                base, bracket, index = first.partition("[")
                renamed = _INPUT_NAMES.get(base, base) + bracket + index + space + rest
                # One plan: the Pipeline's outputs are computed as a frame of one row.
                problems.append(dataclasses.replace(problem, argument=renamed, row=NO_ROW))

    goal, rates, deal = inputs.revenue_goal, list(inputs.rates), inputs.deal_size
    common = {"deal_size": deal, "stages": list(inputs.stages)}
    whole = inputs.whole_numbers
    weights = list(inputs.seasonality)
    attempt("annual", lambda: kpi_engine.reverse_funnel(goal, rates, whole_numbers=whole, **common))
    attempt("weights", lambda: kpi_engine.period_shares(12, weights))
    attempt("clv", lambda: kpi_engine.clv(deal, inputs.gross_margin, inputs.churn_rate,
                                          inputs.discount_rate))  # fmt: skip
    attempt("roi", lambda: kpi_engine.roi(goal, inputs.marketing_budget, inputs.gross_margin))
    if not problems:  # the timeline needs a valid goal, rates and weights to say more
        attempt("timeline", lambda: timeline_outputs(
            goal, rates, deal, inputs.lags, inputs.growth, weights, whole,
            list(inputs.stages), inputs.plan_year))  # fmt: skip
    if not isinstance(inputs.whole_numbers, bool):
        problems.append(Problem("whole_numbers", inputs.whole_numbers, "must be TRUE or FALSE"))
    if problems:
        raise KPIInputError(unique_problems(problems))

    annual = np.array(list(values["annual"].values()))
    quarterly = kpi_engine.phase_funnel(goal, rates, periods=4, weights=weights,
                                        whole_numbers=whole, **common)  # fmt: skip
    monthly = kpi_engine.phase_funnel(goal, rates, periods=12, weights=weights,
                                      whole_numbers=whole, **common)  # fmt: skip
    timeline = values["timeline"]
    created = [np.nan if v is None else v for v in inputs.opportunities_created]
    attempt("pipeline", lambda: pipeline.one_plan(pipeline.pipeline_outputs(
        np.array([inputs.close_rate_curve], dtype=float),
        np.array([created + [np.nan] * (24 - len(created))], dtype=float),
        timeline["TimelineMonthly"][None], monthly.to_numpy()[None], [rates[-1]])))  # fmt: skip
    if problems:
        raise KPIInputError(unique_problems(problems))
    customers = float(annual[-1])
    clv = float(values["clv"])
    planned_cac = kpi_engine.cac(inputs.marketing_budget, customers)
    try:
        channels = pipeline.one_plan(sheet_outputs(
            {column: [value] for column, value in scenario_row(inputs).items()},
            len(inputs.stages), {"RequiredAnnual": annual[None], "PlannedCAC": [planned_cac]},
            [NO_ROW], [inputs.scenarios]))  # fmt: skip
    except KPIInputError as err:
        raise KPIInputError([dataclasses.replace(in_plan_words(p, inputs.channels), row=NO_ROW)
                             for p in err.problems]) from None  # fmt: skip
    return PlanOutputs(
        customers_needed=kpi_engine.customers_needed(goal, deal),
        required_annual=annual,
        required_quarterly=quarterly.to_numpy(),
        required_monthly=monthly.to_numpy(),
        cost_per_stage=np.array(
            list(kpi_engine.cost_per_stage(inputs.marketing_budget, values["annual"]).values())
        ),
        planned_cac=planned_cac,
        customer_lifetime_value=clv,
        ltv_to_cac=kpi_engine.ltv_to_cac(clv, planned_cac),
        projected_roi=float(values["roi"]),
        lifetime_roi=kpi_engine.roi_from_clv(customers, clv, inputs.marketing_budget),
        months_ahead=values["timeline"]["MonthsAhead"],
        next_year_required=values["timeline"]["NextYearRequired"],
        timeline_labels=values["timeline"]["TimelineLabels"],
        timeline_monthly=values["timeline"]["TimelineMonthly"],
        timeline_running=values["timeline"]["TimelineRunning"],
        weights_so_far=values["timeline"]["WeightsSoFar"],
        pipeline=values["pipeline"],
        channels=channels,
    )


# -- the Plan sheet ------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanGrid:
    """Where each block of the plan sheet sits, for ``n`` stages."""

    stages: int

    inputs_row: int = 5  # first input
    results_row: int = 15  # first key result
    funnel_header: int = 22

    @property
    def first_stage_row(self) -> int:
        return self.funnel_header + 1

    @property
    def last_stage_row(self) -> int:
        return self.first_stage_row + self.stages - 1

    @property
    def monthly_header(self) -> int:
        return self.last_stage_row + 2

    @property
    def weights_row(self) -> int:
        return self.monthly_header + 1

    @property
    def first_monthly_row(self) -> int:
        return self.weights_row + 1

    @property
    def last_monthly_row(self) -> int:
        return self.first_monthly_row + self.stages - 1

    @property
    def timeline(self) -> TimelineGrid:
        return TimelineGrid(self.stages, self.last_monthly_row)


#: Columns of the funnel table's quarters, and of the twelve months below it.
QUARTER_COLUMNS = ("E", "F", "G", "H")
MONTH_COLUMNS = tuple(column_letter(3 + m) for m in range(12))  # C..N


def period_volume(exact: str, annual: str, end: str, before: str | None, total: str) -> str:
    """Excel spelling of :func:`kpi_engine.phase_funnel`'s periods: ``exact`` when the plan is
    exact; in whole numbers, cumulative rounding of the stage's volume for the year
    (``annual``): what is due by the period's end (the weights added up to it, in the cell
    ``end``, over all of them in ``total``) less what was due by the end of the period
    before (``before``; ``None`` for the first). The weights are added up month by month
    in cells, as the engine does, so what is due never goes down.

    >>> period_volume("C33/$B$23", "$C23", "$R$41", "$Q$41", "$AB$41")
    'IF(WholeNumbers,ROUNDUP(ROUND($C23*($R$41/$AB$41),6),0)-ROUNDUP(ROUND($C23*($Q$41/$AB$41),6),0),C33/$B$23)'
    """

    def due(cell: str) -> str:
        return round_up(f"{annual}*({cell}/{total})")

    whole = due(end) if before is None else f"{due(end)}-{due(before)}"
    return f"IF(WholeNumbers,{whole},{exact})"


# (label, defined name, field of PlanInputs, number format, note)
_INPUT_ROWS: tuple[tuple[str, str, str, str | None, str], ...] = (
    ("Plan year", "PlanYear", "plan_year", "0", "The year this plan is for."),
    ("Revenue goal", "RevenueGoal", "revenue_goal", MONEY, "New revenue to win."),
    ("Average deal size", "DealSize", "deal_size", MONEY, "Revenue per new customer per year."),
    ("Marketing budget", "MarketingBudget", "marketing_budget", MONEY,
     "Spend for the year; sets the cost targets."),
    ("Gross margin", "GrossMargin", "gross_margin", PERCENT, "Share of revenue kept."),
    ("Churn rate", "ChurnRate", "churn_rate", PERCENT, "Customers lost per year."),
    ("Discount rate", "DiscountRate", "discount_rate", PERCENT, "Per year, for CLV; 0 for none."),
    ("Round up to whole numbers", "WholeNumbers", "whole_numbers", None,
     "TRUE: whole leads and customers, rounded up from the bottom."),
    ("Next year's goal growth", "NextYearGrowth", "growth", PERCENT,
     "Next year's goal over this year's: the timeline plans its first deals' leads."),
)  # fmt: skip


#: Defined name of each single-cell input of the Plan sheet -> its field of :class:`PlanInputs`.
PLAN_INPUT_NAMES = {defined: field for _, defined, field, _, _ in _INPUT_ROWS}
#: Defined name of each single-cell input -> its column of :func:`scenario_row`.
SCALAR_INPUT_NAMES = PLAN_INPUT_NAMES | channel_grid.SCALAR_NAMES | {"WhatIfStep": "whatif_step"}
#: Defined name of each range input -> the prefix of its numbered columns.
RANGE_INPUT_NAMES = {"StageNames": "stage_", "StageRates": "rate_", "SeasonalityWeights": "weight_",
                     "LagDays": "lag_", **pipeline.RANGE_INPUT_NAMES,
                     **channel_grid.RANGE_NAMES}  # fmt: skip


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
    return row | channel_columns(inputs.channels, position, len(stages))


def input_cells(stages: int) -> dict[str, tuple[str, str | None]]:
    """Every input cell of the plan sheet: ref -> (column of :func:`scenario_row`, format)."""
    grid = PlanGrid(stages)
    cells: dict[str, tuple[str, str | None]] = {
        f"B{grid.inputs_row + offset}": (field, number_format)
        for offset, (_, _, field, number_format, _) in enumerate(_INPUT_ROWS)
    }
    for i in range(stages):
        cells[f"A{grid.first_stage_row + i}"] = (f"stage_{i + 1}", None)
        if i < stages - 1:
            cells[f"B{grid.first_stage_row + i}"] = (f"rate_{i + 1}", PERCENT)
    for m, column in enumerate(MONTH_COLUMNS):
        cells[f"{column}{grid.weights_row}"] = (f"weight_{m + 1}", "0.00")
    for k in range(stages - 1):
        cells[f"B{grid.timeline.first_stage_row + k}"] = (f"lag_{k + 1}", "0")
    return cells


def _results(grid: PlanGrid) -> tuple[tuple[str, str, str, str, str], ...]:
    """(label, name, formula, number format, how it is computed) of each key result."""
    customers = f"$C${grid.last_stage_row}"
    return (
        (
            "Customers needed",
            "CustomersNeeded",
            "=RevenueGoal/DealSize",
            VOLUME,
            "Revenue goal / deal size, before rounding.",
        ),
        (
            "Planned CAC",
            "PlannedCAC",
            f"=MarketingBudget/{customers}",
            MONEY,
            "Budget / customers planned.",
        ),
        (
            "Customer lifetime value",
            "CustomerLifetimeValue",
            "=DealSize*GrossMargin*((1+DiscountRate)/(ChurnRate+DiscountRate))",
            MONEY,
            "Deal size x margin x (1 + discount) / (churn + discount).",
        ),
        (
            "LTV:CAC",
            "LTVtoCAC",
            "=CustomerLifetimeValue/PlannedCAC",
            RATIO,
            "3 or more is healthy.",
        ),
        (
            "Projected ROI",
            "ProjectedROI",
            "=(RevenueGoal*GrossMargin-MarketingBudget)/MarketingBudget",
            PERCENT,
            "First-year gross profit against the budget.",
        ),
        (
            "Lifetime ROI",
            "LifetimeROI",
            f"=({customers}*CustomerLifetimeValue-MarketingBudget)/MarketingBudget",
            PERCENT,
            "Customers x CLV against the budget.",
        ),
    )


def plan_sheet(inputs: PlanInputs) -> tuple[Sheet, tuple[Name, ...]]:
    """The "Plan" sheet for ``inputs`` and the defined names over it."""
    n = len(kpi_engine.funnel.resolve_stages(inputs.stages, len(inputs.rates)))
    grid = PlanGrid(n)
    cells: list[Cell] = [
        Cell("A1", '="Marketing plan "&PlanYear', "title"),
        Cell(
            "A2",
            "Yellow cells are inputs; everything else is calculated. "
            "Rates are fractions: 1.5 % is 0.015.",
            "note",
        ),
    ]
    names: list[Name] = []

    def name(label: str, ref: str, description: str) -> None:
        names.append(Name(label, PLAN, ref, description))

    # Inputs
    cells += [Cell(f"A{grid.inputs_row - 1}", "Inputs", "header"),
              Cell(f"B{grid.inputs_row - 1}", None, "header"),
              Cell(f"C{grid.inputs_row - 1}", None, "header")]  # fmt: skip
    values = scenario_row(inputs)
    inputs_by_ref = input_cells(n)

    def input_cell(ref: str) -> Cell:
        column, number_format = inputs_by_ref[ref]
        return Cell(ref, values[column], "input", number_format)

    for offset, (label, defined, _, _, note) in enumerate(_INPUT_ROWS):
        row = grid.inputs_row + offset
        cells += [
            Cell(f"A{row}", label, "label"),
            input_cell(f"B{row}"),
            Cell(f"C{row}", note, "note"),
        ]
        name(defined, f"$B${row}", f"{label}: {note}")

    # Key results
    cells += [Cell(f"A{grid.results_row - 1}", "Key results", "header"),
              Cell(f"B{grid.results_row - 1}", None, "header"),
              Cell(f"C{grid.results_row - 1}", None, "header")]  # fmt: skip
    for offset, (label, defined, formula, number_format, note) in enumerate(_results(grid)):
        row = grid.results_row + offset
        cells += [
            Cell(f"A{row}", label, "label"),
            Cell(f"B{row}", formula, "output", number_format),
            Cell(f"C{row}", note, "note"),
        ]
        name(defined, f"$B${row}", f"{label}: {note}")

    # The funnel for the year and its quarters
    weights = grid.weights_row

    def so_far(month: int) -> str:  # the weights added up to a month, on the timeline
        return weights_so_far_cell(grid.timeline, month)

    headers = ["Stage", "Conversion rate to next stage", "Required for the year",
               "Cost target per unit", *period_labels(4)]  # fmt: skip
    cells += [
        Cell(f"{column_letter(1 + i)}{grid.funnel_header}", text, "header")
        for i, text in enumerate(headers)
    ]
    for i in range(n):
        row = grid.first_stage_row + i
        last = i == n - 1
        cells.append(input_cell(f"A{row}"))
        if last:
            cells.append(Cell(f"B{row}", None, "formula"))
            annual = round_up_if_whole("CustomersNeeded")
        else:
            cells.append(input_cell(f"B{row}"))
            annual = round_up_if_whole(f"C{row + 1}/B{row}")
        cells += [
            Cell(f"C{row}", f"={annual}", "output", VOLUME),
            Cell(f"D{row}", f"=MarketingBudget/C{row}", "formula", UNIT_COST),
        ]
        for q, column in enumerate(QUARTER_COLUMNS):
            if last:
                months = f"${MONTH_COLUMNS[3 * q]}${weights}:${MONTH_COLUMNS[3 * q + 2]}${weights}"
                share = f"CustomersNeeded*SUM({months})/SUM(SeasonalityWeights)"
            else:
                share = f"{column}{row + 1}/$B{row}"
            before = so_far(3 * q - 1) if q else None
            volume = period_volume(share, f"$C{row}", so_far(3 * q + 2), before, so_far(11))
            cells.append(Cell(f"{column}{row}", f"={volume}", "formula", VOLUME))

    first, last_row = grid.first_stage_row, grid.last_stage_row
    name("StageNames", f"$A${first}:$A${last_row}", "Stage names, top stage first.")
    name(
        "StageRates",
        f"$B${first}:$B${last_row - 1}",
        "Conversion rate of each stage into the next.",
    )
    name("RequiredAnnual", f"$C${first}:$C${last_row}", "Volume each stage needs in the year.")
    name(
        "CostPerStage",
        f"$D${first}:$D${last_row}",
        "Budget / required volume: CPL, cost per MQL...",
    )
    name("RequiredQuarterly", f"$E${first}:$H${last_row}", "Stages x 4 quarters.")

    # The twelve months
    month_names = period_labels(12)
    cells += [Cell(f"A{grid.monthly_header}", "Stage", "header"),
              Cell(f"B{grid.monthly_header}", None, "header")]  # fmt: skip
    cells += [
        Cell(f"{column}{grid.monthly_header}", month_names[m], "header")
        for m, column in enumerate(MONTH_COLUMNS)
    ]
    cells += [
        Cell(f"A{weights}", "Seasonality weight", "label"),
        Cell(f"B{weights}", "relative; 1 = even", "note"),
    ]
    cells += [input_cell(f"{column}{weights}") for column in MONTH_COLUMNS]
    for i in range(n):
        row = grid.first_monthly_row + i
        rate_row = grid.first_stage_row + i
        cells.append(Cell(f"A{row}", f"=A{rate_row}", "formula"))
        for m, column in enumerate(MONTH_COLUMNS):
            if i == n - 1:
                share = f"CustomersNeeded*{column}${weights}/SUM(SeasonalityWeights)"
            else:
                share = f"{column}{row + 1}/$B${rate_row}"
            before = so_far(m - 1) if m else None
            volume = period_volume(share, f"$C{rate_row}", so_far(m), before, so_far(11))
            cells.append(Cell(f"{column}{row}", f"={volume}", "formula", VOLUME))
    name("SeasonalityWeights", f"$C${weights}:$N${weights}", "Relative weight of each month.")
    name(
        "RequiredMonthly",
        f"$C${grid.first_monthly_row}:$N${grid.last_monthly_row}",
        "Stages x 12 months.",
    )

    # The timeline: each stage in the month it must arrive.
    section, section_names, timeline_chart, timeline_validations = timeline_section(
        grid.timeline, grid.first_stage_row, inputs.lags, VOLUME
    )
    for cell in section:
        cells.append(input_cell(cell.ref) if cell.ref in inputs_by_ref else cell)
    names += section_names

    rate_cells = f"B{first}:B{last_row - 1}"
    validations = (
        Validation(rate_cells, "decimal", "between", "0", "1",
                   error="A conversion rate is a fraction between 0 and 1: 15 % is 0.15.",
                   prompt="Share of this stage that reaches the next, e.g. 0.2 for 20 %."),
        Validation(f"B{grid.inputs_row + 4} B{grid.inputs_row + 5} B{grid.inputs_row + 6}",
                   "decimal", "between", "0", "1",
                   error="A margin or rate is a fraction between 0 and 1: 15 % is 0.15."),
        Validation(f"B{grid.inputs_row + 1} B{grid.inputs_row + 3}",
                   "decimal", "greaterThanOrEqual", "0", error="Money cannot be negative."),
        Validation(f"B{grid.inputs_row + 2}", "decimal", "greaterThan", "0",
                   error="The deal size must be above 0."),
        Validation(f"B{grid.inputs_row}", "whole", "between", "1900", "2200",
                   error="A year, such as 2027."),
        Validation(f"B{grid.inputs_row + 7}", "list", formula1='"TRUE,FALSE"',
                   error="TRUE or FALSE."),
        Validation(f"C{weights}:N{weights}", "decimal", "greaterThanOrEqual", "0",
                   error="A weight is 0 or more."),
        Validation(f"B{grid.inputs_row + 8}", "decimal", "greaterThanOrEqual", "-1",
                   error="Growth is -100 % (-1) or more: 0.25 for 25 %."),
        *timeline_validations,
    )  # fmt: skip
    chart = BarChart(
        title="Required for the year (log scale)",
        categories=f"$A${first}:$A${last_row}",
        values=f"$C${first}:$C${last_row}",
        anchor="H4",
        series_title="Required for the year",
        log_scale=True,
        axis_min=1,  # a log axis from 1, so a stage of a few customers still shows a bar
    )
    widths = {"A": 28, "B": 16, "C": 16, "D": 16}
    widths |= {column: 12 for column in (*MONTH_COLUMNS[2:], *TIMELINE_COLUMNS)}
    # Volumes without decimals in whole numbers; the customers needed (before rounding)
    # and the costs per unit keep theirs.
    exact = [f"B{grid.results_row}", *(f"D{r}" for r in range(first, last_row + 1))]
    formats = whole_number_formats(cells, inputs.whole_numbers, exclude=exact)
    sheet = Sheet(
        PLAN,
        tuple(cells),
        conditional_formats=formats,
        column_widths=widths,
        row_heights={grid.funnel_header: 32} | grid.timeline.row_heights,
        freeze="B3",
        validations=validations,
        charts=(chart, timeline_chart),
        print_area=f"A1:AB{grid.timeline.last_row + 18}",  # and the timeline's chart below
    )
    return sheet, tuple(names)


def plan_workbook(inputs: PlanInputs | None = None, tracking=None, optimal=None) -> Workbook:
    """The whole plan workbook for ``inputs`` (seed 000's example by default).

    Sheets: Plan, Pipeline (see :mod:`.pipeline`), Channels and What-if (see
    :mod:`.channels`, :mod:`.whatif`; ``optimal`` is the solver's mix to write as values,
    a :class:`kpi_engine.OptimalMix`), Actuals, Channel actuals (see
    :mod:`.channel_actuals`), Diagnosis (see :mod:`.tracking`; no actuals unless ``tracking``
    gives some), Goals and the KPI catalog.
    """
    from .channel_actuals import channel_actuals_sheet
    from .channels import channels_sheet
    from .tracking import TrackingInputs, actuals_sheet, diagnosis_sheet, goals_sheet
    from .whatif import whatif_sheet

    inputs = inputs or PlanInputs()
    tracking = tracking or TrackingInputs()
    plan, names = plan_sheet(inputs)
    grid = PlanGrid(len(inputs.stages))
    labels = [f"{PLAN}!{column}{grid.timeline.header_row}" for column in TIMELINE_COLUMNS]
    pipe, pipe_names = pipeline.pipeline_sheet(len(inputs.stages), inputs.close_rate_curve,
                                               inputs.opportunities_created, labels)  # fmt: skip
    row = scenario_row(inputs)
    mix, mix_names = channels_sheet(len(inputs.stages), row, optimal)
    whatif, whatif_names = whatif_sheet(
        len(inputs.stages), inputs.whatif_step, inputs.scenarios, inputs.whole_numbers
    )
    actuals, actual_names = actuals_sheet(inputs.stages, tracking)
    by_channel, by_channel_names = channel_actuals_sheet(
        len(inputs.stages), tracking.channel_actuals
    )
    diagnosis, diagnosis_names = diagnosis_sheet(inputs.stages, tracking)
    goals, goal_names = goals_sheet(
        tracking.goals, tracking.goal_tolerance, tracking.as_of, inputs.plan_year
    )
    sheets = (plan, pipe, mix, whatif, actuals, by_channel, diagnosis, goals, catalog_sheet())
    all_names = (*names, *pipe_names, *mix_names, *whatif_names, *actual_names,
                 *by_channel_names, *diagnosis_names, *goal_names)  # fmt: skip
    return Workbook(sheets, all_names, title="Marketing plan")


def formula_sources(stages: int) -> dict[str, tuple[str, tuple[int, ...]]]:
    """Where each formula cell's value comes from: (output name, index into its array).

    The output names are those of :meth:`PlanOutputs.by_name`, plus ``"StageNames"`` for the
    monthly table's stage labels (``=A23`` ...). Computed once per stage count.
    """
    grid = PlanGrid(stages)
    inputs = PlanInputs().replace(
        stages=tuple(f"Stage {i}" for i in range(stages)), rates=(0.5,) * (stages - 1)
    )
    sheet, names = plan_sheet(inputs)
    sources: dict[str, tuple[str, tuple[int, ...]]] = {}
    for defined in names:
        if defined.name not in OUTPUT_NAMES:
            continue
        first, _, last = defined.ref.replace("$", "").partition(":")
        min_col, min_row, max_col, max_row = range_bounds(f"{first}:{last or first}")
        for row in range(min_row, max_row + 1):
            for col in range(min_col, max_col + 1):
                if min_row == max_row and min_col == max_col:
                    index: tuple[int, ...] = ()
                elif min_col == max_col:
                    index = (row - min_row,)
                else:
                    index = (row - min_row, col - min_col)
                sources[f"{column_letter(col)}{row}"] = (defined.name, index)
    for i in range(stages):
        sources[f"A{grid.first_monthly_row + i}"] = ("StageNames", (i,))
        sources[f"A{grid.timeline.first_stage_row + i}"] = ("StageNames", (i,))
        sources[f"A{grid.timeline.first_running_row + i}"] = ("StageNames", (i,))
    for j, column in enumerate(TIMELINE_COLUMNS):  # the running total's month labels
        sources[f"{column}{grid.timeline.running_header_row}"] = ("TimelineLabels", (0, j))
    sources["A1"] = ("Title", ())
    formula_cells = {c.ref for c in sheet.cells if c.is_formula}
    if formula_cells != sources.keys():  # a formula added to the layout without its value
        raise AssertionError(f"formula cells without a source: {formula_cells ^ sources.keys()}")
    return dict(sorted(sources.items()))


def plan_title(plan_year: object) -> str:
    """The title the formula ``="Marketing plan "&PlanYear`` shows."""
    return f"Marketing plan {plan_year}"


def cached_values(inputs: PlanInputs, outputs: PlanOutputs | None = None) -> dict[str, object]:
    """The value of every formula cell of the plan sheet, as computed by :mod:`kpi_engine`.

    Written next to each formula as its cached result, these let Excel's Protected View,
    previews and pandas show the numbers before anything recalculates. Keys are cell
    references on the Plan sheet.
    """
    outputs = outputs or plan_outputs(inputs)
    arrays = {
        **outputs.by_name(),
        "StageNames": np.array(inputs.stages, dtype=object),
        "Title": plan_title(inputs.plan_year),
    }
    values: dict[str, object] = {}
    for ref, (name, index) in formula_sources(len(inputs.stages)).items():
        value = np.asarray(arrays[name])[index] if index else arrays[name]
        values[ref] = value if isinstance(value, str) else float(value)
    return values
