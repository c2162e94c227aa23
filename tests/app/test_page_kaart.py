"""The Kaart page (AppTest): layers, team and buurt detail."""

from __future__ import annotations

import pytest
from app_helpers import errors, goto
from streamlit.testing.v1 import AppTest  # noqa: TID251 (tests drive the app)

pytestmark = [
    # AppTest runs the script outside a server; streamlit says so once per thread.
    pytest.mark.filterwarnings("ignore:.*missing ScriptRunContext.*"),
]


def test_kaart_shows_team_detail_with_pie_indicators_and_gaps(app: AppTest) -> None:
    goto(app, "Kaart")
    detail = next(s for s in app.selectbox if s.label == "Detail van")
    assert detail.value == "team:Centrum & Rozenprieel"
    table = next(d.value for d in app.dataframe if "herkomst" in d.value.columns)
    assert {"waarde", "gemeente", "verschil"} <= set(table.columns)
    assert "Moeite met rondkomen" in set(table["indicator"])
    text = " ".join(m.value for m in app.markdown)
    # Haarlem's eenpersoonshuishoudens come from the wijk layer only: shown as filled
    assert "Eenpersoonshuishoudens" in text
    assert "aangevuld uit de wijk" in text


def test_kaart_buurt_detail_names_the_provenance_of_each_value(app: AppTest) -> None:
    goto(app, "Kaart")
    detail = next(s for s in app.selectbox if s.label == "Detail van")
    buurt = next(k for k in detail.options if k.startswith("Buurt "))
    detail.set_value(buurt)
    app.run()
    assert not app.exception
    table = next(d.value for d in app.dataframe if "herkomst" in d.value.columns)
    assert set(table["herkomst"]) <= {
        "eigen buurtwaarde",
        "schatting (oppervlakte-gewogen)",
        "aangevuld uit de wijk",
        "aangevuld met gemeentegemiddelde",
        "ontbreekt",
    }
    assert "eigen buurtwaarde" in set(table["herkomst"])


def test_kaart_switches_layer_to_an_indicator(app: AppTest) -> None:
    goto(app, "Kaart")
    next(r for r in app.radio if r.label == "Kaartlaag").set_value("Indicator").run()
    assert not app.exception
    indicator = next(s for s in app.selectbox if s.label == "Indicator")
    indicator.set_value("moeite_rondkomen").run()
    assert not app.exception
    assert errors(app) == []
