"""Optimiser benchmarks on the Haarlem model (10 teams x 11 disciplines).

Rows: one build+solve through the project API; the same LP passed to highspy directly and
solved with the same four lexicographic stages (without verification); a warm what-if
re-solve (full result and the lean ``metrics`` path) and one with its full explanation; a
1,000-budget sweep (every stage verified); the exact lexicographic MILP; 10,000 random
what-if scenarios (1,000 small models x 10 steps) compared with freshly built models.
"""

from __future__ import annotations

import statistics
import time
import warnings
from collections.abc import Callable

import highspy
import numpy as np
import pandas as pd

import geo
import optimize
from optimize._highs import quiet_highs as _quiet_highs


def _median(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _direct(lp: highspy.HighsLp, model: optimize.FormationModel) -> None:
    """Solve the four stages on a fresh highspy instance (no PuLP, no verification)."""
    h = _quiet_highs()
    h.passModel(lp)
    h.setOptionValue("presolve", "off")
    n = h.getNumCol()
    idx = np.arange(n, dtype=np.int32)
    inf = highspy.kHighsInf
    # the LP as built: no stage caps yet
    h.changeColBounds(model._z, 0.0, inf)
    h.changeRowBounds(model._cap_row, -inf, inf)
    h.changeRowBounds(model._change_row, -inf, inf)

    def stage(cols: np.ndarray | list[int], values: np.ndarray | float) -> np.ndarray:
        cost = np.zeros(n)
        cost[cols] = values
        h.changeColsCost(n, idx, cost)
        h.run()
        return np.asarray(h.getSolution().col_value)

    x = stage([model._z], 1.0)
    h.changeColBounds(model._z, 0.0, x[model._z] + 1e-9)
    x = stage(model._s, 1.0)
    h.changeRowBounds(model._cap_row, -inf, x[model._s].sum() + 1e-7)
    x = stage(model._c, 1.0)
    h.changeRowBounds(model._change_row, -inf, x[model._c].sum() + 1e-7)
    stage(model._x, model._tiebreak)


def _random_case(rng: np.random.Generator) -> tuple[optimize.Scenario, pd.DataFrame]:
    """A small random scenario (2-4 teams, 1-3 disciplines) and its target hours."""
    n_teams, n_disc = int(rng.integers(2, 5)), int(rng.integers(1, 4))
    discs = []
    for j in range(n_disc):
        lo = float(rng.choice([0.0, 2.0, 4.0]))
        discs.append(
            optimize.Discipline(
                key=f"d{j}",
                naam=f"D{j}",
                kosten_per_uur=float(rng.uniform(500, 4000)),
                huidig=float(rng.uniform(lo, 40)),
                min_uren=lo,
                max_uren=float(rng.uniform(lo + 4, 60)),
                min_contract=0.0,
                gewicht=float(rng.choice([0.5, 1.0, 2.0, 3.0])),
                behoefte={"a": 1.0},
            )
        )
    teams = [f"T{i}" for i in range(n_teams)]
    tg = pd.DataFrame(
        rng.uniform(0, 50, (n_teams, n_disc)), index=teams, columns=[d.key for d in discs]
    )
    least = sum(d.kosten_per_uur * d.min_uren for d in discs) * n_teams
    s = optimize.Scenario(
        naam="bench",
        budget=least + float(rng.uniform(0, 300_000)),
        disciplines=tuple(discs),
        max_wijziging=None if rng.random() < 0.5 else 0.5,
        min_personen=None,
        max_personen=None,
    )
    return s, tg


def _step(s: optimize.Scenario, kind: int, key: str, f: float) -> optimize.Scenario:
    """One what-if: budget, cost, weight or maximum hours of a discipline times ``f``."""
    d = s.discipline(key)
    if kind == 0:
        return s.replace(budget=s.budget * f)
    if kind == 1:
        return s.with_discipline(key, kosten_per_uur=d.kosten_per_uur * f)
    if kind == 2:
        return s.with_discipline(key, gewicht=round(3 * f, 1))
    return s.with_discipline(key, max_uren=max(d.min_uren, d.max_uren * f))


def _what_if_check(n_scenarios: int, steps: int, seed: int = 8) -> tuple[int, int]:
    """Random what-if sequences (budget, costs, weights, bounds) against fresh models.

    Small random models, ``steps`` what-ifs each, until ``n_scenarios`` are compared.
    Returns (scenarios compared, differences): a difference is another status, a largest
    shortfall more than 1e-6 apart or any cell more than 1e-4 hours apart.
    """
    rng = np.random.default_rng(seed)
    compared = differences = 0
    while compared < n_scenarios:
        s, tg = _random_case(rng)
        need = pd.DataFrame({"a": np.ones(len(tg))}, index=tg.index)
        try:
            model = optimize.FormationModel.from_frames(s, need, targets=tg)
        except optimize.InfeasibleError:
            continue
        for _ in range(min(steps, n_scenarios - compared)):
            key = f"d{int(rng.integers(len(s.disciplines)))}"
            f = float(rng.uniform(0.3, 1.7))
            s = _step(s, int(rng.integers(4)), key, f)
            try:
                warm = model.solve(scenario=s, explain=False)
            except optimize.InfeasibleError:
                warm = None
            try:
                fresh = optimize.FormationModel.from_frames(s, need, targets=tg).solve(
                    explain=False
                )
            except optimize.InfeasibleError:
                fresh = None
            compared += 1
            if warm is None or fresh is None:
                differences += (warm is None) != (fresh is None)
                continue
            gap = np.abs(warm.formation.to_numpy() - fresh.formation.to_numpy()).max()
            differences += bool(
                warm.status != fresh.status
                or abs(warm.max_tekort - fresh.max_tekort) > 1e-6
                or gap > 1e-4
            )
    return compared, differences


def run(repeats: int) -> list[dict]:
    """Run the optimiser benchmarks; see the module docstring."""
    need = geo.build_profiles(geo.load_haarlem()).team_need()
    scenario = optimize.load_scenario().replace(budget=5_000_000)
    size = f"{len(need)} teams x {len(scenario.disciplines)}"

    def api() -> None:
        optimize.FormationModel.from_frames(scenario, need).solve(explain=False)

    t_api = _median(api, repeats)
    model = optimize.FormationModel.from_frames(scenario, need)
    model.solve(explain=False)
    lp = model._h.getLp()
    t_direct = _median(lambda: _direct(lp, model), repeats)
    budgets = iter(np.tile([4_800_000.0, 5_200_000.0], 10_000))
    t_warm = _median(lambda: model.solve(budget=next(budgets), explain=False), repeats * 5)
    t_metrics = _median(lambda: model.metrics(scenario.replace(budget=next(budgets))), repeats * 5)
    t_explain = _median(lambda: model.solve(budget=next(budgets)), repeats * 3)
    h = model._h

    def one_stage() -> None:  # stage 1 only: new budget bound, warm simplex
        h.changeRowBounds(model._budget_row, -highspy.kHighsInf, next(budgets))
        h.run()

    model.solve(explain=False)
    cost = np.zeros(h.getNumCol())
    cost[model._z] = 1.0
    h.changeColsCost(len(cost), np.arange(len(cost), dtype=np.int32), cost)
    h.changeColBounds(model._z, 0.0, highspy.kHighsInf)
    h.changeRowBounds(model._cap_row, -highspy.kHighsInf, highspy.kHighsInf)
    h.changeRowBounds(model._change_row, -highspy.kHighsInf, highspy.kHighsInf)
    h.setOptionValue("simplex_strategy", 1)
    t_stage = _median(one_stage, repeats * 5)
    model = optimize.FormationModel.from_frames(scenario, need)  # fresh solver state
    sweep = np.linspace(3_500_000, 7_000_000, 1000)
    t_sweep = _median(lambda: optimize.budget_sweep(model, sweep), max(1, repeats // 3))
    milp_s = optimize.load_scenario()  # the Haarlem default, max_gap 1%
    gaps: list[float] = []
    levels: list[float] = []

    def milp() -> None:
        r = optimize.FormationModel.from_frames(milp_s, need, mode="milp").solve(explain=False)
        gaps.append(r.gap or 0.0)
        levels.append(r.max_tekort)

    t_milp = _median(milp, repeats)
    start = time.perf_counter()
    compared, differences = _what_if_check(10_000, 10)
    t_check = time.perf_counter() - start
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        national = geo.national_team_need()
    base = optimize.load_scenario()
    t_all = _median(lambda: optimize.allocate_all(base, national), max(1, repeats // 3))
    n_gm = national.index.get_level_values(0).nunique()
    return [
        {
            "meting": "formatie voor alle gemeenten (LP, team = wijk)",
            "schaal": f"{n_gm} gemeenten, {len(national)} teams",
            "mediaan_s": t_all,
            "extra": f"{1000 * t_all / n_gm:.1f} ms per gemeente",
        },
        {
            "meting": "LP bouwen + oplossen via wijkteam (PuLP + HiGHS, gecontroleerd)",
            "schaal": size,
            "mediaan_s": t_api,
            "extra": f"{t_api / t_direct:.1f}x highspy direct",
        },
        {
            "meting": "zelfde LP, highspy direct (4 fasen, ongecontroleerd)",
            "schaal": size,
            "mediaan_s": t_direct,
            "extra": "",
        },
        {
            "meting": "warme her-oplossing, één fase (budget gewijzigd)",
            "schaal": size,
            "mediaan_s": t_stage,
            "extra": "HiGHS-simplex vanaf de vorige basis",
        },
        {
            "meting": "warme what-if (volledig resultaat, 4 fasen gecontroleerd)",
            "schaal": size,
            "mediaan_s": t_warm,
            "extra": "",
        },
        {
            "meting": "warme what-if (alleen kerncijfers, 4 fasen gecontroleerd)",
            "schaal": size,
            "mediaan_s": t_metrics,
            "extra": "",
        },
        {
            "meting": "what-if met volledige Nederlandse uitleg",
            "schaal": size,
            "mediaan_s": t_explain,
            "extra": "5 oplossingen: ±€50.000 gemeente en Zvw",
        },
        {
            "meting": "budget-sweep 1.000 scenario's (warm, gecontroleerd)",
            "schaal": size,
            "mediaan_s": t_sweep,
            "extra": f"{1000 * t_sweep / 1000:.2f} ms per scenario",
        },
        {
            "meting": "exacte lexicografische MILP (blokken van 4 uur, personen)",
            "schaal": size,
            "mediaan_s": t_milp,
            "extra": f"grootste tekort {max(levels):.2%}, gap {max(gaps):.2%}",
        },
        {
            "meting": "what-if-controle tegen verse modellen (willekeurig)",
            "schaal": f"{compared} scenario's",
            "mediaan_s": t_check,
            "extra": f"{differences} verschillen, 1 keer gemeten",
        },
    ]
