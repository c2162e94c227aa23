from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

import geo
from tests.conftest import synthetic_buurten, synthetic_dataset


def _values() -> pd.DataFrame:
    polys = synthetic_buurten()
    inw = pd.Series([100.0, 300.0, 40.0, 560.0] * 3, index=polys.index)
    eenzaam = pd.Series([10.0, 20.0, 30.0, np.nan] * 3, index=polys.index)
    return pd.DataFrame({"inwoners": inw, "pct_0_15": 0.0, "eenzaam": eenzaam})


def test_missing_buurt_value_takes_wijk_rate_and_is_flagged() -> None:
    wijk = pd.DataFrame(
        {"eenzaam": [50.0, 60.0, np.nan]}, index=["WK999900", "WK999901", "WK999902"]
    )
    frame = geo.build_indicators(synthetic_dataset(_values(), wijk=wijk))
    assert frame.values.loc["BU99990003", "eenzaam"] == 50.0
    assert frame.source.loc["BU99990003", "eenzaam"] == "wijk"
    assert frame.values.loc["BU99990103", "eenzaam"] == 60.0
    # wijk 2 has no value either: the buurt stays missing, never zero
    assert np.isnan(frame.values.loc["BU99990203", "eenzaam"])
    assert frame.source.loc["BU99990203", "eenzaam"] == ""
    assert frame.filled("BU99990203") == {"eenzaam": "ontbreekt"}
    cov = frame.coverage.loc["eenzaam"]
    assert (cov["buurtwaarde"], cov["uit_wijk"], cov["ontbreekt"]) == (9, 2, 1)
    assert cov["dekking_pct"] == 75.0


def test_small_buurten_are_flagged() -> None:
    frame = geo.build_indicators(synthetic_dataset(_values()), min_inwoners=50)
    assert frame.info["klein"].sum() == 3
    assert frame.info.loc["BU99990002", "klein"]


def test_aggregation_sums_counts_and_weights_rates_by_base() -> None:
    frame = geo.build_indicators(synthetic_dataset(_values()))
    wijk = geo.aggregate(frame, by="wijk")
    assert wijk.loc["WK999900", "inwoners"] == 1000.0
    # pct_0_15 = 0, so volwassenen = inwoners; weighted mean over buurten with a value
    expected = (100 * 10 + 300 * 20 + 40 * 30) / (100 + 300 + 40)
    assert wijk.loc["WK999900", "eenzaam"] == pytest.approx(expected)
    gm = geo.municipal_average(frame)
    assert gm["eenzaam"] == pytest.approx(expected)


def test_team_aggregation_follows_team_table() -> None:
    polys = synthetic_buurten()
    teams = pd.Series(["A"] * 8 + ["B"] * 4, index=polys.index)
    frame = geo.build_indicators(synthetic_dataset(_values(), teams=teams))
    team = geo.aggregate(frame, by="team")
    assert team.loc["A", "inwoners"] == 2000.0
    assert team.loc["B", "inwoners"] == 1000.0


def test_no_indicators_at_all_is_a_clear_error() -> None:
    polys = synthetic_buurten()
    vals = pd.DataFrame({"inwoners": 100.0}, index=polys.index)
    with pytest.raises(geo.ValidationError, match="geen enkele indicator heeft waarden"):
        geo.build_indicators(synthetic_dataset(vals))


def test_areal_interpolation_known_answer() -> None:
    import geopandas as gpd

    src = gpd.GeoDataFrame(
        {"n": [100.0, 40.0]}, geometry=[box(0, 0, 2000, 1000), box(2000, 0, 3000, 1000)], crs=28992
    )
    tgt = gpd.GeoDataFrame(
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 3000, 1000)], crs=28992, index=["a", "b"]
    )
    out = geo.areal_interpolate(src, tgt, extensive=["n"])
    assert out.loc["a", "n"] == pytest.approx(50.0)
    assert out.loc["b", "n"] == pytest.approx(90.0)
    assert out["n"].sum() == pytest.approx(140.0)


def test_haarlem_2015_benefits_are_interpolated_estimates_preserving_totals() -> None:
    import geopandas as gpd

    from geo import _paths

    ds = geo.load_haarlem()
    frame = geo.build_indicators(ds)
    assert (frame.source["pct_bijstand"] == "schatting").all()
    old = gpd.read_file(_paths.HAARLEM_DIR / "haarlem_buurten_2015.geojson")
    total_2015 = old["WWB_UITTOT"].clip(lower=0).sum()
    est = geo.aggregate(frame, by="gemeente")
    # the estimated rate times today's population should be in the range of the 2015 count
    implied = est["pct_bijstand"].iloc[0] / 100 * est["inwoners"].iloc[0]
    assert 0.8 * total_2015 < implied < 1.25 * total_2015


def test_haarlem_coverage_is_reported_for_every_indicator() -> None:
    frame = geo.build_indicators(geo.load_haarlem())
    cov = frame.coverage
    assert set(cov.index) == set(frame.values.columns) | set(geo.BASE_COLUMNS)
    total = cov[["buurtwaarde", "schatting", "uit_wijk", "uit_gemeente", "ontbreekt"]].sum(axis=1)
    assert (total == 111).all()
    # eenpersoonshuishoudens exists only per wijk in the embedded data
    assert cov.loc["pct_eenpersoons_hh", "uit_wijk"] == 111
    assert not frame.values.isna().all().any()


def test_derived_base_counts_are_flagged_and_counted() -> None:
    # households and adults that are derived from inhabitants are estimates, never silent
    polys = synthetic_buurten(1, 4)
    values = pd.DataFrame(
        {"inwoners": [1000.0, 2100.0, 500.0, 800.0], "huishoudens": [500.0, np.nan, 250.0, 400.0]},
        index=polys.index,
    )
    table = geo.IndicatorTable(
        "t", values.assign(pct_65plus=[10.0, 20.0, np.nan, 5.0]), pd.DataFrame(), pd.DataFrame()
    )
    ds = geo.Dataset("GM9999", "Test", polys, (table,))
    frame = geo.build_indicators(ds)
    base = frame.base_source
    assert base["huishoudens"].tolist() == ["buurt", "schatting", "buurt", "buurt"]
    assert frame.info.loc[polys.index[1], "huishoudens"] == pytest.approx(1050.0)  # size 2.0
    assert (base["volwassenen"] == "schatting").all()
    assert base["inwoners_65plus"].tolist() == ["buurt", "buurt", "schatting", "buurt"]
    cov = frame.coverage
    assert cov.loc["huishoudens", "schatting"] == 1
    assert cov.loc["volwassenen", "schatting"] == 4
