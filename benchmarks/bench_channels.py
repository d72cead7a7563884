"""Channels at volume: the budget by channel and the what-if ranking, vectorised; the optimal
mix's linear program.

For ``--rows`` random scenarios (default 100,000) of 8 channels each (share, cost per lead,
and for half of them a Leads -> MQL rate of their own), it times over ``--rounds`` rounds,
contenders alternating round after round (median and range):

- ``kpi_engine.frame.channel_budget``: each channel's budget, the budget needed, the gap
  against a budget and the revenue it reaches;
- ``kpi_engine.frame.channel_sensitivity``: the budget saved by a 10 % better value of each
  of its 18 inputs (5 rates, the deal size, 8 costs per lead, 4 channels' own rates);
- the floor: the budget alone, ``C * sum(s p) / sum(s y)``, written directly in numpy
  for this shape (no input checks, no labels, no per-channel budgets).

Then ``kpi_engine.optimal_mix`` for 8 channels with share and volume limits (HiGHS), one
call at a time. Before timing, the first 200 rows of both frames are checked equal, bit for
bit, to the scalar ``channel_plan`` and ``sensitivity``. ``--quick`` runs 2,000 rows and one
round (CI: it runs, and the faces agree). Usage::

    python benchmarks/bench_channels.py [--rows 100000] [--rounds 5] [--quick]
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
NAMES = [f"Channel {k}" for k in range(1, 9)]


def scenarios(rows: int, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    table = pd.DataFrame({"goal": rng.uniform(1e5, 5e7, rows).round(2),
                          "deal": rng.uniform(1e3, 1e6, rows).round(2),
                          "budget": rng.uniform(1e4, 1e6, rows).round(0)})  # fmt: skip
    for rate in RATES:
        table[rate] = rng.uniform(0.05, 0.9, rows).round(4)
    weights = rng.uniform(0.1, 1.0, (rows, len(NAMES)))
    shares = weights / weights.sum(axis=1, keepdims=True)
    shares[:, -1] = 1 - shares[:, :-1].sum(axis=1)  # add up to 1 to the last bit
    for k, name in enumerate(NAMES):
        table[f"{name} share"] = shares[:, k]
        table[f"{name} cpl"] = rng.uniform(5, 400, rows).round(2)
        table[f"{name} mql"] = rng.uniform(0.05, 0.6, rows).round(3)
    return table


def arguments(table: pd.DataFrame) -> dict[str, object]:
    return {"goal": "goal", "deal_size": "deal", "rates": RATES,
            "shares": {n: f"{n} share" for n in NAMES}, "costs": {n: f"{n} cpl" for n in NAMES},
            "own_rates": {n: [f"{n} mql"] for n in NAMES[::2]}}  # fmt: skip


def floor(table: pd.DataFrame) -> np.ndarray:
    """The budget needed, in plain numpy for this shape: C * sum(s p) / sum(s y)."""
    customers = table["goal"].to_numpy() / table["deal"].to_numpy()
    below = table[RATES[1:]].to_numpy()
    shares = table[[f"{n} share" for n in NAMES]].to_numpy()
    costs = table[[f"{n} cpl" for n in NAMES]].to_numpy()
    yields = np.repeat(below.prod(axis=1)[:, None], len(NAMES), axis=1)
    own = table[[f"{n} mql" for n in NAMES[::2]]].to_numpy()
    yields[:, ::2] *= own / below[:, :1]
    return customers * (shares * costs).sum(axis=1) / (shares * yields).sum(axis=1)


def check_faces(table: pd.DataFrame, rows: int) -> None:
    budgets = frame.channel_budget(table.head(rows), budget="budget", **arguments(table))
    saved = frame.channel_sensitivity(table.head(rows), **arguments(table))
    for k, row in enumerate(table.head(rows).to_dict("records")):
        mix = [kpi_engine.Channel(n, row[f"{n} share"], row[f"{n} cpl"],
                                  (row[f"{n} mql"],) if i % 2 == 0 else ())
               for i, n in enumerate(NAMES)]  # fmt: skip
        rates = [row[r] for r in RATES]
        plan = kpi_engine.channel_plan(row["goal"], rates, mix, deal_size=row["deal"],
                                       budget=row["budget"])  # fmt: skip
        assert budgets["budget needed"].iloc[k] == plan.budget_needed, k
        assert budgets["budget gap"].iloc[k] == plan.budget_gap, k
        ranked = kpi_engine.sensitivity(row["goal"], rates, mix, deal_size=row["deal"])
        assert {w.input: w.budget_saved for w in ranked} == saved.iloc[k].to_dict(), k
    np.testing.assert_allclose(floor(table.head(rows)), budgets["budget needed"], rtol=1e-12)


def optimal_mix_timing(calls: int) -> list[float]:
    rng = np.random.default_rng(5)
    times = []
    for _ in range(calls):
        mix = [kpi_engine.Channel(n, None, float(rng.uniform(5, 400)),
                                  (float(rng.uniform(0.05, 0.6)),),
                                  max_volume=float(rng.uniform(200, 5000)),
                                  max_share=float(rng.uniform(0.2, 0.6)))
               for n in NAMES]  # fmt: skip
        start = time.perf_counter()
        kpi_engine.optimal_mix(10, [0.015, 0.2, 0.2, 0.4, 0.5], mix)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2,000 rows, one round")
    args = parser.parse_args()
    rows, rounds = (2_000, 1) if args.quick else (args.rows, args.rounds)
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, numpy "
          f"{np.__version__}, pandas {pd.__version__}; {rows:,} scenarios x {len(NAMES)} "
          "channels")  # fmt: skip
    table = scenarios(rows)
    check_faces(table, min(200, rows))
    print("the frames equal the scalar channel_plan and sensitivity, bit for bit")
    contenders = {
        "channel budget": lambda: frame.channel_budget(table, budget="budget", **arguments(table)),
        "sensitivity, 18 inputs": lambda: frame.channel_sensitivity(table, **arguments(table)),
        "floor (budget needed in numpy)": lambda: floor(table),
    }
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, run in contenders.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    for name, seconds in times.items():
        print(f"{name}: median {statistics.median(seconds) * 1e3:,.0f} ms "
              f"(range {min(seconds) * 1e3:,.0f}-{max(seconds) * 1e3:,.0f} ms)")  # fmt: skip
    lp = optimal_mix_timing(5 if args.quick else 50)
    print(f"optimal mix, 8 channels with limits: median {statistics.median(lp) * 1e3:.1f} ms "
          f"(range {min(lp) * 1e3:.1f}-{max(lp) * 1e3:.1f} ms over {len(lp)} calls)")  # fmt: skip


if __name__ == "__main__":
    main()
