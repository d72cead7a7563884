"""One Excel cell's call: the engine's scalar functions, against the arithmetic alone.

Each contender is timed with ``timeit`` (``--number`` calls a round, the time per call
reported), contenders alternating round after round, median and range over ``--rounds``:

- ``kpi_engine.reverse_funnel`` (seed example: revenue / deal size, 5 rates, whole numbers),
  ``kpi_engine.cac`` (two spend lines), ``kpi_engine.roi`` (with a margin);
- the floor of each: a plain Python function taking the same arguments and doing the same
  arithmetic with no checks, no stage names, no dict (what a call cannot go below in
  CPython);
- the array path each took before the fast path (one-element arrays, the checks of the
  vectorised face), which a scalar call still takes for input it must refuse.

Before timing, each function's result is checked equal, bit for bit, to its array path
(the one-element arrays every vectorised call runs). ``--quick`` runs 2 rounds of 200
calls (CI: it runs, and the paths agree). Usage::

    python benchmarks/bench_scalar.py [--rounds 7] [--number 20000] [--quick]
"""

from __future__ import annotations

import argparse
import math
import platform
import statistics
import timeit

import numpy as np

import kpi_engine
from kpi_engine._args import Args
from kpi_engine.costs import per_unit_core
from kpi_engine.funnel import resolve_stages, reverse_core
from kpi_engine.value import roi_core

RATES = [0.015, 0.2, 0.2, 0.4, 0.5]


def funnel_floor(goal: float, rates: list[float], deal_size: float) -> list[float]:
    volume, volumes = goal / deal_size, [0.0] * (len(rates) + 1)
    for column in range(len(rates), -1, -1):
        if column < len(rates):
            volume = volume / rates[column]
        volume = float(math.ceil(round(volume * 1e6) / 1e6))
        volumes[column] = volume
    return volumes


def cac_floor(spend: list[float], customers: float) -> float:
    total = spend[0]
    for line in spend[1:]:
        total = total + line
    return total / customers


def roi_floor(revenue: float, investment: float, margin: float, other: float = 0.0) -> float:
    return (revenue * margin - investment - other) / investment


SPEND = [120_000.0, 80_000.0]
NAMES = resolve_stages(None, 5)


CONTENDERS = {
    "reverse_funnel": lambda: kpi_engine.reverse_funnel(
        1e7, RATES, deal_size=1.1e6, whole_numbers=True
    ),
    "floor: the funnel's arithmetic": lambda: funnel_floor(1e7, RATES, 1.1e6),
    "array path: reverse_core": lambda: reverse_core(Args(), 1e7, RATES, 1.1e6, 1, True, NAMES),
    "cac": lambda: kpi_engine.cac(SPEND, 40.0),
    "floor: cac's arithmetic": lambda: cac_floor(SPEND, 40.0),
    "array path: per_unit_core": lambda: per_unit_core(Args(), SPEND, 40.0, "n", "-"),
    "roi": lambda: kpi_engine.roi(50_000.0, 10_000.0, 0.8),
    "floor: roi's arithmetic": lambda: roi_floor(50_000.0, 10_000.0, 0.8),
    "array path: roi_core": lambda: roi_core(Args(), 50_000.0, 10_000.0, 0.8, 0.0),
}


def same_bits(a: float, b: float) -> bool:
    return np.float64(a).tobytes() == np.float64(b).tobytes()


def check_paths() -> None:
    names = resolve_stages(None, 5)
    fast = kpi_engine.reverse_funnel(1e7, RATES, deal_size=1.1e6, whole_numbers=True)
    arrays = reverse_core(Args(), 1e7, RATES, 1.1e6, 1, True, names)[0].tolist()
    assert all(map(same_bits, fast.values(), arrays)), (fast, arrays)
    assert list(fast.values()) == funnel_floor(1e7, RATES, 1.1e6)
    cac = float(per_unit_core(Args(), [120_000.0, 80_000.0], 40.0, "n", "-")[0])
    assert same_bits(kpi_engine.cac([120_000.0, 80_000.0], 40.0), cac)
    roi = float(roi_core(Args(), 50_000.0, 10_000.0, 0.8, 0.0)[0])
    assert same_bits(kpi_engine.roi(50_000.0, 10_000.0, 0.8), roi)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--number", type=int, default=20_000)
    parser.add_argument("--quick", action="store_true", help="2 rounds of 200 calls")
    args = parser.parse_args()
    rounds, number = (2, 200) if args.quick else (args.rounds, args.number)
    print(f"machine: {platform.machine()}, Python {platform.python_version()}; {rounds} rounds "
          f"of {number:,} calls, contenders alternated")  # fmt: skip
    check_paths()
    print("the scalar calls equal their array paths, bit for bit")
    times: dict[str, list[float]] = {name: [] for name in CONTENDERS}
    for _ in range(rounds):
        for name, call in CONTENDERS.items():
            times[name].append(timeit.timeit(call, number=number) / number)
    for name, seconds in times.items():
        print(f"{name}: median {statistics.median(seconds) * 1e6:.2f} us "
              f"(range {min(seconds) * 1e6:.2f}-{max(seconds) * 1e6:.2f} us)")  # fmt: skip


if __name__ == "__main__":
    main()
