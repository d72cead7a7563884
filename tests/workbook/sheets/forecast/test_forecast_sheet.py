"""The Forecast sheet: its formulas, evaluated by `formulas` and recalculated by LibreOffice,
equal what `kpi-planner forecast` computes for the same opportunities and plan."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import formulas
import pytest

from kpi_planner.cli import forecast as forecast_cli
from kpi_planner.plan import one_plan
from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook.render import xlsx
from kpi_planner.workbook.sheets.forecast import FORECAST
from tests.cli.test_forecast_command import DEALS, HEADER
from tests.libreoffice import record
from tests.workbook.evaluate import _serial

AS_OF = dt.date(2027, 6, 30)
PLAN = one_plan.PlanInputs(revenue_goal=1e6, deal_size=1e5, marketing_budget=4e5, plan_year=2027)


def written(tmp_path, inputs=PLAN, rows=DEALS, as_of=AS_OF):
    """The plan workbook with the Forecast sheet of ``rows``, as `build` writes it, and the
    forecast `kpi-planner forecast` computes for them."""
    table = tmp_path / "deals.csv"
    table.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    run = forecast_cli.compute(table, as_of, inputs, {}, None, 2026, 3.0)
    book = plan_book.plan_workbook(inputs, forecast=forecast_cli.sheet_values(run, None, 3.0))
    return book, run


class Compiled:
    """A workbook's Plan and Forecast sheets compiled once by `formulas`, recalculated with
    cells of the Forecast sheet typed over (a text, a number or a date; an empty cell needs
    a workbook of its own: `formulas` takes None for a value)."""

    def __init__(self, book, tmp_path) -> None:
        keep = {"Plan", FORECAST}
        sheets = tuple(s for s in book.sheets if s.title in keep)
        names = tuple(n for n in book.names if n.sheet in keep)
        book = dataclasses.replace(book, sheets=sheets, names=names)
        path = xlsx.save(book, tmp_path / "forecast.xlsx")
        self.model = formulas.ExcelModel().loads(str(path)).finish()
        self.prefix = f"'[{path.name}]{FORECAST.upper()}'!"

    def cells(self, typed: dict[str, object] | None = None) -> dict[str, object]:
        overrides = {self.prefix + ref: _serial(value) for ref, value in (typed or {}).items()}
        solution = self.model.calculate(inputs=overrides)
        return {key[len(self.prefix):]: value.value[0][0] for key, value in solution.items()
                if key.startswith(self.prefix)}  # fmt: skip


def evaluated(book, tmp_path) -> dict[str, object]:
    """The Forecast sheet's cells as `formulas` computes them (the Plan sheet beside it)."""
    return Compiled(book, tmp_path).cells()


@pytest.fixture(scope="module")
def default(tmp_path_factory):
    """The test table's workbook compiled once, with its forecast."""
    folder = tmp_path_factory.mktemp("forecast")
    book, run = written(folder)
    return Compiled(book, folder), run


def engine_cells(run, inputs=PLAN) -> dict[str, float]:
    """The engine's value of each result cell (see the sheet's rows)."""
    landing, pace = run.landing, run.pacing
    plan = (one_plan.plan_outputs(inputs).required_monthly[-1] * inputs.deal_size).tolist()
    months = {}
    for m, column in enumerate("CDEFGHIJKLMN"):
        months |= {
            f"{column}40": landing.won_by_month[m],
            f"{column}41": landing.expected_by_month[m],
            f"{column}42": sum(landing.won_by_month[: m + 1])
            + sum(landing.expected_by_month[: m + 1]),
            f"{column}43": plan[m],
            f"{column}44": sum(plan[: m + 1]),
        }
    return months | {f"C{row}": landing.goal for row in (21, 22, 23)} | {
        "B13": landing.closed,
        "B14": landing.open_expected["stage probability"],
        "B15": landing.open_expected["forecast category"],
        "B16": landing.landing("stage probability"),
        "B17": landing.landing("forecast category"),
        "B18": max(landing.goal - landing.landing("stage probability"), 0),
        "B19": max(landing.goal - landing.landing("forecast category"), 0),
        "B30": pace.target, "B31": pace.day_one_target, "B32": pace.in_hand,
        "B33": pace.coverage_now, "B34": pace.day, "B35": pace.needed_now, "B36": pace.pacing,
    }  # fmt: skip


