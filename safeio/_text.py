"""Text that is safe in a spreadsheet cell, a CSV file, an HTML page or a terminal."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

__all__ = [
    "FORMULA_START",
    "cell_text",
    "clean_frame",
    "clean_text",
    "csv_frame",
    "inert_sheet",
    "terminal_text",
]

#: First characters that make a spreadsheet cell a formula (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# C0 controls except tab, newline and CR; DEL; C1 controls; bidi embedding/override/isolate.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ANY_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("[\t\r\n]")


def clean_text(text: str, *, single_line: bool = False) -> str:
    r"""Remove control characters (and bidi overrides) from ``text``.

    Parameters
    ----------
    text
        Any text.
    single_line
        Also turn tabs, carriage returns and newlines into spaces.

    Returns
    -------
    str
        The text without control characters.

    Examples
    --------
    >>> clean_text("Noord\x0bOost\x1b[31m")
    'NoordOost[31m'
    >>> clean_text("a\tb\nc", single_line=True)
    'a b c'
    """
    out = _CONTROL.sub("", text)
    if single_line:
        out = _LINE_BREAKS.sub(" ", out)
    return out


def cell_text(value: Any, *, prefix: bool = True) -> Any:
    r"""Make one cell value safe: text cleaned and, when it starts like a formula, prefixed.

    Parameters
    ----------
    value
        A cell value; only ``str`` is changed.
    prefix
        Put ``'`` before text that starts with ``=``, ``+``, ``-``, ``@``, tab or CR (CSV).

    Returns
    -------
    object
        The safe value.

    Examples
    --------
    >>> cell_text('=HYPERLINK("https://x.nl","Noord")')
    '\'=HYPERLINK("https://x.nl","Noord")'
    >>> cell_text(3.5)
    3.5
    """
    if not isinstance(value, str):
        return value
    starts = value.startswith(FORMULA_START)
    text = clean_text(value, single_line=True)
    if prefix and (starts or text.startswith(FORMULA_START)):
        return "'" + text
    return text


def _labels(index: pd.Index, *, prefix: bool) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return index
    if index.dtype != object and not pd.api.types.is_string_dtype(index.dtype):
        return index
    return pd.Index([cell_text(v, prefix=prefix) for v in index], name=index.name)


def _frame(frame: pd.DataFrame, *, prefix: bool) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            out[col] = series.map(lambda v: cell_text(v, prefix=prefix)).astype(series.dtype)
    out.columns = _labels(out.columns, prefix=prefix)
    out.index = _labels(out.index, prefix=prefix)
    return out


def clean_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells, column names and index have no control characters.

    For Excel: openpyxl refuses control characters (``IllegalCharacterError``); formulas
    are made inert afterwards with :func:`inert_sheet`.

    Parameters
    ----------
    frame
        Any table.

    Returns
    -------
    pandas.DataFrame
        A cleaned copy.
    """
    return _frame(frame, prefix=False)


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy safe for CSV: control characters removed, formula-like text prefixed.

    Parameters
    ----------
    frame
        Any table.

    Returns
    -------
    pandas.DataFrame
        A cleaned copy in which no text cell starts with ``=``, ``+``, ``-``, ``@``.

    Examples
    --------
    >>> csv_frame(pd.DataFrame({"team": ["@SUM(A1)", "Noord"]}))["team"].tolist()
    ["'@SUM(A1)", 'Noord']
    """
    return _frame(frame, prefix=True)


def inert_sheet(ws: Any) -> int:
    """Make every text cell of an openpyxl worksheet a plain string, never a formula.

    openpyxl stores a string that starts with ``=`` as a formula; this sets such cells (and
    any text starting with ``+``, ``-``, ``@``) to the string type with Excel's quote
    prefix, so editing the cell keeps it text.

    Parameters
    ----------
    ws
        An ``openpyxl`` worksheet.

    Returns
    -------
    int
        The number of cells changed.
    """
    changed = 0
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if isinstance(value, str) and (
                cell.data_type == "f" or value.startswith(FORMULA_START)
            ):
                cell.value = clean_text(value, single_line=True)
                cell.data_type = "s"
                cell.quotePrefix = True
                changed += 1
    return changed


def terminal_text(text: str) -> str:
    r"""Show control characters as visible escapes so they never reach a terminal raw.

    Newlines and tabs are kept; everything else of :func:`clean_text` becomes ``\\xNN`` or
    ``\\uNNNN``.

    Parameters
    ----------
    text
        Text to print.

    Returns
    -------
    str
        Printable text.

    Examples
    --------
    >>> terminal_text("team \x1b[2J")
    'team \\x1b[2J'
    """

    def escape(match: re.Match[str]) -> str:
        ch = match.group(0)
        code = ord(ch)
        if ch == "\r":
            return "\\r"
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _ANY_CONTROL.sub(escape, text)
