"""Run every benchmark module in ``bench/`` and print one table of medians.

Each ``bench/bench_*.py`` defines ``run(repeats: int) -> list[dict]``; every row has the
keys ``meting`` (what was measured), ``schaal`` (size, e.g. "111 buurten"),
``mediaan_s`` (median seconds over the repeats) and optionally ``extra`` (a short note,
e.g. an HTML size or a ratio). Results are also written to ``bench/results/latest.csv``.

Usage: ``python bench/run.py [--repeats N] [--only NAME]``.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _modules(only: str | None) -> list[Path]:
    paths = sorted(HERE.glob("bench_*.py"))
    if only:
        paths = [p for p in paths if only in p.stem]
    return paths


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:  # pragma: no cover
        raise ImportError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    """Run the benchmarks and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--only", default=None)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE.parent))
    rows: list[dict] = []
    for path in _modules(args.only):
        print(f"# {path.stem} …", file=sys.stderr, flush=True)
        for row in _load(path).run(args.repeats):
            row = {"module": path.stem.removeprefix("bench_"), **row}
            rows.append(row)
            extra = f" ({row['extra']})" if row.get("extra") else ""
            print(
                f"  {row['meting']:<55} {row['schaal']:<22} {row['mediaan_s'] * 1000:>10.2f} ms"
                f"{extra}",
                file=sys.stderr,
                flush=True,
            )
    print(
        f"\nMachine: {platform.machine()}, Python {platform.python_version()}, "
        f"mediaan over {args.repeats} herhalingen\n"
    )
    print("| meting | schaal | mediaan | opmerking |")
    print("|---|---|---:|---|")
    for row in rows:
        ms = row["mediaan_s"] * 1000
        shown = f"{ms:.2f} ms" if ms < 1000 else f"{ms / 1000:.2f} s"
        print(f"| {row['meting']} | {row['schaal']} | {shown} | {row.get('extra', '')} |")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    with (out / "latest.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["module", "meting", "schaal", "mediaan_s", "extra"])
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in writer.fieldnames})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
