"""The Formatie page (AppTest): what-ifs, modes, infeasible scenarios, the budget curve."""

from __future__ import annotations

import pandas as pd
import pytest
from app_helpers import (
    button,
    errors,
    formation_cells,
    formation_table,
    goto,
    submit_budget,
    text_input,
)
from streamlit.testing.v1 import AppTest  # noqa: TID251 (tests drive the app)

import optimize

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
    assert metrics["Budget gebruikt"] == "€ 4.500.000"
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
    assert len(app.get("vega_lite_chart")) >= 2


# ---------------------------------------------------------------------------- Dutch amounts


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("5.000.000", 5_000_000.0),  # the old number input made this €5
        ("5000000,50", 5_000_000.5),  # ... and this €500.000.050
        ("€ 5.920.000", 5_920_000.0),
        ("5,2 mln", 5_200_000.0),
    ],
)
def test_budget_typed_the_dutch_way(app: AppTest, typed: str, expected: float) -> None:
    goto(app, "Formatie")
    submit_budget(app, typed)
    assert errors(app) == []
    assert app.session_state["scenario"].budget == pytest.approx(expected)
    metrics = {m.label: m.value for m in app.metric}
    used = app.session_state["result"].budget_used
    assert used == pytest.approx(expected, abs=1.0)  # the whole budget is used
    assert metrics["Budget gebruikt"] == optimize.format_amount(used)
    # the form shows the budget back in Dutch
    assert text_input(app, "Budgetplafond gemeente (€ per jaar)").value == (
        optimize.format_amount(expected, decimals=2 if expected % 1 else 0)
    )


def test_bad_budget_is_one_dutch_message_and_keeps_the_scenario(app: AppTest) -> None:
    goto(app, "Formatie")
    before = app.session_state["scenario"]
    submit_budget(app, "veel geld")
    assert any("Budgetplafond: 'veel geld' is geen bedrag" in e for e in errors(app))
    assert app.session_state["scenario"] == before


# ---------------------------------------------------------------------------- results first


def test_cells_show_hours_and_the_difference_from_now(app: AppTest) -> None:
    goto(app, "Formatie")
    submit_budget(app, 4_500_000.0)
    result = app.session_state["result"]
    cells = formation_cells(app)
    hours = formation_table(app)
    # each cell: hours, then the difference with today's hours in brackets
    diff = result.wide("verschil_huidig")
    names = {d.key: d.naam for d in result.scenario.disciplines}
    team, key = "Meerwijk", "ggz"
    assert hours.loc[team, names[key]] == pytest.approx(result.formation.loc[team, key], abs=0.05)
    expected = f"{diff.loc[team, key]:+.1f}".replace(".", ",").replace("-", "−")
    assert cells.loc[team, names[key]].endswith(f"({expected})")
    # and a total per team
    assert "Totaal" in cells.columns


def test_headline_figures_do_not_contradict(app: AppTest) -> None:
    goto(app, "Formatie")
    metrics = {m.label: m.value for m in app.metric}
    result = app.session_state["result"]
    by_budget, by_bounds = optimize.shortfall_split(result)
    # the default budget pays all the bounds allow: 0% by budget, the rest by the bounds
    assert metrics["Grootste tekort (budget)"] == "0%"
    assert metrics["Tekort door budget"] == "0,0 uur"
    assert metrics["Tekort door grenzen"] == f"{by_bounds:.1f} uur".replace(".", ",")
    assert by_budget + by_bounds == pytest.approx(result.totaal_tekort, abs=0.01)
    assert "Totaal tekort (uur/week)" not in metrics  # the old, contradicting pair
    # with less budget the budget's part appears
    submit_budget(app, 4_500_000.0)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Grootste tekort (budget)"] != "0%"


