"""Data: the loaded municipality, sources, coverage and gaps; uploads of own files."""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any

import streamlit as st

import geo
from app_pages import cached
from app_pages.cached import HAARLEM, SourceKey
from app_pages.state import current_profiles, scenario_misfit, switch_source
from app_pages.widgets import BRON, PROJECT_ERRORS, Page, dutch, md
from app_pages.wording import in_words, show_in_words


class UploadDir:
    """A private (0700) temporary directory for one session's uploads.

    Removed when the session's state is dropped (or at exit), without a ResourceWarning.
    """

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="wijkteam-upload-"))
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.path, ignore_errors=True)


def _upload_dir() -> Path:
    ss = st.session_state
    if "upload_dir" not in ss:
        ss.upload_dir = UploadDir()
    return ss.upload_dir.path


def store_bytes(slot: str, name: str, data: bytes) -> tuple[str, str, str]:
    """Write a file into the session's private directory; return (slot, path, sha256)."""
    safe = re.sub(r"[^\w.\-]+", "_", Path(name).name).lstrip(".") or "bestand"
    digest = hashlib.sha256(data).hexdigest()
    folder = _upload_dir() / digest[:16]
    folder.mkdir(exist_ok=True)
    path = folder / safe
    path.write_bytes(data)
    return (slot, str(path), digest)


def store_upload(slot: str, upload: Any) -> tuple[str, str, str]:
    """Write one upload into the session's private directory; return (slot, path, sha256)."""
    name = Path(str(upload.name)).name
    if upload.size > geo.MAX_UPLOAD_BYTES:
        safe = re.sub(r"[^\w.\-]+", "_", name).lstrip(".") or "bestand"
        raise geo.ValidationError(
            f"{safe}: bestand is te groot ({upload.size / 2**20:.0f} MB, maximaal "
            f"{geo.MAX_UPLOAD_BYTES / 2**20:.0f} MB)"
        )
    return store_bytes(slot, name, upload.getvalue())


#: Where a municipality finds its files (Dutch, shown above the uploads).
GUIDANCE = """
Alles wat u nodig hebt publiceren CBS en RIVM gratis. Eén bestand is genoeg om te beginnen;
hieronder staat wat er herkend is en wat er nog ontbreekt.

- **Buurtgrenzen**: de **Wijk- en buurtkaart** van CBS (cbs.nl, zoek op "Wijk- en
  buurtkaart"; GeoPackage, het landelijke bestand of alleen uw gemeente). Nodig voor de
  kaarten en voor teamgebieden; veel edities bevatten ook kerncijfers per buurt.
- **Kerncijfers per buurt**: de StatLine-tabel **Kerncijfers wijken en buurten**
  (opendata.cbs.nl; kies uw gemeente en download als CSV): inwoners, huishoudens, inkomen,
  uitkeringen, Wmo en jeugdzorg.
- **Gezondheid en welzijn**: de RIVM **Gezondheidsmonitor** Volwassenen en Ouderen per buurt
  (StatLine-tabel 50090NED, CSV, ook het landelijke .gz-bestand): eenzaamheid, stress, moeite
  met rondkomen.
- **Teamtabel** (optioneel): een CSV met de kolommen `team` en `buurtcode` of `wijkcode`.
  Zonder teamtabel is elke wijk een team, met de naam van de wijk.

Zonder buurtgrenzen werken profielen en formatie uit de tabellen; alleen de kaarten
ontbreken. Bestanden die al gelezen zijn blijven bewaard: u kunt er later een bestand bij
geven zonder de andere opnieuw te kiezen.
"""

#: Upload slots that hold one file; a new one replaces the kept one.
_SINGLE = ("gpkg", "buurten", "teams", "themas")
#: What a kept file is, in words.
_ROLES = {
    "gpkg": "Wijk- en buurtkaart",
    "buurten": "buurtpolygonen",
    "indicatoren": "indicatorbestand",
    "teams": "teamtabel",
    "themas": "themaconfiguratie",
}


def merge_files(
    kept: tuple[tuple[str, str, str], ...], new: list[tuple[str, str, str]]
) -> tuple[tuple[str, str, str], ...]:
    """Add new uploads to the kept files; new polygons start a new municipality."""
    slots = {f[0] for f in new}
    if slots & {"gpkg", "buurten"}:
        return tuple(dict.fromkeys(new))
    digests = {f[2] for f in new}
    old = [f for f in kept if f[0] not in slots or f[0] not in _SINGLE]
    return tuple(dict.fromkeys([*(f for f in old if f[2] not in digests), *new]))


