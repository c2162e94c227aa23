"""Regenerate the binary and derived files of the hostile-input corpus in ``tests/data/bad``.

Run once with ``python tests/data/make_bad_corpus.py``; the files are committed. Text files
that are easier to read as they are (CSV, TOML) are written here too, so the whole corpus is
reproducible. ``MANIFEST.toml`` (hand-written) says what each file must produce.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from shapely.geometry import LineString, Polygon, box

ROOT = Path(__file__).resolve().parents[2]
HAARLEM = ROOT / "data" / "haarlem"
BAD = Path(__file__).resolve().parent / "bad"


def _buurten(n: int = 6) -> gpd.GeoDataFrame:
    g = gpd.read_file(HAARLEM / "haarlem_buurten_rd28992.geojson").iloc[:n]
    return g.rename(columns={"statcode": "buurtcode", "statnaam": "buurtnaam"})


def _kwb_rows(codes: list[str]) -> pd.DataFrame:
    kwb = pd.read_csv(HAARLEM / "haarlem_kwb.csv", dtype=str)
    return kwb[kwb["Codering_3"].isin(codes)]


def main() -> None:
    BAD.mkdir(exist_ok=True)
    b = _buurten()
    codes = list(b["buurtcode"])
    kwb = _kwb_rows(codes)
    (BAD / "leeg.csv").write_bytes(b"")
    (BAD / "alleen_kop.csv").write_text(",".join(kwb.columns) + "\n", encoding="utf-8")
    text = kwb.to_csv(index=False)
    (BAD / "afgebroken.csv.gz").write_bytes(gzip.compress(text.encode())[:200])
    (BAD / "scheidingsteken_pipe.csv").write_text(kwb.to_csv(index=False, sep="|"))
    (BAD / "utf16.csv").write_bytes(text.encode("utf-16"))
    latin = kwb.copy()
    latin["WijkenEnBuurten"] = "Café Überweg"
    (BAD / "latin1.csv").write_bytes(latin.to_csv(index=False).encode("latin-1"))
    text_num = kwb.copy()
    text_num.loc[text_num.index[1], "AantalInwoners_5"] = "ongeveer 300"
    (BAD / "tekst_in_getal.csv").write_text(text_num.to_csv(index=False))
    dup = pd.concat([kwb, kwb.iloc[[0]]])
    (BAD / "dubbele_codes.csv").write_text(dup.to_csv(index=False))
    other = kwb.copy()
    other["Codering_3"] = [c.replace("BU0392", "BU0363") for c in other["Codering_3"]]
    (BAD / "andere_gemeente_codes.csv").write_text(other.to_csv(index=False))
    sentinel = kwb.copy()
    for col in sentinel.columns[8:]:
        sentinel[col] = "-99995"
    sentinel["AantalInwoners_5"] = "."
    (BAD / "alle_sentinels.csv").write_text(sentinel.to_csv(index=False))
    # geometry
    b.to_file(BAD / "buurten_ok.geojson", driver="GeoJSON")
    nocrs = json.loads((BAD / "buurten_ok.geojson").read_text())
    nocrs.pop("crs", None)
    (BAD / "rd_zonder_crs.geojson").write_text(json.dumps(nocrs))
    with_dup = pd.concat([b, b.iloc[[0]]])
    gpd.GeoDataFrame(with_dup, crs=28992).to_file(BAD / "dubbele_buurtcodes.gpkg")
    empty = b.copy()
    empty.loc[empty.index[2], "geometry"] = Polygon()
    empty.to_file(BAD / "lege_geometrie.gpkg")
    bow = b.copy()
    x0, y0, x1, y1 = bow.geometry.iloc[0].bounds
    bow.loc[bow.index[0], "geometry"] = Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    bow.to_file(BAD / "zelfdoorsnijdend.gpkg")
    line = b.copy()
    line.loc[line.index[1], "geometry"] = LineString([(x0, y0), (x1, y1)])
    gpd.GeoDataFrame(line, geometry="geometry", crs=28992).to_file(BAD / "lijn_geen_vlak.gpkg")
    evil = b.copy()
    evil.loc[evil.index[0], "buurtnaam"] = '<script>alert("buurt")</script>'
    evil.loc[evil.index[1], "buurtnaam"] = "<img src=x onerror=alert(1)>"
    evil.to_file(BAD / "html_in_namen.geojson", driver="GeoJSON")
    teams = pd.DataFrame(
        {"buurtcode": codes, "team": ['<script>alert("team")</script>'] * 3 + ["Team <b>2</b>"] * 3}
    )
    teams.to_csv(BAD / "html_in_teamnamen.csv", index=False)
    pd.DataFrame({"wijkcode": ["WK039201", "WK039299"], "team": ["A", "B"]}).to_csv(
        BAD / "teams_onbekende_wijk.csv", index=False
    )
    pd.DataFrame({"buurtcode": codes[:4], "team": ["A", "A", "B", "B"]}).to_csv(
        BAD / "teams_buurten_zonder_team.csv", index=False
    )
    # GeoPackages in the CBS layout
    gpkg = b.copy()
    gpkg["gemeentecode"] = "GM0392"
    gpkg["aantalInwoners"] = [int(x) for x in kwb["AantalInwoners_5"].fillna("0")]
    pyogrio.write_dataframe(gpkg, BAD / "gpkg_zonder_buurtenlaag.gpkg", layer="gemeenten")
    pyogrio.write_dataframe(gpkg, BAD / "wijkenbuurten_mini.gpkg", layer="buurten")
    raw = (BAD / "wijkenbuurten_mini.gpkg").read_bytes()
    (BAD / "afgebroken.gpkg").write_bytes(raw[: len(raw) // 3])
    (BAD / "geen_kaart.geojson").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    # a polygon far outside the Netherlands, stated as RD
    far = gpd.GeoDataFrame(
        {"buurtcode": ["BU03920101"], "buurtnaam": ["Ver weg"]},
        geometry=[box(9e6, 9e6, 9.001e6, 9.001e6)],
        crs=28992,
    )
    far.to_file(BAD / "buiten_nederland.gpkg")
    (BAD / "themas_nan.toml").write_text('[thema.x]\nnaam = "X"\nindicatoren = { eenzaam = nan }\n')
    (BAD / "themas_negatief.toml").write_text(
        '[thema.x]\nnaam = "X"\nindicatoren = { eenzaam = -1.0 }\n'
    )
    scenarios()


def scenarios() -> None:
    """Write the broken scenario files, each a small edit of the Haarlem default."""
    default = (BAD.parents[2] / "data" / "scenarios" / "haarlem_default.toml").read_text(
        encoding="utf-8"
    )
    edits = {
        "scenario_negatief_budget.toml": ("budget = 5_920_000", "budget = -100"),
        "scenario_absurd_budget.toml": ("budget = 5_920_000", "budget = 5e13"),
        "scenario_nan_gewicht.toml": (
            "behoefte = { financieel = 1.0 }",
            "gewicht = nan\nbehoefte = { financieel = 1.0 }",
        ),
        "scenario_negatief_gewicht.toml": (
            "behoefte = { samenhang = 1.0 }",
            "behoefte = { samenhang = -2.0 }",
        ),
        "scenario_min_boven_max.toml": ("min_uren = 16.0", "min_uren = 96.0"),
        "scenario_onbekende_discipline.toml": (
            "[[fase]]",
            "[vastgezet.Meerwijk]\nyoga = 12\n\n[[fase]]",
        ),
        "scenario_onbekend_thema.toml": (
            "behoefte = { toegang = 1.0 }",
            "behoefte = { astrologie = 1.0 }",
        ),
        "scenario_onhaalbaar.toml": ("budget = 5_920_000", "budget = 2_000_000"),
        "scenario_kapot.toml": ("[teamgrootte]", "[teamgrootte"),
    }
    for name, (old, new) in edits.items():
        assert old in default, (name, old)
        (BAD / name).write_text(default.replace(old, new, 1), encoding="utf-8")
    (BAD / "scenario_leeg.toml").write_text("", encoding="utf-8")


if __name__ == "__main__":
    main()
