"""The texts of a sheet's cached numbers, a whole row of them at a time."""

from __future__ import annotations

import numpy as np

try:  # orjson (the `fast` extra) prints a row's numbers in one call
    import orjson
except ImportError:
    orjson = None


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
    return b",".join(_printed(numbers)).decode("ascii").split(",") if len(numbers) else []


def number_bytes(numbers: np.ndarray) -> list[bytes]:
    """:func:`number_texts` as ASCII bytes, the form a sheet's XML is joined in (no text
    to encode: a workbook's sheets are about 330 KB, and each copy of them counts).

    >>> number_bytes(np.array([8334.0, 0.25, np.nan]))
    [b'8334', b'0.25', b'']
    """
    if orjson is None:
        return [text.encode("ascii") for text in _number_texts_by_repr(numbers)]
    return _printed(numbers) if len(numbers) else []


def _printed(numbers: np.ndarray) -> list[bytes]:
    """Each number printed by orjson: the whole ones below 1e16 as integers, the others as
    floats (their shortest round-trip digits), NaN and the infinities as b""."""
    # + 0.0 turns -0.0 into 0.0 (IEEE 754), which prints as "0" like the other path.
    numbers = np.add(numbers, 0.0, dtype=float)
    with np.errstate(invalid="ignore"):
        whole = (numbers == np.trunc(numbers)) & (np.abs(numbers) < 1e16)
    # Printed by kind and put back in place: orjson prints a whole float as "8334.0", and
    # taking the ".0" off afterwards costs more than printing (a chunk's numbers are a
    # fifth whole, and about 600 a row are printed).
    printed = np.empty(len(numbers), dtype=object)
    printed[whole] = _dumped(numbers[whole].astype(np.int64))
    others = numbers[~whole]
    texts = _dumped(others)
    if not np.isfinite(others).all():  # orjson prints NaN and the infinities as null
        texts = [b"" if text == b"null" else text for text in texts]
    printed[~whole] = texts
    return printed.tolist()


def _dumped(numbers: np.ndarray) -> list[bytes]:
    """``numbers`` printed by orjson, one bytes object each ("[1,2.5]" -> [b"1", b"2.5"])."""
    if not len(numbers):
        return []  # "[]" would split into one empty text
    return orjson.dumps(numbers, option=orjson.OPT_SERIALIZE_NUMPY)[1:-1].split(b",")


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
