"""The vectorised face of the engine: the same KPIs for a DataFrame of scenarios, one per row.

Each function takes a frame and, for every argument of the scalar function of the same
name, either a column name, a constant for every row, or a Series/array of the frame's
length. An argument left out reads the column of the same name; an optional argument
with no such column takes the scalar default. Results keep the frame's index.

Both faces run one implementation (the ``*_core`` functions beside the scalar ones), so
``kpi_engine.clv(...)`` and the matching row of ``kpi_engine.frame.clv(df)`` agree to the
last bit. Bad input raises :class:`~kpi_engine.errors.KPIInputError` naming every bad
row (label, column, value and rule) at once; ``err.rows`` lists their labels, so a
caller can drop them and go on with the rest:

>>> import pandas as pd
>>> from kpi_engine import frame, KPIInputError
>>> df = pd.DataFrame(
...     {"revenue": [50_000, 80_000, 1_000], "investment": [10_000, 0, 500]},
...     index=["EMEA", "APAC", "LATAM"],
... )
>>> try:
...     frame.roi(df)
... except KPIInputError as err:
...     print(err)
...     print(frame.roi(df.drop(index=err.rows)).to_dict())
row 'APAC': investment = 0: ROI is undefined for an investment of 0 (nothing to return)
{'EMEA': 4.0, 'LATAM': 1.0}
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from kpi_engine import costs, forward, funnel, phasing, value
from kpi_engine._args import Args, Given
from kpi_engine._frame_common import SAME_NAME, _pick, _series
from kpi_engine.errors import KPIInputError
from kpi_engine.frame_channels import channel_budget, channel_sensitivity
from kpi_engine.frame_company import arr_bridge, sourced_target
from kpi_engine.frame_plan import next_year_volumes
from kpi_engine.frame_quality import email_rates, nps_from_counts
from kpi_engine.pipeline import pipeline_core
from kpi_engine.timeline import offsets_core, timeline_core, timeline_labels

__all__ = [
    "SAME_NAME",
    "arr_bridge",
    "cac",
    "cac_payback_periods",
    "channel_budget",
    "channel_sensitivity",
    "clv",
    "conversion_rates",
    "cost_per",
    "cost_per_stage",
    "email_rates",
    "forward_funnel",
    "ltv_to_cac",
    "next_year_volumes",
    "nps_from_counts",
    "phase_funnel",
    "reverse_funnel",
    "roi",
    "roi_from_clv",
    "sourced_target",
    "stage_offsets",
    "timeline",
]


#: Rows a call computes at once (524,288). glibc serves allocations under 32 MB from memory
#: it keeps, while larger ones are mapped fresh and fault in page by page on every
#: temporary, which made 10 million rows cost 19 times one million. A block's widest
#: result, six stages of volumes, is 25 MB.
BLOCK_ROWS = 1 << 19


def _by_blocks(frame: pd.DataFrame, compute, *given: object) -> np.ndarray:
    """``compute(frame)`` on blocks of :data:`BLOCK_ROWS` rows, results stacked in row order:
    the same values (every KPI is row by row) in time linear in the rows. Every block's
    problems are reported together, by row, as one call would. Arguments given as arrays or
    Series of the frame's length cannot be cut with it: such a call runs whole (columns,
    constants and arguments left out, None, can)."""
    flat = [item for value in given
            for item in (value if isinstance(value, list | tuple) else [value])]  # fmt: skip
    cuttable = all(v is None or isinstance(v, str | int | float) for v in flat)
    if len(frame) <= BLOCK_ROWS or not cuttable:
        return compute(frame)
    result, problems = None, []
    for start in range(0, len(frame), BLOCK_ROWS):
        try:
            part = compute(frame.iloc[start : start + BLOCK_ROWS])
        except KPIInputError as err:
            problems.extend(err.problems)
            continue
        if result is None:
            result = _full_length(part, len(frame))
        # Each block goes straight into the one result: blocks kept for a final concatenate
        # would be a second full-length copy, faulted in fresh (a tenth of the time at 1e7).
        result[start : start + len(part)] = part
        del part  # not alive beside the next block's arrays: peak memory stays one block's
    if problems:
        raise KPIInputError(problems)
    return result


def _full_length(part: np.ndarray, rows: int) -> np.ndarray:
    """An empty array for ``rows`` rows shaped and laid out like ``part`` (a block of stages
    x rows stays one, so the frame made of it takes it without a copy)."""
    if part.ndim == 2 and not part.flags.c_contiguous and part.flags.f_contiguous:
        return np.empty((part.shape[1], rows), dtype=part.dtype).T
    return np.empty((rows, *part.shape[1:]), dtype=part.dtype)


def reverse_funnel(
    frame: pd.DataFrame,
    *,
    goal: Given,
    rates: Sequence[Given],
    deal_size: Given | None = None,
    periods: Given = 1,
    whole_numbers: bool = False,
    stages: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Required volumes per stage for every scenario; see :func:`kpi_engine.reverse_funnel`.

    ``goal`` and ``deal_size`` (revenue / deal size, or customers when ``deal_size`` is
    None), each rate and ``periods`` are column names or constants. Returns one column
    per stage, top stage first.

    >>> df = pd.DataFrame({"goal": [10e6, 4e6], "deal": [1.1e6, 0.5e6], "v2l": [0.015, 0.02]})
    >>> reverse_funnel(df, goal="goal", deal_size="deal", rates=["v2l", 0.25, 0.5],
    ...                whole_numbers=True)
        Stage 1  Stage 2  Stage 3  Customers
    0  5334.0     80.0     20.0       10.0
    1  3200.0     64.0     16.0        8.0
    """
    rate_list = list(rates)
    names = funnel.resolve_stages(stages, len(rate_list))
    volumes = _by_blocks(frame, lambda part: funnel.reverse_core(
        Args(part), goal, rate_list, deal_size, periods, whole_numbers, names),
        goal, rate_list, deal_size, periods)  # fmt: skip
    # The volumes are one block of stages x rows already: the frame takes it as it is.
    return pd.DataFrame(volumes, index=frame.index, columns=list(names), copy=False)


