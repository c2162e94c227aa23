"""What a manager does in the browser, as small timed steps (shared by the end-to-end test
and ``bench/bench_app.py``).

Each step returns the seconds from the user's action until the page shows its result (the
script run finished and the expected text or map element is visible).
"""

from __future__ import annotations

import time
from typing import Any

#: Streamlit's own English texts that must not reach a Dutch user (menus, widgets).
ENGLISH_CHROME = (
    "Deploy",
    "Choose an option",
    "Choose options",
    "Browse files",
    "Drag and drop",
    "per file",
    "Upload",
    "Rerun",
    "Settings",
    "Record a screencast",
    "Clear cache",
    "Made with Streamlit",
    "No results",
)


def settle(page: Any, timeout: float = 90_000) -> None:
    """Wait until the script run has finished (no running indicator)."""
    page.wait_for_timeout(150)  # let a rerun start
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout
    )


def english_on_page(page: Any, wait: float = 3.0) -> list[str]:
    """Return the English chrome texts visible on the page (empty: all Dutch).

    Polls for up to ``wait`` seconds: right after a page switch the Dutch style rules can
    arrive a moment after the widgets they restyle.
    """
    deadline = time.monotonic() + wait
    while True:
        text = page.evaluate("() => document.body.innerText")
        found = [word for word in ENGLISH_CHROME if word in text]
        if not found or time.monotonic() > deadline:
            return found
        page.wait_for_timeout(200)


def budget_round_trip(page: Any, typed: str, shown: str) -> float:
    """Type a budget in the sidebar, submit, and wait until 'Budget gebruikt' shows it."""
    budget = page.get_by_role("textbox", name="Budgetplafond gemeente (€ per jaar)")
    budget.fill(typed)
    budget.press("Tab")
    metric = page.get_by_test_id("stMetric").filter(has_text="Budget gebruikt")
    start = time.perf_counter()
    page.get_by_role("button", name="Formatie berekenen").click()
    metric.filter(has_text=shown).wait_for(timeout=60_000)
    settle(page)
    return time.perf_counter() - start


def choose(page: Any, label: str, option: str, attempts: int = 4) -> None:
    """Pick ``option`` in the Streamlit selectbox labelled ``label``.

    Retried: on a busy machine a rerun that is still drawing can close the open list.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = page.get_by_test_id("stSelectbox").filter(has_text=label).first
    for attempt in range(attempts):
        try:
            settle(page)
            box.click()
            page.get_by_role("option", name=option, exact=True).first.click(timeout=10_000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
            page.keyboard.press("Escape")


def map_frame(page: Any, index: int = 0) -> Any:
    """Return the frame of the ``index``-th map (streamlit-folium draws it in an iframe)."""
    return page.frame_locator('iframe[title="streamlit_folium.st_folium"]').nth(index)


def theme_switch(page: Any, theme_label: str) -> float:
    """On Kaart: choose another theme; wait until the map's legend names it."""
    start = time.perf_counter()
    choose(page, "Behoeftethema", theme_label)
    legend = map_frame(page).locator(".wijkteam-legenda", has_text=f"{theme_label} (index")
    legend.first.wait_for(timeout=60_000)
    settle(page)
    return time.perf_counter() - start


def pie_click(page: Any, team: str) -> float:
    """On Kaart: click a team's profieltaart; wait until the detail shows that team."""
    pie = map_frame(page).locator(f'.wijkteam-taart[title="{team}"]').first
    pie.wait_for(timeout=60_000)
    start = time.perf_counter()
    pie.click(force=True)
    page.get_by_text(f"Indicatoren van team {team}", exact=False).first.wait_for(timeout=60_000)
    settle(page)
    return time.perf_counter() - start


def open_waarom(page: Any, team: str) -> float:
    """On Formatie: open "Waarom?" and choose a team; wait for its explanation."""
    start = time.perf_counter()
    page.get_by_text("Waarom? Van gegevens naar uren per team").click()
    choose(page, "Team", team)
    page.get_by_text(f"{team} krijgt", exact=False).first.wait_for(timeout=60_000)
    settle(page)
    return time.perf_counter() - start
