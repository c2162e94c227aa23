"""End to end in a real browser: ``streamlit run app.py`` driven by headless Chromium.

Opens the Formatie page, changes the budget, submits, and checks that the new formation is
shown; saves a screenshot under ``tests/artifacts/`` (ignored by git). Chromium is Debian's
``chromium`` package (``make browser``); Playwright drives it without downloading a browser.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from app_server import ROOT, browser_page, chromium_path, running_app, wait_for_app

ARTIFACTS = ROOT / "tests" / "artifacts"

pytestmark = [
    # Playwright's sync API runs an asyncio loop in this thread
    pytest.mark.filterwarnings("ignore::DeprecationWarning:playwright.*"),
]


def test_formatie_budget_change_in_browser(tmp_path: Path) -> None:
    assert chromium_path() is not None, "Chromium ontbreekt: 'make browser' installeert het"
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "streamlit_e2e.log"
    with running_app(tmp_path, log=log) as url, browser_page(1400, 1800) as page:
        page.goto(f"{url}/formatie")
        wait_for_app(page)
        page.get_by_role("heading", name="Formatie", exact=True).first.wait_for()
        page.get_by_text("Budget gebruikt").wait_for(timeout=90_000)
        budget = page.get_by_role("textbox", name="Budgetplafond gemeente (€ per jaar)")
        assert budget.input_value() == "€ 5.920.000"
        metric = page.get_by_test_id("stMetric").filter(has_text="Budget gebruikt")
        assert "€ 5.920.000" in metric.inner_text()

        budget.fill("4.500.000")  # the Dutch way: the old app read this as €4
        budget.press("Tab")
        start = time.perf_counter()
        page.get_by_role("button", name="Formatie berekenen").click()
        metric.filter(has_text="€ 4.500.000").wait_for(timeout=60_000)
        wait_for_app(page)
        seconds = time.perf_counter() - start

        # the formation table (team × discipline) is on the page with the new numbers
        heading = page.get_by_role("heading", name="Formatie (uren per week", exact=False)
        heading.wait_for()
        tables = page.get_by_test_id("stDataFrame")
        assert tables.count() >= 2  # the discipline editor and the formation
        assert page.get_by_test_id("stException").count() == 0
        tekort = (
            page.get_by_test_id("stMetric")
            .filter(has_text="Grootste tekort door het budget")
            .inner_text()
        )
        assert tekort.split("\n")[-1].strip() != "0%"  # less budget: a shortfall appears
        # the coverage map draws without internet (Leaflet is embedded in the map):
        # one polygon per team inside the streamlit-folium frame
        coverage_map = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first
        polygons = coverage_map.locator("path.leaflet-interactive")
        polygons.first.wait_for(state="attached", timeout=60_000)
        assert polygons.count() >= 10
        page.screenshot(path=str(ARTIFACTS / "e2e_formatie.png"), full_page=True)
    # the round trip is recorded, not asserted: speed is measured in `make bench`
    (ARTIFACTS / "e2e_formatie_seconden.txt").write_text(f"{seconds:.3f}\n", encoding="utf-8")
