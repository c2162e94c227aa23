"""wijkteam app: profieltaarten, what-if formation planner and scenarios (Streamlit).

Start with ``make app`` (``streamlit run app.py``). This is the only module that imports
streamlit; it is a thin UI over the public APIs of :mod:`geo`, :mod:`optimize` and
:mod:`wijkteam.scenario_store`. All user-facing text is Dutch.

State per browser session (``st.session_state``, nothing shared between sessions):

* ``source``: the key of the loaded data (Haarlem, or uploaded files with their SHA-256),
  used as the real argument of every cached loader and map;
* ``scenario``: the current :class:`optimize.Scenario` (what the Formatie form shows);
* ``model``: one :class:`optimize.FormationModel` per (data, scenario structure, mode), re-solved
  warm for budget, cost and weight what-ifs;
* ``result`` / ``infeasible``: the last solve.

Caching: data and profiles with ``st.cache_data`` on the data key; folium maps with
``st.cache_resource`` on (data key, column) because a folium map holds style callbacks and
cannot be pickled; each use takes a deep copy, since ``st_folium`` alters the map it renders.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import html
import re
import shutil
import tempfile
import time
import warnings
import weakref
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import geo
import optimize
from optimize import euro, hours, pct
from wijkteam import scenario_store

st.set_page_config(
    page_title="wijkteam – profieltaarten en formatie",
    page_icon=":material/diversity_3:",
    layout="wide",
    initial_sidebar_state="expanded",
)

#: Errors of the project that are shown as a message; anything else is a bug and surfaces.
PROJECT_ERRORS = (
    geo.ValidationError,
    optimize.ValidationError,
    scenario_store.ScenarioStoreError,
)
BRON = "Bron: CBS, RIVM, PDOK (CC BY 4.0)"
#: Data key of the embedded Haarlem data: (kind, gemeentecode, ((slot, path, sha256), ...)).
HAARLEM: tuple[str, str, tuple[tuple[str, str, str], ...]] = ("haarlem", "GM0392", ())
SourceKey = tuple[str, str, tuple[tuple[str, str, str], ...]]
MODES = {"lp": "Continu (LP, snel)", "milp": "Hele blokken en personen (MILP)"}
PROVENANCE = {
    "buurt": "eigen buurtwaarde",
    "schatting": "schatting (oppervlakte-gewogen)",
    "wijk": "aangevuld uit de wijk",
    "gemeente": "aangevuld met gemeentegemiddelde",
    "": "ontbreekt",
}


# ---------------------------------------------------------------------------- helpers


def md(text: object) -> str:
    """Escape Markdown, HTML and LaTeX syntax in text that comes from data or uploads."""
    return re.sub(r"([\\`*_{}\[\]()#+!|~<>&$:-])", r"\\\1", str(text))


def plain(text: object) -> str:
    """Escape matplotlib's mathtext (``$``) in text that comes from data or uploads."""
    return str(text).replace("$", r"\$")


def show_error(exc: BaseException) -> None:
    """Show a project error as one message (upload paths shortened to the file name)."""
    st.error(clean_message(str(exc)), icon=":material/error:")


def clean_message(message: str) -> str:
    """Remove the private upload directory from a message, leaving the file name."""
    return re.sub(r"\S*wijkteam-upload-[^/\s]+/[0-9a-f]{16}/", "", message)


def row(frame: pd.DataFrame, key: str) -> pd.Series:
    """Return one row of a frame with a unique index as a Series."""
    return frame.loc[key]  # type: ignore[return-value]


# ---------------------------------------------------------------------------- cached data


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


# ---------------------------------------------------------------------------- session state


def init_state() -> None:
    """Fill the session state on the first run of a session; open a scenario from the URL."""
    ss = st.session_state
    if "source" in ss:
        return
    ss.source = HAARLEM
    ss.scenario = default_scenario()
    ss.scenario_name = None
    ss.saved = None
    ss.mode = "lp"
    ss.form_version = 0
    ss.model = None
    ss.result = None
    ss.previous = None
    ss.infeasible = None
    ss.seconds = None
    ss.notes = []
    name = st.query_params.get("scenario")
    if name:
        try:
            open_scenario(scenario_store.load(name), name)
        except PROJECT_ERRORS as exc:
            ss.notes.append(f"Scenario uit de link niet geopend: {clean_message(str(exc))}")
            del st.query_params["scenario"]


def open_scenario(scenario: optimize.Scenario, name: str | None) -> None:
    """Make ``scenario`` the current one, reset the form and re-solve."""
    ss = st.session_state
    ss.scenario = scenario
    ss.scenario_name = name
    ss.saved = scenario if name else None
    ss.form_version += 1
    ss.result = None
    ss.infeasible = None
    if name:
        st.query_params["scenario"] = name
    elif "scenario" in st.query_params:
        del st.query_params["scenario"]