def agree(found: dict[str, object], want: dict[str, float]) -> dict[str, tuple]:
    return {ref: (found[ref], value) for ref, value in want.items()
            if not math.isclose(found[ref], value, rel_tol=1e-9, abs_tol=1e-9)}  # fmt: skip


def test_the_formulas_compute_the_engines_forecast(default):
    compiled, run = default
    found = compiled.cells()
    assert agree(found, engine_cells(run)) == {}
    # Hand arithmetic (tests/cli/test_forecast_command.py): 300,000 closed; 100,000 and
    # 145,000 open; 200,000 planned; next quarter 300,000, 250,000 in hand, pacing 250/900.
    assert (found["B13"], found["B14"], found["B15"]) == (300_000, 100_000, 145_000)
    assert (found["B16"], found["B30"], found["B32"]) == (600_000, 300_000, 250_000)
    # By month: C won in May (300,000); B (40,000 expected) closes in August, A (60,000) in
    # September; the plan's customers (1 a month but June's and December's) x 100,000.
    assert (found["G40"], found["J41"], found["K41"]) == (300_000, 40_000, 60_000)
    assert (found["C43"], found["H43"], found["N44"]) == (100_000, 0, 1_000_000)


def test_a_fiscal_year_from_april(tmp_path):
    # FY2028 (April 2027 to March 2028) as of 30 June 2027: the first quarter's last day;
    # next quarter is Q2 (July to September), its target the plan's second quarter.
    inputs = PLAN.replace(plan_year=2028, fiscal_year_start=4)
    book, run = written(tmp_path, inputs)
    found = evaluated(book, tmp_path)
    assert agree(found, engine_cells(run, inputs)) == {}
    assert (found["B27"], found["B34"]) == (1, 91)  # Q1; 30 June is its 91st day
    assert run.window.first == dt.date(2027, 4, 1)


def test_an_open_deal_with_an_unknown_category_is_na_not_zero(default):
    compiled, _ = default
    assert compiled.cells()["K51"] == 0.5  # "Best Case" found, ignoring case
    # Typed past the engine (the build refuses it): the sheet's own lookup shows #N/A.
    found = compiled.cells({"F51": "Maybe"})
    assert str(found["B15"]) == "#N/A"
    assert str(found["B17"]) == "#N/A"


def test_libreoffice_computes_the_published_weighting(tmp_path):
    program = record.soffice_or_skip()
    book, run = written(tmp_path)
    # A's category typed with a double space: Excel's and LibreOffice's TRIM read it as
    # "best case", as the command does.
    workbook = xlsx.save(_typed_over(book, "F51", "best  case"), tmp_path / "forecast.xlsx")
    computed = record.computed_by_libreoffice([workbook], tmp_path, program)[workbook]
    found = {ref: computed[f"{FORECAST}!{ref}"] for ref in engine_cells(run)}
    assert agree(found, engine_cells(run)) == {}
    assert computed[f"{FORECAST}!K51"] == 0.5
    # $200,000 at 30 % and $50,000 at 80 % weigh $100,000 (issue 33's published check).
    assert found["B14"] == 100_000


