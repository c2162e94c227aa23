"""Locations of the embedded data, resolved from the package, never from the working dir."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
HAARLEM_DIR = DATA_DIR / "haarlem"
NL_DIR = DATA_DIR / "nl"
SAMPLES_DIR = DATA_DIR / "samples"
THEMES_TOML = DATA_DIR / "themas.toml"
