"""The plan's inputs as the command line's options give them, by field: what ``build`` and
``forecast`` read the same way (``plan`` reads its own, period by period)."""

from __future__ import annotations

from typing import Any

from kpi_planner.cli.app import (
    currency_option,
    growth_option,
    money,
    numbers,
    read_fiscal_year,
)


def plan_option_values(
    *, revenue_goal: str | None, deal_size: str | None, budget: str | None,
    gross_margin: float | None, churn_rate: float | None, discount_rate: float | None,
    plan_year: int | None, whole_numbers: bool | None, rates: str | None, stages: str | None,
    weights: str | None, lags: str | None, growth: str | None, currency: str | None,
) -> dict[str, Any]:  # fmt: skip
    """The plan inputs the options give (read in this order), by field; those not given left out."""
    options = {
        "revenue_goal": money(revenue_goal, "--revenue-goal"),
        "deal_size": money(deal_size, "--deal-size"),
        "marketing_budget": money(budget, "--budget"),
        "gross_margin": gross_margin,
        "churn_rate": churn_rate,
        "discount_rate": discount_rate,
        "plan_year": plan_year,
        "whole_numbers": whole_numbers,
        "rates": None if rates is None else tuple(numbers(rates, "--rates", fractions=True)),
        "stages": None if stages is None else tuple(s.strip() for s in stages.split(",")),
        "seasonality": None if weights is None else tuple(numbers(weights, "--weights")),
        "lag_days": None if lags is None else tuple(numbers(lags, "--lags")),
        "growth": None if growth is None else growth_option(growth),
        "currency": None if currency is None else currency_option(currency),
    }  # fmt: skip
    return {key: value for key, value in options.items() if value is not None}


def fiscal_option_values(start: str | None, named_by: str | None) -> dict[str, Any]:
    """The fiscal year's options, by field; those not given left out (a plan file's stay)."""
    month, convention = read_fiscal_year(start, named_by)
    given = {"fiscal_year_start": month if start is not None else None,
             "fiscal_year_named_by": convention if named_by is not None else None}  # fmt: skip
    return {key: value for key, value in given.items() if value is not None}