def _structure(scenario: optimize.Scenario) -> str:
    """Scenario TOML without what the model can change warm (budget, costs, weights)."""
    discs = tuple(
        dataclasses.replace(d, kosten_per_uur=0.0, gewicht=1.0) for d in scenario.disciplines
    )
    return optimize.scenario_to_toml(scenario.replace(naam="-", budget=0.0, disciplines=discs))


def formation_model(
    source: SourceKey, scenario: optimize.Scenario, mode: str
) -> optimize.FormationModel:
    """Return the session's model for this data, scenario structure and mode (built once)."""
    ss = st.session_state
    key = (source, mode, _structure(scenario))
    if ss.model is not None and ss.model[0] == key:
        return ss.model[1]
    model = optimize.FormationModel.from_frames(scenario, team_need(source), mode=mode)  # type: ignore[arg-type]
    ss.model = (key, model)
    return model


def run_solve() -> None:
    """Solve the current scenario warm; keep the result (or the infeasibility) in state."""
    ss = st.session_state
    s: optimize.Scenario = ss.scenario
    start = time.perf_counter()
    try:
        model = formation_model(ss.source, s, ss.mode)
        result = model.solve(
            budget=s.budget,
            kosten={d.key: d.kosten_per_uur for d in s.disciplines},
            gewichten={d.key: d.gewicht for d in s.disciplines},
        )
    except optimize.InfeasibleError as exc:
        ss.previous = ss.result or ss.previous
        ss.result = None
        ss.infeasible = tuple(exc.lines)
    else:
        ss.previous = ss.result
        ss.result = result
        ss.infeasible = None
    ss.seconds = time.perf_counter() - start


def ensure_result() -> optimize.Result | None:
    """Solve once when a page needs a formation and none was computed yet."""
    ss = st.session_state
    if ss.result is None and ss.infeasible is None:
        try:
            run_solve()
        except PROJECT_ERRORS as exc:
            show_error(exc)
            return None
    return ss.result


def current_profiles() -> geo.Profiles | None:
    """Profiles of the session's data; a project error is shown and gives ``None``."""
    try:
        return profiles_of(st.session_state.source)
    except PROJECT_ERRORS as exc:
        show_error(exc)
        return None


# ---------------------------------------------------------------------------- rendering bits


def render_sidebar() -> None:
    """Show data, scenario and attribution in the sidebar."""
    ss = st.session_state
    with st.sidebar:
        profiles = current_profiles()
        if profiles is not None:
            st.markdown(f"**Gemeente:** {md(profiles.gemeentenaam)} ({md(profiles.gemeentecode)})")
        if ss.scenario_name is None:
            st.markdown("**Scenario:** niet opgeslagen")
        else:
            changed = " (gewijzigd, niet opgeslagen)" if ss.scenario != ss.saved else ""
            st.markdown(f"**Scenario:** {md(ss.scenario_name)}{changed}")
        st.caption(BRON)


def pie_figure(shares: pd.Series, labels: Mapping[str, str], title: str) -> Any:
    """Draw a profieltaart as a matplotlib figure (same colours as on the map)."""
    colours = list(geo.THEME_COLOURS)
    values = shares.fillna(0.0)
    fig, ax = plt.subplots(figsize=(4.2, 3.2), dpi=100)
    ax.pie(
        values.to_numpy(),
        labels=[plain(labels.get(str(k), str(k))) for k in values.index],
        colors=[colours[i % len(colours)] for i in range(len(values))],
        autopct=lambda p: f"{p:.0f}%" if p >= 4 else "",
        startangle=90,
        counterclock=False,
        wedgeprops={"linewidth": 1, "edgecolor": "white"},
        textprops={"fontsize": 8},
    )
    ax.set_title(plain(title), fontsize=10)
    ax.axis("equal")
    fig.tight_layout()
    return fig


def formation_styler(result: optimize.Result) -> Any:
    """Style the formation (team × discipline, hours/week), colouring the change vs now."""
    names = {d.key: d.naam for d in result.scenario.disciplines}
    formation = result.formation.rename(columns=names)
    diff = result.wide("verschil_huidig").rename(columns=names)

    def colour(v: float) -> str:
        if v > 0.05:
            return "background-color: #c7e9c0; color: #00441b"
        if v < -0.05:
            return "background-color: #fcbba1; color: #67000d"
        return ""

    css = diff.map(colour)
    return formation.style.format("{:.1f}", decimal=",").apply(lambda _: css, axis=None)


