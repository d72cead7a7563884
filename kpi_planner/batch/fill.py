"""Batch-fill: one finished plan workbook per row of a table of scenarios.

Two passes over the table, each reading it in chunks so memory stays flat: the first
reads and checks every row's inputs (all problems, with row and column), the second
computes and writes the good rows, chunk by chunk, in worker processes (or on a Dask
cluster). Each chunk's KPIs are computed at once by :mod:`kpi_engine`, whose own checks
(a rate that empties a stage...) mark a row bad there, and each workbook is written by the
compiled template (:mod:`kpi_planner.workbook.render.compiled`), atomically. The summary lists every
row of the table, in order, whatever became of it, even after Ctrl-C.
"""

from __future__ import annotations

import itertools
import os
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kpi_planner.batch.chunk import (
    BAD,
    PENDING,
    SKIP,
    WRITE,
    Job,
    _compiled_workbook,
    _reasons,
    write_job,
)
from kpi_planner.batch.summary import SummaryWriter, check_summary_path, summary_names
from kpi_planner.batch.summary import summary_columns as _summary_columns
from kpi_planner.files.output_names import remove_stale_temporaries, safe_file_name
from kpi_planner.inputs import tables
from kpi_planner.inputs.scenario_table import (
    CHANNEL_COLUMNS,
    PLAN_NAME,
    Layout,
    RowProblem,
    check_table,
    column_names,
    plan_layout,
    to_scenarios,
)
from kpi_planner.inputs.tables import TableError, TableFormat
from kpi_planner.plan import one_plan

__all__ = ["FillReport", "column_names", "fill", "plan_layout", "safe_file_name"]

#: Rows read and written together; small enough for a smooth progress bar.
CHUNK_ROWS = tables.CHUNK_ROWS


@dataclass
class FillReport:
    """What a fill did: rows written, skipped (already there) and bad."""

    written: int = 0
    skipped: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    interrupted: bool = False
    total: int = 0

    @property
    def bad_rows(self) -> int:
        return len({p.line for p in self.problems})


