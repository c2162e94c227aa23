"""Why a team gets its hours: from the data to the hours of one team, in tables.

The answer to "why does Meerwijk get less GGZ than Centrum": per theme the team's need count
(residents concerned), its rate against the municipal average and the complexity factor
that follows from it; per discipline the team's share of the weighted need, the target,
the hours given, what limits them, and hours per 1,000 inhabitants against the city.
Plain tables in, plain tables out; the app and notebooks show them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from optimize._errors import ValidationError
from optimize.model import Result
from optimize.need import discipline_need
from optimize.scenario import Scenario

__all__ = ["LIMITS", "compare_teams", "team_disciplines", "team_themes"]

#: Dutch words for the reasons in ``Result.table["begrensd_door"]`` (and "budget").
LIMITS: dict[str, str] = {
    "": "",
    "budget": "het budget",
    "min_uren": "minimum uren per team",
    "max_uren": "maximum uren per team",
    "max_wijziging": "maximale wijziging t.o.v. nu",
    "verplicht": "verplichte basisinzet",
    "vast": "vaste inzet",
    "vastgezet": "vastgezet in het scenario",
}


def _check_team(need: pd.DataFrame, team: str) -> None:
    if team not in need.index:
        known = ", ".join(map(str, need.index))
        raise ValidationError(f"team {team!r} komt niet voor (teams: {known})")


def team_themes(need: pd.DataFrame, scenario: Scenario, team: str) -> pd.DataFrame:
    """Return one team's need per theme: count, index, complexity factor and city share.

    Parameters
    ----------
    need
        Need per team (``geo.Profiles.team_need()``): theme counts, ``index_<theme>``
        and ``inwoners``.
    scenario
        The scenario (its themes and ``complexiteit``).
    team
        The team.

    Returns
    -------
    pandas.DataFrame
        Index theme key; columns ``behoefte`` (residents concerned), ``per_1000``
        (per 1,000 inhabitants), ``per_1000_gemeente``, ``index`` (100 = municipal
        average), ``factor`` (complexity factor ``(index/100)^complexiteit``), ``gewogen``
        (need count times factor) and ``aandeel`` (the team's share of the city's weighted
        need, 0–1).

    Raises
    ------
    ValidationError
        If the team is unknown.
    """
    _check_team(need, team)
    gamma = scenario.complexiteit
    rows = {}
    inwoners = need["inwoners"] if "inwoners" in need.columns else None
    for theme in scenario.themes:
        if theme not in need.columns:
            continue
        counts = need[theme].astype(float)
        col = f"index_{theme}"
        index = need[col].astype(float).fillna(100.0) if col in need.columns else None
        factor = (
            np.power(index.clip(lower=0) / 100.0, gamma)
            if index is not None and gamma > 0
            else pd.Series(1.0, index=need.index)
        )
        weighted = counts * factor
        total = float(weighted.sum())
        per_1000 = per_1000_city = float("nan")
        if inwoners is not None and float(inwoners[team]) > 0:
            per_1000 = 1000 * float(counts[team]) / float(inwoners[team])
            per_1000_city = 1000 * float(counts.sum()) / float(inwoners.sum())
        rows[theme] = {
            "behoefte": float(counts[team]),
            "per_1000": per_1000,
            "per_1000_gemeente": per_1000_city,
            "index": float(index[team]) if index is not None else float("nan"),
            "factor": float(factor[team]),
            "gewogen": float(weighted[team]),
            "aandeel": float(weighted[team]) / total if total > 0 else float("nan"),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "thema"
    return out


def team_disciplines(result: Result, need: pd.DataFrame, team: str) -> pd.DataFrame:
    """Return one team's hours per discipline with the reasons.

    Parameters
    ----------
    result
        A solved formation.
    need
        The need per team the result was computed from (with ``inwoners``).
    team
        The team.

    Returns
    -------
    pandas.DataFrame
        Index discipline key; columns ``naam``, ``thema`` (the themes its need follows),
        ``aandeel`` (the team's share of the city's weighted need of the discipline, 0–1),
        ``aandeel_inwoners`` (the team's share of the inhabitants), ``doel_uren``
        (need-based target), ``uren`` (given), ``huidig_uren``, ``verschil_huidig``,
        ``dekking``, ``begrensd_door`` (in Dutch words: bounds, or "het budget" when the
        budget keeps the hours under the attainable target), ``uren_per_1000`` and
        ``uren_per_1000_gemeente`` (hours per week per 1,000 inhabitants).

    Raises
    ------
    ValidationError
        If the team is unknown.
    """
    _check_team(need, team)
    scenario = result.scenario
    weighted = discipline_need(need, scenario)
    table = result.table.set_index(["team", "discipline"])
    cells: dict[Any, dict[Any, Any]] = table.to_dict("index")
    inwoners = need["inwoners"].astype(float) if "inwoners" in need.columns else None
    rows = {}
    for d in scenario.disciplines:
        cell: dict[str, Any] = dict(cells[(team, d.key)])
        reason = str(cell["begrensd_door"])
        if not reason and float(cell["haalbaar_doel"]) - float(cell["uren"]) > 0.05:
            reason = "budget"
        total = float(weighted[d.key].sum())
        city_hours = float(table.xs(d.key, level="discipline")["uren"].sum())
        per_1000 = per_1000_city = share_inw = float("nan")
        if inwoners is not None and float(inwoners[team]) > 0:
            per_1000 = 1000 * float(cell["uren"]) / float(inwoners[team])
            per_1000_city = 1000 * city_hours / float(inwoners.sum())
            share_inw = float(inwoners[team]) / float(inwoners.sum())
        rows[d.key] = {
            "naam": d.naam,
            "thema": ", ".join(d.behoefte),
            "aandeel": float(weighted[d.key][team]) / total if total > 0 else float("nan"),
            "aandeel_inwoners": share_inw,
            "doel_uren": float(cell["doel_uren"]),
            "uren": float(cell["uren"]),
            "huidig_uren": float(cell["huidig_uren"]),
            "verschil_huidig": float(cell["verschil_huidig"]),
            "dekking": float(cell["dekking"]),
            "begrensd_door": LIMITS.get(reason, reason),
            "uren_per_1000": per_1000,
            "uren_per_1000_gemeente": per_1000_city,
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "discipline"
    return out


def _nl(value: float, decimals: int = 1) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def compare_teams(
    result: Result,
    need: pd.DataFrame,
    a: str,
    b: str,
    discipline: str,
    *,
    labels: Mapping[str, str] | None = None,
) -> str:
    """Explain in one Dutch paragraph why team ``a`` gets more or fewer hours than ``b``.

    Parameters
    ----------
    result
        A solved formation.
    need
        The need per team it was computed from (with ``inwoners``).
    a, b
        The two teams.
    discipline
        The discipline key.
    labels
        Theme key → Dutch label (default: the keys).

    Returns
    -------
    str
        Hours of both teams, their inhabitants, the need per 1,000 inhabitants and index of
        the discipline's main theme, hours per 1,000 inhabitants, and what limits them.

    Raises
    ------
    ValidationError
        If a team or the discipline is unknown.
    """
    scenario = result.scenario
    if discipline not in scenario.keys:
        raise ValidationError(f"discipline {discipline!r} komt niet voor in het scenario")
    d = scenario.discipline(discipline)
    da = team_disciplines(result, need, a).loc[discipline].to_dict()
    db = team_disciplines(result, need, b).loc[discipline].to_dict()
    theme = max(d.behoefte, key=lambda k: d.behoefte[k])
    names = dict(labels or {})
    ta = team_themes(need, scenario, a).loc[theme].to_dict()
    tb = team_themes(need, scenario, b).loc[theme].to_dict()
    inw_a, inw_b = float(need["inwoners"][a]), float(need["inwoners"][b])
    more = "meer" if da["uren"] > db["uren"] + 0.05 else "minder"
    if abs(da["uren"] - db["uren"]) <= 0.05:
        more = "evenveel"
    lines = [
        f"{a} krijgt {_nl(da['uren'])} uur {d.naam} per week, {b} {_nl(db['uren'])} ({more}).",
        f"{a} heeft {_nl(inw_a, 0)} inwoners, {b} {_nl(inw_b, 0)}.",
        f"De behoefte aan {d.naam} volgt vooral het thema {names.get(theme, theme)}: "
        "per 1.000 inwoners "
        f"{_nl(ta['per_1000'], 0)} betrokken inwoners in {a} tegen {_nl(tb['per_1000'], 0)} "
        f"in {b} (index {_nl(ta['index'], 0)} tegen {_nl(tb['index'], 0)}; 100 = gemiddeld).",
    ]
    if scenario.complexiteit > 0:
        lines.append(
            f"Waar de index hoog is, telt elke betrokken inwoner zwaarder (complexiteitsfactor "
            f"{_nl(ta['factor'], 2)} in {a}, {_nl(tb['factor'], 2)} in {b})."
        )
    lines.append(
        f"Zo heeft {a} {_nl(100 * da['aandeel'])}% van de behoefte van de gemeente aan "
        f"{d.naam} en {_nl(100 * da['aandeel_inwoners'])}% van de inwoners; {b} "
        f"{_nl(100 * db['aandeel'])}% van de behoefte en {_nl(100 * db['aandeel_inwoners'])}% "
        "van de inwoners."
    )
    lines.append(
        f"Per 1.000 inwoners: {_nl(da['uren_per_1000'], 2)} uur in {a}, "
        f"{_nl(db['uren_per_1000'], 2)} in {b}, {_nl(da['uren_per_1000_gemeente'], 2)} in de "
        "hele gemeente."
    )
    for team, row in ((a, da), (b, db)):
        if row["begrensd_door"]:
            lines.append(f"Bij {team} begrenst {row['begrensd_door']} de uren.")
    return " ".join(lines)
