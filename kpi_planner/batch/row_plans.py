"""The plans of a table's good rows, computed at once, and the engine's problems in the
table's own words (row and column).

:func:`plan_outputs` runs :func:`kpi_planner.plan.frame.plan_outputs_frame` on
each stage count's rows of a frame that :func:`kpi_planner.inputs.scenario_table.to_scenarios`
made, drops the rows the engine refuses, and names each problem by the user's column.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kpi_engine import KPIInputError, Problem
from kpi_planner.inputs.scenario_table import Layout, RowProblem
from kpi_planner.plan import frame as scenarios
from kpi_planner.plan.channels import OUTPUT_SHEETS
from kpi_planner.plan.words import input_column, is_finite


def plan_outputs(frame: pd.DataFrame, layout: Layout) -> tuple[dict[int, dict], list[RowProblem]]:
    """The plan outputs of every row, grouped by stage count, and the rows' problems.

    Returns ``{stage count: outputs by defined name (arrays over that group's rows, in
    order)}`` and the problems; rows with problems are left out of the outputs. Checks
    the engine's rules and that every output is a finite number.
    """
    problems: list[RowProblem] = []
    groups: dict[int, dict] = {}
    for count, group in frame.groupby("stage_count", sort=True):
        count = int(count)
        if count < 2:
            continue
        columns = _funnel_columns(layout, count)
        sub = group[columns]
        names = tuple(str(layout.defaults.get(f"stage_{i}", f"Stage {i}"))
                      for i in range(1, count + 1))  # fmt: skip
        outputs = None
        # The engine checks inputs before the results that follow from them (a volume of 0
        # makes CAC undefined), so a row may show a later problem only once the rows with
        # earlier ones are out: drop the bad rows and go again; each pass drops at least one.
        while len(sub):
            try:
                with np.errstate(all="ignore"):
                    outputs = scenarios.plan_outputs_frame(sub, names)
                break
            except KPIInputError as err:
                found = _translate(err.problems, layout)
                problems += found
                bad_lines = {p.line for p in found}
                if not bad_lines & set(sub.index):  # no progress: a bug, not the user's input
                    raise
                sub = sub.loc[[line for line in sub.index if line not in bad_lines]]
        if outputs is None:
            continue
        overflow = _overflowing(outputs, sub.index, names)
        problems += overflow
        if overflow:
            keep = ~np.isin(sub.index, [p.line for p in overflow])
            outputs = {name: values[keep] for name, values in outputs.items()}
            sub = sub[keep]
        if not len(sub):  # every row of the group overflows: no plan to write
            continue
        groups[count] = {"lines": list(sub.index), "outputs": outputs}
    return groups, problems


def _funnel_columns(layout: Layout, count: int) -> list[str]:
    scalar = [c for c in layout.frame_columns if not c.startswith(("stage_", "rate_", "lag_"))]
    steps = range(1, count)
    return [*scalar, *(f"stage_{i}" for i in range(1, count + 1)),
            *(f"rate_{i}" for i in steps), *(f"lag_{i}" for i in steps)]  # fmt: skip


def _translate(found: Sequence[Problem], layout: Layout) -> list[RowProblem]:
    """The engine's problems as row / user column / reason, in words of the plan's inputs."""
    user = layout.user_column
    translated = []
    for problem in found:
        column = input_column(problem)  # rates[0] -> rate_1; rate_1 (...) -> rate_1
        if column == "curve":  # the curve as a whole (its total): the first share names it
            translated.append(RowProblem(int(problem.row), user["curve_1"], problem.value,
                                         f"the close-rate curve {problem.rule}"))  # fmt: skip
            continue
        if column == "lag_days":  # the lags together (more than a year): the first names them
            translated.append(RowProblem(int(problem.row), user["lag_1"], problem.value,
                                         f"with the lags after it, {problem.rule}"))  # fmt: skip
            continue
        if column in user and is_finite(problem.value):
            # A value that is a list (the channels a row names: none) is the row's, not a cell's.
            value = None if isinstance(problem.value, (list, tuple)) else problem.value
            translated.append(RowProblem(int(problem.row), user[column], value, problem.rule))
            continue
        # A result the engine checked (a stage's volume, new customers, CAC): name the
        # input that leads to it.
        if column == "cac":
            where, reason = "marketing_budget", "a budget of 0 makes LTV:CAC undefined"
        elif not is_finite(problem.value):
            where = column if column in user else "revenue_goal"
            shown = user.get(column, problem.argument)
            reason = (f"the plan overflows ({shown} would be {problem.value}): check the "
                      "revenue goal, deal size, rates and weights")  # fmt: skip
        else:
            where = "revenue_goal"
            reason = (f"the plan needs {problem.value} {problem.argument}, so cost per stage "
                      "and CAC are undefined: give a goal of at least one customer")  # fmt: skip
        value = None
        translated.append(RowProblem(int(problem.row), user[where], value, reason))
    return list(dict.fromkeys(translated))


def _overflowing(outputs: dict, lines: pd.Index, stages: Sequence[str]) -> list[RowProblem]:
    """Rows with an output that is not a finite number (the inputs' arithmetic overflows)."""
    bad = np.zeros(len(lines), dtype=bool)
    first: dict[int, str] = {}
    for name, values in outputs.items():
        if np.asarray(values).dtype == object:  # text (the timeline's month labels)
            continue
        array = np.asarray(values, dtype=float).reshape(len(lines), -1)
        # Some outputs are blank (NaN) by design (an empty channel row, a stage above the
        # entry, no margin to pay CAC back): there only an infinity overflows.
        blank = name in scenarios.BLANK_OUTPUTS
        finite = ~np.isinf(array) if blank else np.isfinite(array)
        wrong = ~finite.all(axis=1)
        for position in np.flatnonzero(wrong & ~bad):
            first[int(position)] = name
        bad |= wrong
    reason = (
        "the plan overflows: {name} is not a finite number; check the revenue goal, "
        "deal size, rates and seasonality weights for values too large or too small"
    )
    return [RowProblem(int(lines[p]), "(the plan)", None, reason.format(name=_shown(first[p])))
            for p in np.flatnonzero(bad)]  # fmt: skip


def _shown(output: str) -> str:
    """An output as a user finds it: the Plan sheet's are defined names of the workbook; the
    Channels and What-if sheets' inner columns are named by their sheet."""
    sheet = OUTPUT_SHEETS.get(output)
    return output if sheet is None else f"a value of the {sheet} sheet ({output})"
