"""The opening hours in the configuration: optional, written "HH:MM", checked at load."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from vault.config import ConfigError, parse

PATH = Path("/srv/vault/vault.toml")


def test_the_hours_are_optional_and_kept_as_written():
    assert (parse({}, PATH).opening_time, parse({}, PATH).closing_time) == ("", "")
    config = parse({"opening_time": "08:30", "closing_time": "17:30"}, PATH)
    assert (config.opening_time, config.closing_time) == ("08:30", "17:30")


def test_a_toml_time_of_day_is_taken_too():
    assert parse({"closing_time": time(17, 30)}, PATH).closing_time == "17:30"


@pytest.mark.parametrize("bad", ["8:30", "24:00", "17:60", "17.30", 1730, time(17, 30, 15)])
def test_anything_else_is_refused_with_the_form_to_write(bad):
    with pytest.raises(ConfigError, match='closing_time must be a time of day written "HH:MM"'):
        parse({"closing_time": bad}, PATH)
