"""The benchmark scripts run (``--quick``): their checks that the vectorised faces agree with
the scalar ones pass. Their timings are figures for benchmarks/README.md, never asserted."""

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.mark.parametrize(
    ("script", "printed"),
    [
        ("bench_timeline.py", ["timeline, whole numbers: median",
                               "expected closes, 24 months: median"]),
        ("bench_channels.py", ["bit for bit", "optimal mix, 8 channels with limits: median"]),
        ("bench_startup.py", ["kpi-planner plan --example", "kpi-planner fill (1 row)"]),
        ("bench_scalar.py", ["bit for bit", "reverse_funnel: median"]),
        ("bench_engine.py", ["vectorised: median", "speed-up"]),
        ("bench_fill.py", ["compiled is", "kpi-planner fill, --jobs 2"]),
    ],
)  # fmt: skip
def test_the_benchmark_runs_and_its_faces_agree(script, printed):
    result = subprocess.run([sys.executable, str(BENCHMARKS / script), "--quick"],
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr
    for line in printed:
        assert line in result.stdout
