"""One plan is the frame computation of one row (issue 31); these are the checks the
scalar path made on its own and the frame of one row must make too, found in review."""

import pytest

from kpi_engine import KPIInputError
from kpi_planner.plan.one_plan import PlanInputs, plan_outputs

SPACED = ("Web visits", "Qualified leads", "MQL", "SQL", "Opportunities", "Customers")


@pytest.mark.parametrize(
    ("inputs", "named"),
    [
        # The frame reads rate_1..rate_{n-1}, weight_1..12, lag_1..{n-1}: an extra item was
        # dropped without a word, a missing one named an internal column.
        (PlanInputs(stages=("V", "L", "M", "S", "C"), rates=(0.1, 0.2, 0.3, 0.4, 0.5)),
         "rates = [0.1, 0.2, 0.3, 0.4, 0.5]: has 5 rates for 5 stages"),
        (PlanInputs(rates=(0.1, 0.2, 0.3)), "rates = [0.1, 0.2, 0.3]: has 3 rates for 6 stages"),
        (PlanInputs(seasonality=(1,) * 13), "has 13 weights: give 12, one per month"),
        (PlanInputs(lag_days=(1,) * 7), "lag_days = [1, 1, 1, 1, 1, 1, 1]: has 7 lags for 6"),
    ],
)  # fmt: skip
def test_lists_of_the_wrong_length_are_refused(inputs, named):
    with pytest.raises(KPIInputError, match=named.replace("[", r"\[").replace("]", r"\]")):
        plan_outputs(inputs)


def test_a_goal_of_zero_is_said_once_whatever_the_stage_names():
    # Stage names with a space were cut to their first word ("Web = 0: cost per Web visits
    # is undefined"), so the stages' volumes of 0 were no longer recognised as the goal's.
    with pytest.raises(KPIInputError) as raised:
        plan_outputs(PlanInputs(revenue_goal=0, stages=SPACED))
    assert str(raised.value) == (
        "new_customers = 0: CAC is undefined with 0 new customers (not infinite and not 0)"
    )


def test_customers_that_overflow_are_named_by_the_goal():
    # 1e300 / 1e-300 customers: the goal over the deal size, as the scalar path named it.
    with pytest.raises(KPIInputError, match=r"^revenue_goal = inf: must be a finite number$"):
        plan_outputs(PlanInputs(revenue_goal=1e300, deal_size=1e-300, stages=SPACED))
