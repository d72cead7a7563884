"""The playbook by position: every funnel, whatever its names and length, gets advice."""

import pytest

from kpi_engine import DEFAULT_PLAYBOOK, TRAFFIC, playbook_for, transition_names


def first_words(plays):
    return [play.action.split(":")[0] for play in plays.values()]


def test_the_default_funnel_gets_the_articles_five_plays_in_order():
    # DOMAIN.md section 4 (seed 002), top down: attract, CRO, form strategy, nurturing,
    # removing friction; closing is the usual last step.
    assert first_words(DEFAULT_PLAYBOOK) == [
        "Attract", "Conversion-rate optimisation", "Form strategy", "Lead nurturing",
        "Remove friction between prospects and sales", "Close",
    ]  # fmt: skip
    assert DEFAULT_PLAYBOOK["MQL -> SQL"].kpis == ("email open and click rates", "MQL -> SQL rate")


@pytest.mark.parametrize("length", range(2, 13))
def test_every_conversion_of_every_length_has_a_play_first_capture_last_close(length):
    stages = [f"Étape {i}" for i in range(1, length)] + ["Won"]
    plays = playbook_for(stages)
    assert list(plays) == [TRAFFIC, *transition_names(stages)]
    words = first_words(plays)[1:]
    assert words[-1] == "Close"
    if length > 2:
        assert words[0] == "Conversion-rate optimisation"
    order = ["Conversion-rate optimisation", "Form strategy", "Lead nurturing",
             "Remove friction between prospects and sales", "Close"]  # fmt: skip
    positions = [order.index(w) for w in words]
    assert positions == sorted(positions)  # advice never goes back up the funnel


def test_stage_names_with_braces_are_text_not_templates():
    plays = playbook_for(["{Visits}", "Leads {x}", "Won"])
    assert "new Leads {x}" in plays["{Visits} -> Leads {x}"].kpis
