"""The Excel functions, called through xlwings' own Windows UDF machinery.

Each call goes through ``xlwings.com_server.XLPython.CallUDF``, xlwings' decorators'
metadata and its argument and result conversion, with arguments shaped as COM passes
them: floats, ``None`` for an empty cell, tuples of row tuples for a range, an integer
for an error cell, and -2147352572 for an omitted optional argument.
"""

import pytest
from kpi_planner_addin.xlwings_windows import Variant, decorate, load

from kpi_engine import KPIInputError

MODULE = "kpi_planner_addin.functions"
OMITTED = -2147352572
DIV0 = -2146826281
SEED_COLUMN = ((0.015,), (0.2,), (0.2,), (0.4,), (0.5,))
SEED_ROW = ((0.015, 0.2, 0.2, 0.4, 0.5),)


def column(result):
    return [row[0] for row in result]


@pytest.fixture(scope="module")
def excel():
    _, com_server = load()
    decorate(MODULE)
    server = com_server.XLPython()

    def call(name, *args):
        return server.CallUDF(MODULE, name, args)

    return call


def test_funnel_required_spills_the_seed_example(excel):
    # =FUNNEL_REQUIRED(9, {0.015;0.2;0.2;0.4;0.5}, , 12): the contract's monthly volumes.
    expected = pytest.approx([6250.0, 93.75, 18.75, 3.75, 1.5, 0.75])
    result = excel("FUNNEL_REQUIRED", 9.0, SEED_COLUMN, OMITTED, 12.0)
    assert all(len(row) == 1 for row in result)  # one column: a vertical spill
    assert column(result) == expected
    # The same rates as a row range, and with empty cells after them, give the same.
    assert column(excel("FUNNEL_REQUIRED", 9.0, SEED_ROW, None, 12.0)) == expected
    padded = ((0.015, 0.2, 0.2, 0.4, 0.5, None, None),)
    assert column(excel("FUNNEL_REQUIRED", 9.0, padded, OMITTED, 12.0)) == expected


def test_funnel_required_revenue_goal_in_whole_numbers(excel):
    # 10,000,000 / 1,100,000 a year, whole numbers: 83,334 / 1,250 / 250 / 50 / 20 / 10.
    result = excel("FUNNEL_REQUIRED", 1e7, SEED_COLUMN, 1.1e6, OMITTED, True)
    assert result == [[83_334.0], [1_250.0], [250.0], [50.0], [20.0], [10.0]]


def test_funnel_forward_adds_revenue(excel):
    # 6000 visits: 90 / 18 / 3.6 / 1.44 / 0.72 customers; * 1,100,000 = 792,000.
    result = excel("FUNNEL_FORWARD", 6000.0, SEED_COLUMN, 1.1e6)
    assert column(result) == pytest.approx([6000, 90, 18, 3.6, 1.44, 0.72, 792_000])


def test_value_functions_match_the_contract(excel):
    assert excel("CLV", 1000.0, 0.8, 0.2, OMITTED, OMITTED, OMITTED) == 4000
    assert excel("CLV", 1000.0, 0.8, 0.2, 0.1, None, None) == pytest.approx(2933.3333333)
    assert excel("ROI", 50_000.0, 10_000.0, OMITTED, OMITTED) == 4
    assert excel("ROI", 50_000.0, 10_000.0, 0.6, OMITTED) == 2
    assert excel("ROI", 50_000.0, 10_000.0, 0.6, 5_000.0) == 1.5
    # =CAC(A1:C1, 25) with 30,000 / 12,000 / empty: 42,000 / 25 = 1,680.
    assert excel("CAC", ((30_000.0, 12_000.0, None),), 25.0) == 1680
    assert excel("CAC", 50_000.0, 25.0) == 2000


def test_the_other_kpis(excel):
    assert excel("COST_PER", 24_000.0, 400.0) == 60  # 24,000 / 400 leads
    assert excel("CONVERSION_RATE", 90.0, 6000.0) == pytest.approx(0.015)
    assert excel("LTV_CAC", 4000.0, 1250.0) == pytest.approx(3.2)
    assert excel("CAC_PAYBACK", 6000.0, 1000.0, 0.8) == 7.5
    # A range of answers: 5 promoters, 3 passives, 2 detractors of 10 -> +30.
    scores = ((10.0,), (9.0,), (9.0,), (8.0,), (7.0,), (7.0,), (6.0,), (3.0,), (10.0,), (9.0,))
    assert excel("NPS", scores, OMITTED, OMITTED) == 30
    # Counts: 30 promoters, 50 passives, 20 detractors -> +10 (DELA's published example).
    assert excel("NPS", 30.0, 50.0, 20.0) == 10


