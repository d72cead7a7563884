"""Excel custom functions (UDFs) of kpi-planner: thin wrappers over :mod:`kpi_engine`.

Each function converts what Excel passes (numbers, ``None`` for empty cells, lists for
ranges taken as rows or columns) and calls the engine. The Python names are the Excel
names, in upper case, so the same module serves classic xlwings on Windows and xlwings
Lite. Results that are lists spill as native dynamic arrays.

Errors: where the math is undefined (0 customers for CAC, an investment of 0 for ROI) the
cell shows ``#DIV/0!``, which ``IFERROR`` catches; any other bad input raises an error
whose message names the argument, the value and the rule (in classic xlwings the cell
shows that text; in xlwings Lite the cell shows ``#VALUE!`` with the message on hover).
"""

from __future__ import annotations

import datetime as dt
import math

import xlwings as xw

import kpi_engine

from .channel_functions import (  # noqa: F401
    BUDGET_NEEDED,
    CHANNEL_BUDGET,
    REACHABLE_REVENUE,
    SENSITIVITY,
)
from .excel_values import (  # noqa: F401  (CATEGORY, excel_error: the add-in's API)
    CATEGORY,
    DIV0_CODE,
    EXCEL_ERRORS,
    _call,
    _date,
    _flat,
    _optional,
    excel_error,
)
from .pipeline_functions import CLOSE_RATE_CURVE, EXPECTED_CLOSES, PIPELINE_GAP  # noqa: F401


@xw.func(category=CATEGORY)
@xw.arg("goal", doc="Revenue goal (with deal_size) or customers to win, for the whole year.")
@xw.arg("rates", ndim=1, err_to_str=True,
        doc="Conversion rates between stages, top first, as fractions: "
        "a row or column range, e.g. 0.015, 0.2, 0.2, 0.4, 0.5.")  # fmt: skip
@xw.arg(
    "deal_size", doc="Average revenue per new customer. Leave empty when goal counts customers."
)
@xw.arg("periods", doc="Divide the year into this many periods: 12 = monthly. Default 1.")
@xw.arg("whole_numbers", doc="TRUE rounds up to whole numbers stage by stage from the bottom.")
def FUNNEL_REQUIRED(goal, rates, deal_size=None, periods=1, whole_numbers=False):
    """Volume each funnel stage needs to reach a goal: a vertical array, top stage first."""
    volumes = _call(
        lambda: kpi_engine.reverse_funnel(
            goal, _flat("rates", rates), deal_size=deal_size, periods=_optional(periods, 1),
            whole_numbers=bool(_optional(whole_numbers, False))),
        goal, rates, deal_size, periods,
    )  # fmt: skip
    return [[v] for v in volumes.values()] if isinstance(volumes, dict) else volumes


@xw.func(category=CATEGORY)
@xw.arg("goal", doc="This year's revenue goal (with deal_size) or customers to win.")
@xw.arg("rates", ndim=1, err_to_str=True,
        doc="Conversion rates between stages, top first, as fractions.")  # fmt: skip
@xw.arg("lag_days", ndim=1, err_to_str=True,
        doc="Days each step takes, top down, one per pair of stages: 0,10,20,15,45.")  # fmt: skip
@xw.arg("growth", doc="Next year's goal over this year's, e.g. 0.25 for 25 %. Default 0.")
@xw.arg("deal_size", doc="Average revenue per new customer; empty when goal counts customers.")
@xw.arg("periods", doc="12 for months (the default), 4 for quarters.")
@xw.arg("whole_numbers", doc="TRUE: whole numbers, spread by cumulative rounding.")
@xw.arg("plan_year", doc="The plan's year, to label the periods (e.g. 2027).")
def TIMELINE(goal, rates, lag_days, growth=0.0, deal_size=None, periods=12,
             whole_numbers=False, plan_year=None):  # fmt: skip
    """Each stage in the period it must arrive, from the lead-in before the year to its end:
    a table with the periods across and the stages down."""
    plan = _call(
        lambda: kpi_engine.timeline(
            goal, _flat("rates", rates), lag_days=_flat("lag_days", lag_days),
            growth=_optional(growth, 0.0), deal_size=deal_size,
            periods=int(_optional(periods, 12)),
            whole_numbers=bool(_optional(whole_numbers, False)),
            plan_year=None if plan_year is None else int(plan_year)),
        goal, rates, lag_days, growth, deal_size, periods,
    )  # fmt: skip
    if not hasattr(plan, "columns"):  # an error value
        return plan
    rows = zip(plan.index, plan.to_numpy().tolist(), strict=True)
    return [["Stage", *plan.columns], *([stage, *values] for stage, values in rows)]


