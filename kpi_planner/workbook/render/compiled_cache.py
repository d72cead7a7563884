"""The compiled plan template kept on disk between runs, so a fill starts in milliseconds.

Compiling the template (:class:`.compiled.CompiledPlan`: openpyxl writes the whole plan
workbook, which is then cut into fixed text and holes) costs 1-2 s, in every process that
writes workbooks: the command and each of its workers. The result depends on nothing but
this package's code and the libraries that write it, so it is pickled once per stage count
into the user's cache folder, under a key made of the hash of every source file of
``kpi_planner`` and ``kpi_engine`` and the versions of Python, numpy and openpyxl: any
change to them compiles afresh. A cache that cannot be read or written is skipped, never an
error. ``KPI_PLANNER_CACHE_DIR`` moves the folder; ``KPI_PLANNER_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
from importlib import metadata
from pathlib import Path

from kpi_planner.files import atomic
from kpi_planner.workbook.render import compiled as fast

_PACKAGES = ("kpi_planner", "kpi_engine")


def cache_folder() -> Path:
    """Where compiled templates are kept: ``KPI_PLANNER_CACHE_DIR``, else the platform's
    per-user cache folder (``%LOCALAPPDATA%``, ``~/Library/Caches``, ``$XDG_CACHE_HOME`` or
    ``~/.cache``) with a ``kpi-planner`` folder in it."""
    given = os.environ.get("KPI_PLANNER_CACHE_DIR")
    if given:
        return Path(given)
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "kpi-planner"


@functools.cache
def code_key() -> str:
    """A digest of everything a compiled template depends on: the source of both packages
    (file by file, in order) and the versions of Python, numpy and openpyxl."""
    versions = (sys.version, metadata.version("numpy"), metadata.version("openpyxl"))
    return source_digest(Path(fast.__file__).resolve().parents[3], _PACKAGES, versions)


def source_digest(root: Path, packages: tuple[str, ...], versions: tuple[str, ...]) -> str:
    """20 hex digits of SHA-256 over ``versions`` and every ``.py`` file of ``packages``
    under ``root`` (its path and bytes, in sorted order)."""
    digest = hashlib.sha256()
    for version in versions:
        digest.update(version.encode() + b"\0")
    for package in packages:
        for source in sorted((root / package).rglob("*.py")):
            digest.update(source.relative_to(root).as_posix().encode() + b"\0")
            digest.update(source.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def compiled_plan(stages: int, currency: str = "") -> fast.CompiledPlan:
    """The compiled plan template for ``stages`` stages and money in ``currency`` (an ISO
    code; ``""``: none): from the cache when this code compiled it before, else compiled
    now (and kept for the next run)."""
    if os.environ.get("KPI_PLANNER_NO_CACHE"):
        return _compile_now(stages, currency)
    path = cache_folder() / f"{_stem(stages, currency)}-{code_key()}.pickle"
    found = _load(path, stages, currency)
    if found is not None:
        return found
    compiled = _compile_now(stages, currency)
    _store(path, compiled)
    return compiled


def _stem(stages: int, currency: str) -> str:
    """The start of a template's file name: ``plan-6`` (no currency), ``plan-6-EUR``."""
    return f"plan-{stages}" + (f"-{currency}" if currency else "")


def _compile_now(stages: int, currency: str) -> fast.CompiledPlan:
    return _compile(stages, currency) if currency else _compile(stages)


def _compile(stages: int, currency: str = "") -> fast.CompiledPlan:
    return fast.CompiledPlan(stages, currency)


def _load(path: Path, stages: int, currency: str = "") -> fast.CompiledPlan | None:
    try:
        with path.open("rb") as stream:
            # Only a file this user wrote is trusted to unpickle (the folder is private).
            if hasattr(os, "getuid") and os.fstat(stream.fileno()).st_uid != os.getuid():
                return None
            found = pickle.load(stream)
    except Exception:  # absent, unreadable or from a broken write: compile instead
        return None
    if (isinstance(found, fast.CompiledPlan) and found.stages == stages
            and getattr(found, "currency", "") == currency):  # fmt: skip
        return found
    return None


def _store(path: Path, compiled: fast.CompiledPlan) -> None:
    """Write the pickle atomically into a folder private to the user, removing the
    templates of other code."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic.write_atomic(path, pickle.dumps(compiled, protocol=pickle.HIGHEST_PROTOCOL))
        # Another code's templates of the same stem (plan-6-<key>, plan-6-EUR-<key>), not
        # another currency's: the key is 20 hex digits, a currency 3 letters.
        stem = _stem(compiled.stages, compiled.currency)
        for old in path.parent.glob(f"{stem}-{'[0-9a-f]' * 20}.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:  # a read-only or full disk: the next run compiles again
        pass
