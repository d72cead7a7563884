"""The Goals sheet: its formulas, evaluated independently, equal kpi_engine.goal_status."""

import datetime as dt
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kpi_planner.plan import one_plan
from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook.render import xlsx
from kpi_planner.workbook.sheets.tracking import goals
from kpi_planner.workbook.sheets.tracking import layout as tracking
from tests.libreoffice import record
from tests.workbook import visual
from tests.workbook.evaluate import EvaluatedPlan

INPUTS = one_plan.PlanInputs()
START, DEADLINE = dt.date(2027, 1, 1), dt.date(2027, 4, 1)


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    return EvaluatedPlan(tmp_path_factory.mktemp("goals"), INPUTS, tracking.TrackingInputs())


def assert_goals_agree(evaluated, goals, as_of, tolerance=0.1):
    track = tracking.TrackingInputs(goals=tuple(goals), as_of=as_of, goal_tolerance=tolerance)
    got = evaluated.named(INPUTS, track, tracking.GOALS)
    want = tracking.goal_outputs(goals, as_of, tolerance)
    for k, expected in enumerate(want):
        assert got["GoalStatus"][k, 0] == expected["status"], k
        assert (got["GoalSmartCheck"][k, 0] or "") == expected["smart"], k
        if "progress" in expected:
            assert got["GoalProgress"][k, 0] == pytest.approx(expected["progress"], rel=1e-9)
            assert got["GoalExpected"][k, 0] == pytest.approx(expected["expected"], rel=1e-9)
    for k in range(len(goals), tracking.GOAL_ROWS):  # empty rows stay empty
        assert got["GoalStatus"][k, 0] in ("", None)
    return got


def test_seed_003_goals(evaluated):
    goals = [
        # +20 SQL a month by 1 April; 106 on 15 Feb is 20 points behind: at risk.
        tracking.GoalRow("SQL per month", "Ana", 100, 120, START, DEADLINE, 106),
        # Cost per click from 3.50 to 0.50 (seed 003): 2.00 halfway is on track.
        tracking.GoalRow("cost per click", "Ben", 3.5, 0.5, START, DEADLINE, 2.0),
        tracking.GoalRow("ad cost", "Cy", 1000, 900, START, DEADLINE, 890),  # met
        tracking.GoalRow("revenue", None, 100, None, START, None, 50),  # not SMART
    ]
    got = assert_goals_agree(evaluated, goals, dt.date(2027, 2, 15))
    assert got["GoalStatus"][:4, 0].tolist() == ["at risk", "on track", "met", "not SMART"]
    assert got["GoalSmartCheck"][3, 0] == (
        "no target number: measurable goals say how much; no deadline: time-bound goals say "
        "by when; no owner: someone must be accountable"
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    currents=st.lists(st.floats(min_value=80, max_value=130), min_size=3, max_size=3),
    day=st.integers(min_value=-10, max_value=100),
    tolerance=st.sampled_from([0.05, 0.1, 0.2]),
)
def test_drawn_goals_agree(evaluated, currents, day, tolerance):
    as_of = START + dt.timedelta(days=day)
    goals = [tracking.GoalRow(f"metric {k}", "Ana", 100, 120, START, DEADLINE, c)
             for k, c in enumerate(currents)]  # fmt: skip
    # Stay off the exact status thresholds, where the last bit decides.
    expected_progress = min(max(day, 0), 90) / 90
    for c in currents:
        progress = (c - 100) / 20
        edges = (expected_progress - tolerance, expected_progress - 2 * tolerance, 1.0)
        assume(all(abs(progress - edge) > 1e-9 for edge in edges))
    assert_goals_agree(evaluated, goals, as_of, tolerance)


def test_a_new_workbook_shows_three_smart_example_goals(evaluated):
    # Issue 13: Goals ships with the seed article's examples (003), marked, SMART, unjudged.
    examples = goals.example_goals(2027)
    assert [goal.metric.startswith(tracking.EXAMPLE) for goal in examples] == [True] * 3
    # "+15 % monthly revenue next quarter": 800,000 x 1.15 = 920,000; "cost per click from
    # 3.50 to 0.50"; "+20 % SQL from the next email campaign": 20 x 1.2 = 24.
    assert [(goal.baseline, goal.target) for goal in examples] == [
        (800_000, pytest.approx(920_000)),
        (3.5, 0.5),
        (20, pytest.approx(24)),
    ]
    assert [tracking.goal_outputs([goal], START, 0.1)[0]["smart"] for goal in examples] == [""] * 3
    got = evaluated.named(INPUTS, tracking.TrackingInputs(), tracking.GOALS)
    assert [str(metric) for metric in got["GoalInputs"][:3, 0]] == [g.metric for g in examples]
    # No current value: no progress, no expected value and no status yet, and SMART.
    for name in ("GoalProgress", "GoalExpected", "GoalStatus", "GoalSmartCheck"):
        assert [value in ("", None) for value in got[name][:, 0]] == [True] * 10, name
    # A plan for 2030 dates its examples in 2030 (Q1, the year, February).
    assert [(g.start.isoformat(), g.deadline.isoformat()) for g in goals.example_goals(2030)] == [
        ("2030-01-01", "2030-03-31"),
        ("2030-01-01", "2030-12-31"),
        ("2030-02-01", "2030-02-28"),
    ]


def test_whole_amounts_show_no_decimals_and_fractions_keep_two(tmp_path):
    # Issue 35: the example's 800,000 revenue reads 800,000, not 800,000.00, beside a cost
    # per click of 3.50: a rule relative to each cell (MOD(C7,1)=0), as LibreOffice prints.
    sheet, _ = goals.goals_sheet(plan_year=2027)
    (rule,) = sheet.conditional_formats
    assert rule.formula == f"MOD(C{goals.FIRST_GOAL_ROW},1)=0"
    assert rule.number_format == "#,##0"
    assert rule.ranges.split() == ["C7:D16", "G7:G16", "I7:I16"]
    record.soffice_or_skip("the Goals sheet's whole amounts as printed")
    if shutil.which("pdftotext") is None:
        pytest.skip("no pdftotext (poppler-utils) on this machine")
    path = xlsx.save(plan_book.plan_workbook(), tmp_path / "goals.xlsx")
    text = subprocess.run(["pdftotext", "-layout", str(visual.printed(path, tmp_path)), "-"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    revenue = next(line for line in text.splitlines() if "monthly revenue" in line)
    click = next(line for line in text.splitlines() if "cost per click 3.50" in line)
    assert revenue.split()[-4:-2] == ["800,000", "920,000"]
    assert click.split()[-4:-2] == ["3.50", "0.50"]
