"""Budget sweep, weight sensitivity and the phased plan."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import optimize


@pytest.fixture
def model(haarlem_need):
    return optimize.FormationModel.from_frames(optimize.load_scenario(), haarlem_need)


def test_sweep_is_monotone_and_flags_unaffordable_budgets(model):
    calls = []
    frame = optimize.budget_sweep(
        model, np.linspace(1_000_000, 7_000_000, 13), progress=lambda *a: calls.append(a)
    )
    assert len(frame) == 13
    assert len(calls) == 13
    assert not frame.loc[0, "haalbaar"]  # below the minimum staffing cost
    feasible = frame[frame["haalbaar"]]
    assert (np.diff(feasible["max_tekort"]) <= 1e-8).all()  # solver tolerance
    assert (np.diff(feasible["totaal_tekort"]) <= 1e-6).all()
    assert (feasible["budget_gebruikt"] <= feasible["budget"] + 1).all()
    # the sweep's figures equal independent solves
    b = float(feasible["budget"].iloc[1])
    r = model.solve(budget=b, explain=False)
    assert feasible["max_tekort"].iloc[1] == pytest.approx(r.max_tekort, abs=1e-7)


def test_sweep_rejects_bad_budgets(model):
    with pytest.raises(optimize.ValidationError, match="sweep"):
        optimize.budget_sweep(model, [1e6, -1])
    with pytest.raises(optimize.ValidationError, match="sweep"):
        optimize.budget_sweep(model, [])
    with pytest.raises(optimize.ValidationError, match="sweep"):
        optimize.budget_sweep(model, [1e12])  # above the scenario's own limit


def test_weight_sensitivity_moves_hours(haarlem_need):
    s = optimize.load_scenario().replace(budget=5_000_000)
    model = optimize.FormationModel.from_frames(s, haarlem_need)
    frame = optimize.weight_sensitivity(model, factors=(0.5, 2.0))
    themes = sorted({t for d in s.disciplines for t in d.behoefte})
    assert len(frame) == 2 * len(themes)
    fin = frame[(frame["thema"] == "financieel") & (frame["factor"] == 2.0)].iloc[0]
    assert fin["verschuiving_uren"] > 1
    assert "in" in fin["grootste_verschuiving"]


def test_phased_plan_respects_yearly_change(haarlem_need):
    s = optimize.load_scenario()
    plan = optimize.phased_plan(s, haarlem_need)
    assert plan.years == (2017, 2018, 2019)
    previous = {t: {k: s.current(t, k) for k in s.keys} for t in haarlem_need.index}
    for phase, r in zip(s.fasen, plan.results, strict=True):
        for t, row in r.formation.iterrows():
            for k, v in row.items():
                d = s.discipline(k)
                x0 = previous[t][k]
                if d.min_uren == d.max_uren:
                    continue
                assert v <= max(x0 * (1 + phase.max_wijziging), d.min_uren) + 1e-6
                assert v >= min(x0 * (1 - phase.max_wijziging), d.max_uren) - 1e-6
        previous = {t: row.to_dict() for t, row in r.formation.iterrows()}
    summary = plan.summary()
    assert (np.diff(summary["totaal_tekort"]) <= 1e-6).all()
    assert len(plan.table()) == 3 * 110
    with pytest.raises(optimize.ValidationError, match="geen fasen"):
        optimize.phased_plan(s.replace(fasen=()), haarlem_need)


def test_allocate_all_solves_each_municipality_with_scaled_budgets():
    s = optimize.load_scenario()
    themes = sorted({t for d in s.disciplines for t in d.behoefte} - {"jeugd"})
    index = pd.MultiIndex.from_tuples(
        [("GM1", "A"), ("GM1", "B"), ("GM2", "C"), ("GM3", "D"), ("GM3", "E"), ("GM3", "F")],
        names=["gemeente", "team"],
    )
    rng = np.random.default_rng(1)
    need = pd.DataFrame({t: rng.uniform(100, 1000, len(index)) for t in themes}, index=index)
    calls = []
    summary, long = optimize.allocate_all(s, need, progress=lambda *a: calls.append(a))
    assert summary["gemeente"].tolist() == ["GM1", "GM2", "GM3"]
    assert summary["teams"].tolist() == [2, 1, 3]
    per_team = sum(d.kosten_per_uur * d.huidig for d in s.disciplines if d.municipal)
    assert summary["budget"].tolist() == pytest.approx([2 * per_team, per_team, 3 * per_team])
    assert (summary["budget_gebruikt"] <= summary["budget"] + 1).all()
    assert len(long) == 6 * 11
    assert summary.attrs["gelijk_verdeeld"] == ["jeugd"]
    assert len(calls) == 3
    # a budget below the minimum staffing is reported per gemeente, not raised
    tight, _ = optimize.allocate_all(s, need, budget_per_team=100_000)
    assert (tight["status"] == "onhaalbaar").all()
    assert tight["reden"].str.contains("minimale bezetting").all()
    with pytest.raises(optimize.ValidationError, match="gemeente, team"):
        optimize.allocate_all(s, need.droplevel(0))


def test_sweep_of_a_cost_variant_uses_its_costs(model):
    dear = model.scenario.with_discipline("ggz", kosten_per_uur=4000.0)
    base = optimize.budget_sweep(model, [5_000_000])
    variant = optimize.budget_sweep(model, [5_000_000], scenario=dear)
    fresh = optimize.FormationModel.from_frames(dear, model.need).solve(
        budget=5_000_000, explain=False
    )
    assert variant["max_tekort"].iloc[0] == pytest.approx(fresh.max_tekort, abs=1e-7)
    assert variant["max_tekort"].iloc[0] > base["max_tekort"].iloc[0]
