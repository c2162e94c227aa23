"""Workload and population per team area, and how balanced they are.

The workload of a buurt is the caller's (e.g. the formation optimiser's target hours split
over the buurten, see ``wijkteam._cmd_areas``), else the profiles' need count summed over
the themes; a total ``workload_base`` is spread evenly over the teams. Balance figures: the
largest team divided by the smallest (*max/min*), the largest deviation from the mean as a
fraction of the mean (*spread*), and the *range* (largest minus smallest).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo._errors import ValidationError
from geo.profiles import Profiles

__all__ = ["AreaBalance", "area_balance"]


@dataclass(frozen=True)
class AreaBalance:
    """Workload and population per team area, and how balanced they are.

    Attributes
    ----------
    summary
        One row per team: ``werklast``, ``inwoners``, ``buurten``, ``wijken``,
        ``afwijking_werklast`` and ``afwijking_inwoners`` (% from the mean).
    workload_max_min, inwoners_max_min
        Largest team divided by the smallest.
    workload_spread, inwoners_spread
        Largest deviation from the mean, as a fraction of the mean.
    workload_range
        Largest minus smallest team workload.
    """

    summary: pd.DataFrame
    workload_max_min: float
    workload_spread: float
    workload_range: float
    inwoners_max_min: float
    inwoners_spread: float


def _figures(values: pd.Series) -> tuple[float, float, float]:
    v = values.to_numpy(dtype=float)
    mean = float(v.mean()) if len(v) else math.nan
    lo, hi = float(v.min()), float(v.max())
    ratio = hi / lo if lo > 0 else math.inf
    spread = float(np.abs(v - mean).max() / mean) if mean > 0 else math.nan
    return ratio, spread, hi - lo


def _weights(
    profiles: Profiles, workload: pd.Series | None, *, where: str = "workload"
) -> pd.Series:
    """Per-buurt workload: the given Series, else the need count summed over the themes."""
    codes = profiles.buurten.index
    if workload is None:
        need = profiles.buurt.need.reindex(codes).fillna(0.0)
        return need.sum(axis=1).astype(float)
    w = pd.to_numeric(workload, errors="coerce").reindex(codes)
    bad = w.index[w.isna() | (w < 0)]
    if len(bad):
        raise ValidationError(
            f"{where}: ontbrekende of negatieve werklast voor buurt(en) {', '.join(bad[:5])}"
        )
    return w.astype(float)


def area_balance(
    profiles: Profiles,
    teams: pd.Series | None = None,
    *,
    workload: pd.Series | None = None,
    workload_base: float = 0.0,
) -> AreaBalance:
    """Compute workload and population per team area and the balance figures.

    Parameters
    ----------
    profiles
        The profiles (buurt polygons, need, inhabitants).
    teams
        Buurt code → team; default the profiles' own team column (today's areas).
    workload
        Hours per week per buurt (see the module docstring); default the need count.
    workload_base
        Total hours spread evenly over the teams (added as ``workload_base / n`` per team).

    Returns
    -------
    AreaBalance
        The figures.
    """
    b = profiles.buurten
    teams = (b["team"] if teams is None else teams).reindex(b.index)
    if teams.isna().any():
        raise ValidationError(f"buurt(en) zonder team: {', '.join(teams.index[teams.isna()][:5])}")
    w = _weights(profiles, workload)
    n = teams.nunique()
    summary = pd.DataFrame(
        {
            "werklast": w.groupby(teams).sum() + float(workload_base) / n,
            "inwoners": b["inwoners"].fillna(0.0).groupby(teams).sum(),
            "buurten": teams.groupby(teams).size(),
            "wijken": b["wijkcode"].groupby(teams).nunique(),
        }
    )
    summary.index.name = "team"
    for col in ("werklast", "inwoners"):
        summary[f"afwijking_{col}"] = 100.0 * (summary[col] / summary[col].mean() - 1.0)
    wr, ws, wrange = _figures(summary["werklast"])
    ir, is_, _ = _figures(summary["inwoners"])
    return AreaBalance(summary, wr, ws, wrange, ir, is_)
