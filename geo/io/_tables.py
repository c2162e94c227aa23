"""The loaded-data types and the mapping of any schema onto canonical indicators."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo._errors import ValidationError
from geo.catalogue import CATALOGUE, SCHEMAS, match_columns
from geo.io._numbers import NumberStyle, clean_numeric

__all__ = [
    "CODE_RE",
    "RD_NEW",
    "Dataset",
    "IndicatorTable",
    "clean_code",
    "detect_schema",
    "filter_gemeente",
    "index_by_code",
    "label_wijken",
    "refuse_odd_codes",
    "split_levels",
    "to_canonical",
]

RD_NEW = "EPSG:28992"
#: CBS codes, ASCII digits only (``re.ASCII``: full-width digits are not codes).
CODE_RE = {
    "buurt": re.compile(r"^BU[0-9]{8}$", re.ASCII),
    "wijk": re.compile(r"^WK[0-9]{6}$", re.ASCII),
    "gemeente": re.compile(r"^GM[0-9]{4}$", re.ASCII),
    "land": re.compile(r"^NL[0-9]{2}$", re.ASCII),
}
_ANY_CODE = re.compile(r"^(BU[0-9]{8}|WK[0-9]{6}|GM[0-9]{4}|NL[0-9]{2})$", re.ASCII)


@dataclass(frozen=True)
class IndicatorTable:
    """Canonical indicator values of one source for buurten, wijken and the gemeente.

    Attributes
    ----------
    name
        Short description of the source (for reports and attribution).
    buurt, wijk, gemeente
        Canonical indicator columns indexed by CBS code (``BU…``, ``WK…``, ``GM…``).
    estimated
        Indicator keys in this table that are estimates (e.g. areal interpolation).
    names
        Region names by code when the file has them (used to detect division changes).
    """

    name: str
    buurt: pd.DataFrame
    wijk: pd.DataFrame
    gemeente: pd.DataFrame
    estimated: frozenset[str] = frozenset()
    names: pd.Series | None = None


@dataclass(frozen=True)
class Dataset:
    """Everything needed to build profiles for one municipality.

    Attributes
    ----------
    gemeentecode, gemeentenaam
        The municipality.
    buurten
        Buurt polygons (EPSG:28992), index ``buurtcode``, columns ``buurtnaam``,
        ``wijkcode``, ``wijknaam``. Without polygons (a table alone) the geometry column
        is empty (see :attr:`has_polygons`).
    tables
        Indicator tables in priority order (the first table with a value wins).
    teams
        ``buurtcode`` → team name, or ``None`` when no team table was given (each wijk is
        then its own team).
    sources
        Attribution lines ("Bron: …").
    """

    gemeentecode: str
    gemeentenaam: str
    buurten: pd.DataFrame
    tables: tuple[IndicatorTable, ...]
    teams: pd.Series | None = None
    sources: tuple[str, ...] = field(default_factory=tuple)

    @property
    def has_polygons(self) -> bool:
        """Whether the buurten have polygons (else maps are skipped)."""
        geom = getattr(self.buurten, "geometry", None)
        return geom is not None and bool(geom.notna().any())


def clean_code(values: pd.Series) -> pd.Series:
    """Codes as stripped strings (``"GM0363    "`` → ``"GM0363"``)."""
    return values.astype("string").str.strip().astype(object)


def detect_schema(columns: Iterable[str]) -> str | None:
    """Return the CBS/RIVM schema whose catalogue columns best match ``columns``.

    Parameters
    ----------
    columns
        Column names of a table.

    Returns
    -------
    str or None
        One of :data:`geo.catalogue.SCHEMAS` (``rivm65`` is reported as ``rivm18``), or
        ``None`` when no catalogue column is present.
    """
    cols = list(columns)
    best, best_n = None, 0
    for schema in SCHEMAS:
        if schema == "rivm65":
            continue
        n = len(match_columns(cols, schema))
        if n > best_n:
            best, best_n = schema, n
    return best


def to_canonical(
    raw: pd.DataFrame, schema: str, *, where: str, style: NumberStyle | None = None
) -> pd.DataFrame:
    """Map the columns of one schema onto canonical indicators.

    Rates given as counts (``per_base``) are divided by their base count, which must be in
    the same table (for example ``k_65JaarOfOuder_12`` / ``AantalInwoners_5``).

    Parameters
    ----------
    raw
        Table indexed by CBS code, with the schema's own columns (cleaned or raw strings).
    schema
        One of :data:`geo.catalogue.SCHEMAS`.
    where
        File name for error messages.
    style
        The file's number convention (see :func:`geo.io._numbers.number_style`).

    Returns
    -------
    pandas.DataFrame
        Canonical indicator columns present in ``raw``; ``attrs["columns"]`` maps each
        indicator to the file's column it came from.
    """
    values: dict[str, pd.Series] = {}
    found = match_columns(raw.columns, schema)
    problems: list[str] = []
    for key, (column, src) in found.items():
        try:
            col = clean_numeric(raw[column], where=f"{where}: kolom {column}", style=style)
        except ValidationError as exc:
            problems.append(str(exc))
            continue
        if src.transform == "complement":
            col = 100.0 - col
        values[key] = col
    if problems:
        raise ValidationError("; ".join(problems))
    out = pd.DataFrame(values, index=raw.index)
    men, women = {
        "kwb2024": ("mannen", "vrouwen"),
        "kwb2021": ("mannen", "vrouwen"),
        "kwb2015": ("AANT_MAN", "AANT_VROUW"),
    }.get(schema, ("", ""))
    if men in raw.columns and women in raw.columns:
        total = clean_numeric(raw[men], where=f"{where}: kolom {men}") + clean_numeric(
            raw[women], where=f"{where}: kolom {women}"
        )
        if "inwoners" in out.columns:
            out["inwoners"] = out["inwoners"].fillna(total)
        else:
            out["inwoners"] = total
    for ind in CATALOGUE:
        if ind.key not in found or found[ind.key][1].transform != "per_base":
            continue
        if ind.key not in out.columns:
            continue
        base = ind.base
        if base is None or base not in out.columns:
            out = out.drop(columns=ind.key)
            del found[ind.key]
            continue
        denom = out[base].where(out[base] > 0)
        out[ind.key] = 100.0 * out[ind.key] / denom
    out.attrs["columns"] = {k: c for k, (c, _) in found.items() if k in out.columns}
    return out


def split_levels(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Split a table indexed by CBS code into its buurt, wijk and gemeente rows."""
    prefix = frame.index.to_series().str[:2]
    return (frame[prefix == "BU"], frame[prefix == "WK"], frame[prefix == "GM"])


