"""Loaders for CBS/RIVM/PDOK files: all cleaning happens here, once.

Every loader returns data keyed by the CBS code as a string, with CBS sentinels (negative
"geheim / niet beschikbaar" codes such as ``-99995`` and ``.`` in StatLine CSV) turned into
missing values, geometries in EPSG:28992 and indicator columns renamed to the canonical keys
of :mod:`geo.catalogue`.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from shapely.validation import make_valid

from geo import _paths
from geo._errors import ValidationError
from geo.catalogue import CATALOGUE, SCHEMAS

__all__ = [
    "MAX_UPLOAD_BYTES",
    "Dataset",
    "IndicatorTable",
    "clean_numeric",
    "detect_schema",
    "load_dataset",
    "load_haarlem",
    "read_cbs_gpkg",
    "read_indicator_csv",
    "read_polygons",
    "read_rivm_csv",
    "read_statline_csv",
    "read_team_table",
    "to_canonical",
]

RD_NEW = "EPSG:28992"
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
_CODE_RE = {
    "buurt": re.compile(r"^BU\d{8}$"),
    "wijk": re.compile(r"^WK\d{6}$"),
    "gemeente": re.compile(r"^GM\d{4}$"),
}
_LEVEL_BY_PREFIX = {"BU": "buurt", "WK": "wijk", "GM": "gemeente", "NL": "land"}
_RIVM_AGE = {"18+": "20300", "65+": "80200"}


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
    """

    name: str
    buurt: pd.DataFrame
    wijk: pd.DataFrame
    gemeente: pd.DataFrame
    estimated: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Dataset:
    """Everything needed to build profiles for one municipality.

    Attributes
    ----------
    gemeentecode, gemeentenaam
        The municipality.
    buurten
        Buurt polygons (EPSG:28992), index ``buurtcode``, columns ``buurtnaam``,
        ``wijkcode``, ``wijknaam``.
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
    buurten: gpd.GeoDataFrame
    tables: tuple[IndicatorTable, ...]
    teams: pd.Series | None = None
    sources: tuple[str, ...] = field(default_factory=tuple)


# ---------------------------------------------------------------------------- cleaning


def clean_numeric(values: pd.Series, *, where: str) -> pd.Series:
    """Convert a CBS column to floats with every sentinel as missing.

    ``.`` and empty strings (StatLine), and negative numbers (the Wijk- en buurtkaart
    codes ``-99995``, ``-99997``, ``-99999999``, …) become ``NaN``. Decimal commas are
    accepted. Text that is not a number raises, naming the place and the value.

    Parameters
    ----------
    values
        The raw column.
    where
        ``"file: column"`` for the error message.

    Returns
    -------
    pandas.Series
        Float values, NaN where missing.

    Raises
    ------
    ValidationError
        If a value is text that is not a number.
    """
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        out = values.astype(float)
    else:
        text = values.astype("string").str.strip()
        text = text.mask(text.isin(["", ".", "-", "x", "?"]))
        text = text.str.replace(",", ".", regex=False)
        out = pd.to_numeric(text, errors="coerce").astype(float)
        bad = text.notna() & out.isna()
        if bad.any():
            example = str(text[bad].iloc[0])
            raise ValidationError(
                f"{where}: verwacht een getal, gevonden tekst {example!r} "
                f"({int(bad.sum())} waarde(n))"
            )
    out = out.where(~np.isinf(out))
    return out.mask(out < 0)


def _clean_code(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip().astype(object)


def _read_text(path: Path, *, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    if not path.exists():
        raise ValidationError(f"{path}: bestand bestaat niet")
    if path.is_dir():
        raise ValidationError(f"{path}: is een map, geen bestand")
    size = path.stat().st_size
    if size == 0:
        raise ValidationError(f"{path}: bestand is leeg")
    if size > max_bytes:
        raise ValidationError(
            f"{path}: bestand is te groot ({size / 2**20:.0f} MB, maximaal "
            f"{max_bytes / 2**20:.0f} MB)"
        )
    raw = path.read_bytes()
    if path.suffix == ".gz":
        import gzip

        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise ValidationError(f"{path}: geen geldig gzip-bestand ({exc})") from None
    if b"\x00" in raw[:4096]:
        raise ValidationError(
            f"{path}: bestand is geen tekst-CSV (UTF-16 of binair); sla op als 'CSV UTF-8'"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"{path}: bestand is niet UTF-8-gecodeerd (byte {exc.start}); "
            "sla het op als 'CSV UTF-8'"
        ) from None


def _read_csv(path: Path, *, required: Sequence[str] = ()) -> pd.DataFrame:
    """Read a CSV with ``,`` or ``;`` as delimiter; all columns as strings."""
    text = _read_text(path)
    first = text.splitlines()[0] if text.strip() else ""
    if not first.strip():
        raise ValidationError(f"{path}: eerste regel (kolomkoppen) is leeg")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    if first.count(delimiter) == 0 and "\t" in first:
        delimiter = "\t"
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skipinitialspace=True,
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        msg = str(exc).splitlines()[0]
        raise ValidationError(f"{path}: CSV kan niet gelezen worden ({msg})") from None
    frame.columns = [str(c).strip().strip('"') for c in frame.columns]
    if frame.empty:
        raise ValidationError(f"{path}: bevat kolomkoppen maar geen rijen")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValidationError(
            f"{path}: kolom {missing[0]!r} ontbreekt (gevonden: {', '.join(frame.columns[:8])}"
            f"{', …' if len(frame.columns) > 8 else ''})"
        )
    dup = frame.columns[frame.columns.duplicated()]
    if len(dup):
        raise ValidationError(f"{path}: kolom {dup[0]!r} komt meer dan eens voor")
    return frame


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
    cols = set(columns)
    best, best_n = None, 0
    for schema in SCHEMAS:
        if schema == "rivm65":
            continue
        n = sum(
            1
            for ind in CATALOGUE
            if (src := ind.source_for(schema)) is not None and src.column in cols
        )
        if n > best_n:
            best, best_n = schema, n
    return best


def to_canonical(raw: pd.DataFrame, schema: str, *, where: str) -> pd.DataFrame:
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

    Returns
    -------
    pandas.DataFrame
        Canonical indicator columns present in ``raw``.
    """
    values: dict[str, pd.Series] = {}
    for ind in CATALOGUE:
        src = ind.source_for(schema)
        if src is None or src.column not in raw.columns:
            continue
        col = clean_numeric(raw[src.column], where=f"{where}: kolom {src.column}")
        if src.transform == "complement":
            col = 100.0 - col
        values[ind.key] = col
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
        src = ind.source_for(schema)
        if src is None or src.transform != "per_base" or ind.key not in out.columns:
            continue
        base = ind.base
        if base is None or base not in out.columns:
            out = out.drop(columns=ind.key)
            continue
        denom = out[base].where(out[base] > 0)
        out[ind.key] = 100.0 * out[ind.key] / denom
    return out


