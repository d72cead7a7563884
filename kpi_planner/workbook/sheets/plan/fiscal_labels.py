"""The Plan sheet's labels of the fiscal year, in live formulas that follow the
``FiscalYearStart`` and ``FiscalYearNamedBy`` cells: the title (``Marketing plan FY2028``),
the quarters (``Q1 FY2028``), the months (``Apr``), the timeline's quarters (``Q1 FY2027``)
and its months (``Apr 2027``).

The engine's spelling of the same labels is :mod:`kpi_engine.fiscal` (through
:func:`kpi_planner.plan.frame.plan_outputs_frame`); the evaluator tests compare the two. A
first month that is not a month (13, 4.5, text, empty) makes every label #N/A (or
#VALUE!), and a naming other than "end" or "start" every label that uses it (the
timeline's months: quarters carry the fiscal year's own name), where the inputs' notes say
what is allowed.
"""

from __future__ import annotations

from kpi_engine.fiscal import MONTH_NAMES

#: The first month of the fiscal year, or #N/A when the cell holds no month.
START = ("IF(AND(FiscalYearStart>=1,FiscalYearStart<=12,FiscalYearStart=INT(FiscalYearStart)),"
         "FiscalYearStart,NA())")  # fmt: skip

#: 1 when the fiscal year starts in the calendar year before the one it is named by (it
#: starts after January and is named by its end year), else 0; #N/A for another naming.
_YEAR_BEFORE = (f'IF(FiscalYearNamedBy="end",IF({START}>1,1,0),'
                f'IF(FiscalYearNamedBy="start",0,NA()))')  # fmt: skip

_NAMES = "".join(MONTH_NAMES)  # JanFebMar...: 3 letters each


def month_name(offset: int) -> str:
    """The name of the fiscal year's month ``offset`` (0: its first), e.g. ``Apr``."""
    return f'MID("{_NAMES}",3*MOD({START}-1+{offset},12)+1,3)'


def calendar_year(fiscal_year: str, offset: int) -> str:
    """The calendar year of month ``offset`` (0: the first; 12: next year's first) of the
    fiscal year ``fiscal_year`` (an expression, e.g. ``PlanYear-1``)."""
    return f"({fiscal_year})-{_YEAR_BEFORE}+INT(({START}-1+{offset})/12)"


def fiscal_suffix() -> str:
    """`` FY2028`` for a fiscal year that starts after January, empty for a calendar year."""
    return f'IF({START}=1,""," FY"&PlanYear)'


def title() -> str:
    """The sheet's title: ``Marketing plan 2027``, ``Marketing plan FY2028``."""
    return f'="Marketing plan "&IF({START}=1,"","FY")&PlanYear'


def quarter(q: int) -> str:
    """The header of quarter ``q`` (1-4): ``Q1``, or ``Q1 FY2028`` in a fiscal year."""
    return f'="Q{q}"&{fiscal_suffix()}'


def month(offset: int) -> str:
    """The header of the plan's month ``offset`` (0: the fiscal year's first): ``Apr``."""
    return f"={month_name(offset)}"


def timeline_month(offset: int) -> str:
    """The timeline's month ``offset`` (0: the first of the year before the plan year's,
    12: the plan year's first), with its calendar year: ``Apr 2026``."""
    return f'={month_name(offset)}&" "&({calendar_year("PlanYear-1", offset)})'


def timeline_quarter(offset: int) -> str:
    """The timeline's quarter ``offset`` (0: the first of the year before the plan year's,
    4: the plan year's first), with its year: ``Q1 2026``, or ``Q1 FY2027`` in a fiscal
    year that starts after January."""
    year = "PlanYear-1" if offset < 4 else "PlanYear"
    return f'="Q{offset % 4 + 1} "&IF({START}=1,"","FY")&({year})'
