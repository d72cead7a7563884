"""Excel custom functions of channels: the budget a goal needs, what a budget reaches, and
which input moves the budget most.

Thin wrappers over :mod:`kpi_engine.channels` and :mod:`kpi_engine.whatif`, re-exported by
:mod:`.functions` (the module the add-in registers). The channels are given as ranges in
the same order: their shares of the entry stage (leads by default), their costs per unit
and, optionally, their own rates from the entry stage down (one row per channel; an empty
cell keeps the plan's rate).
"""

from __future__ import annotations

import re

import xlwings as xw

import kpi_engine
from kpi_engine.whatif import sensitivity

from .excel_values import CATEGORY, _flat, _optional, arg, excel_function

_SHARES = ("Each channel's share of the entry stage (leads), adding up to 1: a row or column "
           "range, e.g. 0.5, 0.3, 0.2.")  # fmt: skip
_COSTS = "Each channel's cost per unit of the entry stage (cost per lead), in the same order."
_OWN = ("Optional: each channel's own rates from the entry stage down, one row per channel; "
        "an empty cell keeps the plan's rate.")  # fmt: skip
_ENTRY = 'Optional: the stage the channels bring and are paid for; default "Leads".'
_RATES = "Conversion rates between stages, top first, as fractions (a row or column range)."


#: The engine's words for a channel's inputs -> the Excel argument that holds them.
_CHANNEL_INPUTS = {"share": "shares", "cost per unit": "costs", "rates": "own_rates"}


def _channel_argument(problem: kpi_engine.Problem) -> str:
    """The Excel argument of a channel's input: ``channels[0] (Search) share`` is
    ``shares[0] (Search)``, ``channels[0] (Search) Leads -> MQL rate`` is
    ``own_rates[0] (Search) Leads -> MQL``, ``channels[1].name`` is ``names[1]``."""
    argument = problem.argument
    if argument == "channels":
        return "shares"
    named = re.fullmatch(r"channels(\[\d+\])\.name", argument)
    if named is not None:
        return f"names{named.group(1)}"
    match = re.fullmatch(r"channels(\[\d+\] \(.*?\)) (.+)", argument)
    if match is None:
        return argument
    where, what = match.groups()
    if what in _CHANNEL_INPUTS:
        return f"{_CHANNEL_INPUTS[what]}{where}"
    return f"own_rates{where} {what.removesuffix(' rate')}"


def _own_rows(own_rates: object, count: int) -> list[tuple]:
    """The own-rates range as one tuple per channel (empty rows: the plan's rates)."""
    if own_rates is None:
        return [()] * count
    rows = own_rates if isinstance(own_rates, list) else [[own_rates]]
    rows = [row if isinstance(row, list) else [row] for row in rows]
    return [tuple(row) for row in rows] + [()] * (count - len(rows))


def _mix(shares: object, costs: object, own_rates: object, names: object = None) -> list:
    share_list, cost_list = _flat("shares", shares), _flat("costs", costs)
    count = max(len(share_list), len(cost_list))
    labels = _flat("names", names) if names is not None else []
    labels += [f"Channel {k}" for k in range(len(labels) + 1, count + 1)]
    share_list += [None] * (count - len(share_list))
    cost_list += [None] * (count - len(cost_list))
    return [kpi_engine.Channel(str(labels[k]), share_list[k], cost_list[k], own)
            for k, own in enumerate(_own_rows(own_rates, count))]  # fmt: skip


def _plan(goal, rates, shares, costs, deal_size, own_rates, entry, budget=None):
    return kpi_engine.channel_plan(goal, _flat("rates", rates), _mix(shares, costs, own_rates),
                                   deal_size=deal_size, entry=_optional(entry, None),
                                   budget=budget)  # fmt: skip


def _channel_inputs(function):
    """The arguments every channel function takes, with their help: the plan's rates, the
    channels' shares, costs and own rates, and the entry stage."""
    for name, doc, ndim in (("rates", _RATES, 1), ("shares", _SHARES, 1), ("costs", _COSTS, 1),
                            ("own_rates", _OWN, 2)):  # fmt: skip
        function = arg(name, doc, ndim=ndim)(function)
    return arg("entry", _ENTRY)(function)


@xw.func(category=CATEGORY)
@arg("goal", "Revenue goal (with deal_size) or customers to win, for the year.")
@arg("deal_size", "Average revenue per new customer; empty when goal counts customers.")
@_channel_inputs
@excel_function(text=("entry",), renames=_channel_argument)
def CHANNEL_BUDGET(goal, rates, shares, costs, deal_size=None, own_rates=None, entry=None):
    """Each channel's budget for the goal: its share of the entry stage x its cost per unit,
    the entry volume being what the mix needs to win the customers. A column, one value per
    channel."""
    plan = _plan(goal, rates, shares, costs, deal_size, own_rates, entry)
    return [[channel.budget] for channel in plan.channels]


@xw.func(category=CATEGORY)
@arg("goal", "Revenue goal (with deal_size) or customers to win, for the year.")
@arg("deal_size", "Average revenue per new customer; empty when goal counts customers.")
@_channel_inputs
@excel_function(text=("entry",), renames=_channel_argument)
def BUDGET_NEEDED(goal, rates, shares, costs, deal_size=None, own_rates=None, entry=None):
    """The marketing budget the goal needs with this channel mix, bottom-up: customers x
    sum(share x cost per unit) / sum(share x customers per unit)."""
    return _plan(goal, rates, shares, costs, deal_size, own_rates, entry).budget_needed


@xw.func(category=CATEGORY)
@arg("budget", "The marketing budget to spend.")
@arg("deal_size", "Average revenue per new customer.")
@_channel_inputs
@excel_function(text=("entry",), renames=_channel_argument)
def REACHABLE_REVENUE(budget, rates, shares, costs, deal_size, own_rates=None, entry=None):
    """The revenue a budget can reach with this channel mix: the plan run forward (budget /
    sum(share x cost per unit) x customers per unit x deal size)."""
    return kpi_engine.reachable_revenue(
        budget, _flat("rates", rates), _mix(shares, costs, own_rates), deal_size=deal_size,
        entry=_optional(entry, None))  # fmt: skip


@xw.func(category=CATEGORY)
@arg("goal", "Revenue goal (with deal_size) or customers to win, for the year.")
@arg("names", "Each channel's name, in the order of shares.", ndim=1)
@arg("deal_size", "Average revenue per new customer; empty when goal counts customers.")
@arg("step", "The improvement tried: 0.1 (the default) for 10 % better, -0.1 worse.")
@_channel_inputs
@excel_function(text=("names", "entry"), renames=_channel_argument)
def SENSITIVITY(goal, rates, names, shares, costs, deal_size=None, own_rates=None, step=0.1,
                entry=None):  # fmt: skip
    """Each input (rates, deal size, each channel's cost and own rates) improved by step,
    ranked by the budget it saves: a table with a header row (input, budget saved, top
    stage's volume saved) that spills down."""
    ranked = sensitivity(
        goal, _flat("rates", rates), _mix(shares, costs, own_rates, names),
        deal_size=deal_size, step=_optional(step, 0.1), entry=_optional(entry, None))  # fmt: skip
    return [
        ["Input", "Budget saved", "Top stage saved"],
        *([w.input, w.budget_saved, w.top_saved] for w in ranked),
    ]
