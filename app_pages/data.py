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
import optimize
from app_pages import cached
from app_pages.cached import HAARLEM, SourceKey
from app_pages.state import current_profiles, switch_source
from app_pages.widgets import BRON, PROJECT_ERRORS, Page, clean_message, dutch, md, show_error


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


def store_upload(slot: str, upload: Any) -> tuple[str, str, str]:
    """Write one upload into the session's private directory; return (slot, path, sha256)."""
    name = Path(str(upload.name)).name
    safe = re.sub(r"[^\w.\-]+", "_", name).lstrip(".") or "bestand"
    if upload.size > geo.MAX_UPLOAD_BYTES:
        raise geo.ValidationError(
            f"{safe}: bestand is te groot ({upload.size / 2**20:.0f} MB, maximaal "
            f"{geo.MAX_UPLOAD_BYTES / 2**20:.0f} MB)"
        )
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    folder = _upload_dir() / digest[:16]
    folder.mkdir(exist_ok=True)
    path = folder / safe
    path.write_bytes(data)
    return (slot, str(path), digest)


def render_upload() -> None:
    """Upload a municipality's own files; keep the current data when they are rejected."""
    ss = st.session_state
    st.subheader("Eigen gegevens laden")
    st.markdown(
        "Geef een **CBS Wijk- en buurtkaart GeoPackage** met de gemeentecode, of losse "
        "**buurtpolygonen**; voeg **indicatorbestanden** (CBS StatLine kerncijfers, RIVM "
        "Gezondheidsmonitor; CSV, ook .gz) en een **teamtabel** (CSV met `team` en `buurtcode` "
        "of `wijkcode`) toe. Alleen een teamtabel: Haarlem met uw eigen teamindeling. "
        f"Maximaal {geo.MAX_UPLOAD_BYTES // 2**20} MB per bestand."
    )
    with st.form("upload", clear_on_submit=False):
        c1, c2 = st.columns(2)
        gpkg = c1.file_uploader("CBS GeoPackage (.gpkg)", type=["gpkg"], key="up_gpkg")
        gemeente = c1.text_input("Gemeentecode (GMxxxx)", max_chars=6, key="up_gemeente")
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
        )
        teams = c2.file_uploader("Teamtabel (CSV)", type=["csv"], key="up_teams")
        themas = c2.file_uploader(
            "Themaconfiguratie (TOML, optioneel)", type=["toml"], key="up_themas"
        )
        submitted = st.form_submit_button("Gegevens laden", type="primary")
    if st.button("Terug naar de ingebouwde Haarlem-gegevens", key="terug_haarlem"):
        switch_source(HAARLEM)
        st.rerun()
    if not submitted:
        return
    gemeente = gemeente.strip().upper()
    if gpkg is not None and not re.fullmatch(r"GM\d{4}", gemeente):
        st.error(f"Gemeentecode: verwacht GM gevolgd door 4 cijfers, gevonden {md(gemeente)}")
        return
    try:
        files: list[tuple[str, str, str]] = []
        for slot, up in (
            ("gpkg", gpkg),
            ("buurten", buurten),
            ("teams", teams),
            ("themas", themas),
        ):
            if up is not None:
                files.append(store_upload(slot, up))
        files += [store_upload("indicatoren", up) for up in indicatoren or []]
        if not files:
            st.warning("Kies eerst een of meer bestanden.")
            return
        kind = "upload" if any(f[0] in ("gpkg", "buurten") for f in files) else "haarlem"
        new: SourceKey = (kind, gemeente if gpkg is not None else "", tuple(files))
        profiles, notes = cached.load_profiles(new)
    except PROJECT_ERRORS as exc:
        show_error(exc)
        st.info("De huidige gegevens blijven in gebruik.")
        return
    for note in notes:
        st.warning(f"Let op: {clean_message(note)}")
    switch_source(new)
    st.success(
        f"Geladen: {md(profiles.gemeentenaam)} met {len(profiles.buurten)} buurten en "
        f"{len(profiles.team.shares)} teams."
    )
    try:
        optimize.need_targets(cached.team_need(new), ss.scenario)
    except PROJECT_ERRORS as exc:
        st.warning(
            "Het huidige scenario past niet op deze gegevens; laad een passend scenario op "
            f"de pagina Scenario's. {md(clean_message(str(exc)))}"
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
