"""Excel custom functions (UDFs) of kpi-planner: thin wrappers over :mod:`kpi_engine`.

Each function converts what Excel passes (numbers, ``None`` for empty cells, lists for
ranges taken as rows or columns) and calls the engine. The Python names are the Excel
names, in upper case, so the same module serves classic xlwings on Windows and xlwings
Lite. Results that are lists spill as native dynamic arrays.

Errors: an error cell in any argument (``#N/A``...) is the result, as in Excel's own
functions; where the math is undefined (0 customers for CAC, an investment of 0 for ROI) the
cell shows ``#DIV/0!``, which ``IFERROR`` catches; any other bad input raises an error
whose message names the argument, the value and the rule (in classic xlwings the cell
shows that text; in xlwings Lite the cell shows ``#VALUE!`` with the message on hover).
"""

from __future__ import annotations

import datetime as dt
import math

import xlwings as xw

import kpi_engine
from kpi_engine import fiscal

from .capacity_functions import HEADCOUNT_NEEDED, RAMPED_CAPACITY, RAMPED_OUTPUT  # noqa: F401
from .channel_functions import (  # noqa: F401
    BUDGET_NEEDED,
    CHANNEL_BUDGET,
    REACHABLE_REVENUE,
    SENSITIVITY,
)
from .company_functions import (  # noqa: F401
    ARR_BRIDGE,
    RAMP_WEIGHTS,
    SEGMENT_ROLLUP,
    SOURCED_DEALS,
)
from .excel_values import (  # noqa: F401  (CATEGORY, excel_error: the add-in's API)
    CATEGORY,
    DIV0_CODE,
    EXCEL_ERRORS,
    _flat,
    _optional,
    arg,
    excel_error,
    excel_function,
    whole_number,
)
from .forecast_functions import (  # noqa: F401
    DAY_ONE_PIPELINE,
    FORECAST_LANDING,
    PIPELINE_PACING,
    WEIGHTED_PIPELINE,
)
from .pipeline_functions import CLOSE_RATE_CURVE, EXPECTED_CLOSES, PIPELINE_GAP  # noqa: F401


@xw.func(category=CATEGORY)
@arg("goal", "Revenue goal (with deal_size) or customers to win, for the whole year.")
@arg("rates", "Conversion rates between stages, top first, as fractions: "
     "a row or column range, e.g. 0.015, 0.2, 0.2, 0.4, 0.5.", ndim=1)  # fmt: skip
@arg("deal_size", "Average revenue per new customer. Leave empty when goal counts customers.")
@arg("periods", "Divide the year into this many periods: 12 = monthly. Default 1.")
@arg("whole_numbers", "TRUE rounds up to whole numbers stage by stage from the bottom.")
@excel_function(flags=("whole_numbers",))
def FUNNEL_REQUIRED(goal, rates, deal_size=None, periods=1, whole_numbers=False):
    """Volume each funnel stage needs to reach a goal: a vertical array, top stage first."""
    volumes = kpi_engine.reverse_funnel(
        goal, _flat("rates", rates), deal_size=deal_size,
        periods=whole_number("periods", periods, 1, 1, 366, "1 for the year, 12 for months"),
        whole_numbers=bool(_optional(whole_numbers, False)))  # fmt: skip
    return [[v] for v in volumes.values()]


@xw.func(category=CATEGORY)
@arg("goal", "This year's revenue goal (with deal_size) or customers to win.")
@arg("rates", "Conversion rates between stages, top first, as fractions.", ndim=1)
@arg("lag_days", "Days each step takes, top down, one per pair of stages: 0,10,20,15,45.",
     ndim=1)  # fmt: skip
@arg("growth", "Next year's goal over this year's, e.g. 0.25 for 25 % (up to 1). Default 0.")
@arg("deal_size", "Average revenue per new customer; empty when goal counts customers.")
@arg("periods", "12 for months (the default), 4 for quarters (the months added up).")
@arg("whole_numbers", "TRUE: whole numbers, spread by cumulative rounding.")
@arg("plan_year", "The plan's year, to label the periods (e.g. 2027): a fiscal year's name.")
@arg("fiscal_year_start", "The fiscal year's first month: 4 or April (default 1, January).")
@arg("fiscal_year_named_by", '"end" (the default: FY2028 from April is Apr 2027 - Mar 2028) '
     'or "start".')  # fmt: skip
