"""Numbers as a planner reads them, in every printed report and message."""

from __future__ import annotations


def show(value: float) -> str:
    """A number as a planner reads it: ``83,334``, ``1,250.50``, ``0.75``.

    >>> show(83334.0), show(1250.5), show(0.75)
    ('83,334', '1,250.50', '0.75')
    """
    if value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) >= 1 else f"{value:.4g}"


def show_money(value: float, currency: str = "") -> str:
    """An amount of money as :func:`show` writes it, with the symbol of ``currency`` (an
    ISO 4217 code; ``""``: none, the number alone) where the currency puts it
    (:mod:`kpi_planner.inputs.currency`); a currency without minor units shows none.

    >>> show_money(-600000.0, "EUR"), show_money(7.2, "CHF"), show_money(7.2)
    ('-€600,000', 'CHF 7.20', '7.20')
    >>> show_money(7.2, "JPY")
    '¥7'
    """
    if not currency:
        return show(value)
    from kpi_planner.inputs.currency import money

    shown = money(currency)
    return shown.text(show(round(value) if shown.digits == 0 else value))


def money_heading(heading: str, currency: str = "") -> str:
    """A heading of money, with its currency's code: ``budget (EUR)``; alone without one.

    >>> money_heading("budget", "EUR"), money_heading("budget")
    ('budget (EUR)', 'budget')
    """
    return f"{heading} ({currency})" if currency else heading
