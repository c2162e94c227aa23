"""The Teamgebieden page (AppTest): design, compare with today, download, use for the formation.

Haarlem at buurt level (local search, well under a second) and Ermelo at buurt level (16
units: the exact model, proven optimal) keep the tests fast; the wijk-level MILP on Haarlem
(5–25 s) is measured in ``bench/`` instead.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from app_helpers import ROOT, button, errors, goto, upload
from streamlit.testing.v1 import AppTest  # noqa: TID251 (tests drive the app)

import geo

pytestmark = [
    # AppTest runs the script outside a server; streamlit says so once per thread.
    pytest.mark.filterwarnings("ignore:.*missing ScriptRunContext.*"),
]


def _radio(at: AppTest, label: str, value: str) -> None:
    next(r for r in at.radio if r.label == label).set_value(value)


def _table(at: AppTest, column: str) -> pd.DataFrame:
    tables = [d.value for d in at.dataframe if column in d.value.columns]
    assert tables, f"no table with column {column!r}"
    return tables[0]


def _design(at: AppTest, n: int | None = None, unit: str = "buurt") -> AppTest:
    goto(at, "Teamgebieden")
    if n is not None:
        next(x for x in at.number_input if x.label == "Aantal teams").set_value(n)
    _radio(at, "Bouwstenen", unit)
    button(at, "Teamgebieden ontwerpen").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert errors(at) == [], errors(at)
    return at


def test_page_is_registered_and_defaults_to_todays_count(app: AppTest) -> None:
    goto(app, "Teamgebieden")
    assert errors(app) == []
    n = next(x for x in app.number_input if x.label == "Aantal teams")
    assert n.value == 10  # Haarlem's ten indicative teams


def test_design_is_compared_with_todays_areas(app: AppTest) -> None:
    _design(app)
    compare = _table(app, "huidige teams")
    assert compare.loc["aantal teams", "ontwerp"] == "10"
    ratio_new = float(compare.loc["werklast grootste / kleinste team", "ontwerp"].replace(",", "."))
    ratio_now = compare.loc["werklast grootste / kleinste team", "huidige teams"]
    # the same figure as geo.area_balance of today's areas, written the Dutch way
    assert "," in ratio_now
    assert ratio_new < float(ratio_now.replace(",", "."))  # buurten balance better than today
    assert compare.loc["grootste afwijking van het gemiddelde", "ontwerp"].endswith("%")
    status = app.get("status")[0]
    assert "teamgebieden ontworpen" in status.label
    assert "niet bewezen optimaal" in status.label  # local search: never claimed optimal
    teams = _table(app, "werklast (uur per week)")
    assert len(teams) == 10
    labels = [b.proto.label for b in app.get("download_button")]
    assert "Teamtabel downloaden (CSV)" in labels


def test_design_is_cached_on_its_real_arguments(app: AppTest) -> None:
    _design(app)
    first = app.session_state["areas_request"]
    _design(app)  # same options: the cached design, same figures
    assert app.session_state["areas_request"] == first
    _design(app, n=9)
    assert app.session_state["areas_request"]["n"] == 9
    assert len(_table(app, "werklast (uur per week)")) == 9


def test_csv_of_a_design_is_a_valid_team_table(tmp_path) -> None:
    from app_pages.teamgebieden import team_table_csv

    profiles = geo.build_profiles(geo.load_haarlem())
    areas = geo.design_team_areas(profiles, 7, unit="buurt")
    path = tmp_path / "teams.csv"
    path.write_bytes(team_table_csv(areas))
    teams = geo.read_team_table(path, buurten=profiles.buurten)
    assert teams.nunique() == 7
    assert (teams.sort_index() == areas.table["team"].sort_index()).all()
    frame = pd.read_csv(io.BytesIO(team_table_csv(areas)), sep=";", encoding="utf-8-sig")
    assert list(frame.columns)[:1] == ["buurtcode"]


def test_use_for_the_formation_makes_the_design_the_teams(app: AppTest) -> None:
    _design(app, n=8)
    designed = set(_table(app, "werklast (uur per week)").index)
    button(app, "Gebruik voor de formatie").click()
    app.run()
    assert not app.exception
    assert errors(app) == [], errors(app)
    assert any("nieuwe teamgebieden zijn nu de teams" in s.value for s in app.success)
    assert [f[0] for f in app.session_state["source"][2]] == ["teams"]
    assert app.session_state["scenario"].budget == 5_920_000.0  # the fitting budget kept
    goto(app, "Formatie")
    assert errors(app) == [], errors(app)
    table = _table(app, "Totaal")
    assert set(table.index) == designed  # the formation runs on the designed teams
    assert len(table) == 8


def test_ermelo_buurt_level_design_is_exact_and_used_for_the_formation(app: AppTest) -> None:
    goto(app, "Data")
    upload(
        app, "CBS GeoPackage (.gpkg)", ROOT / "data" / "samples" / "cbs_buurten_2021_GM0233.gpkg"
    )
    upload(
        app,
        "Indicatorbestanden (CSV)",
        ROOT / "data" / "nl" / "rivm_50090NED_2020_18plus.csv.gz",
    )
    button(app, "Gegevens laden").click()
    app.run()
    assert errors(app) == [], errors(app)
    _design(app, n=3)
    status = app.get("status")[0]
    assert "bewezen optimaal" in status.label
    assert "niet bewezen" not in status.label  # 16 units: the MILP proves its design
    compare = _table(app, "huidige teams")
    assert compare.loc["aantal teams", "huidige teams"] == "2"
    button(app, "Gebruik voor de formatie").click()
    app.run()
    assert errors(app) == [], errors(app)
    goto(app, "Formatie")
    assert errors(app) == [], errors(app)  # the proposal fits: no 'jeugd' error
    assert len(_table(app, "Totaal")) == 3


def test_team_count_table_on_request_sets_the_suggestion(app: AppTest) -> None:
    goto(app, "Teamgebieden")
    _radio(app, "Bouwstenen", "buurt")
    button(app, "Teamgebieden ontwerpen").click()
    app.run()
    next(x for x in app.number_input if x.label == "Van").set_value(11)
    next(x for x in app.number_input if x.label == "Tot en met").set_value(13)
    button(app, "Tabel berekenen").click()
    app.run()
    assert not app.exception
    assert errors(app) == [], errors(app)
    counts = _table(app, "professionals per team")
    assert list(counts.index) == [11, 12, 13]
    suggested = app.session_state["areas_suggested"]
    assert suggested in (11, 12, 13)
    assert any(f"Voorstel: **{suggested} teams**" in s.value for s in app.success)
    n = next(x for x in app.number_input if x.label == "Aantal teams")
    assert n.value == suggested  # the suggestion becomes the default count


def test_without_polygons_the_page_says_why(app: AppTest) -> None:
    goto(app, "Data")
    upload(app, "Indicatorbestanden (CSV)", ROOT / "data" / "haarlem" / "haarlem_kwb.csv")
    button(app, "Gegevens laden").click()
    app.run()
    goto(app, "Teamgebieden")
    assert errors(app) == []
    assert any("vragen buurtgrenzen" in i.value for i in app.info)
    assert not [b for b in app.button if b.label == "Teamgebieden ontwerpen"]


def test_more_teams_than_wijken_is_a_message_and_the_data_stays(app: AppTest) -> None:
    goto(app, "Teamgebieden")
    before = app.session_state["source"]
    next(x for x in app.number_input if x.label == "Aantal teams").set_value(25)
    _radio(app, "Bouwstenen", "wijk")  # Haarlem has 21 wijken
    button(app, "Teamgebieden ontwerpen").click()
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert len(errors(app)) == 1, errors(app)
    assert "--" not in errors(app)[0]
    assert app.get("status")[0].label == "Ontwerpen lukte niet"
    assert app.session_state["source"] == before
    assert not [b for b in app.button if b.label == "Gebruik voor de formatie"]
