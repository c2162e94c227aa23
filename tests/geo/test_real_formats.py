"""Every real file layout through the command line: what it yields.

The fixtures in ``tests/data/real_formats/`` are cut from real public CBS files (see the
README there). Each case runs ``python -m wijkteam profile`` and states what the file
gives: the number of buurten, the indicators recognised and the themes with data. The
expected numbers of buurten are counted from the fixtures themselves with the ``csv``
module or the raw GeoJSON, independently of the readers under test.
"""

from __future__ import annotations

import csv
import gzip
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from geo import _paths

DATA = Path(__file__).resolve().parents[1] / "data" / "real_formats"
ERMELO_GPKG = _paths.SAMPLES_DIR / "cbs_buurten_2021_GM0233.gpkg"
KWB2017 = DATA / "statline_kwb2017_83765NED_ermelo_amsterdam.csv"
KWB2017_NL = DATA / "statline_kwb2017_83765NED_ermelo_nuenen.CSV.GZ"
SES = DATA / "statline_web_ses_woa_85163NED_2019_GM0363_cut.csv"
RESAVED = DATA / "statline_web_kwb2019_84583NED_GM0363_r_resaved_cut.csv"
OLD = DATA / "statline_old_kwb2015_83220NED_GM0363_cut.csv"
AMS2015 = DATA / "wbk2015_buurt_amsterdam_amstelland_cut.geojson"
VELSEN = DATA / "wbk2015_buurt_velsen.gpkg"


def _buurt_codes_in_csv(path: Path, column: int, *, delimiter: str = ",", prefix: str = "BU0"):
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:  # type: ignore[operator]
        rows = list(csv.reader(fh, delimiter=delimiter))
    return {
        r[column].strip()
        for r in rows[1:]
        if len(r) > column and r[column].strip().startswith(prefix)
    }


