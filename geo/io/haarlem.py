"""The embedded Haarlem data: 111 buurten, 21 wijken, ten indicative teams."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import _paths
from geo.io._tables import RD_NEW, Dataset, IndicatorTable, to_canonical
from geo.io.rivm import read_rivm_csv
from geo.io.statline import read_statline_csv
from geo.io.teams import read_team_table
from geo.io.vector import read_polygons, read_vector

__all__ = ["load_haarlem"]


def load_haarlem(*, teams: str | Path | None = None) -> Dataset:
    """Load the embedded Haarlem data (111 buurten, 21 wijken, 10 indicative teams).

    Sources in priority order: CBS kerncijfers 2024 (StatLine), the 2024 wijk attributes of
    the Wijk- en buurtkaart (wijk level, used to fill buurt gaps), RIVM Gezondheidsmonitor
    2020 (18+ and 65+), and the 2015 benefit counts moved onto today's buurten by
    areal-weighted interpolation (flagged as estimates).

    Parameters
    ----------
    teams
        Optional own team table; default: ``data/haarlem/werkgebieden_indicatief.csv``.

    Returns
    -------
    Dataset
        Haarlem's data.
    """
    from geo.interpolate import areal_interpolate

    d = _paths.HAARLEM_DIR
    polys = read_polygons(d / "haarlem_buurten_rd28992.geojson")
    meta = read_vector(d / "haarlem_buurten.geojson")
    meta.index = pd.Index(meta["buurtcode"].astype(str), name="buurtcode")
    polys["buurtnaam"] = meta["buurtnaam"].reindex(polys.index).astype(object)
    polys["wijkcode"] = meta["wijkcode"].reindex(polys.index).astype(object)
    polys["wijknaam"] = meta["wijknaam"].reindex(polys.index).astype(object)
    kwb = read_statline_csv(d / "haarlem_kwb.csv")
    kwb_w = read_statline_csv(d / "haarlem_kwb_wijken_gemeente_2024.csv")
    kwb = IndicatorTable(kwb.name, kwb.buurt, kwb_w.wijk, kwb_w.gemeente, names=kwb.names)
    wijken = read_vector(d / "haarlem_wijken_2024.geojson")
    wattrs = pd.DataFrame(wijken.drop(columns="geometry"))
    wattrs.index = pd.Index(wattrs["wijkcode"].astype(str), name="code")
    wtab = IndicatorTable(
        "CBS Wijk- en buurtkaart 2024 (wijkniveau)",
        pd.DataFrame(),
        to_canonical(wattrs, "kwb2024", where="haarlem_wijken_2024.geojson"),
        pd.DataFrame(),
    )
    rivm = d / "haarlem_gezondheid_rivm.csv"
    r18 = read_rivm_csv(rivm, leeftijd="18+", jaar=2020)
    r65 = read_rivm_csv(rivm, leeftijd="65+", jaar=2020)
    old = read_vector(d / "haarlem_buurten_2015.geojson")
    old.index = pd.Index(old["BU_CODE"].astype(str), name="code")
    old_vals = to_canonical(
        pd.DataFrame(old.drop(columns="geometry")), "kwb2015", where="haarlem_buurten_2015.geojson"
    )
    counts = pd.DataFrame(
        {
            k: old_vals[k] / 100.0 * old_vals["inwoners"]
            for k in ("pct_bijstand", "pct_ao_uitkering", "pct_ww_uitkering")
        }
    )
    counts["inwoners_2015"] = old_vals["inwoners"]
    src = gpd.GeoDataFrame(counts, geometry=old.geometry.to_numpy(), crs=old.crs).to_crs(RD_NEW)
    est = areal_interpolate(src, polys, extensive=list(counts.columns))
    interp = pd.DataFrame(
        {
            k: 100.0 * est[k] / est["inwoners_2015"].where(est["inwoners_2015"] > 0)
            for k in ("pct_bijstand", "pct_ao_uitkering", "pct_ww_uitkering")
        },
        index=polys.index,
    )
    itab = IndicatorTable(
        "CBS Wijk- en buurtkaart 2015, uitkeringen (oppervlakte-gewogen schatting)",
        interp,
        pd.DataFrame(),
        pd.DataFrame(),
        frozenset(interp.columns),
    )
    team_path = Path(teams) if teams is not None else d / "werkgebieden_indicatief.csv"
    team_series = read_team_table(team_path, buurten=polys)
    sources = (
        "Bron: CBS Kerncijfers wijken en buurten 2024 (85984NED); CBS Wijk- en buurtkaart "
        "2015 en 2024; RIVM/GGD'en Gezondheidsmonitor 2020 (50090NED); PDOK/CBS "
        "gebiedsindelingen 2022. CC BY 4.0.",
    )
    return Dataset("GM0392", "Haarlem", polys, (kwb, wtab, r18, r65, itab), team_series, sources)
