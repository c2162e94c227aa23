"""Team names on the command line when there is no team table (``wijkteam._teams``)."""

from __future__ import annotations

import pandas as pd

from tests.conftest import synthetic_dataset
from wijkteam._teams import own_teams


def _dataset(wijknamen: list[str]):
    ds = synthetic_dataset(pd.DataFrame(), n_wijken=3, per_wijk=2)
    b = ds.buurten.copy()
    b["wijknaam"] = [wijknamen[int(code[6:8])] for code in b.index]
    return type(ds)(ds.gemeentecode, ds.gemeentenaam, b, ds.tables, None, ds.sources)


def test_wijk_without_name_is_labelled_by_its_first_buurt() -> None:
    teams = own_teams(_dataset(["WK999900", "Centrum", "WK999902"])).teams
    assert sorted(teams.unique()) == ["Centrum", "Wijk 00 Buurt 0-0", "Wijk 02 Buurt 2-0"]
    assert not any(str(t).startswith("WK") for t in teams)


def test_two_wijken_with_one_name_stay_two_teams() -> None:
    teams = own_teams(_dataset(["Noord", "Noord", "Zuid"])).teams
    assert sorted(teams.unique()) == ["Noord (WK999900)", "Noord (WK999901)", "Zuid"]


def test_control_characters_leave_team_names() -> None:
    teams = own_teams(_dataset(["Noord\x0b\x1b[2J", "Oost", "Zuid"])).teams
    assert "Noord[2J" in set(teams)


def test_a_team_table_is_kept() -> None:
    ds = _dataset(["A", "B", "C"])
    given = pd.Series("Eén team", index=ds.buurten.index)
    ds = type(ds)(ds.gemeentecode, ds.gemeentenaam, ds.buurten, ds.tables, given, ds.sources)
    assert own_teams(ds) is ds