def indicators_with_values(dataset: geo.Dataset) -> list[str]:
    """Catalogue keys with at least one value in the dataset's tables (counts included)."""
    keys: dict[str, None] = {}
    for table in dataset.tables:
        for frame in (table.buurt, table.wijk, table.gemeente):
            for col in frame.columns:
                if frame[col].notna().any():
                    keys[str(col)] = None
    return list(keys)


def _label(key: str) -> str:
    try:
        return geo.indicator(key).label
    except (KeyError, geo.ValidationError):
        return key


def render_recognised(source: SourceKey) -> None:
    """Say what was recognised in the loaded files, and why there is no map without polygons."""
    if source == HAARLEM:
        return
    try:
        dataset, _notes = cached.load_dataset(source)
    except PROJECT_ERRORS as exc:
        show_in_words(exc)
        return
    b = dataset.buurten
    polygons = "geometry" in b.columns and bool(b.geometry.notna().any())
    keys = indicators_with_values(dataset)
    lines = [
        f"**{md(dataset.gemeentenaam)}** ({md(dataset.gemeentecode)}): {len(b)} buurten in "
        f"{b['wijkcode'].nunique()} wijken, "
        + ("met buurtgrenzen." if polygons else "**zonder buurtgrenzen** (alleen tabellen)."),
        f"Indicatoren met cijfers ({len(keys)}): "
        + (", ".join(md(_label(k)) for k in keys) if keys else "geen")
        + ".",
    ]
    files = ", ".join(
        f"{md(Path(path).name)} ({_ROLES.get(slot, slot)})" for slot, path, _ in source[2]
    )
    lines.append(f"Bestanden: {files}.")
    st.markdown("\n".join(f"- {line}" for line in lines))
    if not polygons:
        st.info(
            "**Geen kaart**: deze bestanden hebben geen buurtgrenzen, alleen cijfers per "
            "buurt. De profielen en de formatie worden uit de tabellen berekend; de kaarten en "
            "de teamgebieden vragen de grenzen. Voeg daarvoor de Wijk- en buurtkaart van CBS "
            "toe (hieronder, bij CBS GeoPackage).",
            icon=":material/map:",
        )


def render_themes(profiles: geo.Profiles, source: SourceKey) -> None:
    """List the need themes with data, and the configured themes these files cannot fill."""
    configured = cached.themes_of(source) or geo.load_themes()
    have = {t.key for t in profiles.themes}
    with_data = [t.label for t in configured if t.key in have]
    without = [t.label for t in configured if t.key not in have]
    st.markdown(
        f"- Behoeftethema's met gegevens: {', '.join(md(t) for t in with_data) or 'geen'}."
        + (
            f"\n- Zonder gegevens in deze bestanden: {', '.join(md(t) for t in without)}; "
            "disciplines die alleen daarop steunen laat het voorgestelde scenario weg."
            if without
            else ""
        )
    )


def render_tables(profiles: geo.Profiles) -> None:
    """Without polygons: the buurten with their team, inhabitants and theme indices."""
    table = profiles.buurten[["buurtnaam", "wijknaam", "team"]].copy()
    if "inwoners" in profiles.indicators.info.columns:
        table["inwoners"] = profiles.indicators.info["inwoners"].reindex(table.index)
    for theme in profiles.themes:
        if theme.key in profiles.buurt.index.columns:
            table[f"index {theme.label}"] = profiles.buurt.index[theme.key].reindex(table.index)
    table.index.name = "buurtcode"
    st.markdown("**Buurten** (index 100 = gemeentelijk gemiddelde)")
    st.dataframe(dutch(table, {"inwoners": 0}), width="stretch", key="buurten_tabel")


