"""The HiGHS bridge: the one place the solver is chosen, and every solve verified.

A :class:`Bridge` owns an in-process highspy instance and a mirror of the model it holds
(column bounds, row bounds, constraint matrix, integrality). Every change goes through the
bridge, so after each solve the solution can be checked against the model's own rows and
bounds without trusting the solver's report. :meth:`Bridge.run` accepts a solution only when
HiGHS says ``Optimal`` *and* the check passes; otherwise it re-solves from scratch (basis
dropped, presolve on) and checks again. Warm re-solves from the previous basis are fast, but
after many bound changes HiGHS can return ``Unknown`` with a point that breaks a row; the
cold re-solve is the remedy, the check is how we know.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np
import pulp

__all__ = ["INF", "Bridge", "Outcome", "quiet_highs", "to_highs"]

INF = highspy.kHighsInf
#: Absolute feasibility tolerance of the check, plus a relative part for large right-hand
#: sides (budgets of millions of euros).
_ABS_TOL = 1e-6
_REL_TOL = 1e-9
_INT_TOL = 1e-6


def quiet_highs() -> highspy.Highs:
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


def to_highs(
    variables: list[pulp.LpVariable],
    rows: list[pulp.LpConstraint],
    *,
    integers: list[pulp.LpVariable],
) -> highspy.Highs:
    """Pass a PuLP model to an in-process HiGHS instance in bulk (columns, then CSR rows).

    Equivalent to PuLP's ``HiGHS.buildSolverModel`` (one ``addRow`` call per constraint) but
    a few times faster; sets ``.index`` on every variable and constraint like PuLP does.
    Zero coefficients are kept as explicit entries, so they can be changed later.
    The objective is left at zero: each stage sets its own costs.
    """
    h = quiet_highs()
    for i, v in enumerate(variables):
        v.index = i
    n = len(variables)
    lower = np.array([-INF if v.lowBound is None else v.lowBound for v in variables], float)
    upper = np.array([INF if v.upBound is None else v.upBound for v in variables], float)
    h.addCols(
        n, np.zeros(n), lower, upper, 0, np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0)
    )
    starts: list[int] = []
    index: list[int] = []
    value: list[float] = []
    row_lo, row_hi = np.empty(len(rows)), np.empty(len(rows))
    for r, con in enumerate(rows):
        con.index = r
        starts.append(len(index))
        for var, coef in con.items():
            index.append(var.index)
            value.append(coef)
        lb, ub = con.getLb(), con.getUb()
        row_lo[r] = -INF if lb is None else lb
        row_hi[r] = INF if ub is None else ub
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
class Outcome:
    """One verified stage: HiGHS's status text, the column values and the objective."""

    ok: bool
    text: str
    values: np.ndarray
    objective: float
    violation: float
    cold: bool
    mip_gap: float | None = None
    has_solution: bool = True


