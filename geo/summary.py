"""Detail tables of one area: its indicators against the municipal average, with sources.

Where each value comes from: own buurt value, estimate, wijk, gemeente or missing.
Used by the app's Kaart page; plain frames in, plain frames out.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from geo.catalogue import indicator
from geo.indicators import IndicatorFrame, aggregate, municipal_average

__all__ = ["PROVENANCE", "area_indicators", "need_level", "provenance_counts"]

#: Dutch words for the provenance codes of :attr:`IndicatorFrame.source`.
PROVENANCE: dict[str, str] = {
    "buurt": "eigen buurtwaarde",
    "schatting": "schatting (oppervlakte-gewogen)",
    "wijk": "aangevuld uit de wijk",
    "gemeente": "aangevuld met gemeentegemiddelde",
    "": "ontbreekt",
}


def provenance_counts(indicators: IndicatorFrame, codes: pd.Index) -> pd.Series:
    """Count, per indicator, the buurten among ``codes`` whose value is not their own.

    Parameters
    ----------
    indicators
        The indicator frame.
    codes
        The buurtcodes of the area (e.g. one team's buurten).

    Returns
    -------
    pandas.Series
        Indicator key → Dutch text such as ``"2 aangevuld uit de wijk, 1 ontbreekt"``;
        ``""`` where every buurt has its own value.

    Examples
    --------
    >>> import pandas as pd
    >>> from geo.indicators import IndicatorFrame
    >>> src = pd.DataFrame({"woz": ["buurt", "wijk", "wijk"]}, index=["B1", "B2", "B3"])
    >>> frame = IndicatorFrame(None, src.replace({"buurt": 1.0, "wijk": 2.0}), src, None)
    >>> provenance_counts(frame, pd.Index(["B1", "B2", "B3"]))["woz"]
    '2 aangevuld uit de wijk'
    """
    src = indicators.source.loc[codes]
    out = {}
    for key in src.columns:
        parts = [
            f"{int((src[key] == s).sum())} {PROVENANCE[s]}"
            for s in ("schatting", "wijk", "gemeente", "")
            if (src[key] == s).any()
        ]
        out[key] = ", ".join(parts)
    return pd.Series(out, dtype=object)


def _table(values: pd.Series, average: pd.Series, herkomst: pd.Series) -> pd.DataFrame:
    keys = [k for k in values.index if k in average.index]
    return pd.DataFrame(
        {
            "indicator": [indicator(k).label for k in keys],
            "eenheid": [indicator(k).unit for k in keys],
            "waarde": [values[k] for k in keys],
            "gemeente": [average[k] for k in keys],
            "verschil": [values[k] - average[k] for k in keys],
            "herkomst": [herkomst.get(k, "") for k in keys],
        }
    )


def area_indicators(
    indicators: IndicatorFrame,
    *,
    team: str | None = None,
    buurt: str | None = None,
    average: pd.Series | None = None,
    team_values: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return every indicator of one team or buurt against the municipal average.

    Parameters
    ----------
    indicators
        The indicator frame.
    team, buurt
        The area: a team name or a buurtcode (exactly one).
    average
        The municipal average (default: computed from ``indicators``).
    team_values
        The indicators aggregated per team (default: computed); pass a cached one.

    Returns
    -------
    pandas.DataFrame
        One row per indicator: ``indicator`` (Dutch label), ``eenheid``, ``waarde``,
        ``gemeente``, ``verschil`` and ``herkomst`` (for a buurt the provenance of its
        value, for a team how many of its buurten were filled in).

    Raises
    ------
    ValueError
        If not exactly one of ``team`` and ``buurt`` is given.
    """
    if (team is None) == (buurt is None):
        raise ValueError("give exactly one of team and buurt")
    avg = municipal_average(indicators) if average is None else average
    if buurt is not None:
        values = pd.Series(indicators.values.loc[buurt])
        herkomst = pd.Series(indicators.source.loc[buurt]).map(PROVENANCE)
        return _table(values, avg, herkomst)
    info = indicators.info
    codes = info.index[info["team"] == team]
    per_team = aggregate(indicators, by="team") if team_values is None else team_values
    table = _table(pd.Series(per_team.loc[team]), avg, provenance_counts(indicators, codes))
    table["herkomst"] = table["herkomst"].replace("", f"alle {len(codes)} buurten eigen waarde")
    return table


def need_level(profiles: Any) -> pd.Series:
    """Return each team's need level: the mean of its theme indices (100 = municipal average).

    Profieltaarten show the mix of themes, which is much alike between teams; this level
    (used to size the pies) shows how much need there is per inhabitant.

    Parameters
    ----------
    profiles
        A :class:`geo.Profiles`.

    Returns
    -------
    pandas.Series
        Team → mean theme index.
    """
    return profiles.team.index.mean(axis=1).rename("behoefteniveau")
