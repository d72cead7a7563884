"""Write many filled plan workbooks fast: compile the template once, then only fill its holes.

The template is the .xlsx that :mod:`.xlsx` (openpyxl) writes for the plan layout. Compiling
it compresses every fixed part once and cuts each sheet that changes per scenario into fixed
text and *holes* (:mod:`.xml_holes`): the input cells and the formula cells. The sheets every
scenario changes (Plan, Pipeline, Channels, What-if) are filled through :mod:`.filled_sheets`
with the cached values :mod:`kpi_engine` computed; the tracking sheets, which a new plan shows
empty, once per set of stage and channel names. Each is compressed and the zip laid out around
the parts compressed at compile time. The openpyxl path stays the reference: the tests check
that both give the same cells.
"""

from __future__ import annotations

import io
import itertools
import math
import zipfile
from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from kpi_engine import fiscal
from kpi_planner.inputs.defaults import DEFAULT_PLAN_YEAR
from kpi_planner.plan import channels as plan_channels
from kpi_planner.plan import one_plan
from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook.a1 import date_serial
from kpi_planner.workbook.render.filled_sheets import FilledSheets, number_slots
from kpi_planner.workbook.render.xml_holes import cut_holes, fill_holes, is_missing
from kpi_planner.workbook.render.zip_parts import Part, deflated_part, zip_parts
from kpi_planner.workbook.sheets.channels import formulas as channel_formulas
from kpi_planner.workbook.sheets.channels import layout as channels
from kpi_planner.workbook.sheets.pipeline import grid as pipeline
from kpi_planner.workbook.sheets.plan import layout as plan
from kpi_planner.workbook.sheets.summary import grid as summary
from kpi_planner.workbook.sheets.summary import layout as summary_layout
from kpi_planner.workbook.sheets.tracking import channel_actuals, goals
from kpi_planner.workbook.sheets.tracking import empty_values as empty_state
from kpi_planner.workbook.sheets.tracking import layout as tracking
from kpi_planner.workbook.sheets.whatif import formulas as whatif_formulas
from kpi_planner.workbook.sheets.whatif import grid as whatif_grid


