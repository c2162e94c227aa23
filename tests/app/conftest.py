"""Fixtures of the app tests: an empty scenario store and the app on its first page."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import APP
from streamlit.testing.v1 import AppTest  # noqa: TID251 (tests drive the app)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "wijkteam-data"
    monkeypatch.setenv("WIJKTEAM_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def app(data_dir: Path) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at
