"""What Excel hands a custom function, read for kpi_engine: ranges, empty cells, error
cells, date cells and serial numbers; and the errors a function hands back.

Shared by every module of custom functions (:mod:`.functions`, :mod:`.pipeline_functions`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import kpi_engine
from kpi_engine import KPIInputError

CATEGORY = "KPI Planner"

#: Excel's error values as COM passes them in (an error cell arrives as this integer).
EXCEL_ERRORS = {
    -2146826281: "#DIV/0!",
    -2146826246: "#N/A",
    -2146826259: "#NAME?",
    -2146826288: "#NULL!",
    -2146826252: "#NUM!",
    -2146826265: "#REF!",
    -2146826273: "#VALUE!",
}
DIV0_CODE = -2146826281


def excel_error(code: int, err: Exception) -> Any:
    """The Excel error value ``code`` as a result: a real error on Windows, so that IFERROR
    and ISERROR see it; where pywin32 is missing (xlwings Lite), ``err`` is raised instead
    and the runtime shows it as ``#VALUE!`` with the message."""
    try:
        from pythoncom import VT_ERROR
        from win32com.client import VARIANT
    except ImportError:
        raise err from None
    return VARIANT(VT_ERROR, code)


_ERROR_CODES = {text: code for code, text in EXCEL_ERRORS.items()}


def _error_code(value: object) -> int | None:
    """The Excel error code an input cell holds: a single cell arrives as the code (maybe a
    float), a cell in a range as its text (``err_to_str``)."""
    if isinstance(value, str):
        return _ERROR_CODES.get(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and value in EXCEL_ERRORS:
        return int(value)
    return None


def _call(compute: Callable[[], Any], *given: object) -> Any:
    """Run ``compute``: an error cell among ``given`` propagates, as in Excel's own functions;
    undefined math gives ``#DIV/0!``; any other bad input raises the engine's message."""
    for value in given:
        for item in value if isinstance(value, list | tuple) else [value]:
            code = _error_code(item)
            if code is not None:
                return excel_error(code, ValueError(f"an input cell shows {EXCEL_ERRORS[code]}"))
    try:
        return compute()
    except KPIInputError as err:
        if all(problem.undefined for problem in err.problems):
            return excel_error(DIV0_CODE, err)
        raise


def _flat(argument: str, values: object) -> list[object]:
    """A range (row or column, as a list) or one value as a list; trailing empty cells dropped."""
    items = list(values) if isinstance(values, list | tuple) else [values]
    while items and items[-1] is None:
        items.pop()
    return items


def _optional(value: object, default: object) -> object:
    """An empty cell or omitted argument takes the default."""
    return default if value is None else value


#: Day 0 of Excel's 1900 date system, for serial numbers from 61 (1 March 1900) on: the
#: system counts a 29 February 1900 that never was, so the base is 30 December 1899.
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _date(value: object) -> dt.date | None:
    """A date from an Excel date cell (a datetime), a date serial number (what ``DATE()``,
    ``TODAY()`` or ``A1+30`` hand over: Excel passes computed dates as numbers), or None
    for an empty cell. The time of day is ignored."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date) or value is None:
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 61 <= value < 2_958_466:  # 1 March 1900 to 31 December 9999
            rule = "is not a date: a date serial number is from 61 (1 March 1900) to 2958465"
            raise KPIInputError([kpi_engine.Problem("date", value, rule)])
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    raise KPIInputError([kpi_engine.Problem("date", value, "must be a date")])
