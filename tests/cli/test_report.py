"""`kpi-planner report`: a filled workbook diagnosed by the engine."""

import datetime as dt
import json

import openpyxl
import pytest
from typer.testing import CliRunner

from kpi_planner.cli.main import app
from kpi_planner.plan import one_plan
from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook.render import xlsx
from kpi_planner.workbook.sheets.tracking import layout as tracking

runner = CliRunner()
INPUTS = one_plan.PlanInputs(whole_numbers=False)


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})


@pytest.fixture
def tracked(tmp_path):
    # Seed 002's case for three months, one goal at risk and one that is not SMART.
    monthly = one_plan.plan_outputs(INPUTS).required_monthly.copy()
    monthly[1:] /= 3
    goals = (
        tracking.GoalRow("SQL per month", "Ana", 100, 120, dt.date(2027, 1, 1),
                         dt.date(2027, 4, 1), 106),
        tracking.GoalRow("revenue", None, 100, None, dt.date(2027, 1, 1), None, 50),
    )  # fmt: skip
    track = tracking.TrackingInputs(3, tuple(map(tuple, monthly.tolist())), (1000.0,) * 12,
                                    0.1, {}, goals, 0.1, dt.date(2027, 2, 15))  # fmt: skip
    return xlsx.save(plan_book.plan_workbook(INPUTS, track), tmp_path / "tracked.xlsx")


def test_report_shows_the_focus_area_and_the_goals(tracked, tmp_path):
    result = run("report", tracked, "--json", tmp_path / "report.json")
    assert result.exit_code == 0, result.output
    assert "Focus area: Visits -> Leads" in result.stdout
    assert "landing pages" in result.stdout
    assert "at risk" in result.stdout
    assert "not SMART" in result.stdout
    data = json.loads((tmp_path / "report.json").read_text())
    assert data["focus_area"] == "Visits -> Leads"
    # A third of the planned leads: 94.70 of 284.09 over three months.
    assert data["to_date"][1]["attainment"] == pytest.approx(1 / 3)
    assert [g["status"] for g in data["goals"]] == ["at risk", "not SMART"]


def test_as_of_changes_the_goals_day(tracked):
    result = run("report", tracked, "--as-of", "2027-01-15")
    # 106 on 15 January is ahead of a steady path (15 %): on track.
    assert "on track" in result.stdout


def test_a_cell_that_cannot_be_read_is_named(tracked, tmp_path):
    book = openpyxl.load_workbook(tracked)
    book["Actuals"]["C8"] = "lots"
    book.save(tmp_path / "broken.xlsx")
    result = run("report", tmp_path / "broken.xlsx")
    assert result.exit_code == 2
    assert "Actuals!C8 = 'lots': is not a number" in result.stderr


def test_a_workbook_without_the_plans_names_is_refused(tmp_path):
    openpyxl.Workbook().save(tmp_path / "other.xlsx")
    result = run("report", tmp_path / "other.xlsx")
    assert result.exit_code == 2
    assert "defined name = 'PlanYear': is not defined" in result.stderr


