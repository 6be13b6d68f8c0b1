"""The site's time zone: a stored UTC time is shown (and dated) in the zone the configuration
names, whatever the machine's own TZ says; without one, in the machine's zone."""

from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from vault.config import ConfigError, parse
from vault.services import clock
from vault.web.render import when

NEW_YEAR_UTC = datetime(2024, 1, 1, 0, 30)  # 08:30 in Shanghai, 19:30 the day before in New York


@pytest.fixture
def machine_zone():
    """Set the machine's TZ for the test; the site zone and TZ are put back afterwards."""
    before_zone, before_tz = clock.zone(), os.environ.get("TZ")

    def set_tz(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield set_tz
    clock.set_zone(before_zone)
    if before_tz is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before_tz
    time.tzset()


@pytest.mark.parametrize("machine", ["UTC", "America/New_York", "Asia/Shanghai", "Europe/Berlin"])
def test_a_utc_time_is_shown_in_the_site_zone_whatever_the_machines_tz(machine_zone, machine):
    machine_zone(machine)
    clock.set_zone(ZoneInfo("Asia/Shanghai"))
    local = clock.to_local(NEW_YEAR_UTC)
    assert (local.date().isoformat(), local.hour, local.minute) == ("2024-01-01", 8, 30)
    assert when(NEW_YEAR_UTC) == "2024-01-01 08:30:00"
    assert when(None) == ""


def test_without_a_site_zone_the_machines_zone_is_used(machine_zone):
    machine_zone("America/New_York")
    clock.set_zone(None)
    assert when(NEW_YEAR_UTC) == "2023-12-31 19:30:00"


def test_today_is_the_site_calendars(machine_zone):
    machine_zone("UTC")
    for name in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):  # UTC+14 and UTC-11: 25 h apart
        clock.set_zone(ZoneInfo(name))
        assert clock.today() == datetime.now(ZoneInfo(name)).date()


def config_with(text: str):
    import tomllib

    return parse(tomllib.loads(text), Path("/site/vault.toml"))


def test_the_configuration_names_the_zone():
    assert config_with('timezone = "Asia/Shanghai"').zone == ZoneInfo("Asia/Shanghai")
    assert config_with('site_name = "x"').zone is None  # the machine's own
    assert config_with('timezone = ""').timezone == ""


@pytest.mark.parametrize(
    "value", ['"Mars/Olympus_Mons"', '"Asia"', '"../etc/passwd"', "8", '"+08:00"']
)
def test_a_zone_that_is_not_an_iana_name_is_refused(value):
    with pytest.raises(ConfigError, match="IANA time zone"):
        config_with(f"timezone = {value}")