def fill(
    scenarios_path: Path,
    out: Path,
    *,
    name_column: str | None = None,
    jobs: int | None = None,
    force: bool = False,
    summary: Path | None = None,
    scheduler: str | None = None,
    template: Path | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> FillReport:
    """Write one plan workbook per good row of ``scenarios_path`` into ``out``.

    ``template`` is a user's workbook that defines the plan's input names, filled in
    place of the built-in plan (and never modified). ``decimal`` is the table's decimal
    mark (``.`` or ``,``; by default ``,`` for a ``;``-separated CSV, else ``.``) and
    ``encoding`` its text encoding (UTF-8 or UTF-16 with a byte-order mark by default).
    ``progress(done, total)`` is called as rows are done. Bad rows are reported in the
    result and written nowhere; existing outputs are skipped unless ``force``. The
    summary lists every row, in order. On Ctrl-C the rows not yet done are listed as
    such, the summary is still written, and :class:`KeyboardInterrupt` is raised again.
    Memory stays flat in the number of rows: the table is read twice in chunks, and the
    summary is written chunk by chunk.
    """
    scenarios_path, out = Path(scenarios_path), Path(out)
    table_format, decimal = _check_options(scenarios_path, out, summary, decimal, encoding)
    header = tables.read_header(scenarios_path, table_format)
    layout, template, known, suffix = _layout(header, name_column, template, decimal or ".")
    report, reasons = _first_pass(scenarios_path, table_format, layout)
    out.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(out, (suffix,))
    columns = _summary_columns_of(layout, template)
    plan_jobs = _Plan(scenarios_path, table_format, layout, out, reasons, force, template,
                      known, suffix, summary is not None,
                      _inputs_in(out, scenarios_path, template))  # fmt: skip
    if summary is not None:
        remove_stale_temporaries(Path(summary).parent, (Path(summary).name,))
    names = summary_names(columns, PLAN_NAME)
    with SummaryWriter(summary, columns, names) as summary_writer:
        _second_pass(plan_jobs, jobs, scheduler, report, summary_writer, progress)
    report.problems.sort(key=lambda p: p.line)
    if progress and not report.interrupted:
        progress(report.total, report.total)
    if report.interrupted:
        raise FillInterrupted(report)
    return report


def _check_options(
    scenarios_path: Path, out: Path, summary: Path | None, decimal: str | None,
    encoding: str | None,
) -> tuple[TableFormat | None, str | None]:  # fmt: skip
    """The options checked before any work; a CSV's format and decimal mark (else None)."""
    _check_out(out)
    if summary is not None:  # a summary that cannot be written fails before any workbook
        check_summary_path(Path(summary))
        _check_not_the_table(Path(summary), scenarios_path)
    if decimal is not None and decimal not in tables.DECIMAL_MARKS:
        raise TableError(f"--decimal {decimal!r}: must be '.' or ','")
    table_format = None
    if scenarios_path.suffix.lower() in (".csv", ".txt", ".tsv"):
        table_format = tables.detect_format(scenarios_path, decimal, encoding)
        decimal = table_format.decimal
    return table_format, decimal


def _first_pass(
    scenarios_path: Path, table_format: TableFormat | None, layout: Layout
) -> tuple[FillReport, dict[int, list[str]]]:
    """Every row's inputs checked: a report of their problems and rows, bad rows' reasons."""
    report = FillReport()
    reasons: dict[int, list[str]] = {}
    for chunk in tables.read_chunks(scenarios_path, table_format=table_format):
        # The inputs' own problems; the engine's (a rate that empties a stage...) are found
        # as each chunk is computed for writing.
        _, problems = to_scenarios(chunk, layout)
        report.problems += problems
        reasons |= _reasons(problems)  # a chunk's rows are its own
        report.total += len(chunk)
    check_table(report.total, scenarios_path.name)
    return report, reasons


def _summary_columns_of(layout: Layout, template: Path | None) -> list[str]:
    """The summary's columns: the rows' inputs (channels' only where set), KPIs and status."""
    # The built-in plan's channels are examples until a table's columns set them.
    typed = template is not None or any(column.startswith(CHANNEL_COLUMNS)
                                        for column in layout.columns.values())  # fmt: skip
    inputs = [c for c in layout.frame_columns if typed or not c.startswith(CHANNEL_COLUMNS)]
    # A currency only where the table gives one: a summary without is as it always was.
    if "currency" not in layout.columns.values():
        inputs = [c for c in inputs if c != "currency"]
    return _summary_columns(inputs, layout.max_stages, budget=typed)


def _second_pass(
    plan_jobs: _Plan, jobs: int | None, scheduler: str | None, report: FillReport,
    summary_writer: SummaryWriter, progress: Callable[[int, int], None] | None,
) -> None:  # fmt: skip
    """Write the good rows, counted in ``report``; on Ctrl-C, the rest listed as not done."""
    last_line = 0
    try:
        for records, problems in _run(plan_jobs.jobs(), jobs, scheduler):
            report.problems += problems
            summary_writer.add(records)
            for record in records:
                report.written += record["status"] == "written"
                report.skipped += record["status"].startswith("skipped")
            last_line = records[-1]["row"] if records else last_line
            if progress:
                progress(summary_writer.rows, report.total)
    except KeyboardInterrupt:
        report.interrupted = True
        for job in plan_jobs.jobs(after=last_line):
            _, records, problems = write_job(job)
            report.problems += problems
            summary_writer.add(records)


class FillInterrupted(KeyboardInterrupt):
    """Ctrl-C during a fill: what was done (the workbooks written are whole)."""

    def __init__(self, report: FillReport) -> None:
        super().__init__()
        self.report = report


def _check_out(out: Path) -> None:
    """--out must be a folder this process can write into, or one it can create."""
    if out.exists() and not out.is_dir():
        raise TableError(f"--out {out}: is a file; give a folder for the workbooks")
    for parent in [out, *out.parents]:
        if parent.exists():
            if not parent.is_dir():
                raise TableError(f"--out {out}: {parent} is a file, not a folder")
            if not os.access(parent, os.W_OK | os.X_OK):
                raise TableError(f"--out {out}: cannot write into {parent} (permission denied)")
            return


def _check_not_the_table(summary: Path, scenarios_path: Path) -> None:
    """The summary replaces its file when it is done: never the table being filled (a
    template cannot be one: a summary is .csv or .parquet)."""
    if summary.resolve() == scenarios_path.resolve():
        raise TableError(f"--summary {summary}: is the table being filled, which the summary "
                         "would replace; give another file, such as summary.csv")  # fmt: skip


def _inputs_in(out: Path, *inputs: Path | None) -> frozenset[str]:
    """The names (casefolded, as :func:`safe_file_name` compares them) of the fill's own
    inputs that are in ``out``: a row named like one gets the next free name (``-2``), so
    its workbook never replaces the user's table or template."""
    folder = out.resolve()
    return frozenset(Path(path).name.casefold() for path in inputs
                     if path is not None and Path(path).resolve().parent == folder)  # fmt: skip


def _layout(header, name_column, template, decimal):
    """The table's layout over the built-in plan or a user's template."""
    if template is None:
        layout = plan_layout(header, name_column, decimal=decimal)
        return layout, None, None, ".xlsx"
    template = Path(template).resolve()
    compiled = _compiled_workbook(template, template.stat().st_mtime)
    stages, settable = compiled.stage_count, set(compiled.inputs)
    defaults = one_plan.scenario_row(one_plan.PlanInputs())
    if stages >= 2:
        defaults = {k: v for k, v in defaults.items() if not k.startswith(("stage_", "rate_"))}
        defaults |= {f"stage_{i}": f"Stage {i}" for i in range(1, stages + 1)}
        defaults |= {f"rate_{i}": 0.5 for i in range(1, stages)}
    else:  # the template has no funnel: the built-in one stands in, for the engine only
        stages = len(one_plan.PlanInputs().stages)
    defaults |= compiled.defaults()
    layout = plan_layout(header, name_column, stages, defaults, settable, decimal)
    known = frozenset(settable | set(layout.columns.values()))
    return layout, template, known, template.suffix.lower()


@dataclass
class _Plan:
    """The second pass over the table: each chunk's rows, their files and what to do."""

    path: Path
    table_format: TableFormat | None
    layout: Layout
    out: Path
    reasons: dict[int, list[str]]
    force: bool
    template: Path | None
    known: frozenset[str] | None
    suffix: str
    summary: bool  # whether the rows' records go to a summary (with inputs and KPIs)
    reserved: frozenset[str]  # the fill's own inputs in ``out``, casefolded: no row's file

    def jobs(self, after: int | None = None) -> Iterator[Job]:
        """Every chunk as a :class:`Job`; with ``after``, only the rows after that line,
        marked PENDING (what an interrupted run did not reach).

        Names are given in table order, the same as a rerun gives them, so a rerun finds
        the files of the rows it already wrote.
        """
        taken = set(self.reserved)
        # The first pass checked the table's formulas (an Excel table's second read of them
        # would double its reading time)
        chunks = tables.read_chunks(self.path, table_format=self.table_format,
                                    check_formulas=False)  # fmt: skip
        sequence = 0
        for chunk in chunks:
            frame, _ = to_scenarios(chunk, self.layout)
            lines, labels, paths, actions = [], [], [], []
            for line in frame.index:
                raw = chunk.at[line, self.layout.name_column] if self.layout.name_column else None
                label = f"scenario-{line}" if tables.is_blank(raw) else raw
                target = self.out / safe_file_name(label, taken, self.suffix)
                if after is not None and line <= after:
                    continue
                if line in self.reasons:
                    action = BAD
                elif after is not None:
                    action = PENDING
                elif target.exists() and not self.force:
                    action = SKIP
                else:
                    action = WRITE
                lines.append(int(line))
                labels.append(label)
                paths.append(target)
                actions.append(action)
            if lines:
                reasons = {line: "; ".join(self.reasons[line]) for line in lines
                           if line in self.reasons}  # fmt: skip
                yield Job(sequence, frame.loc[lines], self.layout, lines, labels, paths,
                          actions, reasons, self.template, self.known, self.summary)  # fmt: skip
                sequence += 1


def _ignore_interrupts() -> None:
    # Workers finish the chunk in hand; Ctrl-C is the parent's to handle.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(
    jobs: Iterator[Job], workers: int | None, scheduler: str | None
) -> Iterator[tuple[list, list]]:
    """Each job's records and engine problems, in the table's order."""
    if scheduler:
        yield from _run_on_cluster(jobs, scheduler)
        return
    workers = workers or os.cpu_count() or 1
    # A table of one chunk is written here: a worker process would only add its start-up
    # (importing pandas and the engine, loading the compiled template: about 0.5 s).
    first, second = next(jobs, None), next(jobs, None)
    jobs = itertools.chain([job for job in (first, second) if job is not None], jobs)
    if workers == 1 or second is None:
        for job in jobs:
            yield write_job(job)[1:]
        return
    # Imported here: a fill of one chunk, or with one job, needs no pool (multiprocessing
    # and logging are 7 ms of imports).
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts)
    try:
        pending = []
        for job in jobs:
            pending.append(pool.submit(write_job, job))
            # Keep a bounded number of chunks in flight, so memory stays flat.
            while len(pending) >= 2 * workers:
                yield pending.pop(0).result()[1:]
        for future in pending:
            yield future.result()[1:]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run_on_cluster(jobs: Iterator[Job], scheduler: str) -> Iterator[tuple[list, list]]:
    """Run the chunks on a Dask cluster; its workers write to ``--out``, so it must be a
    folder they see at the same path (a shared file system). Records come back in order."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise TableError(
            f"--scheduler {scheduler}: needs Dask: pip install 'kpi-planner[cluster]'"
        ) from None
    try:
        client = Client(scheduler, timeout="10s")
    except OSError as err:
        raise TableError(f"--scheduler {scheduler}: cannot connect: {err}") from None
    with client:
        workers = max(1, len(client.scheduler_info()["workers"]))
        running = as_completed()
        finished: dict[int, tuple[list, list]] = {}
        following = 0

        def ready() -> Iterator[tuple[list, list]]:
            nonlocal following
            while following in finished:
                yield finished.pop(following)
                following += 1

        for job in jobs:
            running.add(client.submit(write_job, job, pure=False))
            # A bounded number of chunks in flight, so memory stays flat here too.
            while running.count() >= 2 * workers:
                sequence, records, problems = next(running).result()
                finished[sequence] = (records, problems)
                yield from ready()
        for future in running:
            sequence, records, problems = future.result()
            finished[sequence] = (records, problems)
            yield from ready()
