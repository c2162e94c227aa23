"""Plain-Dutch explanations of a formation: what binds, what more budget buys, what to loosen.

Every "what if" sentence is checked by re-solving the model (warm), not read off a dual
value: duals are local and the LP is piecewise linear, so a re-solve with the stated change
is the honest figure. Infeasible scenarios are explained by an *elastic* solve that adds a
slack to each constraint that a planner can loosen (budget, minimum and maximum hours,
team size) and minimises the loosening; its non-zero slacks name the smallest set of changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pulp

from optimize._errors import InfeasibleError
from optimize._format import euro, pct
from optimize._format import hours as _hours
from optimize.model import _relative_shortfall, _to_highs
from optimize.scenario import MUNICIPAL, Scenario

if TYPE_CHECKING:
    from optimize.model import FormationModel, Result

__all__ = ["elastic_explanation", "explain_result"]

_REASON = {
    "max_uren": "het maximum aantal uren",
    "min_uren": "het minimum aantal uren",
    "max_wijziging": "de maximale wijziging ten opzichte van de huidige formatie",
    "verplicht": "de verplichte aanwezigheid",
    "vastgezet": "een vastgezette waarde",
}


def _worst(result: Result) -> tuple[str, str]:
    t = result.table
    rel = _relative_shortfall(
        t["haalbaar_doel"].to_numpy(dtype=float), t["uren"].to_numpy(dtype=float)
    )
    i = int(np.argmax(rel))
    return str(t["discipline_naam"].iloc[i]), str(t["team"].iloc[i])


def largest_change(before: Result, after: Result) -> tuple[str, str, float]:
    """Return discipline name, team and hours of the cell whose hours change most."""
    after_table = after.table
    diff = after_table["uren"].to_numpy() - before.table["uren"].to_numpy()
    i = int(np.argmax(np.abs(diff)))
    row = after_table.iloc[i]
    return str(row["discipline_naam"]), str(row["team"]), float(diff[i])


def _main_change(a: Result, b: Result) -> str:
    naam, team, diff = largest_change(a, b)
    if abs(diff) < 0.05:
        return ""
    sign = "+" if diff > 0 else "−"
    return f"{naam} in {team} ({sign}{_hours(abs(diff))} uur)"


def _budget_sentence(
    model: FormationModel, result: Result, targets: pd.DataFrame, step: float
) -> tuple[list[str], bool]:
    """Sentences on ±``step`` budget (checked by re-solving) and whether less budget hurts."""
    s = result.scenario
    lines: list[str] = []
    binds = False
    try:
        more = model._solve(s.replace(budget=s.budget + step), targets)
    except InfeasibleError:  # pragma: no cover - more budget cannot make it infeasible
        return lines, binds
    via = _main_change(result, more)
    if result.max_tekort - more.max_tekort > 0.0005:
        lines.append(
            f"{euro(step)} extra budget verlaagt het grootste tekort van {pct(result.max_tekort)} "
            f"naar {pct(more.max_tekort)}" + (f", vooral via {via}." if via else ".")
        )
    elif result.totaal_tekort - more.totaal_tekort > 0.05:
        lines.append(
            f"{euro(step)} extra budget verlaagt het totale tekort van "
            f"{_hours(result.totaal_tekort)} naar {_hours(more.totaal_tekort)} uur per week"
            + (f", vooral via {via}." if via else ".")
        )
    else:
        lines.append(
            f"{euro(step)} extra budget verandert de formatie niet: wat nog ontbreekt, komt door "
            "de grenzen per team (maximum uren, maximale wijziging), niet door het budget."
        )
    if s.budget - step >= 0:
        try:
            model._precheck(s.replace(budget=s.budget - step), model.cells)
            less = model._solve(s.replace(budget=s.budget - step), targets)
        except InfeasibleError:
            binds = True
            lines.append(
                f"Met {euro(step)} minder budget is de minimale bezetting niet meer te betalen."
            )
        else:
            binds = (
                less.max_tekort - result.max_tekort > 1e-6
                or less.totaal_tekort - result.totaal_tekort > 1e-4
            )
            if less.max_tekort - result.max_tekort > 0.0005:
                lines.append(
                    f"Met {euro(step)} minder budget stijgt het grootste tekort naar "
                    f"{pct(less.max_tekort)}."
                )
            elif less.totaal_tekort - result.totaal_tekort > 0.05:
                lines.append(
                    f"Met {euro(step)} minder budget stijgt het totale tekort naar "
                    f"{_hours(less.totaal_tekort)} uur per week."
                )
            else:
                lines.append(f"Met {euro(step)} minder budget blijft de formatie even goed.")
    return lines, binds


def explain_result(
    model: FormationModel,
    result: Result,
    scenario: Scenario,
    targets: pd.DataFrame,
    *,
    budget_step: float = 50_000.0,
) -> tuple[list[str], bool]:
    """Return the plain-Dutch explanation of ``result`` and whether the budget binds.

    The budget binds when the re-solve with ``budget_step`` less raises the largest or the
    total shortfall (or cannot pay the minimum staffing).

    Parameters
    ----------
    model
        The model that produced ``result`` (used to re-solve what-if variants).
    result
        The result to explain.
    scenario
        Its scenario.
    targets
        Its target hours.
    budget_step
        Budget change for the marginal sentences.

    Returns
    -------
    tuple of (list of str, bool)
        Sentences, most important first, and whether the budget binds.
    """
    t = result.table
    used, budget = result.budget_used, scenario.budget
    share = used / budget if budget > 0 else 1.0
    lines = [
        f"Budget {euro(budget)} per jaar: {euro(used)} gebruikt ({pct(share)}), "
        f"{euro(budget - used)} over."
    ]
    if result.max_tekort > 0.0005:
        disc, team = _worst(result)
        lines.append(
            f"Grootste tekort: {pct(result.max_tekort)} van de haalbare behoefte "
            f"({disc} in {team}); totaal tekort {_hours(result.totaal_tekort)} uur per week."
        )
    elif result.totaal_tekort > 0.05:
        lines.append(
            "Binnen de grenzen per team krijgt elk team de uren die zijn behoefte vraagt; "
            f"door die grenzen ontbreekt nog {_hours(result.totaal_tekort)} uur per week."
        )
    else:
        lines.append("Elk team krijgt de uren die zijn behoefte vraagt.")
    budget_at = len(lines)
    capped = t[~t["begrensd_door"].isin(["", "vast"])].copy()
    capped["mis"] = (capped["doel_uren"] - capped["uren"]).abs()
    for reason, group in capped.groupby("begrensd_door"):
        top = group.nlargest(3, "mis")
        parts = [
            f"{naam} in {team} (behoefte {_hours(doel)}, nu {_hours(uren)} uur)"
            for naam, team, doel, uren in zip(
                top["discipline_naam"],
                top["team"],
                top["doel_uren"].astype(float),
                top["uren"].astype(float),
                strict=True,
            )
        ]
        more = f" en {len(group) - 3} andere" if len(group) > 3 else ""
        lines.append(
            f"Begrensd door {_REASON.get(str(reason), str(reason))}: "
            + "; ".join(parts)
            + more
            + "."
        )
    sentences, binds = _budget_sentence(model, result, targets, budget_step)
    if binds:
        lines.insert(
            budget_at,
            "Het budget is bindend: minder budget vergroot het tekort, en meer uren in het ene "
            "team gaan ten koste van een ander.",
        )
    lines += sentences
    delta = t.groupby("team", sort=False)["verschil_uniform"].sum()
    plus = delta[delta > 0.5].sort_values(ascending=False).head(3)
    minus = delta[delta < -0.5].sort_values().head(3)
    if len(plus) or len(minus):
        parts = []
        if len(plus):
            parts.append(
                "meer uren voor " + ", ".join(f"{k} (+{_hours(v)})" for k, v in plus.items())
            )
        if len(minus):
            parts.append(
                "minder voor " + ", ".join(f"{k} (−{_hours(-v)})" for k, v in minus.items())
            )
        lines.append("Ten opzichte van de uniforme formatie: " + "; ".join(parts) + ".")
    small = t[t["klein_contract"]]
    if len(small) and result.mode == "lp":
        first = small.iloc[0]
        which = f"{first['discipline_naam']} in {first['team']}"
        count = "1 cel vraagt" if len(small) == 1 else f"{len(small)} cellen vragen"
        lines.append(
            f"{count} een contract onder het minimum per persoon ({which}"
            f"{' en andere' if len(small) > 1 else ''}; twee-benenprobleem); de "
            "gemengd-geheeltallige modus (milp) voorkomt dat."
        )
    if result.gap is not None:
        lines.append(
            f"Gemengd-geheeltallig: status {result.status}, optimaliteitsgat {pct(result.gap)}."
        )
    return lines, binds


def elastic_explanation(
    model: FormationModel, scenario: Scenario
) -> tuple[list[str], dict[str, float]]:
    """Find the smallest loosening that makes the scenario feasible.

    Parameters
    ----------
    model
        The model whose scenario is infeasible.
    scenario
        The scenario (with overrides).

    Returns
    -------
    tuple of (list of str, dict)
        Sentences naming what to loosen and by how much, and constraint name → amount.
    """
    c = model.cells
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
    if model.mode == "milp":
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
    h = _to_highs(
        prob.variables(), list(prob.constraints()), objective=objective, integers=integers
    )
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