def test_undefined_math_is_div0_that_iferror_catches(excel):
    assert excel("CAC", 1000.0, 0.0) == Variant(10, DIV0)
    assert excel("ROI", 5.0, 0.0, OMITTED, OMITTED) == Variant(10, DIV0)
    assert excel("FUNNEL_REQUIRED", 9.0, ((0.5,), (0.0,)), OMITTED, OMITTED) == Variant(10, DIV0)


def test_an_error_cell_among_the_inputs_propagates(excel):
    na = -2146826246
    assert excel("ROI", float(na), 10.0, OMITTED, OMITTED) == Variant(10, na)
    assert excel("CAC", ((1000.0, DIV0),), 3.0) == Variant(10, DIV0)


def test_bad_input_raises_a_message_that_names_argument_value_and_rule(excel):
    # In Excel the wrapper puts Err.Description, this message, into the cell.
    with pytest.raises(KPIInputError, match=r"rates\[0\] \(Visits -> Leads\) = 15: .*0\.15"):
        excel("FUNNEL_REQUIRED", 9.0, ((15.0, 0.2, 0.2, 0.4, 0.5),), OMITTED, OMITTED)
    with pytest.raises(KPIInputError, match="investment = -3: must be above 0"):
        excel("ROI", 5.0, -3.0, OMITTED, OMITTED)
    # An empty required cell is said as such, not as Python's None or NaN.
    with pytest.raises(KPIInputError, match=r"churn_rate = \(empty\): is required"):
        excel("CLV", 1000.0, 0.8, None, OMITTED, OMITTED, OMITTED)


def test_every_function_has_a_category_a_description_and_argument_help():
    module = decorate(MODULE)
    functions = [getattr(module, name) for name in dir(module) if name.isupper()]
    functions = [f for f in functions if hasattr(f, "__xlfunc__")]
    assert {f.__name__ for f in functions} >= {
        "FUNNEL_REQUIRED", "FUNNEL_FORWARD", "CAC", "CLV", "ROI", "COST_PER",
        "CONVERSION_RATE", "LTV_CAC", "CAC_PAYBACK", "NPS",
    }  # fmt: skip
    for function in functions:
        info = function.__xlfunc__
        assert info["category"] == "KPI Planner"
        assert info["ret"]["doc"].strip()
        assert len(info["ret"]["doc"]) <= 255  # Excel's limit for a description
        for argument in info["args"]:
            assert not argument["doc"].startswith("Positional argument"), argument["name"]
            assert len(argument["doc"]) <= 255
        assert "expand" not in info["ret"]["options"]  # native dynamic arrays only


def test_tracking_functions(excel):
    import datetime as dt

    plan_column = ((6000.0,), (90.0,), (18.0,), (3.6,), (1.44,), (0.72,))
    # Seed 002: 0.5 % of visits become leads against 1.5 % planned.
    actual = ((6000.0,), (30.0,), (6.0,), (1.2,), (0.48,), (0.24,))
    text = excel("FOCUS_AREA", actual, plan_column, OMITTED)
    assert text.startswith("Focus on the Visits -> Leads rate: 33% of plan.")
    assert excel("FOCUS_AREA", plan_column, plan_column, OMITTED) == "On plan"
    assert excel("ATTAINMENT", 1000.0, 1250.0) == 0.8
    assert excel("ATTAINMENT", 5.0, 0.0) == Variant(10, DIV0)
    # +20 SQL from 1 Jan to 1 Apr; 106 on 15 Feb is 20 points behind the steady path.
    args = (100.0, 120.0, dt.datetime(2027, 1, 1), dt.datetime(2027, 4, 1), 106.0)
    assert excel("GOAL_STATUS", *args, dt.datetime(2027, 2, 15), "Ana") == "at risk"
    with pytest.raises(KPIInputError, match=r"^owner = \(empty\): is not SMART: no owner"):
        excel("GOAL_STATUS", *args, dt.datetime(2027, 2, 15), None)


