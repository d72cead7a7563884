"""The whole plan workbook, and the value each formula cell of its Plan sheet shows.

:func:`plan_workbook` puts the Plan sheet (:mod:`.sheets.plan.layout`) together with the
other sheets; :func:`cached_values` gives every formula cell of the Plan sheet the engine's
value, written next to the formula so previews show numbers before anything recalculates.
"""

from __future__ import annotations

import numpy as np

from kpi_engine import fiscal
from kpi_planner.inputs.currency import money
from kpi_planner.plan.one_plan import (
    OUTPUT_NAMES,
    PlanInputs,
    PlanOutputs,
    plan_outputs,
    scenario_row,
)
from kpi_planner.workbook.a1 import column_letter, range_bounds
from kpi_planner.workbook.sheets.catalog import catalog_sheet
from kpi_planner.workbook.sheets.number_formats import priced
from kpi_planner.workbook.sheets.pipeline.layout import pipeline_sheet
from kpi_planner.workbook.sheets.plan.grid import PLAN, PlanGrid
from kpi_planner.workbook.sheets.plan.layout import plan_sheet
from kpi_planner.workbook.sheets.plan.timeline_grid import COLUMNS as TIMELINE_COLUMNS
from kpi_planner.workbook.sheets.summary.layout import summary_sheet
from kpi_planner.workbook.spec import Name, Sheet, Workbook


def plan_workbook(
    inputs: PlanInputs | None = None,
    tracking=None,
    optimal=None,
    company=None,
    forecast=None,
    capacity=None,
) -> Workbook:
    """The whole plan workbook for ``inputs`` (seed 000's example by default).

    Money shows the symbol of ``inputs.currency`` (see :mod:`.sheets.number_formats`).
    Sheets: Summary (the plan on one page, see :mod:`.sheets.summary`), Plan, Pipeline (see
    :mod:`.sheets.pipeline`), Channels and What-if (see :mod:`.sheets.channels`,
    :mod:`.sheets.whatif`; ``optimal`` is the solver's mix to write as values, a
    :class:`kpi_engine.OptimalMix`), Actuals, Channel actuals (see
    :mod:`.sheets.tracking.channel_actuals`), Diagnosis (see :mod:`.sheets.tracking`; no
    actuals unless ``tracking`` gives some), Goals and the KPI catalog.

    ``forecast`` (a :class:`.sheets.forecast.ForecastSheetInputs`) adds the Forecast sheet
    after the Pipeline sheet: the opportunities, the landing and next quarter's pacing.
    ``capacity`` (a :class:`.sheets.capacity.CapacitySheetInputs`) adds the Capacity sheet
    after them: who carries the plan (the roles, their hires, the people's cost).

    ``company`` (a :class:`kpi_planner.company.inputs.CompanyInputs`) adds the Company sheet
    between the Summary and the Plan sheet (see :mod:`.sheets.company`), its formula cells
    carrying the engine's values; ``inputs`` defaults to its company plan. Raises
    :class:`~kpi_engine.KPIInputError` for a company the engine refuses.
    """
    from kpi_planner.workbook.sheets.channels.layout import channels_sheet
    from kpi_planner.workbook.sheets.tracking.channel_actuals import channel_actuals_sheet
    from kpi_planner.workbook.sheets.tracking.layout import (
        TrackingInputs,
        actuals_sheet,
        diagnosis_sheet,
        goals_sheet,
    )
    from kpi_planner.workbook.sheets.whatif.layout import whatif_sheet

    inputs = inputs or (company.company if company is not None else PlanInputs())
    tracking = tracking or TrackingInputs()
    plan, names = plan_sheet(inputs)
    grid = PlanGrid(len(inputs.stages))
    labels = [f"{PLAN}!{column}{grid.timeline.header_row}" for column in TIMELINE_COLUMNS]
    pipe, pipe_names = pipeline_sheet(len(inputs.stages), inputs.close_rate_curve,
                                      inputs.opportunities_created, labels,
                                      inputs.whole_numbers)  # fmt: skip
    row = scenario_row(inputs)
    mix, mix_names = channels_sheet(len(inputs.stages), row, optimal)
    whatif, whatif_names = whatif_sheet(
        len(inputs.stages), inputs.whatif_step, inputs.scenarios, inputs.whole_numbers
    )
    actuals, actual_names = actuals_sheet(inputs.stages, tracking)
    by_channel, by_channel_names = channel_actuals_sheet(
        len(inputs.stages), tracking.channel_actuals
    )
    diagnosis, diagnosis_names = diagnosis_sheet(inputs.stages, tracking)
    goals, goal_names = goals_sheet(
        tracking.goals,
        tracking.goal_tolerance,
        tracking.as_of,
        inputs.plan_year,
        inputs.fiscal_year_start,
        inputs.fiscal_year_named_by,
    )
    extra, extra_names, more = _optional_sheets(inputs, forecast, capacity)
    front, front_names, cached = _front_sheets(inputs, company, more)
    sheets = (*front, plan, pipe, *extra, mix, whatif, actuals, by_channel, diagnosis, goals,
              catalog_sheet())  # fmt: skip
    goal_names = (*goal_names, *extra_names)
    shown = money(inputs.currency)  # the symbol is written now: a format cannot read a cell
    sheets = tuple(priced(sheet, shown) for sheet in sheets)
    all_names = (*front_names, *names, *pipe_names, *mix_names, *whatif_names, *actual_names,
                 *by_channel_names, *diagnosis_names, *goal_names)  # fmt: skip
    return Workbook(sheets, all_names, title="Marketing plan", cached=cached)


