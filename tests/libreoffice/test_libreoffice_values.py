"""Every formula cell of the template and of README's ``build`` examples, as LibreOffice
computed it, equals the engine's value (issue 31): a check by a third program, beside the
`formulas` evaluator of tests/workbook.

The expected values are LibreOffice's, committed in ``reference/`` with the commands that
made them (``python -m tests.libreoffice.record``, see README.md there). Everywhere, each
example is made again with its command and the engine's value of each formula cell is
compared with LibreOffice's: as ``kpi-planner build``'s inputs give them to the writer of
cached values that ``kpi-planner fill`` uses, and as ``kpi-planner fill`` itself writes them
for a table of the same inputs. Where LibreOffice is installed, it recalculates two of the
workbooks now, so the references cannot go stale; CI sets ``KPI_PLANNER_VISUAL=required``
when it has installed LibreOffice (.ci/run), and then a missing LibreOffice fails rather
than skips, as the visual check does.
"""

from __future__ import annotations

import json
import math
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_planner.cli.main import app
from kpi_planner.plan import one_plan
from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook.render import compiled as fast

from . import record

#: Numbers agree to a relative 1e-9. LibreOffice saves a result to 15 significant digits
#: (a rounding of up to 5e-15 of it) and adds and multiplies in another order than numpy
#: (the largest difference from the engine is 3e-15 in these workbooks); the smallest change
#: a wrong formula makes is far larger: one unit of a volume of 1,333,400 is 7.5e-7 of it, a
#: cent of a budget of 1,000,000 1e-8. An absolute 1e-12 lets a result of 0 in one program
#: be a rounding residue in the other.
RELATIVE, ABSOLUTE = 1e-9, 1e-12

#: The workbooks LibreOffice recalculates in every run (about a second each after its start).
RECALCULATED = ("marketing-plan", "emea")

#: README's examples as ``kpi-planner fill`` tables: the inputs of each example's command,
#: a column for each (an empty cell keeps the template's value, as ``build`` does). A table
#: that names channels gives every row its own, so the channels example has its own table;
#: the What-if sheet's scenarios are not a fill's, so the scenarios example has none.
FILL_TABLES = {
    "readme-plans.csv": """\
Name,RevenueGoal,DealSize,StageRates1,StageRates2,StageRates3,StageRates4,StageRates5,\
MarketingBudget,LagDays1,LagDays2,LagDays3,LagDays4,LagDays5,NextYearGrowth
marketing-plan,,,,,,,,,,,,,,
emea,5000000,25000,2%,25%,30%,40%,25%,400000,,,,,,
plan,5000000,25000,2%,25%,30%,40%,25%,400000,0,10,20,15,45,
timeline,,,,,,,,,0,10,20,15,45,25%
""",
    "readme-channels.csv": """\
Name,ChannelNames1,ChannelShares1,ChannelCosts1,ChannelMaxVolumes1,\
ChannelNames2,ChannelShares2,ChannelCosts2,Channel2Rates2,\
ChannelNames3,ChannelShares3,ChannelCosts3,ChannelMaxShares3
channels,Paid search,50%,60,700,Events,30%,150,30%,Content and SEO,20%,25,30%
""",
}


def reference(name: str) -> dict:
    return json.loads((record.REFERENCES / f"{name}.json").read_text("utf-8"))


def disagreements(
    libreoffice: dict[str, object], other: dict[str, object], name: str = "engine"
) -> list[str]:
    """Each cell whose value in ``other`` (computed by ``name``) is not LibreOffice's, with
    both values.

    Numbers agree to :data:`RELATIVE`; text, TRUE/FALSE and errors exactly. A formula that
    shows nothing is "" for LibreOffice; the engine's value for it is NaN, which a cached
    value leaves empty (None).
    """
    found = [f"{key}: no value from the {name}" for key in sorted(libreoffice.keys() - other)]
    found += [f"{key}: no reference value" for key in sorted(other.keys() - libreoffice.keys())]
    for key in sorted(libreoffice.keys() & other.keys()):
        want, got = libreoffice[key], other[key]
        if not _agree(want, got):
            found.append(f"{key}: LibreOffice {want!r}, {name} {got!r}")
    return found


def _agree(want: object, got: object) -> bool:
    if type(want) is float and type(got) is float:
        return math.isclose(got, want, rel_tol=RELATIVE, abs_tol=ABSOLUTE)
    if want == "" and got is None:
        return True
    if type(got) is bool and type(want) is float:
        # LibreOffice has no boolean type: a TRUE is 1 shown as TRUE, and a cell formatted
        # to show it as yes or no (Diagnosis's "Rate short?") reads back as the number.
        return want == float(got)
    return type(want) is type(got) and want == got


@dataclass(frozen=True)
class Example:
    workbook: Path  # as its command wrote it, now
    inputs: one_plan.PlanInputs  # what the command gave the workbook's writer


