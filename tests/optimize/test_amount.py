"""The Dutch amount parser shared by the app and the command line (issue 10, point 1)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimize import ValidationError, format_amount, parse_amount

# deterministic in CI: the same examples on every run
DETERMINISTIC = settings(derandomize=True, deadline=None, max_examples=200)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5.000.000", 5_000_000.0),  # the old app read this as €5
        ("5000000", 5_000_000.0),
        ("€ 5.920.000", 5_920_000.0),
        ("€5.920.000", 5_920_000.0),
        ("€ 5.920.000,-", 5_920_000.0),
        ("5,92 mln", 5_920_000.0),
        ("5,92 miljoen", 5_920_000.0),
        ("5.92 mln", 5_920_000.0),
        ("5000000,50", 5_000_000.5),  # the old app read this as €500.000.050
        ("5.000.000,50", 5_000_000.5),
        ("5_920_000", 5_920_000.0),
        ("5 920 000", 5_920_000.0),
        ("750 k", 750_000.0),
        ("EUR 1.000", 1_000.0),
        ("5.000", 5_000.0),  # a dot before three digits groups thousands
        ("0", 0.0),
    ],
)
def test_dutch_amounts(text: str, expected: float) -> None:
    assert parse_amount(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("veel", "'veel' is geen bedrag in euro's"),
        ("5,920,000", "duizendtallen met een punt"),
        ("-5000", "0 of groter"),
        ("", "geen bedrag"),
        ("5.5.5", "geen bedrag"),
        ("5 mln 3", "geen bedrag"),
    ],
)
def test_bad_amounts_are_one_dutch_message(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_amount(text, name="budget")


def test_message_names_the_field() -> None:
    with pytest.raises(ValidationError, match=r"^budget: 'x' is geen bedrag"):
        parse_amount("x", name="budget")


def test_format_amount_is_dutch_with_a_space_after_the_euro_sign() -> None:
    assert format_amount(5_920_000) == "€ 5.920.000"
    assert format_amount(4_999_925.199999999) == "€ 4.999.925"
    assert format_amount(2333.333, decimals=2) == "€ 2.333,33"
    assert format_amount(-12_500) == "−€ 12.500"


@DETERMINISTIC
@given(st.integers(min_value=0, max_value=10**12))
def test_what_is_shown_reads_back_as_the_same_amount(value: int) -> None:
    assert parse_amount(format_amount(value)) == value


@DETERMINISTIC
@given(st.integers(min_value=0, max_value=10**10), st.integers(min_value=0, max_value=99))
def test_cents_after_a_comma(euros: int, cents: int) -> None:
    text = f"{euros},{cents:02d}"
    assert parse_amount(text) == pytest.approx(euros + cents / 100)
    assert parse_amount(format_amount(euros + cents / 100, decimals=2)) == pytest.approx(
        euros + cents / 100
    )


@pytest.mark.parametrize("text", ["nan", "1e400", "-5", "inf"])
def test_not_finite_or_negative_is_refused_with_the_cli_message(text: str) -> None:
    # the same one-line message the command line gave before the parser was shared
    with pytest.raises(ValidationError, match=rf"^'{text}': bedrag moet 0 of groter zijn$"):
        parse_amount(text, name="")
