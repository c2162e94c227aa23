"""Known answers, invariants and cross-checks of the formation model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

import optimize
from optimize import FormationModel, InfeasibleError, ValidationError
from tests.optimize.instances import disc, scenario, targets


def _solve(s, tg, **kw):
    need = pd.DataFrame({"a": np.ones(len(tg))}, index=tg.index)
    return FormationModel.from_frames(s, need, targets=tg, **kw).solve(explain=False)


# ---------------------------------------------------------------- known answers (by hand)


def test_equal_need_splits_a_short_budget_equally():
    # 2 teams x 20 h target, €1000 per hour, €30,000: 30 hours for 40 needed.
    r = _solve(scenario(budget=30_000), targets({"A": {"d": 20}, "B": {"d": 20}}))
    assert r.formation.loc["A", "d"] == pytest.approx(15)
    assert r.formation.loc["B", "d"] == pytest.approx(15)
    assert r.max_tekort == pytest.approx(0.25)
    assert r.totaal_tekort == pytest.approx(10)
    assert r.budget_used == pytest.approx(30_000)
    assert "budget" in r.binding


def test_min_max_fairness_shares_the_shortfall_relatively():
    # targets 30 and 10, 20 hours affordable: (30-x1)/30 = (10-x2)/10, x1+x2 = 20
    # -> z = 0.5, x1 = 15, x2 = 5 (not 10 + 10 or 20 + 0).
    r = _solve(scenario(budget=20_000), targets({"A": {"d": 30}, "B": {"d": 10}}))
    assert r.max_tekort == pytest.approx(0.5)
    assert r.formation.loc["A", "d"] == pytest.approx(15)
    assert r.formation.loc["B", "d"] == pytest.approx(5)


def test_stability_keeps_current_hours_when_budget_allows():
    # needs below the current 10 hours, plenty of budget: stage 3 keeps the current hours.
    r = _solve(scenario(budget=1e6), targets({"A": {"d": 4}, "B": {"d": 7}}))
    assert r.formation["d"].tolist() == pytest.approx([10, 10])
    assert r.max_tekort == 0


def test_weights_share_the_shortfall_by_priority():
    # Weighted minimax: 3 s_x / 20 <= z, s_y / 20 <= z, s_x + s_y = 10 (30 h for 40 h):
    # s_x = 20 z / 3, s_y = 20 z -> z = 0.375, s_x = 2.5, s_y = 7.5 (by hand).
    s = scenario(disc("x", gewicht=3.0), disc("y", gewicht=1.0), budget=30_000)
    r = _solve(s, targets({"A": {"x": 20, "y": 20}}))
    assert r.formation.loc["A", "x"] == pytest.approx(17.5)
    assert r.formation.loc["A", "y"] == pytest.approx(12.5)
    assert r.level == pytest.approx(0.375)
    assert r.max_tekort == pytest.approx(0.375)  # y's relative shortfall, weight 1


def test_other_funders_do_not_count_against_the_ceiling():
    s = scenario(
        disc("gem"), disc("zvw", gefinancierd_door="Zvw"), budget=10_000, financiers={"Zvw": 5e5}
    )
    r = _solve(s, targets({"A": {"gem": 10, "zvw": 30}}))
    assert r.formation.loc["A", "zvw"] == pytest.approx(30)
    assert r.budget_used == pytest.approx(10_000)
    assert r.budget_left == pytest.approx(0, abs=0.01)  # a cent: solver tolerance


def test_funder_budget_binds_its_own_disciplines():
    s = scenario(
        disc("gem"), disc("zvw", gefinancierd_door="Zvw"), budget=1e6, financiers={"Zvw": 20_000}
    )
    r = _solve(s, targets({"A": {"gem": 10, "zvw": 30}}))
    assert r.formation.loc["A", "zvw"] == pytest.approx(20)


def test_pinned_values_and_bounds_hold():
    s = scenario(disc("d", min_uren=6, max_uren=12), budget=1e6, vastgezet={"B": {"d": 7.0}})
    r = _solve(s, targets({"A": {"d": 40}, "B": {"d": 1}, "C": {"d": 2}}))
    assert r.formation.loc["A", "d"] == pytest.approx(12)
    assert r.formation.loc["B", "d"] == pytest.approx(7)
    assert r.formation.loc["C", "d"] == pytest.approx(10)  # current kept, above min 6
    row = r.table.set_index("team").loc["A"]
    assert row["begrensd_door"] == "max_uren"
    assert "max_uren[A,d]" in r.binding


def test_max_change_limits_the_move_from_current():
    s = scenario(budget=1e6, max_wijziging=0.2)
    r = _solve(s, targets({"A": {"d": 30}, "B": {"d": 1}}))
    assert r.formation.loc["A", "d"] == pytest.approx(12)
    assert r.formation.loc["B", "d"] == pytest.approx(10)  # stability keeps 10 (>= 8)
    assert r.table.set_index("team").loc["A", "begrensd_door"] == "max_wijziging"


def test_mandatory_disciplines_get_at_least_one_block():
    s = scenario(disc("wmo", verplicht=True, min_uren=0), budget=1e6, blok_uren=4)
    r = _solve(s, targets({"A": {"wmo": 0.5}}))
    assert r.formation.loc["A", "wmo"] >= 4 - 1e-9


# ---------------------------------------------------------------- infeasibility


def test_precheck_names_the_numbers():
    s = scenario(disc("d", min_uren=10), budget=5_000)
    with pytest.raises(InfeasibleError, match=r"minimale bezetting kost €20\.000.*€5\.000") as e:
        _solve(s, targets({"A": {"d": 10}, "B": {"d": 10}}))
    assert e.value.loosen["budget"] == pytest.approx(15_000)


def test_conflicting_bounds_are_named():
    s = scenario(disc("d", min_uren=20, huidig=10), budget=1e6, max_wijziging=0.5)
    with pytest.raises(InfeasibleError, match=r"D in A: ondergrens 20.0 uur \(min_uren\)"):
        _solve(s, targets({"A": {"d": 10}}))


def test_elastic_solve_names_team_size_for_milp():
    # 3 disciplines each needing a person, at most 2 persons per team.
    s = scenario(
        disc("a", verplicht=True),
        disc("b", verplicht=True),
        disc("c", verplicht=True),
        budget=1e6,
        min_personen=0,
        max_personen=2,
    )
    with pytest.raises(InfeasibleError, match=r"teamgrootte") as e:
        _solve(s, targets({"A": {"a": 8, "b": 8, "c": 8}}), mode="milp")
    assert e.value.loosen == {"teamgrootte_max[A]": pytest.approx(1)}


def test_unknown_mode_is_rejected():
    with pytest.raises(ValidationError, match="modus"):
        _solve(scenario(), targets({"A": {"d": 1}}), mode="quantum")


# ---------------------------------------------------------------- mixed-integer mode


def test_milp_respects_blocks_contracts_and_team_size():
    s = scenario(
        disc("a", min_contract=8, max_contract=20),
        disc("b", min_contract=8, max_contract=20),
        budget=60_000,
        blok_uren=4,
        min_personen=2,
        max_personen=3,
        max_gap=0.0,
    )
    r = _solve(s, targets({"A": {"a": 30, "b": 13}, "B": {"a": 10, "b": 10}}), mode="milp")
    x = r.formation.to_numpy()
    assert np.allclose(x / 4, np.round(x / 4))
    assert r.budget_used <= 60_000 + 1e-6
    t = r.table
    assert ((t["uren"] == 0) | (t["uren"] / t["personen"] >= 8 - 1e-9)).all()
    assert t.groupby("team")["personen"].sum().between(2, 3).all()
    assert r.gap is not None
    assert r.gap <= 1e-6
    assert r.status == "optimaal"


def test_milp_stopped_early_is_feasible_not_optimal(haarlem_need):
    # HiGHS stopped by a search limit with a formation in hand: PuLP would call this
    # "Optimal"; the result must say it is only feasible and show the gap. A node limit
    # stands in for the time limit (same code path, but deterministic on a noisy machine).
    s = optimize.load_scenario().replace(max_gap=0.0)
    model = FormationModel.from_frames(s, haarlem_need, mode="milp")
    model._h.setOptionValue("mip_max_nodes", 1)
    r = model.solve(explain=False)
    assert r.solver_status != "Optimal"
    assert r.status == "toelaatbaar"
    assert r.gap is not None
    assert r.gap > 0
    assert r.budget_used <= s.budget + 1


def test_milp_stopped_without_a_formation_says_what_to_change(haarlem_need):
    model = FormationModel.from_frames(optimize.load_scenario(), haarlem_need, mode="milp")
    model._h.setOptionValue("mip_max_nodes", 0)
    with pytest.raises(ValidationError, match=r"verhoog milp.max_seconden \(nu 10 s\)"):
        model.solve(explain=False)


# ---------------------------------------------------------------- warm re-solve


def test_warm_resolve_equals_fresh_build(haarlem_need):
    s = optimize.load_scenario()
    model = FormationModel.from_frames(s, haarlem_need)
    model.solve(explain=False)
    warm = model.solve(budget=5_000_000, kosten={"ggz": 2600.0}, explain=False)
    fresh_s = s.replace(budget=5_000_000).with_discipline("ggz", kosten_per_uur=2600.0)
    fresh = FormationModel.from_frames(fresh_s, haarlem_need).solve(explain=False)
    assert warm.max_tekort == pytest.approx(fresh.max_tekort, abs=1e-7)
    assert warm.totaal_tekort == pytest.approx(fresh.totaal_tekort, abs=1e-5)
    assert warm.budget_used == pytest.approx(fresh.budget_used, rel=1e-9)
    # and going back gives the first answer again
    again = model.solve(explain=False)
    assert again.budget_used == pytest.approx(s.budget, rel=1e-6)


def test_result_is_immutable(haarlem_need):
    r = optimize.solve(optimize.load_scenario(), haarlem_need, explain=False)
    with pytest.raises(AttributeError):
        r.status = "x"  # type: ignore[misc]
    table = r.table
    table.loc[:, "uren"] = 0
    assert r.table["uren"].sum() > 0


# ---------------------------------------------------------------- explanations


def test_budget_sentence_is_checked_by_an_independent_resolve(haarlem_need):
    s = optimize.load_scenario().replace(budget=5_000_000)
    r = optimize.solve(s, haarlem_need)
    more = optimize.solve(s.replace(budget=5_050_000), haarlem_need, explain=False)
    sentence = next(line for line in r.explanation if line.startswith("€50.000 extra"))
    assert f"van {optimize.pct(r.max_tekort)} naar {optimize.pct(more.max_tekort)}" in sentence
    assert more.max_tekort < r.max_tekort
    assert "Het budget is bindend" in " ".join(r.explanation)


def test_default_haarlem_explains_bounds_and_budget(haarlem_need):
    r = optimize.solve(optimize.load_scenario(), haarlem_need)
    text = " ".join(r.explanation)
    assert "Budget €5.920.000 per jaar" in text
    assert "maximale wijziging" in text
    assert r.budget_used <= 5_920_000 + 1
    # calibrated to exactly pay the need: less budget raises the shortfall, so it binds
    assert "budget" in r.binding
    assert "Het budget is bindend" in text
    assert not any(b.startswith("vast[") for b in r.binding)


def test_budget_that_does_not_bind_is_not_called_binding(haarlem_need):
    r = optimize.solve(optimize.load_scenario().replace(budget=7_000_000), haarlem_need)
    assert "budget" not in r.binding
    text = " ".join(r.explanation)
    assert "Het budget is bindend" not in text
    assert "verandert de formatie niet" in text
    assert r.budget_left > 100_000


# ---------------------------------------------------------------- properties (hypothesis)


@st.composite
def instances(draw):
    n_teams = draw(st.integers(2, 4))
    n_disc = draw(st.integers(1, 3))
    discs = []
    for j in range(n_disc):
        lo = draw(st.sampled_from([0.0, 2.0, 4.0]))
        discs.append(
            disc(
                f"d{j}",
                kosten_per_uur=draw(st.floats(500, 4000)),
                min_uren=lo,
                max_uren=draw(st.floats(lo + 4, 60)),
                huidig=draw(st.floats(lo, 40)),
                gewicht=draw(st.floats(0.5, 3)),
            )
        )
    tg = {
        f"T{i}": {f"d{j}": draw(st.floats(0.0, 50.0)) for j in range(n_disc)}
        for i in range(n_teams)
    }
    min_cost = sum(d.kosten_per_uur * d.min_uren for d in discs) * n_teams
    budget = min_cost + draw(st.floats(0, 300_000))
    return scenario(*discs, budget=budget), targets(tg)


PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(instances())
def test_property_ceiling_and_bounds_hold(inst):
    s, tg = inst
    r = _solve(s, tg)
    assert r.budget_used <= s.budget * (1 + 1e-9) + 0.01  # a cent: solver tolerance
    t = r.table
    assert (t["uren"] >= t["ondergrens"] - 1e-6).all()
    assert (t["uren"] <= t["bovengrens"] + 1e-6).all()
    assert 0 <= r.max_tekort <= 1 + 1e-9


@PROPS
@given(instances(), st.floats(1_000, 200_000))
def test_property_more_budget_never_raises_the_largest_shortfall(inst, extra):
    s, tg = inst
    need = pd.DataFrame({"a": np.ones(len(tg))}, index=tg.index)
    model = FormationModel.from_frames(s, need, targets=tg)
    base = model.solve(explain=False)
    more = model.solve(budget=s.budget + extra, explain=False)
    assert more.max_tekort <= base.max_tekort + 1e-7


@PROPS
@given(
    st.lists(st.floats(1, 50), min_size=2, max_size=5),
    st.floats(0.2, 0.95),
)
def test_property_proportional_need_gives_proportional_hours(sizes, fraction):
    # one discipline, no bounds in the way, the budget covers `fraction` of the need
    s0 = scenario(disc("d", max_uren=400, huidig=10), budget=1.0)
    need = pd.DataFrame({"a": sizes}, index=[f"T{i}" for i in range(len(sizes))])
    tg = optimize.need_targets(need, s0)
    budget = fraction * float(tg["d"].sum()) * 1000
    r = _solve(s0.replace(budget=budget), tg)
    hours = r.formation["d"].to_numpy()
    assert hours / hours.sum() == pytest.approx(np.array(sizes) / sum(sizes), rel=1e-5, abs=1e-7)


def test_uniform_need_at_the_2016_budget_reproduces_omvang_wordt():
    s = optimize.load_scenario()
    themes = sorted({t for d in s.disciplines for t in d.behoefte})
    teams = [f"Team {i}" for i in range(8)]
    need = pd.DataFrame({t: 1000.0 for t in themes}, index=teams)
    # Bijlage 1 personnel lines for eight teams (municipal): 4,736,000
    r = optimize.solve(s.replace(budget=4_736_000), need, explain=False)
    expected = {d.key: d.huidig for d in s.disciplines}
    for team in teams:
        assert r.formation.loc[team].to_dict() == pytest.approx(expected, abs=1e-6)
    assert r.max_tekort == pytest.approx(0, abs=1e-9)
    # the omvang-wordt hours as DOMAIN.md lists them
    assert expected["maatschappelijk_werk"] == pytest.approx(1.3 * 36)
    assert expected["ggz"] == 24
    assert expected["opbouwwerk"] == 18


# ---------------------------------------------------------------- independent cross-check


@PROPS
@given(instances())
def test_property_fairness_level_matches_scipy_linprog(inst):
    s, tg = inst
    r = _solve(s, tg)
    teams, keys = list(tg.index), s.keys
    cells = [(t, k) for t in teams for k in keys]
    n = len(cells)
    # variables: x (n), s (n), z; minimise z
    lo, hi, clip = [], [], []
    for t, k in cells:
        d = s.discipline(k)
        lo.append(d.min_uren)
        hi.append(d.max_uren)
        target = min(max(tg.loc[t, k], d.min_uren), d.max_uren)
        # the documented rule: a need under 0.001 hour per week counts as no need
        clip.append(target if target >= 1e-3 else 0.0)
    c = np.zeros(2 * n + 1)
    c[-1] = 1
    a_ub, b_ub = [], []
    row = np.zeros(2 * n + 1)
    row[:n] = [s.discipline(k).kosten_per_uur for _, k in cells]
    a_ub.append(row)
    b_ub.append(s.budget)
    for i in range(n):
        cover = np.zeros(2 * n + 1)  # -x - s <= -clip
        cover[i], cover[n + i] = -1, -1
        a_ub.append(cover)
        b_ub.append(-clip[i])
        fair = np.zeros(2 * n + 1)  # weighted minimax: w s - clip z <= 0
        fair[n + i], fair[-1] = s.discipline(cells[i][1]).gewicht, -clip[i]
        a_ub.append(fair)
        b_ub.append(0)
    bounds = list(zip(lo, hi, strict=True)) + [(0, None)] * n + [(0, None)]
    ref = linprog(c, A_ub=np.array(a_ub), b_ub=b_ub, bounds=bounds, method="highs-ds")
    assert ref.status == 0
    assert r.level == pytest.approx(ref.fun, abs=1e-6)


def test_elastic_solve_names_the_smallest_loosening():
    # 6-10 hours allowed, but a person works at least 12 hours: raise the maximum by 2.
    s = scenario(disc("a", min_uren=6, max_uren=10, huidig=8, min_contract=12), budget=1e6)
    with pytest.raises(
        InfeasibleError, match=r"Verhoog de bovengrens \(max_uren\) van A in T"
    ) as e:
        _solve(s, targets({"T": {"a": 8}}), mode="milp")
    assert e.value.loosen == {"max_uren[T,a]": pytest.approx(2)}
    # the same scenario is fine in LP mode (contracts are only reported there)
    assert _solve(s, targets({"T": {"a": 8}})).table["klein_contract"].all()


def test_a_need_under_a_thousandth_of_an_hour_is_no_need():
    # no budget at all; a 0.0005-hour "need" is rounding noise and sets no shortfall,
    # while a real need next to it is wholly short
    s = scenario(disc("d0", kosten_per_uur=500, max_uren=4), budget=0.0)
    noise = _solve(s, targets({"T0": {"d0": 0.0005}, "T1": {"d0": 0.0}}))
    assert noise.max_tekort == 0.0
    assert noise.table["haalbaar_doel"].tolist() == [0.0, 0.0]
    real = _solve(s, targets({"T0": {"d0": 0.0005}, "T1": {"d0": 0.002}}))
    assert real.max_tekort == pytest.approx(1.0)
