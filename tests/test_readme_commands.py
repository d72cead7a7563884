"""Every `kpi-planner` command README shows runs as shown, in order, from a fresh folder
(issue 13's first run): the files the commands read are the ones README shows."""

import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_planner.cli.main import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```([a-z]*)\n(.*?)```", README, flags=re.DOTALL)

#: Commands that cannot do their job on this machine, and what they must do instead.
NOT_HERE = {
    # Installing into Excel needs Excel (Windows or macOS); on Linux it says so, exit 2.
    ("addin", "install"): (2, "install on Windows or macOS"),
}


def readme_commands() -> list[list[str]]:
    """The arguments of each `kpi-planner` line of README's code blocks, in order."""
    commands = []
    for _, block in BLOCKS:
        for line in block.replace("\\\n", " ").splitlines():
            line = line.strip().removeprefix("$ ")
            line = line.split(" && ", 1)[1] if " && kpi-planner " in line else line
            if line.startswith("kpi-planner "):
                commands.append(shlex.split(line, comments=True)[1:])
    return commands


def readme_file(first_line: str) -> str:
    """The code block of README that starts with ``first_line``."""
    (text,) = [block for _, block in BLOCKS if block.startswith(first_line)]
    return text


@pytest.fixture
def folder(tmp_path, monkeypatch):
    # What README's commands read: the files of examples/, as a fresh clone has them.
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_files_readme_shows_are_the_ones_examples_ships():
    # README shows a plan file and a regions table its commands read: they ship in
    # examples/, so the commands run from a fresh clone (they needed copying by hand).
    shown = readme_file("# examples/plan.yaml")
    assert (ROOT / "examples" / "plan.yaml").read_text(encoding="utf-8") == shown
    table = readme_file("Name,RevenueGoal")
    assert (ROOT / "examples" / "regions.csv").read_text(encoding="utf-8") == table


def test_readme_shows_the_commands_it_is_about():
    commands = [" ".join(c[:1]) for c in readme_commands()]
    for command in ("plan", "build", "fill", "report", "pipeline", "addin"):
        assert command in commands


def test_every_readme_command_runs(folder):
    runner = CliRunner()
    for args in readme_commands():
        result = runner.invoke(app, args, env={"COLUMNS": "120"})
        code, says = NOT_HERE.get(tuple(args[:2]), (0, ""))
        assert result.exit_code == code, (args, result.output)
        assert says in result.output, (args, result.output)
    # What the commands wrote: the workbooks, the fill's summary and the report's JSON.
    for written in ("emea-plan.xlsx", "plan.xlsx", "timeline.xlsx", "plans/EMEA.xlsx",
                    "plans/APAC.xlsx",
                    "plans/summary.csv", "emea-report.json"):  # fmt: skip
        assert (folder / written).is_file(), written