def test_the_template_has_no_actuals_yet_and_its_example_goals_say_so(tmp_path):
    result = run("report", "workbooks/marketing-plan.xlsx", "--json", tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    # ... and says where to type them.
    assert "No actuals yet: type each month's volumes and spend on the Actuals sheet" in (
        result.stdout
    )
    assert "Months with actuals (Actuals!B3) and run report again" in result.stdout
    goals = json.loads((tmp_path / "r.json").read_text())["goals"]
    # The three examples the template ships with: listed as examples, judged as nothing.
    assert [goal["metric"].startswith("Example: ") for goal in goals] == [True] * 3
    assert {goal["meaning"] for goal in goals} == {"an example: delete it on the Goals sheet"}
    assert {goal["status"] for goal in goals} == {""}


def at_95_percent_below_traffic(tracked):
    """The tracked workbook with actuals at 95 % of plan on every stage below traffic:
    "on plan" with a tolerance of 0.1, short with 0."""
    book = openpyxl.load_workbook(tracked)
    monthly = one_plan.plan_outputs(INPUTS).required_monthly
    for i in range(6):
        for m in range(12):
            book["Actuals"].cell(7 + i, 3 + m, monthly[i, m] * (1.0 if i == 0 else 0.95))
    return book


def test_a_tolerance_of_zero_is_used_not_replaced_by_the_default(tracked, tmp_path):
    # Seed 002's actuals are a third of plan on every stage below traffic; with actuals at
    # 95 % of plan instead, tolerance 0.1 says "on plan" and tolerance 0 does not.
    book = at_95_percent_below_traffic(tracked)
    book["Diagnosis"]["B3"] = 0
    book.save(tmp_path / "strict.xlsx")
    data_path = tmp_path / "strict.json"
    run("report", tmp_path / "strict.xlsx", "--json", data_path)
    assert json.loads(data_path.read_text())["focus_area"] == "Visits -> Leads"


def test_empty_months_closed_and_negative_actuals_are_warned_with_their_cells(tracked, tmp_path):
    book = openpyxl.load_workbook(tracked)
    book["Actuals"]["D9"] = None  # MQL, February: within the 3 months closed
    book["Actuals"]["E10"] = -1  # SQL, March (the quarter still adds up to more than 0)
    book["Actuals"]["H9"] = None  # June: not closed, so empty is expected there
    book.save(tmp_path / "gaps.xlsx")
    result = run("report", tmp_path / "gaps.xlsx")
    assert result.exit_code == 0, result.output
    assert "warning: MonthsClosed is 3, but Actuals!D9 are empty: read as 0" in result.stderr
    assert "H9" not in result.stderr
    assert "warning: negative actual volumes: Actuals!E10 = -1" in result.stderr


def test_actuals_adding_up_to_less_than_zero_are_named_by_their_cells(tracked, tmp_path):
    book = openpyxl.load_workbook(tracked)
    book["Actuals"]["E10"] = -40  # SQL, March: the three months add up to less than 0
    book.save(tmp_path / "negative.xlsx")
    result = run("report", tmp_path / "negative.xlsx")
    assert result.exit_code == 2
    assert "error: Actuals!C10:E10 (SQL, the 3 months closed) = " in result.stderr
    assert "a volume cannot be negative" in result.stderr
    assert "actual_volumes" not in result.stderr


def test_a_funnel_with_its_own_names_gets_advice_and_edits_to_the_playbook_are_used(tmp_path):
    own = one_plan.PlanInputs(stages=("Leads", "Demos", "Won"), rates=(0.3, 0.25),
                              whole_numbers=False)  # fmt: skip
    monthly = one_plan.plan_outputs(own).required_monthly.copy()
    monthly[1:] /= 2  # half the demos planned: the focus is Leads -> Demos
    track = tracking.TrackingInputs(2, tuple(map(tuple, monthly.tolist())))
    path = xlsx.save(plan_book.plan_workbook(own, track), tmp_path / "own.xlsx")
    data_path = tmp_path / "own.json"
    assert run("report", path, "--json", data_path).exit_code == 0
    data = json.loads(data_path.read_text())
    assert data["focus_area"] == "Leads -> Demos"
    assert data["what_to_do"].startswith("Conversion-rate optimisation")
    # The team rewrites the advice for that conversion on the Diagnosis sheet.
    book = openpyxl.load_workbook(path)
    row = tracking.TrackingGrid(3).playbook_row + 2  # traffic, then Leads -> Demos
    book["Diagnosis"][f"B{row}"] = "Book demos from the pricing page."
    book["Diagnosis"][f"{tracking.KPI_COLUMNS[0]}{row}"] = "demo requests, show rate"
    book.save(tmp_path / "edited.xlsx")
    run("report", tmp_path / "edited.xlsx", "--json", data_path)
    data = json.loads(data_path.read_text())
    assert data["what_to_do"] == "Book demos from the pricing page."
    assert data["kpis_to_watch"] == ["demo requests", "show rate"]


def test_report_shows_plan_vs_actual_by_channel(tmp_path):
    # README's plan (exact volumes), three months on plan by stage; by channel: paid search
    # 150 leads and 1 customer for 9,000, events 60 leads and no customer for 7,500, content
    # nothing typed. A quarter of 568.18 / 340.91 leads and 4.545 / 2.727 customers is due
    # (9.0909 customers: search 50 %, events 30 %): search 88 % of 1.136 customers, events
    # 0 % of 0.682: events loses more (0.68 against 0.14), so it is the channel to fix.
    monthly = one_plan.plan_outputs(INPUTS).required_monthly
    track = tracking.TrackingInputs(3, tuple(map(tuple, monthly.tolist())), (1000.0,) * 12,
                                    channel_actuals=((150, 1, 9000), (60, 0, 7500)))  # fmt: skip
    path = xlsx.save(plan_book.plan_workbook(INPUTS, track), tmp_path / "by-channel.xlsx")
    result = run("report", path, "--json", tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    assert "Plan vs actual by channel" in result.stdout
    assert "Channel to fix: Events (0% of its planned customers to date)" in result.stdout
    data = json.loads((tmp_path / "r.json").read_text())["by_channel"]
    assert data["entry_stage"] == "Leads"
    assert data["judged_by"] == "customers"
    search, events, content = data["channels"]
    customers = 10e6 / 1.1e6
    assert search["planned_entry"] == pytest.approx(customers / 0.008 * 0.5 / 4)
    assert search["customer_attainment"] == pytest.approx(1 / (customers * 0.5 / 4))
    assert search["cost_per_unit"] == 60  # 9,000 / 150 leads
    assert events["cost_per_unit"] == 125  # 7,500 / 60 leads; plan 150
    assert events["plan_cost_per_unit"] == 150
    assert events["short_of_plan"] == pytest.approx(customers * 0.3 / 4)
    assert content["actual_entry"] is None
    assert content["customer_attainment"] is None  # nothing typed: not judged


def test_report_by_channel_names_a_bad_cell_and_skips_a_plan_without_channel_actuals(
    tracked, tmp_path
):
    # The fixture's workbook has actuals by stage only: no by-channel section.
    result = run("report", tracked, "--json", tmp_path / "r.json")
    assert "by channel" not in result.stdout
    assert "by_channel" not in json.loads((tmp_path / "r.json").read_text())
    book = openpyxl.load_workbook(tracked)
    book["Channel actuals"]["B9"] = -5
    book.save(tmp_path / "negative.xlsx")
    result = run("report", tmp_path / "negative.xlsx")
    assert result.exit_code == 2
    assert "Channel actuals!B9 = -5: must be 0 or more" in result.stderr


def _edited(tracked, tmp_path, name, **cells):
    """The tracked workbook with cells (``"Sheet!B3"``) set, saved as ``name``."""
    book = openpyxl.load_workbook(tracked)
    for where, value in cells.items():
        sheet, cell = where.split("!")
        book[sheet][cell] = value
    book.save(tmp_path / name)
    return tmp_path / name


@pytest.mark.parametrize("text", ["FALSE", "TRUE", "no"])
def test_whole_numbers_typed_as_text_is_refused_not_read_as_true(tracked, tmp_path, text):
    # Read as a truth value, any text (even "FALSE") was TRUE: the report rounded the plan
    # up while the sheet's IF(WholeNumbers, ...) shows #VALUE!.
    where = plan_book_cell(tracked, "WholeNumbers")
    result = run("report", _edited(tracked, tmp_path, "text.xlsx", **{where: text}))
    assert result.exit_code == 2
    assert f"error: {where} = '{text}': must be TRUE or FALSE" in result.stderr


def test_whole_numbers_as_a_formula_is_named_as_one(tracked, tmp_path):
    where = plan_book_cell(tracked, "WholeNumbers")
    result = run("report", _edited(tracked, tmp_path, "formula.xlsx", **{where: "=TRUE()"}))
    assert result.exit_code == 2
    assert f"error: {where} = '=TRUE()': is a formula; the report reads typed inputs" in (
        result.stderr
    )


def test_whole_numbers_empty_is_false_and_a_number_is_true_unless_0(tracked, tmp_path):
    where = plan_book_cell(tracked, "WholeNumbers")
    exact = one_plan.plan_outputs(INPUTS).required_monthly[:, :3].sum(axis=1)
    rounded = one_plan.plan_outputs(one_plan.PlanInputs()).required_monthly[:, :3].sum(axis=1)
    for value, expected in ((None, exact), (0, exact), (1, rounded), (True, rounded)):
        path = _edited(tracked, tmp_path, "whole.xlsx", **{where: value})
        result = run("report", path, "--json", tmp_path / "whole.json")
        assert result.exit_code == 0, result.output
        planned = [
            s["planned"] for s in json.loads((tmp_path / "whole.json").read_text())["to_date"]
        ]
        assert planned == expected.tolist(), value


@pytest.mark.parametrize("months", [2.5, 13, -1])
def test_months_closed_that_is_not_0_to_12_whole_months_is_named_by_its_cell(
    tracked, tmp_path, months
):
    # 2.5 was read as 2 (and 0.5 as "no actuals yet"), with no word of it.
    result = run("report", _edited(tracked, tmp_path, "m.xlsx", **{"Actuals!B3": months}))
    assert result.exit_code == 2
    assert f"error: Actuals!B3 (MonthsClosed) = {months:g}: must be a whole number" in result.stderr


def test_an_empty_tolerance_is_0_as_the_sheet_reads_it_with_a_warning(tracked, tmp_path):
    # As in the tolerance-of-zero test: actuals at 95 % of plan below traffic are "on plan"
    # with 0.1 and short with 0. An empty cell is 0 to the sheet's formulas; the report
    # used 0.1 and so disagreed with the Diagnosis sheet.
    book = at_95_percent_below_traffic(tracked)
    book["Diagnosis"]["B3"] = None
    book.save(tmp_path / "empty.xlsx")
    result = run("report", tmp_path / "empty.xlsx", "--json", tmp_path / "empty.json")
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "empty.json").read_text())["focus_area"] == "Visits -> Leads"
    assert "warning: Diagnosis!B3 (FocusTolerance) is empty: read as 0" in result.stderr


