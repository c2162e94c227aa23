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

ERMELO_GPKG = ROOT / "data" / "samples" / "cbs_buurten_2021_GM0233.gpkg"
ERMELO_KWB = (
    ROOT / "tests" / "data" / "real_formats" / "statline_kwb2017_83765NED_ermelo_amsterdam.csv"
)

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


def test_a_table_alone_loads_with_profiles_and_says_why_there_is_no_map(app: AppTest) -> None:
    goto(app, "Data")
    upload(app, "Indicatorbestanden (CSV)", ROOT / "data" / "haarlem" / "haarlem_kwb.csv")
    button(app, "Gegevens laden").click()
    app.run()
    assert not app.exception
    assert errors(app) == [], errors(app)  # once refused: "geef ook de buurtpolygonen"
    assert app.session_state["source"][0] == "upload"
    assert "met 111 buurten" in next(s.value for s in app.success)
    goto(app, "Data")
    info = " ".join(i.value for i in app.info)
    assert "Geen kaart" in info
    assert "geen buurtgrenzen" in info
    buurten = next(d.value for d in app.dataframe if "team" in d.value.columns)
    assert len(buurten) > 50
    assert any(c.startswith("index ") for c in buurten.columns)
    goto(app, "Kaart")  # once a crash (no extent to zoom to)
    assert errors(app) == [], errors(app)
    assert "Geen kaart" in " ".join(i.value for i in app.info)
    goto(app, "Formatie")
    assert errors(app) == [], errors(app)
    button(app, "Passend scenario maken").click()  # the table lacks three themes
    app.run()
    assert not app.exception
    assert errors(app) == [], errors(app)
    assert "Geen kaart" in " ".join(i.value for i in app.info)
    table = next(d.value for d in app.dataframe if "Totaal" in d.value.columns)
    assert len(table) > 1


def test_loader_messages_name_fields_not_command_line_options(app: AppTest) -> None:
    goto(app, "Data")
    two = (
        ROOT / "tests" / "data" / "real_formats" / "statline_kwb2017_83765NED_ermelo_nuenen.CSV.GZ"
    )
    upload(app, "Indicatorbestanden (CSV)", two)
    button(app, "Gegevens laden").click()
    app.run()
    assert not app.exception
    message = " ".join(errors(app))
    assert "bevat 2 gemeenten" in message
    assert "GM0233" in message
    assert "gemeentecode (GMxxxx) in" in message  # the field on the page, in words
    assert "--" not in message  # not the CLI's "kies er een met --gemeente GMxxxx"
    text_input(app, "Gemeentecode (GMxxxx)").set_value("GM0233")
    button(app, "Gegevens laden").click()
    app.run()
    assert errors(app) == [], errors(app)
    assert next(s.value for s in app.success).startswith("Geladen: Ermelo")


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
    upload(app, "CBS GeoPackage (.gpkg)", ERMELO_GPKG)
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
    assert errors(app) == [], errors(app)  # never the bare "onbekend thema 'jeugd'"
    assert any(b.label == "Passend scenario maken" for b in app.button)
    goto(app, "Kaart")
    assert errors(app) == []
    goto(app, "Data")
    button(app, "Terug naar de ingebouwde Haarlem-gegevens").click()
    app.run()
    assert app.session_state["source"][0] == "haarlem"
    goto(app, "Formatie")
    assert formation_table(app).shape == (10, 11)


def test_ermelo_geopackage_alone_is_recognised_then_completed_and_planned(app: AppTest) -> None:
    """The Ermelo 2021 extract has polygons but no figures: kept, with what to add; then
    the tables are added without choosing the GeoPackage again, and Formatie proposes a
    scenario on Ermelo's own teams."""
    goto(app, "Data")
    upload(app, "CBS GeoPackage (.gpkg)", ERMELO_GPKG)  # no gemeentecode: one municipality
    button(app, "Gegevens laden").click()
    app.run()
    assert not app.exception
    assert errors(app) == [], errors(app)
    info = " ".join(i.value for i in app.info)
    assert "Ermelo herkend" in info
    assert "Kerncijfers wijken en buurten" in info
    assert "Gezondheidsmonitor" in info
    assert "--" not in info
    recognised = " ".join(m.value for m in app.markdown)
    assert "16 buurten in 2 wijken" in recognised
    assert "met buurtgrenzen" in recognised
    assert app.session_state["source"] == ("haarlem", "GM0392", ())  # Haarlem stays in use
    assert [f[0] for f in app.session_state["kept_files"]] == ["gpkg"]

    upload(
        app,
        "Indicatorbestanden (CSV)",
        ROOT / "data" / "nl" / "rivm_50090NED_2020_18plus.csv.gz",
        ERMELO_KWB,
    )
    button(app, "Gegevens laden").click()
    app.run()
    assert not app.exception
    assert errors(app) == [], errors(app)
    assert next(s.value for s in app.success).startswith("Geladen: Ermelo met 16 buurten")
    slots = sorted(f[0] for f in app.session_state["source"][2])
    assert slots == ["gpkg", "indicatoren", "indicatoren"]

    goto(app, "Formatie")
    assert errors(app) == [], errors(app)
    warning = " ".join(w.value for w in app.warning)
    assert "past niet op de gegevens van Ermelo" in warning
    assert "jeugd" in warning
    assert "Haarlem-norm" in " ".join(c.value for c in app.caption)
    button(app, "Passend scenario maken").click()
    app.run()
    assert not app.exception
    assert errors(app) == [], errors(app)
    table = next(d.value for d in app.dataframe if "Totaal" in d.value.columns)
    assert list(table.index) == ["Wijk 00 Ermelo", "Wijk 01 Speuld"]  # wijk names, as the CLI
    assert "CJG-coach" not in table.columns  # no 'jeugd' data: left out
    assert app.session_state["result"].scenario.budget > 0
    notes = " ".join(i.value for i in app.info)
    assert "Haarlem\\-norm" in notes
    assert "per inwoner" in notes


def test_own_budget_for_the_proposal(app: AppTest) -> None:
    goto(app, "Data")
    upload(app, "CBS GeoPackage (.gpkg)", ERMELO_GPKG)
    upload(app, "Indicatorbestanden (CSV)", ERMELO_KWB)
    button(app, "Gegevens laden").click()
    app.run()
    goto(app, "Formatie")
    text_input(app, "Eigen budget (€ per jaar, optioneel)").set_value("1,2 mln")
    button(app, "Passend scenario maken").click()
    app.run()
    assert not app.exception
    assert errors(app) == [], errors(app)
    assert app.session_state["scenario"].budget == 1_200_000.0


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
