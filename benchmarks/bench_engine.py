"""Vectorised engine against a per-row loop over the scalar API, in one run.

Computes the reverse funnel (5 rates, revenue goal / deal size, whole numbers), CAC from
two spend lines, CLV (discounted, finite or lifetime horizon) and ROI for every row of a
table of random but valid scenarios, first with :mod:`kpi_engine.frame` on the whole
table, then with a plain Python loop calling the scalar functions row by row.

The loop runs on the first ``--loop-rows`` rows (default 20,000: the full million takes
minutes) and its time per row is scaled to the whole table; ``--loop-rows 1000000``
loops over all of it. Usage::

    python benchmarks/bench_engine.py [--rows 1000000] [--loop-rows 20000] [--repeat 5]

``--quick`` runs 2,000 rows, a loop over 200 and one run (CI: it runs, and the two paths
give the same numbers).
"""

from __future__ import annotations

import argparse
import math
import platform
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd

import kpi_engine
from kpi_engine import frame

RATE_COLUMNS = ["visit_to_lead", "lead_to_mql", "mql_to_sql", "sql_to_opp", "opp_to_customer"]


def scenarios(rows: int, seed: int = 2026) -> pd.DataFrame:
    """Random valid scenarios, one per row, with every input the four KPIs need."""
    rng = np.random.default_rng(seed)
    data = {
        "revenue_goal": rng.uniform(1e5, 5e7, rows),
        "deal_size": rng.uniform(1e3, 2e6, rows),
        **{c: rng.uniform(0.005, 0.9, rows) for c in RATE_COLUMNS},
        "marketing_spend": rng.uniform(0, 2e6, rows),
        "sales_spend": rng.uniform(0, 2e6, rows),
        "new_customers": rng.integers(1, 500, rows).astype(float),
        "revenue_per_period": rng.uniform(10, 1e5, rows),
        "gross_margin": rng.uniform(0.2, 0.95, rows),
        "churn_rate": rng.uniform(0.005, 0.5, rows),
        "discount_rate": rng.uniform(0, 0.2, rows),
        "horizon_periods": np.where(rng.random(rows) < 0.5, math.inf, rng.integers(1, 120, rows)),
        "revenue": rng.uniform(0, 1e7, rows),
        "investment": rng.uniform(1e3, 2e6, rows),
    }
    return pd.DataFrame(data)


def vectorised(df: pd.DataFrame) -> pd.DataFrame:
    plan = frame.reverse_funnel(
        df, goal="revenue_goal", deal_size="deal_size", rates=RATE_COLUMNS, whole_numbers=True
    )
    plan["cac"] = frame.cac(df, spend=["marketing_spend", "sales_spend"])
    plan["clv"] = frame.clv(df)
    plan["roi"] = frame.roi(df)
    return plan


def floor(df: pd.DataFrame) -> np.ndarray:
    """The same KPIs in plain numpy, in place where it can be, with no input checks, no
    labels and no DataFrame: what the engine's vectorised face is measured against."""

    def column(name: str) -> np.ndarray:
        return df[name].to_numpy()

    out = np.empty((9, len(df)))
    volume = column("revenue_goal") / column("deal_size")
    for stage in range(5, -1, -1):
        if stage < 5:
            np.divide(volume, column(RATE_COLUMNS[stage]), out=out[stage])
        else:
            out[stage] = volume
        np.round(out[stage], 6, out=out[stage])
        np.ceil(out[stage], out=out[stage])
        volume = out[stage]
    np.add(column("marketing_spend"), column("sales_spend"), out=out[6])
    np.divide(out[6], column("new_customers"), out=out[6])
    churn, discount = column("churn_rate"), column("discount_rate")
    shrink, horizon = churn + discount, column("horizon_periods")
    with np.errstate(divide="ignore"):
        log_factor = np.log1p(-churn) - np.log1p(discount)
    kept = -np.expm1(horizon * np.where(shrink > 0, log_factor, -1.0))
    periods = np.where(shrink > 0, (1 + discount) * kept / np.where(shrink > 0, shrink, 1),
                       horizon)  # fmt: skip
    out[7] = column("revenue_per_period") * column("gross_margin") * periods - 0.0
    out[8] = (column("revenue") * column("gross_margin") - column("investment") - 0.0) / column(
        "investment")  # fmt: skip
    return out.T


