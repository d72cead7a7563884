"""``kpi-planner forecast OPPORTUNITIES --as-of DATE``: where the plan year lands.

Reads the opportunities as a CRM exports them (:mod:`kpi_planner.inputs.opportunities`),
weighs the open ones three ways, adds the deals the plan's opportunities still to be
created are expected to bring, and prints the landing, its range, the gap to the goal and
what closes it, and next quarter's pipeline pacing (:mod:`kpi_planner.forecast`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from kpi_planner.cli import plan_options
from kpi_planner.cli.app import app, check_not_an_input, fail, write_json_option
from kpi_planner.inputs.defaults import FIRST_PLAN_YEAR, LAST_PLAN_YEAR
from kpi_planner.inputs.plan_fields import option_help

#: The range's seed and the coverage a quarter starts with, unless the options say otherwise.
DEFAULT_SEED = 2026
DEFAULT_COVERAGE = 3.0


def _column(role: str, default: str) -> Any:
    return Annotated[
        str | None,
        typer.Option(
            f"--{role}-column",
            help=f"The column of the {default} (default: found by the names CRMs export).",
            rich_help_panel="Columns",
        ),
    ]


@app.command()
def forecast(
    opportunities: Annotated[
        Path,
        typer.Argument(
            help="Opportunities: .csv, .xlsx or .parquet, one row each: amount, "
            "created date, close date, probability or forecast category, won or "
            "lost date once closed.",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ],
    as_of: Annotated[str, typer.Option(help="The date the data runs to (YYYY-MM-DD).")],
    revenue_goal: plan_options.RevenueGoal = None,
    deal_size: plan_options.DealSize = None,
    rates: plan_options.Rates = None,
    stages: plan_options.Stages = None,
    budget: plan_options.Budget = None,
    weights: Annotated[str | None, typer.Option(help=option_help("seasonality"))] = None,
    growth: plan_options.Growth = None,
    plan_year: Annotated[
        int | None,
        typer.Option(
            help=option_help("plan_year", "Default: the year --as-of falls in."),
            min=FIRST_PLAN_YEAR,
            max=LAST_PLAN_YEAR,
        ),
    ] = None,
    fiscal_year_start: plan_options.FiscalYearStart = None,
    fiscal_year_named_by: plan_options.FiscalYearNamedBy = None,
    currency: plan_options.Currency = None,
    coverage: Annotated[
        float,
        typer.Option(help="Pipeline coverage next quarter should start with: 3 = 3x.", min=0.01),
    ] = 3.0,
    category_weights: Annotated[
        str | None,
        typer.Option(
            help="Forecast categories' weights, replacing the defaults: \"closed=100%,"
            'commit=90%,best case=50%,pipeline=20%,omitted=0" (the default).'
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="The range's seed, when it is simulated.")] = 2026,
    amount_column: _column("amount", "amount") = None,
    created_column: _column("created", "created date") = None,
    close_column: _column("close", "expected close date") = None,
    probability_column: _column("probability", "stage probability") = None,
    category_column: _column("category", "forecast category") = None,
    won_column: _column("won", "won date") = None,
    lost_column: _column("lost", "lost date") = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the forecast to this JSON file.")
    ] = None,
) -> None:
    """Where the plan year will land: closed to date, the open opportunities weighted by
    stage probability, forecast category and the close-rate curve at their age, and the
    deals the plan's opportunities still to be created should bring; the landing's range
    (P10, P50, P90, the chance of the goal), the gap and what closes it, and next quarter's
    pipeline against its day-one target.

    The plan is the options' (the worked example's where not given), in its fiscal year.
    Every bad cell is one line naming its row and column, and nothing is written.

    [bold]Examples[/bold]

      kpi-planner forecast examples/forecast-opportunities.csv --as-of 2027-06-30 \\
          --revenue-goal 2000000 --deal-size 50000 --budget 400000

      kpi-planner forecast deals.xlsx --as-of 2027-06-30 --close-column "Expected close"
    """
    from kpi_engine import KPIInputError
    from kpi_planner.cli.forecast_printing import forecast_record, print_forecast
    from kpi_planner.cli.plan_values import fiscal_option_values, plan_option_values
    from kpi_planner.plan import one_plan

    check_not_an_input("--json", json_out, opportunities)
    day = read_as_of(as_of)
    chosen = {"amount": amount_column, "created": created_column, "close": close_column,
              "probability": probability_column, "category": category_column,
              "won": won_column, "lost": lost_column}  # fmt: skip
    try:
        values = plan_option_values(
            revenue_goal=revenue_goal, deal_size=deal_size, budget=budget, gross_margin=None,
            churn_rate=None, discount_rate=None, plan_year=plan_year, whole_numbers=None,
            rates=rates, stages=stages, weights=weights, lags=None, growth=growth,
            currency=currency,
        ) | fiscal_option_values(fiscal_year_start, fiscal_year_named_by)  # fmt: skip
        inputs = one_plan.PlanInputs().replace(**values)
        if plan_year is None:
            inputs = inputs.replace(plan_year=_year_of(day, inputs))
        one_plan.check_shapes(inputs, own_stages="stages" in values, own_rates="rates" in values)
    except KPIInputError as err:
        raise fail(err) from None
    run = compute(opportunities, day, inputs, chosen, read_weights(category_weights), seed,
                  coverage)  # fmt: skip
    found, gap, pacing, window = run.landing, run.gap, run.pacing, run.window
    print_forecast(found, gap, pacing, inputs, window)
    if json_out is not None:
        write_json_option(json_out, forecast_record(found, gap, pacing, inputs, window))


@dataclass(frozen=True)
class ForecastRun:
    """One forecast: the opportunities read, the landing, the gap plan and the pacing."""

    deals: list
    landing: object
    gap: object
    pacing: object
    window: object


def compute(
    path: Path, day: dt.date, inputs, chosen: dict, weights: dict | None, seed: int,
    coverage: float,
) -> ForecastRun:  # fmt: skip
    """The forecast of the table at ``path`` for the plan ``inputs``; exit 2 naming the
    table's row and column, or the option, for what is wrong."""
    from kpi_engine import KPIInputError
    from kpi_planner.forecast import landing as landing_module
    from kpi_planner.forecast import next_steps
    from kpi_planner.inputs import opportunities as table
    from kpi_planner.inputs.tables import TableError
    from kpi_planner.plan import one_plan

    try:
        outputs = one_plan.plan_outputs(inputs)
        window = landing_module.year_window(inputs, day)
        deals = table.read_opportunities(path, chosen)
        found = landing_module.forecast(deals, inputs, outputs, window, weights, seed)
        gap = next_steps.close_the_gap(found, inputs, outputs, window)
        pacing = next_steps.next_quarter(deals, inputs, outputs, window, coverage)
    except (KPIInputError, TableError, table.OpportunityTableError, ValueError) as err:
        raise fail(f"{path.name}: {err}" if _is_table(err) else err) from None
    return ForecastRun(deals, found, gap, pacing, window)


