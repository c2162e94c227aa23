"""Small shared pieces of the pages: escaping, messages, pies, the formation table."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import streamlit as st

import geo
import optimize
from wijkteam import scenario_store

#: Errors of the project that are shown as a message; anything else is a bug and surfaces.
PROJECT_ERRORS = (
    geo.ValidationError,
    optimize.ValidationError,
    scenario_store.ScenarioStoreError,
)
BRON = "Bron: CBS, RIVM, PDOK (CC BY 4.0)"
MODES = {"lp": "Continu (LP, snel)", "milp": "Hele blokken en personen (MILP)"}
PROVENANCE = {
    "buurt": "eigen buurtwaarde",
    "schatting": "schatting (oppervlakte-gewogen)",
    "wijk": "aangevuld uit de wijk",
    "gemeente": "aangevuld met gemeentegemiddelde",
    "": "ontbreekt",
}


@dataclass(frozen=True)
class Page:
    """One page of the app: its title, address, icon and render function."""

    title: str
    url_path: str
    icon: str
    render: Callable[[], None]


def md(text: object) -> str:
    """Escape Markdown, HTML and LaTeX syntax in text that comes from data or uploads."""
    return re.sub(r"([\\`*_{}\[\]()#+!|~<>&$:-])", r"\\\1", str(text))


def plain(text: object) -> str:
    """Escape matplotlib's mathtext (``$``) in text that comes from data or uploads."""
    return str(text).replace("$", r"\$")


def clean_message(message: str) -> str:
    """Remove the private upload directory from a message, leaving the file name."""
    return re.sub(r"\S*wijkteam-upload-[^/\s]+/[0-9a-f]{16}/", "", message)


def show_error(exc: BaseException) -> None:
    """Show a project error as one message (upload paths shortened to the file name)."""
    st.error(clean_message(str(exc)), icon=":material/error:")


def row(frame: pd.DataFrame, key: str) -> pd.Series:
    """Return one row of a frame with a unique index as a Series."""
    return frame.loc[key]  # type: ignore[return-value]


def pie_figure(shares: pd.Series, labels: Mapping[str, str], title: str) -> Any:
    """Draw a profieltaart as a matplotlib figure (same colours as on the map)."""
    colours = list(geo.THEME_COLOURS)
    values = shares.fillna(0.0)
    fig, ax = plt.subplots(figsize=(4.2, 3.2), dpi=100)
    ax.pie(
        values.to_numpy(),
        labels=[plain(labels.get(str(k), str(k))) for k in values.index],
        colors=[colours[i % len(colours)] for i in range(len(values))],
        autopct=lambda p: f"{p:.0f}%" if p >= 4 else "",
        startangle=90,
        counterclock=False,
        wedgeprops={"linewidth": 1, "edgecolor": "white"},
        textprops={"fontsize": 8},
    )
    ax.set_title(plain(title), fontsize=10)
    ax.axis("equal")
    fig.tight_layout()
    return fig


def show_figure(fig: Any) -> None:
    """Show a matplotlib figure and free it."""
    st.pyplot(fig, clear_figure=True)
    plt.close(fig)


def formation_styler(result: optimize.Result) -> Any:
    """Style the formation (team × discipline, hours/week), colouring the change vs now."""
    names = {d.key: d.naam for d in result.scenario.disciplines}
    formation = result.formation.rename(columns=names)
    diff = result.wide("verschil_huidig").rename(columns=names)

    def colour(v: float) -> str:
        if v > 0.05:
            return "background-color: #c7e9c0; color: #00441b"
        if v < -0.05:
            return "background-color: #fcbba1; color: #67000d"
        return ""

    css = diff.map(colour)
    return formation.style.format("{:.1f}", decimal=",").apply(lambda _: css, axis=None)


def render_explanation(lines: tuple[str, ...] | list[str]) -> None:
    """Plain-Dutch explanation lines as a list."""
    st.markdown("\n".join(f"- {md(line)}" for line in lines))
