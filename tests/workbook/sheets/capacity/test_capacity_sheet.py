"""The Capacity sheet: its formulas, evaluated by `formulas` and recalculated by LibreOffice,
equal what `kpi-planner plan --team` computes for the same roles and plan (issue 34)."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import formulas
import pytest

from kpi_planner.capacity.team import TeamPlan, plan_team_of
from kpi_planner.inputs.team_table import Role, read_team
from kpi_planner.plan import one_plan
from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook.render import xlsx
from kpi_planner.workbook.sheets.capacity import (
    CAPACITY,
    CHECK,
    MONTH_COLUMNS,
    CapacityGrid,
    CapacitySheetInputs,
)
from tests.libreoffice import record

ROOT = Path(__file__).resolve().parents[4]
EXAMPLE = ROOT / "examples" / "team.csv"
#: Each block row and the team plan's values of it, month by month.
ROWS = {"volume": lambda p: p.volumes, "needed": lambda p: p.needed,
        "current": lambda p: p.current_capacity, "starts": lambda p: p.hiring.starts,
        "opened": lambda p: p.hiring.opened, "capacity": lambda p: p.hiring.capacity,
        "short": lambda p: p.hiring.shortfall, "payroll": lambda p: p.payroll}  # fmt: skip


def workbook(inputs, roles, starts=None):
    """The plan workbook with the Capacity sheet of ``roles`` (their hires kpi-planner's
    plan unless ``starts`` are given), as `build --team` writes it, and the team plan."""
    team = plan_team_of(roles, inputs)
    starts = starts or [p.hiring.starts for p in team.roles]
    book = plan_book.plan_workbook(inputs, capacity=CapacitySheetInputs(roles, starts))
    return book, team


class Compiled:
    """A workbook's Plan and Capacity sheets compiled once by `formulas`."""

    def __init__(self, book, folder: Path) -> None:
        keep = {"Plan", CAPACITY}
        book = dataclasses.replace(
            book,
            sheets=tuple(s for s in book.sheets if s.title in keep),
            names=tuple(n for n in book.names if n.sheet in keep),
        )
        path = xlsx.save(book, folder / "capacity.xlsx")
        self.model = formulas.ExcelModel().loads(str(path)).finish()
        self.prefix = f"'[{path.name}]{CAPACITY.upper()}'!"

    def cells(self, typed: dict[str, object] | None = None) -> dict[str, object]:
        overrides = {self.prefix + ref: value for ref, value in (typed or {}).items()}
        solution = self.model.calculate(inputs=overrides)
        return {key[len(self.prefix):]: value.value[0][0] for key, value in solution.items()
                if key.startswith(self.prefix)}  # fmt: skip


def engine_cells(team: TeamPlan) -> dict[str, object]:
    """The team plan's value of each of the sheet's result cells."""
    grid, want = CapacityGrid(len(team.roles)), {}
    for k, plan in enumerate(team.roles):
        for what, values in ROWS.items():
            row = grid.block_row(k, what)
            want |= {f"{c}{row}": float(v) for c, v in zip(MONTH_COLUMNS, values(plan),
                                                          strict=True)}  # fmt: skip
        r = grid.carries_row(k)
        want |= {f"E{r}": plan.carries, f"F{r}": max(plan.needed),
                 f"G{r}": sum(plan.hiring.starts), f"H{r}": math.fsum(plan.hiring.shortfall),
                 f"I{r}": plan.people_cost}  # fmt: skip
    h, worst = grid.summary_header, team.bottleneck
    return want | {
        f"B{h + 1}": worst.role.name if worst else "None: the current team carries the plan",
        f"B{h + 2}": team.reachable_revenue, f"B{h + 3}": team.people_cost,
        f"B{h + 4}": team.programs, f"B{h + 5}": team.total, f"B{h + 6}": team.customers,
        f"B{h + 7}": team.total / team.customers, f"B{h + 8}": team.total / team.new_revenue,
    }  # fmt: skip


def disagree(found: dict[str, object], want: dict[str, object]) -> dict[str, tuple]:
    def same(a, b) -> bool:
        if isinstance(b, str):
            return a == b
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)

    return {ref: (found[ref], value) for ref, value in want.items() if not same(found[ref], value)}


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """examples/team.csv (an SDR on MQLs, an AE on opportunities) on the built-in plan."""
    inputs = one_plan.PlanInputs()
    book, team = workbook(inputs, read_team(EXAMPLE, inputs.stages))
    return Compiled(book, tmp_path_factory.mktemp("capacity")), team


