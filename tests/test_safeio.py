"""Safe outputs: inert cells, clean text, all-or-nothing files (``safeio``)."""

from __future__ import annotations

import doctest
import io
import os
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import safeio
import safeio._text


def test_doctests() -> None:
    assert doctest.testmod(safeio._text).failed == 0


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("https://x.nl"&A2,"Noord")', "@SUM(A1:A9)", "+31612345678", "-1+2", "\t=1"],
)
def test_formula_like_text_is_prefixed_in_csv(text: str) -> None:
    frame = safeio.csv_frame(pd.DataFrame({"team": [text], "uren": [1.5]}))
    value = frame["team"].iloc[0]
    assert value.startswith("'")
    assert frame["uren"].iloc[0] == 1.5


def test_index_and_columns_are_made_safe() -> None:
    frame = pd.DataFrame({"=cmd|' /C calc'!A0": [1]}, index=pd.Index(["@x\x0b"], name="team"))
    out = safeio.csv_frame(frame)
    assert list(out.columns) == ["'=cmd|' /C calc'!A0"]
    assert list(out.index) == ["'@x"]
    assert out.index.name == "team"


@settings(derandomize=True)
@given(st.text())
def test_clean_text_leaves_no_control_characters(text: str) -> None:
    out = safeio.clean_text(text, single_line=True)
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in out)


@settings(derandomize=True)
@given(st.text())
def test_terminal_text_has_no_escape_or_c1(text: str) -> None:
    out = safeio.terminal_text(text)
    assert not any((ord(c) < 32 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F for c in out)


def test_inert_sheet_turns_formulas_into_text() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = '=HYPERLINK("https://x.nl","Noord")'
    ws["A2"] = "gewoon"
    ws["A3"] = 5
    assert ws["A1"].data_type == "f"
    assert safeio.inert_sheet(ws) == 1
    buffer = io.BytesIO()
    wb.save(buffer)
    back = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    assert back["A1"].data_type == "s"
    assert back["A1"].quotePrefix
    assert back["A3"].value == 5


def test_write_files_all_or_nothing_when_a_name_is_a_folder(tmp_path: Path) -> None:
    out = tmp_path / "uit"
    out.mkdir()
    (out / "b.csv").mkdir()
    with pytest.raises(safeio.OutputError, match=r"b\.csv bestaat al als map"):
        safeio.write_files(out, {"a.csv": b"1", "b.csv": b"2"})
    assert sorted(p.name for p in out.iterdir()) == ["b.csv"]


def test_write_files_rolls_back_when_a_move_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "uit"
    safeio.write_files(out, {"a.csv": b"oud-a", "b.csv": b"oud-b"})
    real = os.replace
    calls = {"n": 0}

    def flaky(src: str | Path, dst: str | Path) -> None:
        calls["n"] += 1
        staged = Path(src).parent.name.startswith(".wijkteam-")
        if Path(dst).name == "b.csv" and staged and not Path(src).name.endswith(".oud"):
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(safeio.OutputError, match="schijf vol"):
        safeio.write_files(out, {"a.csv": b"nieuw-a", "b.csv": b"nieuw-b"})
    monkeypatch.undo()
    assert (out / "a.csv").read_bytes() == b"oud-a"
    assert (out / "b.csv").read_bytes() == b"oud-b"
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "b.csv"]


def test_write_files_removes_a_folder_it_created_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "nieuw" / "uit"

    def boom(*args: object, **kwargs: object) -> str:
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(safeio._files.tempfile, "mkdtemp", boom)
    with pytest.raises(safeio.OutputError, match="geen schrijfrechten"):
        safeio.write_files(out, {"a.csv": b"1"})
    assert not out.exists()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.symlink_to(p.parent / "weg"), "symbolische koppeling"),
        (lambda p: p.write_text("x"), "is een bestand, geen map"),
    ],
)
def test_check_output_dir_refuses(tmp_path: Path, make, message: str) -> None:
    out = tmp_path / "uit"
    make(out)
    with pytest.raises(safeio.OutputError, match=message):
        safeio.check_output_dir(out)


def test_check_output_dir_below_a_file(tmp_path: Path) -> None:
    (tmp_path / "bestand").write_text("x")
    with pytest.raises(safeio.OutputError, match="is een bestand, geen map"):
        safeio.check_output_dir(tmp_path / "bestand" / "uit")


def test_unwritable_location_is_an_output_error() -> None:
    with pytest.raises(safeio.OutputError, match="kan niet schrijven"):
        safeio.write_files("/proc/wijkteam-test", {"a.csv": b"1"})


def test_protected_input_is_never_overwritten(tmp_path: Path) -> None:
    src = tmp_path / "a.csv"
    src.write_bytes(b"invoer")
    with pytest.raises(safeio.OutputError, match="zou een invoerbestand overschrijven"):
        safeio.write_files(tmp_path, {"a.csv": b"uitvoer"}, protect=[src])
    assert src.read_bytes() == b"invoer"


def test_write_file_refuses_an_existing_file_unless_asked(tmp_path: Path) -> None:
    target = tmp_path / "s.toml"
    target.write_text("oud")
    with pytest.raises(safeio.OutputError, match="bestaat al"):
        safeio.write_file(target, b"nieuw")
    assert target.read_text() == "oud"
    safeio.write_file(target, b"nieuw", overwrite=True)
    assert target.read_text() == "nieuw"
