"""The vectorised face: columns or constants in, one result per row, every bad row reported."""

import math

import numpy as np
import pandas as pd
import pytest

import kpi_engine
from kpi_engine import SEED_RATES, KPIInputError, frame


def test_reverse_funnel_frame_rows_match_the_seed_example():
    # Row "seed": the contract's monthly example; row "double": twice the goal, twice the volumes.
    scenarios = pd.DataFrame({"customers": [9, 18]}, index=["seed", "double"])
    plan = frame.reverse_funnel(scenarios, goal="customers", rates=SEED_RATES, periods=12)
    assert plan.index.tolist() == ["seed", "double"]
    assert plan.loc["seed"].tolist() == pytest.approx([6250, 93.75, 18.75, 3.75, 1.5, 0.75])
    assert plan.loc["double"].tolist() == pytest.approx([12500, 187.5, 37.5, 7.5, 3, 1.5])


def test_reverse_funnel_frame_reads_rates_and_periods_from_columns():
    scenarios = pd.DataFrame(
        {
            "goal": [10e6, 2e6],
            "deal": [1.1e6, 1e6],
            "v2l": [0.015, 0.01],
            "months": [1, 2],
        }
    )
    plan = frame.reverse_funnel(
        scenarios,
        goal="goal",
        deal_size="deal",
        rates=["v2l", 0.2, 0.2, 0.4, 0.5],
        periods="months",
        whole_numbers=True,
    )
    # Row 0 is the seed year: 83,334 visits. Row 1: 2 customers / 2 periods = 1 -> 2 opps ->
    # 5 SQL -> 25 MQL -> 125 leads -> 125 / 0.01 = 12,500 visits.
    assert plan.iloc[0].tolist() == [83_334, 1_250, 250, 50, 20, 10]
    assert plan.iloc[1].tolist() == [12_500, 125, 25, 5, 2, 1]


def test_every_bad_row_is_reported_with_its_label_column_and_rule():
    scenarios = pd.DataFrame(
        {
            "goal": [10e6, -5, 3e6, 1e6],
            "deal_size": [1e6, 1e6, 0, 1e6],
            "v2l": [0.015, 15, 0.02, "n/a"],
        },
        index=["EMEA", "APAC", "LATAM", "NA"],
    )
    with pytest.raises(KPIInputError) as err:
        frame.reverse_funnel(
            scenarios, goal="goal", deal_size="deal_size", rates=["v2l", 0.2, 0.2, 0.4, 0.5]
        )
    assert err.value.rows == ["APAC", "LATAM", "NA"]
    assert [str(p) for p in err.value.problems] == [
        "row 'APAC': v2l (Visits -> Leads rate) = 15: must be a fraction between 0 and 1; "
        "15 looks like a percentage: write 0.15 for 15 %",
        "row 'APAC': goal = -5: must be 0 or more: a revenue goal cannot be negative",
        "row 'LATAM': deal_size = 0: a deal size of 0 means no number of customers reaches a "
        "revenue goal; give the average revenue per new customer",
        "row 'NA': v2l (Visits -> Leads rate) = 'n/a': is not a number",
    ]
    assert str(err.value).startswith("4 problems in 3 rows:\n  - row 'APAC'")


def test_good_rows_can_be_computed_after_dropping_the_reported_ones():
    scenarios = pd.DataFrame({"revenue": [5e4, 8e4, 1e3], "investment": [1e4, 0, 500]})
    with pytest.raises(KPIInputError) as err:
        frame.roi(scenarios)
    good = frame.roi(scenarios.drop(index=err.value.rows))
    # (50,000 - 10,000) / 10,000 = 4; (1,000 - 500) / 500 = 1.
    assert good.to_dict() == {0: 4.0, 2: 1.0}


def test_a_missing_column_suggests_the_closest_name():
    scenarios = pd.DataFrame({"revenue": [1.0], "investmnt": [1.0]})
    with pytest.raises(KPIInputError) as err:
        frame.roi(scenarios)
    assert str(err.value) == (
        "investment = 'investment': no such column (the frame has 'revenue', 'investmnt'); "
        "did you mean 'investmnt'?"
    )


def test_optional_arguments_default_to_the_scalar_defaults_without_a_column():
    scenarios = pd.DataFrame({"revenue_per_period": [1000.0], "gross_margin": [0.8]})
    result = frame.clv(scenarios, churn_rate=0.2)
    assert result.tolist() == [kpi_engine.clv(1000, 0.8, 0.2)]
    with_column = scenarios.assign(churn_rate=0.2, discount_rate=0.1)
    assert frame.clv(with_column).tolist() == [kpi_engine.clv(1000, 0.8, 0.2, 0.1)]


def test_spend_lines_from_several_columns_are_added():
    scenarios = pd.DataFrame({"media": [30_000, 0], "salaries": [20_000, 10], "won": [25, 5]})
    result = frame.cac(scenarios, spend=["media", "salaries"], new_customers="won")
    # (30,000 + 20,000) / 25 = 2,000; 10 / 5 = 2.
    assert result.tolist() == [2000, 2]
    assert result.name == "cac"


