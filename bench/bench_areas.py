"""Benchmarks of team-area design: Haarlem at wijk and buurt level, and SYNTHETIC
municipalities of 125–1,000 buurten (geo.synthetic, one gemeente) for how the cost grows.

Haarlem's workload is the formation optimiser's target hours split over the buurten (as
``wijkteam teamgebieden`` computes it); the synthetic municipalities balance their need
count (no scenario calibration for an invented town).
"""

from __future__ import annotations

import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geo
import optimize
from wijkteam._cmd_areas import buurt_workload


def _median(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _note(areas: geo.TeamAreas) -> str:
    proof = "optimaal" if areas.optimal else "niet bewezen optimaal"
    if areas.gap is not None and not areas.optimal:
        proof += f", gap {areas.gap:.1%}"
    b = areas.balance
    return (
        f"{areas.method}, {proof}; grootste/kleinste {b.workload_max_min:.2f}, "
        f"grootste afwijking {100 * b.workload_spread:.1f}%"
    ).replace(".", ",")


def _synthetic_profiles(n: int, folder: Path) -> geo.Profiles:
    layer = geo.synthetic_buurten(n_buurten=n, n_gemeenten=1, full_schema=False, detail_m=None)
    code = str(layer["gemeentecode"].iloc[0])
    path = folder / f"synthetisch_{n}.gpkg"
    geo.write_synthetic_gpkg(path, buurten=layer)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return geo.build_profiles(geo.load_dataset(gpkg=path, gemeente=code), types=5)


def run(repeats: int) -> list[dict]:
    """Run the team-area benchmarks (fewer repeats: the exact solves take seconds)."""
    rows: list[dict] = []
    reps = max(1, min(repeats, 3))
    profiles = geo.build_profiles(geo.load_haarlem())
    workload, base = buurt_workload(profiles, optimize.load_scenario())
    opts = {"workload": workload, "workload_base": base}
    current = geo.area_balance(profiles, **opts)
    rows.append(
        {
            "meting": "teamgebieden: huidige indicatieve tabel (ter vergelijking)",
            "schaal": "21 wijken, 10 teams",
            "mediaan_s": 0.0,
            "extra": (
                f"grootste/kleinste {current.workload_max_min:.2f}, grootste afwijking "
                f"{100 * current.workload_spread:.1f}%"
            ).replace(".", ","),
        }
    )
    for n in (8, 10, 12):
        secs, areas = _median(
            lambda n=n: geo.design_team_areas(profiles, n, unit="wijk", time_limit=120, **opts),
            reps,
        )
        rows.append(
            {
                "meting": f"teamgebieden MILP (HiGHS), wijkniveau, {n} teams",
                "schaal": "21 wijken (Haarlem)",
                "mediaan_s": secs,
                "extra": _note(areas),
            }
        )
    secs, areas = _median(
        lambda: geo.design_team_areas(profiles, 10, unit="buurt", **opts), max(reps, repeats)
    )
    rows.append(
        {
            "meting": "teamgebieden lokaal zoeken, buurtniveau, 10 teams",
            "schaal": "111 buurten (Haarlem)",
            "mediaan_s": secs,
            "extra": _note(areas),
        }
    )
    secs, areas = _median(
        lambda: geo.design_team_areas(
            profiles, 10, unit="buurt", method="milp", time_limit=30, **opts
        ),
        1,
    )
    rows.append(
        {
            "meting": "teamgebieden MILP (HiGHS), buurtniveau, 10 teams, limiet 30 s",
            "schaal": "111 buurten (Haarlem)",
            "mediaan_s": secs,
            "extra": _note(areas) + ", 1 keer gemeten",
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in (125, 250, 500, 1000):
            synth = _synthetic_profiles(n, Path(tmp))
            teams = max(2, round(n / 50))
            secs, areas = _median(
                lambda synth=synth, teams=teams: geo.design_team_areas(synth, teams, unit="buurt"),
                reps,
            )
            rows.append(
                {
                    "meting": f"teamgebieden lokaal zoeken, buurtniveau, {teams} teams",
                    "schaal": f"{len(synth.buurten)} buurten (SYNTHETISCH)",
                    "mediaan_s": secs,
                    "extra": _note(areas),
                }
            )
    return rows