def test_the_formulas_compute_the_team_plan(example):
    compiled, team = example
    found = compiled.cells()
    assert disagree(found, engine_cells(team)) == {}
    # Hand arithmetic: 250 MQLs in the year at 20 an SDR a month (1 SDR now, 2 % leaving
    # each month): January's 25 MQLs need 2 SDRs, the one SDR handles 20 and the hire
    # opened in January starts in February (a month's lag) at 0 %: 5 MQLs short in
    # January, 25 - 20 x 0.98 = 5.4 in February. The SDR is the bottleneck.
    grid = CapacityGrid(2)
    assert (found[f"C{grid.block_row(0, 'needed')}"], found[f"C{grid.block_row(0, 'short')}"]) \
        == (2, 5)  # fmt: skip
    assert found[f"D{grid.block_row(0, 'short')}"] == pytest.approx(5.4)
    assert found[f"B{grid.summary_header + 1}"] == "SDR"
    assert all(found[f"{CHECK}{grid.role_row(k)}"] == "OK" for k in range(2))


def test_with_lags_each_role_works_its_stage_in_the_month_it_must_arrive(tmp_path):
    # 30 days from MQL to SQL and 60 on to the deal: MQLs arrive a quarter before the
    # deals they become, so the plan year's months carry next year's early MQLs.
    seasonality = (1, 1, 1, 1, 1, 1, 0.5, 0.5, 1, 1, 1.5, 1.5)
    inputs = one_plan.PlanInputs(lag_days=(0, 0, 30, 30, 30), growth=0.2, whole_numbers=False,
                                 seasonality=seasonality)  # fmt: skip
    book, team = workbook(inputs, read_team(EXAMPLE, inputs.stages))
    assert disagree(Compiled(book, tmp_path).cells(), engine_cells(team)) == {}
    # The volumes are the timeline's plan-year months, not the plan's months.
    months = one_plan.plan_outputs(inputs).required_monthly
    assert team.roles[0].volumes != pytest.approx(list(months[2]))


def test_hires_typed_over_give_their_capacity(example):
    # The SDR's hires typed as 3 starting in March (with 0 % in the first month, 50 % in the
    # second): kpi_engine.team_capacity of those starts is what the sheet shows.
    import kpi_engine

    compiled, team = example
    grid, sdr = CapacityGrid(2), team.roles[0].role
    starts = [0, 0, 3] + [0] * 9
    typed = {f"{c}{grid.block_row(0, 'starts')}": s for c, s in zip(MONTH_COLUMNS, starts,
                                                                     strict=True)}  # fmt: skip
    found = compiled.cells(typed)
    want = kpi_engine.team_capacity(sdr.current, starts, sdr.capacity, sdr.ramp, sdr.attrition)
    row = grid.block_row(0, "capacity")
    assert [found[f"{c}{row}"] for c in MONTH_COLUMNS] == pytest.approx(want, rel=1e-12)
    # 20 x (0.98^3 + 3 x 0.5 x 0.98) in April, by hand.
    assert found[f"F{row}"] == pytest.approx(20 * (0.98**3 + 1.5 * 0.98))


#: Inputs `plan --team` refuses, typed over a role each: (column, value, the check's start).
REFUSED = [("B", "Demos", "Stage"), ("C", "twenty", "Capacity"), ("D", 1.5, "Attrition"),
           ("E", 1.5, "Hiring lag"), ("ramp", 1.5, "Ramp"), ("G", -2, "People now"),
           ("starts", -1, "Hires starting"),
           ("lagged", 1, "Hires starting: none before")]  # fmt: skip


