"""NPS, email rates and stage velocity."""

import math

import pandas as pd
import pytest

from kpi_engine import KPIInputError, email_rates, nps, nps_from_counts, stage_velocity


def test_nps_published_example():
    # DELA annual report 2018, glossary "Net Promotor Score": 30 % promoters and 20 %
    # detractors give an NPS of +10.
    assert nps_from_counts(30, 50, 20) == 10


def test_nps_bounds():
    assert nps_from_counts(5, 0, 0) == 100
    assert nps_from_counts(0, 0, 5) == -100
    assert nps_from_counts(0, 7, 0) == 0


def test_nps_from_raw_scores_counts_the_bands():
    # 9-10: 10, 9, 9, 10, 9 = 5 promoters; 7-8: 8, 7, 7 = 3 passives; 0-6: 6, 3 = 2 detractors.
    # (5 - 2) / 10 = 30 %.
    assert nps([10, 9, 9, 8, 7, 7, 6, 3, 10, 9]) == 30
    # Missing answers are skipped: 1 promoter of 2 answers, 1 detractor -> 0.
    assert nps([10, None, math.nan, 0]) == 0


def test_nps_reports_every_bad_score_with_its_position():
    with pytest.raises(KPIInputError) as err:
        nps([10, 11, 7.5, "nine"])
    assert [str(p) for p in err.value.problems] == [
        "row 1: scores = 11: must be a whole number from 0 to 10",
        "row 2: scores = 7.5: must be a whole number from 0 to 10",
        "row 3: scores = 'nine': must be a whole number from 0 to 10",
    ]


def test_nps_without_answers_is_undefined():
    with pytest.raises(KPIInputError, match="has no answers"):
        nps([None])
    with pytest.raises(KPIInputError, match="NPS is undefined"):
        nps_from_counts(0, 0, 0)


def test_email_rates():
    # 9,800 / 10,000 = 0.98; 2,450 / 9,800 = 0.25; 392 / 9,800 = 0.04; 392 / 2,450 = 0.16;
    # 49 / 9,800 = 0.005.
    rates = email_rates(10_000, 9_800, 2_450, 392, 49)
    assert rates.delivery_rate == pytest.approx(0.98)
    assert rates.open_rate == pytest.approx(0.25)
    assert rates.click_through_rate == pytest.approx(0.04)
    assert rates.click_to_open_rate == pytest.approx(0.16)
    assert rates.unsubscribe_rate == pytest.approx(0.005)
    assert math.isnan(email_rates(100, 100, 0, 0, 0).click_to_open_rate)


def test_email_counts_must_be_consistent():
    with pytest.raises(KPIInputError) as err:
        email_rates(100, 120, 130, 10, 0)
    assert [p.argument for p in err.value.problems] == ["delivered", "unique_opens"]
    assert "delivered = 120: cannot exceed sent" in str(err.value)


def test_stage_velocity_from_stage_dates():
    # Lead a: 1 Jan -> MQL 11 Jan (10 days) -> SQL 31 Jan (20 days).
    # Lead b: 5 Jan -> MQL 9 Jan (4 days), no SQL. Lead c: never MQL.
    leads = pd.DataFrame(
        {
            "lead": pd.to_datetime(["2026-01-01", "2026-01-05", "2026-01-10"]),
            "mql": pd.to_datetime(["2026-01-11", "2026-01-09", None]),
            "sql": pd.to_datetime(["2026-01-31", None, None]),
        }
    )
    table = stage_velocity(leads, ["lead", "mql", "sql"])
    assert table.loc["lead"].tolist() == [2, 7.0, 7.0]  # (10 + 4) / 2
    assert table.loc["mql"].tolist() == [1, 20.0, 20.0]


def test_stage_velocity_reports_dates_out_of_order_and_unreadable():
    leads = pd.DataFrame(
        {"lead": ["2026-02-01", "not a date"], "mql": ["2026-01-01", "2026-01-02"]},
        index=["L-1", "L-2"],
    )
    with pytest.raises(KPIInputError) as err:
        stage_velocity(leads, ["lead", "mql"])
    assert [str(p) for p in err.value.problems] == [
        "row 'L-1': mql = '2026-01-01': is before the date in 'lead': a lead cannot enter a "
        "stage before the one above",
        "row 'L-2': lead = 'not a date': is not a date",
    ]
    with pytest.raises(KPIInputError, match="has columns not in the table: \\['sql'\\]"):
        stage_velocity(leads, ["lead", "sql"])
