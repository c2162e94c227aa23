"""Formatie: the what-if planner, results first.

The first screen holds the headline figures, the coverage map and the formation (hours per
team and discipline with the difference from today); the scenario form sits in the sidebar,
the settings per discipline in an expander. Below: "Waarom?" (from data to hours for one
team), the explanation and the budget curve.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import geo
import optimize
from app_pages import cached
from app_pages.state import (
    current_profiles,
    ensure_result,
    run_solve,
    scenario_errors,
    scenario_misfit,
    use_proposal,
)
from app_pages.widgets import (
    BRON,
    MODE_HELP,
    MODES,
    PROJECT_ERRORS,
    Page,
    clean_message,
    dutch,
    map_view,
    md,
    nl,
    render_explanation,
    show_error,
)
from app_pages.wording import in_words
from optimize import format_amount, pct
from optimize.proposal import HAARLEM_INWONERS

#: Vega-Lite number locale: decimal comma, thousands dot, euro sign before the amount.
DUTCH_LOCALE = {
    "number": {
        "decimal": ",",
        "thousands": ".",
        "grouping": [3],
        "currency": ["€ ", ""],
    }
}


# ---------------------------------------------------------------------------- the form


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


def render_discipline_editor(s: optimize.Scenario, version: int) -> None:
    """Costs, bounds and weights per discipline; they count on *Formatie berekenen*."""
    st.caption(
        "Kosten van een wekelijks uur per jaar, minimum en maximum uren per team, en het "
        "gewicht: de prioriteit als het budget knelt. Een discipline met gewicht w mag relatief "
        "hoogstens 1/w zo veel tekortkomen als een discipline met gewicht 1 (gewicht 2: "
        "hoogstens half zo veel); de andere disciplines betalen dat. Wijzigingen tellen mee "
        "zodra u in de zijbalk op *Formatie berekenen* klikt."
    )
    st.data_editor(
        _discipline_frame(s),
        key=f"disc_{version}",
        width="stretch",
        disabled=["naam", "betaald door"],
        hide_index=True,
        column_config={
            "naam": st.column_config.TextColumn("discipline"),
            "kosten_per_uur": st.column_config.NumberColumn(
                "kosten per uur (€ per jaar)", min_value=0.0, format="€ %.2f"
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


def render_form(s: optimize.Scenario, version: int) -> None:
    """Show the scenario form in the sidebar; submitting it solves (see :func:`apply_form`)."""
    ss = st.session_state
    with st.sidebar, st.form(f"watals_{version}"):
        st.markdown("**Scenario doorrekenen**")
        st.text_input(
            "Budgetplafond gemeente (€ per jaar)",
            value=format_amount(s.budget, decimals=2 if s.budget % 1 else 0),
            placeholder="bijvoorbeeld 5.920.000 of 5,92 mln",
            help="Typ het bedrag zoals u gewend bent: 5.000.000, € 5.920.000 of 5,92 mln.",
            key=f"budget_{version}",
        )
        st.radio(
            "Rekenwijze",
            list(MODES),
            index=list(MODES).index(ss.mode),
            format_func=lambda m: MODES[m],
            help=MODE_HELP,
            key=f"mode_{version}",
        )
        st.number_input(
            "Zwaarte van hoge cijfers (complexiteit)",
            min_value=0.0,
            max_value=3.0,
            value=float(s.complexiteit),
            step=0.25,
            format="%.2f",
            help=(
                "Hoe sterk de behoefte meegroeit waar de cijfers hoog zijn: 0 = alleen het "
                "aantal betrokken inwoners telt, 1 = een wijk met index 150 telt elke "
                "betrokken inwoner 1,5 keer."
            ),
            key=f"complexiteit_{version}",
        )
        st.number_input(
            "Maximale wijziging t.o.v. nu (%)",
            min_value=0.0,
            max_value=1000.0,
            value=100.0 * (s.max_wijziging if s.max_wijziging is not None else 10.0),
            step=10.0,
            format="%.0f",
            help="Hoeveel de uren per team en discipline ten hoogste mogen veranderen.",
            key=f"wijziging_{version}",
        )
        st.form_submit_button(
            "Formatie berekenen",
            type="primary",
            width="stretch",
            on_click=apply_form,
            args=(version,),
        )


def apply_form(version: int) -> None:
    """Make the submitted form (mode and discipline edits included) the scenario; solve.

    Runs as the submit button's callback, before the page is drawn, so the page and the
    form show the new scenario in the same run (the budget as understood: € 5.000.000).
    """
    ss = st.session_state
    s: optimize.Scenario = ss.scenario
    try:
        budget = optimize.parse_amount(ss[f"budget_{version}"], name="Budgetplafond")
        new = s.replace(
            budget=budget,
            complexiteit=float(ss[f"complexiteit_{version}"]),
            max_wijziging=float(ss[f"wijziging_{version}"]) / 100.0,
        )
        edits = (ss.get(f"disc_{version}") or {}).get("edited_rows", {})
        for position, changes in edits.items():
            key = s.keys[int(position)]
            d = new.discipline(key)
            numbers = {
                col: float(v)
                for col, v in changes.items()
                if col in ("kosten_per_uur", "min_uren", "max_uren", "gewicht") and v is not None
            }
            if any(v != getattr(d, col) for col, v in numbers.items()):
                new = new.with_discipline(key, **numbers)
    except (*PROJECT_ERRORS, TypeError, ValueError) as exc:
        ss.form_errors = [clean_message(str(exc))]
        return
    ss.scenario = new
    ss.mode = ss[f"mode_{version}"]
    # the form shows the budget back as understood (€ 5.000.000)
    ss[f"budget_{version}"] = format_amount(budget, decimals=2 if budget % 1 else 0)
    try:
        run_solve()
    except PROJECT_ERRORS as exc:
        ss.form_errors = [clean_message(str(exc))]


# ---------------------------------------------------------------------------- the page


def render() -> None:
    """Formatie: the what-if planner."""
    st.title("Formatie")
    ss = st.session_state
    if current_profiles() is None:
        return
    misfit = scenario_misfit(ss.source, ss.scenario)
    if misfit:
        render_misfit(misfit)
        return
    render_proposal_notes()
    s: optimize.Scenario = ss.scenario
    version = ss.form_version
    for message in ss.get("form_errors", []):
        st.error(message, icon=":material/error:")
    ss.form_errors = []
    top = st.container()
    why = st.container()
    with st.expander("Kosten, grenzen en gewichten per discipline"):
        render_discipline_editor(s, version)
    render_form(s, version)
    result = ensure_result()
    with top:
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
    with why:
        render_why(result)
        st.subheader("Uitleg")
        render_explanation(result.explanation)
    render_sweep()
    if ss.source != cached.HAARLEM:
        with st.expander("Ander scenario voorstellen voor deze gegevens"):
            render_proposal_form("voorstel_extra")


def render_headline(result: optimize.Result) -> None:
    """Show the headline figures, without contradictions between them."""
    ss = st.session_state
    by_budget, by_bounds = optimize.shortfall_split(result)
    total = float(result.formation.to_numpy().sum())
    now = float(result.wide("huidig_uren").to_numpy().sum())
    r1 = st.columns(2)
    r1[0].metric("Budget gebruikt", format_amount(result.budget_used))
    r1[1].metric("Budget over", format_amount(result.budget_left))
    r2 = st.columns(2)
    r2[0].metric(
        "Uren per week",
        nl(total, 1),
        delta=f"{nl(total - now, 1, sign=True).replace('−', '-')} t.o.v. nu",
        delta_color="off",
    )
    r2[1].metric(
        "Grootste tekort (budget)",
        pct(result.max_tekort),
        help=(
            "Het grootste tekort van één team op één discipline, als deel van wat de grenzen "
            "per team toelaten. 0% = het budget is genoeg voor wat de grenzen toestaan."
        ),
    )
    r3 = st.columns(2)
    r3[0].metric(
        "Tekort door budget",
        f"{nl(by_budget, 1)} uur",
        help="Uren per week die de behoefte binnen de grenzen vraagt maar het budget niet betaalt.",
    )
    r3[1].metric(
        "Tekort door grenzen",
        f"{nl(by_bounds, 1)} uur",
        help=(
            "Uren per week behoefte die de grenzen per team (maximum uren, maximale "
            "wijziging t.o.v. nu) niet toelaten, ook als er budget genoeg is."
        ),
    )
    seconds = 1000 * (ss.seconds or result.seconds)
    st.caption(f"{MODES[result.mode]}; uitkomst {result.status}; doorgerekend in {seconds:.0f} ms.")


def formation_view(result: optimize.Result) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cells "uren (verschil met nu)" per team × discipline, and their colours."""
    names = {d.key: d.naam for d in result.scenario.disciplines}
    hours = result.formation.rename(columns=names)
    diff = result.wide("verschil_huidig").rename(columns=names)
    hours["Totaal"] = hours.sum(axis=1)
    diff["Totaal"] = diff.sum(axis=1)
    text = hours.copy().astype(object)
    for col in hours.columns:
        text[col] = [
            f"{nl(h, 1)} ({nl(d, 1, sign=True)})" if abs(d) >= 0.05 else f"{nl(h, 1)} (=)"
            for h, d in zip(hours[col], diff[col], strict=True)
        ]

    def colour(v: float) -> str:
        if v > 0.05:
            return "background-color: #c7e9c0; color: #00441b"
        if v < -0.05:
            return "background-color: #fcbba1; color: #67000d"
        return ""

    css = diff.map(colour)
    text.index.name = "Team"
    css.index.name = "Team"
    return text, css


