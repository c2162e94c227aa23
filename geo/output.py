"""Write the profile outputs: buurten.csv, teams_profiel.csv, typologie_k.csv and the map."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

import safeio
from geo._errors import ValidationError
from geo._io import CSV_OPTIONS
from geo.profiles import Profiles
from geo.typology import Typology

__all__ = [
    "buurt_table",
    "has_polygons",
    "national_table",
    "team_table",
    "typology_table",
    "write_national_outputs",
    "write_profile_outputs",
]

OUTPUT_FILES = (
    "buurten.csv",
    "teams_profiel.csv",
    "typologie_k.csv",
    "kaart_profielen.html",
    "bronnen.txt",
)


def csv_bytes(frame: pd.DataFrame, *, index: bool = True) -> bytes:
    """Render a table in the export CSV dialect, with inert text cells (no formulas)."""
    text = safeio.csv_frame(frame).to_csv(
        sep=CSV_OPTIONS["sep"], decimal=CSV_OPTIONS["decimal"], index=index
    )
    return text.encode(CSV_OPTIONS["encoding"])


def _write(
    out_dir: str | Path, payload: Mapping[str, bytes], protect: Sequence[str | Path] = ()
) -> list[Path]:
    """Write ``payload`` into ``out_dir`` all-or-nothing, never over an input file."""
    try:
        return safeio.write_files(out_dir, payload, protect=protect)
    except safeio.OutputError as exc:
        raise ValidationError(str(exc)) from None


def has_polygons(profiles: Profiles) -> bool:
    """Whether the profiles' buurten have polygons (a table alone has none: no map).

    Parameters
    ----------
    profiles
        The profiles.

    Returns
    -------
    bool
        True when at least one buurt has a geometry.
    """
    geom = getattr(profiles.buurten, "geometry", None)
    return geom is not None and bool(geom.notna().any())


def buurt_table(profiles: Profiles) -> pd.DataFrame:
    """One row per buurt: code, names, team, flags, indicators, theme indices and type.

    Parameters
    ----------
    profiles
        The profiles.

    Returns
    -------
    pandas.DataFrame
        Index ``buurtcode``.
    """
    gdf = profiles.buurten
    table = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    table["klein"] = table["klein"].map({True: "ja", False: "nee"})
    src = profiles.indicators.source
    base = profiles.indicators.base_source.reindex(table.index).fillna("")
    table.insert(
        list(table.columns).index("klein") + 1,
        "ingevuld_uit_wijk",
        [", ".join(k for k, v in src.loc[c].items() if v == "wijk") for c in table.index],
    )
    table.insert(
        list(table.columns).index("ingevuld_uit_wijk") + 1,
        "schattingen",
        [
            ", ".join(
                [k for k, v in src.loc[c].items() if v == "schatting"]
                + [k for k, v in base.loc[c].items() if v == "schatting"]
            )
            for c in table.index
        ],
    )
    table["bron"] = "CBS, RIVM, PDOK"
    return table


def team_table(profiles: Profiles) -> pd.DataFrame:
    """One row per team: theme shares (sum 100), indices, need counts, population, type mix.

    Parameters
    ----------
    profiles
        The profiles.

    Returns
    -------
    pandas.DataFrame
        Index ``team``.
    """
    team = profiles.team
    info = profiles.indicators.info
    out = pd.DataFrame(index=team.shares.index)
    out.index.name = "team"
    out["inwoners"] = info.groupby("team")["inwoners"].sum().reindex(out.index).round(0)
    out["aantal_buurten"] = info.groupby("team").size().reindex(out.index)
    for key in team.shares.columns:
        out[f"aandeel_{key}"] = team.shares[key].round(2)
    for key in team.index.columns:
        out[f"index_{key}"] = team.index[key].round(1)
    for key in team.need.columns:
        out[f"behoefte_{key}"] = team.need[key].round(0)
    types = profiles.buurten.groupby("team")["type"].value_counts()
    out["typemix"] = [
        "; ".join(f"{t}: {n}" for t, n in types.loc[tm].items()) if tm in types.index else ""
        for tm in out.index
    ]
    out["bron"] = "CBS, RIVM, PDOK"
    return out


def typology_table(profiles: Profiles) -> pd.DataFrame:
    """Fit metrics per k, with the chosen k marked and the reason.

    Parameters
    ----------
    profiles
        The profiles.

    Returns
    -------
    pandas.DataFrame
        One row per k.
    """
    typ = profiles.typology
    out = typ.metrics.copy()
    out["gekozen"] = ["ja" if k == typ.k else "nee" for k in out["k"]]
    out["toelichting"] = [typ.reason if k == typ.k else "" for k in out["k"]]
    out["methode"] = typ.method
    return out.round(4)


def write_profile_outputs(
    profiles: Profiles,
    out_dir: str | Path,
    *,
    map_column: str | None = None,
    protect: Sequence[str | Path] = (),
) -> list[Path]:
    """Write all profile outputs atomically into ``out_dir``.

    Everything is computed in memory first; files are then written one by one via a
    temporary file and a rename, so a failure never leaves a half-written file.

    Parameters
    ----------
    profiles
        The profiles.
    out_dir
        Output folder (created when missing).
    map_column
        Column shown on the map; default the first theme index.
    protect
        Input files that must never be overwritten.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    ValidationError
        If an output would overwrite an input file or ``out_dir`` is a file.
    """
    from geo.maps import profile_map

    try:
        safeio.check_output_dir(out_dir)
    except safeio.OutputError as exc:
        raise ValidationError(str(exc)) from None
    credit = b"# Bron: CBS, RIVM, PDOK (CC BY 4.0); zie bronnen.txt\n"
    payload = {
        "buurten.csv": csv_bytes(buurt_table(profiles)) + credit,
        "teams_profiel.csv": csv_bytes(team_table(profiles)) + credit,
        "typologie_k.csv": csv_bytes(typology_table(profiles), index=False) + credit,
    }
    if has_polygons(profiles):
        column = map_column or f"index_{profiles.buurt.index.columns[0]}"
        html = safeio.clean_text(profile_map(profiles, column=column).get_root().render())
        payload["kaart_profielen.html"] = html.encode("utf-8")
    else:
        warnings.warn(
            "kaart_profielen.html overgeslagen: de gegevens hebben geen buurtpolygonen "
            "(geef --buurten of --gpkg voor een kaart)",
            UserWarning,
            stacklevel=2,
        )
    payload["bronnen.txt"] = safeio.clean_text("\n".join(profiles.sources) + "\n").encode("utf-8")
    return _write(out_dir, payload, protect)


def national_table(values: pd.DataFrame, typology: Typology) -> pd.DataFrame:
    """One row per buurt of the country: gemeente, wijk, profile type and whether assigned.

    Parameters
    ----------
    values
        The national buurt table of :func:`geo.load_national`.
    typology
        Its typology from :func:`geo.national_typology`.

    Returns
    -------
    pandas.DataFrame
        Index ``buurtcode``; columns ``gemeentecode``, ``gemeentenaam``, ``wijkcode``,
        ``type``, ``type_nr`` and ``toegewezen`` (buurt too small or incomplete to cluster,
        assigned to the nearest type afterwards).
    """
    table = values[["gemeentecode", "gemeentenaam", "wijkcode"]].copy()
    table["type"] = typology.labels.reindex(table.index)
    table["type_nr"] = typology.type_id.reindex(table.index)
    table["toegewezen"] = table.index.isin(typology.assigned)
    return table


def write_national_outputs(
    values: pd.DataFrame, typology: Typology, out_dir: str | Path
) -> list[Path]:
    """Write ``typologie_nl.csv`` and ``typologie_nl_k.csv`` atomically into ``out_dir``.

    Parameters
    ----------
    values
        The national buurt table of :func:`geo.load_national`.
    typology
        Its typology from :func:`geo.national_typology`.
    out_dir
        Output folder (created when missing).

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    ValidationError
        If ``out_dir`` is a file.
    """
    note = b"# Bron: RIVM/GGD Gezondheidsmonitor 2020 (CC BY 4.0), CBS\n"
    payload = {
        "typologie_nl.csv": csv_bytes(national_table(values, typology)) + note,
        "typologie_nl_k.csv": csv_bytes(typology.metrics, index=False) + note,
    }
    return _write(out_dir, payload)
