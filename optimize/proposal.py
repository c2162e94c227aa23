r"""A scenario of one's own: propose a scenario that fits a municipality's teams and data.

:func:`propose_scenario` takes plain tables — the teams with their inhabitants, the need
themes the data supports, optionally a budget and the current hours per team × discipline —
and returns a validated :class:`~optimize.scenario.Scenario` plus its TOML text with comments
saying where each number came from. It starts from the embedded Haarlem default (the eleven
functions, their costs per hour and bounds) and scales it to the municipality:

* **teams**: the given teams (the caller names them: its team table, else the wijken by
  wijk name);
* **themes**: a discipline keeps only the need themes the data has; a discipline none of
  whose themes has data is left out (and listed in the file, so it can be added back when
  the data is there) — no dead end such as ``onbekend thema 'jeugd'``;
* **budget**: the given amount, else the *Haarlem norm per inhabitant*
  (€5.920.000 / 167.636 inhabitants = €35,31) times the municipality's inhabitants;
* **current formation**: uniform — the Haarlem hours per team scaled by
  :math:`f = 10 \cdot \text{inhabitants} / (167\,636 \cdot n_\text{teams})`, so the norm
  budget exactly pays it, as in Haarlem — unless current hours per team and discipline are
  given. Hour bounds and team sizes scale by the same factor.
"""

from __future__ import annotations

import dataclasses
import math
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import tomli_w

import safeio
from optimize._errors import ValidationError
from optimize.scenario import (
    MAX_HOURS,
    MUNICIPAL,
    Discipline,
    Scenario,
    load_scenario,
    parse_scenario,
)

__all__ = ["HAARLEM_INWONERS", "HAARLEM_TEAMS", "Proposal", "propose_scenario"]

#: Haarlem's inhabitants on 1 January 2024 (CBS Kerncijfers wijken en buurten 2024, 85984NED,
#: gemeente row of ``data/haarlem/haarlem_kwb_wijken_gemeente_2024.csv``).
HAARLEM_INWONERS = 167_636
#: Number of teams the default scenario's budget pays (ten uniform teams).
HAARLEM_TEAMS = 10


@dataclass(frozen=True)
class Proposal:
    """A proposed scenario, its commented TOML text and the notes behind it.

    Attributes
    ----------
    scenario
        The validated scenario.
    toml
        TOML text that :func:`~optimize.parse_scenario` reads back to ``scenario``.
    notes
        Dutch sentences: where each number came from and what was left out.
    dropped
        Keys of disciplines left out because none of their need themes has data.
    """

    scenario: Scenario
    toml: str
    notes: tuple[str, ...]
    dropped: tuple[str, ...] = ()


def _euro(x: float) -> str:
    return "€" + f"{x:,.0f}".replace(",", ".")


def _num(x: float, decimals: int = 2) -> str:
    return f"{x:,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _comment(text: str) -> str:
    """Render TOML comment lines; text from data cannot break out of them (no line breaks)."""
    lines = textwrap.wrap(safeio.clean_text(text, single_line=True), width=92) or [""]
    return "\n".join(("# " if i == 0 else "#   ") + line for i, line in enumerate(lines))


def _round(x: float) -> float:
    return float(round(x, 1))


def _current_table(
    huidig: pd.DataFrame, teams: list[str], keys: Iterable[str], source: str
) -> dict[str, dict[str, float]]:
    """Validate the current hours (team × discipline) against the teams and disciplines."""
    keys = list(keys)
    p: list[str] = []
    unknown_teams = [str(t) for t in huidig.index if str(t) not in teams]
    if unknown_teams:
        p.append(
            f"{source}: team(s) {', '.join(repr(t) for t in unknown_teams[:5])} komen niet voor "
            f"in de gegevens (teams: {', '.join(teams[:10])})"
        )
    unknown_keys = [str(c) for c in huidig.columns if str(c) not in keys]
    if unknown_keys:
        p.append(
            f"{source}: discipline(s) {', '.join(repr(k) for k in unknown_keys[:5])} onbekend "
            f"(bekend: {', '.join(keys)})"
        )
    out: dict[str, dict[str, float]] = {}
    for team, row in huidig.iterrows():
        for key, value in row.items():
            if pd.isna(value):
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                p.append(f"{source}: {team}, {key}: verwacht een getal, gevonden {value!r}")
                continue
            if not math.isfinite(float(value)) or not 0 <= float(value) <= MAX_HOURS:
                p.append(
                    f"{source}: {team}, {key}: verwacht 0 tot {MAX_HOURS:g} uur, gevonden {value!r}"
                )
                continue
            out.setdefault(str(team), {})[str(key)] = float(value)
    if p:
        raise ValidationError("; ".join(p))
    return out


