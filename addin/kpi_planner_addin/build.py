"""The add-in's sources, generated: the ribbon XML, its VBA callbacks, the functions' VBA.

- ``customUI.xml``: the "KPI Planner" tab, one button per entry of :data:`BUTTONS`.
- ``KpiPlannerRibbon.bas``: one callback per button, reaching Python through RunPython.
- ``KpiPlannerFunctions.bas``: the custom functions' wrappers, written by xlwings' own
  ``generate_vba_wrapper`` (so users need no "Import Functions" and no trust in the VBA
  object model), and ``KpiPlannerRegister``, which gives Excel's function wizard each
  function's description, category and argument help (``Application.MacroOptions``).

``kpi-planner addin sources`` writes them to ``addin/vba/``; a test fails when the
committed files differ from what this module generates.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from xml.sax.saxutils import quoteattr

from . import ribbon

FUNCTIONS_MODULE = "kpi_planner_addin.functions"
ADDIN_FILE = "kpi_planner.xlam"
CATEGORY = "KPI Planner"
#: The ribbon's schema and the package relationship that must point at a part in it
#: ([MS-CUSTOMUI]: the 2006/01 namespace goes with the 2006 relationship type; the 2007
#: type is for customUI14 parts in the 2009/07 namespace).
CUSTOMUI_NAMESPACE = "http://schemas.microsoft.com/office/2006/01/customui"
CUSTOMUI_RELATIONSHIP = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
_CUSTOMUI14_RELATIONSHIP = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
#: The ribbon's onLoad callback: registers the functions' wizard help.
ON_LOAD = "KpiPlanner_OnLoad"
#: What a ribbon button says when no workbook is open.
NO_WORKBOOK = "Open or create a workbook first: KPI Planner works on the active workbook."
#: What xlwings writes atop its modules: the compile-time constant their `#If App` tests.
APP_CONSTANT = '#Const App = "Microsoft Excel" \'Adjust when using outside of Excel'


@dataclass(frozen=True)
class Button:
    """A ribbon button: its id, label, Office icon, help text and the macro it runs."""

    id: str
    label: str
    image: str
    screentip: str
    macro: Callable[..., None]
    group: str = "Plan"

    @property
    def callback(self) -> str:
        """Name of the VBA Sub the button's onAction calls."""
        return f"KpiPlanner_{self.id}"

    @property
    def python(self) -> str:
        """What RunPython runs: import the macro's module, call the macro with no book."""
        module = self.macro.__module__
        return f"import {module}; {module}.{self.macro.__name__}()"


#: The buttons of the "KPI Planner" tab, by group: Plan, Track, Help.
BUTTONS = (
    Button("BuildPlanSheet", "Build plan sheet", "TableInsert",
           "Add the Plan sheet, pre-filled with this workbook's last inputs.",
           ribbon.build_plan_sheet),
    Button("Refresh", "Refresh", "Refresh", "Recalculate every open workbook.", ribbon.refresh),
    Button("OptimiseChannelMix", "Optimise channel mix", "GoalSeek",
           "Select a cell of a channels table: the cheapest mix within each channel's max "
           "share and max volume, written beside it as values.", ribbon.optimise_channel_mix),
    Button("AddTrackingSheets", "Add tracking sheets", "TableInsertExcel",
           "Add the Actuals, Diagnosis and Goals sheets for this workbook's plan.",
           ribbon.add_tracking_sheets, group="Track"),
    Button("Diagnose", "Diagnose", "ChartTrendline",
           "Compare the months closed with the plan and name the stage to fix first.",
           ribbon.diagnose, group="Track"),
    Button("SelfTest", "Self-test", "DataValidation",
           "Call every function through Excel on known inputs: PASS or FAIL per row, and "
           "the Python and config the add-in runs with.", ribbon.self_test, group="Help"),
    Button("Help", "Help", "Help", "Show the add-in's documentation on a sheet.",
           ribbon.show_help, group="Help"),
)  # fmt: skip


def customui_xml(buttons: tuple[Button, ...] = BUTTONS) -> str:
    """The ribbon (customUI 2006 schema): one tab, a group per button group."""
    groups: dict[str, list[Button]] = {}
    for button in buttons:
        groups.setdefault(button.group, []).append(button)
    lines = [
        f'<customUI xmlns="{CUSTOMUI_NAMESPACE}" onLoad="{ON_LOAD}">',
        "  <ribbon>",
        "    <tabs>",
        '      <tab id="KpiPlannerTab" label="KPI Planner">',
    ]
    for group, members in groups.items():
        lines.append(
            f"        <group id={quoteattr('KpiPlanner' + group)} label={quoteattr(group)}>"
        )
        for b in members:
            lines.append(
                f"          <button id={quoteattr(b.id)} label={quoteattr(b.label)} "
                f'size="large" imageMso={quoteattr(b.image)} screentip={quoteattr(b.screentip)} '
                f"onAction={quoteattr(b.callback)}/>"
            )
        lines.append("        </group>")
    lines += ["      </tab>", "    </tabs>", "  </ribbon>", "</customUI>", ""]
    return "\n".join(lines)


def ribbon_vba(buttons: tuple[Button, ...] = BUTTONS) -> str:
    """The VBA module of the ribbon callbacks: one Sub per button, calling RunPython."""
    # Excel loads the ribbon when it loads the add-in: the function wizard's help is
    # registered then, with no auto-run Workbook_Open for scanners to flag.
    on_load = [f"Sub {ON_LOAD}(ribbon As IRibbonUI)", "    RegisterFunctions", "End Sub", ""]
    lines = ['Attribute VB_Name = "KpiPlannerRibbon"', "Option Explicit", "", *on_load]
    for button in buttons:
        lines += [
            f"Sub {button.callback}(control As IRibbonControl)",
            # RunPython and the macros work on the active workbook: with none open, VBA
            # stops on run-time error 91 ("Object variable not set").
            "    If ActiveWorkbook Is Nothing Then",
            f'        MsgBox "{_vba_string(NO_WORKBOOK)}", vbInformation, "KPI Planner"',
            "        Exit Sub",
            "    End If",
            f'    RunPython "{_vba_string(button.python)}"',
            "End Sub",
            "",
        ]
    return "\r\n".join(lines)


