"""``kpi-planner report`` by channel: the Channel actuals sheet's numbers, from its inputs.

The channels (Channels sheet) and their actuals to date (Channel actuals sheet) are read by
defined name; :mod:`kpi_engine` plans each channel and judges it, by the same function the
sheet's formulas are checked against
(:func:`kpi_planner.workbook.sheets.tracking.channel_actuals.sheet_outputs`).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

from kpi_engine import KPIInputError, Problem
from kpi_planner.inputs.named_cells import NamedCells, read_number
from kpi_planner.plan import one_plan
from kpi_planner.plan.channels import row_channels
from kpi_planner.workbook.sheets.channels import grid as channel_grid
from kpi_planner.workbook.sheets.tracking import channel_actuals

#: The sheet's typed columns, by defined name.
TYPED = ("ChannelActualEntry", "ChannelActualCustomers", "ChannelActualSpend")


def _typed(book: NamedCells) -> list[list[tuple[str, float | None]]] | None:
    """(cell, number) of entry, customers and spend, per channel row; None for a workbook
    without the sheet. A negative or non-numeric cell is an error naming it."""
    columns = [book.cells(name, required=False) for name in TYPED]
    if any(column is None for column in columns):
        return None
    problems, rows = [], []
    for cells in zip(*columns, strict=True):
        row = []
        for where, value in cells:
            try:
                number = read_number(where, value)
            except KPIInputError as err:
                problems += err.problems
                continue
            if number is not None and number < 0:
                problems.append(Problem(where, value, "must be 0 or more: a count or money "
                                        "to date"))  # fmt: skip
            row.append((where, number))
        rows.append(row)
    if problems:
        raise KPIInputError(problems)
    return rows


def _channel_row(book: NamedCells, stages: Sequence[str]) -> dict[str, object]:
    """The Channels sheet's inputs as the columns of :func:`one_plan.scenario_row`."""
    row: dict[str, object] = {f"stage_{k}": name for k, name in enumerate(stages, start=1)}
    (_, entry), *_ = book.cells("ChannelEntry")
    row["channel_entry"] = None if entry in (None, "") else str(entry)
    for name, prefix in channel_grid.RANGE_NAMES.items():
        for k, (where, value) in enumerate(book.cells(name), start=1):
            if prefix == "chname_":
                row[f"{prefix}{k}"] = None if value in (None, "") else str(value)
            else:
                row[f"{prefix}{k}"] = read_number(where, value)
    return row


def by_channel(
    book: NamedCells,
    inputs: one_plan.PlanInputs,
    planned_to_date: Sequence[float],
    months_closed: int,
    tolerance: float,
) -> dict[str, object] | None:
    """Each channel's plan vs actual to date and the channel to fix, for the report; None
    when the workbook has no actuals by channel (or no such sheet)."""
    typed = _typed(book)
    if typed is None:
        return None
    row = _channel_row(book, inputs.stages)
    named = [k for k in range(channel_grid.SLOTS) if row[f"chname_{k + 1}"] is not None]
    ignored = [f"{cells[0][0]}:{cells[-1][0].split('!')[1]}"
               for k, cells in enumerate(typed)
               if k not in named and any(number is not None for _, number in cells)]  # fmt: skip
    if ignored:
        warnings.warn(f"{', '.join(ignored)}: actuals on a row with no channel name (Channels "
                      "sheet): not counted", UserWarning, stacklevel=2)  # fmt: skip
    actuals = [tuple(number for _, number in typed[k]) for k in named]
    if not any(number is not None for values in actuals for number in values):
        return None
    channels = row_channels(row, len(inputs.stages))
    try:
        own = inputs.replace(channels=channels, channel_entry=row["channel_entry"])
        outputs = one_plan.plan_outputs(own).by_name()
    except KPIInputError as err:
        warnings.warn("actuals by channel not judged: the Channels sheet's inputs have "
                      f"problems: {err}", UserWarning, stacklevel=2)  # fmt: skip
        return None
    outputs["ChannelNames"] = [channel.name for channel in channels]
    values = channel_actuals.sheet_outputs(outputs, planned_to_date, months_closed, actuals,
                                           tolerance)  # fmt: skip
    return _record(values, actuals, inputs.stages, outputs["ChannelEntryIndex"])


def _number(value: object) -> float | None:
    return None if value == "" or value is None or not math.isfinite(value) else float(value)


#: The report's fields -> the sheet's outputs by defined name.
FIELDS = {"planned_entry": "ChannelPlannedEntry", "entry_attainment": "ChannelEntryAttainment",
          "planned_customers": "ChannelPlannedCustomers",
          "customer_attainment": "ChannelCustomerAttainment",
          "cost_per_unit": "ChannelUnitCostToDate", "plan_cost_per_unit": "ChannelPlanUnitCost",
          "cac": "ChannelCACToDate", "plan_cac": "ChannelPlanCAC",
          "short_of_plan": "ChannelShortfall"}  # fmt: skip


def _record(
    values: dict[str, object], actuals: list[tuple], stages: Sequence[str], entry_index: float
) -> dict[str, object]:
    rows = []
    for k, (entry, customers, spend) in enumerate(actuals):
        record: dict[str, object] = {"channel": str(values["ChannelActualNames"][k]),
                                     "actual_entry": entry, "actual_customers": customers,
                                     "actual_spend": spend}  # fmt: skip
        record |= {field: _number(values[name][k]) for field, name in FIELDS.items()}
        rows.append(record)
    entry = channel_actuals.entry_position(entry_index)
    return {
        "entry_stage": None if entry is None else stages[entry],
        "judged_by": values["ChannelJudgedBy"],
        "channels": rows,
        "channel_to_fix": values["ChannelToFix"],
        "attainment_of_channel_to_fix": _number(values["ChannelToFixAttainment"]),
    }
