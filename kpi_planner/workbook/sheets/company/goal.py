"""The Company sheet's goal and segments: the ARR bridge or expansion goal that leaves the
new-logo goal, and each segment's share of it, deal size, budget, customers and CAC.

Each formula here is the Excel spelling of one step of :func:`kpi_planner.company.plan.
company_plan` (:func:`kpi_engine.arr_bridge`, :func:`kpi_engine.new_logo_goal`,
:func:`kpi_planner.company.plan.segment_goals`); the tests evaluate them independently and
compare. What the engine refuses, the sheet shows as ``#N/A`` with the reason in a check
cell (empty when nothing is wrong).
"""

from __future__ import annotations

from kpi_planner.company.inputs import CompanyInputs, Retention
from kpi_planner.workbook.sheets.company.grid import (
    COLUMN,
    COMPANY,
    FIRST_INPUT_ROW,
    FIRST_RESULT_ROW,
    GOAL_CHECK_ROW,
    GOAL_INPUTS,
    GOAL_RESULTS,
    RESULTS_HEADER,
    SEGMENT_COLUMNS,
    SEGMENT_ROWS,
    SEGMENTS_CHECK_ROW,
    SEGMENTS_HEADER,
    TOTAL_ROW,
)
from kpi_planner.workbook.sheets.number_formats import DECIMALS, MONEY, PERCENT, UNIT_COST
from kpi_planner.workbook.sheets.rounding import round_up_if_whole
from kpi_planner.workbook.spec import Cell, Name

#: What the goal's check says, by fault (the engine's rules, in the order it checks them).
GOAL_CHECK_TEXT = {
    "incomplete": "A target ARR needs the starting ARR, NRR and GRR: type them.",
    "grr": "Gross revenue retention is a share from 0 % to 100 %.",
    "nrr": "Net revenue retention is below gross: NRR is GRR plus expansion.",
    "target": "The target is below what today's customers bring (starting ARR x NRR): no "
    "new logos are needed; raise the target or check NRR.",
    "no goal": "An expansion goal is taken out of the company revenue goal: type it.",
    "too much": "The expansion goal is more than the company revenue goal.",
}
#: What a segment's row says is wrong with its goal.
ROW_CHECK_TEXT = {
    "no goal": "No share and no own goal: type one.",
    "share of nothing": "A share of no goal: type the company revenue goal or a target ARR.",
}
SEGMENTS_CHECK_TEXT = {
    "goal": "The new-logo goal is wrong: see the goal's check above.",
    "row": "A segment has no goal: see its row.",
}
_BRIDGE = 'TargetARR<>""'
_GOAL_GIVEN = 'OR(TargetARR<>"",CompanyGoal<>"")'


def goal_cells(company: CompanyInputs) -> tuple[list[Cell], list[Name]]:
    """The title, the goal's inputs, the bridge's results and the goal's check."""
    cells = [
        Cell("A1", "Company plan: the goal, the segments and their roll-up", "title"),
        Cell("A2", "Yellow cells are inputs. Each segment is a funnel of its own; the roll-up "
             "adds the volumes of stages of the same name. The Plan sheet holds the company's "
             "defaults: what a segment's row leaves empty.", "note"),
        *_header(FIRST_INPUT_ROW - 1, ("Goal", "Value", "What it is")),
    ]  # fmt: skip
    names = []
    typed = _typed_goal(company.retention, company.goal)
    for offset, (name, label, note, number_format) in enumerate(GOAL_INPUTS):
        row = FIRST_INPUT_ROW + offset
        cells += [Cell(f"A{row}", label, "label"),
                  Cell(f"B{row}", typed[name], "input", number_format),
                  Cell(f"C{row}", note, "note")]  # fmt: skip
        names.append(Name(name, COMPANY, f"$B${row}", f"{label}: {note}."))
    cells += _header(RESULTS_HEADER, ("ARR bridge and new-logo goal", "Value", "How"))
    formulas = goal_formulas()
    for offset, (name, label, note) in enumerate(GOAL_RESULTS):
        row = FIRST_RESULT_ROW + offset
        role = "output" if name == "NewLogoGoal" else "formula"
        cells += [Cell(f"A{row}", label, "label"), Cell(f"B{row}", formulas[name], role, MONEY),
                  Cell(f"C{row}", note, "note")]  # fmt: skip
        names.append(Name(name, COMPANY, f"$B${row}", f"{label}: {note}."))
    cells += [Cell(f"A{GOAL_CHECK_ROW}", "Check", "label"),
              Cell(f"B{GOAL_CHECK_ROW}", goal_check_formula(), "formula"),
              Cell(f"C{GOAL_CHECK_ROW}", "empty when the goal is right; else why #N/A",
                   "note")]  # fmt: skip
    names.append(Name("CompanyGoalCheck", COMPANY, f"$B${GOAL_CHECK_ROW}",
                      "What is wrong with the goal's inputs; empty when nothing is."))  # fmt: skip
    return cells, names


