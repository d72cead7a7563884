"""The add-in's self-test: every custom function called through Excel on known inputs.

One :class:`Check` per case, each with the formula a user would type, the same inputs as
Excel hands them to Python (for CI, which calls the functions through xlwings' own call
path), and the expected result worked out by independent arithmetic, written beside it.
:func:`selftest_sheet` lays the checks out as a sheet of the workbook spec, so the same
sheet is rendered by openpyxl (``addin/selftest.xlsx``) and into the open workbook by the
ribbon's "Self-test" button; each row shows PASS or FAIL from a live formula comparing
Excel's result with the expected value.
"""

from __future__ import annotations

from dataclasses import dataclass

from kpi_planner.workbook import spec

SHEET = "KPI Planner self-test"
SELFTEST_FILE = "selftest.xlsx"
#: What COM passes for an optional argument left out (``=FUNNEL_REQUIRED(9, r, , 12)``).
OMITTED = -2147352572
SEED_RATES = ((0.015,), (0.2,), (0.2,), (0.4,), (0.5,))
SEED_RATES_TEXT = "{0.015;0.2;0.2;0.4;0.5}"


@dataclass(frozen=True)
class Check:
    """One self-test row (or rows, for a spill): a function on known inputs."""

    function: str  # the custom function under test
    what: str  # what the row checks, in words
    formula: str  # as typed in Excel
    arguments: tuple  # the same inputs as COM passes them to Python
    expected: tuple  # one value per result cell, top down
    source: str  # where the expected value comes from
    error: bool = False  # the function must return an error value (IFERROR catches it)
    pick: tuple[int, int] | None = None  # the formula's INDEX(..., row, column) of a table


