"""``kpi-planner plan --segments FILE``: a company's plan, each segment's and the roll-up,
as a table to read, CSV or JSON; and the retention options that take expansion out of the
new-logo goal (``--expansion-goal``, or the ARR bridge's ``--starting-arr``,
``--net-retention``, ``--gross-retention`` and ``--target-arr``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kpi_planner.cli.app import OutputFormat, fail, money


@dataclass(frozen=True)
class RetentionOptions:
    """The retention options as typed (None: not given)."""

    starting_arr: str | None = None
    net_retention: str | None = None
    gross_retention: str | None = None
    target_arr: str | None = None
    expansion_goal: str | None = None

    @property
    def given(self) -> bool:
        return any(value is not None for value in vars(self).values())

    def read(self):
        """The options as a :class:`~kpi_planner.company.inputs.Retention`."""
        from kpi_planner.company.inputs import Retention

        bridge = (self.starting_arr, self.net_retention, self.gross_retention, self.target_arr)
        if any(v is not None for v in bridge) and self.expansion_goal is not None:
            raise fail("--expansion-goal: give it or the ARR bridge (--starting-arr, "
                       "--net-retention, --gross-retention, --target-arr), not both")  # fmt: skip
        if any(v is not None for v in bridge) and any(v is None for v in bridge):
            options = ("--starting-arr", "--net-retention", "--gross-retention", "--target-arr")
            missing = [name for name, v in zip(options, bridge, strict=True) if v is None]
            raise fail(f"{missing[0]}: the ARR bridge needs --starting-arr, --net-retention, "
                       "--gross-retention and --target-arr")  # fmt: skip
        return Retention(
            starting_arr=money(self.starting_arr, "--starting-arr"),
            net_retention=_rate(self.net_retention, "--net-retention", fraction=False),
            gross_retention=_rate(self.gross_retention, "--gross-retention", fraction=True),
            target_arr=money(self.target_arr, "--target-arr"),
            expansion_goal=money(self.expansion_goal, "--expansion-goal"),
        )  # fmt: skip


def _rate(text: str | None, option: str, *, fraction: bool) -> float | None:
    """A retention rate as typed: 110% or 1.1 (NRR passes 100 %), 90% or 0.9 (GRR, a
    fraction); None when the option is not given."""
    from kpi_planner.inputs.typed_values import CellError, parse_number

    if text is None:
        return None
    try:
        return parse_number(text.strip(), ".", fraction=fraction)
    except CellError as err:
        raise fail(f"{option} {text}: {err}: give a rate such as 90% or 0.9") from None


#: The engine's argument names -> the options that set them, for messages.
_OPTIONS = {"starting_arr": "--starting-arr", "net_retention": "--net-retention",
            "gross_retention": "--gross-retention", "target_arr": "--target-arr",
            "expansion_goal": "--expansion-goal", "revenue_goal": "--revenue-goal"}  # fmt: skip


def new_logo_goal(goal: float, retention: RetentionOptions) -> tuple[float, str]:
    """One funnel's goal after expansion, and a line that says how it follows."""
    from kpi_engine import KPIInputError
    from kpi_planner.company.inputs import CompanyInputs, Segment
    from kpi_planner.company.plan import company_plan
    from kpi_planner.plan.one_plan import PlanInputs

    inputs = CompanyInputs(PlanInputs(), (Segment("plan", PlanInputs(), share=1.0),), goal,
                           retention.read())  # fmt: skip
    try:
        plan = company_plan(inputs)
    except KPIInputError as err:
        raise fail(_in_option_words(err)) from None
    return plan.new_logo_goal, bridge_line(plan)


def _in_option_words(err) -> str:
    """The engine's problems, one a line, an option's by the option."""
    from kpi_engine.errors import show_value

    return "\n".join(f"{_OPTIONS[p.argument]} {show_value(p.value)}: {p.rule}"
                     if p.argument in _OPTIONS else str(p) for p in err.problems)  # fmt: skip


def amount(value: float, currency: str = "") -> str:
    """Money as printed, with ``currency``'s symbol: to the cent at most (a bridge's
    2,000,000.0000000002 is 2,000,000)."""
    from kpi_planner.reports.numbers import show_money

    return show_money(round(value, 2), currency)


