"""What the tracking sheets show before anything is typed in: the values a batch caches.

A new plan has no actuals and no goals of its own: Actuals, Channel actuals and Diagnosis
show their empty state (the stage names, nothing to date, "no actuals yet", the hint where
to type) and Goals its examples, unjudged. :func:`values_without_actuals` gives those
values by cell, so ``kpi-planner fill`` can write them as cached values without evaluating
a formula.

Where the cells sit comes from the grids (:mod:`.grid`, the Plan sheet's months from
:mod:`kpi_planner.workbook.sheets.plan.grid`) and, for Goals and Channel actuals, which have
no grid yet, from their modules (Channel actuals' empty values too). The layouts are read
for one thing: the check that every formula cell of each sheet has its value lays each
sheet out to find its formula cells (the batch's hot path skips it).
"""

from __future__ import annotations

from collections.abc import Sequence

import kpi_engine
from kpi_engine.phasing import period_labels
from kpi_planner.workbook.a1 import column_letter
from kpi_planner.workbook.sheets.plan.grid import MONTH_COLUMNS
from kpi_planner.workbook.sheets.tracking import channel_actuals
from kpi_planner.workbook.sheets.tracking.channel_actuals import (
    CHANNEL_ACTUALS,
    channel_actuals_sheet,
)
from kpi_planner.workbook.sheets.tracking.diagnosis import diagnosis_sheet
from kpi_planner.workbook.sheets.tracking.goals import FIRST_GOAL_ROW, GOAL_ROWS, GOALS, goals_sheet
from kpi_planner.workbook.sheets.tracking.grid import (
    ACTUALS,
    DIAGNOSIS,
    HINT,
    HINT_TEXT,
    KPI_COLUMNS,
    NO_ACTUALS,
    TrackingGrid,
    TrackingInputs,
)
from kpi_planner.workbook.sheets.tracking.layout import actuals_sheet


def values_without_actuals(
    stages: Sequence[str],
    check: bool = True,
    channel_names: Sequence[object] = (),
    entry: str = "",
    month_labels: Sequence[str] = tuple(period_labels(12)),
    quarter_labels: Sequence[str] = tuple(period_labels(4)),
) -> dict[str, dict[str, object]]:
    """Every formula cell of Actuals, Channel actuals, Diagnosis and Goals while no month is
    closed, by sheet.

    What the formulas give before any actuals and goals: the stage names, nothing to
    date, no rates, the focus area "no actuals yet", empty goal rows; on Channel actuals
    the Channels sheet's ``channel_names`` (by row) and ``entry`` stage ("": none valid).
    The months' and quarters' headers are the Plan sheet's ``month_labels`` and
    ``quarter_labels`` (the engine's ``MonthLabels`` and ``QuarterLabels``; calendar ones by
    default). A batch writes these as cached values.
    ``check`` verifies that every formula cell of the sheets has its value.
    """
    n = len(stages)
    grid = TrackingGrid(n)
    actuals = {f"A{grid.first_actual_row + i}": str(stage) for i, stage in enumerate(stages)}
    actuals |= {f"{column}5": label for column, label in zip(MONTH_COLUMNS, month_labels,
                                                              strict=True)}  # fmt: skip
    diagnosis: dict[str, object] = _period_headers(grid, month_labels, quarter_labels)
    for i, stage in enumerate(stages):
        row = grid.first_diagnosis_row + i
        diagnosis |= {f"A{row}": str(stage), f"B{row}": 0.0, f"C{row}": 0.0, f"D{row}": ""}
        if i < n - 1:
            diagnosis |= {f"E{row}": "", f"G{row}": "", f"H{row}": "", f"I{row}": False}
    f = grid.focus_row
    diagnosis |= {f"B{f}": NO_ACTUALS, f"B{f + 1}": "", f"B{f + 2}": "", HINT: HINT_TEXT}
    sheet_stages = [str(stage) for stage in stages]
    templates_by_play = kpi_engine.play_templates(sheet_stages)
    for offset, (key, play) in enumerate(kpi_engine.playbook_for(sheet_stages).items()):
        row = grid.playbook_row + 1 + offset
        if offset:
            diagnosis[f"A{row}"] = key
        templates = templates_by_play[key]
        for column, text in (("B", play.action), (KPI_COLUMNS[0], ", ".join(play.kpis))):
            template = templates.action if column == "B" else ", ".join(templates.kpis)
            if "{" in template:  # a formula naming a stage: its value is the named text
                diagnosis[f"{column}{row}"] = text
    monthly_header = grid.monthly_header_row
    for i, stage in enumerate(stages):
        row = monthly_header + 1 + i
        diagnosis |= {f"A{row}": str(stage), f"B{row}": ""}
        diagnosis |= {f"{column}{row}": "" for column in MONTH_COLUMNS}
        quarter_row = monthly_header + n + 3 + i
        diagnosis |= {f"A{quarter_row}": str(stage)}
        diagnosis |= {f"{column_letter(3 + q)}{quarter_row}": "" for q in range(4)}
    # No goals yet: every calculated column of every goal row is empty.
    goals = {f"{column}{FIRST_GOAL_ROW + k}": "" for k in range(GOAL_ROWS)
             for column in "HIJKLMN"}  # fmt: skip
    by_channel = channel_actuals.values_without_actuals(channel_names, entry)
    found = {ACTUALS: actuals, CHANNEL_ACTUALS: by_channel, DIAGNOSIS: diagnosis, GOALS: goals}
    if not check:  # the batch's hot path: the tests check the coverage once
        return found
    empty = TrackingInputs()
    for sheet, values in ((actuals_sheet(stages, empty)[0], actuals),
                          (channel_actuals_sheet(n)[0], by_channel),
                          (diagnosis_sheet(stages, empty)[0], diagnosis),
                          (goals_sheet()[0], goals)):  # fmt: skip
        formulas = {c.ref for c in sheet.cells if c.is_formula}
        if formulas != values.keys():  # a formula added to the layout without its value
            raise AssertionError(f"{sheet.title}: {sorted(formulas ^ values.keys())}")
    return found


def _period_headers(
    grid: TrackingGrid, month_labels: Sequence[str], quarter_labels: Sequence[str]
) -> dict[str, object]:
    """Diagnosis's headers of the months' and the quarters' attainment tables."""
    months = zip(MONTH_COLUMNS, month_labels, strict=True)
    headers: dict[str, object] = {f"{c}{grid.monthly_header_row}": label for c, label in months}
    for q, label in enumerate(quarter_labels):
        headers[f"{column_letter(3 + q)}{grid.quarterly_header_row}"] = label
    return headers
