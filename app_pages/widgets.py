"""Small shared pieces of the pages: escaping, messages, pies, the formation table."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st
from matplotlib.figure import Figure

import geo
import optimize
from app_pages import cached
from wijkteam import scenario_store

#: Errors of the project that are shown as a message; anything else is a bug and surfaces.
PROJECT_ERRORS = (
    geo.ValidationError,
    optimize.ValidationError,
    scenario_store.ScenarioStoreError,
)
BRON = "Bron: CBS, RIVM, PDOK (CC BY 4.0)"
#: The calculation modes in words; the technical names only in :data:`MODE_HELP`.
MODES = {"lp": "Snel: uren met decimalen", "milp": "Hele blokken en personen"}
MODE_HELP = (
    "Snel: elk team krijgt precies de uren die de verdeling vraagt, ook 22,7 uur "
    "(een lineair programma, LP; milliseconden). Hele blokken en personen: uren in blokken "
    "van 4 uur en hele personen met een echt contract (een gemengd-geheeltallig programma, "
    "MILP); dat duurt enkele seconden."
)


@dataclass(frozen=True)
class Page:
    """One page of the app: its title, address, icon and render function."""

    title: str
    url_path: str
    icon: str
    render: Callable[[], None]


def md(text: object) -> str:
    """Escape Markdown, HTML and LaTeX syntax in text that comes from data or uploads."""
    return re.sub(r"([\\`*_{}\[\]()#+!|~<>&$:-])", r"\\\1", str(text))


def plain(text: object) -> str:
    """Escape matplotlib's mathtext (``$``) in text that comes from data or uploads."""
    return str(text).replace("$", r"\$")


def clean_message(message: str) -> str:
    """Remove the private upload directory from a message, leaving the file name."""
    return re.sub(r"\S*wijkteam-upload-[^/\s]+/[0-9a-f]{16}/", "", message)


def show_error(exc: BaseException) -> None:
    """Show a project error as one message (upload paths shortened to the file name)."""
    st.error(clean_message(str(exc)), icon=":material/error:")


def row(frame: pd.DataFrame, key: str) -> pd.Series:
    """Return one row of a frame with a unique index as a Series."""
    return frame.loc[key]  # type: ignore[return-value]


def pie_figure(shares: pd.Series, labels: Mapping[str, str], title: str) -> Any:
    """Draw a profieltaart as a matplotlib figure (same colours as on the map)."""
    colours = list(geo.THEME_COLOURS)
    values = shares.fillna(0.0)
    fig = Figure(figsize=(4.2, 3.2), dpi=100)  # no pyplot: the server runs many sessions
    ax = fig.subplots()
    ax.pie(
        values.to_numpy(),
        labels=[plain(labels.get(str(k), str(k))) for k in values.index],
        colors=[colours[i % len(colours)] for i in range(len(values))],
        autopct=lambda p: f"{p:.0f}%" if p >= 4 else "",
        startangle=90,
        counterclock=False,
        wedgeprops={"linewidth": 1, "edgecolor": "white"},
        textprops={"fontsize": 8},
    )
    ax.set_title(plain(title), fontsize=10)
    ax.axis("equal")
    fig.tight_layout()
    return fig


def index_bars(index: pd.Series, labels: Mapping[str, str]) -> Any:
    """Draw theme indices as horizontal bars against 100 (the municipal average).

    Where the pie shows the mix, the bars show the level: a team with twice the city's
    need has bars far beyond the 100 line even when its pie looks like the others.
    """
    values = index.astype(float)
    colours = list(geo.THEME_COLOURS)
    fig = Figure(figsize=(4.2, 3.2), dpi=100)  # no pyplot: the server runs many sessions
    ax = fig.subplots()
    names = [plain(labels.get(str(k), str(k))) for k in values.index]
    ax.barh(
        names,
        values.fillna(0.0).to_numpy() - 100.0,
        left=100.0,
        color=[colours[i % len(colours)] for i in range(len(values))],
    )
    ax.axvline(100.0, color="#333333", linewidth=1)
    for i, v in enumerate(values):
        if v == v:
            ax.text(v, i, f" {v:.0f} ", va="center", ha="left" if v >= 100 else "right", fontsize=8)
    lo = min(50.0, float(values.min()) - 15) if values.notna().any() else 50.0
    hi = max(150.0, float(values.max()) + 25) if values.notna().any() else 150.0
    ax.set_xlim(lo, hi)
    ax.invert_yaxis()
    ax.set_xlabel("index (100 = gemeentelijk gemiddelde)", fontsize=8)
    ax.tick_params(labelsize=8)
    ax.set_title("Behoefte per thema t.o.v. de gemeente", fontsize=10)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig


