"""The add-in's user config file: where its VBA reads it, and in which code page.

xlwings' ``Config`` module (``GetConfigFilePath``) reads ``%USERPROFILE%\\.<name>\\<name>.conf``
on Windows and, on macOS, ``<name>.conf`` in the home folder that sandboxed Excel sees,
``~/Library/Containers/com.microsoft.Excel/Data``. It reads the file with ``Open ... For
Input``, which decodes bytes in the system's ANSI code page, not UTF-8.
"""

from __future__ import annotations

import sys
from pathlib import Path

#: The name xlwings' runtime in the add-in reads its settings under (``PROJECT_NAME``).
CONFIG_NAME = "kpi_planner"


class InstallError(RuntimeError):
    """Installing is not possible here; the message says why and what to do instead."""


def config_text(interpreter: str, platform: str) -> str:
    """The xlwings config file: one ``"KEY","value"`` line per setting."""
    key = "Interpreter_Win" if platform.startswith("win") else "Interpreter_Mac"
    return f'"{key}","{interpreter}"\n'


def config_path(platform: str, home: Path) -> Path:
    """Where the add-in's VBA looks for its user config file."""
    name = f"{CONFIG_NAME}.conf"
    if platform == "darwin":
        return home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / name
    return home / f".{CONFIG_NAME}" / name


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


def _encodes(character: str, encoding: str) -> bool:
    try:
        character.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True
