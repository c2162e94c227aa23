"""Teamgebieden: design contiguous team areas with an even workload; use them for the formation.

For a chosen number of teams, building block (wijken whole or buurten), what to balance
(the formation's target hours or inhabitants), wijken to keep whole and teams to keep as
they are, :func:`geo.design_team_areas` draws the areas (exact MILP for up to 30 free units,
else local search) with the workload of :func:`wijkteam.workload.buurt_workload`. The page
compares them with today's areas (map and figures), offers the team table as CSV, the
table over a range of team counts on request, and makes the design the teams of the loaded
data with a fitting scenario (:func:`optimize.propose_scenario`) for the Formatie page.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import geo
import optimize
import safeio
from app_pages import cached
from app_pages.cached import AreaOptions, SourceKey
from app_pages.data import store_bytes
from app_pages.state import current_profiles, scenario_misfit, switch_source, use_proposal
from app_pages.widgets import BRON, PROJECT_ERRORS, Page, dutch, map_view, md, nl
from app_pages.wording import show_in_words

#: Building blocks and balances in words.
UNITS = {"wijk": "Wijken (blijven heel)", "buurt": "Buurten (wijken mogen splitsen)"}
BALANCES = {"behoefte": "Werklast (doeluren naar behoefte)", "inwoners": "Inwoners"}
#: Seconds the exact model may take by default (the wijk-level MILP takes 5–25 s).
TIME_LIMIT = 30.0
SUMMARY_COLUMNS = {
    "werklast": "werklast (uur per week)",
    "afwijking_werklast": "afwijking werklast (%)",
    "inwoners": "inwoners",
    "afwijking_inwoners": "afwijking inwoners (%)",
    "wijken": "wijken",
    "buurten": "buurten",
    "vastgezet": "vastgezet",
}
COUNT_COLUMNS = {
    "werklast_gemiddeld": "werklast per team, gemiddeld",
    "werklast_min": "kleinste team",
    "werklast_max": "grootste team",
    "max_min": "grootste / kleinste",
    "spreiding_pct": "grootste afwijking (%)",
    "inwoners_gemiddeld": "inwoners per team",
    "inwoners_max_min": "inwoners grootste / kleinste",
    "professionals_per_team": "professionals per team",
    "methode": "methode",
    "optimaal": "bewezen optimaal",
}


def proof(areas: geo.TeamAreas) -> str:
    """Say in words how the design was found and whether it is proven optimal."""
    if areas.method == "milp":
        if areas.optimal:
            return "exact model, bewezen optimaal"
        gap = f" (afstand tot de ondergrens {nl(100 * areas.gap, 1)}%)" if areas.gap else ""
        return f"exact model, tijdslimiet bereikt: niet bewezen optimaal{gap}"
    return "lokaal zoeken, een heuristiek: niet bewezen optimaal"


def comparison(areas: geo.TeamAreas, current: geo.AreaBalance) -> pd.DataFrame:
    """Return the balance figures of the design against today's areas, as Dutch text."""

    def figures(b: geo.AreaBalance) -> list[str]:
        s = b.summary
        return [
            str(len(s)),
            f"{nl(float(s['werklast'].min()), 0)}–{nl(float(s['werklast'].max()), 0)}",
            nl(b.workload_max_min, 2),
            f"{nl(100 * b.workload_spread, 1)}%",
            f"{nl(float(s['inwoners'].min()), 0)}–{nl(float(s['inwoners'].max()), 0)}",
            nl(b.inwoners_max_min, 2),
        ]

    return pd.DataFrame(
        {"ontwerp": figures(areas.balance), "huidige teams": figures(current)},
        index=pd.Index(
            [
                "aantal teams",
                "werklast per team (uur per week)",
                "werklast grootste / kleinste team",
                "grootste afwijking van het gemiddelde",
                "inwoners per team",
                "inwoners grootste / kleinste team",
            ],
            name="",
        ),
    )


