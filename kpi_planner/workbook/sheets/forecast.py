"""The Forecast sheet: where the plan year lands, in live formulas over a table of
opportunities pasted in (one row each, as the CRM exports them).

Formulas give closed to date, the open deals closing in the year weighted by stage
probability and by forecast category, the landing and the gap to the goal (the Plan's
``RevenueGoal``), and next quarter's target, day-one pipeline, coverage and pacing. Two
figures need more than a formula can hold, the revenue the plan's opportunities still to be
created bring (by the close-rate curve) and the share of a day-one pipeline a typical
quarter had built by this day, so they are inputs, filled with kpi-planner's values; the
range (P10-P90, the chance of the goal) needs a distribution Excel has no function for and
is written as values, labelled so. The same figures are
:func:`kpi_planner.forecast.landing.forecast`'s and :func:`.next_steps.next_quarter`'s;
the evaluator tests compare the two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kpi_planner.inputs.opportunities import Opportunity
from kpi_planner.workbook.sheets.number_formats import MONEY, PERCENT, RATIO
from kpi_planner.workbook.sheets.plan import fiscal_labels
from kpi_planner.workbook.sheets.plan.grid import MONTH_COLUMNS
from kpi_planner.workbook.spec import BarChart, Cell, Name, Sheet, Validation

FORECAST = "Forecast"
DATE = "yyyy-mm-dd"
#: The first row of the opportunities (its header is the row above).
FIRST_DEAL_ROW = 51
#: The table's columns: typed (A-H), then calculated (I-M).
HEADERS = ("Opportunity", "Amount", "Created", "Close date", "Probability", "Forecast category",
           "Won date", "Lost date", "Open, closing in the year", "By probability",
           "Category weight", "By category", "Closing next quarter",
           "Won this year to date")  # fmt: skip
#: The forecast categories' rows: their names and weights (the options' or kpi_engine's).
CATEGORY_ROWS = range(4, 12)
CATEGORIES = "$D$4:$E$11"


@dataclass(frozen=True)
class ForecastSheetInputs:
    """What the sheet shows besides formulas: the table, the date, and kpi-planner's values
    of what formulas cannot compute (see the module's docstring)."""

    opportunities: Sequence[Opportunity]
    as_of: object  # a date
    coverage: float
    planned_future: float
    share_by_now: float
    category_weights: dict[str, float]
    p10: float
    p50: float
    p90: float
    chance_of_goal: float
    method: str


def forecast_sheet(values: ForecastSheetInputs) -> tuple[Sheet, list[Name]]:
    """The Forecast sheet for ``values`` and its defined names."""
    last = FIRST_DEAL_ROW + max(len(values.opportunities), 1) - 1
    cells = [
        Cell("A1", "Forecast: where the year lands", "title"),
        Cell(
            "A2",
            "Paste the CRM's opportunities in the yellow table, one row each; yellow "
            "cells are inputs. The range is kpi-planner's, as values.",
            "note",
        ),
        *_inputs(values),
        *_categories(values),
        *_landing(last, values),
        *_next_quarter(last),
        *_by_month(last),
        *_table(values, last),
    ]
    names = [
        Name("ForecastAsOf", FORECAST, "$B$4", "The date the opportunities run to."),
        Name("ForecastLanding", FORECAST, "$B$16", "Closed + open by probability + planned."),
        Name("ForecastGap", FORECAST, "$B$18", "The goal less the landing, 0 if reached."),
        Name("PipelinePacing", FORECAST, "$B$36", "Next quarter's pipeline against the need."),
        Name("ChanceOfGoal", FORECAST, "$B$24", "kpi-planner's chance of reaching the goal."),
        Name("ForecastCategoryWeights", FORECAST, CATEGORIES, "Each category's weight."),
    ]
    header = FIRST_DEAL_ROW - 1
    # The forecast on its pages, the opportunities on theirs, their header on each.
    sheet = Sheet(FORECAST, tuple(cells), column_widths=_widths(), charts=_charts(),
                  validations=_validations(last), landscape=True,
                  print_area=f"A1:N{header - 1},A{header}:N{last}",
                  print_title_rows=f"{header}:{header}")  # fmt: skip
    return sheet, names


def _inputs(values: ForecastSheetInputs) -> list[Cell]:
    start = f"DATE({fiscal_labels.calendar_year('PlanYear', 0)},{fiscal_labels.START},1)"
    return [
        Cell("A4", "As of", "label"),
        Cell("B4", values.as_of, "input", DATE),
        Cell("A5", "Coverage to start a quarter with", "label"),
        Cell("B5", values.coverage, "input", RATIO),
        # kpi-planner's values: the plan's opportunities still to create, closing by the
        # close-rate curve; and the share of a day-one pipeline built by this day.
        Cell("A6", "To create, expected (kpi-planner's)", "label"),
        Cell("B6", values.planned_future, "input", MONEY, money=True),
        Cell("A7", "Typical share built by now (kpi-planner's)", "label"),
        Cell("B7", values.share_by_now, "input", PERCENT),
        Cell("A8", "Year starts", "label"),
        Cell("B8", f"={start}", "formula", DATE),
        Cell("A9", "Year ends", "label"),
        Cell("B9", "=EDATE(B8,12)-1", "formula", DATE),
    ]


def _categories(values: ForecastSheetInputs) -> list[Cell]:
    cells = [Cell("D3", "Forecast category", "header"), Cell("E3", "Weight", "header")]
    weights = list(values.category_weights.items())
    for k, row in enumerate(CATEGORY_ROWS):
        name, weight = weights[k] if k < len(weights) else (None, None)
        cells += [Cell(f"D{row}", None if name is None else name.capitalize(), "input"),
                  Cell(f"E{row}", weight, "input", PERCENT)]  # fmt: skip
    return cells


def _landing(last: int, values: ForecastSheetInputs) -> list[Cell]:
    def col(c: str) -> str:
        return f"${c}${FIRST_DEAL_ROW}:${c}${last}"

    rows = [
        ("Where the year lands", None, "header", None),
        ("Goal", "=RevenueGoal", "formula", MONEY),
        ("Closed to date", f"=SUM({col('N')})",
         "formula", MONEY),
        ("Open, expected by probability", f"=SUM({col('J')})", "formula", MONEY),
        ("Open, expected by category", f"=SUM({col('L')})", "formula", MONEY),
        ("Landing, by probability", "=B13+B14+B6", "output", MONEY),
        ("Landing, by category", "=B13+B15+B6", "output", MONEY),
        ("Gap to goal, by probability", "=MAX(B12-B16,0)", "output", MONEY),
        ("Gap to goal, by category", "=MAX(B12-B17,0)", "output", MONEY),
        (f"Range, {values.method} (kpi-planner's)", None, "header", None),
        ("P10 (90 % of outcomes reach it)", values.p10, "input", MONEY),
        ("P50", values.p50, "input", MONEY),
        ("P90", values.p90, "input", MONEY),
        ("Chance of the goal", values.chance_of_goal, "input", PERCENT),
    ]  # fmt: skip
    goal = [Cell("C20", "Goal", "header")]  # beside the range, for its chart
    goal += [Cell(f"C{row}", "=$B$12", "formula", MONEY, money=True) for row in (21, 22, 23)]
    return _rows(11, rows) + goal


def _next_quarter(last: int) -> list[Cell]:
    target = ("=IF(B27<4,INDEX(RequiredQuarterly,ROWS(RequiredQuarterly),B27+1),"
              "INDEX(RequiredQuarterly,ROWS(RequiredQuarterly),1)*(1+NextYearGrowth))"
              "*DealSize")  # fmt: skip
    rows = [
        ("Next quarter", None, "header", None),
        ("This quarter of the year (1-4)", "=INT((12*(YEAR(B4)-YEAR(B8))+MONTH(B4)-MONTH(B8))/3)+1",
         "formula", "0"),
        ("Next quarter starts", "=EDATE(B8,3*B27)", "formula", DATE),
        ("Next quarter ends", "=EDATE(B28,3)-1", "formula", DATE),
        ("Its target (the plan's customers x deal size)", target, "formula", MONEY),
        ("Day-one pipeline target", "=B30*B5", "formula", MONEY),
        ("In hand: open, closing next quarter", f"=SUM($M${FIRST_DEAL_ROW}:$M${last})",
         "formula", MONEY),
        ("Coverage in hand", "=IF(B30>0,B32/B30,NA())", "formula", RATIO),
        ("Day of this quarter", "=B4-EDATE(B8,3*(B27-1))+1", "formula", "0"),
        ("Needed by now", "=B31*B7", "formula", MONEY),
        ("Pacing", "=IF(B35>0,B32/B35,NA())", "output", PERCENT),
    ]  # fmt: skip
    return _rows(26, rows)


#: The months' block: labels, first days, closed, expected, so far, the plan, so far.
MONTH_ROWS = range(38, 45)


def _by_month(last: int) -> list[Cell]:
    """Month by month: won, open expected by close month (by probability), both so far, and
    the plan's revenue (customers x deal size) so far: the chart's two lines."""
    labels, starts, won, expected, so_far, plan, plan_so_far = MONTH_ROWS
    # Won to date (column N: #N/A for a refused row, which the months' sums then show).
    amounts, wins = f"$N${FIRST_DEAL_ROW}:$N${last}", f"$G${FIRST_DEAL_ROW}:$G${last}"
    weighted, closes = f"$J${FIRST_DEAL_ROW}:$J${last}", f"$D${FIRST_DEAL_ROW}:$D${last}"
    cells = [Cell(f"A{labels}", "By month", "header"), Cell(f"B{labels}", None, "header")]
    texts = ("Month starts", "Won in the month", "Open, expected by close month",
             "Won + expected, so far", "Plan: customers x deal size", "Plan, so far")  # fmt: skip
    cells += [Cell(f"A{row}", text, "label") for row, text in zip(MONTH_ROWS[1:], texts,
                                                                   strict=True)]  # fmt: skip
    for m, c in enumerate(MONTH_COLUMNS):
        month = f"{c}{starts}"
        cells += [
            Cell(f"{c}{labels}", f"=INDEX(MonthLabels,1,{m + 1})", "header"),
            Cell(month, f"=EDATE($B$8,{m})", "formula", "mmm yyyy"),
            Cell(f"{c}{won}", f'=SUMIFS({amounts},{wins},">="&{month},{wins},"<"&EDATE({month},1),'
                 f'{wins},"<="&$B$4)', "formula", MONEY, money=True),
            Cell(f"{c}{expected}", f'=SUMIFS({weighted},{closes},">="&{month},{closes},"<"&'
                 f"EDATE({month},1))", "formula", MONEY, money=True),
            Cell(f"{c}{so_far}", f"=SUM($C${won}:{c}{expected})", "output", MONEY, money=True),
            Cell(f"{c}{plan}", f"=INDEX(RequiredMonthly,ROWS(RequiredMonthly),{m + 1})*DealSize",
                 "formula", MONEY, money=True),
            Cell(f"{c}{plan_so_far}", f"=SUM($C${plan}:{c}{plan})", "output", MONEY, money=True),
        ]  # fmt: skip
    return cells


def _charts() -> tuple[BarChart, ...]:
    """The range against the goal, and the year month by month against the plan."""
    so_far, plan_so_far = MONTH_ROWS[4], MONTH_ROWS[6]
    months = f"$C${MONTH_ROWS[0]}:$N${MONTH_ROWS[0]}"
    return (
        BarChart("Where the year lands: P10, P50, P90 against the goal", "$A$21:$A$23",
                 "$B$21:$B$23", "G3", "Landing", more_series=(("$C$21:$C$23", "Goal"),),
                 width_cm=14, height_cm=7, columns=True),
        BarChart("Won + expected so far, against the plan", months,
                 f"$C${so_far}:$N${so_far}", "D17", "Won + expected",
                 more_series=((f"$C${plan_so_far}:$N${plan_so_far}", "Plan"),), width_cm=18,
                 height_cm=7, columns=True),
    )  # fmt: skip


def _rows(first: int, rows: list[tuple]) -> list[Cell]:
    cells = []
    for row, (label, value, role, number_format) in enumerate(rows, start=first):
        cells.append(Cell(f"A{row}", label, "header" if role == "header" else "label"))
        if value is not None:
            money = number_format == MONEY
            cells.append(Cell(f"B{row}", value, role, number_format, money=money))
    return cells


def _table(values: ForecastSheetInputs, last: int) -> list[Cell]:
    header = FIRST_DEAL_ROW - 1
    cells = [Cell(f"{chr(65 + k)}{header}", text, "header") for k, text in enumerate(HEADERS)]
    deals = list(values.opportunities) or [None]
    for row, deal in enumerate(deals, start=FIRST_DEAL_ROW):
        typed = _typed(deal)
        formats = (None, MONEY, DATE, DATE, PERCENT, None, DATE, DATE)
        cells += [Cell(f"{chr(65 + k)}{row}", value, "input", fmt, money=k == 1)
                  for k, (value, fmt) in enumerate(zip(typed, formats, strict=True))]  # fmt: skip
        cells += _row_formulas(row)
    return cells


def _typed(deal: Opportunity | None) -> tuple:
    if deal is None:
        return (None,) * 8
    return (deal.name or deal.row, deal.amount, deal.created, deal.close, deal.probability,
            deal.category, deal.won, deal.lost)  # fmt: skip


def _row_formulas(r: int) -> list[Cell]:
    """A deal's calculated columns: open and closing in the year (as ``kpi-planner
    forecast`` counts it), weighted two ways, its amount if it closes next quarter, and its
    amount if it was won this year to date. A row the command refuses (see
    :func:`_refused`) is #N/A in them, and so are the totals; an empty row counts nothing."""
    still_open = f'C{r}<=$B$4,OR(G{r}="",G{r}>$B$4),OR(H{r}="",H{r}>$B$4)'
    empty, refused = f"COUNTA(A{r}:H{r})=0", _refused(r)
    category = f'TRIM(SUBSTITUTE(F{r},"_"," "))'  # Best_Case, best  case: Best case
    return [
        Cell(f"I{r}", f"=IF({empty},FALSE,IF({refused},NA(),"
             f'AND({still_open},OR(D{r}="",D{r}<=$B$9))))', "formula"),
        Cell(f"J{r}", f'=IF(I{r},IF(OR(E{r}="",E{r}<0,E{r}>1),NA(),B{r}*E{r}),0)', "formula",
             MONEY, money=True),
        Cell(f"K{r}", f'=IF(I{r},VLOOKUP({category},{CATEGORIES},2,FALSE),"")', "formula",
             PERCENT),
        Cell(f"L{r}", f"=IF(I{r},B{r}*K{r},0)", "formula", MONEY, money=True),
        Cell(f"M{r}", f"=IF({empty},0,IF({refused},NA(),IF(AND({still_open},D{r}<>\"\","
             f"D{r}>=$B$28,D{r}<=$B$29),B{r},0)))", "formula", MONEY, money=True),
        Cell(f"N{r}", f"=IF({empty},0,IF({refused},NA(),IF(AND(G{r}<>\"\",G{r}>=$B$8,"
             f"G{r}<=$B$4),B{r},0)))", "formula", MONEY, money=True),
    ]  # fmt: skip


def _refused(r: int) -> str:
    """A row the forecast command refuses: no amount or one that is no number, closing, won
    or lost before it was created, or both won and lost."""
    return f'OR(B{r}="",NOT(ISNUMBER(B{r})),{_contradiction(r)})'


def _contradiction(r: int) -> str:
    """A row ``kpi-planner forecast`` refuses: closing, won or lost before it was created,
    or both won and lost. The sheet shows #N/A for it, and so do the totals, rather than
    count it."""
    before = [f'AND({c}{r}<>"",{c}{r}<C{r})' for c in "DGH"]
    return f'OR({",".join(before)},AND(G{r}<>"",H{r}<>""))'


def _widths() -> dict[str, float]:
    """Narrow enough to print one page wide at a readable size (headers wrap)."""
    widths = {"A": 34, "B": 14, "C": 12, "D": 14, "E": 12, "F": 16, "G": 12, "H": 12}
    return widths | {c: 12 for c in "IJKLMN"}


def _validations(last: int) -> tuple[Validation, ...]:
    deals = f"{FIRST_DEAL_ROW}:"
    return (
        Validation(f"B{deals}B{last}", "decimal", "greaterThanOrEqual", "0",
                   error="An amount, 0 or more."),
        Validation(f"E{deals}E{last} E4:E11", "decimal", "between", "0", "1",
                   error="A probability or weight: 0 to 100 %."),
        Validation("B5", "decimal", "greaterThan", "0", error="A coverage above 0: 3 for 3x."),
    )  # fmt: skip
