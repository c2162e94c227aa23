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
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

import safeio
from optimize._errors import ValidationError
from optimize.model import Result
from optimize.scenario import scenario_to_toml

__all__ = [
    "COLUMNS",
    "MODE_WORDS",
    "SOLVER_WORDS",
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


#: Dutch words for the calculation modes and HiGHS' model status in exports.
MODE_WORDS: dict[str, str] = {
    "lp": "snel: uren met decimalen (lineair programma)",
    "milp": "hele blokken en personen (gemengd-geheeltallig programma)",
}
SOLVER_WORDS: dict[str, str] = {
    "Optimal": "optimaal",
    "Time limit reached": "tijdslimiet bereikt (beste gevonden oplossing)",
    "Infeasible": "onhaalbaar",
    "Iteration limit reached": "iteratielimiet bereikt",
}

#: Number formats per kind of column (Excel shows them in the reader's own locale).
_FORMATS = {"euro": "#,##0", "uren": "0.0", "fractie": "0%", "getal": "0.00"}
_UNIT_FORMATS = {"€ per jaar": "#,##0", "fractie": "0.0%", "uren per week": "0.0", "uren": "0.0"}


def _kind(sheet: str, column: str, frame: pd.DataFrame) -> str | None:
    """Return the number format kind of a column (``None`` for text)."""
    label = column.lower()
    if not pd.api.types.is_numeric_dtype(frame[column]) or pd.api.types.is_bool_dtype(
        frame[column]
    ):
        return None
    if "€" in label or "kosten" in label:
        return "euro"
    if sheet == "Dekking" or "dekking" in label or label == "tekort" or "aandeel" in label:
        return "fractie"
    if label in ("gewicht (prioriteit)", "fte", "personen"):
        return "getal"
    return "uren"


def _rounded(frame: pd.DataFrame, sheet: str) -> pd.DataFrame:
    """Round what a memo shows: euros to whole euros, hours to 0.1, fractions to 0.001."""
    out = frame.copy()
    digits = {"euro": 0, "uren": 1, "fractie": 3, "getal": 2}
    for col in out.columns:
        kind = _kind(sheet, str(col), out)
        if kind is not None:
            out[col] = out[col].astype(float).round(digits[kind])
    return out


def _themes_text(weights: dict[str, float]) -> str:
    return ", ".join(f"{k} ({v:g})".replace(".", ",") for k, v in weights.items())


def _parameters(result: Result, name: str) -> pd.DataFrame:
    """Return the scenario's settings as readable rows (label, value, unit)."""
    s = result.scenario
    t = result.table
    solver = SOLVER_WORDS.get(result.solver_status, result.solver_status)
    by_budget = float((t["haalbaar_doel"] - t["uren"]).clip(lower=0).sum())
    by_bounds = float((t["doel_uren"] - t[["haalbaar_doel", "uren"]].max(axis=1)).clip(0).sum())
    rows: list[tuple[str, object, str]] = [
        ("Scenario", name, ""),
        ("Budgetplafond", round(s.budget), "€ per jaar"),
        ("Budget gebruikt", round(result.budget_used), "€ per jaar"),
        ("Budget over", round(result.budget_left), "€ per jaar"),
        ("Rekenwijze", MODE_WORDS.get(result.mode, result.mode), ""),
        ("Uitkomst", result.status, ""),
        ("Rekenprogramma (HiGHS)", solver, ""),
        ("Afstand tot het optimum", "" if result.gap is None else round(result.gap, 4), "fractie"),
        ("Grootste tekort door het budget", round(result.max_tekort, 4), "fractie"),
        ("Tekort door het budget", round(by_budget, 1), "uren per week"),
        ("Tekort door grenzen per team", round(by_bounds, 1), "uren per week"),
        ("Basisaandeel (gelijk over de teams)", round(s.basis_aandeel, 4), "fractie"),
        ("Complexiteit (zwaarte van hoge cijfers)", round(s.complexiteit, 2), ""),
        (
            "Maximale wijziging t.o.v. nu",
            "geen" if s.max_wijziging is None else round(s.max_wijziging, 4),
            "fractie",
        ),
        ("Uren per fte", round(s.uren_per_fte, 1), "uren per week"),
        (
            "Teamgrootte",
            f"{s.min_personen}–{s.max_personen}" if s.min_personen is not None else "geen",
            "personen",
        ),
        ("Blokgrootte (hele blokken)", round(s.blok_uren, 1), "uren"),
    ]
    return pd.DataFrame(rows, columns=["Instelling", "Waarde", "Eenheid"])


def _disciplines(result: Result) -> pd.DataFrame:
    """One row per discipline: costs, bounds, weight and the themes its need follows."""
    s = result.scenario
    return pd.DataFrame(
        {
            "Discipline": [d.naam for d in s.disciplines],
            "Organisatie": [d.organisatie for d in s.disciplines],
            "Betaald door": [d.gefinancierd_door for d in s.disciplines],
            "Kosten per uur (€ per jaar)": [d.kosten_per_uur for d in s.disciplines],
            "Huidig (uren per team)": [d.huidig for d in s.disciplines],
            "Minimum (uren)": [d.min_uren for d in s.disciplines],
            "Maximum (uren)": [d.max_uren for d in s.disciplines],
            "Gewicht (prioriteit)": [d.gewicht for d in s.disciplines],
            "Behoefte volgt thema (gewicht)": [
                _themes_text(dict(d.behoefte)) for d in s.disciplines
            ],
            "Verplicht in elk team": ["ja" if d.verplicht else "nee" for d in s.disciplines],
        }
    )


def _sheets(result: Result, name: str | None = None) -> dict[str, pd.DataFrame]:
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
    explanation = pd.DataFrame({"Toelichting": list(result.explanation)})
    return {
        "Formatie per team": per_team.reset_index(),
        "Per discipline": per_disc.reset_index(),
        "Totalen per discipline": totals.reset_index().drop(columns=["Code"]),
        "Totalen per team": teams.reset_index(),
        "Dekking": coverage.reset_index(),
        "Alle cellen": _dutch(result),
        "Scenario": _parameters(result, name or s.naam),
        "Disciplines": _disciplines(result),
        "Toelichting": explanation,
        "Bronnen": pd.DataFrame({"Bron": [SOURCES]}),
    }


def _write_sheet(writer: pd.ExcelWriter, name: str, frame: pd.DataFrame) -> None:
    """Write one table on its own sheet: bold frozen header, number formats, column widths.

    The only place where cells are written, so escaping or styling applies to every sheet.
    """
    frame = safeio.clean_frame(_rounded(frame, name))  # control characters out
    frame.to_excel(writer, sheet_name=name, index=False)
    ws = writer.sheets[name]
    safeio.inert_sheet(ws)  # text from data is never a formula
    ws.freeze_panes = "A2"
    for cell in ws[1]:
        cell.font = Font(bold=True)
    units = frame["Eenheid"].tolist() if "Eenheid" in frame.columns else None
    for j, col in enumerate(frame.columns, start=1):
        letter = get_column_letter(j)
        texts = [str(col), *(str(v) for v in frame[col].tolist()[:500])]
        width = max(len(x) for x in texts) + 2
        ws.column_dimensions[letter].width = max(
            10, min(80 if name == "Toelichting" else 45, width)
        )
        kind = _kind(name, str(col), frame)
        for i, cell in enumerate(ws[letter][1:]):
            if not isinstance(cell.value, int | float) or isinstance(cell.value, bool):
                continue
            if units is not None and str(col) == "Waarde":
                cell.number_format = _UNIT_FORMATS.get(units[i], "General")
            elif kind is not None:
                cell.number_format = _FORMATS[kind]
        if name == "Toelichting":
            for cell in ws[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def formation_xlsx_bytes(result: Result, *, scenario_name: str | None = None) -> bytes:
    """Return the Excel workbook for a council memo: one table per sheet, in Dutch.

    Parameters
    ----------
    result
        The result.
    scenario_name
        The name of the scenario as the user knows it (the open, saved scenario); default
        the scenario's own ``naam``.

    Returns
    -------
    bytes
        The workbook: formation per team and per discipline, totals per discipline and per
        team, coverage, every cell, the scenario settings, the disciplines (costs, bounds,
        weights, themes), the explanation and the sources; numbers rounded, bold frozen
        header row, number formats and column widths to the content.
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in _sheets(result, scenario_name).items():
            _write_sheet(writer, name, frame)
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
