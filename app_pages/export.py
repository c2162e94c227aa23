"""Export: the formation as Excel/CSV, the maps as HTML, the scenario as TOML."""

from __future__ import annotations

import streamlit as st

import optimize
from app_pages import cached
from app_pages.state import current_profiles, ensure_result
from app_pages.widgets import BRON, Page


def render() -> None:
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
        cached.map_html(ss.source, f"index_{theme}").encode("utf-8"),
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
