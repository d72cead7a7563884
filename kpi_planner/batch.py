"""Batch-fill: one finished plan workbook per row of a table of scenarios.

Two passes over the table, each reading it in chunks so memory stays flat: the first
validates every row (all problems, with row and column) and settles every output name;
the second writes the good rows, chunk by chunk, in worker processes (or on a Dask
cluster). Each chunk's KPIs are computed at once by :mod:`kpi_engine` and each workbook is
written by the compiled template (:mod:`kpi_planner.workbook.fast`), atomically.
"""

from __future__ import annotations

import difflib
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from kpi_engine import KPIInputError, Problem
from kpi_planner.workbook import fast, plan, scenarios, user_template, xlsx

#: Rows read and written together; small enough for a smooth progress bar.
CHUNK_ROWS = 500

SCALAR_NAMES = plan.SCALAR_INPUT_NAMES
RANGE_NAMES = plan.RANGE_INPUT_NAMES

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                     *(f"LPT{i}" for i in range(1, 10))}  # fmt: skip
_UNSAFE = re.compile(r"[^A-Za-z0-9 ._()-]+")
_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f"}


def _key(name: str) -> str:
    """Column names match ignoring case and punctuation: ``Stage Rates[1]`` = ``stagerates1``."""
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def column_names(stages: int) -> dict[str, str]:
    """Every column a table may have, as the plan spells it (``StageRates3``), -> its
    column of a scenario frame (``rate_3``), for plans of ``stages`` stages."""
    names = dict(SCALAR_NAMES)
    counts = {"StageNames": stages, "StageRates": stages - 1, "SeasonalityWeights": 12}
    for name, prefix in RANGE_NAMES.items():
        names |= {f"{name}{i}": f"{prefix}{i}" for i in range(1, counts[name] + 1)}
    return names


@dataclass
class Layout:
    """How a table's columns map onto the plan: known columns, the name column, defaults."""

    columns: dict[str, str]  # user column -> scenario-frame column
    name_column: str | None
    defaults: dict[str, object]

    @property
    def user_column(self) -> dict[str, str]:
        """Scenario-frame column -> the user's column, for messages."""
        return {v: k for k, v in self.columns.items()}


def plan_layout(
    header: Sequence[str],
    name_column: str | None,
    stages: int = 6,
    defaults: dict[str, object] | None = None,
    settable: set[str] | None = None,
) -> Layout:
    """Match a table's header to the plan's inputs; unknown columns are errors with a hint.

    ``defaults`` are the values of inputs the table has no column for (the built-in
    example's by default); ``settable`` limits the inputs a template lets a table set.
    """
    spelled = {_key(name): name for name in column_names(stages)}
    known = {_key(name): column for name, column in column_names(stages).items()}
    columns: dict[str, str] = {}
    problems = []
    chosen_name = None
    if name_column is not None:
        matches = [h for h in header if _key(h) == _key(name_column)]
        if not matches:
            rule = f"is not a column of the table ({', '.join(map(repr, header))})"
            raise KPIInputError([Problem("--name-column", name_column, rule)])
        chosen_name = matches[0]
    else:
        chosen_name = next((h for h in header if _key(h) == "name"), None)
    for column in header:
        if column == chosen_name:
            continue
        target = known.get(_key(column))
        if target is None:
            close = difflib.get_close_matches(_key(column), list(known), n=1, cutoff=0.6)
            hint = f"; did you mean {spelled[close[0]]!r}?" if close else ""
            problems.append(Problem("column", column, "is not a plan input" + hint))
        elif target in columns.values():
            problems.append(Problem("column", column, "names an input another column sets"))
        elif settable is not None and target not in settable:
            rule = "is not a defined name of the template, so it has nowhere to go"
            problems.append(Problem("column", column, rule))
        else:
            columns[column] = target
    if problems:
        raise KPIInputError(problems)
    if defaults is None:
        defaults = plan.scenario_row(plan.PlanInputs())
    return Layout(columns, chosen_name, defaults)


def read_chunks(path: Path, rows: int | None = None) -> Iterator[pd.DataFrame]:
    """The table in chunks of ``rows`` (default :data:`CHUNK_ROWS`); CSV, XLSX or Parquet.

    Values come as stored (text stays text). Each chunk's index is the row's line in the
    file (the header is line 1).
    """
    rows = rows or CHUNK_ROWS
    suffix = path.suffix.lower()
    line = 2
    if suffix in (".csv", ".txt"):
        chunks = pd.read_csv(path, chunksize=rows, dtype=object, keep_default_na=False,
                             na_values=[""], skipinitialspace=True)  # fmt: skip
    elif suffix == ".parquet":
        pq = _pyarrow_parquet("SCENARIOS", path)

        chunks = (batch.to_pandas() for batch in pq.ParquetFile(path).iter_batches(rows))
    elif suffix in (".xlsx", ".xlsm"):
        chunks = _excel_chunks(path, rows)
    else:
        raise KPIInputError(
            [Problem("SCENARIOS", str(path), "must be a .csv, .xlsx or .parquet file")]
        )
    for chunk in chunks:
        chunk.index = pd.RangeIndex(line, line + len(chunk))
        line += len(chunk)
        yield chunk


