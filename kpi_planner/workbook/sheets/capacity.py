"""The Capacity sheet: who carries the plan, in live formulas over a table of roles.

Each role (SDR, AE, ...) works one stage of the Plan sheet's funnel. Its month by month
block reads that stage's volume in the plan year (the Plan's timeline: with lags, the
month it must arrive), and computes the whole people it needs, what the current team
handles (ramped, worn by attrition), the team's capacity with the hires that start each
month, the hires to open a hiring lag before, the shortfall and the people paid. The hires
starting are inputs, filled with kpi-planner's hiring plan (the fewest hires that meet the
plan, :func:`kpi_engine.hiring_plan`, a search a formula cannot hold); type others to test
a plan of your own. Above the blocks: what the current team carries of each stage, the
bottleneck and the revenue it reaches, and people + programs in one budget.

The math is :mod:`kpi_engine.capacity`'s and :class:`kpi_planner.capacity.team.TeamPlan`'s;
the evaluator tests compare the sheet's cells with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kpi_planner.inputs.team_table import Role
from kpi_planner.workbook.a1 import column_letter, split_cell
from kpi_planner.workbook.sheets.number_formats import (
    DECIMALS,
    MONEY,
    PERCENT,
    whole_number_formats,
)
from kpi_planner.workbook.sheets.plan.grid import MONTH_COLUMNS, PLAN, PlanGrid
from kpi_planner.workbook.sheets.plan.timeline_grid import COLUMNS as TIMELINE_COLUMNS
from kpi_planner.workbook.sheets.plan.timeline_grid import LEAD_IN
from kpi_planner.workbook.spec import Cell, Name, Sheet, Validation

CAPACITY = "Capacity"
#: Heads in expected (attrition-worn) people, capacity in units of the stage.
HEADS = "#,##0.0"
WHOLE_PEOPLE = "#,##0"
CAPACITY_FORMAT = "#,##0.0#"  # a person's capacity a month: 20.0, 2.25
#: The roles table: its header row and its columns; each role's ramp is in a table below
#: it, by month of tenure in the month columns (C-N), so the sheet prints one page wide.
ROLES_HEADER = 4
ROLE_COLUMNS = ("Role", "Stage it works", "Capacity a month (one ramped person)",
                "Attrition a month", "Hiring lag (months)", "Loaded cost a month",
                "People now")  # fmt: skip
RAMP_COLUMNS = MONTH_COLUMNS  # tenure months 1-12
CHECK = "H"  # each role's check: "OK", or which input is wrong and what it takes
#: A role's block: its rows, in order, below the block's header row.
BLOCK_ROWS = ("volume", "needed", "current", "carried", "starts", "opened", "capacity",
              "short", "payroll", "cost")  # fmt: skip
BLOCK_HEIGHT = len(BLOCK_ROWS) + 2  # the header and a blank row
YEAR = "O"  # the blocks' year column


@dataclass(frozen=True)
class CapacitySheetInputs:
    """The roles, each with its hires starting each month of the plan year (kpi-planner's
    hiring plan, typed into the sheet as inputs)."""

    roles: Sequence[Role]
    starts: Sequence[Sequence[int]]


@dataclass(frozen=True)
class CapacityGrid:
    """Where everything sits for ``roles`` roles."""

    roles: int

    def role_row(self, k: int) -> int:
        return ROLES_HEADER + 1 + k

    @property
    def ramp_header(self) -> int:
        return self.role_row(self.roles) + 1

    def ramp_row(self, k: int) -> int:
        return self.ramp_header + 1 + k

    @property
    def carries_header(self) -> int:
        return self.ramp_row(self.roles) + 1

    def carries_row(self, k: int) -> int:
        return self.carries_header + 1 + k

    @property
    def summary_header(self) -> int:
        return self.carries_row(self.roles) + 1

    def summary_row(self, what: str) -> str:
        """The summary's cell of ``what`` (one of :data:`SUMMARY`): B and its row."""
        return f"B{self.summary_header + 1 + SUMMARY.index(what)}"

    def block_header(self, k: int) -> int:
        return self.summary_header + len(SUMMARY) + 2 + k * BLOCK_HEIGHT

    def block_row(self, k: int, what: str) -> int:
        return self.block_header(k) + 1 + BLOCK_ROWS.index(what)