def test_an_empty_goal_tolerance_is_0_as_the_goals_sheet_reads_it(tracked, tmp_path):
    # The SQL goal: 100 -> 120 from 1 Jan to 1 Apr 2027, 106 on 15 Feb: half the time gone
    # (45 of 90 days), 30 % of the way (6 of 20). Behind by 0.2: "at risk" within twice a
    # tolerance of 0.1, "off track" with a tolerance of 0.
    path = _edited(tracked, tmp_path, "goals.xlsx", **{"Goals!B3": None})
    result = run("report", path, "--json", tmp_path / "goals.json")
    assert result.exit_code == 0, result.output
    goals = json.loads((tmp_path / "goals.json").read_text())["goals"]
    assert goals[0]["status"] == "off track"
    assert "warning: Goals!B3 (GoalTolerance) is empty: read as 0" in result.stderr


def test_a_tolerance_out_of_range_is_named_by_its_cell(tracked, tmp_path):
    result = run("report", _edited(tracked, tmp_path, "t.xlsx", **{"Diagnosis!B3": -0.1}))
    assert result.exit_code == 2
    assert "error: Diagnosis!B3 (FocusTolerance) = -0.1: must be a fraction" in result.stderr


def plan_book_cell(path, name):
    """The sheet!cell a defined name of the workbook at ``path`` points to."""
    (sheet, ref), *_ = openpyxl.load_workbook(path).defined_names[name].destinations
    return f"{sheet}!{ref.replace('$', '')}"


