"""Session state of one browser session (``st.session_state``; nothing shared).

* ``source``: the key of the loaded data (Haarlem, or uploaded files with their SHA-256),
  used as the real argument of every cached loader and map;
* ``scenario``: the current :class:`optimize.Scenario` (what the Formatie form shows);
* ``model``: one :class:`optimize.FormationModel` per (data, scenario structure, mode),
  re-solved warm for budget, cost and weight what-ifs;
* ``result`` / ``infeasible``: the last solve.
"""

from __future__ import annotations

import time

import streamlit as st

import geo
import optimize
from app_pages import cached
from app_pages.cached import HAARLEM, SourceKey
from app_pages.widgets import PROJECT_ERRORS, clean_message, show_error
from wijkteam import scenario_store


def init_state() -> None:
    """Fill the session state on the first run of a session; open a scenario from the URL."""
    ss = st.session_state
    if "source" in ss:
        return
    ss.source = HAARLEM
    ss.scenario = cached.default_scenario()
    ss.scenario_name = None
    ss.saved = None
    ss.saved_mode = None
    ss.mode = "lp"
    ss.flash = []
    ss.form_version = 0
    ss.model = None
    ss.result = None
    ss.previous = None
    ss.infeasible = None
    ss.seconds = None
    ss.notes = []
    name = st.query_params.get("scenario")
    if name:
        try:
            open_scenario(scenario_store.load(name), name, scenario_store.load_mode(name))
        except PROJECT_ERRORS as exc:
            ss.notes.append(f"Scenario uit de link niet geopend: {clean_message(str(exc))}")
            del st.query_params["scenario"]


def open_scenario(scenario: optimize.Scenario, name: str | None, mode: str = "lp") -> None:
    """Make ``scenario`` (saved as ``name``, solved in ``mode``) current; reset the form."""
    ss = st.session_state
    ss.scenario = scenario
    ss.scenario_name = name
    ss.mode = mode
    ss.saved = scenario if name else None
    ss.saved_mode = mode if name else None
    ss.form_version += 1
    ss.result = None
    ss.infeasible = None
    if name:
        st.query_params["scenario"] = name
    elif "scenario" in st.query_params:
        del st.query_params["scenario"]


def saved_state() -> str:
    """Return ``"opgeslagen"``, ``"gewijzigd"`` (saved, then changed) or ``"nieuw"``."""
    ss = st.session_state
    if ss.scenario_name is None:
        return "nieuw"
    if ss.scenario == ss.saved and ss.mode == ss.saved_mode:
        return "opgeslagen"
    return "gewijzigd"


def mark_saved(scenario: optimize.Scenario, name: str) -> None:
    """Record that the current scenario (and mode) was saved as ``name``."""
    ss = st.session_state
    ss.scenario = ss.saved = scenario
    ss.scenario_name = name
    ss.saved_mode = ss.mode
    st.query_params["scenario"] = name


def flash(message: str) -> None:
    """Keep a success message for the next run (shown after ``st.rerun``)."""
    st.session_state.flash.append(message)


def formation_model(
    source: SourceKey, scenario: optimize.Scenario, mode: str
) -> optimize.FormationModel:
    """Return the session's model for this data, scenario structure and mode (built once)."""
    ss = st.session_state
    key = (source, mode, optimize.structure_key(scenario))
    if ss.model is not None and ss.model[0] == key:
        return ss.model[1]
    model = optimize.FormationModel.from_frames(scenario, cached.team_need(source), mode=mode)  # type: ignore[arg-type]
    ss.model = (key, model)
    return model


def run_solve() -> None:
    """Solve the current scenario warm; keep the result (or the infeasibility) in state."""
    ss = st.session_state
    s: optimize.Scenario = ss.scenario
    start = time.perf_counter()
    try:
        model = formation_model(ss.source, s, ss.mode)
        result = model.solve(
            budget=s.budget,
            kosten={d.key: d.kosten_per_uur for d in s.disciplines},
            gewichten={d.key: d.gewicht for d in s.disciplines},
        )
    except optimize.InfeasibleError as exc:
        ss.previous = ss.result or ss.previous
        ss.result = None
        ss.infeasible = tuple(exc.lines)
    else:
        ss.previous = ss.result
        ss.result = result
        ss.infeasible = None
    ss.seconds = time.perf_counter() - start


def ensure_result() -> optimize.Result | None:
    """Solve once when a page needs a formation and none was computed yet."""
    ss = st.session_state
    if ss.result is None and ss.infeasible is None:
        try:
            run_solve()
        except PROJECT_ERRORS as exc:
            show_error(exc)
            return None
    return ss.result


def current_profiles() -> geo.Profiles | None:
    """Profiles of the session's data; a project error is shown and gives ``None``."""
    try:
        return cached.profiles_of(st.session_state.source)
    except PROJECT_ERRORS as exc:
        show_error(exc)
        return None


def switch_source(source: SourceKey) -> None:
    """Use another dataset; the formation is recomputed for it."""
    ss = st.session_state
    ss.source = source
    ss.model = None
    ss.result = None
    ss.previous = None
    ss.infeasible = None
    ss.pop("sweep_request", None)
    ss.pop("detail", None)