#: The summary's rows below its header, in order (see :func:`_summary`).
SUMMARY = ("bottleneck", "reaches", "people", "programs", "total", "customers", "cac", "share")


def capacity_sheet(
    values: CapacitySheetInputs, stages: int, whole_numbers: bool
) -> tuple[Sheet, list[Name]]:
    """The Capacity sheet for ``values`` beside a Plan sheet of ``stages`` stages (volumes
    shown as whole numbers while its ``WholeNumbers`` is TRUE), and its defined names."""
    grid = CapacityGrid(len(values.roles))
    cells = [
        Cell("A1", "Capacity: who carries the plan", "title"),
        Cell(
            "A2",
            "Yellow cells are inputs. The hires starting are kpi-planner's hiring "
            "plan, the fewest that meet the plan; type your own to test them.",
            "note",
        ),
        *_roles(values.roles, grid),
        *_carries(grid),
        *_summary(grid, stages),
    ]
    for k in range(grid.roles):
        cells += _block(k, grid, values.starts[k])
    last = grid.role_row(grid.roles - 1)
    names = [
        Name(
            "CapacityBottleneck",
            CAPACITY,
            _absolute(grid.summary_row("bottleneck")),
            "The role whose current team carries least of its stage.",
        ),
        Name(
            "PeopleCost",
            CAPACITY,
            _absolute(grid.summary_row("people")),
            "Loaded cost of the people over the plan year, hires included.",
        ),
        Name(
            "FullyLoadedCAC",
            CAPACITY,
            _absolute(grid.summary_row("cac")),
            "People + programs per customer won.",
        ),
        Name("RoleNames", CAPACITY, f"$A${grid.role_row(0)}:$A${last}", "The roles."),
        Name(
            "RoleChecks",
            CAPACITY,
            f"${CHECK}${grid.role_row(0)}:${CHECK}${last}",
            "Each role's inputs: OK, or which one is wrong.",
        ),
    ]
    # Each header row tall enough for its wrapped headers' lines.
    heights = {ROLES_HEADER: 60, grid.ramp_header: 30, grid.carries_header: 45}
    sheet = Sheet(CAPACITY, tuple(cells), column_widths=_widths(), row_heights=heights,
                  validations=_validations(grid), freeze="B5", landscape=True,
                  print_area=_print_areas(grid), print_title_columns="A:A",
                  conditional_formats=whole_number_formats(cells, whole_numbers))  # fmt: skip
    return sheet, names


def _absolute(ref: str) -> str:
    """``B12`` as ``$B$12``."""
    column, row = split_cell(ref)
    return f"${column}${row}"


def _roles(roles: Sequence[Role], grid: CapacityGrid) -> list[Cell]:
    cells = [Cell(f"{column_letter(1 + j)}{ROLES_HEADER}", text, "header")
             for j, text in enumerate(ROLE_COLUMNS)]  # fmt: skip
    cells += [
        Cell(
            f"A{grid.ramp_header}",
            "Ramp: share of a ramped person's capacity, by month of tenure",
            "header",
        ),
        Cell(f"B{grid.ramp_header}", None, "header"),
    ]
    cells += [Cell(f"{c}{grid.ramp_header}", f"Month {k + 1}", "header")
              for k, c in enumerate(RAMP_COLUMNS)]  # fmt: skip
    for k, role in enumerate(roles):
        r = grid.role_row(k)
        typed = ((role.name, None), (role.stage, None), (role.capacity, CAPACITY_FORMAT),
                 (role.attrition, PERCENT), (role.hiring_lag, "0"), (role.cost, MONEY),
                 (role.current, HEADS))  # fmt: skip
        cells += [Cell(f"{column_letter(1 + j)}{r}", value, "input", fmt, money=fmt == MONEY)
                  for j, (value, fmt) in enumerate(typed)]  # fmt: skip
        ramp = [role.ramp[t] if t < len(role.ramp) else 1.0 for t in range(12)]
        cells.append(Cell(f"A{grid.ramp_row(k)}", f"=A{r}", "formula"))
        cells += [Cell(f"{c}{grid.ramp_row(k)}", share, "input", PERCENT)
                  for c, share in zip(RAMP_COLUMNS, ramp, strict=True)]  # fmt: skip
        check = _check(r, grid.ramp_row(k), grid.block_row(k, "starts"))
        cells.append(Cell(f"{CHECK}{r}", check, "formula"))
    return [*cells, Cell(f"{CHECK}{ROLES_HEADER}", "Check", "header")]


