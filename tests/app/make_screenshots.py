"""Take a screenshot of every page of the app for the README (``docs/screenshots/*.png``).

Run from the repository root::

    .venv/bin/python tests/app/make_screenshots.py [--out docs/screenshots]

It starts the app on a free port with an empty scenario store in a temporary directory,
saves two scenarios (so the Scenario's page shows a comparison) and photographs each page in
headless Chromium, offline: the maps carry their own Leaflet, so they draw; the
OpenStreetMap background tiles stay grey.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from app_server import ROOT, browser_page, running_app, wait_for_app
from browser_flows import choose, map_frame, open_waarom

import optimize
from wijkteam import scenario_store

PAGES = {
    "kaart": "",  # the default page lives at /
    "formatie": "formatie",  # three shots: first screen, Waarom?, budget curve
    "scenarios": "scenarios",
    "export": "export",
    "data": "data",
    "teamgebieden": "teamgebieden",  # after designing ten areas from buurten
}


def _settle(page: object, seconds: float = 2.5) -> None:
    wait_for_app(page)
    time.sleep(seconds)  # let maps and charts draw


def main(argv: list[str] | None = None) -> int:
    """Write one PNG per page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        base = optimize.load_scenario()
        db = data / "scenarios.sqlite"
        scenario_store.save("Krap budget 2026", base.replace(budget=5_200_000.0), db=db)
        scenario_store.save("Huidig budget", base, db=db, modus="milp")
        with (
            running_app(data, log=Path(tmp) / "streamlit.log") as url,
            browser_page(1366, 900) as page,  # a municipal laptop
        ):
            for name, path in PAGES.items():
                page.goto(f"{url}/{path}")  # type: ignore[attr-defined]
                page.get_by_role("heading", level=1).first.wait_for()  # type: ignore[attr-defined]
                _settle(page)
                if name == "kaart":
                    pick = page.get_by_text("Detail van")  # type: ignore[attr-defined]
                    pick.wait_for()
                    choose(page, "Detail van", "Team Meerwijk")
                    _settle(page)
                if name == "export":
                    # the files (Excel, PNG maps) are built before the buttons show
                    last = page.get_by_text("Scenario (scenario.toml)")  # type: ignore[attr-defined]
                    last.wait_for(timeout=60_000)
                    _settle(page, 1.0)
                if name == "teamgebieden":
                    page.get_by_text("Buurten (wijken mogen splitsen)").click()  # type: ignore[attr-defined]
                    page.get_by_role("button", name="Teamgebieden ontwerpen").click()  # type: ignore[attr-defined]
                    page.get_by_text("Ontwerp tegen de huidige teams").wait_for()  # type: ignore[attr-defined]
                    _settle(page, 4.0)
                    shown = page.get_by_text("Ontwerp tegen de huidige teams")  # type: ignore[attr-defined]
                    shown.evaluate("e => e.scrollIntoView({block: 'start'})")
                    _settle(page, 1.5)
                if name == "formatie":
                    page.get_by_text("Budget gebruikt").wait_for()  # type: ignore[attr-defined]
                    drawn = map_frame(page).locator("path.leaflet-interactive").first
                    drawn.wait_for(state="attached", timeout=60_000)
                    _settle(page, 2.0)
                    first = args.out / "formatie_eerste_scherm.png"
                    page.screenshot(path=str(first))  # type: ignore[attr-defined]
                    print(first)
                    open_waarom(page, "Meerwijk")
                    choose(page, "Discipline", "Expertise GGZ")
                    _settle(page)
                    choose(page, "Vergelijk met", "Centrum & Rozenprieel")
                    _settle(page)
                    why = page.get_by_text("Waarom? Van gegevens naar uren per team")  # type: ignore[attr-defined]
                    why.evaluate("e => e.scrollIntoView({block: 'start'})")
                    _settle(page, 1.0)
                    target = args.out / "formatie_waarom.png"
                    page.screenshot(path=str(target))  # type: ignore[attr-defined]
                    print(target)
                    page.get_by_text("Budgetcurve: wat levert").click()  # type: ignore[attr-defined]
                    page.get_by_role("button", name="Budgetcurve berekenen").click()  # type: ignore[attr-defined]
                    _settle(page, 3.0)
                    curve = page.get_by_text("Budgetcurve: wat levert")  # type: ignore[attr-defined]
                    curve.evaluate("e => e.scrollIntoView({block: 'start'})")
                    _settle(page, 1.5)
                target = args.out / f"{name}.png"
                page.screenshot(path=str(target), full_page=True)  # type: ignore[attr-defined]
                print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
