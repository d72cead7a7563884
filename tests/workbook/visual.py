"""The visual check: the template's sheets rendered by LibreOffice, compared with reference
images a person has looked at.

LibreOffice (headless) prints the workbook to PDF as Excel would print it: each of a sheet's
print areas landscape, one page wide, with the sheet's name in the page header. Each page
becomes a PNG named after its sheet (``Diagnosis-1.png``...). A page differs from its
reference when, after both are shrunk to a quarter of their size (so a glyph's
anti-aliasing does not count), more than :data:`TOLERANCE` of it has changed; the header and
footer bands are left out, since they carry the day the page is printed.

Regenerate the references after a deliberate layout change, then look at each image::

    python -m tests.workbook.visual --update
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "workbooks" / "marketing-plan.xlsx"
REFERENCES = Path(__file__).resolve().parent / "reference"
SCALE = 1.5  # PDF points to pixels: a landscape Letter page is 1188 x 918
SHRINK = 4
CHANGED = 0.08  # a shrunk pixel changed by more than 8 % of full grey counts as changed
TOLERANCE = 0.002  # share of a page's shrunk pixels that may change
MARGIN_BANDS = 0.07  # top and bottom share of a page (header, footer) left out


#: The fonts the reference images were drawn with (Debian's packages in .ci/run): Carlito
#: stands in for the workbook's Calibri; without it LibreOffice draws another font and
#: every page differs.
FONTS = ("Carlito", "Liberation Sans", "DejaVu Sans")


def soffice() -> str | None:
    """The LibreOffice program, if this machine has one."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def missing() -> list[str]:
    """What this machine lacks to draw the pages as the references were: LibreOffice, and
    each font by name (fontconfig's ``fc-list`` knows them)."""
    if soffice() is None:
        return ["LibreOffice (soffice)"]
    if shutil.which("pdftotext") is None:
        return ["pdftotext (poppler-utils)"]
    listing = shutil.which("fc-list")
    if listing is None:
        return ["fontconfig (fc-list)"]
    families = subprocess.run([listing, ":", "family"], capture_output=True, text=True,
                              check=False).stdout.lower()  # fmt: skip
    return [f"the {font} font" for font in FONTS if font.lower() not in families]


def printed(workbook: Path, folder: Path) -> Path:
    """``workbook`` as LibreOffice prints it: its PDF, in ``folder``."""
    program = soffice()
    if program is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory() as scratch:
        # A profile of its own, so a LibreOffice the user has open is not disturbed.
        profile = Path(scratch, "profile").as_uri()
        subprocess.run(
            [program, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(folder), str(workbook)],
            check=True, capture_output=True, timeout=900,  # a hang, not a slow machine
        )  # fmt: skip
    return folder / workbook.with_suffix(".pdf").name


def render(workbook: Path, folder: Path) -> dict[str, Path]:
    """Each printed page of ``workbook`` as a PNG in ``folder``, by sheet and page number."""
    import pypdfium2  # the test extra's PDF renderer: only this check needs it

    with tempfile.TemporaryDirectory() as scratch:
        pdf = pypdfium2.PdfDocument(printed(workbook, Path(scratch)))
        pages: dict[str, Path] = {}
        counts: dict[str, int] = {}
        for page in pdf:
            sheet = _sheet_of(page.get_textpage().get_text_range())
            counts[sheet] = counts.get(sheet, 0) + 1
            path = folder / f"{sheet}-{counts[sheet]}.png"
            page.render(scale=SCALE).to_pil().convert("L").save(path, optimize=True)
            pages[path.stem] = path
        pdf.close()
    return pages


#: A printed page is readable when the median height of its words' boxes (pdftotext's,
#: the font's ascent to descent) is at least this, in points: about 7 pt type (11 pt
#: printed at 100 % gives 14.3), and it holds at least :data:`MIN_WORDS` words.
MIN_WORD_HEIGHT = 9.0
MIN_WORDS = 30
HEADER_BAND = 0.05  # the page header's line: the file, the sheet, the day printed


def unreadable(pdf: Path) -> list[str]:
    """The pages of ``pdf`` that are not readable (see :data:`MIN_WORD_HEIGHT`), in words."""
    return [f"page {k} ({sheet}): {words} words, median height {height:.2f} pt"
            for k, (sheet, words, height) in enumerate(readability(pdf), start=1)
            if words < MIN_WORDS or height < MIN_WORD_HEIGHT]  # fmt: skip


