r"""The workload of team areas: the formation optimiser's need-based target hours per buurt.

Shared by ``wijkteam teamgebieden``, the app's *Teamgebieden* page and the bench. The
optimiser's targets are (see :mod:`optimize.need`)

.. math::  t_{Td} = H_d \big(\beta + (1-\beta)\,|T|\, n_{Td} / \textstyle\sum_{T'} n_{T'd}\big)

so a team's target is a base :math:`\beta H_d` that every team gets plus a need part that is
*additive* over buurten: :math:`n_{Td} = \sum_{b \in T} n_{bd}` when the complexity factor
:math:`(I/100)^\gamma` is evaluated per buurt. :func:`buurt_workload` therefore returns, per
buurt, :math:`a_b = \sum_d (1-\beta)\,T_0 H_d\, n_{bd} / \sum_{b'} n_{b'd}` (hours per week)
and the base :math:`B = \beta\, T_0 \sum_d H_d` spread evenly over the teams, with
:math:`T_0` today's number of teams: the city's total target hours stay what they are today
whatever the number of designed teams. For :math:`n = T_0` teams the workload of a team is
the optimiser's target up to the complexity factor (per buurt instead of per team).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["buurt_workload", "formation_professionals"]


def _known_themes(profiles: Any, themes: Any) -> list[str]:
    """Return the configured theme keys (a theme without data is still a known theme)."""
    import geo

    configured = themes if themes is not None else geo.load_themes()
    return list(dict.fromkeys([*(t.key for t in configured), *(t.key for t in profiles.themes)]))


def buurt_workload(profiles: Any, scenario: Any, *, themes: Any = None) -> tuple[pd.Series, float]:
    """Return the optimiser's need-based target hours split over the buurten (module doc).

    Parameters
    ----------
    profiles
        ``geo.Profiles`` with today's team column.
    scenario
        ``optimize.Scenario`` (current hours, base share, theme weights, complexity).
    themes
        The configured themes (default ``geo.load_themes()``): a theme the scenario uses
        but the files have no data for is spread evenly, as ``wijkteam allocate`` does.

    Returns
    -------
    tuple of (pandas.Series, float)
        Hours per week per buurt (need part) and the base hours to spread evenly over the
        teams (pass both to ``geo.design_team_areas(workload=..., workload_base=...)``).
    """
    import optimize

    need = profiles.buurt.need.copy()
    for theme in profiles.buurt.index.columns:
        need[f"index_{theme}"] = profiles.buurt.index[theme]
    need, _ = optimize.complete_need(need, scenario, known_themes=_known_themes(profiles, themes))
    counts = optimize.discipline_need(need.fillna({c: 0.0 for c in profiles.buurt.need}), scenario)
    teams = sorted(map(str, profiles.buurten["team"].unique()))
    t0 = len(teams)
    beta = scenario.basis_aandeel
    workload = pd.Series(0.0, index=counts.index)
    base = 0.0
    for d in scenario.disciplines:
        norm = float(np.mean([scenario.current(t, d.key) for t in teams]))
        total = float(counts[d.key].sum())
        if total > 0:
            workload += (1.0 - beta) * t0 * norm * counts[d.key] / total
            base += beta * t0 * norm
        else:
            base += t0 * norm
    workload.index.name = "buurtcode"
    return workload.rename("werklast"), base


def formation_professionals(profiles: Any, scenario: Any, *, themes: Any = None) -> float:
    """Return the number of persons of the formation on today's teams (LP estimate)."""
    import optimize

    need, _ = optimize.complete_need(
        profiles.team_need(), scenario, known_themes=_known_themes(profiles, themes)
    )
    result = optimize.FormationModel.from_frames(scenario, need, mode="lp").solve()
    return float(result.table["personen"].sum())