def render_result(result: optimize.Result) -> None:
    """First screen: headline figures and the coverage map, then the formation."""
    ss = st.session_state
    left, right = st.columns([5, 4])
    with left:
        render_headline(result)
        render_shortfall_sentence(result)
    with right:
        if geo.has_polygons(cached.profiles_of(ss.source)):
            render_coverage_map(result)
        else:
            st.info(
                "Geen kaart: de geladen gegevens hebben geen buurtgrenzen (zie de pagina "
                "Data). De formatie hieronder is volledig.",
                icon=":material/map:",
            )
    render_formation(result)


def render_coverage_map(result: optimize.Result) -> None:
    """Show the coverage map of a result (only when the data has polygons)."""
    ss = st.session_state
    center, zoom = map_view(ss.source, height=360, width=420)
    st_folium(
        cached.formation_map(ss.source, result),
        key="dekking",
        height=360,
        center=center,
        zoom=zoom,
        use_container_width=True,
        returned_objects=[],
    )
    st.caption(f"Dekking van de behoefte per team (laagste discipline). {BRON}")


def render_formation(result: optimize.Result) -> None:
    """Show the formation table and the totals."""
    st.subheader("Formatie (uren per week, tussen haakjes het verschil met nu)")
    text, css = formation_view(result)
    st.dataframe(
        text.style.apply(lambda _: css, axis=None),
        width="stretch",
        height=36 * (len(text) + 1) + 3,
        key="formatie_tabel",
        column_config={"_index": st.column_config.TextColumn("Team", width=250, pinned=True)},
    )
    st.caption("Groen: meer uren dan nu; rood: minder uren dan nu; (=): gelijk.")
    with st.expander("Totalen per team en per discipline"):
        teams = result.team_totals().rename(columns=TOTAL_COLUMNS)
        teams.index.name = "team"
        discs = result.discipline_totals().set_index("naam").rename(columns=TOTAL_COLUMNS)
        discs.index.name = "discipline"
        formats = {"kosten (€ per jaar)": "€", "dekking": "%"}
        st.dataframe(dutch(teams, formats), width="stretch", key="totalen_teams")
        st.dataframe(dutch(discs, formats), width="stretch", key="totalen_disciplines")