def _split_levels(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    prefix = frame.index.to_series().str[:2]
    return (frame[prefix == "BU"], frame[prefix == "WK"], frame[prefix == "GM"])


def _index_by_code(frame: pd.DataFrame, column: str, *, where: str) -> pd.DataFrame:
    codes = _clean_code(frame[column])
    empty = codes.isna() | (codes == "")
    if empty.any():
        raise ValidationError(
            f"{where}: kolom {column} is leeg in rij {int(np.argmax(empty.to_numpy())) + 2}"
        )
    dup = codes[codes.duplicated()]
    if len(dup):
        raise ValidationError(f"{where}: code {dup.iloc[0]!r} komt meer dan eens voor")
    out = frame.drop(columns=[column])
    out.index = pd.Index(codes.to_numpy(), name="code")
    return out


# ---------------------------------------------------------------------------- tables


def read_statline_csv(path: str | Path) -> IndicatorTable:
    """Read a CBS StatLine/OData CSV of *Kerncijfers wijken en buurten*.

    Parameters
    ----------
    path
        CSV with a ``Codering_3`` column and OData column names such as
        ``AantalInwoners_5``; ``,`` or ``;`` separated; ``.`` means missing.

    Returns
    -------
    IndicatorTable
        Canonical indicators for the buurten, wijken and gemeente rows in the file.

    Raises
    ------
    ValidationError
        For a missing code column, duplicate codes or text in a numeric column.
    """
    path = Path(path)
    frame = _read_csv(path, required=["Codering_3"])
    frame = _index_by_code(frame, "Codering_3", where=str(path))
    canon = to_canonical(frame, "statline", where=path.name)
    if canon.empty or canon.shape[1] == 0:
        raise ValidationError(f"{path}: geen bekende CBS-kerncijferkolommen gevonden")
    b, w, g = _split_levels(canon)
    return IndicatorTable(f"CBS Kerncijfers wijken en buurten ({path.name})", b, w, g)


def read_rivm_csv(
    path: str | Path, *, leeftijd: str = "18+", jaar: int | None = None
) -> IndicatorTable:
    """Read a RIVM Gezondheidsmonitor table (CBS 50090NED layout).

    Both the plain OData export (``Leeftijd`` 20300/80200, ``Perioden`` ``2020JJ00``,
    ``Marges`` ``MW00000`` for the estimate, strings padded with spaces) and the Haarlem
    extract (extra ``jaar`` and ``leeftijdsgroep`` columns) are read. Only the estimate rows
    (``Marges == MW00000``) are used; the most recent period unless ``jaar`` is given.

    Parameters
    ----------
    path
        CSV (optionally ``.gz``).
    leeftijd
        ``"18+"`` (volwassenen) or ``"65+"``.
    jaar
        Survey year (2012, 2016, 2020); ``None`` takes the most recent in the file.

    Returns
    -------
    IndicatorTable
        Canonical ``rivm18``/``rivm65`` indicators.

    Raises
    ------
    ValidationError
        For missing columns, an unknown age group or year.
    """
    path = Path(path)
    if leeftijd not in _RIVM_AGE:
        raise ValidationError(f"leeftijd {leeftijd!r} onbekend (kies 18+ of 65+)")
    frame = _read_csv(path, required=["Codering_3", "Leeftijd", "Perioden"])
    for col in ("Codering_3", "Leeftijd", "Perioden", "Marges"):
        if col in frame.columns:
            frame[col] = frame[col].str.strip()
    if "Marges" in frame.columns:
        frame = frame[frame["Marges"] == "MW00000"]
    frame = frame[frame["Leeftijd"] == _RIVM_AGE[leeftijd]]
    if frame.empty:
        raise ValidationError(f"{path}: geen rijen voor leeftijdsgroep {leeftijd}")
    years = frame["Perioden"].str[:4]
    if jaar is None:
        chosen = years.max()
    else:
        chosen = str(jaar)
        if chosen not in set(years):
            raise ValidationError(
                f"{path}: jaar {jaar} niet gevonden (wel: {', '.join(sorted(set(years)))})"
            )
    frame = frame[years == chosen]
    frame = _index_by_code(frame, "Codering_3", where=str(path))
    schema = "rivm18" if leeftijd == "18+" else "rivm65"
    canon = to_canonical(frame, schema, where=path.name)
    b, w, g = _split_levels(canon)
    name = f"RIVM Gezondheidsmonitor {chosen}, {leeftijd} ({path.name})"
    return IndicatorTable(name, b, w, g)


def read_indicator_csv(path: str | Path) -> list[IndicatorTable]:
    """Read any supported indicator CSV, recognising its layout from the columns.

    RIVM files give two tables (18+ and 65+) when both age groups are present.

    Parameters
    ----------
    path
        StatLine kerncijfers, RIVM Gezondheidsmonitor, or a table with a ``buurtcode``
        column and Wijk- en buurtkaart attribute names (any edition).

    Returns
    -------
    list of IndicatorTable
        The tables found.

    Raises
    ------
    ValidationError
        If the layout is not recognised.
    """
    path = Path(path)
    frame = _read_csv(path)
    cols = set(frame.columns)
    if {"Leeftijd", "Perioden", "Codering_3"} <= cols:
        ages = set(frame["Leeftijd"].str.strip())
        return [
            read_rivm_csv(path, leeftijd=age) for age, code in _RIVM_AGE.items() if code in ages
        ]
    if "Codering_3" in cols:
        return [read_statline_csv(path)]
    code_col = next((c for c in ("buurtcode", "BU_CODE", "statcode", "code") if c in cols), None)
    schema = detect_schema(cols)
    if code_col is None or schema is None:
        raise ValidationError(
            f"{path}: indeling niet herkend: verwacht een CBS StatLine-export (Codering_3), "
            "een RIVM Gezondheidsmonitor-tabel of een tabel met buurtcode en CBS-kolomnamen"
        )
    frame = _index_by_code(frame, code_col, where=str(path))
    canon = to_canonical(frame, schema, where=path.name)
    b, w, g = _split_levels(canon)
    return [IndicatorTable(f"CBS ({schema}, {path.name})", b, w, g)]


# ---------------------------------------------------------------------------- geometry


def _check_geometries(gdf: gpd.GeoDataFrame, *, where: str) -> gpd.GeoDataFrame:
    if gdf.crs is None:
        raise ValidationError(
            f"{where}: geen coördinatenstelsel (CRS) opgegeven; verwacht EPSG:28992 of EPSG:4326"
        )
    missing = gdf.geometry.isna() | gdf.geometry.is_empty
    if missing.any():
        codes = ", ".join(map(str, gdf.index[missing][:5]))
        raise ValidationError(f"{where}: lege geometrie voor {codes}")
    kinds = gdf.geometry.geom_type
    wrong = ~kinds.isin(["Polygon", "MultiPolygon"])
    if wrong.any():
        code = gdf.index[wrong][0]
        raise ValidationError(
            f"{where}: geometrie van {code} is een {kinds[wrong].iloc[0]}, verwacht een vlak "
            "(Polygon/MultiPolygon)"
        )
    original = gdf.crs.to_string()
    gdf = gdf.to_crs(RD_NEW)
    bounds = gdf.total_bounds
    if not (
        bounds[0] >= -7000 and bounds[2] <= 300000 and bounds[1] >= 289000 and bounds[3] <= 629000
    ):
        raise ValidationError(
            f"{where}: coördinaten liggen buiten Nederland na omzetting naar EPSG:28992 "
            f"(klopt het opgegeven CRS {original}? GeoJSON zonder 'crs' geldt als EPSG:4326)"
        )
    invalid = ~gdf.geometry.is_valid
    if invalid.any():
        codes = ", ".join(map(str, gdf.index[invalid][:5]))
        warnings.warn(
            f"{where}: ongeldige geometrie hersteld voor {codes}", UserWarning, stacklevel=3
        )
        geoms = gdf.geometry.copy()
        geoms[invalid] = geoms[invalid].apply(make_valid)
        geoms = geoms.apply(_polygonal)
        gdf = gdf.set_geometry(geoms)
        still = gdf.geometry.is_empty | ~gdf.geometry.is_valid
        if still.any():
            codes = ", ".join(map(str, gdf.index[still][:5]))
            raise ValidationError(f"{where}: geometrie niet te herstellen voor {codes}")
    return gdf


def _polygonal(geom: object) -> object:
    from shapely.geometry import GeometryCollection, MultiPolygon, Polygon

    if isinstance(geom, GeometryCollection) and not isinstance(geom, MultiPolygon):
        polys = [g for g in geom.geoms if isinstance(g, Polygon | MultiPolygon)]
        parts: list[Polygon] = []
        for g in polys:
            parts.extend(g.geoms if isinstance(g, MultiPolygon) else [g])
        return MultiPolygon(parts)
    return geom


def _read_vector(
    path: Path, *, layer: str | None = None, where: str | None = None
) -> gpd.GeoDataFrame:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return pyogrio.read_dataframe(path, layer=layer, where=where)
    except (
        pyogrio.errors.DataSourceError,
        pyogrio.errors.DataLayerError,
        pyogrio.errors.FieldError,
    ) as exc:
        text = str(exc).lower()
        reason = (
            "beschadigd of afgebroken bestand"
            if "malformed" in text or "corrupt" in text or "truncated" in text
            else "geen GeoJSON of GeoPackage (of beschadigd)"
        )
        raise ValidationError(
            f"{path}: kan niet gelezen worden als kaartbestand: {reason}"
        ) from None


def read_polygons(path: str | Path) -> gpd.GeoDataFrame:
    """Read buurt polygons (GeoJSON or GeoPackage) with their code and name.

    Parameters
    ----------
    path
        A file with a buurt code column (``buurtcode``, ``statcode``, ``BU_CODE``) and
        optionally a name column (``buurtnaam``, ``statnaam``, ``BU_NAAM``).

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``buurtcode``; columns ``buurtnaam``, ``wijkcode``, ``wijknaam`` (when
        present) and ``geometry`` in EPSG:28992; invalid geometries repaired (with a
        warning).

    Raises
    ------
    ValidationError
        For an unreadable file, a missing code column, duplicate or malformed codes, empty
        geometry or a missing/wrong CRS.
    """
    path = Path(path)
    if not path.exists():
        raise ValidationError(f"{path}: bestand bestaat niet")
    if path.stat().st_size == 0:
        raise ValidationError(f"{path}: bestand is leeg")
    gdf = _read_vector(path)
    return _normalise_buurten(gdf, where=str(path))


def _normalise_buurten(gdf: gpd.GeoDataFrame, *, where: str) -> gpd.GeoDataFrame:
    cols = set(gdf.columns)
    code_col = next(
        (c for c in ("buurtcode", "statcode", "BU_CODE", "CBS_CODE") if c in cols), None
    )
    if code_col is None:
        raise ValidationError(f"{where}: geen kolom met de buurtcode (buurtcode/statcode/BU_CODE)")
    name_col = next((c for c in ("buurtnaam", "statnaam", "BU_NAAM") if c in cols), None)
    codes = _clean_code(gdf[code_col])
    bad = ~codes.fillna("").str.match(_CODE_RE["buurt"])
    if bad.any():
        raise ValidationError(
            f"{where}: kolom {code_col}: {codes[bad].iloc[0]!r} is geen buurtcode (BUxxxxxxxx)"
        )
    if codes.duplicated().any():
        raise ValidationError(
            f"{where}: buurtcode {codes[codes.duplicated()].iloc[0]!r} komt meer dan eens voor"
        )
    out = gpd.GeoDataFrame(
        {
            "buurtnaam": (
                gdf[name_col].astype("string").fillna("").astype(object).to_numpy()
                if name_col
                else codes.to_numpy()
            ),
        },
        geometry=gdf.geometry.to_numpy(),
        crs=gdf.crs,
        index=pd.Index(codes.to_numpy(), name="buurtcode"),
    )
    wijk_col = next((c for c in ("wijkcode", "WK_CODE") if c in cols), None)
    out["wijkcode"] = (
        _clean_code(gdf[wijk_col]).to_numpy() if wijk_col else ["WK" + c[2:8] for c in out.index]
    )
    wnaam = next((c for c in ("wijknaam", "WK_NAAM") if c in cols), None)
    wnames = gdf[wnaam].astype("string").to_numpy() if wnaam else out["wijkcode"].to_numpy()
    out["wijknaam"] = pd.Series(wnames, index=out.index).fillna(out["wijkcode"]).astype(object)
    out["buurtnaam"] = out["buurtnaam"].where(out["buurtnaam"] != "", out.index.to_series())
    out = out[["buurtnaam", "wijkcode", "wijknaam", "geometry"]]
    return _check_geometries(out, where=where)


def read_cbs_gpkg(
    path: str | Path, *, gemeente: str, layer: str | None = None
) -> tuple[gpd.GeoDataFrame, IndicatorTable]:
    """Read one municipality from a CBS *Wijk- en buurtkaart* GeoPackage.

    Works on the national file (``wijkenbuurten_YYYY_v*.gpkg``, layers ``gemeenten``,
    ``wijken``, ``buurten``) and on extracts with another buurt layer name (e.g.
    ``CBS_Buurten``); every attribute edition (2015 upper case, 2021 snake_case, 2024
    camelCase) is recognised. Water-only parts (``water = 'JA'``) are left out.

    Parameters
    ----------
    path
        The GeoPackage.
    gemeente
        Gemeentecode ``GMxxxx``.
    layer
        Buurt layer name; default: ``buurten`` or the one layer whose name contains
        "buurt".

    Returns
    -------
    buurten : geopandas.GeoDataFrame
        Polygons as from :func:`read_polygons`.
    table : IndicatorTable
        Buurt (and, when the file has a ``wijken`` layer, wijk) indicators.

    Raises
    ------
    ValidationError
        If the file, the buurt layer or the gemeentecode is missing.
    """
    path = Path(path)
    if not _CODE_RE["gemeente"].match(gemeente or ""):
        raise ValidationError(f"--gemeente {gemeente!r}: verwacht een gemeentecode als GM0392")
    if not path.exists():
        raise ValidationError(f"{path}: bestand bestaat niet")
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except pyogrio.errors.DataSourceError:
        raise ValidationError(f"{path}: geen geldige GeoPackage") from None
    if layer is None:
        cands = [x for x in layers if x.lower() == "buurten"] or [
            x for x in layers if "buurt" in x.lower()
        ]
        if not cands:
            raise ValidationError(
                f"{path}: geen buurtenlaag gevonden (lagen: {', '.join(layers) or 'geen'})"
            )
        layer = cands[0]
    elif layer not in layers:
        raise ValidationError(f"{path}: laag {layer!r} bestaat niet (lagen: {', '.join(layers)})")
    info = pyogrio.read_info(path, layer=layer)
    fields = [str(f) for f in info["fields"]]
    gm_col = next((c for c in ("gemeentecode", "GM_CODE") if c in fields), None)
    if gm_col is None:
        raise ValidationError(f"{path}: laag {layer} heeft geen kolom gemeentecode")
    gdf = _read_vector(path, layer=layer, where=f"{gm_col} = '{gemeente}'")
    if "water" in gdf.columns:
        gdf = gdf[gdf["water"].astype("string").str.upper() != "JA"]
    if gdf.empty:
        raise ValidationError(f"{path}: gemeentecode {gemeente} komt niet voor in laag {layer}")
    gdf = gdf.reset_index(drop=True)
    where = f"{path.name} (laag {layer})"
    buurten = _normalise_buurten(gdf, where=where)
    schema = detect_schema(gdf.columns) or "kwb2024"
    attrs = pd.DataFrame(gdf.drop(columns="geometry"))
    attrs.index = pd.Index(buurten.index, name="code")
    canon = to_canonical(attrs, schema, where=where)
    wijk = pd.DataFrame()
    wijk_layers = [x for x in layers if x.lower() == "wijken"]
    if wijk_layers:
        wgdf = _read_vector(path, layer=wijk_layers[0], where=f"{gm_col} = '{gemeente}'")
        if "water" in wgdf.columns:
            wgdf = wgdf[wgdf["water"].astype("string").str.upper() != "JA"]
        if not wgdf.empty and "wijkcode" in wgdf.columns:
            wattrs = pd.DataFrame(wgdf.drop(columns="geometry"))
            wattrs.index = pd.Index(_clean_code(wattrs["wijkcode"]).to_numpy(), name="code")
            wijk = to_canonical(wattrs, detect_schema(wattrs.columns) or schema, where=path.name)
    name = f"CBS Wijk- en buurtkaart ({schema}, {path.name})"
    table = IndicatorTable(name, canon, wijk, pd.DataFrame())
    gmname_col = next((c for c in ("gemeentenaam", "GM_NAAM") if c in gdf.columns), None)
    buurten.attrs["gemeentenaam"] = str(gdf[gmname_col].iloc[0]) if gmname_col else gemeente
    return buurten, table


# ---------------------------------------------------------------------------- teams


def read_team_table(path: str | Path, *, buurten: pd.DataFrame) -> pd.Series:
    """Read a buurt → team or wijk → team table.

    Parameters
    ----------
    path
        CSV with a ``team`` column and either ``buurtcode`` or ``wijkcode``.
    buurten
        The buurten of the dataset (index ``buurtcode``, column ``wijkcode``).

    Returns
    -------
    pandas.Series
        ``buurtcode`` → team, for every buurt.

    Raises
    ------
    ValidationError
        For unknown codes, buurten without a team or empty team names; the message names
        them.
    """
    path = Path(path)
    frame = _read_csv(path, required=["team"])
    teams = frame["team"].astype(str).str.strip()
    if (teams == "").any():
        row = int((teams == "").to_numpy().argmax()) + 2
        raise ValidationError(f"{path}: kolom team is leeg in rij {row}")
    if "buurtcode" in frame.columns:
        key, level = "buurtcode", buurten.index
    elif "wijkcode" in frame.columns:
        key, level = "wijkcode", pd.Index(buurten["wijkcode"].unique())
    else:
        raise ValidationError(f"{path}: kolom 'buurtcode' of 'wijkcode' ontbreekt")
    codes = frame[key].astype(str).str.strip()
    if codes.duplicated().any():
        raise ValidationError(
            f"{path}: {key} {codes[codes.duplicated()].iloc[0]!r} staat er meer dan eens in"
        )
    mapping = pd.Series(teams.to_numpy(), index=codes.to_numpy())
    unknown = sorted(set(mapping.index) - set(level))
    if unknown:
        raise ValidationError(
            f"{path}: onbekende {key}(s) die niet in de buurtdata voorkomen: "
            f"{', '.join(unknown[:5])}{' …' if len(unknown) > 5 else ''}"
        )
    if key == "buurtcode":
        result = mapping.reindex(buurten.index)
    else:
        result = pd.Series(mapping.reindex(buurten["wijkcode"]).to_numpy(), index=buurten.index)
    orphan = result.isna()
    if orphan.any():
        names = [f"{c} ({buurten.loc[c, 'buurtnaam']})" for c in result.index[orphan][:5]]
        raise ValidationError(
            f"{path}: {int(orphan.sum())} buurt(en) zonder team: {', '.join(names)}"
        )
    result.name = "team"
    result.index.name = "buurtcode"
    return result.astype(object)


# ---------------------------------------------------------------------------- datasets


def _report_mismatch(buurten: pd.DataFrame, table: IndicatorTable) -> None:
    if table.buurt.empty:
        return
    extra = sorted(set(table.buurt.index) - set(buurten.index))
    missing = sorted(set(buurten.index) - set(table.buurt.index))
    if extra:
        warnings.warn(
            f"{table.name}: {len(extra)} buurtcode(s) zonder polygoon genegeerd: "
            f"{', '.join(extra[:5])}{' …' if len(extra) > 5 else ''}",
            UserWarning,
            stacklevel=3,
        )
    if missing and len(missing) < len(buurten):
        names = [f"{c} ({buurten.loc[c, 'buurtnaam']})" for c in missing[:5]]
        warnings.warn(
            f"{table.name}: geen waarden voor {len(missing)} buurt(en): {', '.join(names)}"
            f"{' …' if len(missing) > 5 else ''}",
            UserWarning,
            stacklevel=3,
        )
    if len(missing) == len(buurten) and table.wijk.empty:
        raise ValidationError(
            f"{table.name}: geen enkele buurtcode komt overeen met de polygonen "
            f"(bijv. {table.buurt.index[0]} tegen {buurten.index[0]}); andere buurtindeling?"
        )


def load_dataset(
    *,
    gpkg: str | Path | None = None,
    gemeente: str | None = None,
    buurten: str | Path | None = None,
    indicatoren: Sequence[str | Path] = (),
    teams: str | Path | None = None,
) -> Dataset:
    """Load a municipality from the files CBS and RIVM publish.

    Give either a CBS GeoPackage with a gemeentecode, or separate buurt polygons; add any
    number of indicator CSVs (StatLine kerncijfers, RIVM Gezondheidsmonitor) and a team
    table. Without a team table each wijk is its own team.

    Parameters
    ----------
    gpkg, gemeente
        CBS Wijk- en buurtkaart GeoPackage and the gemeentecode to take from it.
    buurten
        Separate buurt polygons (GeoJSON/GeoPackage).
    indicatoren
        Indicator CSV files, joined to the polygons on the buurt code.
    teams
        Buurt → team or wijk → team CSV.

    Returns
    -------
    Dataset
        The loaded data.

    Raises
    ------
    ValidationError
        For any bad input; the message names the file and the problem.
    """
    tables: list[IndicatorTable] = []
    sources = [
        "Bron: CBS Kerncijfers wijken en buurten; RIVM/GGD'en Gezondheidsmonitor; "
        "PDOK/CBS Wijk- en buurtkaart (CC BY 4.0)"
    ]
    if gpkg is not None:
        if gemeente is None:
            raise ValidationError("--gpkg vraagt ook --gemeente GMxxxx")
        polys, table = read_cbs_gpkg(gpkg, gemeente=gemeente)
        tables.append(table)
        gmnaam = str(polys.attrs.get("gemeentenaam", gemeente))
        gmcode = gemeente
    elif buurten is not None:
        polys = read_polygons(buurten)
        gmcode = "GM" + str(polys.index[0])[2:6]
        gmnaam = gmcode
    else:
        raise ValidationError("geef --gpkg met --gemeente, of --buurten met een polygonenbestand")
    if gemeente is not None and gpkg is None:
        polys = polys[[c[2:6] == gemeente[2:] for c in polys.index]]
        if polys.empty:
            raise ValidationError(f"{buurten}: gemeentecode {gemeente} komt niet voor")
        gmcode = gemeente
    for path in indicatoren:
        for table in read_indicator_csv(path):
            if gemeente is not None:
                table = _filter_gemeente(table, gmcode)
            _report_mismatch(polys, table)
            tables.append(table)
    if not tables:
        raise ValidationError("geen indicatorgegevens: geef --indicatoren of een CBS GeoPackage")
    team_series = read_team_table(teams, buurten=polys) if teams is not None else None
    return Dataset(gmcode, gmnaam, polys, tuple(tables), team_series, tuple(sources))


def _filter_gemeente(table: IndicatorTable, gemeente: str) -> IndicatorTable:
    num = gemeente[2:]

    def keep(frame: pd.DataFrame, start: int) -> pd.DataFrame:
        if frame.empty:
            return frame
        return frame[[str(c)[start : start + 4] == num for c in frame.index]]

    return IndicatorTable(
        table.name,
        keep(table.buurt, 2),
        keep(table.wijk, 2),
        keep(table.gemeente, 2),
        table.estimated,
    )


def load_haarlem(*, teams: str | Path | None = None) -> Dataset:
    """Load the embedded Haarlem data (111 buurten, 21 wijken, 10 indicative teams).

    Sources in priority order: CBS kerncijfers 2024 (StatLine), the 2024 wijk attributes of
    the Wijk- en buurtkaart (wijk level, used to fill buurt gaps), RIVM Gezondheidsmonitor
    2020 (18+ and 65+), and the 2015 benefit counts moved onto today's buurten by
    areal-weighted interpolation (flagged as estimates).

    Parameters
    ----------
    teams
        Optional own team table; default: ``data/haarlem/werkgebieden_indicatief.csv``.

    Returns
    -------
    Dataset
        Haarlem's data.
    """
    from geo.interpolate import areal_interpolate

    d = _paths.HAARLEM_DIR
    polys = read_polygons(d / "haarlem_buurten_rd28992.geojson")
    meta = _read_vector(d / "haarlem_buurten.geojson")
    meta.index = pd.Index(meta["buurtcode"].astype(str), name="buurtcode")
    polys["buurtnaam"] = meta["buurtnaam"].reindex(polys.index).astype(object)
    polys["wijkcode"] = meta["wijkcode"].reindex(polys.index).astype(object)
    polys["wijknaam"] = meta["wijknaam"].reindex(polys.index).astype(object)
    kwb = read_statline_csv(d / "haarlem_kwb.csv")
    kwb_w = read_statline_csv(d / "haarlem_kwb_wijken_gemeente_2024.csv")
    kwb = IndicatorTable(kwb.name, kwb.buurt, kwb_w.wijk, kwb_w.gemeente)
    wijken = _read_vector(d / "haarlem_wijken_2024.geojson")
    wattrs = pd.DataFrame(wijken.drop(columns="geometry"))
    wattrs.index = pd.Index(wattrs["wijkcode"].astype(str), name="code")
    wtab = IndicatorTable(
        "CBS Wijk- en buurtkaart 2024 (wijkniveau)",
        pd.DataFrame(),
        to_canonical(wattrs, "kwb2024", where="haarlem_wijken_2024.geojson"),
        pd.DataFrame(),
    )
    rivm = d / "haarlem_gezondheid_rivm.csv"
    r18 = read_rivm_csv(rivm, leeftijd="18+", jaar=2020)
    r65 = read_rivm_csv(rivm, leeftijd="65+", jaar=2020)
    old = _read_vector(d / "haarlem_buurten_2015.geojson")
    old.index = pd.Index(old["BU_CODE"].astype(str), name="code")
    old_vals = to_canonical(
        pd.DataFrame(old.drop(columns="geometry")), "kwb2015", where="haarlem_buurten_2015.geojson"
    )
    counts = pd.DataFrame(
        {
            k: old_vals[k] / 100.0 * old_vals["inwoners"]
            for k in ("pct_bijstand", "pct_ao_uitkering", "pct_ww_uitkering")
        }
    )
    counts["inwoners_2015"] = old_vals["inwoners"]
    src = gpd.GeoDataFrame(counts, geometry=old.geometry.to_numpy(), crs=old.crs).to_crs(RD_NEW)
    est = areal_interpolate(src, polys, extensive=list(counts.columns))
    interp = pd.DataFrame(
        {
            k: 100.0 * est[k] / est["inwoners_2015"].where(est["inwoners_2015"] > 0)
            for k in ("pct_bijstand", "pct_ao_uitkering", "pct_ww_uitkering")
        },
        index=polys.index,
    )
    itab = IndicatorTable(
        "CBS Wijk- en buurtkaart 2015, uitkeringen (oppervlakte-gewogen schatting)",
        interp,
        pd.DataFrame(),
        pd.DataFrame(),
        frozenset(interp.columns),
    )
    team_path = Path(teams) if teams is not None else d / "werkgebieden_indicatief.csv"
    team_series = read_team_table(team_path, buurten=polys)
    sources = (
        "Bron: CBS Kerncijfers wijken en buurten 2024 (85984NED); CBS Wijk- en buurtkaart "
        "2015 en 2024; RIVM/GGD'en Gezondheidsmonitor 2020 (50090NED); PDOK/CBS "
        "gebiedsindelingen 2022. CC BY 4.0.",
    )
    return Dataset("GM0392", "Haarlem", polys, (kwb, wtab, r18, r65, itab), team_series, sources)
