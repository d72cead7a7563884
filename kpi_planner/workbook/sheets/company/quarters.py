"""The Company sheet's quarters: each segment's seasonality, each segment's volumes by
quarter stage by stage, and the company's, added over the segments by stage name.

A segment's quarters are :func:`kpi_engine.phasing.phase_core`'s: exact, each quarter's
customers are the year's x its weight / all the weights, walked up the funnel by the rates;
in whole numbers (``WholeNumbers`` TRUE), chained cumulative rounding: the customers due by
a quarter's end are the year's whole customers x the weights so far / all of them, rounded
up, each stage above the whole number the stage below's running total needs, and a
quarter's volume is what is due by its end less what was due before. The formulas are the
Plan sheet's, through :mod:`kpi_planner.workbook.sheets.rounding`. The company's quarters
are ``SUMIF`` by stage name over the segments' rows, as the roll-up adds the year.
"""

from __future__ import annotations

from kpi_engine.phasing import period_labels
from kpi_planner.company.inputs import MAX_SEGMENTS, CompanyInputs
from kpi_planner.workbook.sheets.company.grid import (
    COLUMN,
    COMPANY,
    FUNNEL_ROWS,
    MONTH_COLUMNS,
    QUARTER_COLUMNS,
    QUARTER_WEIGHT_COLUMNS,
    SEGMENT_ROWS,
    YEAR_COLUMN,
    CompanyGrid,
)
from kpi_planner.workbook.sheets.number_formats import DECIMALS, RATIO
from kpi_planner.workbook.sheets.rounding import chained_due, customers_due, period_volume
from kpi_planner.workbook.spec import Cell, Name

#: Why the sheet takes twelve monthly weights where it shows quarters.
SEASONALITY_NOTE = (
    "Why months: the engine phases a quarter by its three months' weights added up "
    f"({QUARTER_WEIGHT_COLUMNS[0]}:{QUARTER_WEIGHT_COLUMNS[-1]}), so the twelve weights of "
    "the Plan sheet and the segments table (all 1 = even) give its quarters exactly here, "
    "and its months on the command line."
)
#: What the sheet says of the months, which it leaves to the command line.
PERIODS_NOTE = ("The months of each segment and of the company: kpi-planner plan --segments "
                "--period monthly (each segment phased by the weights above; its lags "
                "there too).")  # fmt: skip
ALL_SEGMENTS = "All segments"


def seasonality_cells(grid: CompanyGrid, company: CompanyInputs) -> tuple[list[Cell], list[Name]]:
    """Each segment's twelve monthly weights (inputs; 1 in an unused row, even) and the
    four quarters' weights they add up to."""
    header = grid.seasonality_header
    cells = [Cell(f"A{header}", "Seasonality: each month's weight", "header")]
    # The Plan sheet's months: the fiscal year's, following its FiscalYearStart.
    cells += [Cell(f"{column}{header}", f"=INDEX(MonthLabels,1,{month})", "header")
              for month, column in enumerate(MONTH_COLUMNS, start=1)]  # fmt: skip
    cells += [Cell(f"{column}{header}", f"{quarter} weight", "header")
              for column, quarter in zip(QUARTER_WEIGHT_COLUMNS, period_labels(4),
                                         strict=True)]  # fmt: skip
    for i, (row, segment_row) in enumerate(zip(grid.seasonality_rows, SEGMENT_ROWS, strict=True)):
        weights = company.segments[i].plan.seasonality if i < len(company.segments) else None
        name = f"${COLUMN['name']}{segment_row}"
        used = f'IF({name}="","",{{}})'.format
        cells.append(Cell(f"A{row}", f"={used(name)}", "formula"))
        cells += [Cell(f"{column}{row}", float(weights[m]) if weights else 1.0, "input", RATIO)
                  for m, column in enumerate(MONTH_COLUMNS)]  # fmt: skip
        for q, column in enumerate(QUARTER_WEIGHT_COLUMNS):
            months = f"{MONTH_COLUMNS[3 * q]}{row}:{MONTH_COLUMNS[3 * q + 2]}{row}"
            cells.append(Cell(f"{column}{row}", f"={used(f'SUM({months})')}", "formula", RATIO))
    cells.append(Cell(f"A{grid.seasonality_note_row}", SEASONALITY_NOTE, "note"))
    first, last = grid.seasonality_rows[0], grid.seasonality_rows[-1]
    quarters = f"${QUARTER_WEIGHT_COLUMNS[0]}${first}:${QUARTER_WEIGHT_COLUMNS[-1]}${last}"
    names = [
        Name("SegmentSeasonality", COMPANY, f"${MONTH_COLUMNS[0]}${first}:"
             f"${MONTH_COLUMNS[-1]}${last}", "Each segment's twelve monthly weights."),
        Name("SegmentQuarterWeights", COMPANY, quarters,
             "Each segment's quarters' weights: their months' added up."),
    ]  # fmt: skip
    return cells, names


