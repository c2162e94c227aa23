"""``wijkteam allocate`` and ``wijkteam sweep`` end to end, with exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from wijkteam.cli import main


def test_allocate_writes_outputs_and_summary(tmp_path, capsys):
    assert main(["allocate", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Meerwijk" in out
    assert "Status: optimaal" in out
    assert "Bron: CBS" in out
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["allocatie.json", "formatie.csv", "formatie.xlsx", "kaart_formatie.html"]
    data = json.loads((tmp_path / "allocatie.json").read_text())
    assert data["budget"] == 5_920_000
    html = (tmp_path / "kaart_formatie.html").read_text()
    assert "Bron: CBS" in html
    assert "Meerwijk" in html


def test_allocate_summary_table_uses_dutch_decimals(tmp_path, capsys):
    # the team table printed the hours as 351.7 while every sentence under it wrote 351,7
    assert main(["allocate", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    data = json.loads((tmp_path / "allocatie.json").read_text())
    meerwijk = sum(row["uren"] for row in data["formatie"] if row["team"] == "Meerwijk")
    line = next(x for x in out.splitlines() if x.startswith("Meerwijk "))
    assert line.split()[1] == f"{meerwijk:.1f}".replace(".", ",")
    total = sum(row["uren"] for row in data["formatie"])
    expected = f"{total:,.1f}".replace(",", "_").replace(".", ",").replace("_", ".")
    assert next(x for x in out.splitlines() if x.startswith("totaal ")).split()[1] == expected


def test_allocate_budget_and_milp(tmp_path, capsys):
    assert (
        main(["allocate", "--budget", "5.000.000", "--mode", "milp", "--out", str(tmp_path)]) == 0
    )
    data = json.loads((tmp_path / "allocatie.json").read_text())
    assert data["budget"] == 5_000_000
    assert data["modus"] == "milp"
    assert data["gap"] is not None
    hours = [row["uren"] for row in data["formatie"] if row["discipline"] != "maatschappelijk_werk"]
    assert all(abs(h / 4 - round(h / 4)) < 1e-6 for h in hours)


def test_allocate_explains_only_what_a_fresh_solve_confirms(tmp_path, capsys):
    # issue 8, defect 1: after warm re-solves at +/- 50,000 the old code claimed the budget
    # binds and that 50,000 less raises the shortfall to 20%; fresh solves give 0%
    assert main(["allocate", "--budget", "7886000", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Status: optimaal" in out
    assert "Het budget is bindend" not in out
    assert "20%" not in out
    assert "- Met €50.000 minder budget blijft de formatie gelijk." in out


def test_allocate_milp_reports_persons_from_the_solver(tmp_path, capsys):
    assert main(["allocate", "--mode", "milp", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    data = json.loads((tmp_path / "allocatie.json").read_text())
    persons = sum(row["personen"] for row in data["formatie"])
    assert f"{int(persons)} personen (door de oplosser gekozen" in out
    assert data["niet_in_blokken"] == []


def test_allocate_infeasible_exits_3_without_outputs(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "wijkteam",
            "allocate",
            "--budget",
            "1000000",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    assert "minimale bezetting kost €2.959.996" in proc.stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["allocate", "--budget", "veel"], "'veel' is geen bedrag"),
        (["allocate", "--mode", "quantum"], "invalid choice"),
        (["sweep", "--budget-min", "6000000", "--budget-max", "5000000"], "kleiner dan"),
        (["sweep", "--budget-min", "1", "--budget-max", "2", "--steps", "1"], "tussen 2 en"),
        (["allocate", "--scenario", "bestaat-niet.toml"], "kan scenario niet lezen"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(args, message, capsys, tmp_path):
    try:
        code = main([*args, "--out", str(tmp_path)])
    except SystemExit as exc:  # argparse errors leave through SystemExit
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()[-1]) > 0
    assert "Traceback" not in err


def test_sweep_writes_csv_and_chart(tmp_path, capsys):
    args = ["sweep", "--budget-min", "4000000", "--budget-max", "6500000", "--steps", "6"]
    assert main([*args, "--out", str(tmp_path)]) == 0
    raw = (tmp_path / "sweep.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, as the other exports: Excel reads € right
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Budget (€);Grootste tekort")
    assert len(text.strip().splitlines()) == 1 + 6 + 1
    assert (tmp_path / "sweep.png").read_bytes()[:4] == b"\x89PNG"
    out = capsys.readouterr().out
    assert "haalbaar vanaf €4.000.000" in out
    # the default budget exactly pays the need: from the first step at or above it, no shortfall
    assert "Vanaf €6.000.000 is er geen tekort meer door het budget" in out


def test_allocate_all_municipalities(tmp_path, capsys):
    assert main(["allocate", "--alle-gemeenten", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr()
    assert "355 van 355 gemeenten" in out.out
    assert "355/355" in out.err  # progress
    summary = (tmp_path / "formatie_gemeenten.csv").read_text(encoding="utf-8-sig")
    lines = summary.strip().splitlines()
    assert lines[0].startswith("gemeente;teams;budget;status")
    assert len(lines) == 1 + 355 + 1
    assert lines[-1].startswith("# Bron: RIVM")
