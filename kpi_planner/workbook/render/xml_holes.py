"""The cells of a sheet's XML that change per workbook, cut out as *holes*.

A sheet's XML, as openpyxl writes it, is fixed text around the cells a fill changes: the
input cells (a scenario's value) and the formula cells (the formula and its cached value).
:func:`cut_holes` cuts the text once; :func:`fill_holes` writes it back with one workbook's
values. Both the built-in plan (:mod:`.compiled`) and a user's own template (:mod:`.user_template`)
are filled this way.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.DOTALL)
_STYLE = re.compile(r'\ss="([0-9]+)"')
_FORMULA = re.compile(r"<f>.*?</f>", re.DOTALL)


def escape(text: str) -> str:
    """``text`` as XML character data: ``&``, ``<`` and ``>`` as entities (what
    ``xml.sax.saxutils.escape`` does, without the 10 ms of imports it brings with it:
    ``urllib.request``, ``http.client``, ``ssl``).

    >>> escape("R&D <EMEA> -> APAC")
    'R&amp;D &lt;EMEA&gt; -&gt; APAC'
    """
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def number_text(value: object) -> str:
    """A number as a cell's value: a float as its shortest round-trip text, else an integer."""
    # float.__repr__ is the shortest text that reads back as the same double; numpy's
    # float64 is a float, so it takes the same path.
    return float.__repr__(value) if isinstance(value, float) else repr(int(value))


def is_missing(value: object) -> bool:
    """Whether a value leaves its cell empty: None, NaN or an infinity."""
    return value is None or (isinstance(value, float) and not math.isfinite(value))


@dataclass(frozen=True)
class Hole:
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
            return _cell_xml(self.opening, "", row[self.source])
        name, index = self.source
        value = outputs[name]
        for position in index:
            value = value[position]
        return _cell_xml(self.opening, self.formula, value)


def _cell_xml(opening: str, formula: str, value: object) -> str:
    """A cell's XML holding ``value``: an input's (``formula`` empty) or a formula's cached one."""
    # The common kinds first (a finite number, an empty channel slot): 150 inputs a
    # workbook, mostly these.
    if type(value) is float and value - value == 0.0:  # finite
        return f"{opening}>{formula}<v>{float.__repr__(value)}</v></c>"
    if value is None or is_missing(value):  # None tested here: no call for an empty slot
        return f"{opening}>{formula}</c>" if formula else f"{opening}/>"
    if isinstance(value, bool):
        return f'{opening} t="b">{formula}<v>{int(value)}</v></c>'
    if isinstance(value, str):
        if formula:
            return f'{opening} t="str">{formula}<v>{escape(value)}</v></c>'
        return f'{opening} t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    return f"{opening}>{formula}<v>{number_text(value)}</v></c>"


def cut_holes(
    text: str, inputs: Mapping[str, object], formulas: Mapping[str, object]
) -> tuple[list[Hole], str]:
    """Cut a sheet's XML into fixed text and holes: the cells of ``inputs`` (ref -> scenario
    column) and ``formulas`` (ref -> output source). Returns the holes and the text after
    the last one; cells named but absent from the XML get no hole."""
    holes: list[Hole] = []
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
            holes.append(Hole(before, opening, None, inputs[ref]))
            continue
        formula = _FORMULA.search(match.group(3) or "")
        assert formula is not None, f"{ref} should hold a formula"
        holes.append(Hole(before, opening, formula.group(0), formulas[ref]))
    return holes, text[position:]


def fill_holes(
    holes: list[Hole], tail: str, row: Mapping[str, object], outputs: Mapping[str, object]
) -> bytes:
    """The sheet's XML with every hole filled for one scenario."""
    pieces = []
    for hole in holes:
        pieces.append(hole.before)
        pieces.append(hole.render(row, outputs))
    pieces.append(tail)
    return "".join(pieces).encode("utf-8")
