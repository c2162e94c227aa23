"""wijkteam app: profieltaarten, what-if formation planner and scenarios (Streamlit).

Start with ``make app`` (``streamlit run app.py``). This router sets the page config, fills
the session state, shows the pages of :mod:`app_pages` with ``st.navigation`` and the
sidebar; each page lives in its own module. All user-facing text is Dutch.
"""

from __future__ import annotations

import streamlit as st

from app_pages import PAGES
from app_pages.sidebar import render_sidebar
from app_pages.state import init_state
from app_pages.widgets import render_dutch_chrome

st.set_page_config(
    page_title="wijkteam – profieltaarten en formatie",
    page_icon=":material/diversity_3:",
    layout="wide",
    initial_sidebar_state="expanded",
)


def main() -> None:
    """Route to the pages."""
    init_state()
    render_dutch_chrome()
    pages = [
        st.Page(p.render, title=p.title, url_path=p.url_path, icon=p.icon, default=(i == 0))
        for i, p in enumerate(PAGES)
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
