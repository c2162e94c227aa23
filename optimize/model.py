r"""The formation model: discipline hours per team, fair by need, within the budget ceiling.

Formulation
-----------
Teams :math:`t \in T`, disciplines :math:`d \in D`. Data: need-based target hours
:math:`\tau_{td}` (see :mod:`optimize.need`), current hours :math:`x^0_{td}`, cost of a weekly
hour for a year :math:`k_d`, shortfall weight :math:`w_d`, budget ceiling :math:`B`
(municipal funder) and optional budgets :math:`B_f` of other funders.

Bounds per cell combine the scenario's ``min_uren``/``max_uren``, one block for the three
municipal functions (``verplicht``), the maximum change :math:`\mu` versus the current
formation and pinned values (``vastgezet``):

.. math::

    \ell_{td} = \max(m_d, \, (1-\mu) x^0_{td}), \qquad
    u_{td} = \min(M_d, \, (1+\mu) x^0_{td}).

The *attainable target* :math:`\tau'_{td} = \min(\max(\tau_{td}, \ell_{td}), u_{td})` is the
target clipped to the bounds: fairness is about how the budget is shared, a gap that the
bounds force is reported separately as "begrensd door ...". An attainable target under
0.001 hour per week counts as no need (:math:`\tau'_{td} = 0`): relative shortfalls of
such cells would be rounding noise, not unfairness.

Variables: hours :math:`x_{td} \in [\ell_{td}, u_{td}]`, shortfall :math:`s_{td} \ge 0`,
change :math:`c_{td} \ge 0`, largest relative shortfall :math:`z \ge 0`.

.. math::

    \text{budget:}\quad & \textstyle\sum_{t,\, d \in D_{gem}} k_d x_{td} \le B \\
    \text{budget[f]:}\quad & \textstyle\sum_{t,\, d \in D_f} k_d x_{td} \le B_f \\
    \text{tekort[t,d]:}\quad & s_{td} + x_{td} \ge \tau'_{td} \\
    \text{gelijkheid[t,d]:}\quad & s_{td} - \tau'_{td} z \le 0 \\
    \text{wijziging_op[t,d], wijziging_af[t,d]:}\quad & c_{td} \ge \pm(x_{td} - x^0_{td})

Lexicographic objective, solved in three stages on one model (each stage fixes the optimum
of the one before, with a small tolerance):

1. minimise :math:`z` (fairness: the largest relative shortfall of any team/discipline);
2. minimise :math:`\sum w_d s_{td}` (total weighted shortfall in hours);
3. minimise :math:`\sum c_{td}` (stability: total change versus the current formation).

Mixed-integer mode adds whole blocks and persons: :math:`x_{td} = b\,\beta_{td}` with
:math:`\beta_{td} \in \mathbb{Z}_{\ge 0}` (block :math:`b`, e.g. 4 hours), persons
:math:`p_{td} \in \mathbb{Z}_{\ge 0}` with
:math:`c^{min}_d p_{td} \le x_{td} \le c^{max}_d p_{td}` (contract hours, so no
"twee-benen" mini-contracts) and team size :math:`P^{min} \le \sum_d p_{td} \le P^{max}`.
For speed the fairness level is not optimised inside the MIP (the naive min-max MIP
stalls at a 1% gap): stage 1 runs on the LP relaxation, the MIP then caps :math:`z` at the
LP optimum plus a rounding allowance of about half a block and minimises
:math:`\sum w_d s_{td} + \epsilon \sum c_{td}`, stopping at the scenario's gap or time limit.
The real HiGHS model status and gap are reported (PuLP reports "Optimal" at a time limit).

The model is formulated once with PuLP (named constraints) and solved in-process by HiGHS
(highspy). The highspy instance is kept: :meth:`FormationModel.solve` with another budget,
costs, weights or targets changes bounds and coefficients and re-solves warm.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import highspy
import numpy as np
import pandas as pd
import pulp

from optimize._errors import InfeasibleError, ValidationError
from optimize._format import euro
from optimize.need import need_targets
from optimize.scenario import MUNICIPAL, Scenario

__all__ = ["FormationModel", "Result", "solve"]

Mode = Literal["lp", "milp"]
_INF = highspy.kHighsInf
_TOL = 1e-8
_MIN_TARGET = 1e-3


def _relative_shortfall(target: np.ndarray, hours: np.ndarray) -> np.ndarray:
    """Shortfall as a fraction of the (attainable) target; 0 where there is no target."""
    return np.divide(
        np.maximum(target - hours, 0.0), target, out=np.zeros_like(target), where=target > 1e-9
    )


def _quiet_highs() -> highspy.Highs:
    """Create a highspy instance without its start-up banner on stdout."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    h.setOptionValue("output_flag", False)
    return h


