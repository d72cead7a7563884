"""The restructured code (issue 31) against the code before it, whole commands alternated.

Checks out ``--baseline`` (a git revision; default cf06e8d, the golden outputs' commit, the
last before anything moved) into a temporary folder with ``git worktree``, and runs each
contender as a whole process from both checkouts, the two alternating round after round
(``PYTHONPATH`` points each process at its checkout; byte-code caching on, as an installed
package runs). Contenders:

- ``--help`` and ``plan --example``: the command line's start-up;
- ``fill`` of ``--rows`` scenarios (default 2,000; random goals, deal sizes and rates) on
  one worker, into a fresh folder each round, with a warm compiled-template cache;
- the engine at 1,000,000 rows: the frame's whole-number reverse funnel and phasing by
  month, timed inside the process (the import and the random inputs are not counted).

Prints each contender's median and range, and today's median over the baseline's. Usage::

    python benchmarks/ab_restructure.py [--baseline REV] [--rounds 9] [--rows 2000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ENGINE = """
import time, numpy as np, pandas as pd
from kpi_engine import frame
rng = np.random.default_rng(1)
rows = 1_000_000
df = pd.DataFrame({"goal": rng.uniform(1e6, 5e7, rows), "deal": rng.uniform(2e4, 2e6, rows),
                   **{f"r{i}": rng.uniform(0.01, 0.6, rows) for i in range(5)}})
rates = [f"r{i}" for i in range(5)]
start = time.perf_counter()
frame.reverse_funnel(df, goal="goal", deal_size="deal", rates=rates, whole_numbers=True)
frame.phase_funnel(df, goal="goal", deal_size="deal", rates=rates, weights=[1] * 12,
                   whole_numbers=True)
print(time.perf_counter() - start)
"""


def _scenarios(path: Path, rows: int) -> None:
    import numpy as np

    rng = np.random.default_rng(7)
    lines = ["Name,RevenueGoal,DealSize,MarketingBudget,StageRates1,StageRates4"]
    for i in range(rows):
        lines.append(f"P{i},{rng.uniform(1e6, 2e7):.0f},{rng.uniform(2e4, 1e6):.0f},"
                     f"{rng.uniform(1e5, 1e6):.0f},{rng.uniform(0.01, 0.05):.4f},"
                     f"{rng.uniform(0.2, 0.6):.3f}")  # fmt: skip
    path.write_text("\n".join(lines) + "\n")


def _timed(command: list[str], env: dict[str, str], inner: bool = False) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1]) if inner else time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="cf06e8d")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--rows", type=int, default=2000)
    options = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="ab-restructure-"))
    baseline = scratch / "baseline"
    subprocess.run(["git", "worktree", "add", "--detach", str(baseline), options.baseline],
                   cwd=ROOT, check=True, capture_output=True)  # fmt: skip
    try:
        _scenarios(scratch / "rows.csv", options.rows)
        checkouts = {"baseline": baseline, "today": ROOT}
        envs = {}
        for label, checkout in checkouts.items():
            env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            env |= {"PYTHONPATH": str(checkout), "KPI_PLANNER_CACHE_DIR": str(scratch / label)}
            envs[label] = env
        python = [sys.executable]
        cli = [*python, "-m", "kpi_planner"]
        fill = [*cli, "fill", str(scratch / "rows.csv"), "--jobs", "1", "--force", "--out"]
        contenders = {
            "--help": lambda env, out: _timed([*cli, "--help"], env),
            "plan --example": lambda env, out: _timed([*cli, "plan", "--example"], env),
            f"fill {options.rows:,} rows": lambda env, out: _timed([*fill, str(out)], env),
            "engine, 1e6 rows": lambda env, out: _timed([*python, "-c", ENGINE], env, True),
        }
        times = {(name, label): [] for name in contenders for label in checkouts}
        for label in checkouts:  # warm: byte-code and the compiled template, not timed
            contenders[f"fill {options.rows:,} rows"](envs[label], scratch / "warm")
        for round_ in range(options.rounds):
            for name, run in contenders.items():
                for label in checkouts if round_ % 2 == 0 else list(checkouts)[::-1]:
                    out = scratch / f"out-{label}"
                    shutil.rmtree(out, ignore_errors=True)
                    times[name, label].append(run(envs[label], out))
        print(
            f"{options.rounds} rounds, baseline {options.baseline}, Python {sys.version.split()[0]}"
        )
        for name in contenders:
            medians = {}
            for label in checkouts:
                values = times[name, label]
                medians[label] = statistics.median(values)
                low, high = min(values) * 1000, max(values) * 1000
                print(f"{name}, {label}: median {medians[label] * 1000:,.0f} ms "
                      f"(range {low:,.0f}-{high:,.0f} ms)")  # fmt: skip
            print(f"{name}: today / baseline = {medians['today'] / medians['baseline']:.2f}")
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(baseline)], cwd=ROOT,
                       check=False, capture_output=True)  # fmt: skip
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
