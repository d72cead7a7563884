"""``kpi-planner plan --scenario TABLE``: named scenarios (base, best, worst...) side by side.

The table has one row per scenario: a ``scenario`` column with its name, and a column for
each input it changes; an empty cell keeps the plan's value (the command's options):

- ``revenue goal``, ``deal size``, ``customers``, ``budget``;
- a rate, by its step: ``Visits -> Leads``, ``MQL -> SQL`` (``20%`` or ``0.2``);
- with ``--channels``, a channel's ``<name> share`` or ``<name> cost per lead``.

Each scenario is the plan run by :func:`kpi_engine.reverse_funnel` (and, with channels,
:func:`kpi_engine.channel_plan`) with its changes; the table shows the customers, each
stage's volume for the year, the planned CAC and, with channels, the budget needed and the
surplus or gap. Column names match ignoring case and punctuation. A mistake names the file,
the row and the column, and nothing but the error is printed.
"""

from __future__ import annotations

import dataclasses
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import kpi_engine
from kpi_engine import KPIInputError, transition_names
from kpi_planner.cli.app import OutputFormat, fail
from kpi_planner.files.json_text import json_text
from kpi_planner.inputs.scenario_table import key
from kpi_planner.reports.numbers import money_heading, show_money
from kpi_planner.reports.text_tables import readable


@dataclass(frozen=True)
class Base:
    """The plan the options describe: what a scenario's empty cells keep."""

    goal: float  # revenue with a deal size, else customers
    deal_size: float | None
    rates: tuple[float, ...]
    stages: tuple[str, ...]
    whole_numbers: bool
    budget: float | None
    channels: tuple[kpi_engine.Channel, ...] = ()
    entry: str | None = None


def _overrides(path: Path) -> list[tuple[int, dict[str, object]]]:
    from kpi_planner.inputs import tables

    try:
        return tables.read_records(path)
    except (tables.TableError, OSError) as err:
        raise fail(f"--scenario {err}") from None


def scenarios(path: Path, base: Base) -> list[tuple[str, Base]]:
    """The base plan and each scenario of the table, with its changes applied."""
    from kpi_planner.inputs.tables import CellError, is_blank, parse_number

    rows = _overrides(path)
    if not rows:
        raise fail(f"--scenario {path.name}: has no scenarios")
    steps = {key(step): i for i, step in enumerate(transition_names(base.stages))}
    plain = {"revenuegoal": "goal", "goal": "goal", "dealsize": "deal_size",
             "customers": "customers", "budget": "budget", "marketingbudget": "budget"}  # fmt: skip
    channel_columns = {}
    for i, channel in enumerate(base.channels):
        channel_columns[key(f"{channel.name} share")] = (i, "share")
        for cost in ("cost per lead", "cost per unit", "cost"):
            channel_columns[key(f"{channel.name} {cost}")] = (i, "cost_per_unit")
    name_column = None
    for column in rows[0][1]:
        k = key(column)
        if k in ("scenario", "name"):
            name_column = column
        elif k not in plain and k not in steps and k not in channel_columns:
            allowed = ["scenario", "revenue goal", "deal size", "customers", "budget",
                       *transition_names(base.stages)]  # fmt: skip
            if base.channels:
                allowed.append("<channel> share / cost per lead")
            raise fail(f"--scenario {path.name}: column {column!r} is not an input a scenario "
                       f"can change ({', '.join(allowed)})")  # fmt: skip
    if name_column is None:
        raise fail(f"--scenario {path.name}: has no 'scenario' column naming each scenario")
    found = [("base", base)]
    for row, cells in rows:
        name = cells[name_column]
        if is_blank(name) or str(name).strip() in {n for n, _ in found}:
            rule = "is empty" if is_blank(name) else "names another scenario too"
            raise fail(f"--scenario {path.name} row {row}, column {name_column}: {rule}")
        changed, rates, channels = {}, list(base.rates), list(base.channels)
        for column, value in cells.items():
            k = key(column)
            if column == name_column or is_blank(value):
                continue
            fraction = k in steps or channel_columns.get(k, (0, ""))[1] == "share"
            try:
                number = parse_number(value, fraction=fraction, percent=fraction)
            except CellError as err:
                raise fail(
                    f"--scenario {path.name} row {row}, column {column}: {value!r} {err}"
                ) from None
            if k in steps:
                rates[steps[k]] = number
            elif k in channel_columns:
                i, field = channel_columns[k]
                channels[i] = dataclasses.replace(channels[i], **{field: number})
            elif plain[k] == "customers":
                changed |= {"goal": number, "deal_size": None}
            else:
                changed[plain[k]] = number
        found.append((str(name).strip(), dataclasses.replace(
            base, rates=tuple(rates), channels=tuple(channels), **changed)))  # fmt: skip
    return found


