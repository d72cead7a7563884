"""One chunk of a fill: compute its rows' KPIs and write their workbooks.

What a worker process (or a Dask worker) runs for :mod:`kpi_planner.batch.fill`: a
:class:`Job` is a chunk of the scenario table and what to do with each row; :func:`write_job`
computes the chunk with :mod:`kpi_engine` at once, writes each workbook with the compiled
template, atomically, and returns a summary record per row.
"""

from __future__ import annotations

import functools
import gc
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kpi_planner.batch.row_plans import plan_outputs
from kpi_planner.batch.summary import BUDGET_COLUMNS, KPI_COLUMNS, status_record, summary_record
from kpi_planner.files import atomic
from kpi_planner.inputs.scenario_table import Layout, RowProblem
from kpi_planner.workbook.render import compiled as fast
from kpi_planner.workbook.render import compiled_cache

if TYPE_CHECKING:
    from kpi_planner.workbook.render.user_template import CompiledWorkbook


WRITE, SKIP, BAD, PENDING = "write", "skip", "bad", "pending"
INTERRUPTED = "not written: interrupted (run the same command again to resume)"


@dataclass
class Job:
    """One chunk of the table for the second pass: every row, and what to do with it."""

    sequence: int
    frame: pd.DataFrame  # the chunk's scenario frame, every row
    layout: Layout
    lines: list[int]
    labels: list[object]  # each row's name as the table gives it
    paths: list[Path | None]
    actions: list[str]  # WRITE, SKIP, BAD or PENDING per row
    reasons: dict[int, str] = field(default_factory=dict)  # a bad row's problems
    template: Path | None = None  # a user's workbook; None for the built-in plan
    known: frozenset[str] | None = None  # inputs a user's template or the table sets
    #: Whether each row's record carries its inputs and KPIs, for a summary; without one a
    #: record is the row's status alone (copying ~150 inputs a row was 4 % of a chunk).
    summary: bool = True


#: The outputs the sheets' text cells read one by one (and the entry stage, which the
#: Channel actuals sheet names), and those a row's summary record reads too.
SHEET_OUTPUTS = frozenset({*fast.CompiledPlan.TEXT_OUTPUTS, "ChannelEntryIndex"})
PER_ROW_OUTPUTS = SHEET_OUTPUTS | {"CustomersNeeded", "RequiredAnnual", *KPI_COLUMNS,
                                   *BUDGET_COLUMNS}  # fmt: skip


@cache
def _compiled(stages: int, currency: str = "") -> fast.CompiledPlan:
    # One compiled template per worker process, stage count and currency, reused for every
    # chunk (and kept on disk between runs: compiling it costs more than a small fill).
    return compiled_cache.compiled_plan(stages, currency) if currency else (
        compiled_cache.compiled_plan(stages))  # fmt: skip


@cache
def _compiled_workbook(path: Path, modified: float) -> CompiledWorkbook:
    # Keyed by the file's modification time too: a template edited between runs recompiles.
    del modified
    from kpi_planner.workbook.render import user_template  # openpyxl, which reads the user's file

    return user_template.CompiledWorkbook(path)