def _run(tmp_path: Path, *args: str, command: str = "profile") -> tuple[int, str, Path]:
    out = tmp_path / "uit"
    proc = subprocess.run(
        [sys.executable, "-m", "wijkteam", command, *args, "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stderr, out


def _yields(out: Path) -> tuple[pd.DataFrame, set[str]]:
    buurten = pd.read_csv(out / "buurten.csv", sep=";", decimal=",", comment="#", index_col=0)
    teams = pd.read_csv(out / "teams_profiel.csv", sep=";", decimal=",", comment="#", index_col=0)
    themes = {c.removeprefix("aandeel_") for c in teams.columns if c.startswith("aandeel_")}
    return buurten, themes


def test_statline_2017_odata_with_the_ermelo_geopackage(tmp_path: Path) -> None:
    # 2017 edition: stems, not the 2024 suffixes; Amsterdam and Amstelveen rows dropped
    ermelo = _buurt_codes_in_csv(KWB2017, 4, prefix="BU0233")
    assert len(ermelo) == 16
    code, err, out = _run(tmp_path, "--gpkg", str(ERMELO_GPKG), "--indicatoren", str(KWB2017))
    assert code == 0, err
    buurten, themes = _yields(out)
    assert set(buurten.index) == ermelo
    for key in (
        "pct_65plus",
        "woz",
        "inkomen_per_inwoner",
        "pct_sociaal_minimum",
        "pct_laag_inkomen",
        "pct_herkomst_buiten_europa",
    ):
        assert buurten[key].notna().sum() >= 14, key
    assert themes == {"financieel", "toegang", "zorg"}
    assert (out / "kaart_profielen.html").exists()
    # the sample has no wijk names: teams read "Wijk NN <first buurt>", not WK023300
    wijken = _buurt_codes_in_csv(KWB2017, 4, prefix="WK0233")
    assert set(buurten["team"]) == {"Wijk 00 Ermelo", "Wijk 01 Speuld"}
    assert {f"WK0233{t[5:7]}" for t in buurten["team"]} == set(wijken)


def test_national_2017_table_with_broken_rows_of_nuenen_and_upper_case_gz(tmp_path: Path) -> None:
    with gzip.open(KWB2017_NL, "rt", encoding="utf-8-sig") as fh:
        assert sum("Nuenen" in line for line in fh) == 14  # the upstream defect is in the file
    code, err, out = _run(tmp_path, "--gpkg", str(ERMELO_GPKG), "--indicatoren", str(KWB2017_NL))
    assert code == 0, err
    buurten, themes = _yields(out)
    assert len(buurten) == 16
    assert buurten["inkomen_per_inwoner"].notna().sum() >= 14
    assert "financieel" in themes


def test_table_alone_gives_profiles_without_map(tmp_path: Path) -> None:
    code, err, out = _run(tmp_path, "--indicatoren", str(KWB2017_NL), "--gemeente", "GM0233")
    assert code == 0, err
    assert "kaart_profielen.html overgeslagen" in err
    assert not (out / "kaart_profielen.html").exists()
    buurten, themes = _yields(out)
    assert len(buurten) == 16
    assert themes == {"financieel", "toegang", "zorg"}


def test_r_resaved_website_download_alone_gives_social_domain_indicators(tmp_path: Path) -> None:
    expected = _buurt_codes_in_csv(RESAVED, 4)
    assert len(expected) == 19
    code, err, out = _run(tmp_path, "--indicatoren", str(RESAVED))
    assert code == 0, err
    buurten, themes = _yields(out)
    assert set(buurten.index) == expected
    for key in (
        "pct_wmo",
        "pct_jeugdzorg",
        "pct_bijstand",
        "pct_ao_uitkering",
        "pct_ww_uitkering",
        "pct_laag_inkomen",
        "pct_sociaal_minimum",
        "pct_huurwoningen",
        "pct_0_15",
        "pct_65plus",
    ):
        assert buurten[key].notna().any(), key
    assert themes == {"financieel", "samenhang", "toegang", "zorg", "jeugd"}
    # teams are the wijken, named by their names from the file (not WK codes)
    assert "Burgwallen-Oude Zijde" in set(buurten["team"])
    # decimal comma read as such: Wmo-cliënten per 100 inwoners in a plausible range
    assert buurten["pct_wmo"].dropna().between(0, 60).all()


def test_r_resaved_table_alone_gives_a_formation(tmp_path: Path) -> None:
    code, err, out = _run(tmp_path, "--indicatoren", str(RESAVED), command="allocate")
    assert code == 0, err
    assert "kaart_formatie.html overgeslagen" in err
    formation = pd.read_csv(out / "formatie.csv", sep=";", decimal=",", comment="#")
    assert formation["Team"].nunique() == 4


def test_statline_website_download_ses_woa(tmp_path: Path) -> None:
    expected = _buurt_codes_in_csv(SES, 2, delimiter=";")
    code, err, out = _run(tmp_path, "--indicatoren", str(SES))
    assert code == 0, err
    buurten, themes = _yields(out)
    assert set(buurten.index) == expected
    assert themes == {"toegang"}  # only the education level is a need indicator here
    assert buurten["pct_opleiding_laag"].notna().sum() >= len(expected) - 2
    # inhabitants are estimated from the households, flagged as such
    assert buurten["schattingen"].fillna("").str.contains("inwoners").all()


def test_wbk2015_geopackage_velsen(tmp_path: Path) -> None:
    n = pyogrio.read_info(VELSEN, layer="buurt_2015")["features"]
    code, err, out = _run(tmp_path, "--gpkg", str(VELSEN))  # one gemeente: inferred
    assert code == 0, err
    buurten, themes = _yields(out)
    assert len(buurten) == n == 63
    for key in ("pct_bijstand", "pct_ao_uitkering", "pct_ww_uitkering", "pct_eenpersoons_hh"):
        assert buurten[key].notna().sum() >= 40, key
    assert themes == {"financieel", "samenhang", "toegang", "zorg", "jeugd"}
    assert (out / "kaart_profielen.html").exists()


def test_wbk2015_geojson_in_wgs84_with_non_polygons_and_several_gemeenten(tmp_path: Path) -> None:
    features = json.loads(AMS2015.read_text(encoding="utf-8"))["features"]
    ams = {f["properties"]["BU_CODE"] for f in features if f["properties"]["GM_CODE"] == "GM0363"}
    code, err, _ = _run(tmp_path, "--gpkg", str(AMS2015))
    assert code == 2
    assert "bevat 3 gemeenten" in err
    assert "--gemeente" in err
    code, err, out = _run(tmp_path, "--gpkg", str(AMS2015), "--gemeente", "GM0363")
    assert code == 0, err
    buurten, _ = _yields(out)
    assert set(buurten.index) == ams
    # inhabitants from AANT_INW, sentinels as missing, never negative
    assert (buurten["inwoners"] >= 0).all()
    code, err, _ = _run(tmp_path, "--gpkg", str(AMS2015), "--gemeente", "GM0457")
    assert code == 2
    assert "BU04570003 is een LineString" in err


def test_old_two_row_export_matched_on_names_within_the_gemeente(tmp_path: Path) -> None:
    code, err, out = _run(
        tmp_path, "--buurten", str(AMS2015), "--gemeente", "GM0363", "--indicatoren", str(OLD)
    )
    assert code == 0, err
    assert "niet gekoppeld binnen de gemeente: Stadsdeel Centrum" in err
    buurten, themes = _yields(out)
    # the 2015 names match the 2015 map: income from the old export for those buurten
    assert buurten.loc["BU03630000", "inkomen_per_inwoner"] == pytest.approx(30.1)
    assert buurten.loc["BU03630002", "pct_sociaal_minimum"] == pytest.approx(8.0)
    assert "financieel" in themes


def test_old_export_alone_is_refused_with_the_reason(tmp_path: Path) -> None:
    code, err, _ = _run(tmp_path, "--indicatoren", str(OLD))
    assert code == 2
    assert "alleen regionamen (geen codes)" in err


def test_amsterdam_2015_map_with_2017_table_is_never_joined(tmp_path: Path) -> None:
    code, err, out = _run(
        tmp_path, "--buurten", str(AMS2015), "--gemeente", "GM0363", "--indicatoren", str(KWB2017)
    )
    assert code == 2
    assert "andere buurtindeling" in err
    assert "BU03630000: 4.250 tegen 1.020 inwoners" in err
    assert not out.exists()


def test_ermelo_sample_alone_says_which_files_to_add(tmp_path: Path) -> None:
    code, err, _ = _run(tmp_path, "--gpkg", str(ERMELO_GPKG))
    assert code == 2
    assert "Ermelo: geen enkele indicator heeft waarden" in err