def peak_bytes_per_row(rows: int) -> float:
    """Peak memory the vectorised call allocates beyond its input table, per row
    (``tracemalloc``, which sees numpy's buffers), in a fresh process."""
    import subprocess
    import sys

    code = (f"import sys, tracemalloc; sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
            "from bench_engine import scenarios, vectorised\n"
            f"df = scenarios({rows}); tracemalloc.start(); vectorised(df)\n"
            f"print(tracemalloc.get_traced_memory()[1] / {rows})\n")  # fmt: skip
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)  # fmt: skip
    return float(result.stdout.split()[-1])


def scaling(rows: int, rounds: int) -> None:
    """The vectorised call on ``rows`` and on ten times as many, alternately: linear time
    means a ratio near 10."""
    small, large = scenarios(rows), scenarios(10 * rows, seed=7)
    times: dict[int, list[float]] = {rows: [], 10 * rows: []}
    for _ in range(rounds):
        for table in (small, large):
            start = time.perf_counter()
            vectorised(table)
            times[len(table)].append(time.perf_counter() - start)
    for count, seconds in times.items():
        print(f"{count:,} rows: median {statistics.median(seconds):.3f} s "
              f"(range {min(seconds):.3f}-{max(seconds):.3f} s)")  # fmt: skip
    ratio = statistics.median(times[10 * rows]) / statistics.median(times[rows])
    print(f"10x the rows take {ratio:.1f}x the time")


def loop(df: pd.DataFrame) -> list[tuple[float, ...]]:
    results = []
    for row in df.itertuples(index=False):
        plan = kpi_engine.reverse_funnel(
            row.revenue_goal,
            [getattr(row, c) for c in RATE_COLUMNS],
            deal_size=row.deal_size,
            whole_numbers=True,
        )
        results.append(
            (
                *plan.values(),
                kpi_engine.cac([row.marketing_spend, row.sales_spend], row.new_customers),
                kpi_engine.clv(
                    row.revenue_per_period,
                    row.gross_margin,
                    row.churn_rate,
                    row.discount_rate,
                    0.0,
                    row.horizon_periods,
                ),
                kpi_engine.roi(row.revenue, row.investment, row.gross_margin),
            )
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--loop-rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2,000 rows, one run")
    parser.add_argument("--memory", action="store_true", help="also the peak memory a row")
    parser.add_argument("--scaling", action="store_true",
                        help="--rows and 10x as many alternately: linear?")  # fmt: skip
    options = parser.parse_args()
    if options.quick:
        options.rows, options.loop_rows, options.repeat = 2_000, 200, 1

    if options.scaling:
        scaling(options.rows, options.repeat)
        return
    df = scenarios(options.rows)
    times, floor_times = [], []
    for _ in range(options.repeat):  # the engine and the floor in turn
        start = time.perf_counter()
        result = vectorised(df)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        floored = floor(df)
        floor_times.append(time.perf_counter() - start)
    vector_seconds, floor_seconds = statistics.median(times), statistics.median(floor_times)
    np.testing.assert_array_equal(floored, result.to_numpy())  # the same math, the same bits

    sample = df.iloc[: options.loop_rows]
    start = time.perf_counter()
    looped = loop(sample)
    loop_per_row = (time.perf_counter() - start) / len(sample)
    loop_seconds = loop_per_row * options.rows

    # The two paths must give the same numbers, or the comparison means nothing.
    np.testing.assert_array_equal(np.array(looped), result.iloc[: len(sample)].to_numpy())

    print(
        f"machine: {platform.machine()}, Python {platform.python_version()}, "
        f"numpy {np.__version__}, pandas {pd.__version__}"
    )
    print(f"rows: {options.rows:,}; KPIs per row: 6 funnel volumes + CAC + CLV + ROI")
    print(
        f"vectorised: median {vector_seconds:.3f} s of {options.repeat} runs "
        f"(min {min(times):.3f} s, max {max(times):.3f} s), "
        f"{options.rows / vector_seconds / 1e6:.2f} M rows/s"
    )
    print(
        f"scalar loop: {loop_per_row * 1e6:.1f} us per row over {len(sample):,} rows "
        f"-> {loop_seconds:.1f} s for {options.rows:,} rows"
    )
    print(f"speed-up: {loop_seconds / vector_seconds:.0f}x")
    print(
        f"numpy floor: median {floor_seconds:.3f} s (min {min(floor_times):.3f} s, max "
        f"{max(floor_times):.3f} s); the engine takes {vector_seconds / floor_seconds:.2f}x it"
    )
    if options.memory:
        print(f"peak memory of the vectorised call: {peak_bytes_per_row(options.rows):.0f} "
              "bytes a row beyond the input table")  # fmt: skip


if __name__ == "__main__":
    main()
