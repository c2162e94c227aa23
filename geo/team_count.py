"""How many teams: balance and workload per team over a range of team counts.

The norm "a team has about 8–10 professionals" (AEF evaluation of Haarlem's SWTs) turns a
formation's number of professionals into a range of team counts; the suggestion is the
count in that range whose designed areas spread the workload least.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo._errors import ValidationError
from geo.areas import TeamAreas, design_team_areas
from geo.profiles import Profiles

__all__ = ["TeamCountTable", "team_count_table"]


@dataclass(frozen=True)
class TeamCountTable:
    """Balance and workload per team for a range of team counts.

    Attributes
    ----------
    table
        Index ``aantal_teams``; workload mean/min/max per team, max/min, spread, inhabitants
        per team, professionals per team (when known), method and optimality.
    suggested
        The suggested number of teams, or ``None`` without a professionals count.
    reason
        Why (Dutch), for reports.
    designs
        The designed areas per team count.
    """

    table: pd.DataFrame
    suggested: int | None
    reason: str
    designs: Mapping[int, TeamAreas]


def _span(values: list[int]) -> str:
    lo, hi = min(values), max(values)
    return str(lo) if lo == hi else f"{lo}–{hi}"


def team_count_table(
    profiles: Profiles,
    counts: Iterable[int] = range(6, 15),
    *,
    professionals: float | None = None,
    norm: tuple[float, float] = (8.0, 10.0),
    **options: object,
) -> TeamCountTable:
    """Design the areas for each team count and suggest one from a professionals norm.

    Parameters
    ----------
    profiles
        The profiles.
    counts
        Team counts to try.
    professionals
        Total number of professionals of the formation (e.g. the formation's persons);
        ``None`` leaves the professionals columns and the suggestion out.
    norm
        Professionals per team (AEF: a team has about 8–10 professionals).
    **options
        Passed to :func:`design_team_areas` (``unit``, ``workload``, ``workload_base``, …).

    Returns
    -------
    TeamCountTable
        The table, the suggested count and the reason.

    Raises
    ------
    ValidationError
        For a bad norm or professionals count, or a count :func:`design_team_areas` rejects.
    """
    lo, hi = float(norm[0]), float(norm[1])
    if not 0 < lo <= hi:
        raise ValidationError(f"norm {norm!r}: geef (minimum, maximum) met 0 < minimum ≤ maximum")
    if professionals is not None and not (math.isfinite(professionals) and professionals > 0):
        raise ValidationError(f"professionals {professionals!r}: moet een getal > 0 zijn")
    rows = []
    designs: dict[int, TeamAreas] = {}
    for n in sorted(set(int(c) for c in counts)):
        areas = design_team_areas(profiles, n, **options)  # type: ignore[arg-type]
        designs[n] = areas
        s = areas.balance.summary
        row = {
            "aantal_teams": n,
            "werklast_gemiddeld": float(s["werklast"].mean()),
            "werklast_min": float(s["werklast"].min()),
            "werklast_max": float(s["werklast"].max()),
            "max_min": areas.balance.workload_max_min,
            "spreiding_pct": 100.0 * areas.balance.workload_spread,
            "inwoners_gemiddeld": float(s["inwoners"].mean()),
            "inwoners_max_min": areas.balance.inwoners_max_min,
            "methode": areas.method,
            "optimaal": areas.optimal,
        }
        if professionals is not None:
            row["professionals_per_team"] = professionals / n
        rows.append(row)
    if not rows:
        raise ValidationError("counts: geef minstens één aantal teams")
    table = pd.DataFrame(rows).set_index("aantal_teams")
    suggested: int | None = None
    reason = "geen aantal professionals opgegeven: geen voorstel"
    if professionals is not None:
        fits = table[
            (table["professionals_per_team"] >= lo) & (table["professionals_per_team"] <= hi)
        ]
        options_n = [int(str(i)) for i in fits.index]
        if options_n:
            spreads = fits["spreiding_pct"].to_numpy(dtype=float)
            suggested = options_n[int(np.argmin(spreads))]
            reason = (
                f"{professionals:.0f} professionals, {lo:g}–{hi:g} per team: "
                f"{_span(options_n)} teams; {suggested} teams verdeelt de "
                f"werklast het gelijkst (spreiding {float(spreads.min()):.0f}%)"
            )
        else:
            target = professionals / ((lo + hi) / 2)
            all_n = [int(str(i)) for i in table.index]
            suggested = min(all_n, key=lambda n: (abs(n - target), n))
            reason = (
                f"{professionals:.0f} professionals: geen aantal in het bereik geeft {lo:g}–{hi:g} "
                f"per team; {suggested} teams ligt het dichtst bij {target:.1f}"
            )
    return TeamCountTable(table, suggested, reason, designs)
