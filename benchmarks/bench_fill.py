"""Batch-fill speed: the compiled template against openpyxl and against the raw-zip floor.

Side by side, in one run, each writing real files to a temporary folder, on one core:

- openpyxl: load the plan template, write a scenario's inputs into its cells, save
  (the reference path; measured on ``--openpyxl-rows`` workbooks and scaled);
- raw-zip floor: the template's zip with the sheets that change per scenario (Plan,
  Pipeline, Channels, What-if) replaced by fixed XML (the seed example's, rendered once),
  deflated as the fill deflates them, the other parts copied as they are, each file written
  as the fill writes it (atomically): no filling, no computing, just the writing;
- own-sheets floor: the same, with the sheets the fill itself writes for the table's first
  64 rows (taken from their workbooks before timing, then written in turn): what writing
  this table's workbooks costs with nothing filled or computed. A random table's numbers
  have more digits than the seed example's round ones, so its sheets are a little longer
  and deflate more slowly; this floor is the one the fill is held to;
- compiled template: what ``kpi-planner fill`` (without ``--summary``) does per chunk:
  compute every KPI of the chunk with kpi_engine, fill the four sheets' inputs and cached
  values, write the zip;

then the whole command (`batch.fill`: read the CSV twice, validate, write) with 1 and 2
worker processes. With ``--memory``, the peak memory of the whole command for 1x and 4x the
rows, each in a fresh process. Usage::

    python benchmarks/bench_fill.py [--rows 10000] [--openpyxl-rows 300] [--rounds 3] [--memory]

``--quick`` runs 200 scenarios, 5 openpyxl workbooks and one round (CI: every contender
runs; no figure from it means anything).
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from kpi_planner.batch import chunk as fill_job
from kpi_planner.batch import fill as batch
from kpi_planner.inputs.scenario_table import plan_layout as scenario_table_layout
from kpi_planner.inputs.scenario_table import to_scenarios
from kpi_planner.plan import one_plan
from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook.render import xlsx
from kpi_planner.workbook.sheets.plan import layout as plan


def scenario_table(rows: int, seed: int = 7) -> pd.DataFrame:
    """Random valid scenarios with the plan's defined names as columns."""
    rng = np.random.default_rng(seed)
    table = pd.DataFrame(
        {
            "Name": [f"scenario {i}" for i in range(rows)],
            "RevenueGoal": rng.uniform(1e5, 5e7, rows).round(2),
            "DealSize": rng.uniform(1e3, 1e6, rows).round(2),
            "MarketingBudget": rng.uniform(1e4, 5e6, rows).round(2),
            "GrossMargin": rng.uniform(0.3, 0.9, rows).round(3),
            "ChurnRate": rng.uniform(0.05, 0.5, rows).round(3),
            "WholeNumbers": rng.random(rows) < 0.5,
        }
    )
    for i in range(1, 6):
        table[f"StageRates{i}"] = rng.uniform(0.01, 0.9, rows).round(4)
    return table