#: Dutch column names of the totals per team and per discipline (no raw keys on screen).
TOTAL_COLUMNS = {
    "uren": "uren per week",
    "fte": "fte",
    "personen": "personen",
    "kosten": "kosten (€ per jaar)",
    "doel_uren": "behoefte (uren)",
    "huidig_uren": "nu (uren)",
    "uniform_uren": "gelijk verdeeld (uren)",
    "tekort_uren": "tekort (uren)",
    "dekking": "dekking",
}


# ---------------------------------------------------------------------------- Waarom?

THEME_COLUMNS = {
    "behoefte": "betrokken inwoners",
    "per_1000": "per 1.000 inwoners",
    "per_1000_gemeente": "per 1.000 (gemeente)",
    "index": "index (100 = gemiddeld)",
    "factor": "complexiteitsfactor",
    "aandeel": "aandeel in de behoefte van de gemeente",
}
DISCIPLINE_COLUMNS = {
    "naam": "discipline",
    "thema": "volgt thema",
    "aandeel": "aandeel behoefte",
    "aandeel_inwoners": "aandeel inwoners",
    "doel_uren": "doel (uur)",
    "uren": "toegekend (uur)",
    "huidig_uren": "nu (uur)",
    "verschil_huidig": "verschil",
    "begrensd_door": "begrensd door",
    "uren_per_1000": "uur per 1.000 inwoners",
    "uren_per_1000_gemeente": "idem gemeente",
}


