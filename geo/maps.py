"""folium maps: choropleths of indicators, themes and types, team outlines, profieltaarten.

This is the only module that imports folium. Every text that comes from data (buurt, wijk
and team names, type names) is HTML-escaped before it reaches the map, so a name such as
``<script>`` is shown as text and never runs. Geometry is reprojected to EPSG:4326 and
coordinates are rounded to 5 decimals (about 1 m) to keep the HTML small.
"""

from __future__ import annotations

import base64
import functools
import html
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import branca.colormap as cm
import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from geo._io import write_bytes_atomic
from geo.catalogue import CATALOGUE, indicator
from geo.profiles import THEME_COLOURS
from geo.summary import need_level

__all__ = [
    "ATTRIBUTION",
    "THEME_COLOURS",
    "choropleth_layer",
    "formation_map",
    "pie_svg",
    "profile_map",
    "save_map",
    "team_areas",
    "to_web",
]

ATTRIBUTION = "Bron: CBS, RIVM, PDOK (CC BY 4.0)"
_TILES_ATTR = "achtergrond © OpenStreetMap-bijdragers"
_TYPE_COLOURS = (
    "#8dd3c7",
    "#fb8072",
    "#80b1d3",
    "#fdb462",
    "#b3de69",
    "#fccde5",
    "#bebada",
    "#ffffb3",
    "#d9d9d9",
    "#bc80bd",
    "#ccebc5",
    "#ffed6f",
)
_INDICATOR_KEYS = {ind.key for ind in CATALOGUE}


def _root_html(m: folium.Map) -> Any:
    """Return the ``<body>`` element of the map figure, for legends and captions."""
    return m.get_root().html  # type: ignore[attr-defined]


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def to_web(gdf: gpd.GeoDataFrame, *, precision: int = 5) -> gpd.GeoDataFrame:
    """Reproject to EPSG:4326 and round coordinates to ``precision`` decimals.

    Parameters
    ----------
    gdf
        Polygons in any CRS.
    precision
        Decimals of degrees to keep (5 ≈ 1 m).

    Returns
    -------
    geopandas.GeoDataFrame
        A new frame in EPSG:4326.
    """
    web = gdf.to_crs(4326)
    grid = 10.0 ** (-precision)
    geoms = shapely.set_precision(web.geometry.to_numpy(), grid)
    return web.set_geometry(gpd.GeoSeries(geoms, index=web.index, crs=4326))


def team_areas(buurten: gpd.GeoDataFrame, *, by: str = "team") -> gpd.GeoDataFrame:
    """Dissolve buurten into team (or wijk) areas.

    Parameters
    ----------
    buurten
        Buurt polygons with a ``team`` (or ``by``) column.
    by
        Column to dissolve on.

    Returns
    -------
    geopandas.GeoDataFrame
        One polygon per team, with the summed ``inwoners`` when present.
    """
    cols = [by, buurten.geometry.name] + (["inwoners"] if "inwoners" in buurten else [])
    agg = {"inwoners": "sum"} if "inwoners" in buurten else None
    return buurten[cols].dissolve(by=by, aggfunc=agg or "first")


