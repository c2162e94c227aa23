"""A scenario of one's own (``optimize.propose_scenario``)."""

from __future__ import annotations

import math
import tomllib

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import optimize
from geo import _paths
from optimize.proposal import HAARLEM_INWONERS, HAARLEM_TEAMS

ALL = ["financieel", "psychosociaal", "samenhang", "toegang", "zorg", "jeugd"]


def _teams(inw: list[float], names: list[str] | None = None) -> pd.DataFrame:
    names = names or [f"Team {i}" for i in range(len(inw))]
    return pd.DataFrame({"inwoners": inw}, index=names)


def _need(teams: pd.DataFrame, themes: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {t: [0.05 * (i + 1) * v for i, v in enumerate(teams["inwoners"])] for t in themes},
        index=teams.index,
    )


def test_haarlem_inhabitants_constant_matches_the_embedded_cbs_row() -> None:
    kwb = pd.read_csv(_paths.HAARLEM_DIR / "haarlem_kwb_wijken_gemeente_2024.csv", dtype=str)
    row = kwb[kwb["Codering_3"].str.strip() == "GM0392"].iloc[0]
    assert int(row["AantalInwoners_5"]) == HAARLEM_INWONERS


def test_budget_is_the_haarlem_norm_per_inhabitant_and_says_so() -> None:
    p = optimize.propose_scenario(_teams([30_000, 20_000]), themes=ALL, gemeentenaam="X")
    assert p.scenario.budget == round(5_920_000 / 167_636 * 50_000, -3)
    assert "Haarlem-norm" in p.toml
    assert "€35,31" in p.toml


def test_norm_budget_pays_the_uniform_formation() -> None:
    # as in Haarlem, where 5.920.000 exactly pays ten uniform teams
    p = optimize.propose_scenario(_teams([40_000, 25_000, 18_000]), themes=ALL, gemeentenaam="X")
    s = p.scenario
    cost = sum(
        d.kosten_per_uur * s.current(t, d.key)
        for t in s.huidig_per_team
        for d in s.disciplines
        if d.municipal
    )
    assert cost == pytest.approx(s.budget, rel=0.01)
    hours = {t: sum(v.values()) for t, v in s.huidig_per_team.items()}
    assert len(set(hours.values())) == 1  # uniform


def test_given_budget_is_used() -> None:
    p = optimize.propose_scenario(
        _teams([float("nan"), float("nan")]), themes=ALL, gemeentenaam="X", budget=1_234_000
    )
    assert p.scenario.budget == 1_234_000
    assert "opgegeven met --budget" in p.toml


def test_no_inhabitants_and_no_budget_is_an_error() -> None:
    with pytest.raises(optimize.ValidationError, match=r"geen inwonertallen.*--budget"):
        optimize.propose_scenario(_teams([float("nan")]), themes=ALL, gemeentenaam="Ermelo")


def test_disciplines_without_data_are_dropped_and_themes_trimmed() -> None:
    themes = ["financieel", "psychosociaal", "samenhang", "zorg"]  # no jeugd, no toegang
    p = optimize.propose_scenario(_teams([10_000, 9_000]), themes=themes, gemeentenaam="Ermelo")
    keys = p.scenario.keys
    assert "cjg_coach" not in keys  # only 'jeugd'
    assert "informatie_advies" not in keys  # only 'toegang'
    assert set(p.dropped) == {"cjg_coach", "informatie_advies"}
    assert dict(p.scenario.discipline("clientondersteuning").behoefte) == {"zorg": 0.5}
    assert set(p.scenario.themes) <= set(themes)
    assert "cjg_coach (CJG-coach) weggelaten" in p.toml


def test_no_discipline_with_data_is_an_error() -> None:
    with pytest.raises(optimize.ValidationError, match="geen enkele discipline"):
        optimize.propose_scenario(_teams([1000]), themes=["onbekend"], gemeentenaam="X")


def test_toml_reads_back_and_comments_cannot_break_out() -> None:
    names = ["Noord\n[budget]\nx = 1", '"Zuid" = 3', "=HYPERLINK(1)"]
    p = optimize.propose_scenario(_teams([5000, 6000, 7000], names), themes=ALL, gemeentenaam="X")
    assert optimize.parse_scenario(p.toml) == p.scenario
    assert sorted(tomllib.loads(p.toml)["huidig"]) == sorted(names)
    for line in p.toml.splitlines():
        assert not line.startswith("[budget]")


def test_given_current_hours_are_used_and_checked() -> None:
    teams = _teams([10_000, 12_000], ["A", "B"])
    current = pd.DataFrame({"wmo": [30.0, float("nan")], "ggz": [100.0, 10.0]}, index=["A", "B"])
    p = optimize.propose_scenario(teams, themes=ALL, gemeentenaam="X", huidig=current)
    s = p.scenario
    assert s.current("A", "wmo") == 30.0
    assert s.current("B", "wmo") == s.discipline("wmo").huidig  # missing cell: uniform
    assert s.discipline("ggz").max_uren >= 100.0  # bounds widened around the given hours
    bad = pd.DataFrame({"yoga": [1.0]}, index=["Z"])
    with pytest.raises(optimize.ValidationError, match=r"'Z' komen niet voor.*'yoga' onbekend"):
        optimize.propose_scenario(teams, themes=ALL, gemeentenaam="X", huidig=bad)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(
    st.lists(st.integers(min_value=500, max_value=120_000), min_size=1, max_size=12),
    st.sampled_from([ALL, ALL[:5], ["financieel", "zorg"]]),
)
def test_proposed_scenario_is_solvable(inw: list[int], themes: list[str]) -> None:
    teams = _teams([float(x) for x in inw])
    p = optimize.propose_scenario(teams, themes=themes, gemeentenaam="X")
    result = optimize.FormationModel.from_frames(p.scenario, _need(teams, themes)).solve()
    assert result.status == "optimaal"
    assert result.budget_used <= p.scenario.budget * (1 + 1e-6)
    assert math.isfinite(result.max_tekort)
    assert sorted(result.formation.index) == sorted(teams.index)
    assert HAARLEM_TEAMS == 10


def test_docstring_examples_run() -> None:
    import doctest

    import optimize.proposal
    import optimize.scenario

    for module in (optimize.proposal, optimize.scenario):
        assert doctest.testmod(module).failed == 0, module.__name__
