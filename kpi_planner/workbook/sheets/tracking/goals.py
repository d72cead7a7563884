"""The "Goals" sheet of the plan workbook, defined as data: SMART goals, live.

One goal per row (metric, owner, baseline, target, start, deadline, current value typed
in); formulas give its progress, the value a steady path would have reached, its status and,
for a goal that is not SMART, why. :func:`goal_outputs` is the same by
:func:`kpi_engine.goal_status` and :func:`kpi_engine.smart_problems`; the tests evaluate
the formulas independently and compare.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

import kpi_engine
from kpi_engine import fiscal
from kpi_planner.inputs.defaults import DEFAULT_PLAN_YEAR
from kpi_planner.workbook.a1 import column_letter
from kpi_planner.workbook.sheets.number_formats import PERCENT
from kpi_planner.workbook.spec import Cell, ConditionalFormat, Name, Sheet, Validation

GOALS = "Goals"
GOAL_ROWS = 10
FIRST_GOAL_ROW = 7
#: The table of statuses and their meanings, below the goals.
MEANINGS_ROW = FIRST_GOAL_ROW + GOAL_ROWS + 2
NOT_SMART = "not SMART"
#: How the example goals a new workbook ships with begin, so no one takes them for real.
EXAMPLE = "Example: "


@dataclass(frozen=True)
class GoalRow:
    """One goal as typed on the Goals sheet (any field may be missing)."""

    metric: str | None = None
    owner: str | None = None
    baseline: float | None = None
    target: float | None = None
    start: object = None  # a date
    deadline: object = None
    current: float | None = None


def example_goals(plan_year: int, fiscal_year_start: int = 1,
                  fiscal_year_named_by: str = "end") -> tuple[GoalRow, ...]:  # fmt: skip
    """Three SMART goals from the seed article (003), dated in ``plan_year`` (a fiscal year
    that starts in ``fiscal_year_start``: Q1 is its first three months), to show a newcomer
    what a goal looks like; their Current cells are empty, so none is judged."""

    def day(month: int, last: bool = False) -> datetime.date:
        """The first (or last) day of the plan year's ``month``-th month."""
        year, calendar = fiscal.calendar_month(plan_year, month + last, fiscal_year_start,
                                               fiscal_year_named_by)  # fmt: skip
        first = datetime.date(year, calendar, 1)
        return first - datetime.timedelta(days=1) if last else first

    return (
        GoalRow(f"{EXAMPLE}monthly revenue +15 % in Q1", "Head of marketing", 800_000, 920_000,
                day(1), day(3, last=True)),
        GoalRow(f"{EXAMPLE}cost per click 3.50 to 0.50", "Paid media lead", 3.5, 0.5,
                day(1), day(12, last=True)),
        GoalRow(f"{EXAMPLE}SQL +20 % from the email campaign", "Marketing ops", 20, 24,
                day(2), day(2, last=True)),
    )  # fmt: skip


def example_date_cells(plan_year: int, fiscal_year_start: int = 1,
                       fiscal_year_named_by: str = "end") -> dict[str, datetime.date]:  # fmt: skip
    """The start and deadline cells of the example goals, by reference: what a batch
    rewrites for each plan year (the rest of the examples is the same for every plan)."""
    cells = {}
    for k, goal in enumerate(example_goals(plan_year, fiscal_year_start, fiscal_year_named_by)):
        cells |= {f"E{FIRST_GOAL_ROW + k}": goal.start, f"F{FIRST_GOAL_ROW + k}": goal.deadline}
    return cells


def _smart_checks(r: int) -> str:
    """The Goals sheet's spelling of :func:`kpi_engine.smart_problems`: reasons joined by '; '."""
    reasons = {
        "metric": "no metric: specific goals name the KPI they move",
        "baseline": "no baseline number: progress needs a starting value",
        "target": "no target number: measurable goals say how much",
        "same": "the target equals the baseline: nothing to achieve",
        "start": "no start date",
        "deadline": "no deadline: time-bound goals say by when",
        "order": "the deadline is not after the start",
        "owner": "no owner: someone must be accountable",
    }
    parts = [
        f'IF(ISTEXT(A{r}),IF(TRIM(A{r})="","{reasons["metric"]}; ",""),"{reasons["metric"]}; ")',
        f'IF(ISNUMBER(C{r}),"","{reasons["baseline"]}; ")',
        f'IF(ISNUMBER(D{r}),IF(AND(ISNUMBER(C{r}),D{r}=C{r}),"{reasons["same"]}; ",""),'
        f'"{reasons["target"]}; ")',
        f'IF(ISNUMBER(E{r}),"","{reasons["start"]}; ")',
        f'IF(ISNUMBER(F{r}),IF(AND(ISNUMBER(E{r}),F{r}<=E{r}),"{reasons["order"]}; ",""),'
        f'"{reasons["deadline"]}; ")',
        f'IF(ISTEXT(B{r}),IF(TRIM(B{r})="","{reasons["owner"]}; ",""),"{reasons["owner"]}; ")',
    ]
    return "&".join(parts)


