r"""The formation model: discipline hours per team, fair by need, within the budget ceiling.

Formulation
-----------
Teams :math:`t \in T`, disciplines :math:`d \in D`. Data: need-based target hours
:math:`\tau_{td}` (see :mod:`optimize.need`), current hours :math:`x^0_{td}`, cost of a weekly
hour for a year :math:`k_d`, priority weight :math:`w_d \ge 0` (``gewicht``), budget ceiling
:math:`B` (municipal funder) and optional budgets :math:`B_f` of other funders.

Bounds per cell (see :mod:`optimize.bounds`) combine the scenario's ``min_uren``/``max_uren``,
one block for the mandatory functions (``verplicht``), the maximum change :math:`\mu` versus
the current formation and pinned values (``vastgezet``):

.. math::

    \ell_{td} = \max(m_d, \, (1-\mu) x^0_{td}), \qquad
    u_{td} = \min(M_d, \, (1+\mu) x^0_{td}).

The *attainable target* :math:`\tau'_{td} = \min(\max(\tau_{td}, \ell_{td}), u_{td})` is the
target clipped to the bounds: fairness is about how the budget is shared, a gap that the
bounds force is reported separately as "begrensd door ...". An attainable target under
0.001 hour per week counts as no need (:math:`\tau'_{td} = 0`).

Variables: hours :math:`x_{td} \in [\ell_{td}, u_{td}]`, shortfall :math:`s_{td} \ge 0`,
change :math:`c_{td} \ge 0`, weighted fairness level :math:`z \ge 0`.

.. math::

    \text{budget:}\quad & \textstyle\sum_{t,\, d \in D_{gem}} k_d x_{td} \le B \\
    \text{budget[f]:}\quad & \textstyle\sum_{t,\, d \in D_f} k_d x_{td} \le B_f \\
    \text{dekking[t,d]:}\quad & s_{td} + x_{td} \ge \tau'_{td} \\
    \text{gelijkheid[t,d]:}\quad & w_d\, s_{td} - \tau'_{td}\, z \le 0 \\
    \text{wijziging_op[t,d], wijziging_af[t,d]:}\quad & c_{td} \ge \pm(x_{td} - x^0_{td})

``gelijkheid`` is a *weighted minimax*: the relative shortfall :math:`s_{td}/\tau'_{td}` of a
discipline with weight :math:`w_d` is at most :math:`z / w_d`. A weight of 2 halves the
relative shortfall a discipline may have compared with a weight-1 discipline; weight 0 takes
it out of the fairness stage (it then only counts in stage 2, with weight 0: last in line).
With all weights 1, :math:`z` is the largest relative shortfall.

Lexicographic objective, four stages on one model (each stage keeps the optimum of the ones
before, within a tolerance of about 1e-9 relative):

1. minimise :math:`z` (fairness: the weighted largest relative shortfall);
2. minimise :math:`\sum w_d s_{td}` (total weighted shortfall in hours);
3. minimise :math:`\sum c_{td}` (stability: total change versus the current formation);
4. minimise :math:`\sum r_{td} x_{td}` (tie-break, LP mode) with fixed coefficients
   :math:`r_{td} \in [1, 2)` computed from a checksum (CRC-32) of the team and discipline
   names. Stages 1–3 often leave a face of equally good formations; a linear objective in
   general position has one optimal vertex on it, so the formation is unique: warm or
   fresh, any team order, costs and budget scaled together give the same hours. (A
   strictly convex quadratic tie-break would be the textbook choice, but HiGHS's QP solver
   stalls on this degenerate face.) Which of the equally good formations is chosen carries
   no meaning beyond "fewer hours among equals" (all :math:`r > 0`): the first three stages
   are the policy.

Every stage is verified (:class:`optimize._highs.Bridge`): HiGHS's status must be
``Optimal`` and the point must satisfy the model's own rows and bounds; otherwise the stage
is re-solved from scratch, and if that fails too a :class:`SolverError` is raised.

Mixed-integer mode is the same lexicographic model in whole blocks and persons:
:math:`x_{td} = b\,\beta_{td}` with :math:`\beta_{td} \in \mathbb{Z}_{\ge 0}` (``blok``,
block :math:`b`, e.g. 4 hours), persons :math:`p_{td} \in \mathbb{Z}_{\ge 0}` with
:math:`c^{min}_d p_{td} \le x_{td} \le c^{max}_d p_{td}` (``min_contract``,
``max_contract``: no "twee-benen" mini-contracts) and team size
:math:`P^{min} \le \sum_d p_{td} \le P^{max}` (``teamgrootte_min``, ``teamgrootte_max``).
Stages 1–3 are each solved as a MIP (the fairness level is optimised in whole blocks, not
taken from the LP); there is no stage 4 (HiGHS has no MIQP). Bounds are rounded inward to
whole blocks; a cell whose bounds hold no whole block keeps its exact bounds and is listed
in :attr:`Result.off_block`. The status is ``optimaal`` only when every stage reached
HiGHS's optimum within ``max_gap``; ``toelaatbaar`` when a stage stopped at the time limit
with a formation.

The model is formulated once with PuLP (named constraints, one method per family) and solved
in-process by HiGHS. :meth:`FormationModel.solve` with another budget, costs, weights,
targets or bounds changes the kept model and re-solves warm.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import pulp

from optimize._errors import InfeasibleError, SolverError, ValidationError
from optimize._highs import INF, Bridge, Outcome, to_highs
from optimize.bounds import Cells, cell_bounds, precheck
from optimize.elastic import elastic_explanation
from optimize.explain import BudgetCheck, Figures, explain_result
from optimize.need import need_targets
from optimize.result import Result, relative_shortfall
from optimize.scenario import MUNICIPAL, Scenario

__all__ = ["FormationModel", "Result", "solve"]

Mode = Literal["lp", "milp"]
_MIN_TARGET = 1e-3
_STAGES = ("eerlijkheid", "tekort", "stabiliteit", "eenduidigheid")


def _tiebreak(teams: list[str], keys: list[str]) -> np.ndarray:
    """Return fixed coefficients in [1, 2) per cell, from a checksum of team and discipline.

    They depend on the names only (not on the order, the costs or the budget), so the
    tie-break stage picks the same formation for the same inputs.
    """
    return np.array([1.0 + zlib.crc32(f"{t}\x1f{k}".encode()) / 2**32 for t in teams for k in keys])


def _cap(optimum: float, tol: float = 1e-9) -> float:
    """Upper bound that keeps a stage's optimum in the next stages (tolerance ``tol``)."""
    return optimum + tol + tol * abs(optimum)