def phase_funnel(
    frame: pd.DataFrame,
    *,
    goal: Given,
    rates: Sequence[Given],
    weights: Sequence[Given],
    deal_size: Given | None = None,
    whole_numbers: bool = False,
    stages: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Required volumes per period and stage for every scenario.

    ``weights`` has one column (or constant) per period: 4 for quarters, 12 for months;
    each row's year is shared by its own weights. Columns are a MultiIndex
    ``(period, stage)`` with periods ``P1, P2, ...``. See :func:`kpi_engine.phase_funnel`.
    """
    rate_list = list(rates)
    names = funnel.resolve_stages(stages, len(rate_list))
    phased = phasing.phase_core(
        Args(frame), goal, rate_list, deal_size, list(weights), whole_numbers, names
    )
    periods = [f"P{p}" for p in range(1, phased.shape[1] + 1)]
    return pd.DataFrame(phased.reshape(len(frame), -1), index=frame.index,
                        columns=_period_stage_columns(periods, names))  # fmt: skip


def timeline(
    frame: pd.DataFrame,
    *,
    goal: Given,
    rates: Sequence[Given],
    lag_days: Sequence[Given],
    weights: Sequence[Given],
    growth: Given = 0.0,
    deal_size: Given | None = None,
    whole_numbers: bool = False,
    stages: Sequence[str] | None = None,
    plan_year: int | None = None,
    fiscal_year_start: int = 1,
    fiscal_year_named_by: str = "end",
) -> pd.DataFrame:
    """Each stage's volume in the period it must arrive, for every scenario.

    ``lag_days`` has one column (or constant) per step, ``weights`` one per period (4 or
    12). The lead-in is the longest of any row, so every row has the same columns, a
    MultiIndex ``(period, stage)`` labelled as :func:`kpi_engine.timeline_labels`; a row
    with shorter lags has 0 in the lead-in periods it does not need. See
    :func:`kpi_engine.timeline`.
    """
    rate_list = list(rates)
    names = funnel.resolve_stages(stages, len(rate_list))
    values, lead_in = timeline_core(
        Args(frame), goal, rate_list, deal_size, list(lag_days), growth, list(weights),
        whole_numbers, names,
    )  # fmt: skip
    labels = timeline_labels(
        len(weights), lead_in, plan_year, fiscal_year_start, fiscal_year_named_by
    )
    return pd.DataFrame(values.reshape(len(frame), -1), index=frame.index,
                        columns=_period_stage_columns(labels, names))  # fmt: skip


def _period_stage_columns(periods: Sequence[str], stages: Sequence[str]) -> pd.MultiIndex:
    """The columns ``(period, stage)``, period by period: what ``MultiIndex.from_product``
    gives, built from its codes when no label repeats (from_product sorts its levels, which
    costs more than the math of a 500-row chunk's timeline)."""
    if len(set(periods)) < len(periods) or len(set(stages)) < len(stages):
        return pd.MultiIndex.from_product([periods, stages], names=["period", "stage"])
    codes = [np.repeat(np.arange(len(periods)), len(stages)),
             np.tile(np.arange(len(stages)), len(periods))]  # fmt: skip
    return pd.MultiIndex(levels=[list(periods), list(stages)], codes=codes,
                         names=["period", "stage"], verify_integrity=False)  # fmt: skip


def stage_offsets(frame: pd.DataFrame, *, lag_days: Sequence[Given], periods: int = 12,
                  stages: Sequence[str] | None = None) -> pd.DataFrame:  # fmt: skip
    """Periods each stage arrives ahead of the deals, for every scenario: one column per
    stage. See :func:`kpi_engine.stage_offsets`."""
    lag_list = list(lag_days)
    names = funnel.resolve_stages(stages, len(lag_list))
    ahead = offsets_core(Args(frame), lag_list, periods)
    return pd.DataFrame(ahead, index=frame.index, columns=list(names))


def expected_closes(
    frame: pd.DataFrame, *, generated: Sequence[Given], curve: Sequence[Given]
) -> pd.DataFrame:
    """Deals expected to close in each period, for every scenario: one column per period of
    ``generated`` (columns or constants, oldest first), from each row's close-rate
    ``curve`` (one column or constant per period after creation). See
    :func:`kpi_engine.expected_closes`."""
    closes, _ = pipeline_core(Args(frame), list(generated), list(curve))
    return pd.DataFrame(closes, index=frame.index, columns=range(len(generated)))


def forward_funnel(
    frame: pd.DataFrame,
    *,
    top_volume: Given,
    rates: Sequence[Given],
    deal_size: Given | None = None,
    whole_numbers: bool = False,
    stages: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Projected volumes per stage (and ``revenue`` with a deal size) for every scenario.

    See :func:`kpi_engine.forward_funnel`.
    """
    rate_list = list(rates)
    names = funnel.resolve_stages(stages, len(rate_list))
    projected = forward.forward_core(
        Args(frame), top_volume, rate_list, deal_size, whole_numbers, names
    )
    columns = [*names, "revenue"] if deal_size is not None else list(names)
    return pd.DataFrame(projected, index=frame.index, columns=columns)


def conversion_rates(
    frame: pd.DataFrame, volumes: Sequence[Given], stages: Sequence[str] | None = None
) -> pd.DataFrame:
    """Rates between adjacent stages from volume columns, one column per transition.

    ``stages`` defaults to the volume columns' names. See :func:`kpi_engine.conversion_rates`.
    """
    volume_list = list(volumes)
    if stages is None and all(isinstance(v, str) for v in volume_list):
        stages = [str(v) for v in volume_list]
    names = funnel.resolve_stages(stages, len(volume_list) - 1)
    rates = forward.conversion_rates_core(Args(frame), volume_list, names)
    return pd.DataFrame(rates, index=frame.index, columns=funnel.transition_names(names))


def cost_per(frame: pd.DataFrame, *, spend: Given | Sequence[Given], count: Given) -> pd.Series:
    """Spend per unit at a stage for every row; ``spend`` may be a list of columns, added up."""
    result = costs.per_unit_core(
        Args(frame), spend, count, "count", "cost per unit is undefined with a count of 0"
    )
    return _series(frame, result, "cost_per")


def cost_per_stage(
    frame: pd.DataFrame, *, spend: Given | Sequence[Given], volumes: Mapping[str, Given]
) -> pd.DataFrame:
    """Cost per unit at each stage (stage -> volume column) for every row."""
    columns = {
        stage: costs.per_unit_core(
            Args(frame), spend, volume, str(volume), f"cost per {stage} is undefined with 0"
        )
        for stage, volume in volumes.items()
    }
    return pd.DataFrame(columns, index=frame.index)


def cac(
    frame: pd.DataFrame,
    *,
    spend: Given | Sequence[Given] = SAME_NAME,
    new_customers: Given = SAME_NAME,
) -> pd.Series:
    """CAC for every row; ``spend`` may be a list of columns (spend lines), added up.

    See :func:`kpi_engine.cac`.
    """
    given = (_pick(frame, "spend", spend), _pick(frame, "new_customers", new_customers))
    why = "CAC is undefined with 0 new customers (not infinite and not 0)"
    result = _by_blocks(frame, lambda part: costs.per_unit_core(
        Args(part), *given, "new_customers", why), *given)  # fmt: skip
    return _series(frame, result, "cac")


def clv(
    frame: pd.DataFrame,
    *,
    revenue_per_period: Given = SAME_NAME,
    gross_margin: Given = SAME_NAME,
    churn_rate: Given = SAME_NAME,
    discount_rate: Given = SAME_NAME,
    acquisition_cost: Given = SAME_NAME,
    horizon_periods: Given = SAME_NAME,
) -> pd.Series:
    """Customer lifetime value for every row; see :func:`kpi_engine.clv`."""
    given = (
        _pick(frame, "revenue_per_period", revenue_per_period),
        _pick(frame, "gross_margin", gross_margin),
        _pick(frame, "churn_rate", churn_rate),
        _pick(frame, "discount_rate", discount_rate, 0.0),
        _pick(frame, "acquisition_cost", acquisition_cost, 0.0),
        _pick(frame, "horizon_periods", horizon_periods, math.inf),
    )
    result = _by_blocks(frame, lambda part: value.clv_core(Args(part), *given), *given)
    return _series(frame, result, "clv")


def roi(
    frame: pd.DataFrame,
    *,
    revenue: Given = SAME_NAME,
    investment: Given = SAME_NAME,
    gross_margin: Given = SAME_NAME,
    other_costs: Given = SAME_NAME,
) -> pd.Series:
    """Return on marketing investment for every row; see :func:`kpi_engine.roi`."""
    given = (
        _pick(frame, "revenue", revenue),
        _pick(frame, "investment", investment),
        _pick(frame, "gross_margin", gross_margin, 1.0),
        _pick(frame, "other_costs", other_costs, 0.0),
    )
    result = _by_blocks(frame, lambda part: value.roi_core(Args(part), *given), *given)
    return _series(frame, result, "roi")


def roi_from_clv(
    frame: pd.DataFrame,
    *,
    customers: Given = SAME_NAME,
    clv_per_customer: Given = SAME_NAME,
    investment: Given = SAME_NAME,
) -> pd.Series:
    """CLV-based ROI for every row; see :func:`kpi_engine.roi_from_clv`."""
    result = value.roi_from_clv_core(
        Args(frame),
        _pick(frame, "customers", customers),
        _pick(frame, "clv_per_customer", clv_per_customer),
        _pick(frame, "investment", investment),
    )
    return _series(frame, result, "roi_from_clv")


def ltv_to_cac(frame: pd.DataFrame, *, clv: Given = SAME_NAME, cac: Given = SAME_NAME) -> pd.Series:
    """LTV:CAC for every row; see :func:`kpi_engine.ltv_to_cac`."""
    result = value.ltv_to_cac_core(Args(frame), _pick(frame, "clv", clv), _pick(frame, "cac", cac))
    return _series(frame, result, "ltv_to_cac")


def cac_payback_periods(
    frame: pd.DataFrame,
    *,
    cac: Given = SAME_NAME,
    revenue_per_period: Given = SAME_NAME,
    gross_margin: Given = SAME_NAME,
) -> pd.Series:
    """CAC payback in periods for every row; see :func:`kpi_engine.cac_payback_periods`."""
    result = value.cac_payback_core(
        Args(frame),
        _pick(frame, "cac", cac),
        _pick(frame, "revenue_per_period", revenue_per_period),
        _pick(frame, "gross_margin", gross_margin),
    )
    return _series(frame, result, "cac_payback_periods")