def _calendar(start: object, named_by: object) -> tuple[object, object]:
    """The fiscal year the examples are dated in; a start or naming that is no month (typed
    past the Plan sheet's validation, whose labels then show #N/A) dates them in the
    calendar year, rather than failing the whole workbook."""
    try:
        fiscal.calendar_month(DEFAULT_PLAN_YEAR, 1, start, named_by)  # checks both
    except kpi_engine.KPIInputError:
        return 1, "end"
    return start, named_by


def goals_sheet(goals: Sequence[GoalRow] = (), tolerance: float = 0.1, as_of: object = None,
                plan_year: int = DEFAULT_PLAN_YEAR, fiscal_year_start: int = 1,
                fiscal_year_named_by: str = "end") -> tuple[Sheet, list[Name]]:  # fmt: skip
    """The "Goals" sheet: SMART goals with their progress, pace and status, live.

    No ``goals``: the sheet shows :func:`example_goals` of ``plan_year`` (in its fiscal
    year), marked as such."""
    goals = goals or example_goals(plan_year, *_calendar(fiscal_year_start, fiscal_year_named_by))
    cells = _heading_cells(tolerance, as_of)
    headers = ["Metric", "Owner", "Baseline", "Target", "Start", "Deadline", "Current",
               "Progress", "Expected now", "Status", "What it means", "SMART check",
               "(reasons)", "(expected progress)"]  # fmt: skip
    cells += [Cell(f"{column_letter(1 + i)}6", h, "header") for i, h in enumerate(headers)]
    for k in range(GOAL_ROWS):
        cells += _goal_cells(FIRST_GOAL_ROW + k, goals[k] if k < len(goals) else GoalRow())
    cells += _meaning_cells()
    return _sheet(cells), _names()


def _heading_cells(tolerance: float, as_of: object) -> list[Cell]:
    """The title, what SMART means, the tolerance, the day judged on and how to start."""
    return [
        Cell("A1", "Goals", "title"),
        Cell("A2", "A SMART goal is Specific (one metric), Measurable (a baseline and a "
             "target), Achievable, Relevant to the plan and Time-bound (a start and a "
             "deadline), with an owner. Status compares progress with a steady path.", "note"),
        Cell("A3", "Tolerance", "label"),
        Cell("B3", tolerance, "input", PERCENT),
        Cell("C3", "0.1: up to 10 points behind the steady path is on track.", "note"),
        Cell("A4", "As of", "label"),
        Cell("B4", as_of, "input", "yyyy-mm-dd"),
        Cell("C4", "Empty: today.", "note"),
        Cell("A5", f"Rows starting \"{EXAMPLE.strip()}\" show the form: select them, press "
             "Delete and type your own goals.", "note"),
    ]  # fmt: skip


def _statuses() -> dict[str, str]:
    """Each status a goal can have, and what it means."""
    return {**kpi_engine.STATUS_MEANINGS,
            NOT_SMART: "the goal lacks what SMART needs: see the SMART check"}  # fmt: skip


def _goal_cells(r: int, goal: GoalRow) -> list[Cell]:
    """One goal on row ``r``: its typed fields, then its checks, progress and status."""
    table = f"$A${MEANINGS_ROW + 1}:$B${MEANINGS_ROW + len(_statuses())}"
    today = "IF(ISNUMBER(AsOfDate),AsOfDate,TODAY())"
    values = [goal.metric, goal.owner, goal.baseline, goal.target, goal.start,
              goal.deadline, goal.current]  # fmt: skip
    formats = [None, None, "#,##0.00", "#,##0.00", "yyyy-mm-dd", "yyyy-mm-dd", "#,##0.00"]
    cells = [Cell(f"{column_letter(1 + i)}{r}", value, "input", formats[i])
             for i, value in enumerate(values)]  # fmt: skip
    blank = f"COUNTA(A{r}:G{r})=0"
    smart = f'M{r}=""'
    cells += [
        Cell(f"M{r}", f"=IF({blank},\"\",{_smart_checks(r)})", "formula"),
        Cell(f"L{r}", f'=IF(M{r}="","",LEFT(M{r},LEN(M{r})-2))', "formula", wrap=True),
        Cell(f"N{r}", f'=IF(AND({smart},NOT({blank}),ISNUMBER(G{r})),'
             f"MIN(MAX(({today}-E{r})/(F{r}-E{r}),0),1),\"\")", "formula", PERCENT),
        Cell(f"H{r}", f'=IF(AND({smart},NOT({blank}),ISNUMBER(G{r})),'
             f'(G{r}-C{r})/(D{r}-C{r}),"")', "output", PERCENT),
        Cell(f"I{r}", f'=IF(N{r}="","",C{r}+N{r}*(D{r}-C{r}))', "formula", "#,##0.00"),
        Cell(f"J{r}", f'=IF({blank},"",IF(M{r}<>"","{NOT_SMART}",'
             f'IF(NOT(ISNUMBER(G{r})),"",IF(H{r}>=1,"met",IF({today}<E{r},"not started",'
             f'IF({today}>F{r},"off track",IF(N{r}-H{r}<=GoalTolerance,"on track",'
             f'IF(N{r}-H{r}<=2*GoalTolerance,"at risk","off track"))))))))', "output"),
        Cell(f"K{r}", f'=IFERROR(VLOOKUP(J{r},{table},2,FALSE),"")', "formula", wrap=True),
    ]  # fmt: skip
    return cells


