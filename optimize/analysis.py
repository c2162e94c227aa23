"""What-if analyses on a formation model: budget sweep, need-weight sensitivity, phased plan.

Every solve here goes through :meth:`FormationModel.solve` or :meth:`FormationModel.metrics`,
so every stage of every what-if is verified like a single solve.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimize._errors import InfeasibleError, ValidationError
from optimize.explain import largest_change
from optimize.model import FormationModel, Mode, Result
from optimize.need import need_targets
from optimize.scenario import MAX_BUDGET, MUNICIPAL, Scenario

__all__ = ["PhasedPlan", "allocate_all", "budget_sweep", "phased_plan", "weight_sensitivity"]

Progress = Callable[[int, int, str], None]


def budget_sweep(
    model: FormationModel,
    budgets: Sequence[float],
    *,
    scenario: Scenario | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Solve the model warm for each budget: the Pareto curve of budget against shortfall.

    Every budget runs all four lexicographic stages, each verified (status and primal
    feasibility, cold re-solve on doubt), so each row equals a fresh solve at that budget.

    Parameters
    ----------
    model
        A built model.
    budgets
        Budget ceilings, euros per year.
    scenario
        A what-if variant of the model's scenario (other costs or weights) to sweep; default
        the model's own scenario.
    progress
        Optional callback ``progress(done, total, text)``.

    Returns
    -------
    pandas.DataFrame
        One row per budget: ``budget``, ``max_tekort`` (fraction), ``totaal_tekort`` (hours
        per week), ``budget_gebruikt``, ``haalbaar``. Infeasible budgets have NaN figures.

    Raises
    ------
    ValidationError
        If ``budgets`` is empty or holds a negative or non-finite value.
    """
    values = np.asarray(list(budgets), dtype=float)
    if (
        values.size == 0
        or not np.isfinite(values).all()
        or (values < 0).any()
        or (values > MAX_BUDGET).any()
    ):
        raise ValidationError(f"sweep: budgetten moeten eindig en >= 0 zijn, gevonden {budgets!r}")
    base = model.scenario if scenario is None else scenario
    rows = []
    for i, b in enumerate(values):
        try:
            m = model.metrics(base, budget=float(b))
        except InfeasibleError:
            m = {"max_tekort": np.nan, "totaal_tekort": np.nan, "budget_gebruikt": np.nan}
            rows.append({"budget": b, **m, "haalbaar": False})
        else:
            rows.append({"budget": b, **m, "haalbaar": True})
        if progress is not None:
            progress(i + 1, len(values), f"budget {b:,.0f}")
    return pd.DataFrame(rows)


def weight_sensitivity(
    model: FormationModel,
    *,
    factors: Sequence[float] = (0.8, 1.2),
) -> pd.DataFrame:
    """Vary each need theme's weight and measure how the formation moves.

    Every discipline weight of a theme is multiplied by ``factor`` (targets are recomputed,
    the model re-solved warm).

    Parameters
    ----------
    model
        A built model with its need table.
    factors
        Multipliers to try for each theme.

    Returns
    -------
    pandas.DataFrame
        One row per theme and factor: ``thema``, ``factor``, ``max_tekort``,
        ``totaal_tekort``, ``verschuiving_uren`` (hours moved between teams, half the sum of
        absolute changes) and ``grootste_verschuiving`` (the cell that moves most).

    Raises
    ------
    ValidationError
        If the model was built without a need table.
    """
    if model.need is None:
        raise ValidationError("gevoeligheid: het model heeft geen behoeftetabel")
    base = model.solve(explain=False)
    s = model.scenario
    themes = s.themes
    rows = []
    for theme in themes:
        for factor in factors:
            discs = tuple(
                dataclasses.replace(
                    d, behoefte={k: v * factor if k == theme else v for k, v in d.behoefte.items()}
                )
                for d in s.disciplines
            )
            variant = s.replace(disciplines=discs)
            targets = need_targets(model.need, variant)
            r = model.solve(targets=targets, explain=False)
            moved = (r.table["uren"] - base.table["uren"]).abs().sum() / 2
            naam, team, change = largest_change(base, r)
            rows.append(
                {
                    "thema": theme,
                    "factor": factor,
                    "max_tekort": r.max_tekort,
                    "totaal_tekort": r.totaal_tekort,
                    "verschuiving_uren": float(moved),
                    "grootste_verschuiving": (
                        f"{naam} in {team} ({change:+.1f} uur)" if abs(change) > 0.05 else ""
                    ),
                }
            )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class PhasedPlan:
    """A formation per year; each year starts from the year before.

    Attributes
    ----------
    years
        The years.
    results
        One result per year.
    """

    years: tuple[int, ...]
    results: tuple[Result, ...]

    def table(self) -> pd.DataFrame:
        """Long table with a ``jaar`` column (one row per year, team and discipline)."""
        frames = []
        for year, r in zip(self.years, self.results, strict=True):
            t = r.table
            t.insert(0, "jaar", year)
            frames.append(t)
        return pd.concat(frames, ignore_index=True)

    def summary(self) -> pd.DataFrame:
        """Per year: budget, used, largest and total shortfall."""
        return pd.DataFrame(
            {
                "jaar": self.years,
                "budget": [r.scenario.budget for r in self.results],
                "budget_gebruikt": [r.budget_used for r in self.results],
                "max_tekort": [r.max_tekort for r in self.results],
                "totaal_tekort": [r.totaal_tekort for r in self.results],
            }
        )


