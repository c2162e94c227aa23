"""The Export page (AppTest): the downloads."""

from __future__ import annotations

import pytest
from app_helpers import goto
from streamlit.testing.v1 import AppTest  # noqa: TID251 (tests drive the app)

pytestmark = [
    # AppTest runs the script outside a server; streamlit says so once per thread.
    pytest.mark.filterwarnings("ignore:.*missing ScriptRunContext.*"),
]


def test_export_offers_the_four_downloads(app: AppTest) -> None:
    goto(app, "Export")
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == [
        "Formatie als Excel (formatie.xlsx)",
        "Formatie als CSV (formatie.csv)",
        "Profielkaart (kaart_profielen.html)",
        "Dekkingskaart (kaart_dekking.html)",
        "Scenario (scenario.toml)",
    ]
