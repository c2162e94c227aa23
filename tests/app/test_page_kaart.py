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


def test_clicking_a_pie_selects_its_team() -> None:
    from app_pages.kaart import clicked_area

    teams = {"Meerwijk", "Centrum & Rozenprieel"}
    # a pie (marker) comes back as its tooltip: the (escaped) team name
    pie = {"last_object_clicked_tooltip": "Centrum &amp; Rozenprieel", "last_active_drawing": None}
    assert clicked_area(pie, {}, teams) == "team:Centrum & Rozenprieel"
    # the same click again is no new click
    assert clicked_area(pie, {"tooltip": "Centrum &amp; Rozenprieel"}, teams) is None
    # a buurt polygon comes back with its code; its tooltip is no team name
    buurt = {
        "last_object_clicked_tooltip": "Buurt Erasmusbuurt Wijk Meerwijk Team Meerwijk",
        "last_active_drawing": {"properties": {"code": "BU03922106", "team": "Meerwijk"}},
    }
    assert clicked_area(buurt, {}, teams) == "buurt:BU03922106"
    # after a buurt, a pie click leaves the drawing as it was: the team wins
    after = {**buurt, "last_object_clicked_tooltip": "Meerwijk"}
    previous = {"tooltip": buurt["last_object_clicked_tooltip"], "code": "BU03922106"}
    assert clicked_area(after, previous, teams) == "team:Meerwijk"
    assert clicked_area(None, {}, teams) is None


def test_kaart_shows_theme_bars_against_100_next_to_the_pie(app: AppTest) -> None:
    goto(app, "Kaart")
    detail = next(s for s in app.selectbox if s.label == "Detail van")
    detail.set_value("team:Meerwijk").run()
    assert not app.exception
    # the pie and the bars of the theme indices (two figures), and Dutch numbers in the table
    assert len(app.get("image")) == 2
    text = " ".join(m.value for m in app.markdown)
    assert "9.195 inwoners" in text
