"""The Channels and What-if sheets' outputs from a plan's inputs: one plan or a frame.

A plan's channel inputs travel as the flat columns of :func:`one_plan.scenario_row`
(``channel_entry``, ``chname_1``, ``chshare_1``, ... ``chrate_1_2``, ``whatif_step``);
:func:`sheet_outputs` reads them, for one row or many, and returns every output of both
sheets by name, from :mod:`kpi_planner.workbook.sheets.channels.values` and
:mod:`kpi_planner.workbook.sheets.whatif.values`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from kpi_engine import KPIInputError, Problem
from kpi_engine.channels import Channel
from kpi_engine.whatif import read_step
from kpi_planner.workbook.sheets.channels.grid import EXAMPLE_CHANNEL_NAMES, SLOTS
from kpi_planner.workbook.sheets.channels.values import (
    ChannelInputs,
    channel_outputs,
    read_channels,
)
from kpi_planner.workbook.sheets.whatif.grid import Scenario
from kpi_planner.workbook.sheets.whatif.values import scenario_outputs, whatif_outputs

#: The template's channels: what the README's example starts from, no limits and no own
#: rates (they would tie every plan to the seed's funnel and scale).
DEFAULT_CHANNELS = tuple(
    Channel(name, share, cost)
    for name, share, cost in zip(
        EXAMPLE_CHANNEL_NAMES, (0.5, 0.3, 0.2), (60.0, 150.0, 25.0), strict=True
    )
)


#: The outputs of both sheets that are text (names, labels, checks), not numbers.
TEXT_OUTPUTS = ("ChannelsCheck", "ChannelsExampleNote", "ChannelProblems", "ChannelNamesShown",
                "ChannelHeaders", "StepNames", "StepRateLabels", "ChannelLimits", "WhatIfCheck",
                "WhatIfTopLabel", "TopSavedHeader", "LeverName", "RankedName", "ScenarioLabels",
                "ScenarioNamesShown", "ScenarioStageLabels")  # fmt: skip


def _output_sheets() -> dict[str, str]:
    from kpi_planner.workbook.sheets.channels.formulas import formula_sources
    from kpi_planner.workbook.sheets.whatif.formulas import formula_sources as whatif_sources

    return {name: sheet for sheet, sources in (("Channels", formula_sources(2)),
                                               ("What-if", whatif_sources(2)))
            for name, _ in sources.values() if name != "StageNames"}  # fmt: skip


#: The sheet (Channels or What-if) of each output of both sheets, by name.
OUTPUT_SHEETS = _output_sheets()
#: Every output of both sheets, by name.
OUTPUT_NAMES = frozenset(OUTPUT_SHEETS)


def _column(table: Mapping[str, Sequence], name: str, count: int, dtype=float) -> np.ndarray:
    if name not in table:
        return np.full(count, np.nan if dtype is float else None, dtype=dtype)
    if dtype is float:
        given = np.asarray(table[name])
        if given.dtype.kind in "biuf":  # numbers already (most columns of a table)
            return given.astype(float)
        try:  # numbers and None, which numpy reads as NaN
            return np.array(given.tolist(), dtype=float)
        except (TypeError, ValueError):  # a blank ("") among them
            return np.array([np.nan if v is None or v == "" else float(v) for v in given.tolist()])
    values = np.asarray(table[name], dtype=object)
    return np.array([None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
                     for v in values.tolist()], dtype=object)  # fmt: skip


def channel_inputs(table: Mapping[str, Sequence], stages: int, rows: Sequence) -> ChannelInputs:
    """The channel inputs of every row of a table of scenario columns."""
    count = len(rows)
    steps = stages - 1

    def slots(prefix: str, dtype=float) -> np.ndarray:
        return np.stack([_column(table, f"{prefix}{i}", count, dtype)
                         for i in range(1, SLOTS + 1)], axis=1)  # fmt: skip

    own = np.stack([np.stack([_column(table, f"chrate_{i}_{j}", count) for j in
                              range(1, steps + 1)], axis=1) for i in range(1, SLOTS + 1)],
                   axis=1)  # fmt: skip
    names = np.stack([_column(table, f"stage_{k}", count, object) for k in range(1, stages + 1)],
                     axis=1)  # fmt: skip
    return ChannelInputs(slots("chname_", object), slots("chshare_"), slots("chcost_"),
                         slots("chmaxshare_"), slots("chmaxvol_"), own,
                         _column(table, "channel_entry", count, object), names,
                         list(rows))  # fmt: skip


def _steps(table: Mapping[str, Sequence], count: int, rows: Sequence) -> np.ndarray:
    """Each row's what-if step, checked by the engine's rule (``whatif_step``)."""
    values = _column(table, "whatif_step", count)
    problems = []
    for value, row in zip(values.tolist(), rows, strict=True):
        try:
            read_step(value)
        except KPIInputError as err:
            problems += [Problem("whatif_step", p.value, p.rule, row) for p in err.problems]
    if problems:
        raise KPIInputError(problems)
    return values


def sheet_outputs(
    table: Mapping[str, Sequence],
    stages: int,
    plan: Mapping[str, np.ndarray],
    rows: Sequence,
    scenarios: Sequence[Sequence[Scenario]] | None = None,
) -> dict[str, np.ndarray]:
    """Every output of the Channels and What-if sheets for each row of ``table`` (columns
    of :func:`one_plan.scenario_row`); ``plan`` holds the Plan sheet's outputs of the same rows
    (``RequiredAnnual``, ``PlannedCAC``). Problems name the rows and columns."""
    count = len(rows)
    inputs = channel_inputs(table, stages, rows)
    rates = np.stack([_column(table, f"rate_{j}", count) for j in range(1, stages)], axis=1)
    step = _steps(table, count, rows)
    groups = read_channels(inputs, rates)
    customers = np.asarray(plan["RequiredAnnual"], dtype=float)[:, -1]
    budget = _column(table, "marketing_budget", count)
    deal = _column(table, "deal_size", count)
    channels = channel_outputs(inputs, customers, rates, budget, deal, groups)
    base = {"revenue_goal": _column(table, "revenue_goal", count), "deal_size": deal,
            "marketing_budget": budget, "rates": rates, "costs": inputs.costs,
            "whole_numbers": np.asarray(table["whole_numbers"], dtype=bool)}  # fmt: skip
    whatif = whatif_outputs(inputs, groups, customers, step, deal)
    return channels | whatif | scenario_outputs(inputs, channels, dict(plan), base, scenarios)


def row_channels(row: Mapping[str, object], stages: int) -> tuple[Channel, ...]:
    """The channels of one row of scenario columns, as :class:`kpi_engine.Channel` (own
    rates from the entry stage down), the named rows only."""
    names = [str(row[f"stage_{k}"]) for k in range(1, stages + 1)]
    entry = names.index(row["channel_entry"]) if row["channel_entry"] in names else 0

    def number(column: str) -> float | None:
        value = row.get(column)
        return None if value is None or value != value else float(value)

    found = []
    for i in range(1, SLOTS + 1):
        name = row.get(f"chname_{i}")
        if not isinstance(name, str) or not name.strip():
            continue
        own = [number(f"chrate_{i}_{step}") for step in range(entry + 1, stages)]
        while own and own[-1] is None:
            own.pop()
        found.append(Channel(name, number(f"chshare_{i}"), number(f"chcost_{i}"), tuple(own),
                             number(f"chmaxvol_{i}"), number(f"chmaxshare_{i}")))  # fmt: skip
    return tuple(found)


def in_plan_words(problem: Problem, channels: Sequence[Channel]) -> Problem:
    """A problem named by a scenario column (``chshare_2``), in the words of
    :class:`one_plan.PlanInputs` (``channels[1] (Events) share``)."""
    found = re.fullmatch(r"ch(name|share|cost|maxshare|maxvol|rate)_(\d+)(?:_(\d+))?",
                         problem.argument)  # fmt: skip
    if found is None:
        return problem
    field, slot, step = found.group(1), int(found.group(2)), found.group(3)
    channel = channels[slot - 1] if slot <= len(channels) else None
    label = f"channels[{slot - 1}]" + (f" ({channel.name})" if channel and channel.name else "")
    what = {"name": ".name", "share": " share", "cost": " cost_per_unit",
            "maxshare": " max_share", "maxvol": " max_volume",
            "rate": f" rate of step {step}"}[field]  # fmt: skip
    argument = f"channels[{slot - 1}].name" if field == "name" else label + what
    return Problem(argument, problem.value, problem.rule, problem.row, problem.undefined)
