"""The sheets a fill writes anew for every scenario, cut into *slots* once per pattern.

Each cell that changes per scenario is a slot: a formula's cached number, a numeric input,
or a text cell (a stage name, a month label, a channel's name). Per scenario, a number slot
with a finite value is the only thing left to print; every other slot (a formula with no
value, an empty input, a text cell) reads the same row after row, so it is merged into the
fixed text around it, once per *pattern*: which slots hold a number and what the text cells
say. A batch has few patterns (the empty channel and lever slots are the same in every row),
so a scenario's sheets cost its share of one print of a block of rows' numbers
(:func:`.number_texts.number_bytes`) and one join per sheet, of bytes.

Many numbers are the same in every row of a chunk, too (the zeros of unused levers and of
months before a plan starts, the inputs a table leaves at the template's value): the
chunk's patterns print those once.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from kpi_planner.workbook.render.number_texts import number_bytes, number_texts
from kpi_planner.workbook.render.xml_holes import Hole

#: The kinds of slot.
NUMBER, INPUT, TEXT = "number", "input", "text"
#: How many patterns are kept (each about the size of the sheets' text).
PATTERNS_KEPT = 64
#: The fewest rows of a chunk whose shared numbers are printed once for the chunk: finding
#: them and fitting the sheets' text around them costs about as much as printing a few rows.
STEADY_ROWS = 16
#: Rows whose numbers are printed in one call (a block's texts are a few MB at most).
BLOCK_ROWS = 64
#: The values a numeric input slot prints as a number; anything else is rendered as text.
_NUMBER_TYPES = frozenset({float, int, type(None), np.float64, np.int64})


@dataclass(frozen=True)
class Slot:
    """One cell of a filled sheet that changes per scenario."""

    kind: str  # NUMBER (a formula's cached number), INPUT (a numeric input) or TEXT
    before: str  # the sheet's fixed text since the previous slot
    hole: Hole
    prefix: str = ""  # the cell's text before its number: '<c r="B6" s="3"><f>...</f><v>'
    empty: str = ""  # the whole cell of a formula with no value (kind NUMBER)

    SUFFIX = "</v></c>"  # the cell's text after its number


def number_slots(holes: Sequence[Hole], numeric: set[str], inputs: set[str]) -> list[Slot]:
    """A sheet's holes as slots: formulas showing an output of ``numeric`` and inputs whose
    columns are in ``inputs`` hold numbers; the other holes are text."""
    slots = []
    for hole in holes:
        if hole.formula is None and hole.source in inputs:
            slots.append(Slot(INPUT, hole.before, hole, prefix=f"{hole.opening}><v>"))
        elif hole.formula is not None and hole.source[0] in numeric:
            opening = f"{hole.opening}>{hole.formula}"
            # A formula whose output is NaN shows "" (an unused channel or lever row): its
            # cached value is empty, as openpyxl writes it, not missing.
            slots.append(Slot(NUMBER, hole.before, hole, f"{opening}<v>", f"{opening}<v /></c>"))
        else:
            slots.append(Slot(TEXT, hole.before, hole))
    return slots


class FilledSheets:
    """The sheets filled per scenario, by part: each a list of slots and the text after.

    :attr:`number_sources` lists the output cell of each NUMBER slot, in order across the
    sheets: the caller gathers those values into the ``numbers`` of :meth:`render`.
    """

    def __init__(self, sheets: Mapping[str, tuple[list[Slot], str]]) -> None:
        self._sheets = dict(sheets)
        self.parts = frozenset(self._sheets)
        slots = [slot for part_slots, _ in self._sheets.values() for slot in part_slots]
        self.number_sources = [slot.hole.source for slot in slots if slot.kind == NUMBER]
        self._input_columns = [slot.hole.source for slot in slots if slot.kind == INPUT]
        # The slots of each kind, in order: the n-th number (or input) fills the n-th slot of
        # its kind; a text slot holds no number.
        self._slots_of = {kind: np.array([i for i, slot in enumerate(slots) if slot.kind == kind],
                                         dtype=np.intp)
                          for kind in (NUMBER, INPUT, TEXT)}  # fmt: skip
        self._slot_count = len(slots)
        text = [slot.hole for slot in slots if slot.kind == TEXT]
        self._text_outputs = sorted({hole.source[0] for hole in text if hole.formula is not None})
        self._text_columns = sorted({hole.source for hole in text if hole.formula is None})
        self._patterns: dict[tuple, list[tuple[str, list[bytes | None], int, int]]] = {}

    def render(
        self,
        rows: Sequence[Mapping[str, object]],
        outputs: Sequence[Mapping[str, object]],
        numbers: np.ndarray,
    ) -> Iterator[dict[str, bytes]]:
        """Each sheet's XML, by part, for each scenario of a chunk, in order: ``rows`` their
        inputs by column, ``outputs`` their text outputs (and stage names, title) by name,
        ``numbers`` a row per scenario of the values of :attr:`number_sources`."""
        count = len(rows)
        values, odd = self._values(rows, numbers)
        finite = np.isfinite(values)
        printed, steady, steady_key = _steady(values, finite)
        # The text cells the chunk's rows share are keyed once, the others row by row.
        outputs_shared, outputs_own = _shared(outputs, self._text_outputs)
        columns_shared, columns_own = _shared(rows, self._text_columns)
        shared_key = repr((outputs_shared, columns_shared))
        for first in range(0, count, BLOCK_ROWS):
            block = slice(first, first + BLOCK_ROWS)
            texts = number_bytes(values[block][printed[block]])  # row after row
            ends = np.cumsum(printed[block].sum(axis=1)).tolist()
            start = 0
            for position, end in enumerate(ends, start=first):
                row, shown = rows[position], outputs[position]
                key = (
                    finite[position].tobytes(),
                    steady_key,
                    shared_key,
                    # repr of the lists is C-speed and tells 1, 1.0 and True apart
                    repr(([shown[name] for name in outputs_own],
                          [row[column] for column in columns_own], odd.get(position, ()))),
                )  # fmt: skip
                pattern = self._kept_pattern(key, finite[position], steady, row, shown)
                mine, start = texts[start:end], end
                filled = {}
                for part, pieces, low, high in pattern:
                    # the pattern's own list, refilled in place: its holes are every other piece
                    pieces[1::2] = mine[low:high]
                    filled[part] = b"".join(pieces)
                yield filled

    def _values(
        self, rows: Sequence[Mapping[str, object]], numbers: np.ndarray
    ) -> tuple[np.ndarray, dict[int, tuple]]:
        """Every slot's number for each row (NaN: none), and the numeric inputs holding text."""
        count = len(rows)
        # A row's input values (about 150) in one C call each
        inputs = list(map(_getter(self._input_columns), rows))
        odd: dict[int, tuple] = {}
        for position, given in enumerate(inputs):
            if not set(map(type, given)) <= _NUMBER_TYPES:  # a number slot holding text
                odd[position] = tuple((i, v) for i, v in enumerate(given)
                                      if type(v) not in _NUMBER_TYPES)  # fmt: skip
                inputs[position] = [v if type(v) in _NUMBER_TYPES else None for v in given]
        # Every slot's number (None: NaN), each kind put in its slots: one copy, not a join
        # and a take
        values = np.empty((count, self._slot_count))
        values[:, self._slots_of[NUMBER]] = numbers
        values[:, self._slots_of[INPUT]] = np.array(inputs, dtype=float).reshape(count, -1)
        values[:, self._slots_of[TEXT]] = np.nan
        return values, odd

    def _kept_pattern(
        self,
        key: tuple,
        finite: np.ndarray,
        fixed: Mapping[int, str],
        row: Mapping[str, object],
        outputs: Mapping[str, object],
    ) -> list[tuple[str, list[bytes | None], int, int]]:
        """The pattern of ``key``, made (and kept, the oldest going) if it is new."""
        pattern = self._patterns.get(key)
        if pattern is None:
            pattern = self._pattern(finite, fixed, row, outputs)
            if len(self._patterns) >= PATTERNS_KEPT:  # the oldest goes
                del self._patterns[next(iter(self._patterns))]
            self._patterns[key] = pattern
        return pattern

    def _pattern(
        self,
        finite: np.ndarray,
        fixed: Mapping[int, str],
        row: Mapping[str, object],
        outputs: Mapping[str, object],
    ) -> list[tuple[str, list[bytes | None], int, int]]:
        """Each sheet's fixed text for one pattern, in UTF-8, with a hole (None) for each
        number to print, and the range of the row's printed numbers that fill them;
        ``fixed``: the texts of the numbers the chunk's rows share, by slot."""
        pattern = []
        position = count = 0
        for part, (slots, tail) in self._sheets.items():
            pieces: list[bytes | None] = []
            current, start = "", count
            for slot in slots:
                current += slot.before
                if position in fixed:
                    current += slot.prefix + fixed[position] + slot.SUFFIX
                elif finite[position]:
                    pieces += [(current + slot.prefix).encode("utf-8"), None]
                    current = slot.SUFFIX
                    count += 1
                elif slot.kind == NUMBER:  # a formula with no value (its outputs are not
                    current += slot.empty  # in ``outputs`` to render from)
                else:
                    current += slot.hole.render(row, outputs)
                position += 1
            pieces.append((current + tail).encode("utf-8"))
            pattern.append((part, pieces, start, count))
        return pattern


