"""Where everything sits on the "Channels" sheet, and its input cells: data for
:mod:`.layout` (the layout) and :mod:`.formulas` (its formulas).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kpi_engine.channels import Channel
from kpi_planner.workbook.a1 import column_letter
from kpi_planner.workbook.spec import Name

CHANNELS = "Channels"
#: Channel rows of the sheet: the issue's "up to at least 8".
SLOTS = 8
ENTRY_ROW, CUSTOMERS_ROW, BUDGET_ROW, CHECK_ROW = 5, 6, 7, 8
EXAMPLE_NOTE_ROW = 3  # under the sheet's note: says while its channels are the examples
INPUT_HEADER = 10
FIRST_INPUT = INPUT_HEADER + 1
SHARE_TOTAL_ROW = FIRST_INPUT + SLOTS
RESULT_HEADER = SHARE_TOTAL_ROW + 2
FIRST_RESULT = RESULT_HEADER + 1
TOTAL_ROW = FIRST_RESULT + SLOTS
COST_HEADER = TOTAL_ROW + 2
FIRST_COST = COST_HEADER + 1
COST_TOTAL_ROW = FIRST_COST + SLOTS
SUMMARY_HEADER = COST_TOTAL_ROW + 2
NEEDED_ROW, GIVEN_ROW, GAP_ROW, REACH_ROW, REVENUE_ROW = range(SUMMARY_HEADER + 1,
                                                               SUMMARY_HEADER + 6)  # fmt: skip
OPTIMAL_HEADER = REVENUE_ROW + 13  # below the chart of budget by channel
OPTIMAL_NOTE = OPTIMAL_HEADER + 1
OPTIMAL_COLUMNS_ROW = OPTIMAL_NOTE + 1
FIRST_OPTIMAL = OPTIMAL_COLUMNS_ROW + 1
OPTIMAL_TOTAL_ROW = FIRST_OPTIMAL + SLOTS
BINDING_ROW = OPTIMAL_TOTAL_ROW + 1

MONEY, UNIT_COST, VOLUME, PERCENT = "#,##0", "#,##0.00", "#,##0.0", "0.0%"
#: Calculated cells that are blank (a stage above the entry, an empty channel row) or 0
#: show as "-", as elsewhere in the workbook.
VOLUME_OR_DASH = "#,##0.0;-#,##0.0;-"
NOT_OPTIMISED = ("Not computed yet: the ribbon's Optimise channel mix, or kpi-planner build "
                 "--optimise, writes the cheapest mix within each channel's max share and max "
                 "volume here, as values.")  # fmt: skip
OPTIMISED = ("The solver's mix (HiGHS) for the inputs when it was written: values, not "
             "formulas, so they do not follow later edits; optimise again after a "
             "change.")  # fmt: skip
#: The check cell's messages (the sheet's own words for the engine's rules).
#: The built-in template's example channels, which a plan keeps until the user types theirs.
EXAMPLE_CHANNEL_NAMES = ("Paid search", "Events", "Content and SEO")
#: What the Channels sheet says while its channels are those examples.
EXAMPLE_NOTE = ("These channels are the built-in example's, not yours: type your own over "
                "them (name, share, cost per unit).")  # fmt: skip
CHECK_ENTRY = "Type an entry stage above the last: one of the Plan's stage names."
CHECK_NONE = "Name at least one channel."


def col(index: int) -> str:
    return column_letter(index)


@dataclass(frozen=True)
class ChannelGrid:
    """Where each block of the sheet sits, for a plan of ``stages`` stages."""

    stages: int

    @property
    def steps(self) -> int:
        return self.stages - 1

    def own_column(self, step: int) -> str:
        """The input column of the channels' own rate of ``step`` (1 = top stage -> 2nd)."""
        return col(5 + step)

    def stage_column(self, stage: int) -> str:
        """The results' column of ``stage`` (1 = top)."""
        return col(1 + stage)

    @property
    def budget_column(self) -> str:
        return col(2 + self.stages)

    @property
    def cac_column(self) -> str:
        return col(3 + self.stages)

    @property
    def budget_share_column(self) -> str:
        return col(4 + self.stages)

    @property
    def limits_column(self) -> str:
        return col(5 + self.stages)

    # Helper columns (hidden): each channel's workings, on its input row.
    @property
    def first_helper(self) -> int:
        return self.stages + 7

    @property
    def used_column(self) -> str:
        return col(self.first_helper)

    def rate_column(self, step: int) -> str:
        """The rate each channel converts at in ``step``: its own or the plan's (1 above
        the entry stage, so the product is its yield from the entry down)."""
        return col(self.first_helper + step)

    @property
    def yield_column(self) -> str:
        return col(self.first_helper + self.stages)

    @property
    def weight_column(self) -> str:
        return col(self.first_helper + self.stages + 1)

    @property
    def spend_weight_column(self) -> str:
        return col(self.first_helper + self.stages + 2)

    @property
    def problem_column(self) -> str:
        return col(self.first_helper + self.stages + 3)

    @property
    def shown_column(self) -> str:
        """1 where a channel row is named and the inputs pass the check: its results show."""
        return col(self.first_helper + self.stages + 4)

    @property
    def helper_columns(self) -> tuple[str, ...]:
        return tuple(col(self.first_helper + k) for k in range(self.stages + 5))

    @property
    def last_visible_column(self) -> str:
        return col(max(5 + self.steps, 5 + self.stages))


