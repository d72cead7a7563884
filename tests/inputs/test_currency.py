"""A plan's currency: the codes accepted, and the symbol and place each shows money with.

Expected symbols are CLDR's English ones (babel's ``en`` data) and the minor units ISO 4217
lists: EUR, USD and GBP have 2, JPY 0, BHD 3.
"""

import pytest

from kpi_planner.inputs.currency import CurrencyError, Money, currency_code, money


@pytest.mark.parametrize(
    ("typed", "code"),
    [("EUR", "EUR"), ("eur", "EUR"), (" Usd ", "USD"), ("", ""), ("   ", ""), (None, ""),
     (float("nan"), "")],
)  # fmt: skip
def test_a_code_is_read_in_any_case_and_stored_upper_case(typed, code):
    assert currency_code(typed) == code


@pytest.mark.parametrize("typed", ["EURO", "E", "XYZ", "€", "12", 978, True])
def test_an_unknown_code_is_refused_with_the_rule(typed):
    with pytest.raises(CurrencyError) as caught:
        currency_code(typed)
    assert str(caught.value) == (
        "is not an ISO 4217 currency code such as EUR, USD, GBP or JPY (empty for none)"
    )


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("EUR", Money("EUR", "€", "", 2)),
        ("USD", Money("USD", "$", "", 2)),
        ("GBP", Money("GBP", "£", "", 2)),
        ("JPY", Money("JPY", "¥", "", 0)),
        ("CAD", Money("CAD", "CA$", "", 2)),
        # A symbol of letters is set apart by a space, as CLDR's currency spacing asks.
        ("CHF", Money("CHF", "CHF ", "", 2)),
        ("BHD", Money("BHD", "BHD ", "", 3)),
        ("", Money()),
    ],
)
def test_each_currency_shows_its_english_symbol_before_the_number(code, expected):
    assert money(code) == expected


def test_text_puts_the_minus_sign_before_the_symbol():
    assert money("EUR").text("-86,956.52") == "-€86,956.52"
    assert money("GBP").text("600,000") == "£600,000"
    assert money("").text("-600") == "-600"


@pytest.mark.parametrize(
    ("code", "number_format", "expected"),
    [
        ("EUR", "#,##0", '"€"#,##0'),
        ("USD", "#,##0.00", '"$"#,##0.00'),
        # Every section that shows a number; the zero section's "-" stays as it is.
        ("GBP", "#,##0;-#,##0;-", '"£"#,##0;-"£"#,##0;-'),
        ("", "#,##0", "#,##0"),
    ],
)
def test_excel_formats_carry_the_symbol_in_each_number_section(code, number_format, expected):
    assert money(code).excel(number_format) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [("EUR", '"€"#,##0.00'), ("JPY", '"¥"#,##0'), ("BHD", '"BHD "#,##0.000'),
     ("", "#,##0.00")],
)  # fmt: skip
def test_a_cost_per_unit_shows_the_currencys_minor_units(code, expected):
    assert money(code).unit_cost_format() == expected
