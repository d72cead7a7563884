"""Plan inputs from a small JSON or YAML file, with errors that name the key and the rule."""

from __future__ import annotations

import dataclasses
import difflib
import json
from pathlib import Path
from typing import Any

import yaml

from kpi_engine import KPIInputError, Problem
from kpi_planner.workbook.plan import PlanInputs

#: Keys a plan file may set: the fields of PlanInputs.
PLAN_KEYS = tuple(field.name for field in dataclasses.fields(PlanInputs))
_LISTS = {"stages", "rates", "seasonality"}


def read_plan_file(path: Path) -> dict[str, Any]:
    """The inputs a JSON (``.json``) or YAML (``.yaml``/``.yml``) plan file sets.

    Example file::

        revenue_goal: 5000000
        deal_size: 25000
        stages: [Visits, Leads, MQL, SQL, Opportunities, Customers]
        rates: [0.02, 0.25, 0.3, 0.4, 0.25]
        marketing_budget: 400000
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as err:
        raise KPIInputError(
            [Problem(str(path), "...", f"is not valid JSON or YAML: {err}")]
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise KPIInputError([Problem(str(path), type(data).__name__, "must hold key: value pairs")])
    problems = []
    for key in data:
        if key not in PLAN_KEYS:
            close = difflib.get_close_matches(str(key), PLAN_KEYS, n=1)
            hint = (
                f"; did you mean {close[0]!r}?"
                if close
                else f"; known keys: {', '.join(PLAN_KEYS)}"
            )
            problems.append(Problem(f"{path.name}: key", key, f"is not a plan input{hint}"))
    if problems:
        raise KPIInputError(problems)
    return {key: tuple(value) if key in _LISTS and isinstance(value, list) else value
            for key, value in data.items()}  # fmt: skip
