"""The sidebar below the navigation: the loaded municipality, the scenario, the source."""

from __future__ import annotations

import streamlit as st

from app_pages.state import current_profiles, saved_state
from app_pages.widgets import BRON, md


def render_sidebar() -> None:
    """Show data, scenario and attribution in the sidebar."""
    ss = st.session_state
    with st.sidebar:
        profiles = current_profiles()
        if profiles is not None:
            st.markdown(f"**Gemeente:** {md(profiles.gemeentenaam)} ({md(profiles.gemeentecode)})")
        state = saved_state()
        if state == "nieuw":
            st.markdown("**Scenario:** nog niet opgeslagen")
        else:
            changed = " (gewijzigd, niet opgeslagen)" if state == "gewijzigd" else ""
            st.markdown(f"**Scenario:** {md(ss.scenario_name)}{changed}")
        st.caption(BRON)
