"""Why a team gets its hours (optimize.why) and the scenario comparison (optimize.compare).

Hand-checkable: two teams, one discipline, need counts 30 and 10 in 1,000 and 4,000
inhabitants; with base share 0 and complexity 0 the 20 hours per team now (40 in all) are
split 30:10, so with a budget of exactly 40 hours A gets 30 and B 10 hours.
"""

from __future__ import annotations

import pandas as pd
import pytest

import optimize
from tests.optimize.instances import disc, scenario


def _need(index_a: float = 100.0, index_b: float = 100.0) -> pd.DataFrame:
    return pd.DataFrame(
        {"a": [30.0, 10.0], "index_a": [index_a, index_b], "inwoners": [1000.0, 4000.0]},
        index=pd.Index(["A", "B"], name="team"),
    )


def _solve(need: pd.DataFrame, **kw: object) -> optimize.Result:
    s = scenario(disc("d", huidig=20.0, naam="Discipline D"), **kw)
    return optimize.FormationModel.from_frames(s, need).solve()


def test_team_themes_by_hand() -> None:
    need = _need(150.0, 50.0)
    s = scenario(disc("d", huidig=20.0), complexiteit=1.0)
    a = optimize.team_themes(need, s, "A").loc["a"]
    assert a["behoefte"] == 30.0
    assert a["per_1000"] == pytest.approx(30.0)  # 30 of 1,000
    assert a["per_1000_gemeente"] == pytest.approx(8.0)  # 40 of 5,000
    assert a["factor"] == pytest.approx(1.5)  # (150/100)^1
    assert a["gewogen"] == pytest.approx(45.0)
    assert a["aandeel"] == pytest.approx(45.0 / (45.0 + 5.0))


def test_team_disciplines_by_hand() -> None:
    result = _solve(_need(), budget=40_000.0)  # exactly the 40 hours
    a = optimize.team_disciplines(result, _need(), "A").loc["d"]
    b = optimize.team_disciplines(result, _need(), "B").loc["d"]
    assert a["doel_uren"] == pytest.approx(30.0)
    assert a["uren"] == pytest.approx(30.0)
    assert b["uren"] == pytest.approx(10.0)
    assert a["aandeel"] == pytest.approx(0.75)
    assert a["aandeel_inwoners"] == pytest.approx(0.2)
    assert a["uren_per_1000"] == pytest.approx(30.0)  # 30 h for 1,000 inhabitants
    assert b["uren_per_1000"] == pytest.approx(2.5)  # 10 h for 4,000
    assert a["uren_per_1000_gemeente"] == pytest.approx(8.0)  # 40 h for 5,000
    assert a["verschil_huidig"] == pytest.approx(10.0)
    assert a["begrensd_door"] == ""


def test_budget_and_bounds_are_named_as_limits() -> None:
    short = _solve(_need(), budget=20_000.0)  # 20 of the 40 hours
    a = optimize.team_disciplines(short, _need(), "A").loc["d"]
    assert a["begrensd_door"] == "het budget"
    capped = _solve(_need(), budget=40_000.0, max_wijziging=0.25)  # A ≤ 25 h, B ≥ 15 h
    a = optimize.team_disciplines(capped, _need(), "A").loc["d"]
    assert a["uren"] == pytest.approx(25.0)
    assert a["begrensd_door"] == "maximale wijziging t.o.v. nu"


def test_compare_teams_says_why_a_small_team_gets_fewer_hours() -> None:
    need = pd.DataFrame(
        {"a": [10.0, 20.0], "index_a": [200.0, 67.0], "inwoners": [1000.0, 6000.0]},
        index=pd.Index(["Klein", "Groot"], name="team"),
    )
    result = _solve(need, budget=40_000.0)
    text = optimize.compare_teams(result, need, "Klein", "Groot", "d")
    assert "Klein krijgt" in text
    assert "(minder)" in text
    assert "1.000 inwoners, Groot 6.000" in text
    assert "index 200 tegen 67" in text
    with pytest.raises(optimize.ValidationError, match="team 'X' komt niet voor"):
        optimize.team_disciplines(result, need, "X")


def test_shortfall_split_adds_up_to_the_total() -> None:
    result = _solve(_need(), budget=30_000.0, max_wijziging=0.25)
    by_budget, by_bounds = optimize.shortfall_split(result)
    assert by_budget + by_bounds == pytest.approx(result.totaal_tekort, abs=1e-6)
    assert by_bounds == pytest.approx(5.0)  # A's target 30, bound 25
    assert by_budget == pytest.approx(10.0)  # B keeps 15 h, so A gets 15 of its 25


def test_structure_key_changes_only_with_what_needs_a_new_model() -> None:
    s = optimize.load_scenario()
    key = optimize.structure_key(s)
    assert optimize.structure_key(s.replace(budget=1.0)) == key
    assert optimize.structure_key(s.with_discipline("ggz", kosten_per_uur=1.0)) == key
    assert optimize.structure_key(s.with_discipline("ggz", gewicht=2.0)) == key
    assert optimize.structure_key(s.with_discipline("ggz", max_uren=30.0)) != key
    assert optimize.structure_key(s.replace(max_wijziging=0.1)) != key


def test_compare_parameters_lists_differences_first() -> None:
    base = optimize.load_scenario()
    params = optimize.compare_parameters(base, base.replace(budget=4_500_000.0), labels=("A", "B"))
    assert params.index[0] == "budget (€)"
    assert params.loc["budget (€)", "B"] == "€ 4.500.000"
    assert params.loc["budget (€)", "anders"] == "ja"
    assert (params["anders"] == "ja").sum() == 1
    kosten = params.loc["Maatschappelijk werk: kosten/uur", "A"]
    assert kosten == "€ 3.419"  # rounded for reading, not 3418.80
