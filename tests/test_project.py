"""The project's promises about itself: README's quick start, CI, and README's examples."""

import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from kpi_planner.cli.main import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI_RUN = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
TEST_COMMAND = 'pip install -e ".[test]" && pytest'


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```\n(.*?)```", section, flags=re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def test_quick_start_is_two_commands_install_and_run_then_install_and_test():
    commands = quick_start_commands()
    assert len(commands) == 2
    assert commands[0].startswith("pip install -e . && kpi-planner ")
    assert commands[1] == TEST_COMMAND


def test_ci_runs_the_readme_test_command():
    # .ci/run greps this exact text out of README.md and evaluates the line it finds.
    assert "grep -m1 -F 'pip install -e \".[test]\"' README.md" in CI_RUN
    lines = [line for line in README.splitlines() if 'pip install -e ".[test]"' in line]
    assert lines[0] == TEST_COMMAND
    assert 'eval "$test_command"' in CI_RUN
    assert '"$status" -eq 5' in CI_RUN  # pytest's "no tests collected" is a failure


def test_ci_script_is_valid_bash():
    subprocess.run(["bash", "-n", str(ROOT / ".ci" / "run")], check=True)


def test_readme_python_examples_run():
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)
    assert blocks
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)


def test_readme_shows_what_the_command_prints():
    shown = README.split("$ kpi-planner ", 1)[1].split("```", 1)[0].splitlines()
    args = shown[0].split()
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    printed = [line.rstrip() for line in result.stdout.splitlines()]
    assert printed == [line.rstrip() for line in shown[1:]]


def test_quick_start_command_runs():
    command = quick_start_commands()[0].split(" && ", 1)[1].split()
    assert command[0] == "kpi-planner"
    result = subprocess.run(
        [sys.executable, "-m", "kpi_planner", *command[1:]],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "Q4" in result.stdout


def test_readme_exact_monthly_example_is_what_its_command_prints():
    # README: "9 customers a year need 6,250 visits, 93.75 leads, 18.75 MQL, 3.75 SQL, 1.5
    # opportunities and 0.75 customers a month (`kpi-planner plan ...`)". Independently:
    # 9 / 12 = 0.75 customers; / 0.5 = 1.5; / 0.4 = 3.75; / 0.2 = 18.75; / 0.2 = 93.75;
    # / 0.015 = 6,250.
    sentence = " ".join(README.split("With `--exact`", 1)[1].split("\n\n", 1)[0].split())
    command = re.search(r"\(`kpi-planner (.*?)`\)", sentence).group(1).split()
    result = CliRunner().invoke(app, [*command, "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = [line.split(",") for line in result.stdout.splitlines()]
    january = rows[0].index("Jan")
    assert [float(row[january]) for row in rows[1:]] == [6250, 93.75, 18.75, 3.75, 1.5, 0.75]
    for shown in ("6,250 visits", "93.75", "18.75 MQL", "3.75 SQL", "1.5 opportunities",
                  "0.75 customers a month"):  # fmt: skip
        assert shown in sentence


def test_a_scalar_call_does_not_import_pandas():
    # An Excel cell's first call pays the engine's import: pandas is most of it (issue 14),
    # and a scalar call does not need it. (A fresh process: this one has pandas already.)
    code = (
        "import sys, kpi_engine as k\n"
        "k.reverse_funnel(1e7, k.SEED_RATES, deal_size=1.1e6, whole_numbers=True)\n"
        "k.cac(5e4, 25); k.clv(1e3, 0.8, 0.2); k.roi(5e4, 1e4); k.nps_from_counts(3, 5, 2)\n"
        "k.expected_closes([40, 40], [0.1, 0.2]); k.stage_offsets([0, 10, 20, 15, 45])\n"
        "assert 'pandas' not in sys.modules, 'pandas was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def command_importing(module: str, argv: list[str], env=None) -> subprocess.CompletedProcess:
    """``kpi-planner argv`` run in a fresh process (this one has imported everything) that
    prints, last on standard error, whether ``module`` was imported."""
    code = (
        "import atexit, sys\n"
        f"atexit.register(lambda: print({module!r} in sys.modules, file=sys.stderr))\n"
        "from kpi_planner.cli.main import main\n"
        f"sys.argv = ['kpi-planner', *{argv!r}]\n"
        "main()\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)


def test_the_yearly_plan_does_not_import_pandas():
    # Issue 14: `plan --example` starts in under 0.4 s because the yearly plan is built
    # from plain dicts; pandas (about 0.27 s to import) loads only for periods and tables.
    result = command_importing("pandas", ["plan", "--example", "--budget", "600000"])
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "False"
    assert "83,334" in result.stdout


def test_a_plan_with_list_options_does_not_import_pandas():
    # Reading `--rates 1.5%,20%` went through the table reader's module, which imports
    # pandas: 0.46 s for `plan --rates ...` against 0.18 s without (benchmarks/README.md).
    result = command_importing("pandas", ["plan", "--revenue-goal", "1e7", "--deal-size",
                                          "1.1e6", "--rates", "1.5%,20%,20%,40%,50%",
                                          "--stages", "V,L,M,S,O,C"])  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "False"
    assert "83,334" in result.stdout  # seed 000's visits: the rates were read


def test_a_fill_from_a_csv_does_not_import_openpyxl(tmp_path):
    # Issue 14: a fill's start-up. With the compiled template cached (the first run stores
    # it), writing raw zips needs no openpyxl (0.12-0.19 s to import); it loads only to
    # compile the template, read an Excel table or a user's own template.
    (tmp_path / "one.csv").write_text("Name,RevenueGoal,DealSize\nNorth,1000000,25000\n")
    argv = ["fill", str(tmp_path / "one.csv"), "--out", str(tmp_path / "out"), "--jobs", "1",
            "--force"]  # fmt: skip
    environment = {**os.environ, "KPI_PLANNER_CACHE_DIR": str(tmp_path / "cache")}
    runs = [command_importing("openpyxl", argv, environment) for _ in range(2)]
    for run in runs:
        assert run.returncode == 0, run.stderr
    assert [run.stderr.strip().splitlines()[-1] for run in runs] == ["True", "False"]
    written = openpyxl.load_workbook(tmp_path / "out" / "North.xlsx")
    ((sheet, cell),) = written.defined_names["RevenueGoal"].destinations
    assert written[sheet][cell.replace("$", "")].value == 1000000  # the row's goal
