"""CBS StatLine tables of *Kerncijfers wijken en buurten* in every layout users have.

Recognised by content, not by file name:

* the **OData CSV** of any edition (``Codering_3``, ``AantalInwoners_5``, ``.`` = missing):
  columns are matched on their stem, so ``GemiddeldInkomenPerInwoner_66`` (2017) and
  ``GemiddeldInkomenPerInwoner_78`` (2024) are the same indicator;
* the **website download** (``;``, every value quoted and padded, Dutch titles such as
  ``Regiocode (gemeente, wijk, buurt) (code)`` and ``Bevolking/Aantal inwoners (aantal)``);
* a copy **re-saved by R or Excel** (dotted headers ``Regioaanduiding.Codering..code.``, a
  leading row-number column, ``NA``, decimal commas);
* the **old two-row-header export** (a title line, ``"Onderwerp"`` over a topic row and a unit
  row, region *names* only, footer ``Bron: CBS``): names are matched to codes within the
  chosen municipality, or the file is refused with the reason.

Rows of other municipalities are dropped before any value is validated, so a broken row of
another municipality (the national 2017 table's Nuenen rows) cannot stop a run.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from geo._errors import ValidationError
from geo.catalogue import column_key, match_columns, normalise_title
from geo.io._numbers import number_style
from geo.io._tables import (
    IndicatorTable,
    absent_gemeente,
    clean_code,
    gemeente_of,
    index_by_code,
    refuse_odd_codes,
    split_levels,
    to_canonical,
)
from geo.io._text import TextFile, parse_csv, read_text

__all__ = ["is_old_export", "is_statline", "read_statline_csv"]

_CODE_TITLES = ("codering", "regiocode", "regioaanduidingcodering")
_NAME_TITLES = ("wijkenenbuurten",)
_GEMEENTE_TITLES = ("gemeentenaam", "regioaanduidinggemeentenaamnaam")


def _code_column(columns: list[str]) -> str | None:
    for col in columns:
        if column_key(col, "statline") == "Codering":
            return col
    for col in columns:
        norm = normalise_title(col)
        if any(norm.startswith(t) for t in _CODE_TITLES) and norm.endswith("code"):
            return col
    return None


def is_statline(columns: list[str]) -> bool:
    """Whether a table's columns look like a StatLine Kerncijfers table (any layout)."""
    return _code_column(columns) is not None


def is_old_export(text: str) -> bool:
    """Whether ``text`` is the old StatLine export with a title line and two header rows."""
    lines = [x for x in text.splitlines()[:8]]
    return any(normalise_title(x.split(";")[-1]) == "onderwerp" for x in lines[1:5]) and (
        ";" not in lines[0]
    )


def _drop_row_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    first = frame.columns[0]
    if first in ("", "X", "Unnamed: 0") or first.startswith("Unnamed"):
        values = frame[first].str.strip()
        if values.str.fullmatch(r"[0-9]+").all():
            return frame.drop(columns=[first])
    return frame


