"""The xlwings Lite files: the same functions and scripts, from a pure-Python package."""

import ast
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from kpi_planner_addin import functions, ribbon

ROOT = Path(__file__).resolve().parents[2]
LITE = ROOT / "addin" / "lite"


def test_main_exposes_every_function_and_script():
    tree = ast.parse((LITE / "main.py").read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                for alias in node.names}  # fmt: skip
    udfs = {
        name for name in dir(functions) if name.isupper() and callable(getattr(functions, name))
    }
    udfs -= {"EXCEL_ERRORS", "CATEGORY", "DIV0_CODE"}
    scripts = {"build_plan_sheet", "refresh", "show_help"}
    assert imported == udfs | scripts
    assert all(callable(getattr(ribbon, name)) for name in scripts)


def test_the_package_is_a_pure_python_wheel_with_pure_python_dependencies(tmp_path):
    # micropip can only install pure-Python wheels, or the packages Pyodide itself provides.
    # Build from a copy: building in place leaves build/ and *.egg-info in the work tree,
    # whose metadata would then shadow the installed package's.
    source = tmp_path / "source"
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()  # fmt: skip
    for name in tracked:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
        check=True,
    )
    (wheel,) = tmp_path.glob("kpi_planner-*.whl")
    assert wheel.name.endswith("-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "kpi_planner_addin/functions.py" in names
    assert "kpi_engine/funnel.py" in names
    required = [line.split(":", 1)[1].strip() for line in metadata.splitlines()
                if line.startswith("Requires-Dist:") and "extra ==" not in line]  # fmt: skip
    names_only = {r.split(">")[0].split("=")[0].split("<")[0].strip().lower() for r in required}
    pyodide_or_pure = {"numpy", "pandas", "pyyaml", "typer", "rich", "openpyxl"}
    assert names_only <= pyodide_or_pure
