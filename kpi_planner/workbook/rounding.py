"""The Excel spelling of the engine's whole-number rule, for every sheet that rounds.

``kpi_engine.funnel._round_up`` rounds to 6 decimals first (so binary noise does not add a
whole unit), then up. The Plan sheet's funnel, months and quarters and its timeline all
write it the same way through these two functions.
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
