"""Cached wrappers around the pure functions of :mod:`geo` and :mod:`optimize`.

Data and profiles are cached with ``st.cache_data`` on the data key (:data:`SourceKey`);
folium maps with ``st.cache_resource`` on (data key, column) because a folium map holds style
callbacks and cannot be pickled; each use takes a deep copy, since ``st_folium`` alters the
map it renders.
"""

from __future__ import annotations

import copy
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

import geo
import optimize
from wijkteam import own_teams, workload

#: Data key: (kind, gemeentecode, ((slot, path, sha256), ...)).
SourceKey = tuple[str, str, tuple[tuple[str, str, str], ...]]
#: Data key of the embedded Haarlem data.
HAARLEM: SourceKey = ("haarlem", "GM0392", ())


def _dataset(source: SourceKey) -> geo.Dataset:
    """Load the files of a data key with :func:`geo.load_inputs`; teams named as the CLI does."""
    _kind, gemeente, files = source  # the kind is a label; the files decide what loads
    slots: dict[str, list[str]] = {}
    for slot, path, _digest in files:
        slots.setdefault(slot, []).append(path)
    dataset = geo.load_inputs(
        gpkg=slots.get("gpkg", [None])[0],
        gemeente=gemeente or None,
        buurten=slots.get("buurten", [None])[0],
        indicatoren=slots.get("indicatoren", []),
        teams=slots.get("teams", [None])[0],
    )
    return own_teams(dataset)  # no team table: each wijk a team under its own name


@st.cache_data(show_spinner="Bestanden lezen…", max_entries=8)
def load_dataset(source: SourceKey) -> tuple[geo.Dataset, tuple[str, ...]]:
    """Read the files of a data key (no profiles yet); return the dataset and its warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dataset = _dataset(source)
    return dataset, _notes(caught)


def _notes(caught: list[warnings.WarningMessage]) -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, UserWarning))
    )


@st.cache_data(show_spinner="Gegevens laden en profieltaarten berekenen…", max_entries=8)
def load_profiles(source: SourceKey) -> tuple[geo.Profiles, tuple[str, ...]]:
    """Load a dataset and build its profiles; return them with the warnings raised."""
    dataset, read_notes = load_dataset(source)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        profiles = geo.build_profiles(dataset, themes=themes_of(source))
    return profiles, tuple(dict.fromkeys((*read_notes, *_notes(caught))))


def themes_of(source: SourceKey) -> tuple[geo.Theme, ...] | None:
    """Return the uploaded theme configuration of a data key (``None``: the default)."""
    theme_files = [path for slot, path, _ in source[2] if slot == "themas"]
    return tuple(geo.load_themes(theme_files[0])) if theme_files else None


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


# ---------------------------------------------------------------- a scenario that fits


@st.cache_data(show_spinner="Passend scenario maken…", max_entries=16)
def proposal(source: SourceKey, budget: float | None) -> optimize.Proposal:
    """Propose a scenario for the data's own teams and themes (as ``wijkteam scenario``)."""
    profiles = profiles_of(source)
    need = team_need(source)
    configured = themes_of(source) or geo.load_themes()
    with_data = [t.key for t in configured if t.key in need.columns]
    inhabitants = (
        need[["inwoners"]]
        if "inwoners" in need.columns
        else pd.DataFrame({"inwoners": float("nan")}, index=need.index)
    )
    team_files = [Path(path).name for slot, path, _ in source[2] if slot == "teams"]
    if team_files:
        team_source = f"de teamtabel {team_files[0]}"
    elif source[0] == "haarlem":
        team_source = "de ingebouwde Haarlemse teamtabel (indicatief)"
    else:
        team_source = "de wijken (naam)"
    return optimize.propose_scenario(
        inhabitants,
        themes=with_data,
        gemeentenaam=profiles.gemeentenaam,
        budget=budget,
        base=default_scenario(),
        team_source=team_source,
    )


# ---------------------------------------------------------------- team areas

#: Options of one team-area design: (unit, balance, keep_wijken, pinned, time limit).
AreaOptions = tuple[str, str, tuple[str, ...], tuple[str, ...], float]


@st.cache_data(show_spinner=False, max_entries=8)
def area_workload(source: SourceKey, toml_text: str) -> tuple[pd.Series, float]:
    """Return the workload per buurt and the base hours (``workload.buurt_workload``)."""
    scenario = optimize.parse_scenario(toml_text)
    return workload.buurt_workload(profiles_of(source), scenario, themes=themes_of(source))


def _area_kwargs(source: SourceKey, toml_text: str, options: AreaOptions) -> dict[str, Any]:
    unit, balance, keep, pinned, time_limit = options
    load, base = area_workload(source, toml_text)
    return {
        "unit": unit,
        "balance": balance,
        "keep_wijken": list(keep) if unit == "buurt" and keep else False,
        "pinned": list(pinned),
        "workload": load,
        "workload_base": base,
        "time_limit": time_limit,
    }


@st.cache_data(show_spinner=False, max_entries=16)
def design_areas(
    source: SourceKey, toml_text: str, n_teams: int, options: AreaOptions
) -> geo.TeamAreas:
    """Design ``n_teams`` team areas (:func:`geo.design_team_areas`) for a data key."""
    kwargs = _area_kwargs(source, toml_text, options)
    return geo.design_team_areas(profiles_of(source), n_teams, **kwargs)


@st.cache_data(show_spinner=False, max_entries=8)
def current_balance(source: SourceKey, toml_text: str) -> geo.AreaBalance:
    """Return the balance figures of today's team areas, with the same workload."""
    load, base = area_workload(source, toml_text)
    return geo.area_balance(profiles_of(source), workload=load, workload_base=base)


@st.cache_data(show_spinner=False, max_entries=8)
def professionals(source: SourceKey, toml_text: str) -> float:
    """Return the persons of today's LP formation (the team-count norm's input)."""
    scenario = optimize.parse_scenario(toml_text)
    return workload.formation_professionals(profiles_of(source), scenario, themes=themes_of(source))


@st.cache_data(show_spinner=False, max_entries=4)
def team_counts(
    source: SourceKey, toml_text: str, counts: tuple[int, ...], options: AreaOptions
) -> geo.TeamCountTable:
    """Design the areas for each count and suggest one (:func:`geo.team_count_table`)."""
    kwargs = _area_kwargs(source, toml_text, options)
    return geo.team_count_table(
        profiles_of(source),
        counts,
        professionals=professionals(source, toml_text),
        **kwargs,
    )


@st.cache_resource(show_spinner="Kaart tekenen…", max_entries=8)
def _areas_map(source: SourceKey, toml_text: str, n_teams: int, options: AreaOptions) -> Any:
    areas = design_areas(source, toml_text, n_teams, options)
    return geo.team_areas_map(areas, profiles_of(source))


def areas_map(source: SourceKey, toml_text: str, n_teams: int, options: AreaOptions) -> Any:
    """Return a private copy of the map of designed against current team areas."""
    return copy.deepcopy(_areas_map(source, toml_text, n_teams, options))
