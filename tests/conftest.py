"""Shared fixtures: small synthetic municipalities in EPSG:28992 and the embedded data."""

from __future__ import annotations

import functools
import os

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import settings
from shapely.geometry import box

import geo

# Property tests: a fixed seed in CI (CI=true), random seeds locally to explore. Tests that
# set their own ``settings(...)`` inherit ``derandomize`` from the loaded profile.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")


def synthetic_buurten(n_wijken: int = 3, per_wijk: int = 4, gm: str = "9999") -> gpd.GeoDataFrame:
    """Grid of 1 km boxes near Haarlem, ``per_wijk`` buurten in each of ``n_wijken`` wijken."""
    rows = []
    for w in range(n_wijken):
        for b in range(per_wijk):
            code = f"BU{gm}{w:02d}{b:02d}"
            x0, y0 = 100000 + 1000 * b, 485000 + 1000 * w
            rows.append(
                {
                    "buurtcode": code,
                    "buurtnaam": f"Buurt {w}-{b}",
                    "wijkcode": f"WK{gm}{w:02d}",
                    "wijknaam": f"Wijk {w}",
                    "geometry": box(x0, y0, x0 + 1000, y0 + 1000),
                }
            )
    return gpd.GeoDataFrame(rows, crs=28992).set_index("buurtcode")


def synthetic_dataset(
    values: pd.DataFrame,
    *,
    wijk: pd.DataFrame | None = None,
    teams: pd.Series | None = None,
    **kw: object,
) -> geo.Dataset:
    polys = synthetic_buurten(**kw)  # type: ignore[arg-type]
    table = geo.IndicatorTable(
        "synthetisch", values, wijk if wijk is not None else pd.DataFrame(), pd.DataFrame()
    )
    return geo.Dataset("GM9999", "Testgemeente", polys, (table,), teams, ("Bron: test",))


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(7)


@functools.cache
def _haarlem_profiles() -> geo.Profiles:
    return geo.build_profiles(geo.load_haarlem())


@pytest.fixture
def haarlem_profiles() -> geo.Profiles:
    return _haarlem_profiles()
