r"""From need per team and theme to need-based target hours per team and discipline.

Calibration (the documented default): the citywide target of a discipline equals the
number of teams times its current ("omvang wordt") hours, i.e. the 2016 norm at 100%
coverage. A share ``basis_aandeel`` of it is spread evenly over the teams (every team has a
basic presence); the rest follows need:

.. math::

    t_{td} = H_d \Big( \beta + (1-\beta)\, |T| \frac{n_{td}}{\sum_{t'} n_{t'd}} \Big),
    \qquad n_{td} = \sum_\theta w_{d\theta}\, N_{t\theta}

where :math:`N_{t\theta}` is multiplied by :math:`(I_{t\theta}/100)^\gamma` when the need
table carries the theme index :math:`I` (column ``index_<theme>``, 100 = municipal average)
and the scenario's ``complexiteit`` :math:`\gamma > 0`: problems concentrate and compound
where rates are high (raadsnota 2016; 2015 caseloads: Boerhaavewijk en Meerwijk 116 started
cases, Centrum & Rozenprieel 28), so need grows faster than the count of residents concerned.
With :math:`H_d` the current hours per team, :math:`\beta` the base share,
:math:`N_{t\theta}` the need count of theme :math:`\theta` in team :math:`t` (residents
concerned) and :math:`w_{d\theta}` the discipline's theme weights. The *normative hours
per need unit* :math:`(1-\beta)|T|H_d / \sum_t n_{td}` is reported per discipline.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from optimize._errors import ValidationError
from optimize.scenario import Scenario

__all__ = ["complete_need", "discipline_need", "hours_per_need_unit", "need_targets"]


def _numeric(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Columns as one float array; text becomes NaN (reported by the caller)."""
    block = frame.loc[:, columns]
    try:
        return block.to_numpy(dtype=float, copy=True)
    except (TypeError, ValueError):
        return block.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)


def _check_need(need: pd.DataFrame, scenario: Scenario) -> None:
    problems: list[str] = []
    if need.empty:
        raise ValidationError("behoefte: de tabel met behoefte per team is leeg")
    if need.index.has_duplicates:
        dup = sorted(map(str, need.index[need.index.duplicated()].unique()))
        problems.append(f"behoefte: team(s) dubbel: {', '.join(dup)}")
    for d in scenario.disciplines:
        for theme in d.behoefte:
            if theme not in need.columns:
                known = ", ".join(
                    str(c)
                    for c in need.columns
                    if not str(c).startswith("index_") and c != "inwoners"
                )
                problems.append(
                    f"discipline.{d.key}.behoefte: onbekend thema {theme!r} (bekend: {known})"
                )
    themes = [t for t in scenario.themes if t in need.columns]
    values = _numeric(need, themes)
    for j, theme in enumerate(themes):
        col = values[:, j]
        bad = need.index[~np.isfinite(col) | (col < 0)]
        if len(bad):
            problems.append(
                f"behoefte.{theme}: ontbrekende of negatieve waarde voor "
                f"{', '.join(map(str, bad[:5]))}"
            )
    if problems:
        raise ValidationError("; ".join(problems))


