"""Issue 31: the restructuring changed no output. Every case of :mod:`tests.golden.cases`
(plan, build, templates, fill, pipeline and report in every format) leaves exactly what it
left when it was recorded, byte for byte (workbooks part by part)."""

import json

import pytest

from tests.golden.cases import CASES, ROOT, expected_path, run


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_output_is_unchanged(case, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    expected = json.loads(expected_path(case).read_text("utf-8"))
    actual = json.loads(json.dumps(run(case, tmp_path / "out"), ensure_ascii=False))
    assert actual == expected