def _steady(values: np.ndarray, finite: np.ndarray) -> tuple[np.ndarray, dict[int, str], bytes]:
    """What to print row by row, and the texts (by slot) and key of what every row shares."""
    if len(values) < STEADY_ROWS:
        return finite, {}, b""
    shared = finite.all(axis=0) & (values == values[0]).all(axis=0)
    steady = dict(zip(np.flatnonzero(shared).tolist(),
                      number_texts(values[0, shared]), strict=True))  # fmt: skip
    steady_key = shared.tobytes() + values[0, shared].tobytes()
    return finite & ~shared, steady, steady_key


def _getter(keys: Sequence[str]) -> Callable[[Mapping[str, object]], tuple]:
    """What takes ``keys`` from a mapping, as a tuple (``itemgetter`` of one key gives the
    value itself, of none an error)."""
    if len(keys) >= 2:
        return operator.itemgetter(*keys)
    return lambda mapping: tuple(mapping[key] for key in keys)


def _shared(records: Sequence[Mapping[str, object]], names: Sequence[str]) -> tuple[dict, list]:
    """The values of ``names`` that every record of a chunk shares, by name, and the names
    left. Only text (and None, in lists) counts as shared: ``==`` tells it apart exactly,
    as it does not 1, 1.0 and True."""
    shared, own = {}, []
    for name in names:
        value = records[0][name] if records else None
        if (len(records) >= STEADY_ROWS and _is_text(value)
                and all(record[name] == value for record in records)):  # fmt: skip
            shared[name] = value
        else:
            own.append(name)
    return shared, own


def _is_text(value: object) -> bool:
    if value is None or isinstance(value, str):
        return True
    return isinstance(value, list | tuple) and all(map(_is_text, value))
