"""The Data page (AppTest): attribution, coverage, own uploads and rejected ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import (
    BAD,
    ROOT,
    _manifest_cases,
    button,
    errors,
    formation_table,
    goto,
    text_input,
    upload,
)
from streamlit.testing.v1 import AppTest  # noqa: TID251 (tests drive the app)

pytestmark = [
    # AppTest runs the script outside a server; streamlit says so once per thread.
    pytest.mark.filterwarnings("ignore:.*missing ScriptRunContext.*"),
]


def test_data_page_shows_attribution_and_coverage(app: AppTest) -> None:
    goto(app, "Data")
    text = " ".join(m.value for m in app.markdown)
    assert "Bron: CBS, RIVM, PDOK" in text
    cov = next(d.value for d in app.dataframe if "dekking (%)" in d.value.columns)
    assert len(cov) > 10
    assert (cov["dekking (%)"] < 100).any()  # Haarlem has gaps; they are shown


@pytest.mark.parametrize("case", _manifest_cases("indicatoren")[:3], ids=lambda c: c["naam"])
def test_bad_indicator_upload_is_rejected_and_haarlem_kept(app: AppTest, case: dict) -> None:
    if "{groot}" in case["args"]:
        pytest.fail("the 300 MB case is not run through the app")
    goto(app, "Data")
    before = app.session_state["source"]
    upload(app, "Of: buurtpolygonen (GeoJSON/GeoPackage)", BAD / "buurten_ok.geojson")
    bad_file = Path(case["args"][-1].replace("{bad}", str(BAD)))
    upload(app, "Indicatorbestanden (CSV)", bad_file)
    button(app, "Gegevens laden").click()
    app.run()
    assert not app.exception
    assert any(case["melding"] in e for e in errors(app)), errors(app)
    assert all("wijkteam-upload-" not in e for e in errors(app))  # no private paths
    assert app.session_state["source"] == before
    assert "Haarlem" in "".join(m.value for m in app.sidebar.markdown)
    goto(app, "Formatie")
    assert formation_table(app).shape == (10, 11)


def test_indicators_without_polygons_are_rejected_not_ignored(app: AppTest) -> None:
    goto(app, "Data")
    before = app.session_state["source"]
    upload(app, "Indicatorbestanden (CSV)", ROOT / "data" / "haarlem" / "haarlem_kwb.csv")
    button(app, "Gegevens laden").click()
    app.run()
    assert not app.exception
    assert any("geef ook de buurtpolygonen" in e for e in errors(app)), errors(app)
    assert app.session_state["source"] == before


def test_bad_team_table_is_rejected_and_haarlem_kept(app: AppTest) -> None:
    goto(app, "Data")
    upload(app, "Teamtabel (CSV)", BAD / "teams_onbekende_wijk.csv")
    button(app, "Gegevens laden").click()
    app.run()
    assert not app.exception
    assert any("onbekende wijkcode(s)" in e for e in errors(app)), errors(app)
    assert app.session_state["source"][2] == ()


def test_bad_geopackage_is_rejected(app: AppTest) -> None:
    goto(app, "Data")
    upload(app, "CBS GeoPackage (.gpkg)", BAD / "wijkenbuurten_mini.gpkg")
    text_input(app, "Gemeentecode (GMxxxx)").set_value("GM9999")
    button(app, "Gegevens laden").click()
    app.run()
    assert not app.exception
    assert any("gemeentecode GM9999 komt niet voor" in e for e in errors(app)), errors(app)
    assert app.session_state["source"][2] == ()


def test_other_municipality_upload_switches_the_data(app: AppTest) -> None:
    goto(app, "Data")
    upload(
        app, "CBS GeoPackage (.gpkg)", ROOT / "data" / "samples" / "cbs_buurten_2021_GM0233.gpkg"
    )
    text_input(app, "Gemeentecode (GMxxxx)").set_value("GM0233")
    upload(
        app, "Indicatorbestanden (CSV)", ROOT / "data" / "nl" / "rivm_50090NED_2020_18plus.csv.gz"
    )
    button(app, "Gegevens laden").click()
    app.run()
    assert not app.exception
    assert errors(app) == []
    assert app.session_state["source"][0] == "upload"
    assert next(s.value for s in app.success).startswith("Geladen: Ermelo")
    # Haarlem's scenario needs a 'jeugd' theme that RIVM alone does not give: said plainly
    assert any("past niet op deze gegevens" in w.value for w in app.warning)
    goto(app, "Formatie")
    assert any("onbekend thema 'jeugd'" in e for e in errors(app)), errors(app)
    goto(app, "Kaart")
    assert errors(app) == []
    goto(app, "Data")
    button(app, "Terug naar de ingebouwde Haarlem-gegevens").click()
    app.run()
    assert app.session_state["source"][0] == "haarlem"
    goto(app, "Formatie")
    assert formation_table(app).shape == (10, 11)


def test_html_in_buurt_and_team_names_is_shown_as_text(app: AppTest) -> None:
    goto(app, "Data")
    upload(app, "Of: buurtpolygonen (GeoJSON/GeoPackage)", BAD / "html_in_namen.geojson")
    upload(app, "Indicatorbestanden (CSV)", ROOT / "data" / "haarlem" / "haarlem_kwb.csv")
    upload(app, "Teamtabel (CSV)", BAD / "html_in_teamnamen.csv")
    button(app, "Gegevens laden").click()
    app.run()
    assert not app.exception
    assert errors(app) == []
    assert app.session_state["source"][0] == "upload"
    goto(app, "Kaart")
    detail = next(s for s in app.selectbox if s.label == "Detail van")
    script_team = next(o for o in detail.options if "<script>" in o)
    detail.set_value(script_team).run()
    assert not app.exception
    shown = " ".join(m.value for m in app.markdown)
    assert "alert" in shown  # the name is shown ...
    assert "<script>" not in shown  # ... but never as markup
    assert "\\<script\\>" in shown


def test_bad_theme_configuration_is_rejected(app: AppTest) -> None:
    goto(app, "Data")
    upload(app, "Themaconfiguratie (TOML, optioneel)", BAD / "themas_negatief.toml")
    button(app, "Gegevens laden").click()
    app.run()
    assert not app.exception
    assert any("gewicht -1.0 moet een getal > 0 zijn" in e for e in errors(app)), errors(app)
    assert app.session_state["source"] == ("haarlem", "GM0392", ())


def test_upload_over_the_size_limit_is_refused_before_reading(
    app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geo

    monkeypatch.setattr(geo, "MAX_UPLOAD_BYTES", 1024)
    goto(app, "Data")
    slot = next(f for f in app.get("file_uploader") if f.label == "Teamtabel (CSV)")
    slot.set_value(("groot.csv", b"buurtcode,team\n" + b"BU03920101,x\n" * 200, "text/csv"))
    button(app, "Gegevens laden").click()
    app.run()
    assert not app.exception
    assert any("groot.csv: bestand is te groot" in e for e in errors(app)), errors(app)
    assert app.session_state["source"] == ("haarlem", "GM0392", ())
