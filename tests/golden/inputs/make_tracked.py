"""How ``tracked.xlsx`` was made (once, on commit 1793867): seed 002's case, a third of the
plan below traffic for three months, one goal at risk and one not SMART, as
tests/cli/test_report.py builds it. The file is committed, so the report's golden output
does not depend on the code that wrote it: run it (python -m tests.golden.inputs.make_tracked)
to make it again."""

import datetime as dt
from pathlib import Path

from kpi_planner.plan import one_plan
from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook.render import xlsx
from kpi_planner.workbook.sheets.tracking import layout as tracking

INPUTS = one_plan.PlanInputs(whole_numbers=False)
monthly = one_plan.plan_outputs(INPUTS).required_monthly.copy()
monthly[1:] /= 3
goals = (
    tracking.GoalRow(
        "SQL per month", "Ana", 100, 120, dt.date(2027, 1, 1), dt.date(2027, 4, 1), 106
    ),
    tracking.GoalRow("revenue", None, 100, None, dt.date(2027, 1, 1), None, 50),
)
track = tracking.TrackingInputs(
    3,
    tuple(map(tuple, monthly.tolist())),
    (1000.0,) * 12,
    0.1,
    {},
    goals,
    0.1,
    dt.date(2027, 2, 15),
)
if __name__ == "__main__":  # pytest's doctest collection imports this module: only a run writes
    xlsx.save(plan_book.plan_workbook(INPUTS, track), Path(__file__).with_name("tracked.xlsx"))
