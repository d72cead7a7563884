"""The Plan sheet, defined once: its grid, its live formulas and its defined names.

Every output cell is written twice: as a live Excel formula in :func:`plan_sheet`, and as
the :mod:`kpi_engine` call that computes it in :func:`kpi_planner.plan.one_plan.plan_outputs`
(this module lays out the inputs and the formulas; it computes no output). The tests
evaluate the formulas with an independent evaluator and compare them with the engine, so
the two spellings cannot drift apart. :mod:`kpi_planner.workbook.book` puts the sheet in the
whole workbook.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import kpi_engine
from kpi_planner.inputs.defaults import FIRST_PLAN_YEAR, LAST_PLAN_YEAR
from kpi_planner.inputs.plan_fields import BY_FIELD, SHEET_INPUTS, Kind
from kpi_planner.plan.one_plan import _INPUT_ROWS, PlanInputs, scenario_row
from kpi_planner.workbook.sheets.number_formats import (
    MONEY,
    PERCENT,
    RATIO,
    VOLUME,
    whole_number_formats,
)
from kpi_planner.workbook.sheets.plan import fiscal_labels
from kpi_planner.workbook.sheets.plan.grid import MONTH_COLUMNS, PLAN, Block, PlanGrid, plan_name
from kpi_planner.workbook.sheets.plan.timeline import timeline_section
from kpi_planner.workbook.sheets.plan.timeline_grid import COLUMNS as TIMELINE_COLUMNS
from kpi_planner.workbook.sheets.plan.timeline_grid import LEAD_IN, QUARTER_COLUMNS
from kpi_planner.workbook.sheets.plan.volumes import funnel_block, months_block
from kpi_planner.workbook.spec import BarChart, Cell, ConditionalFormat, Name, Sheet, Validation

# -- the Plan sheet ------------------------------------------------------------------------


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


@dataclass(frozen=True)
class _TypedInputs:
    """The sheet's input cells (:func:`input_cells`) with the plan's values in them."""

    values: dict[str, object]  # :func:`scenario_row`
    cells: dict[str, tuple[str, str | None]]  # :func:`input_cells`

    def __contains__(self, ref: str) -> bool:
        return ref in self.cells

    def cell(self, ref: str) -> Cell:
        """The input cell at ``ref``, holding its value."""
        column, number_format = self.cells[ref]
        money = column in BY_FIELD and BY_FIELD[column].kind is Kind.MONEY
        return Cell(ref, self.values[column], "input", number_format, money=money)


def plan_sheet(inputs: PlanInputs) -> tuple[Sheet, tuple[Name, ...]]:
    """The "Plan" sheet for ``inputs`` and the defined names over it."""
    n = len(kpi_engine.funnel.resolve_stages(inputs.stages, len(inputs.rates)))
    grid = PlanGrid(n)
    typed = _TypedInputs(scenario_row(inputs), input_cells(n))
    blocks = [
        _title_block(),
        _inputs_block(grid, typed),
        _results_block(grid),
        funnel_block(grid, typed.cell),  # the year and its quarters
        months_block(grid, typed.cell),
    ]
    timeline, timeline_chart, timeline_validations = _timeline_block(grid, typed, inputs.lags)
    blocks.append(timeline)
    cells = [cell for block in blocks for cell in block.cells]
    names = tuple(name for block in blocks for name in block.names)
    sheet = Sheet(
        PLAN,
        tuple(cells),
        conditional_formats=_volume_formats(grid, cells, inputs.whole_numbers),
        column_widths=_column_widths(),
        row_heights={grid.funnel_header: 32} | grid.timeline.row_heights,
        freeze="B3",
        validations=(
            *_validations(grid),
            *_currency_validation(grid, inputs.currency),
            *timeline_validations,
        ),
        charts=(_volumes_chart(grid), timeline_chart),
        print_area=_print_areas(grid),
        print_title_columns="A:A",
    )
    return sheet, names


def _header_row(row: int, text: str) -> list[Cell]:
    """A block's header: ``text`` in A, and B and C styled as a header too."""
    return [Cell(f"A{row}", text, "header"), Cell(f"B{row}", None, "header"),
            Cell(f"C{row}", None, "header")]  # fmt: skip


def _title_block() -> Block:
    """The title and how to read the sheet."""
    note = ("Yellow cells are inputs; everything else is calculated. "
            "Rates are fractions: 1.5 % is 0.015.")  # fmt: skip
    return Block([Cell("A1", fiscal_labels.title(), "title"), Cell("A2", note, "note")], [])


def _inputs_block(grid: PlanGrid, typed: _TypedInputs) -> Block:
    """The scalar inputs, one a row (label, value, note), each with its defined name."""
    cells, names = _header_row(grid.inputs_row - 1, "Inputs"), []
    for offset, (label, defined, _, _, note) in enumerate(_INPUT_ROWS):
        row = grid.inputs_row + offset
        cells += [Cell(f"A{row}", label, "label"), typed.cell(f"B{row}"),
                  Cell(f"C{row}", note, "note")]  # fmt: skip
        names.append(plan_name(defined, f"$B${row}", f"{label}: {note}"))
    return Block(cells, names)


def _results_block(grid: PlanGrid) -> Block:
    """The key results (KPIs), one a row (label, formula, how), each with its defined name."""
    cells, names = _header_row(grid.results_row - 1, "Key results"), []
    for offset, (label, defined, formula, number_format, note) in enumerate(_results(grid)):
        row = grid.results_row + offset
        cells += [Cell(f"A{row}", label, "label"),
                  Cell(f"B{row}", formula, "output", number_format,
                       money=number_format == MONEY),
                  Cell(f"C{row}", note, "note")]  # fmt: skip
        names.append(plan_name(defined, f"$B${row}", f"{label}: {note}"))
    return Block(cells, names)


