"""Tables of channels, as ``kpi-planner plan --channels TABLE`` and the ribbon's "Optimise
channel mix" read them: one row per channel, cells read as people type them.

The table (CSV, Excel, Parquet, or YAML: a list of mappings) has one row per channel:

========================  ===================================================================
column                    what
========================  ===================================================================
``channel`` (``name``)    its name, unique
``share``                 its share of the entry stage's volume (``40%`` or ``0.4``); the
                          shares add up to 100 %. Not needed with ``--optimise`` alone.
``cost per lead``         cost per unit of the entry stage (``cost per unit``, ``cost``, ``cpl``)
``max share``             optional: the most the optimal mix may take from it (``30%``)
``max volume``            optional: the most units of the entry stage it can bring
``Leads -> MQL`` ...      optional: its own rate of that step, where it differs from the plan's
========================  ===================================================================

Column names match ignoring case and punctuation. Every computation is :mod:`kpi_engine`'s
(:mod:`~kpi_engine.channels`, :mod:`~kpi_engine.channel_mix`, :mod:`~kpi_engine.whatif`).
A mistake names the file, the row (as a spreadsheet numbers it: the header is row 1) and
the column, and nothing is printed but the error.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kpi_engine import KPIInputError, transition_names
from kpi_engine.channels import Channel
from kpi_engine.errors import show_value
from kpi_planner.inputs.scenario_table import key

_COLUMNS = {
    "name": ("channel", "name", "channelname"),
    "share": ("share",),
    "cost": ("costperlead", "costperunit", "cost", "cpl", "costperentry"),
    "max_share": ("maxshare",),
    "max_volume": ("maxvolume",),
}


def _records(path: Path) -> list[tuple[int, dict[str, object]]]:
    """(row number, {column: cell}) of each channel, from a table or a YAML list."""
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as err:
            raise ChannelTableError(f"--channels {path}: cannot be read ({err})") from None
        if not isinstance(loaded, list) or not all(isinstance(item, dict) for item in loaded):
            raise ChannelTableError(f"--channels {path}: must be a list of channels, one each")
        return [(number, dict(item)) for number, item in enumerate(loaded, start=1)]
    from kpi_planner.inputs import tables

    try:
        return tables.read_records(path)
    except (tables.TableError, OSError) as err:
        raise ChannelTableError(f"--channels {err}") from None


class ChannelTableError(ValueError):
    """A channels table that cannot be read: the message names where and why."""


@dataclass(frozen=True)
class ChannelTable:
    """The channels of a table, with where each came from, to name it in messages."""

    label: str  # how messages name the table: "--channels channels.csv"
    channels: list[Channel]
    rows: list[int]  # each channel's row, as a spreadsheet numbers it
    columns: dict[str, str | None]  # field -> the table's column for it

    def in_table_words(self, err: KPIInputError) -> str:
        """The engine's problems named by row and column: ``channels[1] (Events) cost per
        unit`` -> ``channels.csv row 3 (Events), column cost per lead``."""
        lines = []
        for problem in err.problems:
            match = re.match(r"channels\[(\d+)\](?:\.name| \((.*?)\))?\s*(.*)", problem.argument)
            if match is None:
                lines.append(f"{self.label}: {problem}")
                continue
            index, name, what = int(match.group(1)), match.group(2), match.group(3)
            fields = {"share": "share", "cost per unit": "cost", "max_share": "max_share",
                      "max_volume": "max_volume", "": "name"}  # fmt: skip
            column = self.columns.get(fields[what]) if what in fields else what
            where = f"row {self.rows[index]}" + (f" ({name})" if name else "")
            # The engine names channels by position; the table, by row.
            rule = re.sub(r"channels\[(\d+)\]", lambda m: f"row {self.rows[int(m[1])]}",
                          problem.rule)  # fmt: skip
            lines.append(f"{self.label} {where}, column "
                         f"{column or what.removesuffix(' rate')}: {show_value(problem.value)}: "
                         f"{rule}")  # fmt: skip
        return "\n".join(lines)


def read_channels(
    path: Path, stages: Sequence[str], entry: str, *, shares_needed: bool
) -> ChannelTable:
    """The channels of the table at ``path`` (CSV, Excel, Parquet or YAML)."""
    return channels_from_records(_records(path), f"--channels {path.name}", stages, entry,
                                 shares_needed=shares_needed)  # fmt: skip


def channels_from_records(
    records: list[tuple[int, dict[str, object]]],
    label: str,
    stages: Sequence[str],
    entry: str,
    *,
    shares_needed: bool,
) -> ChannelTable:
    """The channels of a table given as (row number, {column: cell}) pairs, each cell read
    as the user meant it; :class:`ChannelTableError` names the row and column of a mistake.
    ``label`` names the table in messages."""
    if not records:
        raise ChannelTableError(f"{label}: has no channels")
    found, steps, start = _find_columns(records[0][1], label, stages, entry, shares_needed)
    own_rates = len(stages) - 1 - start
    channels = [_channel(label, row, cells, found, steps, own_rates) for row, cells in records]
    return ChannelTable(label, channels, [row for row, _ in records], found)


def _find_columns(
    header: dict[str, object], label: str, stages: Sequence[str], entry: str, shares_needed: bool
) -> tuple[dict[str, str | None], dict[str, int], int]:
    """Each field's column, the own-rate steps (key -> position) and the entry's position."""
    columns = {key(c): c for c in header}
    found = {field: next((columns[k] for k in keys if k in columns), None)
             for field, keys in _COLUMNS.items()}  # fmt: skip
    start = list(stages).index(entry)
    below = transition_names(stages[start:])  # the steps a channel may have its own rate of
    steps = {key(step): j for j, step in enumerate(below)}
    known = {key(c) for c in found.values() if c is not None}
    for column in columns.values():
        if key(column) not in known and key(column) not in steps:
            raise ChannelTableError(f"{label}: column {column!r} is not a channel column "
                       f"(channel, share, cost per lead, max share, max volume, or a rate "
                       f"from {entry} down: {', '.join(below)})")  # fmt: skip
    needed = ["name", "cost", *(["share"] if shares_needed else [])]
    for field in needed:
        if found[field] is None:
            hint = "; or add --optimise to let the solver choose" if field == "share" else ""
            raise ChannelTableError(f"{label}: has no {_COLUMNS[field][0]!r} column "
                       f"(it has {', '.join(map(str, columns.values()))}){hint}")  # fmt: skip
    return found, steps, start


def _channel(
    label: str,
    row: int,
    cells: dict[str, object],
    found: dict[str, str | None],
    steps: dict[str, int],
    own_rates: int,
) -> Channel:
    """One row's channel: its name, numbers and own rates of the steps below its entry."""
    from kpi_planner.inputs.tables import is_blank

    own: list[float | None] = [None] * own_rates
    for column, value in cells.items():
        if key(column) in steps:
            own[steps[key(column)]] = _number(label, row, column, value, True)
    while own and own[-1] is None:
        own.pop()

    def cell(field: str, fraction: bool) -> float | None:
        column = found[field]
        return None if column is None else _number(label, row, column, cells.get(column), fraction)

    name = cells.get(found["name"])
    return Channel("" if is_blank(name) else str(name).strip(),
                   cell("share", True), cell("cost", False), tuple(own),
                   cell("max_volume", False), cell("max_share", True))  # fmt: skip


def _number(label: str, row: int, column: str, value: object, fraction: bool) -> float | None:
    """A channel's number in the table (None: blank), or a :class:`ChannelTableError`."""
    from kpi_planner.inputs.tables import CellError, is_blank, parse_number

    if is_blank(value):
        return None
    try:
        return parse_number(value, fraction=fraction, percent=fraction)
    except CellError as err:
        raise ChannelTableError(f"{label} row {row}, column {column}: {value!r} {err}") from None
