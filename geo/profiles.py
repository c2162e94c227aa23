r"""Need themes, theme scores and profieltaarten per buurt, wijk and team.

For area :math:`a`, indicator :math:`i` with municipal (base-weighted) average
:math:`\\bar r_i` and theme :math:`t` with weights :math:`w_{ti}`:

* indicator index :math:`I_{ai} = 100\\, r_{ai} / \\bar r_i` (inverted,
  :math:`100\\, \\bar r_i / r_{ai}`, for indicators where less means more need);
* theme index :math:`T_{at} = \\sum_i w_{ti} I_{ai} / \\sum_i w_{ti}` over the indicators
  with a value (100 = municipal average);
* need count :math:`N_{at} = \\sum_i w_{ti}\\, r_{ai}/100 \\cdot B_{ai} / \\sum_i w_{ti}`
  over the rate indicators, with :math:`B_{ai}` the base population of the rate: an
  estimate of the number of residents the theme concerns;
* profieltaart: slice :math:`t` of area :math:`a` is :math:`T_{at} / \\sum_s T_{as}` (in %),
  so the pie shows which themes weigh relatively heavily; equal slices = an average area.
"""

from __future__ import annotations

import math
import tomllib
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo import _paths
from geo._errors import ValidationError
from geo.catalogue import indicator
from geo.indicators import BASE_COLUMNS, IndicatorFrame, aggregate, municipal_average
from geo.load import Dataset
from geo.typology import Typology

__all__ = [
    "THEME_COLOURS",
    "Profiles",
    "Theme",
    "ThemeScores",
    "build_profiles",
    "load_themes",
    "pie_shares",
    "theme_scores",
]

#: Largest theme file read (bytes) and largest indicator weight accepted.
MAX_THEMES_BYTES = 1_000_000
MAX_THEME_WEIGHT = 1000.0

#: Colours of the need themes in pies and legends (ColorBrewer Dark2), in theme order.
THEME_COLOURS: tuple[str, ...] = (
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#666666",
)


@dataclass(frozen=True)
class Theme:
    """A need theme.

    Attributes
    ----------
    key
        Short key (``financieel``).
    label
        Dutch name (``Financiële problemen``).
    disciplines
        Disciplines it feeds (documentation; the optimiser has its own mapping).
    indicators
        ``(indicator key, weight)`` pairs.
    """

    key: str
    label: str
    disciplines: tuple[str, ...]
    indicators: tuple[tuple[str, float], ...]


