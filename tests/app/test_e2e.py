"""End to end in a real browser: ``streamlit run app.py`` driven by headless Chromium.

As a manager at 1366 px: type the budget the Dutch way ("5.000.000") and see
"€ 5.000.000"; check every page for English chrome; open "Waarom?" for Meerwijk; switch the
map's theme and click a team's profieltaart. Every interaction is timed and written to
``tests/artifacts/e2e_tijden.csv`` (recorded, not asserted: speed is for ``make bench``);
screenshots go to ``tests/artifacts/`` (ignored by git). Chromium is Debian's ``chromium``
package (``make browser``); Playwright drives it without downloading a browser; every
request outside localhost is refused (the app must work offline).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from app_server import ROOT, browser_page, chromium_path, running_app, wait_for_app
from browser_flows import (
    budget_round_trip,
    english_on_page,
    map_frame,
    open_waarom,
    pie_click,
    settle,
    theme_switch,
)

ARTIFACTS = ROOT / "tests" / "artifacts"
PAGES = {"Kaart": "", "Formatie": "formatie", "Scenario's": "scenarios", "Export": "export"}
PAGES["Data"] = "data"

pytestmark = [
    # Playwright's sync API runs an asyncio loop in this thread
    pytest.mark.filterwarnings("ignore::DeprecationWarning:playwright.*"),
]


def test_manager_in_the_browser(tmp_path: Path) -> None:
    assert chromium_path() is not None, "Chromium ontbreekt: 'make browser' installeert het"
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "streamlit_e2e.log"
    timings: list[tuple[str, float]] = []
    with running_app(tmp_path, log=log) as url, browser_page(1366, 900) as page:
        # ------------------------------------------------------------ Formatie
        page.goto(f"{url}/formatie")
        wait_for_app(page)
        page.get_by_role("heading", name="Formatie", exact=True).first.wait_for()
        page.get_by_text("Budget gebruikt").wait_for(timeout=90_000)
        settle(page)
        budget = page.get_by_role("textbox", name="Budgetplafond gemeente (€ per jaar)")
        assert budget.input_value() == "€ 5.920.000"
        timings.append(
            ("budget 5.000.000 doorrekenen", budget_round_trip(page, "5.000.000", "€ 5.000.000"))
        )
        assert budget.input_value() == "€ 5.000.000"  # shown back as understood
        timings.append(
            ("budget 4.500.000 doorrekenen", budget_round_trip(page, "4.500.000", "€ 4.500.000"))
        )
        assert page.get_by_test_id("stException").count() == 0
        tekort = page.get_by_test_id("stMetric").filter(has_text="Grootste tekort (budget)")
        assert tekort.inner_text().split("\n")[-1].strip() != "0%"  # less budget: a shortfall
        # results first: the figures, the map and the formation's team names on the first
        # screen (1366 × 900), without scrolling sideways
        first_screen = page.evaluate("() => window.innerHeight")
        heading = page.get_by_role("heading", name="Formatie (uren per week", exact=False)
        assert heading.bounding_box()["y"] < first_screen
        coverage = page.locator('iframe[title="streamlit_folium.st_folium"]').first
        coverage.wait_for(state="visible", timeout=60_000)
        assert coverage.bounding_box()["y"] < first_screen
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        polygons = map_frame(page).locator("path.leaflet-interactive")
        polygons.first.wait_for(state="attached", timeout=60_000)
        assert polygons.count() >= 10  # drawn offline: Leaflet is embedded in the map
        page.screenshot(path=str(ARTIFACTS / "e2e_formatie.png"))
        timings.append(("Waarom? openen voor Meerwijk", open_waarom(page, "Meerwijk")))
        explanation = page.get_by_text("Meerwijk krijgt", exact=False).first.inner_text()
        assert "inwoners" in explanation
        assert "Per 1.000 inwoners" in explanation
        page.screenshot(path=str(ARTIFACTS / "e2e_waarom.png"), full_page=True)
        # ------------------------------------------------------------ Kaart
        page.goto(f"{url}/")
        wait_for_app(page)
        page.get_by_text("Detail van").wait_for(timeout=90_000)
        map_frame(page).locator(".wijkteam-taart").first.wait_for(timeout=60_000)
        settle(page)
        timings.append(("Kaart: ander thema", theme_switch(page, "Psychosociale problemen")))
        timings.append(("Kaart: klik op een profieltaart", pie_click(page, "Meerwijk")))
        page.screenshot(path=str(ARTIFACTS / "e2e_kaart.png"))
        # ------------------------------------------------------------ every page Dutch
        for title, path in PAGES.items():
            page.goto(f"{url}/{path}")
            wait_for_app(page)
            page.get_by_role("heading", name=title, exact=True).first.wait_for()
            settle(page)
            page.wait_for_timeout(500)
            assert english_on_page(page) == [], title
            assert page.get_by_test_id("stException").count() == 0, title
        # no Streamlit developer menu (its items are English) and no Deploy button
        assert page.get_by_test_id("stMainMenu").count() == 0
        assert page.get_by_test_id("stAppDeployButton").count() == 0
    with (ARTIFACTS / "e2e_tijden.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["stap", "seconden"])
        writer.writerows((name, f"{s:.3f}".replace(".", ",")) for name, s in timings)
