"""Exports of a formation: CSV, Excel workbook and JSON, in Dutch, written atomically."""

from __future__ import annotations

import io
import json
import math
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

import safeio
from optimize._errors import ValidationError
from optimize.model import Result
from optimize.scenario import scenario_to_toml

__all__ = [
    "COLUMNS",
    "SOURCES",
    "formation_csv_bytes",
    "formation_json_bytes",
    "formation_xlsx_bytes",
    "write_bytes_atomic",
    "write_formation_outputs",
]

#: Dutch headers of the long formation table.
COLUMNS: dict[str, str] = {
    "team": "Team",
    "discipline": "Code",
    "discipline_naam": "Discipline",
    "gefinancierd_door": "Gefinancierd door",
    "uren": "Uren per week",
    "fte": "Fte",
    "personen": "Personen",
    "klein_contract": "Klein contract",
    "kosten": "Kosten per jaar (€)",
    "doel_uren": "Behoefte (uren per week)",
    "haalbaar_doel": "Haalbare behoefte (uren)",
    "huidig_uren": "Huidige formatie (uren)",
    "uniform_uren": "Uniforme formatie (uren)",
    "verschil_huidig": "Verschil t.o.v. huidig (uren)",
    "verschil_uniform": "Verschil t.o.v. uniform (uren)",
    "dekking": "Dekking behoefte",
    "tekort_uren": "Tekort (uren per week)",
    "ondergrens": "Ondergrens (uren)",
    "bovengrens": "Bovengrens (uren)",
    "begrensd_door": "Begrensd door",
}

#: Dutch headers of the totals per discipline and per team (sheet "Totalen en kosten").
_TOTAL_COLUMNS: dict[str, str] = {
    "naam": "Discipline",
    "uren": "Uren per week",
    "fte": "Fte",
    "personen": "Personen",
    "kosten": "Kosten per jaar (€)",
    "doel_uren": "Behoefte (uren)",
    "huidig_uren": "Huidig (uren)",
    "uniform_uren": "Uniform (uren)",
    "tekort_uren": "Tekort (uren)",
    "dekking": "Dekking",
}

SOURCES = (
    "Bron: CBS Kerncijfers wijken en buurten en Wijk- en buurtkaart (via PDOK), "
    "RIVM/GGD Gezondheidsmonitor volwassenen en ouderen 2020 (CC BY 4.0); "
    "kosten en formatie: gemeente Haarlem, raadsnota Doorontwikkeling sociaal wijkteam (2016). "
    "Bewerking: wijkteam."
)


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temp file in the same folder, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _dutch(result: Result) -> pd.DataFrame:
    t = result.table.rename(columns=COLUMNS)
    t["Klein contract"] = t["Klein contract"].map({True: "ja", False: "nee"})
    return t


def formation_csv_bytes(result: Result) -> bytes:
    """Return the long formation table as CSV (``;``, decimal comma, UTF-8 with BOM)."""
    text = safeio.csv_frame(_dutch(result)).to_csv(
        sep=";", decimal=",", index=False, float_format="%.2f"
    )
    return (text + f"# {SOURCES}\n").encode("utf-8-sig")