def render_explanation(lines: tuple[str, ...] | list[str]) -> None:
    """Plain-Dutch explanation lines as a list."""
    st.markdown("\n".join(f"- {md(line)}" for line in lines))


# ---------------------------------------------------------------------------- Kaart


def render_kaart() -> None:
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
            profile_map(source, column),
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
    fig = pie_figure(row(profiles.team.shares, team), labels, f"Profieltaart {team}")
    st.pyplot(fig, clear_figure=True)
    plt.close(fig)
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
    values = row(team_indicators(source), team)
    table = _indicator_table(values, municipal_average(source), pd.Series(filled))
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
        fig = pie_figure(row(profiles.buurt.shares, code), labels, title)
        st.pyplot(fig, clear_figure=True)
        plt.close(fig)
    st.markdown(
        f"**{md(info['buurtnaam'])}** ({md(code)}), wijk {md(info['wijknaam'])}, "
        f"team {md(info['team'])}; {info['inwoners']:,.0f} inwoners".replace(",", ".")
    )
    if bool(info["klein"]):
        st.info("Kleine buurt (minder dan 50 inwoners): cijfers zijn onzeker of geheim.")
    prov = row(profiles.indicators.source, code).map(PROVENANCE)
    values = row(profiles.indicators.values, code)
    table = _indicator_table(values, municipal_average(source), prov)
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


# ---------------------------------------------------------------------------- Formatie


def _discipline_frame(s: optimize.Scenario) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "naam": [d.naam for d in s.disciplines],
            "betaald door": [d.gefinancierd_door for d in s.disciplines],
            "kosten_per_uur": [d.kosten_per_uur for d in s.disciplines],
            "min_uren": [d.min_uren for d in s.disciplines],
            "max_uren": [d.max_uren for d in s.disciplines],
            "gewicht": [d.gewicht for d in s.disciplines],
        },
        index=pd.Index(s.keys, name="discipline"),
    )


def render_form() -> None:
    """Show the what-if form; the optimiser runs on submit."""
    ss = st.session_state
    s: optimize.Scenario = ss.scenario
    v = ss.form_version
    with st.form(f"watals_{v}"):
        c1, c2, c3, c4 = st.columns([2, 2, 1, 1])
        budget = c1.number_input(
            "Budgetplafond gemeente (€ per jaar)",
            min_value=0.0,
            max_value=10_000_000_000.0,
            value=float(s.budget),
            step=50_000.0,
            format="%.0f",
            key=f"budget_{v}",
        )
        mode = c2.radio(
            "Rekenwijze",
            list(MODES),
            index=list(MODES).index(ss.mode),
            format_func=lambda m: MODES[m],
            key=f"mode_{v}",
        )
        complexiteit = c3.number_input(
            "Complexiteit",
            min_value=0.0,
            max_value=3.0,
            value=float(s.complexiteit),
            step=0.25,
            help="Hoe sterk de behoefte meegroeit met hoge indexcijfers (0 = alleen aantallen).",
            key=f"complexiteit_{v}",
        )
        change = c4.number_input(
            "Max. wijziging (%)",
            min_value=0.0,
            max_value=1000.0,
            value=100.0 * (s.max_wijziging if s.max_wijziging is not None else 10.0),
            step=10.0,
            help="Hoeveel uren per team en discipline ten hoogste mogen veranderen t.o.v. nu.",
            key=f"wijziging_{v}",
        )
        st.markdown(
            "**Per discipline**: kosten van een wekelijks uur per jaar, minimum en maximum "
            "uren per team, en het gewicht van een uur tekort (behoeftegewicht)."
        )
        edited = st.data_editor(
            _discipline_frame(s),
            key=f"disc_{v}",
            width="stretch",
            disabled=["naam", "betaald door"],
            column_config={
                "kosten_per_uur": st.column_config.NumberColumn(
                    "kosten per uur (€/jaar)", min_value=0.0, format="%.2f"
                ),
                "min_uren": st.column_config.NumberColumn("min. uren", min_value=0.0),
                "max_uren": st.column_config.NumberColumn("max. uren", min_value=0.0),
                "gewicht": st.column_config.NumberColumn("gewicht tekort", min_value=0.0),
            },
        )
        submitted = st.form_submit_button("Formatie berekenen", type="primary")
    if submitted:
        try:
            new = s.replace(
                budget=float(budget),
                complexiteit=float(complexiteit),
                max_wijziging=float(change) / 100.0,
            )
            for key, row in edited.iterrows():
                d = new.discipline(str(key))
                changes = {
                    col: float(row[col])
                    for col in ("kosten_per_uur", "min_uren", "max_uren", "gewicht")
                    if float(row[col]) != getattr(d, col)
                }
                if changes:
                    new = new.with_discipline(str(key), **changes)
        except (*PROJECT_ERRORS, TypeError) as exc:
            show_error(exc)
            return
        ss.scenario = new
        ss.mode = mode
        try:
            run_solve()
        except PROJECT_ERRORS as exc:
            show_error(exc)


