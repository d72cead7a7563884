"""Plan inputs from a small JSON or YAML file, with errors that name the key and the rule."""

from __future__ import annotations

import dataclasses
import difflib
import json
from pathlib import Path
from typing import Any

import yaml

from kpi_engine import KPIInputError, Problem
from kpi_planner.inputs.currency import CurrencyError, currency_code
from kpi_planner.inputs.plan_fields import BY_FIELD, PLAN_FIELDS, Kind, fields_of
from kpi_planner.inputs.typed_values import (
    CellError,
    parse_boolean,
    parse_growth,
    parse_money,
    parse_month,
    parse_number,
)
from kpi_planner.plan.one_plan import PlanInputs

#: Keys a plan file may set: the fields of PlanInputs.
PLAN_KEYS = tuple(field.name for field in dataclasses.fields(PlanInputs))
_LISTS = {field.field for field in PLAN_FIELDS if field.is_list}


class _TypedFloat(float):
    """A number of the file with the text it was typed as (``25.000``), so an amount is
    read by the text, as the options read it, not by what the parser made of it (25.0)."""

    typed: str

    def __new__(cls, text: str, value: float | None = None) -> _TypedFloat:
        number = super().__new__(cls, float(text) if value is None else value)
        number.typed = text
        return number


class _Loader(yaml.SafeLoader):
    """YAML's safe loader, keeping each float's typed text (:class:`_TypedFloat`)."""


def _typed_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    return _TypedFloat(node.value, loader.construct_yaml_float(node))


_Loader.add_constructor("tag:yaml.org,2002:float", _typed_float)


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
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        rule = "is not UTF-8 text: save it as UTF-8"
        raise KPIInputError([Problem("--config", str(path), rule)]) from None
    try:
        data = (
            json.loads(text, parse_float=_TypedFloat)
            if path.suffix.lower() == ".json"
            else yaml.load(text, Loader=_Loader)
        )
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
    values = {key: tuple(value) if key in _LISTS and isinstance(value, list) else value
              for key, value in data.items()}  # fmt: skip
    return _read_numbers(values, path.name)


# How each key's text is read: by its kind in the table of the plan's inputs.
_TEXT_KEYS = set(fields_of(Kind.TEXT))
_FRACTION_KEYS = set(fields_of(Kind.FRACTION))
_AMOUNT_KEYS = {field.field for field in PLAN_FIELDS if field.is_amount}
_MONEY_KEYS = set(fields_of(Kind.MONEY))
_PLAIN_KEYS = set(fields_of(Kind.NUMBER))  # days and counts: 10% is no number of days


def _read_numbers(values: dict[str, Any], file_name: str) -> dict[str, Any]:
    """Numbers written as text (``"3%"``, ``"10,000,000"``) read as the command line reads
    them; text that is no number is refused, naming the key (and the item)."""
    problems = []

    def read(key: str, value: object, where: str) -> object:
        if isinstance(value, _TypedFloat):  # an amount by its text (25.000 is refused)
            value = value.typed if key in _MONEY_KEYS else float(value)
        kind = BY_FIELD[key].kind if key in BY_FIELD else None
        if kind is Kind.CURRENCY:
            try:
                return currency_code(value)
            except CurrencyError as err:
                problems.append(Problem(f"{file_name}: {where}", value, str(err)))
                return value
        if kind is Kind.GROWTH and not isinstance(value, bool):  # a bare 25 is 25 %, not 2,500 %
            try:
                return parse_growth(value)
            except CellError as err:
                problems.append(Problem(f"{file_name}: {where}", value, str(err)))
                return value
        if not isinstance(value, str) or key in _TEXT_KEYS:
            return value
        if kind in (Kind.BOOLEAN, Kind.MONTH):
            try:
                return (parse_boolean if kind is Kind.BOOLEAN else parse_month)(value)
            except CellError as err:
                problems.append(Problem(f"{file_name}: {where}", value, str(err)))
                return value
        try:
            if key in _MONEY_KEYS:  # "$5,000,000", "€5.000.000": as the options read them
                return parse_money(value)
            return parse_number(value, ".", fraction=key in _FRACTION_KEYS,
                                percent=key not in _AMOUNT_KEYS | _PLAIN_KEYS)  # fmt: skip
        except CellError as err:
            problems.append(Problem(f"{file_name}: {where}", value, str(err)))
            return value

    read_values = {}
    for key, value in values.items():
        if isinstance(value, tuple):
            read_values[key] = tuple(read(key, item, f"{key}[{i}]") for i, item in enumerate(value))
        else:
            read_values[key] = read(key, value, key)
    if problems:
        raise KPIInputError(problems)
    return read_values
