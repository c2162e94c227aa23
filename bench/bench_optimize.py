"""Optimiser benchmarks on the Haarlem model (10 teams x 11 disciplines).

Rows: one build+solve through the project API; the same LP passed to highspy directly and
solved with the same three lexicographic stages; a warm what-if re-solve (full result and
the lean ``metrics`` path); a 1,000-budget sweep; mixed-integer mode to a 1% gap.
"""

from __future__ import annotations

import statistics
import time
import warnings
from collections.abc import Callable

import highspy
import numpy as np

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
    """Solve the three stages on a fresh highspy instance (no PuLP)."""
    h = _quiet_highs()
    h.passModel(lp)
    n = h.getNumCol()
    idx = np.arange(n, dtype=np.int32)
    cost = np.zeros(n)
    cost[model._z] = 1.0
    h.changeColsCost(n, idx, cost)
    h.run()
    z = h.getInfo().objective_function_value
    h.changeColBounds(model._z, 0.0, z + 1e-8)
    cost = np.zeros(n)
    cost[model._s] = 1.0
    h.changeColsCost(n, idx, cost)
    h.run()
    s = h.getInfo().objective_function_value
    h.changeRowBounds(model._cap_row, -highspy.kHighsInf, s + 1e-7)
    cost = np.zeros(n)
    cost[model._c] = 1.0
    h.changeColsCost(n, idx, cost)
    h.run()


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
    t_explain = _median(lambda: model.solve(budget=next(budgets)), repeats)
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
    t_stage = _median(one_stage, repeats * 5)
    sweep = np.linspace(3_500_000, 7_000_000, 1000)
    t_sweep = _median(lambda: optimize.budget_sweep(model, sweep), max(1, repeats // 3))
    milp_s = scenario.replace(max_gap=0.01)
    gaps: list[float] = []

    def milp() -> None:
        r = optimize.FormationModel.from_frames(milp_s, need, mode="milp").solve(explain=False)
        gaps.append(r.gap or 0.0)

    t_milp = _median(milp, repeats)
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
            "meting": "LP bouwen + oplossen via wijkteam (PuLP + HiGHS)",
            "schaal": size,
            "mediaan_s": t_api,
            "extra": f"{t_api / t_direct:.1f}x highspy direct",
        },
        {
            "meting": "zelfde LP, highspy direct (3 fasen)",
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
            "meting": "warme what-if (volledig resultaat)",
            "schaal": size,
            "mediaan_s": t_warm,
            "extra": "",
        },
        {
            "meting": "warme what-if (alleen kerncijfers)",
            "schaal": size,
            "mediaan_s": t_metrics,
            "extra": "",
        },
        {
            "meting": "what-if met Nederlandse uitleg (2 extra oplossingen)",
            "schaal": size,
            "mediaan_s": t_explain,
            "extra": "",
        },
        {
            "meting": "budget-sweep 1.000 scenario's (warm)",
            "schaal": size,
            "mediaan_s": t_sweep,
            "extra": f"{1000 * t_sweep / 1000:.2f} ms per scenario",
        },
        {
            "meting": "MILP (blokken van 4 uur, personen) tot 1% gap",
            "schaal": size,
            "mediaan_s": t_milp,
            "extra": f"gap {max(gaps):.2%}",
        },
    ]
