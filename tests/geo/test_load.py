from __future__ import annotations

import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Polygon

import geo
from geo import _paths
from tests.conftest import synthetic_buurten


def test_clean_numeric_turns_every_cbs_sentinel_into_missing() -> None:
    raw = pd.Series(["12", ".", "", "-99995", "-99999999", "3,5", " 7 ", "-99997"])
    out = geo.clean_numeric(raw, where="f.csv: kolom x")
    assert out.tolist()[:1] == [12.0]
    assert out.isna().tolist() == [False, True, True, True, True, False, False, True]
    assert out.iloc[5] == 3.5
    assert out.iloc[6] == 7.0


def test_clean_numeric_numeric_dtype_negatives_are_missing() -> None:
    out = geo.clean_numeric(pd.Series([5, -99995, 0]), where="x")
    assert out.isna().tolist() == [False, True, False]
    assert out.iloc[2] == 0.0


def test_clean_numeric_rejects_text_naming_place_and_value() -> None:
    with pytest.raises(geo.ValidationError, match=r"kern\.csv: kolom A.*'veel'"):
        geo.clean_numeric(pd.Series(["1", "veel"]), where="kern.csv: kolom A")


def test_statline_semicolon_csv_keeps_codes_as_strings(tmp_path) -> None:
    path = tmp_path / "kern.csv"
    path.write_text(
        "Codering_3;AantalInwoners_5;k_65JaarOfOuder_12;Koopwoningen_47\n"
        "GM0009;1000;200;40\nWK000901;600;.;30\nBU00090101;400;100;-99995\n",
        encoding="utf-8",
    )
    table = geo.read_statline_csv(path)
    assert list(table.buurt.index) == ["BU00090101"]
    assert list(table.gemeente.index) == ["GM0009"]
    assert table.buurt.loc["BU00090101", "pct_65plus"] == pytest.approx(25.0)
    assert np.isnan(table.buurt.loc["BU00090101", "pct_huurwoningen"])
    assert np.isnan(table.wijk.loc["WK000901", "pct_65plus"])
    assert table.gemeente.loc["GM0009", "pct_huurwoningen"] == pytest.approx(60.0)


