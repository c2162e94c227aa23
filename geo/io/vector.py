"""Buurt polygons from any vector file: GeoJSON, GeoPackage, shapefile.

Codes and names are normalised, the CRS is checked and converted to EPSG:28992 (a file
without CRS, or whose coordinates fall outside the Netherlands, is refused), invalid
geometries are repaired with a warning, features that are not polygons (points, lines in
the CBS 2015 maps) are reported and left out, and GeoPackages are inspected first so a
view over an endless query cannot hang the read.
"""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from shapely.validation import make_valid

from geo._errors import ValidationError
from geo.io._tables import CODE_RE, RD_NEW, clean_code, refuse_odd_codes
from geo.io._text import check_file

__all__ = ["check_geometries", "check_sqlite", "normalise_buurten", "read_polygons", "read_vector"]

#: SQLite virtual-machine steps (in thousands) allowed while inspecting a GeoPackage.
_SQL_STEP_BUDGET = 20_000


def check_geometries(gdf: gpd.GeoDataFrame, *, where: str) -> gpd.GeoDataFrame:
    """Check CRS and geometry types, convert to EPSG:28992 and repair invalid polygons.

    Parameters
    ----------
    gdf
        Features indexed by buurtcode.
    where
        File name for messages.

    Returns
    -------
    geopandas.GeoDataFrame
        Polygons in EPSG:28992 (non-polygon features left out with a warning).

    Raises
    ------
    ValidationError
        For a missing CRS, empty geometry, only non-polygon features, coordinates outside
        the Netherlands or geometry that cannot be repaired.
    """
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
    if wrong.all():
        code = gdf.index[wrong][0]
        raise ValidationError(
            f"{where}: geometrie van {code} is een {kinds[wrong].iloc[0]}, verwacht een vlak "
            "(Polygon/MultiPolygon); het bestand bevat geen buurtvlakken"
        )
    if wrong.any():
        listed = [f"{c} ({k})" for c, k in zip(gdf.index[wrong], kinds[wrong], strict=True)]
        warnings.warn(
            f"{where}: {int(wrong.sum())} buurt(en) zonder vlak weggelaten: geometrie van "
            f"{', '.join(listed[:5])}{' …' if len(listed) > 5 else ''} is een "
            f"{kinds[wrong].iloc[0]}, verwacht een vlak (Polygon/MultiPolygon)",
            UserWarning,
            stacklevel=3,
        )
        gdf = gdf[~wrong]
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


def check_sqlite(path: Path) -> None:
    """Refuse a GeoPackage (SQLite) that could make a read hang or is not a plain file.

    Views are refused outright (CBS GeoPackages have none; a view can hide an endless
    recursive query), and the inspection itself runs under a step budget, so it cannot hang.

    Parameters
    ----------
    path
        The file; files that are not SQLite are left alone.

    Raises
    ------
    ValidationError
        For a view, an unreadable database, or an inspection over budget.
    """
    with path.open("rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            return
    steps = {"n": 0}

    def budget() -> int:
        steps["n"] += 1
        return 1 if steps["n"] > _SQL_STEP_BUDGET else 0

    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise ValidationError(f"{path}: geen geldige GeoPackage ({exc})") from None
    try:
        con.set_progress_handler(budget, 1000)
        views = [
            str(r[0]) for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'view'")
        ]
    except sqlite3.Error as exc:
        raise ValidationError(
            f"{path}: geen geldige GeoPackage ({exc}); beschadigd of afgebroken bestand?"
        ) from None
    finally:
        con.close()
    if views:
        raise ValidationError(
            f"{path}: GeoPackage bevat een view ({views[0]}); alleen gewone kaartlagen "
            "(tabellen) worden gelezen"
        )


def read_vector(
    path: Path, *, layer: str | None = None, where: str | None = None
) -> gpd.GeoDataFrame:
    """Read one vector layer, with the safety checks of :func:`check_sqlite`.

    Parameters
    ----------
    path
        GeoJSON, GeoPackage or shapefile.
    layer
        Layer name; default the first.
    where
        OGR SQL filter.

    Returns
    -------
    geopandas.GeoDataFrame
        The features.

    Raises
    ------
    ValidationError
        For an unreadable file or a layer without geometry.
    """
    check_file(path)
    check_sqlite(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            frame = pyogrio.read_dataframe(path, layer=layer, where=where)
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
    if not isinstance(frame, gpd.GeoDataFrame):
        raise ValidationError(
            f"{path}: {'laag ' + layer + ' ' if layer else ''}heeft geen geometrie (geen "
            "kaartlaag met buurtvlakken); een tabel zonder vlakken hoort bij --indicatoren"
        )
    return frame


def read_polygons(path: str | Path, *, gemeente: str | None = None) -> gpd.GeoDataFrame:
    """Read buurt polygons (GeoJSON or GeoPackage) with their code and name.

    Parameters
    ----------
    path
        A file with a buurt code column (``buurtcode``, ``statcode``, ``BU_CODE``) and
        optionally a name column (``buurtnaam``, ``statnaam``, ``BU_NAAM``).
    gemeente
        Keep only this municipality's buurten (before their geometry is checked).

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
    gdf = read_vector(path)
    return normalise_buurten(gdf, where=str(path), gemeente=gemeente)


def normalise_buurten(
    gdf: gpd.GeoDataFrame, *, where: str, gemeente: str | None = None
) -> gpd.GeoDataFrame:
    """Buurt polygons with canonical columns, checked and in EPSG:28992.

    Parameters
    ----------
    gdf
        Raw features with a buurt code column.
    where
        File name for messages.
    gemeente
        Keep only this municipality's buurten first.

    Returns
    -------
    geopandas.GeoDataFrame
        See :func:`read_polygons`.

    Raises
    ------
    ValidationError
        See :func:`read_polygons`.
    """
    cols = set(gdf.columns)
    code_col = next(
        (c for c in ("buurtcode", "statcode", "BU_CODE", "CBS_CODE") if c in cols), None
    )
    if code_col is None:
        raise ValidationError(f"{where}: geen kolom met de buurtcode (buurtcode/statcode/BU_CODE)")
    name_col = next((c for c in ("buurtnaam", "statnaam", "BU_NAAM") if c in cols), None)
    refuse_odd_codes(gdf[code_col], where=where, column=code_col)
    codes = clean_code(gdf[code_col])
    if gemeente is not None:
        mine = codes.fillna("").str[2:6].eq(gemeente[2:]).to_numpy()
        if not mine.any():
            raise ValidationError(f"{where}: gemeentecode {gemeente} komt niet voor")
        gdf, codes = gdf[mine].reset_index(drop=True), codes[mine].reset_index(drop=True)
    bad = ~codes.fillna("").str.match(CODE_RE["buurt"])
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
        clean_code(gdf[wijk_col]).to_numpy() if wijk_col else ["WK" + c[2:8] for c in out.index]
    )
    wnaam = next((c for c in ("wijknaam", "WK_NAAM") if c in cols), None)
    wnames = gdf[wnaam].astype("string").to_numpy() if wnaam else out["wijkcode"].to_numpy()
    out["wijknaam"] = pd.Series(wnames, index=out.index).fillna(out["wijkcode"]).astype(object)
    out["buurtnaam"] = out["buurtnaam"].where(out["buurtnaam"] != "", out.index.to_series())
    out = out[["buurtnaam", "wijkcode", "wijknaam", "geometry"]]
    return check_geometries(out, where=where)
