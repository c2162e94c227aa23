"""National scale: the real RIVM 2020 file for all buurten, typology, need, synthetic data, map."""

from __future__ import annotations

import functools
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

import geo
from geo import _paths, national, synthetic


@functools.cache
def _national() -> pd.DataFrame:
    return national.load_national()


@pytest.fixture
def nl() -> pd.DataFrame:
    return _national().copy()


def test_load_national_has_every_buurt_with_string_codes(nl) -> None:
    assert len(nl) == 13808
    assert nl.index.is_unique
    assert all(isinstance(c, str) and len(c) == 10 and c.startswith("BU") for c in nl.index)
    assert nl["gemeentecode"].nunique() == 355
    row = nl.loc["BU16800100"]
    assert row["gemeentecode"] == "GM1680"
    assert row["wijkcode"] == "WK168001"
    assert row["gemeentenaam"] == "Aa en Hunze"
    assert {"moeite_rondkomen", "eenzaam", "eenzaam_65plus", "ernstig_beperkt_65plus"} <= set(
        nl.columns
    )
    # complement columns are turned round: weinig_regie = 100 - MatigVeelRegieOverEigenLeven
    assert nl["weinig_regie"].dropna().between(0, 100).all()


def test_load_national_turns_suppressed_values_into_nan(nl) -> None:
    # '.' in the CBS export: 742 buurten have no 18+ estimate, more have no 65+ estimate
    assert nl["moeite_rondkomen"].isna().sum() == 742
    assert nl["eenzaam_65plus"].isna().sum() > 742
    values = nl.select_dtypes("number")
    assert (values.min() >= 0).all()
    assert (values.max() <= 100).all()


def test_load_national_reports_progress_and_rejects_bad_codes(tmp_path) -> None:
    calls: list[tuple[int, int, str]] = []
    national.load_national(progress=lambda d, t, s: calls.append((d, t, s)))
    assert [c[0] for c in calls] == [1, 2, 3]
    assert all(t == 3 for _, t, _ in calls)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "ID,Leeftijd,Marges,Perioden,Codering_3,MoeiteMetRondkomen_38\n"
        "1,20300,MW00000,2020JJ00,BU1234,10.0\n"
    )
    with pytest.raises(geo.ValidationError, match=r"bad\.csv.*'BU1234' is geen buurtcode"):
        national.load_national(path_18plus=bad, path_65plus=bad)


def test_national_typology_is_reproducible_and_scales(nl) -> None:
    a = national.national_typology(nl, k=6, k_range=[6], seed=7)
    b = national.national_typology(nl, k=6, k_range=[6], seed=7)
    assert a.labels.equals(b.labels)
    assert a.method == "minibatch-kmeans"
    assert len(a.labels) == 13808
    assert a.labels.nunique() == 6
    assert len(set(a.centres.index)) == 6  # unique Dutch names
    assert "landelijk gestandaardiseerd" in a.reason
    assert len(a.assigned) == 742  # buurten without any value are assigned, not fitted


def test_national_typology_standardisation_modes_differ(nl) -> None:
    nat = national.national_typology(nl, k=5, k_range=[5])
    gem = national.national_typology(nl, standardise="gemeente", k=5, k_range=[5])
    assert "per gemeente" in gem.reason
    # the two modes answer different questions, so the partitions differ
    crosstab = pd.crosstab(nat.type_id, gem.type_id)
    assert (crosstab.max(axis=1) / crosstab.sum(axis=1)).min() < 0.9
    # per-gemeente z-scores: a municipality's buurten spread over several types
    per_gm = gem.type_id.groupby(nl["gemeentecode"]).nunique()
    assert per_gm[nl["gemeentecode"].value_counts() >= 20].min() >= 2
    with pytest.raises(geo.ValidationError, match="kies 'nationaal' of 'gemeente'"):
        national.national_typology(nl, standardise="provincie")


