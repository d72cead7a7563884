"""How ``kpi-planner plan`` shows a plan: a table to read, CSV or JSON, and its mistakes in the
words of its options."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kpi_planner.cli.app import OutputFormat, fail, show
from kpi_planner.files.csv_text import CsvWriter
from kpi_planner.files.json_text import json_text
from kpi_planner.reports.numbers import money_heading, show_money
from kpi_planner.reports.text_tables import readable

#: The plan's column of money: each stage's cost per unit.
COST = "Cost target"

if TYPE_CHECKING:
    from kpi_engine import KPIInputError


def print_plan(
    table: dict[str, dict[str, float]],
    output: OutputFormat,
    rates: list[float],
    caption: str,
    currency: str = "",
) -> None:
    """The plan: ``table`` maps each column (Year, the periods, Cost target) to its value
    by stage, stages in funnel order; the cost targets are money in ``currency`` (an ISO
    code, ``""`` for none): the table shows its symbol, CSV its code in the heading and
    JSON a ``currency`` key."""
    stages = list(table["Year"])
    if output is OutputFormat.csv:
        # Volumes as Excel shows them, 15 significant digits (a whole 1.7e14 keeps its last
        # digits); a stage's name defused (kpi_planner.files.csv_text).
        writer = CsvWriter(sys.stdout, number_format=".15g")
        writer.writerow(["stage", *(money_heading(c, currency) if c == COST else c
                                    for c in table)])  # fmt: skip
        for stage in stages:
            writer.writerow([stage, *(values.get(stage) for values in table.values())])
        return
    if output is OutputFormat.json:
        document = {"stages": stages, "rates": rates, "volumes": table}
        sys.stdout.write(json_text(document | ({"currency": currency} if currency else {})))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    yearly = [c for c in table if c in ("Year", COST)]
    console.print(Text(caption), soft_wrap=True)
    summary = Table(title="Required volumes for the year", title_justify="left")
    for heading in ["Stage", "Rate to next", *yearly]:
        summary.add_column(heading, justify="left" if heading == "Stage" else "right")
    for position, stage in enumerate(stages):
        rate = f"{rates[position] * 100:.4g} %" if position < len(rates) else ""
        summary.add_row(Text(str(stage)), rate, *(show_money(table[c][stage], currency)
                                                  if c == COST else show(table[c][stage])
                                                  for c in yearly))  # fmt: skip
    console.print(readable(summary))
    periods = [c for c in table if c not in yearly]
    if periods:
        # Periods as rows: twelve months side by side do not fit a terminal, six stages do.
        by_period = Table(title="By period", title_justify="left")
        by_period.add_column("Period")
        for stage in stages:
            by_period.add_column(Text(str(stage)), justify="right")
        for column in periods:
            by_period.add_row(str(column), *(show(table[column][stage]) for stage in stages))
        console.print(readable(by_period))


@dataclass(frozen=True)
class Results:
    """The plan ``kpi-planner plan`` computed, and what it was computed from."""

    table: dict[str, dict[str, float]]  # column -> value by stage; "Year" first
    rates: list[float]
    caption: str
    goal: float  # revenue with a deal size, else customers
    deal_size: float | None
    whole_numbers: bool
    budget: float | None
    currency: str = ""  # the ISO code of the plan's money; "" for none


def print_results(
    results: Results,
    output: OutputFormat,
    *,
    channels: Path | None,
    entry: str | None,
    optimise: bool,
    whatif: bool,
    step: str,
    scenario: Path | None,
) -> None:
    """The plan, and what the options add to it: scenarios side by side (``--scenario``), or
    the channels, the optimal mix and the what-if ranking (``--channels``). In CSV and JSON
    only the addition is written, so a script gets one table."""
    stages = list(results.table["Year"])
    customers = results.table["Year"][stages[-1]]
    if scenario is not None:
        from kpi_planner.cli import channels as channel_report
        from kpi_planner.cli import scenarios as cli_scenarios

        if optimise or whatif:
            raise fail("--scenario: compare scenarios, or --optimise / --whatif, one at a time")
        mix = channel_report.read_for_scenarios(channels, stages, entry)
        base = cli_scenarios.Base(results.goal, results.deal_size, tuple(results.rates),
                                  tuple(stages), results.whole_numbers, results.budget, mix,
                                  entry)  # fmt: skip
        lines = cli_scenarios.compare(scenario, base)
        if output is OutputFormat.table:
            print_plan(results.table, output, results.rates, results.caption, results.currency)
        cli_scenarios.print_comparison(lines, output, results.currency)
        return
    if channels is None:
        if optimise or whatif:
            raise fail("--optimise and --whatif: give the channels too (--channels TABLE)")
        print_plan(results.table, output, results.rates, results.caption, results.currency)
        return
    from kpi_planner.cli import channels as channel_report

    if output is OutputFormat.csv and whatif:  # it was left out without a word
        raise fail("--whatif with --format csv: a CSV holds one table, the channels'; the "
                   "what-if ranking is in --format json or table")  # fmt: skip
    record = channel_report.from_options(channels, stages, customers, results.deal_size,
                                         results.rates, entry, results.budget, optimise,
                                         whatif, step, results.currency)  # fmt: skip
    if output is OutputFormat.csv and "channels" in record and "optimal" in record:
        raise fail("--optimise with --format csv: a CSV holds one table, and the channels give "
                   "a mix of their own as well as the optimal one; use --format json for both, "
                   "or leave the shares out of the table for the optimal mix alone")  # fmt: skip
    if output is OutputFormat.table:
        print_plan(results.table, output, results.rates, results.caption, results.currency)
    channel_report.print_record(record, output)


def in_option_words(err: KPIInputError, options: dict[str, str]) -> str:
    """The engine's message with its argument names replaced by the command's options, by
    the one map of engine names to the plan's inputs (:func:`kpi_planner.plan.words.
    engine_field`) and each input's option (:mod:`kpi_planner.inputs.plan_fields`):
    ``spend`` -> ``--budget``, ``rates[0]`` -> ``--rates item 1``, ``volumes['Visits']``
    -> ``the plan's Visits``. ``options`` overrides an engine name's option for this
    command (``goal`` -> ``--customers``, ``lag_days`` -> ``--sales-cycle``)."""
    from kpi_planner.inputs.plan_fields import BY_FIELD
    from kpi_planner.plan.words import engine_field

    lines = []
    for problem in err.problems:
        argument = problem.argument
        head = argument.partition(" ")[0]
        field, index, rest = engine_field(argument)
        option = options.get(head.split("[")[0])
        declared = BY_FIELD.get(field)
        if argument.startswith("volumes["):
            argument = "the plan's " + argument[8:].rstrip("]").strip("'\"")
        elif option is not None and (index is None or option == "--sales-cycle"):
            argument = " ".join(part for part in (option, rest) if part)
        elif declared is not None and declared.option is not None:
            name = option or declared.option.split("/")[0]
            item = "" if index is None else f" item {index + 1}"
            argument = " ".join(part for part in (name + item, rest) if part)
        lines.append(str(type(problem)(argument, problem.value, problem.rule)))
    return "\n".join(lines) if len(lines) > 1 else lines[0]


def caption(
    customers: float | None, revenue_goal: float | None, deal_size: float | None,
    whole_numbers: bool, annual: dict[str, float], timeline_note: str | None,
    currency: str = "",
) -> str:  # fmt: skip
    """The line above the plan: the goal (in ``currency``), the customers it needs (in
    whole numbers too)."""
    import kpi_engine
    from kpi_planner.reports.numbers import show_money

    if customers is not None:
        caption = f"Goal: {show(customers)} customers a year"
    else:
        caption = (
            f"Goal: {show_money(revenue_goal, currency)} of revenue / "
            f"{show_money(deal_size, currency)} a deal"
            f" = {show(kpi_engine.customers_needed(revenue_goal, deal_size))} customers a year"
        )
    if whole_numbers:
        caption += f", planned as {show(list(annual.values())[-1])} in whole numbers"
    if timeline_note:
        caption += f"\n{timeline_note}"
    return caption
