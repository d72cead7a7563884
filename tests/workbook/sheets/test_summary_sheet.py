"""The Summary sheet (issue 35): the plan on one page, in live formulas the independent
evaluator computes to the engine's numbers, in words, first in the workbook."""

import io
import math
import re

import numpy as np
import openpyxl
import pytest

from kpi_engine import Channel
from kpi_planner.plan import one_plan
from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook.render import compiled as fast
from kpi_planner.workbook.sheets.channels.grid import CHANNELS
from kpi_planner.workbook.sheets.pipeline.grid import PIPELINE
from kpi_planner.workbook.sheets.plan.grid import PLAN
from kpi_planner.workbook.sheets.summary.grid import LEVERS, SUMMARY
from kpi_planner.workbook.sheets.summary.layout import formula_sources, summary_sheet
from kpi_planner.workbook.sheets.whatif.grid import WHATIF, Scenario
from tests.workbook.evaluate import EvaluatedPlan

SHEETS = (SUMMARY, PLAN, PIPELINE, CHANNELS, WHATIF)


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    # Compiled with every channel row and scenario empty, so any set of them can be typed
    # in (the evaluator cannot empty a cell the file fills).
    empty = one_plan.PlanInputs(channels=(), scenarios=())
    return EvaluatedPlan(tmp_path_factory.mktemp("summary"), empty, sheets=SHEETS)


def summary_values(evaluated, inputs):
    """Every formula cell of the Summary: (evaluator's, engine's) by ref."""
    outputs = one_plan.plan_outputs(inputs).by_name()
    outputs["StageNames"] = np.array(inputs.stages, dtype=object)
    outputs["Title"] = plan_book.plan_title(inputs.plan_year, inputs.fiscal_year_start)
    sources = formula_sources(len(inputs.stages))
    got = evaluated.sheet_cells(inputs, SUMMARY, list(sources))
    found = {}
    for ref, (name, index) in sources.items():
        want = np.asarray(outputs[name], dtype=object)[index] if index else outputs[name]
        found[ref] = (got[ref], want.item() if isinstance(want, np.generic) else want)
    return found


def agrees(got, want) -> bool:
    if isinstance(want, str):
        return got == want
    if want is None or (isinstance(want, float) and math.isnan(want)):
        return got == "" or str(got) == "#N/A"  # blank, or no value where the engine has none
    return not isinstance(got, str) and math.isclose(float(got), float(want), rel_tol=1e-9)


def by_label(found) -> dict[str, object]:
    """The goal block's values by their label (the top stage's label is its name)."""
    sheet, _ = summary_sheet(6)
    labels = {cell.ref: cell.value for cell in sheet.cells if cell.ref.startswith("A")}
    return {labels[f"A{ref[1:]}"] if not str(labels[f"A{ref[1:]}"]).startswith("=")
            else found[f"A{ref[1:]}"][0]: got
            for ref, (got, _) in found.items() if ref.startswith("B")}  # fmt: skip


