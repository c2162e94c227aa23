"""The app's what-if round trip on Haarlem: change the budget on Formatie, submit, rerun.

Measured with ``streamlit.testing.v1.AppTest`` (the whole script rerun on the server side:
solve, formation table, explanation, coverage map), not the browser's paint time.
"""

from __future__ import annotations

import os
import statistics
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
    field = next(n for n in at.number_input if n.label.startswith("Budgetplafond"))
    field.set_value(budget)
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
    ]
