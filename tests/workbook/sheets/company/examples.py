"""Companies the Company sheet's tests write and evaluate, each with its numbers worked by
hand where the test checks them."""

from __future__ import annotations

from kpi_planner.company.inputs import CompanyInputs, Retention, Segment
from kpi_planner.plan.one_plan import PlanInputs

WEB = ("Visits", "Leads", "MQL", "SQL", "Opportunities", "Customers")
PARTNER = ("Leads", "Deal registrations", "Customers")


def two_regions_and_partners(whole_numbers: bool = True) -> CompanyInputs:
    """Issue 32's company: starting ARR 10,000,000 at NRR 110 % and GRR 90 %, a target of
    15,000,000; EMEA and the US (a web funnel each) and a partner source, 50/30/20 % of the
    new-logo goal."""
    base = PlanInputs(whole_numbers=whole_numbers)
    emea = base.replace(deal_size=50_000.0, stages=WEB, rates=(0.02, 0.2, 0.5, 0.5, 0.25),
                        marketing_budget=400_000.0)  # fmt: skip
    us = base.replace(deal_size=50_000.0, stages=WEB, rates=(0.025, 0.2, 0.4, 0.5, 0.25),
                      marketing_budget=300_000.0)  # fmt: skip
    partners = base.replace(deal_size=100_000.0, stages=PARTNER, rates=(0.5, 0.25),
                            marketing_budget=100_000.0)  # fmt: skip
    return CompanyInputs(
        base,
        (Segment("EMEA", emea, "region", 0.5), Segment("US", us, "region", 0.3),
         Segment("Partners", partners, "source", 0.2)),
        retention=Retention(starting_arr=10e6, net_retention=1.1, gross_retention=0.9,
                            target_arr=15e6),
    )  # fmt: skip


def goal_less_expansion(whole_numbers: bool = True) -> CompanyInputs:
    """A revenue goal of 9,000,000 of which expansion brings 3,000,000; an enterprise team
    with its own goal and a mid-market team with a share; deal sizes and rates that leave
    fractions for the rounding to round."""
    base = PlanInputs(whole_numbers=whole_numbers)
    enterprise = base.replace(revenue_goal=1_500_000.0, deal_size=117_000.0,
                              stages=("MQL", "SQL", "Opportunities", "Customers"),
                              rates=(0.31, 0.43, 0.27), marketing_budget=250_000.0)  # fmt: skip
    mid = base.replace(deal_size=37_000.0, stages=("Leads", "MQL", "SQL", "Customers"),
                       rates=(0.137, 0.29, 0.071), marketing_budget=410_000.0)  # fmt: skip
    return CompanyInputs(
        base,
        (Segment("Enterprise", enterprise, "size"), Segment("Mid-market", mid, "size", 0.75)),
        goal=9e6,
        retention=Retention(expansion_goal=3e6),
    )


def own_goals_only() -> CompanyInputs:
    """Two products with their own goals and no company goal: the goals added up."""
    base = PlanInputs()
    one = base.replace(revenue_goal=2e6, deal_size=30_000.0)
    two = base.replace(revenue_goal=1.2e6, deal_size=45_000.0, marketing_budget=200_000.0)
    return CompanyInputs(base, (Segment("Analytics", one, "product"),
                                Segment("Payments", two, "product")))  # fmt: skip


def seasonal_segments(whole_numbers: bool = True) -> CompanyInputs:
    """A company goal of 5,000,000 shared 60/40 by a direct funnel of 5 stages, whose months
    weigh 1, 1, 2 in every quarter (even quarters, uneven months), and a channel funnel of
    3 stages whose second half weighs twice the first (months 1 x 6, then 2 x 6); deal sizes
    and rates that leave fractions for the rounding to round."""
    base = PlanInputs(whole_numbers=whole_numbers)
    direct = base.replace(deal_size=41_000.0, stages=("Leads", "MQL", "SQL", "Opportunities",
                                                      "Customers"),
                          rates=(0.13, 0.31, 0.45, 0.27), marketing_budget=350_000.0,
                          seasonality=(1.0, 1.0, 2.0) * 4)  # fmt: skip
    channel = base.replace(deal_size=73_000.0, stages=PARTNER, rates=(0.37, 0.29),
                           marketing_budget=120_000.0,
                           seasonality=(1.0,) * 6 + (2.0,) * 6)  # fmt: skip
    return CompanyInputs(
        base,
        (Segment("Direct", direct, "source", 0.6), Segment("Channel", channel, "source", 0.4)),
        goal=5e6,
    )
