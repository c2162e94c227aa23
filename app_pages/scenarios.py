"""Scenario's: save, list, open, rename, delete, compare, download and upload."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import optimize
from app_pages import cached
from app_pages.state import flash, mark_saved, open_scenario, saved_state
from app_pages.widgets import MODES, PROJECT_ERRORS, Page, dutch, md, show_error
from optimize import format_amount
from wijkteam import scenario_store


def render() -> None:
    """Scenario's: save, list, open, rename, delete, compare, download and upload."""
    st.title("Scenario's")
    ss = st.session_state
    for message in ss.flash:
        st.success(message, icon=":material/check_circle:")
    ss.flash = []
    state = saved_state()
    if state == "nieuw":
        st.markdown("Huidig scenario: **nog niet opgeslagen**")
    else:
        note = " (gewijzigd sinds het opslaan)" if state == "gewijzigd" else " (opgeslagen)"
        st.markdown(f"Huidig scenario: **{md(ss.scenario_name)}**{note}")
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
                    "budget": [format_amount(r.budget) for r in rows],
                    "rekenwijze": [MODES.get(r.modus, r.modus) for r in rows],
                    "laatst gewijzigd": [scenario_store.local_time(r.bijgewerkt) for r in rows],
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
    render_admin()


def render_save() -> None:
    """Save the current scenario (with its calculation mode) under a name."""
    ss = st.session_state
    with st.form("opslaan", clear_on_submit=False):
        name = st.text_input(
            "Naam",
            value=ss.scenario_name or "",
            max_chars=120,
            placeholder="bijvoorbeeld Krap budget 2026",
        )
        st.caption(
            f"Wordt opgeslagen met alle instellingen van de pagina Formatie en de rekenwijze "
            f"({MODES[ss.mode].lower()})."
        )
        if st.form_submit_button("Huidig scenario opslaan"):
            try:
                stored = scenario_store.save(name, ss.scenario, modus=ss.mode)
            except PROJECT_ERRORS as exc:
                show_error(exc)
            else:
                mark_saved(stored, stored.naam)
                flash(f"Opgeslagen als {md(stored.naam)}.")
                st.rerun()


def render_manage(names: list[str]) -> None:
    """Open, rename or delete (after confirmation) a saved scenario."""
    ss = st.session_state
    c1, c2 = st.columns([2, 3])
    chosen = c1.selectbox("Scenario", names, key="beheer_keuze")
    b1, b2 = c1.columns(2)
    if b1.button("Openen", key="openen"):
        try:
            scenario = scenario_store.load(chosen)
            mode = scenario_store.load_mode(chosen)
        except PROJECT_ERRORS as exc:
            show_error(exc)
        else:
            open_scenario(scenario, chosen, mode)
            flash(f"Scenario {md(chosen)} geopend; zie de pagina Formatie.")
            st.rerun()
    if b2.button("Verwijderen…", key="verwijderen"):
        ss.confirm_delete = chosen
    if ss.get("confirm_delete") in names:
        render_confirm_delete(ss.confirm_delete)
    with c2.form("hernoemen"):
        new = st.text_input("Nieuwe naam", max_chars=120, placeholder="nieuwe naam")
        if st.form_submit_button("Hernoemen"):
            try:
                scenario_store.rename(chosen, new)
            except PROJECT_ERRORS as exc:
                show_error(exc)
            else:
                if ss.scenario_name == chosen:
                    clean = scenario_store.validate_name(new)
                    was_saved = saved_state() == "opgeslagen"
                    ss.scenario_name = clean
                    ss.scenario = ss.scenario.replace(naam=clean)
                    ss.saved = ss.saved.replace(naam=clean) if ss.saved else None
                    if was_saved:
                        ss.saved = ss.scenario
                    st.query_params["scenario"] = clean
                flash(f"{md(chosen)} heet nu {md(new.strip())}.")
                st.rerun()


