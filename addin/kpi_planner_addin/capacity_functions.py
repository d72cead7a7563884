"""Excel custom functions of capacity: ramped-rep equivalents, a rep's ramped output, and
the whole heads a stage's volume needs.

Thin wrappers over :mod:`kpi_engine.capacity`, re-exported by :mod:`.functions` (the module
the add-in registers).
"""

from __future__ import annotations

import xlwings as xw

import kpi_engine

from .excel_values import CATEGORY, _flat, _optional, arg, excel_function, whole_number


@xw.func(category=CATEGORY)
@arg("heads", "People in each group (a range), e.g. by tenure.", ndim=1)
@arg("ramp_shares", "Each group's share of full capacity: 0.25 for 25 % (a range beside "
     "heads).", ndim=1)  # fmt: skip
@excel_function(renames={"shares": "ramp_shares"})
def RAMPED_CAPACITY(heads, ramp_shares):
    """Ramped-rep equivalents: each group of people counted at its ramp share (Kellblog).
    =RAMPED_CAPACITY({5;3;2;15},{0.25;0.6;0.85;1}) is 19.75."""
    return kpi_engine.ramped_rep_equivalents(_flat("heads", heads), _flat("ramp_shares",
                                                                          ramp_shares))  # fmt: skip


@xw.func(category=CATEGORY)
@arg("steady", "What one fully ramped person delivers a period (a quota, deals, meetings).")
@arg("ramp", "Shares of full capacity by period of tenure, first first: 0, 0.25, 0.5 "
     "(100 % after).", ndim=1)  # fmt: skip
@arg("periods", "Periods to show, from the hire. Default 4.")
@excel_function()
def RAMPED_OUTPUT(steady, ramp, periods=4):
    """What one person hired at the start delivers each period as they ramp: a row.
    =RAMPED_OUTPUT(300000,{0,0.25,0.5}) spills 0, 75,000, 150,000, 300,000."""
    count = whole_number("periods", _optional(periods, 4), 4, 1, 120, "1 to 120 periods")
    return [kpi_engine.ramped_output(steady, _flat("ramp", ramp), count)]


@xw.func(category=CATEGORY)
@arg("volumes", "The stage's volume each period (a range, or one number).", ndim=1)
@arg("capacity", "What one fully ramped person handles of the stage a period.")
@excel_function()
def HEADCOUNT_NEEDED(volumes, capacity):
    """Whole people each period's volume needs: volume / capacity, rounded up. A row.
    =HEADCOUNT_NEEDED(400,40) is 10 (10 SDRs at 40 demos a month for 400 demos)."""
    return [kpi_engine.headcount_needed(_flat("volumes", volumes), capacity)]
