"""``wijkteam scenario``: write a scenario TOML that fits the loaded municipality.

``wijkteam scenario [data options] --out FILE [--budget EUR] [--huidig CSV]`` loads the data
like ``profile``/``allocate``, names the teams (the team table, else each wijk by its name),
finds the need themes the data supports and writes :func:`optimize.propose_scenario`'s
commented TOML atomically; an existing file is only replaced with ``--overschrijven``.
"""

from __future__ import annotations

import argparse
import io
import re
from pathlib import Path
from typing import Any

import pandas as pd

import safeio
from wijkteam._cmd_allocate import _euros
from wijkteam._inputs import EXIT_OK, add_data_args, input_paths, load_inputs
from wijkteam._inputs import say as _say
from wijkteam._teams import own_teams

__all__ = ["add_parser", "read_current_hours", "run_scenario", "team_inhabitants"]

MAX_CSV_BYTES = 5_000_000


def team_inhabitants(need: pd.DataFrame) -> pd.DataFrame:
    """Inhabitants per team from the need table (missing when the data has none)."""
    if "inwoners" in need.columns:
        return need[["inwoners"]]
    return pd.DataFrame({"inwoners": float("nan")}, index=need.index)


def read_current_hours(path: str | Path) -> pd.DataFrame:
    """Read current hours per team and discipline from a CSV (``;`` or ``,``, decimal comma).

    Two layouts: long (``team``, ``discipline``, ``uren``) or wide (``team`` and one column
    per discipline key). Returns a team × discipline table of floats.
    """
    import optimize

    file = Path(path)
    try:
        data = file.read_bytes()
    except IsADirectoryError:
        raise optimize.ValidationError(f"--huidig {file}: is een map, geen bestand") from None
    except OSError as exc:
        reason = "bestaat niet" if isinstance(exc, FileNotFoundError) else "kan niet lezen"
        raise optimize.ValidationError(f"--huidig {file}: {reason}") from None
    if len(data) > MAX_CSV_BYTES:
        raise optimize.ValidationError(f"--huidig {file}: groter dan 5 MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if not text.strip():
        raise optimize.ValidationError(f"--huidig {file}: bestand is leeg")
    first = text.splitlines()[0]
    sep = ";" if first.count(";") >= first.count(",") else ","
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise optimize.ValidationError(f"--huidig {file}: geen leesbare CSV ({exc})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if "team" not in frame.columns:
        raise optimize.ValidationError(
            f"--huidig {file}: kolom 'team' ontbreekt (kolommen: {', '.join(frame.columns)})"
        )
    if {"discipline", "uren"} <= set(frame.columns):
        twice = frame.duplicated(["team", "discipline"])
        if twice.any():
            row = frame[twice].iloc[0]
            raise optimize.ValidationError(
                f"--huidig {file}: team {row['team']!r}, discipline {row['discipline']!r} "
                "komt meer dan eens voor"
            )
        frame = frame.pivot(index="team", columns="discipline", values="uren")
    else:
        frame = frame.set_index("team")
    if frame.index.duplicated().any():
        dup = frame.index[frame.index.duplicated()][0]
        raise optimize.ValidationError(f"--huidig {file}: team {dup!r} komt meer dan eens voor")

    def number(value: Any, team: str, key: str) -> float:
        text = str(value).strip()
        if text in ("", "."):
            return float("nan")
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+,\d+|-?\d+,\d+", text):
            text = text.replace(".", "").replace(",", ".")
        try:
            return float(text)
        except ValueError:
            raise optimize.ValidationError(
                f"--huidig {file}: {team}, {key}: verwacht een getal, gevonden {value!r}"
            ) from None

    out = pd.DataFrame(
        {k: [number(v, str(t), str(k)) for t, v in frame[k].items()] for k in frame.columns},
        index=[str(t).strip() for t in frame.index],
    )
    return out


def add_parser(sub: Any) -> None:
    """Register ``scenario`` on the CLI's subparsers."""
    p = sub.add_parser(
        "scenario", help="schrijf een scenario (TOML) dat past op de teams en gegevens"
    )
    add_data_args(p)
    p.add_argument("--out", required=True, help="het scenariobestand dat wordt geschreven")
    p.add_argument("--budget", type=_euros, help="budgetplafond in euro per jaar")
    p.add_argument(
        "--huidig", help="CSV met de huidige uren per team en discipline (team;discipline;uren)"
    )
    p.add_argument(
        "--overschrijven", action="store_true", help="een bestaand bestand --out vervangen"
    )
    p.set_defaults(func=run_scenario, out_is_file=True)


def run_scenario(args: argparse.Namespace) -> int:
    """Run ``wijkteam scenario``."""
    import geo
    import optimize

    out = Path(args.out)
    protect = [*input_paths(args), *([args.huidig] if args.huidig else [])]
    if out.exists() and not args.overschrijven and not out.is_dir():
        raise optimize.ValidationError(
            f"--out {out}: bestaat al; kies een andere naam of geef --overschrijven"
        )
    safeio.check_output_dir(out.parent if str(out.parent) else ".")
    _say("1/3 gegevens laden…")
    dataset = own_teams(load_inputs(args))
    themes = geo.load_themes(args.themas) if args.themas else geo.load_themes()
    _say(f"2/3 behoefte per team voor {dataset.gemeentenaam} ({len(dataset.buurten)} buurten)…")
    profiles = geo.build_profiles(dataset, themes=themes)
    need = profiles.team_need()
    with_data = [t.key for t in themes if t.key in need.columns]
    base = optimize.load_scenario()
    current = read_current_hours(args.huidig) if args.huidig is not None else None
    source = "de teamtabel " + Path(args.teams).name if args.teams else "de wijken (naam)"
    if dataset.gemeentecode == "GM0392" and not args.teams and not (args.gpkg or args.buurten):
        source = "de ingebouwde Haarlemse teamtabel (indicatief)"
    proposal = optimize.propose_scenario(
        team_inhabitants(need),
        themes=with_data,
        gemeentenaam=dataset.gemeentenaam,
        budget=args.budget,
        huidig=current,
        huidig_source=Path(args.huidig).name if args.huidig else "huidige formatie",
        base=base,
        team_source=source,
    )
    _say("3/3 scenario schrijven…")
    written = safeio.write_file(
        out, proposal.toml.encode("utf-8"), overwrite=args.overschrijven, protect=protect
    )
    s = proposal.scenario
    print(
        f"Scenario voor {dataset.gemeentenaam}: {len(s.huidig_per_team)} teams "
        f"({', '.join(s.huidig_per_team)}), {len(s.disciplines)} disciplines, budget "
        f"{optimize.euro(s.budget)}."
    )
    for note in proposal.notes:
        print(f"- {note}")
    print(f"Gebruik: wijkteam allocate <dezelfde gegevensopties> --scenario {written}")
    print(written)
    return EXIT_OK
