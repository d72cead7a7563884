"""What ``kpi-planner plan --channels`` computes and prints: every number is the engine's
(:func:`kpi_engine.channels.channel_plan`, :func:`~kpi_engine.channel_mix.optimal_mix`,
:func:`~kpi_engine.whatif.sensitivity`); this module only lays them out."""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from pathlib import Path

from kpi_engine import KPIInputError
from kpi_engine.channels import Channel, channel_plan, default_entry, reachable_revenue
from kpi_planner.cli.app import OutputFormat, fail, show
from kpi_planner.files.json_text import json_text
from kpi_planner.inputs.channel_table import ChannelTable, ChannelTableError, read_channels
from kpi_planner.reports.numbers import money_heading, show_money
from kpi_planner.reports.text_tables import readable


def read_for_scenarios(
    path: Path | None, stages: list[str], entry: str | None
) -> tuple[Channel, ...]:
    """The channels of ``--channels`` for ``--scenario`` (none without the option)."""
    if path is None:
        return ()
    return tuple(read_table(path, stages, entry).channels)


def read_table(path: Path, stages: list[str], entry: str | None) -> ChannelTable:
    """The channels table of ``--channels``, every channel with its share; a mistake ends
    the command with the table's row and column."""
    try:
        return read_channels(path, stages, entry_stage(entry, stages), shares_needed=True)
    except ChannelTableError as err:
        raise fail(err) from None


def entry_stage(entry: str | None, stages: list[str]) -> str:
    """The entry stage: as given (checked), else the engine's default (Leads or the
    funnel's second stage)."""
    if entry is None:
        entry = default_entry(stages)
    if entry not in stages[:-1]:
        raise fail(f"--entry {entry}: must be a stage above the last: {', '.join(stages[:-1])}")
    return entry


def read_step_option(step: str) -> float:
    """``--step`` read as a fraction and checked by the engine's rule, in the option's words."""
    from kpi_engine.whatif import read_step
    from kpi_planner.inputs.tables import CellError, parse_number

    try:
        return read_step(parse_number(step))
    except CellError as err:
        raise fail(f"--step {step}: {err}") from None
    except KPIInputError:  # the engine's rule for a step, in the option's words
        raise fail(f"--step {step}: must be between -100 % and 100 %, not 0 (10% for better, "
                   "-10% for worse)") from None  # fmt: skip


def from_options(
    path: Path,
    stages: list[str],
    customers: float,
    deal_size: float | None,
    rates: Sequence[float],
    entry: str | None,
    budget: float | None,
    optimise: bool,
    whatif: bool,
    step: str,
    currency: str = "",
) -> dict[str, object]:
    """``plan --channels``'s options read and checked, then :func:`compute`; the record
    names ``currency`` (an ISO code) when one is given."""
    entry = entry_stage(entry, stages)
    step_value = read_step_option(step)
    try:
        table = read_channels(path, stages, entry, shares_needed=not optimise)
    except ChannelTableError as err:
        raise fail(err) from None
    record = compute(table, customers=customers, deal_size=deal_size, rates=rates,
                     stages=stages, entry=entry, budget=budget, optimise=optimise,
                     whatif=whatif, step=step_value)  # fmt: skip
    return record | ({"currency": currency} if currency else {})


