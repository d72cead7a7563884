"""Reading a segments table: CSV and YAML, empty cells from the company plan, and every bad
cell named by row and column."""

from __future__ import annotations

import pytest

from kpi_planner.company.table import SegmentTableError, read_segments
from kpi_planner.inputs.tables import TableError
from kpi_planner.plan.one_plan import PlanInputs


def write(tmp_path, text, name="segments.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_empty_cells_take_the_company_plan(tmp_path):
    path = write(tmp_path, "Segment,Kind,Share,DealSize\nEMEA,region,60%,50000\nUS,,40%,\n")
    company = PlanInputs(deal_size=80_000, marketing_budget=1e6)
    emea, us = read_segments(path, company)
    assert (emea.name, emea.kind, emea.share, emea.plan.deal_size) == ("EMEA", "region", 0.6, 5e4)
    assert (us.kind, us.share, us.plan.deal_size) == (None, 0.4, 80_000)
    assert us.plan.stages == company.stages
    assert us.plan.marketing_budget == 1e6


def test_yaml_segments_with_lists(tmp_path):
    path = write(tmp_path, """segments:
  - segment: Partners
    kind: source
    share: 25%
    deal_size: 85000
    stages: [Leads, Deal registrations, Customers]
    rates: [20%, 50%]
  - segment: Direct
    revenue_goal: 1000000
""", "segments.yaml")  # fmt: skip
    partners, direct = read_segments(path, PlanInputs())
    assert partners.plan.stages == ("Leads", "Deal registrations", "Customers")
    assert partners.plan.rates == (0.2, 0.5)
    assert partners.share == 0.25
    assert direct.plan.revenue_goal == 1e6
    assert direct.share is None


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("Segment,DealSize\nEMEA,50000\n",
         "row 2, column 'RevenueGoal': is empty and the segment has no Share"),
        ("Segment,Share,RevenueGoal\nEMEA,50%,1000000\n",
         "row 2, column 'Share': and RevenueGoal are both given"),
        ("Segment,Share\nEMEA,50%\nEMEA,50%\n",
         "row 3, column 'Segment': names another row's segment too"),
        ("Segment,Share\n,100%\n", "row 2, column 'Segment': is empty: name the segment"),
        ("Segment,Share\nEMEA,150%\n", "row 2, column 'Share'"),
        ("Segment,Share,DealSize\nEMEA,100%,-5\n", "row 2, column 'DealSize'"),
        ("Segment,Share,StageNames1,StageNames2,StageRates1\nA,50%,Leads,MQL,0.2\n"
         "B,50%,Leads,MQLs,0.2\n",
         "row 3, column 'StageNames2': is typed 'MQL' in segment 'A'"),
    ],
)  # fmt: skip
def test_bad_cells_are_named_by_row_and_column(tmp_path, table, message):
    with pytest.raises(SegmentTableError) as err:
        read_segments(write(tmp_path, table), PlanInputs())
    assert message in str(err.value)


def test_a_table_without_a_segment_column_says_so(tmp_path):
    with pytest.raises(TableError, match="has no Segment column"):
        read_segments(write(tmp_path, "Region,Share\nEMEA,100%\n"), PlanInputs())
