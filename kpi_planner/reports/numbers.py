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
