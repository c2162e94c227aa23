"""Helpers shared by the AppTest modules (one module per page): find widgets, switch pages.

Every test runs the real ``app.py`` on the embedded Haarlem data with the scenario store in
a temporary directory (``WIJKTEAM_DATA_DIR``, see ``conftest.py``).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest  # noqa: TID251 (tests drive the app)

import optimize

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
BAD = ROOT / "tests" / "data" / "bad"
PAGES = ["Kaart", "Formatie", "Scenario's", "Export", "Data"]


def goto(at: AppTest, title: str) -> AppTest:
    """Open a page registered by ``st.navigation`` (callable pages have no file)."""
    pages = {info.get("page_name"): h for h, info in at._registered_pages.items()}
    assert title in pages, f"page {title!r} not registered; pages: {sorted(map(str, pages))}"
    at._page_hash = pages[title]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def errors(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.error]


CELL = re.compile(r"^(?P<uren>\d+(\.\d{3})*,\d) \((?P<verschil>[+−]\d+(\.\d{3})*,\d|=)\)$")


def _dutch_number(text: str) -> float:
    return float(text.replace(".", "").replace(",", ".").replace("−", "-").replace("+", ""))


def formation_cells(at: AppTest) -> pd.DataFrame:
    """The formation table as shown: cells "uren (verschil)", disciplines and a total."""
    names = [d.naam for d in optimize.load_scenario().disciplines]
    tables = [d.value for d in at.dataframe if list(d.value.columns) == [*names, "Totaal"]]
    assert tables, "no formation table on the page"
    return tables[0]


def formation_table(at: AppTest) -> pd.DataFrame:
    """The formation hours read back from the cells (teams × discipline names)."""
    cells = formation_cells(at).drop(columns="Totaal")
    for value in cells.to_numpy().ravel():
        assert CELL.match(str(value)), f"cell {value!r} is not 'uren (verschil)' in Dutch"
    return cells.map(lambda v: _dutch_number(CELL.match(str(v))["uren"]))


def button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return matches[0]


def number_input(at: AppTest, label_start: str):
    matches = [n for n in at.number_input if n.label.startswith(label_start)]
    assert matches, f"no number input {label_start!r}"
    return matches[0]


def text_input(at: AppTest, label: str):
    matches = [t for t in at.text_input if t.label == label]
    assert matches, f"no text input {label!r}"
    return matches[0]


def submit_budget(at: AppTest, budget: float | str) -> AppTest:
    """Type a budget (a number is written the Dutch way, ``4.500.000``) and submit."""
    text = budget if isinstance(budget, str) else f"{budget:,.0f}".replace(",", ".")
    text_input(at, "Budgetplafond gemeente (€ per jaar)").set_value(text)
    button(at, "Formatie berekenen").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def save_current(at: AppTest, name: str) -> AppTest:
    goto(at, "Scenario's")
    text_input(at, "Naam").set_value(name)
    button(at, "Huidig scenario opslaan").click()
    at.run()
    assert not at.exception
    assert errors(at) == [], errors(at)
    return at


def upload(at: AppTest, label: str, *paths: Path) -> None:
    slot = next(f for f in at.get("file_uploader") if f.label == label)
    files = [(p.name, p.read_bytes(), "application/octet-stream") for p in paths]
    slot.set_value(files if slot.accept_multiple_files else files[0])


def _manifest_cases(slot: str) -> list[dict]:
    cases = tomllib.loads((BAD / "MANIFEST.toml").read_text(encoding="utf-8"))["geval"]
    return [c for c in cases if c.get("app") == slot and "melding" in c and c["exit"] == 2]
