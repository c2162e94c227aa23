"""Team tables: which buurt (or wijk) belongs to which sociaal wijkteam."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo._errors import ValidationError
from geo.io._text import read_frame

__all__ = ["read_team_table"]


def read_team_table(path: str | Path, *, buurten: pd.DataFrame) -> pd.Series:
    """Read a buurt → team or wijk → team table.

    Parameters
    ----------
    path
        CSV with a ``team`` column and either ``buurtcode`` or ``wijkcode``.
    buurten
        The buurten of the dataset (index ``buurtcode``, column ``wijkcode``).

    Returns
    -------
    pandas.Series
        ``buurtcode`` → team, for every buurt.

    Raises
    ------
    ValidationError
        For unknown codes, buurten without a team or empty team names; the message names
        them.
    """
    path = Path(path)
    frame = read_frame(path, required=["team"])
    teams = frame["team"].astype(str).str.strip()
    if (teams == "").any():
        row = int((teams == "").to_numpy().argmax()) + 2
        raise ValidationError(f"{path}: kolom team is leeg in rij {row}")
    if "buurtcode" in frame.columns:
        key, level = "buurtcode", buurten.index
    elif "wijkcode" in frame.columns:
        key, level = "wijkcode", pd.Index(buurten["wijkcode"].unique())
    else:
        raise ValidationError(f"{path}: kolom 'buurtcode' of 'wijkcode' ontbreekt")
    codes = frame[key].astype(str).str.strip()
    if codes.duplicated().any():
        raise ValidationError(
            f"{path}: {key} {codes[codes.duplicated()].iloc[0]!r} staat er meer dan eens in"
        )
    mapping = pd.Series(teams.to_numpy(), index=codes.to_numpy())
    unknown = sorted(set(mapping.index) - set(level))
    if unknown:
        raise ValidationError(
            f"{path}: onbekende {key}(s) die niet in de buurtdata voorkomen: "
            f"{', '.join(unknown[:5])}{' …' if len(unknown) > 5 else ''}"
        )
    if key == "buurtcode":
        result = mapping.reindex(buurten.index)
    else:
        result = pd.Series(mapping.reindex(buurten["wijkcode"]).to_numpy(), index=buurten.index)
    orphan = result.isna()
    if orphan.any():
        names = [f"{c} ({buurten.loc[c, 'buurtnaam']})" for c in result.index[orphan][:5]]
        raise ValidationError(
            f"{path}: {int(orphan.sum())} buurt(en) zonder team: {', '.join(names)}"
        )
    result.name = "team"
    result.index.name = "buurtcode"
    return result.astype(object)