def render_why(result: optimize.Result) -> None:
    """Per team: from data to hours in one view, and a comparison with another team."""
    ss = st.session_state
    need = cached.team_need(ss.source)
    teams = list(result.teams)
    with st.expander("Waarom? Van gegevens naar uren per team", icon=":material/help:"):
        c1, c2, c3 = st.columns(3)
        team = c1.selectbox("Team", teams, key="waarom_team")
        names = {d.key: d.naam for d in result.scenario.disciplines}
        discipline = c2.selectbox(
            "Discipline", list(names), format_func=lambda k: names[k], key="waarom_discipline"
        )
        others = [t for t in teams if t != team]
        default = int(np.argmax([float(need["inwoners"].get(t, 0.0)) for t in others]))
        other = c3.selectbox("Vergelijk met", others, index=default, key="waarom_ander")
        inw = float(need["inwoners"][team])
        share = inw / float(need["inwoners"].sum())
        st.markdown(
            f"**{md(team)}**: {nl(inw, 0)} inwoners ({md(pct(share))} van de gemeente); "
            f"complexiteit {md(nl(result.scenario.complexiteit, 2))}."
        )
        try:
            themes = optimize.team_themes(need, result.scenario, team)
            discs = optimize.team_disciplines(result, need, team)
            labels = dict(cached.profiles_of(ss.source).team.labels)
            sentence = optimize.compare_teams(result, need, team, other, discipline, labels=labels)
            themes = themes.rename(index=labels)
            discs["thema"] = [
                ", ".join(labels.get(k, k) for k in result.scenario.discipline(key).behoefte)
                for key in discs.index
            ]
        except PROJECT_ERRORS as exc:
            show_error(exc)
            return
        st.info(md(sentence), icon=":material/balance:")
        st.markdown("**1. Behoefte per thema** (uit de buurtcijfers)")
        st.dataframe(
            dutch(
                themes.rename(columns=THEME_COLUMNS),
                {
                    THEME_COLUMNS["behoefte"]: 0,
                    THEME_COLUMNS["per_1000"]: 0,
                    THEME_COLUMNS["per_1000_gemeente"]: 0,
                    THEME_COLUMNS["index"]: 0,
                    THEME_COLUMNS["factor"]: 2,
                    THEME_COLUMNS["aandeel"]: "%",
                },
            ),
            width="stretch",
            key="waarom_themas",
        )
        st.markdown(
            "**2. Van behoefte naar uren per discipline** (doel = naar behoefte; toegekend = "
            "binnen budget en grenzen)"
        )
        shown = discs.drop(columns=["dekking"]).rename(columns=DISCIPLINE_COLUMNS)
        st.dataframe(
            dutch(
                shown,
                {
                    DISCIPLINE_COLUMNS["aandeel"]: "%",
                    DISCIPLINE_COLUMNS["aandeel_inwoners"]: "%",
                    DISCIPLINE_COLUMNS["verschil_huidig"]: "+",
                    DISCIPLINE_COLUMNS["uren_per_1000"]: 2,
                    DISCIPLINE_COLUMNS["uren_per_1000_gemeente"]: 2,
                },
            ),
            width="stretch",
            hide_index=True,
            key="waarom_disciplines",
        )