def _meaning_cells() -> list[Cell]:
    """The table of statuses and what each means, which column K looks up."""
    cells = [Cell(f"A{MEANINGS_ROW}", "Status", "header"),
             Cell(f"B{MEANINGS_ROW}", "What it means", "header")]  # fmt: skip
    for offset, (status, meaning) in enumerate(_statuses().items(), start=1):
        cells += [Cell(f"A{MEANINGS_ROW + offset}", status, "label"),
                  Cell(f"B{MEANINGS_ROW + offset}", meaning, "label")]  # fmt: skip
    return cells


def _names() -> list[Name]:
    """The sheet's defined names."""
    last = FIRST_GOAL_ROW + GOAL_ROWS - 1
    return [
        Name("GoalTolerance", GOALS, "$B$3", "How far behind the steady path is on track."),
        Name("AsOfDate", GOALS, "$B$4", "The day goals are judged on; empty for today."),
        Name("GoalInputs", GOALS, f"$A${FIRST_GOAL_ROW}:$G${last}",
             "Metric, owner, baseline, target, start, deadline, current: one goal per row."),
        Name("GoalProgress", GOALS, f"$H${FIRST_GOAL_ROW}:$H${last}", "Share of the way."),
        Name("GoalExpected", GOALS, f"$I${FIRST_GOAL_ROW}:$I${last}",
             "Where a steady path would be now."),
        Name("GoalStatus", GOALS, f"$J${FIRST_GOAL_ROW}:$J${last}", "Each goal's status."),
        Name("GoalSmartCheck", GOALS, f"$L${FIRST_GOAL_ROW}:$L${last}",
             "Why a goal is not SMART; empty when it is."),
    ]  # fmt: skip


def _sheet(cells: list[Cell]) -> Sheet:
    """The sheet of ``cells``, with its validations, widths and hidden helper columns."""
    last = FIRST_GOAL_ROW + GOAL_ROWS - 1
    validations = (
        Validation("B3", "decimal", "between", "0", "1", error="A fraction, e.g. 0.1."),
        Validation(f"E{FIRST_GOAL_ROW}:F{last} B4", "date", "greaterThan", "1",
                   error="A date."),
    )  # fmt: skip
    # Narrow enough to print one page wide at a readable size; what a status means and
    # the SMART check wrap.
    widths = {"A": 40, "B": 18, "C": 11, "D": 11, "E": 11, "F": 11, "G": 11, "H": 11,
              "I": 13, "J": 12, "K": 26, "L": 26}  # fmt: skip
    return Sheet(
        GOALS,
        tuple(cells),
        column_widths=widths,
        hidden_columns=("M", "N"),  # the reasons and the expected progress, for L and I
        freeze="B7",
        validations=validations,
        print_area=f"A1:L{MEANINGS_ROW + len(_statuses())}",
        conditional_formats=(_whole_amounts(last),),
    )


def _whole_amounts(last: int) -> ConditionalFormat:
    """A goal's whole amounts without decimals (800,000, not 800,000.00); others keep two
    (a cost per click of 3.50). Relative to each cell: a goal of any metric may be typed."""
    first = FIRST_GOAL_ROW
    ranges = f"C{first}:D{last} G{first}:G{last} I{first}:I{last}"
    # The live renderer, which writes no conditional formats, keeps the decimals.
    return ConditionalFormat(ranges, f"MOD(C{first},1)=0", "#,##0", holds=False)


def goal_outputs(goals: Sequence[GoalRow], as_of, tolerance: float) -> list[dict[str, object]]:
    """The engine's status, progress, expected value and SMART check of each goal row."""
    results = []
    for row in goals:
        goal = kpi_engine.Goal(row.metric or "", row.baseline, row.target, row.start,
                               row.deadline, row.owner)  # fmt: skip
        reasons = kpi_engine.smart_problems(goal)
        if reasons:
            results.append({"status": NOT_SMART, "smart": "; ".join(reasons)})
            continue
        if row.current is None:  # no value yet: nothing to judge (an empty status)
            results.append({"status": "", "smart": ""})
            continue
        status = kpi_engine.goal_status(goal, row.current, as_of, tolerance)
        results.append({"status": status.status, "smart": "", "progress": status.progress,
                        "expected": status.expected})  # fmt: skip
    return results
