"""When the visual check runs: only with LibreOffice and every font of the references (a
machine with LibreOffice but not Carlito failed it, though README says it is skipped)."""

import shutil

from . import visual


def test_a_missing_font_is_named(monkeypatch):
    monkeypatch.setattr(visual, "FONTS", ("Carlito", "No Such Font 4711"))
    monkeypatch.setattr(visual, "soffice", lambda: "/usr/bin/soffice")
    lacking = visual.missing()
    if shutil.which("fc-list") is None:
        assert lacking == ["fontconfig (fc-list)"]
    else:
        assert "the No Such Font 4711 font" in lacking


def test_missing_libreoffice_is_named_first(monkeypatch):
    monkeypatch.setattr(visual, "soffice", lambda: None)
    assert visual.missing() == ["LibreOffice (soffice)"]
