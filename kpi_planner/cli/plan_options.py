"""The options ``kpi-planner plan`` and ``build`` share: the plan's inputs, their help
from the table of the plan's inputs (:mod:`kpi_planner.inputs.plan_fields`), and the
channels and scenarios; declared once, apart, so the commands stay short. Typer and the
table only here, so the command line starts without the engine."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kpi_planner.inputs.plan_fields import option_help

_EXAMPLE = "Default: the worked example's"

RevenueGoal = Annotated[
    str | None, typer.Option(help=option_help("revenue_goal"), metavar="AMOUNT")
]
DealSize = Annotated[str | None, typer.Option(help=option_help("deal_size"), metavar="AMOUNT")]
Budget = Annotated[str | None, typer.Option(help=option_help("marketing_budget"), metavar="AMOUNT")]
Rates = Annotated[
    str | None, typer.Option(help=option_help("rates", f"{_EXAMPLE} 1.5%,20%,20%,40%,50%."))
]
Stages = Annotated[str | None, typer.Option(help=option_help("stages", "One more than the rates."))]
Lags = Annotated[
    str | None,
    typer.Option(
        help=option_help(
            "lag_days",
            "One per pair of stages (e.g. 0,10,20,15,45): "
            "adds the timeline, each stage in the period it must "
            "arrive.",
        )
    ),
]
Growth = Annotated[str | None, typer.Option(help=option_help("growth"))]
Currency = Annotated[str | None, typer.Option(help=option_help("currency"), metavar="CODE")]

Channels = Annotated[
    Path | None,
    typer.Option(
        help="Channels table (.csv, .xlsx, .parquet or .yaml): channel, share, cost per "
        "lead, and optionally max share, max volume and its own rates (a column per "
        "step, e.g. 'Leads -> MQL'). Prints each channel's volumes, budget and CAC, and "
        "the budget the goal needs (against --budget).",
        dir_okay=False,
    ),
]
Entry = Annotated[
    str | None,
    typer.Option(help="The stage the channels bring and are paid for (default Leads)."),
]
Optimise = Annotated[
    bool,
    typer.Option(
        help="With --channels: the cheapest mix within each channel's max share "
        "and max volume (a linear program), and the limits that bind."
    ),
]
WhatIf = Annotated[
    bool,
    typer.Option(
        help="With --channels: rank the inputs (rates, deal size, each channel's "
        "cost) by the budget a --step improvement saves."
    ),
]
Step = Annotated[str, typer.Option(help="The what-if step: 10% better, or -10% for worse.")]
Scenario = Annotated[
    Path | None,
    typer.Option(
        help="Scenarios table (.csv, .xlsx or .parquet): a 'scenario' column naming each "
        "(best, worst...) and a column per input it changes (revenue goal, deal size, "
        "customers, budget, a rate by its step such as 'MQL -> SQL', with --channels a "
        "channel's share or cost per lead); shows them side by side with the base plan.",
        dir_okay=False,
    ),
]

Segments = Annotated[
    Path | None,
    typer.Option(
        help="Segments table (.csv, .xlsx, .parquet or .yaml): one row per segment (region, "
        "product, size or source) with a Segment column, optionally Kind and Share (of the "
        "company's new-logo goal), and any plan input as fill takes it (RevenueGoal, DealSize, "
        "MarketingBudget, StageNames1.., StageRates1..); an empty cell takes the company "
        "plan's (the options). Prints each segment's plan and the company's, rolled up by "
        "stage name.",
        dir_okay=False,
    ),
]
StartingArr = Annotated[
    str | None,
    typer.Option(help="ARR at the start of the year, for the ARR bridge.", metavar="AMOUNT"),
]
NetRetention = Annotated[
    str | None,
    typer.Option(help="Net revenue retention, expansion included: 110% or 1.1.", metavar="RATE"),
]
GrossRetention = Annotated[
    str | None,
    typer.Option(help="Gross revenue retention, without expansion: 90% or 0.9.", metavar="RATE"),
]
TargetArr = Annotated[
    str | None,
    typer.Option(
        help="ARR the year must end with: new logos bring it less starting ARR x net "
        "retention (with --starting-arr, --net-retention, --gross-retention).",
        metavar="AMOUNT",
    ),
]
ExpansionGoal = Annotated[
    str | None,
    typer.Option(
        help="Revenue existing customers bring (upsell, cross-sell): taken out of the "
        "revenue goal, so the funnel plans new logos only.",
        metavar="AMOUNT",
    ),
]
Targets = Annotated[
    str | None,
    typer.Option(
        help="Targets that ramp: 4 quarterly or 12 monthly revenue targets, comma-separated "
        "(5000000,5250000,6000000,7500000); the goal is their sum and each period plans "
        "its own (instead of --revenue-goal and --weights).",
    ),
]
FiscalYearStart = Annotated[
    str | None,
    typer.Option(
        help=option_help(
            "fiscal_year_start",
            "Q1 is its first three months; --plan-year is the fiscal year's name (by "
            "--fiscal-year-named-by). Default 1: the calendar year.",
        ),
        metavar="MONTH",
    ),
]
FiscalYearNamedBy = Annotated[
    str | None, typer.Option(help=option_help("fiscal_year_named_by", "Default end."))
]