def _to_highs(
    variables: list[pulp.LpVariable],
    rows: list[pulp.LpConstraint],
    *,
    objective: pulp.LpAffineExpression | pulp.LpVariable,
    integers: list[pulp.LpVariable],
) -> highspy.Highs:
    """Pass a PuLP model to an in-process HiGHS instance in bulk (columns, then CSR rows).

    This is the one place the solver is chosen: HiGHS through highspy, never a subprocess.

    Equivalent to PuLP's ``HiGHS.buildSolverModel`` (one ``addRow`` call per constraint) but
    a few times faster; sets ``.index`` on every variable and constraint like PuLP does.
    """
    h = _quiet_highs()
    inf = highspy.kHighsInf
    for i, v in enumerate(variables):
        v.index = i
    n = len(variables)
    lower = np.array([-inf if v.lowBound is None else v.lowBound for v in variables], float)
    upper = np.array([inf if v.upBound is None else v.upBound for v in variables], float)
    costs = np.zeros(n)
    terms = (
        objective.items() if isinstance(objective, pulp.LpAffineExpression) else [(objective, 1)]
    )
    for var, coef in terms:
        costs[var.index] += coef
    h.addCols(n, costs, lower, upper, 0, np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0))
    starts: list[int] = []
    index: list[int] = []
    value: list[float] = []
    row_lo, row_hi = np.empty(len(rows)), np.empty(len(rows))
    for r, con in enumerate(rows):
        con.index = r
        starts.append(len(index))
        for var, coef in con.items():
            if coef != 0:
                index.append(var.index)
                value.append(coef)
        lb, ub = con.getLb(), con.getUb()
        row_lo[r] = -inf if lb is None else lb
        row_hi[r] = inf if ub is None else ub
    h.addRows(
        len(rows),
        row_lo,
        row_hi,
        len(index),
        np.array(starts, np.int32),
        np.array(index, np.int32),
        np.array(value, float),
    )
    if integers:
        idx = np.array([v.index for v in integers], np.int32)
        h.changeColsIntegrality(
            len(idx), idx, np.full(len(idx), highspy.HighsVarType.kInteger.value, np.uint8)
        )
    return h


