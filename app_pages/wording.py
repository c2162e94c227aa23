"""The loaders' messages in the app's words: command-line options become what to give.

:func:`geo.load_inputs` and :func:`optimize.propose_scenario` serve the command line too, so
their messages name options (``--indicatoren``, ``--gemeente GMxxxx``, ``--budget``). On a
page those are dead ends; :func:`in_words` says instead which file or field is meant.
"""

from __future__ import annotations

import re

import streamlit as st

from app_pages.widgets import clean_message

#: Option names as they appear in messages, and what they mean on the Data/Formatie pages.
_OPTIONS: tuple[tuple[str, str], ...] = (
    (r"kies er een met --gemeente GMxxxx", "vul de gemeentecode (GMxxxx) in"),
    (r"--gpkg vraagt ook --gemeente GMxxxx", "bij een Wijk- en buurtkaart hoort een gemeentecode"),
    (r"--gpkg met --gemeente", "een Wijk- en buurtkaart (GeoPackage) met de gemeentecode"),
    (
        r"geef --gpkg of --buurten, niet allebei",
        "geef een Wijk- en buurtkaart of losse buurtpolygonen, niet allebei",
    ),
    (
        r"bijv\. --indicatoren met een RIVM- of StatLine-CSV",
        "bijvoorbeeld de StatLine-tabel "
        "Kerncijfers wijken en buurten of de RIVM Gezondheidsmonitor, als CSV",
    ),
    (r"\(--buurten\) of een CBS GeoPackage \(--gpkg\)", "of een CBS GeoPackage"),
    (r"\(geef --buurten of --gpkg voor een kaart\)", "(geef de buurtgrenzen voor een kaart)"),
    (r"--indicatoren", "indicatorbestanden"),
    (r"--gemeente", "de gemeentecode"),
    (r"--gpkg", "de Wijk- en buurtkaart"),
    (r"--buurten", "de buurtpolygonen"),
    (r"--teams", "de teamtabel"),
    (r"geef --budget", "vul een eigen budget in"),
    (r"--budget", "het budget"),
)


def in_words(message: str) -> str:
    """Return a loader message with upload paths shortened and option names in words."""
    text = clean_message(message)
    for pattern, words in _OPTIONS:
        text = re.sub(pattern, words, text)
    return text


def show_in_words(exc: BaseException) -> None:
    """Show a project error as one message, in the app's words."""
    st.error(in_words(str(exc)), icon=":material/error:")
