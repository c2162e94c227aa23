"""Every file of the hostile-input corpus ends in the expected one-line message (CLI).

The app's upload path runs the same corpus in ``tests/app`` (see the ``app`` key).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import sys
import tomllib
from pathlib import Path

import openpyxl
import pytest

import safeio
from geo import _paths
from wijkteam.cli import main

BAD = Path(__file__).resolve().parent / "data" / "bad"
CASES = tomllib.loads((BAD / "MANIFEST.toml").read_text(encoding="utf-8"))["geval"]
KINDS = {
    "toml-structuur",
    "getalbereik",
    "bestandssysteem",
    "injectie",
    "uitvoerveiligheid",
    "tabellen",
    "codering-compressie",
    "geometrie",
}
_NUMBER = re.compile(r"^-?\d+([.,]\d+)?(e[+-]?\d+)?$")


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 130
    files = {p.name for p in BAD.iterdir()} - {"MANIFEST.toml"}
    used = {Path(a).name for c in CASES for a in c["args"] if a.startswith("{bad}/")}
    used -= {"bestaat_niet.toml"}  # a case about a missing file
    assert not (used - files), "manifest names files that do not exist"
    by_kind = {k: sum(c.get("soort") == k for c in CASES) for k in KINDS}
    assert all(n >= 4 for n in by_kind.values()), by_kind
    assert len({c["naam"] for c in CASES}) == len(CASES), "case names must be unique"


def test_committed_toml_files_are_what_the_generator_makes() -> None:
    """The corpus scenarios are edits of a minimal scenario (or of the default): never stale."""
    sys.path.insert(0, str(BAD.parent))
    try:
        import make_bad_corpus as make
    finally:
        sys.path.remove(str(BAD.parent))
    expected = {**make.scenario_texts(), **make.THEME_TEXTS}
    for name, text in expected.items():
        assert (BAD / name).read_text(encoding="utf-8") == text, f"regenerate {name}"


def _prepare(case: dict, tmp_path: Path) -> Path:
    """Make the output situation the case asks for (``opzet``); return the output path."""
    uit = tmp_path / "uit"
    setup = case.get("opzet", "")
    if setup == "uit_is_bestand":
        uit.write_text("een bestaand bestand van de gebruiker\n", encoding="utf-8")
    elif setup == "uit_is_map":
        uit.mkdir()
    elif setup == "uit_is_kapotte_koppeling":
        uit.symlink_to(tmp_path / "bestaat-niet")
    elif setup.startswith("map:"):
        (uit / setup[4:]).mkdir(parents=True)
    elif setup.startswith("teams:"):
        uit.mkdir()
        shutil.copy(_paths.HAARLEM_DIR / "werkgebieden_indicatief.csv", uit / setup[6:])
    return uit


def _args(case: dict, tmp_path: Path, uit: Path) -> list[str]:
    big = tmp_path / "groot.csv"
    if any("{groot}" in a for a in case["args"]):
        with big.open("wb") as fh:  # sparse: no disk used
            fh.truncate(300 * 1024 * 1024)
    big_toml = tmp_path / "groot_scenario.toml"
    if any("{groot_scenario}" in a for a in case["args"]):
        big_toml.write_text("naam = 'groot'\n" + "# opvulling\n" * 100_000, encoding="utf-8")
    args = [
        a.replace("{bad}", str(BAD))
        .replace("{haarlem}", str(_paths.HAARLEM_DIR))
        .replace("{groot_scenario}", str(big_toml))
        .replace("{groot}", str(big))
        .replace("{uit}", str(uit))
        for a in case["args"]
    ]
    return args if "--out" in args else [*args, "--out", str(uit)]


def _tree(root: Path) -> dict[str, bytes | str]:
    out: dict[str, bytes | str] = {}
    for p in sorted(root.rglob("*")):
        if p.is_symlink():
            out[str(p)] = "-> " + str(p.readlink())
        elif p.is_file():
            out[str(p)] = p.read_bytes()
        elif p.is_dir():
            out[str(p)] = "dir"
    return out


def _no_formulas(folder: Path) -> None:
    for book in folder.glob("*.xlsx"):
        wb = openpyxl.load_workbook(book)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (book.name, ws.title, cell.coordinate)
                    v = cell.value
                    if isinstance(v, str) and v.startswith(safeio.FORMULA_START):
                        assert cell.quotePrefix, (book.name, ws.title, cell.coordinate, v)
                    if isinstance(v, str):
                        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", v), v
    for table in folder.glob("*.csv"):
        text = table.read_text(encoding="utf-8-sig")
        assert "\x1b" not in text, table.name
        assert "\x0b" not in text, table.name
        for row in csv.reader(io.StringIO(text), delimiter=";"):
            for field in row:
                if field.startswith(safeio.FORMULA_START) and not _NUMBER.match(field):
                    pytest.fail(f"{table.name}: formula-like cell {field!r}")


@pytest.mark.parametrize("case", CASES, ids=[c["naam"] for c in CASES])
def test_corpus_case(case: dict, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _prepare(case, tmp_path)
    args = _args(case, tmp_path, out)
    before = {p: p.read_bytes() for p in BAD.iterdir() if p.is_file()}
    tree = _tree(tmp_path)
    code = main(args)
    captured = capsys.readouterr()
    err = captured.err
    assert code == case["exit"], err
    assert "Traceback" not in err
    lines = [x for x in err.splitlines() if x.startswith("wijkteam: fout")]
    if "geen_stuurtekens" in case.get("controle", []):
        shown = captured.out + err
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", shown.replace("\n", "")), shown
    if case["exit"] == 3:  # infeasible: the explanation on one or a few lines
        lines = [x for x in err.splitlines() if x.startswith("wijkteam: onhaalbaar")]
        assert 1 <= len(lines) <= 12, err
        assert case["melding"] in " ".join(lines)
        assert _tree(tmp_path) == tree, "no (partial) output after an error"
    elif case["exit"] != 0:
        assert len(lines) == 1, err
        assert err.rstrip().splitlines()[-1] == lines[0]
        assert case["melding"] in lines[0]
        assert _tree(tmp_path) == tree, "no (partial) output after an error"
    else:
        assert not lines
        if "waarschuwing" in case:
            assert case["waarschuwing"] in err
        for html in out.glob("*.html"):
            text = html.read_text(encoding="utf-8")
            assert "<script>alert" not in text
            assert "<img src=x" not in text
            assert "\x1b" not in text
        if "geen_formules" in case.get("controle", []):
            assert any(out.glob("*.csv")), "the case must write outputs"
            _no_formulas(out)
    after = {p: p.read_bytes() for p in BAD.iterdir() if p.is_file()}
    assert after == before, "input files must never change"