def _front_sheets(inputs: PlanInputs, company, more) -> tuple[list, list, dict]:
    """The Summary (a company's reads its Company sheet), then a company's Company sheet,
    their names, and the Company sheet's cached values. The company's plan comes before
    the Plan sheet, which holds the company's defaults."""
    from kpi_planner.workbook.sheets.summary.company import (
        company_summary_sheet,
        company_summary_values,
    )

    if company is None:
        summary, names = summary_sheet(len(inputs.stages), inputs.whole_numbers, more)
        return [summary], names, {}
    sheet, names, values, stages = company_part(company)
    summary, _ = company_summary_sheet(stages, inputs.whole_numbers, more)
    title = plan_title(inputs.plan_year, inputs.fiscal_year_start)
    typed = {cell.ref: cell.value for cell in sheet.cells if not cell.is_formula}
    shown = company_summary_values(summary, names, typed | values, title)
    return [summary, sheet], names, {sheet.title: values, summary.title: shown}


def _optional_sheets(inputs: PlanInputs, forecast, capacity) -> tuple[list, list, list]:
    """The Forecast sheet of ``forecast`` and the Capacity sheet of ``capacity``, where
    given, their names, and the rows they add to the Summary."""
    from kpi_planner.workbook.sheets.summary import more

    sheets, names, rows = [], [], []
    if forecast is not None:
        from kpi_planner.workbook.sheets.forecast import forecast_sheet

        page, defined = forecast_sheet(forecast)
        sheets.append(page)
        names += defined
        rows += more.forecast_rows()
    if capacity is not None:
        from kpi_planner.workbook.sheets.capacity import capacity_sheet

        page, defined = capacity_sheet(capacity, len(inputs.stages), inputs.whole_numbers)
        sheets.append(page)
        names += defined
        rows += more.capacity_rows(len(capacity.roles))
    return sheets, names, rows