def compute(
    table: ChannelTable,
    *,
    customers: float,
    deal_size: float | None,
    rates: Sequence[float],
    stages: Sequence[str],
    entry: str,
    budget: float | None,
    optimise: bool,
    whatif: bool,
    step: float,
) -> dict[str, object]:
    """The channel plan of the table's mix (when it gives shares), the optimal mix (with
    ``optimise``) and the what-if ranking (with ``whatif``), as a JSON-ready record."""
    from kpi_engine.channel_mix import optimal_mix
    from kpi_engine.whatif import sensitivity

    channels = table.channels
    given = all(c.share is not None for c in channels)
    if not given and not optimise:
        raise fail(f"{table.label}: has no shares for every channel; give "
                   "each its share, or add --optimise to have the solver choose them")  # fmt: skip
    common = {"entry": entry, "stages": list(stages)}
    record: dict[str, object] = {"entry": entry, "limits": [
        {"max_volume": c.max_volume, "max_share": c.max_share} for c in channels]}  # fmt: skip
    try:
        if given:
            record |= _plan_record(channel_plan(customers, rates, channels, budget=budget,
                                                **common))  # fmt: skip
            if budget is not None and deal_size is not None:
                record["reachable_revenue"] = reachable_revenue(
                    budget, rates, channels, deal_size=deal_size, **common)  # fmt: skip
        if optimise:
            best = optimal_mix(customers, rates, channels, **common)
            record["optimal"] = {
                **_plan_record(best.plan), "shares": best.shares,
                "entry_volumes": best.volumes, "binding": list(best.binding),
            }  # fmt: skip
        if whatif:
            mix = channels if given else [
                Channel(c.name, best.shares[c.name], c.cost_per_unit, c.rates) for c in channels
            ]  # fmt: skip
            # In revenue terms, so a bigger deal size is among the inputs tried.
            goal = customers * deal_size if deal_size is not None else customers
            ranked = sensitivity(goal, rates, mix, deal_size=deal_size, step=step, **common)
            record["whatif"] = {"step": step, "mix": "your" if given else "the optimal",
                                "ranked": [vars(w) for w in ranked]}  # fmt: skip
    except KPIInputError as err:
        raise fail(table.in_table_words(err)) from None
    return record


def _plan_record(plan) -> dict[str, object]:
    return {
        "channels": [vars(c) for c in plan.channels],
        "volumes": plan.volumes, "budget_needed": plan.budget_needed, "cac": plan.cac,
        "budget": plan.budget, "budget_gap": plan.budget_gap,
        "reachable_customers": plan.reachable_customers,
    }  # fmt: skip


def _number(value: object, currency: str | None = None) -> str:
    """A number of a table, rounded to cents; money (``currency`` given, ``""`` for none)
    with its currency's symbol."""
    if not isinstance(value, int | float) or math.isnan(value):
        return ""
    return show(round(value, 2)) if currency is None else show_money(round(value, 2), currency)


def print_record(record: dict[str, object], output: OutputFormat) -> None:
    """The record as tables, as CSV (one row per channel of the table's mix, or the
    optimal one) or as JSON."""
    if output is OutputFormat.json:
        sys.stdout.write(json_text(record))
        return
    plan = record if "channels" in record else record["optimal"]
    if output is OutputFormat.csv:
        from kpi_planner.files.csv_text import CsvWriter

        stages = list(plan["channels"][0]["volumes"])
        writer = CsvWriter(sys.stdout, number_format=".15g")
        code = record.get("currency", "")
        writer.writerow(["channel", "share", *stages, money_heading("budget", code),
                         money_heading("cac", code)])  # fmt: skip
        for c in plan["channels"]:
            writer.writerow([c["name"], c["share"], *(c["volumes"][s] for s in stages),
                             c["budget"], c["cac"]])  # fmt: skip
        return
    _print_tables(record, f"cost per {record['entry'].lower().rstrip('s')}")


def _channel_table(title: str, plan: dict, code: str = ""):
    from rich.table import Table
    from rich.text import Text

    # The entry stage and the customers: each stage between is in the CSV and JSON output.
    found = list(plan["channels"][0]["volumes"])
    stages = [found[0], found[-1]]
    table = Table(title=title, title_justify="left")
    for heading in ["Channel", "Share", *stages, "Budget", "CAC"]:
        table.add_column(heading, justify="left" if heading == "Channel" else "right")
    for c in plan["channels"]:
        table.add_row(Text(c["name"]), f"{c['share'] * 100:.1f} %",
                      *(_number(c["volumes"][s]) for s in stages), _number(c["budget"], code),
                      _number(c["cac"], code))  # fmt: skip
    total = Text(_number(plan["budget_needed"], code), style="bold")
    table.add_row(Text("All channels", style="bold"), "100 %",
                  *(_number(plan["volumes"][s]) for s in stages), total,
                  _number(plan["cac"], code))  # fmt: skip
    return table


