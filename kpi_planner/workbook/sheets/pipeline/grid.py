"""Where everything sits on the "Pipeline" sheet, its input cells, and where each of its
formula cells' values comes from: data for :mod:`.layout` (the sheet), :mod:`.values` (the
engine's value of each formula cell) and the plan's inputs (the curve's months, the
opportunities' months).
"""

from __future__ import annotations

from collections.abc import Sequence

from kpi_planner.workbook.a1 import column_letter

PIPELINE = "Pipeline"
#: Months of the curve: won in the month of creation, then 1 to 12 months later.
CURVE_MONTHS = 13
#: A curve for a plan that has none measured yet: half of the opportunities won over five
#: months, as the seed example's opportunity-to-customer rate of 50 %.
DEFAULT_CURVE = (0.05, 0.15, 0.15, 0.1, 0.05)
#: The curve's columns (C..O) and the months' (C..Z: the year before's 12, the plan year's).
CURVE_COLUMNS = tuple(column_letter(3 + k) for k in range(CURVE_MONTHS))
MONTH_COLUMNS = tuple(column_letter(3 + j) for j in range(24))
PLAN_MONTHS = MONTH_COLUMNS[12:]
YEAR_COLUMN = "AA"

CURVE_ROW, REVERSED_ROW = 5, 6
LABELS_ROW, PLANNED_ROW, CREATED_ROW, COUNTED_ROW = 9, 10, 11, 12
EXPECTED_ROW, NEEDED_ROW, GAP_ROW, RUNNING_ROW = 13, 14, 15, 16
COVERAGE_ROW = 18

#: Defined names of the sheet's outputs (cached by the batch, checked by the tests).
OUTPUT_NAMES = ("CloseRateTotal", "PipelineCheck", "OpportunitiesPlanned",
                "OpportunitiesCounted", "ExpectedCloses", "ClosesNeeded", "PipelineGap",
                "PipelineGapRunning", "PipelineCoverage")  # fmt: skip
#: Defined name of each range input -> the prefix of its numbered scenario columns.
RANGE_INPUT_NAMES = {"CloseRateCurve": "curve_", "OpportunitiesCreated": "created_"}
#: What the curve's check cell says when the curve is wrong, by fault.
CHECK_TEXT = {"over": "The curve adds up to more than 100 %: fix it.",
              "zero": "The curve is all 0: type the share won each month."}  # fmt: skip


def curve_values(curve: Sequence[float]) -> tuple[float, ...]:
    """A curve padded with 0 to the sheet's 13 months."""
    return tuple(float(c) for c in curve) + (0.0,) * (CURVE_MONTHS - len(curve))


def input_cells() -> dict[str, tuple[str, str | None]]:
    """The sheet's input cells: ref -> (scenario column, number format)."""
    cells: dict[str, tuple[str, str | None]] = {
        f"{column}{CURVE_ROW}": (f"curve_{k + 1}", "0.0%") for k, column in enumerate(CURVE_COLUMNS)
    }
    cells |= {f"{column}{CREATED_ROW}": (f"created_{j + 1}", "#,##0.0")
              for j, column in enumerate(MONTH_COLUMNS)}  # fmt: skip
    return cells


def formula_sources() -> dict[str, tuple[str, tuple[int, ...]]]:
    """Where each formula cell's value comes from: (output name, index into its array), the
    names of :func:`.values.pipeline_outputs` and the Plan sheet's ``TimelineLabels``."""
    sources: dict[str, tuple[str, tuple[int, ...]]] = {
        f"P{CURVE_ROW}": ("CloseRateTotal", ()),
        f"Q{CURVE_ROW}": ("PlanOpportunityRate", ()),
        f"R{CURVE_ROW}": ("PipelineCheck", ()),
        f"B{COVERAGE_ROW}": ("PipelineCoverage", ()),
    }
    for k, column in enumerate(CURVE_COLUMNS):
        sources[f"{column}{REVERSED_ROW}"] = ("CurveReversed", (k,))
    for j, column in enumerate(MONTH_COLUMNS):
        sources[f"{column}{LABELS_ROW}"] = ("TimelineLabels", (0, j))
        sources[f"{column}{PLANNED_ROW}"] = ("OpportunitiesPlanned", (j,))
        sources[f"{column}{COUNTED_ROW}"] = ("OpportunitiesCounted", (j,))
    by_row = {EXPECTED_ROW: "ExpectedCloses", NEEDED_ROW: "ClosesNeeded", GAP_ROW: "PipelineGap",
              RUNNING_ROW: "PipelineGapRunning"}  # fmt: skip
    for row, name in by_row.items():
        for m, column in enumerate(PLAN_MONTHS):
            sources[f"{column}{row}"] = (name, (m,))
    for row, name in ((EXPECTED_ROW, "ExpectedYear"), (NEEDED_ROW, "NeededYear"),
                      (GAP_ROW, "GapYear")):  # fmt: skip
        sources[f"{YEAR_COLUMN}{row}"] = (name, ())
    return sources