@st.cache_data(show_spinner=False, max_entries=64)
def map_view(source: Any, *, height: int, width: int) -> tuple[tuple[float, float], int]:
    """Return the centre and the zoom level at which the whole municipality fits the map.

    folium's ``fit_bounds`` runs before streamlit-folium has sized its frame, so a small map
    opened zoomed in on one corner; the zoom follows from the extent in metres instead.
    """
    buurten = cached.profiles_of(source).buurten
    minx, miny, maxx, maxy = (float(v) for v in buurten.total_bounds)  # EPSG:28992, metres
    centre = gpd_point_4326((minx + maxx) / 2, (miny + maxy) / 2)
    metres_per_pixel_z0 = 156_543.03 * math.cos(math.radians(centre[0]))
    zoom_y = math.log2(0.9 * height * metres_per_pixel_z0 / max(maxy - miny, 1.0))
    zoom_x = math.log2(0.9 * width * metres_per_pixel_z0 / max(maxx - minx, 1.0))
    return centre, max(1, min(18, math.floor(min(zoom_x, zoom_y))))


def gpd_point_4326(x: float, y: float) -> tuple[float, float]:
    """Return (lat, lon) of a point given in EPSG:28992."""
    from pyproj import Transformer

    lon, lat = Transformer.from_crs(28992, 4326, always_xy=True).transform(x, y)
    return (round(float(lat), 5), round(float(lon), 5))


def figure_png(fig: Any) -> bytes:
    """Render a matplotlib figure as PNG bytes and free it."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def show_figure(fig: Any) -> None:
    """Show a matplotlib figure and free it."""
    st.pyplot(fig, clear_figure=True)


def formation_styler(result: optimize.Result) -> Any:
    """Style the formation (team × discipline, hours/week), colouring the change vs now."""
    names = {d.key: d.naam for d in result.scenario.disciplines}
    formation = result.formation.rename(columns=names)
    diff = result.wide("verschil_huidig").rename(columns=names)

    def colour(v: float) -> str:
        if v > 0.05:
            return "background-color: #c7e9c0; color: #00441b"
        if v < -0.05:
            return "background-color: #fcbba1; color: #67000d"
        return ""

    css = diff.map(colour)
    return formation.style.format("{:.1f}", decimal=",").apply(lambda _: css, axis=None)


def render_explanation(lines: tuple[str, ...] | list[str]) -> None:
    """Plain-Dutch explanation lines as a list."""
    st.markdown("\n".join(f"- {md(line)}" for line in lines))


def nl(value: float, decimals: int = 1, *, sign: bool = False) -> str:
    """Format a number the Dutch way: ``1.234,5`` (``+1.234,5`` with ``sign``)."""
    if value != value:  # NaN
        return "—"
    text = f"{value:{'+' if sign else ''},.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".").replace("-", "−")


def dutch(frame: pd.DataFrame, formats: Mapping[str, int | str] | None = None) -> Any:
    """Style a table with decimal commas and thousands dots.

    ``formats`` maps a column to its number of decimals, or to ``"%"`` (a 0–1 fraction as a
    percentage with one decimal), ``"€"`` (whole euros) or ``"+"`` (signed, one decimal);
    other numeric columns get one decimal.
    """
    formats = dict(formats or {})

    def formatter(spec: int | str) -> Callable[[Any], str]:
        if spec == "%":
            return lambda v: "—" if pd.isna(v) else f"{nl(100 * float(v), 1)}%"
        if spec == "€":
            return lambda v: "—" if pd.isna(v) else optimize.format_amount(float(v))
        if spec == "+":
            return lambda v: "—" if pd.isna(v) else nl(float(v), 1, sign=True)
        return lambda v: "—" if pd.isna(v) else nl(float(v), int(spec))

    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    fmt = {c: formatter(formats.get(str(c), 1)) for c in numeric}
    return frame.style.format(fmt)  # type: ignore[arg-type]


#: Streamlit's own texts on the upload widget are English and cannot be configured; these
#: rules replace them with Dutch (the English text is hidden, the Dutch one drawn instead).
DUTCH_CHROME_CSS = """
<style>
[data-testid="stFileUploaderDropzoneInstructions"] * {
  visibility: hidden; font-size: 0 !important; line-height: 0 !important;
}
[data-testid="stFileUploaderDropzoneInstructions"]::after {
  content: "Sleep een bestand hierheen (maximaal 200 MB per bestand)";
  visibility: visible; font-size: 0.85rem; color: rgba(49, 51, 63, 0.6);
}
[data-testid="stFileUploaderDropzone"] button * { display: none !important; }
[data-testid="stFileUploaderDropzone"] button::after {
  content: "Bestand kiezen"; font-size: 0.9rem;
}
</style>
"""


def render_dutch_chrome() -> None:
    """Replace Streamlit's English widget texts by Dutch ones (CSS only, no layout)."""
    st.html(DUTCH_CHROME_CSS)