def render_upload() -> None:
    """Upload a municipality's own files; keep the current data when they are rejected."""
    ss = st.session_state
    st.subheader("Eigen gegevens laden")
    st.markdown(GUIDANCE)
    st.caption(f"Maximaal {geo.MAX_UPLOAD_BYTES // 2**20} MB per bestand.")
    kept: tuple[tuple[str, str, str], ...] = ss.get("kept_files", ())
    with st.form("upload", clear_on_submit=False):
        c1, c2 = st.columns(2)
        gpkg = c1.file_uploader(
            "CBS GeoPackage (.gpkg)",
            type=["gpkg"],
            key="up_gpkg",
            help="De Wijk- en buurtkaart van CBS, elke editie; het landelijke bestand of alleen "
            "uw gemeente.",
        )
        gemeente = c1.text_input(
            "Gemeentecode (GMxxxx)",
            max_chars=6,
            key="up_gemeente",
            placeholder="alleen nodig bij een bestand met meer gemeenten",
        )
        buurten = c1.file_uploader(
            "Of: buurtpolygonen (GeoJSON/GeoPackage)",
            type=["geojson", "json", "gpkg"],
            key="up_buurten",
        )
        indicatoren = c2.file_uploader(
            "Indicatorbestanden (CSV)",
            type=["csv", "gz"],
            accept_multiple_files=True,
            key="up_indicatoren",
            help="StatLine Kerncijfers wijken en buurten (elke editie en downloadvorm) en de "
            "RIVM Gezondheidsmonitor; ook als .gz.",
        )
        teams = c2.file_uploader("Teamtabel (CSV)", type=["csv"], key="up_teams")
        themas = c2.file_uploader(
            "Themaconfiguratie (TOML, optioneel)", type=["toml"], key="up_themas"
        )
        submitted = st.form_submit_button("Gegevens laden", type="primary")
    b1, b2 = st.columns(2)
    if b1.button("Terug naar de ingebouwde Haarlem-gegevens", key="terug_haarlem"):
        ss.kept_files = ()
        switch_source(HAARLEM)
        st.rerun()
    if kept and b2.button("Bewaarde bestanden vergeten", key="vergeet_bestanden"):
        ss.kept_files = ()
        st.rerun()
    if kept and not submitted:
        st.caption(
            "Bewaard voor de volgende keer laden: "
            + ", ".join(f"{md(Path(p).name)} ({_ROLES.get(s, s)})" for s, p, _ in kept)
        )
    if not submitted:
        return
    gemeente = gemeente.strip().upper()
    if gemeente and not re.fullmatch(r"GM\d{4}", gemeente):
        st.error(f"Gemeentecode: verwacht GM gevolgd door 4 cijfers, gevonden {md(gemeente)}")
        return
    try:
        new_files: list[tuple[str, str, str]] = []
        for slot, up in (
            ("gpkg", gpkg),
            ("buurten", buurten),
            ("teams", teams),
            ("themas", themas),
        ):
            if up is not None:
                new_files.append(store_upload(slot, up))
        new_files += [store_upload("indicatoren", up) for up in indicatoren or []]
        if not new_files:
            st.warning("Kies eerst een of meer bestanden.")
            return
        files = merge_files(kept, new_files)
        only_teams = {f[0] for f in files} <= {"teams", "themas"}
        new: SourceKey = ("haarlem" if only_teams else "upload", gemeente, files)
        dataset, _ = cached.load_dataset(new)
    except PROJECT_ERRORS as exc:
        show_in_words(exc)
        st.info("De huidige gegevens blijven in gebruik.")
        return
    no_figures = not only_teams and not [
        k for k in indicators_with_values(dataset) if k not in ("inwoners", "huishoudens")
    ]
    given = [Path(p).name for s, p, _ in new_files if s == "indicatoren"]
    if no_figures and given:  # the indicator files themselves hold no usable value
        st.error(
            md(
                f"{dataset.gemeentenaam}: geen enkele indicator heeft waarden voor deze buurten "
                f"in {', '.join(given)} (alle cellen leeg of geheim); kies een tabel van deze "
                "gemeente met cijfers per buurt"
            ),
            icon=":material/error:",
        )
        st.info("De huidige gegevens blijven in gebruik.")
        return
    ss.kept_files = () if only_teams else files
    if no_figures:
        render_recognised(new)
        st.info(
            f"**{md(dataset.gemeentenaam)} herkend, maar nog zonder cijfers per buurt**: "
            "deze bestanden geven de buurten, niet de kenmerken waaruit de behoefte volgt. "
            "Voeg de StatLine-tabel *Kerncijfers wijken en buurten* en/of de RIVM "
            "*Gezondheidsmonitor* toe (zie boven) en klik opnieuw op *Gegevens laden*; de "
            "bestanden die u al gaf blijven bewaard. Tot dan blijven de huidige gegevens in "
            "gebruik.",
            icon=":material/playlist_add:",
        )
        return
    try:
        profiles, notes = cached.load_profiles(new)
    except PROJECT_ERRORS as exc:
        show_in_words(exc)
        st.info("De huidige gegevens blijven in gebruik.")
        return
    for note in notes:
        st.warning(f"Let op: {md(in_words(note))}")
    switch_source(new)
    st.success(
        f"Geladen: {md(profiles.gemeentenaam)} met {len(profiles.buurten)} buurten en "
        f"{len(profiles.team.shares)} teams."
    )
    misfit = scenario_misfit(new, ss.scenario)
    if misfit:
        st.warning(
            "Het open scenario past niet op deze gegevens ("
            + md("; ".join(misfit))
            + "). De pagina **Formatie** stelt met één klik een passend scenario voor."
        )


