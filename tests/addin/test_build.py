"""The add-in's generated sources: in sync, and every piece connected to the next."""

import importlib
import inspect
import re
from pathlib import Path
from xml.etree import ElementTree

from kpi_planner_addin import build
from kpi_planner_addin.xlwings_windows import decorate

ROOT = Path(__file__).resolve().parents[2]
NS = "{http://schemas.microsoft.com/office/2006/01/customui}"
#: A ribbon callback's name and the Python its RunPython runs (other lines may come between).
SUB_AND_CALL = (
    r"Sub (\w+)\(control As IRibbonControl\)(?:(?!End Sub)[\s\S])*?RunPython \"([^\"]+)\""
)


def test_committed_sources_match_the_code():
    # If this fails, run `kpi-planner addin sources` and commit the result.
    for name, text in build.sources().items():
        assert (ROOT / "addin" / "vba" / name).read_bytes() == text.encode(), name


def test_every_ribbon_button_has_its_vba_sub_and_every_sub_a_python_macro():
    ribbon = ElementTree.fromstring(build.customui_xml())
    actions = [b.get("onAction") for b in ribbon.iter(f"{NS}button")]
    assert len(actions) == len(build.BUTTONS) >= 3
    vba = build.ribbon_vba()
    subs = dict(re.findall(SUB_AND_CALL, vba))
    assert set(actions) == set(subs)
    for code in subs.values():
        module_name, call = re.fullmatch(r"import ([\w.]+); \1\.(\w+)\(\)", code).groups()
        macro = getattr(importlib.import_module(module_name), call)
        # RunPython passes nothing: the workbook must be optional.
        book = inspect.signature(macro).parameters["book"]
        assert book.default is None


def test_every_custom_function_has_a_wrapper_and_wizard_help():
    module = decorate(build.FUNCTIONS_MODULE)
    functions = {name for name in dir(module) if hasattr(getattr(module, name), "__xlfunc__")}
    wrappers = build.functions_vba()
    declared = set(re.findall(r"^Function (\w+)\(", wrappers, flags=re.MULTILINE))
    assert declared == functions
    for name in functions:
        assert f'XLPy.CallUDF("{build.FUNCTIONS_MODULE}", "{name}", Array(' in wrappers
        assert "ActiveWorkbook" in wrappers  # an add-in calls with the active workbook
    registered = set(re.findall(r'MacroOptions Macro:="(\w+)"', build.register_vba()))
    assert registered == functions


def test_vba_text_has_no_unescaped_quotes():
    for line in build.register_vba().splitlines():
        for literal in re.findall(r'"((?:[^"]|"")*)"', line):
            assert '"' not in literal.replace('""', "")


def test_every_ribbon_button_says_what_to_do_when_no_workbook_is_open():
    # With no workbook, RunPython stops on run-time error 91; each callback checks first.
    vba = build.ribbon_vba()
    bodies = re.findall(r"Sub (\w+)\(control As IRibbonControl\)\r\n([\s\S]*?)End Sub", vba)
    assert len(bodies) == len(build.BUTTONS)
    for name, body in bodies:
        check = body.index("If ActiveWorkbook Is Nothing Then")
        assert check < body.index("RunPython"), name
        assert f'MsgBox "{build.NO_WORKBOOK}"' in body
        assert "Exit Sub" in body[check : body.index("RunPython")]
