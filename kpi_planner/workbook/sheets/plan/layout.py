"""The Plan sheet, defined once: its grid, its live formulas and its defined names.

Every output cell is written twice, side by side: as a live Excel formula in
:func:`plan_sheet`, and as the :mod:`kpi_engine` call that computes it in
:func:`.plan_inputs.plan_outputs`. The tests evaluate the formulas with an independent
evaluator and compare them with the engine, so the two spellings cannot drift apart.
:mod:`.plan_book` puts the sheet in the whole workbook.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import kpi_engine
from kpi_engine.phasing import period_labels
from kpi_planner.inputs.defaults import FIRST_PLAN_YEAR, LAST_PLAN_YEAR
from kpi_planner.plan.one_plan import (  # noqa: F401 (also read as plan.PlanInputs, plan.scenario_row...)
    _INPUT_ROWS,
    MONEY,
    OUTPUT_NAMES,
    PERCENT,
    PLAN_INPUT_NAMES,
    RANGE_INPUT_NAMES,
    RATIO,
    SCALAR_INPUT_NAMES,
    UNIT_COST,
    VOLUME,
    PlanInputs,
    PlanOutputs,
    check_shapes,
    plan_outputs,
    scenario_row,
)
from kpi_planner.workbook.a1 import column_letter
from kpi_planner.workbook.sheets.catalog import CATALOG, KPI_CATALOG, catalog_sheet  # noqa: F401 (the plan's names)
from kpi_planner.workbook.sheets.number_formats import whole_number_formats
from kpi_planner.workbook.sheets.plan.timeline import COLUMNS as TIMELINE_COLUMNS
from kpi_planner.workbook.sheets.plan.timeline import (
    TimelineGrid,
    timeline_section,
    weights_so_far_cell,
)
from kpi_planner.workbook.sheets.rounding import (
    chained_due,
    customers_due,
    period_volume,
    round_up_if_whole,
)
from kpi_planner.workbook.spec import BarChart, Cell, Name, Sheet, Validation

PLAN = "Plan"


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


def _due(last: bool, rate_row: int, columns: Sequence[str], so_far: Callable[[int], str],
         row: int | None = None) -> Callable[[int, int], str]:  # fmt: skip
    """``due(period, month)``: a stage's whole volume due by the end of a period (its
    column's index, ending in ``month`` of the year): the customers' share of the year's
    whole customers, or what the periods of the row below (``row`` + 1; the funnel row
    ``rate_row`` + 1 when ``row`` is None) add up to by then, at the stage's rate."""
    below = (rate_row if row is None else row) + 1

    def due(period: int, month: int) -> str:
        if last:
            return customers_due(f"$C{rate_row}", so_far(month), so_far(11))
        return chained_due(f"SUM(${columns[0]}{below}:{columns[period]}{below})", f"$B${rate_row}")

    return due


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
            due = _due(last, row, QUARTER_COLUMNS, so_far)
            volume = period_volume(share, due(q, 3 * q + 2), due(q - 1, 3 * q - 1) if q else None)
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
            due = _due(i == n - 1, rate_row, MONTH_COLUMNS, so_far, row)
            volume = period_volume(share, due(m, m), due(m - 1, m - 1) if m else None)
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
    years = str(FIRST_PLAN_YEAR), str(LAST_PLAN_YEAR)
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
        Validation(f"B{grid.inputs_row}", "whole", "between", *years,
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
