"""The compiled template kept on disk: a second run loads what the first compiled, and a
cache that is broken, stale or unwritable costs a compile, never an error."""

from __future__ import annotations

import os

import pytest

from kpi_planner.plan import one_plan
from kpi_planner.workbook.render import compiled as fast
from kpi_planner.workbook.render import compiled_cache

from .test_compiled import fast_workbook

STAGES = len(one_plan.PlanInputs().stages)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("KPI_PLANNER_CACHE_DIR", str(folder))
    monkeypatch.delenv("KPI_PLANNER_NO_CACHE", raising=False)
    return folder


def compiles(monkeypatch) -> list[int]:
    """Count the compiles from here on."""
    calls: list[int] = []

    def counted(stages):
        calls.append(stages)
        return fast.CompiledPlan(stages)

    monkeypatch.setattr(compiled_cache, "_compile", counted)
    return calls


def test_a_second_run_loads_the_template_and_writes_the_same_workbook(cache, monkeypatch):
    first = compiled_cache.compiled_plan(STAGES)
    [stored] = cache.glob(f"plan-{STAGES}-*.pickle")
    calls = compiles(monkeypatch)
    second = compiled_cache.compiled_plan(STAGES)
    assert calls == []  # loaded, not compiled
    assert second is not first
    inputs = one_plan.PlanInputs()
    assert fast_workbook(second, inputs) == fast_workbook(first, inputs)
    assert stored.parent.stat().st_mode & 0o077 == 0 or os.name == "nt"  # the user's alone


def test_a_broken_cache_file_is_compiled_again_and_replaced(cache, monkeypatch):
    compiled_cache.compiled_plan(STAGES)
    [stored] = cache.glob("plan-*.pickle")
    stored.write_bytes(b"half a pickle")
    calls = compiles(monkeypatch)
    assert compiled_cache.compiled_plan(STAGES).stages == STAGES
    assert calls == [STAGES]
    assert stored.read_bytes() != b"half a pickle"


def test_changed_code_compiles_afresh_and_drops_the_old_template(cache, monkeypatch):
    compiled_cache.compiled_plan(STAGES)
    [old] = cache.glob("plan-*.pickle")
    monkeypatch.setattr(compiled_cache, "code_key", lambda: "another-version-of-the-code")
    calls = compiles(monkeypatch)
    compiled_cache.compiled_plan(STAGES)
    assert calls == [STAGES]
    assert [p.name for p in cache.glob("plan-*.pickle")] == [
        f"plan-{STAGES}-another-version-of-the-code.pickle"
    ]
    assert not old.exists()


def test_an_unwritable_cache_folder_still_gives_the_template(tmp_path, monkeypatch):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("KPI_PLANNER_CACHE_DIR", str(blocker / "cache"))
    assert compiled_cache.compiled_plan(STAGES).stages == STAGES


def test_the_key_changes_with_any_source_file_or_version(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "a.py").write_text("A = 1\n")
    (package / "sub" / "b.py").write_text("B = 2\n")
    (package / "notes.txt").write_text("not code")

    def key(versions=("3.11", "2.4")):
        return compiled_cache.source_digest(tmp_path, ("pkg",), versions)

    first = key()
    assert key() == first
    assert len(first) == 20
    (package / "notes.txt").write_text("still not code")
    assert key() == first
    assert key(("3.11", "2.5")) != first
    (package / "sub" / "b.py").write_text("B = 3\n")
    assert key() != first


def test_no_cache_compiles_every_time(cache, monkeypatch):
    monkeypatch.setenv("KPI_PLANNER_NO_CACHE", "1")
    calls = compiles(monkeypatch)
    compiled_cache.compiled_plan(STAGES)
    assert calls == [STAGES]
    assert not cache.exists()


def test_each_currency_keeps_a_template_of_its_own(cache, monkeypatch):
    plain = compiled_cache.compiled_plan(STAGES)
    euros = compiled_cache.compiled_plan(STAGES, "EUR")
    assert (plain.currency, euros.currency) == ("", "EUR")
    key = compiled_cache.code_key()
    # (As sets: the order of the names depends on whether the key starts with a digit.)
    assert {p.name for p in cache.glob("plan-*.pickle")} == {
        f"plan-{STAGES}-EUR-{key}.pickle", f"plan-{STAGES}-{key}.pickle"}  # fmt: skip
    calls = compiles(monkeypatch)
    assert compiled_cache.compiled_plan(STAGES, "EUR").currency == "EUR"  # loaded, not compiled
    assert calls == []
