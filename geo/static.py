"""Static maps as PNG for documents (a council memo): geopandas + matplotlib, no browser.

The same content as the interactive maps of :mod:`geo.maps`, drawn in EPSG:28992 (metres):
the choropleth of a theme index with the team outlines, team names and profieltaarten
sized by the team's need level, or the teams coloured by their lowest coverage of need;
each with its legend, a scale bar in metres/kilometres and the source.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle, Wedge

from geo.profiles import THEME_COLOURS
from geo.summary import need_level

__all__ = ["coverage_png", "profile_png"]

ATTRIBUTION = "Bron: CBS, RIVM, PDOK (CC BY 4.0)"


def _figure() -> tuple[Figure, Any]:
    # Figure, not pyplot: pyplot's global state is not thread-safe (the app serves sessions
    # from threads)
    fig = Figure(figsize=(10, 8.5), dpi=150)
    ax = fig.subplots()
    ax.set_axis_off()
    ax.set_aspect("equal")
    return fig, ax


def _scale_bar(ax: Any, bounds: np.ndarray) -> None:
    """Draw a metric scale bar (a round number of km or m) in the lower left corner."""
    minx, miny, maxx, maxy = bounds
    target = (maxx - minx) / 5
    exponent = 10 ** math.floor(math.log10(target))
    length = max(s * exponent for s in (1, 2, 5) if s * exponent <= target)
    x0, y0 = minx + 0.03 * (maxx - minx), miny + 0.03 * (maxy - miny)
    height = 0.008 * (maxy - miny)
    ax.add_patch(Rectangle((x0, y0), length, height, color="black"))
    label = f"{length / 1000:g} km".replace(".", ",") if length >= 1000 else f"{length:g} m"
    ax.text(x0 + length / 2, y0 + 2.5 * height, label, ha="center", va="bottom", fontsize=9)


def _finish(fig: Figure, ax: Any, bounds: np.ndarray, title: str) -> bytes:
    _scale_bar(ax, bounds)
    ax.set_title(title, fontsize=13, loc="left")
    fig.text(0.01, 0.01, ATTRIBUTION, fontsize=8, color="#444444")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def _team_labels(ax: Any, areas: gpd.GeoDataFrame, *, offset: Mapping[str, float]) -> None:
    points = areas.geometry.representative_point()
    for team, pt in points.items():
        dy = offset.get(str(team), 0.0)
        ax.annotate(
            str(team),
            (pt.x, pt.y - dy),
            ha="center",
            va="top",
            fontsize=7.5,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
        )


def _pie(ax: Any, x: float, y: float, radius: float, shares: pd.Series) -> None:
    values = shares.fillna(0.0).clip(lower=0)
    total = float(values.sum())
    if total <= 0:
        return
    start = 90.0
    for i, v in enumerate(values):
        if v <= 0:
            continue
        sweep = 360.0 * float(v) / total
        ax.add_patch(
            Wedge(
                (x, y),
                radius,
                start - sweep,
                start,
                facecolor=THEME_COLOURS[i % len(THEME_COLOURS)],
                edgecolor="white",
                linewidth=0.6,
            )
        )
        start -= sweep


def profile_png(profiles: Any, *, column: str = "index_financieel", pies: bool = True) -> bytes:
    """Draw the profile map as a PNG: theme choropleth, teams, names and sized pies.

    Parameters
    ----------
    profiles
        A :class:`geo.Profiles`.
    column
        A theme index (``index_<thema>``) or any numeric buurt column.
    pies
        Draw a profieltaart per team; its size follows the team's need level (mean theme
        index), so a high-need team stands out from a low-need one.

    Returns
    -------
    bytes
        PNG image (1,500 × 1,275 pixels, 150 dpi).

    Raises
    ------
    KeyError
        If ``column`` is not in the buurt table.
    """
    gdf = profiles.buurten
    if column not in gdf.columns:
        raise KeyError(f"kolom {column!r} bestaat niet in de buurttabel")
    labels = dict(profiles.buurt.labels)
    key = column.removeprefix("index_")
    title = (
        f"{labels.get(key, key)} (index, 100 = gemeentelijk gemiddelde)"
        if column.startswith("index_")
        else column
    )
    fig, ax = _figure()
    gdf.plot(
        column=column,
        ax=ax,
        cmap="Blues",
        edgecolor="#888888",
        linewidth=0.3,
        legend=True,
        legend_kwds={"label": title, "shrink": 0.6, "orientation": "horizontal", "pad": 0.02},
        missing_kwds={"color": "#dddddd", "label": "onbekend"},
    )
    areas = gdf[["team", gdf.geometry.name]].dissolve(by="team")
    areas.boundary.plot(ax=ax, color="#d7301f", linewidth=1.6)
    bounds = gdf.total_bounds
    offsets: dict[str, float] = {}
    if pies:
        level = need_level(profiles)
        base = 0.045 * (bounds[2] - bounds[0])
        points = areas.geometry.representative_point()
        for team, pt in points.items():
            if team not in profiles.team.shares.index:
                continue
            scale = float(np.clip(level.get(team, 100.0) / 100.0, 0.6, 1.8))
            radius = base * scale
            _pie(ax, pt.x, pt.y, radius, profiles.team.shares.loc[team])
            offsets[str(team)] = radius * 1.1
        keys = list(profiles.team.shares.columns)
        handles = [
            Rectangle((0, 0), 1, 1, color=THEME_COLOURS[i % len(THEME_COLOURS)])
            for i in range(len(keys))
        ]
        ax.legend(
            handles,
            [labels.get(k, k) for k in keys],
            title="Profieltaart (grootte: behoefte per inwoner)",
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            fontsize=8,
            title_fontsize=8,
            frameon=True,
        )
    _team_labels(ax, areas, offset=offsets)
    return _finish(fig, ax, bounds, f"Profielen per team – {profiles.gemeentenaam}")


def coverage_png(
    coverage: pd.DataFrame,
    *,
    buurten: gpd.GeoDataFrame,
    title: str = "Dekking van de behoefte per team",
) -> bytes:
    """Draw the teams coloured by their lowest coverage of need as a PNG.

    Parameters
    ----------
    coverage
        Team × discipline coverage as a fraction (1.0 = need fully covered).
    buurten
        Buurt polygons (EPSG:28992) with a ``team`` column.
    title
        Title above the map.

    Returns
    -------
    bytes
        PNG image.
    """
    areas = buurten[["team", buurten.geometry.name]].dissolve(by="team")
    lowest = coverage.min(axis=1).reindex(areas.index) * 100.0
    areas = areas.assign(laagste=lowest.to_numpy())
    cmap = LinearSegmentedColormap.from_list("dekking", ["#d7301f", "#fdcc8a", "#1a9850"])
    fig, ax = _figure()
    areas.plot(
        column="laagste",
        ax=ax,
        cmap=cmap,
        norm=Normalize(vmin=50, vmax=100),
        edgecolor="#333333",
        linewidth=1.0,
        legend=True,
        legend_kwds={
            "label": "Laagste dekking van de behoefte in het team (%)",
            "shrink": 0.6,
            "orientation": "horizontal",
            "pad": 0.02,
        },
        missing_kwds={"color": "#dddddd"},
    )
    points = areas.geometry.representative_point()
    for team, pt in points.items():
        value = areas.loc[team, "laagste"]
        text = f"{team}\n{value:.0f}%" if value == value else str(team)
        ax.annotate(
            text,
            (pt.x, pt.y),
            ha="center",
            va="center",
            fontsize=7.5,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    return _finish(fig, ax, buurten.total_bounds, title)
