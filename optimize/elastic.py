"""The elastic model: the smallest loosening that makes an infeasible scenario feasible.

It adds a slack to each constraint a planner can loosen (budget of each funder, minimum and
maximum hours per cell, team size) and minimises the loosening; its non-zero slacks name the
smallest set of changes. Mandatory presence and fixed staffing are policy, not slack. In
mixed-integer mode the hours come in whole blocks and persons, as in the formation model.
"""

from __future__ import annotations

import numpy as np
import pulp

from optimize._format import euro
from optimize._format import hours as _hours
from optimize._highs import to_highs
from optimize.bounds import Cells
from optimize.scenario import MUNICIPAL, Scenario

__all__ = ["elastic_explanation"]


def elastic_explanation(
    cells: Cells,
    scenario: Scenario,
    *,
    mode: str,
    block: float | None = None,
    off_block: tuple[int, ...] = (),
) -> tuple[list[str], dict[str, float]]:
    """Find the smallest loosening that makes the scenario feasible.

    Parameters
    ----------
    cells
        The bounds of the infeasible model.
    scenario
        The scenario (with overrides).
    mode
        ``lp`` or ``milp`` (whole blocks and persons).
    block
        Block size of the hours in mixed-integer mode; the bounds in ``cells`` are the
        planner's own (not rounded to blocks), so the loosening is stated in them.
    off_block
        Cells whose bounds hold no whole block (continuous hours).

    Returns
    -------
    tuple of (list of str, dict)
        Sentences naming what to loosen and by how much, and constraint name → amount.
    """
    c = cells
    s = scenario
    prob = pulp.LpProblem("elastisch", pulp.LpMinimize)
    nk = len(c.keys)
    discs = [s.discipline(k) for k in c.keys] * len(c.teams)
    x, e_lo, e_hi = [], [], []
    for i in range(len(c.lo)):
        t, k = c.teams[i // nk], c.keys[i % nk]
        x.append(prob.add_variable(f"x[{t},{k}]", lowBound=0))
        # mandatory presence and fixed staffing are policy, not something to loosen
        hard = c.lo_reason[i] in ("verplicht", "vast")
        e_lo.append(prob.add_variable(f"e_lo[{t},{k}]", lowBound=0, upBound=0 if hard else None))
        e_hi.append(prob.add_variable(f"e_hi[{t},{k}]", lowBound=0))
        prob += (x[i] + e_lo[i] >= float(c.lo[i]), f"onder[{t},{k}]")
        prob += (x[i] - e_hi[i] <= float(c.hi[i]), f"boven[{t},{k}]")
        if mode == "milp" and block and i not in off_block:
            blocks = prob.add_variable(f"blokken[{t},{k}]", lowBound=0, cat=pulp.LpInteger)
            prob += (x[i] - block * blocks == 0, f"blok[{t},{k}]")
    hour_cost = float(np.mean([d.kosten_per_uur for d in discs if d.kosten_per_uur > 0] or [1]))
    budgets = {MUNICIPAL: s.budget, **s.financiers}
    e_b = {}
    for funder, budget in budgets.items():
        e_b[funder] = prob.add_variable(f"e_budget[{funder}]", lowBound=0)
        prob += (
            pulp.lpSum(
                d.kosten_per_uur * x[i]
                for i, d in enumerate(discs)
                if d.gefinancierd_door == funder
            )
            - e_b[funder]
            <= budget,
            f"budget[{funder}]",
        )
    e_team: dict[str, pulp.LpVariable] = {}
    if mode == "milp":
        for ti, t in enumerate(c.teams):
            persons = []
            for j in range(nk):
                i = ti * nk + j
                d = discs[i]
                p = prob.add_variable(f"p[{t},{c.keys[j]}]", lowBound=0, cat=pulp.LpInteger)
                persons.append(p)
                prob += (x[i] - d.min_contract * p >= 0, f"minc[{t},{c.keys[j]}]")
                prob += (x[i] - d.max_contract * p <= 0, f"maxc[{t},{c.keys[j]}]")
            e_team[f"min[{t}]"] = prob.add_variable(f"e_tmin[{t}]", lowBound=0)
            e_team[f"max[{t}]"] = prob.add_variable(f"e_tmax[{t}]", lowBound=0)
            if s.min_personen is not None:
                prob += (pulp.lpSum(persons) + e_team[f"min[{t}]"] >= s.min_personen, f"tmin[{t}]")
            if s.max_personen is not None:
                prob += (pulp.lpSum(persons) - e_team[f"max[{t}]"] <= s.max_personen, f"tmax[{t}]")
    objective = (
        pulp.lpSum(e_lo)
        + pulp.lpSum(e_hi)
        + pulp.lpSum(v / hour_cost for v in e_b.values())
        + 40 * pulp.lpSum(e_team.values())
    )
    prob += objective
    integers = [v for v in prob.variables() if v.cat == pulp.LpInteger]
    h = to_highs(prob.variables(), list(prob.constraints()), integers=integers)
    costs = np.zeros(h.getNumCol())
    for var, coef in objective.items():
        costs[var.index] += coef
    h.changeColsCost(len(costs), np.arange(len(costs), dtype=np.int32), costs)
    h.setOptionValue("time_limit", 10.0)
    h.run()
    solution = list(h.getSolution().col_value)
    for var in prob.variables():
        var.varValue = solution[var.index]
    lines: list[str] = []
    loosen: dict[str, float] = {}
    for funder, var in e_b.items():
        v = float(var.value() or 0.0)
        if v > 0.5:
            who = "het budget" if funder == MUNICIPAL else f"het budget van {funder}"
            lines.append(f"Verhoog {who} met minstens {euro(v)} (nu {euro(budgets[funder])}).")
            loosen["budget" if funder == MUNICIPAL else f"budget[{funder}]"] = v
    for i in range(len(c.lo)):
        t, k = c.teams[i // nk], c.keys[i % nk]
        lo_v, hi_v = float(e_lo[i].value() or 0.0), float(e_hi[i].value() or 0.0)
        naam = s.discipline(k).naam
        if lo_v > 1e-6:
            lines.append(
                f"Verlaag de ondergrens ({c.lo_reason[i]}) van {naam} in {t} met "
                f"{_hours(lo_v)} uur (nu {_hours(float(c.lo[i]))})."
            )
            loosen[f"{c.lo_reason[i]}[{t},{k}]"] = lo_v
        if hi_v > 1e-6:
            lines.append(
                f"Verhoog de bovengrens ({c.hi_reason[i]}) van {naam} in {t} met "
                f"{_hours(hi_v)} uur (nu {_hours(float(c.hi[i]))})."
            )
            loosen[f"{c.hi_reason[i]}[{t},{k}]"] = hi_v
    for name, var in e_team.items():
        v = float(var.value() or 0.0)
        if v > 1e-6:
            kind, team = name.split("[", 1)
            team = team.rstrip("]")
            if kind == "min":
                lines.append(
                    f"Verlaag de minimale teamgrootte van {team} met {v:.0f} persoon/personen."
                )
                loosen[f"teamgrootte_min[{team}]"] = v
            else:
                lines.append(f"Sta in {team} {v:.0f} persoon/personen meer toe (teamgrootte).")
                loosen[f"teamgrootte_max[{team}]"] = v
    if lines:
        lines.insert(0, "Dit scenario is onhaalbaar. Kleinste aanpassing die het oplost:")
    return lines, loosen
