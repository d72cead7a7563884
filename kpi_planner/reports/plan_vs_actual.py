"""Read a filled plan workbook and diagnose it: plan vs actual, the focus area, the goals.

The workbook is read by its defined names (the inputs only: formulas are not trusted to
have been calculated), and :mod:`kpi_engine` computes everything, so the report is right
even for a file Excel never opened. A cell that cannot be read is reported by sheet and
cell.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import kpi_engine
from kpi_engine import KPIInputError, Problem
from kpi_planner.inputs.currency import CurrencyError, currency_code
from kpi_planner.inputs.named_cells import NamedCells, read_number
from kpi_planner.plan import one_plan
from kpi_planner.reports import channel_actuals as channel_actuals_report
from kpi_planner.workbook.sheets.tracking import layout as tracking

#: The tolerances' value in the template (and in a workbook made before they were inputs).
TEMPLATE_TOLERANCE = tracking.TrackingInputs().tolerance


@dataclass
class Report:
    """What ``kpi-planner report`` shows."""

    stages: list[str]
    months_closed: int
    diagnosis: kpi_engine.Diagnosis | None
    goals: list[dict[str, object]]
    by_channel: dict[str, object] | None = None  # plan vs actual by channel, when typed
    deal_size: float | None = None  # the plan's, to weigh a shortfall in revenue
    currency: str = ""  # the ISO code of the plan's money (its Currency cell); "" for none
    forecast: dict[str, object] | None = None  # where the year lands, with a Forecast sheet

    def to_json(self) -> dict[str, object]:
        focus = self.diagnosis.focus if self.diagnosis else None
        data: dict[str, object] = {"months_closed": self.months_closed, "stages": self.stages}
        if self.diagnosis is not None:
            d = self.diagnosis
            # A stage with nothing planned to date has no attainment (the sheet's cell is
            # blank): null, not the division's inf or NaN, which JSON cannot hold.
            data["to_date"] = [
                {"stage": s, "planned": p, "actual": a,
                 "attainment": t if math.isfinite(t) else None}
                for s, p, a, t in zip(self.stages, d.planned.tolist(), d.actual.tolist(),
                                      d.attainment.tolist(), strict=True)
            ]  # fmt: skip
            data["focus_area"] = tracking.ON_PLAN if focus is None else focus.where
            if focus is not None and focus.play is not None:
                data["what_to_do"] = focus.play.action
                data["kpis_to_watch"] = list(focus.play.kpis)
        else:
            data["focus_area"] = tracking.NO_ACTUALS
        if self.by_channel is not None:
            data["by_channel"] = self.by_channel
        data["goals"] = self.goals
        if self.currency:
            data["currency"] = self.currency
        if self.forecast is not None:
            data["forecast"] = self.forecast
        return data


def _actuals(cells: list[tuple[str, object]], months: int) -> list[float]:
    """The actual volumes, stages x 12 months, row by row; warns of negative volumes and of
    empty cells among the months closed (read as 0), naming the cells."""
    grid, empty, negative = [], [], []
    for index, (where, value) in enumerate(cells):
        number = read_number(where, value)
        if number is None:
            if index % 12 < months:
                empty.append(where)
            number = 0.0
        elif number < 0:
            negative.append(f"{where} = {value:g}")
        grid.append(number)
    if empty:
        warnings.warn(
            f"MonthsClosed is {months}, but {_listed(empty)} are empty: read as 0; type 0 "
            "where nothing happened, or lower MonthsClosed",
            UserWarning, stacklevel=3,
        )  # fmt: skip
    if negative:
        warnings.warn(
            f"negative actual volumes: {_listed(negative)}; a volume is a count, so check "
            "these cells (used as typed)",
            UserWarning, stacklevel=3,
        )  # fmt: skip
    return grid


def _in_cells(
    found: list[Problem], book: NamedCells, stages: list[str], months: int, tolerance_cell: str
) -> list[Problem]:
    """The engine's problems with the year to date and the tolerance named as the user's
    cells."""
    cells = [where for where, _ in book.cells("ActualVolumes")]
    named = []
    for problem in found:
        stage = re.fullmatch(r"actual_volumes\[(\d+)\]", problem.argument)
        if problem.argument == "tolerance":
            named.append(Problem(tolerance_cell, problem.value, problem.rule))
        elif stage:
            i = int(stage.group(1))
            first, last = cells[12 * i], cells[12 * i + months - 1].split("!")[1]
            where = f"{first}:{last} ({stages[i]}, the {months} months closed)"
            named.append(Problem(where, f"{problem.value:g} in all", problem.rule))
        else:
            named.append(problem)
    return named


def _whole_numbers(where: str, value: object) -> bool:
    """WholeNumbers as the Plan sheet's ``IF(WholeNumbers, ...)`` reads it: TRUE or FALSE, an
    empty cell FALSE, a number TRUE unless 0. Text is refused: the sheet's formulas show
    #VALUE! for it, and read as a truth value even "FALSE" would be TRUE."""
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Real):
        return value != 0
    if _is_formula(value):  # read with data_only=False: a formula, not its result
        rule = "is a formula; the report reads typed inputs only: type TRUE or FALSE"
    else:
        rule = "must be TRUE or FALSE (typed, not as text)"
    raise KPIInputError([Problem(where, value, rule)])