def discipline_need(need: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Return the need count per team and discipline (weighted theme need counts).

    Parameters
    ----------
    need
        Index team; one column per theme with the need count (e.g. from
        ``geo.Profiles.team_need()``).
    scenario
        The scenario with each discipline's theme weights.

    Returns
    -------
    pandas.DataFrame
        Index team, one column per discipline key.

    Raises
    ------
    ValidationError
        Unknown themes, duplicate teams, missing or negative need.
    """
    _check_need(need, scenario)
    gamma = scenario.complexiteit
    themes = scenario.themes
    counts = _numeric(need, themes)
    with_index = [t for t in themes if gamma > 0 and f"index_{t}" in need.columns]
    if with_index:
        index = _numeric(need, [f"index_{t}" for t in with_index])
        factor = np.power(np.clip(np.nan_to_num(index, nan=100.0), 0, None) / 100, gamma)
        for j, theme in enumerate(with_index):
            counts[:, themes.index(theme)] *= factor[:, j]
    columns: dict[str, np.ndarray] = {}
    for d in scenario.disciplines:
        total = np.zeros(len(need))
        for theme, weight in d.behoefte.items():
            total += float(weight) * counts[:, themes.index(theme)]
        columns[d.key] = total
    out = pd.DataFrame(columns, index=pd.Index(need.index.astype(str), name="team"))
    return out


def _norm(scenario: Scenario, teams: pd.Index, key: str) -> float:
    """Mean current hours of a discipline over the teams: H_d of the calibration."""
    return float(np.mean([scenario.current(str(t), key) for t in teams]))


def need_targets(need: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Return the need-based target hours per team and discipline.

    Parameters
    ----------
    need
        Theme need per team (see :func:`discipline_need`).
    scenario
        The scenario (current hours and base share).

    Returns
    -------
    pandas.DataFrame
        Index team, one column per discipline key, hours per week.

    Raises
    ------
    ValidationError
        As :func:`discipline_need`; also when a discipline has zero need everywhere.

    Examples
    --------
    >>> import pandas as pd
    >>> from optimize import load_scenario
    >>> s = load_scenario()
    >>> themes = s.themes
    >>> need = pd.DataFrame({t: [1.0, 1.0] for t in themes}, index=["A", "B"])
    >>> round(float(need_targets(need, s).loc["A", "ggz"]), 6)
    24.0
    """
    n = discipline_need(need, scenario)
    teams = len(n)
    beta = scenario.basis_aandeel
    columns: dict[str, np.ndarray] = {}
    for d in scenario.disciplines:
        norm = _norm(scenario, n.index, d.key)
        col = n[d.key].to_numpy(dtype=float)
        total = col.sum()
        if total <= 0 or not math.isfinite(total):
            if beta < 1.0:
                raise ValidationError(
                    f"discipline.{d.key}: behoefte is overal 0; controleer de thema-gewichten"
                )
            share = np.full(teams, 1.0 / teams)
        else:
            share = col / total
        columns[d.key] = norm * (beta + (1.0 - beta) * teams * share)
    return pd.DataFrame(columns, index=n.index)


def hours_per_need_unit(need: pd.DataFrame, scenario: Scenario) -> pd.Series:
    """Return the normative weekly hours per need unit for each discipline.

    Parameters
    ----------
    need
        Theme need per team.
    scenario
        The scenario.

    Returns
    -------
    pandas.Series
        Hours per week per resident concerned (need unit), per discipline key.
    """
    n = discipline_need(need, scenario)
    teams = len(n)
    out = {}
    for d in scenario.disciplines:
        norm = _norm(scenario, n.index, d.key)
        total = float(n[d.key].sum())
        out[d.key] = (1.0 - scenario.basis_aandeel) * teams * norm / total if total > 0 else 0.0
    return pd.Series(out, name="uren_per_behoefte_eenheid")


def complete_need(
    need: pd.DataFrame, scenario: Scenario, *, known_themes: Iterable[str]
) -> tuple[pd.DataFrame, list[str]]:
    """Spread the need of themes without data evenly over the teams.

    A theme the scenario uses that is a known theme (configured in the profile step) but has
    no column in ``need`` — because none of its indicators is in the user's data — gets an
    equal need in every team, so its disciplines follow the base share instead of failing.
    Unknown theme names (typing errors) are left for :func:`discipline_need` to report.

    Parameters
    ----------
    need
        Theme need per team.
    scenario
        The scenario.
    known_themes
        Theme keys of the profile configuration.

    Returns
    -------
    tuple of (pandas.DataFrame, list of str)
        The completed need table (a new frame) and the themes that were filled.
    """
    known = set(known_themes)
    used = scenario.themes
    missing = [t for t in used if t not in need.columns and t in known]
    if not missing:
        return need, []
    return need.assign(**dict.fromkeys(missing, 1.0)), missing