class CompiledPlan:
    """The plan workbook for one stage count, compiled for filling many scenarios.

    Parameters
    ----------
    stages
        The number of funnel stages of the plans to write.
    currency
        The ISO 4217 code their money cells show (``""``: none): the symbol is in the
        number formats, so one compiled template serves one currency.
    """

    #: Outputs the per-scenario sheets show as text (not in :meth:`numbers`), by name.
    TEXT_OUTPUTS = ("TimelineLabels", "MonthLabels", "QuarterLabels", "TimelineQuarterLabels",
                    "PipelineCheck", *plan_channels.TEXT_OUTPUTS)  # fmt: skip

    def __init__(self, stages: int, currency: str = "") -> None:
        from kpi_planner.workbook.render import (
            xlsx,  # openpyxl: only a compile needs it, not a cached template
        )

        template_inputs = _template_inputs(stages).replace(currency=currency)
        book = plan_book.plan_workbook(template_inputs)
        template = xlsx.xlsx_bytes(book)
        self.stages = stages
        self.currency = currency
        self._tracking_parts: dict[tuple[str, ...], dict[str, Part]] = {}
        parts = {sheet.title: f"xl/worksheets/sheet{i}.xml"
                 for i, sheet in enumerate(book.sheets, start=1)}  # fmt: skip
        self._cut_template(template, parts, _filled_cells(stages, template_inputs))
        self._slot_numbers(stages, template_inputs, parts)

    def _cut_template(self, template: bytes, parts: Mapping[str, str], wanted: Mapping) -> None:
        """Cut each filled sheet into holes, every other part compressed once."""
        with zipfile.ZipFile(io.BytesIO(template)) as archive:
            names = archive.namelist()
            self._sheets = {
                parts[title]: self._compile(archive.read(parts[title]).decode("utf-8"), *cells)
                for title, cells in wanted.items()
            }
            # Every other part compressed once; the sheets' slots are filled per scenario.
            self._parts: list[Part | str] = [
                name if name in self._sheets else deflated_part(name, archive.read(name), once=True)
                for name in names
            ]

    def _slot_numbers(
        self, stages: int, template_inputs: one_plan.PlanInputs, parts: Mapping[str, str]
    ) -> None:
        """The per-scenario sheets' slots, and each number slot's column in :meth:`numbers`."""
        # The numbers of the sheets filled per scenario come from one matrix per chunk of
        # rows: each number slot's column is its output's offset plus the index of its cell
        # in that output.
        template_outputs = one_plan.plan_outputs(template_inputs).by_name()
        shapes = {name: np.shape(value) for name, value in template_outputs.items()
                  if np.asarray(value).dtype.kind == "f"}  # fmt: skip
        texts = set(template_outputs) - set(shapes)
        if texts != set(self.TEXT_OUTPUTS):
            raise AssertionError(f"text outputs: {texts}")
        self._numeric = list(shapes)
        numeric_inputs = _numeric_inputs(stages)
        per_scenario = (summary.SUMMARY, plan.PLAN, pipeline.PIPELINE, channels.CHANNELS,
                        whatif_grid.WHATIF)  # fmt: skip
        self._filled = FilledSheets({
            parts[title]: (number_slots(self._sheets[parts[title]][0], set(shapes), numeric_inputs),
                           self._sheets[parts[title]][1])
            for title in per_scenario})  # fmt: skip
        sizes = [math.prod(shape) for shape in shapes.values()]
        offsets = dict(zip(shapes, np.cumsum([0, *sizes[:-1]]).tolist(), strict=True))
        self._columns = np.array(
            [offsets[name] + (np.ravel_multi_index(index, shapes[name]) if index else 0)
             for name, index in self._filled.number_sources], dtype=np.intp)  # fmt: skip

    @staticmethod
    def _compile(text: str, inputs: Mapping[str, str], formulas: Mapping) -> tuple[list, str]:
        """A sheet's XML cut into fixed text and holes for its input and formula cells."""
        holes, tail = cut_holes(text, inputs, formulas)
        found = {hole.ref for hole in holes}
        if found != inputs.keys() | formulas.keys():  # the template and the layout disagree
            raise AssertionError(f"cells not in the template: {inputs.keys() - found}")
        return holes, tail

    def numbers(self, outputs: Mapping[str, object], rows: int) -> np.ndarray:
        """The cached numbers of the sheets filled per scenario, for ``rows`` scenarios: a
        (rows, number slots) matrix, a row of which is the ``numbers`` of :meth:`workbook`.

        ``outputs`` maps each output's defined name to its values for every row (a leading
        axis of rows), as :func:`kpi_planner.plan.frame.plan_outputs_frame` gives
        them. One gather for a whole chunk instead of a lookup per cell per row.
        """
        flat = [np.asarray(outputs[name], dtype=float).reshape(rows, -1) for name in self._numeric]
        return np.concatenate(flat, axis=1)[:, self._columns]

    def _one_row_numbers(self, outputs: Mapping[str, object]) -> np.ndarray:
        """:meth:`numbers` of one scenario, from its outputs as :func:`outputs_of` gives."""
        return self.numbers({name: [outputs[name]] for name in self._numeric}, 1)

    def filled_sheets(
        self, row: Mapping[str, object], outputs: Mapping[str, object]
    ) -> dict[str, bytes]:
        """The XML of each sheet filled per scenario (Summary, Plan, Pipeline, Channels,
        What-if), by part, for one scenario.

        ``row`` maps the columns of :func:`one_plan.scenario_row` to values; ``outputs`` maps
        each output's defined name (and ``StageNames`` and ``Title``) to its value for this
        scenario, as :func:`outputs_of` gives them.
        """
        numbers = self._one_row_numbers(outputs)
        return next(self._filled.render([row], [outputs], numbers))

    def sheet_xml(
        self, row: Mapping[str, object], outputs: Mapping[str, object], part: str
    ) -> bytes:
        """One filled sheet's XML (by its part in the file) for one scenario: ``row`` and
        ``outputs`` as for :meth:`filled_sheets`, ``outputs`` with every output's values and
        each tracking sheet's, by title (a dict by cell)."""
        if part not in self._sheets:
            raise KeyError(f"part {part!r} is not a sheet the fill writes")
        if part in self._filled.parts:
            return self.filled_sheets(row, outputs)[part]
        return fill_holes(*self._sheets[part], row, outputs)

    def workbook(self, row: Mapping[str, object], outputs: Mapping[str, object]) -> bytes:
        """The whole .xlsx file of one scenario, with cached values for every formula
        (arguments as for :meth:`filled_sheets`)."""
        numbers = self._one_row_numbers(outputs)
        return next(self.workbooks([row], [outputs], numbers))

    def workbooks(
        self,
        rows: Sequence[Mapping[str, object]],
        outputs: Sequence[Mapping[str, object]],
        numbers: np.ndarray,
    ) -> Iterator[bytes]:
        """The .xlsx file of each scenario of a chunk, in order, made as the caller takes
        them: ``rows`` and ``outputs`` as for :meth:`filled_sheets` (only the text outputs
        are read), ``numbers`` their rows of :meth:`numbers`."""
        sheets = self._filled.render(rows, outputs, numbers)
        for row, shown, xml in zip(rows, outputs, sheets, strict=True):
            filled = self._tracking(row, shown) | {p: deflated_part(p, x) for p, x in xml.items()}
            yield zip_parts([filled[p] if isinstance(p, str) else p for p in self._parts])

    def _tracking(self, row: Mapping[str, object], outputs: Mapping[str, object]) -> dict:
        """The tracking sheets' parts of one scenario, compressed: a new plan's show their
        empty state, which depends on its stage names, year, channel names and entry stage
        alone, so they are rendered once per set of those (most batches have one)."""
        stages, names, entry = _tracking_inputs(row, outputs)
        key = (*stages, *_year(row), *names, entry)
        tracking_parts = self._tracking_parts.get(key)
        if tracking_parts is None:
            empty = outputs | _empty_tracking(stages, names, entry, outputs)
            tracking_parts = {
                part: deflated_part(part, fill_holes(*self._sheets[part],
                                                     _with_example_dates(row), empty))
                for part in self._sheets
                if part not in self._filled.parts
            }  # fmt: skip
            if len(self._tracking_parts) < 256:
                self._tracking_parts[key] = tracking_parts
        return tracking_parts

    def _seed(self) -> tuple[dict[str, object], dict[str, object]]:
        """The seed example's scenario row and its outputs, with the tracking sheets' empty
        state (computed once: the benchmark's floor writes them into every workbook)."""
        if not hasattr(self, "_seed_values"):
            row = _with_example_dates(one_plan.scenario_row(one_plan.PlanInputs()))
            outputs = outputs_of(row, one_plan.plan_outputs(one_plan.PlanInputs()).by_name())
            stages, names, entry = _tracking_inputs(row, outputs)
            outputs |= _empty_tracking(stages, names, entry, outputs)
            self._seed_values = (row, outputs)
        return self._seed_values

    def seed_sheets(self) -> dict[str, bytes]:
        """The XML of each sheet filled per scenario, for the seed example: what the
        benchmark's raw-zip floor writes into every workbook."""
        return self.filled_sheets(*self._seed())

    def workbook_from_sheets(self, sheets: Mapping[str, bytes]) -> bytes:
        """The .xlsx file around given XML for the sheets filled per scenario (by part), every
        other part fixed: rendered and compressed once, for the seed example (the
        benchmark's raw-zip floor, which fills and computes nothing)."""
        if not hasattr(self, "_fixed"):
            row, outputs = self._seed()
            self._fixed = {part: deflated_part(part, self.sheet_xml(row, outputs, part))
                           for part in self._sheets if part not in self._filled.parts}  # fmt: skip
        filled = {**self._fixed, **{part: deflated_part(part, xml) for part, xml in sheets.items()}}
        return zip_parts([filled[p] if isinstance(p, str) else p for p in self._parts])


