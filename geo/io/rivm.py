"""RIVM/GGD Gezondheidsmonitor tables (CBS 50090NED layout): small-area estimates per buurt."""

from __future__ import annotations

from pathlib import Path

from geo._errors import ValidationError
from geo.io._numbers import number_style
from geo.io._tables import (
    IndicatorTable,
    absent_gemeente,
    index_by_code,
    refuse_odd_codes,
    split_levels,
    to_canonical,
)
from geo.io._text import TextFile, read_frame

__all__ = ["RIVM_AGE", "is_rivm", "read_rivm_csv"]

#: ``Leeftijd`` codes of 50090NED.
RIVM_AGE = {"18+": "20300", "65+": "80200"}
_RIVM_AGE = RIVM_AGE


def is_rivm(columns: list[str]) -> bool:
    """Whether a table's columns are those of the Gezondheidsmonitor."""
    return {"Leeftijd", "Perioden", "Codering_3"} <= set(columns)


def read_rivm_csv(
    path: str | Path,
    *,
    leeftijd: str = "18+",
    jaar: int | None = None,
    gemeente: str | None = None,
    text: TextFile | None = None,
) -> IndicatorTable:
    """Read a RIVM Gezondheidsmonitor table (CBS 50090NED layout).

    Both the plain OData export (``Leeftijd`` 20300/80200, ``Perioden`` ``2020JJ00``,
    ``Marges`` ``MW00000`` for the estimate, strings padded with spaces) and the Haarlem
    extract (extra ``jaar`` and ``leeftijdsgroep`` columns) are read. Only the estimate rows
    (``Marges == MW00000``) are used; the most recent period unless ``jaar`` is given.

    Parameters
    ----------
    path
        CSV (optionally ``.gz``).
    leeftijd
        ``"18+"`` (volwassenen) or ``"65+"``.
    jaar
        Survey year (2012, 2016, 2020); ``None`` takes the most recent in the file.
    gemeente
        Keep only this municipality's rows (before values are validated).
    text
        Already read text of ``path``.

    Returns
    -------
    IndicatorTable
        Canonical ``rivm18``/``rivm65`` indicators.

    Raises
    ------
    ValidationError
        For missing columns, an unknown age group or year.
    """
    path = Path(path)
    if leeftijd not in _RIVM_AGE:
        raise ValidationError(f"leeftijd {leeftijd!r} onbekend (kies 18+ of 65+)")
    frame = read_frame(path, required=["Codering_3", "Leeftijd", "Perioden"], text=text)
    for col in ("Codering_3", "Leeftijd", "Perioden", "Marges"):
        if col in frame.columns:
            frame[col] = frame[col].str.strip()
    if "Marges" in frame.columns:
        frame = frame[frame["Marges"] == "MW00000"]
    frame = frame[frame["Leeftijd"] == _RIVM_AGE[leeftijd]]
    if frame.empty:
        raise ValidationError(f"{path}: geen rijen voor leeftijdsgroep {leeftijd}")
    years = frame["Perioden"].str[:4]
    if jaar is None:
        chosen = years.max()
    else:
        chosen = str(jaar)
        if chosen not in set(years):
            raise ValidationError(
                f"{path}: jaar {jaar} niet gevonden (wel: {', '.join(sorted(set(years)))})"
            )
    frame = frame[years == chosen]
    refuse_odd_codes(frame["Codering_3"], where=str(path), column="Codering_3")
    if gemeente is not None:
        codes = frame["Codering_3"]
        frame = frame[codes.str[2:6] == gemeente[2:]]
        if frame.empty:
            raise absent_gemeente(path, gemeente, codes)
    frame = index_by_code(frame, "Codering_3", where=str(path))
    schema = "rivm18" if leeftijd == "18+" else "rivm65"
    style = number_style(
        (frame[c] for c in frame.columns if c not in ("Leeftijd", "Marges", "Perioden")),
        delimiter=str(frame.attrs.get("delimiter", ",")),
    )
    canon = to_canonical(frame, schema, where=path.name, style=style)
    b, w, g = split_levels(canon)
    name = f"RIVM Gezondheidsmonitor {chosen}, {leeftijd} ({path.name})"
    return IndicatorTable(name, b, w, g)
