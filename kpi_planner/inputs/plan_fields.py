"""The plan's inputs, declared once: each field of
:class:`~kpi_planner.plan.one_plan.PlanInputs` with its kind (money, a fraction, a year...),
its words (the Plan sheet's label and note, the command line's option and help), its
defined name in the workbook and its number format there.

Everything that reads or shows a plan's inputs derives from :data:`PLAN_FIELDS`: the
Plan sheet's input rows, the defined names a fill table's columns match, how a plan file's
keys and a table's cells are read (money, fractions, amounts), and the options ``plan`` and
``build`` share. A new input (a fiscal year's first month, a currency) is one row here.

Kept light (no pandas, no engine): the command line reads it before any command runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kpi_planner.workbook.sheets.number_formats import MONEY, PERCENT

#: The number format of a year's cell.
YEAR = "0"


class Kind(StrEnum):
    """How an input is typed and read."""

    MONEY = "money"  # an amount of money: 10,000,000 or $10,000,000; no percentage
    FRACTION = "fraction"  # 0.2 or 20 %; at most 100 %
    GROWTH = "growth"  # a fraction that may pass 100 % with its % sign (150 %); a bare 25 is 25 %
    YEAR = "year"  # a whole year, 1900 to 2200
    MONTH = "month"  # a month: 1 to 12 or its name (April, Apr)
    BOOLEAN = "boolean"  # TRUE / FALSE
    WEIGHT = "weight"  # a seasonality weight: a number or a percentage (8%)
    NUMBER = "number"  # a plain number (days, counts): no percentage
    TEXT = "text"  # names
    CURRENCY = "currency"  # an ISO 4217 code (EUR), any case; empty for none


@dataclass(frozen=True)
class PlanField:
    """One input of the plan.

    ``label``, ``defined_name`` and ``number_format`` place a single-cell input on the Plan
    sheet (None: the input is a list, a range of its own, or not on the Plan sheet);
    ``help`` is the option's help and the sheet's note; ``option`` is the command line's
    option (None: no command takes it as an option).
    """

    field: str
    kind: Kind
    help: str
    label: str | None = None
    defined_name: str | None = None
    number_format: str | None = None
    option: str | None = None
    is_list: bool = False
    #: The prefix of a list's numbered scenario columns (``rate_`` for ``rate_1``...).
    column_prefix: str | None = None

    @property
    def column(self) -> str:
        """The input's scenario column (a single value) or its columns' prefix (a list)."""
        return self.column_prefix or self.field

    @property
    def is_amount(self) -> bool:
        """Money, a year or a month: a percentage typed there is a mistake."""
        return self.kind in (Kind.MONEY, Kind.YEAR, Kind.MONTH)


PLAN_FIELDS: tuple[PlanField, ...] = (
    PlanField("plan_year", Kind.YEAR, "The year this plan is for (a fiscal year's name).",
              "Plan year", "PlanYear", YEAR, "--plan-year"),
    PlanField("revenue_goal", Kind.MONEY, "New revenue to win.", "Revenue goal", "RevenueGoal",
              MONEY, "--revenue-goal"),
    PlanField("deal_size", Kind.MONEY, "Revenue per new customer per year.",
              "Average deal size", "DealSize", MONEY, "--deal-size"),
    PlanField("marketing_budget", Kind.MONEY, "Spend for the year; sets the cost targets.",
              "Marketing budget", "MarketingBudget", MONEY, "--budget"),
    PlanField("gross_margin", Kind.FRACTION, "Share of revenue kept.", "Gross margin",
              "GrossMargin", PERCENT, "--gross-margin"),
    PlanField("churn_rate", Kind.FRACTION, "Customers lost per year.", "Churn rate",
              "ChurnRate", PERCENT, "--churn-rate"),
    PlanField("discount_rate", Kind.FRACTION, "Per year, for CLV; 0 for none.", "Discount rate",
              "DiscountRate", PERCENT, "--discount-rate"),
    PlanField("whole_numbers", Kind.BOOLEAN,
              "TRUE: whole leads and customers, rounded up from the bottom.",
              "Round up to whole numbers", "WholeNumbers", None, "--whole-numbers/--exact"),
    PlanField("growth", Kind.GROWTH,
              "Next year's goal over this year's: the timeline plans its first deals' leads.",
              "Next year's goal growth", "NextYearGrowth", PERCENT, "--growth"),
    PlanField("fiscal_year_start", Kind.MONTH,
              "Month the fiscal year starts: 4 = April; 1 = the calendar year.",
              "Fiscal year starts (month)", "FiscalYearStart",
              YEAR, "--fiscal-year-start"),
    PlanField("fiscal_year_named_by", Kind.TEXT,
              '"end": FY2028 from April ends Mar 2028; "start": begins Apr 2028.',
              "Fiscal year named by", "FiscalYearNamedBy", None, "--fiscal-year-named-by"),
    PlanField("currency", Kind.CURRENCY,
              "ISO code (EUR): money shows its symbol; nothing is converted.",
              "Currency", "Currency", None, "--currency"),
    PlanField("stages", Kind.TEXT, "Stage names, top first.", defined_name="StageNames",
              option="--stages", is_list=True, column_prefix="stage_"),
    PlanField("rates", Kind.FRACTION, "Conversion rates between stages, top first.",
              defined_name="StageRates", option="--rates", is_list=True, column_prefix="rate_"),
    PlanField("seasonality", Kind.WEIGHT, "Seasonality: one weight per month (all 1 = even).",
              defined_name="SeasonalityWeights", option="--weights", is_list=True,
              column_prefix="weight_"),
    PlanField("lag_days", Kind.NUMBER, "Days each step takes, top down.",
              defined_name="LagDays", option="--lags", is_list=True, column_prefix="lag_"),
    PlanField("close_rate_curve", Kind.FRACTION,
              "Share of a month's opportunities won in it, 1 month later, ...",
              defined_name="CloseRateCurve", is_list=True, column_prefix="curve_"),
    PlanField("opportunities_created", Kind.NUMBER,
              "Opportunities created in each of the timeline's 24 months.",
              defined_name="OpportunitiesCreated", is_list=True, column_prefix="created_"),
)  # fmt: skip

#: Each input by its field.
BY_FIELD = {field.field: field for field in PLAN_FIELDS}
#: The Plan sheet's single-cell inputs, in the sheet's order.
SHEET_INPUTS = tuple(field for field in PLAN_FIELDS if field.label is not None)


#: Each list input's defined name (its range) -> the prefix of its numbered columns.
RANGE_COLUMNS = {f.defined_name: f.column for f in PLAN_FIELDS if f.is_list}
#: The prefix of a list's numbered columns -> its field.
LIST_FIELDS = {f.column: f.field for f in PLAN_FIELDS if f.is_list}


def fields_of(*kinds: Kind, lists: bool | None = None) -> tuple[str, ...]:
    """The fields of the given kinds (and of lists only, or single values only)."""
    return tuple(f.field for f in PLAN_FIELDS
                 if f.kind in kinds and (lists is None or f.is_list == lists))  # fmt: skip


#: How each kind is typed, as an option's help says it (lists comma-separated).
_TYPED = {
    Kind.MONEY: "In money: 10000000, 10,000,000 or $10,000,000.",
    Kind.FRACTION: "A fraction: 0.2 for 20 %.",
    Kind.GROWTH: "A fraction or a percentage, e.g. 25% (0: flat); beyond 100% with its sign.",
    Kind.MONTH: "A number or a name: 4, April or Apr.",
    Kind.CURRENCY: "Any case; not given: money shows no symbol.",
}
_TYPED_LIST = {
    Kind.FRACTION: "Comma-separated: 0.015,0.2 or 1.5%,20%.",
    Kind.NUMBER: "Comma-separated.",
    Kind.WEIGHT: "Comma-separated.",
    Kind.TEXT: "Comma-separated.",
}


def option_help(field: str, detail: str = "") -> str:
    """The help of the option of ``field``: what it is, how it is typed, then ``detail``
    (what the command does with it).

    >>> option_help("deal_size")
    'Revenue per new customer per year. In money: 10000000, 10,000,000 or $10,000,000.'
    """
    declared = BY_FIELD[field]
    typed = (_TYPED_LIST if declared.is_list else _TYPED).get(declared.kind, "")
    return " ".join(part for part in (declared.help, typed, detail) if part)
