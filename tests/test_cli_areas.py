"""``wijkteam teamgebieden`` end to end, and the formation on the designed areas."""

from __future__ import annotations

import pandas as pd
import pytest

import geo
import optimize
from wijkteam._cmd_areas import buurt_workload
from wijkteam.cli import main


def test_workload_matches_the_optimiser_targets_on_todays_teams(haarlem_profiles):
    p = haarlem_profiles
    scenario = optimize.load_scenario()
    workload, base = buurt_workload(p, scenario)
    teams = p.buurten["team"]
    ours = workload.groupby(teams).sum() + base / teams.nunique()
    targets = optimize.need_targets(p.team_need(), scenario).sum(axis=1)
    # the figures: 200 (Molenwijk) to 410 (Slachthuisbuurt & Amsterdamsebuurten)
    assert targets.min() == pytest.approx(200, abs=1)
    assert targets.max() == pytest.approx(410, abs=1)
    # additive up to the complexity factor evaluated per buurt instead of per team
    assert ours.sum() == pytest.approx(targets.sum(), rel=1e-9)
    assert (ours / targets.reindex(ours.index) - 1).abs().max() < 0.03


def test_teamgebieden_writes_outputs_and_allocate_runs_on_them(tmp_path, capsys):
    out = tmp_path / "gebieden"
    assert main(["teamgebieden", "--aantal", "10", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "milp" in text
    assert "bewezen optimaal" in text
    assert sorted(p.name for p in out.iterdir()) == [
        "kaart_teamgebieden.html",
        "teambalans.csv",
        "teamgebieden.csv",
    ]
    table = pd.read_csv(out / "teamgebieden.csv", sep=";", dtype=str)
    assert len(table) == 111
    assert table["team"].nunique() == 10
    balance = (out / "teambalans.csv").read_text(encoding="utf-8-sig")
    assert "Werklast (doeluren per week)" in balance
    assert "Bron: CBS" in balance
    html = (out / "kaart_teamgebieden.html").read_text()
    assert "Huidige teamgebieden" in html
    assert "Bron: CBS" in html
    # the team table reads back and the formation runs on it unchanged
    assert main(["allocate", "--teams", str(out / "teamgebieden.csv"), "--out", str(tmp_path)]) == 0
    formation = pd.read_csv(
        tmp_path / "formatie.csv", sep=";", decimal=",", comment="#", encoding="utf-8-sig"
    )
    assert set(formation["Team"]) == set(table["team"])
    assert "Status: optimaal" in capsys.readouterr().out


def test_teamgebieden_comparison_table_at_buurt_level(tmp_path, capsys):
    code = main(
        [
            "teamgebieden",
            "--aantal",
            "12",
            "--niveau",
            "buurt",
            "--vergelijk",
            "11",
            "13",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    text = (tmp_path / "aantal_teams.csv").read_text(encoding="utf-8-sig")
    assert "Professionals per team" in text
    assert "# Voorstel:" in text
    assert "Bron: CBS" in text
    frame = pd.read_csv(
        tmp_path / "aantal_teams.csv", sep=";", decimal=",", comment="#", encoding="utf-8-sig"
    )
    assert list(frame["Aantal teams"]) == [11, 12, 13]
    assert "Voorstel:" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--aantal", "30"], "meer vrije teams"),
        (["--aantal", "3", "--vastzetten", "Bestaat niet"], "bestaat niet"),
        (["--aantal", "nul"], "geen geheel getal"),
    ],
)
def test_teamgebieden_bad_input_one_line(tmp_path, capsys, args, message):
    out = tmp_path / "uit"
    try:
        code = main(["teamgebieden", *args, "--out", str(out)])
    except SystemExit as exc:  # argparse rejects the value before the command runs
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("wijkteam: fout:")]
    assert len(lines) == 1
    assert message in lines[0]
    assert "Traceback" not in err
    assert not out.exists()


def test_teamgebieden_never_overwrites_an_input(tmp_path):
    teams = tmp_path / "teamgebieden.csv"
    src = geo.load_haarlem().teams
    teams.write_text("buurtcode,team\n" + "".join(f"{c},{t}\n" for c, t in src.items()))
    before = teams.read_bytes()
    assert main(["teamgebieden", "--aantal", "5", "--teams", str(teams), "--out", str(tmp_path)])
    assert teams.read_bytes() == before


def test_teamgebieden_refuses_a_file_as_out_before_any_work(tmp_path, capsys):
    target = tmp_path / "bestand"
    target.write_text("x", encoding="utf-8")
    assert main(["teamgebieden", "--aantal", "10", "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].startswith("wijkteam: fout: --out")
    assert "gegevens" not in err
    assert target.read_text(encoding="utf-8") == "x"


def test_teamgebieden_on_another_municipality_without_youth_data(tmp_path, capsys):
    # Ermelo (CBS 2021 extract) with the RIVM monitor only: the theme jeugd has no data and
    # is spread evenly, as `wijkteam allocate` does, instead of an unknown-theme error
    data = [
        *("--gpkg", "data/samples/cbs_buurten_2021_GM0233.gpkg", "--gemeente", "GM0233"),
        "--indicatoren",
        "data/nl/rivm_50090NED_2020_18plus.csv.gz",
        "data/nl/rivm_50090NED_2020_65plus.csv.gz",
    ]
    out = tmp_path / "erm"
    assert (
        main(["teamgebieden", "--aantal", "3", "--niveau", "buurt", *data, "--out", str(out)]) == 0
    )
    table = pd.read_csv(out / "teamgebieden.csv", sep=";", dtype=str, encoding="utf-8-sig")
    assert table["team"].nunique() == 3
    assert table["buurtcode"].str.startswith("BU0233").all()
    capsys.readouterr()
    args = ["allocate", "--teams", str(out / "teamgebieden.csv"), *data, "--out", str(tmp_path)]
    assert main(args) == 0
    assert "Status: optimaal" in capsys.readouterr().out