def test_national_outputs_are_written_atomically_with_the_source(nl, tmp_path) -> None:
    small = nl[nl["gemeentecode"].isin(["GM0392", "GM1680"])]
    typology = national.national_typology(small, k=3, k_range=[3], seed=1)
    table = geo.national_table(small, typology)
    assert list(table.columns) == [
        "gemeentecode",
        "gemeentenaam",
        "wijkcode",
        "type",
        "type_nr",
        "toegewezen",
    ]
    assert table.index.equals(small.index)
    assert table["type"].nunique() == 3
    written = geo.write_national_outputs(small, typology, tmp_path / "uit")
    assert [p.name for p in written] == ["typologie_nl.csv", "typologie_nl_k.csv"]
    raw = written[0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.rstrip().endswith(b"# Bron: RIVM/GGD Gezondheidsmonitor 2020 (CC BY 4.0), CBS")
    back = pd.read_csv(written[0], sep=";", comment="#", dtype={"buurtcode": str})
    assert back["buurtcode"].tolist() == small.index.tolist()
    assert not [p.name for p in (tmp_path / "uit").iterdir() if p.name.endswith(".tmp")]
    blocker = tmp_path / "bestand"
    blocker.write_text("van de gebruiker")
    with pytest.raises(geo.ValidationError, match="is een bestand, geen map"):
        geo.write_national_outputs(small, typology, blocker)
    assert blocker.read_text() == "van de gebruiker"


def test_national_team_need_uniform_base_is_consistent(nl) -> None:
    calls: list[str] = []
    with pytest.warns(UserWarning, match="thema jeugd"):
        need = national.national_team_need(nl, progress=lambda d, t, s: calls.append(s))
    assert need.index.names == ["gemeente", "team"]
    assert len(need) == nl["wijkcode"].nunique()
    assert "inwoners" not in need.columns
    assert "landelijk gemiddelde" in need.attrs["basis"]
    assert len(calls) == len(need.columns)
    # one-indicator theme computed independently: rate (gap-filled) x equal base per buurt
    themes = (geo.Theme("geld", "Geld", (), (("moeite_rondkomen", 1.0),)),)
    one = national.national_team_need(nl, themes=themes)
    adults = national.NL_INWONERS_2020 / national.NL_BUURTEN_2020 * national.NL_AANDEEL_18PLUS
    wijk = nl[nl["wijkcode"] == "WK168001"]["moeite_rondkomen"]
    assert wijk.notna().all()
    assert one.loc[("GM1680", "WK168001"), "geld"] == pytest.approx((wijk / 100 * adults).sum())
    # a wijk whose buurten are all suppressed gets the gemeente rate, never zero
    assert (one["geld"] > 0).all()


def test_national_team_need_with_population_base(nl) -> None:
    rng = np.random.default_rng(1)
    pop = pd.Series(rng.integers(0, 5000, len(nl)).astype(float), index=nl.index)
    themes = (geo.Theme("geld", "Geld", (), (("moeite_rondkomen", 1.0),)),)
    need = national.national_team_need(nl, basis=pop, themes=themes)
    assert need["inwoners"].sum() == pytest.approx(pop.sum())
    assert need.groupby(level="gemeente")["inwoners"].sum()["GM0392"] == pytest.approx(
        pop[nl["gemeentecode"] == "GM0392"].sum()
    )
    known = nl["moeite_rondkomen"].notna()
    lower = (nl["moeite_rondkomen"][known] / 100 * pop[known] * national.NL_AANDEEL_18PLUS).sum()
    assert need["geld"].sum() >= lower * 0.999
    with pytest.raises(geo.ValidationError, match=r"basis: geen bevolking voor 1 buurt"):
        national.national_team_need(nl, basis=pop.iloc[1:], themes=themes)
    neg = pop.copy()
    neg.iloc[0] = -5
    with pytest.raises(geo.ValidationError, match=r"basis: kolom inwoners: waarde -5\.0"):
        national.national_team_need(nl, basis=neg, themes=themes)


# ---------------------------------------------------------------- synthetic national data


@functools.cache
def _small_synthetic() -> gpd.GeoDataFrame:
    return synthetic.synthetic_buurten(n_buurten=300, n_gemeenten=10, seed=5)


def test_synthetic_buurten_are_reproducible_and_marked() -> None:
    a = _small_synthetic()
    b = synthetic.synthetic_buurten(n_buurten=300, n_gemeenten=10, seed=5)
    c = synthetic.synthetic_buurten(n_buurten=300, n_gemeenten=10, seed=6)
    assert a.equals(b)
    assert not a["aantalInwoners"].equals(c["aantalInwoners"])
    assert len(a) == 300
    assert a["gemeentecode"].nunique() == 10
    assert a["synthetisch"].all()
    assert a.attrs["bron"].startswith("SYNTHETISCH")
    assert a["gemeentenaam"].str.startswith("Synthetische gemeente").all()
    assert a["buurtcode"].is_unique
    assert a["buurtcode"].str.fullmatch(r"BU8\d{7}").all()
    assert (a["wijkcode"] == "WK" + a["buurtcode"].str[2:8]).all()


def test_synthetic_geometry_is_a_valid_coverage_inside_the_netherlands() -> None:
    a = _small_synthetic()
    assert a.crs.to_epsg() == 28992
    minx, miny, maxx, maxy = a.total_bounds
    assert -7000 <= minx < maxx <= 300000
    assert 289000 <= miny < maxy <= 629000
    assert a.geometry.is_valid.all()
    assert shapely.coverage_is_valid(a.geometry.to_numpy())
    # the buurten tile the outline: no gaps, no overlaps
    assert a.geometry.area.sum() == pytest.approx(synthetic.nl_outline().area, rel=1e-3)


def test_synthetic_schema_matches_cbs_2024_and_distributions_are_plausible() -> None:
    a = _small_synthetic()
    real = set(pyogrio.read_info(_paths.HAARLEM_DIR / "haarlem_wijken_2024.geojson")["fields"])
    real -= {"wijknaam", "fuuid"}
    assert real <= set(a.columns)
    pct = a["percentagePersonen65JaarEnOuder"]
    small = a["aantalInwoners"] < 50
    assert (pct[small] == -99997).all()  # CBS secrecy code for small buurten
    assert pct[~small].between(0, 100).all()
    age_cols = [c for c in a.columns if c.startswith("percentagePersonen") and "Jaar" in c]
    assert len(age_cols) == 5
    ages = a.loc[~small, age_cols]
    assert ages.sum(axis=1).between(97, 103).all()
    assert (a["mannen"] + a["vrouwen"] == a["aantalInwoners"]).all()
    koop = a.loc[~small, "percentageKoopwoningen"]
    assert (koop + a.loc[~small, "percentageHuurwoningen"] == 100).all()
    # the latent deprivation score ties rent, benefits and income together
    rates = a.loc[~small & (a["gemiddeldInkomenPerInwoner"] > 0)]
    assert rates["percentageHuurwoningen"].corr(rates["gemiddeldInkomenPerInwoner"]) < -0.2
    with pytest.raises(geo.ValidationError, match="n_buurten=5"):
        synthetic.synthetic_buurten(n_buurten=5, n_gemeenten=10)


def test_synthetic_gpkg_loads_through_read_cbs_gpkg(tmp_path) -> None:
    a = _small_synthetic()
    path = synthetic.write_synthetic_gpkg(tmp_path / "wijkenbuurten_synthetisch.gpkg", buurten=a)
    layers = dict(pyogrio.list_layers(path))
    assert set(layers) == {"gemeenten", "wijken", "buurten"}
    meta = pyogrio.read_info(path, layer="buurten")["layer_metadata"]
    assert meta["DESCRIPTION"].startswith("SYNTHETISCH")
    gm = str(a["gemeentecode"].iloc[0])
    mine = a[a["gemeentecode"] == gm].set_index("buurtcode")
    polys, table = geo.read_cbs_gpkg(path, gemeente=gm)
    assert list(polys.index) == list(mine.index)
    assert polys.crs.to_epsg() == 28992
    assert polys.attrs["gemeentenaam"].startswith("Synthetische gemeente")
    expect = mine["percentagePersonen65JaarEnOuder"].where(lambda s: s >= 0)
    pd.testing.assert_series_equal(
        table.buurt["pct_65plus"], expect.rename("pct_65plus"), check_names=False
    )
    assert set(table.wijk.index) == set(mine["wijkcode"])
    assert table.wijk["inwoners"].sum() == mine["aantalInwoners"].sum()
    with pytest.raises(geo.ValidationError, match="synthetisch"):
        synthetic.write_synthetic_gpkg(tmp_path / "x.gpkg", buurten=a.drop(columns="synthetisch"))


# ---------------------------------------------------------------- national map

EVIL = '<script>alert("x")</script>'


def test_national_areas_dissolve_and_simplify_without_gaps() -> None:
    b = _small_synthetic()
    raw = national.national_areas(b, by="gemeentecode", tolerance=0.0, columns=["aantalInwoners"])
    simple = national.national_areas(
        b, by="gemeentecode", tolerance=300.0, columns=["aantalInwoners", "gemeentenaam"]
    )
    assert len(simple) == 10
    assert simple["aantalInwoners"].sum() == b["aantalInwoners"].sum()
    assert shapely.coverage_is_valid(simple.geometry.to_numpy())  # no overlaps after simplify
    verts = shapely.get_num_coordinates
    assert verts(simple.geometry.to_numpy()).sum() < 0.5 * verts(raw.geometry.to_numpy()).sum()
    # no gaps: the simplified pieces still cover (nearly) the same total area
    assert simple.geometry.area.sum() == pytest.approx(raw.geometry.area.sum(), rel=0.01)
    with pytest.raises(geo.ValidationError, match="kolom provincie ontbreekt"):
        national.national_areas(b, by="provincie")


def test_national_areas_treat_cbs_sentinels_as_missing_not_as_counts() -> None:
    b = _small_synthetic().copy()
    col = "aantalPersonenMetEenAoUitkeringTotaal"
    first, second = sorted(b["gemeentecode"].unique())[:2]
    b.loc[b["gemeentecode"] == first, col] = -99997  # every buurt secret
    in_second = b.index[b["gemeentecode"] == second]
    b.loc[in_second[0], col] = -99995  # one buurt secret
    areas = national.national_areas(b, tolerance=0.0, columns=[col])
    assert np.isnan(areas.loc[first, col])  # unknown, never 0 or a negative sum
    known = b.loc[in_second[1:], col]
    assert areas.loc[second, col] == known[known >= 0].sum()
    assert (areas[col].dropna() >= 0).all()
    assert (b.loc[in_second[0], col]) == -99995  # the caller's frame is untouched


def test_national_map_is_small_escaped_and_attributed(tmp_path) -> None:
    b = _small_synthetic().copy()
    b.loc[b["gemeentecode"] == b["gemeentecode"].iloc[0], "gemeentenaam"] = EVIL
    areas = national.national_areas(b, columns=["aantalInwoners", "gemeentenaam"])
    m = geo.national_map(
        areas, column="aantalInwoners", label_column="gemeentenaam", note="SYNTHETISCHE data"
    )
    path = geo.save_map(m, tmp_path / "nl.html")
    html = path.read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "\\u0026lt;script\\u0026gt;" in html  # escaped text inside the GeoJSON
    assert "Bron: CBS, RIVM" in html
    total = int(areas["aantalInwoners"].iloc[0])
    assert f'"waarde": "{total:_}"'.replace("_", ".") in html  # Dutch thousands separator
    assert "SYNTHETISCHE data" in html
    assert html.count('"type": "Feature"') + html.count('"type":"Feature"') == 10
    # 5 decimals at most in every polygon coordinate (the map centre is folium's own)
    geojson = "".join(re.findall(r'"coordinates": (\[\[\[.*?\]\]\])', html))
    coords = re.findall(r"\[(-?\d+\.\d+), (-?\d+\.\d+)\]", geojson)
    assert coords
    assert max(len(x.split(".")[1]) for pair in coords for x in pair) <= 5
    types = areas.assign(type=[EVIL if i % 2 else "Type B" for i in range(len(areas))])
    html2 = geo.national_map(types, column="type").get_root().render()
    assert "<script>alert" not in html2
    assert "wijkteam-legenda" in html2
    with pytest.raises(KeyError, match="bestaat niet"):
        geo.national_map(areas, column="onbekend")
