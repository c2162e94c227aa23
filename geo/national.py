r"""National scale: all 13,808 buurten of the RIVM Gezondheidsmonitor 2020 at once.

The embedded national file (``data/nl/``, CBS table 50090NED, indeling 2020) holds the
RIVM/GGD'en small-area estimates for every buurt, wijk and gemeente of the Netherlands,
for adults (18+) and for 65-plussers. It has **no geometry and no population counts**.

* :func:`load_national` reads both age groups into one buurt × indicator table keyed by
  the buurtcode, with the gemeente and wijk of every buurt (``BUggggwwbb`` →
  ``GMgggg``, ``WKggggww``).
* :func:`national_typology` clusters all buurten at once with a method that scales:
  :func:`geo.fit_typology` switches to MiniBatchKMeans above 3,000 rows and scores the
  silhouette on a 2,000-point sample; Ward is never used at this size. The indicators are
  standardised nationally (a type says how a buurt differs from the Netherlands) or per
  gemeente (how it differs from the rest of its own municipality).
* :func:`national_team_need` estimates, per gemeente and per wijk (the national files
  have no team tables, so each wijk is a team), the number of residents each need theme
  concerns, as :meth:`geo.Profiles.team_need` does for one municipality:

  .. math:: N_{gt} = \frac{\sum_i w_{ti}\, \bar r_{gi}\, B_{gi} / 100}{\sum_i w_{ti}}

  with :math:`\bar r_{gi}` the base-weighted mean rate of indicator :math:`i` over the
  buurten of team :math:`g` and :math:`B_{gi}` the summed base population of the rate
  (volwassenen for 18+ rates, 65-plussers for 65+ rates).
* :func:`national_areas` dissolves buurten into gemeente or wijk polygons and simplifies
  them topology-preserving (shared borders stay shared), for national web maps.

Long steps report through an optional ``progress(done, total, text)`` callback.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import _paths
from geo._errors import ValidationError
from geo.catalogue import indicator
from geo.load import clean_numeric, read_rivm_csv
from geo.profiles import Theme, load_themes
from geo.typology import Typology, fit_typology

__all__ = [
    "NATIONAL_SOURCE",
    "ProgressFn",
    "load_national",
    "national_areas",
    "national_team_need",
    "national_typology",
]

#: ``progress(done, total, text)``: called after each step of a long computation.
ProgressFn = Callable[[int, int, str], None]

NATIONAL_SOURCE = (
    "Bron: RIVM/GGD'en/CBS, Gezondheidsmonitor volwassenen en ouderen 2020 (50090NED, "
    "indeling 2020), CC BY 4.0"
)
_BUURT_RE = re.compile(r"^BU\d{8}$")

#: Approximate Dutch population on 1 January 2020 (CBS StatLine 37296ned), used only for
#: the documented fallback base when no population per buurt is given.
NL_INWONERS_2020 = 17_407_585
NL_AANDEEL_18PLUS = 0.804
NL_AANDEEL_65PLUS = 0.192
NL_BUURTEN_2020 = 13_808


def _report(progress: ProgressFn | None, done: int, total: int, text: str) -> None:
    if progress is not None:
        progress(done, total, text)


def load_national(
    *,
    path_18plus: str | Path | None = None,
    path_65plus: str | Path | None = None,
    progress: ProgressFn | None = None,
) -> pd.DataFrame:
    """Load the RIVM Gezondheidsmonitor 2020 for every buurt of the Netherlands.

    Parameters
    ----------
    path_18plus, path_65plus
        The CBS 50090NED exports for 18+ and 65+; default: the embedded national files
        ``data/nl/rivm_50090NED_2020_18plus.csv.gz`` and ``..._65plus.csv.gz``.
    progress
        Optional ``progress(done, total, text)`` callback.

    Returns
    -------
    pandas.DataFrame
        Index ``buurtcode`` (str, unique); columns ``gemeentecode``, ``gemeentenaam``,
        ``wijkcode`` and one float column per RIVM indicator of the catalogue (18+ rates
        such as ``moeite_rondkomen`` and the 65+ rates ``eenzaam_65plus``,
        ``ernstig_beperkt_65plus``), in percent; suppressed values (``.``) are NaN.
        ``attrs["bron"]`` holds the attribution line.

    Raises
    ------
    ValidationError
        For a missing or unreadable file, or a code that is not a buurtcode.

    Examples
    --------
    >>> frame = load_national()
    >>> len(frame), frame.index[0]
    (13808, 'BU16800000')
    """
    p18 = Path(path_18plus) if path_18plus is not None else _paths.NL_DIR / _FILE_18
    p65 = Path(path_65plus) if path_65plus is not None else _paths.NL_DIR / _FILE_65
    total = 3
    t18 = read_rivm_csv(p18, leeftijd="18+", jaar=2020)
    _report(progress, 1, total, f"RIVM 18+ gelezen ({len(t18.buurt)} buurten)")
    if t18.buurt.empty:
        raise ValidationError(f"{p18}: geen buurtrijen (Codering_3 BU…) gevonden")
    codes = pd.Index(t18.buurt.index.astype(str), name="buurtcode")
    bad = [c for c in codes if not _BUURT_RE.match(c)]
    if bad:
        raise ValidationError(f"{p18}: kolom Codering_3: {bad[0]!r} is geen buurtcode (BUxxxxxxxx)")
    t65 = read_rivm_csv(p65, leeftijd="65+", jaar=2020)
    _report(progress, 2, total, f"RIVM 65+ gelezen ({len(t65.buurt)} buurten)")
    extra = sorted(set(t65.buurt.index) - set(codes))
    if extra:
        raise ValidationError(
            f"{p65}: {len(extra)} buurtcode(s) die niet in {p18.name} staan, bijv. {extra[0]}"
        )
    values = t18.buurt.copy()
    values.index = codes
    old = t65.buurt.reindex(codes)
    for col in old.columns:
        values[col] = old[col].to_numpy()
    names = _gemeente_names(p18)
    out = pd.DataFrame(index=codes)
    out["gemeentecode"] = ["GM" + c[2:6] for c in codes]
    out["gemeentenaam"] = out["gemeentecode"].map(names).fillna(out["gemeentecode"])
    out["wijkcode"] = ["WK" + c[2:8] for c in codes]
    out = out.astype(object).join(values.astype(float))
    out.attrs["bron"] = NATIONAL_SOURCE
    _report(progress, 3, total, f"{len(out)} buurten in {out['gemeentecode'].nunique()} gemeenten")
    return out


_FILE_18 = "rivm_50090NED_2020_18plus.csv.gz"
_FILE_65 = "rivm_50090NED_2020_65plus.csv.gz"


def _gemeente_names(path: Path) -> dict[str, str]:
    """Return gemeentecode → name from the gemeente rows of a 50090NED export."""
    try:
        raw = pd.read_csv(path, usecols=["Codering_3", "Gemeentenaam_1"], dtype=str)
    except ValueError:
        return {}
    codes = raw["Codering_3"].str.strip()
    names = raw["Gemeentenaam_1"].str.strip()
    keep = codes.str.startswith("GM") & names.notna() & (names != "")
    return dict(zip(codes[keep], names[keep], strict=True))


def _indicator_columns(frame: pd.DataFrame) -> list[str]:
    out = []
    for col in frame.columns:
        try:
            indicator(str(col))
        except KeyError:
            continue
        if pd.api.types.is_numeric_dtype(frame[col]):
            out.append(str(col))
    return out


def _check_frame(frame: pd.DataFrame, *, where: str) -> None:
    problems = []
    for col in ("gemeentecode", "wijkcode"):
        if col not in frame.columns:
            problems.append(f"kolom {col} ontbreekt")
    if not frame.index.is_unique:
        dup = frame.index[frame.index.duplicated()][0]
        problems.append(f"buurtcode {dup!r} komt meer dan eens voor")
    if not _indicator_columns(frame):
        problems.append("geen indicatorkolommen uit de catalogus")
    if problems:
        raise ValidationError(f"{where}: " + "; ".join(problems))


def _standardise_per_gemeente(values: pd.DataFrame, gemeente: pd.Series) -> pd.DataFrame:
    """Return z-scores within each gemeente; missing values get the gemeente mean (z = 0)."""
    grouped = values.groupby(gemeente)
    mean = grouped.transform("mean")
    std = grouped.transform("std", ddof=0)
    z = (values - mean) / std.where(std > 0)
    return z.fillna(0.0)


def national_typology(
    values: pd.DataFrame | None = None,
    *,
    standardise: str = "nationaal",
    k: int | str = "auto",
    k_range: Sequence[int] = range(5, 11),
    seed: int = 42,
    indicators: Sequence[str] | None = None,
    progress: ProgressFn | None = None,
) -> Typology:
    """Cluster all buurten of the country into named profile types.

    Uses :func:`geo.fit_typology`, which above 3,000 rows fits MiniBatchKMeans (5 starts,
    batches of 2,048) for every k and scores the silhouette on a 2,000-buurt sample; Ward
    (quadratic memory: about 1.7 GB at 14,000 buurten) is never used here.

    Parameters
    ----------
    values
        From :func:`load_national`; default: the embedded national RIVM file.
    standardise
        ``"nationaal"``: z-scores over all buurten of the country, so "veel eenzamen"
        means more than the Dutch average. ``"gemeente"``: z-scores within each gemeente
        first, so a type says how a buurt differs from its own municipality (the
        municipal level itself is removed).
    k
        Number of types or ``"auto"`` (highest sampled silhouette in ``k_range`` with at
        least 3 buurten per type).
    k_range
        The k values evaluated (default 5–10).
    seed
        Random seed (k-means and silhouette sample): the same seed gives the same types.
    indicators
        Indicator keys to use; default: every catalogue indicator in ``values``.
    progress
        Optional ``progress(done, total, text)`` callback.

    Returns
    -------
    Typology
        Labels per buurtcode, Dutch type names, centres, metrics per k; ``reason`` also
        states the standardisation and ``method`` is ``"minibatch-kmeans"`` above 3,000
        buurten.

    Raises
    ------
    ValidationError
        For an unknown ``standardise`` value, unknown indicators or a bad ``k``.
    """
    if standardise not in ("nationaal", "gemeente"):
        raise ValidationError(
            f"standardise={standardise!r}: kies 'nationaal' of 'gemeente' (standaardisatie)"
        )
    total = 3
    frame = values if values is not None else load_national()
    _check_frame(frame, where="national_typology")
    cols = list(indicators) if indicators is not None else _indicator_columns(frame)
    unknown = [c for c in cols if c not in frame.columns]
    if unknown:
        raise ValidationError(
            f"national_typology: indicator(en) {', '.join(unknown)} niet in de tabel "
            f"(wel: {', '.join(_indicator_columns(frame))})"
        )
    data = frame[cols].astype(float)
    if standardise == "gemeente":
        data = _standardise_per_gemeente(data, frame["gemeentecode"])
        note = (
            "gestandaardiseerd per gemeente: 'veel' betekent meer dan gemiddeld in de eigen "
            "gemeente"
        )
    else:
        note = "landelijk gestandaardiseerd: 'veel' betekent meer dan het Nederlandse gemiddelde"
    _report(progress, 1, total, f"{len(data)} buurten × {len(cols)} indicatoren voorbereid")
    empty = frame.index[frame[cols].isna().all(axis=1)]
    typ = fit_typology(
        data, k=k, k_range=k_range, method="kmeans", seed=seed, min_size=3, exclude=list(empty)
    )
    _report(progress, 2, total, f"{len(typ.metrics)} waarden van k doorgerekend")
    method = "minibatch-kmeans" if len(data) > 3000 else "kmeans"
    if len(empty):
        note += (
            f"; {len(empty)} buurten zonder enige waarde (onderdrukt) niet gebruikt om te "
            "passen, wel ingedeeld bij het dichtstbijzijnde type"
        )
    out = replace(typ, reason=f"{typ.reason}; {note}", method=method)
    _report(progress, 3, total, f"{out.k} typen benoemd")
    return out


def _basis_frame(basis: pd.DataFrame | pd.Series | None, codes: pd.Index) -> pd.DataFrame:
    """Return base populations per buurt: inwoners (if known), volwassenen, 65-plussers."""
    if basis is None:
        per_buurt = NL_INWONERS_2020 / NL_BUURTEN_2020
        return pd.DataFrame(
            {
                "volwassenen": per_buurt * NL_AANDEEL_18PLUS,
                "inwoners_65plus": per_buurt * NL_AANDEEL_65PLUS,
            },
            index=codes,
        )
    frame = basis.to_frame("inwoners") if isinstance(basis, pd.Series) else basis.copy()
    known = [c for c in ("inwoners", "volwassenen", "inwoners_65plus") if c in frame.columns]
    if "inwoners" not in known and not {"volwassenen", "inwoners_65plus"} <= set(known):
        raise ValidationError(
            "basis: kolom 'inwoners' ontbreekt (of geef 'volwassenen' en 'inwoners_65plus'); "
            f"gevonden: {', '.join(map(str, frame.columns))}"
        )
    frame.index = frame.index.astype(str)
    missing = codes.difference(frame.index)
    if len(missing):
        raise ValidationError(
            f"basis: geen bevolking voor {len(missing)} buurt(en), bijv. {', '.join(missing[:3])}"
        )
    frame = frame.reindex(codes)[known].astype(float)
    bad = frame.isna() | ~np.isfinite(frame) | (frame < 0)
    if bad.any().any():
        col = str(bad.any()[bad.any()].index[0])
        where = int(np.argmax(bad[col].to_numpy()))
        code = str(frame.index[where])
        value = float(frame[col].to_numpy()[where])
        raise ValidationError(
            f"basis: kolom {col}: waarde {value} voor {code} (verwacht een aantal ≥ 0)"
        )
    if "volwassenen" not in frame:
        frame["volwassenen"] = frame["inwoners"] * NL_AANDEEL_18PLUS
    if "inwoners_65plus" not in frame:
        frame["inwoners_65plus"] = frame["inwoners"] * NL_AANDEEL_65PLUS
    return frame


def _pct(share: float) -> str:
    return f"{share * 100:.1f}%".replace(".", ",")


def _fill_gaps(rates: pd.Series, weight: pd.Series, frame: pd.DataFrame) -> pd.Series:
    """Fill suppressed buurt rates with the weighted mean of their wijk, else gemeente."""
    out = rates.copy()
    for level in ("wijkcode", "gemeentecode"):
        if not out.isna().any():
            break
        ok = out.notna() & (weight > 0)
        num = (out * weight).where(ok).groupby(frame[level]).transform("sum")
        den = weight.where(ok).groupby(frame[level]).transform("sum")
        out = out.fillna(num / den.where(den > 0))
    return out


def national_team_need(
    values: pd.DataFrame | None = None,
    *,
    basis: pd.DataFrame | pd.Series | None = None,
    themes: tuple[Theme, ...] | None = None,
    progress: ProgressFn | None = None,
) -> pd.DataFrame:
    """Estimate the need per theme for every wijk (= team) of every gemeente.

    For each theme and wijk: the weighted mean, over the theme's indicators, of the
    estimated number of residents concerned (mean rate of the wijk × its base population
    / 100), the same quantity as :meth:`geo.Profiles.team_need`. A suppressed buurt rate
    (``.`` in the RIVM file) takes the base-weighted mean of the other buurten of its
    wijk, else of its gemeente.

    **Population base.** The RIVM file has no population. Pass ``basis`` with the
    inhabitants per buurt (e.g. ``AantalInwoners_5`` of CBS Kerncijfers wijken en
    buurten 2020, 84799NED); adults and 65-plussers are then ``inwoners`` × 0.804 and
    × 0.192 (national shares on 1 January 2020) unless the columns ``volwassenen`` and
    ``inwoners_65plus`` are given. Without ``basis`` every buurt gets the same base, the
    national average (17,407,585 / 13,808 = 1,261 inwoners, so 1,014 volwassenen and
    242 65-plussers): the counts then compare rates, not sizes, and ``inwoners`` is not
    returned. ``attrs["basis"]`` states which base was used.

    Parameters
    ----------
    values
        From :func:`load_national`; default: the embedded national RIVM file.
    basis
        Population per buurtcode: a Series of inhabitants, or a DataFrame with
        ``inwoners`` and/or ``volwassenen`` and ``inwoners_65plus``.
    themes
        Theme configuration; default :func:`geo.load_themes` (). Themes without any
        indicator in ``values`` are left out with a warning (with RIVM data alone:
        ``jeugd``).
    progress
        Optional ``progress(done, total, text)`` callback, called once per theme.

    Returns
    -------
    pandas.DataFrame
        MultiIndex (``gemeente``, ``team``) = (gemeentecode, wijkcode), sorted; one column
        per theme key with the estimated number of residents concerned; plus
        ``inwoners`` when ``basis`` gives it. ``attrs``: ``basis`` (Dutch sentence),
        ``labels`` (theme key → Dutch name), ``bron``.

    Raises
    ------
    ValidationError
        For a bad table or base, or when no theme has indicators in the data.

    Warns
    -----
    UserWarning
        For each theme left out.
    """
    frame = values if values is not None else load_national()
    _check_frame(frame, where="national_team_need")
    themes = themes if themes is not None else load_themes()
    codes = pd.Index(frame.index.astype(str), name="buurtcode")
    frame = frame.set_axis(codes)
    base = _basis_frame(basis, codes)
    usable = []
    for theme in themes:
        if any(key in frame.columns for key, _ in theme.indicators):
            usable.append(theme)
        else:
            warnings.warn(
                f"thema {theme.key}: geen van de indicatoren zit in de landelijke data; "
                "thema weggelaten",
                UserWarning,
                stacklevel=2,
            )
    if not usable:
        raise ValidationError("national_team_need: geen enkel thema heeft indicatoren in de data")
    keys = [frame["gemeentecode"], frame["wijkcode"]]
    base_sum = base.groupby(keys).sum()
    base_sum.index.names = ["gemeente", "team"]
    out = pd.DataFrame(index=base_sum.index)
    filled_cache: dict[str, pd.Series] = {}
    for step, theme in enumerate(usable, start=1):
        num = pd.Series(0.0, index=out.index)
        den = pd.Series(0.0, index=out.index)
        for key, weight in theme.indicators:
            if key not in frame.columns:
                continue
            ind = indicator(key)
            if ind.kind != "rate" or ind.base not in base.columns:
                continue
            w = base[str(ind.base)]
            if key not in filled_cache:
                filled_cache[key] = _fill_gaps(frame[key].astype(float), w, frame)
            rate = filled_cache[key]
            ok = rate.notna() & (w > 0)
            rnum = (rate * w).where(ok).groupby(keys).sum(min_count=1)
            rden = w.where(ok).groupby(keys).sum(min_count=1)
            rnum.index.names = rden.index.names = ["gemeente", "team"]
            mean_rate = (rnum / rden.where(rden > 0)).reindex(out.index)
            count = mean_rate / 100.0 * base_sum[str(ind.base)]
            num = num + count.fillna(0.0) * weight
            den = den + count.notna() * weight
        out[theme.key] = (num / den.where(den > 0)).fillna(0.0)
        _report(progress, step, len(usable), f"thema {theme.label}")
    if "inwoners" in base_sum.columns:
        out["inwoners"] = base_sum["inwoners"]
        basis_text = "bevolking per buurt zoals opgegeven (basis)"
    else:
        per_buurt = f"{NL_INWONERS_2020 / NL_BUURTEN_2020:_.0f}".replace("_", ".")
        basis_text = (
            "geen bevolking per buurt bekend: elke buurt telt als het landelijk gemiddelde "
            f"({per_buurt} inwoners, waarvan {_pct(NL_AANDEEL_18PLUS)} volwassen en "
            f"{_pct(NL_AANDEEL_65PLUS)} 65-plus); de aantallen vergelijken percentages, "
            "geen omvang"
        )
    out = out.sort_index()
    out.attrs["basis"] = basis_text
    out.attrs["labels"] = {t.key: t.label for t in usable}
    out.attrs["bron"] = frame.attrs.get("bron", NATIONAL_SOURCE)
    return out


def _sum_known(values: pd.Series) -> float:
    """Sum of the known values; NaN when none is known."""
    return float(values.sum(min_count=1))


def national_areas(
    buurten: gpd.GeoDataFrame,
    *,
    by: str = "gemeentecode",
    tolerance: float = 200.0,
    columns: Sequence[str] = (),
) -> gpd.GeoDataFrame:
    """Dissolve buurt polygons into gemeente or wijk areas and simplify them for the web.

    Simplification works on the whole coverage at once
    (:func:`shapely.coverage_simplify`), so shared borders are simplified once and
    neighbours neither gap nor overlap; when that function is missing (shapely < 2.1)
    every polygon is simplified with ``preserve_topology=True`` instead.

    Parameters
    ----------
    buurten
        Buurt polygons in EPSG:28992 with the column ``by``.
    by
        ``"gemeentecode"`` or ``"wijkcode"``.
    tolerance
        Simplification tolerance in metres (200 m is invisible at national zoom).
    columns
        Columns to carry over: summed when numeric (counts such as ``aantalInwoners``;
        CBS sentinels count as missing, an area with no known value is NaN),
        else the first value (names).

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``by``; the carried columns and the simplified geometry, EPSG:28992.

    Raises
    ------
    ValidationError
        For a missing column, no CRS or a negative tolerance.
    """
    problems = [f"kolom {c} ontbreekt" for c in (by, *columns) if c not in buurten.columns]
    if buurten.crs is None:
        problems.append("geen coördinatenstelsel (CRS)")
    if not tolerance >= 0:
        problems.append(f"tolerance {tolerance!r} moet ≥ 0 zijn (meters)")
    if problems:
        raise ValidationError("national_areas: " + "; ".join(problems))
    rd = buurten.to_crs(28992)
    agg: dict[str, Any] = {}
    for c in columns:
        if c == by:
            continue
        if pd.api.types.is_numeric_dtype(rd[c]):
            # CBS sentinels (negative codes) are missing, not counts; an area without any
            # known value stays missing instead of summing to zero
            rd[c] = clean_numeric(rd[c], where=f"national_areas: {c}")
            agg[c] = _sum_known
        else:
            agg[c] = "first"
    keep = [by, *agg, rd.geometry.name]
    areas = rd[keep].dissolve(by=by, aggfunc=agg or "first", method="coverage")
    geoms = areas.geometry.to_numpy()
    if tolerance > 0:
        if hasattr(shapely, "coverage_simplify"):
            geoms = shapely.coverage_simplify(geoms, tolerance)
        else:  # pragma: no cover - shapely < 2.1
            geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    return areas.set_geometry(gpd.GeoSeries(geoms, index=areas.index, crs=rd.crs))
