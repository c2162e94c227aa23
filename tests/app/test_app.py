"""The Streamlit app, page by page, with ``streamlit.testing.v1.AppTest``.

Every test runs the real ``app.py`` on the embedded Haarlem data with the scenario store in
a temporary directory (``WIJKTEAM_DATA_DIR``).
"""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest  # noqa: TID251 (tests drive the app)

import optimize
from wijkteam import scenario_store

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
BAD = ROOT / "tests" / "data" / "bad"
PAGES = ["Kaart", "Formatie", "Scenario's", "Export", "Data"]

pytestmark = [
    # AppTest runs the script outside a server; streamlit says so once per thread.
    pytest.mark.filterwarnings("ignore:.*missing ScriptRunContext.*"),
]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "wijkteam-data"
    monkeypatch.setenv("WIJKTEAM_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def app(data_dir: Path) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def goto(at: AppTest, title: str) -> AppTest:
    """Open a page registered by ``st.navigation`` (callable pages have no file)."""
    pages = {info.get("page_name"): h for h, info in at._registered_pages.items()}
    assert title in pages, f"page {title!r} not registered; pages: {sorted(map(str, pages))}"
    at._page_hash = pages[title]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def errors(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.error]


def formation_table(at: AppTest) -> pd.DataFrame:
    """The formation table: teams as rows, discipline names as columns."""
    names = [d.naam for d in optimize.load_scenario().disciplines]
    tables = [d.value for d in at.dataframe if list(d.value.columns) == names]
    assert tables, "no formation table on the page"
    return tables[0]


def button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return matches[0]


def number_input(at: AppTest, label_start: str):
    matches = [n for n in at.number_input if n.label.startswith(label_start)]
    assert matches, f"no number input {label_start!r}"
    return matches[0]


def text_input(at: AppTest, label: str):
    matches = [t for t in at.text_input if t.label == label]
    assert matches, f"no text input {label!r}"
    return matches[0]


def submit_budget(at: AppTest, budget: float) -> AppTest:
    number_input(at, "Budgetplafond").set_value(budget)
    button(at, "Formatie berekenen").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# ---------------------------------------------------------------------------- every page


@pytest.mark.parametrize("title", PAGES)
def test_every_page_loads_without_exception_or_error(app: AppTest, title: str) -> None:
    goto(app, title)
    assert errors(app) == []
    assert [t.value for t in app.title] == [title]
    assert "Haarlem" in "".join(m.value for m in app.sidebar.markdown)


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


# ---------------------------------------------------------------------------- Formatie


def test_budget_submit_changes_the_formation(app: AppTest) -> None:
    goto(app, "Formatie")
    before = formation_table(app)
    assert before.shape == (10, 11)
    submit_budget(app, 4_500_000.0)
    assert errors(app) == []
    after = formation_table(app)
    assert after.shape == before.shape
    assert (after.to_numpy() != before.to_numpy()).any()
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Budget gebruikt"] == "€4.500.000"
    assert app.session_state["result"].scenario.budget == 4_500_000.0
    # less money, fewer hours in total
    assert after.to_numpy().sum() < before.to_numpy().sum()


def test_budget_what_if_reuses_the_built_model(app: AppTest) -> None:
    goto(app, "Formatie")
    model = app.session_state["model"][1]
    submit_budget(app, 5_000_000.0)
    assert app.session_state["model"][1] is model
    submit_budget(app, 6_000_000.0)
    assert app.session_state["model"][1] is model


def test_mixed_integer_mode_gives_whole_blocks(app: AppTest) -> None:
    goto(app, "Formatie")
    next(r for r in app.radio if r.label == "Rekenwijze").set_value("milp")
    button(app, "Formatie berekenen").click()
    app.run()
    assert not app.exception
    assert errors(app) == []
    result = app.session_state["result"]
    assert result.mode == "milp"
    block = result.scenario.blok_uren
    hours = result.formation.to_numpy()
    assert abs(hours / block - (hours / block).round()).max() < 1e-6


def test_infeasible_budget_shows_what_to_loosen(app: AppTest) -> None:
    goto(app, "Formatie")
    submit_budget(app, 100_000.0)
    text = " ".join(errors(app))
    assert "niet haalbaar" in text
    assert "verhoog het budget" in text
    assert app.session_state["result"] is None


def test_budget_sweep_on_request(app: AppTest) -> None:
    goto(app, "Formatie")
    assert (
        app.session_state["sweep_request"] is None if "sweep_request" in app.session_state else True
    )
    button(app, "Budgetcurve berekenen").click()
    app.run()
    assert not app.exception
    assert errors(app) == []
    assert len(app.get("arrow_line_chart")) + len(app.get("vega_lite_chart")) >= 2


# ---------------------------------------------------------------------------- Scenario's


def save_current(at: AppTest, name: str) -> AppTest:
    goto(at, "Scenario's")
    text_input(at, "Naam").set_value(name)
    button(at, "Huidig scenario opslaan").click()
    at.run()
    assert not at.exception
    assert errors(at) == [], errors(at)
    return at


def test_save_and_reopen_a_scenario(app: AppTest, data_dir: Path) -> None:
    goto(app, "Formatie")
    submit_budget(app, 4_800_000.0)
    name = "Krap 'plan'; DROP TABLE scenario; --"
    save_current(app, name)
    assert (data_dir / "scenarios.sqlite").is_file()
    assert [r.naam for r in scenario_store.list_scenarios()] == [name]
    assert app.query_params.get("scenario") == name
    # change the budget again, then reopen the saved scenario
    goto(app, "Formatie")
    submit_budget(app, 6_500_000.0)
    goto(app, "Scenario's")
    next(s for s in app.selectbox if s.label == "Scenario").set_value(name)
    button(app, "Openen").click()
    app.run()
    assert not app.exception
    assert app.session_state["scenario"].budget == 4_800_000.0
    goto(app, "Formatie")
    assert number_input(app, "Budgetplafond").value == 4_800_000.0
    assert app.session_state["result"].budget_used == pytest.approx(4_800_000.0, rel=1e-6)


def test_link_with_scenario_name_opens_it(data_dir: Path) -> None:
    scenario_store.save("Ruim", optimize.load_scenario().replace(budget=6_200_000.0))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["scenario"] = "Ruim"
    at.run()
    assert not at.exception
    assert at.session_state["scenario"].budget == 6_200_000.0
    assert at.session_state["scenario_name"] == "Ruim"


def test_link_with_unknown_scenario_warns_and_keeps_default(data_dir: Path) -> None:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["scenario"] = "bestaat niet"
    at.run()
    assert not at.exception
    assert any("bestaat niet" in w.value for w in at.warning)
    assert at.session_state["scenario"] == optimize.load_scenario()


def test_rename_and_delete_a_saved_scenario(app: AppTest) -> None:
    save_current(app, "eerste")
    text_input(app, "Nieuwe naam").set_value("tweede")
    button(app, "Hernoemen").click()
    app.run()
    assert not app.exception
    assert [r.naam for r in scenario_store.list_scenarios()] == ["tweede"]
    assert app.session_state["scenario_name"] == "tweede"
    button(app, "Verwijderen").click()
    app.run()
    assert not app.exception
    assert scenario_store.list_scenarios() == []
    assert "Nog geen opgeslagen scenario's." in [i.value for i in app.info]


def test_bad_scenario_name_is_an_error_message(app: AppTest) -> None:
    goto(app, "Scenario's")
    text_input(app, "Naam").set_value("   ")
    button(app, "Huidig scenario opslaan").click()
    app.run()
    assert not app.exception
    assert any("mag niet leeg zijn" in e for e in errors(app))


def test_compare_two_scenarios_shows_parameters_formations_and_difference(
    app: AppTest,
) -> None:
    base = optimize.load_scenario()
    scenario_store.save("A laag", base.replace(budget=4_500_000.0))
    scenario_store.save("B hoog", base.replace(budget=6_000_000.0))
    goto(app, "Scenario's")
    next(s for s in app.selectbox if s.label == "Scenario A").set_value("A laag")
    next(s for s in app.selectbox if s.label == "Scenario B").set_value("B hoog")
    app.run()
    assert not app.exception
    assert errors(app) == []
    frames = [d.value for d in app.dataframe]
    params = next(f for f in frames if "anders" in f.columns)
    assert params.loc["budget (€)", "anders"] == "ja"
    assert params.loc["budget (€)", "A: A laag"] == "€4.500.000"
    assert params.loc["budget (€)", "B: B hoog"] == "€6.000.000"
    assert params.loc["complexiteit", "anders"] == ""
    names = [d.naam for d in base.disciplines]
    formations = [f for f in frames if list(f.columns) == names]
    assert len(formations) == 3  # A, B and the difference B − A
    a, b, diff = formations
    assert diff.to_numpy() == pytest.approx(
        b.to_numpy() - a.to_numpy(), abs=0.11
    )  # both shown rounded to 0.1
    assert diff.to_numpy().sum() > 0  # more budget, more hours


def test_compare_names_the_disciplines_of_each_scenario_in_dutch(app: AppTest) -> None:
    base = optimize.load_scenario()
    renamed = tuple(
        dataclasses.replace(d, key="ggz_nieuw", naam="GGZ (nieuw)") if d.key == "ggz" else d
        for d in base.disciplines
    )
    scenario_store.save("A basis", base)
    scenario_store.save("B nieuw", base.replace(disciplines=renamed))
    goto(app, "Scenario's")
    next(s for s in app.selectbox if s.label == "Scenario A").set_value("A basis")
    next(s for s in app.selectbox if s.label == "Scenario B").set_value("B nieuw")
    app.run()
    assert not app.exception
    assert errors(app) == []
    frames = [d.value for d in app.dataframe]
    b_table = next(f for f in frames if "GGZ (nieuw)" in f.columns and "GGZ" not in f.columns)
    assert "ggz_nieuw" not in b_table.columns
    summary = next(f for f in frames if "totaal tekort (uur/week)" in f.index)
    shortfall = summary.loc["totaal tekort (uur/week)"].tolist()
    assert all("," in v and "." not in v for v in shortfall), shortfall  # decimal comma


def test_scenario_toml_upload_becomes_current(app: AppTest) -> None:
    goto(app, "Scenario's")
    text = optimize.scenario_to_toml(optimize.load_scenario().replace(budget=5_100_000.0))
    up = next(f for f in app.get("file_uploader") if f.label == "Scenario uploaden")
    up.set_value(("eigen.toml", text.encode("utf-8"), "application/toml"))
    app.run()
    assert not app.exception
    assert errors(app) == []
    assert app.session_state["scenario"].budget == 5_100_000.0


def test_bad_scenario_toml_upload_is_rejected(app: AppTest) -> None:
    goto(app, "Scenario's")
    up = next(f for f in app.get("file_uploader") if f.label == "Scenario uploaden")
    up.set_value(("kapot.toml", b'budget = "veel"\n', "application/toml"))
    app.run()
    assert not app.exception
    assert any("kapot.toml" in e for e in errors(app))
    assert app.session_state["scenario"] == optimize.load_scenario()


# ---------------------------------------------------------------------------- Export


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


# ---------------------------------------------------------------------------- Data


def test_data_page_shows_attribution_and_coverage(app: AppTest) -> None:
    goto(app, "Data")
    text = " ".join(m.value for m in app.markdown)
    assert "Bron: CBS, RIVM, PDOK" in text
    cov = next(d.value for d in app.dataframe if "dekking (%)" in d.value.columns)
    assert len(cov) > 10
    assert (cov["dekking (%)"] < 100).any()  # Haarlem has gaps; they are shown


def upload(at: AppTest, label: str, *paths: Path) -> None:
    slot = next(f for f in at.get("file_uploader") if f.label == label)
    files = [(p.name, p.read_bytes(), "application/octet-stream") for p in paths]
    slot.set_value(files if slot.accept_multiple_files else files[0])


def _manifest_cases(slot: str) -> list[dict]:
    cases = tomllib.loads((BAD / "MANIFEST.toml").read_text(encoding="utf-8"))["geval"]
    return [c for c in cases if c.get("app") == slot and "melding" in c and c["exit"] == 2]


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


def test_saved_scenario_stays_in_the_url_and_marks_changes(app: AppTest) -> None:
    save_current(app, "Basis")
    goto(app, "Formatie")
    assert app.query_params.get("scenario") == "Basis"
    sidebar = " ".join(m.value for m in app.sidebar.markdown)
    assert "Basis" in sidebar
    assert "gewijzigd" not in sidebar
    submit_budget(app, 5_000_000.0)
    sidebar = " ".join(m.value for m in app.sidebar.markdown)
    assert "gewijzigd, niet opgeslagen" in sidebar
