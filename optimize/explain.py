"""Plain-Dutch explanations of a formation: what binds, what more budget buys, what weights do.

This module only turns results into text. Every "what if" sentence states the outcome of a
re-solve that the model ran in the mode of the result (whole blocks in mixed-integer mode),
passed in as :class:`BudgetCheck` figures, not a dual value: duals are local and the LP is
piecewise linear, so a re-solve with the stated change is the honest figure. Each sentence
is a checked claim:

* "verandert de formatie niet" only when the re-solved hours equal these (within 0.05 h);
* a budget is "bindend" when the re-solve with less of it raises the largest or the total
  shortfall, or cannot pay the minimum staffing; every funder's budget is checked;
* a change of a rounded figure is written "van 18% naar 16%", never "van 18% naar 18%":
  when the rounded figure does not move, the sentence says it stays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from optimize._format import euro, pct
from optimize._format import hours as _hours
from optimize.result import Result, relative_shortfall

__all__ = ["BudgetCheck", "Figures", "explain_result", "largest_change"]

_REASON = {
    "max_uren": "het maximum aantal uren",
    "min_uren": "het minimum aantal uren",
    "max_wijziging": "de maximale wijziging ten opzichte van de huidige formatie",
    "verplicht": "de verplichte aanwezigheid",
    "vastgezet": "een vastgezette waarde",
}
#: Hours below this difference count as the same formation.
SAME_HOURS = 0.05


@dataclass(frozen=True)
class Figures:
    """The headline figures and hours of one (re-)solve."""

    hours: np.ndarray
    max_tekort: float
    totaal_tekort: float
    budget_used: float
    funder_used: Mapping[str, float] = field(default_factory=dict)

    def used(self, funder: str | None) -> float:
        """Money spent from the municipal budget (``None``) or a funder's."""
        return self.budget_used if funder is None else float(self.funder_used.get(funder, 0.0))


@dataclass(frozen=True)
class BudgetCheck:
    """Re-solves with ``step`` more and less of one budget (``funder`` None: the municipal)."""

    funder: str | None
    budget: float
    step: float
    more: Figures | None
    less: Figures | None
    less_possible: bool
    binds: bool

    @property
    def name(self) -> str:
        """Constraint name: ``budget`` or ``budget[Zvw]``."""
        return "budget" if self.funder is None else f"budget[{self.funder}]"

    @property
    def who(self) -> str:
        """Dutch: ``het budget`` or ``het budget van Zvw``."""
        return "het budget" if self.funder is None else f"het budget van {self.funder}"


def largest_change(before: Result, after: Result) -> tuple[str, str, float]:
    """Return discipline name, team and hours of the cell whose hours change most."""
    t = before.table
    return _largest(t, t["uren"].to_numpy(), after.table["uren"].to_numpy())


def _largest(t: pd.DataFrame, before: np.ndarray, after: np.ndarray) -> tuple[str, str, float]:
    diff = np.asarray(after, float) - np.asarray(before, float)
    i = int(np.argmax(np.abs(diff)))
    return str(t["discipline_naam"].iloc[i]), str(t["team"].iloc[i]), float(diff[i])


def _change_text(t: pd.DataFrame, before: np.ndarray, after: np.ndarray) -> str:
    naam, team, diff = _largest(t, before, after)
    if abs(diff) < SAME_HOURS:
        return ""
    sign = "+" if diff > 0 else "−"
    return f"{naam} in {team} ({sign}{_hours(abs(diff))} uur)"


def _worst(t: pd.DataFrame) -> tuple[str, str]:
    rel = relative_shortfall(
        t["haalbaar_doel"].to_numpy(dtype=float), t["uren"].to_numpy(dtype=float)
    )
    i = int(np.argmax(rel))
    return str(t["discipline_naam"].iloc[i]), str(t["team"].iloc[i])


def _same(a: Figures, b: Figures) -> bool:
    return bool(np.max(np.abs(a.hours - b.hours), initial=0.0) < SAME_HOURS)


def _remaining_reasons(t: pd.DataFrame, checks: list[BudgetCheck], own: BudgetCheck) -> str:
    capped = t.loc[~t["begrensd_door"].isin(["", "vast"]), "begrensd_door"]
    parts = [_REASON.get(str(r), str(r)) for r in dict.fromkeys(capped)]
    parts += [c.who for c in checks if c.binds and c is not own]
    if not parts:
        parts = ["de grenzen per team"]
    return ", ".join(parts[:-1]) + (" en " if len(parts) > 1 else "") + parts[-1]


def _more_sentence(
    result: Result, t: pd.DataFrame, base: Figures, check: BudgetCheck, checks: list[BudgetCheck]
) -> str | None:
    more = check.more
    if more is None:
        return None
    extra = f"{euro(check.step)} extra budget" + (
        f" van {check.funder}" if check.funder is not None else ""
    )
    via = _change_text(t, base.hours, more.hours)
    tail = f", vooral via {via}." if via else "."
    if pct(base.max_tekort) != pct(more.max_tekort):
        return (
            f"{extra} verlaagt het grootste tekort van {pct(base.max_tekort)} naar "
            f"{pct(more.max_tekort)}" + tail
        )
    if _hours(base.totaal_tekort) != _hours(more.totaal_tekort):
        return (
            f"{extra} verlaagt het totale tekort van {_hours(base.totaal_tekort)} naar "
            f"{_hours(more.totaal_tekort)} uur per week" + tail
        )
    if not _same(base, more):
        spent = more.used(check.funder) - base.used(check.funder)
        return (
            f"{extra} verandert het tekort niet, maar wel de formatie: vooral {via}; er wordt "
            f"{euro(spent)} meer uitgegeven."
        )
    if result.totaal_tekort > SAME_HOURS:
        because = _remaining_reasons(t, checks, check)
        return (
            f"{extra} verandert de formatie niet: wat nog ontbreekt, komt door {because}, "
            f"niet door {check.who}."
        )
    return f"{extra} verandert de formatie niet: er is geen tekort."


