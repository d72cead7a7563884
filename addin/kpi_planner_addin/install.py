"""Install the add-in for Excel on Windows or macOS: the .xlam and the interpreter setting.

``install`` copies the add-in into Excel's startup folder, so Excel opens it on start, and
writes the user-level xlwings config file where the add-in's VBA (xlwings' ``Config``
module, ``GetConfigFilePath``) reads it, with this Python as the interpreter the add-in
starts: on Windows ``%USERPROFILE%\\.kpi_planner\\kpi_planner.conf``; on macOS, inside
Excel's sandbox, ``~/Library/Containers/com.microsoft.Excel/Data/kpi_planner.conf`` (what
AppleScript's "path to home folder" gives sandboxed Excel). The VBA reads the file with
``Open ... For Input``, which decodes bytes in the system's ANSI code page, not UTF-8, so the
file is written in that code page. On any other system it refuses: there is no desktop
Excel to install into.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from kpi_planner.workbook.xlsx import write_atomic

from . import build, vba_project


class InstallError(RuntimeError):
    """Installing is not possible here; the message says why and what to do instead."""


@dataclass(frozen=True)
class Installed:
    addin: Path
    config: Path


def startup_folder(platform: str, home: Path, environ: dict[str, str]) -> Path:
    """Excel's startup folder (XLSTART) for the current user."""
    if platform.startswith("win"):
        appdata = environ.get("APPDATA") or str(home / "AppData" / "Roaming")
        return Path(appdata) / "Microsoft" / "Excel" / "XLSTART"
    if platform == "darwin":
        return (home / "Library" / "Group Containers" / "UBF8T346G9.Office" / "User Content"
                / "Startup" / "Excel")  # fmt: skip
    raise InstallError(
        f"Excel add-ins install on Windows or macOS, not on {platform!r}. Here, use the "
        "command line (kpi-planner plan / build / fill) or the workbooks in workbooks/; in "
        "Excel on the web, use xlwings Lite."
    )


def config_text(interpreter: str, platform: str) -> str:
    """The xlwings config file: one ``"KEY","value"`` line per setting."""
    key = "Interpreter_Win" if platform.startswith("win") else "Interpreter_Mac"
    return f'"{key}","{interpreter}"\n'


def config_path(platform: str, home: Path) -> Path:
    """Where the add-in's VBA looks for its user config file."""
    name = f"{vba_project.CONFIG_NAME}.conf"
    if platform == "darwin":
        return home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / name
    return home / f".{vba_project.CONFIG_NAME}" / name


def config_encoding(platform: str) -> str:
    """The code page VBA's file input decodes: Windows' ANSI code page ("mbcs" on Windows
    itself; cp1252, the Western default, when simulating Windows elsewhere); Mac Roman on
    macOS, the legacy encoding of VBA's file I/O there."""
    if platform.startswith("win"):
        return "mbcs" if sys.platform.startswith("win") else "cp1252"
    return "mac_roman"


def config_bytes(interpreter: str, platform: str) -> bytes:
    """The config file's bytes, or :class:`InstallError` if the interpreter's path has a
    character the code page VBA reads cannot hold (VBA would read another path)."""
    encoding = config_encoding(platform)
    try:
        return config_text(interpreter, platform).encode(encoding, errors="strict")
    except UnicodeEncodeError:
        bad = "".join(c for c in interpreter if not _encodes(c, encoding))
        raise InstallError(
            f"the Python path {interpreter!r} has {bad!r}, which Excel's VBA cannot read from "
            f"its config file (it reads {encoding}): install Python (or a virtual "
            "environment) under a folder whose name has no such characters, and run "
            "kpi-planner addin install from there"
        ) from None


def install(
    platform: str | None = None,
    home: Path | None = None,
    environ: dict[str, str] | None = None,
    interpreter: str | None = None,
) -> Installed:
    """Build the add-in into the startup folder and write the interpreter setting."""
    platform = platform or sys.platform
    home = home or Path.home()
    environ = dict(os.environ if environ is None else environ)
    folder = startup_folder(platform, home, environ)
    if interpreter is None:
        executable = Path(sys.executable)
        windowed = executable.with_name("pythonw.exe")  # no console window on each call
        interpreter = str(
            windowed if platform.startswith("win") and windowed.exists() else executable
        )
    data = config_bytes(interpreter, platform)  # before anything is written
    folder.mkdir(parents=True, exist_ok=True)
    addin = build.write_xlam(folder / build.ADDIN_FILE)
    config = config_path(platform, home)
    config.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(config, data)
    return Installed(addin, config)


def _encodes(character: str, encoding: str) -> bool:
    try:
        character.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True
