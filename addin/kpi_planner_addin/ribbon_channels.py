"""Ribbon "Optimise channel mix" on the Channels sheet: the solver's mix, from the channels
the sheet's defined names hold, written into the sheet's optimal-mix block as values."""

from __future__ import annotations

from kpi_planner.plan.channels import row_channels
from kpi_planner.workbook.render import xlwings_live as live
from kpi_planner.workbook.sheets.channels.layout import optimal_cells

#: The defined names of the channels' inputs -> the prefix of their scenario columns.
_INPUTS = {"ChannelNames": "chname_", "ChannelShares": "chshare_", "ChannelCosts": "chcost_",
           "ChannelMaxShares": "chmaxshare_", "ChannelMaxVolumes": "chmaxvol_"}  # fmt: skip


def is_channels_sheet(sheet, names: dict) -> bool:
    """Whether ``sheet`` is the one the Channels sheet's defined names point at."""
    if "ChannelNames" not in names:
        return False
    return names["ChannelNames"].refers_to_range.sheet.name == sheet.name


def _column(values) -> list:
    """A one-column range's values as a list (xlwings gives a lone cell as a scalar)."""
    return list(values) if isinstance(values, list) else [values]


def sheet_channels(names: dict, stages: list[str]) -> tuple[str, tuple]:
    """The entry stage and the channels (:class:`kpi_engine.Channel`) of the Channels
    sheet, read by its defined names; empty rows are left out."""
    row: dict[str, object] = {f"stage_{k}": s for k, s in enumerate(stages, start=1)}
    entry = names["ChannelEntry"].refers_to_range.value if "ChannelEntry" in names else None
    row["channel_entry"] = entry
    for name, prefix in _INPUTS.items():
        if name in names:
            for i, value in enumerate(_column(names[name].refers_to_range.value), start=1):
                row[f"{prefix}{i}"] = value
    if "ChannelOwnRates" in names:
        own = names["ChannelOwnRates"].refers_to_range.value
        for i, rates in enumerate(own if isinstance(own, list) else [], start=1):
            for step, rate in enumerate(_column(rates), start=1):
                row[f"chrate_{i}_{step}"] = rate
    return str(entry or ""), row_channels(row, len(stages))


def write_optimal(sheet, best, entry: str) -> None:
    """The solver's mix into the sheet's block (values; unused rows emptied)."""
    for cell in optimal_cells(best, {"channel_entry": entry}):
        target = sheet.range(cell.ref)
        target.value = cell.value
        live.style(target, cell)


def region_around(grid: list[list[object]], row: int, column: int) -> tuple[int, int, int, int]:
    """Excel's current region of cell (``row``, ``column``) of ``grid`` (0-based): the
    rectangle of it grown until an empty row and an empty column (or the grid's edge)
    bound it on every side, diagonals included. (top, left, bottom, right), inclusive.

    >>> grid = [[None, None, None], [None, "a", "b"], [None, 1, None], [None, None, None]]
    >>> region_around(grid, 2, 1)
    (1, 1, 2, 2)
    """
    height, width = len(grid), max((len(line) for line in grid), default=0)

    def filled(r: int, c: int) -> bool:
        return 0 <= r < height and 0 <= c < len(grid[r]) and grid[r][c] not in (None, "")

    top, left, bottom, right = row, column, row, column
    grown = True
    while grown:
        grown = False
        span = range(left - 1, right + 2)
        if top > 0 and any(filled(top - 1, c) for c in span):
            top, grown = top - 1, True
        if bottom < height - 1 and any(filled(bottom + 1, c) for c in span):
            bottom, grown = bottom + 1, True
        rows = range(top - 1, bottom + 2)
        if left > 0 and any(filled(r, left - 1) for r in rows):
            left, grown = left - 1, True
        if right < width - 1 and any(filled(r, right + 1) for r in rows):
            right, grown = right + 1, True
    return top, left, bottom, right


def current_region(selection):
    """The selection's current region: xlwings' own where the runtime has it; in xlwings
    Lite, whose synchronous API has none, the same rectangle from the sheet's used range."""
    try:
        return selection.current_region
    except NotImplementedError:
        pass
    used = selection.sheet.used_range
    grid = used.options(ndim=2).value
    top, left, bottom, right = region_around(grid, selection.row - used.row,
                                             selection.column - used.column)  # fmt: skip
    return selection.sheet.range((used.row + top, used.column + left),
                                 (used.row + bottom, used.column + right))  # fmt: skip