def test_the_seed_example_on_one_page_by_hand(evaluated):
    # Seed 000: a 10,000,000 goal at 1,100,000 a deal is 9.09, 10 whole customers; 10 / 50 %
    # = 20 opportunities, / 40 % = 50 SQL, / 20 % = 250 MQL, / 20 % = 1,250 leads,
    # / 1.5 % = 83,333.3, 83,334 visits. CAC 600,000 / 10 = 60,000; a customer's margin is
    # 1,100,000 / 12 x 80 % = 73,333.33 a month, so CAC pays back in 60,000 / 73,333.33 =
    # 0.8182 months. The template's channels (50 % search at 60 a lead, 30 % events at 150,
    # 20 % content at 25) need 1,250 x 80 = 100,000: 500,000 of the 600,000 left over;
    # search 625 leads = 37,500, 5 customers, CAC 7,500. First-year ROI (10,000,000 x 80 %
    # - 600,000) / 600,000 = 12.333.
    inputs = one_plan.PlanInputs()
    found = summary_values(evaluated, inputs)
    wrong = {ref: pair for ref, pair in found.items() if not agrees(*pair)}
    assert not wrong
    value = by_label(found)
    assert value["Customers to win"] == 10
    assert value["Visits"] == 83_334
    assert value["CAC at this budget"] == pytest.approx(60_000)
    assert value["Months to earn back CAC"] == pytest.approx(60_000 / (1_100_000 / 12 * 0.8))
    assert value["Budget the plan needs"] == pytest.approx(100_000)
    assert value["Budget left over (- short)"] == pytest.approx(500_000)
    assert value["First-year return (ROI)"] == pytest.approx(12.3333333333)
    assert value["Paid search"] == pytest.approx(37_500)
    assert value["All channels (the mix)"] == pytest.approx(100_000)
    assert [found[f"B{r}"][0] for r in range(19, 25)] == [83_334, 1_250, 250, 50, 20, 10]


def test_the_fill_caches_the_summary_the_evaluator_computes(evaluated):
    # Right after the seed example: the evaluator keeps its last recalculation.
    inputs = one_plan.PlanInputs()
    row = one_plan.scenario_row(inputs)
    outputs = fast.outputs_of(row, one_plan.plan_outputs(inputs).by_name())
    data = fast.CompiledPlan(6).workbook(row, outputs)
    cached = openpyxl.load_workbook(io.BytesIO(data), data_only=True)[SUMMARY]
    for ref, (got, _) in summary_values(evaluated, inputs).items():
        assert agrees(cached[ref].value if cached[ref].value is not None else "", got), ref


def test_another_plan_and_its_levers_agree_with_the_engine(evaluated):
    # Exact numbers, own channels and a scenario, a budget short of what the plan needs:
    # every cell, the three levers in the engine's order of savings (ties either way).
    mix = (Channel("Webinars", 0.6, 400), Channel("Partners", 0.4, 900, rates=(0.3,)))
    inputs = one_plan.PlanInputs(
        whole_numbers=False, revenue_goal=7_300_000, deal_size=48_000, marketing_budget=90_000,
        channels=mix, scenarios=(Scenario("best", deal_size=60_000),),
    )  # fmt: skip
    found = summary_values(evaluated, inputs)
    levers = {f"A{r}" for r in range(27, 27 + LEVERS)}
    wrong = {ref: pair for ref, pair in found.items() if ref not in levers and not agrees(*pair)}
    assert not wrong
    value = by_label(found)
    assert value["Customers to win"] == pytest.approx(7_300_000 / 48_000)  # not rounded
    assert value["Budget left over (- short)"] < 0
    engine = one_plan.plan_outputs(inputs).by_name()
    for rank, row in enumerate(range(27, 27 + LEVERS)):
        name = found[f"A{row}"][0]
        ties = [n for n, s in zip(engine["RankedName"], engine["Ranked_saved"], strict=True)
                if math.isclose(s, engine["Ranked_saved"][rank], rel_tol=1e-9)]  # fmt: skip
        assert name in ties


def test_no_margin_never_pays_cac_back(evaluated):
    # A gross margin of 0 earns nothing a month: the payback is #N/A, not a number.
    inputs = one_plan.PlanInputs(gross_margin=0.0)
    found = summary_values(evaluated, inputs)
    assert not {ref: pair for ref, pair in found.items() if not agrees(*pair)}
    assert str(by_label(found)["Months to earn back CAC"]) == "#N/A"


