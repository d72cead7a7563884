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
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

import numpy as np
from openpyxl.utils.datetime import to_excel

try:  # orjson (the `fast` extra) prints a row's numbers in one call
    import orjson
except ImportError:
    orjson = None

from . import (
    channel_actuals,
    channel_formulas,
    channels,
    empty_state,
    goals,
    pipeline,
    plan,
    plan_channels,
    tracking,
    whatif,
    whatif_grid,
    xlsx,
)
from .zip_parts import Part, deflated_part, zip_parts

PLAN_PART = "xl/worksheets/sheet1.xml"
_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.DOTALL)
_STYLE = re.compile(r'\ss="([0-9]+)"')
_FORMULA = re.compile(r"<f>.*?</f>", re.DOTALL)


def _number(value: object) -> str:
    # float.__repr__ is the shortest text that reads back as the same double; numpy's
    # float64 is a float, so it takes the same path.
    return float.__repr__(value) if isinstance(value, float) else repr(int(value))


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def number_texts(numbers: np.ndarray) -> list[str]:
    """Each number as the text of a cell's value: whole numbers (below 1e16) as integers,
    the others as the shortest text that reads back as the same double; a number that is
    not finite (a cell with no value) as "".

    Printing a double is the costly part of filling a sheet (a workbook caches about 2,500
    numbers). With the `fast` extra, orjson prints the whole row in one call (its shortest
    round-trip digits, 10-20x faster than ``repr`` number by number); without it each
    distinct number is printed once by ``float.__repr__``. The two may differ in form
    (``1e-7`` or ``1e-07``), never in the double the text reads back as.

    >>> number_texts(np.array([8334.0, 0.1, -0.0, 2.0**60, 0.1, np.nan]))
    ['8334', '0.1', '0', '1.152921504606847e+18', '0.1', '']
    """
    if orjson is None:
        return _number_texts_by_repr(numbers)
    # + 0.0 turns -0.0 into 0.0 (IEEE 754), which prints as "0" like the other path.
    text = orjson.dumps(np.add(numbers, 0.0, dtype=float), option=orjson.OPT_SERIALIZE_NUMPY)
    # "[8334.0,0.1,null]": a whole number below 1e16 prints with ".0" (larger ones with an
    # exponent), NaN and the infinities as null.
    body = (text[1:-1] + b",").replace(b".0,", b",").replace(b"null", b"")
    return body.decode("ascii").split(",")[:-1] if len(numbers) else []


def _number_texts_by_repr(numbers: np.ndarray) -> list[str]:
    """:func:`number_texts` without orjson: each distinct number printed once (a plan
    repeats many: even months, a month in two tables), a whole one as an integer."""
    distinct, where = np.unique(numbers, return_inverse=True)  # NaN once: np.unique folds it
    finite = np.isfinite(distinct)
    with np.errstate(invalid="ignore"):
        integral = (distinct == np.trunc(distinct)) & (np.abs(distinct) < 1e16)
    texts = list(map(int.__repr__, np.where(integral, distinct, 0).astype(np.int64).tolist()))
    fractional = np.flatnonzero(~integral & finite).tolist()
    for slot, text in zip(fractional, map(float.__repr__, distinct[fractional].tolist()),
                          strict=True):  # fmt: skip
        texts[slot] = text
    for slot in np.flatnonzero(~finite).tolist():
        texts[slot] = ""
    return [texts[i] for i in where.tolist()]


@dataclass(frozen=True)
class RowNumbers:
    """One scenario's cached numbers for the sheets filled per scenario, with their texts."""

    values: np.ndarray  # each slot's number (NaN: no value)
    texts: list[str]  # each slot's text, "" for no value


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
            # The two common kinds first (an empty channel slot, a number): 150 inputs a
            # workbook, mostly these.
            if value is None or (type(value) is float and value != value):
                return f"{self.opening}/>"
            if type(value) is float and value - value == 0.0:  # finite
                return f"{self.opening}><v>{float.__repr__(value)}</v></c>"
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


@dataclass(frozen=True)
class _NumberSheet:
    """A sheet cut for filling whole chunks: fixed text between slots; each slot either a
    formula's cached number (a column of the chunk's number matrix) or a hole rendered per
    row. ``pieces`` is the fixed text with ``None`` between, for ``pieces[1::2] = slots``."""

    pieces: list[str | None]
    labels: list[tuple[int, _Hole]]  # (slot, hole) of the text formula cells
    inputs: list[tuple[int, _Hole]]  # (slot, hole) of the input cells
    numbers: list[tuple[str, tuple[int, ...]] | None]  # each slot's number's source