def _typed_goal(retention: Retention, goal: float | None) -> dict[str, float | None]:
    return {
        "StartingARR": retention.starting_arr,
        "NetRevenueRetention": retention.net_retention,
        "GrossRevenueRetention": retention.gross_retention,
        "TargetARR": retention.target_arr,
        "ExpansionGoal": retention.expansion_goal,
        "CompanyGoal": goal,
    }


def goal_check_formula() -> str:
    """The goal's check: the first rule the inputs break, or empty."""
    t = GOAL_CHECK_TEXT
    bridge = (
        'IF(OR(StartingARR="",NetRevenueRetention="",GrossRevenueRetention=""),'
        f'"{t["incomplete"]}",'
        f'IF(OR(GrossRevenueRetention<0,GrossRevenueRetention>1),"{t["grr"]}",'
        f'IF(NetRevenueRetention<GrossRevenueRetention,"{t["nrr"]}",'
        f'IF(TargetARR<StartingARR*NetRevenueRetention,"{t["target"]}",""))))'
    )
    expansion = (f'IF(ExpansionGoal="","",IF(CompanyGoal="","{t["no goal"]}",'
                 f'IF(ExpansionGoal>CompanyGoal,"{t["too much"]}","")))')  # fmt: skip
    return f"=IF({_BRIDGE},{bridge},{expansion})"


def goal_formulas() -> dict[str, str]:
    """The bridge's results by defined name: #N/A while the goal's check says something."""
    own_goals = _segment_span("own_goal")
    formulas = {
        "Expansion": f"IF({_BRIDGE},StartingARR*(NetRevenueRetention-GrossRevenueRetention),"
        'IF(ExpansionGoal="",0,ExpansionGoal))',
        "ChurnAndContraction": f'IF({_BRIDGE},StartingARR*(1-GrossRevenueRetention),"")',
        "NewLogoGoal": f"IF({_BRIDGE},TargetARR-StartingARR*NetRevenueRetention,"
        f'IF(CompanyGoal<>"",CompanyGoal-Expansion,SUM({own_goals})))',
        "EndingARR": f'IF({_BRIDGE},StartingARR+NewLogoGoal+Expansion-ChurnAndContraction,"")',
        "TotalRevenueGoal": "NewLogoGoal+Expansion",
    }
    return {name: f'=IF(CompanyGoalCheck<>"",NA(),{formula})' for name, formula in formulas.items()}


def segment_cells(company: CompanyInputs) -> tuple[list[Cell], list[Name]]:
    """The segments table: a row per segment (:data:`MAX_SEGMENTS` rows, the unused empty),
    its totals and the check that the goals add up to the new-logo goal."""
    cells = _header(SEGMENTS_HEADER, [header for _, header in SEGMENT_COLUMNS])
    for i, row in enumerate(SEGMENT_ROWS):
        segment = company.segments[i] if i < len(company.segments) else None
        cells += _segment_row(row, segment)
    cells += _total_cells()
    names = [
        Name("SegmentNames", COMPANY, _segment_span("name", True), "Each segment's name."),
        Name("SegmentShares", COMPANY, _segment_span("share", True),
             "Each segment's share of the new-logo goal (empty: its own goal)."),
        Name("SegmentOwnGoals", COMPANY, _segment_span("own_goal", True),
             "Each segment's own goal, where it has no share."),
        Name("SegmentGoals", COMPANY, _segment_span("goal", True),
             "Each segment's goal: its share of the new-logo goal, or its own."),
        Name("SegmentDealSizes", COMPANY, _segment_span("deal_size", True),
             "Each segment's revenue per new customer."),
        Name("SegmentBudgets", COMPANY, _segment_span("budget", True),
             "Each segment's marketing budget."),
        Name("SegmentCustomers", COMPANY, _segment_span("customers", True),
             "Each segment's customers: goal / deal size (rounded up in whole numbers)."),
        Name("SegmentCAC", COMPANY, _segment_span("cac", True),
             "Each segment's CAC: budget / customers."),
        Name("SegmentGoalsTotal", COMPANY, f"${COLUMN['goal']}${TOTAL_ROW}",
             "The segments' goals added up (#N/A unless they make the new-logo goal)."),
        Name("SegmentsCheck", COMPANY, f"$B${SEGMENTS_CHECK_ROW}",
             "What is wrong with the segments' goals; empty when nothing is."),
    ]  # fmt: skip
    return cells, names


