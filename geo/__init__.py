"""wijkteam's data layer: CBS/RIVM/PDOK loading, indicators, need themes, typology and maps.

Public API (everything else is private)::

    from geo import load_haarlem, build_profiles, profile_map
    profiles = build_profiles(load_haarlem())
    profiles.team.shares          # profieltaart per team (rows sum to 100)
    profile_map(profiles, column="index_financieel")

Functions are pure: a (Geo)DataFrame or dataset in, a new object out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from geo._errors import ValidationError
from geo.adjacency import Adjacency, buurt_adjacency, group_adjacency
from geo.areas import TeamAreas, design_team_areas
from geo.balance import AreaBalance, area_balance
from geo.catalogue import CATALOGUE, Indicator, catalogue_frame, indicator
from geo.indicators import (
    BASE_COLUMNS,
    IndicatorFrame,
    aggregate,
    build_indicators,
    municipal_average,
)
from geo.interpolate import areal_interpolate
from geo.load import (
    MAX_TEXT_BYTES,
    MAX_UPLOAD_BYTES,
    Dataset,
    IndicatorTable,
    check_division,
    clean_numeric,
    load_dataset,
    load_haarlem,
    load_inputs,
    read_cbs_gpkg,
    read_indicator_csv,
    read_polygons,
    read_rivm_csv,
    read_statline_csv,
    read_team_table,
)
from geo.national import (
    NATIONAL_SOURCE,
    load_national,
    national_areas,
    national_team_need,
    national_typology,
)
from geo.output import has_polygons, national_table, write_national_outputs, write_profile_outputs
from geo.profiles import (
    THEME_COLOURS,
    Profiles,
    Theme,
    ThemeScores,
    build_profiles,
    load_themes,
    pie_shares,
    theme_scores,
)
from geo.static import coverage_png, profile_png
from geo.summary import PROVENANCE, area_indicators, need_level, provenance_counts
from geo.synthetic import SYNTHETIC_NOTE, synthetic_buurten, write_synthetic_gpkg
from geo.team_count import TeamCountTable, team_count_table
from geo.typology import Typology, fit_typology, name_types

__all__ = [
    "BASE_COLUMNS",
    "CATALOGUE",
    "MAX_TEXT_BYTES",
    "MAX_UPLOAD_BYTES",
    "NATIONAL_SOURCE",
    "PROVENANCE",
    "SYNTHETIC_NOTE",
    "THEME_COLOURS",
    "Adjacency",
    "AreaBalance",
    "Dataset",
    "Indicator",
    "IndicatorFrame",
    "IndicatorTable",
    "Profiles",
    "TeamAreas",
    "TeamCountTable",
    "Theme",
    "ThemeScores",
    "Typology",
    "ValidationError",
    "aggregate",
    "area_balance",
    "area_indicators",
    "areal_interpolate",
    "build_indicators",
    "build_profiles",
    "buurt_adjacency",
    "catalogue_frame",
    "check_division",
    "choropleth_layer",
    "clean_numeric",
    "coverage_png",
    "design_team_areas",
    "fit_typology",
    "formation_map",
    "group_adjacency",
    "has_polygons",
    "indicator",
    "load_dataset",
    "load_haarlem",
    "load_inputs",
    "load_national",
    "load_themes",
    "municipal_average",
    "name_types",
    "national_areas",
    "national_map",
    "national_table",
    "national_team_need",
    "national_typology",
    "need_level",
    "pie_shares",
    "profile_map",
    "profile_png",
    "provenance_counts",
    "read_cbs_gpkg",
    "read_indicator_csv",
    "read_polygons",
    "read_rivm_csv",
    "read_statline_csv",
    "read_team_table",
    "save_map",
    "synthetic_buurten",
    "team_areas_map",
    "team_count_table",
    "team_theme_need",
    "theme_scores",
    "write_national_outputs",
    "write_profile_outputs",
    "write_synthetic_gpkg",
]


def team_theme_need(*, teams_path: str | Path | None = None) -> pd.DataFrame:
    """Return the need per team for the embedded Haarlem data.

    Parameters
    ----------
    teams_path
        Optional own team table.

    Returns
    -------
    pandas.DataFrame
        Index team; one column per theme with the estimated number of residents concerned,
        plus ``inwoners``.
    """
    return build_profiles(load_haarlem(teams=teams_path)).team_need()


def choropleth_layer(profiles: Profiles, **kwargs: Any) -> Any:
    """Build the coloured layer of one column; see :func:`geo.maps.choropleth_layer`.

    Parameters
    ----------
    profiles
        The profiles.
    **kwargs
        ``column``, ``precision``.

    Returns
    -------
    folium.FeatureGroup
        The layer.
    """
    from geo import maps

    return maps.choropleth_layer(profiles, **kwargs)


def profile_map(profiles: Profiles, **kwargs: Any) -> Any:
    """Build a folium map of a profile column; see :func:`geo.maps.profile_map`.

    Parameters
    ----------
    profiles
        The profiles.
    **kwargs
        ``column``, ``pies``, ``precision``, ``choropleth``.

    Returns
    -------
    folium.Map
        The map.
    """
    from geo import maps

    return maps.profile_map(profiles, **kwargs)


def formation_map(
    coverage: pd.DataFrame,
    *,
    profiles: Profiles | None = None,
    teams_path: str | Path | None = None,
    labels: dict[str, str] | None = None,
) -> Any:
    """Build a folium map of need coverage per team; see :func:`geo.maps.formation_map`.

    Parameters
    ----------
    coverage
        Team × discipline coverage fraction.
    profiles
        Profiles whose buurten carry the team areas; default: embedded Haarlem.
    teams_path
        Own team table (only when ``profiles`` is not given).
    labels
        Discipline key → Dutch name.

    Returns
    -------
    folium.Map
        The map.
    """
    from geo import maps

    buurten = (
        profiles.buurten
        if profiles is not None
        else build_profiles(load_haarlem(teams=teams_path)).buurten
    )
    return maps.formation_map(coverage, buurten=buurten, labels=labels)


def save_map(m: Any, path: str | Path) -> Path:
    """Write a folium map to HTML atomically; see :func:`geo.maps.save_map`.

    Parameters
    ----------
    m
        The map.
    path
        Target path.

    Returns
    -------
    pathlib.Path
        The written path.
    """
    from geo import maps

    return maps.save_map(m, path)


def national_map(areas: Any, **kwargs: Any) -> Any:
    """Build a folium map of gemeente/wijk areas; see :func:`geo.maps.national_map`.

    Parameters
    ----------
    areas
        Areas from :func:`national_areas` with the value column.
    **kwargs
        ``column``, ``label_column``, ``title``, ``note``, ``precision``.

    Returns
    -------
    folium.Map
        The map.
    """
    from geo import maps

    return maps.national_map(areas, **kwargs)


def team_areas_map(areas: TeamAreas, profiles: Profiles, **kwargs: Any) -> Any:
    """Build a folium map of designed against current team areas.

    See :func:`geo.maps.team_areas_map`.

    Parameters
    ----------
    areas
        From :func:`design_team_areas`.
    profiles
        The profiles (polygons and today's ``team`` column).
    **kwargs
        ``precision``.

    Returns
    -------
    folium.Map
        The map.
    """
    from geo import maps

    return maps.team_areas_map(areas, profiles, **kwargs)
