"""Buurt divisions: never join two files whose codes name different areas.

CBS reuses buurt codes after a re-division (Amsterdam 2016: ``BU03630000`` was
"Burgwallen-Oude Zijde" with 4,250 inhabitants in 2015 and "Kop Zeedijk" with 1,020 in
2017). Codes shared by the polygons and a table are therefore checked on their name and
number of inhabitants before they are joined.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from geo._errors import ValidationError
from geo.catalogue import normalise_title
from geo.io._tables import IndicatorTable

__all__ = ["DIVISION_MIN_DIFF", "DIVISION_RATIO", "check_division", "report_mismatch"]

#: Inhabitants of one code in two files differ "beyond reason" from this ratio on …
DIVISION_RATIO = 2.0
#: … and this absolute difference (a new-build buurt can double between two editions).
DIVISION_MIN_DIFF = 300


def report_mismatch(buurten: pd.DataFrame, table: IndicatorTable) -> None:
    """Warn about codes without polygon or without values; refuse when none match.

    Parameters
    ----------
    buurten
        Polygons (index buurtcode, column ``buurtnaam``).
    table
        An indicator table.

    Raises
    ------
    ValidationError
        When not a single buurt code of the table matches the polygons.
    """
    if table.buurt.empty:
        return
    extra = sorted(set(table.buurt.index) - set(buurten.index))
    missing = sorted(set(buurten.index) - set(table.buurt.index))
    if extra:
        warnings.warn(
            f"{table.name}: {len(extra)} buurtcode(s) zonder polygoon genegeerd: "
            f"{', '.join(extra[:5])}{' …' if len(extra) > 5 else ''}",
            UserWarning,
            stacklevel=3,
        )
    if missing and len(missing) < len(buurten):
        names = [f"{c} ({buurten.loc[c, 'buurtnaam']})" for c in missing[:5]]
        warnings.warn(
            f"{table.name}: geen waarden voor {len(missing)} buurt(en): {', '.join(names)}"
            f"{' …' if len(missing) > 5 else ''}",
            UserWarning,
            stacklevel=3,
        )
    if len(missing) == len(buurten) and table.wijk.empty:
        raise ValidationError(
            f"{table.name}: geen enkele buurtcode komt overeen met de polygonen "
            f"(bijv. {table.buurt.index[0]} tegen {buurten.index[0]}); andere buurtindeling?"
        )


def _same_name(a: str, b: str) -> bool:
    na, nb = normalise_title(a), normalise_title(b)
    return bool(na) and bool(nb) and (na == nb or na in nb or nb in na)


def check_division(
    buurten: pd.DataFrame,
    table: IndicatorTable,
    *,
    inwoners: pd.Series | None = None,
) -> IndicatorTable:
    """Detect that a table comes from another buurt division than the polygons.

    A code that both files share but whose name differs, or whose number of inhabitants
    differs by more than a factor :data:`DIVISION_RATIO` and :data:`DIVISION_MIN_DIFF`
    inhabitants, names another area (CBS reuses codes after a re-division). Such codes are
    never joined: their values are dropped from the table with a warning naming them. When
    most of the polygons' buurten then have no value, the files are refused as coming from
    different divisions.

    Parameters
    ----------
    buurten
        Polygons (index buurtcode, column ``buurtnaam``).
    table
        An indicator table.
    inwoners
        Inhabitants per buurt according to the polygons' own attributes, when known.

    Returns
    -------
    IndicatorTable
        The table without the codes that name other areas.

    Raises
    ------
    ValidationError
        When the two files are from different buurt divisions.
    """
    if table.buurt.empty:
        return table
    shared = [c for c in table.buurt.index if c in buurten.index]
    suspect: dict[str, str] = {}
    renamed: dict[str, str] = {}
    names = table.names
    for code in shared:
        if inwoners is not None and "inwoners" in table.buurt.columns:
            a, b = inwoners.get(code, np.nan), table.buurt.loc[code, "inwoners"]
            if pd.notna(a) and pd.notna(b):
                lo, hi = min(a, b), max(a, b)
                if hi - lo >= DIVISION_MIN_DIFF and (lo == 0 or hi / lo >= DIVISION_RATIO):
                    suspect[code] = f"{code}: {a:,.0f} tegen {b:,.0f} inwoners".replace(",", ".")
                    continue
        if names is not None and code in names.index and pd.notna(names.get(code)):
            theirs, ours = str(names[code]), str(buurten.loc[code, "buurtnaam"])
            if ours != code and not _same_name(theirs, ours):
                renamed[code] = f"{code}: {ours!r} tegen {theirs!r}"
    unmatched = len(buurten) - len(shared)
    if renamed:
        listed = "; ".join(list(renamed.values())[:5]) + (" …" if len(renamed) > 5 else "")
        warnings.warn(
            f"{table.name}: {len(renamed)} gedeelde buurtcode(s) met een andere naam dan in "
            f"de polygonen (hernoemd, of een andere buurtindeling?): {listed}",
            UserWarning,
            stacklevel=3,
        )
    if suspect:
        listed = "; ".join(list(suspect.values())[:5]) + (" …" if len(suspect) > 5 else "")
        if unmatched + len(suspect) > len(buurten) / 2:
            raise ValidationError(
                f"{table.name}: andere buurtindeling dan de polygonen: {unmatched} van "
                f"{len(buurten)} buurten komen niet voor en {len(suspect)} gedeelde code(s) "
                f"noemen een ander gebied ({listed}); gebruik bestanden van hetzelfde jaar"
            )
        warnings.warn(
            f"{table.name}: {len(suspect)} buurtcode(s) noemen een ander gebied dan de "
            f"polygonen (andere buurtindeling?) en worden niet gekoppeld: {listed}",
            UserWarning,
            stacklevel=3,
        )
        keep = [c for c in table.buurt.index if c not in suspect]
        table = IndicatorTable(
            table.name,
            table.buurt.loc[keep],
            table.wijk,
            table.gemeente,
            table.estimated,
            table.names,
        )
    elif shared and unmatched > len(buurten) / 2 and table.wijk.empty:
        raise ValidationError(
            f"{table.name}: andere buurtindeling dan de polygonen: {unmatched} van "
            f"{len(buurten)} buurten komen niet voor (gedeeld: {', '.join(shared[:5])}); "
            "gebruik bestanden van hetzelfde jaar"
        )
    return table