@excel_function(flags=("whole_numbers",), text=("fiscal_year_start", "fiscal_year_named_by"))
def TIMELINE(goal, rates, lag_days, growth=0.0, deal_size=None, periods=12,
             whole_numbers=False, plan_year=None, fiscal_year_start=None,
             fiscal_year_named_by=None):  # fmt: skip
    """Each stage in the period it must arrive, from the lead-in before the year to its end:
    a table with the periods across and the stages down (a fiscal year's periods from its
    first month)."""
    year = None if plan_year is None else whole_number("plan_year", plan_year, 0, 1901, 9999,
                                                        "a year, such as 2027")  # fmt: skip
    start = 1 if fiscal_year_start is None else fiscal.fiscal_start(fiscal_year_start)
    plan = kpi_engine.timeline(
        goal, _flat("rates", rates), lag_days=_flat("lag_days", lag_days),
        growth=_growth(growth), deal_size=deal_size,
        periods=whole_number("periods", periods, 12, 1, 366, "12 for months, 4 for quarters"),
        whole_numbers=bool(_optional(whole_numbers, False)), plan_year=year,
        fiscal_year_start=start, fiscal_year_named_by=_optional(fiscal_year_named_by, "end"),
    )  # fmt: skip
    rows = zip(plan.index, plan.to_numpy().tolist(), strict=True)
    return [["Stage", *plan.columns], *([stage, *values] for stage, values in rows)]


def _growth(growth: object) -> object:
    """TIMELINE's growth: a fraction. A number above 1 is refused, as the command line
    refuses a bare 25: a cell typed 25 for 25 % would plan +2,500 % with no word."""
    value = _optional(growth, 0.0)
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 1:
        rule = (f"would be {value:+.0%}: give 0.25 or 25% for 25 % (this function takes a "
                "growth up to 100 %, 1)")  # fmt: skip
        raise kpi_engine.KPIInputError([kpi_engine.Problem("growth", value, rule)])
    return value


@xw.func(category=CATEGORY)
@arg("top_volume", "Volume of the top stage (e.g. website visits) in a period.")
@arg("rates", "Conversion rates between stages, top first, as fractions.", ndim=1)
@arg("deal_size", "Average revenue per new customer; adds the revenue as a last row.")
@arg("whole_numbers", "TRUE rounds down to whole numbers stage by stage from the top.")
@excel_function(flags=("whole_numbers",))
def FUNNEL_FORWARD(top_volume, rates, deal_size=None, whole_numbers=False):
    """Projected volume of each stage from the top one (and the revenue): a vertical array."""
    projection = kpi_engine.forward_funnel(
        top_volume, _flat("rates", rates), deal_size=deal_size,
        whole_numbers=bool(_optional(whole_numbers, False)))  # fmt: skip
    rows = [[v] for v in projection.volumes.values()]
    return [*rows, [projection.revenue]] if projection.revenue is not None else rows


@xw.func(category=CATEGORY)
@arg("spend", "Acquisition spend of the period: a number or a range of spend lines.", ndim=1)
@arg("new_customers", "New customers won in the same period.")
@excel_function()
def CAC(spend, new_customers):
    """Customer acquisition cost: total spend / new customers."""
    return kpi_engine.cac([s for s in _flat("spend", spend) if s is not None], new_customers)


@xw.func(category=CATEGORY)
@arg("revenue_per_period", "Revenue per customer per period.")
@arg("gross_margin", "Gross margin as a fraction, e.g. 0.8.")
@arg("churn_rate", "Share of customers lost each period, e.g. 0.2.")
@arg("discount_rate", "Discount rate per period; default 0.")
@arg("acquisition_cost", "CAC to subtract for net CLV; default 0.")
@arg("horizon_periods", "Periods to count; empty for the whole lifetime.")
@excel_function()
def CLV(revenue_per_period, gross_margin, churn_rate, discount_rate=0.0, acquisition_cost=0.0,
        horizon_periods=None):  # fmt: skip
    """Customer lifetime value: margin per period earned while the customer stays."""
    return kpi_engine.clv(revenue_per_period, gross_margin, churn_rate,
                          _optional(discount_rate, 0.0), _optional(acquisition_cost, 0.0),
                          _optional(horizon_periods, math.inf))  # fmt: skip


@xw.func(category=CATEGORY)
@arg("revenue", "Revenue attributed to the marketing.")
@arg("investment", "Marketing investment (above 0).")
@arg("gross_margin", "Fraction of revenue that is gross profit; default 1.")
@arg("other_costs", "Overhead and other costs; default 0.")
@excel_function()
def ROI(revenue, investment, gross_margin=1.0, other_costs=0.0):
    """Return on marketing investment, a ratio: (revenue x margin - investment - costs) / spend."""
    return kpi_engine.roi(revenue, investment, _optional(gross_margin, 1.0),
                          _optional(other_costs, 0.0))  # fmt: skip


@xw.func(category=CATEGORY)
@arg("spend", "Spend of the period: a number or a range of spend lines.", ndim=1)
@arg("count", "Volume reached at the stage in the same period (leads, MQL...).")
@excel_function()
def COST_PER(spend, count):
    """Cost per unit at a stage: spend / count (cost per lead, per MQL, per SQL...)."""
    return kpi_engine.cost_per([s for s in _flat("spend", spend) if s is not None], count)


@xw.func(category=CATEGORY)
@arg("converted", "Count that reached the next stage.")
@arg("entered", "Count that entered the stage.")
@excel_function()
def CONVERSION_RATE(converted, entered):
    """Conversion rate between two stages: converted / entered."""
    return kpi_engine.conversion_rate(converted, entered)


