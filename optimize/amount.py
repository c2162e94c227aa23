"""Amounts in euros written the Dutch way: parse what people type, format what they read.

One parser for the app and the command line, so ``5.000.000`` means five million in both.
"""

from __future__ import annotations

import math
import re

from optimize._errors import ValidationError

__all__ = ["format_amount", "parse_amount"]

_MULTIPLIERS = {
    "": 1.0,
    "k": 1e3,
    "duizend": 1e3,
    "mln": 1e6,
    "mio": 1e6,
    "miljoen": 1e6,
    "mld": 1e9,
    "miljard": 1e9,
}
_SUFFIX = re.compile(r"(?P<num>.*?)(?P<mult>k|duizend|mln|mio|miljoen|mld|miljard)?\.?", re.I)
_DUTCH_GROUPED = re.compile(r"\d{1,3}(\.\d{3})+(,\d+)?")  # 5.920.000 or 5.920.000,50
_COMMA_DECIMAL = re.compile(r"\d+(,\d+)?")  # 5920000 or 5920000,50 or 5,92
_DOT_DECIMAL = re.compile(r"\d+\.(\d{1,2}|\d{4,})")  # 5.92 or 5920000.5: never a thousands dot
_PLAIN_FLOAT = re.compile(r"[-−+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?|[-+]?(nan|inf|infinity)")
_ENGLISH_GROUPED = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")  # 5,920,000


def _number(text: str) -> float | None:
    if _DUTCH_GROUPED.fullmatch(text):
        return float(text.replace(".", "").replace(",", "."))
    if _COMMA_DECIMAL.fullmatch(text):
        return float(text.replace(",", "."))
    if _DOT_DECIMAL.fullmatch(text):
        return float(text)
    return None


def parse_amount(value: object, *, name: str = "bedrag") -> float:
    """Parse an amount in euros as people write it in the Netherlands.

    Accepted: ``5000000``, ``5.000.000`` (dots group thousands), ``€ 5.920.000``,
    ``5000000,50`` (comma for decimals), ``5,92 mln`` / ``5,92 miljoen``, ``750 k``,
    ``€ 5.920.000,-`` and ``5_920_000``. A dot followed by other than three digits
    (``5.92 mln``) is read as a decimal point, since it cannot group thousands.

    Parameters
    ----------
    value
        The text (or a number, returned as a float).
    name
        What the amount is, for the message (``budget``); empty: the message starts with
        the value.

    Returns
    -------
    float
        The amount in euros, 0 or more.

    Raises
    ------
    ValidationError
        If the text is not an amount, is negative or is English-grouped (``5,920,000``).

    Examples
    --------
    >>> parse_amount("5.000.000")
    5000000.0
    >>> parse_amount("€ 5.920.000")
    5920000.0
    >>> parse_amount("5,92 mln")
    5920000.0
    >>> parse_amount("5000000,50")
    5000000.5
    """
    prefix = f"{name}: " if name else ""
    shown = str(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        amount = float(value)
    else:
        raw = str(value)
        text = re.sub(r"[\s\u00a0\u202f_']+", "", raw).lower()
        text = re.sub(r"^(€|eur(o)?)|(€|eur(o)?)$", "", text)
        text = re.sub(r",-+$", "", text.replace("€", ""))  # "€ 5.920.000,-": no cents
        match = _SUFFIX.fullmatch(text)
        number = None
        if match is not None and match["num"]:
            mult = _MULTIPLIERS[(match["mult"] or "").lower()]
            number = _number(match["num"])
            if number is not None:
                number *= mult
        if number is None and _PLAIN_FLOAT.fullmatch(text):
            number = float(text.replace("−", "-"))  # -5, 1e400, nan: refused below
        if number is None:
            hint = ""
            if _ENGLISH_GROUPED.fullmatch(text):
                hint = "; schrijf duizendtallen met een punt en decimalen met een komma"
            raise ValidationError(
                f"{prefix}{raw.strip()!r} is geen bedrag in euro's "
                f"(voorbeelden: 5.000.000, € 5.920.000, 5,92 mln){hint}"
            )
        amount = number
        shown = raw.strip()
    if not math.isfinite(amount) or amount < 0:
        shown = shown if not isinstance(value, int | float) else str(value)
        raise ValidationError(f"{prefix}{shown!r}: bedrag moet 0 of groter zijn")
    return amount


def format_amount(value: float, *, decimals: int = 0) -> str:
    """Format euros for reading: ``€ 5.920.000`` (a space after the sign, dots for thousands).

    Parameters
    ----------
    value
        The amount in euros.
    decimals
        Digits after the decimal comma.

    Returns
    -------
    str
        The amount, e.g. ``€ 5.920.000`` or ``−€ 12.500``.

    Examples
    --------
    >>> format_amount(5_920_000)
    '€ 5.920.000'
    >>> format_amount(2333.333, decimals=2)
    '€ 2.333,33'
    """
    sign = "−" if round(value, decimals) < 0 else ""
    text = f"{abs(value):,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{sign}€ {text}"