def _template_inputs(stages: int) -> one_plan.PlanInputs:
    """The built-in plan with ``stages`` stages: the template compiled."""
    return one_plan.PlanInputs().replace(
        stages=tuple(f"Stage {i}" for i in range(1, stages + 1)), rates=(0.5,) * (stages - 1)
    )


def _filled_cells(stages: int, template_inputs: one_plan.PlanInputs) -> dict[str, tuple]:
    """Each filled sheet, by title: its input cells and its formula cells with their sources."""
    inputs = {ref: column for ref, (column, _) in plan.input_cells(stages).items()}
    empty = empty_state.values_without_actuals(template_inputs.stages)
    pipeline_inputs = {ref: column for ref, (column, _) in pipeline.input_cells().items()}
    # The example goals' dates follow each plan's year.
    example_dates = {ref: ref for ref in goals.example_date_cells(DEFAULT_PLAN_YEAR)}
    channel_inputs = {ref: column for ref, (column, _) in channels.input_cells(stages).items()}
    step = {ref: column for ref, (column, _) in whatif_grid.input_cells().items()}
    return {
        summary.SUMMARY: ({}, summary_layout.formula_sources(stages)),
        plan.PLAN: (inputs, plan_book.formula_sources(stages)),
        pipeline.PIPELINE: (pipeline_inputs, pipeline.formula_sources()),
        channels.CHANNELS: (channel_inputs, channel_formulas.formula_sources(stages)),
        whatif_grid.WHATIF: (step, whatif_formulas.formula_sources(stages)),
        **{title: (example_dates if title == tracking.GOALS else {},
                   {ref: (title, (ref,)) for ref in values})
           for title, values in empty.items()},
    }  # fmt: skip