def sheet_values(run: ForecastRun, weights: dict | None, coverage: float):
    """What the workbook's Forecast sheet shows besides its formulas, for ``run``."""
    from kpi_engine import DEFAULT_CATEGORY_WEIGHTS
    from kpi_planner.workbook.sheets.forecast import ForecastSheetInputs

    spread = run.landing.range
    return ForecastSheetInputs(
        run.deals, run.window.as_of, coverage, run.landing.planned_future,
        run.pacing.share_by_now, dict(weights or DEFAULT_CATEGORY_WEIGHTS), spread.p10,
        spread.p50, spread.p90, spread.chance_of_goal, spread.method,
    )  # fmt: skip


def forecast_sheet_values(path: Path | None, as_of: str | None, inputs, out: Path):
    """``build``'s Forecast sheet: its values for ``--opportunities`` as ``forecast`` computes
    them with its defaults (None without the option)."""
    if path is None:
        if as_of is not None:
            raise fail("--as-of: dates the opportunities of the Forecast sheet: give "
                       "--opportunities too")  # fmt: skip
        return None
    if as_of is None:
        raise fail("--opportunities: give --as-of too, the date they run to")
    check_not_an_input("--out", out, path)
    run = compute(path, read_as_of(as_of), inputs, {}, None, DEFAULT_SEED, DEFAULT_COVERAGE)
    return sheet_values(run, None, DEFAULT_COVERAGE)


def read_as_of(text: str) -> dt.date:
    """``--as-of`` as a date, or exit 2."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise fail(f"--as-of {text}: is not a date: write it as YYYY-MM-DD") from None


def _year_of(day: dt.date, inputs) -> int:
    """The plan year (its name) ``day`` falls in, in the plan's fiscal calendar."""
    from kpi_engine import fiscal

    return fiscal.fiscal_month_of(day, inputs.fiscal_year_start, inputs.fiscal_year_named_by)[0]


def read_weights(text: str | None) -> dict[str, float] | None:
    """``commit=90%,best case=50%`` as {category: weight}; None for the defaults."""
    from kpi_planner.inputs.typed_values import CellError, parse_number

    if text is None:
        return None
    weights = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        try:
            weights[name.strip()] = parse_number(value.strip(), fraction=True)
        except CellError as err:
            raise fail(f"--category-weights {part.strip()}: {err}") from None
        if not name.strip():
            raise fail(f"--category-weights {part.strip()}: name the category: commit=90%")
    return weights


def _is_table(err: Exception) -> bool:
    from kpi_planner.inputs.opportunities import OpportunityTableError

    return isinstance(err, OpportunityTableError) or str(err).startswith("row ")
