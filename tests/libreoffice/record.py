"""Reference values of the workbooks' formulas, computed by LibreOffice (issue 31).

Each example of :data:`EXAMPLES` (the template and README's ``build`` commands) is made with
its command, exactly as written, then recalculated by LibreOffice headless: a copy of it,
every formula cell of which carries a false cached value (:data:`STALE`), is converted to
.xlsx with a profile of its own that recalculates every formula on load. What LibreOffice
computed is read back from every formula cell of every sheet and written to
``reference/<name>.json``, with the commands and LibreOffice's version.

A cell that keeps the false value, or has no value at all, stops the recording: LibreOffice
did not recalculate it. The copy as the command wrote it (no cached values) is converted too,
and must give the same values.

Regenerate, from the repository's root, on a machine with LibreOffice::

    python -m tests.libreoffice.record
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[2]
REFERENCES = Path(__file__).resolve().parent / "reference"

#: Name of each reference -> the command that makes its workbook, as README.md writes it.
EXAMPLES = {
    "marketing-plan": "kpi-planner templates",
    "emea": "kpi-planner build --out emea.xlsx --revenue-goal 5000000 --deal-size 25000"
    ' --rates "2%,25%,30%,40%,25%" --budget 400000',
    "plan": "kpi-planner build --out plan.xlsx --config examples/plan.yaml",
    "timeline": "kpi-planner build --out timeline.xlsx --lags 0,10,20,15,45 --growth 25%",
    "channels": "kpi-planner build --out channels.xlsx --channels examples/channels.csv --optimise",
    "scenarios": "kpi-planner build --out scenarios.xlsx --scenario examples/scenarios.csv",
}
#: Where `kpi-planner templates` writes the template, from the folder it runs in.
TEMPLATE_OUT = Path("workbooks", "marketing-plan.xlsx")

#: LibreOffice's settings for the conversion: every formula recalculated on load, for .xlsx
#: and .ods alike (LibreOffice's default for .xlsx is to keep the cached results), and the
#: English (US) locale, so that no text a formula makes depends on the machine's.
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" \
oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" \
oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse">\
<value>en-US</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" \
oor:op="fuse"><value>en-US</value></prop></item>
</oor:items>
"""

#: The false cached value every formula cell of the copy LibreOffice recalculates carries:
#: no formula of these workbooks gives it, so a cell that still shows it was not recalculated.
STALE = -987654321.125

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# A formula cell as openpyxl writes it: <c r="B15" s="9"><f>RevenueGoal/DealSize</f><v /></c>,
# or with a cached value (text: t="str"), as the Company sheet carries them.
_FORMULA_CELL = re.compile(
    r'(<c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?)(?: t="[a-z]+")?>(<f>[^<]*</f>)'
    r"(?:<v ?/>|<v>[^<]*</v>)?(</c>)"
)


def soffice() -> str | None:
    """The LibreOffice program, if this machine has one."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_or_skip(unchecked: str = "") -> str:
    """LibreOffice for a test: without it the test is skipped (saying what goes
    ``unchecked``), unless CI requires it (``KPI_PLANNER_VISUAL=required``): then it fails."""
    import pytest  # only the tests call this; the recording script does not

    program = soffice()
    if program is None:
        if os.environ.get("KPI_PLANNER_VISUAL") == "required":
            pytest.fail("KPI_PLANNER_VISUAL=required, but this machine lacks LibreOffice (soffice)")
        pytest.skip(
            "no LibreOffice (soffice) on this machine" + (f": {unchecked}" if unchecked else "")
        )
    return program


def libreoffice_version(program: str) -> str:
    """LibreOffice's version line, e.g. ``LibreOffice 7.4.7.2 40(Build:2)``."""
    found = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=120,
                           check=True).stdout  # fmt: skip
    return next(line.strip() for line in found.splitlines() if line.startswith("LibreOffice"))