def _pyarrow_parquet(argument: str, path: Path):
    """pyarrow's Parquet module, or an error that says how to install it."""
    try:
        import pyarrow.parquet
    except ImportError:
        rule = "is Parquet, which needs pyarrow: pip install 'kpi-planner[parquet]'"
        raise KPIInputError([Problem(argument, str(path), rule)]) from None
    return pyarrow.parquet


def _excel_chunks(path: Path, rows: int) -> Iterator[pd.DataFrame]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        values = book.worksheets[0].iter_rows(values_only=True)
        header = [str(h) for h in next(values, ())]
        batch: list[tuple] = []
        for row in values:
            batch.append(row)
            if len(batch) == rows:
                yield pd.DataFrame(batch, columns=header, dtype=object)
                batch = []
        if batch:
            yield pd.DataFrame(batch, columns=header, dtype=object)
    finally:
        book.close()


def read_header(path: Path) -> list[str]:
    """The table's column names."""
    first = next(read_chunks(path, rows=1), None)
    if first is None:
        suffix = path.suffix.lower()
        if suffix in (".csv", ".txt"):
            return list(pd.read_csv(path, nrows=0).columns)
        return []
    return [str(c) for c in first.columns]


def to_scenarios(chunk: pd.DataFrame, layout: Layout) -> pd.DataFrame:
    """A chunk of the user's table as a scenario frame: known columns renamed, defaults filled.

    Text that is not a number stays as it is, for the engine to report; ``whole_numbers``
    accepts TRUE/FALSE, yes/no and 1/0.
    """
    frame = pd.DataFrame(index=chunk.index)
    for column, default in layout.defaults.items():
        frame[column] = [default] * len(chunk)
    for user, column in layout.columns.items():
        values = chunk[user]
        if column == "whole_numbers":
            values = values.map(_boolean)
        elif not column.startswith("stage_"):
            values = values.map(_number)
        frame[column] = values
    return frame


def _number(value: object) -> object:
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        try:
            return float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            return value
    return value


def _boolean(value: object) -> object:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    return value


def safe_file_name(name: object, taken: set[str], suffix: str = ".xlsx") -> str:
    """A file name for a scenario that is safe on every system and not already ``taken``.

    No path separators or traversal, no reserved Windows names, at most 100 characters;
    a clash (case-insensitive, as on Windows and macOS) gets ``-2``, ``-3``...

    >>> taken = set()
    >>> [safe_file_name(n, taken) for n in ["EMEA", "../etc/passwd", "CON", "emea", ""]]
    ['EMEA.xlsx', 'etc_passwd.xlsx', '_CON.xlsx', 'emea-2.xlsx', 'scenario.xlsx']
    """
    stem = _UNSAFE.sub("_", str(name)).strip(" ._")[:100] or "scenario"
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    candidate, counter = stem, 1
    while f"{candidate}{suffix}".lower() in taken:
        counter += 1
        candidate = f"{stem}-{counter}"
    taken.add(f"{candidate}{suffix}".lower())
    return f"{candidate}{suffix}"


@dataclass(frozen=True)
class RowProblem:
    """One bad cell of the input table."""

    line: int
    column: str
    value: object
    reason: str

    def __str__(self) -> str:
        return f"row {self.line}, column {self.column!r}: {self.reason} (value: {self.value!r})"


def row_problems(err: KPIInputError, layout: Layout) -> list[RowProblem]:
    """The engine's problems as row / user column / reason."""
    user = layout.user_column
    found = []
    for problem in err.problems:
        column = problem.argument.split(" ", 1)[0]
        found.append(RowProblem(int(problem.row), user.get(column, column), problem.value,
                                problem.rule))  # fmt: skip
    return found


def validate(frame: pd.DataFrame, layout: Layout, stages: Sequence[str]) -> list[RowProblem]:
    """Every problem of every row of a scenario frame (empty when all rows are good)."""
    try:
        scenarios.plan_outputs_frame(frame, stages)
    except KPIInputError as err:
        return row_problems(err, layout)
    return []


@dataclass
class Job:
    """What the second pass writes: the good rows of one chunk and their output paths."""

    frame: pd.DataFrame
    paths: list[Path]
    labels: list[object]  # each row's name as the table gives it
    stages: tuple[str, ...]
    template: Path | None = None  # a user's workbook; None for the built-in plan