def compare(path: Path, base: Base) -> dict[str, dict[str, float | None]]:
    """Each line of the comparison (customers, the stages, CAC, budget) by scenario."""
    lines: dict[str, dict[str, float | None]] = {}
    for name, plan in scenarios(path, base):
        try:
            volumes = kpi_engine.reverse_funnel(plan.goal, list(plan.rates),
                                                deal_size=plan.deal_size,
                                                whole_numbers=plan.whole_numbers,
                                                stages=list(plan.stages))  # fmt: skip
            customers = list(volumes.values())[-1]
            values = {f"{stage} (year)": volume for stage, volume in volumes.items()}
            if plan.budget is not None:
                values["Budget"] = plan.budget
                values["Planned CAC"] = kpi_engine.cac(plan.budget, customers)
            if plan.channels:
                mix = kpi_engine.channel_plan(customers, list(plan.rates), list(plan.channels),
                                              entry=plan.entry, stages=list(plan.stages),
                                              budget=plan.budget)  # fmt: skip
                values["Budget needed (channels)"] = mix.budget_needed
                if mix.budget_gap is not None:
                    values["Surplus (+) or gap (-)"] = mix.budget_gap
        except KPIInputError as err:
            raise fail(f"--scenario {path.name}, scenario {name!r}: {err}") from None
        for line, value in values.items():
            lines.setdefault(line, {})[name] = value
    return lines


#: The lines of the comparison that are money.
MONEY_LINES = frozenset({"Budget", "Planned CAC", "Budget needed (channels)",
                         "Surplus (+) or gap (-)"})  # fmt: skip


def print_comparison(
    lines: dict[str, dict[str, float | None]], output: OutputFormat, currency: str = ""
) -> None:
    """The scenarios side by side: a table, CSV (a line per row) or JSON; the money lines
    in ``currency`` (an ISO code; ``""``: none): with its symbol in the table, its code
    after the line's name in CSV, as a ``currency`` key in JSON."""
    names = list(next(iter(lines.values())))
    if output is OutputFormat.json:
        document = {"scenarios": names, "lines": lines}
        sys.stdout.write(json_text(document | ({"currency": currency} if currency else {})))
        return
    if output is OutputFormat.csv:
        from kpi_planner.files.csv_text import CsvWriter

        writer = CsvWriter(sys.stdout, number_format=".15g")
        writer.writerow(["line", *names])
        for line, values in lines.items():
            heading = money_heading(line, currency) if line in MONEY_LINES else line
            writer.writerow([heading, *(values.get(n) for n in names)])
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Scenarios side by side", title_justify="left")
    table.add_column("")
    for name in names:
        table.add_column(Text(name), justify="right")
    for line, values in lines.items():
        code = currency if line in MONEY_LINES else ""
        table.add_row(Text(line), *(_text(values.get(n), code) for n in names))
    Console(highlight=False).print(readable(table, decimals="rows"))


def _text(value: float | None, currency: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return show_money(round(value, 2), currency)


__all__: Sequence[str] = ("Base", "compare", "print_comparison", "scenarios")
