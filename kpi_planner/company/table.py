"""A segments table read into a company's segments: one row per segment, its name, kind and
share of the company's goal, and any input of a plan (a fill table's columns: ``RevenueGoal``,
``DealSize``, ``StageNames1``, ``StageRates1``...); an empty cell takes the company plan's.

CSV, Excel or Parquet (as ``fill`` reads them), or YAML: a list of segments (or a mapping
with ``segments:``), each with the plan file's keys (``revenue_goal``, ``stages: [...]``).
Every problem names the row (the spreadsheet's row; a YAML segment's position, from 2 as if
under a header) and the column; nothing is planned until the whole table reads.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from kpi_engine import stage_name_problems
from kpi_planner.batch.row_plans import plan_outputs as checked_plans
from kpi_planner.company.inputs import Segment
from kpi_planner.inputs.plan_fields import BY_FIELD
from kpi_planner.inputs.scenario_table import RowProblem, key, plan_layout, to_scenarios
from kpi_planner.inputs.tables import TableError, is_blank, read_chunks, read_header
from kpi_planner.inputs.typed_values import CellError, parse_number
from kpi_planner.plan.one_plan import PlanInputs, row_inputs, scenario_row

#: The segments table's own columns (matched ignoring case and punctuation) -> their role.
SEGMENT_COLUMNS = {"segment": "name", "name": "name", "kind": "kind", "share": "share",
                   "goalshare": "share"}  # fmt: skip


class SegmentTableError(ValueError):
    """A segments table that cannot be planned: every problem, one per line."""

    def __init__(self, problems: list[RowProblem | str]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def read_segments(path: Path, company: PlanInputs) -> tuple[Segment, ...]:
    """The segments of ``path``, each a plan: the row's inputs over ``company``'s.

    Raises :class:`SegmentTableError` naming every bad cell by row and column (and
    :class:`~kpi_planner.inputs.tables.TableError` for a file that cannot be read).
    """
    return segments_of(read_table(path), company, path.name)


def read_table(path: Path) -> pd.DataFrame:
    """A segments table as read (CSV, Excel, Parquet or YAML), its rows numbered as in the
    file; :class:`~kpi_planner.inputs.tables.TableError` if it cannot be read or is empty."""
    return _yaml_table(path) if path.suffix.lower() in (".yaml", ".yml") else _table(path)


def segments_of(table: pd.DataFrame, company: PlanInputs, source: str) -> tuple[Segment, ...]:
    """The segments of a table already read (its index: each row's number in the file, which
    the problems name); ``source`` names the file in a table-wide problem."""
    roles = {role: column for column in table.columns
             if (role := SEGMENT_COLUMNS.get(key(column))) is not None}  # fmt: skip
    if "name" not in roles:
        raise TableError(f"{source}: has no Segment column: name each segment in a column "
                         "headed Segment")  # fmt: skip
    problems: list[RowProblem | str] = []
    names = _names(table[roles["name"]], roles["name"], problems)
    shares = _shares(table, roles.get("share"), problems)
    table = _company_funnel_where_blank(table, company)
    plan_columns = [c for c in table.columns if c not in roles.values()]
    _goal_or_share(table, plan_columns, roles, shares, problems)
    layout = plan_layout(plan_columns, None, len(company.stages), scenario_row(company))
    frame, cell_problems = to_scenarios(table[plan_columns], layout)
    problems += cell_problems
    if problems:
        raise SegmentTableError(problems)
    _, engine_problems = checked_plans(frame, layout)
    problems += engine_problems
    segments = []
    for line, row in frame.iterrows():
        plan = row_inputs(row, int(row["stage_count"]))
        kind = table.at[line, roles["kind"]] if "kind" in roles else None
        kind = None if is_blank(kind) else str(kind).strip()
        segments.append(Segment(names[line], plan, kind, shares.get(line)))
    problems += _stage_names(segments, frame, layout.user_column)
    if problems:
        raise SegmentTableError(sorted(problems, key=lambda p: getattr(p, "line", 0)))
    return tuple(segments)


def _table(path: Path) -> pd.DataFrame:
    read_header(path)  # a file with no header, or an empty one, says so
    chunks = list(read_chunks(path))
    table = pd.concat(chunks) if chunks else pd.DataFrame()
    if table.empty:
        raise TableError(f"{path.name}: has no segments: add one row per segment")
    return table


def _company_funnel_where_blank(table: pd.DataFrame, company: PlanInputs) -> pd.DataFrame:
    """A row that names no stages, in a table whose other rows name theirs, takes the
    company plan's funnel: its stages, and its rates where the row gives none."""
    names = [c for c in table.columns if key(c).startswith("stagenames")]
    if not names:
        return table
    blank = table[names].map(is_blank).all(axis=1)
    if not blank.any():
        return table
    table = table.copy()
    rate_column = {key(c): c for c in table.columns if key(c).startswith("stagerates")}
    for i, stage in enumerate(company.stages, start=1):
        column = next((c for c in names if key(c) == f"stagenames{i}"), f"StageNames{i}")
        if column not in table.columns:
            table[column] = pd.Series(None, index=table.index, dtype=object)
        table.loc[blank, column] = stage
        if i < len(company.stages):
            rates = rate_column.get(f"stagerates{i}", f"StageRates{i}")
            if rates not in table.columns:
                table[rates] = pd.Series(None, index=table.index, dtype=object)
            empty = blank & table[rates].map(is_blank)
            table.loc[empty, rates] = company.rates[i - 1]
    return table