@cache
def _compiled(stages: int) -> fast.CompiledPlan:
    # One compiled template per worker process, reused for every chunk it writes.
    return fast.CompiledPlan(stages)


@cache
def _compiled_workbook(path: Path, modified: float) -> user_template.CompiledWorkbook:
    # Keyed by the file's modification time too: a template edited between runs recompiles.
    del modified
    return user_template.CompiledWorkbook(path)


def write_job(job: Job) -> list[dict[str, object]]:
    """Write one chunk's workbooks; returns a summary record per row."""
    outputs = scenarios.plan_outputs_frame(job.frame, job.stages)
    if job.template is None:
        compiled = _compiled(len(job.stages))
    else:
        user = _compiled_workbook(job.template, job.template.stat().st_mtime)
    records = []
    columns = {name: array.tolist() for name, array in outputs.items()}  # plain floats
    rows = zip(job.frame.index, job.frame.to_dict("records"), job.paths, job.labels, strict=True)
    for position, (line, values, path, label) in enumerate(rows):
        by_name = {name: column[position] for name, column in columns.items()}
        if job.template is None:
            data = compiled.workbook(values, fast.outputs_of(values, by_name))
        else:
            data = user.workbook(values)
        xlsx.write_atomic(path, data)
        records.append(_summary_record(line, label, path, values, by_name))
    return records


def _summary_record(
    line: int, label: object, path: Path, values: dict, by_name: dict
) -> dict[str, object]:
    record: dict[str, object] = {"row": line, "name": label, "file": path.name, "status": "written"}
    record |= values
    record["customers_needed"] = float(by_name["CustomersNeeded"])
    for i, volume in enumerate(by_name["RequiredAnnual"], start=1):
        record[f"required_{i}"] = float(volume)
    for name in ("PlannedCAC", "CustomerLifetimeValue", "LTVtoCAC", "ProjectedROI", "LifetimeROI"):
        record[name] = float(by_name[name])
    return record


@dataclass
class FillReport:
    """What a fill did: rows written, skipped (already there) and bad."""

    written: int = 0
    skipped: int = 0
    problems: list[RowProblem] = field(default_factory=list)

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
    progress: Callable[[int, int], None] | None = None,
) -> FillReport:
    """Write one plan workbook per good row of ``scenarios_path`` into ``out``.

    ``template`` is a user's workbook that defines the plan's input names, filled in
    place of the built-in plan (and never modified). ``progress(done, total)`` is called
    as rows are done. Bad rows are reported in the result and written nowhere; existing
    outputs are skipped unless ``force``. Memory stays flat in the number of rows: the
    table is read twice in chunks, and the summary is written chunk by chunk.
    """
    if summary is not None:  # a summary that cannot be written fails before any workbook
        if summary.suffix.lower() not in (".csv", ".parquet"):
            rule = "must end in .csv or .parquet"
            raise KPIInputError([Problem("--summary", str(summary), rule)])
        if summary.suffix.lower() == ".parquet":
            _pyarrow_parquet("--summary", summary)
    header = read_header(scenarios_path)
    defaults = plan.scenario_row(plan.PlanInputs())
    stage_count, settable, suffix = len(plan.PlanInputs().stages), None, ".xlsx"
    if template is not None:
        template = Path(template).resolve()
        compiled = _compiled_workbook(template, template.stat().st_mtime)
        stage_count, settable = compiled.stage_count, set(compiled.inputs)
        defaults = _template_defaults(compiled, stage_count)
        suffix = template.suffix.lower()
    layout = plan_layout(header, name_column, stage_count, defaults, settable)
    stages = tuple(str(defaults[f"stage_{i}"]) for i in range(1, stage_count + 1))
    report = FillReport()
    total = 0
    for chunk in read_chunks(scenarios_path):
        report.problems += validate(to_scenarios(chunk, layout), layout, stages)
        total += len(chunk)
    bad = {p.line for p in report.problems}
    out.mkdir(parents=True, exist_ok=True)
    with SummaryWriter(summary) as summary_writer:
        done = len(bad)
        todo = _jobs(scenarios_path, layout, out, bad, force, report, stages, template, suffix)
        for records in _run(todo, jobs, scheduler):
            summary_writer.add(records)
            report.written += len(records)
            done = report.written + report.skipped + len(bad)
            if progress:
                progress(done, total)
        summary_writer.add(
            [{"row": p.line, "status": f"bad: {p.column}: {p.reason}"} for p in report.problems]
        )
    if progress:
        progress(total, total)
    return report


