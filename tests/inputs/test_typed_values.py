"""A table's cells read into plan inputs: every text as :func:`parse_number` reads it.

:func:`kpi_planner.inputs.scenario_table.to_scenarios` reads a plain decimal with ``float`` before
it tries :func:`parse_number` (most cells of a CSV are plain decimals); the two must agree
on every text, to the bit, and a text ``float`` reads but the plan refuses (``inf``,
``nan``) must still be refused with parse_number's reason.
"""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kpi_planner.inputs.scenario_table import plan_layout, to_scenarios
from kpi_planner.inputs.tables import CellError, is_blank, parse_number

cell_texts = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda x: f"{x:,}"),
    st.text(alphabet="0123456789.,+-eE%$€ _'\u00a0infa", max_size=10),
)


def expected(text: str, *, fraction: bool, percent: bool) -> float | str:
    """parse_number's number, or its reason for refusing the text, as fill's table reader
    calls it (its advice may name --decimal)."""
    try:
        return parse_number(text, ".", fraction=fraction, percent=percent, decimal_option=True)
    except CellError as err:
        return str(err)


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(cell_texts, min_size=1, max_size=12))
@example(cells=["1e5", " 7 ", "1_000", "-0", "inf", "nan", "1,5%", "$1,000", "15%", "+.5"])
@example(cells=["$", "%", "€%"])  # a currency sign or a percent alone once raised IndexError
def test_every_cell_reads_as_parse_number_reads_it(cells):
    lines = range(2, 2 + len(cells))
    chunk = pd.DataFrame({"RevenueGoal": cells, "StageRates1": cells}, index=lines, dtype=object)
    layout = plan_layout(list(chunk.columns), None)
    frame, problems = to_scenarios(chunk, layout)
    reasons = {(p.line, p.column): p.reason for p in problems}
    # the revenue goal is an amount (no percentage); a rate is a fraction
    for column, user, kinds in (("revenue_goal", "RevenueGoal", {"fraction": False,
                                                                 "percent": False}),
                                ("rate_1", "StageRates1", {"fraction": True,
                                                           "percent": True})):  # fmt: skip
        for line, text in zip(lines, cells, strict=True):
            read = frame.at[line, column]
            if is_blank(text):
                assert read == layout.defaults[column]
                continue
            want = expected(text, **kinds)
            if isinstance(want, str):
                assert reasons[line, user] == want
                assert math.isnan(read)
            else:
                assert (line, user) not in reasons
                assert read == want
                assert math.copysign(1, read) == math.copysign(1, want)  # -0.0 stays -0.0


@settings(max_examples=300, deadline=None)
@given(
    whole=st.integers(min_value=0, max_value=100),
    decimals=st.text(alphabet="0123456789", max_size=8),
    sign=st.sampled_from(["", "-", "+"]),
    decimal=st.sampled_from([".", ","]),
)
@example(whole=12, decimals="3", sign="", decimal=".")  # 12.3 / 100 = 0.12300000000000001
@example(whole=0, decimals="7", sign="", decimal=",")  # 0.7 / 100 = 0.006999999999999999
def test_a_percentage_is_the_double_nearest_its_typed_digits_over_100(whole, decimals, sign,
                                                                       decimal):  # fmt: skip
    # Excel reads 12.3% as the double nearest 0.123; dividing the double 12.3 by 100 rounds
    # a second time and can land on the next double. The expectation: Python's own
    # correctly rounded reading of the same digits with the exponent moved two places.
    digits = f"{whole}.{decimals}" if decimals else str(whole)
    typed = f"{sign}{digits}%".replace(".", decimal)
    want = float(f"{sign}{digits}e-2")
    got = parse_number(typed, decimal)
    assert got == want
    assert math.copysign(1, got) == math.copysign(1, want)