def _timeline_block(
    grid: PlanGrid, typed: _TypedInputs, lag_days: Sequence[float]
) -> tuple[Block, BarChart, list[Validation]]:
    """The timeline (each stage in the month it must arrive), its chart and validations; its
    lags are input cells like the others."""
    section, names, chart, validations = timeline_section(
        grid.timeline, grid.first_stage_row, lag_days, VOLUME
    )
    cells = [typed.cell(cell.ref) if cell.ref in typed else cell for cell in section]
    return Block(cells, names), chart, validations


def _validations(grid: PlanGrid) -> tuple[Validation, ...]:
    """What each input cell above the timeline accepts, and the message when it refuses."""
    first, last = grid.first_stage_row, grid.last_stage_row
    inputs, weights = grid.inputs_row, grid.weights_row
    years = str(FIRST_PLAN_YEAR), str(LAST_PLAN_YEAR)
    return (
        Validation(f"B{first}:B{last - 1}", "decimal", "between", "0", "1",
                   error="A conversion rate is a fraction between 0 and 1: 15 % is 0.15.",
                   prompt="Share of this stage that reaches the next, e.g. 0.2 for 20 %."),
        Validation(f"B{inputs + 4} B{inputs + 5} B{inputs + 6}",
                   "decimal", "between", "0", "1",
                   error="A margin or rate is a fraction between 0 and 1: 15 % is 0.15."),
        Validation(f"B{inputs + 1} B{inputs + 3}",
                   "decimal", "greaterThanOrEqual", "0", error="Money cannot be negative."),
        Validation(f"B{inputs + 2}", "decimal", "greaterThan", "0",
                   error="The deal size must be above 0."),
        Validation(f"B{inputs}", "whole", "between", *years,
                   error="A year, such as 2027."),
        Validation(f"B{inputs + 7}", "list", formula1='"TRUE,FALSE"',
                   error="TRUE or FALSE."),
        Validation(f"C{weights}:N{weights}", "decimal", "greaterThanOrEqual", "0",
                   error="A weight is 0 or more."),
        Validation(f"B{inputs + 8}", "decimal", "greaterThanOrEqual", "-1",
                   error="Growth is -100 % (-1) or more: 0.25 for 25 %."),
        Validation(f"B{inputs + 9}", "whole", "between", "1", "12",
                   error="A month, 1 to 12: 4 for April."),
        Validation(f"B{inputs + 10}", "list", formula1='"end,start"',
                   error="end (FY2028 ends in 2028) or start (FY2028 starts in 2028)."),
    )  # fmt: skip


def _currency_validation(grid: PlanGrid, currency: str) -> tuple[Validation, ...]:
    """The Currency cell of a workbook built with a currency: that code or none, since its
    money formats carry that code's symbol (another would show no symbol: a format cannot
    read a cell, so it is set when the workbook is built)."""
    if not currency:
        return ()
    row = grid.inputs_row + [f.field for f in SHEET_INPUTS].index("currency")
    why = (f"Money here shows {currency}'s symbol, set when the workbook was built: for "
           "another currency, build it again with kpi-planner build --currency.")  # fmt: skip
    return (Validation(f"B{row}", "list", formula1=f'"{currency}"', error=why, prompt=why),)


def _volumes_chart(grid: PlanGrid) -> BarChart:
    """Each stage's volume for the year, as bars."""
    first, last = grid.first_stage_row, grid.last_stage_row
    return BarChart(
        title="Required for the year (log scale)",
        categories=f"$A${first}:$A${last}",
        values=f"$C${first}:$C${last}",
        anchor="H4",
        series_title="Required for the year",
        width_cm=13.5,  # H to N: within the plan's printed page
        log_scale=True,
        axis_min=1,  # a log axis from 1, so a stage of a few customers still shows a bar
    )


def _column_widths() -> dict[str, float]:
    """The label column wide, the funnel's next three readable, the months' narrower: the
    plan above the timeline prints one page wide at a readable size."""
    widths = {"A": 28, "B": 16, "C": 14, "D": 14}
    return widths | {column: 10 for column in (*MONTH_COLUMNS[2:], *TIMELINE_COLUMNS)}


def _print_areas(grid: PlanGrid) -> str:
    """The plan (inputs, funnel, months) on a page; the timeline by quarter on a second; its
    months on two more, the year before (with the chart) and the plan year. Each page has
    the stage names. In the order LibreOffice prints them too: down, then across."""
    timeline = grid.timeline
    quarters_top, top = timeline.quarter_header_row - 1, timeline.header_row - 1
    last = timeline.last_row + 18  # and its chart
    lead_in, year = TIMELINE_COLUMNS[:LEAD_IN], TIMELINE_COLUMNS[LEAD_IN:]
    return (f"A1:{MONTH_COLUMNS[-1]}{grid.last_monthly_row},"
            f"A{quarters_top}:{QUARTER_COLUMNS[-1]}{timeline.last_quarter_row},"
            f"A{top}:{lead_in[-1]}{last},{year[0]}{top}:{year[-1]}{timeline.last_row}")  # fmt: skip


def _volume_formats(
    grid: PlanGrid, cells: list[Cell], whole_numbers: bool
) -> tuple[ConditionalFormat, ConditionalFormat]:
    """The conditional formats of the volume cells: whole or with decimals."""
    # Volumes without decimals in whole numbers; the customers needed (before rounding)
    # and the costs per unit keep theirs.
    first, last = grid.first_stage_row, grid.last_stage_row
    exact = [f"B{grid.results_row}", *(f"D{r}" for r in range(first, last + 1))]
    return whole_number_formats(cells, whole_numbers, exclude=exact)