def pie_svg(
    shares: Mapping[str, float], *, size: int = 44, colours: tuple[str, ...] = THEME_COLOURS
) -> str:
    """Draw a profieltaart as an inline SVG.

    Parameters
    ----------
    shares
        Theme → share (any positive numbers; they are normalised).
    size
        Diameter in pixels.
    colours
        Slice colours in theme order.

    Returns
    -------
    str
        ``<svg>`` markup (escaped titles).
    """
    # colours follow the theme's position in ``shares`` (as in the legend), also when an
    # earlier theme has no slice
    items = [
        (i, k, float(v))
        for i, (k, v) in enumerate(shares.items())
        if v is not None and not math.isnan(v) and v > 0
    ]
    total = sum(v for _, _, v in items)
    r = size / 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}">'
    ]
    angle = -math.pi / 2
    for i, key, value in items:
        frac = value / total if total else 0.0
        colour = colours[i % len(colours)]
        title = f"<title>{_esc(key)}: {frac * 100:.0f}%</title>"
        if frac >= 0.999:
            parts.append(f'<circle cx="{r}" cy="{r}" r="{r - 1}" fill="{colour}">{title}</circle>')
            break
        end = angle + frac * 2 * math.pi
        x1, y1 = r + (r - 1) * math.cos(angle), r + (r - 1) * math.sin(angle)
        x2, y2 = r + (r - 1) * math.cos(end), r + (r - 1) * math.sin(end)
        large = 1 if frac > 0.5 else 0
        parts.append(
            f'<path d="M{r},{r} L{x1:.2f},{y1:.2f} A{r - 1},{r - 1} 0 {large} 1 '
            f'{x2:.2f},{y2:.2f} Z" fill="{colour}" stroke="white" stroke-width="0.7">'
            f"{title}</path>"
        )
        angle = end
    parts.append("</svg>")
    return "".join(parts)


_BOX = (
    "background:rgba(255,255,255,0.92);padding:6px 8px;border-radius:4px;"
    "font:12px sans-serif;box-shadow:0 1px 4px rgba(0,0,0,0.3)"
)

#: Leaflet positions its controls per corner and stacks them, so legends, the scale, the
#: source and the attribution never overlap; long texts wrap inside half the map width.
#: Team names are permanent labels that do not catch clicks.
_CONTROL_CSS = """
<style>
.leaflet-control.wijkteam-legenda, .leaflet-control.wijkteam-bron { max-width: 46%; }
.leaflet-control-attribution { max-width: 46%; white-space: normal;
  font: 10px/1.2 sans-serif !important; }
.wijkteam-naam { font: 600 11px sans-serif; color: #222; text-align: center;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; white-space: nowrap;
  pointer-events: none; }
</style>
"""


class _Control(MacroElement):
    """A piece of HTML as a Leaflet control in one corner of the map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this.map_name() }};
            var slot = {{ this.slot|tojson }};
            var control = L.control({position: {{ this.position|tojson }}});
            control.onAdd = function() {
                var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            if (slot) {
                map._wijkteamControls = map._wijkteamControls || {};
                if (map._wijkteamControls[slot]) { map.removeControl(map._wijkteamControls[slot]); }
                map._wijkteamControls[slot] = control;
            }
            control.addTo(map);
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self, html_text: str, *, position: str, css_class: str, slot: str | None = None
    ) -> None:
        super().__init__()
        self._name = "WijkteamControl"
        self.html = html_text
        self.position = position
        self.css_class = f"{css_class}"
        self.slot = slot

    def map_name(self) -> str:
        """Return the JavaScript name of the map this control is (indirectly) added to."""
        node = self._parent
        while node is not None and not isinstance(node, folium.Map):
            node = getattr(node, "_parent", None)
        return str(node.get_name()) if node is not None else "map"


class _MetricScale(MacroElement):
    """Leaflet's scale bar in metres and kilometres only (folium's also shows miles)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({metric: true, imperial: false, position: 'bottomleft'})
            .addTo({{ this._parent.get_name() }});
        {{ this._parent.get_name() }}.attributionControl.setPrefix(false);
        {% endmacro %}
        """
    )


def _add_control(m: folium.Map, html_text: str, *, position: str, css_class: str) -> None:
    m.add_child(_Control(html_text, position=position, css_class=css_class))


def _add_names(m: folium.Map, points: Any, *, dy: int | Mapping[str, int]) -> None:
    """Write each team's name on the map (``dy`` pixels below its point, or per team)."""
    group = folium.FeatureGroup(name="Teamnamen")
    for team, pt in points.items():
        below = dy.get(str(team), 0) if isinstance(dy, Mapping) else dy
        folium.Marker(
            location=[round(pt.y, 5), round(pt.x, 5)],
            icon=folium.DivIcon(
                html=f'<div class="wijkteam-naam">{_esc(team)}</div>',
                icon_size=(160, 16),
                icon_anchor=(80, -below),
                class_name="wijkteam-naam-icoon",
            ),
            interactive=False,
        ).add_to(group)
    group.add_to(m)