def team_table_csv(areas: geo.TeamAreas) -> bytes:
    """Return the design as a team table (``buurtcode;…;team``) the Data page reads back."""
    table = areas.table.reset_index()
    table["bron"] = "CBS, RIVM, PDOK"
    text = safeio.csv_frame(table).to_csv(sep=";", decimal=",", index=False)
    return text.encode("utf-8-sig")  # no comment line: it must read back as a team table


def _toml(scenario: optimize.Scenario) -> str:
    return optimize.scenario_to_toml(scenario)


def render_form(profiles: geo.Profiles, default_n: int) -> None:
    """Show the design options; submitting stores the request (the design runs below)."""
    ss = st.session_state
    info = profiles.indicators.info
    wijken = info.groupby("wijkcode")["wijknaam"].first().astype(str).to_dict()
    teams = sorted(map(str, info["team"].unique()))
    with st.form("teamgebieden_form"):
        c1, c2, c3 = st.columns([1, 2, 2])
        c1.number_input(
            "Aantal teams",
            min_value=1,
            max_value=len(info),
            value=default_n,
            step=1,
            key=f"ta_n_{default_n}",
        )
        c2.radio("Bouwstenen", list(UNITS), format_func=UNITS.__getitem__, key="ta_unit")
        c3.radio(
            "Wat gelijk moet zijn",
            list(BALANCES),
            format_func=BALANCES.__getitem__,
            key="ta_balance",
        )
        c4, c5, c6 = st.columns([2, 2, 1])
        c4.multiselect(
            "Wijken heel houden (bij buurten als bouwsteen)",
            list(wijken),
            format_func=lambda w: f"{wijken[w]} ({w})",
            key="ta_keep",
            placeholder="geen: alle wijken mogen splitsen",
        )
        c5.multiselect(
            "Teams die blijven zoals ze zijn", teams, key="ta_pinned", placeholder="geen"
        )
        c6.number_input(
            "Tijdslimiet (s)",
            min_value=1,
            max_value=600,
            value=int(TIME_LIMIT),
            step=5,
            key="ta_limit",
            help="Het exacte model (wijken heel) kan 5–25 seconden duren; bij de limiet "
            "geeft het het beste ontwerp tot dan, niet bewezen optimaal.",
        )
        if st.form_submit_button("Teamgebieden ontwerpen", type="primary"):
            ss.areas_request = {
                "source": ss.source,
                "toml": _toml(ss.scenario),
                "n": int(ss[f"ta_n_{default_n}"]),
                "options": (
                    str(ss.ta_unit),
                    str(ss.ta_balance),
                    tuple(ss.ta_keep),
                    tuple(ss.ta_pinned),
                    float(ss.ta_limit),
                ),
            }


def design(request: dict[str, Any]) -> geo.TeamAreas | None:
    """Run (or reuse) the design with its progress shown; a project error gives ``None``."""
    source, toml, n = request["source"], request["toml"], request["n"]
    options: AreaOptions = request["options"]
    unit = UNITS[options[0]].split(" (")[0].lower()
    with st.status(f"{n} teamgebieden ontwerpen uit {unit}…", expanded=False) as status:
        try:
            st.write("Werklast per buurt uit de behoefte en het scenario…")
            cached.area_workload(source, toml)
            st.write("Aaneengesloten gebieden zoeken…")
            areas = cached.design_areas(source, toml, n, options)
        except PROJECT_ERRORS as exc:
            status.update(label="Ontwerpen lukte niet", state="error")
            show_in_words(exc)
            return None
        status.update(
            label=f"{n} teamgebieden ontworpen in {nl(areas.seconds, 1)} s ({proof(areas)})",
            state="complete",
        )
    return areas