def render_formatie() -> None:
    """Formatie: the what-if planner."""
    st.title("Formatie")
    st.caption(
        "Verdeel de uren per discipline over de teams, eerlijk naar behoefte en binnen het "
        "budget. Pas de knoppen aan en klik op *Formatie berekenen*."
    )
    ss = st.session_state
    if current_profiles() is None:
        return
    render_form()
    result = ensure_result()
    if ss.infeasible is not None:
        st.error(
            "**Dit scenario is niet haalbaar.** Wat u kunt versoepelen:\n\n"
            + "\n".join(f"- {md(line)}" for line in ss.infeasible),
            icon=":material/block:",
        )
        return
    if result is None:
        return
    render_result(result)
    render_sweep()


def render_result(result: optimize.Result) -> None:
    """Headline figures, formation table, coverage map and explanation."""
    ss = st.session_state
    c = st.columns(5)
    c[0].metric("Status", result.status)
    c[1].metric("Budget gebruikt", euro(result.budget_used))
    c[2].metric("Budget over", euro(result.budget_left))
    c[3].metric("Grootste tekort", pct(result.max_tekort))
    c[4].metric("Totaal tekort (uur/week)", hours(result.totaal_tekort))
    st.caption(
        f"Modus {MODES[result.mode]}; doorgerekend in {1000 * (ss.seconds or result.seconds):.0f} "
        "ms. Grootste tekort: het grootste relatieve tekort van een team op een discipline "
        "ten opzichte van het haalbare doel."
    )
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Formatie (uren per week)")
        st.dataframe(formation_styler(result), width="stretch", key="formatie_tabel")
        st.caption("Groen: meer uren dan nu; rood: minder uren dan nu.")
        with st.expander("Totalen per team en per discipline"):
            st.dataframe(result.team_totals().round(1), width="stretch")
            st.dataframe(result.discipline_totals().round(1), width="stretch")
    with right:
        st.subheader("Dekking van de behoefte")
        st_folium(
            formation_map(ss.source, result),
            key="dekking",
            height=420,
            use_container_width=True,
            returned_objects=[],
        )
        st.caption(BRON)
    st.subheader("Uitleg")
    render_explanation(result.explanation)


def render_sweep() -> None:
    """Budget sweep (Pareto curve) on request."""
    ss = st.session_state
    with st.expander("Budgetcurve: wat levert meer of minder budget op?"):
        budget = float(ss.scenario.budget)
        c1, c2 = st.columns(2)
        lo = c1.number_input(
            "Van (€)", value=round(0.6 * budget, -4), step=100_000.0, format="%.0f"
        )
        hi = c2.number_input(
            "Tot (€)", value=round(1.3 * budget, -4), step=100_000.0, format="%.0f"
        )
        if st.button("Budgetcurve berekenen", key="sweep_knop"):
            ss.sweep_request = (float(lo), float(hi))
        req = ss.get("sweep_request")
        if req is None:
            return
        if req[1] <= req[0]:
            st.error("Budgetcurve: 'Tot' moet groter zijn dan 'Van'.")
            return
        budgets = tuple(float(b) for b in np.linspace(req[0], req[1], 21))
        try:
            curve = budget_curve(ss.source, optimize.scenario_to_toml(ss.scenario), budgets).copy()
        except PROJECT_ERRORS as exc:
            show_error(exc)
            return
        curve["budget (mln €)"] = curve["budget"] / 1e6
        curve["grootste tekort (%)"] = 100 * curve["max_tekort"]
        curve["totaal tekort (uur/week)"] = curve["totaal_tekort"]
        c1, c2 = st.columns(2)
        c1.line_chart(curve, x="budget (mln €)", y="grootste tekort (%)")
        c2.line_chart(curve, x="budget (mln €)", y="totaal tekort (uur/week)")
        st.caption("Berekend in de continue modus (LP); onhaalbare budgetten ontbreken.")


# ---------------------------------------------------------------------------- Scenario's