def test_the_summary_is_first_and_prints_on_one_page_in_words():
    book = plan_book.plan_workbook()
    sheet = book.sheets[0]
    assert sheet.title == SUMMARY
    assert sheet.fit_one_page
    assert sheet.print_area == "A1:N40"  # the tables and the charts beside them, one area
    assert [chart.title for chart in sheet.charts] == ["Needed in the year (log scale)",
                                                       "Budget by channel"]  # fmt: skip
    # Words, not defined names: no text a reader sees spells a name of the workbook.
    names = {n.name for n in book.names} - {"Currency"}
    texts = [c.value for c in sheet.cells if isinstance(c.value, str) and not c.is_formula]
    spelled = {word for text in texts for word in re.findall(r"[A-Za-z]+", text)} & names
    assert not spelled
    assert all(not c.is_formula or c.ref in formula_sources(6) for c in sheet.cells)


def summary_rows(book, keep: set[str], folder) -> dict[str, object]:
    """The Summary's goal block as `formulas` computes it, by label, with only the sheets
    ``keep`` beside it (the rows a Forecast or Capacity sheet adds read those alone)."""
    import dataclasses

    import formulas

    from kpi_planner.workbook.render import xlsx

    keep = {SUMMARY, PLAN, *keep}
    sheet = book.sheets[0]
    rows = {c.ref[1:]: c.value for c in sheet.cells if c.ref.startswith("A")}
    book = dataclasses.replace(book, sheets=tuple(s for s in book.sheets if s.title in keep),
                               names=tuple(n for n in book.names if n.sheet in keep))  # fmt: skip
    path = xlsx.save(book, folder / "summary.xlsx")
    wanted = [f"'[{path.name}]{SUMMARY.upper()}'!B{row}" for row in rows]
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate(outputs=wanted)
    return {label: solution[key].value[0][0] for (_, label), key in
            zip(rows.items(), wanted, strict=True) if key in solution}  # fmt: skip


def test_the_forecast_adds_where_the_year_lands(tmp_path):
    from kpi_planner.cli import forecast as forecast_cli
    from kpi_planner.workbook.sheets.forecast import FORECAST
    from tests.workbook.sheets.forecast.test_forecast_sheet import written

    book, run = written(tmp_path)
    found = summary_rows(book, {FORECAST}, tmp_path)
    landing = run.landing.landing("stage probability")
    # tests/cli/test_forecast_command.py by hand: 300,000 closed + 100,000 open by
    # probability + 200,000 planned = 600,000 of a 1,000,000 goal, 400,000 short.
    assert found["Where the year lands (forecast)"] == pytest.approx(landing) == 600_000
    assert found["Short of the goal at that landing"] == pytest.approx(400_000)
    chance = forecast_cli.sheet_values(run, None, 3.0).chance_of_goal
    assert found["Chance of reaching the goal"] == pytest.approx(chance)


def test_the_team_adds_who_carries_the_plan(tmp_path):
    from kpi_planner.inputs.team_table import read_team
    from kpi_planner.workbook.sheets.capacity import CAPACITY
    from tests.workbook.sheets.capacity.test_capacity_sheet import EXAMPLE, workbook

    inputs = one_plan.PlanInputs()
    book, team = workbook(inputs, read_team(EXAMPLE, inputs.stages))
    found = summary_rows(book, {CAPACITY}, tmp_path)
    assert found["People the plan needs"] == sum(max(p.needed) for p in team.roles)
    assert found["Hires starting in the year"] == sum(sum(p.hiring.starts) for p in team.roles)
    assert found["Team bottleneck"] == team.bottleneck.role.name
    assert found["CAC with the people's cost"] == pytest.approx(team.total / team.customers)


