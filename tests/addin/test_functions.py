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