def render_scenarios() -> None:
    """Scenario's: save, list, open, rename, delete, compare, download and upload."""
    st.title("Scenario's")
    ss = st.session_state
    st.markdown(f"Huidig scenario: **{md(ss.scenario_name or 'niet opgeslagen')}**")
    st.caption(f"Opslag: {md(scenario_store.database_path())}")
    render_save()
    try:
        rows = scenario_store.list_scenarios()
    except PROJECT_ERRORS as exc:
        show_error(exc)
        return
    names = [r.naam for r in rows]
    st.subheader("Opgeslagen scenario's")
    if not rows:
        st.info("Nog geen opgeslagen scenario's.")
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    "naam": names,
                    "budget": [euro(r.budget) for r in rows],
                    "gewijzigd (UTC)": [r.bijgewerkt for r in rows],
                }
            ),
            hide_index=True,
            width="stretch",
        )
        render_manage(names)
    render_file_io()
    if len(names) >= 2:
        render_compare(names)
    elif rows:
        st.caption("Sla nog een scenario op om twee scenario's te vergelijken.")


def render_save() -> None:
    """Save the current scenario under a name."""
    ss = st.session_state
    with st.form("opslaan", clear_on_submit=False):
        name = st.text_input("Naam", value=ss.scenario_name or "", max_chars=120)
        if st.form_submit_button("Huidig scenario opslaan"):
            try:
                stored = scenario_store.save(name, ss.scenario)
            except PROJECT_ERRORS as exc:
                show_error(exc)
            else:
                ss.scenario = ss.saved = stored
                ss.scenario_name = stored.naam
                st.query_params["scenario"] = stored.naam
                st.success(f"Opgeslagen als {md(stored.naam)}.")


def render_manage(names: list[str]) -> None:
    """Open, rename or delete a saved scenario."""
    ss = st.session_state
    c1, c2 = st.columns([2, 3])
    chosen = c1.selectbox("Scenario", names, key="beheer_keuze")
    b1, b2 = c1.columns(2)
    if b1.button("Openen", key="openen"):
        try:
            open_scenario(scenario_store.load(chosen), chosen)
        except PROJECT_ERRORS as exc:
            show_error(exc)
        else:
            st.success(f"Scenario {md(chosen)} geopend; zie de pagina Formatie.")
    if b2.button("Verwijderen", key="verwijderen"):
        try:
            scenario_store.delete(chosen)
        except PROJECT_ERRORS as exc:
            show_error(exc)
        else:
            if ss.scenario_name == chosen:
                ss.scenario_name = None
                st.query_params.pop("scenario", None)
            st.rerun()
    with c2.form("hernoemen"):
        new = st.text_input("Nieuwe naam", max_chars=120)
        if st.form_submit_button("Hernoemen"):
            try:
                scenario_store.rename(chosen, new)
            except PROJECT_ERRORS as exc:
                show_error(exc)
            else:
                if ss.scenario_name == chosen:
                    ss.scenario_name = scenario_store.validate_name(new)
                    ss.scenario = ss.scenario.replace(naam=ss.scenario_name)
                    ss.saved = ss.saved.replace(naam=ss.scenario_name) if ss.saved else None
                    st.query_params["scenario"] = ss.scenario_name
                st.rerun()


def render_file_io() -> None:
    """Download the current scenario as TOML; upload a TOML file as the current scenario."""
    ss = st.session_state
    st.subheader("Scenariobestand (TOML)")
    c1, c2 = st.columns(2)
    c1.download_button(
        "Download huidig scenario (.toml)",
        optimize.scenario_to_toml(ss.scenario).encode("utf-8"),
        file_name="scenario.toml",
        mime="application/toml",
    )
    upload = c2.file_uploader("Scenario uploaden", type=["toml"], key="scenario_upload")
    if upload is not None and st.session_state.get("scenario_upload_done") != upload.file_id:
        ss.scenario_upload_done = upload.file_id
        try:
            text = upload.getvalue().decode("utf-8-sig")
        except UnicodeDecodeError:
            st.error(f"{md(upload.name)}: scenario is geen UTF-8-tekst")
            return
        try:
            scenario = optimize.parse_scenario(text, source=upload.name)
        except PROJECT_ERRORS as exc:
            show_error(exc)
        else:
            open_scenario(scenario, None)
            st.success(f"Scenario {md(scenario.naam)} geladen; zie de pagina Formatie.")


def _parameters(s: optimize.Scenario) -> pd.Series:
    def num(v: float | None) -> str:
        return "geen" if v is None else f"{v:g}".replace(".", ",")

    rows: dict[str, str] = {
        "budget (€)": euro(s.budget),
        "complexiteit": num(s.complexiteit),
        "max. wijziging": "geen" if s.max_wijziging is None else pct(s.max_wijziging),
    }
    for d in s.disciplines:
        rows[f"{d.naam}: kosten/uur"] = euro(d.kosten_per_uur)
        rows[f"{d.naam}: min–max uren"] = f"{num(d.min_uren)}–{num(d.max_uren)}"
        rows[f"{d.naam}: gewicht"] = num(d.gewicht)
    return pd.Series(rows, dtype=object)


