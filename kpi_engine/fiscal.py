"""The fiscal year: which calendar month each month of a plan is, and how finance labels
its year, quarters and months.

A plan's twelve months are its fiscal year's, in order; only the calendar month each one
is, and the labels, depend on the month the fiscal year starts (``start``, 1-12). A
fiscal year is named by the calendar year in which it **ends** by default
(``named_by="end"``: FY2028 starting in April runs April 2027 to March 2028, as most US
companies and the UK government name it); ``named_by="start"`` names it by the year it
starts in (the same months are FY2027). A fiscal year that starts in January is the
calendar year under either convention, and its labels are the calendar's (``2027``,
``Q1 2027``), so a plan without a fiscal year reads as it always has.

References
----------
UK HM Treasury names its financial year by both years ("2027-28", ending 31 March 2028);
US companies' 10-K filings name a fiscal year by the calendar year in which it ends
(e.g. "fiscal 2028" for the year ending 31 March 2028).
"""

from __future__ import annotations

import datetime

from kpi_engine.errors import KPIInputError, Problem

__all__ = [
    "MONTH_NAMES",
    "NAMED_BY",
    "calendar_month",
    "first_calendar_year",
    "fiscal_month_of",
    "fiscal_months",
    "fiscal_start",
    "month_labels",
    "named_by_rule",
    "quarter_labels",
    "year_label",
]

#: The months as labels show them, January first.
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FULL_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")  # fmt: skip

#: The conventions for naming a fiscal year: by the calendar year it ends or starts in.
NAMED_BY = ("end", "start")

#: The rule a fiscal year's first month breaks, as messages word it.
START_RULE = "must be a month: 1 to 12 (4 = April) or its name, such as April or Apr"


def named_by_rule() -> str:
    """The rule a naming convention breaks, as messages word it."""
    return 'must be "end" (FY2028 ends in 2028) or "start" (FY2028 starts in 2028)'


def fiscal_start(value: object, argument: str = "fiscal_year_start") -> int:
    """The month a fiscal year starts, 1-12, from a number or a month's name.

    Parameters
    ----------
    value
        A whole number 1-12 (``4``, ``4.0``, ``"4"``) or a month's English name, full or
        in three letters, in any case (``"April"``, ``"apr"``).
    argument
        The name of the input, for the message.

    Returns
    -------
    int
        The month, 1 for January to 12 for December.

    Raises
    ------
    KPIInputError
        Naming ``argument`` and ``value`` when it is not a month (13, 0, 4.5, ``"Apri"``,
        TRUE).

    Examples
    --------
    Which month does a fiscal year typed as "Apr" start in?

    >>> fiscal_start("Apr"), fiscal_start("JULY"), fiscal_start(2.0), fiscal_start(" 10 ")
    (4, 7, 2, 10)
    >>> fiscal_start(13)
    Traceback (most recent call last):
    ...
    kpi_engine.errors.KPIInputError: fiscal_year_start = 13: must be a month: 1 to 12 (4 = April) or its name, such as April or Apr
    """  # noqa: E501
    month = _month_number(value)
    if month is None:
        raise KPIInputError([Problem(argument, value, START_RULE)])
    return month


def naming(value: object, argument: str = "fiscal_year_named_by") -> str:
    """The convention a fiscal year is named by, ``"end"`` or ``"start"`` (any case, spaces
    around ignored); :class:`KPIInputError` naming ``argument`` for anything else.

    >>> naming(" End "), naming("start")
    ('end', 'start')
    >>> naming("middle")
    Traceback (most recent call last):
    ...
    kpi_engine.errors.KPIInputError: fiscal_year_named_by = 'middle': must be "end" (FY2028 ends in 2028) or "start" (FY2028 starts in 2028)
    """  # noqa: E501
    convention = value.strip().lower() if isinstance(value, str) else None
    if convention not in NAMED_BY:
        raise KPIInputError([Problem(argument, value, named_by_rule())])
    return convention