#: Stage-cap tolerances tried in turn: a stage optimum that HiGHS met only within its own
#: feasibility tolerance can leave no strictly feasible point under the tightest cap.
_CAP_TOLERANCES = (1e-9, 1e-7, 1e-5)


class _CapTooTightError(Exception):
    """A later stage found the cap of the stage before infeasible (numerical, not real)."""


@dataclass(frozen=True)
class _Solution:
    """The outcome of the stages: verified column values and what they mean."""

    status: str
    text: str
    values: np.ndarray
    hours: np.ndarray
    persons: np.ndarray | None
    clipped: np.ndarray
    tau: np.ndarray
    gap: float | None
    cold: int
    level: float


class FormationModel:
    """A formation model built once and solved (warm, verified) many times.

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
        self._check_teams(scenario)
        self._cells = self._bounds(scenario)
        precheck(scenario, self._cells, mode=mode)
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

    def _check_teams(self, scenario: Scenario) -> None:
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

    def _bounds(self, scenario: Scenario) -> Cells:
        block = scenario.blok_uren if self.mode == "milp" else None
        return cell_bounds(scenario, self.teams, scenario.max_wijziging, block=block)

    def _build(self) -> None:
        s, c = self.scenario, self._cells
        self._prob = pulp.LpProblem("formatie", pulp.LpMinimize)
        self._rows: list[pulp.LpConstraint] = []
        names = c.names
        x = [
            self._prob.add_variable(f"uren[{nm}]", lowBound=c.lo[i], upBound=c.hi[i])
            for i, nm in enumerate(names)
        ]
        sh = [self._prob.add_variable(f"tekort[{nm}]", lowBound=0) for nm in names]
        ch = [self._prob.add_variable(f"wijziging[{nm}]", lowBound=0) for nm in names]
        z = self._prob.add_variable("z", lowBound=0)
        self._cost = np.array(c.per_cell(s, "kosten_per_uur"), dtype=float)
        self._funders: list[str] = c.per_cell(s, "gefinancierd_door")
        budget = self._add_budget(x)
        funders = self._add_funder_budgets(x)
        cover = self._add_dekking(x, sh)
        fair = self._add_gelijkheid(sh, z)
        change_up, change_down = self._add_wijziging(x, ch)
        cap_short, cap_change = self._add_plafonds(sh, ch)
        variables: list[pulp.LpVariable] = [*x, *sh, *ch, z]
        integers: list[pulp.LpVariable] = []
        blocks: list[tuple[int, pulp.LpVariable]] = []
        persons: list[pulp.LpVariable] = []
        size_min: list[pulp.LpConstraint] = []
        size_max: list[pulp.LpConstraint] = []
        if self.mode == "milp":
            blocks = self._add_blokken(x)
            persons = self._add_personen(x)
            size_min, size_max = self._add_teamgrootte(persons)
            integers = [v for _, v in blocks] + persons
            variables += integers
        bridge = Bridge(to_highs(variables, self._rows, integers=integers))
        # LP: small model, many warm re-solves, simplex from the previous basis beats
        # presolve; MIP: presolve pays for itself (Haarlem: 0.3 s instead of 1-2 s)
        bridge.presolve = "on" if self.mode == "milp" else "off"
        bridge.h.setOptionValue("presolve", bridge.presolve)
        self._bridge = bridge
        self._h = bridge.h
        self._x = np.array([v.index for v in x], dtype=np.int32)
        self._s = np.array([v.index for v in sh], dtype=np.int32)
        self._c = np.array([v.index for v in ch], dtype=np.int32)
        self._z = int(z.index)
        self._ncol = bridge.ncol
        self._budget_row = int(budget.index)
        self._row = {name: int(con.index) for name, con in funders.items()}
        self._cover_rows = np.array([con.index for con in cover], dtype=np.int32)
        self._fair_rows = np.array([con.index for con in fair], dtype=np.int32)
        self._up_rows = np.array([con.index for con in change_up], dtype=np.int32)
        self._down_rows = np.array([con.index for con in change_down], dtype=np.int32)
        self._cap_row = int(cap_short.index)
        self._change_row = int(cap_change.index)
        self._block_cells = np.array([i for i, _ in blocks], dtype=np.int64)
        self._block_cols = np.array([v.index for _, v in blocks], dtype=np.int32)
        self._person_cols = np.array([v.index for v in persons], dtype=np.int32)
        self._size_min_rows = [int(con.index) for con in size_min]
        self._size_max_rows = [int(con.index) for con in size_max]
        self._cells_key = self._bounds_key(s)
        self._names = names
        self._tiebreak = _tiebreak(c.teams, c.keys)
        self._weights = np.ones(len(names))
        self._last_targets: pd.DataFrame | None = None
        self._last_clipped = np.full(len(names), np.nan)
        self._last_tau = np.full(len(names), np.nan)

    def _add(
        self, terms: list[tuple[pulp.LpVariable, float]], sense: int, rhs: float, name: str
    ) -> pulp.LpConstraint:
        # affine expressions from term lists: ~10x fewer PuLP objects than arithmetic
        con = pulp.LpConstraint(pulp.LpAffineExpression(terms), sense=sense, rhs=rhs)
        self._prob.addConstraint(con, name)
        self._rows.append(con)
        return con

    def _add_budget(self, x: list[pulp.LpVariable]) -> pulp.LpConstraint:
        """``budget``: the municipal cost of the formation within the ceiling."""
        terms = [
            (v, k) for v, k, f in zip(x, self._cost, self._funders, strict=True) if f == MUNICIPAL
        ]
        return self._add(terms, pulp.LpConstraintLE, self.scenario.budget, "budget")

    def _add_funder_budgets(self, x: list[pulp.LpVariable]) -> dict[str, pulp.LpConstraint]:
        """``budget[f]``: the cost of each other funder's disciplines within its budget."""
        return {
            f"budget[{f}]": self._add(
                [(v, k) for v, k, g in zip(x, self._cost, self._funders, strict=True) if g == f],
                pulp.LpConstraintLE,
                b,
                f"budget[{f}]",
            )
            for f, b in self.scenario.financiers.items()
        }

    def _add_dekking(
        self, x: list[pulp.LpVariable], sh: list[pulp.LpVariable]
    ) -> list[pulp.LpConstraint]:
        """``dekking[t,d]``: shortfall plus hours reach the attainable target (set per solve)."""
        return [
            self._add([(sh[i], 1.0), (x[i], 1.0)], pulp.LpConstraintGE, 0.0, f"dekking[{nm}]")
            for i, nm in enumerate(self._cells.names)
        ]

    def _add_gelijkheid(
        self, sh: list[pulp.LpVariable], z: pulp.LpVariable
    ) -> list[pulp.LpConstraint]:
        """``gelijkheid[t,d]``: weight × shortfall ≤ attainable target × z (set per solve)."""
        return [
            self._add([(sh[i], 1.0), (z, -1.0)], pulp.LpConstraintLE, 0.0, f"gelijkheid[{nm}]")
            for i, nm in enumerate(self._cells.names)
        ]

    def _add_wijziging(
        self, x: list[pulp.LpVariable], ch: list[pulp.LpVariable]
    ) -> tuple[list[pulp.LpConstraint], list[pulp.LpConstraint]]:
        """``wijziging_op/af[t,d]``: the change is at least the move from the current hours."""
        c = self._cells
        up = [
            self._add(
                [(ch[i], 1.0), (x[i], -1.0)],
                pulp.LpConstraintGE,
                -c.current[i],
                f"wijziging_op[{nm}]",
            )
            for i, nm in enumerate(c.names)
        ]
        down = [
            self._add(
                [(ch[i], 1.0), (x[i], 1.0)],
                pulp.LpConstraintGE,
                c.current[i],
                f"wijziging_af[{nm}]",
            )
            for i, nm in enumerate(c.names)
        ]
        return up, down

    def _add_plafonds(
        self, sh: list[pulp.LpVariable], ch: list[pulp.LpVariable]
    ) -> tuple[pulp.LpConstraint, pulp.LpConstraint]:
        """``plafond_tekort``, ``plafond_wijziging``: stage caps (open until a stage sets one)."""
        short = self._add([(v, 1.0) for v in sh], pulp.LpConstraintLE, 1e12, "plafond_tekort")
        change = self._add([(v, 1.0) for v in ch], pulp.LpConstraintLE, 1e12, "plafond_wijziging")
        return short, change

    def _add_blokken(self, x: list[pulp.LpVariable]) -> list[tuple[int, pulp.LpVariable]]:
        """``blok[t,d]``: hours in whole blocks (cells whose bounds hold a block)."""
        c, b = self._cells, self.scenario.blok_uren
        off = set(c.off_block)
        out = []
        for i, nm in enumerate(c.names):
            if i in off:
                continue
            bv = self._prob.add_variable(f"blokken[{nm}]", lowBound=0, cat=pulp.LpInteger)
            self._add([(x[i], 1.0), (bv, -b)], pulp.LpConstraintEQ, 0.0, f"blok[{nm}]")
            out.append((i, bv))
        return out

    def _add_personen(self, x: list[pulp.LpVariable]) -> list[pulp.LpVariable]:
        """``min_contract/max_contract[t,d]``: whole persons within their contract hours."""
        c, s = self._cells, self.scenario
        persons = []
        for i, nm in enumerate(c.names):
            d = s.discipline(c.keys[i % len(c.keys)])
            p = self._prob.add_variable(f"personen[{nm}]", lowBound=0, cat=pulp.LpInteger)
            persons.append(p)
            self._add(
                [(x[i], 1.0), (p, -d.min_contract)], pulp.LpConstraintGE, 0.0, f"min_contract[{nm}]"
            )
            self._add(
                [(x[i], 1.0), (p, -d.max_contract)], pulp.LpConstraintLE, 0.0, f"max_contract[{nm}]"
            )
        return persons

    def _add_teamgrootte(
        self, persons: list[pulp.LpVariable]
    ) -> tuple[list[pulp.LpConstraint], list[pulp.LpConstraint]]:
        """``teamgrootte_min/max[t]``: persons per team."""
        s, c = self.scenario, self._cells
        nk = len(c.keys)
        low, high = [], []
        for ti, t in enumerate(c.teams):
            team_p = [(p, 1.0) for p in persons[ti * nk : (ti + 1) * nk]]
            if s.min_personen is not None:
                low.append(
                    self._add(team_p, pulp.LpConstraintGE, s.min_personen, f"teamgrootte_min[{t}]")
                )
            if s.max_personen is not None:
                high.append(
                    self._add(team_p, pulp.LpConstraintLE, s.max_personen, f"teamgrootte_max[{t}]")
                )
        return low, high

    # ------------------------------------------------------------------ what-if data
    def _variant(
        self,
        base: Scenario | None,
        budget: float | None,
        kosten: Mapping[str, float] | None,
        gewichten: Mapping[str, float] | None,
    ) -> Scenario:
        s = self.scenario if base is None else base
        if budget is not None:
            s = s.replace(budget=float(budget))
        for key, value in (kosten or {}).items():
            s = s.with_discipline(key, kosten_per_uur=float(value))
        for key, value in (gewichten or {}).items():
            s = s.with_discipline(key, gewicht=float(value))
        return s

    def _structure_check(self, s: Scenario) -> None:
        """Reject a variant that changes the model's structure (it may change values)."""
        base = self.scenario
        problems = []
        if s.keys != base.keys:
            problems.append("andere disciplines")
        if set(s.financiers) != set(base.financiers):
            problems.append("andere financiers")
        if [d.gefinancierd_door for d in s.disciplines] != [
            d.gefinancierd_door for d in base.disciplines
        ]:
            problems.append("andere financiering per discipline")
        if self.mode == "milp" and (
            s.blok_uren != base.blok_uren
            or (s.min_personen is None) != (base.min_personen is None)
            or (s.max_personen is None) != (base.max_personen is None)
            or [(d.min_contract, d.max_contract) for d in s.disciplines]
            != [(d.min_contract, d.max_contract) for d in base.disciplines]
        ):
            problems.append("andere blokken, contracten of teamgrootte")
        if problems:
            raise ValidationError(
                "scenario: deze variant vraagt een nieuw model (" + ", ".join(problems) + ")"
            )

    @staticmethod
    def _bounds_key(s: Scenario) -> tuple[object, ...]:
        """Everything the cell bounds and team sizes depend on."""
        discs = tuple((d.key, d.min_uren, d.max_uren, d.verplicht, d.huidig) for d in s.disciplines)
        return (
            discs,
            s.max_wijziging,
            s.blok_uren,
            s.min_personen,
            s.max_personen,
            {t: dict(v) for t, v in s.vastgezet.items()},
            {t: dict(v) for t, v in s.huidig_per_team.items()},
        )

    def _apply_cells(self, scenario: Scenario) -> Cells:
        """Set the cell bounds, current hours and team sizes of ``scenario``."""
        key = self._bounds_key(scenario)
        if key == self._cells_key:
            return self._cells
        cells = self._bounds(scenario)
        br = self._bridge
        old = self._cells
        if not (
            np.array_equal(cells.lo, old.lo)
            and np.array_equal(cells.hi, old.hi)
            and cells.off_block == old.off_block
        ):
            if cells.off_block != old.off_block:
                self._structure_error("blokken per cel")
            br.set_cols_bounds(self._x, np.minimum(cells.lo, cells.hi), cells.hi)
        if not np.array_equal(cells.current, old.current):
            n = len(self._up_rows)
            br.set_rows_bounds(self._up_rows, -cells.current, np.full(n, INF))
            br.set_rows_bounds(self._down_rows, cells.current, np.full(n, INF))
        for row in self._size_min_rows:
            br.set_row_bounds(row, float(scenario.min_personen or 0), INF)
        for row in self._size_max_rows:
            br.set_row_bounds(row, -INF, float(scenario.max_personen or 0))
        self._cells, self._cells_key = cells, key
        return cells

    def _structure_error(self, what: str) -> None:
        raise ValidationError(f"scenario: deze variant vraagt een nieuw model ({what})")

    def _apply(
        self,
        scenario: Scenario,
        targets: pd.DataFrame,
        budget: float | None = None,
        financiers: Mapping[str, float] | None = None,
    ) -> np.ndarray:
        """Set budgets, costs, weights and targets on the kept model; return clipped targets."""
        br, c = self._bridge, self._cells
        ceiling = scenario.budget if budget is None else budget
        br.set_row_bounds(self._budget_row, -INF, float(ceiling))
        funders = scenario.financiers if financiers is None else financiers
        for funder, limit in funders.items():
            br.set_row_bounds(self._row[f"budget[{funder}]"], -INF, float(limit))
        cost = np.array(c.per_cell(scenario, "kosten_per_uur"), dtype=float)
        for i in np.flatnonzero(cost != self._cost):
            row = self._budget_row
            if self._funders[i] != MUNICIPAL:
                key = f"budget[{self._funders[i]}]"
                if key not in self._row:
                    continue
                row = self._row[key]
            br.set_coeff(row, int(self._x[i]), float(cost[i]))
        self._cost = cost
        weights = np.array(c.per_cell(scenario, "gewicht"), dtype=float)
        for j in np.flatnonzero(weights != self._weights):
            br.set_coeff(int(self._fair_rows[j]), int(self._s[j]), float(weights[j]))
            br.set_coeff(self._cap_row, int(self._s[j]), float(weights[j]))
        self._weights = weights
        if targets is self._last_targets and c is self._clipped_for:
            return self._last_clipped
        tau = targets.loc[self.teams, list(c.keys)].to_numpy(dtype=float).ravel()
        clipped = np.clip(tau, np.minimum(c.lo, c.hi), c.hi)
        # a need under 0.001 hour per week is no need: relative shortfalls of such cells
        # would be noise, not unfairness
        clipped[clipped < _MIN_TARGET] = 0.0
        if not np.array_equal(clipped, self._last_clipped):
            n = len(self._cover_rows)
            br.set_rows_bounds(self._cover_rows, clipped, np.full(n, INF))
            for j in np.flatnonzero(clipped != self._last_clipped):
                br.set_coeff(int(self._fair_rows[j]), self._z, -float(clipped[j]))
        self._last_targets, self._last_clipped, self._last_tau = targets, clipped, tau
        self._clipped_for = c
        return clipped

    _clipped_for: Cells | None = None

    # ------------------------------------------------------------------ solving
    def _stage(self, name: str, costs: np.ndarray, scenario: Scenario) -> Outcome:
        """Run one verified stage; raise the project's error when it cannot be verified."""
        milp = self.mode == "milp"
        out = self._bridge.run(costs, accept_limit=milp)
        if out.ok:
            return out
        if out.text == "Infeasible":
            if name != _STAGES[0]:
                raise _CapTooTightError(name)
            self._elastic(scenario, out.text)
        if milp and not out.has_solution and "limit" in out.text.lower():
            raise ValidationError(
                f"milp: de zoektocht stopte ({out.text}) zonder formatie in hele blokken; "
                f"verhoog milp.max_seconden (nu {scenario.max_seconden:g} s) of reken "
                "continu (lp)"
            )
        raise SolverError(
            [
                f"De oplosser gaf in fase {name} geen gecontroleerde oplossing, ook niet "
                f"opnieuw vanaf nul (HiGHS: {out.text}; grootste overschrijding "
                f"{out.violation:.3g}). Meld dit scenario als fout."
            ]
        )

    def _run(
        self,
        scenario: Scenario,
        targets: pd.DataFrame,
        *,
        budget: float | None = None,
        financiers: Mapping[str, float] | None = None,
    ) -> _Solution:
        """Run the lexicographic stages; return the verified solution.

        ``budget`` and ``financiers`` override the scenario's budgets (checked by the caller),
        so sweeps and explanations need not build and validate a scenario per budget.
        """
        br = self._bridge
        self._apply_cells(scenario)
        clipped = self._apply(scenario, targets, budget, financiers)
        weights = self._weights
        milp = self.mode == "milp"
        # reset the stage caps of an earlier solve
        br.set_col_bounds(self._z, 0.0, INF)
        br.set_row_bounds(self._cap_row, -INF, INF)
        br.set_row_bounds(self._change_row, -INF, INF)
        cold_before = br.cold_solves
        deadline = time.perf_counter() + scenario.max_seconden
        if milp:
            br.h.setOptionValue("mip_rel_gap", float(scenario.max_gap))
        limited = ""  # HiGHS's text of the first stage that stopped at a limit
        gaps: list[float] = []

        def costs(cols: np.ndarray, values: np.ndarray | float) -> np.ndarray:
            out = np.zeros(self._ncol)
            out[cols] = values
            return out

        def stage(name: str, obj: np.ndarray) -> Outcome:
            nonlocal limited
            if milp:
                left = max(deadline - time.perf_counter(), 0.01)
                br.h.setOptionValue("time_limit", float(left))
            # stage 1 follows bound changes (dual simplex); later stages change only the
            # objective, so the previous optimum is a primal feasible start (primal simplex)
            br.h.setOptionValue("simplex_strategy", 1 if name == _STAGES[0] else 4)
            try:
                out = self._stage(name, obj, scenario)
            finally:
                if milp:
                    br.h.setOptionValue("time_limit", INF)
            if milp:
                if out.text != "Optimal" and not limited:
                    limited = out.text
                gaps.append(float(out.mip_gap or 0.0))
                br.h.setSolution(
                    len(out.values), np.arange(len(out.values), dtype=np.int32), out.values
                )
            return out

        def capped(name: str, obj: np.ndarray, cap: Callable[[float], None]) -> Outcome:
            for tol in _CAP_TOLERANCES:
                cap(tol)
                try:
                    return stage(name, obj)
                except _CapTooTightError:
                    continue
            raise SolverError(
                [
                    f"De oplosser vond fase {name} onhaalbaar na de optimale fase ervoor, ook "
                    f"met een tolerantie van {_CAP_TOLERANCES[-1]:g}. Meld dit scenario als fout."
                ]
            )

        out = stage(_STAGES[0], costs(np.array([self._z]), 1.0))
        level = float(out.values[self._z])
        out = capped(
            _STAGES[1],
            costs(self._s, weights),
            lambda tol: br.set_col_bounds(self._z, 0.0, _cap(level, tol)),
        )
        short = float(weights @ out.values[self._s])
        out = capped(
            _STAGES[2],
            costs(self._c, 1.0),
            lambda tol: br.set_row_bounds(self._cap_row, -INF, _cap(short, tol)),
        )
        if not milp:
            change = float(out.values[self._c].sum())
            out = capped(
                _STAGES[3],
                costs(self._x, self._tiebreak),
                lambda tol: br.set_row_bounds(self._change_row, -INF, _cap(change, tol)),
            )
        values = out.values
        c = self._cells
        hours = np.clip(values[self._x], np.minimum(c.lo, c.hi), c.hi)
        persons = None
        if milp:
            b = scenario.blok_uren
            hours[self._block_cells] = b * np.round(values[self._block_cols])
            persons = np.round(values[self._person_cols])
        status = "toelaatbaar" if limited else "optimaal"
        return _Solution(
            status=status,
            text=limited or out.text,
            values=values,
            hours=hours,
            persons=persons,
            clipped=clipped,
            tau=self._last_tau,
            gap=max(gaps) if milp else None,
            cold=br.cold_solves - cold_before,
            level=level,
        )

    def _figures(self, sol: _Solution, scenario: Scenario) -> Figures:
        municipal = np.array([f == MUNICIPAL for f in self._funders])
        rel = relative_shortfall(sol.clipped, sol.hours)
        spent = {
            f: float((self._cost * sol.hours)[[g == f for g in self._funders]].sum())
            for f in scenario.financiers
        }
        return Figures(
            hours=sol.hours,
            max_tekort=float(rel.max(initial=0.0)),
            totaal_tekort=float(np.maximum(sol.tau - sol.hours, 0.0).sum()),
            budget_used=float((self._cost * sol.hours)[municipal].sum()),
            funder_used=spent,
        )

    def solve(
        self,
        *,
        budget: float | None = None,
        kosten: Mapping[str, float] | None = None,
        gewichten: Mapping[str, float] | None = None,
        targets: pd.DataFrame | None = None,
        scenario: Scenario | None = None,
        explain: bool = True,
        budget_step: float = 50_000.0,
    ) -> Result:
        """Solve (warm, verified) with optional what-if overrides; return an immutable result.

        Parameters
        ----------
        budget
            Budget ceiling, euros per year (default: the scenario's).
        kosten
            Discipline key → cost of a weekly hour per year.
        gewichten
            Discipline key → priority weight.
        targets
            Team × discipline target hours (e.g. from changed need weights).
        scenario
            A variant of the model's scenario with other values (budgets, costs, weights,
            hour bounds, maximum change, current or pinned hours); the overrides above apply
            on top of it. Other disciplines or funders need a new model.
        explain
            Add the plain-Dutch explanation (re-solves with ±``budget_step`` for the
            municipal budget and each other funder's budget).
        budget_step
            Budget change used for the "what more budget buys" sentences.

        Returns
        -------
        Result
            The result.

        Raises
        ------
        InfeasibleError
            With the smallest changes that would make the scenario feasible.
        SolverError
            When no stage result could be verified, even re-solved from scratch.
        ValidationError
            Unknown discipline keys, negative values or a structural variant.
        """
        s = self._variant(scenario, budget, kosten, gewichten)
        if scenario is not None:
            self._structure_check(s)
            self._check_teams(s)
        tg = self._targets if targets is None else targets.loc[:, s.keys].astype(float)
        self._precheck(s)
        start = time.perf_counter()
        sol = self._run(s, tg)
        seconds = time.perf_counter() - start
        figures = self._figures(sol, s)
        result = self._result(sol, s, tg, seconds)
        if not explain:
            return result
        step = float(budget_step)
        checks = [self._check_budget(s, tg, None, step, figures)]
        checks += [self._check_budget(s, tg, f, step, figures) for f in s.financiers]
        lines = explain_result(result, figures, checks)
        binding = [b for b in result.binding if not b.startswith("budget")]
        binding = [ch.name for ch in checks if ch.binds] + binding
        return Result(**{**result.__dict__, "explanation": tuple(lines), "binding": tuple(binding)})

    def _precheck(
        self,
        s: Scenario,
        budget: float | None = None,
        financiers: Mapping[str, float] | None = None,
    ) -> None:
        cells = self._apply_cells(s)
        precheck(s, cells, mode=self.mode, budget=budget, financiers=financiers)

    def _check_budget(
        self,
        s: Scenario,
        targets: pd.DataFrame,
        funder: str | None,
        step: float,
        base: Figures,
    ) -> BudgetCheck:
        """Re-solve with ``step`` more and less of one budget (the municipal one: ``None``)."""
        limit = s.budget if funder is None else float(s.financiers[funder])

        def figures(amount: float) -> Figures | None:
            budget = amount if funder is None else None
            funders = None if funder is None else {**s.financiers, funder: amount}
            try:
                self._precheck(s, budget, funders)
                return self._figures(self._run(s, targets, budget=budget, financiers=funders), s)
            except InfeasibleError:
                return None

        more = figures(limit + step)
        less = figures(limit - step) if limit - step >= 0 else None
        worse = less is None or (
            less.max_tekort - base.max_tekort > 1e-6
            or less.totaal_tekort - base.totaal_tekort > 1e-4
        )
        return BudgetCheck(
            funder=funder,
            budget=limit,
            step=step,
            more=more,
            less=less,
            less_possible=limit - step >= 0,
            binds=bool(worse and (limit - step >= 0)),
        )

    def metrics(
        self,
        scenario: Scenario,
        targets: pd.DataFrame | None = None,
        *,
        budget: float | None = None,
    ) -> dict[str, float]:
        """Solve warm (verified, all stages) and return only the headline figures.

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
            ``max_tekort``, ``totaal_tekort`` (hours) and ``budget_gebruikt`` (euros): the
            figures of :meth:`solve` for the same inputs.

        Raises
        ------
        InfeasibleError
            If the variant is infeasible.
        """
        tg = self._targets if targets is None else targets
        self._precheck(scenario, budget)
        f = self._figures(self._run(scenario, tg, budget=budget), scenario)
        return {
            "max_tekort": f.max_tekort,
            "totaal_tekort": f.totaal_tekort,
            "budget_gebruikt": f.budget_used,
        }

    def _result(
        self, sol: _Solution, scenario: Scenario, targets: pd.DataFrame, seconds: float
    ) -> Result:
        table = self._table(scenario, sol)
        return Result(
            status=sol.status,
            solver_status=sol.text,
            mode=self.mode,
            scenario=scenario,
            gap=sol.gap,
            seconds=seconds,
            max_tekort=float(relative_shortfall(sol.clipped, sol.hours).max(initial=0.0)),
            totaal_tekort=float(table["tekort_uren"].sum()),
            binding=tuple(self._binding(scenario, sol)),
            explanation=(),
            _table=table,
            level=sol.level,
            off_block=tuple(self._names[i] for i in self._cells.off_block),
            cold_solves=sol.cold,
        )

    def _elastic(self, scenario: Scenario, solver_text: str) -> None:
        """Explain an infeasible model by an elastic solve; always raises."""
        raw = cell_bounds(scenario, self.teams, scenario.max_wijziging)
        lines, loosen = elastic_explanation(
            raw,
            scenario,
            mode=self.mode,
            block=scenario.blok_uren if self.mode == "milp" else None,
            off_block=self._cells.off_block,
        )
        if not lines:
            lines = [f"Geen formatie mogelijk (HiGHS: {solver_text})."]
        raise InfeasibleError(lines, loosen)

    # ------------------------------------------------------------------ reporting
    def _table(self, scenario: Scenario, sol: _Solution) -> pd.DataFrame:
        c = self._cells
        hours, tau, clipped = sol.hours, sol.tau, sol.clipped
        discs = [scenario.discipline(k) for k in c.keys] * len(c.teams)
        cost = np.array([d.kosten_per_uur for d in discs])
        max_contract = np.array([d.max_contract for d in discs])
        min_contract = np.array([d.min_contract for d in discs])
        if sol.persons is not None:
            persons = sol.persons
        else:  # LP mode: the fewest persons the hours need
            persons = np.where(hours > 1e-9, np.ceil(hours / max_contract - 1e-9), 0.0)
        uniform = np.array([d.huidig for d in discs])
        grens = c.bound_reasons(hours, tau)
        return pd.DataFrame(
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

    def _binding(self, scenario: Scenario, sol: _Solution) -> list[str]:
        """Binding constraints read off the solution (budgets: spent while short)."""
        c = self._cells
        out: list[str] = []
        short = (sol.clipped - sol.hours) > 1e-6
        spent = self._cost * sol.hours
        budgets = {MUNICIPAL: scenario.budget, **scenario.financiers}
        for funder, limit in budgets.items():
            mask = np.array([f == funder for f in self._funders])
            used = float(spent[mask].sum())
            if limit - used < max(1.0, 1e-6 * limit) and (short & mask).any():
                out.append("budget" if funder == MUNICIPAL else f"budget[{funder}]")
        reasons = c.bound_reasons(sol.hours, sol.tau)
        for reason, fixed, nm in zip(reasons, c.lo_reason, self._names, strict=True):
            # fixed staffing (CJG-coach) is not a choice
            if reason and fixed != "vast":
                out.append(f"{reason}[{nm}]")
        return out

    @property
    def cells(self) -> Cells:
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
