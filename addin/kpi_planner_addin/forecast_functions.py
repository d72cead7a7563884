"""Excel custom functions of the forecast: the weighted pipeline, where the year lands with
its range, and next quarter's pipeline pacing.

Thin wrappers over :mod:`kpi_engine.forecast` and :mod:`kpi_engine.pacing`, re-exported by
:mod:`.functions` (the module the add-in registers). A weighted pipeline is also
``=SUMPRODUCT(amounts, probabilities)``; WEIGHTED_PIPELINE refuses what SUMPRODUCT would add
silently (a probability of 150 %, text among the amounts).
"""

from __future__ import annotations

import xlwings as xw

import kpi_engine

from .excel_values import CATEGORY, _optional, arg, excel_function

#: FORECAST_LANDING's rows, top down.
LANDING_ROWS = ("Closed to date", "Open, expected", "To create, expected", "Landing",
                "Gap to goal", "P10", "P50", "P90", "Chance of the goal", "Range")  # fmt: skip


def _cells(values: object) -> list[object]:
    """A range's cells as a list (one value: a list of one), empty cells kept."""
    if isinstance(values, list | tuple):
        return [cell for part in values for cell in _cells(part)]
    return [values]


def _deals(amounts: object, probabilities: object) -> tuple[list, list]:
    """The deals of two ranges, rows empty in both dropped (a range sized for more deals
    than it holds); an amount without its probability, or one beside nothing, is named by
    the engine as empty."""
    values, chances = _cells(amounts), _cells(probabilities)
    if len(values) != len(chances):
        rule = f"has {len(chances)} cells for {len(values)} amounts: give ranges of one size"
        raise kpi_engine.KPIInputError([kpi_engine.Problem("probabilities", len(chances),
                                                           rule)])  # fmt: skip
    kept = [(a, p) for a, p in zip(values, chances, strict=True)
            if not (a is None and p is None)]  # fmt: skip
    return [a for a, _ in kept], [p for _, p in kept]


@xw.func(category=CATEGORY)
@arg("amounts", "Each open opportunity's amount (a column).", ndim=1)
@arg("probabilities", "Each one's chance to be won, as fractions: 0.3 or 30% (a column "
     "beside the amounts).", ndim=1)  # fmt: skip
@excel_function()
def WEIGHTED_PIPELINE(amounts, probabilities):
    """Expected revenue of open opportunities: the sum of amount x probability (Salesforce's
    expected revenue). =WEIGHTED_PIPELINE({200000;50000}, {0.3;0.8}) is 100,000."""
    return kpi_engine.weighted_pipeline(*_deals(amounts, probabilities))


@xw.func(category=CATEGORY)
@arg("closed", "Revenue won so far this year.")
@arg("amounts", "Each open opportunity closing this year: its amount (a column).", ndim=1)
@arg("probabilities", "Each one's chance to be won (a column beside the amounts).", ndim=1)
@arg("planned", "Revenue expected from opportunities still to be created. Default 0.")
@arg("goal", "The year's revenue goal: adds the gap and the chance of reaching it.")
@excel_function()
def FORECAST_LANDING(closed, amounts, probabilities, planned=0.0, goal=None):
    """Where the year lands: closed + open deals weighted + planned, the gap to the goal,
    and the range (P10, P50, P90, the chance of the goal; each deal won or lost on its
    own). A table of labels and values."""
    values, chances = _deals(amounts, probabilities)
    for name, amount in (("closed", closed), ("planned", _optional(planned, 0.0))):
        if amount < 0:
            rule = "must be 0 or more: revenue won or expected cannot be negative"
            raise kpi_engine.KPIInputError([kpi_engine.Problem(name, amount, rule)])
    base = closed + _optional(planned, 0.0)
    spread = kpi_engine.landing_range(values, chances, base, goal)
    expected = kpi_engine.weighted_pipeline(values, chances)
    landing = base + expected
    gap = "" if goal is None else max(goal - landing, 0.0)
    chance = "" if spread.chance_of_goal is None else spread.chance_of_goal
    shown = (closed, expected, _optional(planned, 0.0), landing, gap, spread.p10, spread.p50,
             spread.p90, chance, spread.method)  # fmt: skip
    return [[label, value] for label, value in zip(LANDING_ROWS, shown, strict=True)]


@xw.func(category=CATEGORY)
@arg("quarter_target", "Next quarter's revenue target.")
@arg("coverage", "The pipeline coverage it should start with: 3 for 3x.")
@excel_function()
def DAY_ONE_PIPELINE(quarter_target, coverage):
    """The pipeline a quarter should start with: its target x the coverage.
    =DAY_ONE_PIPELINE(20000000, 3.5) is 70,000,000."""
    return kpi_engine.day_one_target(quarter_target, coverage)


@xw.func(category=CATEGORY)
@arg("pipeline_now", "Next quarter's pipeline in hand today.")
@arg("day_one_target", "The pipeline next quarter should start with (DAY_ONE_PIPELINE).")
@arg("share_by_now", "Of a day-one pipeline, the share a typical quarter had built by this "
     "day of the quarter before: 0.65 for 65 %. Default 1 (all of it).")  # fmt: skip
@excel_function(
    renames={
        "day_one": "day_one_target",
        "share_by_then": "share_by_now",
        "needed_now": "day_one_target",
    }
)
def PIPELINE_PACING(pipeline_now, day_one_target, share_by_now=1.0):
    """The pipeline in hand against what is needed by now (day-one target x share by now):
    1 is on pace. =PIPELINE_PACING(650000, 1000000) is 0.65; =PIPELINE_PACING(975000,
    1500000, 0.65) is 1."""
    needed = kpi_engine.pipeline_needed_by(day_one_target, _optional(share_by_now, 1.0))
    return kpi_engine.pipeline_pacing(pipeline_now, needed)
