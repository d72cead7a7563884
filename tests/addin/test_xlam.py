"""The .xlam: built from code, read back by oletools, every piece connected, installable."""

import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from kpi_planner_addin import build, install, vba_project
from oletools.olevba import VBA_Parser

from .test_build import SUB_AND_CALL

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


def test_functions_register_on_ribbon_load_with_no_auto_run_macro(xlam, vba):
    # Scanners rate an auto-run macro (Workbook_Open, Auto_Open) as suspicious: the wizard
    # help is registered from the ribbon's onLoad callback instead.
    from oletools.olevba import detect_autoexec

    assert [detect_autoexec(code) for code in vba.values()] == [[]] * len(vba)
    with zipfile.ZipFile(xlam) as package:
        ribbon = ElementTree.fromstring(package.read("customUI/customUI.xml"))
    on_load = ribbon.get("onLoad")
    body = re.search(rf"Sub {on_load}\(ribbon As IRibbonUI\)\r\n([\s\S]*?)End Sub",
                     vba["KpiPlannerRibbon.bas"]).group(1)  # fmt: skip
    assert body.strip() == "RegisterFunctions"
    assert "Sub RegisterFunctions()" in vba["KpiPlannerRegister.bas"]


def test_every_ribbon_action_reaches_an_existing_python_function(xlam, vba):
    with zipfile.ZipFile(xlam) as package:
        ribbon = ElementTree.fromstring(package.read("customUI/customUI.xml"))
        workbook = package.read("xl/workbook.xml").decode()
    subs = dict(re.findall(SUB_AND_CALL, vba["KpiPlannerRibbon.bas"]))
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
    # Where xlwings' Config.GetConfigFilePath looks: %USERPROFILE%\.<name>\<name>.conf on
    # Windows; on macOS the sandboxed home folder, ~/Library/Containers/com.microsoft.Excel/Data.
    config = {
        "win32": Path(".kpi_planner/kpi_planner.conf"),
        "darwin": Path("Library/Containers/com.microsoft.Excel/Data/kpi_planner.conf"),
    }[platform]
    assert done.config == tmp_path / config
    assert done.config.read_text() == f'"{key}","/py/python"\n'


def test_the_vba_reads_the_config_where_install_writes_it(vba):
    # The runtime module in the add-in builds the path install must write to.
    code = vba["xlwings.bas"]
    assert 'GetConfigFilePath = GetMacDir("$HOME", False) & "/" & PROJECT_NAME & ".conf"' in code
    assert 'Environ("USERPROFILE") & "\\." & PROJECT_NAME & "\\" & PROJECT_NAME & ".conf"' in code
    assert "Open sFile For Input As iFileNum" in code  # ANSI text input, hence the code page


@pytest.mark.parametrize(("platform", "encoded"), [("win32", b"Jos\xe9"), ("darwin", b"Jos\x8e")])
def test_a_non_ascii_interpreter_path_is_written_in_the_code_page_vba_reads(
    tmp_path, platform, encoded
):
    # é is 0xE9 in Windows-1252 and 0x8E in Mac Roman; UTF-8 would be C3 A9, read as "Ã©".
    done = install.install(platform=platform, home=tmp_path, environ={},
                           interpreter="/Users/José/py/python")  # fmt: skip
    assert b"/Users/" + encoded + b"/py/python" in done.config.read_bytes()


def test_a_path_the_code_page_cannot_hold_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(install.InstallError, match=r"'日本'.*cp1252"):
        install.install(platform="win32", home=tmp_path, environ={},
                        interpreter="C:\\Users\\日本\\python.exe")  # fmt: skip
    assert not any(tmp_path.iterdir())


def test_install_refuses_where_there_is_no_desktop_excel(tmp_path):
    with pytest.raises(install.InstallError, match="install on Windows or macOS, not on 'linux'"):
        install.install(platform="linux", home=tmp_path, environ={})
    assert not any(tmp_path.iterdir())


def test_every_module_that_tests_if_app_defines_it(vba):
    # A #Const is private to its module: a module testing `#If App` without its own
    # `#Const App` compiles the #Else branch (no caller, no error message in the cell).
    tested = [name for name, code in vba.items() if "#If App" in code]
    assert "KpiPlannerFunctions.bas" in tested
    for name in tested:
        assert re.search(r'^#Const App = "Microsoft Excel"', vba[name], re.MULTILINE), name


def test_a_module_that_tests_if_app_without_defining_it_is_refused(monkeypatch):
    monkeypatch.setattr(build, "register_vba", lambda: '#If App = "Microsoft Excel" Then\r\n')
    with pytest.raises(ValueError, match=r"KpiPlannerRegister\.bas: tests #If App"):
        build.sources()


def test_the_ribbon_part_and_its_relationship_are_of_one_schema(xlam):
    # [MS-CUSTOMUI]: a 2006/01 customUI part is reached by the 2006 relationship type (the
    # 2007 type is for customUI14 parts in the 2009/07 namespace).
    with zipfile.ZipFile(xlam) as package:
        rels = ElementTree.fromstring(package.read("_rels/.rels"))
        ribbon = ElementTree.fromstring(package.read("customUI/customUI.xml"))
    ui = [r for r in rels if r.get("Target") == "customUI/customUI.xml"]
    assert [r.get("Type") for r in ui] == [
        "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
    ]
    assert ribbon.tag == NS + "customUI"


def test_no_wrapper_parameter_is_named_like_a_procedure_or_module(vba):
    # VBA names are case-insensitive: a parameter `cac` in a project with a function CAC
    # shadows it (and confuses readers of the VBA).
    procedures = {n.lower() for code in vba.values()
                  for n in re.findall(r"^(?:Public |Private )?(?:Function|Sub) (\w+)", code,
                                      re.MULTILINE)}  # fmt: skip
    procedures |= {name.removesuffix(".bas").removesuffix(".cls").lower() for name in vba}
    wrappers = re.findall(r"^Function (\w+)\(([^)]*)\)", vba["KpiPlannerFunctions.bas"],
                          re.MULTILINE)  # fmt: skip
    for function, parameters in wrappers:
        for parameter in filter(None, (p.strip().split()[-1] for p in parameters.split(","))):
            assert parameter.lower() not in procedures, (function, parameter)


def test_storages_start_at_sector_zero_and_module_docstrings_carry_over(xlam):
    import olefile
    from oletools.olevba import decompress_stream

    with zipfile.ZipFile(xlam) as package:
        ole = olefile.OleFileIO(io.BytesIO(package.read("xl/vbaProject.bin")))
    # [MS-CFB] 2.6.3: a storage object's starting sector location MUST be all zeroes.
    storages = [entry for entry in ole.direntries
                if entry is not None and entry.entry_type == olefile.STGTY_STORAGE]  # fmt: skip
    assert [entry.name for entry in storages] == ["VBA"]
    assert all(entry.isectStart == 0 for entry in storages)
    directory = bytes(decompress_stream(bytearray(ole.openstream(["VBA", "dir"]).read())))
    ole.close()
    # The Dictionary class's MODULEDOCSTRING (its licence notice) is kept, not emptied.
    assert b"Dictionary v1.4.0" in directory
    assert "Dictionary v1.4.0".encode("utf-16-le") in directory
