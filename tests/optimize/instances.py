"""Small hand-checkable optimiser instances."""

from __future__ import annotations

import pandas as pd

from optimize import Discipline, Scenario


def disc(key: str, **kw: object) -> Discipline:
    """Return a discipline with permissive defaults for hand-checked instances."""
    values: dict[str, object] = {
        "naam": key.upper(),
        "kosten_per_uur": 1000.0,
        "huidig": 10.0,
        "min_uren": 0.0,
        "max_uren": 100.0,
        "behoefte": {"a": 1.0},
        "min_contract": 0.0,
    }
    values.update(kw)
    return Discipline(key=key, **values)  # type: ignore[arg-type]


def scenario(*discs: Discipline, budget: float = 1e6, **kw: object) -> Scenario:
    """Return a scenario without team-size or change limits unless asked."""
    values: dict[str, object] = {
        "naam": "test",
        "budget": budget,
        "disciplines": discs or (disc("d"),),
        "basis_aandeel": 0.0,
        "complexiteit": 0.0,
        "max_wijziging": None,
        "min_personen": None,
        "max_personen": None,
    }
    values.update(kw)
    return Scenario(**values)  # type: ignore[arg-type]


def targets(values: dict[str, dict[str, float]]) -> pd.DataFrame:
    """Team → {discipline: target hours} as the model's target table."""
    return pd.DataFrame(values).T.astype(float)
