"""Excel custom functions of a company's plan: the ARR bridge, a source's share of the goal
in deals, segment funnels rolled up by stage name, and targets that ramp.

Thin wrappers over :mod:`kpi_engine.company` and :mod:`kpi_engine.rollup`, re-exported by
:mod:`.functions` (the module the add-in registers). What a plain formula does as well is
left to Excel: a goal less an expansion goal (``=B1-B2``), a share of a goal in money
(``=B1*B2``), a segment's goal (``=Goal*Share``).
"""

from __future__ import annotations

import xlwings as xw

import kpi_engine

from .excel_values import CATEGORY, _flat, _optional, arg, excel_function

#: ARR_BRIDGE's rows, top down: the first four add up to the last.
BRIDGE_ROWS = ("Starting ARR", "Expansion", "Churn and contraction", "New logos", "Ending ARR")


@xw.func(category=CATEGORY)
@arg("starting_arr", "Annual recurring revenue at the start of the year.")
@arg("net_retention", "Net revenue retention (NRR), expansion included, as a fraction: 1.1 "
     "or 110% for 110 %.")  # fmt: skip
@arg("gross_retention", "Gross revenue retention (GRR), without expansion, as a fraction: "
     "0.9 or 90%; at most net_retention.")  # fmt: skip
@arg("target_arr", "The ARR the year must end with.")
@excel_function()
def ARR_BRIDGE(starting_arr, net_retention, gross_retention, target_arr):
    """The year's ARR bridge, and what new logos must bring: a table of labels and amounts
    (starting ARR, expansion, churn and contraction as a negative, new logos, ending ARR)."""
    bridge = kpi_engine.arr_bridge(
        starting_arr,
        net_retention=net_retention,
        gross_retention=gross_retention,
        target_arr=target_arr,
    )
    # Churn and contraction as a decrease: the rows above the ending ARR add up to it, as a
    # bridge reads (and as a waterfall chart takes decreases).
    amounts = (bridge.starting_arr, bridge.expansion, -bridge.churn_and_contraction,
               bridge.new_logo_arr, bridge.ending_arr)  # fmt: skip
    return [[label, amount] for label, amount in zip(BRIDGE_ROWS, amounts, strict=True)]


@xw.func(category=CATEGORY)
@arg("goal", "The company's revenue goal.")
@arg("share", "The source's share of it, as a fraction: 0.25 or 25%.")
@arg("deal_size", "The source's average revenue per deal.")
@arg("whole_numbers", "TRUE (the default) rounds up to whole deals; FALSE gives the exact "
     "number.")  # fmt: skip
@excel_function(flags=("whole_numbers",))
def SOURCED_DEALS(goal, share, deal_size, whole_numbers=True):
    """The deals a source (marketing, partners, SDRs) must bring for its share of the goal:
    goal x share / deal size, rounded up to whole deals."""
    target = kpi_engine.sourced_target(goal, share, deal_size)
    return target.whole_deals if _optional(whole_numbers, True) else target.deals


@xw.func(category=CATEGORY)
@arg("stage_names", "Each segment's stage names, top first: one row per segment, stages "
     "across; a shorter funnel leaves its last cells empty.", ndim=2)  # fmt: skip
@arg("volumes", "Each stage's volume, in the same shape as stage_names.", ndim=2)
@arg("segment_names", "Optional: each segment's name, one per row (for the messages).",
     ndim=1)  # fmt: skip
@excel_function(text=("stage_names", "segment_names"))
def SEGMENT_ROLLUP(stage_names, volumes, segment_names=None):
    """Several segments' funnels added up by stage name: a table of the company's stages,
    top first, and each one's total volume over the segments that have it."""
    labels = [str(name) for name in _flat("segment_names", segment_names)]
    funnels = _funnels(_rows(stage_names), _rows(volumes), labels)
    try:
        rolled = kpi_engine.roll_up({label: {stage: cell[0] for stage, cell in funnel.items()}
                                     for label, funnel in funnels.items()})  # fmt: skip
    except kpi_engine.KPIInputError as err:
        raise kpi_engine.KPIInputError([_in_cells(p, funnels) for p in err.problems]) from None
    return [[stage, rolled.totals[stage]] for stage in rolled.stages]


@xw.func(category=CATEGORY)
@arg("targets", "4 quarterly or 12 monthly revenue targets (a row or column range).", ndim=1)
@arg("seasonality", "Optional, with quarterly targets: 12 monthly weights that split each "
     "quarter between its months; default evenly.", ndim=1)  # fmt: skip
