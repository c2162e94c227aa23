"""Kaart: choropleth of a theme, indicator or type; detail of a clicked team or buurt."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import geo
from app_pages import cached
from app_pages.state import current_profiles
from app_pages.widgets import (
    BRON,
    Page,
    dutch,
    figure_png,
    index_bars,
    map_view,
    md,
    nl,
    pie_figure,
    row,
)


def render() -> None:
    """Kaart: choropleth of an indicator, theme or type; detail of a clicked team or buurt."""
    st.title("Kaart")
    source = st.session_state.source
    profiles = current_profiles()
    if profiles is None:
        return
    labels = dict(profiles.buurt.labels)
    c1, c2 = st.columns([1, 2])
    kind = c1.radio("Kaartlaag", ["Thema", "Indicator", "Profieltype"], horizontal=True)
    if kind == "Thema":
        theme = c2.selectbox(
            "Behoeftethema (index, 100 = gemeentelijk gemiddelde)",
            list(labels),
            format_func=lambda k: labels[k],
        )
        column = f"index_{theme}"
    elif kind == "Indicator":
        column = c2.selectbox(
            "Indicator",
            profiles.indicators.indicators,
            format_func=lambda k: f"{geo.indicator(k).label} ({geo.indicator(k).unit})",
        )
    else:
        column = "type"
        c2.caption(
            "Profieltypen: groepen buurten met een vergelijkbaar profiel, door de computer "
            "gevormd uit alle indicatoren (clusteranalyse)."
        )
    render_map_and_detail(source, column, profiles)


@st.fragment
def render_map_and_detail(source: Any, column: str, profiles: geo.Profiles) -> None:
    """Map and detail in one fragment: a click reruns only this part, not the whole page."""
    left, right = st.columns([3, 2])
    with left:
        center, zoom = map_view(source, height=620, width=700)
        # the map is drawn once; another column only swaps its coloured layer
        out = st_folium(
            cached.base_map(source),
            feature_group_to_add=cached.choropleth(source, column),
            key="kaart",
            height=620,
            center=center,
            zoom=zoom,
            use_container_width=True,
            returned_objects=["last_active_drawing", "last_object_clicked_tooltip"],
        )
        st.caption(
            "Rode lijnen: teamgebieden. Taarten: profieltaart per team; hoe groter de taart, "
            "hoe meer behoefte per inwoner. Klik op een buurt of een taart voor het detail. "
            f"{BRON}"
        )
    with right:
        render_detail(profiles, out)


def _detail_options(profiles: geo.Profiles) -> dict[str, str]:
    teams = {f"team:{t}": f"Team {t}" for t in profiles.team.shares.index}
    info = profiles.indicators.info
    buurten = {f"buurt:{c}": f"Buurt {info.loc[c, 'buurtnaam']} ({c})" for c in info.index}
    return {**teams, **buurten}


def clicked_area(
    clicked: Mapping[str, Any] | None, previous: Mapping[str, Any], teams: set[str]
) -> str | None:
    """Return the detail key (``team:…``/``buurt:…``) of a new click on the map, if any.

    A profieltaart is a marker: it comes back only as ``last_object_clicked_tooltip``, the
    team's name. A buurt polygon comes back as ``last_active_drawing`` with its code (its
    tooltip, a table of values, is no team name).
    """
    clicked = clicked or {}
    tooltip = clicked.get("last_object_clicked_tooltip")
    props = (clicked.get("last_active_drawing") or {}).get("properties") or {}
    if tooltip and tooltip != previous.get("tooltip"):
        name = html.unescape(str(tooltip)).strip()
        if name in teams:
            return f"team:{name}"
    code = props.get("code")
    if code and code != previous.get("code"):
        return f"buurt:{code}"
    return None


def render_detail(profiles: geo.Profiles, clicked: Mapping[str, Any] | None) -> None:
    """Detail of a team or buurt: profieltaart, indicators versus average, gaps."""
    ss = st.session_state
    options = _detail_options(profiles)
    previous = ss.get("last_click", {})
    pick = clicked_area(clicked, previous, {str(t) for t in profiles.team.shares.index})
    drawing = (clicked or {}).get("last_active_drawing") or {}
    ss.last_click = {
        "tooltip": (clicked or {}).get("last_object_clicked_tooltip"),
        "code": (drawing.get("properties") or {}).get("code"),
    }
    if pick in options:
        ss.detail = pick
    if ss.get("detail") not in options:
        ss.detail = next(iter(options))
    choice = st.selectbox(
        "Detail van", list(options), format_func=lambda k: options[k], key="detail"
    )
    level, code = choice.split(":", 1)
    if level == "team":
        render_team_detail(profiles, code)
    else:
        render_buurt_detail(profiles, code)


def render_profile(
    shares: pd.Series, index: pd.Series, labels: Mapping[str, str], title: str
) -> None:
    """Show the profieltaart next to the theme indices as bars against 100 (the level)."""
    pie, bars = profile_images(shares, index, tuple(labels.items()), title)
    c1, c2 = st.columns(2)
    c1.image(pie, width="stretch")
    c2.image(bars, width="stretch")


@st.cache_data(show_spinner=False, max_entries=512)
def profile_images(
    shares: pd.Series, index: pd.Series, labels: tuple[tuple[str, str], ...], title: str
) -> tuple[bytes, bytes]:
    """Render the pie and the bars once per area as PNG (a click then only shows them)."""
    return (
        figure_png(pie_figure(shares, dict(labels), title)),
        figure_png(index_bars(index, dict(labels))),
    )


def _indicator_frame(table: pd.DataFrame) -> None:
    st.dataframe(
        dutch(table, {"waarde": 1, "gemeente": 1, "verschil": "+"}),
        hide_index=True,
        width="stretch",
    )


def render_team_detail(profiles: geo.Profiles, team: str) -> None:
    """Detail of one team."""
    source = st.session_state.source
    labels = dict(profiles.team.labels)
    render_profile(
        row(profiles.team.shares, team),
        row(profiles.team.index, team),
        labels,
        f"Profieltaart {team}",
    )
    info = profiles.indicators.info
    codes = info.index[info["team"] == team]
    table = geo.area_indicators(
        profiles.indicators,
        team=team,
        average=cached.municipal_average(source),
        team_values=cached.team_indicators(source),
    )
    inwoners = float(info.loc[codes, "inwoners"].sum())
    st.markdown(
        f"**Indicatoren van team {md(team)}** ({len(codes)} buurten, {nl(inwoners, 0)} "
        f"inwoners) tegen het gemiddelde van {md(profiles.gemeentenaam)}"
    )
    _indicator_frame(table)
    filled = geo.provenance_counts(profiles.indicators, codes)
    gaps = {geo.indicator(k).label: v for k, v in filled.items() if v}
    if gaps:
        st.markdown("**Ontbrekend of aangevuld** (aantal buurten):")
        st.markdown("\n".join(f"- {md(k)}: {md(v)}" for k, v in gaps.items()))


def render_buurt_detail(profiles: geo.Profiles, code: str) -> None:
    """Detail of one buurt."""
    source = st.session_state.source
    info = profiles.indicators.info.loc[code]
    labels = dict(profiles.buurt.labels)
    title = f"Profieltaart {info['buurtnaam']}"
    if code in profiles.buurt.shares.index and row(profiles.buurt.shares, code).notna().any():
        render_profile(
            row(profiles.buurt.shares, code), row(profiles.buurt.index, code), labels, title
        )
    st.markdown(
        f"**{md(info['buurtnaam'])}** ({md(code)}), wijk {md(info['wijknaam'])}, "
        f"team {md(info['team'])}; {nl(float(info['inwoners']), 0)} inwoners"
    )
    if bool(info["klein"]):
        st.info("Kleine buurt (minder dan 50 inwoners): cijfers zijn onzeker of geheim.")
    table = geo.area_indicators(
        profiles.indicators, buurt=code, average=cached.municipal_average(source)
    )
    _indicator_frame(table)
    filled = profiles.indicators.filled(code)
    if filled:
        st.markdown("**Ontbrekend of aangevuld:**")
        st.markdown(
            "\n".join(
                f"- {md(geo.indicator(k).label)}: {md(geo.PROVENANCE.get(v, v))}"
                for k, v in filled.items()
            )
        )
    else:
        st.markdown("Alle indicatoren hebben een eigen buurtwaarde.")


PAGE = Page("Kaart", "kaart", ":material/map:", render)