def test_goal_status_takes_dates_computed_in_excel(excel):
    # =GOAL_STATUS(100, 120, DATE(2027,1,1), DATE(2027,4,1), 106, DATE(2027,2,15), "Ana"):
    # computed dates reach Python as serial numbers, 1 January 2027 = 46388 (days since
    # 30 December 1899), 1 April = 46478, 15 February = 46433. Same goal as above: at risk.
    assert excel("GOAL_STATUS", 100.0, 120.0, 46388.0, 46478.0, 106.0, 46433.0, "Ana") == "at risk"
    with pytest.raises(KPIInputError, match="is not a date"):
        excel("GOAL_STATUS", 100.0, 120.0, 46388.0, 12.0, 106.0, 46433.0, "Ana")


def test_pipeline_functions(excel):
    import datetime as dt

    # =EXPECTED_CLOSES(A1:D1, F1:H1): 40 a month, 10 % / 20 % / 5 % (by hand: 4, 12, 14, 14).
    row = ((40.0, 40.0, 40.0, 40.0),)
    assert excel("EXPECTED_CLOSES", row, ((0.1, 0.2, 0.05),)) == pytest.approx([4, 12, 14, 14])
    # The last two months need 10 and 15: 14 - 10 = 4, 14 - 15 = -1.
    gap = excel("PIPELINE_GAP", row, ((0.1, 0.2, 0.05),), ((10.0, 15.0),))
    assert gap == pytest.approx([4, -1])
    # A curve over 100 % is refused with the engine's message.
    with pytest.raises(KPIInputError, match=r"adds up to 1\.1, more than 1"):
        excel("EXPECTED_CLOSES", row, ((0.5, 0.6),))
    # Date cells arrive as datetimes; a column sized for more rows ends in empty cells.
    created = ((dt.datetime(2026, 1, 5),), (dt.datetime(2026, 1, 6),), (None,), (None,))
    won = ((dt.datetime(2026, 1, 20),), (None,), (None,), (None,))
    curve = excel("CLOSE_RATE_CURVE", created, won, OMITTED, dt.datetime(2026, 1, 31))
    assert curve == pytest.approx(0.5)  # 1 of January's 2 won in January (one cell)
    with pytest.raises(
        KPIInputError, match="row 1: won_dates = '2026-01-01': is before the created"
    ):
        excel("CLOSE_RATE_CURVE", ((dt.datetime(2026, 1, 5),),), ((dt.datetime(2026, 1, 1),),),
              OMITTED, OMITTED)  # fmt: skip


def test_channel_functions(excel):
    # Seed 000 below leads: 0.2 x 0.2 x 0.4 x 0.5 = 0.8 % of leads close, so 9 customers
    # need 1,125 leads; search 60 % at 50 a lead, events 40 % at 120 (a row and a column).
    shares, costs = ((0.6, 0.4),), ((50.0,), (120.0,))
    budgets = excel("CHANNEL_BUDGET", 9.0, SEED_ROW, shares, costs)
    assert column(budgets) == pytest.approx([675 * 50, 450 * 120])  # 33,750 and 54,000
    assert excel("BUDGET_NEEDED", 9.0, SEED_ROW, shares, costs) == pytest.approx(87_750)
    # Events' own Leads -> MQL rate of 30 % (search's row left empty): events close 1.2 %,
    # the mix 0.6 x 0.008 + 0.4 x 0.012 = 0.0096: 9 / 0.0096 x 78 = 73,125.
    own = ((None,), (0.3,))
    assert excel("BUDGET_NEEDED", 9.0, SEED_ROW, shares, costs, OMITTED, own) == pytest.approx(
        73_125
    )
    # Forward: 87,750 buys the 1,125 leads again, 9 customers x 1,100,000.
    revenue = excel("REACHABLE_REVENUE", 87_750.0, SEED_ROW, shares, costs, 1.1e6)
    assert revenue == pytest.approx(9.9e6)
    # The ranking spills with a header row; events 10 % cheaper saves 450 x 12 = 5,400.
    table = excel("SENSITIVITY", 9.0, SEED_ROW, (("Search", "Events"),), shares, costs)
    assert table[0] == ["Input", "Budget saved", "Top stage saved"]
    saved = {row[0]: row[1] for row in table[1:]}
    assert saved["Events cost per unit"] == pytest.approx(5_400)
    assert saved["Search cost per unit"] == pytest.approx(1_125 * 0.6 * 5)
    # Shares that do not add up to 100 % are refused with the engine's message.
    with pytest.raises(KPIInputError, match=r"add up to 90 %, 10 % short of 100 %"):
        excel("BUDGET_NEEDED", 9.0, SEED_ROW, ((0.5, 0.4),), costs)