def render_compare(names: list[str]) -> None:
    """Compare two saved scenarios side by side."""
    ss = st.session_state
    st.subheader("Vergelijken")
    c1, c2 = st.columns(2)
    a = c1.selectbox("Scenario A", names, index=0, key="vergelijk_a")
    b = c2.selectbox("Scenario B", names, index=min(1, len(names) - 1), key="vergelijk_b")
    results: list[optimize.Result] = []
    for name in (a, b):
        try:
            text = scenario_store.load_text(name)
            results.append(solve_saved(ss.source, text, ss.mode))
        except optimize.InfeasibleError as exc:
            st.error(f"{md(name)} is niet haalbaar: " + " ".join(md(x) for x in exc.lines))
            return
        except PROJECT_ERRORS as exc:
            show_error(exc)
            return
    ra, rb = results
    params = pd.DataFrame(
        {f"A: {a}": _parameters(ra.scenario), f"B: {b}": _parameters(rb.scenario)}
    )
    params["anders"] = np.where(params.iloc[:, 0] != params.iloc[:, 1], "ja", "")
    params = params.sort_values("anders", ascending=False, kind="stable")
    st.markdown("**Parameters** (verschillen bovenaan)")
    st.dataframe(params, width="stretch", key="vergelijk_parameters")
    summary = pd.DataFrame(
        {
            f"A: {a}": [euro(ra.budget_used), pct(ra.max_tekort), hours(ra.totaal_tekort)],
            f"B: {b}": [euro(rb.budget_used), pct(rb.max_tekort), hours(rb.totaal_tekort)],
        },
        index=["budget gebruikt", "grootste tekort", "totaal tekort (uur/week)"],
    )
    st.dataframe(summary, width="stretch")
    # Dutch names of both scenarios' disciplines (B may have disciplines A has not)
    names_map = {d.key: d.naam for r in (rb, ra) for d in r.scenario.disciplines}
    ca, cb = st.columns(2)
    for col, label, r in ((ca, f"A: {a}", ra), (cb, f"B: {b}", rb)):
        with col:
            st.markdown(f"**{md(label)}**")
            st.dataframe(r.formation.rename(columns=names_map).round(1), width="stretch")
            st_folium(
                formation_map(ss.source, r),
                key=f"vergelijk_kaart_{label[0]}",
                height=320,
                use_container_width=True,
                returned_objects=[],
            )
    st.markdown("**Verschil B − A (uren per week)**")
    diff = (rb.formation - ra.formation).rename(columns=names_map)
    st.dataframe(
        diff.style.format("{:+.1f}", decimal=",").background_gradient(
            cmap="RdYlGn", vmin=-20, vmax=20, axis=None
        ),
        width="stretch",
        key="vergelijk_verschil",
    )


# ---------------------------------------------------------------------------- Export


def render_export() -> None:
    """Export: formation as Excel/CSV, maps as HTML, scenario as TOML."""
    st.title("Export")
    ss = st.session_state
    profiles = current_profiles()
    if profiles is None:
        return
    result = ensure_result()
    st.subheader("Formatie")
    if result is None:
        st.warning("Er is geen haalbare formatie om te exporteren; zie de pagina Formatie.")
    else:
        c1, c2 = st.columns(2)
        c1.download_button(
            "Formatie als Excel (formatie.xlsx)",
            optimize.formation_xlsx_bytes(result),
            file_name="formatie.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        c2.download_button(
            "Formatie als CSV (formatie.csv)",
            optimize.formation_csv_bytes(result),
            file_name="formatie.csv",
            mime="text/csv",
        )
        st.caption("CSV met ; als scheidingsteken en decimale komma (opent direct in Excel).")
    st.subheader("Kaarten")
    labels = dict(profiles.buurt.labels)
    theme = st.selectbox(
        "Thema voor de profielkaart", list(labels), format_func=lambda k: labels[k]
    )
    c1, c2 = st.columns(2)
    c1.download_button(
        "Profielkaart (kaart_profielen.html)",
        map_html(ss.source, f"index_{theme}").encode("utf-8"),
        file_name="kaart_profielen.html",
        mime="text/html",
    )
    if result is not None:
        c2.download_button(
            "Dekkingskaart (kaart_dekking.html)",
            str(formation_map(ss.source, result).get_root().render()).encode("utf-8"),
            file_name="kaart_dekking.html",
            mime="text/html",
        )
    st.subheader("Scenario")
    st.download_button(
        "Scenario (scenario.toml)",
        optimize.scenario_to_toml(ss.scenario).encode("utf-8"),
        file_name="scenario.toml",
        mime="application/toml",
    )
    st.caption(BRON)


