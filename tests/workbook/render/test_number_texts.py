"""The texts of a sheet's cached numbers: with orjson (the `fast` extra) and without it, each
text reads back as the very double the engine computed."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kpi_planner.workbook.render import number_texts as number_texts_module
from kpi_planner.workbook.render.number_texts import (
    _number_texts_by_repr,
    number_bytes,
    number_texts,
    orjson,
)

pytestmark = pytest.mark.skipif(orjson is None, reason="the `fast` extra is not installed")

doubles = st.floats(allow_nan=True, allow_infinity=True, width=64)


def read_back(text: str) -> float:
    return float(text) if text else float("nan")


@settings(max_examples=300, deadline=None)
@given(numbers=arrays(np.float64, st.integers(0, 60), elements=doubles))
def test_both_printers_give_texts_that_read_back_as_the_same_double(numbers):
    by_orjson = number_texts(numbers)
    by_repr = _number_texts_by_repr(numbers)
    assert len(by_orjson) == len(by_repr) == len(numbers)
    for number, first, second in zip(numbers.tolist(), by_orjson, by_repr, strict=True):
        if np.isfinite(number):
            # == also makes -0.0 and 0.0 equal: both print it "0", as Excel writes it
            assert read_back(first) == read_back(second) == number, (number, first, second)
        else:  # a cell with no value
            assert first == second == ""


@settings(max_examples=200, deadline=None)
@given(whole=st.integers(-(10**16) + 2, 10**16 - 2))
def test_whole_numbers_below_1e16_print_as_integers_by_both(whole):
    # Integers are exact doubles only below 2**53; above it the double nearest to `whole`
    # is itself a whole number (below 1e16: 10**16 - 1 would round to 1e16), printed exactly.
    number = float(whole)
    expected = str(int(number))
    assert number_texts(np.array([number])) == [expected]
    assert _number_texts_by_repr(np.array([number])) == [expected]


def test_the_forms_a_plan_shows_print_alike():
    # A plan's numbers (volumes, money, rates, ratios): the two printers agree to the byte.
    numbers = np.array([83334.0, 1100000.0, 0.06, 0.3, 1 / 3, -12.5, -0.0, 1e16, 2.0**60,
                        1234567.891, np.nan, np.inf, -np.inf, 0.0])  # fmt: skip
    assert number_texts(numbers) == _number_texts_by_repr(numbers)
    assert number_texts(numbers)[:3] == ["83334", "1100000", "0.06"]
    assert number_texts(numbers)[-5:] == ["1234567.891", "", "", "", "0"]


@settings(max_examples=200, deadline=None)
@given(numbers=arrays(np.float64, st.integers(0, 40), elements=doubles))
def test_the_bytes_a_sheet_is_joined_from_are_the_texts_in_ascii(numbers):
    # number_bytes is number_texts in the form the sheets are joined in, with orjson and
    # without it (its fallback prints by repr, as number_texts does).
    expected = [text.encode("ascii") for text in number_texts(numbers)]
    assert number_bytes(numbers) == expected
    with mock.patch.object(number_texts_module, "orjson", None):
        by_repr = [text.encode("ascii") for text in _number_texts_by_repr(numbers)]
        assert number_bytes(numbers) == by_repr


@settings(max_examples=200, deadline=None)
@given(numbers=arrays(np.float64, st.integers(0, 80), elements=doubles))
def test_the_bytes_a_sheet_is_joined_in_are_the_texts(numbers):
    # number_bytes prints whole numbers and the others apart and puts them back in place
    assert [text.decode("ascii") for text in number_bytes(numbers)] == number_texts(numbers)
    assert all(type(text) is bytes for text in number_bytes(numbers))
