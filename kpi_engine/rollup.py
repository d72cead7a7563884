"""Several funnels rolled up into one: each stage's volume added over the segments whose
funnel has a stage of that name, the company's stages in an order every funnel keeps, the
stages not every segment has said, and names typed two ways for one stage refused."""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kpi_engine.errors import KPIInputError, Problem

__all__ = ["RollUp", "company_stages", "roll_up", "stage_name_problems"]


def _name_key(name: str) -> str:
    """A stage name as compared for typos: letters and digits, lower case, no plural s."""
    key = re.sub(r"[^0-9a-z]", "", name.lower())
    if key.endswith("ies") and len(key) > 4:
        return key[:-3] + "y"
    return key[:-1] if key.endswith("s") and len(key) > 2 else key


def _look_alike(first: str, second: str) -> bool:
    if first == second or re.findall(r"\d+", first) != re.findall(r"\d+", second):
        return False  # "Stage 1" and "Stage 2" are two stages, however alike they read
    if _name_key(first) == _name_key(second):
        return True
    return difflib.SequenceMatcher(None, first.lower(), second.lower()).ratio() >= 0.85


def stage_name_problems(funnels: Mapping[str, Sequence[str]]) -> list[Problem]:
    """Stage names typed differently in two segments for what looks like one stage.

    ``funnels`` maps each segment to its stage names, top first. Two names that differ but
    match once case, spaces, punctuation and a plural ``s`` are ignored (``MQL``/``MQLs``,
    ``Sales qualified``/``sales-qualified``), or that are nearly the same word
    (``Opportunity``/``Opportunities``), would split one stage in the roll-up: each such pair
    is one problem, named by the later segment.

    >>> stage_name_problems({"EMEA": ["Leads", "MQL", "Customers"],
    ...                      "US": ["Leads", "MQLs", "Customers"]})[0].rule
    "is typed 'MQL' in segment 'EMEA': type one stage's name the same way in every segment"
    """
    first_seen: dict[str, str] = {}
    problems = []
    for segment, stages in funnels.items():
        own = {str(stage) for stage in stages}
        for stage in map(str, stages):
            # Only names from other segments: one funnel's stages are distinct by definition.
            twin = next((n for n in first_seen if n not in own and _look_alike(n, stage)), None)
            if twin is not None and stage not in first_seen:
                rule = (f"is typed {twin!r} in segment {first_seen[twin]!r}: type one stage's"
                        " name the same way in every segment")  # fmt: skip
                problems.append(Problem(f"stages of segment {segment!r}", stage, rule))
            first_seen.setdefault(stage, segment)
    return problems


def company_stages(funnels: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """The company's stages, top first: every segment's stages, each once, in funnel order.

    Each funnel says which of its stages comes above which; the company's order keeps all
    of them (a topological order), and where the funnels leave it open, the order in which
    the stages first appear. A partner source's ``Deal registrations`` thus comes after the
    web funnel's ``MQL`` and before ``Customers``. Funnels that contradict each other (one
    puts SQL above MQL, another below) keep the order of first appearance for those stages.

    >>> company_stages({"Web": ["Visits", "Leads", "MQL", "Customers"],
    ...                 "Partners": ["Leads", "Deal registrations", "Customers"]})
    ('Visits', 'Leads', 'MQL', 'Deal registrations', 'Customers')
    """
    first: dict[str, int] = {}
    below: dict[str, set[str]] = {}
    above_count: dict[str, int] = {}
    for stages in funnels.values():
        names = [str(stage) for stage in stages]
        for name in names:
            first.setdefault(name, len(first))
            below.setdefault(name, set())
            above_count.setdefault(name, 0)
        for upper, lower in itertools.pairwise(names):
            if lower not in below[upper]:
                below[upper].add(lower)
                above_count[lower] += 1
    order: list[str] = []
    left = set(first)
    while left:
        ready = [name for name in left if above_count[name] == 0] or list(left)  # a cycle
        name = min(ready, key=first.__getitem__)
        order.append(name)
        left.discard(name)
        for lower in below[name]:
            above_count[lower] -= 1
    return tuple(order)


@dataclass(frozen=True)
class RollUp:
    """Several funnels' volumes added up by stage name (see :func:`roll_up`)."""

    stages: tuple[str, ...]
    #: Each stage's volume added over the segments that have it (a number or an array).
    totals: dict[str, object]
    #: The customers of every segment added up, whatever each funnel calls its last stage.
    customers: object
    #: Each stage not every segment has -> the segments without it.
    missing: dict[str, tuple[str, ...]]


def roll_up(volumes: Mapping[str, Mapping[str, object]]) -> RollUp:
    """Add several funnels' volumes by stage name, after refusing names typed two ways.

    Parameters
    ----------
    volumes
        Segment -> its funnel's volumes, stage name -> volume (a number, or an array of
        volumes by month or quarter), top first, customers last.

    Notes
    -----
    ``total[stage] = sum of the segments' volume at that stage``, over the segments that
    have a stage of that name; the stages some segments lack are listed in ``missing``
    (their total is the segments that have them, not the company's). Customers add up over
    every segment by position (each funnel's last stage). Names typed two ways raise
    :class:`~kpi_engine.KPIInputError` (:func:`stage_name_problems`).

    Examples
    --------
    Two regions and a partner source, each with its own funnel:

    >>> rolled = roll_up({
    ...     "EMEA": {"Leads": 800, "MQL": 200, "Customers": 10},
    ...     "US": {"Leads": 1200, "MQL": 300, "Customers": 15},
    ...     "Partners": {"Deal registrations": 40, "Customers": 8},
    ... })
    >>> rolled.totals["Leads"], rolled.customers, rolled.missing["Leads"]
    (2000, 33, ('Partners',))
    """
    funnels = {segment: [str(s) for s in stages] for segment, stages in volumes.items()}
    if not funnels:
        raise KPIInputError([Problem("volumes", {}, "is empty: give at least one segment")])
    problems = stage_name_problems(funnels)
    if problems:
        raise KPIInputError(problems)
    stages = company_stages(funnels)
    totals: dict[str, object] = {}
    missing: dict[str, tuple[str, ...]] = {}
    for stage in stages:
        having = [segment for segment, names in funnels.items() if stage in names]
        totals[stage] = _added([volumes[segment][stage] for segment in having])
        if len(having) < len(funnels):
            missing[stage] = tuple(s for s in funnels if s not in having)
    last = [list(volumes[segment].values())[-1] for segment in funnels]
    return RollUp(stages, totals, _added(last), missing)


def _added(values: list[object]) -> object:
    """Left to right, as a spreadsheet's SUM adds the segments' cells."""
    total = values[0]
    for value in values[1:]:
        total = total + value
    return total
