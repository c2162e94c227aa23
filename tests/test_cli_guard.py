"""The CLI's guard: output checked before any work, terminal-safe text, project errors only."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from wijkteam import cli
from wijkteam.cli import main


def test_bad_out_is_refused_before_loading_any_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_load(*args: object, **kwargs: object) -> None:
        raise AssertionError("data loaded although --out is unusable")

    monkeypatch.setattr(cli, "load_inputs", must_not_load)
    monkeypatch.setattr("wijkteam._cmd_allocate.load_inputs", must_not_load)
    target = tmp_path / "bestand"
    target.write_text("x", encoding="utf-8")
    for command in (["allocate"], ["profile"], ["sweep", "--budget-min", "1", "--budget-max", "2"]):
        assert main([*command, "--out", str(target)]) == 2
        err = capsys.readouterr().err
        assert err.strip().splitlines()[-1].startswith("wijkteam: fout: --out")
        assert "gegevens" not in err


def test_terminal_stream_escapes_control_characters() -> None:
    buffer = io.StringIO()
    stream = cli._TerminalSafe(buffer)
    stream.write("team \x1b[2J\x1b]0;titel\x07 rood\x9b\n")
    text = buffer.getvalue()
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "\x9b" not in text
    assert text == "team \\x1b[2J\\x1b]0;titel\\x07 rood\\x9b\n"


def test_help_returns_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "scenario" in capsys.readouterr().out


def test_a_bug_is_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(args: object) -> int:
        raise KeyError("een fout in de code")

    parser = cli._build_parser()
    monkeypatch.setattr(cli, "_build_parser", lambda: parser)
    parser._subparsers._group_actions[0].choices["indicatoren"].set_defaults(func=broken)
    with pytest.raises(KeyError):
        main(["indicatoren"])
