"""Writing a file atomically: a temporary beside it, then a rename.

Every output of the tool (workbooks, the summary, JSON, the add-in, the compiled-template
cache) goes through here, so a reader never sees half a file. Plain ``os`` only: a fill
that writes raw zips must not pay openpyxl's import to reach it.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from pathlib import Path

#: The ending of the temporary file an atomic write renames into place.
TEMPORARY_SUFFIX = ".tmp"


#: How a temporary file is opened: created, never an existing one (O_EXCL), written as bytes
#: (O_BINARY on Windows), not inherited by child processes.
_CREATE_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
                 | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOINHERIT", 0))  # fmt: skip
#: Temporary names: a random token per process (workers on several hosts may share a
#: folder) and a count. O_EXCL makes a clash an error to retry, never a shared file.
_TEMPORARY_TOKEN = os.urandom(4).hex()
_temporary_count = itertools.count()


def _new_temporary_token() -> None:
    global _TEMPORARY_TOKEN  # a forked worker draws its own (it would share its parent's)
    _TEMPORARY_TOKEN = os.urandom(4).hex()


if hasattr(os, "register_at_fork"):  # POSIX; a spawned process imports this module anew
    os.register_at_fork(after_in_child=_new_temporary_token)


def create_temporary(path: Path) -> tuple[int, str]:
    """A new, empty temporary file beside ``path`` (its folder created if missing), open
    for writing: its handle and name, ``.EMEA.xlsx.<token>-<count>.tmp``, the pattern
    :func:`kpi_planner.files.output_names.remove_stale_temporaries` removes after a killed run. It
    has the permissions of any new file (0o666 less the umask), which the rename keeps."""
    folder, name = os.path.split(path)
    while True:
        unique = f"{_TEMPORARY_TOKEN}-{next(_temporary_count):x}"
        temporary = os.path.join(folder, f".{name}.{unique}{TEMPORARY_SUFFIX}")
        try:  # mode 0o666: the umask applies, as to any new file
            return os.open(temporary, _CREATE_FLAGS, 0o666), temporary
        except FileExistsError:  # a name another process took: take the next
            continue
        except FileNotFoundError:
            if os.path.isdir(folder or "."):
                raise
            os.makedirs(folder, exist_ok=True)


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    Ctrl-C, a killed process or a full disk leaves the old file (or none), never half a
    workbook: the rename is atomic and only happens once every byte is written. The file
    gets the permissions of any new file (0o666 less the umask, typically 0o644), so
    colleagues and cluster workers can read it. There is no fsync per file (it would cost
    more than writing a workbook); surviving a power cut mid-batch is left to the file
    system, and a rerun rewrites what is missing. A missing folder is created.

    Four system calls a file (create, write, close, rename): a fill writes thousands, and
    ``tempfile.mkstemp`` with ``fdopen``, ``fchmod`` and a ``mkdir`` took eleven.
    """
    path = Path(path)
    handle, temporary = create_temporary(path)
    try:
        try:
            view = memoryview(data)
            while view:  # a write may take fewer bytes than asked
                view = view[os.write(handle, view) :]
        finally:
            os.close(handle)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return path
