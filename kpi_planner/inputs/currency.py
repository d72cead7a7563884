"""The plan's currency: an ISO 4217 code, the symbol money is shown with, and where it goes.

A currency is a label: the plan's numbers are never converted. The rule for every face (the
workbook's number formats, the command line's tables and reports) is the currency's symbol
and placement in Unicode CLDR's English (``en``) currency pattern, as :mod:`babel` gives
them: ``€10,000,000`` for EUR, ``$`` for USD, ``£`` for GBP, ``¥`` for JPY, ``CA$`` for
CAD; a symbol that ends in a letter is followed by a space (``CHF 600,000``), as CLDR's
currency spacing asks. English placement goes with the English digit grouping
(``10,000,000``) the rest of kpi-planner writes. Costs per unit show the currency's minor
units (two decimals for EUR, none for JPY, three for BHD); other money shows none, as
without a currency.

No currency (``""``, the default) shows money as before, with no symbol; babel is imported
only when a currency is given, so ``kpi-planner plan`` starts no slower without one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

#: What the rule and the error messages say a currency is.
RULE = "an ISO 4217 currency code such as EUR, USD, GBP or JPY (empty for none)"


class CurrencyError(ValueError):
    """A currency code no one knows; the message says what is allowed."""


def currency_code(value: object) -> str:
    """The currency code ``value`` names, upper-case, or ``""`` for none (nothing, blank).

    Case does not matter (``eur`` is EUR); a code babel's CLDR data does not list is
    refused with :class:`CurrencyError`.

    >>> currency_code(" eur "), currency_code(None), currency_code("")
    ('EUR', '', '')
    >>> currency_code("EURO")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kpi_planner.inputs.currency.CurrencyError: is not an ISO 4217 currency code such as EUR, ...
    """
    if value is None or (isinstance(value, float) and value != value):  # nothing, NaN
        return ""
    if not isinstance(value, str):
        raise CurrencyError(f"is not {RULE}")
    code = value.strip().upper()
    if not code:
        return ""
    if len(code) != 3 or not code.isalpha() or code not in _known_codes():
        raise CurrencyError(f"is not {RULE}")
    return code


@cache
def _known_codes() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


@dataclass(frozen=True)
class Money:
    """How an amount of money is shown in one currency (no currency: as a plain number).

    ``prefix`` and ``suffix`` surround the number (``"€"`` and ``""`` for EUR in English);
    ``digits`` are the currency's minor units, which costs per unit show.
    """

    code: str = ""
    prefix: str = ""
    suffix: str = ""
    digits: int = 2

    def text(self, number: str) -> str:
        """``number`` (as the reports write it: ``1,250.50``, ``-600``) with the symbol,
        the minus sign first: ``-€600``.

        >>> money("EUR").text("-600"), money("CHF").text("1,250.50"), money("").text("7.2")
        ('-€600', 'CHF 1,250.50', '7.2')
        """
        sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
        return f"{sign}{self.prefix}{digits}{self.suffix}"

    def excel(self, number_format: str) -> str:
        """An Excel number format with the symbol in each section that shows a number
        (Excel puts a negative number's minus sign before the literal text itself).

        >>> money("EUR").excel("#,##0"), money("CHF").excel("#,##0.00;-#,##0.00;-")
        ('"€"#,##0', '"CHF "#,##0.00;-"CHF "#,##0.00;-')
        >>> money("").excel("#,##0")
        '#,##0'
        """
        if not self.code:
            return number_format
        before = f'"{self.prefix}"' if self.prefix else ""
        after = f'"{self.suffix}"' if self.suffix else ""
        sections = []
        for section in number_format.split(";"):
            if "0" in section or "#" in section:
                sign, body = ("-", section[1:]) if section.startswith("-") else ("", section)
                section = f"{sign}{before}{body}{after}"
            sections.append(section)
        return ";".join(sections)

    def unit_cost_format(self, plain: str = "#,##0.00") -> str:
        """The format of a cost per unit: ``#,##0`` with the currency's minor units and its
        symbol (``"¥"#,##0`` for JPY); ``plain`` without a currency.

        >>> money("JPY").unit_cost_format(), money("BHD").unit_cost_format()
        ('"¥"#,##0', '"BHD "#,##0.000')
        """
        if not self.code:
            return plain
        decimals = "." + "0" * self.digits if self.digits else ""
        return self.excel("#,##0" + decimals)


@cache
def money(code: str) -> Money:
    """How money is shown in the currency ``code`` (a valid code, upper-case; ``""``: none).

    The symbol and its side come from CLDR's English currency pattern (``¤#,##0.00``: before
    the number), through babel.

    >>> money("EUR")
    Money(code='EUR', prefix='€', suffix='', digits=2)
    >>> money("CHF").prefix, money("JPY").digits, money("") == Money()
    ('CHF ', 0, True)
    """
    if not code:
        return Money()
    from babel import Locale
    from babel.numbers import get_currency_precision, get_currency_symbol

    symbol = get_currency_symbol(code, "en")
    pattern = Locale("en").currency_formats["standard"].pattern.split(";")[0]
    before = pattern.index("¤") < pattern.index("0")
    if before and symbol[-1].isalpha():
        symbol += " "  # CHF 600,000: CLDR's currency spacing
    elif not before and symbol[0].isalpha():
        symbol = " " + symbol
    prefix, suffix = (symbol, "") if before else ("", symbol)
    return Money(code, prefix, suffix, get_currency_precision(code))
