"""``wijkteam`` command line: profiles, formation, sweeps.

Exit codes: 0 success, 2 bad input (one line on stderr, no traceback), 3 infeasible
scenario (the explanation on a few lines).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import warnings
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, TextIO

import safeio
from wijkteam import _cmd_allocate, _cmd_areas, _cmd_scenario
from wijkteam._inputs import (
    EXIT_INPUT,
    EXIT_OK,
    add_data_args,
    input_paths,
    load_inputs,
)
from wijkteam._inputs import say as _say
from wijkteam._teams import own_teams

if TYPE_CHECKING:
    pass

__all__ = ["main"]


#: Bounds of the numeric options (sklearn seeds are 32-bit; more types than this is no typology).
MAX_TYPES = 50
MAX_SEED = 2**32 - 1


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"wijkteam: fout: {message}\n")
        raise SystemExit(EXIT_INPUT)


def _show_warning(message, category, filename, lineno, file=None, line=None):
    first = str(message).splitlines()[0] if str(message) else category.__name__
    sys.stderr.write(f"wijkteam: let op: {first}\n")


class _TerminalSafe:
    """A text stream that shows control characters as escapes (no raw ESC reaches a terminal)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(safeio.terminal_text(text))
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


@contextlib.contextmanager
def _terminal_safe() -> Iterator[None]:
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _TerminalSafe(out), _TerminalSafe(err)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def _types_arg(value: str) -> int | str:
    if value == "auto":
        return value
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--types {value!r}: geef een getal of 'auto'") from None
    if not 2 <= k <= MAX_TYPES:
        raise argparse.ArgumentTypeError(f"--types {k}: kies 2 tot en met {MAX_TYPES} of 'auto'")
    return k


def _seed_arg(value: str) -> int:
    try:
        seed = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seed {value!r}: geef een geheel getal") from None
    if not 0 <= seed <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"--seed {value}: kies 0 tot en met {MAX_SEED}")
    return seed


def run_national_profile(args: argparse.Namespace) -> int:
    """Run ``wijkteam profile --landelijk``: the typology of all buurten of the country."""
    import geo

    if args.gpkg or args.buurten or args.indicatoren or args.teams or args.gemeente:
        raise geo.ValidationError(
            "--landelijk gebruikt de landelijke RIVM-gegevens; laat --gpkg/--buurten/"
            "--indicatoren/--teams/--gemeente weg"
        )

    def progress(done: int, total: int, text: str) -> None:
        _say(f"    {done}/{total} {text}")

    _say("1/3 landelijke RIVM-gegevens laden…")
    values = geo.load_national(progress=progress)
    _say(f"2/3 typologie van {len(values)} buurten (standaardisatie: {args.standaardisatie})…")
    typology = geo.national_typology(
        values, standardise=args.standaardisatie, k=args.types, seed=args.seed, progress=progress
    )
    _say("3/3 tabellen schrijven…")
    written = geo.write_national_outputs(values, typology, args.out)
    counts = typology.labels.reindex(values.index).value_counts()
    print(
        f"{len(values)} buurten in {values['gemeentecode'].nunique()} gemeenten, "
        f"{typology.k} typen ({typology.reason})."
    )
    for name, n in counts.items():
        print(f"  {n:>6}  {name}")
    for path in written:
        print(path)
    return EXIT_OK


def run_profile(args: argparse.Namespace) -> int:
    """Run ``wijkteam profile``."""
    import geo

    if args.landelijk:
        return run_national_profile(args)

    _say("1/4 gegevens laden…")
    inputs = input_paths(args)
    dataset = own_teams(load_inputs(args))  # teams named as allocate and scenario name them
    themes = geo.load_themes(args.themas) if args.themas else None
    _say(
        f"2/4 indicatoren, thema's en typologie voor {dataset.gemeentenaam} "
        f"({len(dataset.buurten)} buurten)…"
    )
    profiles = geo.build_profiles(
        dataset, themes=themes, types=args.types, method=args.methode, log=args.log, seed=args.seed
    )
    _say("3/4 kaart en tabellen schrijven…")
    written = geo.write_profile_outputs(profiles, args.out, protect=inputs)
    teams = profiles.team.shares
    _say(
        f"4/4 klaar: {len(profiles.buurten)} buurten, {len(teams)} teams, "
        f"{profiles.typology.k} profieltypen ({profiles.typology.reason})."
    )
    for path in written:
        print(path)
    return EXIT_OK


def run_indicators(args: argparse.Namespace) -> int:
    """Print the indicator catalogue."""
    import geo

    frame = geo.catalogue_frame()
    print(frame[["omschrijving", "eenheid", "soort", "basis"]].to_string())
    return EXIT_OK


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="wijkteam",
        description="Profieltaarten en teamformatie voor sociale wijkteams uit open CBS/RIVM-data.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("profile", help="profielen, profieltaarten en typologie van de buurten")
    add_data_args(p)
    p.add_argument("--types", type=_types_arg, default="auto", help="aantal typen of 'auto'")
    p.add_argument("--methode", choices=["kmeans", "ward"], default="kmeans")
    p.add_argument("--log", action="store_true", help="log-transformatie voor clustering")
    p.add_argument("--seed", type=_seed_arg, default=42)
    p.add_argument(
        "--landelijk",
        action="store_true",
        help="typologie van alle 13.808 buurten van Nederland (RIVM 2020)",
    )
    p.add_argument(
        "--standaardisatie",
        choices=["nationaal", "gemeente"],
        default="nationaal",
        help="met --landelijk: z-scores over het land of binnen elke gemeente",
    )
    p.add_argument("--out", default="uitvoer", help="uitvoermap (standaard: uitvoer)")
    p.set_defaults(func=run_profile)
    c = sub.add_parser("indicatoren", help="toon de indicatorcatalogus")
    c.set_defaults(func=run_indicators)
    _cmd_allocate.add_parsers(sub)
    _cmd_scenario.add_parser(sub)
    _cmd_areas.add_parsers(sub)
    return parser


def _project_errors() -> tuple[type[BaseException], ...]:
    import geo
    import optimize

    return (geo.ValidationError, optimize.ValidationError, safeio.OutputError)


def _check_out(args: argparse.Namespace) -> None:
    """Refuse an unusable output folder before any work is done (``--out`` is a folder)."""
    if getattr(args, "out_is_file", False) or not getattr(args, "out", None):
        return
    safeio.check_output_dir(args.out)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv
        Arguments (default ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit code.
    """
    with _terminal_safe():
        parser = _build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # argparse: --help (0) or a bad option (2, said on stderr)
            return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_INPUT
        errors = _project_errors()
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            warnings.showwarning = _show_warning
            try:
                _check_out(args)
                return int(args.func(args))
            except errors as exc:
                text = str(exc).replace("\n", " ")
                sys.stderr.write(f"wijkteam: fout: {text}\n")
                return EXIT_INPUT
            except KeyboardInterrupt:
                sys.stderr.write("wijkteam: afgebroken\n")
                return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