def _check(r: int, ramp_row: int, starts_row: int) -> str:
    """Role row ``r``'s check: "OK", or the first input `plan --team` would refuse, named
    with what it takes. The role's block shows #N/A until it is OK."""

    def typed(c: str, rule: str) -> str:  # a number that keeps ``rule``, or empty (0)
        return f'IF(ISNUMBER({c}{r}),{rule},{c}{r}="")'

    starts = f"$C${starts_row}:$N${starts_row}"
    ramp = f"$C${ramp_row}:$N${ramp_row}"
    rules = [
        (f"ISNUMBER(MATCH(B{r},StageNames,0))", "Stage: a stage of the Plan's funnel"),
        (f"AND(ISNUMBER(C{r}),C{r}>0)", "Capacity: a number above 0"),
        (typed("D", f"AND(D{r}>=0,D{r}<=1)"), "Attrition: 0 to 100 % a month"),
        (typed("E", f"AND(E{r}>=0,E{r}=INT(E{r}))"), "Hiring lag: whole months, 0 or more"),
        (typed("F", f"F{r}>=0"), "Loaded cost: 0 or more"),
        (typed("G", f"G{r}>=0"), "People now: 0 or more"),
        (f"AND(COUNT({ramp})=12,MIN({ramp})>=0,MAX({ramp})<=1)",
         "Ramp: 12 shares, each 0 to 100 %"),
        (f'AND(COUNT({starts})=12,COUNTIF({starts},"<0")=0,'
         f"SUMPRODUCT(({starts}<>INT({starts}))*1)=0)",
         "Hires starting: whole people, 0 or more"),
        (f"SUMPRODUCT((COLUMN({starts})-COLUMN($C${starts_row})<E{r})*{starts})=0",
         "Hires starting: none before the hiring lag has passed"),
    ]  # fmt: skip
    formula = '"OK"'
    for rule, reason in reversed(rules):
        formula = f'IF({rule},{formula},"{reason}")'
    return "=" + formula


def _carries(grid: CapacityGrid) -> list[Cell]:
    """Each role's year: what the current team carries of its stage, and the hires."""
    head = grid.carries_header
    titles = ("What the current team carries", "Stage", "The plan's volume in the year",
              "The current team handles", "Share it carries", "Most people needed in a month",
              "Hires starting in the year", "Short even with the hires",
              "People cost in the year")  # fmt: skip
    cells = [Cell(f"{column_letter(1 + j)}{head}", t, "header") for j, t in enumerate(titles)]
    for k in range(grid.roles):
        r, role = grid.carries_row(k), grid.role_row(k)

        def year(what: str) -> str:
            return f"={YEAR}{grid.block_row(k, what)}"  # noqa: B023 - used at once

        cells += [
            Cell(f"A{r}", f"=A{role}", "formula"),
            Cell(f"B{r}", f"=B{role}", "formula"),
            Cell(f"C{r}", year("volume"), "formula", DECIMALS),
            Cell(f"D{r}", year("carried"), "formula", DECIMALS),
            Cell(f"E{r}", f"=IF(C{r}=0,1,D{r}/C{r})", "output", PERCENT),
            Cell(f"F{r}", year("needed"), "formula", WHOLE_PEOPLE),
            Cell(f"G{r}", year("starts"), "formula", WHOLE_PEOPLE),
            Cell(f"H{r}", year("short"), "formula", DECIMALS),
            Cell(f"I{r}", year("cost"), "formula", MONEY, money=True),
        ]
    return cells


