"""The sheets a fill writes anew for every scenario, cut into *slots* once per pattern.

Each cell that changes per scenario is a slot: a formula's cached number, a numeric input,
or a text cell (a stage name, a month label, a channel's name). Per scenario, a number slot
with a finite value is the only thing left to print; every other slot (a formula with no
value, an empty input, a text cell) reads the same row after row, so it is merged into the
fixed text around it, once per *pattern*: which slots hold a number and what the text cells
say. A batch has few patterns (the empty channel and lever slots are the same in every row),
so a scenario's sheets cost one print of its numbers (:func:`.number_texts.number_texts`)
and one join per sheet.

Many numbers are the same in every row of a chunk, too (the zeros of unused levers and of
months before a plan starts): :meth:`FilledSheets.steady` finds them in the chunk's numbers,
and the chunk's patterns print them once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .holes import Hole
from .number_texts import number_texts

#: The kinds of slot.
NUMBER, INPUT, TEXT = "number", "input", "text"
#: How many patterns are kept (each about the size of the sheets' text).
PATTERNS_KEPT = 64
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
            slots.append(Slot(NUMBER, hole.before, hole, f"{opening}<v>", f"{opening}</c>"))
        else:
            slots.append(Slot(TEXT, hole.before, hole))
    return slots


@dataclass(frozen=True, eq=False)
class Steady:
    """The number slots that hold the same finite value in every row of a chunk."""

    mask: np.ndarray  # by slot, in order across the sheets
    values: np.ndarray  # the values of the masked slots
    texts: dict[int, str]  # each masked slot's text, by its position
    key: bytes  # the mask and the values: chunks that agree share patterns


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
        # Each slot's value in (numbers, inputs, NaN): a text slot holds no number.
        numbers, inputs = len(self.number_sources), len(self._input_columns)
        order, seen = [], {NUMBER: 0, INPUT: 0}
        for slot in slots:
            if slot.kind == TEXT:
                order.append(numbers + inputs)
                continue
            order.append(seen[slot.kind] + (numbers if slot.kind == INPUT else 0))
            seen[slot.kind] += 1
        self._order = np.array(order, dtype=np.intp)
        self._not_numbers = np.zeros(inputs + 1, dtype=bool)
        text = [slot.hole for slot in slots if slot.kind == TEXT]
        self._text_outputs = sorted({hole.source[0] for hole in text if hole.formula is not None})
        self._text_columns = sorted({hole.source for hole in text if hole.formula is None})
        self._patterns: dict[tuple, list[tuple[str, list[str | None], int, int]]] = {}

    def steady(self, numbers: np.ndarray) -> Steady:
        """The slots of a chunk's ``numbers`` (a row per scenario, a column per
        :attr:`number_sources`) whose value is finite and the same in every row."""
        first = numbers[0]
        same = np.isfinite(first) & (numbers == first).all(axis=0)
        mask = np.concatenate((same, self._not_numbers))[self._order]
        values = np.concatenate((first, self._not_numbers))[self._order][mask]
        positions = np.flatnonzero(mask).tolist()
        texts = dict(zip(positions, number_texts(values), strict=True))
        return Steady(mask, values, texts, mask.tobytes() + values.tobytes())

    def render(
        self,
        row: Mapping[str, object],
        outputs: Mapping[str, object],
        numbers: np.ndarray,
        steady: Steady | None = None,
    ) -> dict[str, bytes]:
        """Each sheet's XML for one scenario: ``row`` its inputs by column, ``outputs`` its
        text outputs (and stage names, title) by name, ``numbers`` the values of
        :attr:`number_sources`, ``steady`` what :meth:`steady` found in its chunk."""
        inputs = [row[column] for column in self._input_columns]
        odd: tuple = ()
        if not set(map(type, inputs)) <= _NUMBER_TYPES:  # a number slot holding text
            odd = tuple((i, v) for i, v in enumerate(inputs) if type(v) not in _NUMBER_TYPES)
            inputs = [v if type(v) in _NUMBER_TYPES else None for v in inputs]
        given = np.fromiter(inputs, dtype=float, count=len(inputs))  # None: NaN
        values = np.concatenate((numbers, given, [np.nan]))[self._order]
        finite = np.isfinite(values)
        printed = finite
        if steady is not None:
            # A wrong chunk's steady numbers would write wrong numbers: check they are this
            # row's (one comparison; they are the same object's values in every row).
            if not np.array_equal(values[steady.mask], steady.values):
                raise ValueError("steady numbers of another chunk: not this row's values")
            printed = finite & ~steady.mask
        key = (
            finite.tobytes(),
            None if steady is None else steady.key,
            # repr of the lists is C-speed and tells 1, 1.0 and True apart
            repr(([outputs[name] for name in self._text_outputs],
                  [row[column] for column in self._text_columns], odd)),
        )  # fmt: skip
        pattern = self._patterns.get(key)
        if pattern is None:
            pattern = self._pattern(finite, steady, row, outputs)
            if len(self._patterns) >= PATTERNS_KEPT:  # the oldest goes
                del self._patterns[next(iter(self._patterns))]
            self._patterns[key] = pattern
        texts = number_texts(values[printed])
        filled = {}
        for part, pieces, start, stop in pattern:
            # the pattern's own list, refilled in place: its holes are every other piece
            pieces[1::2] = texts[start:stop]
            filled[part] = "".join(pieces).encode("utf-8")
        return filled

    def _pattern(
        self,
        finite: np.ndarray,
        steady: Steady | None,
        row: Mapping[str, object],
        outputs: Mapping[str, object],
    ) -> list[tuple[str, list[str | None], int, int]]:
        """Each sheet's fixed text for one pattern, with a hole (None) for each number to
        print, and the range of the row's printed numbers that fill them."""
        fixed = {} if steady is None else steady.texts
        pattern = []
        position = count = 0
        for part, (slots, tail) in self._sheets.items():
            pieces: list[str | None] = []
            current, start = "", count
            for slot in slots:
                current += slot.before
                if position in fixed:
                    current += slot.prefix + fixed[position] + slot.SUFFIX
                elif finite[position]:
                    pieces += [current + slot.prefix, None]
                    current = slot.SUFFIX
                    count += 1
                elif slot.kind == NUMBER:  # a formula with no value (its outputs are not
                    current += slot.empty  # in ``outputs`` to render from)
                else:
                    current += slot.hole.render(row, outputs)
                position += 1
            pieces.append(current + tail)
            pattern.append((part, pieces, start, count))
        return pattern