@xw.func(category=CATEGORY)
# The parameters are not named `clv` and `cac`: VBA names are case-insensitive, and the
# wrappers' parameters would collide with the functions CLV and CAC of the same project.
@arg("lifetime_value", "Customer lifetime value (gross, before CAC).")
@arg("acquisition_cost", "Customer acquisition cost (above 0).")
@excel_function(renames={"clv": "lifetime_value", "cac": "acquisition_cost"})
def LTV_CAC(lifetime_value, acquisition_cost):
    """LTV:CAC ratio: lifetime value per unit of acquisition cost (3 is the usual target)."""
    return kpi_engine.ltv_to_cac(lifetime_value, acquisition_cost)


@xw.func(category=CATEGORY)
@arg("acquisition_cost", "Customer acquisition cost.")
@arg("revenue_per_period", "Revenue per customer per period, e.g. monthly.")
@arg("gross_margin", "Gross margin as a fraction.")
@excel_function(renames={"cac": "acquisition_cost"})
def CAC_PAYBACK(acquisition_cost, revenue_per_period, gross_margin):
    """Periods of gross margin needed to earn back CAC."""
    return kpi_engine.cac_payback_periods(acquisition_cost, revenue_per_period, gross_margin)


@xw.func(category=CATEGORY)
@arg("scores", "A range of 0-10 answers (empty cells are skipped), or the "
     "number of promoters when passives and detractors are given.", ndim=1)  # fmt: skip
@arg("passives", "Number of passives (7-8), to compute from counts.")
@arg("detractors", "Number of detractors (0-6), to compute from counts.")
@excel_function(renames={"promoters": "scores"})
def NPS(scores, passives=None, detractors=None):
    """Net Promoter Score, -100 to 100: from a range of 0-10 answers, or from counts."""
    if passives is None and detractors is None:
        return kpi_engine.nps(_flat("scores", scores))
    promoters = _flat("scores", scores)
    return kpi_engine.nps_from_counts(promoters[0] if len(promoters) == 1 else promoters,
                                      _optional(passives, 0), _optional(detractors, 0))  # fmt: skip


@xw.func(category=CATEGORY)
@arg("actual", "Volume reached (leads, MQL, revenue...) in the period or to date.")
@arg("planned", "Planned volume for the same span.")
@excel_function()
def ATTAINMENT(actual, planned):
    """Share of the plan reached: actual / planned (1 = on plan)."""
    return kpi_engine.attainment(actual, planned)


@xw.func(category=CATEGORY)
@arg("actual_volumes", "Actual volume of each stage in the span, top stage first (a row or "
     "column).", ndim=1)  # fmt: skip
@arg("planned_volumes", "Planned volume of each stage in the same span, top stage first.",
     ndim=1)  # fmt: skip
@arg("tolerance", "How far below plan still counts as on plan; default 0.1 (10 %).")
@arg("rates", "Optional: the plan's conversion rates, top first (e.g. StageRates): each "
     "stage's rate is judged against them, not the planned volumes' ratio.", ndim=1)  # fmt: skip
@excel_function(renames={"actual": "actual_volumes", "planned": "planned_volumes"})
def FOCUS_AREA(actual_volumes, planned_volumes, tolerance=0.1, rates=None):
    """The stage to fix first, top down, and what to do about it; "On plan" if none."""
    actual = [v for v in _flat("actual_volumes", actual_volumes) if v is not None]
    planned = [v for v in _flat("planned_volumes", planned_volumes) if v is not None]
    plan_rates = None if rates is None else [r for r in _flat("rates", rates) if r is not None]
    area = kpi_engine.focus_area(actual, planned, tolerance=_optional(tolerance, 0.1),
                                 rates=plan_rates or None)  # fmt: skip
    return "On plan" if area is None else str(area)


def _smart_argument(problem: kpi_engine.Problem) -> str:
    """The argument a SMART rule that GOAL_STATUS's goal breaks is about (the engine names
    the goal); its arguments' own checks come first."""
    for words, argument in (("target", "target"), ("deadline", "deadline"), ("owner", "owner"),
                            ("start", "start")):  # fmt: skip
        if problem.argument == "goal" and words in problem.rule.split(":")[1]:
            return argument
    return problem.argument


@xw.func(category=CATEGORY)
@arg("baseline", "The metric's value when the goal started.")
@arg("target", "The value to reach by the deadline (may be below the baseline).")
@arg("start", "Start date of the goal.")
@arg("deadline", "Deadline of the goal.")
@arg("current", "The metric's value today.")
@arg("today", "The day to judge; default today.")
@arg("owner", "Who is accountable; a goal without one is not SMART.")
@excel_function(text=("owner",), dates=("start", "deadline", "today"), renames=_smart_argument)
def GOAL_STATUS(baseline, target, start, deadline, current, today=None, owner="owner"):
    """Status of a SMART goal today: on track, at risk, off track, met or not started."""
    goal = kpi_engine.Goal("goal", baseline, target, start, deadline, owner)
    return kpi_engine.goal_status(goal, current, today or dt.date.today()).status
