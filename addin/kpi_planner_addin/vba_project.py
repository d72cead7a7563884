"""The add-in's VBA project (vbaProject.bin), built from source on any system.

The base is the VBA project of xlwings' own ribbon add-in template (``quickstart_addin_
ribbon.xlam`` of the pinned xlwings): its project information and library references are
kept as Excel wrote them, and so are its xlwings runtime module (with this add-in's
name), its ``Dictionary`` class and its sheet's document module. The modules are then
written anew: the generated ribbon callbacks (whose ribbon ``onLoad`` registers the
functions' help, so no auto-run ``Workbook_Open`` is needed), function wrappers and help
registration of :mod:`.build`.
Like the projects xlwings ships, it holds source only, no compiled p-code
(``_VBA_PROJECT`` is the 7-byte header): Excel compiles the source when it opens the file.
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import olefile

from . import cfb, ovba
from .config_file import CONFIG_NAME  # xlwings reads settings from kpi_planner.conf

TEMPLATE = "quickstart_addin_ribbon.xlam"
PROJECT_NAME = "KpiPlanner"
CODEPAGE = "cp1252"
_PROJECTMODULES, _PROJECTNAME, _PROJECTVERSION = 0x000F, 0x0004, 0x0009


@dataclass(frozen=True)
class Module:
    """A VBA module: its name, its source (``Attribute`` lines included) and its kind."""

    name: str
    source: str
    kind: str  # "module", "class" or "document"
    docstring: bytes = b""  # MODULEDOCSTRING as the template has it (code page)
    docstring_unicode: bytes = b""  # and its UTF-16 twin


def template_path() -> Path:
    import xlwings

    return Path(xlwings.__file__).parent / TEMPLATE


def _records(data: bytes) -> list[tuple[int, bytes]]:
    """The dir stream's records as (id, raw bytes of the whole record)."""
    records, position = [], 0
    while position < len(data):
        record_id, size = struct.unpack_from("<HI", data, position)
        # PROJECTVERSION's size field says 4, but 6 bytes follow it
        end = position + 6 + (6 if record_id == _PROJECTVERSION else size)
        records.append((record_id, data[position:end]))
        position = end
    return records


def _record(record_id: int, data: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(data)) + data


def read_template() -> tuple[bytes, list[Module], bytes, bytes]:
    """xlwings' template project: its dir stream before the modules, its modules, and its
    PROJECT and PROJECTwm streams."""
    with zipfile.ZipFile(template_path()) as package:
        ole = olefile.OleFileIO(io.BytesIO(package.read("xl/vbaProject.bin")))
    from oletools.olevba import decompress_stream

    directory = bytes(decompress_stream(bytearray(ole.openstream(["VBA", "dir"]).read())))
    records = _records(directory)
    split = next(i for i, (record_id, _) in enumerate(records) if record_id == _PROJECTMODULES)
    head = b"".join(raw for _, raw in records[:split])
    modules, name, offset, kind = [], None, 0, "module"
    docstrings = [b"", b""]
    for record_id, raw in records[split:]:
        data = raw[6:]
        if record_id == 0x0019:  # MODULENAME
            name = data.decode(CODEPAGE)
        elif record_id == 0x001C:  # MODULEDOCSTRING
            docstrings[0] = data
        elif record_id == 0x0048:  # its Unicode part
            docstrings[1] = data
        elif record_id == 0x0031:  # MODULEOFFSET
            offset = struct.unpack("<I", data)[0]
        elif record_id == 0x0022:  # MODULETYPE: document or class
            kind = "document-or-class"
        elif record_id == 0x002B:  # the module's terminator
            stream = ole.openstream(["VBA", name]).read()
            source = bytes(decompress_stream(bytearray(stream[offset:]))).decode(CODEPAGE)
            if kind != "module":
                kind = "class" if 'VB_Base = "0{FCFB3D2A' in source else "document"
            modules.append(Module(name, source, kind, *docstrings))
            kind, docstrings = "module", [b"", b""]
    project = ole.openstream("PROJECT").read()
    project_wm = ole.openstream("PROJECTwm").read()
    return head, modules, project, project_wm


