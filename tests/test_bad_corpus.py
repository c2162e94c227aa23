"""Every file of the hostile-input corpus ends in the expected one-line message (CLI).

The app's upload path runs the same corpus in ``tests/app`` (see the ``app`` key).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from geo import _paths
from wijkteam.cli import main

BAD = Path(__file__).resolve().parent / "data" / "bad"
CASES = tomllib.loads((BAD / "MANIFEST.toml").read_text(encoding="utf-8"))["geval"]


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 25
    files = {p.name for p in BAD.iterdir()} - {"MANIFEST.toml"}
    used = {Path(a).name for c in CASES for a in c["args"] if a.startswith("{bad}")}
    assert not (used - files), "manifest names files that do not exist"


def _args(case: dict, tmp_path: Path) -> list[str]:
    big = tmp_path / "groot.csv"
    if any("{groot}" in a for a in case["args"]):
        with big.open("wb") as fh:  # sparse: no disk used
            fh.truncate(300 * 1024 * 1024)
    return [
        a.replace("{bad}", str(BAD))
        .replace("{haarlem}", str(_paths.HAARLEM_DIR))
        .replace("{groot}", str(big))
        for a in case["args"]
    ]


@pytest.mark.parametrize("case", CASES, ids=[c["naam"] for c in CASES])
def test_corpus_case(case: dict, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "uit"
    before = {p: p.read_bytes() for p in BAD.iterdir() if p.is_file()}
    code = main([*_args(case, tmp_path), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == case["exit"], err
    assert "Traceback" not in err
    lines = [x for x in err.splitlines() if x.startswith("wijkteam: fout")]
    if case["exit"] == 3:  # infeasible: the explanation on one or a few lines
        lines = [x for x in err.splitlines() if x.startswith("wijkteam: onhaalbaar")]
        assert 1 <= len(lines) <= 12, err
        assert case["melding"] in " ".join(lines)
        assert not out.exists(), "no (partial) output after an error"
    elif case["exit"] != 0:
        assert len(lines) == 1, err
        assert err.rstrip().splitlines()[-1] == lines[0]
        assert case["melding"] in lines[0]
        assert not out.exists(), "no (partial) output after an error"
    else:
        assert not lines
        if "waarschuwing" in case:
            assert case["waarschuwing"] in err
        for html in out.glob("*.html"):
            text = html.read_text(encoding="utf-8")
            assert "<script>alert" not in text
            assert "<img src=x" not in text
    after = {p: p.read_bytes() for p in BAD.iterdir() if p.is_file()}
    assert after == before, "input files must never change"
