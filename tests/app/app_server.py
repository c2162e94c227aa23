"""Run the real app with ``streamlit run`` on a free localhost port, and a headless Chromium.

Shared by the end-to-end test and ``make_screenshots.py``. The browser is Debian's
``chromium`` driven by Playwright for Python (no browser download).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    """Return the system Chromium, or ``None`` when it is not installed."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def free_port() -> int:
    """Return a free TCP port on localhost."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit stopped with exit code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200 and resp.read().strip() == b"ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise TimeoutError(f"streamlit not healthy at {url} after {timeout:.0f} s")


@contextlib.contextmanager
def running_app(data_dir: Path, *, log: Path | None = None, timeout: float = 90.0) -> Iterator[str]:
    """Start ``streamlit run app.py`` and yield its base URL; always stop it afterwards.

    Parameters
    ----------
    data_dir
        ``WIJKTEAM_DATA_DIR`` for the scenario store.
    log
        File for the server's output (default: discarded).
    timeout
        Seconds to wait for ``/_stcore/health``.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "WIJKTEAM_DATA_DIR": str(data_dir)}
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    out = open(log, "wb") if log is not None else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(url, proc, timeout)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        if log is not None:
            out.close()  # type: ignore[union-attr]


@contextlib.contextmanager
def browser_page(
    width: int = 1500, height: int = 1100, *, offline: bool = True
) -> Iterator[object]:
    """Yield a Playwright page in the system's headless Chromium.

    With ``offline`` every request to a host other than localhost is refused, as on a
    machine without internet: the app (and its self-contained maps) must work like that.
    """
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        raise RuntimeError("Chromium ontbreekt: installeer het Debian-pakket 'chromium'")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            if offline:
                context.route(
                    lambda url: not url.startswith("http://127.0.0.1"),
                    lambda route: route.abort(),
                )
            page = context.new_page()
            page.set_default_timeout(60_000)
            yield page
        finally:
            browser.close()


def wait_for_app(page: object) -> None:
    """Wait until the script run has finished (no 'running' indicator) and a title shows."""
    page.wait_for_selector("h1", timeout=90_000)  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=90_000,
    )
