"""Property: random tables with random bad cells. Exactly the rows with a bad cell are
reported; every other row is written, and its cached values are the engine's."""

from __future__ import annotations

import csv

import numpy as np
import openpyxl
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kpi_planner.batch import fill as batch
from kpi_planner.plan import one_plan

#: Cell texts that are wrong in any of the table's columns (revenue, deal size, first rate):
#: "150%" is a percentage in an amount and above 100 % in a rate; "0" makes customers or a
#: stage 0, so CAC is undefined.
BAD_CELLS = ["abc", "1,5%", "150%", "-5", "1e400", "0", "2027-01-05", "[/x]"]

rows = st.lists(
    st.tuples(
        st.floats(1e5, 1e8),  # revenue goal
        st.floats(1e3, 1e6),  # deal size
        st.floats(0.005, 0.5),  # Visits -> Leads rate
        st.booleans(),  # whole numbers
        st.one_of(st.none(), st.tuples(st.integers(0, 2), st.sampled_from(BAD_CELLS))),
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(table=rows)
# A row with a later-checked problem (0 customers -> CAC undefined) after one with an input
# problem (a negative goal): both reported, not a traceback.
@example(table=[(1e5, 1e3, 0.5, False, (0, "-5")), (1e5, 1e3, 0.5, False, (0, "0"))])
def test_good_rows_are_written_with_the_engines_values(tmp_path_factory, table):
    folder = tmp_path_factory.mktemp("fill")
    source = folder / "s.csv"
    with open(source, "w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["Name", "RevenueGoal", "DealSize", "StageRates1", "WholeNumbers"])
        for i, (revenue, deal, rate, whole, bad) in enumerate(table):
            cells = [repr(revenue), repr(deal), repr(rate)]
            if bad is not None:
                cells[bad[0]] = bad[1]
            writer.writerow([f"S{i}", *cells, "TRUE" if whole else "FALSE"])
    report = batch.fill(source, folder / "out", jobs=1)
    bad_lines = {i + 2 for i, row in enumerate(table) if row[4] is not None}
    assert {p.line for p in report.problems} == bad_lines
    assert report.written == len(table) - len(bad_lines)
    for i, (revenue, deal, rate, whole, bad) in enumerate(table):
        path = folder / "out" / f"S{i}.xlsx"
        assert path.exists() == (bad is None)
        if bad is not None:
            continue
        inputs = one_plan.PlanInputs(revenue_goal=revenue, deal_size=deal, whole_numbers=whole,
                                     rates=(rate, *one_plan.PlanInputs().rates[1:]))  # fmt: skip
        expected = one_plan.plan_outputs(inputs)
        sheet = openpyxl.load_workbook(path, data_only=True)["Plan"]
        annual = [sheet[f"C{r}"].value for r in range(26, 32)]
        np.testing.assert_allclose(annual, expected.required_annual, rtol=1e-12)
        assert sheet["B18"].value == expected.customers_needed
        np.testing.assert_allclose(sheet["B19"].value, expected.planned_cac, rtol=1e-12)
        assert sheet["B12"].value is whole