def propose_scenario(
    teams: pd.DataFrame,
    *,
    themes: Iterable[str],
    gemeentenaam: str,
    budget: float | None = None,
    huidig: pd.DataFrame | None = None,
    huidig_source: str = "huidige formatie",
    base: Scenario | None = None,
    team_source: str = "de teamtabel",
) -> Proposal:
    """Propose a scenario that fits a municipality: its teams, its themes, its budget.

    Parameters
    ----------
    teams
        One row per team (index: the team name as the optimiser will see it) with column
        ``inwoners`` (missing allowed when ``budget`` is given).
    themes
        Need themes the data supports (themes with at least one indicator).
    gemeentenaam
        The municipality, for the scenario name and comments.
    budget
        Budget ceiling, euros per year; default the Haarlem norm per inhabitant.
    huidig
        Current hours per week, team × discipline key (missing cells: the uniform value).
    huidig_source
        Where ``huidig`` came from (file name), for messages and comments.
    base
        Scenario to start from; default the embedded Haarlem scenario.
    team_source
        Where the team names came from, for the comments.

    Returns
    -------
    Proposal
        The scenario and its commented TOML.

    Raises
    ------
    ValidationError
        No teams, no theme with data for any discipline, no inhabitants and no budget, or
        current hours naming unknown teams or disciplines.

    Examples
    --------
    >>> t = pd.DataFrame({"inwoners": [12_000, 8_000]}, index=["Noord", "Zuid"])
    >>> p = propose_scenario(t, themes=["financieel", "zorg"], gemeentenaam="Voorbeeld")
    >>> sorted(p.scenario.huidig_per_team)
    ['Noord', 'Zuid']
    >>> p.scenario.budget
    706000.0
    >>> parse_scenario(p.toml) == p.scenario
    True
    """
    base = base if base is not None else load_scenario()
    names = [str(t) for t in teams.index]
    if not names:
        raise ValidationError("scenario: geen teams in de gegevens")
    if len(set(names)) != len(names):
        raise ValidationError("scenario: teamnamen komen dubbel voor")
    supported = set(themes)
    column = teams["inwoners"] if "inwoners" in teams.columns else pd.Series(dtype=float)
    inhabitants = float(pd.to_numeric(column, errors="coerce").sum(min_count=1))
    n = len(names)
    notes: list[str] = []
    if budget is not None:
        if not (math.isfinite(budget) and budget >= 0):
            raise ValidationError(f"--budget {budget!r}: verwacht een bedrag van 0 of meer")
        ceiling = float(budget)
        budget_note = f"budget {_euro(ceiling)}: opgegeven met --budget"
    elif math.isfinite(inhabitants) and inhabitants > 0:
        norm = base.budget / HAARLEM_INWONERS
        ceiling = float(round(norm * inhabitants, -3))
        budget_note = (
            f"budget {_euro(ceiling)}: Haarlem-norm {_euro(base.budget)} / "
            f"{_num(HAARLEM_INWONERS, 0)} inwoners (CBS 2024) = €{_num(norm)} per inwoner, "
            f"x {_num(inhabitants, 0)} inwoners van {gemeentenaam} (afgerond op €1.000); "
            "geen eigen budget opgegeven: pas aan of geef --budget"
        )
    else:
        raise ValidationError(
            f"{gemeentenaam}: de gegevens hebben geen inwonertallen, dus geen Haarlem-norm per "
            "inwoner; geef het budget met --budget (of indicatoren met het aantal inwoners)"
        )
    # uniform formation: the norm budget pays it exactly, as Haarlem's budget pays ten teams
    size = (
        inhabitants / HAARLEM_INWONERS
        if budget is None
        else ceiling / base.budget
        if base.budget > 0
        else 0.0
    )
    if not math.isfinite(size) or size <= 0:
        size = ceiling / base.budget if base.budget > 0 else 1.0
    f = HAARLEM_TEAMS * size / n
    scale_note = (
        f"uniforme formatie: de Haarlemse uren per team x {_num(f, 3)} "
        f"(= {HAARLEM_TEAMS} teams x {_num(size, 4)} Haarlem-omvang / {n} teams, "
        + ("naar inwoners" if budget is None else "naar het opgegeven budget")
        + "); grenzen (min_uren, max_uren) en teamgrootte schalen mee"
    )
    disciplines: list[Discipline] = []
    dropped: list[str] = []
    remapped: list[str] = []
    for d in base.disciplines:
        keep = {t: w for t, w in d.behoefte.items() if t in supported and w > 0}
        if not keep:
            dropped.append(d.key)
            notes.append(
                f"{d.key} ({d.naam}) weggelaten: de behoefte komt alleen uit thema "
                f"{', '.join(repr(t) for t in d.behoefte)}, waarvoor deze gegevens geen "
                "indicatoren hebben; voeg die gegevens toe en maak het scenario opnieuw"
            )
            continue
        if set(keep) != set(d.behoefte):
            lost = sorted(set(d.behoefte) - set(keep))
            remapped.append(d.key)
            notes.append(
                f"{d.key} ({d.naam}): thema {', '.join(repr(t) for t in lost)} zonder gegevens "
                f"weggelaten uit de behoefte; blijft: {', '.join(sorted(keep))}"
            )
        now = min(_round(d.huidig * f), MAX_HOURS)
        hi = min(max(_round(d.max_uren * f), now), MAX_HOURS)
        lo = min(_round(d.min_uren * f), now)
        if d.verplicht:  # the model asks at least one block of a mandatory function
            lo = max(lo, base.blok_uren)
            hi, now = max(hi, lo), max(now, lo)
        disciplines.append(
            dataclasses.replace(d, huidig=now, min_uren=lo, max_uren=hi, behoefte=keep)
        )
    if not disciplines:
        raise ValidationError(
            f"{gemeentenaam}: geen enkele discipline heeft een thema met gegevens "
            f"(thema's met gegevens: {', '.join(sorted(supported)) or 'geen'})"
        )
    keys = [d.key for d in disciplines]
    given = _current_table(huidig, names, keys, huidig_source) if huidig is not None else {}
    current: dict[str, dict[str, float]] = {}
    for team in names:
        current[team] = {d.key: given.get(team, {}).get(d.key, d.huidig) for d in disciplines}
    if given:
        widened = []
        for i, d in enumerate(disciplines):
            values = [current[t][d.key] for t in names]
            lo, hi = min(d.min_uren, *values), max(d.max_uren, *values)
            if (lo, hi) != (d.min_uren, d.max_uren):
                widened.append(d.key)
                disciplines[i] = dataclasses.replace(d, min_uren=lo, max_uren=hi)
        if widened:
            notes.append(
                "grenzen verruimd zodat de huidige formatie erbinnen valt: " + ", ".join(widened)
            )
    if budget is None:
        uniform = sum(
            d.kosten_per_uur * current[t][d.key]
            for t in names
            for d in disciplines
            if d.gefinancierd_door == MUNICIPAL
        )
        if uniform > ceiling:
            ceiling = float(math.ceil(uniform / 1000.0) * 1000.0)
            budget_note += (
                f"; verhoogd tot {_euro(ceiling)}: zo veel kost de minimale bezetting "
                f"(elke verplichte functie minstens {_num(base.blok_uren, 0)} uur per team)"
            )
    funders = {
        k: float(round(v * f * n / HAARLEM_TEAMS, -3))
        for k, v in base.financiers.items()
        if any(d.gefinancierd_door == k for d in disciplines)
    }
    min_p = None if base.min_personen is None else max(1, round(base.min_personen * f))
    max_p = None if base.max_personen is None else max(min_p or 1, math.ceil(base.max_personen * f))
    if max_p is not None:
        max_p = min(max_p, 200)
        min_p = min(min_p, max_p) if min_p is not None else None
    scenario = base.replace(
        naam=f"{gemeentenaam}: eigen scenario ({n} teams)",
        budget=ceiling,
        disciplines=tuple(disciplines),
        financiers=funders,
        huidig_per_team=current,
        vastgezet={},
        fasen=(),
        min_personen=min_p,
        max_personen=max_p,
    )
    header = [
        f"Scenario voor {gemeentenaam}, voorgesteld door `wijkteam scenario`.",
        "Uitgangspunt: het Haarlemse standaardscenario (data/scenarios/haarlem_default.toml):",
        "de functies, kosten per uur en grenzen van de raadsnota Doorontwikkeling sociaal",
        "wijkteam (2016), geschaald naar deze gemeente. Waar elk getal vandaan komt:",
        f"* teams ({n}): {team_source}: {', '.join(names)}",
        f"* thema's met gegevens: {', '.join(sorted(supported)) or 'geen'}",
        f"* {budget_note}",
        f"* {scale_note}",
    ]
    header.append(
        f"* huidige formatie: {huidig_source} ({sum(len(v) for v in given.values())} cellen), "
        "de overige cellen uniform"
        if given
        else "* huidige formatie: uniform (elk team dezelfde uren), geen --huidig opgegeven"
    )
    header.extend(f"* {note}" for note in notes)
    if base.fasen:
        header.append("* het gefaseerde Haarlemse plan 2017-2019 ([[fase]]) is weggelaten")
    header.append("Bron inwoners en behoefte: CBS, RIVM (CC BY 4.0).")
    toml = _render(scenario, header, f, funders)
    check = parse_scenario(toml, source="voorstel")
    if check != scenario:  # pragma: no cover - a bug in _render
        raise AssertionError("proposed TOML does not read back to the scenario")
    return Proposal(scenario, toml, (budget_note, scale_note, *notes), tuple(dropped))