# ---------------------------------------------------------------------------- Data


class UploadDir:
    """A private (0700) temporary directory for one session's uploads.

    Removed when the session's state is dropped (or at exit), without a ResourceWarning.
    """

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="wijkteam-upload-"))
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.path, ignore_errors=True)


def _upload_dir() -> Path:
    ss = st.session_state
    if "upload_dir" not in ss:
        ss.upload_dir = UploadDir()
    return ss.upload_dir.path


def store_upload(slot: str, upload: Any) -> tuple[str, str, str]:
    """Write one upload into the session's private directory; return (slot, path, sha256)."""
    name = Path(str(upload.name)).name
    safe = re.sub(r"[^\w.\-]+", "_", name).lstrip(".") or "bestand"
    if upload.size > geo.MAX_UPLOAD_BYTES:
        raise geo.ValidationError(
            f"{safe}: bestand is te groot ({upload.size / 2**20:.0f} MB, maximaal "
            f"{geo.MAX_UPLOAD_BYTES / 2**20:.0f} MB)"
        )
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    folder = _upload_dir() / digest[:16]
    folder.mkdir(exist_ok=True)
    path = folder / safe
    path.write_bytes(data)
    return (slot, str(path), digest)


def render_upload() -> None:
    """Upload a municipality's own files; keep the current data when they are rejected."""
    ss = st.session_state
    st.subheader("Eigen gegevens laden")
    st.markdown(
        "Geef een **CBS Wijk- en buurtkaart GeoPackage** met de gemeentecode, of losse "
        "**buurtpolygonen**; voeg **indicatorbestanden** (CBS StatLine kerncijfers, RIVM "
        "Gezondheidsmonitor; CSV, ook .gz) en een **teamtabel** (CSV met `team` en `buurtcode` "
        "of `wijkcode`) toe. Alleen een teamtabel: Haarlem met uw eigen teamindeling. "
        f"Maximaal {geo.MAX_UPLOAD_BYTES // 2**20} MB per bestand."
    )
    with st.form("upload", clear_on_submit=False):
        c1, c2 = st.columns(2)
        gpkg = c1.file_uploader("CBS GeoPackage (.gpkg)", type=["gpkg"], key="up_gpkg")
        gemeente = c1.text_input("Gemeentecode (GMxxxx)", max_chars=6, key="up_gemeente")
        buurten = c1.file_uploader(
            "Of: buurtpolygonen (GeoJSON/GeoPackage)",
            type=["geojson", "json", "gpkg"],
            key="up_buurten",
        )
        indicatoren = c2.file_uploader(
            "Indicatorbestanden (CSV)",
            type=["csv", "gz"],
            accept_multiple_files=True,
            key="up_indicatoren",
        )
        teams = c2.file_uploader("Teamtabel (CSV)", type=["csv"], key="up_teams")
        themas = c2.file_uploader(
            "Themaconfiguratie (TOML, optioneel)", type=["toml"], key="up_themas"
        )
        submitted = st.form_submit_button("Gegevens laden", type="primary")
    if st.button("Terug naar de ingebouwde Haarlem-gegevens", key="terug_haarlem"):
        switch_source(HAARLEM)
        st.rerun()
    if not submitted:
        return
    gemeente = gemeente.strip().upper()
    if gpkg is not None and not re.fullmatch(r"GM\d{4}", gemeente):
        st.error(f"Gemeentecode: verwacht GM gevolgd door 4 cijfers, gevonden {md(gemeente)}")
        return
    try:
        files: list[tuple[str, str, str]] = []
        for slot, up in (
            ("gpkg", gpkg),
            ("buurten", buurten),
            ("teams", teams),
            ("themas", themas),
        ):
            if up is not None:
                files.append(store_upload(slot, up))
        files += [store_upload("indicatoren", up) for up in indicatoren or []]
        if not files:
            st.warning("Kies eerst een of meer bestanden.")
            return
        kind = "upload" if any(f[0] in ("gpkg", "buurten") for f in files) else "haarlem"
        new: SourceKey = (kind, gemeente if gpkg is not None else "", tuple(files))
        profiles, notes = load_profiles(new)
    except PROJECT_ERRORS as exc:
        show_error(exc)
        st.info("De huidige gegevens blijven in gebruik.")
        return
    for note in notes:
        st.warning(f"Let op: {clean_message(note)}")
    switch_source(new)
    st.success(
        f"Geladen: {md(profiles.gemeentenaam)} met {len(profiles.buurten)} buurten en "
        f"{len(profiles.team.shares)} teams."
    )
    try:
        optimize.need_targets(team_need(new), ss.scenario)
    except PROJECT_ERRORS as exc:
        st.warning(
            "Het huidige scenario past niet op deze gegevens; laad een passend scenario op "
            f"de pagina Scenario's. {md(clean_message(str(exc)))}"
        )