def _months_closed(book: NamedCells) -> int:
    """MonthsClosed: a whole number of months from 0 (no actuals yet) to 12, as the sheet's
    validation has it; empty is 0, as the sheet's formulas read it."""
    cells = book.cells("MonthsClosed", required=False)
    if cells is None:
        return 0
    (where, value), *_ = cells
    number = read_number(where, value)
    if number is None:
        return 0
    if not (number.is_integer() and 0 <= number <= 12):
        rule = "must be a whole number of months from 0 (no actuals yet) to 12"
        raise KPIInputError([Problem(f"{where} (MonthsClosed)", value, rule)])
    return int(number)


def _tolerance(book: NamedCells, name: str) -> tuple[float, str]:
    """A tolerance (FocusTolerance, GoalTolerance) and its cell. A workbook without it (an
    older one) takes the template's 0.1; an empty cell is 0, as the sheet's formulas read
    it, so the report says what the workbook shows, with a warning."""
    cells = book.cells(name, required=False)
    if cells is None:
        return TEMPLATE_TOLERANCE, name
    (where, value), *_ = cells
    number = read_number(where, value)
    if number is None:
        warnings.warn(
            f"{where} ({name}) is empty: read as 0, as the workbook's formulas read it; "
            f"type a tolerance there (the template's is {TEMPLATE_TOLERANCE:g})",
            UserWarning, stacklevel=3,
        )  # fmt: skip
        return 0.0, f"{where} ({name})"
    return number, f"{where} ({name})"


def _listed(items: list[str], most: int = 8) -> str:
    shown = ", ".join(items[:most])
    return shown if len(items) <= most else f"{shown} and {len(items) - most} more"


