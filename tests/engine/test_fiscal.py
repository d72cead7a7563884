"""The fiscal year: calendar months, labels, and where a calendar date falls.

Expected values are worked by hand beside each test: a fiscal year that starts in April
and is named by its end year, FY2028, runs April 2027 to March 2028 (Q1 = Apr-Jun 2027,
Q4 = Jan-Mar 2028); named by its start year the same months are FY2027."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi_engine import KPIInputError, fiscal, timeline, timeline_labels


def test_fy2028_from_april_named_by_its_end_runs_april_2027_to_march_2028():
    months = fiscal.fiscal_months(2028, 4)
    assert months[0] == (2027, 4)  # month 1
    assert months[8] == (2027, 12)  # month 9: December, the last of 2027
    assert months[9:] == [(2028, 1), (2028, 2), (2028, 3)]  # Q4 = Jan-Mar 2028
    assert fiscal.month_labels(2028, 4)[0] == "Apr 2027"
    assert fiscal.month_labels(2028, 4)[11] == "Mar 2028"
    assert fiscal.year_label(2028, 4) == "FY2028"
    assert fiscal.quarter_labels(2028, 4)[0] == "Q1 FY2028"


def test_named_by_its_start_the_same_months_are_fy2027():
    assert fiscal.fiscal_months(2027, 4, "start") == fiscal.fiscal_months(2028, 4, "end")
    assert fiscal.month_labels(2027, 4, "start")[0] == "Apr 2027"


def test_a_year_from_january_is_the_calendar_year_under_either_convention():
    calendar = [(2027, m) for m in range(1, 13)]
    assert fiscal.fiscal_months(2027, 1, "end") == calendar
    assert fiscal.fiscal_months(2027, 1, "start") == calendar
    assert fiscal.year_label(2027) == "2027"  # today's labels: Q1 2027, Jan 2027
    assert fiscal.quarter_labels(2027) == ["Q1 2027", "Q2 2027", "Q3 2027", "Q4 2027"]


def test_a_july_year_crosses_into_the_next_calendar_year_in_january():
    # FY2026 from July (Australia's): July 2025 .. June 2026; month 7 is January 2026.
    assert fiscal.calendar_month(2026, 7, 7) == (2026, 1)
    assert fiscal.calendar_month(2026, 6, 7) == (2025, 12)
    # Months outside the year: the lead-in's last month and next year's first.
    assert fiscal.calendar_month(2026, 0, 7) == (2025, 6)
    assert fiscal.calendar_month(2026, 13, 7) == (2026, 7)


def test_calendar_dates_fall_in_their_fiscal_month_and_quarter():
    # From April, by end: 31 March 2028 is month 12, Q4 of FY2028; 1 April 2028 opens FY2029.
    assert fiscal.fiscal_month_of(datetime.date(2028, 3, 31), 4) == (2028, 12, 4)
    assert fiscal.fiscal_month_of(datetime.date(2028, 4, 1), 4) == (2029, 1, 1)
    # October is month 7 (Apr=1 .. Oct=7), the first of Q3.
    assert fiscal.fiscal_month_of((2027, 10), 4) == (2028, 7, 3)
    assert fiscal.fiscal_month_of((2027, 10), 4, "start") == (2027, 7, 3)
    assert fiscal.fiscal_month_of((2027, 10)) == (2027, 10, 4)  # the calendar's Q4


@given(st.integers(1, 12), st.sampled_from(fiscal.NAMED_BY), st.integers(1901, 2199),
       st.integers(1, 12))  # fmt: skip
def test_a_fiscal_month_and_its_calendar_month_go_both_ways(start, named_by, year, month):
    calendar = fiscal.calendar_month(year, month, start, named_by)
    assert fiscal.fiscal_month_of(calendar, start, named_by) == (year, month, (month - 1) // 3 + 1)


@pytest.mark.parametrize("typed", [4, 4.0, "4", "April", "apr", " APRIL "])
def test_a_month_is_typed_as_its_number_or_name(typed):
    assert fiscal.fiscal_start(typed) == 4


@pytest.mark.parametrize("typed", [0, 13, 4.5, "Apri", "", None, True])
def test_a_month_that_is_not_a_month_is_refused_naming_the_input(typed):
    with pytest.raises(KPIInputError) as err:
        fiscal.fiscal_start(typed, "--fiscal-year-start")
    assert str(err.value).startswith("--fiscal-year-start = ")
    assert "must be a month: 1 to 12 (4 = April) or its name" in str(err.value)


def test_a_naming_convention_other_than_end_or_start_is_refused_with_the_month():
    with pytest.raises(KPIInputError) as err:
        fiscal.fiscal_months(2028, 13, "middle")
    assert [p.argument for p in err.value.problems] == ["fiscal_year_start",
                                                         "fiscal_year_named_by"]  # fmt: skip
    assert 'must be "end" (FY2028 ends in 2028) or "start"' in str(err.value)


def test_the_timeline_labels_its_months_by_the_calendar_and_quarters_by_the_fiscal_year():
    # Three months of lead-in before FY2028 from April: Jan, Feb, Mar 2027.
    assert timeline_labels(12, 3, 2028, 4)[:4] == ["Jan 2027", "Feb 2027", "Mar 2027", "Apr 2027"]
    assert timeline_labels(12, 3, 2028, 4)[-1] == "Mar 2028"
    assert timeline_labels(4, 1, 2028, 4) == ["Q4 FY2027", "Q1 FY2028", "Q2 FY2028", "Q3 FY2028",
                                              "Q4 FY2028"]  # fmt: skip
    # From January, exactly the calendar's labels.
    assert timeline_labels(12, 2, 2027, 1, "start")[:3] == ["Nov 2026", "Dec 2026", "Jan 2027"]


def test_a_fiscal_year_changes_a_timeline_labels_not_its_volumes():
    calendar = timeline(12, [0.5], lag_days=[60], plan_year=2027)
    april = timeline(12, [0.5], lag_days=[60], plan_year=2028, fiscal_year_start=4)
    assert april.to_numpy().tolist() == calendar.to_numpy().tolist()
    assert list(april.columns[:3]) == ["Feb 2027", "Mar 2027", "Apr 2027"]
