"""The commands whose output must not change while the code is restructured (issue 31).

Each case is one ``kpi-planner`` command line, run in-process from the repository's root
with its outputs written into a fresh folder; ``{out}`` in an argument is that folder. What
a case leaves (its exit code, stdout, stderr and every file it writes) is recorded by
``python -m tests.golden.record`` into ``tests/golden/expected/<case>.json`` and compared by
``tests/golden/test_unchanged.py``. Workbooks are compared member by member (a SHA-256 of
each part of the zip), every other file as text.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = Path(__file__).with_name("expected")
INPUTS = Path(__file__).with_name("inputs")
#: The inputs as the cases name them: relative to the repository's root, where they run,
#: so no output carries the path of the checkout that recorded it.
_INPUTS = "tests/golden/inputs"


@dataclass(frozen=True)
class Case:
    name: str
    args: tuple[str, ...]


def _case(name: str, *args: str) -> Case:
    return Case(name, args)


_EXAMPLE_CHANNELS = ("--budget", "600000", "--channels", "examples/channels.csv")
_TRACKED = f"{_INPUTS}/tracked.xlsx"

CASES = (
    # plan: every period, format and option family of README
    *(_case(f"plan-example-{f}", "plan", "--example", "--format", f)
      for f in ("table", "csv", "json")),
    *(_case(f"plan-quarterly-weights-{f}", "plan", "--example", "--period", "quarterly",
            "--weights", "1,1,2,2", "--format", f) for f in ("table", "csv", "json")),
    _case("plan-monthly-exact-csv", "plan", "--example", "--period", "monthly", "--exact",
          "--format", "csv"),
    _case("plan-customers-json", "plan", "--customers", "120", "--rates", "0.02,0.3,0.25",
          "--stages", "Visits,Leads,SQL,Won", "--format", "json"),
    _case("plan-emea-budget-csv", "plan", "--revenue-goal", "5000000", "--deal-size", "25000",
          "--rates", "2%,25%,30%,40%,25%", "--budget", "100000", "--format", "csv"),
    *(_case(f"plan-timeline-{f}", "plan", "--example", "--lags", "0,10,20,15,45", "--growth",
            "50%", "--format", f) for f in ("table", "csv", "json")),
    _case("plan-timeline-quarterly-exact", "plan", "--example", "--sales-cycle", "120",
          "--period", "quarterly", "--exact"),
    *(_case(f"plan-channels-{f}", "plan", "--example", *_EXAMPLE_CHANNELS, "--optimise",
            "--whatif", "--format", f) for f in ("table", "json")),
    _case("plan-channels-csv", "plan", "--example", *_EXAMPLE_CHANNELS, "--format", "csv"),
    *(_case(f"plan-scenarios-{f}", "plan", "--example", *_EXAMPLE_CHANNELS, "--scenario",
            "examples/scenarios.csv", "--format", f) for f in ("table", "csv", "json")),
    _case("plan-error-rates", "plan", "--example", "--rates", "0.5,0.2"),
    _case("plan-error-growth", "plan", "--example", "--lags", "0,10,20,15,45", "--growth", "25"),
    _case("plan-error-budget-goal-zero", "plan", "--revenue-goal", "0", "--deal-size", "10",
          "--budget", "100"),
    # build: README's examples
    _case("build-plain", "build", "--out", "{out}/plan.xlsx"),
    _case("build-emea", "build", "--out", "{out}/emea.xlsx", "--revenue-goal", "5000000",
          "--deal-size", "25000", "--rates", "2%,25%,30%,40%,25%", "--budget", "400000"),
    _case("build-config", "build", "--out", "{out}/plan.xlsx", "--config", "examples/plan.yaml"),
    _case("build-timeline", "build", "--out", "{out}/timeline.xlsx", "--lags", "0,10,20,15,45",
          "--growth", "25%"),
    _case("build-channels-optimise", "build", "--out", "{out}/channels.xlsx", "--channels",
          "examples/channels.csv", "--optimise"),
    _case("build-scenarios", "build", "--out", "{out}/scenarios.xlsx", "--scenario",
          "examples/scenarios.csv"),
    _case("build-exact", "build", "--out", "{out}/exact.xlsx", "--exact"),
    _case("templates", "templates", "--out", "{out}/workbooks"),
    # fill: README's table and a table of varied rows (own funnels, lags, growth, a bad row)
    _case("fill-regions", "fill", "examples/regions.csv", "--out", "{out}/plans", "--jobs", "1",
          "--summary", "{out}/plans/summary.csv"),
    _case("fill-varied-csv", "fill", f"{_INPUTS}/varied.csv", "--out", "{out}/plans",
          "--jobs", "1", "--summary", "{out}/plans/summary.csv"),
    _case("fill-varied-parquet", "fill", f"{_INPUTS}/varied.csv", "--out", "{out}/plans",
          "--jobs", "1", "--summary", "{out}/summary.parquet"),
    _case("fill-channel-columns", "fill", f"{_INPUTS}/channel_rows.csv", "--out",
          "{out}/plans", "--jobs", "1", "--summary", "{out}/summary.csv"),
    # pipeline and report
    _case("pipeline-table", "pipeline", "examples/opportunities.csv", "--as-of", "2026-11-30"),
    _case("pipeline-goal-json", "pipeline", "examples/opportunities.csv", "--as-of",
          "2026-11-30", "--goal", "10000000", "--deal-size", "1100000", "--json",
          "{out}/pipeline.json"),
    _case("pipeline-quarter", "pipeline", "examples/opportunities.csv", "--as-of", "2026-11-30",
          "--period", "quarter"),
    _case("report-tracked", "report", _TRACKED, "--as-of", "2027-02-15", "--json",
          "{out}/report.json"),
)  # fmt: skip


def _file_record(path: Path) -> object:
    if zipfile.is_zipfile(path) and path.suffix in (".xlsx", ".xlsm"):
        with zipfile.ZipFile(path) as archive:
            return {info.filename: hashlib.sha256(archive.read(info)).hexdigest()
                    for info in archive.infolist()}  # fmt: skip
    if path.suffix == ".parquet":
        import pandas as pd

        return pd.read_parquet(path).to_csv(index=False).splitlines()
    return path.read_text(encoding="utf-8").splitlines()


def _lines(text: str) -> list[str]:
    # Progress bars show elapsed time; they are not output.
    return [line.rstrip() for line in text.splitlines() if "━" not in line]


def run(case: Case, folder: Path) -> dict[str, object]:
    """Run ``case`` with its outputs in ``folder`` (emptied first) and return what it left."""
    from kpi_planner.cli.main import app

    if Path.cwd() != ROOT:
        raise RuntimeError(f"run the cases from the repository's root, {ROOT}")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    args = [a.replace("{out}", str(folder)) for a in case.args]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "120", "NO_COLOR": "1"})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    files = {str(p.relative_to(folder)): _file_record(p)
             for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip
    return {
        "args": list(case.args),
        "exit_code": result.exit_code,
        "stdout": _lines(result.stdout.replace(str(folder), "{out}")),
        "stderr": _lines(result.stderr.replace(str(folder), "{out}")),
        "files": files,
    }


def expected_path(case: Case) -> Path:
    return EXPECTED / f"{case.name}.json"


def dump(record: dict[str, object]) -> str:
    return json.dumps(record, indent=1, ensure_ascii=False) + "\n"
