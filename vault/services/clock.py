"""Time as stored: naive UTC datetimes, the same on SQLite and PostgreSQL; shown and dated in
the site's time zone.

The site's zone is the configuration's `timezone` (e.g. "Asia/Shanghai"), set once when the
configuration is loaded (`vault.cli.main`, `vault.web.app.create_app`); until then, and when the
configuration names none, it is the machine's own local zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

_zone: tzinfo | None = None  # None: the machine's local zone


def set_zone(zone: tzinfo | None) -> None:
    """The site's time zone for every local time and date from now on (None: the machine's)."""
    global _zone
    _zone = zone


def zone() -> tzinfo | None:
    return _zone


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    """A stored UTC time in the site's time zone, for people to read."""
    return moment.replace(tzinfo=UTC).astimezone(_zone)


def today() -> date:
    """Today's date in the site's calendar (what a request's valid_from/until are written in)."""
    return to_local(utcnow()).date()


def shown(moment: datetime | None) -> str:
    """A stored UTC time as pages, lists and exports print it: site-local, to the second."""
    return to_local(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""
