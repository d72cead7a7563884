"""The "KPI catalog" sheet: what each KPI means, its formula, where the workbook shows it
and the add-in's Excel function that computes it."""

from __future__ import annotations

from kpi_planner.workbook.a1 import column_letter
from kpi_planner.workbook.spec import Cell, Sheet

CATALOG = "KPI catalog"

#: (stage of the inbound method, KPI, definition, formula, where this workbook shows it and
#: the add-in's Excel function that computes it)
KPI_CATALOG: tuple[tuple[str, str, str, str, str], ...] = (
    ("Plan", "Customers needed", "Customers to win to reach the revenue goal",
     "revenue goal / deal size", "Plan sheet, Key results; FUNNEL_REQUIRED"),
    ("Plan", "Required volume per stage", "What each stage must reach, walking up the funnel",
     "stage below / conversion rate", "Plan sheet, Required for the year; FUNNEL_REQUIRED"),
    ("Attract", "Website visits", "Sessions on the website in the period", "count",
     "Plan sheet, top stage; Actuals sheet"),
    ("Attract", "Visit-to-lead rate", "Share of visits that become leads", "leads / visits",
     "Diagnosis sheet, Actual rate; CONVERSION_RATE"),
    ("Attract", "Cost per lead (CPL)", "Spend per new lead", "spend / leads",
     "Plan sheet, Cost target per unit; COST_PER"),
    ("Attract", "Social reach, inbound links", "Audience and authority that bring traffic",
     "counts from your tools", "typed in (Goals sheet)"),
    ("Convert", "Lead-to-MQL rate", "Share of leads that meet marketing's qualification",
     "MQL / leads", "Diagnosis sheet, Actual rate; CONVERSION_RATE"),
    ("Convert", "MQL-to-SQL rate", "Share of MQL that sales accepts (a benchmark is an input)",
     "SQL / MQL", "Diagnosis sheet, Benchmark rate; CONVERSION_RATE"),
    ("Convert", "Cost per MQL / SQL", "Spend per qualified lead", "spend / MQL (or SQL)",
     "Plan sheet, Cost target per unit; COST_PER"),
    ("Close", "Opportunity-to-customer rate", "Share of opportunities won",
     "customers / opportunities", "Pipeline sheet, Won in all; CLOSE_RATE_CURVE"),
    ("Close", "Customer acquisition cost (CAC)", "Spend to win one new customer",
     "(marketing + sales spend) / new customers", "Plan sheet, Planned CAC; CAC"),
    ("Close", "Stage velocity, time to close", "Days a lead spends in each stage",
     "mean of (next stage date - stage date)", "Plan sheet, Days to next stage; TIMELINE"),
    ("Delight", "Customer lifetime value (CLV)", "Gross margin a customer brings while they stay",
     "m (1 + d) / (c + d), m = revenue x margin", "Plan sheet, Key results; CLV"),
    ("Delight", "LTV:CAC", "Lifetime value per unit of acquisition cost; 3 is healthy",
     "CLV / CAC", "Plan sheet, Key results; LTV_CAC"),
    ("Delight", "CAC payback", "Periods of margin to earn back CAC",
     "CAC / (revenue per period x margin)", "CAC_PAYBACK (add-in)"),
    ("Delight", "Net Promoter Score (NPS)", "Promoters (9-10) minus detractors (0-6), in points",
     "100 x (promoters - detractors) / answers", "NPS (add-in)"),
    ("Delight", "Email rates", "Delivery, open, click-through, unsubscribe",
     "delivered / sent; opens, clicks, unsubscribes / delivered", "CONVERSION_RATE (add-in)"),
    ("Plan", "Return on investment (ROI)", "Gross profit returned per unit of marketing spend",
     "(revenue x margin - investment - other costs) / investment",
     "Plan sheet, Projected and Lifetime ROI; ROI"),
)  # fmt: skip


def catalog_sheet() -> Sheet:
    """The "KPI catalog": what each KPI means, its formula, where this workbook shows it and
    the add-in's function."""
    headers = ("Stage", "KPI", "Definition", "Formula", "In this workbook; Excel function (add-in)")
    cells = [
        Cell("A1", "KPI catalog", "title"),
        Cell("A2", "Attract, convert, close, delight: the KPIs of each stage.", "note"),
    ]
    cells += [Cell(f"{column_letter(1 + i)}4", text, "header") for i, text in enumerate(headers)]
    for r, row in enumerate(KPI_CATALOG, start=5):
        cells += [Cell(f"{column_letter(1 + i)}{r}", text, "label") for i, text in enumerate(row)]
    widths = {"A": 10, "B": 30, "C": 52, "D": 56, "E": 48}
    return Sheet(CATALOG, tuple(cells), column_widths=widths, freeze="A5",
                 print_area=f"A1:E{4 + len(KPI_CATALOG)}")  # fmt: skip
