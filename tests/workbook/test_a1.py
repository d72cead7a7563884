"""The A1 helpers against openpyxl's, which they stand in for on the fill's path."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import (
    column_index_from_string,
    coordinate_from_string,
    range_boundaries,
)
from openpyxl.utils.datetime import to_excel

from kpi_planner.workbook import a1

columns = st.integers(1, a1.MAX_COLUMN)
rows = st.integers(1, a1.MAX_ROW)


@given(columns)
def test_column_letters_are_openpyxls(index):
    assert a1.column_letter(index) == get_column_letter(index)
    assert a1.column_index(a1.column_letter(index)) == index
    assert a1.column_index(a1.column_letter(index).lower()) == column_index_from_string(
        get_column_letter(index)
    )


@given(columns, rows, st.booleans())
def test_a_cell_splits_as_openpyxl_splits_it(column, row, absolute):
    mark = "$" if absolute else ""
    reference = f"{mark}{get_column_letter(column)}{mark}{row}"
    assert a1.split_cell(reference) == coordinate_from_string(reference)


@given(columns, rows, columns, rows)
def test_range_bounds_are_openpyxls(first_column, first_row, last_column, last_row):
    first = f"{get_column_letter(first_column)}{first_row}"
    last = f"{get_column_letter(last_column)}{last_row}"
    assert a1.range_bounds(f"{first}:{last}") == range_boundaries(f"{first}:{last}")
    assert a1.range_bounds(first) == range_boundaries(first)


@given(st.dates(datetime.date(1900, 1, 1), datetime.date(9999, 12, 31)))
def test_date_serials_are_openpyxls(day):
    serial = a1.date_serial(day)
    assert serial == to_excel(day)
    assert type(serial) is type(to_excel(day))


def test_date_serials_by_hand():
    # Excel: 1900-01-01 is 1, 1900-02-28 is 59, its phantom 1900-02-29 is 60, so
    # 1900-03-01 is 61; 2027-01-01 is 46388 (=DATE(2027,1,1) in Excel).
    days = [(1900, 1, 1), (1900, 2, 28), (1900, 3, 1), (2027, 1, 1)]
    assert [a1.date_serial(datetime.date(*d)) for d in days] == [1.0, 59.0, 61.0, 46388.0]


@pytest.mark.parametrize(
    ("call", "argument"),
    [(a1.column_letter, 0), (a1.column_letter, 16_385), (a1.column_index, "XFE"),
     (a1.column_index, ""), (a1.column_index, "A1"), (a1.split_cell, "B0"),
     (a1.split_cell, "B1048577"), (a1.split_cell, "12"), (a1.split_cell, "XFE1"),
     (a1.range_bounds, "A1:")],
)  # fmt: skip
def test_what_excel_cannot_address_is_an_error_that_names_it(call, argument):
    with pytest.raises(ValueError, match=repr(argument)):
        call(argument)
