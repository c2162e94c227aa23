"""Comparing scenarios and results, and which scenario changes a built model absorbs warm.

Used by the app's Scenario's page and the exports; plain tables in and out.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from optimize._format import hours, pct
from optimize.amount import format_amount
from optimize.model import Result
from optimize.scenario import Scenario, scenario_to_toml

__all__ = [
    "compare_parameters",
    "compare_results",
    "formation_difference",
    "scenario_parameters",
    "shortfall_split",
    "structure_key",
]


def structure_key(scenario: Scenario) -> str:
    """Return the part of a scenario that a built model cannot change warm.

    :meth:`optimize.FormationModel.solve` re-solves warm for another budget, costs and
    weights; everything else (bounds, complexity, teams, disciplines) needs a new model. Two
    scenarios with the same key can share one model.

    Parameters
    ----------
    scenario
        The scenario.

    Returns
    -------
    str
        The scenario as TOML with name, budget, costs and weights neutralised.

    Examples
    --------
    >>> from optimize import load_scenario
    >>> s = load_scenario()
    >>> structure_key(s) == structure_key(s.replace(budget=1.0, naam="x"))
    True
    >>> structure_key(s) == structure_key(s.replace(complexiteit=0.0))
    False
    """
    discs = tuple(
        dataclasses.replace(d, kosten_per_uur=0.0, gewicht=1.0) for d in scenario.disciplines
    )
    return scenario_to_toml(scenario.replace(naam="-", budget=0.0, disciplines=discs))


def _num(v: float | None) -> str:
    return "geen" if v is None else f"{v:g}".replace(".", ",")


def scenario_parameters(scenario: Scenario) -> pd.Series:
    """Return a scenario's parameters as readable Dutch rows (label → text).

    Parameters
    ----------
    scenario
        The scenario.

    Returns
    -------
    pandas.Series
        One row per parameter and per discipline setting, Dutch number formats.
    """
    s = scenario
    rows: dict[str, str] = {
        "budget (€)": format_amount(s.budget),
        "complexiteit": _num(s.complexiteit),
        "max. wijziging": "geen" if s.max_wijziging is None else pct(s.max_wijziging),
        "basisaandeel": pct(s.basis_aandeel),
    }
    for d in s.disciplines:
        rows[f"{d.naam}: kosten/uur"] = format_amount(d.kosten_per_uur)
        rows[f"{d.naam}: min–max uren"] = f"{_num(d.min_uren)}–{_num(d.max_uren)}"
        rows[f"{d.naam}: gewicht"] = _num(d.gewicht)
    return pd.Series(rows, dtype=object)


def compare_parameters(a: Scenario, b: Scenario, *, labels: tuple[str, str]) -> pd.DataFrame:
    """Return both scenarios' parameters side by side, the differing ones first.

    Parameters
    ----------
    a, b
        The scenarios.
    labels
        Column names for A and B.

    Returns
    -------
    pandas.DataFrame
        Index parameter; the two label columns and ``anders`` (``"ja"`` where they differ).
    """
    params = pd.DataFrame({labels[0]: scenario_parameters(a), labels[1]: scenario_parameters(b)})
    params = params.fillna("—")
    params["anders"] = np.where(params.iloc[:, 0] != params.iloc[:, 1], "ja", "")
    return params.sort_values("anders", ascending=False, kind="stable")


def shortfall_split(result: Result) -> tuple[float, float]:
    """Split the total shortfall into what the budget causes and what the bounds cause.

    Parameters
    ----------
    result
        A solved formation.

    Returns
    -------
    tuple of (float, float)
        Hours per week short of the attainable target (the budget's part) and hours per
        week of need that the bounds per team do not allow (max hours, max change).
    """
    t = result.table
    budget = float(np.maximum(t["haalbaar_doel"] - t["uren"], 0.0).sum())
    bounds = float(np.maximum(t["doel_uren"] - np.maximum(t["haalbaar_doel"], t["uren"]), 0).sum())
    return budget, bounds


def compare_results(a: Result, b: Result, *, labels: tuple[str, str]) -> pd.DataFrame:
    """Return the headline figures of two results side by side (Dutch text).

    Parameters
    ----------
    a, b
        The results.
    labels
        Column names for A and B.

    Returns
    -------
    pandas.DataFrame
        Rows: budget used, largest shortfall, shortfall by budget and by bounds, total
        hours.
    """
    index = [
        "budget gebruikt",
        "grootste tekort door het budget",
        "tekort door het budget (uur/week)",
        "tekort door grenzen (uur/week)",
        "totaal uren per week",
    ]

    def column(r: Result) -> list[str]:
        by_budget, by_bounds = shortfall_split(r)
        return [
            format_amount(r.budget_used),
            pct(r.max_tekort),
            hours(by_budget),
            hours(by_bounds),
            hours(float(r.formation.to_numpy().sum())),
        ]

    return pd.DataFrame({labels[0]: column(a), labels[1]: column(b)}, index=index)


def formation_difference(a: Result, b: Result) -> pd.DataFrame:
    """Return B − A in hours per week, team × discipline name (missing cells count as 0).

    Parameters
    ----------
    a, b
        The results.

    Returns
    -------
    pandas.DataFrame
        Index team, one column per discipline name of either scenario.
    """
    names = {d.key: d.naam for r in (b, a) for d in r.scenario.disciplines}
    fa = a.formation.rename(columns=names)
    fb = b.formation.rename(columns=names)
    return fb.sub(fa, fill_value=0.0)
