"""SYNTHETIC national-size buurt data in the schema of the CBS Wijk- en buurtkaart 2024.

There is no real national geometry in the repository (the real national figures, the RIVM
Gezondheidsmonitor in ``data/nl/``, have none), so national maps, loaders and benchmarks
that need polygons and kerncijfers run on data generated here. **Nothing here is a real
figure**: every row carries ``synthetisch = True``, names start with "Synthetische", the
gemeentecodes start at ``GM8001`` (no real municipality has such a code) and the
GeoPackage layers carry a description saying so.

Geometry: buurt points are drawn around gemeente centres inside a coarse outline of the
Netherlands in EPSG:28992 (with the IJsselmeer left out); one Voronoi tessellation of all
points, clipped to the outline, gives buurt polygons that share their borders exactly (a
valid coverage, so topology-preserving simplification works as on real CBS data).
Each buurt belongs to the gemeente whose centre is nearest; wijken group nearby buurten of
one gemeente (about 4.3 buurten per wijk, as in CBS's 2020 division).

Attributes: a latent deprivation score per buurt (higher in the larger, urban
municipalities) drives correlated kerncijfers with CBS-like marginal distributions
(percentages as whole numbers, counts rounded to 5 or 10, incomes and WOZ in x €1,000),
and buurten with fewer than 50 inhabitants get the CBS secrecy code ``-99997`` for their
percentages and benefit counts, as CBS does.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from shapely.geometry import MultiPolygon, Polygon

from geo import _paths
from geo._errors import ValidationError

__all__ = [
    "SYNTHETIC_NOTE",
    "synthetic_buurten",
    "write_synthetic_gpkg",
]

SYNTHETIC_NOTE = (
    "SYNTHETISCH: gegenereerde buurten, wijken en gemeenten in het kolomschema van de CBS "
    "Wijk- en buurtkaart 2024; geen echte cijfers of grenzen (wijkteam geo.synthetic)"
)
_GEHEIM = -99997
_ONBEKEND = -99995
_FIRST_GM = 8001

#: A coarse outline of the Netherlands (land, EPSG:28992, metres), clockwise from Cadzand.
_NL_OUTLINE = (
    (15000, 378000),
    (40000, 362000),
    (70000, 358000),
    (95000, 375000),
    (125000, 382000),
    (155000, 378000),
    (172000, 360000),
    (176000, 318000),
    (182000, 308000),
    (203000, 309000),
    (198000, 335000),
    (205000, 365000),
    (210000, 385000),
    (200000, 415000),
    (205000, 428000),
    (230000, 430000),
    (250000, 442000),
    (258000, 465000),
    (268000, 480000),
    (250000, 505000),
    (257000, 525000),
    (268000, 545000),
    (278000, 575000),
    (275000, 595000),
    (255000, 607000),
    (225000, 604000),
    (195000, 603000),
    (170000, 593000),
    (158000, 578000),
    (150000, 562000),
    (127000, 550000),
    (113000, 553000),
    (105000, 525000),
    (98000, 495000),
    (85000, 468000),
    (68000, 447000),
    (55000, 430000),
    (45000, 410000),
    (28000, 392000),
)
_IJSSELMEER = (
    (130000, 545000),
    (152000, 556000),
    (170000, 545000),
    (165000, 525000),
    (152000, 515000),
    (140000, 505000),
    (128000, 495000),
    (122000, 510000),
)
#: Attribute columns of the 2024 buurten layer generated with values (in schema order).
_GENERATED = (
    "bevolkingsdichtheidInwonersPerKm2",
    "aantalInwoners",
    "mannen",
    "vrouwen",
    "percentagePersonen0Tot15Jaar",
    "percentagePersonen15Tot25Jaar",
    "percentagePersonen25Tot45Jaar",
    "percentagePersonen45Tot65Jaar",
    "percentagePersonen65JaarEnOuder",
    "aantalHuishoudens",
    "percentageEenpersoonshuishoudens",
    "percentageHuishoudensZonderKinderen",
    "percentageHuishoudensMetKinderen",
    "gemiddeldeHuishoudsgrootte",
    "percentageMetHerkomstlandBuitenEuropa",
    "gemiddeldeWoningwaarde",
    "percentageKoopwoningen",
    "percentageHuurwoningen",
    "gemiddeldInkomenPerInwoner",
    "percentageHuishoudensOnderOfRondSociaalMinimum",
    "aantalPersonenMetEenAoUitkeringTotaal",
    "aantalPersonenMetEenWwUitkeringTotaal",
    "aantalPersonenMetEenAlgBijstandsuitkeringTot",
    "oppervlakteTotaalInHa",
    "oppervlakteLandInHa",
    "oppervlakteWaterInHa",
)
_COUNTS = (
    "aantalInwoners",
    "mannen",
    "vrouwen",
    "aantalHuishoudens",
    "aantalPersonenMetEenAoUitkeringTotaal",
    "aantalPersonenMetEenWwUitkeringTotaal",
    "aantalPersonenMetEenAlgBijstandsuitkeringTot",
    "oppervlakteTotaalInHa",
    "oppervlakteLandInHa",
    "oppervlakteWaterInHa",
)
_PER_HOUSEHOLD = (
    "percentageEenpersoonshuishoudens",
    "percentageHuishoudensZonderKinderen",
    "percentageHuishoudensMetKinderen",
    "gemiddeldeHuishoudsgrootte",
    "percentageKoopwoningen",
    "percentageHuurwoningen",
    "gemiddeldeWoningwaarde",
    "percentageHuishoudensOnderOfRondSociaalMinimum",
)


def _warp(coords: np.ndarray) -> np.ndarray:
    """Move every coordinate by a smooth displacement field (a few tens of metres).

    The field depends on the position only, so a vertex shared by two neighbours moves
    the same way for both and the coverage stays exact; its gradient stays well below 1,
    so no polygon folds over itself. It turns straight Voronoi edges into wiggly borders
    with many vertices, as real CBS borders have.
    """
    x, y = coords[:, 0], coords[:, 1]
    dx = 60.0 * np.sin(y / 310.0 + x / 870.0) + 18.0 * np.sin(y / 95.0 - x / 140.0)
    dy = 60.0 * np.cos(x / 330.0 - y / 790.0) + 18.0 * np.cos(x / 105.0 + y / 150.0)
    # rounding to whole centimetres merges the copies of a shared vertex that
    # segmentize placed a rounding error apart
    return np.round(np.column_stack([x + dx, y + dy]), 2)


def nl_outline(*, detail_m: float | None = 50.0) -> Polygon:
    """Return the coarse land outline of the Netherlands used by the generator.

    Parameters
    ----------
    detail_m
        Vertex spacing of the wiggly border (as in :func:`synthetic_buurten`); ``None``
        for the straight coarse outline.

    Returns
    -------
    shapely.Polygon
        EPSG:28992, with the IJsselmeer as a hole.
    """
    outline = Polygon(_NL_OUTLINE, holes=[_IJSSELMEER])
    if detail_m is None:
        return outline
    return shapely.transform(shapely.segmentize(outline, detail_m), _warp)


def _points_inside(
    rng: np.random.Generator, outline: Polygon, centre: np.ndarray, sigma: np.ndarray, n: int
) -> np.ndarray:
    """Draw ``n`` normal points around the given centres, keeping those inside the outline."""
    out: list[np.ndarray] = []
    have = 0
    shapely.prepare(outline)
    while have < n:
        idx = rng.integers(0, len(centre), size=2 * (n - have) + 16)
        pts = centre[idx] + rng.normal(size=(len(idx), 2)) * sigma[idx, None]
        ok = shapely.contains_xy(outline, pts[:, 0], pts[:, 1])
        out.append(pts[ok])
        have += int(ok.sum())
    return np.vstack(out)[:n]


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts = [g for g in shapely.get_parts(geom) if isinstance(g, Polygon) and not g.is_empty]
    return MultiPolygon(parts) if len(parts) > 1 else parts[0]


def _round_to(values: np.ndarray, step: int) -> np.ndarray:
    return (np.round(values / step) * step).astype(np.int64)


def _schema_columns() -> list[str]:
    """Return the attribute names of the real 2024 wijk layer (embedded Haarlem extract)."""
    info = pyogrio.read_info(_paths.HAARLEM_DIR / "haarlem_wijken_2024.geojson")
    skip = {"wijkcode", "wijknaam", "gemeentecode", "gemeentenaam", "jrstatcode", "jaar", "fuuid"}
    return [str(f) for f in info["fields"] if str(f) not in skip]


def synthetic_buurten(
    *,
    n_buurten: int = 14_000,
    n_gemeenten: int = 342,
    seed: int = 42,
    full_schema: bool = True,
    detail_m: float | None = 50.0,
) -> gpd.GeoDataFrame:
    """Generate a SYNTHETIC national buurt layer in the CBS Wijk- en buurtkaart 2024 schema.

    Parameters
    ----------
    n_buurten
        Number of buurten (CBS 2024: about 14,500).
    n_gemeenten
        Number of gemeenten (2024: 342); at most 1,998, at least 1.
    seed
        Random seed: the same arguments give the same data.
    full_schema
        Add every other attribute of the real 2024 layer (amenities, energy, …) filled
        with the CBS code ``-99995`` ("niet beschikbaar"), so the column set equals the
        real file's; ``False`` keeps only the generated columns.
    detail_m
        Borders get a vertex every ``detail_m`` metres and are bent by a smooth field of
        a few tens of metres, so maps have real-looking, vertex-rich borders to simplify
        (about 1 million vertices at national size); ``None`` keeps straight Voronoi
        edges.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per buurt, EPSG:28992, columns ``buurtcode``, ``buurtnaam``,
        ``wijkcode``, ``gemeentecode``, ``gemeentenaam``, ``water``, the 2024 camelCase
        kerncijfers (``aantalInwoners``, ``percentagePersonen65JaarEnOuder``, …),
        ``jrstatcode``, ``jaar``, ``synthetisch`` (always ``True``) and ``geometry``;
        ``attrs["bron"]`` is :data:`SYNTHETIC_NOTE`.

    Raises
    ------
    ValidationError
        For sizes that do not fit the CBS code layout.

    Examples
    --------
    >>> b = synthetic_buurten(n_buurten=300, n_gemeenten=10, full_schema=False)
    >>> len(b), bool(b["synthetisch"].all())
    (300, True)
    """
    problems = []
    if not 1 <= n_gemeenten <= 9999 - _FIRST_GM:
        problems.append(f"n_gemeenten={n_gemeenten}: kies 1 tot {9999 - _FIRST_GM}")
    if not 3 * max(n_gemeenten, 1) <= n_buurten <= 99 * 99 * max(n_gemeenten, 1):
        problems.append(f"n_buurten={n_buurten}: verwacht 3 tot 9.801 buurten per gemeente")
    if problems:
        raise ValidationError("synthetic_buurten: " + "; ".join(problems))
    rng = np.random.default_rng(seed)
    outline = nl_outline(detail_m=None)
    # gemeente centres and sizes: a few large cities, many small municipalities
    gm_xy = _points_inside(
        rng, outline, np.array([[155000.0, 460000.0]]), np.array([60000.0]), n_gemeenten
    )
    weight = rng.lognormal(mean=0.0, sigma=0.8, size=n_gemeenten)
    urban = np.clip((np.log(weight) + 1.6) / 3.2, 0.0, 1.0)  # 0 = rural, 1 = city
    share = weight / weight.sum()
    sigma = 2500.0 + 5000.0 * np.sqrt(share * n_gemeenten) * (1.0 - 0.5 * urban)
    # buurt points: sampled around centres in proportion to size, dense in cities
    gm_of_point = rng.choice(n_gemeenten, size=n_buurten, p=share)
    counts = np.bincount(gm_of_point, minlength=n_gemeenten)
    pts_parts = []
    for gi in np.flatnonzero(counts).tolist():
        pts_parts.append(
            _points_inside(rng, outline, gm_xy[[gi]], np.array([sigma[gi]]), int(counts[gi]))
        )
    pts = np.vstack(pts_parts)
    # ownership: nearest gemeente centre (scaled by size, so cities keep their buurten)
    scale = np.sqrt(share * n_gemeenten)
    gm_idx = np.empty(n_buurten, dtype=np.int64)
    for start in range(0, n_buurten, 2048):
        block = pts[start : start + 2048]
        d = np.hypot(block[:, None, 0] - gm_xy[None, :, 0], block[:, None, 1] - gm_xy[None, :, 1])
        gm_idx[start : start + 2048] = np.argmin(d / scale[None, :], axis=1)
    # every gemeente keeps at least 3 buurten: steal the nearest points of others
    for g in range(n_gemeenten):
        have = np.flatnonzero(gm_idx == g)
        if len(have) >= 3:
            continue
        sizes = np.bincount(gm_idx, minlength=n_gemeenten)
        cand = np.flatnonzero(sizes[gm_idx] > 3)
        near = cand[np.argsort(np.hypot(*(pts[cand] - gm_xy[g]).T))][: 3 - len(have)]
        gm_idx[near] = g
    # one Voronoi tessellation of all points, clipped to the outline: a valid coverage
    cells = shapely.voronoi_polygons(
        shapely.multipoints(pts), extend_to=shapely.box(*outline.bounds).buffer(20000), ordered=True
    )
    geoms = shapely.intersection(np.asarray(shapely.get_parts(cells)), outline)
    geoms = np.array([_polygonal(g) for g in geoms], dtype=object)
    if detail_m is not None:
        geoms = shapely.transform(shapely.segmentize(geoms, detail_m), _warp)
    # wijken: nearest of a few seed buurten within the gemeente
    wijk_idx = np.zeros(n_buurten, dtype=np.int64)
    order_in_wijk = np.zeros(n_buurten, dtype=np.int64)
    for g in range(n_gemeenten):
        members = np.flatnonzero(gm_idx == g)
        n_w = int(np.clip(round(len(members) / 4.35), 1, 99))
        n_w = max(n_w, -(-len(members) // 99))
        seeds = pts[rng.choice(members, size=n_w, replace=False)]
        d = np.hypot(
            pts[members, None, 0] - seeds[None, :, 0], pts[members, None, 1] - seeds[None, :, 1]
        )
        w = np.argmin(d, axis=1)
        # renumber wijken by distance to the gemeente centre, so wijk 00 is the centre
        dist_seed = np.hypot(*(seeds - gm_xy[g]).T)
        rank = np.empty(n_w, dtype=np.int64)
        rank[np.argsort(dist_seed)] = np.arange(n_w)
        w = rank[w]
        # overfull wijken (> 99 buurten) spill over into the smallest wijk
        sizes = np.bincount(w, minlength=n_w)
        while sizes.max() > 99:
            big, small = int(sizes.argmax()), int(sizes.argmin())
            move = np.flatnonzero(w == big)[99:]
            w[move[: 99 - sizes[small]]] = small
            sizes = np.bincount(w, minlength=n_w)
        wijk_idx[members] = w
        for ww in range(n_w):
            inside = members[w == ww]
            dist = np.hypot(*(pts[inside] - gm_xy[g]).T)
            order_in_wijk[inside[np.argsort(dist)]] = np.arange(len(inside))
    gm_codes = np.array([f"{_FIRST_GM + g:04d}" for g in range(n_gemeenten)])
    gnum = gm_codes[gm_idx]
    buurtcode = [
        f"BU{gg}{w:02d}{b:02d}" for gg, w, b in zip(gnum, wijk_idx, order_in_wijk, strict=True)
    ]
    frame = pd.DataFrame(
        {
            "buurtcode": buurtcode,
            "buurtnaam": [f"Synthetische buurt {c[2:]}" for c in buurtcode],
            "wijkcode": [c[:8].replace("BU", "WK") for c in buurtcode],
            "gemeentecode": ["GM" + gg for gg in gnum],
            "gemeentenaam": [f"Synthetische gemeente {gg}" for gg in gnum],
            "indelingswijzigingWijkenEnBuurten": 1,
            "water": "NEE",
        }
    )
    dist_centre = np.hypot(*(pts - gm_xy[gm_idx]).T) / sigma[gm_idx]
    attrs = _attributes(rng, geoms, urban[gm_idx], dist_centre)
    frame = pd.concat([frame, attrs], axis=1)
    if full_schema:
        schema = [c for c in _schema_columns() if c not in frame.columns[:7]]
        blank = pd.DataFrame(
            _ONBEKEND, index=frame.index, columns=[c for c in schema if c not in frame.columns]
        )
        frame = pd.concat([frame, blank], axis=1)
        frame = frame[list(frame.columns[:7]) + schema]
    tail = pd.DataFrame(
        {"jrstatcode": ["2024" + c for c in buurtcode], "jaar": 2024, "synthetisch": True},
        index=frame.index,
    )
    frame = pd.concat([frame, tail], axis=1)
    gdf = gpd.GeoDataFrame(frame, geometry=list(geoms), crs="EPSG:28992")
    gdf = gdf.sort_values("buurtcode", kind="stable").reset_index(drop=True)
    gdf.attrs["bron"] = SYNTHETIC_NOTE
    return gdf


def _attributes(
    rng: np.random.Generator, geoms: np.ndarray, urban: np.ndarray, dist_centre: np.ndarray
) -> pd.DataFrame:
    """Return correlated CBS-like kerncijfers for the buurten."""
    n = len(geoms)
    centrality = np.exp(-dist_centre)  # 1 at the centre, → 0 at the edge
    city = np.clip(urban * (0.4 + 0.6 * centrality), 0.0, 1.0)
    depriv = rng.normal(size=n) + 1.2 * city - 0.4
    area_ha = shapely.area(geoms) / 10_000.0
    water_share = np.clip(rng.beta(0.6, 8.0, n), 0.0, 0.9)
    land_ha = area_ha * (1.0 - water_share)
    # inhabitants: log-normal, denser in cities; some business/rural areas nearly empty
    inw = rng.lognormal(mean=6.35 + 0.9 * city, sigma=0.85, size=n)
    empty = rng.random(n) < 0.05
    inw[empty] = rng.integers(0, 50, int(empty.sum()))
    inwoners = _round_to(inw, 5)
    mannen = _round_to(inwoners * rng.normal(0.497, 0.012, n), 5)
    mannen = np.minimum(mannen, inwoners)
    old = np.clip(21.0 - 6.0 * city + 3.0 * rng.normal(size=n) - 1.5 * depriv, 3, 60)
    young = np.clip(16.0 - 2.0 * city + 2.5 * rng.normal(size=n) + 0.8 * depriv, 2, 35)
    y15_25 = np.clip(11.0 + 5.0 * city + 2.0 * rng.normal(size=n), 3, 60)
    y25_45 = np.clip(24.0 + 8.0 * city + 3.0 * rng.normal(size=n), 5, 60)
    rest = np.clip(100.0 - old - young - y15_25 - y25_45, 5, 60)
    ages = np.vstack([young, y15_25, y25_45, rest, old]).T
    ages = np.round(100.0 * ages / ages.sum(axis=1, keepdims=True))
    hh_size = np.clip(2.25 - 0.45 * city + 0.15 * rng.normal(size=n), 1.2, 3.4)
    huishoudens = _round_to(inwoners / hh_size, 5)
    eenp = np.clip(33.0 + 25.0 * city + 4.0 * depriv + 4.0 * rng.normal(size=n), 5, 90)
    kind = np.clip(34.0 - 12.0 * city + 3.0 * rng.normal(size=n), 3, 70)
    kind = np.minimum(kind, 100.0 - eenp)
    zonder = 100.0 - eenp - kind
    koop = np.clip(62.0 - 14.0 * depriv - 15.0 * city + 8.0 * rng.normal(size=n), 0, 100)
    woz = np.clip(380.0 * np.exp(-0.22 * depriv + 0.15 * rng.normal(size=n)), 90, 2500)
    inkomen = np.clip(34.0 * np.exp(-0.16 * depriv + 0.10 * rng.normal(size=n)), 14, 120)
    socmin = np.clip(6.0 * np.exp(0.55 * depriv + 0.2 * rng.normal(size=n)), 0, 60)
    herkomst = np.clip(9.0 * np.exp(0.6 * depriv + 0.6 * city + 0.3 * rng.normal(size=n)), 0, 95)
    bijstand = _round_to(inwoners * 0.022 * np.exp(0.7 * depriv), 10)
    ao = _round_to(inwoners * 0.055 * np.exp(0.25 * depriv), 10)
    ww = _round_to(inwoners * 0.012 * np.exp(0.2 * depriv), 10)
    out = pd.DataFrame(
        {
            "bevolkingsdichtheidInwonersPerKm2": np.round(
                inwoners / np.maximum(land_ha / 100.0, 0.01)
            ).astype(np.int64),
            "aantalInwoners": inwoners,
            "mannen": mannen,
            "vrouwen": inwoners - mannen,
            "percentagePersonen0Tot15Jaar": ages[:, 0],
            "percentagePersonen15Tot25Jaar": ages[:, 1],
            "percentagePersonen25Tot45Jaar": ages[:, 2],
            "percentagePersonen45Tot65Jaar": ages[:, 3],
            "percentagePersonen65JaarEnOuder": ages[:, 4],
            "aantalHuishoudens": huishoudens,
            "percentageEenpersoonshuishoudens": np.round(eenp),
            "percentageHuishoudensZonderKinderen": np.round(zonder),
            "percentageHuishoudensMetKinderen": np.round(kind),
            "gemiddeldeHuishoudsgrootte": np.round(hh_size, 1),
            "percentageMetHerkomstlandBuitenEuropa": np.round(herkomst),
            "gemiddeldeWoningwaarde": np.round(woz),
            "percentageKoopwoningen": np.round(koop),
            "percentageHuurwoningen": 100.0 - np.round(koop),
            "gemiddeldInkomenPerInwoner": np.round(inkomen, 1),
            "percentageHuishoudensOnderOfRondSociaalMinimum": np.round(socmin),
            "aantalPersonenMetEenAoUitkeringTotaal": ao,
            "aantalPersonenMetEenWwUitkeringTotaal": ww,
            "aantalPersonenMetEenAlgBijstandsuitkeringTot": bijstand,
            "oppervlakteTotaalInHa": np.round(area_ha).astype(np.int64),
            "oppervlakteLandInHa": np.round(land_ha).astype(np.int64),
            "oppervlakteWaterInHa": np.round(area_ha - land_ha).astype(np.int64),
        }
    )
    # CBS secrecy: small buurten publish no percentages, averages or benefit counts
    small = inwoners < 50
    secret = [c for c in out.columns if c not in _COUNTS or c.startswith("aantalPersonen")]
    secret = [c for c in secret if c != "bevolkingsdichtheidInwonersPerKm2"]
    for col in secret:
        out[col] = out[col].astype(float)
        out.loc[small, col] = _GEHEIM
    # income is not available for about one buurt in ten
    out.loc[rng.random(n) < 0.1, "gemiddeldInkomenPerInwoner"] = _ONBEKEND
    return out


def _aggregate_level(buurten: gpd.GeoDataFrame, by: str, names: dict[str, str]) -> gpd.GeoDataFrame:
    """Dissolve buurten into wijken or gemeenten with summed counts and weighted rates."""
    numeric = [c for c in _GENERATED if c in buurten.columns]
    vals = pd.DataFrame(buurten[numeric]).astype(float)
    vals = vals.where(vals >= 0)
    keys = buurten[by]
    out = vals[[c for c in _COUNTS if c in vals]].groupby(keys).sum()
    for col in numeric:
        if col in _COUNTS:
            continue
        base = "aantalHuishoudens" if col in _PER_HOUSEHOLD else "aantalInwoners"
        w = vals[base].where(vals[col].notna())
        num = (vals[col] * w).groupby(keys).sum(min_count=1)
        den = w.groupby(keys).sum(min_count=1)
        out[col] = (num / den.where(den > 0)).round(0 if col.startswith("percentage") else 1)
    area = out["oppervlakteLandInHa"] / 100.0
    out["bevolkingsdichtheidInwonersPerKm2"] = (
        out["aantalInwoners"] / area.where(area > 0)
    ).round()
    out = out.fillna(_ONBEKEND)
    geom = buurten[[by, buurten.geometry.name]].dissolve(by=by, method="coverage")
    gdf = gpd.GeoDataFrame(out, geometry=geom.geometry.reindex(out.index), crs=buurten.crs)
    gdf = gdf.reset_index()
    first = buurten.groupby(by)[["gemeentecode", "gemeentenaam"]].first()
    gdf.insert(1, "gemeentenaam", first["gemeentenaam"].reindex(gdf[by]).to_numpy())
    if by == "wijkcode":
        gdf.insert(1, "wijknaam", [names.get(c, f"Synthetische wijk {c[2:]}") for c in gdf[by]])
        gdf.insert(2, "gemeentecode", first["gemeentecode"].reindex(gdf[by]).to_numpy())
    gdf["water"] = "NEE"
    gdf["jaar"] = 2024
    gdf["synthetisch"] = True
    return gdf


def write_synthetic_gpkg(
    path: str | Path,
    *,
    buurten: gpd.GeoDataFrame | None = None,
    n_buurten: int = 14_000,
    n_gemeenten: int = 342,
    seed: int = 42,
) -> Path:
    """Write SYNTHETIC buurten as a GeoPackage laid out like CBS's ``wijkenbuurten_2024``.

    Layers ``gemeenten``, ``wijken`` and ``buurten`` (EPSG:28992), each with the
    description :data:`SYNTHETIC_NOTE`, so :func:`geo.read_cbs_gpkg` and
    :func:`geo.load_dataset` read it as they read the real national file.

    Parameters
    ----------
    path
        Target ``.gpkg`` (overwritten).
    buurten
        From :func:`synthetic_buurten`; generated with the other arguments when omitted.
    n_buurten, n_gemeenten, seed
        Passed to :func:`synthetic_buurten`.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    ValidationError
        If ``buurten`` is not synthetic data from this module.
    """
    path = Path(path)
    if buurten is None:
        buurten = synthetic_buurten(n_buurten=n_buurten, n_gemeenten=n_gemeenten, seed=seed)
    elif "synthetisch" not in buurten.columns or not bool(buurten["synthetisch"].all()):
        raise ValidationError(
            "write_synthetic_gpkg: kolom synthetisch ontbreekt of is niet overal True; "
            "schrijf alleen gegenereerde data als synthetische GeoPackage"
        )
    wijken = _aggregate_level(buurten, "wijkcode", {})
    gemeenten = _aggregate_level(buurten, "gemeentecode", {})
    if path.exists():
        path.unlink()
    meta = {"DESCRIPTION": SYNTHETIC_NOTE}
    for name, layer in (("gemeenten", gemeenten), ("wijken", wijken), ("buurten", buurten)):
        pyogrio.write_dataframe(
            layer,
            path,
            layer=name,
            driver="GPKG",
            promote_to_multi=True,
            append=path.exists(),
            layer_metadata=meta,
        )
    return path
