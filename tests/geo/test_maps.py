from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import geo
import optimize
from geo import maps
from tests.conftest import synthetic_buurten, synthetic_dataset

EVIL = '<script>alert("x")</script>'


def _evil_profiles() -> geo.Profiles:
    polys = synthetic_buurten()
    n = len(polys)
    rng = np.random.default_rng(3)
    vals = pd.DataFrame(
        {
            "inwoners": 500.0,
            "pct_0_15": 10.0,
            "eenzaam": rng.uniform(20, 50, n),
            "stress": rng.uniform(5, 20, n),
            "pct_65plus": rng.uniform(5, 30, n),
        },
        index=polys.index,
    )
    teams = pd.Series([EVIL] * 4 + ["Team <b>B</b>"] * 8, index=polys.index)
    ds = synthetic_dataset(vals, teams=teams)
    ds.buurten.loc[ds.buurten.index[0], "buurtnaam"] = EVIL
    themes = (
        geo.Theme("a", "Thema <i>A</i>", (), (("eenzaam", 1.0),)),
        geo.Theme("b", "Thema B", (), (("stress", 1.0), ("pct_65plus", 1.0))),
    )
    return geo.build_profiles(ds, themes=themes, types=2)


def _html(m) -> str:
    return m.get_root().render()


def test_data_text_is_escaped_everywhere() -> None:
    p = _evil_profiles()
    for column in ("index_a", "type", "eenzaam"):
        html = _html(geo.profile_map(p, column=column, pies="buurt"))
        assert "<script>alert" not in html
        assert "&lt;script&gt;" in html or "&amp;lt;script&amp;gt;" in html
        assert "<b>B</b>" not in html
        assert "<i>A</i>" not in html


def test_profile_map_has_layers_legend_pies_and_attribution(haarlem_profiles) -> None:
    html = _html(geo.profile_map(haarlem_profiles, column="index_financieel"))
    assert "Bron: CBS, RIVM, PDOK" in html
    assert "Teamgebieden" in html
    assert html.count("wijkteam-taart") == 10  # one pie per team
    assert "problemen (index, 100 = gemiddelde)" in html  # legend caption (JSON-escaped ë)
    assert "Profieltaart: thema" in html
    # tooltip fields and every buurt present
    assert html.count('"code": "BU0392') == 111


def test_type_map_legend_lists_every_type(haarlem_profiles) -> None:
    html = _html(geo.profile_map(haarlem_profiles, column="type", pies=None))
    for name in haarlem_profiles.typology.centres.index:
        assert maps._esc(name) in html
    assert "wijkteam-taart" not in html


def test_coordinates_are_rounded_to_five_decimals(haarlem_profiles) -> None:
    html = _html(geo.profile_map(haarlem_profiles, column="eenzaam", pies=None))
    coords = re.findall(r"\[(4\.\d+), (52\.\d+)\]", html)
    assert coords
    assert max(len(x.split(".")[1]) for x, _ in coords) <= 5


def test_pie_svg_slices_follow_shares() -> None:
    svg = maps.pie_svg({"a": 75.0, "b": 25.0})
    assert svg.count("<path") == 2
    assert "a: 75%" in svg
    assert "b: 25%" in svg
    full = maps.pie_svg({"a": 100.0, "b": 0.0})
    assert "<circle" in full


def test_pie_svg_colours_stay_with_their_theme_when_a_slice_is_empty() -> None:
    colours = ("#111111", "#222222", "#333333")
    svg = maps.pie_svg({"a": 0.0, "b": 60.0, "c": 40.0}, colours=colours)
    assert "#111111" not in svg  # theme a has no slice
    assert 'fill="#222222"' in svg.split("b: 60%")[0].rsplit("<path", 1)[1]
    assert 'fill="#333333"' in svg.split("c: 40%")[0].rsplit("<path", 1)[1]


def test_formation_map_colours_by_lowest_coverage(haarlem_profiles) -> None:
    teams = haarlem_profiles.team.shares.index
    cov = pd.DataFrame({"ggz": 0.5, "wmo": 1.0}, index=teams)
    cov.loc["Meerwijk", "ggz"] = 0.93
    html = _html(geo.formation_map(cov, profiles=haarlem_profiles, labels={"ggz": "GGZ"}))
    assert "Laagste dekking" in html
    assert "93%" in html
    assert "50%" in html
    assert "GGZ" in html
    assert "Bron: CBS, RIVM, PDOK" in html


def test_save_map_is_atomic_and_readable(tmp_path, haarlem_profiles) -> None:
    target = tmp_path / "kaart.html"
    geo.save_map(geo.profile_map(haarlem_profiles, pies=None), target)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["kaart.html"]


def _geojson_layers(m) -> dict[str, dict]:
    import folium

    return {
        child.layer_name: child.data
        for child in m._children.values()
        if isinstance(child, folium.GeoJson)
    }


