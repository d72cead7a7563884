"""The value typed in one cell of a user's table, read as the user meant it, or why not.

A sign, a currency sign, thousands separators of the locale, a decimal comma, a trailing
``%``: each is read exactly, never guessed at (``1,5%`` with the decimal mark ``.`` is
refused with the fix). Used by every table the command line reads (scenarios, channels,
scenario comparisons) and by its list options (``--rates 1.5%,20%``); it needs neither
pandas nor a table (:mod:`kpi_planner.inputs.tables` reads those).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
from decimal import Decimal

import numpy as np

from kpi_engine import KPIInputError, fiscal

_TRUE = {"true", "yes", "y", "t", "1", "wahr", "vrai", "verdadero", "vero", "waar", "sant"}
_FALSE = {"false", "no", "n", "f", "0", "falsch", "faux", "falso", "onwaar", "falsk"}
_CURRENCY = "$€£¥"
_SPACES = re.compile(r"[ \u00a0\u202f\u2009']")  # thousands separators that are never a decimal
#: ``25.000``: 25 with a decimal point, 25,000 with a point between thousands.
_AMBIGUOUS_POINT = re.compile(r"\s*[+-]?\s*[1-9]\d{0,2}\.\d{3}\s*")
_GROUPED_BY_SPACES = re.compile(r"[1-9]\d{0,2}(?:[ \u00a0\u202f\u2009']\d{3})+(?:[.,]\d*)?")


def is_blank(value: object) -> bool:
    """True for an empty cell: nothing, NaN, or only spaces (or pandas' NA and NaT, which
    only a table read by pandas holds: without pandas imported there are none)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    if isinstance(value, str):
        return not value.strip()
    pd = sys.modules.get("pandas")
    return pd is not None and (value is pd.NA or value is pd.NaT)


class CellError(ValueError):
    """A cell's text is not a value of its kind; the message says why and how to write it."""


def plain_decimal(value: object, decimal: str = ".") -> float | None:
    """The number a cell's text is when the decimal mark is a point and Python's ``float``
    reads the text as a finite number (most cells of a CSV: ``"31292263.78"``), else None.

    :func:`parse_number` gives the same number for such a text, to the bit: every text it
    reads otherwise (a percentage, a currency sign, a thousands separator) ``float`` refuses,
    and what ``float`` reads as not finite (``inf``, ``nan``) it refuses with the reason. A
    table's column loop reads such cells with this alone, before the blank check, its cache
    and the parser's call (``tests/inputs/test_typed_values.py`` holds the two to agree).

    >>> plain_decimal("31292263.78"), plain_decimal(" -1e5 "), plain_decimal("1.5%")
    (31292263.78, -100000.0, None)
    >>> plain_decimal("inf"), plain_decimal("1.5", decimal=",")
    (None, None)
    """
    if type(value) is not str or decimal != ".":
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number - number == 0.0 else None  # inf - inf and nan are nan


def parse_number(
    value: object,
    decimal: str = ".",
    *,
    fraction: bool = False,
    percent: bool = True,
    decimal_option: bool = False,
) -> float:
    """The number a cell holds, read as the user meant it, or :class:`CellError`.

    Text may carry a sign, a currency sign (``$ € £ ¥``), thousands separators (``,`` or
    ``.``, whichever is not the decimal mark, in groups of three; or spaces), the decimal
    mark and a trailing ``%`` (a percentage: ``1.5%`` is 0.015). A separator that is not a
    valid thousands separator is never guessed at: ``1,5%`` with the decimal mark ``.`` is
    refused with the fix. ``fraction`` marks inputs that are fractions (rates, margins),
    where a thousands separator is refused as a likely decimal mark and a percentage above
    100 % is refused. ``percent=False`` marks amounts (money, years), where a percentage is
    a mistake (``150%`` as a revenue goal would be 1.5) and is refused. ``decimal_option``:
    the value comes from a table read with ``--decimal`` (fill's), which the advice names.

    >>> parse_number("10,000,000"), parse_number("1.5%"), parse_number("1,5%", ",")
    (10000000.0, 0.015, 0.015)
    >>> parse_number("1.100.000,50 €", decimal=",")
    1100000.5
    >>> parse_number("1,5%")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kpi_planner.inputs.typed_values.CellError: '1,5%' has a comma that is not a thousands ...
    """
    if not isinstance(value, str):
        return _not_text_number(value)
    text = value.strip()
    allow_percent, percent = percent, text.endswith("%")
    if percent and not allow_percent:
        raise CellError(f"is a percentage ({text}); this input is an amount, not a rate")
    if percent:
        text = text[:-1].strip()
    sign, text = _sign_and_digits(text, value, decimal, fraction, decimal_option)
    try:
        number = float(sign + text)
    except ValueError:
        raise CellError("is not a number") from None
    if not math.isfinite(number):
        raise CellError("is not a finite number")
    if percent:
        if fraction and number > 100:
            raise CellError(f"is {value.strip()}: a rate or margin is at most 100%")
        # The typed digits with the point moved two places, rounded once: 12.3% is the
        # double nearest 0.123, as Excel reads it; 12.3 / 100 rounds twice, to the double
        # after it (0.12300000000000001).
        number = float(Decimal(sign + text).scaleb(-2))
    return number


