"""Typed validation of raw scenario TOML (issue 12): the key and the value are named."""

from __future__ import annotations

import warnings

import pytest

import optimize
from optimize.scenario import DEFAULT_SCENARIO

TEXT = DEFAULT_SCENARIO.read_text(encoding="utf-8")


def test_a_truthy_string_is_not_a_boolean() -> None:
    with pytest.raises(optimize.ValidationError, match=r"werk_inkomen\.verplicht: verwacht true"):
        optimize.parse_scenario(TEXT.replace("verplicht = true", 'verplicht = "nee"', 1))


def test_funder_in_another_case_stays_inside_the_ceiling_with_a_warning() -> None:
    moved = TEXT.replace(
        'organisatie = "Kontext"', 'organisatie = "Kontext"\ngefinancierd_door = "Gemeente"'
    )
    with pytest.warns(UserWarning, match="'Gemeente' gelezen als 'gemeente'"):
        s = optimize.parse_scenario(moved)
    assert s.discipline("maatschappelijk_werk").municipal


def test_own_funders_without_budget_are_still_allowed_silently() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = optimize.parse_scenario(TEXT)
    assert s.discipline("cjg_coach").gefinancierd_door == "CJG"


def test_deep_nesting_is_an_error_not_a_recursion_error() -> None:
    with pytest.raises(optimize.ValidationError, match="te diep genest"):
        optimize.parse_scenario("a = " + "[" * 3000 + "]" * 3000)


def test_replace_checks_types_too() -> None:
    s = optimize.load_scenario()
    with pytest.raises(optimize.ValidationError, match=r"wmo\.verplicht: verwacht true of false"):
        s.with_discipline("wmo", verplicht="ja")
    with pytest.raises(optimize.ValidationError, match="naam: verwacht tekst, gevonden 5"):
        s.replace(naam=5)
