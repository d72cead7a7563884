"""The "KPI catalog" sheet: what each KPI means, its formula and what computes it."""

from __future__ import annotations

from kpi_planner.workbook.a1 import column_letter
from kpi_planner.workbook.spec import Cell, Sheet

CATALOG = "KPI catalog"

#: (stage of the inbound method, KPI, definition, formula, where it is computed)
KPI_CATALOG: tuple[tuple[str, str, str, str, str], ...] = (
    ("Plan", "Customers needed", "Customers to win to reach the revenue goal",
     "revenue goal / deal size", "customers_needed; Plan!CustomersNeeded"),
    ("Plan", "Required volume per stage", "What each stage must reach, walking up the funnel",
     "stage below / conversion rate", "reverse_funnel, phase_funnel; Plan!RequiredAnnual"),
    ("Attract", "Website visits", "Sessions on the website in the period", "count",
     "reverse_funnel (top stage)"),
    ("Attract", "Visit-to-lead rate", "Share of visits that become leads", "leads / visits",
     "conversion_rate"),
    ("Attract", "Cost per lead (CPL)", "Spend per new lead", "spend / leads",
     "cost_per, cost_per_stage; Plan!CostPerStage"),
    ("Attract", "Social reach, inbound links", "Audience and authority that bring traffic",
     "counts from your tools", "tracked as inputs"),
    ("Convert", "Lead-to-MQL rate", "Share of leads that meet marketing's qualification",
     "MQL / leads", "conversion_rate"),
    ("Convert", "MQL-to-SQL rate", "Share of MQL that sales accepts (a benchmark is an input)",
     "SQL / MQL", "conversion_rate"),
    ("Convert", "Cost per MQL / SQL", "Spend per qualified lead", "spend / MQL (or SQL)",
     "cost_per_stage; Plan!CostPerStage"),
    ("Close", "Opportunity-to-customer rate", "Share of opportunities won",
     "customers / opportunities", "conversion_rate"),
    ("Close", "Customer acquisition cost (CAC)", "Spend to win one new customer",
     "(marketing + sales spend) / new customers", "cac, paid_cac; Plan!PlannedCAC"),
    ("Close", "Stage velocity, time to close", "Days a lead spends in each stage",
     "mean of (next stage date - stage date)", "stage_velocity, sales_cycle_lag"),
    ("Delight", "Customer lifetime value (CLV)", "Gross margin a customer brings while they stay",
     "m (1 + d) / (c + d), m = revenue x margin", "clv, clv_purchase; Plan!CustomerLifetimeValue"),
    ("Delight", "LTV:CAC", "Lifetime value per unit of acquisition cost; 3 is healthy",
     "CLV / CAC", "ltv_to_cac; Plan!LTVtoCAC"),
    ("Delight", "CAC payback", "Periods of margin to earn back CAC",
     "CAC / (revenue per period x margin)", "cac_payback_periods"),
    ("Delight", "Net Promoter Score (NPS)", "Promoters (9-10) minus detractors (0-6), in points",
     "100 x (promoters - detractors) / answers", "nps, nps_from_counts"),
    ("Delight", "Email rates", "Delivery, open, click-through, unsubscribe",
     "delivered / sent; opens, clicks, unsubscribes / delivered", "email_rates"),
    ("Plan", "Return on investment (ROI)", "Gross profit returned per unit of marketing spend",
     "(revenue x margin - investment - other costs) / investment",
     "roi, roi_from_clv; Plan!ProjectedROI, Plan!LifetimeROI"),
)  # fmt: skip


def catalog_sheet() -> Sheet:
    """The "KPI catalog": what each KPI means, its formula and what computes it."""
    headers = ("Stage", "KPI", "Definition", "Formula", "Computed by (kpi_engine; workbook)")
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