def functions_vba() -> str:
    """The custom functions' VBA wrappers, exactly as xlwings' Import Functions writes them."""
    from . import xlwings_windows

    udfs, _ = xlwings_windows.load()
    module = xlwings_windows.decorate(FUNCTIONS_MODULE)
    buffer = io.StringIO()
    udfs.generate_vba_wrapper(FUNCTIONS_MODULE, module, buffer, _Workbook(ADDIN_FILE))
    # The wrappers test `#If App = "Microsoft Excel"` to pass the caller and catch errors;
    # a #Const is private to its module, so this module must define App itself (as
    # xlwings' own Import Functions does), or every wrapper compiles its #Else branch.
    header = ['Attribute VB_Name = "KpiPlannerFunctions"', "Option Explicit", APP_CONSTANT, "", ""]
    return "\r\n".join(header) + buffer.getvalue().replace("\r\n", "\n").replace("\n", "\r\n")


def register_vba() -> str:
    """A VBA module whose ``RegisterFunctions`` gives the function wizard its help texts."""
    from . import xlwings_windows

    module = xlwings_windows.decorate(FUNCTIONS_MODULE)
    lines = ['Attribute VB_Name = "KpiPlannerRegister"', "Option Explicit", "",
             "Sub RegisterFunctions()", "    On Error Resume Next"]  # fmt: skip
    for name, info in _functions(module):
        arguments = ", ".join(f'"{_vba_string(a["doc"])}"' for a in info["args"])
        lines += [
            f'    Application.MacroOptions Macro:="{name}", _',
            f'        Description:="{_vba_string(info["ret"]["doc"].strip())}", _',
            f'        Category:="{CATEGORY}", _',
            f"        ArgumentDescriptions:=Array({arguments})",
        ]
    lines += ["End Sub", ""]
    return "\r\n".join(lines)


def _functions(module: ModuleType) -> list[tuple[str, dict]]:
    return sorted(
        (name, getattr(module, name).__xlfunc__)
        for name in dir(module)
        if hasattr(getattr(module, name), "__xlfunc__")
    )


def _vba_string(text: str) -> str:
    return " ".join(text.split()).replace('"', '""')


class _Workbook:
    """What generate_vba_wrapper asks of the workbook: its name (an add-in's calls
    ActiveWorkbook rather than ThisWorkbook)."""

    def __init__(self, name: str) -> None:
        self.Name = name


def sources() -> dict[str, str]:
    """File name -> text of every generated source of the add-in.

    Raises ``ValueError`` for a VBA module that tests ``#If App`` without defining it.
    """
    generated = {
        "customUI.xml": customui_xml(),
        "KpiPlannerRibbon.bas": ribbon_vba(),
        "KpiPlannerFunctions.bas": functions_vba(),
        "KpiPlannerRegister.bas": register_vba(),
    }
    for name, text in generated.items():
        if "#If App" in text and "#Const App" not in text:
            raise ValueError(f"{name}: tests #If App but never defines #Const App")
    return generated


def xlam_bytes() -> bytes:
    """The add-in file: xlwings' ribbon add-in template with this add-in's ribbon, VBA
    project and config-sheet name; every other part as the template has it. The same
    code always gives the same bytes."""
    import re
    import zipfile

    from kpi_planner.workbook.render.zip_parts import deflated_part, zip_parts

    from . import vba_project

    generated = sources()
    parts = []
    with zipfile.ZipFile(vba_project.template_path()) as template:
        for name in template.namelist():
            data = template.read(name)
            if name == "customUI/customUI.xml":
                data = generated["customUI.xml"].encode("utf-8")
            elif name == "_rels/.rels":
                # the template pairs a 2006/01 part with the 2007 (customUI14) type
                data = data.replace(
                    _CUSTOMUI14_RELATIONSHIP.encode(), CUSTOMUI_RELATIONSHIP.encode()
                )
            elif name == "xl/vbaProject.bin":
                data = vba_project.vba_project_bin(generated)
            elif name == "xl/workbook.xml":
                text = data.decode("utf-8")
                text = text.replace(
                    'name="_myaddin.conf"', f'name="_{vba_project.CONFIG_NAME}.conf"'
                )
                # the template remembers the folder it was saved in on its author's machine
                text = re.sub(r"<mc:AlternateContent.*?</mc:AlternateContent>", "", text)
                data = text.encode("utf-8")
            parts.append(deflated_part(name, data, once=True))
    return zip_parts(parts)


def selftest_bytes() -> bytes:
    """``selftest.xlsx``: the self-test sheet of :mod:`.selftest`, deterministic."""
    from kpi_planner.workbook.render.xlsx import xlsx_bytes

    from . import selftest

    return xlsx_bytes(selftest.selftest_workbook())


def built_files(xlam: Path) -> dict[Path, bytes]:
    """What ``kpi-planner addin build`` writes: the add-in, and the self-test workbook
    beside it."""
    from . import selftest

    return {xlam: xlam_bytes(), xlam.with_name(selftest.SELFTEST_FILE): selftest_bytes()}


def write_xlam(path: Path) -> Path:
    """Write the add-in file, atomically."""
    from kpi_planner.files.atomic import write_atomic

    return write_atomic(Path(path), xlam_bytes())