def test_form_is_in_the_sidebar_and_mode_in_words(app: AppTest) -> None:
    goto(app, "Formatie")
    assert [t.label for t in app.sidebar.text_input] == ["Budgetplafond gemeente (€ per jaar)"]
    mode = next(r for r in app.sidebar.radio if r.label == "Rekenwijze")
    text = " ".join(map(str, mode.options))
    assert "Hele blokken en personen" in text
    assert "MILP" not in text
    assert "LP" not in text


# ---------------------------------------------------------------------------- Waarom?


def test_waarom_explains_meerwijk_against_centrum(app: AppTest) -> None:
    goto(app, "Formatie")
    next(s for s in app.selectbox if s.label == "Team").set_value("Meerwijk").run()
    next(s for s in app.selectbox if s.label == "Discipline").set_value("ggz").run()
    next(s for s in app.selectbox if s.label == "Vergelijk met").set_value(
        "Centrum & Rozenprieel"
    ).run()
    assert not app.exception
    frames = [d.value for d in app.dataframe]
    themes = next(f for f in frames if "complexiteitsfactor" in f.columns)
    discs = next(f for f in frames if "uur per 1.000 inwoners" in f.columns)
    assert "index (100 = gemiddeld)" in themes.columns
    assert "complexiteitsfactor" in themes.columns
    # Meerwijk's psychosociaal rate is far above the city's
    assert themes.loc["Psychosociale problemen", "index (100 = gemiddeld)"] > 120
    assert "psychosociaal" not in themes.index  # Dutch labels, not raw keys
    ggz = discs.set_index("discipline").loc["Expertise GGZ"]
    assert ggz["uur per 1.000 inwoners"] > ggz["idem gemeente"]  # more per inhabitant ...
    need = app.session_state["result"]
    assert ggz["toegekend (uur)"] == pytest.approx(need.formation.loc["Meerwijk", "ggz"])
    text = " ".join(i.value for i in app.info)
    # ... but fewer inhabitants: the answer to "why less GGZ than Centrum"
    assert "9.195 inwoners" in text
    assert "27.840" in text
    assert "Per 1.000 inwoners" in text


# ---------------------------------------------------------------------------- budget curve


def test_budget_curve_marks_the_current_budget_with_dutch_numbers(app: AppTest) -> None:
    goto(app, "Formatie")
    button(app, "Budgetcurve berekenen").click()
    app.run()
    assert not app.exception
    charts = app.get("vega_lite_chart")
    assert len(charts) == 2
    spec = charts[0].proto.spec
    assert '"decimal": ","' in spec.replace('":","', '": ","') or '"decimal":","' in spec
    assert "huidig budget" in spec
    assert pd.notna(app.session_state["scenario"].budget)


def test_totals_show_dutch_names_not_raw_keys(app: AppTest) -> None:
    goto(app, "Formatie")
    frames = [d.value for d in app.dataframe]
    discs = next(f for f in frames if "gelijk verdeeld (uren)" in f.columns)
    assert "Maatschappelijk werk" in discs.index
    assert "maatschappelijk_werk" not in discs.index  # the old table showed the keys
    teams = next(f for f in frames if "tekort (uren)" in f.columns)
    assert "doel_uren" not in teams.columns


def test_headline_says_what_the_largest_shortfall_means(app: AppTest) -> None:
    goto(app, "Formatie")
    submit_budget(app, 5_000_000.0)
    result = app.session_state["result"]
    by_budget, by_bounds = optimize.shortfall_split(result)
    sentence = next(c.value for c in app.caption if c.value.startswith("Grootste tekort"))
    assert f"Grootste tekort {optimize.pct(result.max_tekort)} = " in sentence
    assert "dat het budget niet betaalt" in sentence
    # the budget's part and the bounds' part are the two metrics next to it, same figures
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Tekort door budget"].split()[0] in sentence
    assert metrics["Tekort door grenzen"].split()[0] in sentence
    assert "per week buiten bereik" in sentence
    cover = result.team_totals()["dekking"]
    assert f"tot {optimize.pct(float(cover.max()))} per team" in sentence
    assert by_budget >= 0
    assert by_bounds >= 0
