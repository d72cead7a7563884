"""Install the add-in for Excel on Windows or macOS: the .xlam and the interpreter setting.

``install`` copies the add-in into Excel's startup folder, so Excel opens it on start, and
writes the user-level xlwings config file ``~/.kpi_planner/kpi_planner.conf`` (Windows:
``%USERPROFILE%\\.kpi_planner\\``) with this Python as the interpreter the add-in starts.
On any other system it refuses: there is no desktop Excel to install into.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

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
    folder.mkdir(parents=True, exist_ok=True)
    addin = build.write_xlam(folder / build.ADDIN_FILE)
    config_folder = home / f".{vba_project.CONFIG_NAME}"
    config_folder.mkdir(parents=True, exist_ok=True)
    config = config_folder / f"{vba_project.CONFIG_NAME}.conf"
    config.write_text(config_text(interpreter, platform), encoding="utf-8")
    return Installed(addin, config)