def render_design(areas: geo.TeamAreas, request: dict[str, Any]) -> None:
    """Compare the design with today's areas: figures, map, per-team table, download."""
    source, toml = request["source"], request["toml"]
    current = cached.current_balance(source, toml)
    left, right = st.columns([1, 1])
    with left:
        st.markdown("**Ontwerp tegen de huidige teams**")
        st.dataframe(comparison(areas, current), width="stretch", key="ta_vergelijking")
        st.caption(
            "Werklast: de doeluren per week die de formatie naar behoefte zou geven, per buurt "
            "opgeteld; een planningscijfer, geen caseload. Afwijking: hoeveel het zwaarste of "
            "lichtste team van het gemiddelde afwijkt."
        )
        if areas.bridges:
            st.caption(
                "Niet aangrenzend, toch verbonden (eilanden of water): "
                + ", ".join(f"{md(a)}–{md(b)}" for a, b in areas.bridges)
            )
    with right:
        center, zoom = map_view(source, height=520, width=460)
        st_folium(
            cached.areas_map(source, toml, request["n"], request["options"]),
            key="ta_kaart",
            height=520,
            center=center,
            zoom=zoom,
            use_container_width=True,
            returned_objects=[],
        )
        st.caption(
            "Gekleurd: de nieuwe teamgebieden; rode stippellijn: de huidige. Beide lagen zijn "
            f"rechtsboven aan en uit te zetten. {BRON}"
        )
    summary = areas.balance.summary.sort_values("werklast", ascending=False)
    shown = summary.rename(columns=SUMMARY_COLUMNS)
    shown["vastgezet"] = summary["vastgezet"].map({True: "ja", False: "nee"})
    shown.index.name = "team"
    st.dataframe(
        dutch(shown, {"inwoners": 0, "wijken": 0, "buurten": 0}),
        width="stretch",
        key="ta_teams",
    )
    c1, c2 = st.columns(2)
    c1.download_button(
        "Teamtabel downloaden (CSV)",
        team_table_csv(areas),
        file_name=f"teamgebieden_{areas.n_teams}.csv",
        mime="text/csv",
        help="buurtcode → team; op de pagina Data te laden als teamtabel.",
        key="ta_download",
    )
    if c2.button("Gebruik voor de formatie", type="primary", key="ta_gebruik"):
        use_for_formation(areas, source)


def use_for_formation(areas: geo.TeamAreas, source: SourceKey) -> None:
    """Make the design the teams of the loaded data, with a fitting scenario; keep on error."""
    ss = st.session_state
    try:
        name = f"teamgebieden_{areas.n_teams}.csv"
        teams = store_bytes("teams", name, team_table_csv(areas))
        files = (*(f for f in source[2] if f[0] != "teams"), teams)
        kind = "haarlem" if source[0] == "haarlem" else "upload"
        new: SourceKey = (kind, source[1], files)
        cached.load_profiles(new)
        budget = None if scenario_misfit(source, ss.scenario) else float(ss.scenario.budget)
        proposal = cached.proposal(new, budget)
    except PROJECT_ERRORS as exc:
        show_in_words(exc)
        return
    switch_source(new)
    if ss.get("kept_files"):
        ss.kept_files = files
    use_proposal(proposal)
    ss.ta_used = [
        f"De {areas.n_teams} nieuwe teamgebieden zijn nu de teams van de gegevens, met een "
        "passend scenario (budget "
        + optimize.format_amount(proposal.scenario.budget)
        + ("; als in het vorige scenario" if budget is not None else "; Haarlem-norm per inwoner")
        + "). Zie de pagina Formatie."
    ]
    st.rerun()