def _legend_html(title: str, entries: list[tuple[str, str]]) -> str:
    rows = "".join(
        f'<div><span style="display:inline-block;width:12px;height:12px;background:{c};'
        f'margin-right:6px;border:1px solid #999"></span>{_esc(label)}</div>'
        for label, c in entries
    )
    return f'<div class="wijkteam-legenda" style="{_BOX}"><b>{_esc(title)}</b>{rows}</div>'


def _gradient_legend_html(cmap: cm.LinearColormap, title: str) -> str:
    """Return a colour-scale legend in plain HTML/CSS.

    branca's own legend draws with d3 loaded from d3js.org; when that host is unreachable
    (offline, a municipal network) its script error stops the whole map from drawing.
    """
    stops = ", ".join(
        cmap.rgb_hex_str(cmap.vmin + (cmap.vmax - cmap.vmin) * i / 10) for i in range(11)
    )

    def num(v: float) -> str:
        return f"{v:,.0f}".replace(",", ".") if abs(v) >= 10 else f"{v:.1f}".replace(".", ",")

    return (
        f'<div class="wijkteam-legenda" style="{_BOX};width:200px;max-width:100%">'
        f"<b>{_esc(title)}</b>"
        f'<div style="height:12px;margin:4px 0;border:1px solid #999;'
        f'background:linear-gradient(to right, {stops})"></div>'
        f'<div style="display:flex;justify-content:space-between"><span>{num(cmap.vmin)}</span>'
        f"<span>{num(cmap.vmax)}</span></div></div>"
    )


#: Leaflet 1.9.3 (BSD-2-Clause) and jQuery 3.7.1 (MIT; folium's popups use it), shipped with
#: the package with their licences in ``geo/web/``.
_WEB = Path(__file__).resolve().with_name("web")


@functools.cache
def _data_uri(name: str, mime: str) -> str:
    data = (_WEB / name).read_bytes()
    if name.endswith(".css"):  # the layer-control icons, inline as well
        for image in ("layers.png", "layers-2x.png"):
            png = base64.b64encode((_WEB / image).read_bytes()).decode("ascii")
            data = data.replace(f"images/{image}".encode(), f"data:image/png;base64,{png}".encode())
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def self_contained(m: folium.Map) -> folium.Map:
    """Make a map load Leaflet from itself instead of CDNs (in place; returns ``m``).

    folium loads Leaflet, jQuery, Bootstrap and marker plugins from CDNs; where those are
    blocked (a municipal network, no internet) the map stays empty. The maps of this package
    use Leaflet and (for popups) jQuery only, so those are embedded as data URIs (about
    0.3 MB): the polygons, pies, tooltips, popups and legends then draw offline; only the
    OpenStreetMap background needs a network.
    """
    m.default_js = [
        ("leaflet", _data_uri("leaflet.js", "text/javascript")),
        ("jquery", _data_uri("jquery.min.js", "text/javascript")),
    ]
    m.default_css = [("leaflet_css", _data_uri("leaflet.css", "text/css"))]
    return m


def _base_map(gdf_web: gpd.GeoDataFrame) -> folium.Map:
    minx, miny, maxx, maxy = gdf_web.total_bounds
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=12,
        tiles=None,
        control_scale=False,
        prefer_canvas=False,
    )
    m.add_child(_MetricScale())
    _root_html(m).add_child(folium.Element(_CONTROL_CSS))
    folium.TileLayer(
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        name="Achtergrond",
        attr=_TILES_ATTR,
        opacity=0.6,
    ).add_to(m)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return self_contained(m)