def switch_source(source: SourceKey) -> None:
    """Use another dataset; the formation is recomputed for it."""
    ss = st.session_state
    ss.source = source
    ss.model = None
    ss.result = None
    ss.previous = None
    ss.infeasible = None
    ss.pop("sweep_request", None)
    ss.pop("detail", None)


def render_data() -> None:
    """Show the Data page: dataset, sources, coverage and gaps, method; own uploads."""
    st.title("Data")
    ss = st.session_state
    profiles = current_profiles()
    if profiles is not None:
        info = profiles.indicators.info
        c = st.columns(4)
        c[0].metric("Gemeente", f"{profiles.gemeentenaam}")
        c[1].metric("Buurten", len(info))
        c[2].metric("Wijken", info["wijkcode"].nunique())
        c[3].metric("Teams", info["team"].nunique())
        st.subheader("Bronnen")
        st.markdown(f"**{BRON}**")
        st.markdown("\n".join(f"- {md(line)}" for line in profiles.sources))
        if ss.source == HAARLEM:
            st.caption(
                "De teamindeling van Haarlem is indicatief (werkgebieden 2015, Schalkwijk "
                "gesplitst), geen officiële kaart: laad hieronder uw eigen teamtabel."
            )
        st.subheader("Dekking en hiaten per indicator")
        cov = profiles.indicators.coverage.rename(
            columns={
                "omschrijving": "indicator",
                "buurtwaarde": "eigen buurtwaarde",
                "schatting": "schatting",
                "uit_wijk": "uit wijk",
                "uit_gemeente": "uit gemeente",
                "ontbreekt": "ontbreekt",
                "dekking_pct": "dekking (%)",
            }
        )
        st.dataframe(cov, width="stretch", hide_index=True, key="dekking_tabel")
        gaps = cov[cov["dekking (%)"] < 100]
        small = int(info["klein"].sum())
        st.markdown(
            f"{len(gaps)} van de {len(cov)} indicatoren hebben niet voor elke buurt een eigen "
            f"waarde; {small} buurt(en) hebben minder dan 50 inwoners (cijfers onzeker of geheim)."
        )
        st.subheader("Werkwijze in het kort")
        st.markdown(METHOD)
    render_upload()


METHOD = """
1. **Gegevens**: CBS Kerncijfers wijken en buurten, RIVM Gezondheidsmonitor en de
   buurtgrenzen van CBS/PDOK. Geheime of ontbrekende CBS-waarden worden nooit nul: een buurt
   zonder eigen waarde krijgt die van haar wijk, anders het gemeentegemiddelde (zichtbaar
   als *herkomst*).
2. **Profieltaart**: de indicatoren vormen behoeftethema's (financieel, psychosociaal, zorg,
   …). Per thema een index (100 = gemeentelijk gemiddelde); de taart toont de verhouding
   van de thema's in een buurt, wijk of team.
3. **Formatie**: de behoefte per team (aantal betrokken inwoners per thema) geeft per
   discipline een doel in uren. Een lineair programma verdeelt de uren binnen het budget:
   eerst het grootste relatieve tekort zo klein mogelijk (eerlijk), dan het totale tekort,
   dan zo weinig mogelijk verschuiving ten opzichte van nu.
4. **Grenzen**: het zijn schattingen uit open data, geen caseload; gebruik ze als
   gespreksstof met de teams, niet als rekenregel.
"""


# ---------------------------------------------------------------------------- navigation


PAGES: list[tuple[Callable[[], None], str, str, str]] = [
    (render_kaart, "Kaart", "kaart", ":material/map:"),
    (render_formatie, "Formatie", "formatie", ":material/groups:"),
    (render_scenarios, "Scenario's", "scenarios", ":material/folder_open:"),
    (render_export, "Export", "export", ":material/download:"),
    (render_data, "Data", "data", ":material/database:"),
]


def main() -> None:
    """Route to the pages."""
    init_state()
    pages = [
        st.Page(fn, title=title, url_path=path, icon=icon, default=(i == 0))
        for i, (fn, title, path, icon) in enumerate(PAGES)
    ]
    page = st.navigation(pages, position="sidebar")
    for note in st.session_state.notes:
        st.warning(note)
    st.session_state.notes = []
    page.run()
    # after the page: it may have opened, saved or changed the scenario
    name = st.session_state.scenario_name
    if name and st.query_params.get("scenario") != name:
        st.query_params["scenario"] = name  # the link reopens the scenario on every page
    render_sidebar()


main()
