r"""``wijkteam teamgebieden``: design contiguous team areas with a balanced workload.

The workload balanced here is the formation optimiser's need-based target hours. Those
targets are (see :mod:`optimize.need`)

.. math::  t_{Td} = H_d \big(\beta + (1-\beta)\,|T|\, n_{Td} / \textstyle\sum_{T'} n_{T'd}\big)

so a team's target is a base :math:`\beta H_d` that every team gets plus a need part that is
*additive* over buurten: :math:`n_{Td} = \sum_{b \in T} n_{bd}` when the complexity factor
:math:`(I/100)^\gamma` is evaluated per buurt. :func:`buurt_workload` therefore returns, per
buurt, :math:`a_b = \sum_d (1-\beta)\,T_0 H_d\, n_{bd} / \sum_{b'} n_{b'd}` (hours per week)
and the base :math:`B = \beta\, T_0 \sum_d H_d` spread evenly over the teams, with
:math:`T_0` today's number of teams: the city's total target hours stay what they are today
whatever the number of designed teams. For :math:`n = T_0` teams the workload of a team is
the optimiser's target up to the complexity factor (per buurt instead of per team): on
Haarlem's indicative table 200.6–408.0 hours against the optimiser's 199.9–409.6.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import safeio
from wijkteam.cli import add_data_args, input_paths, load_inputs

__all__ = ["add_parsers", "buurt_workload", "formation_professionals", "run_areas"]

EXIT_OK = 0
OUTPUT_FILES = (
    "teamgebieden.csv",
    "teambalans.csv",
    "kaart_teamgebieden.html",
)
SOURCE = "# Bron: CBS, RIVM, PDOK (CC BY 4.0)\n"


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


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


def _count(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is geen geheel getal") from None
    if not 1 <= n <= 1000:
        raise argparse.ArgumentTypeError(f"{value!r}: kies tussen 1 en 1000 teams")
    return n


def _seconds(value: str) -> float:
    try:
        s = float(value.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is geen aantal seconden") from None
    if not 0 < s <= 3600:
        raise argparse.ArgumentTypeError(f"{value!r}: kies tussen 0 en 3600 seconden")
    return s


def add_parsers(sub: Any) -> None:
    """Register ``teamgebieden`` on the CLI's subparsers."""
    p = sub.add_parser(
        "teamgebieden", help="ontwerp aaneengesloten teamgebieden met een evenwichtige werklast"
    )
    p.add_argument("--aantal", type=_count, required=True, help="aantal teams")
    p.add_argument("--scenario", help="scenariobestand (TOML) voor de werklast; standaard Haarlem")
    add_data_args(p)
    p.add_argument("--niveau", choices=["wijk", "buurt"], default="wijk", help="bouwstenen")
    p.add_argument(
        "--balans", choices=["behoefte", "inwoners"], default="behoefte", help="wat gelijk moet"
    )
    p.add_argument("--buren", choices=["queen", "rook"], default="queen", help="aangrenzend als")
    p.add_argument(
        "--vastzetten", action="append", default=[], metavar="TEAM", help="team dat blijft"
    )
    p.add_argument("--tijdslimiet", type=_seconds, default=60.0, help="seconden (standaard 60)")
    p.add_argument(
        "--vergelijk",
        nargs=2,
        type=_count,
        metavar=("MIN", "MAX"),
        help="tabel over het aantal teams (bijv. 6 14) met een voorstel",
    )
    p.add_argument("--out", default="uitvoer", help="uitvoermap (standaard: uitvoer)")
    p.set_defaults(func=run_areas)


