"""Scenario files: the Haarlem default, round trips and every validation message."""

from __future__ import annotations

import pytest

import optimize
from optimize import ValidationError, load_scenario, parse_scenario, scenario_to_toml

MINIMAL = """
naam = "klein"
budget = 100000
[discipline.ggz]
kosten_per_uur = 2000
huidig = 24
min_uren = 8
max_uren = 48
behoefte = { psychosociaal = 1.0 }
"""


def test_default_reproduces_domain_figures():
    s = load_scenario()
    assert len(s.disciplines) == 11
    # Bijlage 1: 448,000 / (8 teams x 24 h) and 320,000 / (8 x 18 h); 1,280,000 / 8 / 46.8 h
    assert s.discipline("ggz").kosten_per_uur == pytest.approx(448_000 / (8 * 24), abs=0.01)
    assert s.discipline("opbouwwerk").kosten_per_uur == pytest.approx(320_000 / 144, abs=0.01)
    assert s.discipline("maatschappelijk_werk").kosten_per_uur == pytest.approx(
        1_280_000 / 8 / 46.8, abs=0.01
    )
    # municipal personnel lines of Bijlage 1 (all but wijkverpleegkunde), scaled to ten teams
    personnel = 7 * 448_000 + 1_280_000 + 320_000
    assert s.budget == pytest.approx(personnel / 8 * 10)
    assert s.discipline("wijkverpleging").gefinancierd_door == "Zvw"
    verplicht = {d.key for d in s.disciplines if d.verplicht}
    assert verplicht == {"werk_inkomen", "schulddienstverlening", "wmo"}
    uniform_cost = sum(d.kosten_per_uur * d.huidig for d in s.disciplines if d.municipal)
    assert uniform_cost * 10 <= s.budget <= uniform_cost * 10 + 10
    assert [p.jaar for p in s.fasen] == [2017, 2018, 2019]


def test_toml_round_trip():
    s = load_scenario()
    assert parse_scenario(scenario_to_toml(s)) == s
    variant = s.replace(budget=1.0, vastgezet={"Meerwijk": {"ggz": 30.0}})
    assert parse_scenario(scenario_to_toml(variant)) == variant


def test_minimal_file_gets_defaults():
    s = parse_scenario(MINIMAL)
    assert s.disciplines[0].naam == "ggz"
    assert s.min_personen is None
    assert s.max_wijziging == 0.5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("budget = 100000", "budget = -5"), r"budget: verwacht tussen 0 en 1e\+10, gevonden -5"),
        (("budget = 100000", "budget = 1e15"), r"budget: verwacht tussen .* gevonden 1e\+15"),
        (("budget = 100000", 'budget = "veel"'), r"budget: verwacht een getal, gevonden 'veel'"),
        (("psychosociaal = 1.0", "psychosociaal = nan"), r"behoefte.psychosociaal: .*eindig"),
        (("psychosociaal = 1.0", "psychosociaal = -1.0"), r"behoefte.psychosociaal: .*-1"),
        (("min_uren = 8", "min_uren = 60"), r"discipline.ggz: min_uren \(60\) is groter dan"),
        (('naam = "klein"', 'naam = "klein"\nbudgett = 5'), r"onbekende sleutel 'budgett'"),
        (("huidig = 24\n", ""), r"discipline.ggz: ontbrekende sleutel\(s\) huidig"),
        (("kosten_per_uur = 2000", "kosten_per_uur = inf"), r"kosten_per_uur: .*eindig"),
        (('naam = "klein"', "[[[kapot"), r"geen geldige TOML"),
    ],
)
def test_validation_names_key_and_value(change, message):
    old, new = change
    text = MINIMAL.replace(old, new)
    with pytest.raises(ValidationError, match=message):
        parse_scenario(text, source="s.toml")


def test_all_problems_in_one_message():
    text = MINIMAL.replace("budget = 100000", "budget = -1").replace(
        "min_uren = 8", "min_uren = 99"
    )
    with pytest.raises(ValidationError, match=r"budget: .*; discipline.ggz: min_uren"):
        parse_scenario(text)


def test_unknown_discipline_in_pins_and_empty_file(tmp_path):
    with pytest.raises(ValidationError, match=r"vastgezet.Meerwijk.yoga: onbekende discipline"):
        parse_scenario(MINIMAL + "\n[vastgezet.Meerwijk]\nyoga = 4\n")
    empty = tmp_path / "leeg.toml"
    empty.write_text("")
    with pytest.raises(ValidationError, match=r"leeg.toml: leeg scenariobestand"):
        load_scenario(empty)
    with pytest.raises(ValidationError, match=r"kan scenario niet lezen"):
        load_scenario(tmp_path / "bestaat-niet.toml")
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00naam")
    with pytest.raises(ValidationError, match=r"geen UTF-8"):
        load_scenario(binary)


def test_replace_validates_and_unknown_discipline():
    s = load_scenario()
    with pytest.raises(ValidationError, match="budget"):
        s.replace(budget=float("nan"))
    with pytest.raises(ValidationError, match="onbekende discipline 'yoga'"):
        s.with_discipline("yoga", min_uren=1)
    with pytest.raises(ValidationError, match=r"min_personen \(20\) is groter dan max_personen"):
        s.replace(min_personen=20)


def test_unknown_theme_in_need_is_named(haarlem_need):
    s = load_scenario().with_discipline("ggz", behoefte={"astrologie": 1.0})
    with pytest.raises(ValidationError, match=r"discipline.ggz.behoefte: onbekend thema"):
        optimize.need_targets(haarlem_need, s)
    bad = haarlem_need.copy()
    bad.loc[bad.index[0], "financieel"] = float("nan")
    with pytest.raises(ValidationError, match=r"behoefte.financieel: ontbrekende of negatieve"):
        optimize.need_targets(bad, load_scenario())


def test_themes_are_the_sorted_union_of_the_discipline_weights():
    s = optimize.load_scenario()
    assert s.themes == sorted(set(s.themes))
    assert set(s.themes) == {t for d in s.disciplines for t in d.behoefte}
    assert "financieel" in s.themes