def readability(pdf: Path) -> list[tuple[str, int, float]]:
    """Each page of ``pdf``: its sheet (from the page header), the words in its cells and
    their boxes' median height in points; the header and footer bands are left out."""
    found = []
    for sheet, words, height in _pages(pdf):
        band = height * MARGIN_BANDS
        body = [y1 - y0 for y0, y1, _, _ in words if band <= y0 and y1 <= height - band]
        found.append((sheet, len(body), float(np.median(body)) if body else 0.0))
    return found


def first_words(pdf: Path) -> list[tuple[str, str]]:
    """Each page of ``pdf``: its sheet and the first word below its page header: the top
    row's leftmost (a row's words may sit a few points apart: wrapped, or another size)."""
    found = []
    for sheet, words, height in _pages(pdf):
        below = [w for w in words if height * HEADER_BAND <= w[0] < height * (1 - HEADER_BAND)]
        top = min((w[0] for w in below), default=0.0)
        row = [w for w in below if w[0] <= top + 6]
        found.append((sheet, min(row, key=lambda w: w[3])[2] if row else ""))
    return found


def _pages(pdf: Path) -> list[tuple[str, list[tuple[float, float, str, float]], float]]:
    """Each page's sheet, its words as (top, bottom, text, left) and its height (points)."""
    program = shutil.which("pdftotext")
    if program is None:
        raise RuntimeError("pdftotext (poppler-utils) is not installed")
    html = subprocess.run([program, "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    pages = []
    for page in html.split("<page ")[1:]:
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        words = [(float(y0), float(y1), text, float(x0)) for x0, y0, y1, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
            page)]  # fmt: skip
        header = " ".join(text for y0, _, text, _ in words if y0 < height * HEADER_BAND)
        sheet = re.sub(r"^\S+\.xlsx\s*|\s*Printed .*$", "", header).strip() or "unknown"
        pages.append((sheet, words, height))
    return pages


def _sheet_of(text: str) -> str:
    """The sheet a page prints, from its header (the file, the sheet, the date)."""
    for line in text.splitlines():
        if line.strip().startswith("Page "):
            continue
        match = re.fullmatch(r"\s*\S+\.xlsx\s*(.+?)\s+Printed .*", line)
        if match:
            return match.group(1).replace(" ", "_")
    return "unknown"


def shrunk(path: Path) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as image:
        pixels = np.asarray(image.convert("L"), dtype=float) / 255
    height, width = (s - s % SHRINK for s in pixels.shape)
    blocks = pixels[:height, :width].reshape(height // SHRINK, SHRINK, width // SHRINK, SHRINK)
    small = blocks.mean(axis=(1, 3))
    band = int(small.shape[0] * MARGIN_BANDS)
    return small[band : small.shape[0] - band]


def differences(pages: dict[str, Path], references: Path = REFERENCES) -> list[str]:
    """What differs between rendered ``pages`` and the reference images, in words."""
    found = []
    wanted = {path.stem: path for path in references.glob("*.png")}
    for missing in sorted(wanted.keys() - pages.keys()):
        found.append(f"{missing}: in the references, not printed now")
    for extra in sorted(pages.keys() - wanted.keys()):
        found.append(f"{extra}: printed now, no reference image")
    for name in sorted(pages.keys() & wanted.keys()):
        now, before = shrunk(pages[name]), shrunk(wanted[name])
        if now.shape != before.shape:
            found.append(f"{name}: page size {now.shape} differs from {before.shape}")
            continue
        changed = float((np.abs(now - before) > CHANGED).mean())
        if changed > TOLERANCE:
            found.append(f"{name}: {changed:.2%} of the page changed (tolerance {TOLERANCE:.2%})")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="rewrite the reference images")
    parser.add_argument("workbook", nargs="?", type=Path, default=TEMPLATE)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        pages = render(args.workbook, Path(scratch))
        if args.update:
            REFERENCES.mkdir(exist_ok=True)
            for old in REFERENCES.glob("*.png"):
                old.unlink()
            for path in pages.values():
                shutil.copy(path, REFERENCES / path.name)
            print(f"wrote {len(pages)} reference images to {REFERENCES}: look at each one")
            return 0
        found = differences(pages)
    print("\n".join(found) or f"{len(pages)} pages match their references")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