def render() -> None:
    """Show the Data page: dataset, sources, coverage and gaps, method; own uploads."""
    st.title("Data")
    ss = st.session_state
    profiles = current_profiles()
    if profiles is not None:
        info = profiles.indicators.info
        c = st.columns(4)
        c[0].metric("Gemeente", f"{profiles.gemeentenaam}")
        c[1].metric("Buurten", len(info))
        c[2].metric("Wijken", info["wijkcode"].nunique())
        c[3].metric("Teams", info["team"].nunique())
        if ss.source != HAARLEM:
            st.subheader("Herkend in uw bestanden")
            render_recognised(ss.source)
            render_themes(profiles, ss.source)
            if not geo.has_polygons(profiles):
                render_tables(profiles)
        st.subheader("Bronnen")
        st.markdown(f"**{BRON}**")
        st.markdown("\n".join(f"- {md(line)}" for line in profiles.sources))
        if ss.source == HAARLEM:
            st.caption(
                "De teamindeling van Haarlem is indicatief (werkgebieden 2015, Schalkwijk "
                "gesplitst), geen officiële kaart: laad hieronder uw eigen teamtabel."
            )
        st.subheader("Dekking en hiaten per indicator")
        cov = profiles.indicators.coverage.rename(
            columns={
                "omschrijving": "indicator",
                "buurtwaarde": "eigen buurtwaarde",
                "schatting": "schatting",
                "uit_wijk": "uit wijk",
                "uit_gemeente": "uit gemeente",
                "ontbreekt": "ontbreekt",
                "dekking_pct": "dekking (%)",
            }
        )
        counts = {c: 0 for c in cov.columns if c not in ("indicator", "dekking (%)")}
        st.dataframe(
            dutch(cov, {**counts, "dekking (%)": 1}),
            width="stretch",
            hide_index=True,
            key="dekking_tabel",
        )
        gaps = cov[cov["dekking (%)"] < 100]
        small = int(info["klein"].sum())
        st.markdown(
            f"{len(gaps)} van de {len(cov)} indicatoren hebben niet voor elke buurt een eigen "
            f"waarde; {small} buurt(en) hebben minder dan 50 inwoners (cijfers onzeker of geheim)."
        )
        st.subheader("Werkwijze in het kort")
        st.markdown(METHOD)
    render_upload()


METHOD = """
1. **Gegevens**: CBS Kerncijfers wijken en buurten, RIVM Gezondheidsmonitor en de
   buurtgrenzen van CBS/PDOK. Geheime of ontbrekende CBS-waarden worden nooit nul: een buurt
   zonder eigen waarde krijgt die van haar wijk, anders het gemeentegemiddelde (zichtbaar
   als *herkomst*).
2. **Profieltaart**: de indicatoren vormen behoeftethema's (financieel, psychosociaal, zorg,
   …). Per thema een index (100 = gemeentelijk gemiddelde); de taart toont de verhouding
   van de thema's in een buurt, wijk of team.
3. **Formatie**: de behoefte per team (aantal betrokken inwoners per thema) geeft per
   discipline een doel in uren. Een lineair programma verdeelt de uren binnen het budget:
   eerst het grootste relatieve tekort zo klein mogelijk (eerlijk), dan het totale tekort,
   dan zo weinig mogelijk verschuiving ten opzichte van nu.
4. **Grenzen**: het zijn schattingen uit open data, geen caseload; gebruik ze als
   gespreksstof met de teams, niet als rekenregel.
"""


PAGE = Page("Data", "data", ":material/database:", render)