def test_arr_bridge_worked_from_first_principles(excel):
    # Start 10,000,000; GRR 90 %: the customers keep 9,000,000, so churn and contraction
    # lose 1,000,000 (a decrease, negative). NRR 110 %: they bring 11,000,000, so expansion
    # is 11 - 9 = 2,000,000, and a 15,000,000 target leaves new logos 15 - 11 = 4,000,000.
    table = excel("ARR_BRIDGE", 10e6, 1.1, 0.9, 15e6)
    assert [row[0] for row in table] == [
        "Starting ARR", "Expansion", "Churn and contraction", "New logos", "Ending ARR",
    ]  # fmt: skip
    amounts = [row[1] for row in table]
    assert amounts == pytest.approx([10e6, 2e6, -1e6, 4e6, 15e6])
    # The rows above the ending ARR add up to it, as a bridge (and a waterfall chart) reads.
    assert sum(amounts[:4]) == pytest.approx(amounts[4])
    with pytest.raises(KPIInputError, match=r"^net_retention = 110: .*write 1\.1"):
        excel("ARR_BRIDGE", 10e6, 110.0, 0.9, 15e6)


def test_sourced_deals_reproduce_sbi(excel):
    # SBI: 25 % of a $30,000,000 goal from marketing = $7,500,000; at $85,000 a deal
    # 7,500,000 / 85,000 = 88.235..., so at least 89 whole deals (the default).
    assert excel("SOURCED_DEALS", 30e6, 0.25, 85_000.0, OMITTED) == 89
    assert excel("SOURCED_DEALS", 30e6, 0.25, 85_000.0, None) == 89  # an empty cell
    assert excel("SOURCED_DEALS", 30e6, 0.25, 85_000.0, False) == pytest.approx(88.2353, abs=1e-4)
    # A share of 150 % is no share: the engine's message, naming the Excel argument.
    with pytest.raises(KPIInputError, match=r"^share = 1\.5: must be a fraction between 0 and 1"):
        excel("SOURCED_DEALS", 30e6, 1.5, 85_000.0, OMITTED)
    assert excel("SOURCED_DEALS", 30e6, 0.25, 0.0, OMITTED) == Variant(10, DIV0)


#: README's company: two regions and a partner source, one segment per row, a shorter
#: funnel's last cell empty. Volumes by hand: EMEA 2,000,000 / 50,000 = 40 customers,
#: / 25 % = 160 opportunities, / 20 % = 800 MQL, / 25 % = 3,200 leads; US 1,200,000 gives
#: 24, 96, 480, 1,920; Partners 800,000 / 100,000 = 8, / 50 % = 16 deal registrations,
#: / 20 % = 80 leads.
COMPANY_STAGES = (
    ("Leads", "MQL", "Opportunities", "Customers"),
    ("Leads", "MQL", "Opportunities", "Customers"),
    ("Leads", "Deal registrations", "Customers", None),
)
COMPANY_VOLUMES = (
    (3200.0, 800.0, 160.0, 40.0),
    (1920.0, 480.0, 96.0, 24.0),
    (80.0, 16.0, 8.0, None),
)
SEGMENTS = (("EMEA",), ("US",), ("Partners",))


def test_segment_rollup_adds_the_readme_company_by_stage_name(excel):
    # Leads 3,200 + 1,920 + 80 = 5,200; MQL 800 + 480 = 1,280; opportunities 160 + 96 =
    # 256; deal registrations the partners' 16, between MQL and Customers as the partners'
    # funnel has them; customers 40 + 24 + 8 = 72.
    table = excel("SEGMENT_ROLLUP", COMPANY_STAGES, COMPANY_VOLUMES, SEGMENTS)
    assert table == [
        ["Leads", 5200.0], ["MQL", 1280.0], ["Opportunities", 256.0],
        ["Deal registrations", 16.0], ["Customers", 72.0],
    ]  # fmt: skip
    # Without the segments' names; a range sized for more segments (empty rows), and a
    # shorter funnel's cells read as "" or 0 (a formula's empty text, =A1 of an empty A1).
    stages = (*COMPANY_STAGES[:2], ("Leads", "Deal registrations", "Customers", ""),
              (None,) * 4)  # fmt: skip
    volumes = (*COMPANY_VOLUMES[:2], (80.0, 16.0, 8.0, 0.0), (None,) * 4)
    assert excel("SEGMENT_ROLLUP", stages, volumes, OMITTED) == table


