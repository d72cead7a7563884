"""Whole-number phasing and timeline at volume: this checkout against an earlier revision.

Loads ``kpi_engine/phasing.py`` and ``kpi_engine/timeline.py`` as they were at ``--baseline``
(a git revision; default 7664409, the last before the periods were chained) beside today's,
and times each core on the same ``--rows`` random scenarios (default 100,000; 6 stages,
random rates, weights, lags and growth), in whole numbers, the contenders alternating round
after round (``--rounds``, default 11). Prints each one's median and range. Usage::

    python benchmarks/ab_whole_numbers.py [--baseline REV] [--rows 100000] [--rounds 11]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import types

import numpy as np

from kpi_engine._args import Args, pandas

STAGES = ["Visits", "Leads", "MQL", "SQL", "Opportunities", "Customers"]


def _at(revision: str, name: str) -> types.ModuleType:
    """The module ``kpi_engine.<name>`` as it was at ``revision``."""
    source = subprocess.run(["git", "show", f"{revision}:kpi_engine/{name}.py"], check=True,
                            capture_output=True, text=True).stdout  # fmt: skip
    module = types.ModuleType(f"kpi_engine.baseline_{name}")
    exec(compile(source, f"{revision}:{name}.py", "exec"), module.__dict__)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="7664409")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=11)
    options = parser.parse_args()
    rng = np.random.default_rng(1)
    rows = options.rows
    frame = pandas().DataFrame({"goal": rng.uniform(1e6, 5e7, rows)})
    goal, deal = frame["goal"].to_numpy(), rng.uniform(2e4, 2e6, rows)
    rates = [rng.uniform(0.01, 0.6, rows) for _ in STAGES[1:]]
    weights = [rng.uniform(0.5, 2, rows) for _ in range(12)]
    lags = [rng.uniform(0, 70, rows) for _ in STAGES[1:]]
    growth = rng.uniform(-0.2, 0.5, rows)
    cores = {
        "phase": lambda m: m.phase_core(Args(frame), goal, rates, deal, weights, True, STAGES),
        "timeline": lambda m: m.timeline_core(Args(frame), goal, rates, deal, lags, growth,
                                              weights, True, STAGES),
    }  # fmt: skip
    modules = {"phase": ("phasing", sys.modules["kpi_engine.phasing"]),
               "timeline": ("timeline", sys.modules["kpi_engine.timeline"])}  # fmt: skip
    print(f"{rows:,} scenarios, {options.rounds} rounds, baseline {options.baseline}")
    for core, call in cores.items():
        name, today = modules[core]
        contenders = {f"{core}, baseline": _at(options.baseline, name), f"{core}, today": today}
        times: dict[str, list[float]] = {label: [] for label in contenders}
        for _ in range(options.rounds):
            for label, module in contenders.items():
                start = time.perf_counter()
                call(module)
                times[label].append(time.perf_counter() - start)
        for label, values in times.items():
            print(f"{label}: median {statistics.median(values) * 1000:,.0f} ms "
                  f"(range {min(values) * 1000:,.0f}-{max(values) * 1000:,.0f} ms)")  # fmt: skip


if __name__ == "__main__":
    main()
