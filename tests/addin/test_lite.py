"""The xlwings Lite files: the same functions and scripts, from a pure-Python package."""

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from kpi_planner_addin import functions, ribbon

ROOT = Path(__file__).resolve().parents[2]
LITE = ROOT / "addin" / "lite"


#: Runs main.py under a stand-in of xlwings Lite's Python API (``func``, ``arg``, ``ret``,
#: ``script``, ``Book``), with only what Lite has importable: the packages Pyodide ships,
#: pure-Python wheels, and kpi-planner; prints what registered, as JSON.
_UNDER_LITE = """
import importlib.abc, json, runpy, sys, types

LITE_HAS = {"numpy", "pandas", "openpyxl", "yaml", "typer", "rich", "click", "et_xmlfile",
            "dateutil", "pytz", "tzdata", "six", "kpi_engine", "kpi_planner",
            "kpi_planner_addin"}

class OnlyLite(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        top = name.split(".")[0]
        if top in sys.stdlib_module_names or top in LITE_HAS or top.startswith("_"):
            return None
        raise ImportError(f"{name} is not available in xlwings Lite")

sys.meta_path.insert(0, OnlyLite())
registered = {"functions": [], "scripts": []}
lite = types.ModuleType("xlwings")
lite.__version__ = "lite"

def func(*args, **kwargs):
    def register(function):
        registered["functions"].append(function.__name__)
        return function
    return register(args[0]) if args and callable(args[0]) else register

def arg(*args, **kwargs):
    return lambda function: function

def script(*args, **kwargs):
    def register(function):
        registered["scripts"].append(function.__name__)
        return function
    return register(args[0]) if args and callable(args[0]) else register

lite.func, lite.arg, lite.ret, lite.script = func, arg, arg, script
lite.Book = type("Book", (), {"caller": staticmethod(lambda: None)})
sys.modules["xlwings"] = lite
runpy.run_path(sys.argv[1])
print(json.dumps(registered))
"""


def test_main_registers_every_function_and_script_of_the_classic_add_in_under_lite():
    # One list, checked both ways: what the classic add-in has (its wrappers' functions and
    # its ribbon buttons' macros) is what main.py registers under Lite, and nothing else.
    from kpi_planner_addin import build
    from kpi_planner_addin.xlwings_windows import decorate

    done = subprocess.run([sys.executable, "-c", _UNDER_LITE, str(LITE / "main.py")],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    registered = json.loads(done.stdout.splitlines()[-1])
    module = decorate(build.FUNCTIONS_MODULE)
    classic = {name for name in dir(module) if hasattr(getattr(module, name), "__xlfunc__")}
    assert sorted(registered["functions"]) == sorted(classic)
    assert sorted(registered["scripts"]) == sorted(b.macro.__name__ for b in build.BUTTONS)
    assert all(callable(getattr(ribbon, name)) for name in registered["scripts"])
    assert functions.CATEGORY


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
    # numpy, pandas, pyyaml and scipy ship with Pyodide; the others are pure Python (babel:
    # babel-*-py3-none-any.whl, its CLDR data included).
    pyodide_or_pure = {"numpy", "pandas", "pyyaml", "scipy", "typer", "rich", "openpyxl",
                       "babel"}  # fmt: skip
    assert names_only <= pyodide_or_pure
