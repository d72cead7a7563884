"""`kpi-planner build --targets`: a goal that ramps by quarter, as the Plan sheet's goal and
seasonality, so each quarter plans its own target in live formulas."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.utils.cell import range_boundaries
from typer.testing import CliRunner

from kpi_engine import ramp_weights
from kpi_planner.cli.main import app
from kpi_planner.plan import one_plan
from tests.workbook.evaluate import EvaluatedPlan

runner = CliRunner()
# Kellblog's ramp: 5.0, 5.25, 6.0 and 7.5 million in four quarters (23.75 million a year).
KELLBLOG = [5_000_000, 5_250_000, 6_000_000, 7_500_000]
# At 50,000 a deal each quarter needs its own target / 50,000 customers, 475 in the year.
CUSTOMERS_BY_QUARTER = [100, 105, 120, 150]


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})


def named(book: openpyxl.Workbook, name: str) -> list[list[object]]:
    sheet_name, ref = next(iter(book.defined_names[name].destinations))
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    rows = book[sheet_name].iter_rows(min_row, max_row, min_col, max_col, values_only=True)
    return [list(row) for row in rows]


def test_ramping_targets_plan_each_quarter_in_the_workbook(tmp_path):
    out = tmp_path / "ramp.xlsx"
    targets = ",".join(map(str, KELLBLOG))
    result = run("build", "--out", out, "--targets", targets, "--deal-size", "50000")
    assert result.exit_code == 0, result.output
    assert "-> 475 Customers" in result.stdout
    book = openpyxl.load_workbook(out)
    assert book["Plan"]["B6"].value == 23_750_000  # the goal: the targets' sum
    weights = named(book, "SeasonalityWeights")[0]
    assert weights == pytest.approx(ramp_weights(KELLBLOG))
    # The live formulas (a build caches no values: Excel computes them on opening),
    # evaluated independently from the same inputs: each quarter's own customers.
    inputs = one_plan.PlanInputs(revenue_goal=23_750_000, deal_size=50_000,
                                 seasonality=tuple(weights))  # fmt: skip
    evaluated = EvaluatedPlan(tmp_path, inputs).calculate(inputs)
    assert evaluated["RequiredQuarterly"][-1].tolist() == CUSTOMERS_BY_QUARTER


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--targets", "1,2,3", "--deal-size", "10"], "give 4 quarterly or 12 monthly targets"),
        (["--targets", "1,2,3,4", "--revenue-goal", "10"], "--targets: set the goal"),
        (["--targets", "1,2,3,4", "--weights", "1,1,1,1,1,1,1,1,1,1,1,1"],
         "give them or --weights, not both"),
        (["--targets", "1,2,3,4", "--segments", "examples/segments.csv"],
         "--targets: not used with --segments"),
    ],
)  # fmt: skip
def test_target_mistakes_exit_2_and_write_nothing(tmp_path, args, message):
    out = tmp_path / "ramp.xlsx"
    result = run("build", "--out", out, *args)
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())
    assert not out.exists()
