"""Per-cell bounds of the formation model and the pre-checks they allow.

A *cell* is one team and one discipline. Its bounds combine the scenario's
``min_uren``/``max_uren``, one block for the mandatory functions (``verplicht``), the maximum
change versus the current formation and pinned values (``vastgezet``); each bound keeps the
name of the rule that set it, so a result can say *why* a cell sits where it does. In
mixed-integer mode the bounds are rounded inward to whole blocks; a cell whose bounds hold no
whole block keeps its exact bounds and is reported as off-block.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from optimize._errors import InfeasibleError
from optimize._format import euro
from optimize.scenario import MUNICIPAL, Scenario

__all__ = ["Cells", "cell_bounds", "minimum_hours", "precheck"]

_EPS = 1e-9


@dataclass(frozen=True)
class Cells:
    """Per-cell data in a fixed order (team-major)."""

    teams: list[str]
    keys: list[str]
    target: np.ndarray
    current: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    lo_reason: list[str]
    hi_reason: list[str]
    block: float | None = None
    off_block: tuple[int, ...] = ()

    @property
    def names(self) -> list[str]:
        """Cell names ``team,discipline`` as used in constraint names."""
        return [f"{t},{k}" for t in self.teams for k in self.keys]

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


def cell_bounds(
    scenario: Scenario, teams: list[str], mu: float | None, *, block: float | None = None
) -> Cells:
    """Return the bounds of every cell and the rule behind each.

    Parameters
    ----------
    scenario
        The scenario.
    teams
        Team names in model order.
    mu
        Maximum relative change versus the current formation (``None``: no limit).
    block
        Block size in hours (mixed-integer mode): bounds are rounded inward to whole blocks
        where they hold one.

    Returns
    -------
    Cells
        The bounds.
    """
    keys = scenario.keys
    n = len(teams) * len(keys)
    current = np.empty(n)
    lo, hi = np.empty(n), np.empty(n)
    lo_reason, hi_reason = [""] * n, [""] * n
    off: list[int] = []
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
            if x0 * (1 - mu) > low + _EPS:
                low, lr = x0 * (1 - mu), "max_wijziging"
            if x0 * (1 + mu) < high - _EPS:
                high, hr = x0 * (1 + mu), "max_wijziging"
        pin = scenario.vastgezet.get(t, {}).get(k)
        if pin is not None:
            low = high = float(pin)
            lr = hr = "vastgezet"
        if block is not None and low <= high + _EPS:
            b_lo = math.ceil(low / block - _EPS) * block
            b_hi = math.floor(high / block + _EPS) * block
            if b_lo <= b_hi + _EPS:
                low, high = b_lo, b_hi
            else:
                off.append(i)
        lo[i], hi[i] = low, high
        lo_reason[i], hi_reason[i] = lr, hr
    return Cells(teams, keys, np.zeros(n), current, lo, hi, lo_reason, hi_reason, block, tuple(off))


def minimum_hours(scenario: Scenario, cells: Cells, *, persons: bool) -> np.ndarray:
    r"""Return the fewest hours each cell can have: in whole blocks and persons if asked.

    With ``persons`` (mixed-integer mode) a cell with hours needs whole persons within their
    contract hours, :math:`c^{min} p \le x \le c^{max} p`, and whole blocks: the smallest
    such value at or above the lower bound.
    """
    low = np.minimum(cells.lo, cells.hi).copy()
    if not persons:
        return low
    discs = [scenario.discipline(k) for k in cells.keys] * len(cells.teams)
    off = set(cells.off_block)
    for i, d in enumerate(discs):
        v = low[i]
        if v <= _EPS:
            continue
        step = cells.block if cells.block and i not in off else None
        while v <= cells.hi[i] + _EPS:
            p = math.ceil(v / d.max_contract - _EPS)
            if d.min_contract * p <= v + _EPS:
                break
            if step is None:  # continuous: the next person's minimum contract
                v = d.min_contract * p
            else:
                v += step
        low[i] = v
    return low


def precheck(
    scenario: Scenario,
    cells: Cells,
    *,
    mode: str,
    budget: float | None = None,
    financiers: Mapping[str, float] | None = None,
) -> None:
    """Raise :class:`InfeasibleError` with the numbers when the bounds cannot be met.

    Checks crossing bounds, the cost of the minimum staffing against each funder's budget
    (in whole blocks and persons in mixed-integer mode) and, in mixed-integer mode, team
    sizes. ``budget`` and ``financiers`` override the scenario's budgets.

    Raises
    ------
    InfeasibleError
        With the lines and the loosening (constraint name → amount).
    """
    s, c = scenario, cells
    lines: list[str] = []
    loosen: dict[str, float] = {}
    nk = len(c.keys)
    for i in np.flatnonzero(c.lo > c.hi + _EPS):
        t, k = c.teams[i // nk], c.keys[i % nk]
        lines.append(
            f"{s.discipline(k).naam} in {t}: ondergrens {c.lo[i]:.1f} uur ({c.lo_reason[i]}) "
            f"ligt boven de bovengrens {c.hi[i]:.1f} uur ({c.hi_reason[i]})."
        )
        loosen[f"{c.hi_reason[i]}[{t},{k}]"] = float(c.lo[i] - c.hi[i])
    milp = mode == "milp"
    least = minimum_hours(s, c, persons=milp)
    cost = np.array(c.per_cell(s, "kosten_per_uur"), dtype=float)
    funders = c.per_cell(s, "gefinancierd_door")
    others = s.financiers if financiers is None else financiers
    budgets = {MUNICIPAL: s.budget if budget is None else budget, **others}
    for funder, limit in budgets.items():
        mask = np.array([f == funder for f in funders])
        minimum = float((cost * least)[mask].sum())
        if minimum > limit + 0.5:
            who = "het budget" if funder == MUNICIPAL else f"het budget van {funder}"
            unit = " in hele blokken en personen" if milp else ""
            lines.append(
                f"De minimale bezetting{unit} kost {euro(minimum)} per jaar, {who} is "
                f"{euro(limit)}: verhoog het budget met {euro(minimum - limit)} of "
                f"verlaag minimumuren."
            )
            loosen["budget" if funder == MUNICIPAL else f"budget[{funder}]"] = minimum - limit
    if milp:
        _precheck_team_size(s, c, lines, loosen)
    if lines:
        raise InfeasibleError(lines, loosen)


def _precheck_team_size(s: Scenario, c: Cells, lines: list[str], loosen: dict[str, float]) -> None:
    """Whole persons: each discipline with hours needs at least one person."""
    nk = len(c.keys)
    discs = [s.discipline(k) for k in c.keys]
    for ti, team in enumerate(c.teams):
        lo = c.lo[ti * nk : (ti + 1) * nk]
        hi = c.hi[ti * nk : (ti + 1) * nk]
        least = sum(
            math.ceil(lo[j] / d.max_contract - _EPS) for j, d in enumerate(discs) if lo[j] > 0
        )
        most = sum(
            math.floor(hi[j] / d.min_contract + _EPS) if d.min_contract > 0 else 10**6
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
