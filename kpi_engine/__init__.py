"""kpi_engine: the marketing-plan math of kpi-planner, exact and with no Excel or file I/O.

Scalar functions live here; :mod:`kpi_engine.frame` has the same KPIs for a DataFrame
of scenarios. Rates and margins are fractions (0.015 for 1.5 %), money is in one
currency, counts may be fractional. Bad input raises :class:`KPIInputError`, whose
message names the argument, the value and what is allowed.

>>> from kpi_engine import reverse_funnel, SEED_RATES
>>> reverse_funnel(10_000_000, SEED_RATES, deal_size=1_100_000, whole_numbers=True)["Visits"]
83334.0
"""

from kpi_engine.capacity import (
    HiringPlan,
    headcount_needed,
    hiring_plan,
    ramp_share,
    ramped_output,
    ramped_rep_equivalents,
    team_capacity,
)
from kpi_engine.channel_mix import OptimalMix, optimal_mix
from kpi_engine.channel_tracking import ChannelAttainment, channel_attainment, channel_to_date
from kpi_engine.channels import Channel, ChannelPlan, ChannelResult, channel_plan, reachable_revenue
from kpi_engine.company import (
    ARRBridge,
    SourcedTarget,
    arr_bridge,
    new_logo_goal,
    ramp_weights,
    segment_goals,
    sourced_target,
)
from kpi_engine.costs import cac, cost_per, cost_per_stage, paid_cac
from kpi_engine.errors import KPIInputError, Problem, unique_problems
from kpi_engine.forecast import (
    DEFAULT_CATEGORY_WEIGHTS,
    LandingRange,
    category_probabilities,
    curve_probabilities,
    landing_range,
    opportunities_to_close,
    planned_wins,
    weighted_pipeline,
)
from kpi_engine.forward import Projection, conversion_rate, conversion_rates, forward_funnel
from kpi_engine.funnel import (
    DEFAULT_STAGES,
    SEED_RATES,
    customers_needed,
    reverse_funnel,
    transition_names,
)
from kpi_engine.goals import STATUS_MEANINGS, Goal, GoalStatus, goal_status, smart_problems
from kpi_engine.next_year import next_year_volumes
from kpi_engine.pacing import (
    build_up_share,
    coverage_ratio,
    day_one_target,
    pipeline_needed_by,
    pipeline_pacing,
)
from kpi_engine.phasing import (
    arrival_schedule,
    months_by_quarter,
    period_labels,
    period_shares,
    phase_funnel,
    quarter_weights,
    running_totals,
    sales_cycle_lag,
)
from kpi_engine.pipeline import (
    CloseRateCurve,
    GenerationPlan,
    close_rate_curve,
    expected_closes,
    generation_plan,
    pipeline_coverage,
    pipeline_gap,
    rounded_gap,
)
from kpi_engine.playbook import DEFAULT_PLAYBOOK, TRAFFIC, Play, play_templates, playbook_for
from kpi_engine.quality import EmailRates, email_rates, nps, nps_from_counts, stage_velocity
from kpi_engine.rollup import RollUp, company_stages, roll_up, stage_name_problems
from kpi_engine.segment_tracking import fix_first, revenue_at_risk
from kpi_engine.timeline import (
    DAYS_PER_YEAR,
    stage_offsets,
    timeline,
    timeline_labels,
)
from kpi_engine.tracking import (
    Diagnosis,
    FocusArea,
    attainment,
    diagnose,
    expected_to_date,
    focus_area,
)
from kpi_engine.value import (
    cac_payback_periods,
    clv,
    clv_purchase,
    ltv_to_cac,
    roi,
    roi_from_clv,
)
from kpi_engine.whatif import WhatIf, sensitivity

__all__ = [
    "DAYS_PER_YEAR",
    "DEFAULT_CATEGORY_WEIGHTS",
    "DEFAULT_PLAYBOOK",
    "DEFAULT_STAGES",
    "SEED_RATES",
    "STATUS_MEANINGS",
    "TRAFFIC",
    "ARRBridge",
    "Channel",
    "ChannelAttainment",
    "ChannelPlan",
    "ChannelResult",
    "CloseRateCurve",
    "Diagnosis",
    "EmailRates",
    "FocusArea",
    "GenerationPlan",
    "Goal",
    "GoalStatus",
    "HiringPlan",
    "KPIInputError",
    "LandingRange",
    "OptimalMix",
    "Play",
    "Problem",
    "Projection",
    "RollUp",
    "SourcedTarget",
    "WhatIf",
    "arr_bridge",
    "arrival_schedule",
    "attainment",
    "build_up_share",
    "cac",
    "cac_payback_periods",
    "category_probabilities",
    "channel_attainment",
    "channel_plan",
    "channel_to_date",
    "close_rate_curve",
    "clv",
    "clv_purchase",
    "company_stages",
    "conversion_rate",
    "conversion_rates",
    "cost_per",
    "cost_per_stage",
    "coverage_ratio",
    "curve_probabilities",
    "customers_needed",
    "day_one_target",
    "diagnose",
    "email_rates",
    "expected_closes",
    "expected_to_date",
    "fix_first",
    "focus_area",
    "forward_funnel",
    "generation_plan",
    "goal_status",
    "headcount_needed",
    "hiring_plan",
    "landing_range",
    "ltv_to_cac",
    "months_by_quarter",
    "new_logo_goal",
    "next_year_volumes",
    "nps",
    "nps_from_counts",
    "opportunities_to_close",
    "optimal_mix",
    "paid_cac",
    "period_labels",
    "period_shares",
    "phase_funnel",
    "pipeline_coverage",
    "pipeline_gap",
    "pipeline_needed_by",
    "pipeline_pacing",
    "planned_wins",
    "play_templates",
    "playbook_for",
    "quarter_weights",
    "ramp_share",
    "ramp_weights",
    "ramped_output",
    "ramped_rep_equivalents",
    "reachable_revenue",
    "revenue_at_risk",
    "reverse_funnel",
    "roi",
    "roi_from_clv",
    "roll_up",
    "rounded_gap",
    "running_totals",
    "sales_cycle_lag",
    "segment_goals",
    "sensitivity",
    "smart_problems",
    "sourced_target",
    "stage_name_problems",
    "stage_offsets",
    "stage_velocity",
    "team_capacity",
    "timeline",
    "timeline_labels",
    "transition_names",
    "unique_problems",
    "weighted_pipeline",
]