def test_an_input_plan_team_refuses_is_named_and_its_numbers_are_na(tmp_path):
    # One role per refused input (the example's SDR, copied), and one left as it is.
    inputs = one_plan.PlanInputs()
    sdr = read_team(EXAMPLE, inputs.stages)[0]
    roles = [dataclasses.replace(sdr, name=f"R{k}") for k in range(len(REFUSED) + 1)]
    book, _ = workbook(inputs, roles)
    grid = CapacityGrid(len(roles))
    typed = {}
    for k, (column, value, _) in enumerate(REFUSED):
        # A part or negative hire in March; a hire in January, inside the SDR's month of lag;
        # a ramp share above 100 % in the first month.
        starts = {"starts": "E", "lagged": "C"}
        at = (f"{starts[column]}{grid.block_row(k, 'starts')}" if column in starts
              else f"C{grid.ramp_row(k)}" if column == "ramp"
              else f"{column}{grid.role_row(k)}")  # fmt: skip
        typed[at] = value
    found = Compiled(book, tmp_path).cells(typed)
    for k, (column, value, reason) in enumerate(REFUSED):
        assert found[f"{CHECK}{grid.role_row(k)}"].startswith(reason), (column, value)
        for what in ("volume", "capacity", "payroll"):
            assert str(found[f"E{grid.block_row(k, what)}"]) == "#N/A", (column, value, what)
    assert found[f"{CHECK}{grid.role_row(len(REFUSED))}"] == "OK"
    # The summary shows the error, never a number that leaves a role out.
    h = grid.summary_header
    assert str(found[f"B{h + 1}"]) == "#N/A"
    assert str(found[f"B{h + 5}"]) == "#N/A"


def published() -> tuple[one_plan.PlanInputs, list[Role]]:
    """Issue 34's published checks as one plan and its roles.

    SDR:AE (TOPO / Bridge Group): 10 AEs closing $8,000 of new MRR a month each at $1,000
    MRR a deal is 80 deals a month; at 50 % of opportunities won that is 160 opportunities,
    at 40 % of demos 400 demos a month. At 40 demos an SDR a month: 10 SDRs; at 16
    opportunities an AE a month: 10 AEs. Kellblog's ramp (0, 25 %, 50 %, then 100 % over
    four quarters): a closer hired at the start of the year with 4 deals a month fully
    ramped closes 4 x (3 x 0.25 + 3 x 0.5 + 3 x 1) = 21 deals, at $25,000 the $525,000 of
    a $1,200,000-a-year rep's first year.
    """
    inputs = one_plan.PlanInputs(revenue_goal=80 * 12 * 1_000, deal_size=1_000,
                                 stages=("Demos", "Opportunities", "Deals"), rates=(0.4, 0.5),
                                 whole_numbers=False)  # fmt: skip
    roles = [
        Role("SDR", "Demos", 40, (), 0.0, 0, 7_000, 10),
        Role("AE", "Opportunities", 16, (), 0.0, 0, 12_000, 10),
        Role("Closer", "Deals", 4, (0,) * 3 + (0.25,) * 3 + (0.5,) * 3, 0.0, 0, 10_000, 0),
    ]
    return inputs, roles


def test_libreoffice_computes_the_published_checks(tmp_path):
    program = record.soffice_or_skip()
    inputs, roles = published()
    starts = [[0] * 12, [0] * 12, [1] + [0] * 11]  # the closer hired at the year's start
    book, team = workbook(inputs, roles, starts)
    path = xlsx.save(book, tmp_path / "published.xlsx")
    computed = record.computed_by_libreoffice([path], tmp_path, program)[path]
    grid = CapacityGrid(3)

    def cell(ref: str) -> object:
        return computed[f"{CAPACITY}!{ref}"]

    assert [cell(f"{c}{grid.block_row(0, 'needed')}") for c in MONTH_COLUMNS] == [10] * 12
    assert [cell(f"{c}{grid.block_row(1, 'needed')}") for c in MONTH_COLUMNS] == [10] * 12
    assert cell(f"O{grid.block_row(2, 'capacity')}") == pytest.approx(21)  # x $25,000: $525,000
    # The SDRs' and AEs' rows (no hires: 10 now carry it all) are the engine's; the closer's
    # capacity is kpi_engine.team_capacity of the typed hire.
    import kpi_engine

    rows = {grid.carries_row(k) for k in (0, 1)} | {
        grid.block_row(k, what) for k in (0, 1) for what in ROWS if what != "starts"
    }
    want = {ref: v for ref, v in engine_cells(team).items() if _row(ref) in rows}
    want |= {f"{c}{grid.block_row(2, 'capacity')}": v for c, v in zip(MONTH_COLUMNS,
             kpi_engine.team_capacity(0, starts[2], 4, roles[2].ramp), strict=True)}  # fmt: skip
    assert disagree({ref: cell(ref) for ref in want}, want) == {}


def _row(ref: str) -> int:
    return int("".join(ch for ch in ref if ch.isdigit()))