def segment_quarter_cells(grid: CompanyGrid) -> tuple[list[Cell], list[Name]]:
    """Each segment's stages by quarter, a row per stage slot of its funnel row (empty
    where the funnel has no stage), and each stage's year: its quarters added up."""
    cells = _headers(grid.segment_quarters_header, "Each segment by quarter")
    for i in range(MAX_SEGMENTS):
        for k in range(grid.stages):
            cells += _segment_stage_row(grid, i, k)
    cells.append(Cell(f"A{grid.note_row}", PERIODS_NOTE, "note"))
    first, last = grid.segment_quarter_span
    names = [
        Name("SegmentQuarterlyStages", COMPANY, f"$B${first}:$B${last}",
             "The stage of each row of the segments' quarters."),
        Name("SegmentQuarterly", COMPANY, f"${QUARTER_COLUMNS[0]}${first}:"
             f"${QUARTER_COLUMNS[-1]}${last}", "Each segment's stages x 4 quarters."),
    ]  # fmt: skip
    return cells, names


def _segment_stage_row(grid: CompanyGrid, i: int, k: int) -> list[Cell]:
    """Segment ``i``'s stage ``k``: its segment and stage names, its quarters and year."""
    row, funnel, weights = grid.segment_quarter_row(i, k), FUNNEL_ROWS[i], grid.seasonality_rows[i]
    stage = f"${grid.name_column(k)}${funnel}"
    named = f'IF({stage}="","",{{}})'.format
    segment = f"${COLUMN['name']}${SEGMENT_ROWS[i]}"
    cells = [Cell(f"A{row}", f"={named(segment)}", "formula"),
             Cell(f"B{row}", f"={named(stage)}", "formula")]  # fmt: skip
    customers = f"${COLUMN['customers']}${SEGMENT_ROWS[i]}"
    for q, column in enumerate(QUARTER_COLUMNS):
        volume = _customers_quarter(customers, weights, q)
        if k < grid.stages - 1:
            up = _stage_quarter(row, q, f"${grid.rate_column(k)}${funnel}")
            volume = f'IF(${grid.name_column(k + 1)}${funnel}="",{volume},{up})'
        cells.append(Cell(f"{column}{row}", f"={named(volume)}", "formula", DECIMALS))
    year = f"SUM({QUARTER_COLUMNS[0]}{row}:{QUARTER_COLUMNS[-1]}{row})"
    return [*cells, Cell(f"{YEAR_COLUMN}{row}", f"={named(year)}", "formula", DECIMALS)]


def _customers_quarter(customers: str, weights_row: int, q: int) -> str:
    """A funnel's last stage in quarter ``q``: its share of the year's ``customers`` by the
    quarters' weights; whole, the customers due by the quarter's end less those before."""
    first, last = QUARTER_WEIGHT_COLUMNS[0], QUARTER_WEIGHT_COLUMNS[-1]
    total = f"SUM(${first}${weights_row}:${last}${weights_row})"

    def due(quarter: int) -> str:
        end = f"${QUARTER_WEIGHT_COLUMNS[quarter]}${weights_row}"
        so_far = f"SUM(${first}${weights_row}:{end})" if quarter else end
        return customers_due(customers, so_far, total)

    exact = f"{customers}*${QUARTER_WEIGHT_COLUMNS[q]}${weights_row}/{total}"
    return period_volume(exact, due(q), due(q - 1) if q else None)


def _stage_quarter(row: int, q: int, rate: str) -> str:
    """A stage above the last in quarter ``q``: the stage below's quarter (the next row) at
    the ``rate``; whole, the whole number the stage below's running total needs, less what
    it needed by the quarter before."""
    below = row + 1

    def due(quarter: int) -> str:
        return chained_due(f"SUM(${QUARTER_COLUMNS[0]}{below}:{QUARTER_COLUMNS[quarter]}{below})",
                           rate)  # fmt: skip

    return period_volume(f"{QUARTER_COLUMNS[q]}{below}/{rate}", due(q), due(q - 1) if q else None)


def company_quarter_cells(grid: CompanyGrid) -> tuple[list[Cell], list[Name]]:
    """The company's stages by quarter: each the segments' quarters at a stage of its name
    added up (``SUMIF``), and its year, the quarters added up (the roll-up's volume)."""
    cells = _headers(grid.company_quarters_header, "The company by quarter")
    first, last = grid.segment_quarter_span
    for rollup_row, row in zip(grid.rollup_rows, grid.company_quarter_rows, strict=True):
        cells += [Cell(f"A{row}", ALL_SEGMENTS, "label"),
                  Cell(f"B{row}", f"=$A{rollup_row}", "formula")]  # fmt: skip
        cells += [
            Cell(f"{column}{row}", f"=SUMIF($B${first}:$B${last},$B{row},"
                 f"{column}${first}:{column}${last})", "output", DECIMALS)
            for column in QUARTER_COLUMNS
        ]  # fmt: skip
        year = f"=SUM({QUARTER_COLUMNS[0]}{row}:{QUARTER_COLUMNS[-1]}{row})"
        cells.append(Cell(f"{YEAR_COLUMN}{row}", year, "formula", DECIMALS))
    top, bottom = grid.company_quarter_rows[0], grid.company_quarter_rows[-1]
    span = f"${QUARTER_COLUMNS[0]}${top}:${QUARTER_COLUMNS[-1]}${bottom}"
    what = "Each company stage x 4 quarters: the segments' added up by stage name."
    return cells, [Name("CompanyQuarterly", COMPANY, span, what)]


def _headers(row: int, title: str) -> list[Cell]:
    texts = (title, "Stage", *period_labels(4), "Year")
    return [Cell(f"{chr(ord('A') + i)}{row}", text, "header") for i, text in enumerate(texts)]