class Bridge:
    """A highspy instance and a mirror of its model, for verified (warm) solves.

    Parameters
    ----------
    h
        The highspy instance, built by :func:`to_highs`.
    """

    def __init__(self, h: highspy.Highs) -> None:
        self.h = h
        lp = h.getLp()
        self.ncol = int(lp.num_col_)
        self.nrow = int(lp.num_row_)
        self.col_lo = np.array(lp.col_lower_, float)
        self.col_hi = np.array(lp.col_upper_, float)
        self.row_lo = np.array(lp.row_lower_, float)
        self.row_hi = np.array(lp.row_upper_, float)
        a = lp.a_matrix_
        start = np.asarray(a.start_, np.int64)
        index = np.asarray(a.index_, np.int64)
        value = np.asarray(a.value_, float)
        counts = np.diff(start)
        if a.format_ == highspy.MatrixFormat.kRowwise:
            self._rows = np.repeat(np.arange(self.nrow), counts)
            self._cols = index
        else:
            self._cols = np.repeat(np.arange(self.ncol), counts)
            self._rows = index
        self._vals = value.copy()
        self._pos = {
            (int(r), int(c)): k for k, (r, c) in enumerate(zip(self._rows, self._cols, strict=True))
        }
        integrality = getattr(lp, "integrality_", [])
        self.integer = np.array(
            [v == highspy.HighsVarType.kInteger for v in integrality] or [False] * self.ncol,
            dtype=bool,
        )
        self._integer_on = bool(self.integer.any())
        self._costs = np.array(lp.col_cost_, float)
        self.cold_solves = 0
        self.presolve = "off"

    # ------------------------------------------------------------------ changes
    def set_col_bounds(self, col: int, lo: float, hi: float) -> None:
        """Change one column's bounds."""
        self.h.changeColBounds(int(col), float(lo), float(hi))
        self.col_lo[col], self.col_hi[col] = lo, hi

    def set_cols_bounds(self, cols: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
        """Change the bounds of several columns."""
        cols = np.asarray(cols, np.int32)
        lo, hi = np.asarray(lo, float), np.asarray(hi, float)
        self.h.changeColsBounds(len(cols), cols, lo, hi)
        self.col_lo[cols], self.col_hi[cols] = lo, hi

    def set_row_bounds(self, row: int, lo: float, hi: float) -> None:
        """Change one row's bounds."""
        self.h.changeRowBounds(int(row), float(lo), float(hi))
        self.row_lo[row], self.row_hi[row] = lo, hi

    def set_rows_bounds(self, rows: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
        """Change the bounds of several rows."""
        rows = np.asarray(rows, np.int32)
        lo, hi = np.asarray(lo, float), np.asarray(hi, float)
        self.h.changeRowsBounds(len(rows), rows, lo, hi)  # type: ignore[attr-defined]
        self.row_lo[rows], self.row_hi[rows] = lo, hi

    def set_coeff(self, row: int, col: int, value: float) -> None:
        """Change one matrix coefficient (the entry must exist in the built model)."""
        self.h.changeCoeff(int(row), int(col), float(value))
        self._vals[self._pos[(int(row), int(col))]] = value

    # ------------------------------------------------------------------ solving
    def violation(self, values: np.ndarray) -> float:
        """Largest violation of a column bound, row bound or integrality by ``values``.

        Measured in the model's own units, beyond an absolute tolerance of 1e-6 plus 1e-9
        times the size of the bound (0.0 for a feasible point).
        """
        x = np.asarray(values, float)
        if x.shape != (self.ncol,) or not np.isfinite(x).all():
            return INF

        def beyond(v: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> float:
            tol_lo = _ABS_TOL + _REL_TOL * np.abs(np.where(np.isfinite(lo), lo, 0.0))
            tol_hi = _ABS_TOL + _REL_TOL * np.abs(np.where(np.isfinite(hi), hi, 0.0))
            under = np.maximum(lo - v - tol_lo, 0.0)
            over = np.maximum(v - hi - tol_hi, 0.0)
            return float(max(under.max(initial=0.0), over.max(initial=0.0)))

        activity = np.bincount(self._rows, weights=self._vals * x[self._cols], minlength=self.nrow)
        worst = max(beyond(x, self.col_lo, self.col_hi), beyond(activity, self.row_lo, self.row_hi))
        if self._integer_on:
            frac = np.abs(x[self.integer] - np.round(x[self.integer]))
            worst = max(worst, float(np.maximum(frac - _INT_TOL, 0.0).max(initial=0.0)))
        return worst

    def _run_once(self, accept_limit: bool) -> Outcome:
        h = self.h
        h.run()
        status = h.getModelStatus()
        text = h.modelStatusToString(status)
        info = h.getInfo()
        has = int(info.primal_solution_status) == 2
        values = np.asarray(h.getSolution().col_value, dtype=float)
        if values.shape != (self.ncol,):
            values = np.full(self.ncol, np.nan)
            has = False
        gap = float(info.mip_gap) if self._integer_on else None
        violation = self.violation(values) if has else INF
        clean = text == "Optimal" or (accept_limit and "limit" in text.lower() and has)
        return Outcome(
            ok=clean and violation == 0.0,
            text=text,
            values=values,
            objective=float(info.objective_function_value),
            violation=violation,
            cold=False,
            mip_gap=gap,
            has_solution=has,
        )

    def run(self, costs: np.ndarray, *, accept_limit: bool = False) -> Outcome:
        """Solve with objective ``costs``; verified, with a cold re-solve as the fallback.

        Parameters
        ----------
        costs
            Objective coefficients of every column.
        accept_limit
            Mixed-integer stages: a feasible point at a time or node limit counts as clean.

        Returns
        -------
        Outcome
            ``ok`` when HiGHS reports a clean optimum and the point passes the check;
            ``cold`` when that took the re-solve from scratch.
        """
        h = self.h
        changed = np.flatnonzero(costs != self._costs).astype(np.int32)
        if len(changed):
            h.changeColsCost(len(changed), changed, costs[changed])
            self._costs = np.array(costs, float)
        first = self._run_once(accept_limit)
        if first.ok:
            return first
        # anything but a clean optimum: drop the basis, presolve on, solve again
        self.cold_solves += 1
        h.clearSolver()
        h.setOptionValue("presolve", "on")
        try:
            second = self._run_once(accept_limit)
        finally:
            h.setOptionValue("presolve", self.presolve)
        return Outcome(**{**second.__dict__, "cold": True})
