"""Closing time (DESIGN.md rule 4): when the day's check is due, and what its alarm says.

At the configured closing time every folder not back in the warehouse raises "not returned at
closing time", naming who had it last. This module holds the plain-value part of that: the
moment a local day closes (as a stored, naive UTC time), whether a check is due now, which
states count as "not back", and the alarm's severity and sentence. The service
(`vault.services.closing`) reads the database and writes the alarms.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo

from vault.domain.model import Classification, FolderState, Severity

_HELD_BY = "; last held by "  # the words `holder_named` finds the holder after
NOT_BACK = (FolderState.IN_READING_ROOM, FolderState.ISSUED, FolderState.OUTSIDE)
# The state as the alarm's sentence says it (the same words the pages use for the states).
STATE_WORDS = {
    FolderState.IN_READING_ROOM: "in the reading room",
    FolderState.ISSUED: "issued",
    FolderState.OUTSIDE: "outside",
}


def clock_time(text: str) -> time:
    """ "17:30" as a time of day (the configuration has checked the form already)."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def local_moment(day: date, at: time, zone: tzinfo | None) -> datetime:
    """A local day and time of day as a stored time (naive UTC); zone None: the machine's."""
    local = datetime.combine(day, at, tzinfo=zone)
    return local.astimezone(UTC).replace(tzinfo=None)


def day_bounds(day: date, zone: tzinfo | None) -> tuple[datetime, datetime]:
    """The stored times [start, end) of a local calendar day (a DST day is 23 or 25 hours)."""
    following = date.fromordinal(day.toordinal() + 1)
    return local_moment(day, time(), zone), local_moment(following, time(), zone)


def local_day(moment: datetime, zone: tzinfo | None) -> date:
    """The local calendar day of a stored (naive UTC) time."""
    return moment.replace(tzinfo=UTC).astimezone(zone).date()


def due(now: datetime, closing_time: str, zone: tzinfo | None) -> date | None:
    """The local day whose closing check is due at the stored time `now`: today once its
    closing time has come, else None (yesterday's is never run late by the watch: a day that
    was missed is caught up by hand, `vault closing run --day`)."""
    if not closing_time:
        return None
    local = now.replace(tzinfo=UTC).astimezone(zone)
    if local.time() >= clock_time(closing_time):
        return local.date()
    return None


def severity(classification: Classification) -> Severity:
    """A "three secrets" folder out after closing is critical; any other, a warning."""
    return Severity.CRITICAL if classification.is_classified else Severity.WARNING


def reason(closing_time: str, state: FolderState, holder: str | None, station: str | None) -> str:
    """The alarm's sentence: closing time, then the last holder, or where it was last read."""
    said = f"not back in the warehouse at closing time {closing_time}"
    words = STATE_WORDS.get(state, state.value)
    if holder:
        return f"{said}{_HELD_BY}{holder} ({words})"
    if station:
        return f"{said}; last read at {station} ({words})"
    return f"{said}; no read recorded ({words})"


def holder_named(said: str) -> str:
    """The last holder an alarm's sentence (`reason`) names, or "" when it names none."""
    _, found, rest = said.partition(_HELD_BY)
    return rest.rpartition(" (")[0] if found else ""