def _latest_period(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    col = next((c for c in frame.columns if column_key(c, "statline") == "Perioden"), None)
    if col is None:
        return frame
    periods = frame[col].str.strip()
    if periods.nunique() <= 1:
        return frame
    latest = sorted(periods.unique())[-1]
    warnings.warn(
        f"{path.name}: meerdere perioden; alleen de laatste ({latest}) gebruikt",
        UserWarning,
        stacklevel=4,
    )
    return frame[periods == latest]


def _keep_gemeente(
    frame: pd.DataFrame, code_col: str, gemeente: str | None, path: Path
) -> pd.DataFrame:
    """Drop the rows of other municipalities (by code; else by the OData region key)."""
    refuse_odd_codes(frame[code_col], where=str(path), column=code_col)
    codes = clean_code(frame[code_col]).fillna("").astype(str)
    key_col = next((c for c in frame.columns if c == "WijkenEnBuurten"), None)
    if key_col is not None:
        keys = clean_code(frame[key_col]).fillna("").astype(str)
        codes = codes.where(codes != "", keys)
    frame = frame.assign(**{code_col: codes.to_numpy()})
    if gemeente is None:
        return frame
    num = gemeente[2:]
    mine = codes.map(lambda c: len(c) >= 6 and gemeente_of(c) == num and c[:2] != "NL")
    if not mine.any():
        raise absent_gemeente(path, gemeente, codes)
    return frame[mine.to_numpy()]


def read_statline_csv(
    path: str | Path,
    *,
    gemeente: str | None = None,
    names: Mapping[str, str] | None = None,
    text: TextFile | None = None,
) -> IndicatorTable:
    """Read a CBS StatLine table of *Kerncijfers wijken en buurten* (any layout, any edition).

    Parameters
    ----------
    path
        The CSV (optionally ``.gz``).
    gemeente
        Keep only this municipality's rows (``GMxxxx``), before any value is validated.
    names
        Region name → CBS code within the chosen municipality: needed only for the old
        export, which has names and no codes.
    text
        Already read text of ``path``.

    Returns
    -------
    IndicatorTable
        Canonical indicators for the buurten, wijken and gemeente rows in the file;
        ``names`` holds the region names when the file has them.

    Raises
    ------
    ValidationError
        For a missing code column, duplicate or malformed codes, text in a numeric column,
        an unknown layout, or names that cannot be matched.

    Examples
    --------
    >>> from geo import _paths
    >>> t = read_statline_csv(_paths.HAARLEM_DIR / "haarlem_kwb.csv")
    >>> len(t.buurt), "inkomen_per_inwoner" in t.buurt.columns
    (111, True)
    """
    path = Path(path)
    tf = text if text is not None else read_text(path)
    if is_old_export(tf.text):
        return _read_old_export(path, tf, gemeente=gemeente, names=names)
    frame = parse_csv(tf.text, path=path)
    frame = _drop_row_numbers(frame)
    columns = list(frame.columns)
    code_col = _code_column(columns)
    if code_col is None:
        raise ValidationError(
            f"{path}: geen kolom met de regiocode (Codering_3 of 'Regiocode … (code)')"
        )
    name_col = next(
        (c for c in columns if normalise_title(c) in _NAME_TITLES and c != code_col), None
    )
    frame = _latest_period(frame, path)
    frame = _keep_gemeente(frame, code_col, gemeente, path)
    frame = index_by_code(frame, code_col, where=str(path))
    odata = len(match_columns(frame.columns, "statline"))
    titled = len(match_columns(frame.columns, "statline_titel"))
    schema = "statline" if odata >= titled else "statline_titel"
    found = match_columns(frame.columns, schema)
    style = number_style(
        (frame[c] for c, _ in found.values()), delimiter=str(frame.attrs.get("delimiter", ","))
    )
    canon = to_canonical(frame, schema, where=path.name, style=style)
    if canon.shape[1] == 0:
        raise ValidationError(
            f"{path}: geen bekende CBS-kerncijferkolommen gevonden "
            "(zie 'wijkteam indicatoren' voor de kolommen die gelezen worden)"
        )
    region_names = None
    if name_col is not None:
        vals = frame[name_col].astype("string").str.strip()
        if not vals.str.fullmatch(r"(BU|WK|GM)[0-9]+").all():
            region_names = pd.Series(vals.to_numpy(), index=frame.index).astype(object)
    gm_col = next(
        (
            c
            for c in frame.columns
            if normalise_title(column_key(c, "statline")) in _GEMEENTE_TITLES
        ),
        None,
    )
    if gm_col is not None:
        gm_rows = [c for c in frame.index if str(c).startswith("GM")]
        gm_names = frame.loc[gm_rows, gm_col].astype("string").str.strip().astype(object)
        region_names = gm_names if region_names is None else region_names.fillna(gm_names)
    b, w, g = split_levels(canon)
    layout = "OData" if schema == "statline" else "website-download"
    return IndicatorTable(
        f"CBS Kerncijfers wijken en buurten ({layout}, {path.name})", b, w, g, names=region_names
    )


def _read_old_export(
    path: Path, tf: TextFile, *, gemeente: str | None, names: Mapping[str, str] | None
) -> IndicatorTable:
    rows = list(csv.reader(io.StringIO(tf.text), delimiter=";"))
    start = next(i for i, r in enumerate(rows) if r and normalise_title(r[-1]) == "onderwerp")
    topics, units = rows[start + 1], rows[start + 2]
    titles = [
        f"{t.replace('|', '/').strip()} ({u.strip()})"
        for t, u in zip(topics[1:], units[1:], strict=False)
    ]
    body = [r for r in rows[start + 3 :] if len(r) == len(topics)]
    if not body:
        raise ValidationError(f"{path}: oude StatLine-export zonder gegevensrijen")
    if names is None:
        raise ValidationError(
            f"{path}: oude StatLine-export met alleen regionamen (geen codes); geef ook de "
            "buurtpolygonen (of een CBS GeoPackage) met --gemeente, zodat de namen binnen de "
            "gemeente gekoppeld kunnen worden, of download de tabel opnieuw met regiocodes"
        )
    lookup: dict[str, list[str]] = {}
    for name, code in names.items():
        lookup.setdefault(normalise_title(name), []).append(code)
    matched: dict[str, list[str]] = {}
    unmatched: list[str] = []
    for r in body:
        name = r[0].strip()
        codes = lookup.get(normalise_title(name), [])
        if len(codes) == 1 and codes[0] not in matched:
            matched[codes[0]] = r[1:]
        else:
            unmatched.append(name + (" (dubbel)" if len(codes) > 1 else ""))
    if not matched:
        raise ValidationError(
            f"{path}: geen enkele regionaam komt overeen met de buurten, wijken of gemeente "
            f"{gemeente or ''} (bijv. {body[0][0]!r}); andere gemeente of indeling?"
        )
    if unmatched:
        warnings.warn(
            f"{path.name}: {len(unmatched)} regionaam/-namen niet gekoppeld binnen de gemeente: "
            f"{', '.join(unmatched[:5])}{' …' if len(unmatched) > 5 else ''}",
            UserWarning,
            stacklevel=3,
        )
    frame = pd.DataFrame(list(matched.values()), index=pd.Index(list(matched), name="code"))
    frame.columns = titles
    style = number_style((frame[c] for c in frame.columns), delimiter=";")
    canon = to_canonical(frame, "statline_titel", where=path.name, style=style)
    if canon.shape[1] == 0:
        raise ValidationError(f"{path}: geen bekende CBS-kerncijferkolommen gevonden")
    b, w, g = split_levels(canon)
    inverse = {code: name for name, code in names.items()}
    region_names = pd.Series({c: inverse.get(c, c) for c in frame.index}, dtype=object)
    return IndicatorTable(
        f"CBS Kerncijfers wijken en buurten (oude export, namen gekoppeld, {path.name})",
        b,
        w,
        g,
        names=region_names,
    )