def _template_defaults(compiled: user_template.CompiledWorkbook, stages: int) -> dict[str, object]:
    """The inputs a table does not set: the template's own values, else generic ones."""
    defaults = plan.scenario_row(plan.PlanInputs())
    defaults = {k: v for k, v in defaults.items() if not k.startswith(("stage_", "rate_"))}
    defaults |= {f"stage_{i}": f"Stage {i}" for i in range(1, stages + 1)}
    defaults |= {f"rate_{i}": 0.5 for i in range(1, stages)}
    return defaults | compiled.defaults()


def _jobs(
    path: Path,
    layout: Layout,
    out: Path,
    bad: set[int],
    force: bool,
    report: FillReport,
    stages: tuple[str, ...],
    template: Path | None,
    suffix: str,
) -> Iterator[Job]:
    """The second pass: the rows to write, chunk by chunk, with their file names.

    Names are given in table order, the same as a rerun gives them, so a rerun finds
    the files of the rows it already wrote.
    """
    taken: set[str] = set()
    for chunk in read_chunks(path):
        frame = to_scenarios(chunk, layout)
        keep, paths, labels = [], [], []
        for line in frame.index:
            raw = chunk.at[line, layout.name_column] if layout.name_column else None
            label = f"scenario-{line}" if raw is None or pd.isna(raw) else raw
            target = out / safe_file_name(label, taken, suffix)
            if line in bad:
                continue
            if target.exists() and not force:
                report.skipped += 1
                continue
            keep.append(line)
            paths.append(target)
            labels.append(label)
        if keep:
            yield Job(frame.loc[keep], paths, labels, stages, template)


def _run(jobs: Iterator[Job], workers: int | None, scheduler: str | None) -> Iterator[list]:
    if scheduler:
        yield from _run_on_cluster(jobs, scheduler)
        return
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        yield from map(write_job, jobs)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending = []
        for job in jobs:
            pending.append(pool.submit(write_job, job))
            # Keep a bounded number of chunks in flight, so memory stays flat.
            while len(pending) >= 2 * workers:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def _run_on_cluster(jobs: Iterator[Job], scheduler: str) -> Iterator[list]:
    """Run the chunks on a Dask cluster; its workers write to ``--out``, so it must be a
    folder they see at the same path (a shared file system)."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        rule = "needs Dask: pip install 'kpi-planner[cluster]'"
        raise KPIInputError([Problem("--scheduler", scheduler, rule)]) from None
    try:
        client = Client(scheduler, timeout="10s")
    except OSError as err:
        raise KPIInputError([Problem("--scheduler", scheduler, f"cannot connect: {err}")]) from None
    with client:
        workers = max(1, len(client.scheduler_info()["workers"]))
        running = as_completed()
        for job in jobs:
            running.add(client.submit(write_job, job, pure=False))
            # A bounded number of chunks in flight, so memory stays flat here too.
            while running.count() >= 2 * workers:
                yield next(running).result()
        for future in running:
            yield future.result()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _defuse(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading quote (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class SummaryWriter:
    """Every scenario's inputs and KPIs, and the bad rows, as CSV or Parquet.

    Rows are appended chunk by chunk to a temporary file that is renamed into place when
    the fill ends, so a summary is complete or absent. In CSV, text that a spreadsheet
    would run as a formula gets a leading quote.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._temporary: Path | None = None
        self._stream = None
        self._parquet = None
        self._columns: list[str] | None = None

    def __enter__(self) -> SummaryWriter:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
            os.close(handle)
            self._temporary = Path(name)
        return self

    def add(self, records: list[dict[str, object]]) -> None:
        if self._temporary is None or not records:
            return
        table = pd.DataFrame(records)
        if self._columns is None:
            self._columns = list(table.columns)
        table = table.reindex(columns=self._columns)
        if self.path.suffix.lower() == ".parquet":
            self._add_parquet(table)
            return
        if self._stream is None:
            self._stream = open(self._temporary, "w", encoding="utf-8", newline="")  # noqa: SIM115
            table.head(0).to_csv(self._stream, index=False)
        table.map(_defuse).to_csv(self._stream, index=False, header=False)

    def _add_parquet(self, table: pd.DataFrame) -> None:
        pq = _pyarrow_parquet("--summary", self.path)
        import pyarrow as pa

        text = {c: "string" for c in table.columns if table[c].dtype == object}
        batch = pa.Table.from_pandas(table.astype(text), preserve_index=False)
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self._temporary, batch.schema)
        self._parquet.write_table(batch.cast(self._parquet.schema))

    def __exit__(self, kind, value, traceback) -> None:
        for stream in (self._stream, self._parquet):
            if stream is not None:
                stream.close()
        if self._temporary is None:
            return
        if kind is None:
            os.replace(self._temporary, self.path)
        else:
            self._temporary.unlink(missing_ok=True)
