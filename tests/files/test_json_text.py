"""The one JSON writer: valid JSON for every document, whatever numbers it holds."""

import datetime as dt
import json
import math

import numpy as np

from kpi_planner.files.json_text import json_text


def _strict(text: str) -> object:
    """JSON as a strict reader takes it: NaN and Infinity are not JSON."""

    def refuse(token: str) -> object:
        raise ValueError(f"not JSON: {token}")

    return json.loads(text, parse_constant=refuse)


def test_numbers_that_are_not_finite_are_null():
    document = {"cac": math.nan, "coverage": math.inf, "gap": -math.inf, "roi": 2.5}
    assert _strict(json_text(document)) == {"cac": None, "coverage": None, "gap": None,
                                            "roi": 2.5}  # fmt: skip


def test_numpy_numbers_and_arrays_are_plain_numbers():
    document = {"n": np.int64(3), "x": np.float64("nan"), "row": np.array([1.5, np.inf])}
    assert _strict(json_text(document)) == {"n": 3, "x": None, "row": [1.5, None]}


def test_nested_lists_tuples_and_dates():
    document = {"stages": ("Visits", "Leads"), "goals": [{"deadline": dt.date(2027, 3, 31)}]}
    assert _strict(json_text(document)) == {"stages": ["Visits", "Leads"],
                                            "goals": [{"deadline": "2027-03-31"}]}  # fmt: skip


def test_the_text_is_indented_and_ends_with_one_newline():
    assert json_text({"a": [1]}) == '{\n  "a": [\n    1\n  ]\n}\n'