CHECKS: tuple[Check, ...] = (
    Check("FUNNEL_REQUIRED", "monthly volumes of 9 customers a year (a spill)",
          f"=FUNNEL_REQUIRED(9,{SEED_RATES_TEXT},,12)", (9.0, SEED_RATES, OMITTED, 12.0),
          (6250.0, 93.75, 18.75, 3.75, 1.5, 0.75),
          "9 / 12 = 0.75 customers; / 0.5 = 1.5; / 0.4 = 3.75; / 0.2 = 18.75; / 0.2 = 93.75; "
          "/ 0.015 = 6,250"),
    Check("TIMELINE", "opportunities for next year's first deals",
          "=INDEX(TIMELINE(12,{0.5},{60},0.5,,,,2027),2,14)",
          (12.0, ((0.5,),), ((60.0,),), 0.5, OMITTED, OMITTED, OMITTED, 2027.0), (3.0,),
          "opportunities come 60 days (2 months) ahead, so November 2027's are for January "
          "2028's deals: 12 customers x 1.5 growth = 18 next year, / 0.5 = 36, 3 a month",
          pick=(2, 14)),
    Check("TIMELINE", "the lead-in starts in the year before",
          "=INDEX(TIMELINE(12,{0.5},{60},0.5,,,,2027),1,2)",
          (12.0, ((0.5,),), ((60.0,),), 0.5, OMITTED, OMITTED, OMITTED, 2027.0),
          ("Nov 2026",), "2 months ahead of January 2027's deals: November 2026",
          pick=(1, 2)),
    Check("FUNNEL_FORWARD", "customers from 6,000 visits",
          f"=FUNNEL_FORWARD(6000,{SEED_RATES_TEXT})", (6000.0, SEED_RATES),
          (6000.0, 90.0, 18.0, 3.6, 1.44, 0.72),
          "6,000 x 0.015 = 90; x 0.2 = 18; x 0.2 = 3.6; x 0.4 = 1.44; x 0.5 = 0.72"),
    Check("CAC", "cost per new customer", "=CAC(50000,25)", (50_000.0, 25.0), (2000.0,),
          "50,000 / 25 = 2,000"),
    Check("CAC", "an error value that IFERROR catches",
          '=IFERROR(CAC(1000,0),"caught")&" "&ERROR.TYPE(CAC(1000,0))', (1000.0, 0.0),
          ("caught 2",), "0 new customers: CAC is undefined, #DIV/0! (error type 2; a "
          "missing add-in would give #NAME?, type 5)", error=True),
    Check("CLV", "lifetime value, no discounting", "=CLV(1000,0.8,0.2)",
          (1000.0, 0.8, 0.2, OMITTED, OMITTED, OMITTED), (4000.0,),
          "margin 1,000 x 0.8 = 800 a year, for 1 / 0.2 = 5 years on average: 4,000"),
    Check("ROI", "return with a 60 % margin", "=ROI(50000,10000,0.6)",
          (50_000.0, 10_000.0, 0.6, OMITTED), (2.0,),
          "(50,000 x 0.6 - 10,000) / 10,000 = 2"),
    Check("COST_PER", "cost per lead", "=COST_PER(24000,400)", (24_000.0, 400.0), (60.0,),
          "24,000 / 400 = 60"),
    Check("CONVERSION_RATE", "visits to leads", "=CONVERSION_RATE(90,6000)", (90.0, 6000.0),
          (0.015,), "90 / 6,000 = 0.015"),
    Check("LTV_CAC", "lifetime value per unit of CAC", "=LTV_CAC(4000,1250)", (4000.0, 1250.0),
          (3.2,), "4,000 / 1,250 = 3.2"),
    Check("CAC_PAYBACK", "months to earn back CAC", "=CAC_PAYBACK(6000,1000,0.8)",
          (6000.0, 1000.0, 0.8), (7.5,), "6,000 / (1,000 x 0.8) = 7.5"),
    Check("NPS", "Net Promoter Score from counts", "=NPS(30,50,20)",
          (30.0, 50.0, 20.0), (10.0,), "(30 - 20) / 100 x 100 = 10"),
    Check("ATTAINMENT", "actual against plan", "=ATTAINMENT(90,100)", (90.0, 100.0), (0.9,),
          "90 / 100 = 0.9"),
    Check("FOCUS_AREA", "the stage to fix first",
          "=FOCUS_AREA({6000;30;6;1.2;0.5;0.25},{6000;90;18;3.6;1.44;0.72})",
          (((6000.0,), (30.0,), (6.0,), (1.2,), (0.5,), (0.25,)),
           ((6000.0,), (90.0,), (18.0,), (3.6,), (1.44,), (0.72,)), OMITTED),
          ("Focus on the Visits -> Leads rate: 33% of plan. Conversion-rate optimisation: "
           "clearer calls to action, better landing pages, shorter forms.",),
          "visits on plan; 30 / 6,000 = 0.5 % of visits become leads against 90 / 6,000 = "
          "1.5 %: a third of plan, the first stage short"),
    Check("GOAL_STATUS", "a goal behind its steady path",
          '=GOAL_STATUS(100,120,DATE(2027,1,1),DATE(2027,4,1),106,DATE(2027,2,15),"Ana")',
          (100.0, 120.0, 46388.0, 46478.0, 106.0, 46433.0, "Ana"), ("at risk",),
          "45 of 90 days gone: a steady path is half way (110); 106 is 30 % of the way, 20 "
          "points behind: more than the 10-point tolerance, at most twice it: at risk"),
    Check("EXPECTED_CLOSES", "deals from 40 opportunities a month",
          "=INDEX(EXPECTED_CLOSES({40,40,40,40},{0.1,0.2,0.05}),1,3)",
          (((40.0, 40.0, 40.0, 40.0),), ((0.1, 0.2, 0.05),)), (14.0,),
          "a month's 40 opportunities close 10 % in it, 20 % a month later, 5 % two later: "
          "the third month closes 0.1 x 40 + 0.2 x 40 + 0.05 x 40 = 14", pick=(1, 3)),
    Check("PIPELINE_GAP", "the gap of a month that needs 15 deals",
          "=INDEX(PIPELINE_GAP({40,40,40,40},{0.1,0.2,0.05},{10,15}),1,2)",
          (((40.0, 40.0, 40.0, 40.0),), ((0.1, 0.2, 0.05),), ((10.0, 15.0),)), (-1.0,),
          "the last two months each expect 14 deals (above): 14 - 15 = -1", pick=(1, 2)),
    Check("CLOSE_RATE_CURVE", "won a month after creation",
          "=INDEX(CLOSE_RATE_CURVE({46027;46028;46029;46030},{46042;46063;46063;46042},,"
          "46081),1,2)",
          (((46027.0,), (46028.0,), (46029.0,), (46030.0,)),
           ((46042.0,), (46063.0,), (46063.0,), (46042.0,)), OMITTED, 46081.0), (0.5,),
          "4 opportunities created 5-8 January 2026 (serials 46027-46030), 2 won on 20 "
          "January and 2 on 10 February; as of 28 February: 2 of 4 a month later", pick=(1, 2)),
    Check("BUDGET_NEEDED", "the budget 9 customers need from two channels",
          f"=BUDGET_NEEDED(9,{SEED_RATES_TEXT},{{0.6,0.4}},{{50,120}})",
          (9.0, SEED_RATES, ((0.6, 0.4),), ((50.0, 120.0),)), (87_750.0,),
          "below leads 0.2 x 0.2 x 0.4 x 0.5 = 0.8 % of leads close: 9 / 0.008 = 1,125 leads "
          "at 0.6 x 50 + 0.4 x 120 = 78 a lead = 87,750"),
    Check("CHANNEL_BUDGET", "the second channel's budget",
          f"=INDEX(CHANNEL_BUDGET(9,{SEED_RATES_TEXT},{{0.6,0.4}},{{50,120}}),2,1)",
          (9.0, SEED_RATES, ((0.6, 0.4),), ((50.0, 120.0),)), (54_000.0,),
          "40 % of the 1,125 leads (above) = 450 at 120 = 54,000", pick=(2, 1)),
    Check("REACHABLE_REVENUE", "what 87,750 reaches with that mix",
          f"=REACHABLE_REVENUE(87750,{SEED_RATES_TEXT},{{0.6,0.4}},{{50,120}},1100000)",
          (87_750.0, SEED_RATES, ((0.6, 0.4),), ((50.0, 120.0),), 1_100_000.0), (9_900_000.0,),
          "87,750 / 78 a lead = 1,125 leads x 0.008 = 9 customers x 1,100,000 = 9,900,000"),
    Check("SENSITIVITY", "the input that saves most",
          '=INDEX(SENSITIVITY(10,{0.5,0.5},{"A"},{1},{20}),2,2)',
          (10.0, ((0.5, 0.5),), (("A",),), ((1.0,),), ((20.0,),)), (40.0,),
          "10 customers need 10 / 0.5 = 20 units of the second stage at 20 = 400; a 10 % "
          "lower cost saves 40, a 10 % better last rate 400 - 10 / 0.55 x 20 = 36.36",
          pick=(2, 2)),
    Check("ARR_BRIDGE", "what new logos must bring",
          "=INDEX(ARR_BRIDGE(10000000,1.1,0.9,15000000),4,2)",
          (10e6, 1.1, 0.9, 15e6), (4_000_000.0,),
          "customers keep 10,000,000 x 90 % = 9,000,000 and bring 10,000,000 x 110 % = "
          "11,000,000 (expansion 2,000,000): new logos 15,000,000 - 11,000,000", pick=(4, 2)),
    Check("SOURCED_DEALS", "marketing's deals for 25 % of the goal",
          "=SOURCED_DEALS(30000000,0.25,85000)", (30e6, 0.25, 85_000.0), (89.0,),
          "SBI: 25 % of 30,000,000 = 7,500,000; / 85,000 a deal = 88.2, at least 89 deals"),
    Check("SEGMENT_ROLLUP", "the company's leads from three funnels",
          '=INDEX(SEGMENT_ROLLUP({"Leads","MQL","Opportunities","Customers";"Leads","MQL",'
          '"Opportunities","Customers";"Leads","Deal registrations","Customers",""},'
          "{3200,800,160,40;1920,480,96,24;80,16,8,0}),1,2)",
          ((("Leads", "MQL", "Opportunities", "Customers"),
            ("Leads", "MQL", "Opportunities", "Customers"),
            ("Leads", "Deal registrations", "Customers", "")),
           ((3200.0, 800.0, 160.0, 40.0), (1920.0, 480.0, 96.0, 24.0), (80.0, 16.0, 8.0, 0.0))),
          (5200.0,), "two regions and a partner source (README's company): 3,200 + 1,920 + 80 "
          "leads", pick=(1, 2)),
    Check("RAMP_WEIGHTS", "December's weight of a ramping year",
          "=INDEX(RAMP_WEIGHTS({5000000,5250000,6000000,7500000}),1,12)",
          (((5e6, 5.25e6, 6e6, 7.5e6),),), (2_500_000.0,),
          "Kellblog's quarterly targets; Q4's 7,500,000 over its three months: 2,500,000",
          pick=(1, 12)),
    Check("WEIGHTED_PIPELINE", "open deals weighted by their probabilities",
          "=WEIGHTED_PIPELINE({200000;50000},{0.3;0.8})",
          (((200_000.0,), (50_000.0,)), ((0.3,), (0.8,))), (100_000.0,),
          "200,000 at 30 % + 50,000 at 80 % = 60,000 + 40,000 (issue 33's example)"),
    Check("FORECAST_LANDING", "the likely landing (P50)",
          "=INDEX(FORECAST_LANDING(300000,{200000;50000},{0.3;0.8},200000,1000000),7,2)",
          (300_000.0, ((200_000.0,), (50_000.0,)), ((0.3,), (0.8,)), 200_000.0, 1e6),
          (550_000.0,), "500,000 closed and planned, then 0 (14 %), 50,000 (56 %), 200,000 "
          "(6 %) or 250,000 (24 %) more: half the outcomes reach 550,000", pick=(7, 2)),
    Check("DAY_ONE_PIPELINE", "the pipeline a quarter should start with",
          "=DAY_ONE_PIPELINE(20000000,3.5)", (20e6, 3.5), (70e6,),
          "RevOps Inflection: 3.5x coverage of a 20,000,000 quarter"),
    Check("PIPELINE_PACING", "next quarter's pipeline pacing",
          "=PIPELINE_PACING(650000,1000000)", (650_000.0, 1e6), (0.65,),
          "Revcast: 650,000 of a 1,000,000 day-one pipeline by day 60"),
    Check("RAMPED_CAPACITY", "a team's ramped-rep equivalents",
          "=RAMPED_CAPACITY({5;3;2;15},{0.25;0.6;0.85;1})",
          (((5.0,), (3.0,), (2.0,), (15.0,)), ((0.25,), (0.6,), (0.85,), (1.0,))), (19.75,),
          "Kellblog: 5 x 25 % + 3 x 60 % + 2 x 85 % + 15 x 100 % = 19.75 of 25 heads"),
    Check("RAMPED_OUTPUT", "a rep's third quarter while ramping",
          "=INDEX(RAMPED_OUTPUT(300000,{0,0.25,0.5}),1,3)",
          (300_000.0, ((0.0, 0.25, 0.5),)), (150_000.0,),
          "Kellblog: 1,200,000 a year is 300,000 a quarter, at 50 % in the third", pick=(1, 3)),
    Check("HEADCOUNT_NEEDED", "SDRs for 400 demos a month",
          "=HEADCOUNT_NEEDED(400,40)", (400.0, 40.0), (10.0,),
          "10 AEs need 40 demos each a month; an SDR books 40: 400 / 40 = 10 SDRs"),
)  # fmt: skip