def render_counts(profiles: geo.Profiles, request_options: AreaOptions) -> None:
    """Show the table over a range of team counts and the suggestion (on request: slow)."""
    ss = st.session_state
    with st.expander("Hoeveel teams? Vergelijk een reeks (duurt tot enkele minuten)"):
        st.caption(
            "Voor elk aantal teams het beste ontwerp met de gekozen bouwstenen. Het voorstel: "
            "het aantal waarbij elk team 8 à 10 professionals heeft (norm uit de AEF-evaluatie) "
            "en de werklast het gelijkst is."
        )
        n_now = int(profiles.indicators.info["team"].nunique())
        c1, c2 = st.columns(2)
        lo = c1.number_input("Van", min_value=1, value=max(1, n_now - 2), step=1, key="ta_lo")
        hi = c2.number_input("Tot en met", min_value=1, value=n_now + 2, step=1, key="ta_hi")
        if st.button("Tabel berekenen", key="ta_counts"):
            if hi < lo:
                st.error("Aantal teams: 'Tot en met' moet minstens 'Van' zijn.")
                return
            ss.counts_request = {
                "source": ss.source,
                "toml": _toml(ss.scenario),
                "counts": tuple(range(int(lo), int(hi) + 1)),
                "options": request_options,
            }
        req = ss.get("counts_request")
        if req is None or req["source"] != ss.source:
            return
        with st.status(f"Ontwerpen voor {len(req['counts'])} aantallen teams…") as status:
            try:
                counts = cached.team_counts(
                    req["source"], req["toml"], req["counts"], req["options"]
                )
            except PROJECT_ERRORS as exc:
                status.update(label="Berekenen lukte niet", state="error")
                show_in_words(exc)
                return
            status.update(label="Tabel berekend", state="complete", expanded=False)
        table = counts.table.rename(columns=COUNT_COLUMNS)
        table["bewezen optimaal"] = counts.table["optimaal"].map({True: "ja", False: "nee"})
        table.index.name = "aantal teams"
        st.dataframe(
            dutch(
                table,
                {
                    "grootste / kleinste": 2,
                    "inwoners per team": 0,
                    "inwoners grootste / kleinste": 2,
                },
            ),
            width="stretch",
            key="ta_aantallen",
        )
        if counts.suggested is not None:
            if ss.get("areas_suggested") != counts.suggested:
                ss.areas_suggested = int(counts.suggested)
                st.rerun()  # the form above takes the suggestion as its count
            st.success(
                f"Voorstel: **{counts.suggested} teams**. {md(counts.reason)}. Dit aantal staat "
                "nu bovenaan ingevuld."
            )
        else:
            st.info(md(counts.reason))


def render() -> None:
    """Teamgebieden: design, compare, download, use for the formation."""
    st.title("Teamgebieden")
    ss = st.session_state
    for message in ss.pop("ta_used", []):
        st.success(message, icon=":material/check_circle:")
    profiles = current_profiles()
    if profiles is None:
        return
    st.markdown(
        "Ontwerp **aaneengesloten teamgebieden** met een zo gelijk mogelijke werklast en "
        "vergelijk ze met de huidige indeling. De werklast is wat de formatie naar behoefte "
        "zou geven (doeluren per week), per buurt uit de cijfers en het open scenario."
    )
    if not geo.has_polygons(profiles):
        st.info(
            "Teamgebieden vragen buurtgrenzen (welke buurten aan elkaar grenzen); de geladen "
            "gegevens hebben alleen tabellen. Voeg op de pagina Data de Wijk- en buurtkaart "
            "van CBS toe.",
            icon=":material/map:",
        )
        return
    n_now = int(profiles.indicators.info["team"].nunique())
    suggested = ss.get("areas_suggested")
    render_form(profiles, int(suggested) if suggested else n_now)
    request = ss.get("areas_request")
    if request is not None and request["source"] == ss.source:
        areas = design(request)
        if areas is not None:
            render_design(areas, request)
        options = request["options"]
    else:
        st.caption(f"Nu: {n_now} teams. Kies de opties en klik op *Teamgebieden ontwerpen*.")
        options = ("wijk", "behoefte", (), (), TIME_LIMIT)
    render_counts(profiles, options)


PAGE = Page("Teamgebieden", "teamgebieden", ":material/hexagon:", render)
