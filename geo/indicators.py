"""The canonical buurt table: indicators with open gap filling, and aggregation.

For each catalogue indicator a buurt takes, in this order: its own value from the first
source table that has one (``bron = "buurt"``, or ``"schatting"`` for interpolated
figures); else its wijk's value (``"wijk"``); else the municipal value (``"gemeente"``);
else it stays missing (``""``). Never a silent zero. Buurten with fewer inhabitants than a
threshold (CBS practice: 50) are flagged ``klein``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

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
    "inwoners": "inwoners (schatting: huishoudens x huishoudensgrootte)",
    "huishoudens": "huishoudens (schatting: inwoners / huishoudensgrootte)",
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
        One row per indicator, then one per base count (``inwoners``, ``huishoudens``,
        ``volwassenen``, ``inwoners_65plus``): counts per provenance and the share of
        buurten with an own value or an estimate.
    base_source
        Index ``buurtcode``, one column per base count: ``buurt`` (from the data),
        ``schatting`` (derived, see :func:`build_indicators`) or ``""`` (unknown).
    """

    info: pd.DataFrame
    values: pd.DataFrame
    source: pd.DataFrame
    coverage: pd.DataFrame
    base_source: pd.DataFrame = field(default_factory=pd.DataFrame)

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
    info, base_src = _base_counts(polys, vals_df, src_df)
    known = base_src["inwoners"] != ""
    if known.any():
        info["klein"] = info["inwoners"].fillna(0) < min_inwoners
    else:
        warnings.warn(
            f"{dataset.gemeentenaam}: geen inwoners- of huishoudensaantallen in de gegevens; "
            "behoefteaantallen zijn dan 0 en geen buurt telt als klein: voeg de CBS "
            "kerncijfers (Aantal inwoners) toe",
            UserWarning,
            stacklevel=2,
        )
        info["klein"] = False
    teams = dataset.teams
    info.insert(
        3,
        "team",
        teams.reindex(idx).to_numpy() if teams is not None else polys["wijknaam"].to_numpy(),
    )
    vals_df = vals_df.drop(columns=[c for c in ("inwoners", "huishoudens") if c in vals_df])
    src_df = src_df.drop(columns=[c for c in ("inwoners", "huishoudens") if c in src_df])
    coverage = pd.concat([_coverage(src_df), _base_coverage(base_src)])
    return IndicatorFrame(
        info=info, values=vals_df, source=src_df, coverage=coverage, base_source=base_src
    )


#: Persons per household where neither the buurt, its wijk nor the gemeente gives one
#: (CBS, Nederland 2019-2024: 2.1).
DEFAULT_HOUSEHOLD_SIZE = 2.1
#: Share of 0-15-year-olds where the data gives none (CBS, Nederland 2024: about 16%).
DEFAULT_PCT_0_15 = 16.0


def _base_counts(
    polys: pd.DataFrame, vals: pd.DataFrame, src: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the base counts per buurt and their provenance (``buurt``/``schatting``/``""``).

    Estimates, each flagged ``schatting``: households from inhabitants / household size
    (the wijk's median, else the gemeente's, else 2.1) and inhabitants from households the
    other way round; adults (15+, approximating 18+) from inhabitants and the share of
    0-15-year-olds (always an estimate); 65-plussers from a 65+ share that was filled in.
    """
    idx = polys.index
    info = pd.DataFrame(
        {
            "buurtnaam": polys["buurtnaam"].astype(object),
            "wijkcode": polys["wijkcode"].astype(object),
            "wijknaam": polys["wijknaam"].astype(object),
        },
        index=idx,
    )
    prov = pd.DataFrame(index=idx)
    nan = pd.Series(np.nan, index=idx)
    inw = vals.get("inwoners", nan)
    hh = vals.get("huishoudens", nan)
    size = (inw / hh).where((hh > 0) & (inw > 0))
    wijk_size = size.groupby(polys["wijkcode"]).transform("median")
    gm_size = float(size.median()) if size.notna().any() else DEFAULT_HOUSEHOLD_SIZE
    per_hh = wijk_size.fillna(gm_size)
    est_inw = hh * per_hh
    prov["inwoners"] = np.where(inw.notna(), "buurt", np.where(est_inw.notna(), "schatting", ""))
    inw = inw.fillna(est_inw)
    info["inwoners"] = inw.fillna(0.0)
    est_hh = inw / per_hh
    prov["huishoudens"] = np.where(hh.notna(), "buurt", np.where(est_hh.notna(), "schatting", ""))
    info["huishoudens"] = hh.fillna(est_hh).fillna(0.0)
    young = vals["pct_0_15"] if "pct_0_15" in vals else pd.Series(np.nan, index=idx)
    young = young.fillna(young.mean()).fillna(DEFAULT_PCT_0_15)
    info["volwassenen"] = info["inwoners"] * (1.0 - young / 100.0)
    prov["volwassenen"] = np.where(inw.notna(), "schatting", "")
    old = vals["pct_65plus"] if "pct_65plus" in vals else pd.Series(np.nan, index=idx)
    own_old = src["pct_65plus"].eq("buurt") if "pct_65plus" in src else pd.Series(False, index=idx)
    info["inwoners_65plus"] = info["inwoners"] * old.fillna(old.mean()).fillna(0.0) / 100.0
    prov["inwoners_65plus"] = np.where(
        inw.notna() & old.notna(),
        np.where(own_old & prov["inwoners"].eq("buurt"), "buurt", "schatting"),
        np.where(inw.notna().to_numpy() & bool(old.notna().any()), "schatting", ""),
    )
    return info, prov


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


def _base_coverage(source: pd.DataFrame) -> pd.DataFrame:
    n = len(source)
    rows = []
    for key in source.columns:
        s = source[key]
        rows.append(
            {
                "indicator": key,
                "omschrijving": f"Basis: {_BASE_LABELS[key]}",
                "buurtwaarde": int((s == "buurt").sum()),
                "schatting": int((s == "schatting").sum()),
                "uit_wijk": 0,
                "uit_gemeente": 0,
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
