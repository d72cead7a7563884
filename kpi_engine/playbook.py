"""What to do when a stage of the funnel falls short: the playbook, for any funnel.

The advice follows the inbound-marketing article on setting annual and quarterly KPIs from
business goals (seed 002 of DOMAIN.md, section 4): attract when traffic is short, then
conversion-rate optimisation, form strategy, lead nurturing and removing friction as the
shortfall moves down the funnel. It is written for the default six stages but depends on a
transition's *position* in the funnel, not its name, so a funnel with its own stage names
(or more or fewer stages) gets it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kpi_engine.funnel import DEFAULT_STAGES, transition_names

__all__ = ["DEFAULT_PLAYBOOK", "TRAFFIC", "Play", "play_templates", "playbook_for"]


@dataclass(frozen=True)
class Play:
    """What to do when a stage falls short, and the KPIs that show whether it works."""

    action: str
    kpis: tuple[str, ...]


#: The focus when the top of the funnel itself is short.
TRAFFIC = "traffic"

_ATTRACT = Play(
    "Attract: more traffic from content, SEO and social.",
    ("website visits", "traffic by source", "social reach", "inbound links"),
)
#: The plays for the conversions of a funnel, top down: capture, qualify, nurture, hand
#: over to sales, close. ``{upper}`` and ``{lower}`` are the conversion's two stages.
_CONVERSION_PLAYS = (
    Play(
        "Conversion-rate optimisation: clearer calls to action, better landing pages, "
        "shorter forms.",
        ("CTA views and clicks", "landing-page conversion rate", "new {lower}"),
    ),
    Play(
        "Form strategy: ask qualifying questions, and double down on the sources that yield "
        "{lower}.",
        ("{upper} -> {lower} rate by source", "{lower} volume"),
    ),
    Play(
        "Lead nurturing: workflows and email campaigns that bring {upper} to sales-readiness.",
        ("email open and click rates", "{upper} -> {lower} rate"),
    ),
    Play(
        "Remove friction between prospects and sales: faster follow-up, better offers.",
        ("{upper} -> {lower} rate", "time to first meeting"),
    ),
    Play(
        "Close: review lost deals, proposals and pricing with sales.",
        ("win rate", "sales cycle length"),
    ),
)


def play_templates(stages: Sequence[str]) -> dict[str, Play]:
    """The plays of :func:`playbook_for` before the stage names are put in: texts with
    ``{upper}`` and ``{lower}`` where a conversion's two stages go (for a sheet that names
    them by formula, so renamed stages carry over)."""
    names = [str(stage) for stage in stages]
    last = len(_CONVERSION_PLAYS) - 1
    steps = len(names) - 2
    plays = {TRAFFIC: _ATTRACT}
    for i, transition in enumerate(transition_names(names)):
        plays[transition] = _CONVERSION_PLAYS[last if steps == 0 else round(i * last / steps)]
    return plays


def playbook_for(stages: Sequence[str]) -> dict[str, Play]:
    """The play for the top (:data:`TRAFFIC`) and for every conversion of ``stages``.

    Conversion ``i`` of ``t`` gets play ``round(i * 4 / (t - 1))`` of the five (capture,
    qualify, nurture, hand over, close), so the first conversion always gets capture and
    the last always close; the default five conversions get one each. A funnel of two
    stages has one conversion, into customers: close. The texts name the conversion's
    stages (``"MQL -> SQL rate"``).

    >>> plays = playbook_for(["Leads", "SQL", "Demos", "Won"])
    >>> [play.action.split(":")[0] for play in plays.values()]
    ['Attract', 'Conversion-rate optimisation', 'Lead nurturing', 'Close']
    >>> plays["SQL -> Demos"].kpis
    ('email open and click rates', 'SQL -> Demos rate')
    """
    names = [str(stage) for stage in stages]
    plays = {}
    for i, (key, play) in enumerate(play_templates(names).items()):
        stage = {"upper": names[max(i - 1, 0)], "lower": names[i]}  # i = 0 is the top
        plays[key] = Play(
            play.action.format(**stage), tuple(kpi.format(**stage) for kpi in play.kpis)
        )
    return plays


#: The playbook of the default funnel (Visits -> Leads -> ... -> Customers).
DEFAULT_PLAYBOOK: dict[str, Play] = playbook_for(DEFAULT_STAGES)