def phased_plan(
    scenario: Scenario,
    need: pd.DataFrame,
    *,
    mode: Mode = "lp",
    progress: Progress | None = None,
) -> PhasedPlan:
    """Plan the formation year by year with the scenario's phases (``[[fase]]``).

    Each year solves with that year's budget and maximum change, starting from the year
    before's formation (the first year from the scenario's current formation).

    Parameters
    ----------
    scenario
        Scenario with at least one phase.
    need
        Theme need per team.
    mode
        ``lp`` or ``milp``.
    progress
        Optional callback ``progress(done, total, text)``.

    Returns
    -------
    PhasedPlan
        The plan.

    Raises
    ------
    ValidationError
        If the scenario has no phases.
    InfeasibleError
        If a year is infeasible; the message names the year.
    """
    if not scenario.fasen:
        raise ValidationError("fase: het scenario heeft geen fasen ([[fase]] met jaar en budget)")
    current: dict[str, dict[str, float]] = {
        str(t): dict(v) for t, v in scenario.huidig_per_team.items()
    }
    targets = need_targets(need, scenario)
    years, results = [], []
    for i, phase in enumerate(sorted(scenario.fasen, key=lambda p: p.jaar)):
        s = scenario.replace(
            budget=phase.budget, max_wijziging=phase.max_wijziging, huidig_per_team=current
        )
        try:
            r = FormationModel.from_frames(s, need, mode=mode, targets=targets).solve()
        except InfeasibleError as exc:
            raise InfeasibleError([f"Jaar {phase.jaar}:", *exc.lines], exc.loosen) from None
        years.append(phase.jaar)
        results.append(r)
        current = {
            str(t): {str(k): float(v) for k, v in row.items()} for t, row in r.formation.iterrows()
        }
        if progress is not None:
            progress(i + 1, len(scenario.fasen), str(phase.jaar))
    return PhasedPlan(tuple(years), tuple(results))


def allocate_all(
    scenario: Scenario,
    need: pd.DataFrame,
    *,
    budget_per_team: float | None = None,
    mode: Mode = "lp",
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Solve one formation per municipality, for all municipalities in one run.

    Parameters
    ----------
    scenario
        Scenario for every municipality (disciplines, costs, bounds); its budget is replaced
        by ``budget_per_team`` times the municipality's number of teams.
    need
        Theme need with a two-level index (gemeente, team).
    budget_per_team
        Budget per team; default the cost of the scenario's uniform ("omvang wordt")
        formation for one team, so every municipality can afford its current formation.
    mode
        ``lp`` or ``milp``.
    progress
        Optional callback ``progress(done, total, text)``.

    Returns
    -------
    tuple of (pandas.DataFrame, pandas.DataFrame)
        Summary per municipality (teams, budget, status, largest and total shortfall or the
        reason it is infeasible) and the long formation table with a ``gemeente`` column.

    Raises
    ------
    ValidationError
        If ``need`` has no (gemeente, team) index.
    """
    if need.index.nlevels != 2:
        raise ValidationError("behoefte: verwacht een index (gemeente, team)")
    # cost of the uniform formation for one team, per funder; every budget scales with the
    # number of teams
    per_team = {
        f: sum(
            d.kosten_per_uur * d.huidig for d in scenario.disciplines if d.gefinancierd_door == f
        )
        for f in (MUNICIPAL, *scenario.financiers)
    }
    if budget_per_team is None:
        budget_per_team = per_team[MUNICIPAL]
    themes = scenario.themes
    missing = [t for t in themes if t not in need.columns]
    summary, tables = [], []
    groups = list(need.groupby(level=0, sort=True))
    for i, (gemeente, frame) in enumerate(groups):
        local = frame.droplevel(0)
        for theme in missing:  # no national figures: spread evenly over the teams
            local = local.assign(**{theme: 1.0})
        budget = float(budget_per_team) * len(local)
        row: dict[str, object] = {"gemeente": gemeente, "teams": len(local), "budget": budget}
        funders = {f: per_team[f] * len(local) for f in scenario.financiers}
        try:
            variant = scenario.replace(budget=budget, financiers=funders)
            r = FormationModel.from_frames(variant, local, mode=mode).solve(explain=False)
        except (InfeasibleError, ValidationError) as exc:
            row.update(status="onhaalbaar", reden=str(exc)[:200])
        else:
            row.update(
                status=r.status,
                budget_gebruikt=r.budget_used,
                max_tekort=r.max_tekort,
                totaal_tekort=r.totaal_tekort,
                reden="",
            )
            t = r.table
            t.insert(0, "gemeente", gemeente)
            tables.append(t)
        summary.append(row)
        if progress is not None:
            progress(i + 1, len(groups), str(gemeente))
    long = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    out = pd.DataFrame(summary)
    out.attrs["gelijk_verdeeld"] = missing
    return out, long