def _not_text_number(value: object) -> float:
    """The number a cell holds that is not text (a number read as one), or :class:`CellError`."""
    if isinstance(value, bool | np.bool_):
        raise CellError("is TRUE/FALSE, not a number")
    if isinstance(value, dt.date | dt.time):  # pandas' Timestamp and NaT are datetimes
        raise CellError(
            f"is a date or time ({value}): the cell is formatted as a date; format it as a number"
        )
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    raise CellError(f"is not a number ({type(value).__name__})")


def _sign_and_digits(
    text: str, value: str, decimal: str, fraction: bool, decimal_option: bool
) -> tuple[str, str]:
    """A number's sign and its digits with a decimal point: no currency or thousands sign."""
    text = text.strip(_CURRENCY).strip()
    sign = ""
    if text.startswith(("+", "-")):  # not text[:1] in "+-": "" is in every string
        sign, text = text[0], text[1:].strip()
    if _SPACES.search(text) and _GROUPED_BY_SPACES.fullmatch(text):
        text = _SPACES.sub("", text)
    thousands = "," if decimal == "." else "."
    if thousands in text:
        grouped = re.fullmatch(
            rf"[1-9]\d{{0,2}}(?:{re.escape(thousands)}\d{{3}})+(?:{re.escape(decimal)}\d*)?", text
        )
        if not grouped or fraction:
            raise CellError(_separator_advice(value, decimal, decimal_option))
        text = text.replace(thousands, "")
    if decimal == ",":
        text = text.replace(",", ".")
    return sign, text


def parse_money(value: object) -> float:
    """An amount of money as people type it in an option or a plan file, or :class:`CellError`.

    Read as a table with a decimal point reads it (``25,000``, ``$5,000,000``,
    ``€5,000,000.50``); text that is no number so, but is one with a decimal comma
    (``€5.000.000``, ``1.100.000,50``, ``2,5``), is read that way. A point and exactly three
    digits (``€25.000``) is either reading, 25 or 25,000, so it is refused, never guessed
    at; so is a percentage (an amount is no rate).

    >>> parse_money("25,000"), parse_money("$5,000,000"), parse_money("€5.000.000,50")
    (25000.0, 5000000.0, 5000000.5)
    """
    if isinstance(value, str) and _AMBIGUOUS_POINT.fullmatch(value.strip().strip(_CURRENCY)):
        digits = value.strip().strip(_CURRENCY).replace(" ", "")
        raise CellError(f"{digits!r} could be {digits.replace('.', '')} or {float(digits):g}: "
                        "write it without the point, or with a comma for thousands "
                        "(25,000)")  # fmt: skip
    try:
        return parse_number(value, ".", percent=False)
    except CellError as err:
        if not isinstance(value, str) or "%" in value:
            raise
        try:
            return parse_number(value, ",", percent=False)
        except CellError:
            raise err from None


def parse_growth(value: object, decimal: str = ".", *, decimal_option: bool = False) -> float:
    """Next year's growth, a fraction (0.25 for 25 %), read as :func:`parse_number` reads
    a rate, or :class:`CellError`.

    A bare number above 1 (or below -1) is refused: ``25`` is far likelier 25 % than
    +2,500 %, and reading it as a fraction planned 20 times the volumes with no word.
    A growth above 100 % takes its ``%`` sign (``150%``), as a rate's percentage does.

    >>> parse_growth("25%"), parse_growth(0.25), parse_growth("150%"), parse_growth(-0.1)
    (0.25, 0.25, 1.5, -0.1)
    >>> parse_growth(25)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kpi_planner.inputs.typed_values.CellError: is 25, which would be +2500%: write 25% or ...
    """
    number = parse_number(value, decimal, decimal_option=decimal_option)
    typed_percent = isinstance(value, str) and value.strip().endswith("%")
    if not typed_percent and abs(number) > 1:
        shown = f"{number:g}"
        raise CellError(
            f"is {shown}, which would be {number:+.0%}: write {shown}% or {number / 100:g} for "
            f"{shown} % (a growth beyond 100 % takes its % sign: 150%)"
        )
    return number


def _separator_advice(value: str, decimal: str, decimal_option: bool) -> str:
    """How to write ``value`` with the decimal mark; where the table was read with
    ``--decimal`` (fill's), the other way too."""
    text = value.strip()
    if decimal == ".":
        fixed = text.replace(".", "").replace(",", ".") if "." in text else text.replace(",", ".")
        advice = f"{text!r} has a comma that is not a thousands separator: write {fixed} with a "
        return advice + ("decimal point, or read the table with --decimal ," if decimal_option
                         else "decimal point")  # fmt: skip
    fixed = text.replace(",", "").replace(".", ",") if "," in text else text.replace(".", ",")
    advice = f"{text!r} has a point, but this table's decimal mark is ',': write {fixed}"
    return advice + (", or read the table with --decimal ." if decimal_option else "")


def parse_boolean(value: object) -> bool:
    """TRUE/FALSE as a cell may hold it: a boolean, 1/0, or text (TRUE, yes, WAHR, VRAI...).

    >>> parse_boolean("TRUE"), parse_boolean(" no "), parse_boolean(1), parse_boolean("wahr")
    (True, False, True, True)
    """
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.integer | np.floating) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise CellError("must be TRUE or FALSE (or yes/no, 1/0)")


def parse_month(value: object) -> int:
    """A month as a cell or option may hold it: 1-12 or its English name, full or in three
    letters (``April``, ``apr``), or :class:`CellError`.

    >>> parse_month("April"), parse_month("4"), parse_month(7.0)
    (4, 4, 7)
    """
    try:
        return fiscal.fiscal_start(value)
    except KPIInputError:
        raise CellError(fiscal.START_RULE) from None