# ---------------------------------------------------------------------------- budget curve


def sweep_chart(curve: pd.DataFrame, y: str, title: str, budget: float) -> Any:
    """Line of ``y`` against the budget, with the current budget marked."""
    base = alt.Chart(curve).encode(
        x=alt.X("budget:Q", title="budget (€ per jaar)", axis=alt.Axis(format="$,.0f"))
    )
    line = base.mark_line(point=True).encode(
        y=alt.Y(f"{y}:Q", title=title),
        tooltip=[
            alt.Tooltip("budget:Q", title="budget", format="$,.0f"),
            alt.Tooltip(f"{y}:Q", title=title, format=",.1f"),
        ],
    )
    rule = (
        alt.Chart(pd.DataFrame({"budget": [budget], "label": ["huidig budget"]}))
        .mark_rule(color="#b2182b", strokeDash=[4, 3])
        .encode(
            x="budget:Q", tooltip=alt.Tooltip("budget:Q", title="huidig budget", format="$,.0f")
        )
    )
    return (line + rule).properties(height=260).configure(locale=DUTCH_LOCALE)


def render_sweep() -> None:
    """Budget sweep (Pareto curve) on request; the current budget is marked."""
    ss = st.session_state
    with st.expander("Budgetcurve: wat levert meer of minder budget op?"):
        budget = float(ss.scenario.budget)
        c1, c2 = st.columns(2)
        lo_text = c1.text_input("Van (€)", value=format_amount(round(0.6 * budget, -4)))
        hi_text = c2.text_input("Tot (€)", value=format_amount(round(1.3 * budget, -4)))
        if st.button("Budgetcurve berekenen", key="sweep_knop"):
            try:
                lo = optimize.parse_amount(lo_text, name="Van")
                hi = optimize.parse_amount(hi_text, name="Tot")
            except PROJECT_ERRORS as exc:
                show_error(exc)
                return
            ss.sweep_request = (lo, hi)
        req = ss.get("sweep_request")
        if req is None:
            return
        if req[1] <= req[0]:
            st.error("Budgetcurve: 'Tot' moet groter zijn dan 'Van'.")
            return
        budgets = tuple(float(b) for b in np.linspace(req[0], req[1], 21))
        toml = optimize.scenario_to_toml(ss.scenario)
        try:
            curve = cached.budget_curve(ss.source, toml, budgets).copy()
        except PROJECT_ERRORS as exc:
            show_error(exc)
            return
        curve["grootste_pct"] = 100 * curve["max_tekort"]
        c1, c2 = st.columns(2)
        c1.altair_chart(
            sweep_chart(curve, "grootste_pct", "grootste tekort (%)", budget), width="stretch"
        )
        c2.altair_chart(
            sweep_chart(curve, "totaal_tekort", "totaal tekort (uur/week)", budget),
            width="stretch",
        )
        st.caption(
            "Berekend met uren met decimalen (de snelle rekenwijze); onhaalbare budgetten "
            "ontbreken. De rode stippellijn is het huidige budget."
        )


# ------------------------------------------------------------ a scenario that fits