def test_a_stage_with_nothing_planned_to_date_has_no_attainment_and_the_json_is_valid(
    tmp_path,
):
    # Every deal planned in December: nothing is planned for the first three months, so
    # actual / planned is undefined (the Diagnosis sheet's cell is blank). The report
    # printed "inf%" and wrote Infinity, which is not JSON.
    december = one_plan.PlanInputs(whole_numbers=False, seasonality=(0,) * 11 + (1,))
    actuals = tuple((10.0,) * 3 + (0.0,) * 9 for _ in december.stages)
    track = tracking.TrackingInputs(3, actuals, (1000.0,) * 12)
    path = xlsx.save(plan_book.plan_workbook(december, track), tmp_path / "december.xlsx")
    result = run("report", path, "--json", tmp_path / "december.json")
    assert result.exit_code == 0, result.output
    assert "inf" not in result.stdout
    assert "nan" not in result.stdout

    def refuse(constant):
        raise AssertionError(f"not JSON: {constant}")

    data = json.loads((tmp_path / "december.json").read_text(), parse_constant=refuse)
    assert [row["planned"] for row in data["to_date"]] == [0.0] * 6
    assert [row["actual"] for row in data["to_date"]] == [30.0] * 6
    assert [row["attainment"] for row in data["to_date"]] == [None] * 6