def bridge_line(plan) -> str:
    """How the new-logo goal follows from the goal, the expansion and the bridge."""
    code = plan.segments[0].segment.plan.currency  # one currency a company

    def money_of(value: float) -> str:
        return amount(value, code)

    new_logos = f"New-logo goal {money_of(plan.new_logo_goal)}"
    if plan.bridge is not None:
        b = plan.bridge
        return (f"{new_logos}: ending ARR {money_of(b.ending_arr)} - starting ARR "
                f"{money_of(b.starting_arr)} x NRR {b.net_retention * 100:.4g} % (expansion "
                f"{money_of(b.expansion)}; churn and contraction "
                f"{money_of(b.churn_and_contraction)} at GRR "
                f"{b.gross_retention * 100:.4g} %).")  # fmt: skip
    if plan.expansion:
        return (f"{new_logos}: revenue goal {money_of(plan.revenue_goal)} - expansion "
                f"{money_of(plan.expansion)}.")  # fmt: skip
    return f"{new_logos}."


def plan_company(
    path: Path, company, goal: float | None, retention: RetentionOptions, output: OutputFormat,
    period: str, team: Path | None = None,
) -> None:  # fmt: skip
    """Read the segments, plan them and print the company's plan; with ``team`` (``--team``)
    the company's team too (the team alone as CSV or JSON)."""
    from kpi_planner.cli import company_printing

    _, plan = read_company(path, company, goal, retention)
    roles = None if team is None else _roles(team, plan)  # refused before anything prints
    if roles is None or output is OutputFormat.table:
        company_printing.print_company(plan, output, period)
    if roles is not None:
        from kpi_engine import fiscal
        from kpi_planner.capacity.company_team import company_team
        from kpi_planner.cli.team_printing import print_company_team

        first = plan.segments[0].segment.plan  # one year, calendar and currency a company
        labels = fiscal.quarter_labels(first.plan_year, first.fiscal_year_start)
        print_company_team(company_team(roles, plan), output, first.currency, tuple(labels))


def _roles(team: Path, plan) -> list:
    """``--team``'s roles: each names a segment of ``plan`` or works the company's stages."""
    from kpi_planner.cli.team import read_roles

    stages = {s.segment.name: list(s.stages) for s in plan.segments}
    return read_roles(team, list(plan.stages), stages)


def read_company(path: Path, company, goal: float | None, retention: RetentionOptions):
    """The company of the segments table ``path`` over the company plan ``company``, and its
    plan (``plan`` and ``build`` alike); every problem in the option's and table's words."""
    from kpi_engine import KPIInputError
    from kpi_planner.company.inputs import CompanyInputs
    from kpi_planner.company.plan import company_plan
    from kpi_planner.company.table import SegmentTableError, read_segments
    from kpi_planner.inputs.tables import TableError

    if not path.is_file():
        raise fail(f"--segments {path}: no such file")
    try:
        segments = read_segments(path, company)
    except (SegmentTableError, TableError) as err:
        raise fail(f"--segments {path.name}: {err}") from None
    inputs = CompanyInputs(company, segments, goal, retention.read())
    try:
        return inputs, company_plan(inputs)
    except KPIInputError as err:
        raise fail(f"--segments {path.name}: {_in_option_words(err)}") from None


def goal_after_retention(
    revenue_goal: str | None, deal_size: str | None, example: bool, retention: RetentionOptions
) -> tuple[str | None, str | None, str | None]:
    """``--revenue-goal`` less expansion (or the ARR bridge's new-logo goal) and the deal
    size, as typed, and the line that says how the goal follows; unchanged with no
    retention option."""
    if not retention.given:
        return revenue_goal, deal_size, None
    from kpi_planner.cli.main import EXAMPLE_DEAL_SIZE, EXAMPLE_REVENUE_GOAL

    if example and deal_size is None:
        deal_size = repr(EXAMPLE_DEAL_SIZE)

    goal = money(revenue_goal, "--revenue-goal")
    goal = EXAMPLE_REVENUE_GOAL if goal is None and example else goal
    if goal is None and retention.target_arr is None:
        raise fail("--expansion-goal: is taken out of the revenue goal: give --revenue-goal")
    new_logos, line = new_logo_goal(goal, retention)
    return repr(new_logos), deal_size, line