@xw.func(category=CATEGORY)
@xw.arg("top_volume", doc="Volume of the top stage (e.g. website visits) in a period.")
@xw.arg(
    "rates",
    ndim=1,
    err_to_str=True,
    doc="Conversion rates between stages, top first, as fractions.",
)
@xw.arg("deal_size", doc="Average revenue per new customer; adds the revenue as a last row.")
@xw.arg("whole_numbers", doc="TRUE rounds down to whole numbers stage by stage from the top.")
def FUNNEL_FORWARD(top_volume, rates, deal_size=None, whole_numbers=False):
    """Projected volume of each stage from the top one (and the revenue): a vertical array."""
    projection = _call(
        lambda: kpi_engine.forward_funnel(
            top_volume, _flat("rates", rates), deal_size=deal_size,
            whole_numbers=bool(_optional(whole_numbers, False))),
        top_volume, rates, deal_size,
    )  # fmt: skip
    if not isinstance(projection, kpi_engine.Projection):
        return projection
    rows = [[v] for v in projection.volumes.values()]
    return [*rows, [projection.revenue]] if projection.revenue is not None else rows


@xw.func(category=CATEGORY)
@xw.arg(
    "spend",
    ndim=1,
    err_to_str=True,
    doc="Acquisition spend of the period: a number or a range of spend lines.",
)
@xw.arg("new_customers", doc="New customers won in the same period.")
def CAC(spend, new_customers):
    """Customer acquisition cost: total spend / new customers."""
    return _call(lambda: kpi_engine.cac([s for s in _flat("spend", spend) if s is not None],
                                        new_customers), spend, new_customers)  # fmt: skip


@xw.func(category=CATEGORY)
@xw.arg("revenue_per_period", doc="Revenue per customer per period.")
@xw.arg("gross_margin", doc="Gross margin as a fraction, e.g. 0.8.")
@xw.arg("churn_rate", doc="Share of customers lost each period, e.g. 0.2.")
@xw.arg("discount_rate", doc="Discount rate per period; default 0.")
@xw.arg("acquisition_cost", doc="CAC to subtract for net CLV; default 0.")
@xw.arg("horizon_periods", doc="Periods to count; empty for the whole lifetime.")
def CLV(revenue_per_period, gross_margin, churn_rate, discount_rate=0.0, acquisition_cost=0.0,
        horizon_periods=None):  # fmt: skip
    """Customer lifetime value: margin per period earned while the customer stays."""
    return _call(lambda: kpi_engine.clv(
        revenue_per_period, gross_margin, churn_rate, _optional(discount_rate, 0.0),
        _optional(acquisition_cost, 0.0), _optional(horizon_periods, math.inf)),
        revenue_per_period, gross_margin, churn_rate, discount_rate, acquisition_cost,
        horizon_periods)  # fmt: skip


@xw.func(category=CATEGORY)
@xw.arg("revenue", doc="Revenue attributed to the marketing.")
@xw.arg("investment", doc="Marketing investment (above 0).")
@xw.arg("gross_margin", doc="Fraction of revenue that is gross profit; default 1.")
@xw.arg("other_costs", doc="Overhead and other costs; default 0.")
def ROI(revenue, investment, gross_margin=1.0, other_costs=0.0):
    """Return on marketing investment, a ratio: (revenue x margin - investment - costs) / spend."""
    return _call(lambda: kpi_engine.roi(revenue, investment, _optional(gross_margin, 1.0),
                                        _optional(other_costs, 0.0)),
                 revenue, investment, gross_margin, other_costs)  # fmt: skip


@xw.func(category=CATEGORY)
@xw.arg(
    "spend", ndim=1, err_to_str=True, doc="Spend of the period: a number or a range of spend lines."
)
@xw.arg("count", doc="Volume reached at the stage in the same period (leads, MQL...).")
def COST_PER(spend, count):
    """Cost per unit at a stage: spend / count (cost per lead, per MQL, per SQL...)."""
    return _call(lambda: kpi_engine.cost_per([s for s in _flat("spend", spend) if s is not None],
                                             count), spend, count)  # fmt: skip


@xw.func(category=CATEGORY)
@xw.arg("converted", doc="Count that reached the next stage.")
@xw.arg("entered", doc="Count that entered the stage.")
def CONVERSION_RATE(converted, entered):
    """Conversion rate between two stages: converted / entered."""
    return _call(lambda: kpi_engine.conversion_rate(converted, entered), converted, entered)


