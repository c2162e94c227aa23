"""The pages of the wijkteam app, one module per page, and their shared parts.

``app.py`` is the router: it sets the page config, fills the session state and shows the
pages listed in :data:`PAGES` with ``st.navigation``. This package is the only place (with
``app.py``) that imports streamlit; each page is a thin view over the public APIs of
:mod:`geo`, :mod:`optimize` and :mod:`wijkteam.scenario_store`.

Adding a page: write ``app_pages/<naam>.py`` with a ``PAGE = Page(...)`` and a ``render()``
function, and add it to :data:`PAGES`. Adding a section to a page: write a small
``render_<section>()`` function in that page's module and call it from its ``render()``.

Shared modules: :mod:`app_pages.state` (session state, the solve), :mod:`app_pages.cached`
(``st.cache_data``/``st.cache_resource`` wrappers of the pure functions),
:mod:`app_pages.widgets` (escaping, messages, Dutch number input, pies, tables) and
:mod:`app_pages.sidebar`.
"""

from __future__ import annotations

from app_pages import data, export, formatie, kaart, scenarios
from app_pages.widgets import Page

#: The pages in navigation order; the first is the default page.
PAGES: tuple[Page, ...] = (kaart.PAGE, formatie.PAGE, scenarios.PAGE, export.PAGE, data.PAGE)

__all__ = ["PAGES", "Page"]
