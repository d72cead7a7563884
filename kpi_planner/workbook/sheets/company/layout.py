"""The "Company" sheet: a company's plan in live formulas, for a marketer reading it top
to bottom.

The goal (the ARR bridge, or a revenue goal less an expansion goal) leaves the new-logo
goal; each segment takes a share of it or brings its own goal; each segment's funnel walks
up from its customers; the roll-up adds the segments' volumes stage by stage name; below it,
each segment's seasonality, the company's volumes by quarter and each segment's. Where each
block sits is :mod:`.grid`; the formulas are :mod:`.goal`'s, :mod:`.funnels`' and
:mod:`.quarters`'; the engine's value of each formula cell is :mod:`.values`'. The Plan
sheet's ``WholeNumbers`` says whether volumes are whole, for every segment.

Added to the workbook only for a plan with segments (:func:`kpi_planner.workbook.book.
plan_workbook`'s ``company``).
"""

from __future__ import annotations

from kpi_engine import KPIInputError, Problem
from kpi_planner.company.inputs import MAX_SEGMENTS, SEGMENT_KINDS, CompanyInputs
from kpi_planner.company.plan import CompanyPlan
from kpi_planner.workbook.sheets.company.funnels import funnel_cells, rollup_cells
from kpi_planner.workbook.sheets.company.goal import goal_cells, segment_cells
from kpi_planner.workbook.sheets.company.grid import (
    COLUMN,
    COMPANY,
    FUNNEL_HEADER,
    FUNNEL_ROWS,
    MONTH_COLUMNS,
    QUARTER_WEIGHT_COLUMNS,
    SEGMENT_ROWS,
    SEGMENTS_HEADER,
    CompanyGrid,
    goal_input_ref,
)
from kpi_planner.workbook.sheets.company.quarters import (
    company_quarter_cells,
    seasonality_cells,
    segment_quarter_cells,
)
from kpi_planner.workbook.sheets.number_formats import UNIT_COST, whole_number_formats
from kpi_planner.workbook.spec import Name, Sheet, Validation


def company_grid(plan: CompanyPlan) -> CompanyGrid:
    """The grid of a company's plan: its longest funnel and its stages."""
    return CompanyGrid(max(len(s.stages) for s in plan.segments), len(plan.stages))


def company_sheet(company: CompanyInputs, plan: CompanyPlan) -> tuple[Sheet, list[Name]]:
    """The Company sheet of ``company``, whose plan (:func:`kpi_planner.company.plan.
    company_plan`) gives the company's stages and the segments each lacks.

    Raises :class:`~kpi_engine.KPIInputError` for what the sheet cannot hold: more than
    :data:`MAX_SEGMENTS` segments, or a segment that rounds otherwise than the company.
    """
    check_fits(company)
    grid = company_grid(plan)
    cells, names = goal_cells(company)
    for block in (segment_cells(company), funnel_cells(grid, company),
                  rollup_cells(grid, plan.stages, plan.missing),
                  seasonality_cells(grid, company), company_quarter_cells(grid),
                  segment_quarter_cells(grid)):  # fmt: skip
        cells += block[0]
        names += block[1]
    costs = [c.ref for c in cells if c.number_format == UNIT_COST]
    last_column = max(grid.volume_column(grid.stages - 1), COLUMN["why"],
                      QUARTER_WEIGHT_COLUMNS[-1], key=_column_order)  # fmt: skip
    # Narrow enough to print one page wide at a readable size.
    # The quarter weights narrow, unless a longer funnel's names or volumes share them.
    funnel = {c for k in range(grid.stages) for c in (grid.name_column(k), grid.volume_column(k))}
    widths = {"A": 28, "B": 16, "C": 16} | {
        column: 13 for column in (grid.name_column(k) for k in range(grid.stages))
    } | {COLUMN["why"]: 22} | {c: 7 for c in QUARTER_WEIGHT_COLUMNS if c not in funnel}  # fmt: skip
    headers = (SEGMENTS_HEADER, FUNNEL_HEADER, grid.company_quarters_header,
               grid.segment_quarters_header)  # fmt: skip
    sheet = Sheet(
        COMPANY,
        tuple(cells),
        column_widths=widths,
        row_heights=dict.fromkeys(headers, 30),
        freeze="B3",
        validations=_validations(grid),
        conditional_formats=whole_number_formats(cells, company.company.whole_numbers, costs),
        # The goal, segments and roll-up; the seasonality and the company's quarters; each
        # segment's quarters: each from a new page.
        print_area=f"A1:{last_column}{grid.seasonality_header - 2},"
        f"A{grid.seasonality_header}:{last_column}{grid.segment_quarters_header - 2},"
        f"A{grid.segment_quarters_header}:{last_column}{grid.note_row}",
        print_title_columns="A:A",
    )
    return sheet, names


