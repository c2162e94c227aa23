"""Reader defences (issue 12, reader part) and the StatLine column tables of the catalogue."""

from __future__ import annotations

import gzip
import sqlite3
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest

import geo
from geo import _paths
from geo.catalogue import match_columns
from tests.conftest import synthetic_buurten

HEADER_2024 = (_paths.HAARLEM_DIR / "haarlem_kwb.csv").read_text(encoding="utf-8").splitlines()[0]
FIXTURES = Path(__file__).resolve().parents[1] / "data" / "real_formats"


# ---------------------------------------------------------------------------- catalogue


# Real OData column names per edition (from the files' headers: 2017 = 83765NED,
# 2024 = 85984NED) and the indicator each one is, as CBS defines them.
STATLINE_COLUMNS = {
    "2017": {
        "AantalInwoners_5": "inwoners",
        "k_65JaarOfOuder_12": "pct_65plus",
        "NietWestersTotaal_18": "pct_herkomst_buiten_europa",
        "GemiddeldeWoningwaarde_35": "woz",
        "GemiddeldInkomenPerInwoner_66": "inkomen_per_inwoner",
        "HuishoudensMetEenLaagInkomen_72": "pct_laag_inkomen",
        "HuishOnderOfRondSociaalMinimum_73": "pct_sociaal_minimum",
    },
    "2024": {
        "AantalInwoners_5": "inwoners",
        "k_0Tot15Jaar_8": "pct_0_15",
        "k_65JaarOfOuder_12": "pct_65plus",
        "HuishoudensTotaal_29": "huishoudens",
        "GemiddeldeWOZWaardeVanWoningen_39": "woz",
        "Koopwoningen_47": "pct_huurwoningen",
        "GemiddeldInkomenPerInwoner_78": "inkomen_per_inwoner",
        "PersonenPerSoortUitkeringBijstand_87": "pct_bijstand",
        "PersonenPerSoortUitkeringAO_88": "pct_ao_uitkering",
        "PersonenPerSoortUitkeringWW_89": "pct_ww_uitkering",
        "JongerenMetJeugdzorgInNatura_91": "pct_jeugdzorg",
        "WmoClienten_93": "pct_wmo",
    },
    # an edition between (suffixes 79-89), as seen in public analyses of the OData tables
    "2019-2021": {
        "HuishOnderOfRondSociaalMinimum_79": "pct_sociaal_minimum",
        "PersonenPerSoortUitkeringBijstand_83": "pct_bijstand",
        "PersonenPerSoortUitkeringAO_84": "pct_ao_uitkering",
        "PersonenPerSoortUitkeringWW_85": "pct_ww_uitkering",
        "JongerenMetJeugdzorgInNatura_87": "pct_jeugdzorg",
        "WmoClienten_89": "pct_wmo",
    },
}


def test_relative_variants_are_not_taken_for_the_counts() -> None:
    # WmoClientenRelatief (per 1,000) and PercentageJongerenMetJeugdzorg are other columns
    found = match_columns(
        ["WmoClientenRelatief_94", "PercentageJongerenMetJeugdzorg_92"], "statline"
    )
    assert found == {}


@pytest.mark.parametrize("edition", sorted(STATLINE_COLUMNS))
def test_statline_columns_match_on_their_stem_in_every_edition(edition: str) -> None:
    expected = STATLINE_COLUMNS[edition]
    found = match_columns(list(expected), "statline")
    assert {key: col for key, (col, _) in found.items()} == {v: k for k, v in expected.items()}


def test_the_2017_header_is_recognised_beyond_population_and_65plus() -> None:
    header = (FIXTURES / "statline_kwb2017_83765NED_ermelo_amsterdam.csv").read_text(
        encoding="utf-8-sig"
    )
    cols = header.splitlines()[0].split(",")
    found = match_columns(cols, "statline")
    assert set(STATLINE_COLUMNS["2017"].values()) <= set(found)
    in_haarlem = [k for k in STATLINE_COLUMNS["2024"] if k in HEADER_2024.split(",")]
    assert len(in_haarlem) == 7
    found_2024 = match_columns(HEADER_2024.split(","), "statline")
    assert {STATLINE_COLUMNS["2024"][k] for k in in_haarlem} <= set(found_2024)


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("Bevolking/Aantal inwoners (aantal)", "inwoners"),
        ("Bevolking.Aantal.inwoners..aantal.", "inwoners"),
        ("Zorg.Wmo.cliënten..aantal.", "pct_wmo"),
        ("Zorg/Jongeren met jeugdzorg in natura (aantal)", "pct_jeugdzorg"),
        ("Sociale.zekerheid.Personen.per.soort.uitkering..Bijstand..aantal.", "pct_bijstand"),
        (
            "Inkomen.Inkomen.van.huishoudens.Huish..onder.of.rond.sociaal.minimum....",
            "pct_sociaal_minimum",
        ),
        (
            "Inkomen/Inkomen van personen/Gemiddeld inkomen per inwoner (x 1 000 euro)",
            "inkomen_per_inwoner",
        ),
    ],
)
def test_website_titles_match_in_every_spelling(title: str, key: str) -> None:
    assert key in match_columns([title], "statline_titel")


