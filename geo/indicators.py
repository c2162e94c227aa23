"""The canonical buurt table: indicators with open gap filling, and aggregation.

For each catalogue indicator a buurt takes, in this order: its own value from the first
source table that has one (``bron = "buurt"``, or ``"schatting"`` for interpolated
figures); else its wijk's value (``"wijk"``); else the municipal value (``"gemeente"``);
else it stays missing (``""``). Never a silent zero. Buurten with fewer inhabitants than a
threshold (CBS practice: 50) are flagged ``klein``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo._errors import ValidationError
from geo.catalogue import CATALOGUE, indicator
from geo.load import Dataset

__all__ = [
    "BASE_COLUMNS",
    "IndicatorFrame",
    "aggregate",
    "build_indicators",
    "municipal_average",
]

#: Base counts derived for every buurt (used as aggregation weights and for need counts).
BASE_COLUMNS = ("inwoners", "huishoudens", "volwassenen", "inwoners_65plus")
_BASE_LABELS = {
    "inwoners": "inwoners",
    "huishoudens": "huishoudens",
    "volwassenen": "inwoners van 15 jaar en ouder (benadering van 18+)",
    "inwoners_65plus": "inwoners van 65 jaar en ouder",
}


@dataclass(frozen=True)
class IndicatorFrame:
    """Buurt indicators with their provenance.

    Attributes
    ----------
    info
        Index ``buurtcode``: ``buurtnaam``, ``wijkcode``, ``wijknaam``, ``team``,
        ``klein`` (bool), and the base counts of :data:`BASE_COLUMNS`.
    values
        Index ``buurtcode``: one column per available catalogue indicator.
    source
        Same shape as ``values``: ``buurt``, ``schatting``, ``wijk``, ``gemeente`` or ``""``.
    coverage
        One row per indicator: counts per provenance and the share of buurten with an own
        value.
    """

    info: pd.DataFrame
    values: pd.DataFrame
    source: pd.DataFrame
    coverage: pd.DataFrame

    @property
    def indicators(self) -> list[str]:
        """Keys of the available indicators."""
        return list(self.values.columns)

    def filled(self, code: str) -> dict[str, str]:
        """Return, for one buurt, the indicators that did not come from the buurt itself.

        Parameters
        ----------
        code
            Buurtcode.

        Returns
        -------
        dict
            Indicator key → provenance (``wijk``, ``gemeente``, ``schatting`` or
            ``ontbreekt``).
        """
        row = self.source.loc[code]
        return {str(k): (v or "ontbreekt") for k, v in row.items() if v != "buurt"}


def _first_value(frames: list[pd.DataFrame], key: str, index: pd.Index) -> pd.Series:
    out = pd.Series(np.nan, index=index, dtype=float)
    for frame in frames:
        if key in frame.columns:
            vals = frame[key].reindex(index)
            out = out.fillna(vals)
    return out


def build_indicators(dataset: Dataset, *, min_inwoners: int = 50) -> IndicatorFrame:
    """Build the canonical buurt table of a dataset.

    Parameters
    ----------
    dataset
        From :func:`geo.load_haarlem` or :func:`geo.load_dataset`.
    min_inwoners
        Buurten with fewer inhabitants (or an unknown number) are flagged ``klein``.

    Returns
    -------
    IndicatorFrame
        Values, provenance and coverage.

    Examples
    --------
    >>> from geo import load_haarlem
    >>> frame = build_indicators(load_haarlem())
    >>> len(frame.values)
    111
    """
    polys = dataset.buurten
    idx = polys.index
    wijk_of = polys["wijkcode"]
    values: dict[str, pd.Series] = {}
    source: dict[str, pd.Series] = {}
    for ind in CATALOGUE:
        own = pd.Series(np.nan, index=idx, dtype=float)
        prov = pd.Series("", index=idx, dtype=object)
        for table in dataset.tables:
            if ind.key in table.buurt.columns:
                vals = table.buurt[ind.key].reindex(idx)
                take = own.isna() & vals.notna()
                own[take] = vals[take]
                prov[take] = "schatting" if ind.key in table.estimated else "buurt"
        if ind.kind == "count":
            if own.notna().any():
                values[ind.key], source[ind.key] = own, prov.where(own.notna(), "")
            continue
        for table in dataset.tables:
            if ind.key in table.wijk.columns:
                vals_s = pd.Series(table.wijk[ind.key].reindex(wijk_of).to_numpy(), index=idx)
                take = own.isna() & vals_s.notna()
                own[take] = vals_s[take]
                prov[take] = "wijk"
        for table in dataset.tables:
            if ind.key in table.gemeente.columns and len(table.gemeente):
                gval = float(table.gemeente[ind.key].iloc[0])
                if not np.isnan(gval):
                    take = own.isna()
                    own[take] = gval
                    prov[take] = "gemeente"
        if own.notna().any():
            values[ind.key], source[ind.key] = own, prov
    vals_df = pd.DataFrame(values, index=idx)
    src_df = pd.DataFrame(source, index=idx)
    if not [c for c in vals_df.columns if c not in ("inwoners", "huishoudens")]:
        raise ValidationError(
            f"{dataset.gemeentenaam}: geen enkele indicator heeft waarden voor deze buurten; "
            "voeg indicatorbestanden toe (bijv. --indicatoren met een RIVM- of StatLine-CSV)"
        )
    info = _base_counts(polys, vals_df)
    info["klein"] = info["inwoners"].fillna(0) < min_inwoners
    teams = dataset.teams
    info.insert(
        3,
        "team",
        teams.reindex(idx).to_numpy() if teams is not None else polys["wijknaam"].to_numpy(),
    )
    vals_df = vals_df.drop(columns=[c for c in ("inwoners", "huishoudens") if c in vals_df])
    src_df = src_df.drop(columns=[c for c in ("inwoners", "huishoudens") if c in src_df])
    coverage = _coverage(src_df)
    return IndicatorFrame(info=info, values=vals_df, source=src_df, coverage=coverage)


def _base_counts(polys: pd.DataFrame, vals: pd.DataFrame) -> pd.DataFrame:
    info = pd.DataFrame(
        {
            "buurtnaam": polys["buurtnaam"].astype(object),
            "wijkcode": polys["wijkcode"].astype(object),
            "wijknaam": polys["wijknaam"].astype(object),
        },
        index=polys.index,
    )
    inw = vals["inwoners"] if "inwoners" in vals else pd.Series(np.nan, index=polys.index)
    info["inwoners"] = inw.fillna(0.0)
    hh = vals["huishoudens"] if "huishoudens" in vals else pd.Series(np.nan, index=polys.index)
    size = (inw / hh).where((hh > 0) & (inw > 0))
    wijk_size = size.groupby(polys["wijkcode"]).transform("median")
    gm_size = float(size.median()) if size.notna().any() else 2.1
    est_hh = inw / wijk_size.fillna(gm_size)
    info["huishoudens"] = hh.fillna(est_hh).fillna(0.0)
    young = vals["pct_0_15"] if "pct_0_15" in vals else pd.Series(17.0, index=polys.index)
    info["volwassenen"] = info["inwoners"] * (1.0 - young.fillna(young.mean()) / 100.0)
    old = vals["pct_65plus"] if "pct_65plus" in vals else pd.Series(np.nan, index=polys.index)
    info["inwoners_65plus"] = info["inwoners"] * old.fillna(old.mean()).fillna(0.0) / 100.0
    return info


def _coverage(source: pd.DataFrame) -> pd.DataFrame:
    rows = []
    n = len(source)
    for key in source.columns:
        s = source[key]
        rows.append(
            {
                "indicator": key,
                "omschrijving": indicator(key).label,
                "buurtwaarde": int((s == "buurt").sum()),
                "schatting": int((s == "schatting").sum()),
                "uit_wijk": int((s == "wijk").sum()),
                "uit_gemeente": int((s == "gemeente").sum()),
                "ontbreekt": int((s == "").sum()),
                "dekking_pct": round(100.0 * int(s.isin(["buurt", "schatting"]).sum()) / n, 1)
                if n
                else 0.0,
            }
        )
    return pd.DataFrame(rows).set_index("indicator")


def _weights(info: pd.DataFrame, key: str) -> pd.Series:
    base = indicator(key).base or "inwoners"
    return info[base].astype(float)


def aggregate(frame: IndicatorFrame, *, by: str) -> pd.DataFrame:
    """Aggregate buurt values to wijk, team or gemeente.

    Counts are summed; rates and means are averaged with their base population as weight
    (a rate of eenpersoonshuishoudens with the number of households, …).

    Parameters
    ----------
    frame
        Buurt indicators.
    by
        ``"wijk"``, ``"team"`` or ``"gemeente"``.

    Returns
    -------
    pandas.DataFrame
        Index: wijkcode, team name or ``"gemeente"``; base counts and indicator values.
    """
    if by == "wijk":
        keys = frame.info["wijkcode"]
    elif by == "team":
        keys = frame.info["team"]
    elif by == "gemeente":
        keys = pd.Series("gemeente", index=frame.info.index)
    else:
        raise ValueError(f"by={by!r}: kies wijk, team of gemeente")
    out = frame.info[list(BASE_COLUMNS)].groupby(keys, sort=False).sum()
    for key in frame.values.columns:
        w = _weights(frame.info, key)
        v = frame.values[key]
        ok = v.notna() & (w > 0)
        num = (v * w).where(ok).groupby(keys, sort=False).sum(min_count=1)
        den = w.where(ok).groupby(keys, sort=False).sum(min_count=1)
        out[key] = num / den.where(den > 0)
    if by == "wijk":
        names = frame.info.groupby("wijkcode", sort=False)["wijknaam"].first()
        out.insert(0, "wijknaam", names.reindex(out.index))
    out.index.name = {"wijk": "wijkcode", "team": "team", "gemeente": "gebied"}[by]
    return out


def municipal_average(frame: IndicatorFrame) -> pd.Series:
    """Return the base-weighted municipal average of every indicator.

    Parameters
    ----------
    frame
        Buurt indicators.

    Returns
    -------
    pandas.Series
        Indicator key → average.
    """
    return aggregate(frame, by="gemeente").iloc[0][frame.values.columns].astype(float)