def index_by_code(frame: pd.DataFrame, column: str, *, where: str) -> pd.DataFrame:
    """Index a table by its CBS code column, refusing empty, malformed or repeated codes.

    Parameters
    ----------
    frame
        The raw table.
    column
        The code column.
    where
        File name for messages.

    Returns
    -------
    pandas.DataFrame
        Indexed by code (``code``), without the code column.

    Raises
    ------
    ValidationError
        For an empty code, a code that is not a CBS code (e.g. with full-width digits) or
        a code that occurs twice.
    """
    codes = clean_code(frame[column])
    empty = codes.isna() | (codes == "")
    if empty.any():
        raise ValidationError(
            f"{where}: kolom {column} is leeg in rij {int(np.argmax(empty.to_numpy())) + 2}"
        )
    bad = ~codes.astype(str).str.match(_ANY_CODE)
    if bad.any():
        code = str(codes[bad].iloc[0])
        kind = {"BU": "buurtcode", "WK": "wijkcode", "GM": "gemeentecode"}.get(code[:2])
        raise ValidationError(
            f"{where}: kolom {column}: {code!r} is geen {kind or 'CBS-code'} "
            "(BUxxxxxxxx, WKxxxxxx of GMxxxx met cijfers 0-9)"
        )
    dup = codes[codes.duplicated()]
    if len(dup):
        raise ValidationError(f"{where}: code {dup.iloc[0]!r} komt meer dan eens voor")
    out = frame.drop(columns=[column])
    out.index = pd.Index(codes.to_numpy(), name="code")
    return out