@pytest.fixture(scope="module")
def examples(tmp_path_factory) -> dict[str, Example]:
    """Each example's workbook, made by its command as the reference file has it (run here,
    in this process, in a folder with the repository's ``examples``), and its inputs."""
    made = {}
    written: list[one_plan.PlanInputs] = []
    writer = plan_book.plan_workbook

    def spy(inputs=None, *more, **options):  # the writer's other arguments passed through
        written.append(inputs)
        return writer(inputs, *more, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plan_book, "plan_workbook", spy)
        for name in record.EXAMPLES:
            command = reference(name)["command"][0]
            folder = record.with_examples(tmp_path_factory.mktemp(name))
            patch.chdir(folder)
            written.clear()
            result = CliRunner().invoke(app, shlex.split(command)[1:])
            assert result.exit_code == 0, f"{command}: {result.output}"
            # A build gives the writer its inputs once; the template (templates.TEMPLATES)
            # is seed 000's example, plan_workbook's default, whether or not the spy saw it.
            assert written or name == "marketing-plan", command
            (inputs,) = written or [None]
            made[name] = Example(
                folder / record.workbook_of(command), inputs or one_plan.PlanInputs()
            )
    return made


@pytest.fixture(scope="module")
def compiled() -> fast.CompiledPlan:
    return fast.CompiledPlan(len(one_plan.PlanInputs().stages))


@pytest.mark.parametrize("name", list(record.EXAMPLES))
def test_each_reference_is_of_its_readme_command_and_covers_every_formula(name, examples):
    found = reference(name)
    assert found["command"][0] == record.EXAMPLES[name]
    assert found["libreoffice"].startswith("LibreOffice ")
    values = found["values"]
    assert values.keys() == record.formula_values(examples[name].workbook).keys()
    # Every value computed (none left empty), and no error: these are valid plans.
    assert [key for key, v in values.items() if v is None] == []
    assert [key for key, v in values.items() if isinstance(v, str) and v.startswith("#")] == []


@pytest.mark.parametrize("name", list(record.EXAMPLES))
def test_the_engine_computes_what_libreoffice_computed(name, examples, compiled, tmp_path):
    # The engine's value of every formula cell of every sheet, as fill's writer caches it
    # (kpi_engine's outputs by defined name, each sheet's formula sources, the tracking
    # sheets' empty state), from the inputs the example's command gave its workbook. (The
    # What-if sheet's scenarios are among those outputs, though a fill's row has no column
    # for their inputs: only the cached values of formula cells are read.)
    inputs = examples[name].inputs
    row = one_plan.scenario_row(inputs)
    outputs = fast.outputs_of(row, one_plan.plan_outputs(inputs).by_name())
    cached = tmp_path / f"{name}.xlsx"
    cached.write_bytes(compiled.workbook(row, outputs))
    assert disagreements(reference(name)["values"], record.formula_values(cached)) == []


def test_kpi_planner_fill_caches_what_libreoffice_computed(tmp_path):
    out = tmp_path / "out"
    env = {"KPI_PLANNER_CACHE_DIR": str(tmp_path / "cache")}
    for table, text in FILL_TABLES.items():
        (tmp_path / table).write_text(text, "utf-8")
        result = CliRunner().invoke(
            app, ["fill", str(tmp_path / table), "--out", str(out), "--jobs", "1"], env=env
        )
        assert result.exit_code == 0, result.output
    filled = sorted(path.stem for path in out.glob("*.xlsx"))
    assert filled == ["channels", "emea", "marketing-plan", "plan", "timeline"]
    for name in filled:
        found = record.formula_values(out / f"{name}.xlsx")
        assert disagreements(reference(name)["values"], found, "fill") == [], name


def test_a_difference_the_size_of_a_wrong_formula_is_found():
    values = reference("emea")["values"]
    # Plan!C31: the 200 customers the plan needs.
    assert values["Plan!C31"] == 200.0
    for wrong in (200.000001, 201.0, "200", None, True):
        assert disagreements(values, values | {"Plan!C31": wrong}) == [
            f"Plan!C31: LibreOffice 200.0, engine {wrong!r}"
        ]
    assert disagreements(values, values | {"Plan!C31": 200.0 * (1 + 1e-12)}) == []
    text = next(key for key, v in values.items() if v == "")
    assert disagreements(values, values | {text: "x"}) != []
    assert disagreements(values, {k: v for k, v in values.items() if k != text}) != []


@pytest.fixture(scope="module")
def libreoffice() -> str:
    """The LibreOffice program; skips the test without one, unless CI requires it."""
    return record.soffice_or_skip("the references are not recomputed")


# LibreOffice first: without it, the test skips before the examples are made.
def test_libreoffice_still_computes_the_references(libreoffice, examples, tmp_path):
    workbooks = [examples[name].workbook for name in RECALCULATED]
    # Each workbook as written and a copy whose every formula carries a false cached value:
    # both recalculated, no cell left unset or false (or this raises), the two the same.
    computed = record.computed_by_libreoffice(workbooks, tmp_path, libreoffice)
    version = record.libreoffice_version(libreoffice)
    for name, workbook in zip(RECALCULATED, workbooks, strict=True):
        found = reference(name)
        assert disagreements(found["values"], computed[workbook], "LibreOffice now") == [], (
            f"{name}: LibreOffice now ({version}) differs from the reference "
            f"({found['libreoffice']})"
        )