_HEADERS = ("Function", "What it checks", "Formula (in D)", "Excel's result", "Expected", "Check",
            "Where the expected value comes from")  # fmt: skip
_FIRST_ROW = 6


def pass_formula(row: int, expected: object) -> str:
    """PASS when Excel's result equals the expected value (numbers to 1e-9, relative)."""
    if isinstance(expected, str):
        return f'=IFERROR(IF(D{row}=E{row},"PASS","FAIL"),"FAIL")'
    close = f"ABS(D{row}-E{row})<=1E-9*MAX(1,ABS(E{row}))"
    return f'=IFERROR(IF(AND(ISNUMBER(D{row}),{close}),"PASS","FAIL"),"FAIL")'


#: Why a Mac's self-test has no function rows.
NO_FUNCTIONS_ON_MAC = (
    "On macOS, classic xlwings add-ins have no custom functions (use xlwings Lite for "
    "them): this self-test checks the ribbon and the setup."
)


def rows_used(with_functions: bool = True) -> int:
    """The last row of the checks (the header row when there are none)."""
    return _FIRST_ROW - 1 + (sum(len(c.expected) for c in CHECKS) if with_functions else 0)


def selftest_sheet(
    extra_rows: int = 0, with_functions: bool = True
) -> tuple[spec.Sheet, list[spec.Name]]:
    """The self-test sheet: one row per expected value, PASS/FAIL live, a verdict on top.

    ``extra_rows``: rows below the checks that the ribbon's Self-test fills in (a ribbon
    macro's result), counted in the verdict. ``with_functions=False`` leaves the function
    rows out (macOS, where classic xlwings has no custom functions).
    """
    last = rows_used(with_functions)
    checks = f"F{_FIRST_ROW}:F{last + extra_rows}"
    note = ("Every function called through Excel with known inputs. Needs the KPI Planner "
            "add-in; if the results show #NAME?, the add-in is not loaded."
            if with_functions else NO_FUNCTIONS_ON_MAC)  # fmt: skip
    verdict = (f'=IF(COUNTIF({checks},"PASS")={last + extra_rows - _FIRST_ROW + 1},"ALL PASS",'
               f'COUNTIF({checks},"FAIL")&" FAIL")')  # fmt: skip
    cells = [
        spec.Cell("A1", "KPI Planner self-test", "title"),
        spec.Cell("A2", note, "note"),
        spec.Cell("A3", "Verdict", "label"),
        spec.Cell("B3", verdict, "output"),
    ]
    cells += [spec.Cell(f"{chr(65 + i)}5", text, "header") for i, text in enumerate(_HEADERS)]
    row = _FIRST_ROW
    for check in CHECKS if with_functions else ():
        count = len(check.expected)
        cells += [
            spec.Cell(f"A{row}", check.function, "label"),
            spec.Cell(f"B{row}", check.what, "label"),
            spec.Cell(f"C{row}", check.formula.removeprefix("="), "note"),  # as text
            spec.Cell(f"D{row}", check.formula, "output", spill_rows=count),
            spec.Cell(f"G{row}", check.source, "note"),
        ]
        for offset, value in enumerate(check.expected):
            cells += [
                spec.Cell(f"E{row + offset}", value, "label"),
                spec.Cell(f"F{row + offset}", pass_formula(row + offset, value), "output"),
            ]
        row += count
    widths = {"A": 18, "B": 44, "C": 64, "D": 16, "E": 16, "F": 8, "G": 90}
    sheet = spec.Sheet(SHEET, tuple(cells), column_widths=widths, freeze="A6",
                       print_area=f"A1:G{last}")  # fmt: skip
    names = [spec.Name("SelfTestVerdict", SHEET, "$B$3", "ALL PASS, or how many checks fail.")]
    return sheet, names


def selftest_workbook() -> spec.Workbook:
    """``addin/selftest.xlsx``: the self-test sheet alone."""
    sheet, names = selftest_sheet()
    return spec.Workbook((sheet,), tuple(names), title="KPI Planner self-test")
