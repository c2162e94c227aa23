"""Areal-weighted interpolation between two buurt divisions.

Haarlem's 2015 buurten (40) and the 2016+ buurten (111) reuse codes with other meanings,
so figures can never move between them by a code join. Areal weighting assumes a count is
spread evenly over the land of its source buurt: a target buurt receives, from each source
buurt it overlaps, the share of the count that equals the share of the source's area. The
result is an estimate and is flagged as such by the callers.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd

from geo._errors import ValidationError

__all__ = ["areal_interpolate"]


def areal_interpolate(
    source: gpd.GeoDataFrame, target: gpd.GeoDataFrame, *, extensive: Sequence[str]
) -> pd.DataFrame:
    r"""Move extensive variables (counts) from ``source`` polygons onto ``target`` polygons.

    .. math:: \\hat y_t = \\sum_s y_s \\, \\frac{|s \\cap t|}{|s|}

    Parameters
    ----------
    source
        Polygons with the count columns; any projected CRS (both are put in EPSG:28992).
    target
        Polygons that receive the estimates.
    extensive
        Names of count columns in ``source``.

    Returns
    -------
    pandas.DataFrame
        Index of ``target``; one column per variable. A target with no overlap gets 0 for a
        source count that is known and NaN where the overlapping source value is missing.

    Raises
    ------
    ValidationError
        If a column is missing or a layer has no CRS.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> src = gpd.GeoDataFrame({"n": [100.0]}, geometry=[box(0, 0, 2, 1)], crs=28992)
    >>> tgt = gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=28992)
    >>> areal_interpolate(src, tgt, extensive=["n"])["n"].tolist()
    [50.0, 50.0]
    """
    missing = [c for c in extensive if c not in source.columns]
    if missing:
        raise ValidationError(f"areal_interpolate: kolom {missing[0]!r} ontbreekt in de bron")
    if source.crs is None or target.crs is None:
        raise ValidationError("areal_interpolate: bron en doel hebben een CRS nodig")
    src = source[[*list(extensive), source.geometry.name]].to_crs(28992).copy()
    src["_src_area"] = src.geometry.area
    src["_src_id"] = range(len(src))
    tgt = gpd.GeoDataFrame(geometry=target.geometry.to_crs(28992).to_numpy(), crs=28992)
    tgt["_tgt_id"] = range(len(tgt))
    pieces = gpd.overlay(src, tgt, how="intersection", keep_geom_type=True)
    share = pieces.geometry.area / pieces["_src_area"]
    out = pd.DataFrame(index=range(len(tgt)))
    for col in extensive:
        part = (pieces[col] * share).groupby(pieces["_tgt_id"]).sum(min_count=1)
        out[col] = part.reindex(out.index)
    out.index = target.index
    return out
