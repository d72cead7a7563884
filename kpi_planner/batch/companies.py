"""Many companies at once: a table whose rows are segments, grouped into companies by one
column; one workbook per company, with its Company sheet (the segments rolled up).

Each company's rows are read as ``plan --segments`` reads a segments table
(:func:`kpi_planner.company.table.segments_of`); the company's own inputs are columns named
as the Company sheet's cells (``CompanyGoal``, ``ExpansionGoal``, ``StartingARR``,
``NetRevenueRetention``, ``GrossRevenueRetention``, ``TargetARR``), typed in any of its rows
(once, or the same in each). A company with a bad cell is reported by row and column and
written nowhere; the others are written, each atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kpi_engine import KPIInputError
from kpi_planner.company.inputs import CompanyInputs, Retention
from kpi_planner.company.plan import CompanyPlan, company_plan
from kpi_planner.company.table import SegmentTableError, read_table, segments_of
from kpi_planner.files.output_names import safe_file_name
from kpi_planner.inputs.scenario_table import RowProblem, key
from kpi_planner.inputs.tables import TableError, is_blank
from kpi_planner.inputs.typed_values import CellError, parse_number
from kpi_planner.plan.one_plan import PlanInputs

#: A company's own columns (matched ignoring case and punctuation) -> (its field of
#: Retention or "goal", whether it is a rate, the rate's kind: a fraction or not).
COMPANY_COLUMNS = {
    "companygoal": ("goal", False),
    "expansiongoal": ("expansion_goal", False),
    "startingarr": ("starting_arr", False),
    "netrevenueretention": ("net_retention", True),
    "grossrevenueretention": ("gross_retention", True),
    "targetarr": ("target_arr", False),
}


@dataclass
class CompaniesReport:
    """What a fill of companies did: the workbooks written or kept, and the bad cells."""

    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    problems: list[RowProblem | str] = field(default_factory=list)
    plans: dict[str, CompanyPlan] = field(default_factory=dict)


def fill_companies(table_path: Path, out: Path, by: str, *, force: bool = False) -> CompaniesReport:
    """One company workbook per value of column ``by`` of ``table_path``, into ``out``.

    Raises :class:`~kpi_planner.inputs.tables.TableError` for a table that cannot be read
    or has no column ``by``; a company's bad cells are in the report, its workbook unwritten.
    """
    from kpi_planner.workbook import book as plan_book
    from kpi_planner.workbook.render import xlsx
    from kpi_planner.workbook.sheets.company.layout import check_fits

    table = read_table(table_path)
    by_column = next((c for c in table.columns if key(c) == key(by)), None)
    if by_column is None:
        raise TableError(f"--by {by!r}: is not a column of {table_path.name} "
                         f"({', '.join(map(repr, table.columns))})")  # fmt: skip
    report = CompaniesReport()
    out.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    for name, rows in _companies(table, by_column, report.problems):
        try:
            inputs = _company_inputs(rows, by_column, table_path.name)
            plan = company_plan(inputs)
            check_fits(inputs)
        except SegmentTableError as err:
            report.problems += err.problems
            continue
        except KPIInputError as err:
            line = int(rows.index[0])
            report.problems += [RowProblem(line, by_column, name, f"company {name!r}: {p}")
                                for p in err.problems]  # fmt: skip
            continue
        path = out / safe_file_name(name, taken)
        if path.exists() and not force:
            report.skipped.append(path)
            continue
        xlsx.save(plan_book.plan_workbook(PlanInputs(), company=inputs), path)
        report.written.append(path)
        report.plans[name] = plan
    return report


def _companies(table: pd.DataFrame, by: str, problems: list) -> list[tuple[str, pd.DataFrame]]:
    """Each company's rows, in the order the companies first appear; a row with no company
    is a problem."""
    names = table[by].map(lambda v: None if is_blank(v) else str(v).strip())
    for line in names.index[names.isna()]:
        problems.append(RowProblem(int(line), by, None, "is empty: name the row's company"))
    order = list(dict.fromkeys(names.dropna()))
    return [(name, table[names == name]) for name in order]


def _company_inputs(rows: pd.DataFrame, by: str, source: str) -> CompanyInputs:
    """A company's segments and its own inputs; every bad cell at once."""
    own = {c: COMPANY_COLUMNS[key(c)] for c in rows.columns if key(c) in COMPANY_COLUMNS}
    problems: list[RowProblem | str] = []
    values = {target: _one_value(rows, column, rate, problems)
              for column, (target, rate) in own.items()}  # fmt: skip
    segment_columns = [c for c in rows.columns if c != by and c not in own]
    try:
        segments = segments_of(rows[segment_columns], PlanInputs(), source)
    except SegmentTableError as err:
        problems += err.problems
    if problems:
        raise SegmentTableError(sorted(problems, key=lambda p: getattr(p, "line", 0)))
    goal = values.pop("goal", None)
    return CompanyInputs(PlanInputs(), segments, goal, Retention(**values))


def _one_value(rows: pd.DataFrame, column: str, rate: bool, problems: list) -> float | None:
    """A company's value of one of its own columns: typed once, or the same in each row."""
    found: dict[int, tuple[float, object]] = {}
    for line, value in rows[column].items():
        if is_blank(value):
            continue
        try:
            found[int(line)] = (parse_number(value, ".", percent=rate), value)
        except CellError as err:
            problems.append(RowProblem(int(line), column, value, str(err)))
    if len({number for number, _ in found.values()}) > 1:
        (first_line, (first, typed)), *rest = found.items()
        for line, (number, value) in rest:
            if number != first:
                reason = (f"differs from row {first_line}'s {typed}: a company's {column} is "
                          "one value (type it once, or the same in each row)")  # fmt: skip
                problems.append(RowProblem(line, column, value, reason))
    return next((number for number, _ in found.values()), None)
