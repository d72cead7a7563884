"""Write many filled plan workbooks fast: compile the template once, then only fill its holes.

The template is the .xlsx that :mod:`.xlsx` (openpyxl) writes for the plan layout. Compiling
it compresses every part but the Plan sheet once, and cuts the Plan sheet's XML into fixed
text and *holes*: the input cells and the formula cells. Writing a scenario fills each input
hole with its value and each formula hole with the formula and its cached value computed by
:mod:`kpi_engine`, compresses that one part, and lays out the zip around the parts compressed
at compile time. The openpyxl path stays the reference: the tests check that both give the
same cells.
"""

from __future__ import annotations

import io
import math
import re
import struct
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

import numpy as np

from . import plan, tracking, xlsx

PLAN_PART = "xl/worksheets/sheet1.xml"

_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.DOTALL)
_STYLE = re.compile(r'\ss="([0-9]+)"')
_FORMULA = re.compile(r"<f>.*?</f>", re.DOTALL)

# 2026-01-01 00:00 as a DOS date and time, the stamp of every entry (as in xlsx.FIXED_TIME).
_DOS_TIME = 0
_DOS_DATE = ((2026 - 1980) << 9) | (1 << 5) | 1


@dataclass(frozen=True)
class _Part:
    name: bytes
    crc: int
    size: int
    data: bytes  # as stored: a raw deflate stream, or the bytes themselves
    method: int = zipfile.ZIP_DEFLATED


def _deflate(data: bytes, level: int) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _part(name: str, data: bytes, level: int) -> _Part:
    return _Part(name.encode(), zlib.crc32(data), len(data), _deflate(data, level))


def zip_parts(parts: Sequence[_Part]) -> bytes:
    """A zip archive (APPNOTE 6.3) of already-deflated parts, in order."""
    out = bytearray()
    central = bytearray()
    for part in parts:
        offset = len(out)
        fields = (20, 0, part.method, _DOS_TIME, _DOS_DATE, part.crc, len(part.data), part.size)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, len(part.name), 0)
        out += part.name
        out += part.data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, len(part.name), 0, 0, 0, 0, 0, offset
        )
        central += part.name
    start = len(out)
    out += central
    out += struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central), start, 0
    )
    return bytes(out)


def _number(value: object) -> str:
    # float.__repr__ is the shortest text that reads back as the same double; numpy's
    # float64 is a float, so it takes the same path.
    return float.__repr__(value) if isinstance(value, float) else repr(int(value))


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


@dataclass(frozen=True)
class _Hole:
    """One cell of the Plan sheet that changes per scenario, with its fixed text around it."""

    before: str  # the sheet's text since the previous hole
    opening: str  # '<c r="B6" s="3"'
    formula: str | None  # '<f>...</f>' for a formula cell
    source: object  # scenario column (input) or (output name, index) (formula)

    @property
    def ref(self) -> str:
        return self.opening.split('"')[1]

    def render(self, row: Mapping[str, object], outputs: Mapping[str, object]) -> str:
        if self.formula is None:
            value = row[self.source]
            if isinstance(value, bool):
                return f'{self.opening} t="b"><v>{int(value)}</v></c>'
            if isinstance(value, str):
                return f'{self.opening} t="inlineStr"><is><t>{escape(value)}</t></is></c>'
            if _missing(value):
                return f"{self.opening}/>"
            return f"{self.opening}><v>{_number(value)}</v></c>"
        name, index = self.source
        value = outputs[name]
        for position in index:
            value = value[position]
        if type(value) is float and math.isfinite(value):  # the common case, kept short
            return f"{self.opening}>{self.formula}<v>{float.__repr__(value)}</v></c>"
        if isinstance(value, bool):
            return f'{self.opening} t="b">{self.formula}<v>{int(value)}</v></c>'
        if isinstance(value, str):
            return f'{self.opening} t="str">{self.formula}<v>{escape(value)}</v></c>'
        if _missing(value):
            return f"{self.opening}>{self.formula}</c>"
        return f"{self.opening}>{self.formula}<v>{_number(value)}</v></c>"


def cut_holes(
    text: str, inputs: Mapping[str, object], formulas: Mapping[str, object]
) -> tuple[list[_Hole], str]:
    """Cut a sheet's XML into fixed text and holes: the cells of ``inputs`` (ref -> scenario
    column) and ``formulas`` (ref -> output source). Returns the holes and the text after
    the last one; cells named but absent from the XML get no hole."""
    holes: list[_Hole] = []
    position = 0
    for match in _CELL.finditer(text):
        ref = match.group(1)
        if ref not in inputs and ref not in formulas:
            continue
        style = _STYLE.search(match.group(2))
        opening = f'<c r="{ref}"' + (f' s="{style.group(1)}"' if style else "")
        before = text[position : match.start()]
        position = match.end()
        if ref in inputs:
            holes.append(_Hole(before, opening, None, inputs[ref]))
            continue
        formula = _FORMULA.search(match.group(3) or "")
        assert formula is not None, f"{ref} should hold a formula"
        holes.append(_Hole(before, opening, formula.group(0), formulas[ref]))
    return holes, text[position:]


def fill_holes(
    holes: list[_Hole], tail: str, row: Mapping[str, object], outputs: Mapping[str, object]
) -> bytes:
    """The sheet's XML with every hole filled for one scenario."""
    pieces = []
    for hole in holes:
        pieces.append(hole.before)
        pieces.append(hole.render(row, outputs))
    pieces.append(tail)
    return "".join(pieces).encode("utf-8")