def _sequential(values: pd.Series, caption: str) -> cm.LinearColormap:
    """Return a light-to-dark blue scale over the range of ``values`` (NaN ignored)."""
    finite = values.dropna()
    lo, hi = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    if hi <= lo:
        hi = lo + 1.0
    cmap = cm.LinearColormap(["#f7fbff", "#6baed6", "#08306b"], vmin=lo, vmax=hi)
    cmap.caption = caption
    return cmap


def _add_source(m: folium.Map, note: str | None = None) -> None:
    """Put the data attribution (and an optional note) above Leaflet's attribution."""
    source = _esc(ATTRIBUTION) + (f" | {_esc(note)}" if note else "")
    _add_control(
        m,
        '<div class="wijkteam-bron" style="background:rgba(255,255,255,0.85);padding:2px 6px;'
        f'font:11px sans-serif">{source}</div>',
        position="bottomright",
        css_class="wijkteam-bron",
    )


def _add_filled(
    m: folium.Map | folium.FeatureGroup,
    layer: gpd.GeoDataFrame,
    *,
    name: str,
    fields: list[str],
    aliases: list[str],
    outline: tuple[str, float],
    opacity: float = 0.75,
    highlight: float | None = None,
) -> None:
    """Add polygons coloured by their ``_fill`` property, with an escaped tooltip."""
    colour, weight = outline
    folium.GeoJson(
        layer.to_json(drop_id=True),
        name=name,
        style_function=lambda f: {
            "fillColor": f["properties"]["_fill"],
            "color": colour,
            "weight": weight,
            "fillOpacity": opacity,
        },
        highlight_function=(
            None if highlight is None else lambda f: {"weight": highlight, "color": "#000000"}
        ),
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, localize=False),
    ).add_to(m)


def _column_label(column: str, labels: Mapping[str, str]) -> str:
    if column.startswith("index_"):
        key = column.removeprefix("index_")
        return f"{labels.get(key, key)} (index, 100 = gemiddelde)"
    if column == "type":
        return "Profieltype"
    if column in _INDICATOR_KEYS:
        ind = indicator(column)
        return f"{ind.label} ({ind.unit})"
    return column


