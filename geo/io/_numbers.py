"""Numbers as a Dutch user means them: sentinels, decimal commas and thousands separators.

CBS files mix two conventions. StatLine/OData CSV writes ``42.7`` (decimal point, never a
thousands separator); Dutch Excel writes ``42,7`` and ``2.140`` (decimal comma, point as
thousands separator). A value like ``2.140`` is therefore ambiguous on its own. The rule,
per column, with the file's other columns as evidence:

* a comma is a decimal comma (``3,5``); more than one comma in a value, or a comma after a
  point (``1,234.5``: English), is refused naming the column;
* a point followed by other than exactly three digits (``5.9``, ``0.892``), or a leading
  ``0.``, is a decimal point; ``1.234,5`` and ``1.234.567`` have thousands points;
* a column whose dotted values all look like thousands groups (``2.140``, ``12.345``) takes
  the file's convention: thousands when the file uses decimal commas (or thousands points
  elsewhere), decimal when the file uses decimal points elsewhere, and, without evidence,
  thousands for a ``;`` file (Dutch Excel) and decimal for a ``,`` file (OData). A file with
  evidence for both is ambiguous: the column is refused, named;
* CBS sentinels (``.``, empty, negative secrecy codes such as ``-99995``) become missing;
* non-finite or absurd values (``inf``, ``nan``, ``1e308``, more than
  :data:`MAX_ABS_VALUE` in absolute value) are refused naming the column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from geo._errors import ValidationError

__all__ = ["MAX_ABS_VALUE", "NumberStyle", "clean_numeric", "number_style"]

#: Largest absolute value accepted in an indicator column (the land area of the country in
#: m² is 4.2e10; anything above 1e12 is a broken file, not a figure).
MAX_ABS_VALUE = 1e12
_MISSING = {"", ".", "-", "x", "?", "NA", "na", "N/A", "n/a", "NaN?"}
_THOUSANDS = re.compile(r"^-?[1-9][0-9]{0,2}(\.[0-9]{3})+$")
_GROUPED = re.compile(r"^-?[1-9][0-9]{0,2}(\.[0-9]{3})+(,[0-9]+)?$")
_THOUSANDS_MULTI = re.compile(
    r"^-?[1-9][0-9]{0,2}((\.[0-9]{3}){2,}(,[0-9]+)?|(\.[0-9]{3})+,[0-9]+)$"
)
_DOT_DECIMAL = re.compile(r"^-?[0-9]*\.[0-9]+$")
_COMMA_DECIMAL = re.compile(r"^-?[0-9]*,[0-9]+$")
_PLAIN = re.compile(r"^[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)([eE][+-]?[0-9]+)?$")

NumberStyle = str  # "dot" (decimal point) | "comma" (decimal comma, thousands point) | "?"


def _texts(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    return text.mask(text.isin(_MISSING))


def number_style(columns: Iterable[pd.Series], *, delimiter: str = ",") -> NumberStyle:
    """Infer a file's number convention from the evidence in its columns.

    Parameters
    ----------
    columns
        The raw (string) columns of the file that hold numbers.
    delimiter
        The file's delimiter: the tie-break without evidence.

    Returns
    -------
    str
        ``"dot"`` (decimal point), ``"comma"`` (decimal comma, thousands point) or ``"?"``
        (evidence for both).
    """
    dot = comma = False
    for col in columns:
        if pd.api.types.is_numeric_dtype(col):
            continue
        text = _texts(col).dropna()
        if text.empty:
            continue
        dotted = text[text.str.contains(".", regex=False)]
        if len(dotted):
            if (~dotted.str.match(_THOUSANDS) & dotted.str.match(_DOT_DECIMAL)).any():
                dot = True
            if dotted.str.match(_THOUSANDS_MULTI).any():
                comma = True
        if text.str.match(_COMMA_DECIMAL).any():
            comma = True
    if dot and comma:
        return "?"
    if dot:
        return "dot"
    if comma:
        return "comma"
    return "comma" if delimiter == ";" else "dot"


def clean_numeric(values: pd.Series, *, where: str, style: NumberStyle | None = None) -> pd.Series:
    """Convert a CBS column to floats with every sentinel as missing.

    ``.``, ``NA`` and empty strings, and negative numbers (the Wijk- en buurtkaart codes
    ``-99995``, ``-99997``, ``-99999999``, …) become ``NaN``. Decimal commas are accepted;
    thousands points are recognised as described in the module docstring.

    Parameters
    ----------
    values
        The raw column.
    where
        ``"file: column"`` for the error message.
    style
        The file's convention from :func:`number_style`; default: inferred from this
        column alone.

    Returns
    -------
    pandas.Series
        Float values, NaN where missing.

    Raises
    ------
    ValidationError
        If a value is text that is not a number, the decimal convention of the column is
        ambiguous, or a value is non-finite or absurdly large.

    Examples
    --------
    >>> clean_numeric(pd.Series(["2.140", "850", "3,5"]), where="x").tolist()
    [2140.0, 850.0, 3.5]
    >>> clean_numeric(pd.Series(["5.9", "-99995", "."]), where="x").tolist()
    [5.9, nan, nan]
    """
    if pd.api.types.is_bool_dtype(values):
        raise ValidationError(f"{where}: verwacht een getal, gevonden ja/nee-waarden")
    if pd.api.types.is_numeric_dtype(values):
        out = values.astype(float)
    else:
        text = _texts(values)
        present = text.dropna()
        numeric = present[present.str.fullmatch(r"[+-]?[0-9.,]+")]
        ambiguous = numeric[numeric.str.count(",").gt(1) | numeric.str.contains(r",\d*\.")]
        if len(ambiguous):
            raise ValidationError(
                f"{where}: getal {str(ambiguous.iloc[0])!r} is niet eenduidig (komma als "
                "duizendtal-scheiding?); gebruik een decimale komma zonder duizendtallen"
            )
        bad_form = present[~present.str.replace(".", "", regex=False).str.match(_PLAIN)]
        if len(bad_form):
            example = str(bad_form.iloc[0])
            raise ValidationError(
                f"{where}: verwacht een getal, gevonden tekst {example!r} "
                f"({len(bad_form)} waarde(n))"
            )
        dotted = present[present.str.contains(".", regex=False)]
        thousands = False
        if len(dotted):
            if dotted.str.count(r"\.").gt(1).any() or dotted.str.contains(",").any():
                thousands = True
            elif dotted.str.match(_THOUSANDS).all():
                own = "comma" if present.str.match(_COMMA_DECIMAL).any() else "dot"
                column_style = style or own
                if column_style == "?":
                    raise ValidationError(
                        f"{where}: waarde {str(dotted.iloc[0])!r} is niet eenduidig: de punt "
                        "kan een duizendtal-scheiding of een decimaalteken zijn (het bestand "
                        "gebruikt beide); sla op zonder duizendtal-scheiding"
                    )
                thousands = column_style == "comma"
        if thousands:
            bad = dotted[~dotted.str.match(_GROUPED)]
            if len(bad):
                raise ValidationError(
                    f"{where}: waarde {str(bad.iloc[0])!r} past niet bij de duizendtal-punten "
                    "van deze kolom (niet eenduidig)"
                )
            text = text.str.replace(".", "", regex=False)
        text = text.str.replace(",", ".", regex=False)
        out = pd.to_numeric(text, errors="coerce").astype(float)
        bad = text.notna() & out.isna()
        if bad.any():
            example = str(values[bad].iloc[0])
            raise ValidationError(
                f"{where}: verwacht een getal, gevonden tekst {example!r} "
                f"({int(bad.sum())} waarde(n))"
            )
    arr = out.to_numpy(dtype=float)
    absurd = np.isinf(arr) | (np.abs(np.nan_to_num(arr, nan=0.0)) > MAX_ABS_VALUE)
    if absurd.any():
        value = float(arr[absurd][0])
        raise ValidationError(
            f"{where}: waarde {value:g} is geen bruikbaar getal (oneindig of groter dan "
            f"{MAX_ABS_VALUE:.0e}); {int(absurd.sum())} waarde(n)"
        )
    return out.mask(out < 0)
