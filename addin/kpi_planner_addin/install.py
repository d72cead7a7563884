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

from kpi_planner.files.atomic import write_atomic

from . import build
from .config_file import InstallError, config_bytes, config_path

__all__ = ["InstallError", "Installed", "config_bytes", "config_path", "install",
           "startup_folder"]  # fmt: skip


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