#: Where a company plan takes what ``plan`` options give a single plan.
_PER_SEGMENT = {
    "--weights": "each segment's seasonality (SeasonalityWeights1..12)",
    "--lags": "each segment's lags (LagDays1..)",
    "--growth": "each segment's next year's growth (NextYearGrowth)",
}


def refuse_with_segments(options: Mapping[str, object]) -> None:
    """Stop on the first ``plan`` option given that a company plan does not use, rather
    than print a plan that silently ignores it; say where the segments table takes it."""
    for option, value in options.items():
        if value is None:
            continue
        where = _PER_SEGMENT.get(option)
        if where is not None:
            raise fail(f"{option}: not used with --segments: the segments table sets {where}")
        raise fail(f"{option}: not used with --segments: a company plan shows its segments and "
                   "their roll-up; plan one segment alone for it")  # fmt: skip


def ramp_goal(
    targets: str, revenue_goal: str | None, weights: str | None
) -> tuple[str, list[float], list[float]]:
    """``--targets`` as the goal (their sum), the 12 monthly weights that give each period its
    target, and the targets as typed; exit 2 if ``--revenue-goal`` or ``--weights`` is given
    too, or a target is bad."""
    from kpi_engine import KPIInputError, ramp_weights
    from kpi_planner.cli.app import numbers

    if revenue_goal is not None or weights is not None:
        given = "--revenue-goal" if revenue_goal is not None else "--weights"
        raise fail(f"--targets: set the goal and its periods; give them or {given}, not both")
    values = numbers(targets, "--targets")
    try:
        monthly = ramp_weights(values)
    except KPIInputError as err:
        raise fail(f"--targets {targets}: {err.problems[0].rule}") from None
    return repr(sum(values)), monthly, values


def ramp(
    targets: str, revenue_goal: str | None, weights: str | None, period
) -> tuple[str, object, str]:
    """``--targets`` as the goal (their sum), the period shown (by quarter or month, as
    given, if the year was asked for) and the weights that give each period its target."""
    from kpi_planner.cli.main import Period

    goal, monthly, values = ramp_goal(targets, revenue_goal, weights)
    if period is Period.annual:
        period = Period.quarterly if len(values) == 4 else Period.monthly
    # By quarter, the 12 months' own weights (a timeline by quarter adds up its months, so
    # it keeps how a quarter's target falls between them), or each quarter's target typed.
    shown = values if period is Period.quarterly and len(values) == 4 else monthly
    return goal, period, ",".join(map(repr, shown))


def company_inputs(
    deal_size: str | None, stages: str | None, rates: str | None, budget: str | None,
    whole_numbers: bool, plan_year: int, fiscal_year_start: str | None = None,
    fiscal_year_named_by: str | None = None, currency: str = "",
):  # fmt: skip
    """The company plan the options give: what every segment leaves empty (the worked
    example's where an option is not given)."""
    from kpi_engine import DEFAULT_STAGES
    from kpi_planner.cli.app import numbers, read_fiscal_year
    from kpi_planner.plan.one_plan import PlanInputs

    start, named_by = read_fiscal_year(fiscal_year_start, fiscal_year_named_by)
    plan = PlanInputs(whole_numbers=whole_numbers, plan_year=plan_year,
                      fiscal_year_start=start, fiscal_year_named_by=named_by,
                      currency=currency)  # fmt: skip
    if deal_size is not None:
        plan = plan.replace(deal_size=money(deal_size, "--deal-size"))
    if budget is not None:
        plan = plan.replace(marketing_budget=money(budget, "--budget"))
    names = tuple(s.strip() for s in stages.split(",")) if stages is not None else DEFAULT_STAGES
    if stages is not None or rates is not None:
        if rates is None:
            raise fail("--stages: give the rates between them too (--rates)")
        what = f"the funnel {', '.join(names)} (one rate between each pair of stages)"
        values = numbers(rates, "--rates", fractions=True, expected=len(names) - 1, what=what)
        plan = plan.replace(stages=names, rates=tuple(values))
    return plan
