"""An output file is whole or absent: the atomic write a fill makes thousands of times."""

from __future__ import annotations

import os
import stat

import pytest

from kpi_planner.files import atomic
from kpi_planner.files.output_names import remove_stale_temporaries


def test_a_write_lands_whole_with_the_permissions_of_a_new_file(tmp_path):
    data = os.urandom(300_000)  # larger than one write of some systems
    target = atomic.write_atomic(tmp_path / "EMEA.xlsx", data)
    assert target.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == ["EMEA.xlsx"]  # no temporary left
    if os.name != "nt":  # 0o666 less the umask, as open() gives a new file
        mask = os.umask(0o022)
        os.umask(mask)
        assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask


def test_a_write_creates_its_folder_and_replaces_an_older_file(tmp_path):
    target = tmp_path / "plans" / "2027" / "EMEA.xlsx"
    atomic.write_atomic(target, b"first")
    atomic.write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert sorted(p.name for p in target.parent.iterdir()) == ["EMEA.xlsx"]


def test_a_write_cut_off_midway_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "EMEA.xlsx"
    target.write_bytes(b"old")
    real_write = os.write
    calls = []

    def write_then_interrupt(handle, data):
        calls.append(len(data))
        if len(calls) == 2:  # Ctrl-C after the first part of the file is on disk
            raise KeyboardInterrupt
        return real_write(handle, data[:1000])  # a short write: the rest must follow

    monkeypatch.setattr(atomic.os, "write", write_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_atomic(target, b"new" * 1000)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["EMEA.xlsx"]
    assert calls == [3000, 2000]  # the short write was followed by the rest


def test_a_name_another_process_holds_is_skipped_not_shared(tmp_path, monkeypatch):
    # A name already taken (by a process on another host drawing the same token, say):
    # O_EXCL turns the clash into the next name, never a file written by two.
    count = next(atomic._temporary_count) + 1
    monkeypatch.setattr(atomic, "_temporary_count", iter(range(count, count + 10)))
    unique = f"{atomic._TEMPORARY_TOKEN}-{count:x}"
    taken = tmp_path / f".EMEA.xlsx.{unique}{atomic.TEMPORARY_SUFFIX}"
    taken.write_bytes(b"another process's half")
    atomic.write_atomic(tmp_path / "EMEA.xlsx", b"mine")
    assert (tmp_path / "EMEA.xlsx").read_bytes() == b"mine"
    assert taken.read_bytes() == b"another process's half"


def test_a_killed_write_leaves_a_temporary_the_next_run_removes(tmp_path, monkeypatch):
    # A process killed between create and rename cannot clean up: the next fill does,
    # by the temporaries' name pattern.
    monkeypatch.setattr(atomic.os, "replace", lambda *_: None)  # killed before the rename
    atomic.write_atomic(tmp_path / "EMEA.xlsx", b"half")
    monkeypatch.undo()
    (left,) = tmp_path.iterdir()
    assert left.name.startswith(".EMEA.xlsx.")
    assert left.name.endswith(atomic.TEMPORARY_SUFFIX)
    (tmp_path / "notes.tmp").write_bytes(b"the user's")
    assert remove_stale_temporaries(tmp_path, (".xlsx",)) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["notes.tmp"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_a_forked_worker_draws_its_own_temporary_names():
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the worker: report its token and leave at once
        os.write(write, atomic._TEMPORARY_TOKEN.encode())
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    token = os.read(read, 64).decode()
    os.close(read)
    assert token
    assert token != atomic._TEMPORARY_TOKEN
