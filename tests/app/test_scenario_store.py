"""The SQLite scenario store: round trip, names with quotes/SQL, errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import optimize
from wijkteam import scenario_store as store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "sub" / "scenarios.sqlite"


@pytest.fixture
def scenario() -> optimize.Scenario:
    return optimize.load_scenario()


def test_save_load_round_trip_keeps_scenario_and_sets_name(db, scenario) -> None:
    changed = scenario.replace(budget=5_000_000.0).with_discipline("ggz", max_uren=30.0)
    store.save("Krap 2026", changed, db=db)
    back = store.load("Krap 2026", db=db)
    assert back == changed.replace(naam="Krap 2026")
    assert back.budget == 5_000_000.0
    assert back.discipline("ggz").max_uren == 30.0


@pytest.mark.parametrize(
    "name",
    [
        'O\'Brien "plan"',
        "x'); DROP TABLE scenario; --",
        "Robert'); DELETE FROM scenario WHERE ('1'='1",
        "<script>alert(1)</script>",
        "Zuid-West & Schalkwijk 100%",
    ],
)
def test_names_with_quotes_and_sql_are_stored_literally(db, scenario, name) -> None:
    store.save("ander", scenario, db=db)
    store.save(name, scenario, db=db)
    names = [row.naam for row in store.list_scenarios(db=db)]
    assert sorted(names) == sorted(["ander", name])
    assert store.load(name, db=db).naam == name
    # the table survived and nothing else was touched
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM scenario").fetchone()[0] == 2


def test_list_shows_budget_and_newest_first(db, scenario) -> None:
    store.save("a", scenario.replace(budget=1_000_000.0), db=db)
    store.save("b", scenario.replace(budget=2_000_000.0), db=db)
    rows = store.list_scenarios(db=db)
    assert {r.naam: r.budget for r in rows} == {"a": 1_000_000.0, "b": 2_000_000.0}
    assert store.list_scenarios(db=db.with_name("leeg.sqlite")) == []


def test_rename_moves_the_scenario_and_its_inner_name(db, scenario) -> None:
    store.save("oud", scenario, db=db)
    store.rename("oud", "nieuw", db=db)
    assert [r.naam for r in store.list_scenarios(db=db)] == ["nieuw"]
    assert store.load("nieuw", db=db).naam == "nieuw"
    with pytest.raises(store.ScenarioStoreError, match="'oud' bestaat niet"):
        store.load("oud", db=db)


def test_rename_onto_existing_name_is_refused(db, scenario) -> None:
    store.save("a", scenario, db=db)
    store.save("b", scenario, db=db)
    with pytest.raises(store.ScenarioStoreError, match="'b' bestaat al"):
        store.rename("a", "b", db=db)
    assert sorted(r.naam for r in store.list_scenarios(db=db)) == ["a", "b"]


def test_delete_removes_only_that_scenario(db, scenario) -> None:
    store.save("a", scenario, db=db)
    store.save("b", scenario, db=db)
    store.delete("a", db=db)
    assert [r.naam for r in store.list_scenarios(db=db)] == ["b"]
    with pytest.raises(store.ScenarioStoreError, match="'a' bestaat niet"):
        store.delete("a", db=db)


def test_save_without_overwrite_refuses_existing(db, scenario) -> None:
    store.save("a", scenario, db=db)
    with pytest.raises(store.ScenarioStoreError, match="'a' bestaat al"):
        store.save("a", scenario.replace(budget=1.0), overwrite=False, db=db)
    assert store.load("a", db=db).budget == scenario.budget


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "mag niet leeg zijn"),
        ("   ", "mag niet leeg zijn"),
        ("a" * 121, "maximaal 120 tekens, gevonden 121"),
        ("regel\nnieuw", "geen stuurtekens toegestaan"),
        ("nul\x00teken", "geen stuurtekens toegestaan"),
        (42, "verwacht tekst"),
    ],
)
def test_bad_names_are_rejected(db, scenario, name, message) -> None:
    with pytest.raises(store.ScenarioStoreError, match=message):
        store.save(name, scenario, db=db)


def test_names_are_stripped(db, scenario) -> None:
    store.save("  plan  ", scenario, db=db)
    assert [r.naam for r in store.list_scenarios(db=db)] == ["plan"]


def test_default_location_follows_environment(tmp_path, monkeypatch, scenario) -> None:
    monkeypatch.setenv("WIJKTEAM_DATA_DIR", str(tmp_path / "eigen"))
    assert store.database_path() == tmp_path / "eigen" / "scenarios.sqlite"
    store.save("x", scenario)
    assert (tmp_path / "eigen" / "scenarios.sqlite").is_file()
    monkeypatch.delenv("WIJKTEAM_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert store.data_dir() == tmp_path / "xdg" / "wijkteam"


def test_corrupt_stored_text_is_a_validation_error(db, scenario) -> None:
    store.save("a", scenario, db=db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE scenario SET toml = 'budget = \"veel\"' WHERE naam = 'a'")
    with pytest.raises(optimize.ValidationError, match="opgeslagen scenario a"):
        store.load("a", db=db)


def test_unusable_database_file_is_a_store_error(tmp_path, scenario) -> None:
    bad = tmp_path / "geen.sqlite"
    bad.write_bytes(b"dit is geen database" * 100)
    with pytest.raises(store.ScenarioStoreError, match="scenario-opslag"):
        store.save("a", scenario, db=bad)


def test_mode_is_stored_and_listed(tmp_path) -> None:
    db = tmp_path / "s.sqlite"
    store.save("Blokken", optimize.load_scenario(), modus="milp", db=db)
    store.save("Snel", optimize.load_scenario(), db=db)
    assert store.load_mode("Blokken", db=db) == "milp"
    assert store.load_mode("Snel", db=db) == "lp"
    assert {r.naam: r.modus for r in store.list_scenarios(db=db)} == {
        "Blokken": "milp",
        "Snel": "lp",
    }
    with pytest.raises(store.ScenarioStoreError, match="rekenwijze"):
        store.save("X", optimize.load_scenario(), modus="snel", db=db)


def test_database_of_the_previous_version_gets_the_mode_column(tmp_path) -> None:
    db = tmp_path / "oud.sqlite"
    conn = sqlite3.connect(db)
    conn.execute(
        "CREATE TABLE scenario (naam TEXT PRIMARY KEY, toml TEXT NOT NULL, budget REAL NOT NULL,"
        " aangemaakt TEXT NOT NULL, bijgewerkt TEXT NOT NULL)"
    )
    text = optimize.scenario_to_toml(optimize.load_scenario().replace(naam="Oud"))
    conn.execute(
        "INSERT INTO scenario VALUES (?, ?, ?, ?, ?)",
        ("Oud", text, 5920000.0, "2026-01-01T10:00:00+00:00", "2026-01-01T10:00:00+00:00"),
    )
    conn.commit()
    conn.close()
    assert store.load_mode("Oud", db=db) == "lp"
    assert store.list_scenarios(db=db)[0].modus == "lp"


@pytest.mark.parametrize(
    ("stamp", "shown"),
    [
        ("2026-12-01T08:05:00+00:00", "1 december 2026, 09:05"),  # winter: UTC+1
        ("2026-07-15T22:30:00+00:00", "16 juli 2026, 00:30"),  # summer: UTC+2, next day
    ],
)
def test_local_time_is_dutch(stamp: str, shown: str) -> None:
    assert store.local_time(stamp) == shown
