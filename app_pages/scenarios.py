"""Scenario's: save, list, open, rename, delete, compare, download and upload."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import optimize
from app_pages import cached
from app_pages.state import open_scenario
from app_pages.widgets import PROJECT_ERRORS, Page, md, show_error
from optimize import euro, hours, pct
from wijkteam import scenario_store


def render() -> None:
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
            results.append(cached.solve_saved(ss.source, text, ss.mode))
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
                cached.formation_map(ss.source, r),
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


PAGE = Page("Scenario's", "scenarios", ":material/folder_open:", render)
