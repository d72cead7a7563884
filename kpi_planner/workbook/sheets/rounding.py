"""The Excel spelling of the engine's whole-number rule, for every sheet that rounds.

``kpi_engine.funnel._round_up`` rounds to 6 decimals first (so binary noise does not add a
whole unit), then up. The Plan sheet's funnel, months and quarters and its timeline all
write it the same way through these functions, and the periods of a plan in whole numbers
chain each stage's running total to the stage below's (:func:`chained_due`).
"""

from __future__ import annotations

from kpi_engine.funnel import WHOLE_NUMBER_DECIMALS


def round_up(expression: str) -> str:
    """``expression`` rounded up to a whole number, as the engine does.

    >>> round_up("C24/B23")
    'ROUNDUP(ROUND(C24/B23,6),0)'
    """
    return f"ROUNDUP(ROUND({expression},{WHOLE_NUMBER_DECIMALS}),0)"


def round_up_if_whole(expression: str) -> str:
    """``expression`` rounded up when the plan is in whole numbers (``WholeNumbers``).

    >>> round_up_if_whole("C24/B23")
    'IF(WholeNumbers,ROUNDUP(ROUND(C24/B23,6),0),C24/B23)'
    """
    return f"IF(WholeNumbers,{round_up(expression)},{expression})"


def period_volume(exact: str, due_end: str, due_before: str | None) -> str:
    """Excel spelling of :func:`kpi_engine.phase_funnel`'s periods: ``exact`` when the plan is
    exact; in whole numbers, chained cumulative rounding: what is due by the period's end
    (``due_end``) less what was due by the end of the period before (``due_before``; None
    for the first), each a whole number (:func:`customers_due`, :func:`chained_due`).

    >>> period_volume("C33/$B$23", "D9", "D8")
    'IF(WholeNumbers,D9-D8,C33/$B$23)'
    """
    whole = due_end if due_before is None else f"{due_end}-{due_before}"
    return f"IF(WholeNumbers,{whole},{exact})"


def customers_due(annual: str, end: str, total: str) -> str:
    """The whole customers due by a period's end: the year's whole customers (``annual``)
    times the weights added up to the period (the cell ``end``) over all of them
    (``total``), rounded up. The weights are added up month by month in cells, as the
    engine does, so what is due never goes down.

    >>> customers_due("$C28", "$R$41", "$AB$41")
    'ROUNDUP(ROUND($C28*($R$41/$AB$41),6),0)'
    """
    return round_up(f"{annual}*({end}/{total})")


def chained_due(below: str, rate: str) -> str:
    """A stage's whole volume due by a period's end: what the stage below has reached by
    then (``below``, the sum of its periods so far) needs at the plan's ``rate``, rounded
    up, as :func:`kpi_engine.reverse_funnel` walks up the year.

    >>> chained_due("SUM($E$29:F$29)", "$B28")
    'ROUNDUP(ROUND(SUM($E$29:F$29)/$B28,6),0)'
    """
    return round_up(f"{below}/{rate}")