def _month_number(value: object) -> int | None:
    """The month ``value`` names or numbers, or None when it is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip().lower()
        for month, full in enumerate(_FULL_NAMES, start=1):
            if text in (full, full[:3]):
                return month
        try:
            value = float(text)
        except ValueError:
            return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not number.is_integer() or not 1 <= number <= 12:
        return None
    return int(number)


def _checked(start: object, named_by: object) -> tuple[int, str]:
    """``start`` as a month and ``named_by`` as a convention, or both problems at once."""
    problems = []
    month = _month_number(start)
    if month is None:
        problems.append(Problem("fiscal_year_start", start, START_RULE))
    convention = None
    try:
        convention = naming(named_by)
    except KPIInputError as err:
        problems += err.problems
    if problems:
        raise KPIInputError(problems)
    return month, convention  # type: ignore[return-value]


def first_calendar_year(fiscal_year: int, start: int = 1, named_by: str = "end") -> int:
    """The calendar year in which fiscal year ``fiscal_year`` starts.

    Notes
    -----
    ``fiscal_year - 1`` when the year starts after January and is named by its end year;
    ``fiscal_year`` otherwise.

    Examples
    --------
    When does FY2028 start, if it starts in April?

    >>> first_calendar_year(2028, 4), first_calendar_year(2028, 4, "start")
    (2027, 2028)
    >>> first_calendar_year(2027, 1), first_calendar_year(2027, 1, "start")
    (2027, 2027)
    """
    month, convention = _checked(start, named_by)
    return fiscal_year - 1 if month > 1 and convention == "end" else fiscal_year


def calendar_month(
    fiscal_year: int, fiscal_month: int, start: int = 1, named_by: str = "end"
) -> tuple[int, int]:
    """The calendar (year, month) of month ``fiscal_month`` of fiscal year ``fiscal_year``.

    ``fiscal_month`` counts from 1 (the fiscal year's first month); 0, -1, ... are the
    months of the year before and 13, 14, ... the year after's, as a timeline's lead-in
    and next year's months need.

    Examples
    --------
    Which calendar months are month 1, month 12 and the month before month 1 of FY2028,
    which starts in April?

    >>> calendar_month(2028, 1, 4), calendar_month(2028, 12, 4), calendar_month(2028, 0, 4)
    ((2027, 4), (2028, 3), (2027, 3))
    """
    month, _ = _checked(start, named_by)
    first = first_calendar_year(fiscal_year, month, named_by)
    count = first * 12 + (month - 1) + (fiscal_month - 1)
    return count // 12, count % 12 + 1


def fiscal_months(fiscal_year: int, start: int = 1, named_by: str = "end") -> list[tuple[int, int]]:
    """The calendar (year, month) of each of the fiscal year's twelve months, in order.

    Examples
    --------
    Which months make up FY2028 starting in April, named by its end year?

    >>> months = fiscal_months(2028, 4)
    >>> months[0], months[8], months[11]
    ((2027, 4), (2027, 12), (2028, 3))
    """
    return [calendar_month(fiscal_year, m, start, named_by) for m in range(1, 13)]


def year_label(fiscal_year: int, start: int = 1) -> str:
    """The fiscal year's name as finance writes it: ``FY2028``; a year that starts in January
    is the calendar year, ``2027``.

    >>> year_label(2028, 4), year_label(2027)
    ('FY2028', '2027')
    """
    month, _ = _checked(start, "end")
    return str(fiscal_year) if month == 1 else f"FY{fiscal_year}"


def quarter_labels(fiscal_year: int, start: int = 1) -> list[str]:
    """The fiscal year's quarters, Q1 being its first three months: ``Q1 FY2028`` ...;
    ``Q1 2027`` ... for a year that starts in January.

    >>> quarter_labels(2028, 4)
    ['Q1 FY2028', 'Q2 FY2028', 'Q3 FY2028', 'Q4 FY2028']
    >>> quarter_labels(2027)[0]
    'Q1 2027'
    """
    name = year_label(fiscal_year, start)
    return [f"Q{q} {name}" for q in range(1, 5)]


def month_labels(
    fiscal_year: int, start: int = 1, named_by: str = "end", first: int = 1, count: int = 12
) -> list[str]:
    """Labels of ``count`` months from fiscal month ``first``, with their calendar years:
    ``Apr 2027``, ``May 2027``, ... (``first`` below 1 starts in the year before).

    Examples
    --------
    FY2028 from April, named by its end year, then by its start year:

    >>> month_labels(2028, 4)[:2], month_labels(2028, 4)[-1], month_labels(2028, 4, "start")[0]
    (['Apr 2027', 'May 2027'], 'Mar 2028', 'Apr 2028')

    The last two months before a calendar 2027:

    >>> month_labels(2027, first=-1, count=3)
    ['Nov 2026', 'Dec 2026', 'Jan 2027']
    """
    months = (calendar_month(fiscal_year, m, start, named_by) for m in range(first, first + count))
    return [f"{MONTH_NAMES[month - 1]} {year}" for year, month in months]


def fiscal_month_of(
    day: datetime.date | tuple[int, int], start: int = 1, named_by: str = "end"
) -> tuple[int, int, int]:
    """The fiscal year, fiscal month (1-12) and fiscal quarter (1-4) of a calendar day or
    (year, month), for actuals dated by the calendar.

    Examples
    --------
    Where do 15 February 2028 and 1 April 2027 fall, in fiscal years from April named by
    their end year? Q4 of FY2028 is January to March 2028.

    >>> fiscal_month_of(datetime.date(2028, 2, 15), 4), fiscal_month_of((2027, 4), 4)
    ((2028, 11, 4), (2028, 1, 1))
    >>> fiscal_month_of((2027, 4), 4, "start"), fiscal_month_of((2027, 4))
    ((2027, 1, 1), (2027, 4, 2))
    """
    month, convention = _checked(start, named_by)
    year, calendar = (day.year, day.month) if isinstance(day, datetime.date) else day
    index = (calendar - month) % 12  # months since the fiscal year's start
    first_year = year if calendar >= month else year - 1
    fiscal_year = first_year + 1 if month > 1 and convention == "end" else first_year
    return fiscal_year, index + 1, index // 3 + 1