def _numeric_inputs(stages: int) -> set[str]:
    """The input columns of the sheets filled per scenario that hold numbers (or nothing)."""
    # Inputs with a number format hold numbers; the others are text.
    return {column for cells in (plan.input_cells(stages), pipeline.input_cells(),
                                 channels.input_cells(stages), whatif_grid.input_cells())
            for column, number_format in cells.values() if number_format}  # fmt: skip


#: The scenario columns of the channels' names, slot by slot (spelled once, not per row).
_CHANNEL_NAMES = tuple(f"chname_{i}" for i in range(1, channels.SLOTS + 1))


def _tracking_inputs(
    row: Mapping[str, object], outputs: Mapping[str, object]
) -> tuple[list[str], tuple[object, ...], str]:
    """What a new plan's tracking sheets show besides constants: the stage names, the
    channel names by slot (an empty one None: a table's NaN equals nothing, so None keeps a
    cache key equal) and the entry stage's name ("": none valid)."""
    stages = outputs["StageNames"]
    names = tuple(None if is_missing(name) else name for name in map(row.get, _CHANNEL_NAMES))
    entry = channel_actuals.entry_position(outputs["ChannelEntryIndex"])
    return stages, names, "" if entry is None else stages[entry]


def _empty_tracking(stages, names, entry, outputs: Mapping[str, object]) -> dict:
    """The tracking sheets' empty state for one scenario, headed by its plan's months and
    quarters (a fiscal year's)."""
    return empty_state.values_without_actuals(
        stages,
        False,
        names,
        entry,
        np.ravel(outputs["MonthLabels"]).tolist(),
        np.ravel(outputs["QuarterLabels"]).tolist(),
    )


def _with_example_dates(row: Mapping[str, object]) -> dict[str, object]:
    """The scenario row and, by cell, the Excel dates of its year's example goals."""
    dates = goals.example_date_cells(*_year(row))
    return {**row, **{ref: date_serial(day) for ref, day in dates.items()}}


def _year(row: Mapping[str, object]) -> tuple[int, int, str]:
    """The plan year of a scenario row and its fiscal year's first month and naming."""
    named_by = str(row.get("fiscal_year_named_by", "end")).strip().lower()
    return int(row["plan_year"]), fiscal.fiscal_start(row.get("fiscal_year_start", 1)), named_by


def outputs_of(row: Mapping[str, object], by_name: Mapping[str, object]) -> dict[str, object]:
    """The values :meth:`CompiledPlan.workbook` caches for one scenario: the plan's outputs
    by defined name (arrays become lists), the stage names and the title. (The tracking
    sheets' empty state is added where they are rendered, once per set of stage names.)"""
    # stage_1, stage_2, ... up to the funnel's last (a row of one_plan.scenario_row has no gaps)
    stages = itertools.takewhile(row.__contains__, map("stage_{}".format, itertools.count(1)))
    outputs = {
        name: value.tolist() if isinstance(value, np.ndarray) else value
        for name, value in by_name.items()
    }
    outputs["StageNames"] = [str(row[k]) for k in stages]
    outputs["Title"] = plan_book.plan_title(row["plan_year"], row.get("fiscal_year_start", 1))
    return outputs
