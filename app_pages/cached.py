"""Cached wrappers around the pure functions of :mod:`geo` and :mod:`optimize`.

Data and profiles are cached with ``st.cache_data`` on the data key (:data:`SourceKey`);
folium maps with ``st.cache_resource`` on (data key, column) because a folium map holds style
callbacks and cannot be pickled; each use takes a deep copy, since ``st_folium`` alters the
map it renders.
"""

from __future__ import annotations

import copy
import warnings
from typing import Any

import pandas as pd
import streamlit as st

import geo
import optimize

#: Data key: (kind, gemeentecode, ((slot, path, sha256), ...)).
SourceKey = tuple[str, str, tuple[tuple[str, str, str], ...]]
#: Data key of the embedded Haarlem data.
HAARLEM: SourceKey = ("haarlem", "GM0392", ())


def _dataset(source: SourceKey) -> geo.Dataset:
    _kind, gemeente, files = source  # the kind is a label; the files decide what loads
    slots: dict[str, list[str]] = {}
    for slot, path, _digest in files:
        slots.setdefault(slot, []).append(path)
    teams = slots.get("teams", [None])[0]
    if "gpkg" not in slots and "buurten" not in slots:
        if "indicatoren" in slots:
            raise geo.ValidationError(
                "indicatoren: geef ook de buurtpolygonen (GeoJSON/GeoPackage) of een CBS "
                "GeoPackage waar de indicatoren bij horen"
            )
        return geo.load_haarlem(teams=teams)
    gpkg = slots.get("gpkg", [None])[0]
    return geo.load_dataset(
        gpkg=gpkg,
        gemeente=gemeente or None,
        buurten=None if gpkg else slots["buurten"][0],
        indicatoren=slots.get("indicatoren", []),
        teams=teams,
    )


@st.cache_data(show_spinner="Gegevens laden en profieltaarten berekenen…", max_entries=8)
def load_profiles(source: SourceKey) -> tuple[geo.Profiles, tuple[str, ...]]:
    """Load a dataset and build its profiles; return them with the warnings raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dataset = _dataset(source)
        theme_files = [path for slot, path, _ in source[2] if slot == "themas"]
        themes = geo.load_themes(theme_files[0]) if theme_files else None
        profiles = geo.build_profiles(dataset, themes=themes)
    notes = tuple(
        dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, UserWarning))
    )
    return profiles, notes


def profiles_of(source: SourceKey) -> geo.Profiles:
    """Return the (cached) profiles of a data key."""
    return load_profiles(source)[0]


@st.cache_data(show_spinner=False, max_entries=8)
def team_need(source: SourceKey) -> pd.DataFrame:
    """Return the need per team and theme for the optimiser."""
    return profiles_of(source).team_need()


@st.cache_data(show_spinner=False, max_entries=8)
def municipal_average(source: SourceKey) -> pd.Series:
    """Return the municipal average of every indicator."""
    return geo.municipal_average(profiles_of(source).indicators)


@st.cache_data(show_spinner=False, max_entries=8)
def team_indicators(source: SourceKey) -> pd.DataFrame:
    """Return the indicator values aggregated per team."""
    return geo.aggregate(profiles_of(source).indicators, by="team")


@st.cache_data(show_spinner=False)
def default_scenario() -> optimize.Scenario:
    """Return the embedded default scenario."""
    return optimize.load_scenario()


@st.cache_resource(show_spinner="Kaart tekenen…", max_entries=32)
def _profile_map(source: SourceKey, column: str) -> Any:
    return geo.profile_map(profiles_of(source), column=column)


def profile_map(source: SourceKey, column: str) -> Any:
    """Return a private copy of the cached profile map (``st_folium`` alters it)."""
    return copy.deepcopy(_profile_map(source, column))


@st.cache_resource(show_spinner="Kaart tekenen…", max_entries=8)
def _base_map(source: SourceKey) -> Any:
    return geo.profile_map(profiles_of(source), choropleth=False)


def base_map(source: SourceKey) -> Any:
    """Return a private copy of the map without its coloured layer (drawn once per data)."""
    return copy.deepcopy(_base_map(source))


@st.cache_resource(show_spinner=False, max_entries=64)
def _choropleth(source: SourceKey, column: str) -> Any:
    return geo.choropleth_layer(profiles_of(source), column=column)


def choropleth(source: SourceKey, column: str) -> Any:
    """Return a private copy of the coloured layer of one column (swapped without redraw)."""
    return copy.deepcopy(_choropleth(source, column))


@st.cache_resource(show_spinner=False, max_entries=32)
def _formation_map(
    source: SourceKey, coverage: pd.DataFrame, labels: tuple[tuple[str, str], ...]
) -> Any:
    return geo.formation_map(coverage, profiles=profiles_of(source), labels=dict(labels))


def formation_map(source: SourceKey, result: optimize.Result) -> Any:
    """Return a private copy of the cached coverage map of a result."""
    labels = tuple((d.key, d.naam) for d in result.scenario.disciplines)
    return copy.deepcopy(_formation_map(source, result.coverage, labels))


@st.cache_data(show_spinner=False, max_entries=64)
def map_html(source: SourceKey, column: str) -> str:
    """Render a profile map as standalone HTML (for download)."""
    return str(profile_map(source, column).get_root().render())


@st.cache_data(show_spinner="Scenario doorrekenen…", max_entries=32)
def solve_saved(source: SourceKey, toml_text: str, mode: str) -> optimize.Result:
    """Solve a scenario given as TOML on a data key (used to compare scenarios)."""
    scenario = optimize.parse_scenario(toml_text)
    model = optimize.FormationModel.from_frames(scenario, team_need(source), mode=mode)  # type: ignore[arg-type]
    return model.solve()


@st.cache_data(show_spinner="Budgetcurve berekenen…", max_entries=16)
def budget_curve(source: SourceKey, toml_text: str, budgets: tuple[float, ...]) -> pd.DataFrame:
    """Compute the Pareto curve (LP) of budget against shortfall for a scenario."""
    scenario = optimize.parse_scenario(toml_text)
    model = optimize.FormationModel.from_frames(scenario, team_need(source), mode="lp")
    return optimize.budget_sweep(model, budgets)
