"""How ``kpi-planner plan --segments`` shows a company's plan: the goal's bridge, each
segment's goal, customers, budget and CAC, and the volumes by stage, per segment and rolled up
(by year, quarter or month); a table to read, CSV or JSON."""

from __future__ import annotations

import math
import sys

from kpi_planner.cli.app import OutputFormat, show
from kpi_planner.cli.company import amount, bridge_line
from kpi_planner.files.csv_text import CsvWriter
from kpi_planner.files.json_text import json_text
from kpi_planner.reports.text_tables import readable

_PERIOD_LABELS = {"quarterly": ["Q1", "Q2", "Q3", "Q4"],
                  "monthly": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
                              "Oct", "Nov", "Dec"]}  # fmt: skip


def period_labels(plan, period: str) -> list[str]:
    """The periods' labels: Q1..Q4 and Jan..Dec for a calendar year, as today; a fiscal
    year's as finance writes them (``Q1 FY2028``, ``Apr 2027``)."""
    from kpi_engine import fiscal

    one = plan.segments[0].segment.plan  # a company has one fiscal year (company_plan checks)
    if one.fiscal_year_start == 1:
        return _PERIOD_LABELS[period]
    if period == "quarterly":
        return fiscal.quarter_labels(one.plan_year, one.fiscal_year_start)
    return fiscal.month_labels(one.plan_year, one.fiscal_year_start, one.fiscal_year_named_by)


def print_company(plan, output: OutputFormat, period: str) -> None:
    """Print ``plan`` (a :class:`~kpi_planner.company.plan.CompanyPlan`)."""
    if output is OutputFormat.json:
        sys.stdout.write(json_text(company_document(plan)))
    elif output is OutputFormat.csv:
        _print_csv(plan, period)
    else:
        _print_tables(plan, period)


def company_document(plan) -> dict[str, object]:
    """The company's plan as JSON: the goal, each segment, the roll-up and what does not match."""
    bridge = plan.bridge
    return {
        "currency": plan.segments[0].segment.plan.currency or None,
        "revenue_goal": plan.revenue_goal,
        "expansion": plan.expansion,
        "new_logo_goal": plan.new_logo_goal,
        "arr_bridge": None if bridge is None else vars(bridge),
        "segments": [_segment_document(s) for s in plan.segments],
        "company": {
            "stages": list(plan.stages),
            "annual": plan.annual,
            "quarterly": {stage: list(v) for stage, v in plan.quarterly.items()},
            "monthly": {stage: list(v) for stage, v in plan.monthly.items()},
            "customers": plan.customers,
            "budget": plan.budget,
            "budget_needed": plan.budget_needed,
            "cac": plan.cac,
            "cost_per_stage": plan.cost_per_stage(),
            "not_in_every_segment": {stage: list(s) for stage, s in plan.missing.items()},
        },
    }


def _segment_document(segment) -> dict[str, object]:
    outputs = segment.outputs
    return {
        "segment": segment.segment.name,
        "kind": segment.segment.kind,
        "share": segment.segment.share,
        "goal": segment.goal,
        "deal_size": segment.segment.plan.deal_size,
        "customers": segment.customers,
        "budget": segment.budget,
        "budget_needed": segment.budget_needed,
        "cac": outputs.planned_cac,
        "stages": list(segment.stages),
        "annual": dict(zip(segment.stages, outputs.required_annual.tolist(), strict=True)),
        "quarterly": dict(zip(segment.stages, outputs.required_quarterly.tolist(), strict=True)),
        "monthly": dict(zip(segment.stages, outputs.required_monthly.tolist(), strict=True)),
    }


def _volume_rows(plan, period: str) -> tuple[list[str], list[list[object]]]:
    """The volumes table: by year, a column per segment and the company's; by quarter or
    month, the company's periods."""
    if period == "annual":
        header = ["stage", *(s.segment.name for s in plan.segments), "Company"]
        rows = []
        for stage in plan.stages:
            by_segment = [dict(zip(s.stages, s.outputs.required_annual.tolist(), strict=True))
                          for s in plan.segments]  # fmt: skip
            rows.append([stage, *(v.get(stage) for v in by_segment), plan.annual[stage]])
        return header, rows
    values = plan.quarterly if period == "quarterly" else plan.monthly
    header = ["stage", *period_labels(plan, period), "Year"]
    rows = [[stage, *values[stage].tolist(), plan.annual[stage]] for stage in plan.stages]
    return header, rows


def _print_csv(plan, period: str) -> None:
    writer = CsvWriter(sys.stdout, number_format=".15g")
    header, rows = _volume_rows(plan, period)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)


def _print_tables(plan, period: str) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    code = plan.segments[0].segment.plan.currency  # one currency a company
    console.print(Text(bridge_line(plan)), soft_wrap=True)
    segments = Table(title="Segments", title_justify="left")
    # Seven columns fit 80 characters; the deal sizes are in --format json.
    for heading in ("Segment", "Kind", "Share", "Goal", "Customers", "Budget", "CAC"):
        segments.add_column(heading, justify="left" if heading in ("Segment", "Kind") else "right")
    for s in plan.segments:
        share = "" if s.segment.share is None else f"{s.segment.share * 100:.4g} %"
        segments.add_row(Text(s.segment.name), Text(s.segment.kind or ""), share,
                         amount(s.goal, code), show(s.customers), amount(s.budget, code),
                         _money(s.outputs.planned_cac, code))  # fmt: skip
    segments.add_row("Company", "", "", amount(plan.new_logo_goal, code), show(plan.customers),
                     amount(plan.budget, code), _money(plan.cac, code), style="bold")  # fmt: skip
    console.print(readable(segments))
    needed = [(s.segment.name, s.budget_needed) for s in plan.segments if s.budget_needed]
    if needed:
        shown = ", ".join(f"{name} {amount(value, code)}" for name, value in needed)
        total = ("" if plan.budget_needed is None
                 else f"; the company {amount(plan.budget_needed, code)}")  # fmt: skip
        console.print(Text(f"Budget the goal needs with the channels: {shown}{total}."),
                      soft_wrap=True)  # fmt: skip
    header, rows = _volume_rows(plan, period)
    title = {"annual": "Volumes for the year", "quarterly": "The company's volumes by quarter",
             "monthly": "The company's volumes by month"}[period]  # fmt: skip
    volumes = Table(title=title, title_justify="left")
    for position, heading in enumerate(header):
        volumes.add_column(Text("Stage" if position == 0 else heading),
                           justify="left" if position == 0 else "right")  # fmt: skip
    for row in rows:
        volumes.add_row(Text(row[0]), *("-" if v is None else show(v) for v in row[1:]))
    console.print(readable(volumes))
    if plan.missing:
        lacking = "; ".join(f"{stage} (not in {', '.join(names)})"
                            for stage, names in plan.missing.items())  # fmt: skip
        console.print(Text("Not in every segment, so added over the segments that have them: "
                           f"{lacking}."), soft_wrap=True)  # fmt: skip


def _money(value: float, code: str = "") -> str:
    return "-" if not math.isfinite(value) else amount(value, code)
