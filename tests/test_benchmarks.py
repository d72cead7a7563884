"""The benchmark scripts run (``--quick``): their checks that the vectorised faces agree with
the scalar ones pass. Their timings are figures for benchmarks/README.md, never asserted."""

import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def test_the_timeline_benchmark_runs_and_its_faces_agree():
    result = subprocess.run([sys.executable, str(BENCHMARKS / "bench_timeline.py"), "--quick"],
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "timeline, whole numbers: median" in result.stdout
    assert "expected closes, 24 months: median" in result.stdout