def stage_name(stage: int | str) -> str:
    return f"INDEX(StageNames,{stage})"


def step_name(step: int) -> str:
    """The Excel text of a step's name, ``Leads -> MQL``, from the stage names."""
    return f'{stage_name(step)}&" -> "&{stage_name(step + 1)}'


def input_cells(stages: int) -> dict[str, tuple[str, str | None]]:
    """The sheet's input cells: ref -> (column of :func:`one_plan.scenario_row`, format)."""
    grid = ChannelGrid(stages)
    cells: dict[str, tuple[str, str | None]] = {f"B{ENTRY_ROW}": ("channel_entry", None)}
    for i in range(1, SLOTS + 1):
        row = FIRST_INPUT + i - 1
        cells |= {f"A{row}": (f"chname_{i}", None), f"B{row}": (f"chshare_{i}", PERCENT),
                  f"C{row}": (f"chcost_{i}", UNIT_COST), f"D{row}": (f"chmaxshare_{i}", PERCENT),
                  f"E{row}": (f"chmaxvol_{i}", MONEY)}  # fmt: skip
        for step in range(1, grid.steps + 1):
            cells[f"{grid.own_column(step)}{row}"] = (f"chrate_{i}_{step}", PERCENT)
    return cells


#: Defined names of the sheet's single inputs -> their column of :func:`one_plan.scenario_row`.
SCALAR_NAMES = {"ChannelEntry": "channel_entry"}
#: Defined names of its ranges -> the prefix of their numbered columns.
RANGE_NAMES = {"ChannelNames": "chname_", "ChannelShares": "chshare_",
               "ChannelCosts": "chcost_", "ChannelMaxShares": "chmaxshare_",
               "ChannelMaxVolumes": "chmaxvol_",
               **{f"Channel{i}Rates": f"chrate_{i}_" for i in range(1, SLOTS + 1)}}  # fmt: skip


def range_counts(stages: int) -> dict[str, int]:
    """How many cells each of :data:`RANGE_NAMES` has, for a funnel of ``stages``."""
    return {name: SLOTS if prefix.count("_") == 1 else stages - 1
            for name, prefix in RANGE_NAMES.items()}  # fmt: skip


def channel_columns(channels: Sequence[Channel], entry: int, stages: int) -> dict[str, object]:
    """The channels as the columns of :func:`one_plan.scenario_row`: ``chname_1`` ...; a
    channel's own rates (from the entry stage, 0-based ``entry``, down) by their step."""
    row: dict[str, object] = {}
    for i in range(1, SLOTS + 1):
        channel = channels[i - 1] if i <= len(channels) else None
        row |= {f"chname_{i}": None if channel is None else channel.name,
                f"chshare_{i}": None if channel is None else channel.share,
                f"chcost_{i}": None if channel is None else channel.cost_per_unit,
                f"chmaxshare_{i}": None if channel is None else channel.max_share,
                f"chmaxvol_{i}": None if channel is None else channel.max_volume}  # fmt: skip
        own = () if channel is None else tuple(channel.rates)
        for step in range(1, stages):
            position = step - 1 - entry
            row[f"chrate_{i}_{step}"] = own[position] if 0 <= position < len(own) else None
    return row


#: Defined names of the sheet's inputs by slot row: name -> (first column, columns).
def input_names(stages: int) -> list[Name]:
    grid = ChannelGrid(stages)
    last = FIRST_INPUT + SLOTS - 1

    def span(column: str) -> str:
        return f"${column}${FIRST_INPUT}:${column}${last}"

    first_own, last_own = grid.own_column(1), grid.own_column(grid.steps)
    names = [
        Name("ChannelEntry", CHANNELS, f"$B${ENTRY_ROW}",
             "The stage the channels bring and are paid for (Leads: cost per lead)."),
        Name("ChannelNames", CHANNELS, span("A"), "Each channel's name; empty rows are not used."),
        Name("ChannelShares", CHANNELS, span("B"),
             "Each channel's share of the entry stage; they add up to 100 %."),
        Name("ChannelCosts", CHANNELS, span("C"),
             "Each channel's cost per unit of the entry stage."),
        Name("ChannelMaxShares", CHANNELS, span("D"),
             "The most of the entry stage the optimal mix may take from a channel."),
        Name("ChannelMaxVolumes", CHANNELS, span("E"),
             "The most units of the entry stage a channel can bring (optimal mix)."),
        Name("ChannelOwnRates", CHANNELS, f"${first_own}${FIRST_INPUT}:${last_own}${last}",
             "Each channel's own rate of each step, where it differs from the plan's."),
    ]  # fmt: skip
    for i in range(1, SLOTS + 1):
        row = FIRST_INPUT + i - 1
        names.append(Name(f"Channel{i}Rates", CHANNELS, f"${first_own}${row}:${last_own}${row}",
                          f"Channel {i}'s own rate of each step, top first (empty: the "
                          "plan's).", ))  # fmt: skip
    return names


#: The single helper cells, in the used column's rows 5-8: (row, name, label).
HELPER_CELLS = (
    (ENTRY_ROW, "ChannelEntryIndex", "the entry stage's place in the funnel"),
    (CUSTOMERS_ROW, "ChannelWeightTotal", "customers per entry unit of the mix: sum(s x y)"),
    (BUDGET_ROW, "ChannelSpendTotal", "cost per entry unit of the mix: sum(s x p)"),
    (CHECK_ROW, "ChannelAboveEntry", "the plan's rates above the entry stage, multiplied"),
)