def test_statline_duplicate_code_is_rejected(tmp_path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("Codering_3,AantalInwoners_5\nBU00090101,1\nBU00090101,2\n")
    with pytest.raises(geo.ValidationError, match=r"BU00090101.*meer dan eens"):
        geo.read_statline_csv(path)


def test_rivm_reader_uses_estimates_and_strips_padding(tmp_path) -> None:
    path = tmp_path / "rivm.csv"
    path.write_text(
        "ID,Leeftijd,Marges,WijkenEnBuurten,Perioden,Codering_3,MoeiteMetRondkomen_38\n"
        "1,20300,MW00000,BU00090101,2020JJ00,BU00090101  ,    21.5\n"
        "2,20300,MOG0095,BU00090101,2020JJ00,BU00090101  ,    25.0\n"
        "3,80200,MW00000,BU00090101,2020JJ00,BU00090101  ,     9.0\n"
        "4,20300,MW00000,BU00090101,2016JJ00,BU00090101  ,    30.0\n"
        "5,20300,MW00000,BU00090102,2020JJ00,BU00090102  ,       .\n"
    )
    table = geo.read_rivm_csv(path)
    assert table.buurt.loc["BU00090101", "moeite_rondkomen"] == 21.5
    assert np.isnan(table.buurt.loc["BU00090102", "moeite_rondkomen"])
    old = geo.read_rivm_csv(path, jaar=2016)
    assert old.buurt.loc["BU00090101", "moeite_rondkomen"] == 30.0
    with pytest.raises(geo.ValidationError, match="jaar 2012 niet gevonden"):
        geo.read_rivm_csv(path, jaar=2012)


def test_national_rivm_file_reads_all_buurten() -> None:
    table = geo.read_rivm_csv(_paths.NL_DIR / "rivm_50090NED_2020_18plus.csv.gz")
    assert len(table.buurt) == 13808
    assert len(table.gemeente) == 355
    assert table.buurt["moeite_rondkomen"].between(0, 100).all() or (
        table.buurt["moeite_rondkomen"].isna().any()
    )


def test_polygons_without_crs_are_rejected(tmp_path) -> None:
    gdf = synthetic_buurten().reset_index()
    path = tmp_path / "nocrs.gpkg"
    with pytest.warns(UserWarning, match="crs"):
        gdf.set_crs(None, allow_override=True).to_file(path)
    with pytest.raises(geo.ValidationError, match="geen coördinatenstelsel"):
        geo.read_polygons(path)


def test_polygons_with_wrong_crs_are_rejected(tmp_path) -> None:
    gdf = synthetic_buurten().reset_index().set_crs(4326, allow_override=True)
    path = tmp_path / "wrong.gpkg"
    gdf.to_file(path)
    with pytest.raises(geo.ValidationError, match="buiten Nederland"):
        geo.read_polygons(path)


def test_invalid_geometry_is_repaired_with_a_warning(tmp_path) -> None:
    gdf = synthetic_buurten().reset_index()
    bowtie = Polygon(
        [(100000, 485000), (101000, 486000), (101000, 485000), (100000, 486000), (100000, 485000)]
    )
    gdf.loc[0, "geometry"] = bowtie
    path = tmp_path / "bowtie.gpkg"
    gdf.to_file(path)
    with pytest.warns(UserWarning, match="ongeldige geometrie hersteld voor BU99990000"):
        out = geo.read_polygons(path)
    assert out.geometry.is_valid.all()
    assert out.loc["BU99990000"].geometry.area == pytest.approx(500_000)


def test_empty_geometry_is_reported(tmp_path) -> None:
    gdf = synthetic_buurten().reset_index()
    gdf.loc[2, "geometry"] = Polygon()
    path = tmp_path / "empty.gpkg"
    gdf.to_file(path)
    with pytest.raises(geo.ValidationError, match="lege geometrie voor BU99990002"):
        geo.read_polygons(path)


def test_team_table_names_unknown_wijk_and_orphan_buurten(tmp_path) -> None:
    polys = synthetic_buurten()
    bad = tmp_path / "teams.csv"
    bad.write_text("wijkcode,team\nWK999900,A\nWK999901,B\nWK999977,C\n")
    with pytest.raises(geo.ValidationError, match=r"onbekende wijkcode.*WK999977"):
        geo.read_team_table(bad, buurten=polys)
    gap = tmp_path / "gap.csv"
    gap.write_text("wijkcode,team\nWK999900,A\nWK999901,B\n")
    with pytest.raises(
        geo.ValidationError, match=r"4 buurt\(en\) zonder team: BU99990200 \(Buurt 2-0\)"
    ):
        geo.read_team_table(gap, buurten=polys)
    ok = tmp_path / "ok.csv"
    ok.write_text("wijkcode;team\nWK999900;A\nWK999901;B\nWK999902;B\n")
    teams = geo.read_team_table(ok, buurten=polys)
    assert teams.value_counts().to_dict() == {"B": 8, "A": 4}


def _national_style_gpkg(path, *, with_buurten: bool = True) -> None:
    """A GeoPackage in the layout of CBS's wijkenbuurten_2024 (real Haarlem polygons and values,
    renamed to the 2024 camelCase schema, with a water part and sentinels)."""
    polys = geo.read_polygons(_paths.HAARLEM_DIR / "haarlem_buurten_rd28992.geojson").iloc[:6]
    kwb = pd.read_csv(_paths.HAARLEM_DIR / "haarlem_kwb.csv", dtype=str).set_index("Codering_3")
    b = polys.reset_index()[["buurtcode", "geometry"]].copy()
    b["buurtnaam"] = kwb.loc[b["buurtcode"], "WijkenEnBuurten"].to_numpy()
    b["wijkcode"] = ["WK" + c[2:8] for c in b["buurtcode"]]
    b["gemeentecode"] = "GM0392"
    b["gemeentenaam"] = "Haarlem"
    b["water"] = "NEE"
    b["aantalInwoners"] = kwb.loc[b["buurtcode"], "AantalInwoners_5"].astype(int).to_numpy()
    b["percentagePersonen65JaarEnOuder"] = [16, 15, -99995, 20, 12, 18]
    b["percentageEenpersoonshuishoudens"] = -99997
    water = b.iloc[[0]].copy()
    water["water"] = "JA"
    other = b.iloc[[1]].copy()
    other["gemeentecode"] = "GM0363"
    other["buurtcode"] = "BU03630000"
    layer = pd.concat([b, water, other], ignore_index=True)
    gdf = __import__("geopandas").GeoDataFrame(layer, geometry="geometry", crs=28992)
    pyogrio.write_dataframe(gdf, path, layer="buurten" if with_buurten else "wijken")
    gm = gdf.dissolve("gemeentecode").reset_index()[["gemeentecode", "geometry"]]
    pyogrio.write_dataframe(gm, path, layer="gemeenten", append=True)


def test_cbs_gpkg_national_layout_filters_gemeente_and_water(tmp_path) -> None:
    path = tmp_path / "wijkenbuurten_2024_v1.gpkg"
    _national_style_gpkg(path)
    polys, table = geo.read_cbs_gpkg(path, gemeente="GM0392")
    assert len(polys) == 6
    assert polys.crs.to_epsg() == 28992
    assert table.buurt["pct_65plus"].isna().sum() == 1
    assert table.buurt["pct_eenpersoons_hh"].isna().all()
    assert polys.index.is_unique


def test_cbs_gpkg_unknown_gemeente_and_missing_layer(tmp_path) -> None:
    path = tmp_path / "wb.gpkg"
    _national_style_gpkg(path)
    with pytest.raises(geo.ValidationError, match="GM0001 komt niet voor"):
        geo.read_cbs_gpkg(path, gemeente="GM0001")
    with pytest.raises(geo.ValidationError, match="gemeentecode als GM0392"):
        geo.read_cbs_gpkg(path, gemeente="Haarlem")
    nolayer = tmp_path / "geenbuurten.gpkg"
    _national_style_gpkg(nolayer, with_buurten=False)
    with pytest.raises(geo.ValidationError, match="geen buurtenlaag"):
        geo.read_cbs_gpkg(nolayer, gemeente="GM0392")


def test_real_2021_extract_of_another_municipality() -> None:
    polys, table = geo.read_cbs_gpkg(
        _paths.SAMPLES_DIR / "cbs_buurten_2021_GM0233.gpkg", gemeente="GM0233"
    )
    assert len(polys) == 16  # the water-only buurt BU02339997 is left out
    assert "BU02339997" not in polys.index
    # aantal_inwoners is empty in this extract: derived from mannen + vrouwen
    assert table.buurt["inwoners"].notna().all()
    assert table.buurt["inwoners"].sum() > 20000


def test_dataset_reports_unmatched_codes_by_name(tmp_path) -> None:
    polys = synthetic_buurten()
    ppath = tmp_path / "buurten.gpkg"
    polys.reset_index().to_file(ppath)
    csv = tmp_path / "kern.csv"
    rows = ["Codering_3,AantalInwoners_5,k_65JaarOfOuder_12"]
    rows += [f"{c},100,10" for c in polys.index[1:]] + ["BU99998888,100,10"]
    csv.write_text("\n".join(rows) + "\n")
    with pytest.warns(UserWarning, match="BU99998888|Buurt 0-0") as rec:
        ds = geo.load_dataset(buurten=ppath, indicatoren=[csv])
    text = " ".join(str(w.message) for w in rec)
    assert "BU99998888" in text
    assert "BU99990000 (Buurt 0-0)" in text
    assert len(ds.buurten) == 12


def test_haarlem_default_dataset() -> None:
    ds = geo.load_haarlem()
    assert len(ds.buurten) == 111
    assert ds.buurten["wijkcode"].nunique() == 21
    assert ds.teams is not None
    assert ds.teams.nunique() == 10
    assert all(isinstance(c, str) for c in ds.buurten.index)
