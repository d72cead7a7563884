"""The CSV summary, cell by cell: what a spreadsheet and pandas read back from it."""

from __future__ import annotations

import csv
import math
import sys

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_planner.batch.summary import SummaryWriter, summary_names
from kpi_planner.files.csv_text import csv_cell

COLUMNS = ["row", "name", "file", "status", "plan_year", "whole_numbers", "revenue_goal",
           "stage_4", "required_1"]  # fmt: skip

numbers = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=False))
texts = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["=SUM(A1)", "-x", "+1", "@SUM(1)", "\t=1", "\r=1"]),
)
plan_years = st.one_of(st.integers(1900, 2200), st.integers(1900, 2200).map(float))
record = st.fixed_dictionaries(
    {"row": st.integers(2, 10**6), "name": texts, "file": st.just("a.xlsx"),
     "status": st.sampled_from(["written", "bad: StageRates1: is empty"])},
    optional={"plan_year": plan_years, "whole_numbers": st.booleans(),
              "revenue_goal": numbers, "stage_4": texts, "required_1": numbers},
)  # fmt: skip
records = st.lists(record, min_size=1, max_size=8)


def expected_cell(column: str, value: object) -> str:
    """The text a summary cell must hold, by the rules in summary.py's docstrings."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if column in ("row", "plan_year"):
        return str(int(value))  # a whole number, never 2027.0
    if isinstance(value, str):
        if value.startswith(("=", "+", "-", "@", "\t", "\r")):  # a formula to a spreadsheet
            value = "'" + value
        # a line break is \n, so the writer quotes the cell (a bare \r would end the row)
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, float):
        # As Excel shows a number, 15 significant digits; the largest doubles, which would
        # round past the largest (to inf), keep their own text.
        if value.is_integer() and abs(value) < 2**53:  # whole: every digit
            return str(int(value))
        text = format(value, ".15g")
        return text if math.isfinite(float(text)) else repr(value)
    return repr(value)  # True / False


@settings(max_examples=60, deadline=None)
@given(chunks=st.lists(records, min_size=1, max_size=3))
def test_every_cell_is_blank_defused_or_its_shortest_text(tmp_path_factory, chunks):
    path = tmp_path_factory.mktemp("summary") / "summary.csv"
    with SummaryWriter(path, COLUMNS) as writer:
        for chunk in chunks:
            writer.add(chunk)
    with open(path, encoding="utf-8", newline="") as stream:
        header, *rows = list(csv.reader(stream))
    assert header == COLUMNS
    given_rows = [record for chunk in chunks for record in chunk]
    assert len(rows) == len(given_rows)
    for row, record in zip(rows, given_rows, strict=True):
        assert row == [expected_cell(c, record.get(c)) for c in COLUMNS]
    # and pandas reads every number back as the double nearest its 15 significant digits,
    # within 1e-14 of it (66000000.000000015 is 66000000, binary noise gone)
    table = pd.read_csv(path, keep_default_na=False, dtype=str)
    for position, record in enumerate(given_rows):
        value = record.get("required_1")
        if isinstance(value, float) and not math.isnan(value):
            read = float(table.loc[position, "required_1"])
            assert math.isfinite(read)
            assert math.isclose(read, value, rel_tol=1e-14, abs_tol=1e-300)


def test_the_header_names_the_columns_as_the_fill_table_does(tmp_path):
    # Inputs named as the table's columns, beside the KPIs' defined names (the summary
    # mixed revenue_goal with PlannedCAC), and a sum's binary noise left out.
    path = tmp_path / "summary.csv"
    columns = ["row", "name", "file", "status", "revenue_goal", "customers_needed",
               "required_1", "PlannedCAC"]  # fmt: skip
    names = summary_names(columns, {"revenue_goal": "RevenueGoal"})
    with SummaryWriter(path, columns, names) as writer:
        writer.add([{"row": 2, "name": "EMEA", "file": "EMEA.xlsx", "status": "written",
                     "revenue_goal": 66000000.000000015, "customers_needed": 60.0,
                     "required_1": 79999.99999999999, "PlannedCAC": 10000.0}])  # fmt: skip
    header, row = path.read_text(encoding="utf-8").splitlines()
    assert header == ("Row,Name,File,Status,RevenueGoal,CustomersNeeded,RequiredAnnual1,"
                      "PlannedCAC")  # fmt: skip
    assert row == "2,EMEA,EMEA.xlsx,written,66000000,60,80000,10000"


def test_a_summary_of_no_rows_has_its_header(tmp_path):
    path = tmp_path / "summary.csv"
    with SummaryWriter(path, COLUMNS):
        pass
    assert path.read_text(encoding="utf-8").splitlines() == [",".join(COLUMNS)]


def test_the_largest_doubles_are_not_rounded_to_infinity():
    # Found by the property above: 1.7976931348623151e+308 to 15 digits is
    # 1.79769313486232e+308, past the largest double, which reads back as inf.
    largest = sys.float_info.max
    assert csv_cell(largest, ".15g") == repr(largest)
    assert float(csv_cell(-largest, ".15g")) == -largest
    assert csv_cell(66000000.000000015, ".15g") == "66000000"