def _number(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def _balance_table(areas: Any, current: Any) -> pd.DataFrame:
    s = areas.balance.summary.sort_values("werklast", ascending=False)
    table = pd.DataFrame(
        {
            "Team": s.index,
            "Werklast (doeluren per week)": s["werklast"].round(1).to_numpy(),
            "Afwijking werklast van gemiddelde (%)": s["afwijking_werklast"].round(1).to_numpy(),
            "Inwoners": s["inwoners"].round(0).astype(int).to_numpy(),
            "Aantal wijken": s["wijken"].to_numpy(),
            "Aantal buurten": s["buurten"].to_numpy(),
            "Vastgezet": s["vastgezet"].map({True: "ja", False: "nee"}).to_numpy(),
        }
    )
    rows = [
        ("Nieuw: werklast grootste / kleinste team", areas.balance.workload_max_min),
        ("Nieuw: grootste afwijking van gemiddelde (%)", 100 * areas.balance.workload_spread),
        ("Huidig: werklast grootste / kleinste team", current.workload_max_min),
        ("Huidig: grootste afwijking van gemiddelde (%)", 100 * current.workload_spread),
        ("Nieuw: inwoners grootste / kleinste team", areas.balance.inwoners_max_min),
        ("Huidig: inwoners grootste / kleinste team", current.inwoners_max_min),
    ]
    extra = pd.DataFrame(
        {
            "Team": [r[0] for r in rows],
            "Werklast (doeluren per week)": [round(float(r[1]), 2) for r in rows],
        }
    )
    return pd.concat([table, extra], ignore_index=True)


def _csv(frame: pd.DataFrame, *, source: bool = True) -> bytes:
    text = safeio.csv_frame(frame).to_csv(sep=";", decimal=",", index=False)
    return (text + (SOURCE if source else "")).encode("utf-8-sig")


def run_areas(args: argparse.Namespace) -> int:
    """Run ``wijkteam teamgebieden``."""
    import geo
    import optimize

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise geo.ValidationError(f"--out {out}: is een bestand, geen map")
    names = list(OUTPUT_FILES) + (["aantal_teams.csv"] if args.vergelijk else [])
    guarded = {Path(p).resolve() for p in input_paths(args)}
    for name in names:
        if (out / name).resolve() in guarded:
            raise geo.ValidationError(f"{out / name}: zou een invoerbestand overschrijven")
    _say("1/4 gegevens, profielen en werklast per buurt…")
    scenario = optimize.load_scenario(args.scenario)
    themes = geo.load_themes(args.themas) if args.themas else None
    profiles = geo.build_profiles(load_inputs(args), themes=themes)
    workload, base = buurt_workload(profiles, scenario, themes=themes)
    options: dict[str, Any] = {
        "unit": args.niveau,
        "balance": args.balans,
        "contiguity": args.buren,
        "pinned": list(args.vastzetten),
        "workload": workload,
        "workload_base": base,
        "time_limit": args.tijdslimiet,
    }
    counts = None
    if args.vergelijk:
        lo, hi = sorted(args.vergelijk)
        _say(f"2/4 teamgebieden ontwerpen voor {lo}–{hi} teams ({args.niveau}niveau)…")
        professionals = formation_professionals(profiles, scenario, themes=themes)
        counts = geo.team_count_table(
            profiles, range(lo, hi + 1), professionals=professionals, **options
        )
    if counts is not None and args.aantal in counts.designs:
        areas = counts.designs[args.aantal]
    else:
        step = "3/4" if counts is not None else "2/4"
        _say(f"{step} {args.aantal} teamgebieden ontwerpen ({args.niveau}niveau, {args.balans})…")
        areas = geo.design_team_areas(profiles, args.aantal, **options)
    current = geo.area_balance(profiles, workload=workload, workload_base=base)
    files: dict[str, bytes] = {}
    team_table = areas.table.reset_index()
    team_table["bron"] = "CBS, RIVM, PDOK"
    # no comment line: the file must read back with --teams
    files["teamgebieden.csv"] = _csv(team_table, source=False)
    files["teambalans.csv"] = _csv(_balance_table(areas, current))
    if counts is not None:
        t = counts.table.reset_index()
        t["optimaal"] = t["optimaal"].map({True: "ja", False: "nee"})
        t = t.rename(
            columns={
                "aantal_teams": "Aantal teams",
                "werklast_gemiddeld": "Werklast per team, gemiddeld",
                "werklast_min": "Werklast kleinste team",
                "werklast_max": "Werklast grootste team",
                "max_min": "Grootste / kleinste",
                "spreiding_pct": "Grootste afwijking van gemiddelde (%)",
                "inwoners_gemiddeld": "Inwoners per team, gemiddeld",
                "inwoners_max_min": "Inwoners grootste / kleinste",
                "methode": "Methode",
                "optimaal": "Bewezen optimaal",
                "professionals_per_team": "Professionals per team",
            }
        )
        files["aantal_teams.csv"] = (
            safeio.csv_frame(t.round(2)).to_csv(sep=";", decimal=",", index=False)
            + f"# Voorstel: {counts.suggested} teams. {counts.reason}\n"
            + SOURCE
        ).encode("utf-8-sig")
    _say("4/4 kaart en tabellen schrijven…")
    html = geo.team_areas_map(areas, profiles).get_root().render().encode("utf-8")
    files["kaart_teamgebieden.html"] = html
    written = safeio.write_files(out, files, protect=input_paths(args))
    proof = (
        "bewezen optimaal"
        if areas.optimal
        else (
            f"niet bewezen optimaal (gap {areas.gap:.1%})"
            if areas.gap is not None
            else "heuristiek, niet bewezen optimaal"
        )
    )
    print(
        f"{areas.n_teams} teamgebieden ({areas.method}, {proof}, {areas.seconds:.1f} s). "
        f"Werklast grootste/kleinste team {_number(areas.balance.workload_max_min, 2)} "
        f"(nu {_number(current.workload_max_min, 2)}); grootste afwijking van het gemiddelde "
        f"{_number(100 * areas.balance.workload_spread, 0)}% "
        f"(nu {_number(100 * current.workload_spread, 0)}%)."
    )
    for team, row in areas.balance.summary.sort_values("werklast", ascending=False).iterrows():
        print(f"  {_number(row['werklast'], 1):>7} uur  {int(row['inwoners']):>7} inw.  {team}")
    if counts is not None:
        print(f"Voorstel: {counts.suggested} teams. {counts.reason}.")
    for path in written:
        print(path)
    return EXIT_OK
