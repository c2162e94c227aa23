"""Team names for the command line: the team table, else each wijk under its own name."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pandas as pd

import safeio

__all__ = ["own_teams"]

_WIJK = re.compile(r"^WK\d{6}$")


def own_teams(dataset: Any) -> Any:
    """Return the dataset with named teams: its team table, else each wijk under its name.

    The loaders label a wijk that has no name in the files the CBS way, ``Wijk NN`` and its
    first buurt ("Wijk 01 Speuld"); a wijk that still has only its code (another reader) gets
    the same label here. Two wijken with one name get their code added, so they never merge
    into one team.
    """
    if dataset.teams is not None:
        return dataset
    b = dataset.buurten
    names: dict[str, str] = {}
    for wijk, group in b.groupby("wijkcode", sort=True):
        name = str(group["wijknaam"].iloc[0] or "").strip()
        if not name or name == wijk or _WIJK.match(name):
            first = group.sort_index()["buurtnaam"].astype(str)
            usable = [n for n in first if n.strip() and not n.startswith("BU")]
            name = f"Wijk {str(wijk)[-2:]} {usable[0].strip()}" if usable else str(wijk)
        names[str(wijk)] = safeio.clean_text(name, single_line=True)
    counts = pd.Series(list(names.values())).value_counts()
    for wijk, name in names.items():
        if counts[name] > 1:
            names[wijk] = f"{name} ({wijk})"
    teams = pd.Series([names[str(w)] for w in b["wijkcode"]], index=b.index, name="team")
    return dataclasses.replace(dataset, teams=teams)