def _dir_stream(head: bytes, modules: list[Module]) -> bytes:
    """The dir stream: the template's information and references, our modules."""
    renamed = []
    for record_id, raw in _records(head):
        if record_id == _PROJECTNAME:
            raw = _record(_PROJECTNAME, PROJECT_NAME.encode(CODEPAGE))
        renamed.append(raw)
    out = bytearray(b"".join(renamed))
    out += _record(_PROJECTMODULES, struct.pack("<H", len(modules)))
    out += _record(0x0013, struct.pack("<H", 0xFFFF))  # PROJECTCOOKIE
    for module in modules:
        name = module.name.encode(CODEPAGE)
        unicode_name = module.name.encode("utf-16-le")
        out += _record(0x0019, name)  # MODULENAME
        out += _record(0x0047, unicode_name)  # MODULENAMEUNICODE
        out += _record(0x001A, name) + _record(0x0032, unicode_name)  # MODULESTREAMNAME
        out += _record(0x001C, module.docstring)  # MODULEDOCSTRING
        out += _record(0x0048, module.docstring_unicode)
        out += _record(0x0031, struct.pack("<I", 0))  # MODULEOFFSET: source at the start
        out += _record(0x001E, struct.pack("<I", 0))  # MODULEHELPCONTEXT
        out += _record(0x002C, struct.pack("<H", 0xFFFF))  # MODULECOOKIE
        out += _record(0x0021 if module.kind == "module" else 0x0022, b"")  # MODULETYPE
        out += _record(0x002B, b"")  # terminator of the module
    out += _record(0x0010, b"")  # terminator of the modules
    return bytes(out)


def _project_stream(template: bytes, modules: list[Module]) -> bytes:
    """The PROJECT stream: the template's id and protection fields, our module list."""
    lines = template.decode(CODEPAGE).split("\r\n")
    kept = [line for line in lines if line.startswith(("ID=", "HelpContextID=", "VersionCompat",
                                                       "CMG=", "DPB=", "GC="))]  # fmt: skip
    ident, rest = kept[0], kept[1:]
    items = []
    for module in modules:
        if module.kind == "document":
            items.append(f"Document={module.name}/&H00000000")
        elif module.kind == "class":
            items.append(f"Class={module.name}")
        else:
            items.append(f"Module={module.name}")
    text = [ident, *items, f'Name="{PROJECT_NAME}"', *rest, "",
            "[Host Extender Info]",
            "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000", "",
            "[Workspace]", *(f"{m.name}=0, 0, 0, 0, C" for m in modules), ""]  # fmt: skip
    return "\r\n".join(text).encode(CODEPAGE)


def _project_wm(modules: list[Module]) -> bytes:
    out = bytearray()
    for module in modules:
        out += module.name.encode(CODEPAGE) + b"\0" + module.name.encode("utf-16-le") + b"\0\0"
    return bytes(out + b"\0\0")


def modules(generated: dict[str, str]) -> list[Module]:
    """The add-in's modules: the template's runtime pieces and our generated ones."""
    _, template_modules, _, _ = read_template()
    result = []
    for module in template_modules:
        if module.name == "xlwings":
            source = module.source.replace('PROJECT_NAME As String = "myaddin"',
                                           f'PROJECT_NAME As String = "{CONFIG_NAME}"')  # fmt: skip
            result.append(Module(module.name, source, "module", module.docstring,
                                 module.docstring_unicode))  # fmt: skip
        elif module.name.startswith("Ribbon"):
            continue  # the template's sample ribbon module; ours replaces it
        else:
            result.append(module)
    for file_name, source in generated.items():
        if file_name.endswith(".bas"):
            result.append(Module(file_name.removesuffix(".bas"), source, "module"))
    return result


def vba_project_bin(generated: dict[str, str]) -> bytes:
    """The vbaProject.bin of the add-in, for the generated sources of :mod:`.build`."""
    head, _, project, _ = read_template()
    all_modules = modules(generated)
    streams = {
        "PROJECT": _project_stream(project, all_modules),
        "PROJECTwm": _project_wm(all_modules),
        "VBA/_VBA_PROJECT": bytes.fromhex("CC61FFFF000100"),
        "VBA/dir": ovba.compress(_dir_stream(head, all_modules)),
    }
    for module in all_modules:
        streams[f"VBA/{module.name}"] = ovba.compress(module.source.encode(CODEPAGE))
    return cfb.write(streams)
