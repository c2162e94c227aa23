"""``wijkteam teamgebieden``: design contiguous team areas with a balanced workload.

The workload balanced is the formation optimiser's need-based target hours per buurt,
:func:`wijkteam.workload.buurt_workload` (shared with the app; re-exported here).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

import safeio
from wijkteam._inputs import EXIT_OK, add_data_args, input_paths, load_inputs
from wijkteam._inputs import say as _say
from wijkteam.workload import buurt_workload, formation_professionals

__all__ = ["add_parsers", "buurt_workload", "formation_professionals", "run_areas"]

OUTPUT_FILES = (
    "teamgebieden.csv",
    "teambalans.csv",
    "kaart_teamgebieden.html",
)
SOURCE = "# Bron: CBS, RIVM, PDOK (CC BY 4.0)\n"


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