def _date(where: str, value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise KPIInputError([Problem(where, value, "is not a date")])


#: Inputs a workbook made before fiscal years lacks: the plan then has the calendar year.
_FISCAL_FIELDS = ("fiscal_year_start", "fiscal_year_named_by")


def read_report(path: Path, as_of: dt.date | None = None) -> Report:
    """Diagnose the workbook at ``path``: its plan, its actuals and its goals."""
    book = NamedCells(Path(path))
    values = {}
    for defined, field in one_plan.PLAN_INPUT_NAMES.items():
        if field == "currency":  # text, and absent from a workbook made before it was an input
            values[field] = _currency(book, defined)
            continue
        cells = book.cells(defined, required=field not in _FISCAL_FIELDS)
        if cells is None:  # a workbook from before fiscal years: the calendar year
            continue
        (where, value), *_ = cells
        if field == "whole_numbers":
            values[field] = _whole_numbers(where, value)
        elif field == "plan_year":
            values[field] = int(read_number(where, value, allow_empty=False))
        elif field == "fiscal_year_start":
            values[field] = kpi_engine.fiscal.fiscal_start(value, f"{where} ({defined})")
        elif field == "fiscal_year_named_by":
            values[field] = str(value).strip().lower() if isinstance(value, str) else value
        else:
            values[field] = read_number(where, value, allow_empty=False)
    stages = [str(v) for _, v in book.cells("StageNames") if v not in (None, "")]
    rates = [read_number(w, v, allow_empty=False) for w, v in book.cells("StageRates")]
    weights = [read_number(w, v, allow_empty=False) for w, v in book.cells("SeasonalityWeights")]
    inputs = one_plan.PlanInputs(**values, stages=tuple(stages), rates=tuple(rates),
                                 seasonality=tuple(weights))  # fmt: skip
    monthly = one_plan.plan_outputs(inputs).required_monthly
    months = _months_closed(book)
    diagnosis = by_channel = None
    if months:
        grid = _actuals(book.cells("ActualVolumes"), months)
        actual = [grid[i * 12 : (i + 1) * 12] for i in range(len(stages))]
        benchmarks = {}
        rate_cells = book.cells("PlannedRates", required=False) or []
        transitions = kpi_engine.transition_names(stages)
        for (where, _), transition in zip(rate_cells, transitions, strict=False):
            sheet, cell = where.split("!")
            typed = book.book[sheet][cell].offset(0, 1).value  # the benchmark typed beside it
            if isinstance(typed, numbers.Real) and not isinstance(typed, bool):
                benchmarks[transition] = float(typed)
        tolerance, tolerance_cell = _tolerance(book, "FocusTolerance")
        try:
            diagnosis = kpi_engine.diagnose(
                monthly, actual, months, tolerance=tolerance,
                benchmarks=benchmarks or None, stages=stages, playbook=_playbook(book, stages),
                rates=rates,
            )  # fmt: skip
        except KPIInputError as err:
            found = _in_cells(err.problems, book, stages, months, tolerance_cell)
            raise KPIInputError(found) from None
        by_channel = channel_actuals_report.by_channel(book, inputs, diagnosis.planned.tolist(),
                                                       months, tolerance)  # fmt: skip
    goals = _goals(book, as_of)
    from kpi_planner.reports.forecast_sheet import read_forecast

    return Report(stages, months, diagnosis, goals, by_channel, inputs.deal_size, inputs.currency,
                  read_forecast(book, inputs))  # fmt: skip


def _currency(book: NamedCells, defined: str) -> str:
    """The workbook's currency code (``""``: none, or no such cell); a code no one knows is
    refused, naming its cell, rather than shown as a wrong label."""
    cells = book.cells(defined, required=False)
    if not cells:
        return ""
    (where, value), *_ = cells
    try:
        return currency_code(value)
    except CurrencyError as err:
        raise KPIInputError([Problem(where, value, str(err))]) from None


def _playbook(book: NamedCells, stages: list[str]) -> dict[str, kpi_engine.Play]:
    """The playbook as the team edited it on the Diagnosis sheet, row by row (traffic, then
    each conversion top down); the default advice where the workbook has none."""
    plays = kpi_engine.playbook_for(stages)
    cells = book.cells("Playbook", required=False)
    width = len(cells) // len(plays) if cells else 0
    # Where in a row the KPIs are: the third cell (an older workbook), or their own column.
    first_kpi, last_kpi = (ord(column) - ord("A") for column in tracking.KPI_COLUMNS)
    kpi_at = {3: 2, last_kpi + 1: first_kpi}
    if not cells or len(cells) != width * len(plays) or width not in kpi_at:
        return plays  # another layout: its rows are not this funnel's
    edited = {}
    for key, row in zip(plays, range(0, len(cells), width), strict=True):
        (_, action), (_, kpis) = cells[row + 1], cells[row + kpi_at[width]]
        if action in (None, ""):
            continue  # cleared on purpose: no advice for this stage
        # A formula is the template's own text naming the stages: the engine's text is it.
        action = plays[key].action if _is_formula(action) else str(action)
        typed = tuple(k.strip() for k in str(kpis or "").split(",") if k.strip())
        watch = plays[key].kpis if _is_formula(kpis) else typed
        edited[key] = kpi_engine.Play(action, watch)
    return edited


def _is_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith("=")


def _goals(book: NamedCells, as_of: dt.date | None) -> list[dict[str, object]]:
    cells = book.cells("GoalInputs", required=False)
    if not cells:
        return []
    if as_of is None:
        (where, value), *_ = book.cells("AsOfDate", required=False) or [("", None)]
        as_of = _date(where, value) or dt.date.today()
    tolerance, _ = _tolerance(book, "GoalTolerance")
    rows = [cells[i : i + 7] for i in range(0, len(cells), 7)]
    results = []
    for row in rows:
        if all(value in (None, "") for _, value in row):
            continue
        (_, metric), (_, owner), (w3, base), (w4, target), (w5, start), (w6, end), (w7, now) = row
        goal = tracking.GoalRow(metric, owner, read_number(w3, base), read_number(w4, target),
                                _date(w5, start), _date(w6, end), read_number(w7, now))  # fmt: skip
        outcome = tracking.goal_outputs([goal], as_of, tolerance)[0]
        results.append({"metric": metric, "owner": owner, **outcome,
                        "meaning": _meaning(outcome["status"], metric)})  # fmt: skip
    return results


def _meaning(status: str, metric: object = None) -> str:
    if str(metric or "").startswith(tracking.EXAMPLE):
        return "an example: delete it on the Goals sheet"
    if status == "":
        return "no current value yet: type it on the Goals sheet"
    return kpi_engine.STATUS_MEANINGS.get(status, "see the SMART check")
