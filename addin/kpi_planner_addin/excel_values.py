"""What Excel hands a custom function, read for kpi_engine: ranges, empty cells, error
cells, date cells and serial numbers; and the errors a function hands back.

Shared by every module of custom functions (:mod:`.functions`, :mod:`.pipeline_functions`...).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import inspect
import math
from collections.abc import Callable
from typing import Any

import xlwings as xw

from kpi_engine import KPIInputError, Problem
from kpi_engine.close_rates import as_date

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
    """The Excel error code an input cell holds: with ``err_to_str`` (every argument of
    the add-in's functions has it) xlwings hands an error cell over as its text
    (``"#N/A"``); without it, a single cell would arrive as the integer code, which
    xlwings' Windows conversion turns into ``None``, an empty cell."""
    if isinstance(value, str):
        return _ERROR_CODES.get(value.strip())
    if isinstance(value, int | float) and not isinstance(value, bool) and value in EXCEL_ERRORS:
        return int(value)
    return None


def _items(value: object) -> list[object]:
    """The cells of an argument: a range (a list, of lists for 2-D) or one value."""
    if isinstance(value, list | tuple):
        return [item for part in value for item in _items(part)]
    return [value]


def arg(name: str, doc: str, **options: object):
    """``xw.arg`` with ``err_to_str``: an error cell reaches the function as its text, so
    it propagates (:func:`excel_function`), never as an empty cell taking a default.
    ``xw.arg`` is looked up at each call, so the build's and the tests' stand-ins apply."""
    return xw.arg(name, err_to_str=True, doc=doc, **options)


#: How a function names its arguments in the engine's messages: a map of the engine's
#: names to the Excel arguments' (``{"clv": "lifetime_value"}``), or a function of a problem.
Renames = dict[str, str] | Callable[[Problem], str]


def excel_function(
    *,
    text: tuple[str, ...] = (),
    dates: tuple[str, ...] = (),
    flags: tuple[str, ...] = (),
    renames: Renames | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Read a custom function's arguments as Excel's own functions do, then run it.

    - An error cell in any argument (``#N/A``, ``#DIV/0!``...) is the result, as in
      ``=SUM(A1:A3)`` with an error among them.
    - A required argument left empty is refused, and so are text and TRUE/FALSE where a
      number goes (every argument but ``text``, ``dates`` and the TRUE/FALSE ``flags``),
      naming the argument.
    - ``dates`` are read as dates: a date cell, a serial number (``=DATE(2027,1,1)``)
      or ISO text (``2027-01-31``), as the engine reads them.
    - Undefined math (0 customers for CAC) gives ``#DIV/0!``; any other engine error is
      raised with the Excel argument's name (``renames``) and an empty cell said as such.

    Apply it under ``@xw.func`` and the ``@arg`` lines: the registered function is then
    this wrapper, in classic xlwings and in xlwings Lite alike (its signature is the
    function's own, through ``functools.wraps``).
    """

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(function)
        required = {name for name, parameter in signature.parameters.items()
                    if parameter.default is inspect.Parameter.empty}  # fmt: skip
        free = set(text) | set(dates)  # arguments where text is no mistake

        @functools.wraps(function)
        def run(*args: object, **kwargs: object) -> Any:
            arguments = signature.bind(*args, **kwargs).arguments
            error = _first_error(arguments)
            if error is not None:
                return error
            problems = [problem for name, value in arguments.items()
                        for problem in _input_problems(name, value, name in required,
                                                       name in free, name in flags)]  # fmt: skip
            if problems:
                raise KPIInputError(problems)
            read = {name: _dates(name, value) if name in dates else value
                    for name, value in arguments.items()}  # fmt: skip
            try:
                return function(**read)
            except KPIInputError as err:
                renamed = _renamed(err, renames or {}, arguments)
                if all(problem.undefined for problem in err.problems):
                    return excel_error(DIV0_CODE, renamed)
                raise renamed from None

        return run

    return decorate


def _first_error(arguments: dict[str, object]) -> Any:
    """The error value of the first error cell among the arguments, or None."""
    for name, value in arguments.items():
        for item in _items(value):
            code = _error_code(item)
            if code is not None:
                shown = EXCEL_ERRORS[code]
                why = f"shows {shown}: fix that cell, or wrap it in IFERROR"
                return excel_error(code, KPIInputError([Problem(name, shown, why)]))
    return None


def _input_problems(
    name: str, value: object, required: bool, text: bool, flag: bool
) -> list[Problem]:
    """An empty required argument; text, or TRUE/FALSE, where a number goes."""
    if required and value is None:
        return [Problem(name, None, "is required: give a value")]
    problems = []
    for item in _items(value):
        if isinstance(item, str) and item.strip() and not text:
            problems.append(Problem(name, item, "is text: give a number"))
        elif isinstance(item, bool) and not (text or flag):
            problems.append(Problem(name, item, "is TRUE/FALSE: give a number"))
    return problems[:1]


def _renamed(err: KPIInputError, renames: Renames, arguments: dict[str, object]) -> KPIInputError:
    """The engine's problems with the Excel arguments' names (``clv`` -> ``lifetime_value``,
    ``rates[2] (SQL -> Opp)`` kept with its index), an empty cell (NaN) shown as empty. A
    problem that ``renames`` moves to a whole argument shows that argument's value."""
    problems = []
    for problem in err.problems:
        argument, value = problem.argument, problem.value
        if callable(renames):
            argument = renames(problem)
            if argument != problem.argument and argument in arguments:
                value = arguments[argument]
        for engine_name, excel_name in renames.items() if isinstance(renames, dict) else []:
            if argument == engine_name or argument.startswith(
                (f"{engine_name}[", f"{engine_name} ")
            ):
                argument = excel_name + argument[len(engine_name) :]
                break
        if isinstance(value, float) and math.isnan(value):
            value = None  # an empty cell, which the engine reads as NaN
        problems.append(dataclasses.replace(problem, argument=argument, value=value))
    return KPIInputError(problems)


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


def _date(argument: str, value: object) -> dt.date | None:
    """A date from an Excel date cell (a datetime), a date serial number (what ``DATE()``,
    ``TODAY()`` or ``A1+30`` hand over: Excel passes computed dates as numbers), ISO text
    (``2027-01-31``), or None for an empty cell. The time of day is ignored."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 61 <= value < 2_958_466:  # 1 March 1900 to 31 December 9999
            rule = "is not a date: a date serial number is from 61 (1 March 1900) to 2958465"
            raise KPIInputError([Problem(argument, value, rule)])
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    try:
        return as_date(value)
    except ValueError:
        rule = "is not a date: give a date cell, DATE(2027,1,31) or text as 2027-01-31"
        raise KPIInputError([Problem(argument, value, rule)]) from None


def _dates(argument: str, value: object) -> object:
    """One date, or a range's dates (a list), read by :func:`_date`."""
    if isinstance(value, list):
        return [_date(f"{argument}[{i}]", item) for i, item in enumerate(value)]
    return _date(argument, value)


def whole_number(argument: str, value: object, default: int, lowest: int, highest: int,
                 allowed: str) -> int:  # fmt: skip
    """A whole-number argument (periods, a year) from ``lowest`` to ``highest``; empty
    takes ``default``. ``allowed`` says which values make sense, for the message."""
    if value is None:
        return default
    if (isinstance(value, bool) or not isinstance(value, int | float)
            or not lowest <= value <= highest or value != int(value)):  # fmt: skip
        raise KPIInputError([Problem(argument, value, f"must be a whole number: {allowed}")])
    return int(value)
