"""The CSV summary, cell by cell: what a spreadsheet and pandas read back from it."""

from __future__ import annotations

import csv
import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_planner.summary import SummaryWriter

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
    return repr(value)  # True / False, and a float's shortest round-trip text


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
    # and pandas reads every number back as the same double
    table = pd.read_csv(path, keep_default_na=False, dtype=str)
    for position, record in enumerate(given_rows):
        value = record.get("required_1")
        if isinstance(value, float) and not math.isnan(value):
            assert float(table.loc[position, "required_1"]) == value


def test_a_summary_of_no_rows_has_its_header(tmp_path):
    path = tmp_path / "summary.csv"
    with SummaryWriter(path, COLUMNS):
        pass
    assert path.read_text(encoding="utf-8").splitlines() == [",".join(COLUMNS)]