def workbook_of(command: str) -> Path:
    """Where ``command`` writes its workbook, from the folder it runs in."""
    args = shlex.split(command)
    return Path(args[args.index("--out") + 1]) if "--out" in args else TEMPLATE_OUT


def with_examples(folder: Path) -> Path:
    """``folder``, with a copy of the repository's ``examples`` (the commands' input files)."""
    shutil.copytree(ROOT / "examples", folder / "examples", dirs_exist_ok=True)
    return folder


def make(command: str, folder: Path) -> Path:
    """Run ``command`` (a README command line) in ``folder`` with this tree's kpi-planner, as
    a program of its own, and return the workbook it wrote."""
    args = shlex.split(command)
    assert args[0] == "kpi-planner", command
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "kpi_planner", *args[1:]],
                   cwd=with_examples(folder), env=env, check=True, capture_output=True,
                   timeout=300)  # fmt: skip
    return folder / workbook_of(command)


def stale_copy(workbook: Path, copy: Path) -> int:
    """Write ``workbook`` to ``copy`` with :data:`STALE` as every formula cell's cached value;
    returns how many cells it changed."""
    changed = 0

    def stale(match: re.Match) -> str:
        nonlocal changed
        changed += 1
        # A cached text's type goes with it: the false value is a number.
        return f"{match.group(1)}>{match.group(2)}<v>{STALE!r}</v>{match.group(3)}"

    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(copy, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = _FORMULA_CELL.sub(stale, data.decode("utf-8")).encode("utf-8")
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return changed


def recalculate(workbooks: list[Path], folder: Path, program: str) -> dict[Path, Path]:
    """Each workbook as LibreOffice recalculates and saves it (.xlsx, in ``folder``), in one
    run of LibreOffice, with a profile of its own (:data:`PROFILE_SETTINGS`)."""
    profile = folder / "profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, "utf-8")
    out = folder / "recalculated"
    out.mkdir(exist_ok=True)
    names = [w.name for w in workbooks]
    assert len(set(names)) == len(names), "LibreOffice names each output after its input"
    subprocess.run(
        [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "xlsx", "--outdir", str(out), *map(str, workbooks)],
        check=True, capture_output=True, timeout=600,  # a hang, not a slow machine
    )  # fmt: skip
    done = {w: out / w.name for w in workbooks}
    missing = [str(w) for w, path in done.items() if not path.is_file()]
    if missing:
        raise RuntimeError(f"LibreOffice wrote nothing for {missing}")
    return done


def cells(workbook: Path) -> dict[str, tuple[bool, object]]:
    """Every cell of every sheet of an .xlsx file, as ``"Sheet!A1"``: (whether it holds a
    formula, its value). Read from the file's XML, as its writer put it: a number is a float,
    text a string (a formula that shows nothing: ""), TRUE or FALSE a bool, an error its code
    (``"#N/A"``), a cell without a value None."""
    with zipfile.ZipFile(workbook) as archive:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{_PACKAGE_RELS}Relationship")}
        shared: list[str] = []
        if "xl/sharedStrings.xml" in archive.namelist():
            strings = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in item.iter(f"{_MAIN}t"))
                      for item in strings.iter(f"{_MAIN}si")]  # fmt: skip
        found: dict[str, tuple[bool, object]] = {}
        for sheet in book.iter(f"{_MAIN}sheet"):
            target = targets[sheet.get(_RELATIONSHIP)]
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            for cell in ElementTree.fromstring(archive.read(part)).iter(f"{_MAIN}c"):
                found[f"{sheet.get('name')}!{cell.get('r')}"] = (
                    cell.find(f"{_MAIN}f") is not None,
                    _value(cell, shared),
                )
    return found


