"""The "Channel actuals" sheet: each channel's year to date against its share of the plan.

The team types what each channel brought and cost to date (the months closed on the
Actuals sheet): volume of the entry stage, customers, spend. The sheet paces each channel's
plan (its volumes on the Channels sheet) like the Plan's months, and shows attainment, cost
per unit and CAC to date against plan, and the channel to fix, in live formulas.
:func:`sheet_outputs` is the same by :func:`kpi_engine.channel_attainment`; the tests
evaluate the formulas independently and compare.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

import kpi_engine
from kpi_planner.workbook.sheets.channels.grid import SLOTS
from kpi_planner.workbook.spec import Cell, Name, Sheet, Validation

__all__ = ["CHANNEL_ACTUALS", "channel_actuals_sheet", "entry_position", "sheet_outputs",
           "values_without_actuals"]  # fmt: skip

CHANNEL_ACTUALS = "Channel actuals"
ENTRY_ROW, ENTRY_PACE_ROW, CUSTOMER_PACE_ROW, JUDGED_ROW = 3, 4, 5, 6
HEADER_ROW = 7
FIRST_ROW = HEADER_ROW + 1
LAST_ROW = FIRST_ROW + SLOTS - 1
FOCUS_ROW = LAST_ROW + 2
#: The channel-to-fix cell's words when nothing is judged.
NO_ACTUALS, NO_CHANNEL_ACTUALS, ON_PLAN = "no actuals yet", "no actuals by channel yet", "on plan"
#: What the judgement is by: customers once some are due and typed, else the entry stage.
BY_CUSTOMERS, BY_ENTRY = "customers", "entry stage"
COUNT, MONEY, UNIT_COST, PERCENT = "#,##0;-#,##0;-", "#,##0", "#,##0.00", "0.0%"
VOLUME = "#,##0.0;-#,##0.0;-"
#: The columns of money: spend, costs per unit and CACs.
MONEY_COLUMNS = frozenset("DIJKL")
#: Each column: (header, defined name, role, number format, description).
COLUMNS = {
    "A": ("Channel", "ChannelActualNames", "formula", None, "The Channels sheet's channel names."),
    "B": ("Entry volume to date", "ChannelActualEntry", "input", COUNT,
          "Each channel's volume of the entry stage to date, as typed."),
    "C": ("Customers to date", "ChannelActualCustomers", "input", COUNT,
          "Each channel's customers won to date, as typed."),
    "D": ("Spend to date", "ChannelActualSpend", "input", MONEY,
          "Each channel's spend to date, as typed."),
    "E": ("Planned entry to date", "ChannelPlannedEntry", "formula", VOLUME,
          "Each channel's entry volume in the year x the share of the year due."),
    "F": ("Entry attainment", "ChannelEntryAttainment", "output", PERCENT,
          "Entry volume to date / planned."),
    "G": ("Planned customers to date", "ChannelPlannedCustomers", "formula", VOLUME,
          "Each channel's customers in the year x the share of the year due."),
    "H": ("Customer attainment", "ChannelCustomerAttainment", "output", PERCENT,
          "Customers to date / planned."),
    "I": ("Cost per entry unit to date", "ChannelUnitCostToDate", "formula", UNIT_COST,
          "Spend to date / entry volume to date (cost per lead...)."),
    "J": ("Plan cost per entry unit", "ChannelPlanUnitCost", "formula", UNIT_COST,
          "The Channels sheet's cost per unit of the entry stage."),
    "K": ("CAC to date", "ChannelCACToDate", "output", MONEY, "Spend to date / customers to date."),
    "L": ("Plan CAC", "ChannelPlanCAC", "formula", MONEY, "The Channels sheet's CAC."),
    "M": ("Short of plan by", "ChannelShortfall", "formula", VOLUME,
          "Planned - actual (customers or the entry stage, as Judged by), where attainment "
          "is below 1 - the tolerance."),
}  # fmt: skip
TYPED, CUSTOMERS_TYPED = "N", "O"  # hidden helpers: actuals (customers) a named row has


def entry_position(index: object) -> int | None:
    """The entry stage's 0-based place from the Channels sheet's ``ChannelEntryIndex`` (a
    1-based MATCH), None where it matched no stage (NaN: the sheet's #N/A)."""
    valid = isinstance(index, float | int) and not isinstance(index, bool) and math.isfinite(index)
    return int(index) - 1 if valid else None


def _row_formulas(slot: int, row: int, stages: int) -> dict[str, str]:
    """The formulas of one channel row (``slot`` 1-based)."""
    guard = f'OR($A{row}="",MonthsClosed=0)'

    def ratio(top: str, bottom: str) -> str:
        return (f'=IF({guard},"",IF(AND(ISNUMBER({top}{row}),ISNUMBER({bottom}{row})),'
                f'IFERROR({top}{row}/{bottom}{row},""),""))')  # fmt: skip

    def plan(value: str) -> str:
        return f'=IF({guard},"",IFERROR({value},""))'

    short = ('IF(AND(ISNUMBER({a}{r}),{a}{r}<1-FocusTolerance),{p}{r}-{x}{r},"")').format
    by_customers = f'$B${JUDGED_ROW}="{BY_CUSTOMERS}"'
    return {
        "A": f'=IF(INDEX(ChannelNames,{slot})="","",INDEX(ChannelNames,{slot}))',
        "E": plan(f"INDEX(ChannelVolumes,{slot},ChannelEntryIndex)*$B${ENTRY_PACE_ROW}"),
        "F": ratio("B", "E"),
        "G": plan(f"INDEX(ChannelVolumes,{slot},{stages})*$B${CUSTOMER_PACE_ROW}"),
        "H": ratio("C", "G"),
        "I": ratio("D", "B"),
        "J": plan(f"INDEX(ChannelUnitCosts,{slot},ChannelEntryIndex)"),
        "K": ratio("D", "C"),
        "L": plan(f"INDEX(ChannelCAC,{slot})"),
        "M": f'=IF({guard},"",IF({by_customers},{short(a="H", p="G", x="C", r=row)},'
             f'{short(a="F", p="E", x="B", r=row)}))',
        TYPED: f'=IF($A{row}="",0,COUNT(B{row}:D{row}))',
        CUSTOMERS_TYPED: f'=IF($A{row}="",0,COUNT(C{row}))',
    }  # fmt: skip


def channel_actuals_sheet(
    stages: int, actuals: Sequence[Sequence[float | None]] = ()
) -> tuple[Sheet, list[Name]]:
    """The sheet for a funnel of ``stages``; ``actuals``: (entry, customers, spend) to date
    per channel row, top first (fewer rows than :data:`SLOTS`, or none, leave the rest empty)."""
    cells = _heading_cells(stages)
    cells += _focus_cells()
    cells += [Cell(f"{column}{HEADER_ROW}", header, "header")
              for column, (header, *_) in COLUMNS.items()]  # fmt: skip
    for slot in range(1, SLOTS + 1):
        typed_row = actuals[slot - 1] if slot <= len(actuals) else (None, None, None)
        cells += _channel_row_cells(slot, typed_row, stages)
    return _sheet(cells), _names()


def _heading_cells(stages: int) -> list[Cell]:
    """The title, the entry stage, the share of the plan due to date and what judges it."""
    pace = 'IF(MonthsClosed=0,"",IFERROR(INDEX(PlannedToDate,{0})/INDEX(RequiredAnnual,{0}),""))'
    return [
        Cell("A1", "Actuals by channel", "title"),
        Cell(
            "A2",
            "Type each channel's year to date in the yellow cells: the months closed "
            "on the Actuals sheet. Each channel's plan is its share on the Channels sheet, "
            "paced like the Plan's months.",
            "note",
        ),
        Cell(f"A{ENTRY_ROW}", "Entry stage", "label"),
        Cell(f"B{ENTRY_ROW}", '=IFERROR(INDEX(StageNames,ChannelEntryIndex),"")', "formula"),
        Cell(
            f"C{ENTRY_ROW}",
            "The stage the channels bring (Channels sheet): its volume goes in column B.",
            "note",
        ),
        Cell(f"A{ENTRY_PACE_ROW}", "Plan due to date: entry stage", "label"),
        Cell(f"B{ENTRY_PACE_ROW}", "=" + pace.format("ChannelEntryIndex"), "formula", PERCENT),
        Cell(f"A{CUSTOMER_PACE_ROW}", "Plan due to date: customers", "label"),
        Cell(f"B{CUSTOMER_PACE_ROW}", "=" + pace.format(stages), "formula", PERCENT),
        Cell(f"A{JUDGED_ROW}", "Judged by", "label"),
        Cell(
            f"B{JUDGED_ROW}",
            f'=IF(MonthsClosed=0,"",IF(AND(SUM($G${FIRST_ROW}:$G${LAST_ROW})>0,'
            f'SUM({CUSTOMERS_TYPED}{FIRST_ROW}:{CUSTOMERS_TYPED}{LAST_ROW})>0),"{BY_CUSTOMERS}",'
            f'"{BY_ENTRY}"))',
            "formula",
        ),
        Cell(
            f"C{JUDGED_ROW}", "Customers once some are due and typed; else the entry stage.", "note"
        ),
        Cell(
            f"C{ENTRY_PACE_ROW}",
            "The share of the year's plan due in the months closed "
            "(the Plan's months: seasonality and lags).",
            "note",
        ),
    ]


def _focus_cells() -> list[Cell]:
    """The channel to fix (or why none is named) and its attainment to date."""
    names_range = f"$A${FIRST_ROW}:$A${LAST_ROW}"
    shortfall = f"$M${FIRST_ROW}:$M${LAST_ROW}"
    typed = f"{TYPED}{FIRST_ROW}:{TYPED}{LAST_ROW}"
    focus = (f'=IF(MonthsClosed=0,"{NO_ACTUALS}",IF(SUM({typed})=0,"{NO_CHANNEL_ACTUALS}",'
             f'IF(COUNT({shortfall})=0,"{ON_PLAN}",'
             f'INDEX({names_range},MATCH(MAX({shortfall}),{shortfall},0)))))')  # fmt: skip
    found = f"MATCH($B${FOCUS_ROW},{names_range},0)"
    attained = (f'=IFERROR(IF($B${JUDGED_ROW}="{BY_CUSTOMERS}",'
                f"INDEX($H${FIRST_ROW}:$H${LAST_ROW},{found}),"
                f'INDEX($F${FIRST_ROW}:$F${LAST_ROW},{found})),"")')  # fmt: skip
    return [
        Cell(f"A{FOCUS_ROW}", "Channel to fix", "header"),
        Cell(f"B{FOCUS_ROW}", focus, "output"),
        Cell(f"A{FOCUS_ROW + 1}", "Its attainment to date", "label"),
        Cell(f"B{FOCUS_ROW + 1}", attained, "formula", PERCENT),
        Cell(
            f"A{FOCUS_ROW + 2}",
            "The channel short of plan by more than the Diagnosis "
            "sheet's tolerance that loses the most against plan (Short of plan by).",
            "note",
        ),
    ]


def _channel_row_cells(slot: int, typed_row: Sequence[float | None], stages: int) -> list[Cell]:
    """One channel row (``slot`` 1-based): its typed actuals, formulas and hidden helpers."""
    row = FIRST_ROW + slot - 1
    formulas = _row_formulas(slot, row, stages)
    cells = []
    for column, (_, _, role, number_format, _) in COLUMNS.items():
        if role == "input":
            value = typed_row["BCD".index(column)]
            cells.append(Cell(f"{column}{row}", value, "input", number_format,
                              money=column in MONEY_COLUMNS))  # fmt: skip
        else:
            cells.append(Cell(f"{column}{row}", formulas[column], role, number_format,
                              money=column in MONEY_COLUMNS))  # fmt: skip
    cells += [
        Cell(f"{column}{row}", formulas[column], "formula", "0")
        for column in (TYPED, CUSTOMERS_TYPED)
    ]
    return cells


def _names() -> list[Name]:
    """The sheet's defined names: one per column, then the channel to fix and the pace."""
    names = [Name(name, CHANNEL_ACTUALS, f"${column}${FIRST_ROW}:${column}${LAST_ROW}", text)
             for column, (_, name, _, _, text) in COLUMNS.items()]  # fmt: skip
    names += [
        Name("ChannelToFix", CHANNEL_ACTUALS, f"$B${FOCUS_ROW}",
             "The channel furthest short of its plan to date, or why none is named."),
        Name("ChannelToFixAttainment", CHANNEL_ACTUALS, f"$B${FOCUS_ROW + 1}",
             "The channel to fix's attainment to date."),
        Name("EntryDueToDate", CHANNEL_ACTUALS, f"$B${ENTRY_PACE_ROW}",
             "The share of the year's entry stage the plan has due to date."),
        Name("ChannelJudgedBy", CHANNEL_ACTUALS, f"$B${JUDGED_ROW}",
             "What the channel to fix is judged by: customers, or the entry stage."),
        Name("CustomersDueToDate", CHANNEL_ACTUALS, f"$B${CUSTOMER_PACE_ROW}",
             "The share of the year's customers the plan has due to date."),
    ]  # fmt: skip
    return names


def _sheet(cells: list[Cell]) -> Sheet:
    """The sheet of ``cells``, with its validation, widths and hidden helper columns."""
    validations = (Validation(f"B{FIRST_ROW}:D{LAST_ROW}", "decimal", "greaterThanOrEqual", "0",
                              error="Volumes and spend to date are 0 or more."),)  # fmt: skip
    widths = {"A": 30} | {column: 13 for column in "BCDEFGHIJKLM"}
    return Sheet(CHANNEL_ACTUALS, tuple(cells), column_widths=widths,
                 row_heights={HEADER_ROW: 45}, freeze=f"B{FIRST_ROW}", validations=validations,
                 print_area=f"A1:M{FOCUS_ROW + 2}",
                 hidden_columns=(TYPED, CUSTOMERS_TYPED))  # fmt: skip


def sheet_outputs(
    outputs: Mapping[str, object],
    planned_to_date: Sequence[float],
    months_closed: int,
    actuals: Sequence[Sequence[float | None]],
    tolerance: float = 0.1,
) -> dict[str, object]:
    """The engine's value of every output of the sheet, by defined name ("" where the sheet
    shows nothing). ``outputs`` are the plan's (:func:`one_plan.plan_outputs` ``.by_name()``:
    ``ChannelVolumes``, ``RequiredAnnual``...) with the channel names by slot under
    ``"ChannelNames"``; ``planned_to_date`` is the Diagnosis sheet's, per stage."""
    given = list(outputs["ChannelNames"])
    names = ["" if n in (None, "") else str(n) for n in given + [None] * (SLOTS - len(given))]
    values = _outputs_without_actuals(names)
    if months_closed == 0:
        return values
    named = [i for i, name in enumerate(names) if name]
    volumes = np.asarray(outputs["ChannelVolumes"], dtype=float)[named]
    annual = np.asarray(outputs["RequiredAnnual"], dtype=float)
    entry = entry_position(outputs["ChannelEntryIndex"])
    (planned_entry, entry_due), (planned_customers, customers_due) = (
        _to_date(volumes, planned_to_date, annual, stage) for stage in (entry, len(annual) - 1)
    )
    padded = (list(actuals) + [(None,) * 3] * SLOTS)[:SLOTS]
    typed = np.array([[np.nan if v is None else float(v) for v in row] for row in padded])[named]
    result = kpi_engine.channel_attainment(
        [names[i] for i in named], planned_entry, planned_customers, typed[:, 0], typed[:, 1],
        typed[:, 2], tolerance=tolerance,
    )  # fmt: skip
    values |= _channel_columns(result, named, outputs, entry)
    values |= {
        "EntryDueToDate": entry_due,
        "CustomersDueToDate": customers_due,
        "ChannelJudgedBy": BY_CUSTOMERS if result.by_customers else BY_ENTRY,
    }
    return values | _channel_to_fix(result)


def _outputs_without_actuals(names: Sequence[str]) -> dict[str, object]:
    """Every output while no month is closed: the channel names by slot, the rest empty."""
    values: dict[str, object] = {
        name: np.full(SLOTS, "", dtype=object)
        for _, name, role, _, _ in COLUMNS.values() if role != "input"
    }  # fmt: skip
    values |= {"ChannelActualNames": np.array(names, dtype=object), "ChannelToFix": NO_ACTUALS,
               "ChannelToFixAttainment": "", "EntryDueToDate": "", "CustomersDueToDate": "",
               "ChannelJudgedBy": ""}  # fmt: skip
    return values


def _to_date(
    volumes: np.ndarray, planned_to_date: Sequence[float], annual: np.ndarray, stage: int | None
) -> tuple[np.ndarray, object]:
    """The channels' plan to date of ``stage`` and the share of the year due ("": none)."""
    if stage is None or not annual[stage] > 0:
        return np.full(len(volumes), np.nan), ""
    due = kpi_engine.channel_to_date([1.0], planned_to_date[stage], annual[stage])
    return kpi_engine.channel_to_date(volumes[:, stage], planned_to_date[stage],
                                      annual[stage]), float(due[0])  # fmt: skip


def _laid(found: np.ndarray, named: Sequence[int]) -> np.ndarray:
    """The named channels' values on their rows of :data:`SLOTS` ("" elsewhere, or for NaN)."""
    column = np.full(SLOTS, "", dtype=object)
    for i, value in zip(named, found.tolist(), strict=True):
        column[i] = value if np.isfinite(value) else ""
    return column


def _channel_columns(
    result: kpi_engine.ChannelAttainment,
    named: Sequence[int],
    outputs: Mapping[str, object],
    entry: int | None,
) -> dict[str, np.ndarray]:
    """The sheet's calculated columns, by defined name, laid on the channel rows."""
    unit_costs = np.asarray(outputs["ChannelUnitCosts"], dtype=float)[named]
    plan_unit_cost = np.full(len(named), np.nan) if entry is None else unit_costs[:, entry]
    return {
        "ChannelPlannedEntry": _laid(result.planned_entry, named),
        "ChannelEntryAttainment": _laid(result.entry_attainment, named),
        "ChannelPlannedCustomers": _laid(result.planned_customers, named),
        "ChannelCustomerAttainment": _laid(result.customer_attainment, named),
        "ChannelUnitCostToDate": _laid(result.cost_per_unit, named),
        "ChannelPlanUnitCost": _laid(plan_unit_cost, named),
        "ChannelCACToDate": _laid(result.cac, named),
        "ChannelPlanCAC": _laid(np.asarray(outputs["ChannelCAC"], dtype=float)[named], named),
        "ChannelShortfall": _laid(result.shortfall, named),
    }


def _channel_to_fix(result: kpi_engine.ChannelAttainment) -> dict[str, object]:
    """The channel to fix, or why none is named, and its attainment to date."""
    if not result.has_actuals:
        return {"ChannelToFix": NO_CHANNEL_ACTUALS}
    if result.focus is None:
        return {"ChannelToFix": ON_PLAN}
    attainment = result.customer_attainment if result.by_customers else result.entry_attainment
    focus = float(attainment[result.names.index(result.focus)])
    return {"ChannelToFix": result.focus, "ChannelToFixAttainment": focus}


def values_without_actuals(names: Sequence[object], entry: str) -> dict[str, object]:
    """Every formula cell of the sheet while no month is closed, by cell: the channel names
    (by slot; None, "" or NaN for an empty row) and the entry stage's name ("" if none)."""
    values: dict[str, object] = {f"B{ENTRY_ROW}": entry, f"B{ENTRY_PACE_ROW}": "",
                                 f"B{CUSTOMER_PACE_ROW}": "", f"B{JUDGED_ROW}": "",
                                 f"B{FOCUS_ROW}": NO_ACTUALS,
                                 f"B{FOCUS_ROW + 1}": ""}  # fmt: skip
    for slot in range(1, SLOTS + 1):
        row = FIRST_ROW + slot - 1
        name = names[slot - 1] if slot <= len(names) else None
        # An empty row's name may come as None, "" or NaN (an empty cell of a table).
        shown = "" if name is None or name == "" or name != name else name
        values |= {f"{column}{row}": "" for column, (_, _, role, _, _) in COLUMNS.items()
                   if role != "input"}  # fmt: skip
        values[f"A{row}"] = shown
        values[f"{TYPED}{row}"] = values[f"{CUSTOMERS_TYPED}{row}"] = 0.0
    return values
