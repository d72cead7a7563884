"""Output files of a batch: safe unique names, and the temporary files of atomic writes.

Every file is written to a hidden temporary file beside its destination and renamed into
place (:func:`kpi_planner.files.atomic.write_atomic`), so a reader never sees half a file.
An interrupted run removes its temporary files; one killed outright (no chance to clean
up) leaves them, and the next run into the same folder removes them.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from kpi_planner.files.atomic import TEMPORARY_SUFFIX

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                     *(f"LPT{i}" for i in range(1, 10))}  # fmt: skip
# Characters no file system takes (Windows' list, which includes the path separators),
# control characters, and '%' '#' that break links to the file.
_UNSAFE = re.compile(r'[<>:"/\\|?*%#\x00-\x1f\x7f]+')
#: Characters a file name keeps (in UTF-8 bytes, most file systems allow 255).
MAX_NAME_CHARACTERS = 100
_MAX_NAME_BYTES = 200


def safe_file_name(name: object, taken: set[str], suffix: str = ".xlsx") -> str:
    """A file name for a scenario that is safe on every system and not already ``taken``.

    Letters of every script are kept (``résumé — 日本``); path separators, characters
    Windows refuses, control characters and reserved Windows names (``CON``) are not; a
    name that a spreadsheet would read as a formula (``=...``, ``-5``) gets a leading
    ``_``; at most 100 characters (and 200 bytes). A clash (case-insensitive, as on
    Windows and macOS) gets ``-2``, ``-3``...

    >>> taken = set()
    >>> [safe_file_name(n, taken) for n in ["EMEA", "../etc/passwd", "CON", "emea", "", "-5%"]]
    ['EMEA.xlsx', 'etc_passwd.xlsx', '_CON.xlsx', 'emea-2.xlsx', 'scenario.xlsx', '_-5.xlsx']
    >>> safe_file_name("résumé — 日本", taken)
    'résumé — 日本.xlsx'
    """
    text = unicodedata.normalize("NFC", str(name))
    stem = _UNSAFE.sub("_", text).strip(" ._")
    stem = re.sub(r"_{2,}", "_", stem)[:MAX_NAME_CHARACTERS].strip(" ._")
    while len(stem.encode("utf-8")) > _MAX_NAME_BYTES:
        stem = stem[:-1]
    stem = stem or "scenario"
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED or stem[0] in "=+-@":
        stem = f"_{stem}"
    candidate, counter = stem, 1
    while f"{candidate}{suffix}".casefold() in taken:
        counter += 1
        candidate = f"{stem}-{counter}"
    taken.add(f"{candidate}{suffix}".casefold())
    return f"{candidate}{suffix}"


def remove_stale_temporaries(folder: Path, suffixes: tuple[str, ...]) -> int:
    """Remove the temporary files an earlier, killed run left in ``folder``; how many.

    Only files of this tool's own pattern are touched: hidden, named after a ``suffixes``
    file, ending in the temporary suffix (``.EMEA.xlsx.k3j2.tmp``).
    """
    if not folder.is_dir():
        return 0
    removed = 0
    for suffix in suffixes:
        for path in folder.glob(f".*{suffix}.*{TEMPORARY_SUFFIX}"):
            path.unlink(missing_ok=True)
            removed += 1
    return removed
