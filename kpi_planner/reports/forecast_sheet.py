"""The landing of a plan workbook that has a Forecast sheet: its opportunities, its date,
coverage and category weights read as typed (inputs only), and the forecast computed by
:mod:`kpi_planner.forecast` for the workbook's plan, as ``kpi-planner forecast`` would.
"""

from __future__ import annotations

from kpi_engine import KPIInputError, Problem
from kpi_planner.forecast import landing as landing_module
from kpi_planner.forecast import next_steps
from kpi_planner.inputs import opportunities as table
from kpi_planner.inputs.named_cells import NamedCells, read_number
from kpi_planner.plan import one_plan
from kpi_planner.workbook.sheets.forecast import FIRST_DEAL_ROW, FORECAST, HEADERS


def read_forecast(book: NamedCells, inputs: one_plan.PlanInputs) -> dict[str, object] | None:
    """The landing and next quarter's pacing of the workbook's Forecast sheet, as JSON-ready
    data; None without one. Bad cells are named by sheet, row and column."""
    as_of_cells = book.cells("ForecastAsOf", required=False)
    if as_of_cells is None:
        return None
    sheet = book.book[FORECAST]
    (where, as_of), *_ = as_of_cells
    if not hasattr(as_of, "year"):
        raise KPIInputError([Problem(f"{where} (ForecastAsOf)", as_of, "is not a date")])
    day = as_of.date() if hasattr(as_of, "date") else as_of
    records = []
    for row in range(FIRST_DEAL_ROW, sheet.max_row + 1):
        cells = {header: sheet.cell(row, k + 1).value for k, header in enumerate(HEADERS[:8])}
        if any(value not in (None, "") for value in cells.values()):
            records.append((row, cells))
    if not records:
        return None
    columns = table.find_columns(list(HEADERS[:8]), {})
    letters = {header: chr(65 + k) for k, header in enumerate(HEADERS[:8])}
    try:
        deals = table.read_rows(records, columns)
    except table.OpportunityTableError as err:  # named by the sheet's cells
        raise KPIInputError([
            Problem(f"{FORECAST}!{letters[p.column]}{p.row}",
                    p.shown.removeprefix(" = ").strip("'"), p.rule) for p in err.problems
        ]) from None  # fmt: skip
    coverage = read_number(f"{FORECAST}!B5 (coverage)", sheet["B5"].value, allow_empty=False)
    outputs = one_plan.plan_outputs(inputs)
    try:
        window = landing_module.year_window(inputs, day)
        found = landing_module.forecast(deals, inputs, outputs, window, _weights(sheet))
        pace = next_steps.next_quarter(deals, inputs, outputs, window, coverage)
    except ValueError as err:  # in the sheet's words, not the command line's
        text = str(err)
        if text.startswith("--as-of"):
            rule = text.split(": ", 1)[1].replace(
                "; give --plan-year for the year it falls in", ": set the date or the plan year"
            )
            problem = Problem(f"{FORECAST}!B4 (ForecastAsOf)", day.isoformat(), rule)
        else:
            problem = Problem(f"{FORECAST} sheet's table", None, text)
        raise KPIInputError([problem]) from None
    return _record(found, pace, window)


def _weights(sheet) -> dict[str, float]:
    """The sheet's category weights (D4:E11), as typed."""
    weights = {}
    for row in range(4, 12):
        name, weight = sheet[f"D{row}"].value, sheet[f"E{row}"].value
        if name not in (None, ""):
            weights[str(name)] = weight
    return weights


def _record(found, pace, window) -> dict[str, object]:
    spread = found.range
    return {
        "as_of": window.as_of.isoformat(),
        "landing": {way: found.landing(way) for way in found.open_expected},
        "closed": found.closed,
        "goal": found.goal,
        "range": {"p10": spread.p10, "p50": spread.p50, "p90": spread.p90,
                  "chance_of_goal": spread.chance_of_goal, "method": spread.method},
        "next_quarter": {"quarter": pace.quarter, "target": pace.target,
                         "in_hand": pace.in_hand, "pacing": pace.pacing},
    }  # fmt: skip
