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
    PROVENANCE,
    Page,
    md,
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


def _indicator_table(values: pd.Series, average: pd.Series, source: pd.Series) -> pd.DataFrame:
    keys = [k for k in values.index if k in average.index]
    return pd.DataFrame(
        {
            "indicator": [geo.indicator(k).label for k in keys],
            "eenheid": [geo.indicator(k).unit for k in keys],
            "waarde": [values[k] for k in keys],
            "gemeente": [average[k] for k in keys],
            "verschil": [values[k] - average[k] for k in keys],
            "herkomst": [source.get(k, "") for k in keys],
        }
    )


def render_team_detail(profiles: geo.Profiles, team: str) -> None:
    """Detail of one team."""
    source = st.session_state.source
    labels = dict(profiles.team.labels)
    show_figure(pie_figure(row(profiles.team.shares, team), labels, f"Profieltaart {team}"))
    info = profiles.indicators.info
    codes = info.index[info["team"] == team]
    src = profiles.indicators.source.loc[codes]
    filled = {
        k: ", ".join(
            f"{int((src[k] == s).sum())} {PROVENANCE[s]}"
            for s in ("schatting", "wijk", "gemeente", "")
            if (src[k] == s).any()
        )
        for k in src.columns
    }
    values = row(cached.team_indicators(source), team)
    table = _indicator_table(values, cached.municipal_average(source), pd.Series(filled))
    table["herkomst"] = table["herkomst"].replace("", f"alle {len(codes)} buurten eigen waarde")
    st.markdown(
        f"**Indicatoren van team {md(team)}** ({len(codes)} buurten) tegen het gemiddelde "
        f"van {md(profiles.gemeentenaam)}"
    )
    st.dataframe(
        table.style.format(
            {"waarde": "{:.1f}", "gemeente": "{:.1f}", "verschil": "{:+.1f}"}, decimal=","
        ),
        hide_index=True,
        width="stretch",
    )
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
        show_figure(pie_figure(row(profiles.buurt.shares, code), labels, title))
    st.markdown(
        f"**{md(info['buurtnaam'])}** ({md(code)}), wijk {md(info['wijknaam'])}, "
        f"team {md(info['team'])}; {info['inwoners']:,.0f} inwoners".replace(",", ".")
    )
    if bool(info["klein"]):
        st.info("Kleine buurt (minder dan 50 inwoners): cijfers zijn onzeker of geheim.")
    prov = row(profiles.indicators.source, code).map(PROVENANCE)
    values = row(profiles.indicators.values, code)
    table = _indicator_table(values, cached.municipal_average(source), prov)
    st.dataframe(
        table.style.format(
            {"waarde": "{:.1f}", "gemeente": "{:.1f}", "verschil": "{:+.1f}"},
            na_rep="—",
            decimal=",",
        ),
        hide_index=True,
        width="stretch",
    )
    filled = profiles.indicators.filled(code)
    if filled:
        st.markdown("**Ontbrekend of aangevuld:**")
        st.markdown(
            "\n".join(
                f"- {md(geo.indicator(k).label)}: {md(PROVENANCE.get(v, v))}"
                for k, v in filled.items()
            )
        )
    else:
        st.markdown("Alle indicatoren hebben een eigen buurtwaarde.")


PAGE = Page("Kaart", "kaart", ":material/map:", render)
