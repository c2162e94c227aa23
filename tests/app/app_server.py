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


#: CDN files that folium maps load, and where they are in the npm package tarballs.
WEB_ASSETS = {
    "leaflet@1.9.3/dist/leaflet.js": ("leaflet@1.9.3", "package/dist/leaflet.js"),
    "leaflet@1.9.3/dist/leaflet.css": ("leaflet@1.9.3", "package/dist/leaflet.css"),
    "jquery-3.7.1.min.js": ("jquery@3.7.1", "package/dist/jquery.min.js"),
    "bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": (
        "bootstrap@5.2.2",
        "package/dist/js/bootstrap.bundle.min.js",
    ),
    "bootstrap@5.2.2/dist/css/bootstrap.min.css": (
        "bootstrap@5.2.2",
        "package/dist/css/bootstrap.min.css",
    ),
}


def fetch_web_assets(folder: Path) -> dict[str, bytes]:
    """Fetch Leaflet, jQuery and Bootstrap from the npm registry (``npm pack``).

    For machines where the CDNs that folium uses are unreachable but npm is not (such as
    this project's build machines): the screenshots can then show the maps.

    Returns
    -------
    dict
        URL suffix → file content; empty when npm is missing or fails.
    """
    import tarfile

    if shutil.which("npm") is None:
        return {}
    specs = sorted({spec for spec, _ in WEB_ASSETS.values()})
    done = subprocess.run(
        ["npm", "pack", "--silent", *specs], cwd=folder, capture_output=True, check=False
    )
    if done.returncode != 0:
        return {}
    out: dict[str, bytes] = {}
    for suffix, (spec, member) in WEB_ASSETS.items():
        name, version = spec.split("@")
        with tarfile.open(folder / f"{name}-{version}.tgz") as tar:
            handle = tar.extractfile(member)
            if handle is not None:
                out[suffix] = handle.read()
    return out


def _serve_assets(route: object, assets: dict[str, bytes]) -> None:
    url: str = route.request.url  # type: ignore[attr-defined]
    for suffix, body in assets.items():
        if url.endswith(suffix):
            kind = "text/css" if suffix.endswith(".css") else "application/javascript"
            route.fulfill(status=200, body=body, content_type=kind)  # type: ignore[attr-defined]
            return
    path = url.split("?")[0]
    if path.endswith((".js", ".css")):
        # st_folium stops at the first script that fails to load: serve the plugins the
        # maps do not use (awesome-markers, glyphicons) as empty files
        kind = "text/css" if path.endswith(".css") else "application/javascript"
        route.fulfill(status=200, body=b"", content_type=kind)  # type: ignore[attr-defined]
        return
    route.abort()  # type: ignore[attr-defined]  # tiles and fonts: fail fast


@contextlib.contextmanager
def browser_page(
    width: int = 1500, height: int = 1100, *, assets: dict[str, bytes] | None = None
) -> Iterator[object]:
    """Yield a Playwright page in the system's headless Chromium.

    ``assets`` (from :func:`fetch_web_assets`) are served for requests to other hosts than
    localhost, so folium maps draw without internet access.
    """
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        raise RuntimeError("Chromium ontbreekt: installeer het Debian-pakket 'chromium'")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            if assets:
                context.route(
                    lambda url: not url.startswith("http://127.0.0.1"),
                    lambda route: _serve_assets(route, assets),
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