def _number_sheet(holes: list[_Hole], tail: str, numeric: set[str]) -> _NumberSheet:
    pieces: list[str | None] = []
    generic, numbers = [], []
    current = ""
    for hole in holes:
        source = hole.source if hole.formula is not None else None
        if source is not None and source[0] in numeric:
            # <c ...><f>...</f><v> | number | </v></c>; without <v></v> when not finite
            pieces += [current + hole.before + hole.opening + ">" + hole.formula + "<v>", None]
            current = "</v></c>"
            numbers.append(source)
        else:
            pieces += [current + hole.before, None]
            current = ""
            generic.append((len(numbers), hole))
            numbers.append(None)
    pieces.append(current + tail)
    labels = [(slot, hole) for slot, hole in generic if hole.formula is not None]
    inputs = [(slot, hole) for slot, hole in generic if hole.formula is None]
    return _NumberSheet(pieces, labels, inputs, numbers)


class CompiledPlan:
    """The plan workbook for one stage count, compiled for filling many scenarios.

    Parameters
    ----------
    stages
        The number of funnel stages of the plans to write.
    """

    #: Outputs the per-scenario sheets show as text (not in :meth:`numbers`), by name.
    TEXT_OUTPUTS = ("TimelineLabels", "PipelineCheck", *plan_channels.TEXT_OUTPUTS)

    def __init__(self, stages: int) -> None:
        template_inputs = plan.PlanInputs().replace(
            stages=tuple(f"Stage {i}" for i in range(1, stages + 1)), rates=(0.5,) * (stages - 1)
        )
        book = plan.plan_workbook(template_inputs)
        template = xlsx.xlsx_bytes(book)
        self.stages = stages
        self._tracking_parts: dict[tuple[str, ...], dict[str, Part]] = {}
        inputs = {ref: column for ref, (column, _) in plan.input_cells(stages).items()}
        # Each filled sheet: its part, its input cells, its formula cells and their sources.
        empty = empty_state.values_without_actuals(template_inputs.stages)
        pipeline_inputs = {ref: column for ref, (column, _) in pipeline.input_cells().items()}
        # The example goals' dates follow each plan's year.
        example_dates = {ref: ref for ref in goals.example_date_cells(plan.DEFAULT_PLAN_YEAR)}
        channel_inputs = {ref: column for ref, (column, _) in channels.input_cells(stages).items()}
        step = {ref: column for ref, (column, _) in whatif_grid.input_cells().items()}
        wanted = {
            plan.PLAN: (inputs, plan.formula_sources(stages)),
            pipeline.PIPELINE: (pipeline_inputs, pipeline.formula_sources()),
            channels.CHANNELS: (channel_inputs, channel_formulas.formula_sources(stages)),
            whatif.WHATIF: (step, whatif.formula_sources(stages)),
            **{title: (example_dates if title == tracking.GOALS else {},
                       {ref: (title, (ref,)) for ref in values})
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
            self._parts: list[Part | str] = [
                name if name in self._sheets else deflated_part(name, archive.read(name), once=True)
                for name in names
            ]
        # The numbers of the sheets filled per scenario (Plan, Pipeline) come from one
        # matrix per chunk of rows: each slot's column is its output's offset plus the index
        # of its cell in that output.
        template_outputs = plan.plan_outputs(template_inputs).by_name()
        shapes = {name: np.shape(value) for name, value in template_outputs.items()
                  if np.asarray(value).dtype.kind == "f"}  # fmt: skip
        texts = set(template_outputs) - set(shapes)
        if texts != set(self.TEXT_OUTPUTS):
            raise AssertionError(f"text outputs: {texts}")
        self._numeric = list(shapes)
        per_scenario = (plan.PLAN, pipeline.PIPELINE, channels.CHANNELS, whatif.WHATIF)
        self._filled = {parts[title]: _number_sheet(*self._sheets[parts[title]], set(shapes))
                        for title in per_scenario}  # fmt: skip
        # Each such sheet's text formula cells, by the outputs they show (and the stage
        # names and title, which are not outputs of the engine).
        self._texts = {part: sorted({hole.source[0] for _, hole in sheet.labels})
                       for part, sheet in self._filled.items()}  # fmt: skip
        # The text formula cells (stage names, title, month labels, the curve's check)
        # depend on few inputs: rendered once per set of them.
        self._labels: dict[tuple, list[tuple[int, str]]] = {}
        self._cuts: dict[tuple[str, bytes], list] = {}
        sizes = [math.prod(shape) for shape in shapes.values()]
        offsets = dict(zip(shapes, np.cumsum([0, *sizes[:-1]]).tolist(), strict=True))
        columns, self._slices, start = [], {}, 0
        for part, sheet in self._filled.items():
            columns += [offsets[source[0]] + (np.ravel_multi_index(source[1], shapes[source[0]])
                                              if source[1] else 0) if source else 0
                        for source in sheet.numbers]  # fmt: skip
            self._slices[part] = slice(start, len(columns))
            start = len(columns)
        self._columns = np.array(columns, dtype=np.intp)

    @staticmethod
    def _compile(text: str, inputs: Mapping[str, str], formulas: Mapping) -> tuple[list, str]:
        """A sheet's XML cut into fixed text and holes for its input and formula cells."""
        holes, tail = cut_holes(text, inputs, formulas)
        found = {hole.ref for hole in holes}
        if found != inputs.keys() | formulas.keys():  # the template and the layout disagree
            raise AssertionError(f"cells not in the template: {inputs.keys() - found}")
        return holes, tail

    def numbers(self, outputs: Mapping[str, object], rows: int) -> np.ndarray:
        """The cached numbers of the sheets filled per scenario, for ``rows`` scenarios:
        (rows, slots of the Plan sheet, then of the Pipeline sheet).

        ``outputs`` maps each output's defined name to its values for every row (a leading
        axis of rows), as :func:`kpi_planner.workbook.scenarios.plan_outputs_frame` gives
        them. One gather for a whole chunk instead of a lookup per cell per row.
        """
        flat = [np.asarray(outputs[name], dtype=float).reshape(rows, -1) for name in self._numeric]
        return np.concatenate(flat, axis=1)[:, self._columns]

    def chunk_numbers(self, outputs: Mapping[str, object], rows: int) -> list[RowNumbers]:
        """:meth:`numbers` of ``rows`` scenarios with their texts, each distinct number of a
        row printed once. (Row by row: most numbers differ between rows, and one sort of a
        whole chunk's numbers costs more than a sort of each row's, measured.)"""
        matrix = self.numbers(outputs, rows)
        return [RowNumbers(values, number_texts(values)) for values in matrix]

    def sheet_xml(
        self,
        row: Mapping[str, object],
        outputs: Mapping[str, object],
        part: str = PLAN_PART,
        numbers: RowNumbers | None = None,
    ) -> bytes:
        """A filled sheet's XML (the Plan sheet by default) for one scenario.

        ``row`` maps the columns of :func:`plan.scenario_row` to values; ``outputs`` maps
        each output's defined name (and ``StageNames``, ``Title``, and each tracking
        sheet's title) to its value, or its values as (nested) lists or a dict by cell,
        for this scenario, as :func:`outputs_of` gives them. ``numbers``: this row of
        :meth:`chunk_numbers`, when the caller gathered a chunk's (else gathered here).
        """
        sheet = self._filled.get(part)
        if sheet is None:
            return fill_holes(*self._sheets[part], row, outputs)
        if numbers is None:
            numbers = self.chunk_numbers({name: [outputs[name]] for name in self._numeric}, 1)[0]
        where = self._slices[part]
        texts = numbers.texts[where]
        pieces = self._pieces_for(part, sheet, ~np.isfinite(numbers.values[where]))
        # repr of the lists of names is C-speed: a key per row costs microseconds.
        key = (part, repr([outputs[name] for name in self._texts[part]]))
        labels = self._labels.get(key)
        if labels is None:
            labels = [(slot, hole.render(row, outputs)) for slot, hole in sheet.labels]
            if len(self._labels) < 256:
                self._labels[key] = labels
        for slot, text in labels:
            texts[slot] = text
        for slot, hole in sheet.inputs:
            texts[slot] = hole.render(row, outputs)
        pieces[1::2] = texts
        return "".join(pieces).encode("utf-8")

    def _pieces_for(self, part: str, sheet: _NumberSheet, missing: np.ndarray) -> list:
        """The sheet's fixed text for a row whose ``missing`` slots have no finite value: a
        formula without one is written without its <v></v>. The empty slots (unused
        channels and levers) are mostly the same row after row: cut once per pattern."""
        key = (part, missing.tobytes())
        cut = self._cuts.get(key)
        if cut is None:
            cut = sheet.pieces.copy()
            for slot in np.flatnonzero(missing).tolist():
                cut[2 * slot] = cut[2 * slot].removesuffix("<v>")
                cut[2 * slot + 2] = cut[2 * slot + 2].removeprefix("</v>")
            if len(self._cuts) < 256:
                self._cuts[key] = cut
        return cut.copy()

    def workbook(
        self,
        row: Mapping[str, object],
        outputs: Mapping[str, object],
        numbers: RowNumbers | None = None,
    ) -> bytes:
        """The whole .xlsx file of one scenario, with cached values for every formula
        (``numbers`` as for :meth:`sheet_xml`)."""
        # The tracking sheets of a new plan depend on its stage names, year, channel names
        # and entry stage alone: render and compress them once per set of those (most
        # batches have one).
        stages, names, entry = _tracking_inputs(row, outputs)
        key = (*stages, row["plan_year"], *names, entry)
        tracking_parts = self._tracking_parts.get(key)
        if tracking_parts is None:
            # A new plan has no actuals: the tracking sheets show their empty state.
            empty = outputs | empty_state.values_without_actuals(stages, False, names, entry)
            tracking_parts = {
                part: deflated_part(part, self.sheet_xml(_with_example_dates(row), empty, part))
                for part in self._sheets
                if part not in self._filled
            }
            if len(self._tracking_parts) < 256:
                self._tracking_parts[key] = tracking_parts
        filled = {**tracking_parts,
                  **{part: deflated_part(part, self.sheet_xml(row, outputs, part, numbers))
                     for part in self._filled}}  # fmt: skip
        return zip_parts([filled[p] if isinstance(p, str) else p for p in self._parts])

    def _seed(self) -> tuple[dict[str, object], dict[str, object]]:
        """The seed example's scenario row and its outputs, with the tracking sheets' empty
        state (computed once: the benchmark's floor writes them into every workbook)."""
        if not hasattr(self, "_seed_values"):
            row = _with_example_dates(plan.scenario_row(plan.PlanInputs()))
            outputs = outputs_of(row, plan.plan_outputs(plan.PlanInputs()).by_name())
            stages, names, entry = _tracking_inputs(row, outputs)
            outputs |= empty_state.values_without_actuals(stages, False, names, entry)
            self._seed_values = (row, outputs)
        return self._seed_values

    def seed_sheets(self) -> dict[str, bytes]:
        """The XML of each sheet filled per scenario (Plan, Pipeline), for the seed example:
        what the benchmark's raw-zip floor writes into every workbook."""
        row, outputs = self._seed()
        return {part: self.sheet_xml(row, outputs, part) for part in self._filled}

    def workbook_from_sheets(self, sheets: Mapping[str, bytes]) -> bytes:
        """The .xlsx file around given XML for the sheets filled per scenario (by part), every
        other part fixed: rendered and compressed once, for the seed example (the
        benchmark's raw-zip floor, which fills and computes nothing)."""
        if not hasattr(self, "_fixed"):
            row, outputs = self._seed()
            self._fixed = {part: deflated_part(part, self.sheet_xml(row, outputs, part))
                           for part in self._sheets if part not in self._filled}  # fmt: skip
        filled = {**self._fixed, **{part: deflated_part(part, xml) for part, xml in sheets.items()}}
        return zip_parts([filled[p] if isinstance(p, str) else p for p in self._parts])


def _tracking_inputs(
    row: Mapping[str, object], outputs: Mapping[str, object]
) -> tuple[list[str], tuple[object, ...], str]:
    """What a new plan's tracking sheets show besides constants: the stage names, the
    channel names by slot (an empty one None: a table's NaN equals nothing, so None keeps a
    cache key equal) and the entry stage's name ("": none valid)."""
    stages = outputs["StageNames"]
    given = (row.get(f"chname_{i}") for i in range(1, channels.SLOTS + 1))
    names = tuple(None if _missing(name) else name for name in given)
    entry = channel_actuals.entry_position(outputs["ChannelEntryIndex"])
    return stages, names, "" if entry is None else stages[entry]


def _with_example_dates(row: Mapping[str, object]) -> dict[str, object]:
    """The scenario row and, by cell, the Excel dates of its year's example goals."""
    dates = goals.example_date_cells(int(row["plan_year"]))
    return {**row, **{ref: to_excel(day) for ref, day in dates.items()}}


def outputs_of(row: Mapping[str, object], by_name: Mapping[str, object]) -> dict[str, object]:
    """The values :meth:`CompiledPlan.workbook` caches for one scenario: the plan's outputs
    by defined name (arrays become lists), the stage names and the title. (The tracking
    sheets' empty state is added where they are rendered, once per set of stage names.)"""
    stages = sorted((k for k in row if k.startswith("stage_")), key=lambda k: int(k[6:]))
    outputs = {
        name: value.tolist() if isinstance(value, np.ndarray) else value
        for name, value in by_name.items()
    }
    outputs["StageNames"] = [str(row[k]) for k in stages]
    outputs["Title"] = plan.plan_title(row["plan_year"])
    return outputs
