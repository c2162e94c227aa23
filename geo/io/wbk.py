"""CBS *Wijk- en buurtkaart* files: buurt polygons with their attributes, any edition.

Reads the national GeoPackage (``wijkenbuurten_YYYY_v*.gpkg``: layers ``gemeenten``,
``wijken``, ``buurten``), extracts with another buurt layer name (``CBS_Buurten``,
``buurt_2015``) and the same maps as GeoJSON or shapefile. The attribute edition is
recognised from the columns: 2015 upper case (``BU_CODE``, ``AANT_INW``, ``WWB_UITTOT``),
2021 snake_case, 2024 camelCase. One municipality is taken, filtered while reading (the
national file is never loaded whole); water-only parts (``water = 'JA'``) are left out;
EPSG:4326 files are reprojected; non-polygon features are reported and left out.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo._errors import ValidationError
from geo.io._tables import (
    CODE_RE,
    IndicatorTable,
    clean_code,
    detect_schema,
    label_wijken,
    to_canonical,
)
from geo.io._text import check_file
from geo.io.vector import check_sqlite, normalise_buurten, read_vector

__all__ = ["has_wbk_attributes", "list_gemeenten", "read_cbs_gpkg"]

_GM_COLUMNS = ("gemeentecode", "GM_CODE")
_WBK_SCHEMAS = ("kwb2024", "kwb2021", "kwb2015")


def _layers(path: Path) -> list[str]:
    check_file(path)
    check_sqlite(path)
    try:
        return [str(name) for name, _ in pyogrio.list_layers(path)]
    except pyogrio.errors.DataSourceError:
        raise ValidationError(f"{path}: geen geldige GeoPackage of GeoJSON") from None


def _buurt_layer(path: Path, layers: list[str], layer: str | None) -> str:
    if layer is not None:
        if layer not in layers:
            raise ValidationError(
                f"{path}: laag {layer!r} bestaat niet (lagen: {', '.join(layers)})"
            )
        return layer
    cands = [x for x in layers if x.lower() == "buurten"] or [
        x for x in layers if "buurt" in x.lower()
    ]
    if (
        not cands
        and len(layers) == 1
        and not any(level in layers[0].lower() for level in ("gemeente", "wijk"))
    ):
        cands = layers
    if not cands:
        raise ValidationError(
            f"{path}: geen buurtenlaag gevonden (lagen: {', '.join(layers) or 'geen'})"
        )
    return cands[0]


def has_wbk_attributes(path: str | Path) -> bool:
    """Whether a vector file's buurt layer carries Wijk- en buurtkaart attributes.

    Parameters
    ----------
    path
        GeoJSON, GeoPackage or shapefile.

    Returns
    -------
    bool
        True when a gemeentecode column and catalogue attributes are present.
    """
    path = Path(path)
    try:
        layers = _layers(path)
        layer = _buurt_layer(path, layers, None)
    except ValidationError:
        return False
    fields = [str(f) for f in pyogrio.read_info(path, layer=layer)["fields"]]
    if not any(c in fields for c in _GM_COLUMNS):
        return False
    return detect_schema(fields) in _WBK_SCHEMAS


def list_gemeenten(path: str | Path, *, layer: str | None = None) -> pd.Series:
    """Return the gemeentecodes in a Wijk- en buurtkaart file with their number of buurten.

    Parameters
    ----------
    path
        The file.
    layer
        Buurt layer; default as in :func:`read_cbs_gpkg`.

    Returns
    -------
    pandas.Series
        Gemeentecode → number of buurten, largest first.
    """
    path = Path(path)
    layer = _buurt_layer(path, _layers(path), layer)
    fields = [str(f) for f in pyogrio.read_info(path, layer=layer)["fields"]]
    gm_col = next((c for c in _GM_COLUMNS if c in fields), None)
    if gm_col is None:
        return pd.Series(dtype=int)
    codes = pyogrio.read_dataframe(path, layer=layer, columns=[gm_col], read_geometry=False)
    return clean_code(codes[gm_col]).value_counts()


def read_cbs_gpkg(
    path: str | Path, *, gemeente: str, layer: str | None = None
) -> tuple[gpd.GeoDataFrame, IndicatorTable]:
    """Read one municipality from a CBS *Wijk- en buurtkaart* file (GeoPackage or GeoJSON).

    Parameters
    ----------
    path
        The GeoPackage (or GeoJSON/shapefile with the same attributes).
    gemeente
        Gemeentecode ``GMxxxx``.
    layer
        Buurt layer name; default: ``buurten``, the one layer whose name contains "buurt",
        or the only layer.

    Returns
    -------
    buurten : geopandas.GeoDataFrame
        Polygons as from :func:`geo.read_polygons`.
    table : IndicatorTable
        Buurt (and, when the file has a ``wijken`` layer, wijk) indicators.

    Raises
    ------
    ValidationError
        If the file, the buurt layer or the gemeentecode is missing.
    """
    path = Path(path)
    if not CODE_RE["gemeente"].match(gemeente or ""):
        raise ValidationError(f"--gemeente {gemeente!r}: verwacht een gemeentecode als GM0392")
    layers = _layers(path)
    layer = _buurt_layer(path, layers, layer)
    fields = [str(f) for f in pyogrio.read_info(path, layer=layer)["fields"]]
    gm_col = next((c for c in _GM_COLUMNS if c in fields), None)
    if gm_col is None:
        raise ValidationError(f"{path}: laag {layer} heeft geen kolom gemeentecode")
    gdf = read_vector(path, layer=layer, where=f"{gm_col} = '{gemeente}'")
    if gdf.empty:
        # some files pad codes with spaces; filter after reading
        gdf = read_vector(path, layer=layer)
        gdf = gdf[clean_code(gdf[gm_col]).eq(gemeente).to_numpy()]
    if "water" in gdf.columns:
        gdf = gdf[gdf["water"].astype("string").str.upper() != "JA"]
    if gdf.empty:
        raise ValidationError(f"{path}: gemeentecode {gemeente} komt niet voor in laag {layer}")
    gdf = gdf.reset_index(drop=True)
    where = f"{path.name} (laag {layer})"
    buurten = normalise_buurten(gdf, where=where)
    schema = detect_schema(gdf.columns) or "kwb2024"
    attrs = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    code_col = next(c for c in ("buurtcode", "statcode", "BU_CODE", "CBS_CODE") if c in attrs)
    attrs.index = pd.Index(clean_code(attrs[code_col]).to_numpy(), name="code")
    attrs = attrs.reindex(buurten.index)
    canon = to_canonical(attrs, schema, where=where)
    wijk = pd.DataFrame()
    wijk_layers = [x for x in layers if x.lower() == "wijken"]
    if wijk_layers:
        wgdf = read_vector(path, layer=wijk_layers[0], where=f"{gm_col} = '{gemeente}'")
        if "water" in wgdf.columns:
            wgdf = wgdf[wgdf["water"].astype("string").str.upper() != "JA"]
        if not wgdf.empty and "wijkcode" in wgdf.columns:
            wattrs = pd.DataFrame(wgdf.drop(columns=wgdf.geometry.name))
            wattrs.index = pd.Index(clean_code(wattrs["wijkcode"]).to_numpy(), name="code")
            wijk = to_canonical(wattrs, detect_schema(wattrs.columns) or schema, where=path.name)
    name = f"CBS Wijk- en buurtkaart ({schema}, {path.name})"
    table = IndicatorTable(
        name, canon, wijk, pd.DataFrame(), names=buurten["buurtnaam"].astype(object)
    )
    gmname_col = next((c for c in ("gemeentenaam", "GM_NAAM") if c in gdf.columns), None)
    gmnaam = str(gdf[gmname_col].iloc[0]).strip() if gmname_col else None
    buurten = label_wijken(buurten, gmnaam)
    buurten.attrs["gemeentenaam"] = gmnaam or gemeente
    return buurten, table
