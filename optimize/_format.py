"""Dutch number formats for messages and explanations (euros, percentages, hours)."""

from __future__ import annotations


def euro(value: float) -> str:
    """Format euros the Dutch way: ``€1.234.567``."""
    value = round(value)
    sign = "−" if value < 0 else ""
    return f"{sign}€" + f"{abs(value):,.0f}".replace(",", ".")


def pct(value: float) -> str:
    """Format a fraction as a Dutch percentage: ``12%`` or ``0,5%``."""
    v = 100 * value
    if abs(v) < 0.05:
        return "0%"
    text = f"{v:.0f}" if abs(v) >= 9.5 or v == 0 else f"{v:.1f}".replace(".", ",")
    return f"{text}%"


def hours(value: float) -> str:
    """Format hours with one decimal and a decimal comma: ``12,5``."""
    return f"{value:.1f}".replace(".", ",")