def _value(cell: ElementTree.Element, shared: list[str]) -> object:
    kind = cell.get("t", "n")
    raw = cell.find(f"{_MAIN}v")
    text = None if raw is None else raw.text
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{_MAIN}t"))
    if kind == "str":
        return text or ""
    if kind == "s":
        return shared[int(text)]
    if kind == "b":
        return text == "1"
    if kind == "e":
        return text
    return None if not text else float(text)


def formula_values(workbook: Path) -> dict[str, object]:
    """The value of every formula cell of ``workbook``, by ``"Sheet!A1"``."""
    return {key: value for key, (formula, value) in cells(workbook).items() if formula}


def computed_by_libreoffice(
    workbooks: list[Path], folder: Path, program: str
) -> dict[Path, dict[str, object]]:
    """The value of every formula cell of each workbook, as LibreOffice recalculates it.

    Each workbook's stale copy (:func:`stale_copy`) is recalculated, and the workbook as it
    is too: both must have every formula cell, no cell may keep the false value or have
    none, and the two must agree. Raises :class:`RuntimeError` saying what went wrong.
    """
    stale_folder = folder / "stale"
    stale_folder.mkdir(exist_ok=True)
    copies = {}
    for workbook in workbooks:
        formulas = formula_values(workbook).keys()
        copies[workbook] = stale_folder / f"stale-{workbook.name}"
        changed = stale_copy(workbook, copies[workbook])
        if changed != len(formulas):
            raise RuntimeError(f"{workbook.name}: {changed} of {len(formulas)} formula cells "
                               "given a false cached value")  # fmt: skip
    done = recalculate([*workbooks, *copies.values()], folder, program)
    computed = {}
    for workbook in workbooks:
        wanted = formula_values(workbook).keys()
        values = {}
        for source in (workbook, copies[workbook]):
            # LibreOffice saves a TRUE typed in as the formula TRUE(): only the workbook's own
            # formula cells count.
            every = formula_values(done[source])
            lost = sorted(wanted - every.keys())
            if lost:
                raise RuntimeError(f"{source.name}: formula cells lost by LibreOffice: {lost[:10]}")
            found = {key: every[key] for key in wanted}
            unset = [k for k, v in found.items() if v is None or v == STALE]
            if unset:
                raise RuntimeError(f"{source.name}: {len(unset)} formula cells not recalculated "
                                   f"by LibreOffice, such as {unset[:5]}")  # fmt: skip
            values[source] = found
        differ = [k for k in wanted if values[workbook][k] != values[copies[workbook]][k]]
        if differ:
            raise RuntimeError(f"{workbook.name}: the copy with false cached values gives "
                               f"other values at {differ[:10]}")  # fmt: skip
        computed[workbook] = values[copies[workbook]]
    return computed


def reference_text(commands: list[str], version: str, values: dict[str, object]) -> str:
    """A reference file's text: sorted keys, one cell a line."""
    data = {"command": commands, "libreoffice": version, "values": values}
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def conversion_command(name: str) -> str:
    """How LibreOffice recalculated ``name`` (for the reference file)."""
    return (f"soffice -env:UserInstallation=<new profile, recalculation on load: always, "
            f"locale en-US> --headless --norestore --convert-to xlsx {name}")  # fmt: skip


def main() -> int:
    program = soffice()
    if program is None:
        print("LibreOffice (soffice) is not installed: nothing recorded", file=sys.stderr)
        return 1
    version = libreoffice_version(program)
    REFERENCES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        made = {}
        for name, command in EXAMPLES.items():
            (folder / name).mkdir()
            made[name] = make(command, folder / name)
        computed = computed_by_libreoffice(list(made.values()), folder, program)
        for name, workbook in made.items():
            commands = [EXAMPLES[name], conversion_command(workbook.name)]
            path = REFERENCES / f"{name}.json"
            path.write_text(reference_text(commands, version, computed[workbook]), "utf-8")
            print(f"wrote {path.relative_to(ROOT)}: {len(computed[workbook])} formula cells")
    return 0


if __name__ == "__main__":
    sys.exit(main())