@dataclass(frozen=True)
class Result:
    """Immutable result of one solve.

    Attributes
    ----------
    status
        ``optimaal``, ``toelaatbaar`` (mixed-integer stopped at the gap/time limit with a
        feasible solution) or ``onhaalbaar``.
    solver_status
        HiGHS's own model status text of the last stage.
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
            "formatie": self._table.to_dict(orient="records"),
        }


@dataclass(frozen=True)
class _Cells:
    """Per-cell data in a fixed order (team-major)."""

    teams: list[str]
    keys: list[str]
    target: np.ndarray
    current: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    lo_reason: list[str]
    hi_reason: list[str]

    def bound_reasons(self, hours: np.ndarray, target: np.ndarray) -> list[str]:
        """Per cell, the bound that keeps the hours from the target ('' when none does)."""
        at_lo = (hours <= self.lo + 1e-6) & (target < self.lo - 1e-6)
        at_hi = (hours >= self.hi - 1e-6) & (target > self.hi + 1e-6)
        return [
            lr if lo else hr if hi else ""
            for lo, hi, lr, hr in zip(at_lo, at_hi, self.lo_reason, self.hi_reason, strict=True)
        ]

    def per_cell(self, scenario: Scenario, attribute: str) -> list[Any]:
        """Return a discipline attribute (``kosten_per_uur``, ``gewicht``…) for every cell."""
        return [getattr(scenario.discipline(k), attribute) for k in self.keys] * len(self.teams)


def _bounds(scenario: Scenario, teams: list[str], mu: float | None) -> _Cells:
    keys = scenario.keys
    n = len(teams) * len(keys)
    current = np.empty(n)
    lo, hi = np.empty(n), np.empty(n)
    lo_reason, hi_reason = [""] * n, [""] * n
    for i, (t, k) in enumerate((t, k) for t in teams for k in keys):
        d = scenario.discipline(k)
        x0 = scenario.current(t, k)
        current[i] = x0
        low, lr = d.min_uren, "min_uren"
        if d.verplicht and scenario.blok_uren > low:
            low, lr = scenario.blok_uren, "verplicht"
        high, hr = d.max_uren, "max_uren"
        if d.min_uren == d.max_uren:
            lr = hr = "vast"
        if mu is not None and lr != "vast":
            if x0 * (1 - mu) > low + 1e-9:
                low, lr = x0 * (1 - mu), "max_wijziging"
            if x0 * (1 + mu) < high - 1e-9:
                high, hr = x0 * (1 + mu), "max_wijziging"
        pin = scenario.vastgezet.get(t, {}).get(k)
        if pin is not None:
            low = high = float(pin)
            lr = hr = "vastgezet"
        lo[i], hi[i] = low, high
        lo_reason[i], hi_reason[i] = lr, hr
    return _Cells(teams, keys, np.zeros(n), current, lo, hi, lo_reason, hi_reason)


class FormationModel:
    """A formation model built once and solved (warm) many times.

    Build it with :meth:`from_frames`; call :meth:`solve` for a :class:`Result`. The model
    keeps only solver state; results are new immutable objects.

    Examples
    --------
    >>> import pandas as pd
    >>> from optimize import FormationModel, load_scenario
    >>> s = load_scenario()
    >>> themes = s.themes
    >>> need = pd.DataFrame({t: [1.0, 1.0] for t in themes}, index=["A", "B"])
    >>> r = FormationModel.from_frames(s.replace(budget=1_184_000), need).solve()
    >>> r.status, round(float(r.formation.loc["A", "ggz"]), 3)
    ('optimaal', 24.0)
    """

    def __init__(
        self, scenario: Scenario, targets: pd.DataFrame, need: pd.DataFrame | None, mode: Mode
    ) -> None:
        if mode not in ("lp", "milp"):
            raise ValidationError(f"modus: verwacht 'lp' of 'milp', gevonden {mode!r}")
        self.scenario = scenario
        self.mode: Mode = mode
        self.need = need
        self._targets = targets.loc[:, scenario.keys].astype(float)
        self.teams = [str(t) for t in targets.index]
        for label, table in (
            ("vastgezet", scenario.vastgezet),
            ("huidig", scenario.huidig_per_team),
        ):
            unknown = sorted(set(table) - set(self.teams))
            if unknown:
                raise ValidationError(
                    f"{label}: onbekend(e) team(s) {', '.join(map(repr, unknown))}; "
                    f"bekend: {', '.join(self.teams)}"
                )
        self._cells = _bounds(scenario, self.teams, scenario.max_wijziging)
        self._precheck(scenario, self._cells)
        self._build()

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_frames(
        cls,
        scenario: Scenario,
        need: pd.DataFrame,
        *,
        mode: Mode = "lp",
        targets: pd.DataFrame | None = None,
    ) -> FormationModel:
        """Build the model from theme need per team (or ready target hours).

        Parameters
        ----------
        scenario
            The scenario.
        need
            Index team, one column per need theme (residents concerned).
        mode
            ``lp`` (continuous hours) or ``milp`` (blocks, persons, team size).
        targets
            Team × discipline target hours; default computed from ``need``.

        Returns
        -------
        FormationModel
            The built model.

        Raises
        ------
        ValidationError
            Bad need table or mode.
        InfeasibleError
            The bounds or the budget cannot be met; the message gives the numbers.
        """
        if targets is None:
            targets = need_targets(need, scenario)
        else:
            missing = [k for k in scenario.keys if k not in targets.columns]
            if missing:
                raise ValidationError(f"doeluren: kolom(men) ontbreken: {', '.join(missing)}")
        return cls(scenario, targets, need, mode)

    def _precheck(self, s: Scenario, c: _Cells, budget: float | None = None) -> None:
        lines: list[str] = []
        loosen: dict[str, float] = {}
        nk = len(c.keys)
        for i in np.flatnonzero(c.lo > c.hi + 1e-9):
            t, k = c.teams[i // nk], c.keys[i % nk]
            lines.append(
                f"{s.discipline(k).naam} in {t}: ondergrens {c.lo[i]:.1f} uur ({c.lo_reason[i]}) "
                f"ligt boven de bovengrens {c.hi[i]:.1f} uur ({c.hi_reason[i]})."
            )
            loosen[f"{c.hi_reason[i]}[{t},{k}]"] = float(c.lo[i] - c.hi[i])
        cost = np.array(c.per_cell(s, "kosten_per_uur"), dtype=float)
        funders = c.per_cell(s, "gefinancierd_door")
        budgets = {MUNICIPAL: s.budget if budget is None else budget, **s.financiers}
        for funder, budget in budgets.items():
            mask = np.array([f == funder for f in funders])
            minimum = float((cost * np.minimum(c.lo, c.hi))[mask].sum())
            if minimum > budget + 0.5:
                who = "het budget" if funder == MUNICIPAL else f"het budget van {funder}"
                lines.append(
                    f"De minimale bezetting kost {euro(minimum)} per jaar, {who} is "
                    f"{euro(budget)}: verhoog het budget met {euro(minimum - budget)} of "
                    f"verlaag minimumuren."
                )
                loosen["budget" if funder == MUNICIPAL else f"budget[{funder}]"] = minimum - budget
        if self.mode == "milp":
            self._precheck_team_size(s, c, lines, loosen)
        if lines:
            raise InfeasibleError(lines, loosen)

    def _precheck_team_size(
        self, s: Scenario, c: _Cells, lines: list[str], loosen: dict[str, float]
    ) -> None:
        """Whole persons: each discipline with hours needs at least one person."""
        nk = len(c.keys)
        discs = [s.discipline(k) for k in c.keys]
        for ti, team in enumerate(c.teams):
            lo = c.lo[ti * nk : (ti + 1) * nk]
            hi = c.hi[ti * nk : (ti + 1) * nk]
            least = sum(
                math.ceil(lo[j] / d.max_contract - 1e-9) for j, d in enumerate(discs) if lo[j] > 0
            )
            most = sum(
                math.floor(hi[j] / d.min_contract + 1e-9) if d.min_contract > 0 else 10**6
                for j, d in enumerate(discs)
            )
            if s.max_personen is not None and least > s.max_personen:
                lines.append(
                    f"{team}: de minimumuren vragen minstens {least} personen (één per "
                    f"discipline met uren), de teamgrootte staat maximaal {s.max_personen} toe."
                )
                loosen[f"teamgrootte_max[{team}]"] = float(least - s.max_personen)
            if s.min_personen is not None and most < s.min_personen:
                lines.append(
                    f"{team}: met de maximumuren en minimale contracten passen hooguit {most} "
                    f"personen, de teamgrootte vraagt minstens {s.min_personen}."
                )
                loosen[f"teamgrootte_min[{team}]"] = float(s.min_personen - most)

    def _build(self) -> None:
        s, c = self.scenario, self._cells
        prob = pulp.LpProblem("formatie", pulp.LpMinimize)
        n = len(c.lo)
        names = [f"{t},{k}" for t in c.teams for k in c.keys]
        x = [
            prob.add_variable(f"uren[{nm}]", lowBound=c.lo[i], upBound=c.hi[i])
            for i, nm in enumerate(names)
        ]
        sh = [prob.add_variable(f"tekort[{nm}]", lowBound=0) for nm in names]
        ch = [prob.add_variable(f"wijziging[{nm}]", lowBound=0) for nm in names]
        z = prob.add_variable("max_rel_tekort", lowBound=0)
        variables: list[pulp.LpVariable] = [*x, *sh, *ch, z]
        cost = c.per_cell(s, "kosten_per_uur")
        funders = c.per_cell(s, "gefinancierd_door")
        prob += z
        rows: list[pulp.LpConstraint] = []

        def add(
            terms: list[tuple[pulp.LpVariable, float]], sense: int, rhs: float, name: str
        ) -> pulp.LpConstraint:
            # affine expressions from term lists: ~10x fewer PuLP objects than arithmetic
            con = pulp.LpConstraint(pulp.LpAffineExpression(terms), sense=sense, rhs=rhs)
            prob.addConstraint(con, name)
            rows.append(con)
            return con

        le, ge, eq = pulp.LpConstraintLE, pulp.LpConstraintGE, pulp.LpConstraintEQ
        budget_con = add(
            [(x[i], cost[i]) for i in range(n) if funders[i] == MUNICIPAL], le, s.budget, "budget"
        )
        funder_cons = {
            f"budget[{f}]": add(
                [(x[i], cost[i]) for i in range(n) if funders[i] == f], le, b, f"budget[{f}]"
            )
            for f, b in s.financiers.items()
        }
        cover_cons, fair_cons = [], []
        for i, nm in enumerate(names):
            cover_cons.append(add([(sh[i], 1.0), (x[i], 1.0)], ge, 0.0, f"dekking[{nm}]"))
            # the coefficient of z (minus the attainable target) is set per solve
            fair_cons.append(add([(sh[i], 1.0)], le, 0.0, f"gelijkheid[{nm}]"))
            add([(ch[i], 1.0), (x[i], -1.0)], ge, -c.current[i], f"wijziging_op[{nm}]")
            add([(ch[i], 1.0), (x[i], 1.0)], ge, c.current[i], f"wijziging_af[{nm}]")
        cap_con = add([(v, 1.0) for v in sh], le, 1e12, "plafond_tekort")
        integers: list[pulp.LpVariable] = []
        if self.mode == "milp":
            b = s.blok_uren
            persons = []
            for i, nm in enumerate(names):
                d = s.discipline(c.keys[i % len(c.keys)])
                fixed = c.hi[i] - c.lo[i] < 1e-9
                has_multiple = math.floor(c.hi[i] / b + 1e-9) >= math.ceil(c.lo[i] / b - 1e-9)
                if not fixed and has_multiple:
                    bv = prob.add_variable(f"blokken[{nm}]", lowBound=0, cat=pulp.LpInteger)
                    integers.append(bv)
                    add([(x[i], 1.0), (bv, -b)], eq, 0.0, f"blok[{nm}]")
                p = prob.add_variable(f"personen[{nm}]", lowBound=0, cat=pulp.LpInteger)
                persons.append(p)
                add([(x[i], 1.0), (p, -d.min_contract)], ge, 0.0, f"min_contract[{nm}]")
                add([(x[i], 1.0), (p, -d.max_contract)], le, 0.0, f"max_contract[{nm}]")
            integers += persons
            nk = len(c.keys)
            for ti, t in enumerate(c.teams):
                team_p = [(p, 1.0) for p in persons[ti * nk : (ti + 1) * nk]]
                if s.min_personen is not None:
                    add(team_p, ge, s.min_personen, f"teamgrootte_min[{t}]")
                if s.max_personen is not None:
                    add(team_p, le, s.max_personen, f"teamgrootte_max[{t}]")
            variables += integers
        h = _to_highs(variables, rows, objective=z, integers=integers)
        self._h = h
        self._x = np.array([v.index for v in x], dtype=np.int32)
        self._s = np.array([v.index for v in sh], dtype=np.int32)
        self._c = np.array([v.index for v in ch], dtype=np.int32)
        self._z = int(z.index)
        self._int_cols = np.array([v.index for v in integers], dtype=np.int32)
        self._ncol = h.getNumCol()
        self._row = {name: con.index for name, con in funder_cons.items()}
        self._cover_rows = np.array([con.index for con in cover_cons], dtype=np.int32)
        self._fair_rows = np.array([con.index for con in fair_cons], dtype=np.int32)
        self._budget_row = budget_con.index
        self._cap_row = cap_con.index
        self._names = names
        self._cost = np.array(cost, dtype=float)
        self._funders = funders
        self._last_targets: pd.DataFrame | None = None
        self._last_clipped = np.full(len(names), np.nan)
        self._last_tau = np.full(len(names), np.nan)
        self._last_weights = np.ones(len(names))
        # small model, many warm re-solves: simplex from the previous basis beats presolve
        h.setOptionValue("presolve", "off")

    # ------------------------------------------------------------------ solving
    def _apply(
        self, scenario: Scenario, targets: pd.DataFrame, budget: float | None = None
    ) -> np.ndarray:
        """Set budget, costs, weights and targets on the kept highspy model."""
        h, c = self._h, self._cells
        ceiling = scenario.budget if budget is None else budget
        h.changeRowBounds(self._budget_row, -_INF, float(ceiling))
        for funder, budget in scenario.financiers.items():
            h.changeRowBounds(self._row[f"budget[{funder}]"], -_INF, float(budget))
        cost = np.array(c.per_cell(scenario, "kosten_per_uur"), dtype=float)
        if not np.array_equal(cost, self._cost):
            for i in np.flatnonzero(cost != self._cost):
                budget_row = int(self._budget_row)
                if self._funders[i] != MUNICIPAL:
                    key = f"budget[{self._funders[i]}]"
                    if key not in self._row:
                        continue
                    budget_row = int(self._row[key])
                h.changeCoeff(budget_row, int(self._x[i]), float(cost[i]))
            self._cost = cost
        if targets is self._last_targets:
            return self._last_clipped
        tau = targets.loc[self.teams, list(c.keys)].to_numpy(dtype=float).ravel()
        self._last_tau = tau
        clipped = np.clip(tau, np.minimum(c.lo, c.hi), c.hi)
        # a need under 0.001 hour per week is no need: relative shortfalls of such cells
        # would be noise, not unfairness
        clipped[clipped < _MIN_TARGET] = 0.0
        if not np.array_equal(clipped, self._last_clipped):
            n = len(self._cover_rows)
            h.changeRowsBounds(n, self._cover_rows, clipped, np.full(n, _INF))  # type: ignore[attr-defined]
            for j, fair in enumerate(self._fair_rows):
                h.changeCoeff(int(fair), self._z, -float(clipped[j]))
        self._last_targets, self._last_clipped = targets, clipped
        return clipped

    def _stage(self, costs: np.ndarray) -> tuple[str, np.ndarray, float]:
        h = self._h
        h.changeColsCost(self._ncol, np.arange(self._ncol, dtype=np.int32), costs)
        h.run()
        status = h.getModelStatus()
        text = h.modelStatusToString(status)
        values = np.asarray(h.getSolution().col_value, dtype=float)
        obj = float(h.getInfo().objective_function_value)
        return text, values, obj

    def solve(
        self,
        *,
        budget: float | None = None,
        kosten: Mapping[str, float] | None = None,
        gewichten: Mapping[str, float] | None = None,
        targets: pd.DataFrame | None = None,
        explain: bool = True,
        budget_step: float = 50_000.0,
    ) -> Result:
        """Solve (warm) with optional what-if overrides; return an immutable result.

        Parameters
        ----------
        budget
            Budget ceiling, euros per year (default: the scenario's).
        kosten
            Discipline key → cost of a weekly hour per year.
        gewichten
            Discipline key → shortfall weight.
        targets
            Team × discipline target hours (e.g. from changed need weights).
        explain
            Add the plain-Dutch explanation (re-solves with ±``budget_step``).
        budget_step
            Budget change used for the "what more budget buys" sentence.

        Returns
        -------
        Result
            The result; ``status == "onhaalbaar"`` never happens here, infeasibility raises.

        Raises
        ------
        InfeasibleError
            With the smallest changes that would make the scenario feasible.
        ValidationError
            Unknown discipline keys or negative values.
        """
        scenario = self._variant(budget, kosten, gewichten)
        tg = self._targets if targets is None else targets.loc[:, scenario.keys].astype(float)
        if budget is not None or kosten is not None:
            self._precheck(scenario, self._cells)
        result = self._solve(scenario, tg)
        if explain:
            from optimize.explain import explain_result

            lines, binds = explain_result(self, result, scenario, tg, budget_step=budget_step)
            binding = result.binding
            if binds and "budget" not in binding:
                binding = ("budget", *binding)
            elif not binds and "budget" in binding:
                binding = tuple(b for b in binding if b != "budget")
            result = Result(**{**result.__dict__, "explanation": tuple(lines), "binding": binding})
        return result

    def _variant(
        self,
        budget: float | None,
        kosten: Mapping[str, float] | None,
        gewichten: Mapping[str, float] | None,
    ) -> Scenario:
        s = self.scenario
        if budget is not None:
            s = s.replace(budget=float(budget))
        for key, value in (kosten or {}).items():
            s = s.with_discipline(key, kosten_per_uur=float(value))
        for key, value in (gewichten or {}).items():
            s = s.with_discipline(key, gewicht=float(value))
        return s

    def _core(
        self,
        scenario: Scenario,
        targets: pd.DataFrame,
        *,
        stability: bool = True,
        budget: float | None = None,
    ) -> tuple[str, str, np.ndarray, np.ndarray, float | None]:
        """Run the stages; return (status, solver text, column values, clipped targets, gap)."""
        h, c = self._h, self._cells
        clipped = self._apply(scenario, targets, budget)
        ncol = self._ncol
        weights = np.array(c.per_cell(scenario, "gewicht"), dtype=float)
        # reset the stage caps of an earlier solve
        h.changeColBounds(self._z, 0.0, _INF)
        h.changeRowBounds(self._cap_row, -_INF, _INF)
        if self.mode == "milp" and len(self._int_cols):
            h.changeColsIntegrality(
                len(self._int_cols),
                self._int_cols,
                np.full(len(self._int_cols), highspy.HighsVarType.kContinuous.value, np.uint8),
            )
        obj1 = np.zeros(ncol)
        obj1[self._z] = 1.0
        text, values, z_opt = self._stage(obj1)
        if text != "Optimal":
            self._elastic(scenario, text)
        gap: float | None = None
        if self.mode == "lp":
            obj2 = np.zeros(ncol)
            obj2[self._s] = weights
            h.changeColBounds(self._z, 0.0, z_opt + _TOL + 1e-8 * z_opt)
            text, values, s_opt = self._stage(obj2)
            if not stability:  # the headline figures are fixed after stage 2
                return "optimaal" if text == "Optimal" else "onhaalbaar", text, values, clipped, gap
            # stage 3: cap the weighted shortfall, minimise the change
            if not np.array_equal(weights, self._last_weights):
                for j, col in enumerate(self._s):
                    h.changeCoeff(self._cap_row, int(col), float(weights[j]))
                self._last_weights = weights
            h.changeRowBounds(self._cap_row, -_INF, s_opt + _TOL + 1e-7 * abs(s_opt))
            obj3 = np.zeros(ncol)
            obj3[self._c] = 1.0
            text, values, _ = self._stage(obj3)
            status = "optimaal" if text == "Optimal" else "onhaalbaar"
        else:
            text, values, gap = self._solve_mip(scenario, z_opt, weights, clipped)
            status = {"Optimal": "optimaal"}.get(text, "toelaatbaar")
        return status, text, values, clipped, gap

    def metrics(
        self,
        scenario: Scenario,
        targets: pd.DataFrame | None = None,
        *,
        budget: float | None = None,
    ) -> dict[str, float]:
        """Solve warm and return only the headline figures (fast path for sweeps).

        Parameters
        ----------
        scenario
            A variant of the model's scenario (same disciplines and bounds).
        targets
            Target hours; default the model's.
        budget
            Budget ceiling instead of the scenario's (checked by the caller: finite, >= 0),
            so a sweep need not build and validate a scenario per budget.

        Returns
        -------
        dict
            ``max_tekort``, ``totaal_tekort`` (hours) and ``budget_gebruikt`` (euros).

        Raises
        ------
        InfeasibleError
            If the variant is infeasible.
        """
        tg = self._targets if targets is None else targets
        self._precheck(scenario, self._cells, budget)
        _, _, values, clipped, _ = self._core(scenario, tg, stability=False, budget=budget)
        hours = values[self._x]
        tau = self._last_tau
        rel = _relative_shortfall(clipped, hours)
        municipal = np.array([f == MUNICIPAL for f in self._funders])
        return {
            "max_tekort": float(rel.max(initial=0.0)),
            "totaal_tekort": float(np.maximum(tau - hours, 0.0).sum()),
            "budget_gebruikt": float((self._cost * hours)[municipal].sum()),
        }

    def _solve(self, scenario: Scenario, targets: pd.DataFrame) -> Result:
        start = time.perf_counter()
        status, text, values, clipped, gap = self._core(scenario, targets)
        seconds = time.perf_counter() - start
        table = self._table(scenario, targets, values, clipped)
        binding = self._binding(scenario, values, clipped)
        # report the real fairness level (MIP may sit slightly above the LP optimum)
        rel = _relative_shortfall(clipped, values[self._x])
        return Result(
            status=status,
            solver_status=text,
            mode=self.mode,
            scenario=scenario,
            gap=gap,
            seconds=seconds,
            max_tekort=float(rel.max(initial=0.0)),
            totaal_tekort=float(table["tekort_uren"].sum()),
            binding=tuple(binding),
            explanation=(),
            _table=table,
        )

    def _solve_mip(
        self, scenario: Scenario, z_lp: float, weights: np.ndarray, clipped: np.ndarray
    ) -> tuple[str, np.ndarray, float | None]:
        h = self._h
        h.changeColsIntegrality(
            len(self._int_cols),
            self._int_cols,
            np.full(len(self._int_cols), highspy.HighsVarType.kInteger.value, np.uint8),
        )
        h.setOptionValue("mip_rel_gap", float(scenario.max_gap))
        h.setOptionValue("time_limit", float(scenario.max_seconden))
        positive = clipped[clipped > 1e-9]
        allowance = 0.5 * scenario.blok_uren / float(np.median(positive)) if positive.size else 0.0
        obj = np.zeros(self._ncol)
        obj[self._s] = weights
        obj[self._c] = 1e-3
        text, values, _ = "", np.zeros(self._ncol), 0.0
        try:
            for factor in (1.0, 2.0, 4.0, math.inf):
                cap = z_lp + factor * allowance + _TOL
                h.changeColBounds(self._z, 0.0, cap if math.isfinite(cap) else _INF)
                text, values, _ = self._stage(obj)
                found = h.getInfo().primal_solution_status == 2 and np.isfinite(values).all()
                if found:  # optimal, or stopped at a limit with a feasible formation
                    break
                if "limit" in text.lower():
                    raise ValidationError(
                        f"milp: de zoektocht stopte ({text}) zonder formatie in hele blokken; "
                        f"verhoog milp.max_seconden (nu {scenario.max_seconden:g} s) of reken "
                        "continu (lp)"
                    )
            else:  # pragma: no cover - the uncapped MIP is feasible when the LP was
                self._elastic(scenario, text)
            gap = float(h.getInfo().mip_gap)
        finally:
            h.setOptionValue("time_limit", _INF)
        return text, values, gap

    def _elastic(self, scenario: Scenario, solver_text: str) -> None:
        """Explain an infeasible model by an elastic solve; always raises."""
        from optimize.explain import elastic_explanation

        lines, loosen = elastic_explanation(self, scenario)
        if not lines:
            lines = [f"Geen formatie mogelijk (HiGHS: {solver_text})."]
        raise InfeasibleError(lines, loosen)

    # ------------------------------------------------------------------ reporting
    def _table(
        self, scenario: Scenario, targets: pd.DataFrame, values: np.ndarray, clipped: np.ndarray
    ) -> pd.DataFrame:
        c = self._cells
        hours = np.clip(values[self._x], c.lo, np.maximum(c.lo, c.hi))
        tau = self._last_tau  # the targets of this solve, set by _apply
        discs = [scenario.discipline(k) for k in c.keys] * len(c.teams)
        cost = np.array([d.kosten_per_uur for d in discs])
        max_contract = np.array([d.max_contract for d in discs])
        min_contract = np.array([d.min_contract for d in discs])
        persons = np.where(hours > 1e-9, np.ceil(hours / max_contract - 1e-9), 0.0)
        uniform = np.array([d.huidig for d in discs])
        grens = c.bound_reasons(hours, tau)
        table = pd.DataFrame(
            {
                "team": np.repeat(c.teams, len(c.keys)),
                "discipline": c.keys * len(c.teams),
                "discipline_naam": [d.naam for d in discs],
                "gefinancierd_door": [d.gefinancierd_door for d in discs],
                "uren": hours,
                "fte": hours / scenario.uren_per_fte,
                "personen": persons,
                "klein_contract": (persons > 0)
                & (hours / np.maximum(persons, 1) < min_contract - 1e-6),
                "kosten": hours * cost,
                "doel_uren": tau,
                "haalbaar_doel": clipped,
                "huidig_uren": c.current,
                "uniform_uren": uniform,
                "verschil_huidig": hours - c.current,
                "verschil_uniform": hours - uniform,
                "dekking": np.divide(hours, tau, out=np.ones_like(tau), where=tau > 1e-9),
                "tekort_uren": np.maximum(tau - hours, 0.0),
                "ondergrens": c.lo,
                "bovengrens": c.hi,
                "begrensd_door": grens,
            }
        )
        return table

    def _binding(self, scenario: Scenario, values: np.ndarray, clipped: np.ndarray) -> list[str]:
        c = self._cells
        out: list[str] = []
        used = float((self._cost * values[self._x])[[f == MUNICIPAL for f in self._funders]].sum())
        short = clipped - values[self._x]
        if scenario.budget - used < max(1.0, 1e-6 * scenario.budget) and (short > 1e-6).any():
            out.append("budget")
        reasons = c.bound_reasons(values[self._x], self._last_tau)
        for reason, fixed, nm in zip(reasons, c.lo_reason, self._names, strict=True):
            # fixed staffing (CJG-coach) is not a choice
            if reason and fixed != "vast":
                out.append(f"{reason}[{nm}]")
        return out

    @property
    def cells(self) -> _Cells:
        """Per-cell bounds and their reasons (read-only use)."""
        return self._cells

    @property
    def targets(self) -> pd.DataFrame:
        """The need-based target hours (a copy)."""
        return self._targets.copy()


def solve(
    scenario: Scenario,
    need: pd.DataFrame,
    *,
    mode: Mode = "lp",
    budget: float | None = None,
    explain: bool = True,
) -> Result:
    """Build and solve a formation model in one call.

    Parameters
    ----------
    scenario
        The scenario.
    need
        Theme need per team.
    mode
        ``lp`` or ``milp``.
    budget
        Optional budget override.
    explain
        Add the plain-Dutch explanation.

    Returns
    -------
    Result
        The result.
    """
    model = FormationModel.from_frames(scenario, need, mode=mode)
    return model.solve(budget=budget, explain=explain)