def test_every_layer_of_the_profile_map_has_geometry(haarlem_profiles):
    # a misaligned index once left the team outlines without geometry (invisible)
    layers = _geojson_layers(geo.profile_map(haarlem_profiles, column="index_financieel"))
    assert "Teamgebieden" in layers
    teams = layers["Teamgebieden"]["features"]
    assert len(teams) == 10
    assert all(f["geometry"] and f["geometry"]["coordinates"] for f in teams)
    for name, data in layers.items():
        assert all(f["geometry"] for f in data["features"]), name


def test_colour_scale_legend_needs_no_d3(haarlem_profiles):
    # branca's legend loads d3 from d3js.org; offline its error stopped the map drawing
    html = geo.profile_map(haarlem_profiles, column="index_financieel").get_root().render()
    assert "d3js.org" not in html
    assert "linear-gradient" in html
    assert "Financiële problemen" in html


def test_maps_are_self_contained(haarlem_profiles):
    # Leaflet and jQuery are embedded: no script or stylesheet comes from a CDN
    html = geo.profile_map(haarlem_profiles, column="type").get_root().render()
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []
    assert "data:text/javascript;base64," in html
    assert len(html) < 1_500_000  # the Haarlem map target


def test_maps_read_well_names_metric_scale_and_stacked_legends(haarlem_profiles) -> None:
    html = _html(geo.profile_map(haarlem_profiles, column="index_financieel"))
    # every team's name is written on the map, not only in a tooltip (JSON-encoded HTML)
    names = set(re.findall(r'wijkteam-naam\\"\\u003e(.*?)\\u003c', html))
    shown = {n.replace("\\u0026", "&") for n in names}
    assert shown == {maps._esc(t) for t in haarlem_profiles.team.shares.index}
    # scale in metres only (folium's control_scale also shows miles)
    assert "imperial: false" in html
    assert "L.control.scale()" not in html
    # legends and the source are Leaflet controls in their own corners (stacked, never on
    # top of each other or of the attribution), not absolutely positioned boxes
    assert "position:absolute;z-index:9999" not in html
    assert '"bottomleft"' in html
    assert '"topright"' in html
    assert '"bottomright"' in html


def test_pies_are_sized_by_need_per_inhabitant(haarlem_profiles) -> None:
    html = _html(geo.profile_map(haarlem_profiles, column="index_financieel"))
    sizes = {int(s) for s in re.findall(r'svg\\" width=\\"(\d+)', html)}
    level = geo.need_level(haarlem_profiles)
    assert len(sizes) > 3  # the old pies were all 46 px
    assert max(sizes) > 46 > min(sizes)
    assert level.idxmax() == "Meerwijk"  # the highest need gets the largest pie
    big = round(46 * min(level.max() / 100, 1.8))
    assert big in sizes


def test_coverage_map_names_the_teams(haarlem_profiles) -> None:
    result = optimize.solve(optimize.load_scenario(), haarlem_profiles.team_need())
    html = _html(geo.formation_map(result.coverage, profiles=haarlem_profiles))
    assert len(re.findall(r'wijkteam-naam\\"\\u003e(.*?)\\u003c', html)) == 10


def test_static_png_maps(haarlem_profiles) -> None:
    png = geo.profile_png(haarlem_profiles, column="index_psychosociaal")
    assert png.startswith(b"\x89PNG")
    result = optimize.solve(optimize.load_scenario(), haarlem_profiles.team_need())
    cov = geo.coverage_png(result.coverage, buurten=haarlem_profiles.buurten)
    assert cov.startswith(b"\x89PNG")
    with pytest.raises(KeyError, match="bestaat niet"):
        geo.profile_png(haarlem_profiles, column="geen_kolom")


def test_theme_layer_swaps_without_a_new_map(haarlem_profiles) -> None:
    base = _html(geo.profile_map(haarlem_profiles, choropleth=False))
    assert '"code": "BU0392' not in base  # no coloured buurten in the base map
    assert "Teamgebieden" in base  # outlines, pies and names stay on the base map
    assert "wijkteam-taart" in base
    layer = geo.choropleth_layer(haarlem_profiles, column="index_psychosociaal")
    m = geo.profile_map(haarlem_profiles, choropleth=False)
    layer.add_to(m)
    html = _html(m)
    assert html.count('"code": "BU0392') == 111
    # the layer's legend replaces the legend of an earlier layer on the same map
    assert '"legenda"' in html
    assert "removeControl(map._wijkteamControls[slot])" in html
    assert "Psychosociale problemen (index" in html


def test_base_map_needs_no_column() -> None:
    # data without the default theme (RIVM only): the app's base map must still draw
    p = _evil_profiles()
    assert "index_financieel" not in p.buurten.columns
    html = _html(geo.profile_map(p, choropleth=False))
    assert "wijkteam-taart" in html
    with pytest.raises(KeyError, match="bestaat niet"):
        geo.profile_map(p)
