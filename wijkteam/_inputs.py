"""What every ``wijkteam`` subcommand shares: exit codes, progress lines, the data options.

The subcommand modules (``_cmd_allocate``, ``_cmd_scenario``, ``_cmd_areas``) and ``cli``
import from here, so the dependency runs one way: ``cli`` → ``_cmd_*`` → ``_inputs``.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import geo

__all__ = [
    "EXIT_INFEASIBLE",
    "EXIT_INPUT",
    "EXIT_OK",
    "add_data_args",
    "input_paths",
    "load_inputs",
    "say",
]

EXIT_OK, EXIT_INPUT, EXIT_INFEASIBLE = 0, 2, 3


def say(text: str) -> None:
    """Print a progress line on stderr (stdout stays for the results)."""
    print(text, file=sys.stderr, flush=True)


def add_data_args(p: argparse.ArgumentParser) -> None:
    """Add the data options that :func:`load_inputs` reads (``--gpkg``, ``--buurten``…)."""
    p.add_argument("--gpkg", help="CBS Wijk- en buurtkaart (GeoPackage of GeoJSON, elk jaar)")
    p.add_argument("--gemeente", help="gemeentecode, bijv. GM0392")
    p.add_argument("--buurten", help="buurtpolygonen (GeoJSON/GeoPackage/shapefile)")
    p.add_argument(
        "--indicatoren",
        nargs="+",
        help="CBS StatLine-tabellen (OData, websitedownload, opnieuw opgeslagen) of "
        "RIVM-CSV's; zonder polygonen: profielen zonder kaart",
    )
    p.add_argument("--teams", help="tabel buurt/wijk → team (CSV)")
    p.add_argument("--themas", help="themaconfiguratie (TOML), standaard data/themas.toml")


def input_paths(args: argparse.Namespace) -> list[str]:
    """Return every input file the options name, so that no output overwrites one."""
    named = (args.gpkg, args.buurten, args.teams, args.themas, getattr(args, "scenario", None))
    return [p for p in named if p] + list(args.indicatoren or [])


def load_inputs(args: argparse.Namespace) -> geo.Dataset:
    """Load the dataset the data options name (``--gpkg``/``--buurten``…), else Haarlem."""
    import geo

    return geo.load_inputs(
        gpkg=args.gpkg,
        gemeente=args.gemeente,
        buurten=args.buurten,
        indicatoren=args.indicatoren or (),
        teams=args.teams,
    )