def render_confirm_delete(name: str) -> None:
    """Ask before a saved scenario is deleted."""
    ss = st.session_state
    st.warning(
        f"Scenario **{md(name)}** definitief verwijderen? Dit kan niet ongedaan worden.",
        icon=":material/warning:",
    )
    c1, c2, _ = st.columns([1, 1, 3])
    if c1.button("Ja, verwijderen", key="verwijderen_ja", type="primary"):
        ss.confirm_delete = None
        try:
            scenario_store.delete(name)
        except PROJECT_ERRORS as exc:
            show_error(exc)
            return
        if ss.scenario_name == name:
            ss.scenario_name = None
            ss.saved = None
            ss.saved_mode = None
            st.query_params.pop("scenario", None)
        flash(f"Scenario {md(name)} verwijderd.")
        st.rerun()
    if c2.button("Annuleren", key="verwijderen_nee"):
        ss.confirm_delete = None
        st.rerun()


def render_file_io() -> None:
    """Download the current scenario as TOML; upload a TOML file as the current scenario."""
    ss = st.session_state
    st.subheader("Scenariobestand")
    c1, c2 = st.columns(2)
    c1.download_button(
        "Download huidig scenario (.toml)",
        optimize.scenario_to_toml(ss.scenario).encode("utf-8"),
        file_name="scenario.toml",
        mime="application/toml",
        help="Een tekstbestand met alle instellingen; te openen met Kladblok of te delen.",
    )
    upload = c2.file_uploader(
        "Scenariobestand openen (.toml)", type=["toml"], key="scenario_upload"
    )
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
            open_scenario(scenario, None, ss.mode)
            st.success(f"Scenario {md(scenario.naam)} geladen; zie de pagina Formatie.")


def render_compare(names: list[str]) -> None:
    """Compare two saved scenarios side by side (each in its own saved mode)."""
    ss = st.session_state
    st.subheader("Vergelijken")
    c1, c2 = st.columns(2)
    a = c1.selectbox("Scenario A", names, index=0, key="vergelijk_a")
    b = c2.selectbox("Scenario B", names, index=min(1, len(names) - 1), key="vergelijk_b")
    results: list[optimize.Result] = []
    for name in (a, b):
        try:
            text = scenario_store.load_text(name)
            mode = scenario_store.load_mode(name)
            results.append(cached.solve_saved(ss.source, text, mode))
        except optimize.InfeasibleError as exc:
            st.error(f"{md(name)} is niet haalbaar: " + " ".join(md(x) for x in exc.lines))
            return
        except PROJECT_ERRORS as exc:
            show_error(exc)
            return
    ra, rb = results
    labels = (f"A: {a}", f"B: {b}")
    params = optimize.compare_parameters(ra.scenario, rb.scenario, labels=labels)
    params.loc["rekenwijze"] = [MODES[ra.mode], MODES[rb.mode], "ja" if ra.mode != rb.mode else ""]
    params = params.sort_values("anders", ascending=False, kind="stable")
    st.markdown("**Instellingen** (verschillen bovenaan)")
    st.dataframe(params, width="stretch", key="vergelijk_parameters")
    st.dataframe(optimize.compare_results(ra, rb, labels=labels), width="stretch")
    names_map = {d.key: d.naam for r in (rb, ra) for d in r.scenario.disciplines}
    ca, cb = st.columns(2)
    for col, label, r in ((ca, labels[0], ra), (cb, labels[1], rb)):
        with col:
            st.markdown(f"**{md(label)}**")
            st.dataframe(dutch(r.formation.rename(columns=names_map)), width="stretch")
            st_folium(
                cached.formation_map(ss.source, r),
                key=f"vergelijk_kaart_{label[0]}",
                height=360,
                use_container_width=True,
                returned_objects=[],
            )
    st.markdown("**Verschil B − A (uren per week)**")
    diff = optimize.formation_difference(ra, rb)
    st.dataframe(
        diff.style.format(
            lambda v: f"{v:+.1f}".replace(".", ",").replace("-", "−")
        ).background_gradient(cmap="RdYlGn", vmin=-20, vmax=20, axis=None),
        width="stretch",
        key="vergelijk_verschil",
    )


def render_admin() -> None:
    """Where the scenarios are kept: for administrators only."""
    with st.expander("Voor beheerders: opslag van de scenario's"):
        st.markdown(
            "De scenario's staan in één bestand, gedeeld door iedereen die deze app op deze "
            "server gebruikt. Zet de omgevingsvariabele `WIJKTEAM_DATA_DIR` om een andere map "
            "te gebruiken, bijvoorbeeld een gedeelde projectmap."
        )
        st.code(str(scenario_store.database_path()), language=None)


PAGE = Page("Scenario's", "scenarios", ":material/folder_open:", render)