def test_segment_rollup_refuses_a_stage_typed_two_ways_with_the_engine_s_message(excel):
    stages = (COMPANY_STAGES[0], ("Leads", "MQLs", "Opportunities", "Customers"))
    with pytest.raises(KPIInputError) as raised:
        excel("SEGMENT_ROLLUP", stages, COMPANY_VOLUMES[:2], SEGMENTS[:2])
    # The engine's rule, on the cell that holds the name (row 1, column 1, from 0).
    assert str(raised.value) == (
        "stage_names[1][1] (US) = 'MQLs': is typed 'MQL' in segment 'EMEA': type one "
        "stage's name the same way in every segment"
    )
    with pytest.raises(KPIInputError, match=r"^volumes\[2\]\[3\] \(Partners\) = 5: has no stage"):
        excel("SEGMENT_ROLLUP", COMPANY_STAGES, (*COMPANY_VOLUMES[:2], (80.0, 16.0, 8.0, 5.0)),
              SEGMENTS)  # fmt: skip
    with pytest.raises(KPIInputError, match=r"^volumes\[0\]\[1\] \(segment 1\) = \(empty\)"):
        excel("SEGMENT_ROLLUP", (("Leads", "Customers"),), ((100.0, None),), OMITTED)
    with pytest.raises(KPIInputError, match=r"^volumes = 1 row x 4 columns: must have the shape"):
        excel("SEGMENT_ROLLUP", COMPANY_STAGES, COMPANY_VOLUMES[:1], SEGMENTS)


def test_ramp_weights_follow_kellblogs_quarters(excel):
    # Kellblog: 5.0, 5.25, 6.0 and 7.5 million; each quarter's months alike, a third each:
    # 1,666,666.67 x 3, 1,750,000 x 3, 2,000,000 x 3, 2,500,000 x 3 (23,750,000 in all).
    weights = excel("RAMP_WEIGHTS", ((5.0e6, 5.25e6, 6.0e6, 7.5e6),), OMITTED)
    expected = [5.0e6 / 3] * 3 + [1.75e6] * 3 + [2.0e6] * 3 + [2.5e6] * 3
    assert weights == pytest.approx(expected)  # one row: a flat list, which spills across
    # Q1's months weighing 1, 1, 2: 1,250,000, 1,250,000 and 2,500,000 of its 5,000,000.
    seasonality = ((1.0, 1.0, 2.0, *(1.0,) * 9),)
    split = excel("RAMP_WEIGHTS", ((5.0e6,), (5.25e6,), (6.0e6,), (7.5e6,)), seasonality)
    assert split[:3] == pytest.approx([1.25e6, 1.25e6, 2.5e6])
    with pytest.raises(KPIInputError, match="give 4 quarterly or 12 monthly targets"):
        excel("RAMP_WEIGHTS", ((5.0e6, 5.25e6),), OMITTED)


def test_timeline_labels_a_fiscal_year_s_quarters(excel):
    # =TIMELINE(10000000, rates, {0,10,20,15,45}, 0, 1100000, 4, TRUE, 2028, "April"):
    # 90 days of lags put one quarter of lead-in before FY2028 (Apr 2027 - Mar 2028), so
    # Q4 FY2027 first. 10,000,000 / 1,100,000 = 9.09, so 10 whole customers, a quarter
    # of them due by each quarter's end: 2.5, 5, 7.5, 10 rounded up = 3, 2, 3, 2.
    lags = ((0.0, 10.0, 20.0, 15.0, 45.0),)
    fiscal = excel("TIMELINE", 1e7, SEED_COLUMN, lags, 0.0, 1.1e6, 4.0, True, 2028.0, "April",
                   OMITTED)  # fmt: skip
    assert fiscal[0] == ["Stage", "Q4 FY2027", "Q1 FY2028", "Q2 FY2028", "Q3 FY2028",
                         "Q4 FY2028"]  # fmt: skip
    assert fiscal[-1] == ["Customers", 0.0, 3.0, 2.0, 3.0, 2.0]
    # The fiscal year names the periods; the volumes are the calendar year's.
    calendar = excel("TIMELINE", 1e7, SEED_COLUMN, lags, 0.0, 1.1e6, 4.0, True, 2028.0)
    assert calendar[0][1:3] == ["Q4 2027", "Q1 2028"]
    assert [row[1:] for row in fiscal[1:]] == [row[1:] for row in calendar[1:]]