def _yaml_table(path: Path) -> pd.DataFrame:
    """A YAML list of segments as a table with the plan's defined names as its columns."""
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise TableError(f"{path.name}: is not a readable YAML file ({err})") from None
    if isinstance(loaded, dict) and "segments" in loaded:
        loaded = loaded["segments"]
    if not isinstance(loaded, list) or not loaded or not all(isinstance(s, dict) for s in loaded):
        raise TableError(f"{path.name}: must hold a list of segments, each a mapping of its "
                         "inputs (segment: EMEA, revenue_goal: ..., stages: [...])")  # fmt: skip
    rows = [_yaml_row(segment) for segment in loaded]
    return pd.DataFrame(rows, index=pd.RangeIndex(2, 2 + len(rows)), dtype=object)


def _yaml_row(segment: dict) -> dict[str, object]:
    """One YAML segment's keys as table columns: a list input as its numbered columns."""
    row: dict[str, object] = {}
    for name, value in segment.items():
        declared = BY_FIELD.get(str(name))
        if declared is not None and declared.is_list and isinstance(value, list):
            row |= {f"{declared.defined_name}{i}": v for i, v in enumerate(value, start=1)}
        elif declared is not None and declared.defined_name is not None:
            row[declared.defined_name] = value
        else:
            row[str(name)] = value
    return row


def _names(column: pd.Series, header: str, problems: list) -> dict[int, str]:
    names: dict[int, str] = {}
    for line, value in column.items():
        if is_blank(value):
            problems.append(RowProblem(int(line), header, None, "is empty: name the segment"))
            continue
        name = str(value).strip()
        if name in names.values():
            reason = "names another row's segment too: give each segment its own name"
            problems.append(RowProblem(int(line), header, name, reason))
        names[int(line)] = name
    return names


def _shares(table: pd.DataFrame, column: str | None, problems: list) -> dict[int, float]:
    shares: dict[int, float] = {}
    if column is None:
        return shares
    for line, value in table[column].items():
        if is_blank(value):
            continue
        try:
            shares[int(line)] = parse_number(value, ".", fraction=True)
        except CellError as err:
            problems.append(RowProblem(int(line), column, value, f"{err}: give a share such as"
                                       " 25% or 0.25 of the company's goal"))  # fmt: skip
    return shares


def _goal_or_share(table: pd.DataFrame, plan_columns: list[str], roles: dict[str, str],
                   shares: dict[int, float], problems: list) -> None:  # fmt: skip
    """Each segment has its own goal or a share of the company's: one, not both, not none."""
    goal_column = next((c for c in plan_columns if key(c) == "revenuegoal"), None)
    for line in table.index:
        has_goal = goal_column is not None and not is_blank(table.at[line, goal_column])
        if has_goal and int(line) in shares:
            reason = "and RevenueGoal are both given: give the segment's goal or its share"
            problems.append(RowProblem(int(line), roles["share"], shares[int(line)], reason))
        elif not has_goal and int(line) not in shares and not _bad_share(table, roles, line):
            reason = ("is empty and the segment has no Share: give its revenue goal or its "
                      "share of the company's goal")  # fmt: skip
            problems.append(RowProblem(int(line), goal_column or "RevenueGoal", None, reason))


def _bad_share(table: pd.DataFrame, roles: dict[str, str], line: object) -> bool:
    return "share" in roles and not is_blank(table.at[line, roles["share"]])


def _stage_names(segments: list[Segment], frame: pd.DataFrame, user: dict) -> list[RowProblem]:
    """A stage typed two ways in two segments (MQL, MQLs), named by row and column."""
    line_of = {segment.name: int(line) for segment, line in zip(segments, frame.index,
                                                                strict=True)}  # fmt: skip
    found = stage_name_problems({s.name: s.plan.stages for s in segments})
    problems = []
    for segment in segments:
        for problem in found:
            if problem.argument != f"stages of segment {segment.name!r}":
                continue
            position = list(segment.plan.stages).index(problem.value) + 1
            column = user.get(f"stage_{position}", "StageNames")
            problems.append(RowProblem(line_of[segment.name], column, problem.value, problem.rule))
    return problems
