"""Time-phased plans at volume: the timeline and the pipeline's expected closes, vectorised.

For ``--rows`` random scenarios (default 100,000) it times, each over ``--rounds`` rounds
(median and range):

- ``kpi_engine.frame.timeline``: each of 6 stages in each month it must arrive, with lags
  per step (up to 70 days each) and growth, in whole numbers (cumulative rounding) and
  exact: 12 plan months plus the lead-in;
- ``kpi_engine.frame.expected_closes``: 24 months of opportunities through a 5-month
  close-rate curve;

against a floor: the same arithmetic written directly in numpy for one fixed shape (no
input checks, no labels): for the timeline, the volumes x weights broadcast; for expected
closes, the convolution as 5 shifted multiply-adds. Before timing, the first 1,000 rows of
the vectorised results are checked equal to the scalar functions row by row. ``--quick``
runs 2,000 rows and one round (CI: it runs, and the faces agree). Usage::

    python benchmarks/bench_timeline.py [--rows 100000] [--rounds 5] [--quick]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np
import pandas as pd

import kpi_engine
from kpi_engine import frame

RATES = [f"rate_{i}" for i in range(1, 6)]
LAGS = [f"lag_{i}" for i in range(1, 6)]
CURVE = [0.05, 0.15, 0.15, 0.1, 0.05]


def scenarios(rows: int, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    table = pd.DataFrame({
        "goal": rng.uniform(1e5, 5e7, rows).round(2),
        "deal": rng.uniform(1e3, 1e6, rows).round(2),
        "growth": rng.uniform(-0.2, 0.5, rows).round(3),
    })  # fmt: skip
    for rate in RATES:
        table[rate] = rng.uniform(0.05, 0.9, rows).round(4)
    for lag in LAGS:
        table[lag] = rng.uniform(0, 70, rows).round(0)
    for month in range(24):
        table[f"opportunities_{month}"] = rng.uniform(0, 500, rows).round(1)
    return table


def run_timeline(table: pd.DataFrame, whole: bool) -> pd.DataFrame:
    return frame.timeline(table, goal="goal", deal_size="deal", rates=RATES, lag_days=LAGS,
                          weights=[1.0] * 12, growth="growth", whole_numbers=whole)  # fmt: skip


def run_closes(table: pd.DataFrame) -> pd.DataFrame:
    return frame.expected_closes(table, generated=[f"opportunities_{m}" for m in range(24)],
                                 curve=CURVE)  # fmt: skip


def floor_timeline(volumes: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The least a timeline costs: every stage's volume times each month's share, one
    broadcast (no lags, no rounding, no checks)."""
    return volumes[:, None, :] * (weights / weights.sum())[None, :, None]


def floor_closes(generated: np.ndarray, curve: np.ndarray) -> np.ndarray:
    closes = np.zeros_like(generated)
    for k, share in enumerate(curve):
        closes[:, k:] += share * generated[:, : generated.shape[1] - k]
    return closes


def check_agreement(table: pd.DataFrame) -> None:
    """The vectorised faces equal the scalar functions row by row (to the last bit)."""
    head = table.head(1000)
    for whole in (False, True):
        both = run_timeline(head, whole)
        for label, row in head.head(50).iterrows():
            one = kpi_engine.timeline(row.goal, [row[r] for r in RATES], deal_size=row.deal,
                                      lag_days=[row[lag] for lag in LAGS], growth=row.growth,
                                      whole_numbers=whole)  # fmt: skip
            got = both.loc[label].unstack("period")[one.columns].loc[list(one.index)]
            assert np.array_equal(got.to_numpy(), one.to_numpy()), label
    closes = run_closes(head)
    for label, row in head.head(50).iterrows():
        one = kpi_engine.expected_closes([row[f"opportunities_{m}"] for m in range(24)], CURVE)
        assert closes.loc[label].tolist() == one, label


def timed(compute, rounds: int) -> list[float]:
    seconds = []
    for _ in range(rounds):
        start = time.perf_counter()
        compute()
        seconds.append(time.perf_counter() - start)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args()
    rows, rounds = (2_000, 1) if options.quick else (options.rows, options.rounds)
    table = scenarios(rows)
    check_agreement(table)
    volumes = np.random.default_rng(1).uniform(1, 1e5, (rows, 6))
    weights = np.ones(12)
    generated = table[[f"opportunities_{m}" for m in range(24)]].to_numpy()
    contenders = {
        "timeline, whole numbers": lambda: run_timeline(table, True),
        "timeline, exact": lambda: run_timeline(table, False),
        "floor: volumes x monthly shares (numpy)": lambda: floor_timeline(volumes, weights),
        "expected closes, 24 months": lambda: run_closes(table),
        "floor: shifted multiply-adds (numpy)": lambda: floor_closes(generated, np.array(CURVE)),
    }
    results: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):  # alternate the contenders, round after round
        for name, compute in contenders.items():
            results[name] += timed(compute, 1)
    versions = f"numpy {np.__version__}, pandas {pd.__version__}"
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {versions}; "
          f"{rows:,} scenarios, {rounds} rounds")  # fmt: skip
    for name, seconds in results.items():
        print(f"{name}: median {statistics.median(seconds) * 1e3:,.1f} ms "
              f"(range {min(seconds) * 1e3:,.1f}-{max(seconds) * 1e3:,.1f} ms)")  # fmt: skip


if __name__ == "__main__":
    main()