def render_shortfall_sentence(result: optimize.Result) -> None:
    """Say what "grootste tekort" means next to the coverage, as ``wijkteam allocate`` does.

    The largest shortfall is the part of the attainable need (need within the bounds per
    team) that the budget leaves unpaid; what the bounds themselves keep out is a separate
    gap, which is why coverage can stay below 100% while the largest shortfall is 0%.
    """
    by_budget, by_bounds = optimize.shortfall_split(result)
    cover = result.team_totals()["dekking"]
    st.caption(
        f"Grootste tekort {pct(result.max_tekort)} = het grootste deel van de haalbare "
        f"behoefte dat het budget niet betaalt ({nl(by_budget, 1)} uur per week in totaal); "
        "los daarvan houden de grenzen per team (maximum uren, maximale wijziging, "
        f"vastgezette uren) {nl(by_bounds, 1)} uur per week buiten bereik. Samen geeft dat "
        f"de dekking van {pct(float(cover.min()))} tot {pct(float(cover.max()))} per team."
    )


def render_misfit(misfit: tuple[str, ...]) -> None:
    """Say why the open scenario does not fit the data and propose one that does."""
    ss = st.session_state
    profiles = cached.profiles_of(ss.source)
    for message in scenario_errors(ss.source, ss.scenario):
        st.error(md(message), icon=":material/error:")
    st.warning(
        f"**Het open scenario past niet op de gegevens van {md(profiles.gemeentenaam)}**: "
        + md("; ".join(misfit))
        + ". Maak hieronder met één klik een scenario dat wel past: de disciplines en kosten "
        "per uur van het Haarlemse voorbeeld, voor de teams en de thema's van deze gegevens. "
        "U kunt ook een passend scenario openen op de pagina Scenario's.",
        icon=":material/rule:",
    )
    render_proposal_form("voorstel")


def render_proposal_form(key: str) -> None:
    """Budget (optional) and the one-click proposal (:func:`optimize.propose_scenario`)."""
    ss = st.session_state
    profiles = cached.profiles_of(ss.source)
    need = cached.team_need(ss.source)
    per_inhabitant = cached.default_scenario().budget / HAARLEM_INWONERS
    inhabitants = float(need["inwoners"].sum()) if "inwoners" in need.columns else float("nan")
    if inhabitants == inhabitants:
        basis = (
            f"Zonder eigen budget rekent het voorstel met de Haarlem-norm: "
            f"{format_amount(cached.default_scenario().budget)} voor "
            f"{nl(HAARLEM_INWONERS, 0)} inwoners = {format_amount(per_inhabitant, decimals=2)} "
            f"per inwoner, × {nl(inhabitants, 0)} inwoners van {md(profiles.gemeentenaam)} = "
            f"ongeveer {format_amount(round(per_inhabitant * inhabitants, -3))} per jaar."
        )
    else:
        basis = "Deze gegevens hebben geen inwonertallen: vul een eigen budget in."
    text = st.text_input(
        "Eigen budget (€ per jaar, optioneel)",
        key=f"{key}_budget",
        placeholder="leeg: de Haarlem-norm per inwoner",
    )
    st.caption(
        f"{basis} De teams zijn die van de gegevens ({md(', '.join(map(str, need.index[:6])))}"
        f"{' …' if len(need) > 6 else ''}); de huidige uren zijn gelijk verdeeld over de teams."
    )
    if not st.button("Passend scenario maken", type="primary", key=f"{key}_knop"):
        return
    try:
        budget = optimize.parse_amount(text, name="Eigen budget") if text.strip() else None
        proposal = cached.proposal(ss.source, budget)
    except PROJECT_ERRORS as exc:
        st.error(in_words(str(exc)), icon=":material/error:")
        return
    use_proposal(proposal)
    st.rerun()


def render_proposal_notes() -> None:
    """Say where the numbers of a proposed (not yet saved) scenario came from."""
    ss = st.session_state
    notes = ss.get("proposal_notes")
    if not notes or ss.scenario_name is not None:
        return
    with st.expander(
        "Voorgesteld scenario, nog niet opgeslagen: waar komen de getallen vandaan?",
        icon=":material/lightbulb:",
    ):
        st.info(
            "\n".join(f"- {md(in_words(note))}" for note in notes)
            + "\n\nBewaar het scenario op de pagina Scenario's.",
        )


PAGE = Page("Formatie", "formatie", ":material/groups:", render)