def test_every_social_domain_indicator_is_documented_with_unit_and_base() -> None:
    frame = geo.catalogue_frame()
    for key in (
        "pct_wmo",
        "pct_jeugdzorg",
        "pct_bijstand",
        "pct_ao_uitkering",
        "pct_ww_uitkering",
        "pct_laag_inkomen",
        "pct_sociaal_minimum",
    ):
        row = frame.loc[key]
        assert row["eenheid"], key
        assert row["basis"], key
        assert row["kolom_statline"] or row["kolom_statline_titel"], key
        assert geo.indicator(key).description


def test_default_themes_use_the_social_domain_indicators() -> None:
    themes = {t.key: dict(t.indicators) for t in geo.load_themes()}
    assert "pct_wmo" in themes["zorg"]
    assert "pct_jeugdzorg" in themes["jeugd"]
    assert {"pct_bijstand", "pct_laag_inkomen", "pct_sociaal_minimum"} <= set(themes["financieel"])


# ---------------------------------------------------------------------------- numbers


def _statline(tmp_path: Path, text: str, name: str = "kern.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_dutch_thousands_separators_are_read_as_thousands(tmp_path: Path) -> None:
    path = _statline(
        tmp_path,
        "Codering_3;AantalInwoners_5;GemiddeldInkomenPerInwoner_78\n"
        "BU00090101;2.140;31,5\nBU00090102;850;28,1\nBU00090103;12.345;40,0\n",
    )
    table = geo.read_statline_csv(path)
    assert table.buurt["inwoners"].tolist() == [2140.0, 850.0, 12345.0]
    assert table.buurt["inkomen_per_inwoner"].tolist() == [31.5, 28.1, 40.0]


def test_odata_decimal_points_stay_decimals(tmp_path: Path) -> None:
    path = _statline(
        tmp_path,
        "Codering_3,AantalInwoners_5,GemiddeldInkomenPerInwoner_78\n"
        "BU00090101,2140,31.5\nBU00090102,850,2.140\n",
    )
    table = geo.read_statline_csv(path)
    assert table.buurt["inkomen_per_inwoner"].tolist() == [31.5, 2.14]


def test_ambiguous_points_are_refused_naming_the_column(tmp_path: Path) -> None:
    # decimal commas in one column, decimal points in another: "2.140" cannot be read
    path = _statline(
        tmp_path,
        "Codering_3;AantalInwoners_5;GemiddeldInkomenPerInwoner_78;Koopwoningen_47\n"
        "BU00090101;2.140;31,5;40.5\nBU00090102;1.850;28,1;30.5\n",
    )
    with pytest.raises(geo.ValidationError, match=r"kolom AantalInwoners_5.*niet eenduidig"):
        geo.read_statline_csv(path)


def test_comma_thousands_are_refused_naming_the_column(tmp_path: Path) -> None:
    path = _statline(
        tmp_path, 'Codering_3,AantalInwoners_5\nBU00090101,"1,234,567"\nBU00090102,5\n'
    )
    with pytest.raises(geo.ValidationError, match=r"kolom AantalInwoners_5.*niet eenduidig"):
        geo.read_statline_csv(path)


@pytest.mark.parametrize("value", ["1e308", "inf", "-inf", "nan", "1.7e308"])
def test_non_finite_and_absurd_values_are_refused_naming_the_column(
    tmp_path: Path, value: str
) -> None:
    path = _statline(tmp_path, f"Codering_3,AantalInwoners_5\nBU00090101,{value}\nBU00090102,5\n")
    with pytest.raises(geo.ValidationError, match=r"kolom AantalInwoners_5"):
        geo.read_statline_csv(path)


def test_duplicate_columns_are_refused(tmp_path: Path) -> None:
    path = _statline(tmp_path, "Codering_3,AantalInwoners_5,AantalInwoners_5\nBU00090101,100,200\n")
    with pytest.raises(geo.ValidationError, match=r"kolom 'AantalInwoners_5' komt meer dan eens"):
        geo.read_statline_csv(path)


def test_full_width_digits_in_codes_are_refused(tmp_path: Path) -> None:
    path = _statline(tmp_path, "Codering_3,AantalInwoners_5\nBU０００９0101,100\n")
    with pytest.raises(geo.ValidationError, match=r"geen geldige code \(alleen de cijfers 0-9"):
        geo.read_statline_csv(path)
    polys = synthetic_buurten(1, 2).reset_index()
    polys.loc[0, "buurtcode"] = "BU９９９９0000"
    gpath = tmp_path / "vol.geojson"
    pyogrio.write_dataframe(polys, gpath, driver="GeoJSON")
    with pytest.raises(geo.ValidationError, match=r"geen geldige code \(alleen de cijfers 0-9"):
        geo.read_polygons(gpath)


# ---------------------------------------------------------------------------- files


def test_excel_cp1252_csv_is_read_and_the_encoding_stated(tmp_path: Path) -> None:
    path = _statline(
        tmp_path,
        "Codering_3;WijkenEnBuurten;AantalInwoners_5\r\nBU00090101;Café Überweg;1.250\r\n",
        encoding="cp1252",
    )
    with pytest.warns(UserWarning, match=r"kern\.csv: geen UTF-8; gelezen als Windows-1252"):
        table = geo.read_statline_csv(path)
    assert table.names is not None
    assert table.names["BU00090101"] == "Café Überweg"
    assert table.buurt.loc["BU00090101", "inwoners"] == 1250.0


@pytest.mark.parametrize("name", ["kern.CSV.GZ", "kern.csv.Gz", "kern_zonder_extensie"])
def test_gzip_is_accepted_in_any_case_or_by_its_magic_bytes(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(gzip.compress(b"Codering_3,AantalInwoners_5\nBU00090101,100\n"))
    assert geo.read_statline_csv(path).buurt["inwoners"].tolist() == [100.0]


def test_gzip_bomb_is_refused_while_streaming_with_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv.gz"
    chunk = b"0" * 2**20
    with gzip.open(path, "wb", compresslevel=9) as fh:
        fh.write(b"Codering_3,AantalInwoners_5\n")
        for _ in range(300):  # 300 MB of text
            fh.write(chunk)
    assert path.stat().st_size < 1_000_000
    tracemalloc.start()
    try:
        with pytest.raises(geo.ValidationError, match=r"uitgepakt groter dan 100 MB"):
            geo.read_indicator_csv(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1.5 * geo.MAX_TEXT_BYTES  # never the 300 MB


def test_unreadable_file_is_a_project_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _statline(tmp_path, "Codering_3,AantalInwoners_5\nBU00090101,100\n")
    real_open = Path.open

    def guarded(self: Path, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded)
    with pytest.raises(geo.ValidationError, match=r"kern\.csv: bestand kan niet gelezen worden"):
        geo.read_statline_csv(path)


def test_geopackage_with_an_endless_view_is_refused_without_running_it(tmp_path: Path) -> None:
    path = tmp_path / "view.gpkg"
    pyogrio.write_dataframe(synthetic_buurten(1, 2).reset_index(), path, layer="echt")
    con = sqlite3.connect(path)
    con.execute(
        "CREATE VIEW buurten AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) "
        "SELECT x AS fid FROM r"
    )
    con.commit()
    con.close()
    with pytest.raises(geo.ValidationError, match=r"view.gpkg: GeoPackage bevat een view"):
        geo.read_cbs_gpkg(path, gemeente="GM9999")
    with pytest.raises(geo.ValidationError, match=r"GeoPackage bevat een view"):
        geo.read_polygons(path)


def test_table_without_geometry_given_as_polygons_is_a_clear_error(tmp_path: Path) -> None:
    path = _statline(tmp_path, "buurtcode,naam\nBU00090101,x\n", name="tabel.csv")
    with pytest.raises(geo.ValidationError, match=r"tabel\.csv: heeft geen geometrie"):
        geo.read_polygons(path)
    gpkg = tmp_path / "attr.gpkg"
    pyogrio.write_dataframe(
        pd.DataFrame({"buurtcode": ["BU00090101"], "gemeentecode": ["GM0009"]}),
        gpkg,
        layer="buurten",
        driver="GPKG",
    )
    with pytest.raises(geo.ValidationError, match=r"laag buurten heeft geen geometrie"):
        geo.read_cbs_gpkg(gpkg, gemeente="GM0009")


# ---------------------------------------------------------------------------- load_inputs


def test_load_inputs_collects_every_problem_and_raises_once(tmp_path: Path) -> None:
    bad1 = _statline(tmp_path, "Codering_3,AantalInwoners_5\nBU00090101,veel\n", name="a.csv")
    bad2 = _statline(tmp_path, "", name="b.csv")
    with pytest.raises(geo.ValidationError) as info:
        geo.load_inputs(indicatoren=[bad1, bad2], gemeente="GM0009")
    text = str(info.value)
    assert "a.csv: kolom AantalInwoners_5: verwacht een getal" in text
    assert "b.csv: bestand is leeg" in text


def test_rows_of_other_municipalities_are_dropped_before_validation(tmp_path: Path) -> None:
    path = _statline(
        tmp_path,
        "Codering_3,WijkenEnBuurten,AantalInwoners_5,k_65JaarOfOuder_12\n"
        "BU00090101,BU00090101,100,10\nBU00090102,BU00090102,200,30\n"
        ",BU08200000,,\nBU08200001,BU08200001,kapot,\n",
    )
    with pytest.warns(UserWarning, match="geen buurtpolygonen"):
        ds = geo.load_inputs(indicatoren=[path], gemeente="GM0009")
    assert list(ds.buurten.index) == ["BU00090101", "BU00090102"]
    assert not ds.has_polygons


def test_a_renamed_shared_code_warns_naming_it() -> None:
    polys = synthetic_buurten(1, 2)
    table = geo.IndicatorTable(
        "t",
        pd.DataFrame({"inwoners": [100.0, 200.0]}, index=polys.index),
        pd.DataFrame(),
        pd.DataFrame(),
        names=pd.Series(["Buurt 0-0", "Heel Andere Naam"], index=polys.index),
    )
    with pytest.warns(UserWarning, match=r"BU99990001: 'Buurt 0-1' tegen 'Heel Andere Naam'"):
        out = geo.check_division(polys, table)
    assert len(out.buurt) == 2


def test_a_shared_code_with_other_inhabitants_is_not_joined() -> None:
    polys = synthetic_buurten(1, 4)
    own = pd.Series([100.0, 200.0, 4250.0, 300.0], index=polys.index)
    table = geo.IndicatorTable(
        "t",
        pd.DataFrame({"inwoners": [110.0, 190.0, 1020.0, 320.0]}, index=polys.index),
        pd.DataFrame(),
        pd.DataFrame(),
    )
    with pytest.warns(UserWarning, match=r"BU99990002: 4\.250 tegen 1\.020 inwoners"):
        out = geo.check_division(polys, table, inwoners=own)
    assert "BU99990002" not in out.buurt.index
    assert np.isclose(out.buurt["inwoners"].sum(), 620.0)


def test_wbk_shapefile_is_read_like_the_geopackage(tmp_path: Path) -> None:
    # CBS publishes the Wijk- en buurtkaart as shapefile too (upper-case names fit 10 chars)
    gdf = pyogrio.read_dataframe(FIXTURES / "wbk2015_buurt_velsen.gpkg", layer="buurt_2015")
    shp = tmp_path / "buurt_2015.shp"
    pyogrio.write_dataframe(gdf, shp, driver="ESRI Shapefile")
    ds = geo.load_inputs(gpkg=shp)
    assert ds.gemeentecode == "GM0453"
    assert len(ds.buurten) == len(gdf) == 63
    assert ds.tables[0].buurt["pct_bijstand"].notna().sum() >= 40


def test_wbk_attribute_names_of_the_social_domain_per_edition() -> None:
    # names as in CBS's documentation of the Wijk- en buurtkaart variables (2021 snake_case)
    # and in the 2024 file of data/haarlem (camelCase)
    k2021 = match_columns(
        [
            "aantal_wmo_clienten",
            "aantal_jongeren_met_jeugdzorg_in_natura",
            "percentage_huishoudens_met_laag_inkomen",
            "aantal_inwoners",
        ],
        "kwb2021",
    )
    assert {"pct_wmo", "pct_jeugdzorg", "pct_laag_inkomen", "inwoners"} == set(k2021)
    k2024 = match_columns(
        [
            "aantalWmoClienten",
            "aantalJongerenMetJeugdzorgInNatura",
            "percentageHuishoudensMetLaagInkomen",
            "aantalWmoClientenPer1000Inwoners",
        ],
        "kwb2024",
    )
    assert {"pct_wmo", "pct_jeugdzorg", "pct_laag_inkomen"} == set(k2024)
