"""Time as stored: naive UTC datetimes, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    """A stored UTC time in the machine's time zone, for people to read."""
    return moment.replace(tzinfo=UTC).astimezone()