def _print_tables(record: dict[str, object], cost_name: str) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    entry, code = record["entry"], record.get("currency", "")
    if "channels" in record:
        title = f"Channels: the budget the goal needs, by {cost_name}"
        console.print(readable(_channel_table(title, record, code)))
        if record.get("budget") is not None:
            gap = record["budget_gap"]
            verdict = (f"a surplus of {_number(gap, code)}" if gap >= 0 else
                       f"a gap of {_number(-gap, code)}")  # fmt: skip
            reached = _number(record["reachable_customers"])
            line = (f"Budget {_number(record['budget'], code)} against "
                    f"{_number(record['budget_needed'], code)} needed: {verdict}. With this "
                    f"mix it reaches {reached} customers")  # fmt: skip
            if record.get("reachable_revenue") is not None:
                line += f", {_number(record['reachable_revenue'], code)} of revenue"
            console.print(Text(line + "."), soft_wrap=True)
        for warning in _past_limits(record):
            console.print(Text(warning, style="yellow"), soft_wrap=True)
    if "optimal" in record:
        best = record["optimal"]
        title = f"The cheapest mix within the limits ({entry}, solver: HiGHS)"
        console.print(readable(_channel_table(title, best, code)))
        lines = [f"Budget {_number(best['budget_needed'], code)}"]
        if "budget_needed" in record:
            saved = record["budget_needed"] - best["budget_needed"]
            lines[0] += (f": {_number(saved, code)} less than your mix" if saved >= 0 else
                         f": {_number(-saved, code)} more than your mix, which goes past "
                         "a limit")  # fmt: skip
        lines.append("Limits that bind: " + ("; ".join(best["binding"]) or "none"))
        console.print(Text(". ".join(lines) + "."), soft_wrap=True)
    if "whatif" in record:
        whatif = record["whatif"]
        better = "better" if whatif["step"] > 0 else "worse"
        title = (f"What a {abs(whatif['step']) * 100:g} % {better} input does to the budget "
                 f"({whatif['mix']} mix), largest saving first")  # fmt: skip
        top = next(iter(record.get("volumes") or record["optimal"]["volumes"]))
        table = Table(title=title, title_justify="left")
        for heading in ["Input", "From", "To", "Budget saved", f"{top} saved"]:
            table.add_column(heading, justify="left" if heading == "Input" else "right")
        for w in whatif["ranked"]:
            money = w["input"].endswith("cost per unit") or w["input"] == "deal size"
            before, after = ((_number(w[k], code) if money else _percent(w[k]))
                             for k in ("before", "after"))  # fmt: skip
            table.add_row(Text(w["input"]), before, after, _number(w["budget_saved"], code),
                          _number(w["top_saved"]))  # fmt: skip
        console.print(readable(table, decimals="none"))  # each row its own kind


def _past_limits(record: dict[str, object]) -> list[str]:
    """Where the table's own mix goes past a channel's max volume or max share."""
    import numpy as np

    from kpi_engine.channel_mix import past_limits

    entry = record["entry"]
    channels, limits = record["channels"], record["limits"]

    def limit(field: str) -> np.ndarray:
        return np.array([np.nan if x[field] is None else x[field] for x in limits], dtype=float)

    over_volume, over_share = past_limits(
        np.array([c["volumes"][entry] for c in channels]), np.array([c["share"] for c in channels]),
        limit("max_volume"), limit("max_share"))  # fmt: skip
    found = []
    for i, (channel, limits_of) in enumerate(zip(channels, limits, strict=True)):
        if over_volume[i]:
            found.append(f"Your mix goes past a limit: {channel['name']} brings "
                         f"{_number(channel['volumes'][entry])} {entry}; its max volume is "
                         f"{_number(limits_of['max_volume'])}.")  # fmt: skip
        if over_share[i]:
            found.append(f"Your mix goes past a limit: {channel['name']} has "
                         f"{channel['share']:.1%} of {entry}; its max share is "
                         f"{limits_of['max_share']:.1%}.")  # fmt: skip
    return found


def _percent(value: float) -> str:
    """A rate, as a percentage."""
    return f"{value * 100:.4g} %"
