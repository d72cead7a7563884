"""The .xlam: built from code, read back by oletools, every piece connected, installable."""

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from kpi_planner_addin import build, install, vba_project
from oletools.olevba import VBA_Parser

ROOT = Path(__file__).resolve().parents[2]
NS = "{http://schemas.microsoft.com/office/2006/01/customui}"


@pytest.fixture(scope="module")
def xlam(tmp_path_factory):
    return build.write_xlam(tmp_path_factory.mktemp("addin") / "kpi_planner.xlam")


@pytest.fixture(scope="module")
def vba(xlam):
    parser = VBA_Parser(str(xlam))
    modules = {name: code for _, _, name, code in parser.extract_macros()}
    parser.close()
    return modules


def test_committed_addin_matches_the_code():
    # If this fails, run `kpi-planner addin build` and commit the result.
    assert (ROOT / "addin" / "kpi_planner.xlam").read_bytes() == build.xlam_bytes()


def test_build_is_deterministic():
    assert build.xlam_bytes() == build.xlam_bytes()


def test_oletools_reads_every_module_back(vba):
    assert set(vba) == {
        "ThisWorkbook.cls", "Sheet2.cls", "Dictionary.cls", "xlwings.bas",
        "KpiPlannerRibbon.bas", "KpiPlannerFunctions.bas", "KpiPlannerRegister.bas",
    }  # fmt: skip
    generated = build.sources()
    for name in ["KpiPlannerRibbon", "KpiPlannerFunctions", "KpiPlannerRegister"]:
        assert vba[f"{name}.bas"].replace("\r\n", "\n") == generated[f"{name}.bas"].replace(
            "\r\n", "\n"
        )
    # The xlwings runtime reads its settings under this add-in's name.
    assert 'PROJECT_NAME As String = "kpi_planner"' in vba["xlwings.bas"]
    assert "RegisterFunctions" in vba["ThisWorkbook.cls"]


def test_every_ribbon_action_reaches_an_existing_python_function(xlam, vba):
    with zipfile.ZipFile(xlam) as package:
        ribbon = ElementTree.fromstring(package.read("customUI/customUI.xml"))
        workbook = package.read("xl/workbook.xml").decode()
    subs = dict(re.findall(r'Sub (\w+)\(control As IRibbonControl\)\s+RunPython "([^"]+)"',
                           vba["KpiPlannerRibbon.bas"]))  # fmt: skip
    for button in ribbon.iter(f"{NS}button"):
        code = subs[button.get("onAction")]
        module, function = re.fullmatch(r"import ([\w.]+); \1\.(\w+)\(\)", code).groups()
        assert callable(getattr(__import__(module, fromlist=[function]), function))
    assert 'name="_kpi_planner.conf"' in workbook
    assert "felix" not in workbook  # no path of the template author's machine


def test_every_function_has_its_wrapper_in_the_addin(vba):
    from kpi_planner_addin.xlwings_windows import decorate

    module = decorate(build.FUNCTIONS_MODULE)
    functions = {n for n in dir(module) if hasattr(getattr(module, n), "__xlfunc__")}
    wrapped = set(re.findall(r"^Function (\w+)\(", vba["KpiPlannerFunctions.bas"], re.MULTILINE))
    assert wrapped == functions


def test_project_keeps_the_templates_id_so_its_protection_fields_stay_valid(xlam):
    import io

    import olefile

    with zipfile.ZipFile(xlam) as package:
        ole = olefile.OleFileIO(io.BytesIO(package.read("xl/vbaProject.bin")))
    project = ole.openstream("PROJECT").read().decode("cp1252")
    _, _, template_project, _ = vba_project.read_template()
    template_id = template_project.decode("cp1252").splitlines()[0]
    assert project.splitlines()[0] == template_id
    assert 'Name="KpiPlanner"' in project
    assert "Module=KpiPlannerFunctions" in project


@pytest.mark.parametrize(
    ("platform", "folder"),
    [
        ("win32", Path("AppData/Roaming/Microsoft/Excel/XLSTART")),
        ("darwin", Path("Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel")),
    ],
)
def test_install_on_windows_and_macos(tmp_path, platform, folder):
    done = install.install(platform=platform, home=tmp_path, environ={}, interpreter="/py/python")
    assert done.addin == tmp_path / folder / "kpi_planner.xlam"
    assert done.addin.read_bytes() == build.xlam_bytes()
    key = "Interpreter_Win" if platform == "win32" else "Interpreter_Mac"
    assert done.config == tmp_path / ".kpi_planner" / "kpi_planner.conf"
    assert done.config.read_text() == f'"{key}","/py/python"\n'


def test_install_refuses_where_there_is_no_desktop_excel(tmp_path):
    with pytest.raises(install.InstallError, match="install on Windows or macOS, not on 'linux'"):
        install.install(platform="linux", home=tmp_path, environ={})
    assert not any(tmp_path.iterdir())