def company_part(company) -> tuple[Sheet, list[Name], dict[str, object], int]:
    """The Company sheet of ``company``, its names, the engine's value of each of its
    formula cells (checked to be every one) and how many stages its roll-up has."""
    from kpi_planner.company.plan import company_plan
    from kpi_planner.workbook.sheets.company.layout import company_grid, company_sheet
    from kpi_planner.workbook.sheets.company.values import company_values

    plan = company_plan(company)
    sheet, names = company_sheet(company, plan)
    values = company_values(company, plan, company_grid(plan))
    formula_cells = {c.ref for c in sheet.cells if c.is_formula}
    if formula_cells != values.keys():  # a formula added to the layout without its value
        raise AssertionError(f"Company cells without a value: {formula_cells ^ values.keys()}")
    return sheet, names, values, len(plan.stages)


def formula_sources(stages: int) -> dict[str, tuple[str, tuple[int, ...]]]:
    """Where each formula cell's value comes from: (output name, index into its array).

    The output names are those of :meth:`PlanOutputs.by_name`, plus ``"StageNames"`` for the
    monthly table's stage labels (``=A23`` ...). Computed once per stage count.
    """
    grid = PlanGrid(stages)
    inputs = PlanInputs().replace(
        stages=tuple(f"Stage {i}" for i in range(stages)), rates=(0.5,) * (stages - 1)
    )
    sheet, names = plan_sheet(inputs)
    sources: dict[str, tuple[str, tuple[int, ...]]] = {}
    for defined in names:
        if defined.name not in OUTPUT_NAMES:
            continue
        first, _, last = defined.ref.replace("$", "").partition(":")
        min_col, min_row, max_col, max_row = range_bounds(f"{first}:{last or first}")
        for row in range(min_row, max_row + 1):
            for col in range(min_col, max_col + 1):
                if min_row == max_row and min_col == max_col:
                    index: tuple[int, ...] = ()
                elif min_col == max_col:
                    index = (row - min_row,)
                else:
                    index = (row - min_row, col - min_col)
                sources[f"{column_letter(col)}{row}"] = (defined.name, index)
    for i in range(stages):
        sources[f"A{grid.first_monthly_row + i}"] = ("StageNames", (i,))
        sources[f"A{grid.timeline.first_stage_row + i}"] = ("StageNames", (i,))
        sources[f"A{grid.timeline.first_running_row + i}"] = ("StageNames", (i,))
        sources[f"A{grid.timeline.first_quarter_row + i}"] = ("StageNames", (i,))
    for j, column in enumerate(TIMELINE_COLUMNS):  # the running total's month labels
        sources[f"{column}{grid.timeline.running_header_row}"] = ("TimelineLabels", (0, j))
    sources["A1"] = ("Title", ())
    formula_cells = {c.ref for c in sheet.cells if c.is_formula}
    if formula_cells != sources.keys():  # a formula added to the layout without its value
        raise AssertionError(f"formula cells without a source: {formula_cells ^ sources.keys()}")
    return dict(sorted(sources.items()))


def plan_title(plan_year: object, fiscal_year_start: object = 1) -> str:
    """The title the sheet's formula shows: ``Marketing plan 2027``, or with a fiscal year
    that starts after January ``Marketing plan FY2028``."""
    return f"Marketing plan {fiscal.year_label(int(plan_year), fiscal_year_start)}"


def cached_values(inputs: PlanInputs, outputs: PlanOutputs | None = None) -> dict[str, object]:
    """The value of every formula cell of the plan sheet, as computed by :mod:`kpi_engine`.

    Written next to each formula as its cached result, these let Excel's Protected View,
    previews and pandas show the numbers before anything recalculates. Keys are cell
    references on the Plan sheet.
    """
    outputs = outputs or plan_outputs(inputs)
    arrays = {
        **outputs.by_name(),
        "StageNames": np.array(inputs.stages, dtype=object),
        "Title": plan_title(inputs.plan_year, inputs.fiscal_year_start),
    }
    values: dict[str, object] = {}
    for ref, (name, index) in formula_sources(len(inputs.stages)).items():
        value = np.asarray(arrays[name])[index] if index else arrays[name]
        values[ref] = value if isinstance(value, str) else float(value)
    return values