def _summary(grid: CapacityGrid, stages: int) -> list[Cell]:
    """The bottleneck, the revenue it reaches, and people + programs in one budget."""
    first, last = grid.carries_row(0), grid.carries_row(grid.roles - 1)
    shares, names = f"$E${first}:$E${last}", f"$A${first}:$A${last}"
    short = f"MIN({shares})<1-1E-12"  # the engine's: a share below 1, by more than rounding
    customers_row = PlanGrid(stages).timeline.last_stage_row
    year = f"{PLAN}!${TIMELINE_COLUMNS[LEAD_IN]}${customers_row}:${TIMELINE_COLUMNS[-1]}$" \
           f"{customers_row}"  # fmt: skip
    cell = grid.summary_row
    rows = {
        "bottleneck": ("Bottleneck", f'=IF({short},INDEX({names},MATCH(MIN({shares}),{shares},0)),'
                       '"None: the current team carries the plan")', "output", None),
        "reaches": ("New revenue the current team reaches",
                    f"=RevenueGoal*IF({short},MIN({shares}),1)", "output", MONEY),
        "people": ("People cost (loaded, hires included)", f"=SUM($I${first}:$I${last})",
                   "formula", MONEY),
        "programs": ("Programs budget (the Plan's)", "=MarketingBudget", "formula", MONEY),
        "total": ("Budget the goal needs: people + programs",
                  f"={cell('people')}+{cell('programs')}", "output", MONEY),
        "customers": ("Customers in the year", f"=SUM({year})", "formula", DECIMALS),
        "cac": ("Fully loaded CAC", f"=IF({cell('customers')}>0,{cell('total')}/"
                f"{cell('customers')},NA())", "output", MONEY),
        "share": ("People + programs, share of new revenue",
                  f"=IF(RevenueGoal>0,{cell('total')}/RevenueGoal,NA())", "formula", PERCENT),
    }  # fmt: skip
    h = grid.summary_header
    cells = [Cell(f"A{h}", "Who carries the plan, and what it costs", "header"),
             Cell(f"B{h}", None, "header")]  # fmt: skip
    for what in SUMMARY:
        label, formula, role, fmt = rows[what]
        ref = cell(what)
        cells += [Cell(f"A{split_cell(ref)[1]}", label, "label"),
                  Cell(ref, formula, role, fmt, money=fmt == MONEY)]  # fmt: skip
    return cells


def _block(k: int, grid: CapacityGrid, starts: Sequence[int]) -> list[Cell]:
    """Role ``k``'s plan year, month by month (columns C-N) and the year (O)."""
    r, ramp = grid.role_row(k), grid.ramp_row(k)
    cap, attrition, lag, cost, now = (f"${c}${r}" for c in "CDEFG")
    ok = f'${CHECK}${r}<>"OK",NA()'  # IF(ok, ...): #N/A until the role's inputs are
    row = {what: grid.block_row(k, what) for what in BLOCK_ROWS}
    head = grid.block_header(k)
    labels = {"volume": "The plan's volume of the stage", "needed": "People needed (whole)",
              "current": "The current team handles", "carried": "Of the plan's volume, it carries",
              "starts": "Hires starting (kpi-planner's plan: type yours)",
              "opened": "Hires to open (a hiring lag before)",
              "capacity": "Capacity with the hires", "short": "Short even with the hires",
              "payroll": "People paid (expected)", "cost": "People cost"}  # fmt: skip
    cells = [Cell(f"A{head}", f'=A{r}&": "&B{r}', "header"), Cell(f"B{head}", None, "header"),
             Cell(f"{YEAR}{head}", "Year", "header")]  # fmt: skip
    cells += [Cell(f"A{row[w]}", text, "label") for w, text in labels.items()]
    for m, c in enumerate(MONTH_COLUMNS):
        month = m + 1

        def kept(t: int) -> str:  # the share still in the team t months on
            return "" if t == 0 else f"*(1-{attrition})^{t}"

        hires = "".join(f"+{MONTH_COLUMNS[s]}{row['starts']}*${RAMP_COLUMNS[m - s]}${ramp}"
                        f"{kept(m - s)}" for s in range(month))  # fmt: skip
        paid = "".join(f"+{MONTH_COLUMNS[s]}{row['starts']}{kept(m - s)}" for s in range(month))
        v = f"{c}{row['volume']}"
        cells += [
            Cell(f"{c}{head}", f"=INDEX(MonthLabels,1,{month})", "header"),
            Cell(v, f"=IF({ok},INDEX(TimelineMonthly,MATCH($B${r},StageNames,0),"
                 f"{LEAD_IN + month}))",
                 "formula", DECIMALS),
            Cell(f"{c}{row['needed']}", f"=IF({cap}>0,ROUNDUP(ROUND({v}/{cap},9),0),NA())",
                 "formula", WHOLE_PEOPLE),
            Cell(f"{c}{row['current']}", f"=IF({ok},{cap}*{now}{kept(m)})", "formula", HEADS),
            Cell(f"{c}{row['carried']}", f"=MIN({v},{c}{row['current']})", "formula", HEADS),
            Cell(f"{c}{row['starts']}", int(starts[m]), "input", WHOLE_PEOPLE),
            Cell(f"{c}{row['opened']}", f"=IF({ok},IF({month}+{lag}>12,0,INDEX($C$"
                 f"{row['starts']}:$N${row['starts']},{month}+{lag})))", "formula",
                 WHOLE_PEOPLE),
            Cell(f"{c}{row['capacity']}", f"=IF({ok},{cap}*({now}{kept(m)}{hires}))", "formula",
                 HEADS),
            Cell(f"{c}{row['short']}", f"=IF({v}-{c}{row['capacity']}>1E-9,{v}-"
                 f"{c}{row['capacity']},0)", "formula", HEADS),
            Cell(f"{c}{row['payroll']}", f"=IF({ok},{now}{kept(m)}{paid})", "formula", HEADS),
            Cell(f"{c}{row['cost']}", f"={c}{row['payroll']}*{cost}", "formula", MONEY,
                 money=True),
        ]  # fmt: skip
    return cells + _year_column(row)