def test_report_judges_rates_against_the_plan_s_rates_in_whole_numbers(tmp_path):
    # tests/workbook/sheets/test_tracking_sheets.py's case: January's 1 customer of a plan whose
    # last rate is 30 % needs 4 opportunities; 1 of 4 is 25 %, short of 30 % x 0.9, though
    # it is the ratio of the whole numbers planned to date.
    thirty = one_plan.PlanInputs(rates=(0.015, 0.2, 0.2, 0.4, 0.3))
    january = [16_667, 250, 50, 10, 4, 1]
    track = tracking.TrackingInputs(1, tuple(tuple([volume] + [0] * 11) for volume in january))
    book = xlsx.save(plan_book.plan_workbook(thirty, track), tmp_path / "whole.xlsx")
    result = run("report", book, "--json", tmp_path / "whole.json")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "whole.json").read_text())
    assert data["focus_area"] == "Opportunities -> Customers"


def test_a_blank_last_stage_name_is_refused_not_read_as_a_shorter_funnel(tmp_path):
    # Found in review of issue 31: with one plan computed as a frame of one row, the five
    # stages left and the five rates were read as a five-stage plan, the last rate dropped,
    # and the report read it without a word. Plan!A30 is StageNames' last cell.
    assert run("build", "--out", tmp_path / "plan.xlsx").exit_code == 0
    built = tmp_path / "plan.xlsx"
    result = run("report", _edited(built, tmp_path, "short.xlsx", **{"Plan!A30": None}))
    assert result.exit_code == 2, result.output
    assert "has 5 rates for 5 stages" in result.stderr


def test_several_workbooks_are_segments_with_the_one_to_fix_first(tracked, tmp_path):
    # US: three months exactly on plan. EMEA (`tracked`): a third of the planned leads from
    # the planned visits, so the Visits -> Leads rate is 0.5 % for a planned 1.5 %: two thirds
    # of the quarter's customers are lost there. The quarter's plan is 10,000,000 / 4 of
    # revenue, so EMEA's focus area has cost 2,500,000 x 2/3 = 1,666,666.67 so far.
    monthly = one_plan.plan_outputs(INPUTS).required_monthly
    on_plan = tracking.TrackingInputs(3, tuple(map(tuple, monthly.tolist())), (1000.0,) * 12,
                                      0.1, {}, (), 0.1, dt.date(2027, 2, 15))  # fmt: skip
    emea = tmp_path / "EMEA.xlsx"
    emea.write_bytes(tracked.read_bytes())
    us = xlsx.save(plan_book.plan_workbook(INPUTS, on_plan), tmp_path / "US.xlsx")
    result = run("report", emea, us, "--json", tmp_path / "segments.json")
    assert result.exit_code == 0, result.output
    assert "Segment to fix first: EMEA (1,666,666.67 of revenue lost" in result.stdout
    data = json.loads((tmp_path / "segments.json").read_text())
    assert [s["segment"] for s in data["segments"]] == ["EMEA", "US"]
    assert data["segments"][1]["revenue_at_risk"] == 0
    assert data["fix_first"]["segment"] == "EMEA"
    assert data["fix_first"]["focus_area"] == "Visits -> Leads"
    assert data["fix_first"]["revenue_at_risk"] == pytest.approx(10e6 / 4 * 2 / 3)