class CompiledPlan:
    """The plan workbook for one stage count, compiled for filling many scenarios.

    Parameters
    ----------
    stages
        The number of funnel stages of the plans to write.
    level
        zlib level for the Plan sheet of each scenario (1 is fastest, 9 smallest).
    """

    def __init__(self, stages: int, level: int = 1) -> None:
        template_inputs = plan.PlanInputs().replace(
            stages=tuple(f"Stage {i}" for i in range(1, stages + 1)), rates=(0.5,) * (stages - 1)
        )
        book = plan.plan_workbook(template_inputs)
        template = xlsx.xlsx_bytes(book)
        self.level = level
        self.stages = stages
        self._tracking_parts: dict[tuple[str, ...], dict[str, _Part]] = {}
        inputs = {ref: column for ref, (column, _) in plan.input_cells(stages).items()}
        # Each filled sheet: its part, its input cells, its formula cells and their sources.
        empty = tracking.values_without_actuals(template_inputs.stages)
        wanted = {
            plan.PLAN: (inputs, plan.formula_sources(stages)),
            **{title: ({}, {ref: (title, (ref,)) for ref in values})
               for title, values in empty.items()},
        }  # fmt: skip
        parts = {sheet.title: f"xl/worksheets/sheet{i}.xml"
                 for i, sheet in enumerate(book.sheets, start=1)}  # fmt: skip
        with zipfile.ZipFile(io.BytesIO(template)) as archive:
            names = archive.namelist()
            self._sheets = {
                parts[title]: self._compile(archive.read(parts[title]).decode("utf-8"), *cells)
                for title, cells in wanted.items()
            }
            # Every other part compressed once; the sheets' slots are filled per scenario.
            self._parts: list[_Part | str] = [
                name if name in self._sheets else _part(name, archive.read(name), 9)
                for name in names
            ]

    @staticmethod
    def _compile(text: str, inputs: Mapping[str, str], formulas: Mapping) -> tuple[list, str]:
        """A sheet's XML cut into fixed text and holes for its input and formula cells."""
        holes, tail = cut_holes(text, inputs, formulas)
        found = {hole.ref for hole in holes}
        if found != inputs.keys() | formulas.keys():  # the template and the layout disagree
            raise AssertionError(f"cells not in the template: {inputs.keys() - found}")
        return holes, tail

    def sheet_xml(
        self, row: Mapping[str, object], outputs: Mapping[str, object], part: str = PLAN_PART
    ) -> bytes:
        """A filled sheet's XML (the Plan sheet by default) for one scenario.

        ``row`` maps the columns of :func:`plan.scenario_row` to values; ``outputs`` maps
        each output's defined name (and ``StageNames``, ``Title``, and each tracking
        sheet's title) to its value, or its values as (nested) lists or a dict by cell,
        for this scenario, as :func:`outputs_of` gives them.
        """
        return fill_holes(*self._sheets[part], row, outputs)

    def workbook(self, row: Mapping[str, object], outputs: Mapping[str, object]) -> bytes:
        """The whole .xlsx file of one scenario, with cached values for every formula."""
        # The tracking sheets of a new plan depend on its stage names alone: render and
        # compress them once per set of names (most batches have one).
        key = tuple(outputs["StageNames"])
        tracking_parts = self._tracking_parts.get(key)
        if tracking_parts is None:
            tracking_parts = {
                part: _part(part, self.sheet_xml(row, outputs, part), self.level)
                for part in self._sheets
                if part != PLAN_PART
            }
            if len(self._tracking_parts) < 256:
                self._tracking_parts[key] = tracking_parts
        plan_part = _part(PLAN_PART, self.sheet_xml(row, outputs), self.level)
        filled = {**tracking_parts, PLAN_PART: plan_part}
        return zip_parts([filled[p] if isinstance(p, str) else p for p in self._parts])

    def workbook_from_sheet(self, sheet_xml: bytes) -> bytes:
        """The .xlsx file around a given Plan sheet XML, every other part fixed: rendered
        and compressed once, for the seed example (the benchmark's raw-zip floor)."""
        if not hasattr(self, "_fixed"):
            row = plan.scenario_row(plan.PlanInputs())
            outputs = outputs_of(row, plan.plan_outputs(plan.PlanInputs()).by_name())
            self._fixed = {
                part: _part(part, self.sheet_xml(row, outputs, part), self.level)
                for part in self._sheets
                if part != PLAN_PART
            }
        filled = {**self._fixed, PLAN_PART: _part(PLAN_PART, sheet_xml, self.level)}
        return zip_parts([filled[p] if isinstance(p, str) else p for p in self._parts])


def outputs_of(row: Mapping[str, object], by_name: Mapping[str, object]) -> dict[str, object]:
    """The values :meth:`CompiledPlan.sheet_xml` caches for one scenario: the plan's outputs
    by defined name (arrays become lists), the stage names and the title."""
    stages = sorted((k for k in row if k.startswith("stage_")), key=lambda k: int(k[6:]))
    outputs = {
        name: value.tolist() if isinstance(value, np.ndarray) else value
        for name, value in by_name.items()
    }
    outputs["StageNames"] = [str(row[k]) for k in stages]
    outputs["Title"] = plan.plan_title(row["plan_year"])
    # A new plan has no actuals: the tracking sheets show their empty state.
    outputs |= tracking.values_without_actuals(outputs["StageNames"], check=False)
    return outputs
