"""Benchmarks of the data layer at municipal (Haarlem, 111 buurten) and national scale.

National figures use the real RIVM Gezondheidsmonitor 2020 for all 13,808 buurten; the
national maps use SYNTHETIC geometry (geo.synthetic, 14,000 buurten in 342 gemeenten),
because no real national geometry ships with the project.
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
from geo import maps

K_RANGE = range(5, 11)
UNIT = {"gemeentecode": "gemeenten", "wijkcode": "wijken"}


def _median(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _mb(n_bytes: int) -> str:
    return f"{n_bytes / 1e6:.2f} MB HTML".replace(".", ",")


def _map_row(
    meting: str, schaal: str, build: Callable[[], Any], repeats: int, folder: Path, note: str
) -> dict:
    path = folder / "kaart.html"

    def run() -> int:
        geo.save_map(build(), path)
        return path.stat().st_size

    secs, size = _median(run, repeats)
    return {"meting": meting, "schaal": schaal, "mediaan_s": secs, "extra": f"{_mb(size)}{note}"}


def run(repeats: int) -> list[dict]:
    """Run the geo benchmarks; each row holds the median over ``repeats`` runs."""
    rows: list[dict] = []
    haarlem = geo.load_haarlem()
    profiles = geo.build_profiles(haarlem)
    used = list(profiles.typology.indicators)
    values = profiles.indicators.values[used]
    secs, typ = _median(lambda: geo.fit_typology(values, k_range=K_RANGE), repeats)
    rows.append(
        {
            "meting": "Typologie k-means, k=5–10 (Haarlem)",
            "schaal": f"{len(values)} buurten",
            "mediaan_s": secs,
            "extra": f"k = {typ.k}, {len(used)} indicatoren",
        }
    )
    secs, _ = _median(lambda: geo.build_profiles(haarlem), repeats)
    rows.append(
        {
            "meting": "Profielen + typologie, hele stap (Haarlem)",
            "schaal": f"{len(values)} buurten",
            "mediaan_s": secs,
            "extra": "build_profiles",
        }
    )

    secs, nl = _median(geo.load_national, repeats)
    n_bu = f"{len(nl):_} buurten".replace("_", ".")
    rows.append(
        {
            "meting": "RIVM 2020 landelijk inlezen (18+ en 65+)",
            "schaal": n_bu,
            "mediaan_s": secs,
            "extra": f"{nl['gemeentecode'].nunique()} gemeenten, echte cijfers",
        }
    )
    for mode in ("nationaal", "gemeente"):
        secs, typ = _median(
            lambda mode=mode: geo.national_typology(nl, standardise=mode, k_range=K_RANGE),
            repeats,
        )
        rows.append(
            {
                "meting": f"Landelijke typologie MiniBatch k-means, k=5–10 ({mode})",
                "schaal": n_bu,
                "mediaan_s": secs,
                "extra": f"k = {typ.k}, silhouet op steekproef van 2.000",
            }
        )

    def need() -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # thema jeugd: not in RIVM data
            return geo.national_team_need(nl)

    secs, table = _median(need, repeats)
    rows.append(
        {
            "meting": "Behoefte per thema, alle wijken van alle gemeenten",
            "schaal": n_bu,
            "mediaan_s": secs,
            "extra": f"{len(table):_} wijken (teams), gelijke basis per buurt".replace("_", "."),
        }
    )

    secs, synth = _median(lambda: geo.synthetic_buurten(full_schema=True), repeats)
    n_syn = f"{len(synth):_} buurten".replace("_", ".")
    rows.append(
        {
            "meting": "Synthetische landelijke buurten genereren",
            "schaal": n_syn,
            "mediaan_s": secs,
            "extra": f"{synth['gemeentecode'].nunique()} gemeenten, SYNTHETISCH",
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        gpkg = folder / "wijkenbuurten_synthetisch.gpkg"
        secs, _ = _median(lambda: geo.write_synthetic_gpkg(gpkg, buurten=synth), 1)
        rows.append(
            {
                "meting": "Synthetische landelijke GeoPackage schrijven (3 lagen)",
                "schaal": n_syn,
                "mediaan_s": secs,
                "extra": f"{gpkg.stat().st_size / 1e6:.0f} MB, 1 keer gemeten",
            }
        )
        gm = str(synth["gemeentecode"].value_counts().index[0])
        secs, (polys, _table) = _median(lambda: geo.read_cbs_gpkg(gpkg, gemeente=gm), repeats)
        rows.append(
            {
                "meting": "read_cbs_gpkg: één gemeente uit landelijke GeoPackage",
                "schaal": n_syn,
                "mediaan_s": secs,
                "extra": f"{gm}: {len(polys)} buurten (SYNTHETISCH)",
            }
        )

        rows.append(
            _map_row(
                "Kaart Haarlem (profile_map + opslaan)",
                f"{len(values)} buurten",
                lambda: geo.profile_map(profiles, column="index_financieel"),
                repeats,
                folder,
                "",
            )
        )
        cols = ["gemeentenaam", "aantalInwoners"]
        for by, tol, label in (
            ("gemeentecode", 200.0, "gemeenten, vereenvoudigd 200 m"),
            ("gemeentecode", 0.0, "gemeenten, niet vereenvoudigd"),
            ("wijkcode", 100.0, "wijken, vereenvoudigd 100 m"),
        ):

            def build(by: str = by, tol: float = tol) -> Any:
                areas = geo.national_areas(synth, by=by, tolerance=tol, columns=cols)
                return maps.national_map(
                    areas,
                    column="aantalInwoners",
                    label_column="gemeentenaam",
                    note="SYNTHETISCHE geometrie",
                )

            n_areas = synth[by].nunique()
            rows.append(
                _map_row(
                    f"Landelijke kaart ({label})",
                    f"{n_areas:_} {UNIT[by]}".replace("_", "."),
                    build,
                    repeats,
                    folder,
                    f", uit {n_syn} (synthetisch)",
                )
            )
    return rows
