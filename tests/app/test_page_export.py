"""The Export page (AppTest): the downloads."""

from __future__ import annotations

import pytest
from app_helpers import goto, save_current
from streamlit.testing.v1 import AppTest  # noqa: TID251 (tests drive the app)

import optimize

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
        "Profielkaart (kaart_profielen.png)",
        "Dekkingskaart (kaart_dekking.png)",
        "Profielkaart (kaart_profielen.html)",
        "Dekkingskaart (kaart_dekking.html)",
        "Scenario (scenario.toml)",
    ]


def test_excel_names_the_open_scenario(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    names: list[str | None] = []
    real = optimize.formation_xlsx_bytes

    def recording(result, *, scenario_name=None):
        names.append(scenario_name)
        return real(result, scenario_name=scenario_name)

    monkeypatch.setattr(optimize, "formation_xlsx_bytes", recording)
    goto(app, "Export")
    assert names[-1] == "Haarlem standaard (tien teams, begroting 2017-2019) (niet opgeslagen)"
    save_current(app, "Krap budget 2026")
    goto(app, "Export")
    assert names[-1] == "Krap budget 2026"  # the old sheet named "Haarlem standaard…"
    assert any("Krap budget 2026" in m.value for m in app.markdown)