def test_forecast_functions_reproduce_the_published_examples(excel):
    column = (((200_000.0,), (50_000.0,)), ((0.3,), (0.8,)))
    # $200,000 at 30 % and $50,000 at 80 % weigh $100,000.
    assert excel("WEIGHTED_PIPELINE", *column) == 100_000
    # A range sized for more deals than it holds: its empty rows are no deals.
    padded = (((200_000.0,), (50_000.0,), (None,)), ((0.3,), (0.8,), (None,)))
    assert excel("WEIGHTED_PIPELINE", *padded) == 100_000
    with pytest.raises(KPIInputError, match=r"probabilities\[0\] = 1.5: must be a chance"):
        excel("WEIGHTED_PIPELINE", ((200_000.0,),), ((1.5,),))
    # RevOps Inflection: 3.5x coverage of a $20M quarter needs $70M.
    assert excel("DAY_ONE_PIPELINE", 20e6, 3.5) == 70e6
    # Revcast: $650,000 of a $1,000,000 day-one pipeline by day 60 is 65 %; a $1,500,000
    # target needs 65 % of it, $975,000, by then: $975,000 in hand is on pace.
    assert excel("PIPELINE_PACING", 650_000.0, 1e6, OMITTED) == pytest.approx(0.65)
    assert excel("PIPELINE_PACING", 975_000.0, 1.5e6, 0.65) == pytest.approx(1.0)


def test_forecast_landing_is_a_labelled_table_with_the_range(excel):
    # 300,000 closed, 200,000 planned; open: 200,000 at 30 % and 50,000 at 80 % (100,000
    # expected): 600,000, 400,000 short of 1,000,000. Outcomes: 500,000 (14 %), 550,000
    # (56 %), 700,000 (6 %), 750,000 (24 %): P10 500,000, P50 550,000, P90 750,000.
    got = excel("FORECAST_LANDING", 300_000.0, ((200_000.0,), (50_000.0,)), ((0.3,), (0.8,)),
                200_000.0, 1e6)  # fmt: skip
    assert got == [["Closed to date", 300_000], ["Open, expected", 100_000],
                   ["To create, expected", 200_000], ["Landing", 600_000],
                   ["Gap to goal", 400_000], ["P10", 500_000], ["P50", 550_000],
                   ["P90", 750_000], ["Chance of the goal", 0], ["Range", "exact"]]  # fmt: skip


def test_capacity_functions_reproduce_the_published_checks(excel):
    # Kellblog: 5 at 25 % + 3 at 60 % + 2 at 85 % + 15 at 100 % = 19.75 RRE of 25 heads.
    heads, shares = ((5.0,), (3.0,), (2.0,), (15.0,)), ((0.25,), (0.6,), (0.85,), (1.0,))
    assert excel("RAMPED_CAPACITY", heads, shares) == 19.75
    # Kellblog: 300,000 a quarter steady, ramping 0/25/50/100 %: 525,000 in year 1.
    year = excel("RAMPED_OUTPUT", 300_000.0, ((0.0, 0.25, 0.5),), OMITTED)
    assert year == [0, 75_000, 150_000, 300_000]
    # 400 demos a month at 40 an SDR: 10 SDRs; 410 need 11.
    assert excel("HEADCOUNT_NEEDED", ((400.0,), (410.0,)), 40.0) == [10, 11]
    with pytest.raises(KPIInputError, match=r"ramp_shares\[1\] = 1.5: must be 0 to 100 %"):
        excel("RAMPED_CAPACITY", heads[:2], ((0.25,), (1.5,)))