def _year_column(row: dict[str, int]) -> list[Cell]:
    def total(what: str, how: str = "SUM", fmt: str = HEADS, money: bool = False) -> Cell:
        r = row[what]
        return Cell(f"{YEAR}{r}", f"={how}(C{r}:N{r})", "output", fmt, money=money)

    return [total("volume", fmt=DECIMALS), total("needed", "MAX", WHOLE_PEOPLE),
            total("current"), total("carried"), total("starts", fmt=WHOLE_PEOPLE),
            total("opened", fmt=WHOLE_PEOPLE), total("capacity"), total("short"),
            total("cost", fmt=MONEY, money=True)]  # fmt: skip


def _print_areas(grid: CapacityGrid) -> str:
    """The roles, what they carry and the budget on a page; the roles' months from the
    next, each block whole (a page holds as many as fit)."""
    last = grid.block_row(grid.roles - 1, BLOCK_ROWS[-1])
    return f"A1:{YEAR}{grid.block_header(0) - 2},A{grid.block_header(0)}:{YEAR}{last}"


def _widths() -> dict[str, float]:
    """Narrow enough to print one page wide at a readable size; a role's check text runs on
    into the empty cells beside it."""
    return {"A": 40, "B": 14} | dict.fromkeys("CDEFGHIJKLMNO", 10)


def _validations(grid: CapacityGrid) -> tuple[Validation, ...]:
    first, last = grid.role_row(0), grid.role_row(grid.roles - 1)
    starts = " ".join(f"C{grid.block_row(k, 'starts')}:N{grid.block_row(k, 'starts')}"
                      for k in range(grid.roles))  # fmt: skip

    def span(c: str) -> str:
        return f"{c}{first}:{c}{last}"

    return (
        Validation(span("B"), "list", formula1="StageNames",
                   error="A stage of the Plan sheet's funnel."),
        Validation(span("C"), "decimal", "greaterThan", "0",
                   error="What one ramped person handles a month: above 0."),
        Validation(f"{span('D')} C{grid.ramp_row(0)}:N{grid.ramp_row(grid.roles - 1)}",
                   "decimal", "between", "0", "1",
                   error="A share: 0 to 100 %."),
        Validation(f"{span('E')} {starts}", "whole", "greaterThanOrEqual", "0",
                   error="A whole number, 0 or more."),
        Validation(f"{span('F')} {span('G')}", "decimal", "greaterThanOrEqual", "0",
                   error="0 or more."),
    )  # fmt: skip
