"""Export: the formation as Excel/CSV, the maps as PNG (for documents) and HTML, the scenario."""

from __future__ import annotations

import streamlit as st

import geo
import optimize
from app_pages import cached
from app_pages.state import current_profiles, ensure_result, saved_state
from app_pages.widgets import BRON, Page


def scenario_title() -> str:
    """Return the name of the open scenario as the user knows it (with its saved state)."""
    ss = st.session_state
    state = saved_state()
    if state == "opgeslagen":
        return str(ss.scenario_name)
    if state == "gewijzigd":
        return f"{ss.scenario_name} (gewijzigd, niet opgeslagen)"
    return f"{ss.scenario.naam} (niet opgeslagen)"


@st.cache_data(show_spinner="Kaart als afbeelding tekenen…", max_entries=32)
def profile_png(source: cached.SourceKey, column: str) -> bytes:
    """Render the profile map as PNG (cached per data and theme)."""
    return geo.profile_png(cached.profiles_of(source), column=column)


@st.cache_data(show_spinner="Kaart als afbeelding tekenen…", max_entries=32)
def coverage_png(source: cached.SourceKey, result: optimize.Result, title: str) -> bytes:
    """Render the coverage map of a result as PNG."""
    buurten = cached.profiles_of(source).buurten
    return geo.coverage_png(result.coverage, buurten=buurten, title=title)


def render() -> None:
    """Export: formation as Excel/CSV, maps as PNG and HTML, scenario as TOML."""
    st.title("Export")
    ss = st.session_state
    profiles = current_profiles()
    if profiles is None:
        return
    result = ensure_result()
    title = scenario_title()
    st.markdown(f"Scenario: **{title}**")
    st.subheader("Formatie")
    if result is None:
        st.warning("Er is geen haalbare formatie om te exporteren; zie de pagina Formatie.")
    else:
        c1, c2 = st.columns(2)
        c1.download_button(
            "Formatie als Excel (formatie.xlsx)",
            optimize.formation_xlsx_bytes(result, scenario_name=title),
            file_name="formatie.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            help="Eén tabel per blad, met de instellingen, de disciplines en de toelichting.",
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
    column = f"index_{theme}"
    st.markdown("**Als afbeelding (PNG), voor een nota of presentatie**")
    c1, c2 = st.columns(2)
    c1.download_button(
        "Profielkaart (kaart_profielen.png)",
        profile_png(ss.source, column),
        file_name="kaart_profielen.png",
        mime="image/png",
    )
    if result is not None:
        c2.download_button(
            "Dekkingskaart (kaart_dekking.png)",
            coverage_png(ss.source, result, f"Dekking van de behoefte per team – {title}"),
            file_name="kaart_dekking.png",
            mime="image/png",
        )
    st.markdown("**Als interactieve kaart (HTML), te openen in de browser**")
    c1, c2 = st.columns(2)
    c1.download_button(
        "Profielkaart (kaart_profielen.html)",
        cached.map_html(ss.source, column).encode("utf-8"),
        file_name="kaart_profielen.html",
        mime="text/html",
    )
    if result is not None:
        c2.download_button(
            "Dekkingskaart (kaart_dekking.html)",
            str(cached.formation_map(ss.source, result).get_root().render()).encode("utf-8"),
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


PAGE = Page("Export", "export", ":material/download:", render)
