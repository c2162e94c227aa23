"""Formatie: the what-if planner (budget, mode, bounds, weights) and its result."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import optimize
from app_pages import cached
from app_pages.state import current_profiles, ensure_result, run_solve
from app_pages.widgets import (
    BRON,
    MODES,
    PROJECT_ERRORS,
    Page,
    formation_styler,
    md,
    render_explanation,
    show_error,
)
from optimize import euro, hours, pct


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
            "uren per team, en het gewicht: de prioriteit als het budget knelt. Een discipline "
            "met gewicht w mag relatief hoogstens 1/w zo veel tekortkomen als een discipline "
            "met gewicht 1 (gewicht 2: hoogstens half zo veel); de andere disciplines betalen dat."
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
                "gewicht": st.column_config.NumberColumn(
                    "gewicht (prioriteit)",
                    min_value=0.0,
                    help="Gewicht w: relatief tekort hoogstens 1/w van dat bij gewicht 1.",
                ),
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


def render() -> None:
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
            cached.formation_map(ss.source, result),
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
            curve = cached.budget_curve(
                ss.source, optimize.scenario_to_toml(ss.scenario), budgets
            ).copy()
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


PAGE = Page("Formatie", "formatie", ":material/groups:", render)