@xw.func(category=CATEGORY)
# The parameters are not named `clv` and `cac`: VBA names are case-insensitive, and the
# wrappers' parameters would collide with the functions CLV and CAC of the same project.
@xw.arg("lifetime_value", doc="Customer lifetime value (gross, before CAC).")
@xw.arg("acquisition_cost", doc="Customer acquisition cost (above 0).")
def LTV_CAC(lifetime_value, acquisition_cost):
    """LTV:CAC ratio: lifetime value per unit of acquisition cost (3 is the usual target)."""
    return _call(lambda: kpi_engine.ltv_to_cac(lifetime_value, acquisition_cost),
                 lifetime_value, acquisition_cost)  # fmt: skip


@xw.func(category=CATEGORY)
@xw.arg("acquisition_cost", doc="Customer acquisition cost.")
@xw.arg("revenue_per_period", doc="Revenue per customer per period, e.g. monthly.")
@xw.arg("gross_margin", doc="Gross margin as a fraction.")
def CAC_PAYBACK(acquisition_cost, revenue_per_period, gross_margin):
    """Periods of gross margin needed to earn back CAC."""
    return _call(
        lambda: kpi_engine.cac_payback_periods(acquisition_cost, revenue_per_period, gross_margin),
        acquisition_cost, revenue_per_period, gross_margin,
    )  # fmt: skip


@xw.func(category=CATEGORY)
@xw.arg("scores", ndim=1, err_to_str=True,
        doc="A range of 0-10 answers (empty cells are skipped), or the "
        "number of promoters when passives and detractors are given.")  # fmt: skip
@xw.arg("passives", doc="Number of passives (7-8), to compute from counts.")
@xw.arg("detractors", doc="Number of detractors (0-6), to compute from counts.")
def NPS(scores, passives=None, detractors=None):
    """Net Promoter Score, -100 to 100: from a range of 0-10 answers, or from counts."""
    if passives is None and detractors is None:
        return _call(lambda: kpi_engine.nps(_flat("scores", scores)), scores)
    promoters = _flat("scores", scores)
    return _call(lambda: kpi_engine.nps_from_counts(
        promoters[0] if len(promoters) == 1 else promoters, _optional(passives, 0),
        _optional(detractors, 0)), scores, passives, detractors)  # fmt: skip


@xw.func(category=CATEGORY)
@xw.arg("actual", doc="Volume reached (leads, MQL, revenue...) in the period or to date.")
@xw.arg("planned", doc="Planned volume for the same span.")
def ATTAINMENT(actual, planned):
    """Share of the plan reached: actual / planned (1 = on plan)."""
    return _call(lambda: kpi_engine.attainment(actual, planned), actual, planned)


@xw.func(category=CATEGORY)
@xw.arg(
    "actual_volumes",
    ndim=1,
    err_to_str=True,
    doc="Actual volume of each stage in the span, top stage first (a row or column).",
)
@xw.arg(
    "planned_volumes",
    ndim=1,
    err_to_str=True,
    doc="Planned volume of each stage in the same span, top stage first.",
)
@xw.arg("tolerance", doc="How far below plan still counts as on plan; default 0.1 (10 %).")
def FOCUS_AREA(actual_volumes, planned_volumes, tolerance=0.1):
    """The stage to fix first, top down, and what to do about it; "On plan" if none."""
    actual = [v for v in _flat("actual_volumes", actual_volumes) if v is not None]
    planned = [v for v in _flat("planned_volumes", planned_volumes) if v is not None]
    area = _call(lambda: kpi_engine.focus_area(actual, planned,
                                               tolerance=_optional(tolerance, 0.1)),
                 actual_volumes, planned_volumes, tolerance)  # fmt: skip
    if area is None:
        return "On plan"
    return str(area) if isinstance(area, kpi_engine.FocusArea) else area


@xw.func(category=CATEGORY)
@xw.arg("baseline", doc="The metric's value when the goal started.")
@xw.arg("target", doc="The value to reach by the deadline (may be below the baseline).")
@xw.arg("start", doc="Start date of the goal.")
@xw.arg("deadline", doc="Deadline of the goal.")
@xw.arg("current", doc="The metric's value today.")
@xw.arg("today", doc="The day to judge; default today.")
@xw.arg("owner", doc="Who is accountable; a goal without one is not SMART.")
def GOAL_STATUS(baseline, target, start, deadline, current, today=None, owner="owner"):
    """Status of a SMART goal today: on track, at risk, off track, met or not started."""
    goal = kpi_engine.Goal("goal", baseline, target, _date(start), _date(deadline), owner)
    day = _date(today) or dt.date.today()
    result = _call(lambda: kpi_engine.goal_status(goal, current, day),
                   baseline, target, current)  # fmt: skip
    return result.status if isinstance(result, kpi_engine.GoalStatus) else result