def load_themes(path: str | Path | None = None) -> tuple[Theme, ...]:
    """Read the theme configuration (TOML).

    Parameters
    ----------
    path
        A TOML file like ``data/themas.toml``; ``None`` reads that default.

    Returns
    -------
    tuple of Theme
        The themes in file order.

    Raises
    ------
    ValidationError
        For unknown indicators, bad weights or a malformed file; the message names the key.
    """
    path = Path(path) if path is not None else _paths.THEMES_TOML
    where = path.name
    try:
        if path.stat().st_size > MAX_THEMES_BYTES:
            raise ValidationError(f"{path}: themabestand groter dan 1 MB")
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ValidationError(f"{path}: bestand bestaat niet") from None
    except IsADirectoryError:
        raise ValidationError(f"{path}: is een map, geen bestand") from None
    except PermissionError:
        raise ValidationError(f"{path}: geen leesrechten") from None
    except OSError as exc:
        raise ValidationError(f"{path}: kan niet lezen ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError(f"{path}: geen geldige TOML ({exc})") from None
    except RecursionError:
        raise ValidationError(f"{path}: tabellen of lijsten te diep genest") from None
    themes, problems = _themes_from_toml(data, where=where)
    if problems:
        raise ValidationError(f"{where}: " + "; ".join(problems))
    return tuple(themes)


def _weight_problem(weight: Any) -> bool:
    return (
        not isinstance(weight, int | float)
        or isinstance(weight, bool)
        or not math.isfinite(weight)
        or not 0 < weight <= MAX_THEME_WEIGHT
    )


def _themes_from_toml(data: dict[str, Any], *, where: str) -> tuple[list[Theme], list[str]]:
    """Typed validation of a parsed theme file: tables are tables, text is text, weights bounded.

    Returns the themes and every problem, each naming the key and the value found.
    """
    unknown_top = set(data) - {"thema"}
    section = data.get("thema")
    if not isinstance(section, dict) or not section:
        raise ValidationError(f"{where}: sectie [thema.<naam>] ontbreekt")
    problems: list[str] = []
    if unknown_top:
        problems.append(f"onbekende sleutel(s) {', '.join(sorted(unknown_top))} (bekend: thema)")
    if len(section) > len(THEME_COLOURS):
        problems.append(f"thema: hoogstens {len(THEME_COLOURS)} thema's, gevonden {len(section)}")
    themes: list[Theme] = []
    for key, spec in section.items():
        if not isinstance(spec, dict):
            problems.append(f"thema.{key} is geen tabel (gevonden {spec!r})"[:300])
            continue
        extra = set(spec) - {"naam", "disciplines", "indicatoren"}
        if extra:
            problems.append(
                f"thema.{key}: onbekende sleutel(s) {', '.join(sorted(extra))} "
                "(bekend: naam, disciplines, indicatoren)"
            )
        label = spec.get("naam", key)
        if not isinstance(label, str) or not label.strip() or len(label) > 200:
            problems.append(f"thema.{key}.naam: verwacht tekst (1-200 tekens), gevonden {label!r}")
            continue
        inds = spec.get("indicatoren", {})
        if not isinstance(inds, dict) or not inds:
            problems.append(f"thema.{key}.indicatoren ontbreekt of is leeg")
            continue
        pairs: list[tuple[str, float]] = []
        for ind_key, weight in inds.items():
            try:
                indicator(ind_key)
            except KeyError:
                problems.append(f"thema.{key}.indicatoren.{ind_key}: onbekende indicator")
                continue
            if _weight_problem(weight):
                problems.append(
                    f"thema.{key}.indicatoren.{ind_key}: gewicht {weight!r} moet een getal > 0 "
                    f"zijn (hoogstens {MAX_THEME_WEIGHT:g})"
                )
                continue
            pairs.append((ind_key, float(weight)))
        discs = spec.get("disciplines", [])
        if not isinstance(discs, list) or not all(isinstance(d, str) for d in discs):
            problems.append(
                f"thema.{key}.disciplines: verwacht een lijst met namen, gevonden {discs!r}"
            )
            continue
        themes.append(Theme(key, label, tuple(discs), tuple(pairs)))
    return themes, problems


@dataclass(frozen=True)
class ThemeScores:
    """Theme results for one level (buurt, wijk or team).

    Attributes
    ----------
    index
        Area × theme index, 100 = municipal average.
    need
        Area × theme estimated number of residents concerned.
    shares
        Area × theme profieltaart slices in % (rows sum to 100).
    labels
        Theme key → Dutch label.
    """

    index: pd.DataFrame
    need: pd.DataFrame
    shares: pd.DataFrame
    labels: dict[str, str]


def pie_shares(index: pd.DataFrame) -> pd.DataFrame:
    """Turn theme indices into profieltaart slices (rows sum to 100).

    Parameters
    ----------
    index
        Area × theme indices.

    Returns
    -------
    pandas.DataFrame
        Same shape, in percent; a row without any index is left missing.
    """
    total = index.sum(axis=1, min_count=1)
    return index.div(total.where(total > 0), axis=0) * 100.0


def theme_scores(
    frame: IndicatorFrame,
    themes: tuple[Theme, ...],
    *,
    level: str = "buurt",
) -> ThemeScores:
    """Compute theme indices, need counts and profieltaart shares.

    Parameters
    ----------
    frame
        Buurt indicators.
    themes
        From :func:`load_themes`.
    level
        ``"buurt"``, ``"wijk"`` or ``"team"``.

    Returns
    -------
    ThemeScores
        Index, need counts and pie shares per area.

    Warns
    -----
    UserWarning
        When a theme has none of its indicators in the data (it is left out).
    """
    avg = municipal_average(frame)
    if level == "buurt":
        values = frame.values
        bases = frame.info[list(BASE_COLUMNS)]
    elif level in ("wijk", "team"):
        agg = aggregate(frame, by=level)
        values = agg[frame.values.columns]
        bases = agg[list(BASE_COLUMNS)]
    else:
        raise ValueError(f"level={level!r}: kies buurt, wijk of team")
    idx_cols: dict[str, pd.Series] = {}
    need_cols: dict[str, pd.Series] = {}
    labels: dict[str, str] = {}
    for theme in themes:
        present = [(k, w) for k, w in theme.indicators if k in values.columns]
        if not present:
            warnings.warn(
                f"thema {theme.key}: geen van de indicatoren zit in de data; thema weggelaten",
                UserWarning,
                stacklevel=2,
            )
            continue
        num = pd.Series(0.0, index=values.index)
        den = pd.Series(0.0, index=values.index)
        nnum = pd.Series(0.0, index=values.index)
        nden = pd.Series(0.0, index=values.index)
        for key, weight in present:
            ind = indicator(key)
            ref = float(avg[key])
            v = values[key]
            if not ref or np.isnan(ref):
                continue
            ii = 100.0 * ref / v.where(v > 0) if ind.need_direction < 0 else 100.0 * v / ref
            ok = ii.notna()
            num = num + (ii.fillna(0.0) * weight)
            den = den + ok * weight
            if ind.kind == "rate" and ind.base is not None:
                cnt = v / 100.0 * bases[ind.base]
                okc = cnt.notna()
                nnum = nnum + cnt.fillna(0.0) * weight
                nden = nden + okc * weight
        idx_cols[theme.key] = num / den.where(den > 0)
        need_cols[theme.key] = nnum / nden.where(nden > 0)
        labels[theme.key] = theme.label
    index = pd.DataFrame(idx_cols)
    need = pd.DataFrame(need_cols).fillna(0.0)
    return ThemeScores(index=index, need=need, shares=pie_shares(index), labels=labels)


@dataclass(frozen=True)
class Profiles:
    """Everything the profile step produces for one municipality.

    Attributes
    ----------
    gemeentecode, gemeentenaam
        The municipality.
    buurten
        GeoDataFrame (EPSG:28992), index ``buurtcode``: names, wijk, team, ``klein``,
        base counts, indicator values, theme indices (``index_<thema>``) and ``type``.
    indicators
        The canonical table with provenance and coverage.
    themes
        The theme configuration used.
    buurt, wijk, team
        Theme scores per level.
    typology
        The buurt typology.
    sources
        Attribution lines.
    """

    gemeentecode: str
    gemeentenaam: str
    buurten: Any
    indicators: IndicatorFrame
    themes: tuple[Theme, ...]
    buurt: ThemeScores
    wijk: ThemeScores
    team: ThemeScores
    typology: Typology
    sources: tuple[str, ...]

    def team_need(self) -> pd.DataFrame:
        """Return the need per team for the optimiser.

        Returns
        -------
        pandas.DataFrame
            Index team; one column per theme key with the estimated number of residents
            concerned, ``index_<theme>`` with the theme index (100 = municipal average, used
            by the optimiser's complexity factor), plus ``inwoners``.
        """
        out = self.team.need.copy()
        for theme in self.team.index.columns:
            out[f"index_{theme}"] = self.team.index[theme].reindex(out.index)
        out["inwoners"] = self.indicators.info.groupby("team")["inwoners"].sum().reindex(out.index)
        out.index.name = "team"
        return out


def build_profiles(
    dataset: Dataset,
    *,
    themes: tuple[Theme, ...] | None = None,
    types: int | str = "auto",
    method: str = "kmeans",
    log: bool = False,
    seed: int = 42,
    min_inwoners: int = 50,
) -> Profiles:
    """Run the whole profile step: indicators, theme scores, typology.

    Parameters
    ----------
    dataset
        Loaded data.
    themes
        Theme configuration; default :func:`load_themes` ().
    types
        Number of profile types or ``"auto"``.
    method
        ``"kmeans"`` or ``"ward"``.
    log
        Log-transform the indicators before clustering.
    seed
        Random seed.
    min_inwoners
        Threshold for the ``klein`` flag (not used to fit the typology).

    Returns
    -------
    Profiles
        The bundle.

    Examples
    --------
    >>> from geo import load_haarlem
    >>> p = build_profiles(load_haarlem())
    >>> sorted(p.team.shares.sum(axis=1).round().unique())
    [100.0]
    """
    import geopandas as gpd

    from geo.indicators import build_indicators
    from geo.typology import fit_typology

    themes = themes if themes is not None else load_themes()
    frame = build_indicators(dataset, min_inwoners=min_inwoners)
    usable = tuple(t for t in themes if any(k in frame.values.columns for k, _ in t.indicators))
    for theme in themes:
        if theme not in usable:
            warnings.warn(
                f"thema {theme.key}: geen van de indicatoren zit in de data; thema weggelaten",
                UserWarning,
                stacklevel=2,
            )
    if not usable:
        raise ValidationError("geen enkel thema heeft indicatoren in deze data")
    themes = usable
    buurt = theme_scores(frame, themes, level="buurt")
    wijk = theme_scores(frame, themes, level="wijk")
    team = theme_scores(frame, themes, level="team")
    used = list(dict.fromkeys(k for t in themes for k, _ in t.indicators if k in frame.values))
    typ = fit_typology(
        frame.values[used],
        k=types,
        method=method,
        log=log,
        seed=seed,
        exclude=list(frame.info.index[frame.info["klein"]]),
    )
    table = frame.info.join(frame.values)
    for key in buurt.index.columns:
        table[f"index_{key}"] = buurt.index[key]
    table["type"] = typ.labels.reindex(table.index)
    table["type_nr"] = typ.type_id.reindex(table.index) + 1
    gdf = gpd.GeoDataFrame(table, geometry=dataset.buurten.geometry, crs=dataset.buurten.crs)
    return Profiles(
        gemeentecode=dataset.gemeentecode,
        gemeentenaam=dataset.gemeentenaam,
        buurten=gdf,
        indicators=frame,
        themes=themes,
        buurt=buurt,
        wijk=wijk,
        team=team,
        typology=typ,
        sources=dataset.sources,
    )
