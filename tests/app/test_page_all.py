"""Every page of the app loads (AppTest), on the embedded Haarlem data."""

from __future__ import annotations

import pytest
from app_helpers import PAGES, errors, goto
from streamlit.testing.v1 import AppTest  # noqa: TID251 (tests drive the app)

pytestmark = [
    # AppTest runs the script outside a server; streamlit says so once per thread.
    pytest.mark.filterwarnings("ignore:.*missing ScriptRunContext.*"),
]


@pytest.mark.parametrize("title", PAGES)
def test_every_page_loads_without_exception_or_error(app: AppTest, title: str) -> None:
    goto(app, title)
    assert errors(app) == []
    assert [t.value for t in app.title] == [title]
    assert "Haarlem" in "".join(m.value for m in app.sidebar.markdown)