def profile_map(
    profiles: Any,
    *,
    column: str = "index_financieel",
    pies: str | None = "team",
    precision: int = 5,
    choropleth: bool = True,
) -> folium.Map:
    """Map one indicator, theme index or the profile type of every buurt.

    Parameters
    ----------
    profiles
        A :class:`geo.Profiles`.
    column
        An indicator key, ``index_<thema>`` or ``type``.
    pies
        Draw profieltaarten per ``"team"``, ``"wijk"`` or ``"buurt"``; ``None`` for none.
    precision
        Coordinate decimals.
    choropleth
        Include the coloured buurten, team outlines and legend (:func:`choropleth_layer`);
        ``False`` gives the base map only (background, pies, names, source, scale), to which
        an app adds the layer of the chosen column without redrawing the map.

    Returns
    -------
    folium.Map
        Choropleth with tooltips, legend, team outlines, pies and attribution.

    Raises
    ------
    KeyError
        If ``column`` is not in the buurt table (and ``choropleth`` is true).
    """
    gdf = profiles.buurten
    if choropleth and column not in gdf.columns:
        raise KeyError(f"kolom {column!r} bestaat niet in de buurttabel")
    web = to_web(gdf[[gdf.geometry.name]], precision=precision)
    m = _base_map(web)
    if choropleth:
        choropleth_layer(profiles, column=column, precision=precision).add_to(m)
    # team outlines in a pane of their own above the buurten, so a choropleth added later
    # (in the app, without redrawing the map) never covers them
    folium.map.CustomPane("teamgrenzen", z_index=450, pointer_events=False).add_to(m)
    teams = to_web(team_areas(gdf), precision=precision)
    tprops = gpd.GeoDataFrame(
        {"team": [_esc(t) for t in teams.index]}, geometry=teams.geometry.to_numpy(), crs=4326
    )
    folium.GeoJson(
        tprops.to_json(drop_id=True),
        name="Teamgebieden",
        style_function=lambda f: {"fill": False, "color": "#d7301f", "weight": 2.5},
        pane="teamgrenzen",
    ).add_to(m)
    if pies:
        _add_pies(m, profiles, level=pies, precision=precision)
    _add_source(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def choropleth_layer(
    profiles: Any, *, column: str = "index_financieel", precision: int = 5
) -> folium.FeatureGroup:
    """Return the coloured buurten and the legend of one column.

    A layer of its own, so that the app can swap it on a map without redrawing the map
    (streamlit-folium's ``feature_group_to_add``); :func:`profile_map` adds it to its map.

    Parameters
    ----------
    profiles
        A :class:`geo.Profiles`.
    column
        An indicator key, ``index_<thema>`` or ``type``.
    precision
        Coordinate decimals.

    Returns
    -------
    folium.FeatureGroup
        The layer; its legend replaces the legend of an earlier such layer on the map.

    Raises
    ------
    KeyError
        If ``column`` is not in the buurt table.
    """
    gdf = profiles.buurten
    if column not in gdf.columns:
        raise KeyError(f"kolom {column!r} bestaat niet in de buurttabel")
    labels = dict(profiles.buurt.labels)
    title = _column_label(column, labels)
    cols = ["buurtnaam", "wijknaam", "team", "inwoners", column, gdf.geometry.name]
    web = to_web(gdf[list(dict.fromkeys(cols))], precision=precision)
    group = folium.FeatureGroup(name=_esc(title), control=False)
    provenance = profiles.indicators.source
    props = pd.DataFrame(index=web.index)
    props["code"] = web.index
    props["buurt"] = web["buurtnaam"].map(_esc)
    props["wijk"] = web["wijknaam"].map(_esc)
    props["team"] = web["team"].map(_esc)
    props["inwoners"] = web["inwoners"].map(lambda v: f"{v:,.0f}".replace(",", "."))
    if column == "type":
        types = list(profiles.typology.centres.index)
        colours = {t: _TYPE_COLOURS[i % len(_TYPE_COLOURS)] for i, t in enumerate(types)}
        props["waarde"] = web[column].map(_esc)
        fills = web[column].map(colours).fillna("#cccccc")
        legend = _legend_html(title, [(t, colours[t]) for t in types])
    else:
        vals = web[column].astype(float)
        cmap = _sequential(vals, title)
        fills = vals.map(lambda v: cmap(v) if not np.isnan(v) else "#cccccc")
        src = provenance[column].reindex(web.index) if column in provenance else None

        def fmt(code: str, v: float) -> str:
            if np.isnan(v):
                return "onbekend"
            note = ""
            if src is not None and src.get(code, "buurt") not in ("buurt", ""):
                note = f" ({'uit wijk' if src[code] == 'wijk' else src[code]})"
            return f"{v:.1f}".replace(".", ",") + note

        props["waarde"] = [fmt(c, v) for c, v in zip(web.index, vals, strict=True)]
        legend = _gradient_legend_html(cmap, title)
    layer_gdf = gpd.GeoDataFrame(props, geometry=web.geometry, crs=4326)
    layer_gdf["_fill"] = fills.to_numpy()
    _add_filled(
        group,
        layer_gdf,
        name=_esc(title),
        fields=["buurt", "wijk", "team", "inwoners", "waarde"],
        aliases=["Buurt", "Wijk", "Team", "Inwoners", _esc(title)],
        outline=("#555555", 0.6),
        highlight=2.5,
    )
    group.add_child(
        _Control(legend, position="bottomleft", css_class="wijkteam-legenda", slot="legenda")
    )
    return group


def _add_pies(m: folium.Map, profiles: Any, *, level: str, precision: int) -> None:
    gdf = profiles.buurten
    scores = {"team": profiles.team, "wijk": profiles.wijk, "buurt": profiles.buurt}[level]
    if level == "team":
        areas = team_areas(gdf)
    elif level == "wijk":
        areas = team_areas(gdf, by="wijkcode")
    else:
        areas = gdf[[gdf.geometry.name]]
    points = areas.geometry.representative_point().to_crs(4326)
    labels = scores.labels
    keys = list(scores.shares.columns)
    group = folium.FeatureGroup(name=f"Profieltaarten per {level}")
    base = 46 if level == "team" else 30 if level == "wijk" else 20
    # a team's pie grows with its need level (mean theme index): the mix of themes is much
    # alike between teams, the amount of need per inhabitant is not
    levels = need_level(profiles) if level == "team" else pd.Series(dtype=float)
    sizes: dict[str, int] = {}
    for code, pt in points.items():
        if code not in scores.shares.index:
            continue
        factor = float(np.clip(levels.get(code, 100.0) / 100.0, 0.6, 1.8))
        size = round(base * factor)
        sizes[str(code)] = size
        row = scores.shares.loc[code]
        name = (
            gdf.loc[code, "buurtnaam"]
            if level == "buurt"
            else (gdf.loc[gdf["wijkcode"] == code, "wijknaam"].iloc[0] if level == "wijk" else code)
        )
        svg = pie_svg({labels[k]: row[k] for k in keys}, size=size)
        table = "".join(
            f"<tr><td>{_esc(labels[k])}</td><td style='text-align:right'>"
            f"{row[k]:.0f}%</td><td style='text-align:right'>"
            f"{scores.index.loc[code, k]:.0f}</td></tr>"
            for k in keys
            if not np.isnan(row[k])
        )
        popup = (
            f"<b>{_esc(name)}</b><br>Profieltaart (aandeel %, index)"
            f"<table>{table}</table><small>{_esc(ATTRIBUTION)}</small>"
        )
        folium.Marker(
            location=[round(pt.y, precision), round(pt.x, precision)],
            icon=folium.DivIcon(
                html=f'<div class="wijkteam-taart" title="{_esc(name)}">{svg}</div>',
                icon_size=(size, size),
                icon_anchor=(size // 2, size // 2),
            ),
            popup=folium.Popup(popup, max_width=320),
            tooltip=_esc(name),
        ).add_to(group)
    group.add_to(m)
    if level == "team":
        named = points[[c for c in points.index if str(c) in sizes]]
        _add_names(m, named, dy={c: s // 2 + 2 for c, s in sizes.items()})
    entries = [(labels[k], THEME_COLOURS[i % len(THEME_COLOURS)]) for i, k in enumerate(keys)]
    note = " (grootte: behoefte per inwoner)" if level == "team" else ""
    _add_control(
        m,
        _legend_html(f"Profieltaart: thema's{note}", entries),
        position="topright",
        css_class="wijkteam-legenda",
    )


def formation_map(
    coverage: pd.DataFrame,
    *,
    buurten: gpd.GeoDataFrame,
    labels: Mapping[str, str] | None = None,
    precision: int = 5,
) -> folium.Map:
    """Map the coverage of need per team (share of the need-based target that is staffed).

    Parameters
    ----------
    coverage
        Team × discipline coverage as a fraction (1.0 = need fully covered).
    buurten
        Buurt polygons with a ``team`` column (e.g. ``Profiles.buurten``).
    labels
        Discipline key → Dutch name for the tooltip.
    precision
        Coordinate decimals.

    Returns
    -------
    folium.Map
        Teams coloured by their lowest coverage; tooltip with every discipline.
    """
    labels = dict(labels or {})
    teams = to_web(team_areas(buurten), precision=precision)
    cov = coverage.reindex(teams.index)
    lowest = cov.min(axis=1) * 100.0
    cmap = cm.LinearColormap(["#d7301f", "#fdcc8a", "#1a9850"], vmin=50, vmax=100)
    cmap.caption = "Laagste dekking van de behoefte in het team (%)"
    props = pd.DataFrame(index=teams.index)
    props["team"] = [_esc(t) for t in teams.index]
    props["laagste"] = lowest.map(lambda v: "onbekend" if np.isnan(v) else f"{v:.0f}%")
    fields, aliases = ["team", "laagste"], ["Team", "Laagste dekking"]
    for i, disc in enumerate(cov.columns):
        col = f"d{i}"
        props[col] = cov[disc].map(lambda v: "—" if np.isnan(v) else f"{100 * v:.0f}%")
        fields.append(col)
        aliases.append(_esc(labels.get(disc, disc)))
    props["_fill"] = lowest.map(lambda v: "#cccccc" if np.isnan(v) else cmap(min(max(v, 50), 100)))
    layer = gpd.GeoDataFrame(props, geometry=teams.geometry, crs=4326)
    m = _base_map(layer)
    _add_filled(
        m,
        layer,
        name="Dekking per team",
        fields=fields,
        aliases=aliases,
        outline=("#333333", 1.5),
        opacity=0.7,
    )
    _add_control(
        m,
        _gradient_legend_html(cmap, cmap.caption),
        position="bottomleft",
        css_class="wijkteam-legenda",
    )
    _add_names(m, teams.geometry.representative_point(), dy=0)
    _add_source(m)
    return m


def save_map(m: folium.Map, path: str | Path) -> Path:
    """Write a map to HTML atomically (temp file in the same folder, then rename).

    Parameters
    ----------
    m
        The map.
    path
        Target file.

    Returns
    -------
    pathlib.Path
        The written path.
    """
    return write_bytes_atomic(Path(path), m.get_root().render().encode("utf-8"))


def national_map(
    areas: gpd.GeoDataFrame,
    *,
    column: str,
    label_column: str | None = None,
    title: str | None = None,
    note: str | None = None,
    precision: int = 5,
) -> folium.Map:
    """Map a value for every gemeente (or wijk) of the country: one light GeoJSON layer.

    Meant for areas from :func:`geo.national.national_areas` (dissolved and
    coverage-simplified): a few hundred polygons instead of 14,000 buurten keep the HTML
    small and the browser responsive. Coordinates are rounded to ``precision`` decimals.

    Parameters
    ----------
    areas
        Polygons (any CRS) indexed by code, with ``column``.
    column
        A numeric column (continuous colour scale) or a text column such as a type name
        (one colour per category, with a legend).
    label_column
        Column with the area name for the tooltip; default: the index (code).
    title
        Legend caption and layer name; default: the catalogue label of ``column``.
    note
        Extra text shown next to the attribution (e.g. that the data are synthetic).
    precision
        Coordinate decimals.

    Returns
    -------
    folium.Map
        The map with tooltip (code, name, value), legend and attribution.

    Raises
    ------
    KeyError
        If ``column`` or ``label_column`` is missing.
    """
    for col in (column, label_column):
        if col is not None and col not in areas.columns:
            raise KeyError(f"kolom {col!r} bestaat niet in de gebiedentabel")
    keep = [column] + ([label_column] if label_column else [])
    web = to_web(areas[[*dict.fromkeys(keep), areas.geometry.name]], precision=precision)
    caption = title or _column_label(column, {})
    props = pd.DataFrame(index=web.index)
    props["code"] = [_esc(c) for c in web.index]
    names = web[label_column] if label_column else pd.Series(web.index, index=web.index)
    props["naam"] = names.map(_esc)
    values = web[column]
    legend = ""
    if pd.api.types.is_numeric_dtype(values):
        vals = values.astype(float)
        finite = vals.dropna()
        cmap = _sequential(vals, caption)
        decimals = 0 if bool((finite == finite.round()).all()) else 1
        props["waarde"] = vals.map(
            lambda v: (
                "onbekend"
                if np.isnan(v)
                else f"{v:_.{decimals}f}".replace(".", ",").replace("_", ".")
            )
        )
        fills = vals.map(lambda v: "#cccccc" if np.isnan(v) else cmap(v))
    else:
        cats = sorted(str(v) for v in values.dropna().unique())
        colours = {c: _TYPE_COLOURS[i % len(_TYPE_COLOURS)] for i, c in enumerate(cats)}
        props["waarde"] = values.map(lambda v: "onbekend" if pd.isna(v) else _esc(v))
        fills = values.map(lambda v: colours.get(str(v), "#cccccc"))
        legend = _legend_html(caption, [(c, colours[c]) for c in cats])
    layer = gpd.GeoDataFrame(props, geometry=web.geometry, crs=4326)
    layer["_fill"] = fills.to_numpy()
    m = _base_map(layer)
    _add_filled(
        m,
        layer,
        name=_esc(caption),
        fields=["code", "naam", "waarde"],
        aliases=["Code", "Naam", _esc(caption)],
        outline=("#555555", 0.5),
        highlight=2,
    )
    if not legend:
        legend = _gradient_legend_html(cmap, caption)
    _root_html(m).add_child(folium.Element(legend))
    _add_source(m, note)
    return m


# ---------------------------------------------------------------------------- team areas

_AREA_COLOURS = (*_TYPE_COLOURS, "#a6cee3", "#b2df8a", "#fb9a99", "#cab2d6")


def team_areas_map(areas: Any, profiles: Any, *, precision: int = 5) -> folium.Map:
    """Map designed team areas (filled) against the current ones (dashed outlines).

    Parameters
    ----------
    areas
        A :class:`geo.areas.TeamAreas` (its ``table`` and ``balance.summary``).
    profiles
        The profiles: buurt polygons with today's ``team`` column.
    precision
        Coordinate decimals.

    Returns
    -------
    folium.Map
        Two toggleable layers, *Nieuwe teamgebieden* (tooltip: team, workload, inhabitants,
        deviation from the mean) and *Huidige teamgebieden*, a legend and the attribution.
    """
    buurten = profiles.buurten
    new = buurten[[buurten.geometry.name]].assign(team=areas.table["team"].reindex(buurten.index))
    new_areas = to_web(team_areas(new), precision=precision)
    summary = areas.balance.summary.reindex(new_areas.index)
    colours = {t: _AREA_COLOURS[i % len(_AREA_COLOURS)] for i, t in enumerate(new_areas.index)}
    props = pd.DataFrame(index=new_areas.index)
    props["team"] = [_esc(t) for t in new_areas.index]
    props["werklast"] = summary["werklast"].map(lambda v: f"{v:.1f}".replace(".", ","))
    props["inwoners"] = summary["inwoners"].map(lambda v: f"{v:,.0f}".replace(",", "."))
    props["afwijking"] = summary["afwijking_werklast"].map(lambda v: f"{v:+.0f}%")
    props["_fill"] = [colours[t] for t in new_areas.index]
    layer = gpd.GeoDataFrame(props, geometry=new_areas.geometry, crs=4326)
    m = _base_map(layer)
    _add_filled(
        m,
        layer,
        name="Nieuwe teamgebieden",
        fields=["team", "werklast", "inwoners", "afwijking"],
        aliases=["Nieuw team", "Werklast", "Inwoners", "Afwijking van gemiddelde"],
        outline=("#222222", 2.0),
        opacity=0.55,
        highlight=3.0,
    )
    current = to_web(team_areas(buurten), precision=precision)
    cur = gpd.GeoDataFrame(
        {"team": [_esc(t) for t in current.index]}, geometry=current.geometry, crs=4326
    )
    folium.GeoJson(
        cur.to_json(drop_id=True),
        name="Huidige teamgebieden",
        style_function=lambda f: {
            "fillOpacity": 0.0,
            "color": "#d62728",
            "weight": 2.5,
            "dashArray": "6 4",
        },
        tooltip=folium.GeoJsonTooltip(fields=["team"], aliases=["Huidig team"], localize=False),
    ).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    entries = [(str(t), colours[t]) for t in new_areas.index]
    _add_control(
        m,
        _legend_html("Nieuwe teamgebieden (rood gestippeld: huidige)", entries),
        position="bottomleft",
        css_class="wijkteam-legenda",
    )
    _add_source(m, f"{areas.n_teams} teams, methode: {areas.method}")
    return m
