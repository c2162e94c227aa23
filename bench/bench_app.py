"""The app's what-if round trip on Haarlem: change the budget on Formatie, submit, rerun.

Measured with ``streamlit.testing.v1.AppTest`` (the whole script rerun on the server side:
solve, formation table, explanation, coverage map), and, when Debian's Chromium is
installed, in a real browser: typing a budget, switching the map's theme and clicking a
profieltaart, from the click until the page shows the result.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

from streamlit.testing.v1 import AppTest  # noqa: TID251 (the benchmark drives the app)

APP = Path(__file__).resolve().parents[1] / "app.py"


def _goto(at: AppTest, title: str) -> None:
    pages = {info.get("page_name"): h for h, info in at._registered_pages.items()}
    at._page_hash = pages[title]
    at.run()


def _submit(at: AppTest, budget: float) -> float:
    field = next(n for n in at.text_input if n.label.startswith("Budgetplafond"))
    field.set_value(f"{budget:,.0f}".replace(",", "."))  # typed the Dutch way
    button = next(b for b in at.button if b.label == "Formatie berekenen")
    start = time.perf_counter()
    button.click()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError([e.value for e in at.exception])
    return elapsed


def run(repeats: int) -> list[dict]:
    """Run the app benchmark; see the module docstring."""
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        os.environ["WIJKTEAM_DATA_DIR"] = tmp
        at = AppTest.from_file(str(APP), default_timeout=300)
        start = time.perf_counter()
        at.run()
        first = time.perf_counter() - start
        _goto(at, "Formatie")
        _submit(at, 5_000_000)  # warm the caches and the model
        times = [_submit(at, b) for b in [4_800_000, 5_200_000] * max(2, repeats)]
        start = time.perf_counter()
        _goto(at, "Kaart")
        kaart = time.perf_counter() - start
    return [
        {
            "meting": "app: eerste start (gegevens, profielen, kaart)",
            "schaal": "111 buurten",
            "mediaan_s": first,
            "extra": "eenmalig, daarna uit de cache",
        },
        {
            "meting": "app: what-if (budget wijzigen, berekenen, tonen)",
            "schaal": "10 teams x 11",
            "mediaan_s": statistics.median(times),
            "extra": f"max {max(times) * 1000:.0f} ms over {len(times)}",
        },
        {
            "meting": "app: naar de Kaart-pagina (gecachte kaart)",
            "schaal": "111 buurten",
            "mediaan_s": kaart,
            "extra": "",
        },
        *_browser_rows(repeats),
    ]


def _browser_rows(repeats: int) -> list[dict]:
    """Interaction times in a real browser (Debian's Chromium via Playwright), if present.

    The same steps as the end-to-end test (``tests/app/browser_flows.py``): from the click
    until the page shows the result, script run included.
    """
    tests_app = Path(__file__).resolve().parents[1] / "tests" / "app"
    sys.path.insert(0, str(tests_app))
    from app_server import browser_page, chromium_path, running_app, wait_for_app
    from browser_flows import budget_round_trip, map_frame, pie_click, settle, theme_switch

    if chromium_path() is None:
        return []
    n = max(3, repeats)
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_app(Path(tmp)) as url,
        browser_page(1366, 900) as page,
    ):
        page.goto(f"{url}/formatie")
        wait_for_app(page)
        page.get_by_text("Budget gebruikt").wait_for(timeout=90_000)
        settle(page)
        budgets = [("4.800.000", "€ 4.800.000"), ("5.200.000", "€ 5.200.000")]
        submit = [budget_round_trip(page, *budgets[i % 2]) for i in range(n)]
        page.goto(f"{url}/")
        wait_for_app(page)
        map_frame(page).locator(".wijkteam-taart").first.wait_for(timeout=90_000)
        settle(page)
        themes = ["Psychosociale problemen", "Financiële problemen"]
        switch = [theme_switch(page, themes[i % 2]) for i in range(n)]
        teams = ["Meerwijk", "Noord-Noord"]
        click = [pie_click(page, teams[i % 2]) for i in range(n)]
    return [
        {
            "meting": "browser: budget typen, berekenen, tonen",
            "schaal": "10 teams x 11",
            "mediaan_s": statistics.median(submit),
            "extra": f"max {max(submit) * 1000:.0f} ms over {n}",
        },
        {
            "meting": "browser: Kaart, ander thema",
            "schaal": "111 buurten",
            "mediaan_s": statistics.median(switch),
            "extra": f"max {max(switch) * 1000:.0f} ms over {n} (alleen de gekleurde laag)",
        },
        {
            "meting": "browser: Kaart, klik op een profieltaart",
            "schaal": "111 buurten",
            "mediaan_s": statistics.median(click),
            "extra": f"max {max(click) * 1000:.0f} ms over {n} (alleen kaart en detail)",
        },
    ]