@pytest.mark.parametrize(
    ("typed", "total"),
    [({"E51": 1.5}, "B14"),  # a probability of 150 %, pasted past the validation
     ({"D51": dt.date(2027, 2, 1)}, "B14"),  # A closes before it was created (1 March)
     ({"G51": dt.date(2027, 4, 1), "H51": dt.date(2027, 5, 1)}, "B14"),  # won and lost
     ({"B51": "n/a"}, "B14"),  # an amount that is no number
     ({"B53": "n/a"}, "B13")],  # C, won in May: closed to date
)  # fmt: skip
def test_a_row_the_command_refuses_is_an_error_value_not_counted(default, typed, total):
    compiled, _ = default
    found = compiled.cells(typed)
    assert str(found[total]).startswith("#"), found[total]  # #N/A or #VALUE!, never a sum


@pytest.mark.parametrize(("cell", "total"), [("B51", "B14"), ("B53", "G40")])
def test_a_row_with_no_amount_is_an_error_value_not_counted(tmp_path, cell, total):
    # A deal's row with its amount left empty (A's, open; C's, won in May).
    book, _ = written(tmp_path)
    found = evaluated(_typed_over(book, cell, None), tmp_path)
    assert str(found[total]).startswith("#"), found[total]


def test_categories_are_matched_as_the_command_matches_them(default):
    # HubSpot's BEST_CASE is "Best case", as `forecast` reads it. (A double space is too,
    # by Excel's TRIM; `formulas`' TRIM keeps inner spaces, so LibreOffice checks that one
    # in test_libreoffice_computes_the_published_weighting.)
    compiled, _ = default
    assert compiled.cells({"F51": "BEST_CASE"})["K51"] == 0.5


def _typed_over(book, ref, value):
    sheet = next(s for s in book.sheets if s.title == FORECAST)
    cells = tuple(dataclasses.replace(c, value=value) if c.ref == ref else c
                  for c in sheet.cells)  # fmt: skip
    sheets = tuple(dataclasses.replace(s, cells=cells) if s.title == FORECAST else s
                   for s in book.sheets)  # fmt: skip
    return dataclasses.replace(book, sheets=sheets)


def test_the_sheet_reproduces_revcast(tmp_path):
    # tests/cli/test_forecast_command.py::test_pacing_reproduces_revcast's table: on day 60
    # of Q2, Q3's 1,500,000 day-one target needs 65 % of it, 975,000; 975,000 is in hand.
    rows = ["P1,650000,2027-02-15,2027-06-20,50,Pipeline,,",
            "P2,350000,2027-03-15,2027-06-25,50,Pipeline,,",
            "N1,500000,2027-04-10,2027-08-10,50,Pipeline,,",
            "N2,475000,2027-05-01,2027-09-10,50,Pipeline,,"]  # fmt: skip
    inputs = PLAN.replace(revenue_goal=2e6, deal_size=5e4)
    book, run = written(tmp_path, inputs, rows, dt.date(2027, 5, 30))
    found = evaluated(book, tmp_path)
    assert agree(found, engine_cells(run, inputs)) == {}
    assert (found["B31"], found["B34"]) == (1_500_000, 60)
    assert found["B35"] == pytest.approx(975_000)
    assert found["B36"] == pytest.approx(1.0)


def test_the_opportunities_print_on_pages_of_their_own_with_their_header_on_each(tmp_path):
    # Issue 35: a long table printed without its header after the first page. The forecast
    # prints on its page; the opportunities, from their header row (row 50, the row above
    # the first deal) on pages of their own, with that row repeated at the top of each.
    import openpyxl

    from kpi_planner.workbook.sheets.forecast import FIRST_DEAL_ROW

    book, _ = written(tmp_path)
    sheet = openpyxl.load_workbook(xlsx.save(book, tmp_path / "printed.xlsx"))[FORECAST]
    header, last = FIRST_DEAL_ROW - 1, FIRST_DEAL_ROW + len(DEALS) - 1
    assert sheet.print_title_rows == f"${header}:${header}"
    areas = f"'{FORECAST}'!$A$1:$N${header - 1},'{FORECAST}'!$A${header}:$N${last}"
    assert sheet.print_area == areas
    assert sheet.cell(header, 1).value == "Opportunity"
