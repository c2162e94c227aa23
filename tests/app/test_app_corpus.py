"""The hostile-input corpus through the app's upload path (every case with an ``app`` key).

Each case's command-line arguments are turned into the uploads of the Data page (or the
scenario upload of the Scenario's page). The app must show the corpus's message as an error,
keep running and keep its current data; cases that must succeed load without an error and
never render markup from data.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest  # noqa: TID251 (tests drive the app)

from geo import _paths

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
BAD = ROOT / "tests" / "data" / "bad"
CASES = [
    c
    for c in tomllib.loads((BAD / "MANIFEST.toml").read_text(encoding="utf-8"))["geval"]
    if "app" in c and not any("{groot}" in a for a in c["args"])  # size limit: test_app.py
]
SLOTS = {
    "--gpkg": "CBS GeoPackage (.gpkg)",
    "--buurten": "Of: buurtpolygonen (GeoJSON/GeoPackage)",
    "--indicatoren": "Indicatorbestanden (CSV)",
    "--teams": "Teamtabel (CSV)",
    "--themas": "Themaconfiguratie (TOML, optioneel)",
}

pytestmark = [pytest.mark.filterwarnings("ignore:.*missing ScriptRunContext.*")]


def _path(arg: str) -> Path:
    return Path(arg.replace("{bad}", str(BAD)).replace("{haarlem}", str(_paths.HAARLEM_DIR)))


def _uploads(args: list[str]) -> tuple[dict[str, list[Path]], str | None, Path | None]:
    files: dict[str, list[Path]] = {}
    gemeente, scenario, flag = None, None, None
    for arg in args[1:]:
        if arg.startswith("--"):
            flag = arg
        elif flag == "--gemeente":
            gemeente = arg
        elif flag == "--scenario":
            scenario = _path(arg)
        elif flag in SLOTS:
            files.setdefault(SLOTS[flag], []).append(_path(arg))
    return files, gemeente, scenario


def _goto(at: AppTest, title: str) -> None:
    pages = {info.get("page_name"): h for h, info in at._registered_pages.items()}
    at._page_hash = pages[title]
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def _errors(at: AppTest) -> list[str]:
    return [str(e.value).replace("\\", "") for e in at.error]


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("WIJKTEAM_DATA_DIR", str(tmp_path / "data"))
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("case", CASES, ids=[c["naam"] for c in CASES])
def test_corpus_case_through_the_app(app: AppTest, case: dict) -> None:
    files, gemeente, scenario = _uploads(case["args"])
    before = app.session_state["source"]
    if scenario is not None:
        _goto(app, "Scenario's")
        slot = next(
            f for f in app.get("file_uploader") if f.label == "Scenariobestand openen (.toml)"
        )
        slot.set_value((scenario.name, scenario.read_bytes(), "application/toml"))
        app.run()
        assert not app.exception, [e.value for e in app.exception]
        if any(case["melding"] in e for e in _errors(app)):
            assert case["exit"] == 2  # rejected at upload: the file itself is wrong
            return
        # the file is valid TOML for a scenario but does not fit the data (unknown theme)
        # or cannot be met (infeasible): it loads and the Formatie page says why
        _goto(app, "Formatie")
        shown = _errors(app) + [str(w.value) for w in app.warning]
        assert any(case["melding"] in e for e in shown), shown
        return
    _goto(app, "Data")
    for label, paths in files.items():
        slot = next(f for f in app.get("file_uploader") if f.label == label)
        payload = [(p.name, p.read_bytes(), "application/octet-stream") for p in paths]
        slot.set_value(payload if slot.accept_multiple_files else payload[0])
    if gemeente is not None:
        next(t for t in app.text_input if t.label.startswith("Gemeentecode")).set_value(gemeente)
    next(b for b in app.button if b.label == "Gegevens laden").click()
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    if case["exit"] == 2:
        assert any(case["melding"] in e for e in _errors(app)), _errors(app)
        assert app.session_state["source"] == before, "a rejected upload keeps the data"
        return
    assert _errors(app) == []
    for page in ("Kaart", "Formatie"):
        _goto(app, page)
        shown = " ".join(m.value for m in app.markdown)
        assert "<script>" not in shown
        assert "<img" not in shown
