"""Design contiguous team areas with a balanced workload, and compare them with today's.

:func:`design_team_areas` groups *units* (wijken, or buurten) into ``n_teams`` team areas.
Every area is one contiguous piece (see :mod:`geo.adjacency` for queen/rook adjacency and
how islands and water are joined) and the **range** of the balanced quantity over the teams
(largest minus smallest team) is minimised:

* ``balance="behoefte"``: the workload. By default the profiles' need count (residents
  concerned, summed over the themes); pass ``workload`` (hours per week per buurt, e.g. the
  formation optimiser's need-based target hours, computed by the caller because ``geo``
  does not import ``optimize``) and ``workload_base`` (hours spread evenly over the teams,
  the optimiser's basic presence) to balance the optimiser's own need;
* ``balance="inwoners"``: the population.

Method: the exact MILP of :mod:`geo._regions` (HiGHS, flow-based contiguity) when the
instance has at most :data:`MILP_MAX_UNITS` free units, else the local search; the result
says which was used, the HiGHS status and gap, and whether the range is proven minimal.

:func:`geo.team_count.team_count_table` designs the areas for a range of team counts and
turns a norm of professionals per team (about 8–10, AEF evaluation) into a suggested count.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo import _regions
from geo._errors import ValidationError
from geo.adjacency import Adjacency, buurt_adjacency, group_adjacency, is_connected
from geo.balance import AreaBalance, _weights, area_balance
from geo.profiles import Profiles

__all__ = ["MILP_MAX_UNITS", "TeamAreas", "design_team_areas"]

#: Largest number of free units solved exactly by default (Haarlem: 21 wijken, 1–20 s).
MILP_MAX_UNITS = 30
UNITS = ("wijk", "buurt")
BALANCES = ("behoefte", "inwoners")
METHODS = ("auto", "milp", "lokaal")


@dataclass(frozen=True)
class TeamAreas:
    """Designed team areas.

    Attributes
    ----------
    table
        Index ``buurtcode``; ``buurtnaam``, ``wijkcode``, ``wijknaam``, ``team`` (a team table
        :func:`geo.read_team_table` reads back).
    balance
        Workload and population per team and the balance figures.
    n_teams, unit, balance_on, contiguity
        The design options.
    method
        ``"milp"`` (exact, HiGHS) or ``"lokaal zoeken"`` (heuristic).
    optimal
        Whether the range of the balanced quantity is proven minimal.
    gap
        HiGHS's relative MIP gap (``None`` for the heuristic).
    status
        Solver status text.
    seconds
        Solve time.
    pinned
        Names of the teams kept as they were.
    bridges
        Adjacency edges added to join islands or parts separated by water.
    """

    table: pd.DataFrame
    balance: AreaBalance
    n_teams: int
    unit: str
    balance_on: str
    contiguity: str
    method: str
    optimal: bool
    gap: float | None
    status: str
    seconds: float
    pinned: tuple[str, ...]
    bridges: tuple[tuple[str, str], ...]

    @property
    def teams(self) -> pd.Series:
        """Buurt code → team name."""
        return self.table["team"]


def _pinned_groups(
    profiles: Profiles, pinned: Sequence[str] | Mapping[str, Iterable[str]]
) -> dict[str, list[str]]:
    """Team name → buurt codes of each pinned team."""
    b = profiles.buurten
    groups: dict[str, list[str]] = {}
    if isinstance(pinned, Mapping):
        for name, codes in pinned.items():
            buurten: list[str] = []
            for code in codes:
                code = str(code)
                if code in b.index:
                    buurten.append(code)
                elif (b["wijkcode"] == code).any():
                    buurten.extend(b.index[b["wijkcode"] == code])
                else:
                    raise ValidationError(f"pinned[{name!r}]: onbekende buurt- of wijkcode {code}")
            groups[str(name)] = buurten
    else:
        if isinstance(pinned, str):
            pinned = [pinned]
        known = set(b["team"].astype(str))
        for name in pinned:
            if name not in known:
                raise ValidationError(
                    f"pinned: team {name!r} bestaat niet in de huidige teamindeling "
                    f"(bekend: {', '.join(sorted(known)[:10])})"
                )
            groups[name] = list(b.index[b["team"].astype(str) == name])
    seen: dict[str, str] = {}
    for name, codes in groups.items():
        if not codes:
            raise ValidationError(f"pinned: team {name!r} heeft geen buurten")
        for c in codes:
            if c in seen and seen[c] != name:
                raise ValidationError(
                    f"pinned: buurt {c} staat in twee vastgezette teams ({seen[c]}, {name})"
                )
            seen[c] = name
    return groups


def _units(
    profiles: Profiles, unit: str, keep_wijken: bool | Iterable[str], free: list[str]
) -> pd.Series:
    """Free buurt code → unit code (the wijk when it is kept whole, else the buurt)."""
    b = profiles.buurten.loc[free]
    if unit == "wijk" or keep_wijken is True:
        return b["wijkcode"].astype(str)
    keep = set() if keep_wijken is False else {str(w) for w in keep_wijken}
    unknown = sorted(keep - set(profiles.buurten["wijkcode"].astype(str)))
    if unknown:
        raise ValidationError(f"keep_wijken: onbekende wijkcode(s) {', '.join(unknown[:5])}")
    return pd.Series(
        [w if w in keep else c for c, w in zip(b.index, b["wijkcode"].astype(str), strict=True)],
        index=b.index,
    )


def _name_teams(profiles: Profiles, labels: pd.Series, taken: Iterable[str]) -> pd.Series:
    """Region label → team name: its largest wijk(en) by inhabitants, unique."""
    b = profiles.buurten.loc[labels.index]
    inw = b["inwoners"].fillna(0.0)
    names: dict[int, str] = {}
    used = set(taken)
    order = inw.groupby(labels).sum().sort_values(ascending=False).index
    for r in order:
        members = labels.index[labels == r]
        per_wijk = inw[members].groupby(b.loc[members, "wijknaam"].astype(str)).sum()
        per_wijk = per_wijk.sort_values(ascending=False, kind="stable")
        total = float(per_wijk.sum())
        main = [str(per_wijk.index[0])]
        if len(per_wijk) > 1 and total > 0 and per_wijk.iloc[1] >= 0.25 * total:
            main.append(str(per_wijk.index[1]))
        name = " & ".join(main)
        if name in used:  # a split wijk: name after the team's largest buurt too
            largest = str(b.loc[inw[members].idxmax(), "buurtnaam"])
            name = f"{name} ({largest})"
        base, i = name, 2
        while name in used:
            name, i = f"{base} {i}", i + 1
        used.add(name)
        names[int(r)] = name
    return labels.map(names)


def design_team_areas(
    profiles: Profiles,
    n_teams: int,
    *,
    unit: str = "wijk",
    balance: str = "behoefte",
    contiguity: str = "queen",
    keep_wijken: bool | Iterable[str] = False,
    pinned: Sequence[str] | Mapping[str, Iterable[str]] = (),
    workload: pd.Series | None = None,
    workload_base: float = 0.0,
    method: str = "auto",
    time_limit: float = 60.0,
    seed: int = 0,
) -> TeamAreas:
    """Design ``n_teams`` contiguous team areas with the most even workload (or population).

    Parameters
    ----------
    profiles
        Buurt polygons (EPSG:28992) with need and inhabitants, from :func:`geo.build_profiles`.
    n_teams
        Number of teams, pinned teams included.
    unit
        ``"wijk"`` (wijken stay whole) or ``"buurt"``.
    balance
        ``"behoefte"`` (workload) or ``"inwoners"``; the other is reported too.
    contiguity
        ``"queen"`` or ``"rook"`` adjacency of the polygons.
    keep_wijken
        With ``unit="buurt"``: ``True`` keeps every wijk whole, a list of wijkcodes keeps
        those whole.
    pinned
        Teams that stay as they are: names of today's teams (the profiles' ``team`` column),
        or a mapping team name → buurt or wijk codes.
    workload
        Hours per week per buurt (index ``buurtcode``); default the need count.
    workload_base
        Total hours spread evenly over all teams (the optimiser's basic presence); it does
        not change which design is best, only the reported workload.
    method
        ``"auto"`` (MILP up to :data:`MILP_MAX_UNITS` free units, else local search),
        ``"milp"`` or ``"lokaal"``.
    time_limit
        Seconds for the solver (default 60); at the limit the best design found is returned
        with its gap (``optimal`` is then ``False``).
    seed
        Seed of the local search.

    Returns
    -------
    TeamAreas
        The design.

    Raises
    ------
    ValidationError
        For bad options, buurten without a polygon, more teams than units, a pinned team
        that is not contiguous, or no contiguous design.

    Examples
    --------
    >>> import geo
    >>> p = geo.build_profiles(geo.load_haarlem())
    >>> areas = geo.design_team_areas(p, 3, unit="buurt", method="lokaal")
    >>> areas.teams.nunique(), areas.method
    (3, 'lokaal zoeken')
    """
    if unit not in UNITS:
        raise ValidationError(f"unit {unit!r}: kies 'wijk' of 'buurt'")
    if balance not in BALANCES:
        raise ValidationError(f"balance {balance!r}: kies 'behoefte' of 'inwoners'")
    if method not in METHODS:
        raise ValidationError(f"method {method!r}: kies 'auto', 'milp' of 'lokaal'")
    if isinstance(n_teams, bool) or not isinstance(n_teams, int | np.integer) or n_teams < 1:
        raise ValidationError(f"aantal teams {n_teams!r}: geef een geheel getal van 1 of meer")
    if not math.isfinite(time_limit) or time_limit <= 0:
        raise ValidationError(f"time_limit {time_limit!r}: geef een aantal seconden > 0")
    if not math.isfinite(workload_base) or workload_base < 0:
        raise ValidationError(f"workload_base {workload_base!r}: moet 0 of groter zijn")
    b = profiles.buurten
    geom = getattr(b, "geometry", None)
    missing = list(b.index) if geom is None else list(b.index[geom.isna() | geom.is_empty])
    if missing:
        raise ValidationError(
            f"teamgebieden vragen buurtpolygonen (--gpkg of --buurten); zonder polygoon: "
            f"{', '.join(map(str, missing[:5]))}{' …' if len(missing) > 5 else ''}"
        )
    w = _weights(profiles, workload)
    if balance == "behoefte":
        score = w
        score_base = float(workload_base)
    else:
        score = b["inwoners"].fillna(0.0).astype(float)
        score_base = 0.0
    adjacency = buurt_adjacency(b.geometry, contiguity=contiguity)
    groups = _pinned_groups(profiles, pinned)
    for name, codes in groups.items():
        if not is_connected(codes, adjacency.neighbours):
            raise ValidationError(
                f"pinned: team {name!r} is geen aaneengesloten gebied ({contiguity}-buren)"
            )
    pinned_codes = {c for codes in groups.values() for c in codes}
    free = [c for c in b.index if c not in pinned_codes]
    k = int(n_teams) - len(groups)
    if k < 1 or (k > 0 and not free):
        raise ValidationError(
            f"aantal teams {n_teams}: {len(groups)} vastgezet, er moet minstens één vrij team "
            "overblijven met buurten"
        )
    units = _units(profiles, unit, keep_wijken, free)
    n_units = units.nunique()
    if k > n_units:
        raise ValidationError(
            f"aantal teams {n_teams}: meer vrije teams ({k}) dan gebieden ({n_units} "
            f"{'wijken' if unit == 'wijk' else 'eenheden'})"
        )
    sub = _sub_adjacency(adjacency, free)
    graph = group_adjacency(sub, units)
    unit_w = score.loc[free].groupby(units).sum()
    fixed = [float(score.loc[codes].sum()) + score_base / n_teams for codes in groups.values()]
    # a constant per team does not change the best design: leave the base out of the solve
    # except for the pinned teams' loads, which must be compared with full team loads
    free_base = score_base / n_teams
    weights = {u: float(unit_w[u]) for u in graph.nodes}
    nodes = list(graph.nodes)
    use_milp = method == "milp" or (method == "auto" and len(nodes) <= MILP_MAX_UNITS)
    fixed_free = [f - free_base for f in fixed]
    if use_milp:
        start = _regions.local_search(
            nodes, graph.neighbours, weights, k, fixed_loads=fixed_free, seed=seed
        )
        part = _regions.solve_milp(
            nodes,
            graph.neighbours,
            weights,
            k,
            fixed_loads=fixed_free,
            time_limit=time_limit,
            start_labels=start.labels,
        )
    else:
        part = _regions.local_search(
            nodes,
            graph.neighbours,
            weights,
            k,
            fixed_loads=fixed_free,
            seed=seed,
            time_limit=time_limit,
        )
    labels = pd.Series([part.labels[u] for u in units], index=units.index)
    names = _name_teams(profiles, labels, taken=groups)
    team = pd.Series(index=b.index, dtype=object)
    team.loc[names.index] = names
    for name, codes in groups.items():
        team.loc[codes] = name
    table = pd.DataFrame(
        {
            "buurtnaam": b["buurtnaam"],
            "wijkcode": b["wijkcode"],
            "wijknaam": b["wijknaam"],
            "team": team,
        }
    )
    table.index.name = "buurtcode"
    figures = area_balance(profiles, team, workload=workload, workload_base=workload_base)
    summary = figures.summary.copy()
    summary["vastgezet"] = summary.index.isin(list(groups))
    figures = AreaBalance(
        summary,
        figures.workload_max_min,
        figures.workload_spread,
        figures.workload_range,
        figures.inwoners_max_min,
        figures.inwoners_spread,
    )
    return TeamAreas(
        table=table,
        balance=figures,
        n_teams=int(n_teams),
        unit=unit,
        balance_on=balance,
        contiguity=contiguity,
        method=part.method,
        optimal=part.optimal,
        gap=part.gap,
        status=part.status,
        seconds=part.seconds,
        pinned=tuple(groups),
        bridges=adjacency.bridges,
    )


def _sub_adjacency(adjacency: Adjacency, keep: list[str]) -> Adjacency:
    inside = set(keep)
    neighbours = {c: tuple(n for n in adjacency.neighbours[c] if n in inside) for c in keep}
    bridges = tuple(e for e in adjacency.bridges if e[0] in inside and e[1] in inside)
    return Adjacency(tuple(keep), neighbours, adjacency.contiguity, bridges)