def _render(s: Scenario, header: list[str], f: float, funders: Mapping[str, float]) -> str:
    """TOML text of ``s`` with a comment above each block saying where its numbers came from."""
    parts = ["\n".join(_comment(line) for line in header), ""]
    top: dict[str, Any] = {
        "naam": s.naam,
        "budget": s.budget,
        "uren_per_fte": s.uren_per_fte,
        "basis_aandeel": s.basis_aandeel,
        "complexiteit": s.complexiteit,
    }
    if s.max_wijziging is not None:
        top["max_wijziging"] = s.max_wijziging
    parts.append(tomli_w.dumps(top))
    parts.append(_comment("uren_per_fte, basis_aandeel, complexiteit, max_wijziging: als Haarlem"))
    size = {k: getattr(s, k) for k in ("min_personen", "max_personen") if getattr(s, k) is not None}
    if size:
        parts.append(_comment(f"teamgrootte: Haarlem (8-14 personen) x {_num(f, 3)}, afgerond"))
        parts.append(tomli_w.dumps({"teamgrootte": size}))
    parts.append(
        tomli_w.dumps(
            {
                "milp": {
                    "blok_uren": s.blok_uren,
                    "max_gap": s.max_gap,
                    "max_seconden": s.max_seconden,
                }
            }
        )
    )
    if funders:
        parts.append(_comment(f"budgetten van andere financiers: Haarlem x {_num(f, 3)} per team"))
        parts.append(tomli_w.dumps({"financier": {k: {"budget": v} for k, v in funders.items()}}))
    for d in s.disciplines:
        values = dataclasses.asdict(d)
        values.pop("key")
        values["behoefte"] = dict(d.behoefte)
        parts.append(
            _comment(
                f"{d.naam}: kosten per uur als Haarlem; huidig {_num(d.huidig, 1)} uur per team "
                f"(Haarlem x {_num(f, 3)}); grenzen {_num(d.min_uren, 1)}-{_num(d.max_uren, 1)}"
            )
        )
        parts.append(tomli_w.dumps({"discipline": {d.key: values}}))
    parts.append(_comment("huidige formatie per team (uren per week)"))
    parts.append(tomli_w.dumps({"huidig": {t: dict(v) for t, v in s.huidig_per_team.items()}}))
    return "\n".join(parts)
