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
    index_bars,
    md,
    nl,
    pie_figure,
    row,
    show_figure,
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
        c2.caption("Profieltypen: buurten met een vergelijkbaar profiel (k-means).")
    left, right = st.columns([3, 2])
    with left:
        out = st_folium(
            cached.profile_map(source, column),
            key="kaart",
            height=560,
            use_container_width=True,
            returned_objects=["last_active_drawing"],
        )
        st.caption(
            "Rode lijnen: teamgebieden. Taarten: profieltaart per team. Klik op een buurt "
            f"voor het detail. {BRON}"
        )
    with right:
        render_detail(profiles, out)


def _detail_options(profiles: geo.Profiles) -> dict[str, str]:
    teams = {f"team:{t}": f"Team {t}" for t in profiles.team.shares.index}
    info = profiles.indicators.info
    buurten = {f"buurt:{c}": f"Buurt {info.loc[c, 'buurtnaam']} ({c})" for c in info.index}
    return {**teams, **buurten}


def render_detail(profiles: geo.Profiles, clicked: Mapping[str, Any] | None) -> None:
    """Detail of a team or buurt: profieltaart, indicators versus average, gaps."""
    ss = st.session_state
    options = _detail_options(profiles)
    drawing = (clicked or {}).get("last_active_drawing") or {}
    props = drawing.get("properties") or {}
    pick = None
    if props.get("code"):
        pick = f"buurt:{props['code']}"
    elif props.get("team"):
        pick = f"team:{html.unescape(str(props['team']))}"
    if pick in options and pick != ss.get("last_pick"):
        ss.last_pick = pick
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
    c1, c2 = st.columns(2)
    with c1:
        show_figure(pie_figure(shares, labels, title))
    with c2:
        show_figure(index_bars(index, labels))


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
