"""Excel custom functions of the pipeline: close-rate curves, expected closes, gaps.

Thin wrappers over :mod:`kpi_engine.pipeline`, re-exported by :mod:`.functions` (the module
the add-in registers). Results are rows (periods across) that spill to the right.
"""

from __future__ import annotations

import xlwings as xw

import kpi_engine

from .excel_values import CATEGORY, _flat, _optional, arg, excel_function

_CURVE_DOC = ("Close-rate curve: share of a period's opportunities won in it, 1 later, ... "
              "(a row or column range of fractions, adding up to at most 1).")  # fmt: skip


@xw.func(category=CATEGORY)
@arg("generated", "Opportunities created each period, oldest first, past periods included.",
     ndim=1)  # fmt: skip
@arg("curve", _CURVE_DOC, ndim=1)
@excel_function()
def EXPECTED_CLOSES(generated, curve):
    """Deals expected to close each period: sum over k of curve[k] x opportunities created k
    periods earlier. A row, one value per period of generated."""
    return [kpi_engine.expected_closes(_flat("generated", generated), _flat("curve", curve))]


@xw.func(category=CATEGORY)
@arg("generated", "Opportunities created each period, from the oldest that still closes "
     "deals to the plan's last.", ndim=1)  # fmt: skip
@arg("curve", _CURVE_DOC, ndim=1)
@arg("needed", "Deals each plan period needs (the last periods): goal / deal size per "
     "period.", ndim=1)  # fmt: skip
@excel_function()
def PIPELINE_GAP(generated, curve, needed):
    """Expected closes less the deals needed, per plan period: a surplus (+) or gap (-).
    A row, one value per period of needed."""
    return [kpi_engine.pipeline_gap(_flat("generated", generated), _flat("curve", curve),
                                    _flat("needed", needed))]  # fmt: skip


@xw.func(category=CATEGORY)
@arg("created_dates", "The date each opportunity was created (a column of dates, or text "
     "as 2027-01-31).", ndim=1)  # fmt: skip
@arg("won_dates", "The date each was won, empty if it was not (a column of the same length).",
     ndim=1)  # fmt: skip
@arg("period", '"month" (the default) or "quarter".')
@arg("as_of", "The date the data runs to; default its latest date.")
@excel_function(
    text=("period",),
    dates=("created_dates", "won_dates", "as_of"),
    renames={"created": "created_dates", "won": "won_dates"},
)
def CLOSE_RATE_CURVE(created_dates, won_dates, period="month", as_of=None):
    """The close-rate curve of past opportunities: the share won in the period of creation,
    1 period later, ..., each measured on the periods old enough to show it. A row."""
    created = list(created_dates) if isinstance(created_dates, list) else [created_dates]
    won = list(won_dates) if isinstance(won_dates, list) else [won_dates]
    # A range of dates with empty cells at its end (a column sized for more rows): drop the
    # rows that have neither date.
    while created and created[-1] is None and (len(won) < len(created) or won[-1] is None):
        created.pop()
        if len(won) > len(created):
            won.pop()
    curve = kpi_engine.close_rate_curve(
        created,
        won,
        period=str(_optional(period, "month")),
        as_of=as_of,
        rows=list(range(1, len(created) + 1)),
    )
    return [list(curve.rates)]