def _segment_row(row: int, segment) -> list[Cell]:
    """One segment's inputs (empty for an unused row) and its formulas."""
    c = {key: f"${column}{row}" for key, column in COLUMN.items()}
    plan = segment.plan if segment is not None else None
    typed = {
        "name": segment.name if segment else None,
        "kind": segment.kind if segment else None,
        "share": segment.share if segment else None,
        "own_goal": plan.revenue_goal if segment and segment.share is None else None,
        "deal_size": plan.deal_size if plan else None,
        "budget": plan.marketing_budget if plan else None,
    }
    formats = {"share": PERCENT, "own_goal": MONEY, "deal_size": MONEY, "budget": MONEY}
    cells = [Cell(f"{COLUMN[key]}{row}", value, "input", formats.get(key))
             for key, value in typed.items()]  # fmt: skip
    used = f'IF({c["name"]}="","",{{}})'.format
    goal = (f'IF({c["share"]}<>"",IF({_GOAL_GIVEN},{c["share"]}*NewLogoGoal,NA()),'
            f'IF({c["own_goal"]}<>"",{c["own_goal"]},NA()))')  # fmt: skip
    why = (f'IF({c["share"]}<>"",IF({_GOAL_GIVEN},"","{ROW_CHECK_TEXT["share of nothing"]}"),'
           f'IF({c["own_goal"]}="","{ROW_CHECK_TEXT["no goal"]}",""))')  # fmt: skip
    customers = round_up_if_whole(f"{c['goal']}/{c['deal_size']}")
    return [
        *cells,
        Cell(f"{COLUMN['goal']}{row}", f"={used(goal)}", "formula", MONEY),
        Cell(f"{COLUMN['customers']}{row}", f"={used(customers)}", "output", DECIMALS),
        Cell(f"{COLUMN['cac']}{row}", f"={used(c['budget'] + '/' + c['customers'])}", "formula",
             UNIT_COST),
        Cell(f"{COLUMN['why']}{row}", f"={used(why)}", "formula"),
    ]  # fmt: skip


def _total_cells() -> list[Cell]:
    """The segments added up, and whether their goals make the new-logo goal."""
    total = f"SUM({_segment_span('goal')})"
    t = SEGMENTS_CHECK_TEXT
    check = (f'=IF(NOT(ISNUMBER(NewLogoGoal)),"{t["goal"]}",IF(NOT(ISNUMBER({total})),"{t["row"]}",'
             f"IF(ABS({total}-NewLogoGoal)>1E-9*MAX(NewLogoGoal,1),"
             f'"The segments\' goals add up to "&TEXT({total},"#,##0")&", not the new-logo '
             f'goal of "&TEXT(NewLogoGoal,"#,##0")&": make the shares and own goals add up '
             'to it.","")))')  # fmt: skip
    sums = {key: f"=SUM({_segment_span(key)})" for key in ("share", "own_goal", "budget",
                                                           "customers")}  # fmt: skip
    formats = {"share": PERCENT, "own_goal": MONEY, "budget": MONEY, "customers": DECIMALS}
    cells = [Cell(f"A{TOTAL_ROW}", "All segments", "label")]
    cells += [Cell(f"{COLUMN[key]}{TOTAL_ROW}", formula, "formula", formats[key])
              for key, formula in sums.items()]  # fmt: skip
    return [
        *cells,
        Cell(f"{COLUMN['goal']}{TOTAL_ROW}", f'=IF(SegmentsCheck<>"",NA(),{total})', "output",
             MONEY),
        Cell(f"A{SEGMENTS_CHECK_ROW}", "Check", "label"),
        Cell(f"B{SEGMENTS_CHECK_ROW}", check, "formula"),
    ]  # fmt: skip


def _segment_span(key: str, absolute: bool = False) -> str:
    """A column of the segments table over its rows, e.g. ``D21:D28``."""
    column, dollar = COLUMN[key], "$" if absolute else ""
    return f"{dollar}{column}{dollar}{SEGMENT_ROWS[0]}:{dollar}{column}{dollar}{SEGMENT_ROWS[-1]}"


def _header(row: int, texts) -> list[Cell]:
    return [Cell(f"{chr(ord('A') + i)}{row}", text, "header") for i, text in enumerate(texts)]