def _column_order(letters: str) -> tuple[int, str]:
    return len(letters), letters


def check_fits(company: CompanyInputs) -> None:
    """Raise :class:`~kpi_engine.KPIInputError` for what the sheet cannot hold."""
    problems = []
    if len(company.segments) > MAX_SEGMENTS:
        problems.append(Problem("segments", len(company.segments),
                                f"are more than the Company sheet's {MAX_SEGMENTS}"))  # fmt: skip
    whole = company.company.whole_numbers
    for segment in company.segments:
        if segment.plan.whole_numbers != whole:
            rule = (f"rounds otherwise than the company plan (whole numbers {whole}): the "
                    "Company sheet rounds every segment as the Plan sheet's "
                    "WholeNumbers")  # fmt: skip
            problems.append(Problem(f"segment {segment.name!r}: whole_numbers",
                                    segment.plan.whole_numbers, rule))  # fmt: skip
    problems += _pattern_names(company)
    if problems:
        raise KPIInputError(problems)


def _pattern_names(company: CompanyInputs) -> list[Problem]:
    """Stage names SUMIF would read as a pattern (``*``, ``?``, ``~``) or a comparison (a
    leading ``<``, ``>`` or ``=``): the roll-up would add stages that are not the same."""
    rule = ("is a pattern for Excel's SUMIF, which adds the Company sheet's stages by name "
            "(* ? ~ anywhere, < > = first): rename the stage without them")  # fmt: skip
    return [Problem(f"stages of segment {segment.name!r}", stage, rule)
            for segment in company.segments for stage in map(str, segment.plan.stages)
            if any(c in stage for c in "*?~") or stage.lstrip()[:1] in ("<", ">", "=")]  # fmt: skip


def _validations(grid: CompanyGrid) -> tuple[Validation, ...]:
    """What the input cells accept, and the message when they refuse."""

    def span(key: str) -> str:
        return f"{COLUMN[key]}{SEGMENT_ROWS[0]}:{COLUMN[key]}{SEGMENT_ROWS[-1]}"

    money = " ".join(goal_input_ref(n) for n in ("StartingARR", "TargetARR", "ExpansionGoal",
                                                   "CompanyGoal"))  # fmt: skip
    rates = " ".join(f"{grid.rate_column(k)}{FUNNEL_ROWS[0]}:{grid.rate_column(k)}{FUNNEL_ROWS[-1]}"
                     for k in range(grid.stages - 1))  # fmt: skip
    validations = [
        Validation(f"{money} {span('own_goal')} {span('budget')}", "decimal",
                   "greaterThanOrEqual", "0", error="An amount of money, 0 or more."),
        Validation(f"{goal_input_ref('GrossRevenueRetention')} {span('share')}", "decimal",
                   "between", "0", "1", error="A share between 0 % and 100 %."),
        Validation(goal_input_ref("NetRevenueRetention"), "decimal", "between", "0", "10",
                   error="A retention rate as a fraction: 110 % is 1.1."),
        Validation(span("deal_size"), "decimal", "greaterThan", "0",
                   error="Revenue per new customer, more than 0."),
        Validation(span("kind"), "list", formula1=f'"{",".join(SEGMENT_KINDS)}"',
                   error=f"One of {', '.join(SEGMENT_KINDS)}."),
        Validation(f"{MONTH_COLUMNS[0]}{grid.seasonality_rows[0]}:"
                   f"{MONTH_COLUMNS[-1]}{grid.seasonality_rows[-1]}", "decimal",
                   "greaterThanOrEqual", "0", error="A weight is 0 or more (1 = even)."),
    ]  # fmt: skip
    if rates:
        error = "A conversion rate: more than 0, 1.5 % is 0.015."
        validations.append(Validation(rates, "decimal", "greaterThan", "0", error=error))
    return tuple(validations)
