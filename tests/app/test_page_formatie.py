"""The Formatie page (AppTest): what-ifs, modes, infeasible scenarios, the budget curve."""

from __future__ import annotations

import pytest
from app_helpers import button, errors, formation_table, goto, submit_budget
from streamlit.testing.v1 import AppTest  # noqa: TID251 (tests drive the app)

pytestmark = [
    # AppTest runs the script outside a server; streamlit says so once per thread.
    pytest.mark.filterwarnings("ignore:.*missing ScriptRunContext.*"),
]


def test_budget_submit_changes_the_formation(app: AppTest) -> None:
    goto(app, "Formatie")
    before = formation_table(app)
    assert before.shape == (10, 11)
    submit_budget(app, 4_500_000.0)
    assert errors(app) == []
    after = formation_table(app)
    assert after.shape == before.shape
    assert (after.to_numpy() != before.to_numpy()).any()
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Budget gebruikt"] == "€4.500.000"
    assert app.session_state["result"].scenario.budget == 4_500_000.0
    # less money, fewer hours in total
    assert after.to_numpy().sum() < before.to_numpy().sum()


def test_budget_what_if_reuses_the_built_model(app: AppTest) -> None:
    goto(app, "Formatie")
    model = app.session_state["model"][1]
    submit_budget(app, 5_000_000.0)
    assert app.session_state["model"][1] is model
    submit_budget(app, 6_000_000.0)
    assert app.session_state["model"][1] is model


def test_mixed_integer_mode_gives_whole_blocks(app: AppTest) -> None:
    goto(app, "Formatie")
    next(r for r in app.radio if r.label == "Rekenwijze").set_value("milp")
    button(app, "Formatie berekenen").click()
    app.run()
    assert not app.exception
    assert errors(app) == []
    result = app.session_state["result"]
    assert result.mode == "milp"
    block = result.scenario.blok_uren
    hours = result.formation.to_numpy()
    assert abs(hours / block - (hours / block).round()).max() < 1e-6


def test_infeasible_budget_shows_what_to_loosen(app: AppTest) -> None:
    goto(app, "Formatie")
    submit_budget(app, 100_000.0)
    text = " ".join(errors(app))
    assert "niet haalbaar" in text
    assert "verhoog het budget" in text
    assert app.session_state["result"] is None


def test_budget_sweep_on_request(app: AppTest) -> None:
    goto(app, "Formatie")
    assert (
        app.session_state["sweep_request"] is None if "sweep_request" in app.session_state else True
    )
    button(app, "Budgetcurve berekenen").click()
    app.run()
    assert not app.exception
    assert errors(app) == []
    assert len(app.get("arrow_line_chart")) + len(app.get("vega_lite_chart")) >= 2