def test_a_company_summary_rolls_the_segments_up(tmp_path):
    # The Plan sheet of a company's workbook holds its defaults: the Summary reads the
    # Company sheet. Two regions and partners (tests/workbook/sheets/company/examples.py):
    # every cell the evaluator computes is the engine's value the workbook caches for it.
    from kpi_planner.company.plan import company_plan
    from tests.workbook.sheets.company.evaluate import EvaluatedCompany
    from tests.workbook.sheets.company.examples import two_regions_and_partners

    company = two_regions_and_partners()
    found = EvaluatedCompany(tmp_path, company, more=(SUMMARY,)).other_cells(SUMMARY)
    book = plan_book.plan_workbook(company=company)
    cached = book.cached[SUMMARY]
    del found["A1"]  # the Plan's title: its formulas are not in this evaluation
    wrong = {ref: (got, cached[ref]) for ref, got in found.items()
             if not agrees("" if got is None else got, cached[ref])}  # fmt: skip
    assert not wrong
    label = {c.ref: c.value for c in book.sheets[0].cells}
    value = {
        label[f"A{ref[1:]}"]: got
        for ref, got in found.items()
        if ref.startswith("B") and not str(label.get(f"A{ref[1:]}", "=")).startswith("=")
    }
    plan = company_plan(company)
    assert value["Customers to win"] == pytest.approx(plan.customers)
    # The segments' budgets as the example types them: 400,000 + 300,000 + 100,000.
    assert value["Marketing budget"] == pytest.approx(plan.budget) == 800_000
    assert value["CAC at this budget"] == pytest.approx(800_000 / plan.customers)
    assert value["New-logo goal"] == pytest.approx(plan.new_logo_goal)
    assert value["Revenue goal"] == pytest.approx(plan.revenue_goal)
    rows = {found[f"A{r}"]: (found[f"B{r}"], found[f"C{r}"]) for r in range(20, 40)
            if found.get(f"A{r}") in {s.name for s in company.segments}}  # fmt: skip
    assert {name: budget for name, (_, budget) in rows.items()} == {
        s.name: s.plan.marketing_budget for s in company.segments
    }
    assert list(rows) == [s.name for s in company.segments]


def test_a_company_summary_shows_money_in_its_currency(tmp_path):
    from pathlib import Path

    from typer.testing import CliRunner

    from kpi_planner.cli.main import app

    segments = Path(__file__).resolve().parents[3] / "examples" / "segments.csv"
    out = tmp_path / "company.xlsx"
    options = ["--segments", str(segments), "--currency", "EUR", "--revenue-goal", "20000000"]
    result = CliRunner().invoke(app, ["build", "--out", str(out), *options])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)[SUMMARY]
    row = next(r for r in range(1, 30) if sheet[f"A{r}"].value == "CAC at this budget")
    assert "€" in sheet[f"B{row}"].number_format
    # No whole-number rule takes the money's symbol away (a CAC is not a volume).
    whole = [str(cf.sqref) for cf in sheet.conditional_formatting
             if any(r.formula == ["WholeNumbers"] for r in cf.rules)]  # fmt: skip
    assert not any(f"B{row}" in ranges.split() for ranges in whole)


def test_fill_writes_a_plan_with_no_margin_its_payback_blank(tmp_path):
    # No gross margin never pays CAC back: the Summary's #N/A, not a refused row.
    from typer.testing import CliRunner

    from kpi_planner.cli.main import app

    table = tmp_path / "plans.csv"
    table.write_text("Name,RevenueGoal,DealSize,MarketingBudget,GrossMargin\n"
                     "none,5000000,25000,400000,0\nsome,5000000,25000,400000,0.8\n")  # fmt: skip
    result = CliRunner().invoke(app, ["fill", str(table), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    sheets = {
        name: openpyxl.load_workbook(tmp_path / "out" / f"{name}.xlsx", data_only=True)[SUMMARY]
        for name in ("none", "some")
    }
    row = next(r for r in range(1, 30)
               if sheets["some"][f"A{r}"].value == "Months to earn back CAC")  # fmt: skip
    assert sheets["none"][f"B{row}"].value in (None, "")
    # 400,000 / 200 customers = 2,000 CAC over 25,000 / 12 x 80 % a month: 1.2 months.
    assert sheets["some"][f"B{row}"].value == pytest.approx(2_000 / (25_000 / 12 * 0.8))