def _sheets(result: Result) -> dict[str, pd.DataFrame]:
    s = result.scenario
    names = {d.key: d.naam for d in s.disciplines}
    per_team = result.formation.rename(columns=names)
    per_team["Totaal uren"] = per_team.sum(axis=1)
    per_team.index.name = "Team"
    per_disc = result.wide("uren").T.rename(index=names)
    per_disc.index.name = "Discipline"
    totals = result.discipline_totals().rename(columns=_TOTAL_COLUMNS)
    totals.index.name = "Code"
    teams = result.team_totals().rename(columns=_TOTAL_COLUMNS)
    teams.index.name = "Team"
    coverage = result.coverage.rename(columns=names)
    coverage.index.name = "Team"
    params = [
        ("Scenario", s.naam),
        ("Budgetplafond (€ per jaar)", s.budget),
        ("Budget gebruikt (€)", result.budget_used),
        ("Budget over (€)", result.budget_left),
        ("Modus", result.mode),
        ("Status", result.status),
        ("Solverstatus (HiGHS)", result.solver_status),
        ("Optimaliteitsgat", "" if result.gap is None else result.gap),
        ("Grootste relatieve tekort", result.max_tekort),
        ("Totaal tekort (uren per week)", result.totaal_tekort),
        ("Basisaandeel", s.basis_aandeel),
        ("Maximale wijziging", "" if s.max_wijziging is None else s.max_wijziging),
        ("Uren per fte", s.uren_per_fte),
        ("Teamgrootte (personen)", f"{s.min_personen}–{s.max_personen}"),
        ("Blokgrootte (uren)", s.blok_uren),
    ]
    params += [(f"Toelichting {i + 1}", line) for i, line in enumerate(result.explanation)]
    for d in s.disciplines:
        params.append(
            (
                f"{d.naam}",
                f"€{d.kosten_per_uur:,.2f} per uur/jaar; {d.min_uren:g}–{d.max_uren:g} uur; "
                f"huidig {d.huidig:g}; betaald door {d.gefinancierd_door}; "
                f"behoefte {dict(d.behoefte)}",
            )
        )
    return {
        "Formatie per team": per_team.reset_index(),
        "Per discipline": per_disc.reset_index(),
        "Totalen en kosten": pd.concat(
            [totals.reset_index(), pd.DataFrame([{}]), teams.reset_index()], ignore_index=True
        ),
        "Dekking": coverage.reset_index(),
        "Alle cellen": _dutch(result),
        "Scenario-parameters": pd.DataFrame(params, columns=["Parameter", "Waarde"]),
        "Bronnen": pd.DataFrame({"Bron": [SOURCES]}),
    }


def formation_xlsx_bytes(result: Result) -> bytes:
    """Return the Excel workbook (Dutch sheets, frozen bold header row, number formats)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in _sheets(result).items():
            frame = safeio.clean_frame(frame)  # control characters out
            frame.to_excel(writer, sheet_name=name, index=False)
            ws = writer.sheets[name]
            safeio.inert_sheet(ws)  # text from data is never a formula
            ws.freeze_panes = "A2"
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for j, col in enumerate(frame.columns, start=1):
                letter = get_column_letter(j)
                ws.column_dimensions[letter].width = max(12, min(60, len(str(col)) + 4))
                label = str(col).lower()
                fmt = None
                if "€" in label or "kosten" in label:
                    fmt = "#,##0"
                elif (name == "Dekking" and j > 1) or "dekking" in label or label == "tekort":
                    fmt = "0%"
                elif pd.api.types.is_float_dtype(frame[col]):
                    fmt = "0.0"
                if fmt:
                    for cell in ws[letter][1:]:
                        if isinstance(cell.value, int | float):
                            cell.number_format = fmt
    return buffer.getvalue()


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def formation_json_bytes(result: Result) -> bytes:
    """Return the whole result as JSON (with the scenario as TOML text and the sources)."""
    data = result.to_dict()
    data["scenario_toml"] = scenario_to_toml(result.scenario)
    data["bron"] = SOURCES
    return json.dumps(_clean(data), ensure_ascii=False, indent=2).encode("utf-8")


def write_formation_outputs(
    result: Result,
    out: str | Path,
    *,
    map_html: str | None = None,
    protect: Iterable[str | Path] = (),
) -> list[Path]:
    """Write ``formatie.csv``, ``formatie.xlsx``, ``allocatie.json`` (and the map) atomically.

    Parameters
    ----------
    result
        The result.
    out
        Output folder (created).
    map_html
        Optional HTML of the coverage map, written as ``kaart_formatie.html``.
    protect
        Input files that must never be overwritten.

    Returns
    -------
    list of pathlib.Path
        The written files.

    Raises
    ------
    ValidationError
        If an output would overwrite a protected input or the folder is not writable.
    """
    try:
        safeio.check_output_dir(out)
    except safeio.OutputError as exc:
        raise ValidationError(str(exc)) from None
    files = {
        "formatie.csv": formation_csv_bytes(result),
        "formatie.xlsx": formation_xlsx_bytes(result),
        "allocatie.json": formation_json_bytes(result),
    }
    if map_html is not None:
        files["kaart_formatie.html"] = safeio.clean_text(map_html).encode("utf-8")
    try:
        return safeio.write_files(out, files, protect=protect)
    except safeio.OutputError as exc:
        raise ValidationError(str(exc)) from None