def refuse_odd_codes(codes: pd.Series, *, where: str, column: str) -> None:
    """Refuse codes with characters outside ASCII (full-width or other Unicode digits).

    Runs *before* the rows of other municipalities are dropped, so an odd code is never
    silently filtered away as "another municipality".

    Parameters
    ----------
    codes
        The raw code column.
    where
        File name for the message.
    column
        Column name for the message.

    Raises
    ------
    ValidationError
        Naming the first odd code.
    """
    text = codes.astype("string").fillna("")
    odd = ~text.map(str.isascii).astype(bool)
    if odd.any():
        code = str(text[odd].iloc[0]).strip()
        raise ValidationError(
            f"{where}: kolom {column}: {code!r} is geen geldige code (alleen de cijfers 0-9, "
            "geen volbreedte- of andere Unicode-cijfers)"
        )


def absent_gemeente(path: object, gemeente: str, codes: Iterable[str]) -> ValidationError:
    """Return the error for a file without rows of the chosen municipality."""
    present = sorted({f"GM{str(c)[2:6]}" for c in codes if len(str(c)) >= 6})
    listed = ", ".join(present[:5]) + (" …" if len(present) > 5 else "")
    return ValidationError(
        f"{path}: gemeentecode {gemeente} komt niet voor in dit bestand (wel: {listed or 'geen'}); "
        "geen enkele buurtcode komt overeen met de polygonen of de gekozen gemeente"
    )


def label_wijken(buurten: pd.DataFrame, gemeentenaam: str | None) -> pd.DataFrame:
    """Give wijken without a name in the files the label ``Wijk NN <name>``.

    That is the form CBS uses for wijken without an own name (``Wijk 01 Speuld``): the wijk
    number and the name of its first named buurt (CBS numbers the buurt that names the wijk
    first: ``WK023301`` → ``BU02330100`` "Speuld"), else the municipality's name. A team named
    after its wijk then reads "Wijk 01 Speuld" instead of ``WK023301``.

    Parameters
    ----------
    buurten
        Frame indexed by buurtcode with ``wijkcode``, ``wijknaam`` and ``buurtnaam``.
    gemeentenaam
        The municipality's name, used when no buurt of the wijk has a name.

    Returns
    -------
    pandas.DataFrame
        A copy with the missing wijk names filled in.
    """
    out = buurten.copy()
    unnamed = out["wijknaam"].isna() | (out["wijknaam"].astype(str) == out["wijkcode"].astype(str))
    if not unnamed.any():
        return out
    labels: dict[str, str] = {}
    for wijk, group in out[unnamed].groupby("wijkcode", sort=True):
        names = (
            group.sort_index()["buurtnaam"].dropna().astype(str).str.strip()
            if "buurtnaam" in group
            else pd.Series(dtype=str)
        )
        names = names[(names != "") & ~names.str.startswith("BU")]
        name = names.iloc[0] if len(names) else gemeentenaam
        if name:
            labels[str(wijk)] = f"Wijk {str(wijk)[-2:]} {name}"
    filled = out["wijkcode"].astype(str).map(labels)
    out["wijknaam"] = out["wijknaam"].where(~unnamed | filled.isna(), filled)
    return out


def gemeente_of(code: str) -> str:
    """Return the four gemeente digits of a CBS code (``BU03630001`` → ``0363``)."""
    return code[2:6]


def filter_gemeente(table: IndicatorTable, gemeente: str) -> IndicatorTable:
    """Keep only the rows of one municipality."""
    num = gemeente[2:]

    def keep(frame: pd.DataFrame) -> pd.DataFrame:
        if frame.empty:
            return frame
        return frame[[gemeente_of(str(c)) == num for c in frame.index]]

    names = table.names
    if names is not None:
        names = names[[gemeente_of(str(c)) == num for c in names.index]]
    return IndicatorTable(
        table.name,
        keep(table.buurt),
        keep(table.wijk),
        keep(table.gemeente),
        table.estimated,
        names,
    )
