"""Barcode text with the label generation: composing and reading it back."""

import pytest

from vault.domain.labelcode import LabelCode, compose, parse


@pytest.mark.parametrize(
    ("generation", "text"),
    [
        (1, "WC-TJ-2002-0137+1"),
        (9, "WC-TJ-2002-0137+9"),
        (10, "WC-TJ-2002-0137+A"),
        (35, "WC-TJ-2002-0137+Z"),
        (36, "WC-TJ-2002-0137+10"),
        (1295, "WC-TJ-2002-0137+ZZ"),
    ],
)
def test_generations_round_trip(generation, text):
    assert compose("WC-TJ-2002-0137", generation) == text
    assert parse(text) == LabelCode("WC-TJ-2002-0137", generation)


def test_a_bare_code_is_a_first_generation_label():
    assert parse(" WC-TJ-2002-0137 ") == LabelCode("WC-TJ-2002-0137", 1)


@pytest.mark.parametrize("text", ["WC-TJ-2002-0137+", "WC-TJ-2002-0137+2x!", "WC+0"])
def test_an_unreadable_generation_is_none(text):
    assert parse(text).generation is None


def test_codes_with_dots_and_slashes_keep_them():
    assert parse("A/1.2-3+4") == LabelCode("A/1.2-3", 4)


def test_generation_zero_is_refused():
    with pytest.raises(ValueError, match="1 or more"):
        compose("A", 0)
