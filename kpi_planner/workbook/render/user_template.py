"""Fill a user's own workbook by its defined names, leaving everything else as it is.

A marketer's own plan workbook (.xlsx or .xlsm) that defines the documented input names
(``RevenueGoal``, ``DealSize``, ``StageRates``, ...) can be the template of a batch.
Compiling it finds the cells those names point to; writing a scenario replaces just those
cells' XML. Every other part of the file (other sheets, styles, charts, VBA) is copied
byte for byte. Formulas keep their text but lose their stale cached results, and the
workbook is marked to recalculate on open: only the built-in plan layout is known well
enough to cache values computed by :mod:`kpi_engine`.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

from kpi_engine import KPIInputError, Problem
from kpi_planner.plan import one_plan
from kpi_planner.workbook.render.xml_holes import Hole, cut_holes, fill_holes
from kpi_planner.workbook.render.zip_parts import Part, deflated_part, zip_parts

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CACHED = re.compile(r"(<f\b[^>]*/>|<f\b[^>]*>.*?</f>)<v>[^<]*</v>", re.DOTALL)
_CALC_PR = re.compile(r"<calcPr\b[^>]*?/>")

SCALAR_NAMES = one_plan.SCALAR_INPUT_NAMES
RANGE_NAMES = one_plan.RANGE_INPUT_NAMES


def _raw_parts(data: bytes) -> dict[str, Part]:
    """Every entry of a zip as it is stored, compressed bytes included, for copying as is."""
    parts = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            start = info.header_offset
            name_length, extra_length = struct.unpack("<HH", data[start + 26 : start + 30])
            body = start + 30 + name_length + extra_length
            raw = data[body : body + info.compress_size]
            parts[info.filename] = Part(
                info.filename.encode(), info.CRC, info.file_size, raw, info.compress_type
            )
    return parts


def _inflate(part: Part) -> bytes:
    if part.method == zipfile.ZIP_STORED:
        return part.data
    return zlib.decompress(part.data, -15)


class CompiledWorkbook:
    """A user's workbook compiled for filling many scenarios by defined name.

    Raises :class:`~kpi_engine.KPIInputError` when the workbook cannot serve: not an
    .xlsx/.xlsm file, or an input name that points at an empty cell.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        data = self.path.read_bytes()
        try:
            self._parts = _raw_parts(data)
        except zipfile.BadZipFile:
            raise KPIInputError(
                [Problem("--template", str(path), "is not an .xlsx or .xlsm workbook")]
            ) from None
        workbook = _inflate(self._parts["xl/workbook.xml"]).decode("utf-8")
        sheets = self._sheet_parts(workbook)
        self.inputs: dict[str, tuple[str, str]] = {}  # scenario column -> (sheet part, ref)
        for name, destination in self._defined_names(workbook).items():
            sheet_name, _, cells = destination.rpartition("!")
            sheet_name = sheet_name.strip("'").replace("''", "'")
            if sheet_name not in sheets:
                continue
            refs = _cells(cells.replace("$", ""))
            if name in SCALAR_NAMES and len(refs) == 1:
                self.inputs[SCALAR_NAMES[name]] = (sheets[sheet_name], refs[0])
            elif name in RANGE_NAMES:
                for i, ref in enumerate(refs, start=1):
                    self.inputs[f"{RANGE_NAMES[name]}{i}"] = (sheets[sheet_name], ref)
        self.stage_count = sum(1 for column in self.inputs if column.startswith("stage_")) or (
            sum(1 for column in self.inputs if column.startswith("rate_")) + 1
        )
        self._sheets = {
            part: self._compile_sheet(part, _inflate(self._parts[part]).decode("utf-8"))
            for part in sorted({part for part, _ in self.inputs.values()})
        }
        # Stale cached results go from every sheet; the workbook recalculates on open.
        for part in [p for p in self._parts if p.startswith("xl/worksheets/sheet")]:
            if part not in self._sheets:
                text = _inflate(self._parts[part]).decode("utf-8")
                stripped = _CACHED.sub(r"\1", text)
                if stripped != text:
                    self._parts[part] = deflated_part(part, stripped.encode("utf-8"), once=True)
        self._parts["xl/workbook.xml"] = deflated_part(
            "xl/workbook.xml", _recalculate_on_open(workbook).encode("utf-8"), once=True
        )

    def defaults(self) -> dict[str, object]:
        """The template's own input values, by scenario column (for columns a table lacks)."""
        workbook = _inflate(self._parts["xl/workbook.xml"]).decode("utf-8")
        title_of = {part: title for title, part in self._sheet_parts(workbook).items()}
        book = openpyxl.load_workbook(self.path)
        return {
            column: book[title_of[part]][ref].value for column, (part, ref) in self.inputs.items()
        }

    def _sheet_parts(self, workbook: str) -> dict[str, str]:
        """Sheet name -> its part in the zip, through the workbook's relationships."""
        rels = ElementTree.fromstring(_inflate(self._parts["xl/_rels/workbook.xml.rels"]))
        targets = {
            rel.get("Id"): rel.get("Target", "").lstrip("/")
            for rel in rels.iter(f"{_PKG_REL}Relationship")
        }
        parts = {}
        for sheet in ElementTree.fromstring(workbook).iter(f"{_MAIN}sheet"):
            target = targets.get(sheet.get(f"{_REL}id"), "")
            parts[sheet.get("name")] = target if target.startswith("xl/") else f"xl/{target}"
        return parts

    @staticmethod
    def _defined_names(workbook: str) -> dict[str, str]:
        names = {}
        for defined in ElementTree.fromstring(workbook).iter(f"{_MAIN}definedName"):
            if defined.get("localSheetId") is None and defined.text:
                names[defined.get("name")] = defined.text
        return names

    def _compile_sheet(self, part: str, text: str) -> tuple[list[Hole], str]:
        wanted = {ref: column for column, (where, ref) in self.inputs.items() if where == part}
        holes, tail = cut_holes(_CACHED.sub(r"\1", text), wanted, {})
        missing = sorted(wanted.keys() - {hole.ref for hole in holes})
        if missing:
            cells = ", ".join(missing)
            rule = f"has empty input cells ({cells} on {part}): type a value in each first"
            raise KPIInputError([Problem("--template", str(self.path), rule)])
        return holes, tail

    def workbook(self, row: Mapping[str, object]) -> bytes:
        """The filled workbook for one scenario row (columns of :func:`one_plan.scenario_row`)."""
        parts = dict(self._parts)
        for part, (holes, tail) in self._sheets.items():
            parts[part] = deflated_part(part, fill_holes(holes, tail, row, {}))
        return zip_parts(list(parts.values()))


def _cells(reference: str) -> list[str]:
    """Cell references of a range in row-major order (one cell for a single reference)."""
    min_col, min_row, max_col, max_row = range_boundaries(reference)
    return [
        f"{get_column_letter(col)}{row}"
        for row in range(min_row, max_row + 1)
        for col in range(min_col, max_col + 1)
    ]


def _recalculate_on_open(workbook: str) -> str:
    """workbook.xml with ``fullCalcOnLoad="1"`` in its calcPr (added when missing)."""
    if _CALC_PR.search(workbook):

        def mark(match: re.Match) -> str:
            element = re.sub(r'\sfullCalcOnLoad="[^"]*"', "", match.group(0))
            return element[:-2].rstrip() + ' fullCalcOnLoad="1"/>'

        return _CALC_PR.sub(mark, workbook, count=1)
    for anchor in ("</definedNames>", "</sheets>"):
        if anchor in workbook:
            return workbook.replace(anchor, anchor + '<calcPr fullCalcOnLoad="1"/>', 1)
    return workbook
