"""The Summary's rows from the sheets a workbook may have: where the year lands (the
Forecast sheet) and who carries the plan (the Capacity sheet). Each reads that sheet's
cells; the sheets' own tests compare those with the engine."""

from __future__ import annotations

from kpi_planner.workbook.sheets.capacity import CAPACITY, WHOLE_PEOPLE, CapacityGrid
from kpi_planner.workbook.sheets.number_formats import MONEY, PERCENT
from kpi_planner.workbook.sheets.summary.layout import Result


def forecast_rows() -> tuple[Result, ...]:
    """Where the year lands by the opportunities' probabilities, what it misses the goal
    by, and kpi-planner's chance of the goal."""
    return (
        Result("Where the year lands (forecast)", "=ForecastLanding", MONEY,
               "Won to date + open deals at their odds + what is still to come.", None,
               money=True),
        Result("Short of the goal at that landing", "=ForecastGap", MONEY,
               "The goal less the landing; 0: the goal is reached.", None, money=True),
        Result("Chance of reaching the goal", "=ChanceOfGoal", PERCENT,
               "Share of the simulated years that reach the goal.", None),
    )  # fmt: skip


def capacity_rows(roles: int) -> tuple[Result, ...]:
    """The people the plan needs, the hires, the role that limits it and the CAC with
    the people's cost, for a Capacity sheet of ``roles`` roles."""
    grid = CapacityGrid(roles)
    first, last = grid.carries_row(0), grid.carries_row(roles - 1)
    return (
        Result("People the plan needs", f"=SUM({CAPACITY}!$F${first}:$F${last})",
               WHOLE_PEOPLE, "Each role's most people needed in a month, added up.", None),
        Result("Hires starting in the year", f"=SUM({CAPACITY}!$G${first}:$G${last})",
               WHOLE_PEOPLE, "To carry the plan as its volume grows.", None),
        Result("Team bottleneck", "=CapacityBottleneck", "@",
               "The role whose current team carries least of its stage.", None),
        Result("CAC with the people's cost", "=FullyLoadedCAC", MONEY,
               "(People + programs) / customers won.", None, money=True),
    )  # fmt: skip
