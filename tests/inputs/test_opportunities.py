"""Reading opportunities as CRMs export them: columns found by their exported names, values
read as typed, every bad cell named by row and column."""

from __future__ import annotations

import datetime as dt

import pytest

from kpi_planner.inputs import opportunities as table

AS_OF = dt.date(2027, 6, 30)


def test_salesforce_and_hubspot_names_are_found():
    salesforce = ["Opportunity Name", "Amount", "Created Date", "Close Date", "Probability (%)",
                  "Forecast Category", "Won Date", "Lost Date"]  # fmt: skip
    assert table.find_columns(salesforce, {}) == {
        "name": "Opportunity Name", "amount": "Amount", "created": "Created Date",
        "close": "Close Date", "probability": "Probability (%)",
        "category": "Forecast Category", "won": "Won Date", "lost": "Lost Date"}  # fmt: skip
    hubspot = ["Deal Name", "amount", "createdate", "closedate", "hs_deal_stage_probability",
               "Closed Won Date"]  # fmt: skip
    assert table.find_columns(hubspot, {}) == {
        "name": "Deal Name", "amount": "amount", "created": "createdate", "close": "closedate",
        "probability": "hs_deal_stage_probability", "won": "Closed Won Date"}  # fmt: skip
    # A multi-currency export: the converted amount, in one currency, not each deal's own.
    both = ["Amount", "Amount (converted)", "Created Date", "Won Date"]
    assert table.find_columns(both, {})["amount"] == "Amount (converted)"


def test_a_table_with_no_won_or_lost_date_is_refused():
    # Every deal would count as open, the closed ones too.
    with pytest.raises(table.OpportunityTableError, match="no won or lost date column"):
        table.find_columns(["Amount", "Created Date", "Close Date", "Probability"], {})


def test_an_option_names_a_column_and_a_missing_one_is_said():
    chosen = {"amount": "Value", "created": "Opened", "won": "Signed"}
    assert table.find_columns(["Value", "Opened", "Signed"], chosen) == {
        "amount": "Value", "created": "Opened", "won": "Signed"}  # fmt: skip
    with pytest.raises(table.OpportunityTableError) as err:
        table.find_columns(["Value", "created"], {"close": "Expected"})
    assert str(err.value).splitlines() == [
        "no amount column: name one 'amount' (or 'amount converted'), or give --amount-column",
        "--close-column Expected: the table has no such column (it has Value, created)",
    ]


def test_fractions_in_a_percentage_column_are_fractions_and_a_deal_twice_is_refused():
    # An Excel column formatted as a percentage stores 0.3 for 30 %: not 0.3 %.
    columns = {"name": "Name", "amount": "Amount", "created": "Created",
               "probability": "Probability (%)"}  # fmt: skip
    rows = [
        (2, {"Name": "A", "Amount": 100, "Created": "2027-01-05", "Probability (%)": 0.3}),
        (3, {"Name": "B", "Amount": 100, "Created": "2027-01-05", "Probability (%)": 1}),
    ]
    assert [d.probability for d in table.read_rows(rows, columns)] == [0.3, 1.0]
    twice = [*rows, (4, {"Name": "A", "Amount": 100, "Created": "2027-01-05",
                         "Probability (%)": 0.5})]  # fmt: skip
    with pytest.raises(table.OpportunityTableError) as err:
        table.read_rows(twice, columns)
    assert str(err.value) == "row 4, column 'Name' = 'A': is in row 2 too: one row per deal"


@pytest.mark.parametrize(
    ("column", "typed", "chance"),
    [("Probability (%)", "30", 0.3), ("Probability (%)", 30, 0.3), ("Probability", "0.3", 0.3),
     ("Probability", "30%", 0.3), ("Probability", 1, 1.0)],
)  # fmt: skip
def test_probabilities_read_as_the_column_holds_them(column, typed, chance):
    columns = {"amount": "Amount", "created": "Created", "probability": column}
    cells = {"Amount": "$1,200", "Created": "2027-01-05", column: typed}
    [deal] = table.read_rows([(2, cells)], columns)
    assert (deal.amount, deal.probability, deal.created) == (1200, chance, dt.date(2027, 1, 5))


def test_every_bad_cell_of_every_row_is_named():
    columns = {"amount": "Amount", "created": "Created", "probability": "Probability",
               "won": "Won"}  # fmt: skip
    rows = [
        (2, {"Amount": "-5", "Created": "2027-01-05", "Probability": "30", "Won": ""}),
        (3, {"Amount": "100", "Created": "05/01/2027", "Probability": "0.5", "Won": ""}),
        (4, {"Amount": "100", "Created": "2027-01-05", "Probability": "", "Won": "2027-07-01"}),
    ]
    with pytest.raises(table.OpportunityTableError) as err:
        table.read_rows(rows, columns)
    assert str(err.value).splitlines() == [
        "row 2, column 'Amount' = '-5': is negative: an amount is 0 or more",
        "row 2, column 'Probability' = '30': is 30: a probability is 0 to 1 here (0.3, or 30% "
        "with the sign); a column of percentages has % in its name: Probability (%)",
        "row 3, column 'Created' = '05/01/2027': is not a date: write it as YYYY-MM-DD "
        "(2027-03-31)",
    ]  # fmt: skip
    # Row 4's win after --as-of is not known then: the deal is open as of that day.
    [deal] = table.read_rows(rows[2:], columns)
    assert deal.is_open(AS_OF)
    assert not deal.is_open(dt.date(2027, 7, 1))
