"""The immutable result of one solve: status, tables and diagnostics."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from optimize.scenario import MUNICIPAL, Scenario

__all__ = ["Result", "relative_shortfall"]


def relative_shortfall(target: np.ndarray, hours: np.ndarray) -> np.ndarray:
    """Shortfall as a fraction of the (attainable) target; 0 where there is no target."""
    return np.divide(
        np.maximum(target - hours, 0.0), target, out=np.zeros_like(target), where=target > 1e-9
    )


@dataclass(frozen=True)
class Result:
    """Immutable result of one solve.

    Attributes
    ----------
    status
        ``optimaal``, ``toelaatbaar`` (mixed-integer stopped at the gap/time limit with a
        feasible solution) or ``onhaalbaar``.
    solver_status
        HiGHS's own model status text of the last stage (mixed-integer: of the first stage
        that stopped at a time or node limit, if any).
    mode
        ``lp`` or ``milp``.
    scenario
        The scenario solved (with the overrides of this solve applied).
    gap
        Relative optimality gap of the mixed-integer stage (``None`` in LP mode).
    seconds
        Wall time of the solve (all stages).
    max_tekort
        Largest relative shortfall against the attainable target (0.12 = 12%).
    totaal_tekort
        Total shortfall against the need-based targets, hours per week.
    binding
        Names of the constraints that bind (``budget``, ``max_uren[Meerwijk,ggz]``, ...).
    explanation
        Plain-Dutch lines: what binds and what more budget would buy (checked by re-solving).
    level
        The weighted fairness level :math:`z`: every cell's relative shortfall times its
        discipline's weight is at most this (equals ``max_tekort`` when all weights are 1).
    off_block
        Mixed-integer mode: cells (``team,discipline``) whose bounds hold no whole block, so
        their hours are not a multiple of the block (empty in LP mode).
    cold_solves
        How many stages needed the verified re-solve from scratch (0 normally).
    """

    status: str
    solver_status: str
    mode: str
    scenario: Scenario
    gap: float | None
    seconds: float
    max_tekort: float
    totaal_tekort: float
    binding: tuple[str, ...]
    explanation: tuple[str, ...]
    _table: pd.DataFrame = field(repr=False)
    level: float = 0.0
    off_block: tuple[str, ...] = ()
    cold_solves: int = 0

    @property
    def table(self) -> pd.DataFrame:
        """Long table, one row per team and discipline (a copy; Dutch column names)."""
        return self._table.copy()

    def wide(self, column: str = "uren") -> pd.DataFrame:
        """Team × discipline table of ``column`` (``uren``, ``fte``, ``dekking``, ...)."""
        out = self._table.pivot(index="team", columns="discipline", values=column)
        return out.loc[self.teams, list(self.scenario.keys)]

    @property
    def teams(self) -> list[str]:
        """Team names in input order."""
        return list(dict.fromkeys(self._table["team"]))

    @property
    def formation(self) -> pd.DataFrame:
        """Hours per week, team × discipline."""
        return self.wide("uren")

    @property
    def coverage(self) -> pd.DataFrame:
        """Coverage of need (hours / target), team × discipline."""
        return self.wide("dekking")

    @property
    def budget_used(self) -> float:
        """Municipal cost of the formation, euros per year."""
        t = self._table
        return float(t.loc[t["gefinancierd_door"] == MUNICIPAL, "kosten"].sum())

    @property
    def budget_left(self) -> float:
        """Budget ceiling minus the municipal cost."""
        return float(self.scenario.budget - self.budget_used)

    @property
    def feasible(self) -> bool:
        """Whether a formation was found."""
        return self.status != "onhaalbaar"

    def team_totals(self) -> pd.DataFrame:
        """Per team: hours, fte, persons, cost, target hours and coverage."""
        g = self._table.groupby("team", sort=False)
        out = g[["uren", "fte", "personen", "kosten", "doel_uren", "tekort_uren"]].sum()
        out["dekking"] = 1 - out["tekort_uren"] / out["doel_uren"]
        return out

    def discipline_totals(self) -> pd.DataFrame:
        """Per discipline: hours, fte, persons, cost, targets, current and uniform hours."""
        cols = ["uren", "fte", "personen", "kosten", "doel_uren", "huidig_uren", "uniform_uren"]
        out = self._table.groupby("discipline", sort=False)[cols].sum()
        out.insert(0, "naam", [self.scenario.discipline(k).naam for k in out.index])
        return out

    def to_dict(self) -> dict[str, Any]:
        """Return the whole result as plain JSON-ready data."""
        return {
            "status": self.status,
            "solver_status": self.solver_status,
            "modus": self.mode,
            "scenario": self.scenario.naam,
            "gap": self.gap,
            "seconden": self.seconds,
            "budget": self.scenario.budget,
            "budget_gebruikt": self.budget_used,
            "budget_over": self.budget_left,
            "max_tekort": self.max_tekort,
            "totaal_tekort_uren": self.totaal_tekort,
            "bindend": list(self.binding),
            "uitleg": list(self.explanation),
            "gewogen_niveau": self.level,
            "niet_in_blokken": list(self.off_block),
            "formatie": self._table.to_dict(orient="records"),
        }
