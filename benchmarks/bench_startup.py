"""Start-up time of the command line, against the interpreter's own floor.

Each contender is a whole process, started with ``subprocess`` and timed from start to exit
(wall clock, ``time.perf_counter``). The floor is ``python -c pass`` with the same
interpreter and site packages: what any Python command costs before it does anything. The
contenders run in turn, round after round (A B C D A B C D ...), so a machine that slows
down or speeds up during the run affects them alike; each reports its median and range.
``fill`` writes one workbook from a one-row CSV into a temporary folder (``--force``): its
time is the command's fixed start-up, what every fill pays before its rows; ``import
pandas`` beside it is the part of that no fill avoids (it reads the table). The children
run with byte-code caching on (``PYTHONDONTWRITEBYTECODE`` removed), as an installed
package runs. ``--quick`` runs one round (CI: every contender starts and exits 0). Usage::

    python benchmarks/bench_startup.py [--rounds 15] [--quick]
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


def contenders(folder: Path) -> dict[str, list[str]]:
    """Each contender's command; the fill reads a one-row CSV written into ``folder``."""
    (folder / "one.csv").write_text("Name,RevenueGoal,DealSize\nNorth,1000000,25000\n")
    fill = ["fill", str(folder / "one.csv"), "--out", str(folder / "out"),
            "--name-column", "Name", "--force", "--jobs", "1"]  # fmt: skip
    return {
        "floor: python -c pass": [sys.executable, "-c", "pass"],
        "kpi-planner --help": [sys.executable, "-m", "kpi_planner", "--help"],
        "kpi-planner plan --example": [sys.executable, "-m", "kpi_planner", "plan", "--example"],
        "python -c 'import kpi_engine'": [sys.executable, "-c", "import kpi_engine"],
        "python -c 'import pandas'": [sys.executable, "-c", "import pandas"],
        "kpi-planner fill (1 row)": [sys.executable, "-m", "kpi_planner", *fill],
    }


ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   env=ENVIRONMENT)  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="one round: it runs, nothing more")
    options = parser.parse_args()
    if options.quick:
        options.rounds = 1
    if shutil.which("kpi-planner") is None:
        sys.exit("install the project first: pip install -e .")
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
        commands = contenders(Path(folder))
        times: dict[str, list[float]] = {name: [] for name in commands}
        for command in commands.values():  # warm the file and template caches, not counted
            run_once(command)
        if not (Path(folder) / "out" / "North.xlsx").is_file():
            sys.exit("fill wrote no workbook")
        for _ in range(options.rounds):
            for name, command in commands.items():
                times[name].append(run_once(command))
    print(f"Python {sys.version.split()[0]}, {options.rounds} rounds, contenders alternated")
    floor = statistics.median(times["floor: python -c pass"])
    for name, seconds in times.items():
        median = statistics.median(seconds)
        print(f"{name:32s} median {median:.3f} s  (range {min(seconds):.3f}-{max(seconds):.3f})"
              f"  {median - floor:+.3f} s over the floor")  # fmt: skip


if __name__ == "__main__":
    main()
