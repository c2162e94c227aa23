"""One entry point for the files a user gives: :func:`load_inputs` (CLI, app and notebooks).

The readers, one per format, live in :mod:`geo.io`; this module decides which reader a
file needs (by its content, not its name), filters the chosen municipality, checks that
the files belong to the same buurt division, collects every problem and raises them once.
The names of the former single-module loader stay importable from here.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo._errors import ValidationError
from geo.io import (
    MAX_TEXT_BYTES,
    MAX_UPLOAD_BYTES,
    RIVM_AGE,
    Dataset,
    IndicatorTable,
    clean_numeric,
    detect_schema,
    filter_gemeente,
    has_wbk_attributes,
    is_rivm,
    is_statline,
    list_gemeenten,
    read_cbs_gpkg,
    read_frame,
    read_polygons,
    read_rivm_csv,
    read_statline_csv,
    read_team_table,
    read_text,
    to_canonical,
)
from geo.io._tables import (
    CODE_RE,
    RD_NEW,
    absent_gemeente,
    index_by_code,
    label_wijken,
    refuse_odd_codes,
    split_levels,
)
from geo.io.division import DIVISION_MIN_DIFF, DIVISION_RATIO, check_division, report_mismatch
from geo.io.haarlem import load_haarlem
from geo.io.statline import is_old_export

__all__ = [
    "DIVISION_MIN_DIFF",
    "DIVISION_RATIO",
    "MAX_TEXT_BYTES",
    "MAX_UPLOAD_BYTES",
    "Dataset",
    "IndicatorTable",
    "check_division",
    "clean_numeric",
    "detect_schema",
    "load_dataset",
    "load_haarlem",
    "load_inputs",
    "read_cbs_gpkg",
    "read_indicator_csv",
    "read_polygons",
    "read_rivm_csv",
    "read_statline_csv",
    "read_team_table",
    "to_canonical",
]

_SOURCES = (
    "Bron: CBS Kerncijfers wijken en buurten; RIVM/GGD'en Gezondheidsmonitor; "
    "PDOK/CBS Wijk- en buurtkaart (CC BY 4.0)"
)


# ---------------------------------------------------------------------------- tables


def read_indicator_csv(
    path: str | Path,
    *,
    gemeente: str | None = None,
    names: Mapping[str, str] | None = None,
) -> list[IndicatorTable]:
    """Read any supported indicator CSV, recognising its layout from the content.

    RIVM files give two tables (18+ and 65+) when both age groups are present.

    Parameters
    ----------
    path
        StatLine kerncijfers (OData, website download, re-saved copy, old export), RIVM
        Gezondheidsmonitor, or a table with a ``buurtcode`` column and Wijk- en buurtkaart
        attribute names (any edition).
    gemeente
        Keep only this municipality's rows, before any value is validated.
    names
        Region name → code within the municipality, for the old export (names only).

    Returns
    -------
    list of IndicatorTable
        The tables found.

    Raises
    ------
    ValidationError
        If the layout is not recognised or the file is wrong.
    """
    path = Path(path)
    text = read_text(path)
    if is_old_export(text.text):
        return [read_statline_csv(path, gemeente=gemeente, names=names, text=text)]
    frame = read_frame(path, text=text)
    cols = list(frame.columns)
    if is_rivm(cols):
        ages = set(frame["Leeftijd"].str.strip())
        return [
            read_rivm_csv(path, leeftijd=age, gemeente=gemeente, text=text)
            for age, code in RIVM_AGE.items()
            if code in ages
        ]
    if is_statline(cols):
        return [read_statline_csv(path, gemeente=gemeente, text=text)]
    code_col = next((c for c in ("buurtcode", "BU_CODE", "statcode", "code") if c in cols), None)
    schema = detect_schema(cols)
    if code_col is None or schema is None:
        raise ValidationError(
            f"{path}: indeling niet herkend: verwacht een CBS StatLine-tabel (OData met "
            "Codering_3, of de download van de website met 'Regiocode'), een RIVM "
            "Gezondheidsmonitor-tabel of een tabel met buurtcode en CBS-kolomnamen"
        )
    refuse_odd_codes(frame[code_col], where=str(path), column=code_col)
    if gemeente is not None:
        all_codes = frame[code_col].str.strip()
        frame = frame[all_codes.str[2:6] == gemeente[2:]]
        if frame.empty:
            raise absent_gemeente(path, gemeente, all_codes)
    frame = index_by_code(frame, code_col, where=str(path))
    canon = to_canonical(frame, schema, where=path.name)
    b, w, g = split_levels(canon)
    return [IndicatorTable(f"CBS ({schema}, {path.name})", b, w, g)]


# ---------------------------------------------------------------------------- checks


# ---------------------------------------------------------------------------- datasets


def _single_gemeente(codes: Sequence[str], *, where: str) -> str:
    counts = pd.Series([f"GM{c[2:6]}" for c in codes]).value_counts()
    if len(counts) == 1:
        return str(counts.index[0])
    listed = ", ".join(f"{g} ({n})" for g, n in counts.head(6).items())
    raise ValidationError(
        f"{where}: bevat {len(counts)} gemeenten ({listed}{' …' if len(counts) > 6 else ''}); "
        "kies er een met --gemeente GMxxxx"
    )


def _table_buurten(tables: Sequence[IndicatorTable], gemeente: str) -> gpd.GeoDataFrame:
    """Build a buurt frame without polygons from the buurt rows of the tables."""
    codes: list[str] = []
    names: dict[str, str] = {}
    for t in tables:
        codes.extend(c for c in t.buurt.index if c not in codes)
        if t.names is not None:
            for c, n in t.names.items():
                names.setdefault(str(c), str(n))
    if not codes:
        raise ValidationError(
            f"geen buurten van {gemeente} in de indicatorbestanden; geef buurtpolygonen "
            "(--buurten) of een CBS GeoPackage (--gpkg)"
        )
    wijk = ["WK" + c[2:8] for c in codes]
    frame = pd.DataFrame(
        {
            "buurtnaam": [names.get(c, c) for c in codes],
            "wijkcode": wijk,
            "wijknaam": [names.get(w, w) for w in wijk],
        },
        index=pd.Index(codes, name="buurtcode"),
    )
    return gpd.GeoDataFrame(frame, geometry=[None] * len(frame), crs=RD_NEW)


def load_inputs(
    *,
    gpkg: str | Path | None = None,
    gemeente: str | None = None,
    buurten: str | Path | None = None,
    indicatoren: Sequence[str | Path] = (),
    teams: str | Path | None = None,
) -> Dataset:
    """Load a municipality from the files a user has; the one loader of CLI, app, notebooks.

    * nothing (or only a team table): the embedded Haarlem data;
    * a CBS Wijk- en buurtkaart file (``gpkg``; GeoPackage or GeoJSON, any edition) with a
      gemeentecode: its polygons and attributes;
    * buurt polygons (``buurten``): when they carry Wijk- en buurtkaart attributes those are
      read too;
    * indicator tables (StatLine in any layout, RIVM): joined on the buurt code; without
      polygons the tables alone give the buurten (the map is then skipped).

    Rows of other municipalities are dropped before validation; every file is read and all
    problems are reported together.

    Parameters
    ----------
    gpkg, gemeente
        CBS Wijk- en buurtkaart file and the gemeentecode to take from it (the gemeente is
        also used to filter polygons and tables; it is inferred when the files hold one).
    buurten
        Separate buurt polygons (GeoJSON/GeoPackage/shapefile).
    indicatoren
        Indicator CSV files.
    teams
        Buurt → team or wijk → team CSV.

    Returns
    -------
    Dataset
        The loaded data.

    Raises
    ------
    ValidationError
        For any bad input; all problems in one message, each naming its file.

    Examples
    --------
    >>> ds = load_inputs()
    >>> ds.gemeentenaam, len(ds.buurten)
    ('Haarlem', 111)
    """
    if gpkg is None and buurten is None and not indicatoren:
        if gemeente is not None and gemeente != "GM0392":
            raise ValidationError(
                f"--gemeente {gemeente}: geef ook de gegevens van die gemeente (--gpkg, "
                "--buurten of --indicatoren); zonder bestanden wordt Haarlem geladen"
            )
        return load_haarlem(teams=teams)
    if gemeente is not None and not CODE_RE["gemeente"].match(gemeente):
        raise ValidationError(f"--gemeente {gemeente!r}: verwacht een gemeentecode als GM0392")
    problems: list[str] = []
    tables: list[IndicatorTable] = []
    polys: gpd.GeoDataFrame | None = None
    gmnaam: str | None = None
    own_inwoners: pd.Series | None = None
    vector = gpkg if gpkg is not None else buurten
    if gpkg is not None and buurten is not None:
        problems.append("geef --gpkg of --buurten, niet allebei")
    elif vector is not None:
        try:
            polys, table, gemeente, gmnaam = _read_map(
                Path(vector), gemeente, is_gpkg=gpkg is not None
            )
            if table is not None:
                tables.append(table)
                if "inwoners" in table.buurt.columns:
                    own_inwoners = table.buurt["inwoners"]
        except ValidationError as exc:
            problems.append(str(exc))
    names = _name_lookup(polys, gemeente, gmnaam) if polys is not None else None
    read: list[tuple[Path, list[IndicatorTable]]] = []
    for path in indicatoren:
        try:
            read.append((Path(path), read_indicator_csv(path, gemeente=gemeente, names=names)))
        except ValidationError as exc:
            problems.append(str(exc))
    if problems:
        raise ValidationError("; ".join(dict.fromkeys(problems)))
    if gemeente is None:
        codes = [c for _, ts in read for t in ts for c in (*t.buurt.index, *t.wijk.index)]
        if not codes:
            raise ValidationError("geen buurten of wijken in de indicatorbestanden")
        gemeente = _single_gemeente(codes, where=", ".join(str(p) for p, _ in read))
        read = [(p, [filter_gemeente(t, gemeente) for t in ts]) for p, ts in read]
    file_tables = [t for _, ts in read for t in ts]
    if polys is None:
        gmnaam = gmnaam or _gemeente_name(file_tables, gemeente)
        polys = label_wijken(
            _table_buurten(file_tables, gemeente), gmnaam if gmnaam != gemeente else None
        )
        warnings.warn(
            f"geen buurtpolygonen: profielen en formatie uit de tabellen van {gemeente} "
            f"({len(polys)} buurten); de kaart wordt overgeslagen",
            UserWarning,
            stacklevel=2,
        )
        tables.extend(file_tables)
    else:
        for table in file_tables:
            try:
                table = check_division(polys, table, inwoners=own_inwoners)
                report_mismatch(polys, table)
            except ValidationError as exc:
                problems.append(str(exc))
                continue
            tables.append(table)
    if not tables and not problems:
        problems.append("geen indicatorgegevens: geef --indicatoren of een CBS GeoPackage")
    team_series = None
    if teams is not None:
        try:
            team_series = read_team_table(teams, buurten=polys)
        except ValidationError as exc:
            problems.append(str(exc))
    if problems:
        raise ValidationError("; ".join(dict.fromkeys(problems)))
    return Dataset(gemeente, gmnaam or gemeente, polys, tuple(tables), team_series, (_SOURCES,))


def _gemeente_name(tables: Sequence[IndicatorTable], gemeente: str) -> str:
    for t in tables:
        if t.names is not None and gemeente in t.names.index:
            return str(t.names[gemeente]).strip()
    return gemeente


def _name_lookup(polys: pd.DataFrame, gemeente: str | None, gmnaam: str | None) -> dict[str, str]:
    names = {str(n): str(c) for c, n in polys["buurtnaam"].items() if str(n) != str(c)}
    for code, name in polys.groupby("wijkcode")["wijknaam"].first().items():
        if str(name) != str(code):
            names.setdefault(str(name), str(code))
    if gemeente is not None and gmnaam:
        names.setdefault(gmnaam, gemeente)
    return names


def _read_map(
    path: Path, gemeente: str | None, *, is_gpkg: bool
) -> tuple[gpd.GeoDataFrame, IndicatorTable | None, str, str | None]:
    """Read polygons (with Wijk- en buurtkaart attributes when present) of one gemeente."""
    wbk = has_wbk_attributes(path)
    if is_gpkg or wbk:
        if gemeente is None:
            counts = list_gemeenten(path)
            if len(counts) != 1:
                listed = ", ".join(f"{g} ({n} buurten)" for g, n in counts.head(6).items())
                raise ValidationError(
                    f"{path}: bevat {len(counts)} gemeenten ({listed}"
                    f"{' …' if len(counts) > 6 else ''}); kies er een met --gemeente GMxxxx"
                    if len(counts)
                    else f"--gpkg vraagt ook --gemeente GMxxxx ({path})"
                )
            gemeente = str(counts.index[0])
        polys, table = read_cbs_gpkg(path, gemeente=gemeente)
        return polys, table, gemeente, str(polys.attrs.get("gemeentenaam", gemeente))
    polys = read_polygons(path, gemeente=gemeente)
    if gemeente is None:
        gemeente = _single_gemeente(list(polys.index), where=str(path))
    return polys, None, gemeente, None


def load_dataset(
    *,
    gpkg: str | Path | None = None,
    gemeente: str | None = None,
    buurten: str | Path | None = None,
    indicatoren: Sequence[str | Path] = (),
    teams: str | Path | None = None,
) -> Dataset:
    """Load a municipality from its own files; see :func:`load_inputs` (no Haarlem default).

    Parameters
    ----------
    gpkg, gemeente
        CBS Wijk- en buurtkaart file and gemeentecode.
    buurten
        Separate buurt polygons.
    indicatoren
        Indicator CSV files.
    teams
        Team table.

    Returns
    -------
    Dataset
        The loaded data.

    Raises
    ------
    ValidationError
        For any bad input, or when no data file is given.
    """
    if gpkg is None and buurten is None and not indicatoren:
        raise ValidationError(
            "geef --gpkg met --gemeente, --buurten met een polygonenbestand, of --indicatoren"
        )
    return load_inputs(
        gpkg=gpkg, gemeente=gemeente, buurten=buurten, indicatoren=indicatoren, teams=teams
    )
