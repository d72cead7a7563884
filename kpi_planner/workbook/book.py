"""The whole plan workbook, and the value each formula cell of its Plan sheet shows.

:func:`plan_workbook` puts the Plan sheet (:mod:`.sheets.plan.layout`) together with the
other sheets; :func:`cached_values` gives every formula cell of the Plan sheet the engine's
value, written next to the formula so previews show numbers before anything recalculates.
"""

from __future__ import annotations

import numpy as np

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
from kpi_planner.workbook.spec import Workbook


def plan_workbook(inputs: PlanInputs | None = None, tracking=None, optimal=None) -> Workbook:
    """The whole plan workbook for ``inputs`` (seed 000's example by default).

    Money shows the symbol of ``inputs.currency`` (see :mod:`.sheets.number_formats`).
    Sheets: Plan, Pipeline (see :mod:`.sheets.pipeline`), Channels and What-if (see
    :mod:`.sheets.channels`, :mod:`.sheets.whatif`; ``optimal`` is the solver's mix to write
    as values, a :class:`kpi_engine.OptimalMix`), Actuals, Channel actuals (see
    :mod:`.sheets.tracking.channel_actuals`), Diagnosis (see :mod:`.sheets.tracking`; no
    actuals unless ``tracking`` gives some), Goals and the KPI catalog.
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

    inputs = inputs or PlanInputs()
    tracking = tracking or TrackingInputs()
    plan, names = plan_sheet(inputs)
    grid = PlanGrid(len(inputs.stages))
    labels = [f"{PLAN}!{column}{grid.timeline.header_row}" for column in TIMELINE_COLUMNS]
    pipe, pipe_names = pipeline_sheet(len(inputs.stages), inputs.close_rate_curve,
                                      inputs.opportunities_created, labels)  # fmt: skip
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
        tracking.goals, tracking.goal_tolerance, tracking.as_of, inputs.plan_year
    )
    sheets = (plan, pipe, mix, whatif, actuals, by_channel, diagnosis, goals, catalog_sheet())
    shown = money(inputs.currency)  # the symbol is written now: a format cannot read a cell
    sheets = tuple(priced(sheet, shown) for sheet in sheets)
    all_names = (*names, *pipe_names, *mix_names, *whatif_names, *actual_names,
                 *by_channel_names, *diagnosis_names, *goal_names)  # fmt: skip
    return Workbook(sheets, all_names, title="Marketing plan")


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
    for j, column in enumerate(TIMELINE_COLUMNS):  # the running total's month labels
        sources[f"{column}{grid.timeline.running_header_row}"] = ("TimelineLabels", (0, j))
    sources["A1"] = ("Title", ())
    formula_cells = {c.ref for c in sheet.cells if c.is_formula}
    if formula_cells != sources.keys():  # a formula added to the layout without its value
        raise AssertionError(f"formula cells without a source: {formula_cells ^ sources.keys()}")
    return dict(sorted(sources.items()))


def plan_title(plan_year: object) -> str:
    """The title the formula ``="Marketing plan "&PlanYear`` shows."""
    return f"Marketing plan {plan_year}"


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
        "Title": plan_title(inputs.plan_year),
    }
    values: dict[str, object] = {}
    for ref, (name, index) in formula_sources(len(inputs.stages)).items():
        value = np.asarray(arrays[name])[index] if index else arrays[name]
        values[ref] = value if isinstance(value, str) else float(value)
    return values
