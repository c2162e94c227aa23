"""``wijkteam scenario`` then ``wijkteam allocate``: a formation on a municipality's own teams."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from geo import _paths
from wijkteam.cli import main

FIXTURES = Path(__file__).resolve().parent / "data"
ERMELO = [
    "--gpkg",
    str(_paths.SAMPLES_DIR / "cbs_buurten_2021_GM0233.gpkg"),
    "--gemeente",
    "GM0233",
    "--indicatoren",
    str(_paths.NL_DIR / "rivm_50090NED_2020_18plus.csv.gz"),
    str(_paths.NL_DIR / "rivm_50090NED_2020_65plus.csv.gz"),
    str(FIXTURES / "real_formats" / "statline_kwb2017_83765NED_ermelo_amsterdam.csv"),
]


#: Ermelo's two wijken as the loaders label them when the file has no wijk name (CBS's own
#: form "Wijk NN <first buurt>"), never the bare code WK023300.
TEAMS = ["Wijk 00 Ermelo", "Wijk 01 Speuld"]


@pytest.fixture(scope="module")
def ermelo_scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ermelo") / "ermelo.toml"
    assert main(["scenario", *ERMELO, "--out", str(path)]) == 0
    return path


def test_scenario_fits_ermelo(ermelo_scenario: Path) -> None:
    raw = tomllib.loads(ermelo_scenario.read_text(encoding="utf-8"))
    assert sorted(raw["huidig"]) == TEAMS  # wijk names, not WK023300
    assert "cjg_coach" not in raw["discipline"]  # no 'jeugd' data: left out, said so
    text = ermelo_scenario.read_text(encoding="utf-8")
    assert "cjg_coach (CJG-coach) weggelaten" in text
    assert "Haarlem-norm" in text
    themes = {t for d in raw["discipline"].values() for t in d["behoefte"]}
    assert "jeugd" not in themes
    # 2017 StatLine: 26,980 inhabitants in Ermelo's buurten; the norm 5,920,000 / 167,636
    assert raw["budget"] == round(5_920_000 / 167_636 * 26_980, -3)


def test_allocate_on_the_own_scenario_uses_ermelos_teams(
    ermelo_scenario: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "uit"
    assert main(["allocate", *ERMELO, "--scenario", str(ermelo_scenario), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "standaardscenario" not in captured.err
    assert "past niet" not in captured.err
    data = json.loads((out / "allocatie.json").read_text(encoding="utf-8"))
    assert {row["team"] for row in data["formatie"]} == set(TEAMS)
    assert "WK0233" not in (out / "formatie.csv").read_text(encoding="utf-8-sig")
    assert "Ermelo" in captured.out


def test_allocate_warns_when_the_default_scenario_does_not_fit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["allocate", *ERMELO, "--out", str(tmp_path / "uit")]) == 0
    err = capsys.readouterr().err
    line = next(x for x in err.splitlines() if "standaardscenario" in x)
    assert line.startswith("wijkteam: let op: het standaardscenario is gemaakt voor Haarlem")
    assert f"2 teams ({', '.join(TEAMS)})" in line
    assert "wijkteam scenario" in line


def test_allocate_warns_when_a_scenarios_teams_are_not_in_the_data(
    ermelo_scenario: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Ermelo's scenario on Haarlem's data: ten other teams
    code = main(["allocate", "--scenario", str(ermelo_scenario), "--out", str(tmp_path / "u")])
    err = capsys.readouterr().err
    warning = next(x for x in err.splitlines() if "past niet op de teams" in x)
    assert f"teams van het scenario niet in de gegevens: {', '.join(TEAMS)}" in warning
    assert "wijkteam scenario" in warning
    assert code in (0, 2)


def test_summary_says_what_the_largest_shortfall_means(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["allocate", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("Grootste tekort"))
    assert "het budget niet betaalt" in line
    assert "grenzen per team" in line
    assert "dekking van" in line


def test_scenario_with_a_given_budget_on_the_gpkg_and_rivm_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rivm_only = ERMELO[:-1]
    out = tmp_path / "s.toml"
    assert main(["scenario", *rivm_only, "--budget", "900.000", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert tomllib.loads(text)["budget"] == 900_000
    assert "opgegeven met --budget" in text
    assert ", ".join(TEAMS) in capsys.readouterr().out


def test_scenario_never_overwrites_unless_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mijn.toml"
    out.write_text("# mijn eigen scenario\n", encoding="utf-8")
    assert main(["scenario", "--out", str(out)]) == 2
    assert "bestaat al" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "# mijn eigen scenario\n"
    assert main(["scenario", "--out", str(out), "--overschrijven"]) == 0
    raw = tomllib.loads(out.read_text(encoding="utf-8"))
    assert len(raw["huidig"]) == 10  # Haarlem's ten (indicative) teams
    assert raw["budget"] == pytest.approx(5_920_000, rel=1e-3)  # norm x Haarlem inhabitants


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.mkdir(), "is een map"),
        (lambda p: p.symlink_to(p.parent / "weg.toml"), "symbolische koppeling"),
    ],
)
def test_scenario_out_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make, message: str
) -> None:
    out = tmp_path / "s.toml"
    make(out)
    assert main(["scenario", "--out", str(out)]) == 2
    assert message in capsys.readouterr().err


def test_scenario_with_current_hours(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "huidig.csv"
    pd.DataFrame(
        {"team": ["Meerwijk", "Molenwijk"], "discipline": ["wmo", "ggz"], "uren": ["30,5", "12"]}
    ).to_csv(csv, sep=";", index=False)
    out = tmp_path / "s.toml"
    assert main(["scenario", "--huidig", str(csv), "--out", str(out)]) == 0
    raw = tomllib.loads(out.read_text(encoding="utf-8"))
    assert raw["huidig"]["Meerwijk"]["wmo"] == 30.5
    assert raw["huidig"]["Molenwijk"]["ggz"] == 12.0
    bad = tmp_path / "fout.csv"
    bad.write_text("team;discipline;uren\nNergens;wmo;3\n", encoding="utf-8")
    assert main(["scenario", "--huidig", str(bad), "--out", str(tmp_path / "t.toml")]) == 2
    err = capsys.readouterr().err
    assert "fout.csv: team(s) 'Nergens' komen niet voor" in err


REAL = FIXTURES / "real_formats"
OTHER = {
    "Velsen": ["--gpkg", str(REAL / "wbk2015_buurt_velsen.gpkg"), "--gemeente", "GM0453"],
    "Amsterdam": [
        "--indicatoren",
        str(REAL / "statline_web_kwb2019_84583NED_GM0363_r_resaved.csv"),
        "--gemeente",
        "GM0363",
    ],
}


@pytest.mark.parametrize("gemeente", sorted(OTHER))
def test_scenario_then_allocate_on_another_municipality(
    gemeente: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = OTHER[gemeente]
    scenario = tmp_path / f"{gemeente}.toml"
    assert main(["scenario", *data, "--out", str(scenario)]) == 0
    raw = tomllib.loads(scenario.read_text(encoding="utf-8"))
    teams = set(raw["huidig"])
    assert len(teams) > 1
    assert not any(t.startswith(("WK", "BU")) for t in teams), teams  # names, not codes
    assert raw["naam"].startswith(gemeente)
    out = tmp_path / "uit"
    assert main(["allocate", *data, "--scenario", str(scenario), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "standaardscenario" not in err
    assert "past niet" not in err
    result = json.loads((out / "allocatie.json").read_text(encoding="utf-8"))
    assert {row["team"] for row in result["formatie"]} == teams
    assert result["budget"] == raw["budget"]
