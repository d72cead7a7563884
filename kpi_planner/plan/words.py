"""The one map from the engine's names for a plan's inputs to the plan's own: a problem the
frame of plans reports, named by its scenario column (``rate_1 (Visits -> Leads rate)``,
``weight_3 (weights[2])``, ``curve``), read back as the input it is about.

:func:`input_column` gives the scenario column of :func:`~kpi_planner.plan.one_plan.
scenario_row` that a problem is about (``rate_1``, ``weight_3``, ``curve_1``...), which
``fill`` turns into the user's column; :func:`in_field_words` words a problem by the
fields of :class:`~kpi_planner.plan.one_plan.PlanInputs` (``rates[0] (Visits -> Leads)``),
as ``build``, the ribbon and the add-in show it.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence

from kpi_engine import Problem
from kpi_engine.errors import NO_ROW, show_value
from kpi_planner.inputs.plan_fields import BY_FIELD, LIST_FIELDS

#: The engine's names of the plan's inputs -> their fields of PlanInputs (the rest of the
#: engine's names are the fields' own: deal_size, stages, growth, gross_margin...).
ENGINE_NAMES = {"goal": "revenue_goal", "revenue": "revenue_goal", "spend": "marketing_budget",
                "investment": "marketing_budget", "revenue_per_period": "deal_size",
                "rates": "rates", "weights": "seasonality", "lag_days": "lag_days",
                "curve": "close_rate_curve", "generated": "opportunities_created"}  # fmt: skip
#: The engine's list arguments -> the prefix of the plan's numbered columns.
LIST_COLUMNS = {name: BY_FIELD[field].column for name, field in ENGINE_NAMES.items()
                if field in BY_FIELD and BY_FIELD[field].is_list}  # fmt: skip
#: The engine's name of a list as a whole (its total) -> its field of PlanInputs.
WHOLE_LISTS = {"weights": "seasonality", "lag_days": "lag_days", "curve": "close_rate_curve"}
#: Results the engine checks that no single input names: volumes and customers of 0.
RESULTS = ("new_customers", "cac")


def input_column(problem: Problem) -> str:
    """The scenario column a problem of the frame of plans is about: the column it names
    first (``rate_1`` of ``rate_1 (Visits -> Leads rate)``), or the numbered column of an
    engine list argument (``curve[2]`` -> ``curve_3``); else the name as it is."""
    column = problem.argument.split(" ", 1)[0]
    indexed = re.fullmatch(r"(\w+)\[(\d+)\]", column)
    if indexed and indexed.group(1) in LIST_COLUMNS:
        return f"{LIST_COLUMNS[indexed.group(1)]}{int(indexed.group(2)) + 1}"
    return column


def in_field_words(problem: Problem, stages: Sequence[str], lists: dict[str, list]) -> Problem:
    """``problem`` named by its field of PlanInputs, for one plan (no row).

    ``stages`` name the transitions of the rates; ``lists`` holds the plan's lists by field
    (``seasonality``...), shown whole where the problem is about the list as a whole.
    """
    column = input_column(problem)
    numbered = re.fullmatch(r"([a-z]+_)(\d+)", column)
    if numbered and numbered.group(1) in LIST_FIELDS:
        index = int(numbered.group(2)) - 1
        argument = f"{LIST_FIELDS[numbered.group(1)]}[{index}]"
        if numbered.group(1) == "rate_":
            argument += f" ({stages[index]} -> {stages[index + 1]})"
    elif column in WHOLE_LISTS:
        argument = WHOLE_LISTS[column]
        if argument in lists and column == "weights":
            return _one_plan(problem, argument, lists[argument])
    elif column in stages or problem.argument in stages:
        argument = problem.argument  # a stage's volume, by the stage's whole name
    else:
        argument = column  # a scenario column: the field, or a channel's column
    return _one_plan(problem, argument, problem.value)


def _one_plan(problem: Problem, argument: str, value: object) -> Problem:
    return dataclasses.replace(problem, argument=argument, value=value, row=NO_ROW)


def engine_field(argument: str) -> tuple[str, int | None, str]:
    """The field of PlanInputs an engine argument names, the list item's index (None for
    a single value or a list as a whole), and the rest of the argument's text.

    >>> engine_field("rates[1] (Leads -> MQL)"), engine_field("spend")
    (('rates', 1, '(Leads -> MQL)'), ('marketing_budget', None, ''))
    """
    head, _, rest = argument.partition(" ")
    indexed = re.fullmatch(r"(\w+)\[(\d+)\]", head)
    name, index = (indexed.group(1), int(indexed.group(2))) if indexed else (head, None)
    return ENGINE_NAMES.get(name, name), index, rest


def field_order(problem: Problem, fields: Sequence[str]) -> int:
    """Where a problem's field comes among ``fields`` (the plan's inputs in order); results
    the engine checks come last."""
    name = re.split(r"[\[ .]", problem.argument, maxsplit=1)[0]
    return fields.index(name) if name in fields else len(fields)


def is_finite(value: object) -> bool:
    """Whether a problem's value is a finite number (text and lists count as finite)."""
    try:
        return math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def each_once(problems: Sequence[Problem]) -> list[Problem]:
    """Each problem once, in order: the same argument, shown value and rule are one problem
    (a missing number, NaN, is reported by every calculation that reads it)."""
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for problem in problems:
        key = (problem.argument, show_value(problem.value), problem.rule)
        if key not in seen:
            seen.add(key)
            unique.append(problem)
    return unique
