"""The sheets filled per scenario: the patterns their fixed text is cut into and the numbers a
chunk's rows share (printed once) never change what a workbook says."""

import io

import numpy as np
import openpyxl
import pytest

from kpi_planner.workbook import channels, fast, filled_sheets, plan


@pytest.fixture(scope="module")
def compiled():
    return fast.CompiledPlan(6)


def chunk(compiled, goals):
    """Rows of the seed plan with the given revenue goals: (row, outputs) each and the
    chunk's numbers, as the fill gathers them."""
    scenarios, numbers = [], []
    for goal in goals:
        inputs = plan.PlanInputs(revenue_goal=goal)
        row = plan.scenario_row(inputs)
        outputs = fast.outputs_of(row, plan.plan_outputs(inputs).by_name())
        scenarios.append((row, outputs))
        numbers.append(compiled.numbers({name: [value] for name, value in outputs.items()}, 1)[0])
    return scenarios, np.vstack(numbers)


def test_numbers_a_chunk_shares_are_printed_once_with_the_same_workbooks(compiled):
    goals = [1.1e6 * (1 + k / 7) for k in range(fast.STEADY_ROWS)]
    scenarios, numbers = chunk(compiled, goals)
    steady = compiled.steady(numbers)
    assert steady is not None
    # The seed's unused levers and lead-in months hold the same zeros in every row.
    assert steady.mask.sum() > 100
    for (row, outputs), row_numbers in zip(scenarios, numbers, strict=True):
        alone = compiled.workbook(row, outputs)
        assert compiled.workbook(row, outputs, row_numbers, steady) == alone


def test_a_chunk_too_small_to_gain_prints_every_number(compiled):
    _, numbers = chunk(compiled, [1.1e6, 2.2e6])
    assert compiled.steady(numbers) is None


def test_steady_numbers_that_are_not_the_rows_own_are_refused(compiled):
    scenarios, numbers = chunk(compiled, [1.1e6 * (1 + k) for k in range(fast.STEADY_ROWS)])
    steady = compiled.steady(numbers)
    assert steady is not None
    # Another row that agrees on every shared number may use them (its text is the same);
    # one that differs in any of them would be written with wrong numbers.
    shared = np.flatnonzero((numbers == numbers[0]).all(axis=0) & np.isfinite(numbers[0]))
    other = numbers[0].copy()
    other[shared[0]] += 1.0
    row, outputs = scenarios[0]
    with pytest.raises(ValueError, match="another chunk"):
        compiled.workbook(row, outputs, other, steady)


def test_a_numeric_input_holding_text_is_written_as_that_text(compiled):
    # The fill reads numbers into numeric inputs; any other value is still written as given.
    [(row, outputs)], numbers = chunk(compiled, [1.1e6])
    ref, (column, _) = next((ref, cell) for ref, cell in channels.input_cells(6).items()
                            if cell[0] == "chcost_8")  # fmt: skip
    row = row | {column: "ask the agency"}
    book = openpyxl.load_workbook(io.BytesIO(compiled.workbook(row, outputs, numbers[0])))
    assert book[channels.CHANNELS][ref].value == "ask the agency"


def test_the_patterns_kept_are_bounded_and_the_newest_is_right(compiled, monkeypatch):
    monkeypatch.setattr(filled_sheets, "PATTERNS_KEPT", 2)
    [(row, outputs)], numbers = chunk(compiled, [1.1e6])
    cell = next(ref for ref, (column, _) in channels.input_cells(6).items() if column == "chname_8")
    monkeypatch.setattr(compiled._filled, "_patterns", {})
    for name in ("Events", "Webinars", "Podcasts", "Print"):  # each a pattern of its own
        data = compiled.workbook(row | {"chname_8": name}, outputs, numbers[0])
        assert openpyxl.load_workbook(io.BytesIO(data))[channels.CHANNELS][cell].value == name
        assert len(compiled._filled._patterns) <= 2
