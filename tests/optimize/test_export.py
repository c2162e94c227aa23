"""Exports: Dutch CSV, Excel workbook layout, JSON, atomic writes, protected inputs."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from openpyxl import load_workbook

import optimize


@pytest.fixture(scope="module")
def result():
    from tests.conftest import _haarlem_profiles

    return optimize.solve(optimize.load_scenario(), _haarlem_profiles().team_need())


def test_csv_is_dutch_and_complete(result):
    data = optimize.formation_csv_bytes(result)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    frame = pd.read_csv(io.StringIO(text), sep=";", decimal=",", comment="#")
    assert len(frame) == 10 * 11
    assert {
        "Team",
        "Discipline",
        "Uren per week",
        "Kosten per jaar (€)",
        "Dekking behoefte",
    } <= set(frame.columns)
    assert frame["Uren per week"].sum() == pytest.approx(result.table["uren"].sum(), rel=1e-4)
    assert "Bron: CBS" in text


def test_workbook_sheets_headers_and_formats(result):
    wb = load_workbook(io.BytesIO(optimize.formation_xlsx_bytes(result)))
    assert wb.sheetnames == [
        "Formatie per team",
        "Per discipline",
        "Totalen per discipline",
        "Totalen per team",
        "Dekking",
        "Alle cellen",
        "Scenario",
        "Disciplines",
        "Toelichting",
        "Bronnen",
    ]
    ws = wb["Formatie per team"]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].value == "Team"
    assert ws["A1"].font.bold
    headers = [c.value for c in ws[1]]
    assert "Expertise GGZ" in headers
    assert "Totaal uren" in headers
    assert ws.max_row == 11
    cells = wb["Alle cellen"]
    kosten_col = [c.value for c in cells[1]].index("Kosten per jaar (€)") + 1
    assert cells.cell(row=2, column=kosten_col).number_format == "#,##0"
    assert "Bron: CBS" in wb["Bronnen"]["A2"].value
    params = {r[0]: r[1] for r in wb["Scenario"].iter_rows(min_row=2, values_only=True)}
    assert params["Budgetplafond"] == 5_920_000


def _rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def test_workbook_names_the_open_scenario_in_dutch_words(result):
    data = optimize.formation_xlsx_bytes(result, scenario_name="Krap budget 2026")
    wb = load_workbook(io.BytesIO(data))
    params = {r[0]: r[1] for r in _rows(wb["Scenario"])[1:]}
    assert params["Scenario"] == "Krap budget 2026"  # not "Haarlem standaard ..."
    assert params["Uitkomst"] == "optimaal"
    assert params["Rekenprogramma (HiGHS)"] == "optimaal"  # not "Optimal"
    assert "milp" not in str(params["Rekenwijze"]).lower()
    assert params["Rekenwijze"].startswith("snel")
    # euros whole, shown with a thousands separator (the old sheet had 4999925.199999999)
    used = wb["Scenario"].cell(row=4, column=2)
    assert used.value == round(result.budget_used)
    assert used.number_format == "#,##0"


def test_workbook_lists_weights_and_disciplines_as_rows(result):
    wb = load_workbook(io.BytesIO(optimize.formation_xlsx_bytes(result)))
    rows = _rows(wb["Disciplines"])
    header = rows[0]
    assert "Gewicht (prioriteit)" in header
    assert "Behoefte volgt thema (gewicht)" in header
    by_name = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_name["Expertise GGZ"]["Behoefte volgt thema (gewicht)"] == "psychosociaal (1)"
    assert by_name["Maatschappelijk werk"]["Behoefte volgt thema (gewicht)"] == (
        "psychosociaal (1), financieel (0,5)"
    )
    assert by_name["Maatschappelijk werk"]["Kosten per uur (€ per jaar)"] == 3419  # rounded
    text = " ".join(str(c) for r in _rows(wb["Scenario"]) for c in r)
    assert "{" not in text  # no {'psychosociaal': 1.0}


def test_workbook_has_one_table_per_sheet_rounded_with_widths(result):
    wb = load_workbook(io.BytesIO(optimize.formation_xlsx_bytes(result)))
    for ws in wb.worksheets:
        rows = _rows(ws)
        # no empty row inside a sheet: one table each (the old "Totalen en kosten" had two)
        assert all(any(c is not None for c in r) for r in rows), ws.title
        for r in rows[1:]:
            for c in r:
                if isinstance(c, float):
                    assert round(c, 3) == c, (ws.title, c)
    team = wb["Formatie per team"]
    assert team.column_dimensions["A"].width >= len("Slachthuisbuurt & Amsterdamsebuurten")
    assert wb["Toelichting"].column_dimensions["A"].width >= 80


def test_json_holds_the_whole_result(result):
    data = json.loads(optimize.formation_json_bytes(result))
    assert data["status"] == "optimaal"
    assert len(data["formatie"]) == 110
    assert optimize.parse_scenario(data["scenario_toml"]) == result.scenario
    assert data["uitleg"] == list(result.explanation)


def test_write_is_atomic_and_protects_inputs(result, tmp_path):
    written = optimize.write_formation_outputs(result, tmp_path, map_html="<html></html>")
    assert sorted(p.name for p in written) == [
        "allocatie.json",
        "formatie.csv",
        "formatie.xlsx",
        "kaart_formatie.html",
    ]
    assert not list(tmp_path.glob(".*.tmp"))
    precious = tmp_path / "formatie.csv"
    before = precious.read_bytes()
    with pytest.raises(optimize.ValidationError, match="zou een invoerbestand overschrijven"):
        optimize.write_formation_outputs(result, tmp_path, protect=[precious])
    assert precious.read_bytes() == before
    afile = tmp_path / "bestand"
    afile.write_text("x")
    with pytest.raises(optimize.ValidationError, match="geen map"):
        optimize.write_formation_outputs(result, afile)
