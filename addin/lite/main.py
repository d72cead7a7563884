"""kpi-planner in xlwings Lite (Excel on Windows, macOS and the web).

Paste this file into xlwings Lite's main.py editor and the lines of requirements.txt into
its requirements.txt editor. The functions and scripts are the add-in's own, imported
from the kpi-planner package: xlwings Lite's decorators register them, as xlwings'
classic decorators do on Windows.
"""

from kpi_planner_addin.functions import (  # noqa: F401
    ARR_BRIDGE,
    ATTAINMENT,
    BUDGET_NEEDED,
    CAC,
    CAC_PAYBACK,
    CHANNEL_BUDGET,
    CLOSE_RATE_CURVE,
    CLV,
    CONVERSION_RATE,
    COST_PER,
    EXPECTED_CLOSES,
    FOCUS_AREA,
    FUNNEL_FORWARD,
    FUNNEL_REQUIRED,
    GOAL_STATUS,
    LTV_CAC,
    NPS,
    PIPELINE_GAP,
    RAMP_WEIGHTS,
    REACHABLE_REVENUE,
    ROI,
    SEGMENT_ROLLUP,
    SENSITIVITY,
    SOURCED_DEALS,
    TIMELINE,
)
from kpi_planner_addin.ribbon import (  # noqa: F401
    add_tracking_sheets,
    build_plan_sheet,
    diagnose,
    optimise_channel_mix,
    refresh,
    self_test,
    show_help,
)