@excel_function()
def RAMP_WEIGHTS(targets, seasonality=None):
    """Quarterly or monthly targets as the plan's 12 monthly seasonality weights (a row):
    each month's share of its quarter's target; they add up to the year's goal."""
    months = None if seasonality is None else _flat("seasonality", seasonality)
    return [kpi_engine.ramp_weights(_flat("targets", targets), months)]


# -- SEGMENT_ROLLUP's ranges ----------------------------------------------------------------

#: A segment's funnel: stage name -> (volume, its cell's row and column in the ranges).
Funnel = dict[str, tuple[float, int, int]]


class _Shape(str):
    """A range's shape in a message, written as it is (``2 rows x 3 columns``)."""

    def __repr__(self) -> str:
        return str(self)


def _shape(rows: list[list[object]]) -> _Shape:
    def count(n: int, what: str) -> str:
        return f"{n} {what}" if n == 1 else f"{n} {what}s"

    return _Shape(f"{count(len(rows), 'row')} x {count(max(map(len, rows), default=0), 'column')}")


def _rows(values: object) -> list[list[object]]:
    """A 2-D range as rows of cells, "" (a formula's empty text) read as an empty cell."""
    rows = values if isinstance(values, list) else [[values]]
    return [[None if cell == "" else cell for cell in row] for row in rows]


def _funnels(names: list[list[object]], volumes: list[list[object]],
             labels: list[str]) -> dict[str, Funnel]:  # fmt: skip
    """Each segment's stages and volumes, read from the two ranges cell by cell; every cell
    that does not make sense is a problem naming it. Rows with neither are not segments."""
    if _shape(names) != _shape(volumes):
        rule = f"must have the shape of stage_names ({_shape(names)}): a volume per stage"
        raise kpi_engine.KPIInputError([kpi_engine.Problem("volumes", _shape(volumes), rule)])
    problems, funnels = [], {}
    for r, (name_row, volume_row) in enumerate(zip(names, volumes, strict=True)):
        if all(cell is None for cell in name_row):
            if any(volume not in (None, 0) for volume in volume_row):
                rule = "has volumes but no stage names: name the stages or clear the row"
                problems.append(kpi_engine.Problem(f"stage_names[{r}]", None, rule))
            continue
        label = labels[r] if r < len(labels) and labels[r] else f"segment {r + 1}"
        funnel: Funnel = {}
        for c, (name, volume) in enumerate(zip(name_row, volume_row, strict=True)):
            where = f"[{r}][{c}] ({label})"
            problem = _cell_problem(where, name, volume, funnel)
            if problem is not None:
                problems.append(problem)
            elif name is not None:
                funnel[name.strip()] = (volume, r, c)
        if label in funnels:
            rule = "is the name of an earlier row: give each segment its own name"
            problems.append(kpi_engine.Problem(f"segment_names[{r}]", label, rule))
        funnels[label] = funnel
    if problems:
        raise kpi_engine.KPIInputError(problems)
    if not funnels:
        rule = "is empty: give each segment's stage names, one row per segment"
        raise kpi_engine.KPIInputError([kpi_engine.Problem("stage_names", None, rule)])
    return funnels


def _cell_problem(where: str, name: object, volume: object,
                  above: Funnel) -> kpi_engine.Problem | None:  # fmt: skip
    """What is wrong with a stage's name and volume cells, or None."""
    if name is None:
        if volume in (None, 0):  # a shorter funnel; 0 is what =A1 shows for an empty A1
            return None
        rule = "has no stage name in stage_names: name the stage or clear the cell"
        return kpi_engine.Problem(f"volumes{where}", volume, rule)
    if not isinstance(name, str):
        return kpi_engine.Problem(f"stage_names{where}", name, "is not text: give the stage's name")
    if name.strip() in above:
        rule = "is a stage of this segment already: each stage once per segment"
        return kpi_engine.Problem(f"stage_names{where}", name, rule)
    if volume is None:
        return kpi_engine.Problem(f"volumes{where}", None, f"is required: give {name}'s volume")
    if volume < 0:
        return kpi_engine.Problem(f"volumes{where}", volume, "must be 0 or more")
    return None


def _in_cells(problem: kpi_engine.Problem, funnels: dict[str, Funnel]) -> kpi_engine.Problem:
    """The engine's problem with a stage name (``stages of segment 'US'``) as the cell of
    stage_names that holds it (``stage_names[1][1] (US)``)."""
    for label, funnel in funnels.items():
        if problem.argument == f"stages of segment {label!r}" and problem.value in funnel:
            _, r, c = funnel[problem.value]
            return kpi_engine.Problem(f"stage_names[{r}][{c}] ({label})", problem.value,
                                      problem.rule)  # fmt: skip
    return problem
