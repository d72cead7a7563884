"""The sheets filled per scenario: neither the patterns their fixed text is cut into nor the
numbers a chunk's rows share (printed once) change what a workbook says."""

import io

import numpy as np
import openpyxl
import pytest

from kpi_planner.plan import one_plan
from kpi_planner.workbook.render import compiled as fast
from kpi_planner.workbook.render import filled_sheets
from kpi_planner.workbook.render.number_texts import number_bytes, number_texts
from kpi_planner.workbook.sheets.channels import layout as channels


@pytest.fixture(scope="module")
def compiled():
    return fast.CompiledPlan(6)


def chunk(compiled, goals):
    """Rows of the seed plan with the given revenue goals: (row, outputs) each and the
    chunk's numbers, as the fill gathers them."""
    scenarios, numbers = [], []
    for goal in goals:
        inputs = one_plan.PlanInputs(revenue_goal=goal)
        row = one_plan.scenario_row(inputs)
        outputs = fast.outputs_of(row, one_plan.plan_outputs(inputs).by_name())
        scenarios.append((row, outputs))
        numbers.append(compiled.numbers({name: [value] for name, value in outputs.items()}, 1)[0])
    return scenarios, np.vstack(numbers)


def test_a_chunk_written_at_once_is_the_same_as_each_row_alone(compiled):
    # Sixteen rows or more: the numbers they share are printed once, for the chunk.
    goals = [1.1e6 * (1 + k / 7) for k in range(filled_sheets.STEADY_ROWS + 1)]
    scenarios, numbers = chunk(compiled, goals)
    # One row names a channel the others leave empty: its text is not the chunk's.
    scenarios[5] = (scenarios[5][0] | {"chname_8": "Events"}, scenarios[5][1])
    rows, outputs = zip(*scenarios, strict=True)
    together = list(compiled.workbooks(rows, outputs, numbers))
    assert together == [compiled.workbook(row, shown) for row, shown in scenarios]
    assert len(set(together)) == len(goals)
    book = openpyxl.load_workbook(io.BytesIO(together[5]))
    assert "Events" in {cell.value for row in book[channels.CHANNELS].iter_rows() for cell in row}


def test_rows_sharing_numbers_print_them_once_per_chunk(compiled, monkeypatch):
    printed = []

    def counting(printer):
        def count(numbers):
            printed.append(len(numbers))
            return printer(numbers)

        return count

    # The shared numbers are printed as text (merged into a pattern), a block's as bytes.
    monkeypatch.setattr(filled_sheets, "number_texts", counting(number_texts))
    monkeypatch.setattr(filled_sheets, "number_bytes", counting(number_bytes))
    scenarios, numbers = chunk(compiled, [1.1e6 * (1 + k) for k in range(20)])
    rows, outputs = zip(*scenarios, strict=True)
    list(compiled.workbooks(rows, outputs, numbers))
    shared, block = printed  # the shared numbers once, then all the rows' own in one block
    assert shared > 100  # the seed's unused levers and lead-in months: the same zeros
    printed.clear()
    compiled.workbook(*scenarios[0])  # a row alone prints all of its numbers
    # The rows' funnels are alike, so each holds as many numbers: its own and the shared.
    assert block % 20 == 0
    assert printed == [shared + block // 20]


def test_a_numeric_input_holding_text_is_written_as_that_text(compiled):
    # The fill reads numbers into numeric inputs; any other value is still written as given.
    [(row, outputs)], _ = chunk(compiled, [1.1e6])
    ref, (column, _) = next((ref, cell) for ref, cell in channels.input_cells(6).items()
                            if cell[0] == "chcost_8")  # fmt: skip
    row = row | {column: "ask the agency"}
    book = openpyxl.load_workbook(io.BytesIO(compiled.workbook(row, outputs)))
    assert book[channels.CHANNELS][ref].value == "ask the agency"


def test_the_patterns_kept_are_bounded_and_the_newest_is_right(compiled, monkeypatch):
    monkeypatch.setattr(filled_sheets, "PATTERNS_KEPT", 2)
    [(row, outputs)], _ = chunk(compiled, [1.1e6])
    cell = next(ref for ref, (column, _) in channels.input_cells(6).items() if column == "chname_8")
    monkeypatch.setattr(compiled._filled, "_patterns", {})
    for name in ("Events", "Webinars", "Podcasts", "Print"):  # each a pattern of its own
        data = compiled.workbook(row | {"chname_8": name}, outputs)
        assert openpyxl.load_workbook(io.BytesIO(data))[channels.CHANNELS][cell].value == name
        assert len(compiled._filled._patterns) <= 2