def test_frame_faces_of_every_per_row_kpi():
    scenarios = pd.DataFrame(
        {
            "top_volume": [6000.0],
            "clv": [4000.0],
            "cac": [1250.0],
            "revenue_per_period": [1000.0],
            "gross_margin": [0.8],
            "promoters": [30],
            "passives": [50],
            "detractors": [20],
            "sent": [10_000],
            "delivered": [9_800],
            "unique_opens": [2_450],
            "unique_clicks": [392],
            "unsubscribes": [49],
            "leads": [90.0],
            "mql": [18.0],
        }
    )
    forward = frame.forward_funnel(scenarios, top_volume="top_volume", rates=SEED_RATES)
    assert forward.iloc[0].tolist() == list(
        kpi_engine.forward_funnel(6000, SEED_RATES).volumes.values()
    )
    assert frame.ltv_to_cac(scenarios).tolist() == [kpi_engine.ltv_to_cac(4000, 1250)]
    assert frame.cac_payback_periods(scenarios).tolist() == [
        kpi_engine.cac_payback_periods(1250, 1000, 0.8)
    ]
    assert frame.nps_from_counts(scenarios).tolist() == [10.0]
    email = frame.email_rates(scenarios)
    assert email.iloc[0].tolist() == list(
        vars(kpi_engine.email_rates(10_000, 9_800, 2_450, 392, 49)).values()
    )
    rates = frame.conversion_rates(scenarios, ["leads", "mql"])
    assert rates.columns.tolist() == ["leads -> mql"]
    assert rates.iloc[0, 0] == pytest.approx(0.2)
    costs = frame.cost_per_stage(scenarios, spend=9000, volumes={"Leads": "leads", "MQL": "mql"})
    assert costs.iloc[0].tolist() == [100, 500]  # 9000 / 90, 9000 / 18
    assert frame.cost_per(scenarios, spend=9000, count="leads").tolist() == [100]


def test_a_series_of_the_wrong_length_is_refused():
    scenarios = pd.DataFrame({"revenue": [1.0, 2.0]})
    with pytest.raises(KPIInputError, match="has 3 values but the frame has 2 rows"):
        frame.roi(scenarios, investment=np.array([1.0, 2.0, 3.0]))


def test_an_empty_frame_gives_an_empty_result():
    empty = pd.DataFrame({"revenue": [], "investment": []})
    assert frame.roi(empty).empty


def test_infinite_horizon_column_values():
    scenarios = pd.DataFrame({"h": [math.inf, 3]})
    result = frame.clv(
        scenarios, revenue_per_period=1000, gross_margin=0.8, churn_rate=0.2, horizon_periods="h"
    )
    assert result.tolist() == [
        kpi_engine.clv(1000, 0.8, 0.2),
        kpi_engine.clv(1000, 0.8, 0.2, 0, 0, 3),
    ]


def test_rules_across_arguments_name_the_column_too():
    scenarios = pd.DataFrame({"churn": [0.0], "mrr": [1000.0]}, index=["no-churn"])
    with pytest.raises(KPIInputError) as err:
        frame.clv(scenarios, revenue_per_period="mrr", gross_margin=0.8, churn_rate="churn")
    assert str(err.value).startswith(
        "row 'no-churn': churn (churn_rate) = 0: is 0 with no discount_rate and no horizon"
    )


def four_kpis(df: pd.DataFrame) -> dict[str, pd.DataFrame | pd.Series]:
    funnel = frame.reverse_funnel(df, goal="goal", deal_size="deal", rates=["rate", 0.5],
                                  whole_numbers=True)  # fmt: skip
    return {"funnel": funnel, "cac": frame.cac(df), "clv": frame.clv(df), "roi": frame.roi(df)}


def test_large_frames_are_computed_in_blocks_with_the_same_bits_and_all_problems(monkeypatch):
    # Issue 14: 10 million rows run in blocks of a million (time linear in the rows); the
    # blocks must give what one call gives, and report every bad row of every block.
    rng = np.random.default_rng(4)
    df = pd.DataFrame({"goal": rng.uniform(1e5, 1e7, 11), "deal": rng.uniform(1e3, 1e6, 11),
                       "rate": rng.uniform(0.01, 0.9, 11), "spend": rng.uniform(0, 1e6, 11),
                       "new_customers": rng.uniform(1, 100, 11),
                       "revenue": rng.uniform(0, 1e6, 11), "investment": rng.uniform(1, 1e5, 11),
                       "revenue_per_period": 100.0, "gross_margin": 0.8,
                       "churn_rate": rng.uniform(0.01, 0.5, 11)})  # fmt: skip
    whole = four_kpis(df)
    monkeypatch.setattr(frame, "BLOCK_ROWS", 3)
    blocked = four_kpis(df)
    for name, result in whole.items():
        np.testing.assert_array_equal(blocked[name].to_numpy(), result.to_numpy(), err_msg=name)
        assert list(blocked[name].index) == list(df.index)
    # The blocks are written into one result laid out as the whole call's is (stages x
    # rows for the funnel), so the frame takes it without a copy.
    whole_funnel, blocked_funnel = whole["funnel"].to_numpy(), blocked["funnel"].to_numpy()
    assert blocked_funnel.flags.f_contiguous == whole_funnel.flags.f_contiguous
    bad = df.assign(investment=[1.0, 0.0, 5.0, 5.0, -2.0, 5.0, 5.0, 5.0, 0.0, 5.0, 5.0])
    with pytest.raises(KPIInputError) as caught:
        frame.roi(bad)
    assert [problem.row for problem in caught.value.problems] == [1, 4, 8]


@pytest.mark.parametrize(
    ("periods", "stages"),
    [(["P1", "P2", "P10"], ["Visits", "Leads", "Won"]),  # from_product would sort P10 first
     (["Jan", "Feb"], ["Leads", "Leads", "Won"])],  # a repeated name: from_product itself
)  # fmt: skip
def test_period_stage_columns_are_the_product_of_periods_and_stages(periods, stages):
    columns = frame._period_stage_columns(periods, stages)
    product = pd.MultiIndex.from_product([periods, stages], names=["period", "stage"])
    assert columns.equals(product)
    assert list(columns) == [(p, s) for p in periods for s in stages]
    assert columns.names == ["period", "stage"]