def _less_sentence(t: pd.DataFrame, base: Figures, check: BudgetCheck) -> str | None:
    if not check.less_possible:
        return None
    fewer = f"Met {euro(check.step)} minder " + (
        "budget" if check.funder is None else f"budget van {check.funder}"
    )
    less = check.less
    if less is None:
        return f"{fewer} is de minimale bezetting niet meer te betalen."
    if pct(base.max_tekort) != pct(less.max_tekort):
        return (
            f"{fewer} stijgt het grootste tekort van {pct(base.max_tekort)} naar "
            f"{pct(less.max_tekort)}."
        )
    if _hours(base.totaal_tekort) != _hours(less.totaal_tekort):
        return (
            f"{fewer} blijft het grootste tekort {pct(base.max_tekort)}; het totale tekort "
            f"stijgt van {_hours(base.totaal_tekort)} naar {_hours(less.totaal_tekort)} uur "
            "per week."
        )
    if not _same(base, less):
        via = _change_text(t, base.hours, less.hours)
        return f"{fewer} blijft het tekort (afgerond) gelijk, maar verandert de formatie: {via}."
    return f"{fewer} blijft de formatie gelijk."


def _binding_sentence(t: pd.DataFrame, check: BudgetCheck) -> str:
    if check.funder is None:
        return (
            "Het budget is bindend: minder budget vergroot het tekort, en meer uren in het ene "
            "team gaan ten koste van een ander."
        )
    names = list(dict.fromkeys(t.loc[t["gefinancierd_door"] == check.funder, "discipline_naam"]))
    return (
        f"Het budget van {check.funder} ({euro(check.budget)}) is bindend: minder budget "
        f"vergroot het tekort bij {', '.join(names)}."
    )


def _weight_sentence(result: Result) -> str | None:
    s = result.scenario
    odd = [d for d in s.disciplines if d.gewicht != 1.0]
    if not odd:
        return None
    parts = [f"{d.naam} {d.gewicht:g}" for d in odd]
    return (
        "Gewichten (prioriteit): " + ", ".join(parts) + ". Een discipline met gewicht w mag "
        "relatief hoogstens 1/w zo veel tekortkomen als een discipline met gewicht 1 "
        "(gewogen minimax); bij gelijk tekort gaat het zwaarste gewicht voor."
    )


def explain_result(result: Result, figures: Figures, checks: list[BudgetCheck]) -> list[str]:
    """Return the plain-Dutch explanation of ``result``.

    Parameters
    ----------
    result
        The result to explain.
    figures
        Its headline figures and hours.
    checks
        Re-solves with less and more of each budget (the municipal one first).

    Returns
    -------
    list of str
        Sentences, most important first.
    """
    t = result.table
    scenario = result.scenario
    used, budget = result.budget_used, scenario.budget
    share = used / budget if budget > 0 else 1.0
    lines = [
        f"Budget {euro(budget)} per jaar: {euro(used)} gebruikt ({pct(share)}), "
        f"{euro(budget - used)} over."
    ]
    if result.max_tekort > 0.0005:
        disc, team = _worst(t)
        lines.append(
            f"Grootste tekort: {pct(result.max_tekort)} van de haalbare behoefte "
            f"({disc} in {team}); totaal tekort {_hours(result.totaal_tekort)} uur per week."
        )
    elif result.totaal_tekort > SAME_HOURS:
        lines.append(
            "Binnen de grenzen per team krijgt elk team de uren die zijn behoefte vraagt; "
            f"door die grenzen ontbreekt nog {_hours(result.totaal_tekort)} uur per week."
        )
    else:
        lines.append("Elk team krijgt de uren die zijn behoefte vraagt.")
    lines += [_binding_sentence(t, c) for c in checks if c.binds]
    weights = _weight_sentence(result)
    if weights:
        lines.append(weights)
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
    for check in checks:
        for sentence in (
            _more_sentence(result, t, figures, check, checks),
            _less_sentence(t, figures, check),
        ):
            if sentence:
                lines.append(sentence)
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
        row = small.iloc[0]
        which = f"{row['discipline_naam']} in {row['team']}"
        count = "1 cel vraagt" if len(small) == 1 else f"{len(small)} cellen vragen"
        lines.append(
            f"{count} een contract onder het minimum per persoon ({which}"
            f"{' en andere' if len(small) > 1 else ''}; twee-benenprobleem); de "
            "gemengd-geheeltallige modus (milp) voorkomt dat."
        )
    if result.off_block:
        cell = result.off_block[0].replace(",", " / ")
        count = (
            "1 cel kan" if len(result.off_block) == 1 else f"{len(result.off_block)} cellen kunnen"
        )
        lines.append(
            f"{count} niet in hele blokken van {_hours(scenario.blok_uren)} uur ({cell}"
            f"{' en andere' if len(result.off_block) > 1 else ''}): de grenzen bevatten geen "
            "veelvoud van het blok, dus die uren zijn exact binnen de grenzen gehouden."
        )
    if result.gap is not None:
        lines.append(
            f"Gemengd-geheeltallig: status {result.status}, optimaliteitsgat {pct(result.gap)}."
        )
    return lines
