"""Start-up time of the command line, against the interpreter's own floor.

Each contender is a whole process, started with ``subprocess`` and timed from start to exit
(wall clock, ``time.perf_counter``). The floor is ``python -c pass`` with the same
interpreter and site packages: what any Python command costs before it does anything. The
contenders run in turn, round after round (A B C D A B C D ...), so a machine that slows
down or speeds up during the run affects them alike; each reports its median and range.
``--quick`` runs one round (CI: every contender starts and exits 0). Usage::

    python benchmarks/bench_startup.py [--rounds 15] [--quick]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time

CONTENDERS = {
    "floor: python -c pass": [sys.executable, "-c", "pass"],
    "kpi-planner --help": [sys.executable, "-m", "kpi_planner", "--help"],
    "kpi-planner plan --example": [sys.executable, "-m", "kpi_planner", "plan", "--example"],
    "python -c 'import kpi_engine'": [sys.executable, "-c", "import kpi_engine"],
}


def run_once(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
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
    times: dict[str, list[float]] = {name: [] for name in CONTENDERS}
    for command in CONTENDERS.values():  # warm the file cache once, not counted
        run_once(command)
    for _ in range(options.rounds):
        for name, command in CONTENDERS.items():
            times[name].append(run_once(command))
    print(f"Python {sys.version.split()[0]}, {options.rounds} rounds, contenders alternated")
    floor = statistics.median(times["floor: python -c pass"])
    for name, seconds in times.items():
        median = statistics.median(seconds)
        print(f"{name:32s} median {median:.3f} s  (range {min(seconds):.3f}-{max(seconds):.3f})"
              f"  {median - floor:+.3f} s over the floor")  # fmt: skip


if __name__ == "__main__":
    main()
