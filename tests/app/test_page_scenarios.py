"""The Scenario's page (AppTest): save, open, rename, delete, compare, links, TOML."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from app_helpers import (
    APP,
    button,
    errors,
    goto,
    save_current,
    submit_budget,
    text_input,
)
from streamlit.testing.v1 import AppTest  # noqa: TID251 (tests drive the app)

import optimize
from wijkteam import scenario_store

pytestmark = [
    # AppTest runs the script outside a server; streamlit says so once per thread.
    pytest.mark.filterwarnings("ignore:.*missing ScriptRunContext.*"),
]


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
    assert text_input(app, "Budgetplafond gemeente (€ per jaar)").value == "€ 4.800.000"
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
    button(app, "Verwijderen…").click()
    app.run()
    assert not app.exception
    # nothing is deleted before the question is answered
    assert [r.naam for r in scenario_store.list_scenarios()] == ["tweede"]
    assert any("definitief verwijderen" in w.value for w in app.warning)
    button(app, "Annuleren").click()
    app.run()
    assert [r.naam for r in scenario_store.list_scenarios()] == ["tweede"]
    button(app, "Verwijderen…").click()
    app.run()
    button(app, "Ja, verwijderen").click()
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
    assert params.loc["budget (€)", "A: A laag"] == "€ 4.500.000"
    assert params.loc["budget (€)", "B: B hoog"] == "€ 6.000.000"
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
    summary = next(f for f in frames if "tekort door grenzen (uur/week)" in f.index)
    shortfall = summary.loc["tekort door grenzen (uur/week)"].tolist()
    assert all("," in v and "." not in v for v in shortfall), shortfall  # decimal comma


def test_scenario_toml_upload_becomes_current(app: AppTest) -> None:
    goto(app, "Scenario's")
    text = optimize.scenario_to_toml(optimize.load_scenario().replace(budget=5_100_000.0))
    up = next(f for f in app.get("file_uploader") if f.label == "Scenariobestand openen (.toml)")
    up.set_value(("eigen.toml", text.encode("utf-8"), "application/toml"))
    app.run()
    assert not app.exception
    assert errors(app) == []
    assert app.session_state["scenario"].budget == 5_100_000.0


def test_bad_scenario_toml_upload_is_rejected(app: AppTest) -> None:
    goto(app, "Scenario's")
    up = next(f for f in app.get("file_uploader") if f.label == "Scenariobestand openen (.toml)")
    up.set_value(("kapot.toml", b'budget = "veel"\n', "application/toml"))
    app.run()
    assert not app.exception
    assert any("kapot.toml" in e for e in errors(app))
    assert app.session_state["scenario"] == optimize.load_scenario()


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


def test_mode_is_saved_with_the_scenario_and_a_link_reopens_it(app: AppTest) -> None:
    goto(app, "Formatie")
    next(r for r in app.radio if r.label == "Rekenwijze").set_value("milp")
    button(app, "Formatie berekenen").click()
    app.run()
    assert app.session_state["result"].mode == "milp"
    save_current(app, "Blokken")
    assert scenario_store.load_mode("Blokken") == "milp"
    # a fresh session from the link solves in the saved mode (the old app opened it in LP)
    fresh = AppTest.from_file(str(APP), default_timeout=120)
    fresh.query_params["scenario"] = "Blokken"
    fresh.run()
    goto(fresh, "Formatie")
    assert fresh.session_state["mode"] == "milp"
    assert fresh.session_state["result"].mode == "milp"
    sidebar = " ".join(m.value for m in fresh.sidebar.markdown)
    assert "gewijzigd" not in sidebar


def test_changing_only_the_mode_marks_the_scenario_changed(app: AppTest) -> None:
    save_current(app, "Basis")
    goto(app, "Formatie")
    next(r for r in app.radio if r.label == "Rekenwijze").set_value("milp")
    button(app, "Formatie berekenen").click()
    app.run()
    assert "gewijzigd, niet opgeslagen" in " ".join(m.value for m in app.sidebar.markdown)


def test_after_saving_every_text_agrees(app: AppTest) -> None:
    save_current(app, "Plan A")
    page = " ".join(m.value for m in app.markdown)
    assert "niet opgeslagen" not in page  # the old page said so right under "Opgeslagen als"
    assert "Plan A" in page
    assert any("Opgeslagen als Plan A" in s.value for s in app.success)
    sidebar = " ".join(m.value for m in app.sidebar.markdown)
    assert "Plan A" in sidebar
    assert "niet opgeslagen" not in sidebar


def test_times_are_dutch_local_time_and_the_path_is_for_administrators(
    app: AppTest, data_dir: Path
) -> None:
    save_current(app, "Plan B")
    listing = next(d.value for d in app.dataframe if "laatst gewijzigd" in d.value.columns)
    stamp = scenario_store.list_scenarios()[0].bijgewerkt
    assert listing.loc[0, "laatst gewijzigd"] == scenario_store.local_time(stamp)
    assert "T" not in listing.loc[0, "laatst gewijzigd"]  # no ISO timestamp
    outside = " ".join(m.value for m in app.markdown) + " ".join(c.value for c in app.caption)
    assert str(data_dir) not in outside
    admin = next(e for e in app.expander if e.label.startswith("Voor beheerders"))
    assert str(data_dir) in " ".join(c.value for c in admin.code)