def _without_cyclic_gc(function: Callable) -> Callable:
    """``function`` run with the cyclic garbage collector paused, then restored as it was.

    A chunk makes some 100,000 short-lived containers (each row's tuples, dicts and texts),
    which reference counting frees; the collector's passes over every object the process
    holds (the compiled template's among them) cost about 2 % of a fill (1.117 against
    1.144 ms a workbook, 3,000 rows, 5 alternated rounds).
    """

    @functools.wraps(function)
    def paused(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused


@_without_cyclic_gc
def write_job(job: Job) -> tuple[int, list[dict[str, object]], list[RowProblem]]:
    """Write one chunk's workbooks; returns its sequence number, a record per row and the
    problems the engine found in rows whose inputs read well (those rows are not written:
    their record says why). The engine's checks run here, on the computation the
    workbooks need, not in a pass of their own."""
    with np.errstate(all="ignore"):
        groups, problems = plan_outputs(job.frame.loc[[line for line, action in
                                                       zip(job.lines, job.actions, strict=True)
                                                       if action != BAD]], job.layout)  # fmt: skip
    # The engine saw only rows whose inputs read well, so its problems name other rows
    # than job.reasons does.
    reasons = job.reasons | {line: "; ".join(found) for line, found in _reasons(problems).items()}
    found: dict[int, tuple[int, dict, int]] = {}  # count, outputs, position in its group
    numbers: dict[int, np.ndarray] = {}  # the cached numbers of each stage count's rows
    per_row = PER_ROW_OUTPUTS if job.summary else SHEET_OUTPUTS
    for count, group in groups.items():
        # The sheets' cached numbers, gathered for the whole group at once; each row takes
        # only what the summary and the sheets' text cells need.
        if job.template is None:
            # Every currency's template has the same number slots (its styles alone
            # differ): the first row's, which most often is every row's, gathers them.
            first = _currency({"currency": _cell(job.frame, group["lines"][0], "currency")})
            numbers[count] = _compiled(count, first).numbers(group["outputs"],
                                                             len(group["lines"]))  # fmt: skip
        columns = {name: np.asarray(values).tolist() for name, values in group["outputs"].items()
                   if job.template is not None or name in per_row}  # fmt: skip
        names = list(columns)  # never empty: the text cells read some outputs of every row
        by_row = zip(*columns.values(), strict=True)
        for position, (line, row) in enumerate(zip(group["lines"], by_row, strict=True)):
            found[line] = (count, dict(zip(names, row, strict=True)), position)
    rows = _row_tuples(job.frame)
    columns = tuple(job.frame.columns)
    values = {line: _row_values(rows[line], columns, found[line][0])
              for line in job.lines if line in found}  # fmt: skip
    workbooks = _workbooks(job, found, values, numbers)
    records = []
    for line, label, path, action in zip(job.lines, job.labels, job.paths, job.actions,
                                         strict=True):  # fmt: skip
        if action == BAD or line not in found:
            reason = reasons.get(line, "bad")
            records.append(status_record(line, label, "", f"bad: {reason}"))
            continue
        count, by_name, _ = found[line]
        if action == WRITE:
            atomic.write_atomic(path, next(workbooks[count]))
            status = "written"
        elif action == SKIP:
            status = "skipped: already there"
        else:
            status = "written" if path.exists() else INTERRUPTED
        if job.summary:
            records.append(summary_record(line, label, path, status, values[line], by_name,
                                           job.known))  # fmt: skip
        else:
            records.append(status_record(line, label, path.name, status))
    return job.sequence, records, problems


def _workbooks(job: Job, found: dict[int, tuple[int, dict, int]], values: dict[int, dict],
               numbers: dict[int, np.ndarray]) -> dict[int, Iterator[bytes]]:  # fmt: skip
    """The workbooks of the chunk's rows to write, by stage count, each made as it is taken
    (in the order of the chunk's lines)."""
    lines: dict[int, list[int]] = {}  # by stage count
    for line, action in zip(job.lines, job.actions, strict=True):
        if action == WRITE and line in found:
            lines.setdefault(found[line][0], []).append(line)
    if job.template is not None:
        user = _compiled_workbook(job.template, job.template.stat().st_mtime)
        return {count: (user.workbook(values[line]) for line in group)
                for count, group in lines.items()}  # fmt: skip
    made = {}
    for count, group in lines.items():
        by_currency: dict[str, list[int]] = {}  # a compiled template per currency
        for line in group:
            by_currency.setdefault(_currency(values[line]), []).append(line)
        each = {currency: _group_workbooks(count, currency, lines_of, found, values,
                                           numbers[count])
                for currency, lines_of in by_currency.items()}  # fmt: skip
        made[count] = _in_line_order(group, values, each)
    return made


def _in_line_order(group: list[int], values: dict[int, dict],
                   each: dict[str, Iterator[bytes]]) -> Iterator[bytes]:  # fmt: skip
    """The workbooks of ``group``'s lines in their order, each taken from its currency's."""
    for line in group:
        yield next(each[_currency(values[line])])


def _cell(frame: pd.DataFrame, line: int, column: str) -> object:
    """One cell of the chunk's frame, None where it has no such column."""
    return frame.at[line, column] if column in frame.columns else None


def _currency(row: dict[str, object]) -> str:
    """A row's currency code (read and checked with the table: upper-case), "" for none."""
    code = row.get("currency")
    return code if isinstance(code, str) else ""


def _group_workbooks(count: int, currency: str, group: list[int],
                     found: dict[int, tuple[int, dict, int]], values: dict[int, dict],
                     numbers: np.ndarray) -> Iterator[bytes]:  # fmt: skip
    """The workbooks of the rows of one stage count and currency, in order."""
    rows = [values[line] for line in group]
    outputs = [fast.outputs_of(values[line], found[line][1]) for line in group]
    positions = [found[line][2] for line in group]
    # Most chunks write every row of the group in order: no copy then
    chosen = numbers if positions == list(range(len(numbers))) else numbers[positions]
    return _compiled(count, currency).workbooks(rows, outputs, chosen)


def _reasons(problems: list[RowProblem]) -> dict[int, list[str]]:
    """Each row's problems as the summary words them (``column: reason``), in order."""
    reasons: dict[int, list[str]] = {}
    for problem in sorted(problems, key=lambda p: p.line):
        reasons.setdefault(problem.line, []).append(f"{problem.column}: {problem.reason}")
    return reasons


def _row_tuples(frame: pd.DataFrame) -> dict[int, tuple]:
    """Each row of ``frame`` by line, as a tuple of plain Python values (numpy scalars in
    object columns too), read column by column: ``to_dict`` boxes each cell apart."""
    columns = []
    for _, column in frame.items():
        values = column.tolist()
        if column.dtype == object:
            values = [v.item() if isinstance(v, np.generic) else v for v in values]
        columns.append(values)
    return dict(zip(frame.index.tolist(), zip(*columns, strict=True), strict=True))


def _row_values(row: tuple, columns: tuple[str, ...], count: int) -> dict[str, object]:
    """One row's inputs as :func:`one_plan.scenario_row` gives them, for a funnel of ``count``."""
    kept, pick = _kept_columns(columns, count)
    return dict(zip(kept, pick(row), strict=True))


@cache
def _kept_columns(
    columns: tuple[str, ...], count: int
) -> tuple[list[str], Callable[[tuple], tuple]]:
    """The names of the columns a funnel of ``count`` stages reads (not the stage count,
    nor the names and rates of stages past its end), and what picks them from a row."""
    kept = [(i, column) for i, column in enumerate(columns)
            if column != "stage_count"
            and not (column.startswith("stage_") and int(column[6:]) > count)
            and not (column.startswith("rate_") and int(column[5:]) >= count)]  # fmt: skip
    positions = [i for i, _ in kept]
    # itemgetter takes a row's ~150 cells in one call; of one position it gives no tuple
    pick = (
        operator.itemgetter(*positions)
        if len(positions) > 1
        else lambda row: tuple(row[i] for i in positions)
    )
    return [column for _, column in kept], pick