def per_second(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s ({seconds / count * 1e3:.2f} ms each)"


def spread(seconds: list[float]) -> str:
    return f"{min(seconds) * 1e3:.2f}-{max(seconds) * 1e3:.2f} ms"


def bench_openpyxl(frame: pd.DataFrame, folder: Path, rows: int) -> float:
    template = xlsx.xlsx_bytes(plan_book.plan_workbook())
    cells = plan.input_cells(6)
    start = time.perf_counter()
    for position, row in enumerate(frame.head(rows).itertuples(index=False)):
        book = openpyxl.load_workbook(io.BytesIO(template))
        sheet = book[plan.PLAN]
        values = one_plan.scenario_row(one_plan.PlanInputs()) | {
            "revenue_goal": row.RevenueGoal, "deal_size": row.DealSize,
            "marketing_budget": row.MarketingBudget, "gross_margin": row.GrossMargin,
            "churn_rate": row.ChurnRate, "whole_numbers": bool(row.WholeNumbers),
        }  # fmt: skip
        for ref, (column, _) in cells.items():
            sheet[ref] = values[column]
        book.save(folder / f"openpyxl-{position}.xlsx")
    return (time.perf_counter() - start) / rows


def bench_floor(count: int, folder: Path, own: list[dict[str, bytes]] | None = None) -> float:
    """The raw-zip floor per workbook: the seed example's sheets, or with ``own`` those
    sheets in turn (the fill's own, from :func:`own_sheets`)."""
    folder.mkdir()
    compiled = fill_job._compiled(6)
    sheets = own or [compiled.seed_sheets()]
    start = time.perf_counter()
    for position in range(count):
        workbook = compiled.workbook_from_sheets(sheets[position % len(sheets)])
        xlsx.write_atomic(folder / f"floor-{position}.xlsx", workbook)
    return (time.perf_counter() - start) / count


def own_sheets(frame: pd.DataFrame, folder: Path, rows: int = 64) -> list[dict[str, bytes]]:
    """The sheets filled per scenario (by part) of the table's first ``rows`` workbooks,
    as the fill writes them: read back from the workbooks it wrote into ``folder``."""
    bench_compiled(frame.head(rows), folder)
    parts = fill_job._compiled(6).seed_sheets().keys()
    found = []
    for path in sorted(folder.glob("*.xlsx")):
        with zipfile.ZipFile(path) as archive:
            found.append({part: archive.read(part) for part in parts})
    return found


def bench_compiled(frame: pd.DataFrame, folder: Path) -> float:
    folder.mkdir()
    layout = scenario_table_layout(list(frame.columns), "Name")
    scenarios, problems = to_scenarios(frame.set_index(pd.RangeIndex(2, 2 + len(frame))), layout)
    assert not problems
    fill_job._compiled(6)  # compile before timing, as a worker does once
    start = time.perf_counter()
    for sequence, first in enumerate(range(0, len(scenarios), batch.CHUNK_ROWS)):
        chunk = scenarios.iloc[first : first + batch.CHUNK_ROWS]
        lines = list(chunk.index)
        paths = [folder / f"compiled-{line}.xlsx" for line in lines]
        # As `kpi-planner fill` without --summary: a row's record is its status alone.
        job = fill_job.Job(sequence, chunk, layout, lines, lines, paths,
                           [fill_job.WRITE] * len(lines), summary=False)  # fmt: skip
        fill_job.write_job(job)
    return (time.perf_counter() - start) / len(scenarios)


def bench_command(csv: Path, folder: Path, jobs: int) -> float:
    start = time.perf_counter()
    report = batch.fill(csv, folder, jobs=jobs, name_column="Name")
    assert report.written
    assert not report.problems
    return time.perf_counter() - start


def peak_memory_mb(rows: int) -> float:
    """Peak RSS of a fresh process that runs the whole fill of ``rows`` scenarios."""
    code = f"""
import resource, sys, tempfile
from pathlib import Path
sys.path.insert(0, {str(Path(__file__).parent)!r})
from bench_fill import scenario_table
from kpi_planner.batch import fill as batch
from kpi_planner.batch import chunk as fill_job
folder = Path(tempfile.mkdtemp())
scenario_table({rows}).to_csv(folder / "s.csv", index=False)
batch.fill(folder / "s.csv", folder / "out", jobs=1, name_column="Name")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)  # fmt: skip
    return float(result.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--openpyxl-rows", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory", action="store_true")
    parser.add_argument("--quick", action="store_true", help="200 rows, one round, no memory")
    options = parser.parse_args()
    if options.quick:
        options.rows, options.openpyxl_rows, options.rounds, options.memory = 200, 5, 1, False
    frame = scenario_table(options.rows)
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, "
          f"openpyxl {openpyxl.__version__}; {options.rows:,} scenarios")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        openpyxl_each = bench_openpyxl(frame, folder, options.openpyxl_rows)
        own = own_sheets(frame, folder / "own")
        # The disk is noisy: alternate the floors and the compiled runs, and take each one's
        # median. The order turns each round (ABC, BCA, CAB...): a contender that always ran
        # after 20,000 files were written would pay for the others' writeback.
        floors, own_floors, compileds = [], [], []
        contenders = [
            lambda r: floors.append(bench_floor(options.rows, folder / f"floor{r}")),
            lambda r: own_floors.append(bench_floor(options.rows, folder / f"own{r}", own)),
            lambda r: compileds.append(bench_compiled(frame, folder / f"compiled{r}")),
        ]
        for round_ in range(options.rounds):
            turn = round_ % len(contenders)
            for contender in contenders[turn:] + contenders[:turn]:
                contender(round_)
        floor_each, compiled_each = statistics.median(floors), statistics.median(compileds)
        own_each = statistics.median(own_floors)
        results = {
            "openpyxl_ms": openpyxl_each * 1e3,
            "floor_ms": floor_each * 1e3,
            "own_floor_ms": own_each * 1e3,
            "compiled_ms": compiled_each * 1e3,
            "vs_openpyxl": openpyxl_each / compiled_each,
            "vs_floor": compiled_each / floor_each,
            "vs_own_floor": compiled_each / own_each,
        }
        print(f"openpyxl load-fill-save (one core, {options.openpyxl_rows} workbooks): "
              f"{per_second(1, openpyxl_each)}")  # fmt: skip
        print(f"raw-zip floor, seed sheets (one core, median of {options.rounds}): "
              f"{per_second(1, floor_each)}, range {spread(floors)}")  # fmt: skip
        print(f"raw-zip floor, own sheets (one core, median of {options.rounds}): "
              f"{per_second(1, own_each)}, range {spread(own_floors)}")  # fmt: skip
        print(f"compiled template (one core, median of {options.rounds}): "
              f"{per_second(1, compiled_each)}, range {spread(compileds)}")  # fmt: skip
        print(f"compiled is {results['vs_openpyxl']:.0f}x openpyxl, "
              f"{results['vs_own_floor']:.2f}x the own-sheets floor and "
              f"{results['vs_floor']:.2f}x the seed-sheets floor "
              "(targets: >= 20x, <= 1.5x)")  # fmt: skip
        csv = folder / "scenarios.csv"
        frame.to_csv(csv, index=False)
        for jobs in (1, 2):
            seconds = bench_command(csv, folder / f"command-{jobs}", jobs)
            results[f"command_jobs{jobs}_s"] = seconds
            rate = options.rows / seconds
            print(f"kpi-planner fill, --jobs {jobs}: {seconds:.2f} s for {options.rows:,} "
                  f"({rate:,.0f} workbooks/s, CSV read twice and validated)")  # fmt: skip
    if options.memory:
        for rows in (options.rows, 4 * options.rows):
            mb = peak_memory_mb(rows)
            results[f"peak_mb_{rows}"] = mb
            print(f"peak memory of the whole fill, {rows:,} scenarios: {mb:.0f} MB")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
