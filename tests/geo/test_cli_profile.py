from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from geo import _paths
from wijkteam.cli import main


def _read(path):
    text = path.read_text(encoding="utf-8-sig")
    assert text.rstrip().splitlines()[-1].startswith("# Bron: CBS, RIVM, PDOK")
    return pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", comment="#")


def test_profile_default_haarlem(tmp_path, capsys) -> None:
    out = tmp_path / "uit"
    assert main(["profile", "--out", str(out)]) == 0
    buurten = _read(out / "buurten.csv")
    teams = _read(out / "teams_profiel.csv")
    metrics = _read(out / "typologie_k.csv")
    assert len(buurten) == 111
    assert buurten["buurtcode"].is_unique
    assert len(teams) == 10
    shares = teams.filter(like="aandeel_").sum(axis=1)
    assert shares.between(99.9, 100.1).all()
    assert (metrics["gekozen"] == "ja").sum() == 1
    assert {
        "buurtcode",
        "buurtnaam",
        "wijkcode",
        "team",
        "type",
        "index_financieel",
        "ingevuld_uit_wijk",
        "klein",
    } <= set(buurten.columns)
    assert "Bron: CBS" in (out / "kaart_profielen.html").read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert "4/4 klaar: 111 buurten, 10 teams" in err


def test_profile_other_municipality_gpkg_with_national_rivm(tmp_path) -> None:
    out = tmp_path / "ermelo"
    code = main(
        [
            "profile",
            "--gpkg",
            str(_paths.SAMPLES_DIR / "cbs_buurten_2021_GM0233.gpkg"),
            "--gemeente",
            "GM0233",
            "--indicatoren",
            str(_paths.NL_DIR / "rivm_50090NED_2020_18plus.csv.gz"),
            str(_paths.NL_DIR / "rivm_50090NED_2020_65plus.csv.gz"),
            "--out",
            str(out),
        ]
    )
    assert code == 0
    buurten = _read(out / "buurten.csv")
    assert len(buurten) == 16
    assert buurten["buurtcode"].str.startswith("BU0233").all()
    assert buurten["moeite_rondkomen"].notna().sum() >= 10


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--gpkg", "bestaat/niet.gpkg", "--gemeente", "GM0233"], "bestand bestaat niet"),
        (
            ["--gpkg", str(_paths.SAMPLES_DIR / "cbs_buurten_2021_GM0233.gpkg")],
            "Ermelo: geen enkele indicator heeft waarden",
        ),
        (
            [
                "--gpkg",
                str(_paths.SAMPLES_DIR / "cbs_buurten_2021_GM0233.gpkg"),
                "--gemeente",
                "GM0392",
            ],
            "GM0392 komt niet voor",
        ),
        (["--types", "veel"], "'veel'"),
        (["--teams", str(_paths.HAARLEM_DIR / "haarlem_kwb.csv")], "kolom 'team' ontbreekt"),
    ],
)
def test_profile_bad_input_one_line_exit_2_no_output(tmp_path, args, message) -> None:
    out = tmp_path / "uit"
    proc = subprocess.run(
        [sys.executable, "-m", "wijkteam", "profile", *args, "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    lines = [x for x in proc.stderr.splitlines() if x.startswith("wijkteam: fout")]
    assert len(lines) == 1
    assert message in lines[0]
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_profile_never_overwrites_an_input_file(tmp_path) -> None:
    teams = tmp_path / "teams_profiel.csv"
    original = (_paths.HAARLEM_DIR / "werkgebieden_indicatief.csv").read_text(encoding="utf-8")
    teams.write_text(original, encoding="utf-8")
    assert main(["profile", "--teams", str(teams), "--out", str(tmp_path)]) == 2
    assert teams.read_text(encoding="utf-8") == original


def test_profile_landelijk_writes_the_national_typology(tmp_path, capsys):
    assert (
        main(["profile", "--landelijk", "--standaardisatie", "gemeente", "--out", str(tmp_path)])
        == 0
    )
    out = capsys.readouterr()
    assert "13808 buurten in 355 gemeenten" in out.out
    assert "per gemeente" in out.out or "gemeente" in out.out
    table = pd.read_csv(
        tmp_path / "typologie_nl.csv", sep=";", decimal=",", comment="#", dtype={"buurtcode": str}
    )
    assert len(table) == 13_808
    assert table["type"].notna().all()
    assert table["buurtcode"].str.startswith("BU").all()


def test_profile_landelijk_rejects_local_inputs(tmp_path, capsys):
    assert main(["profile", "--landelijk", "--gemeente", "GM0392", "--out", str(tmp_path)]) == 2
    assert "--landelijk gebruikt de landelijke RIVM-gegevens" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())
