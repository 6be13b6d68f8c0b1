"""Open alarms for the guard room, acknowledging them with a note, and the history of
acknowledged alarms (searchable, never deleted)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from peewee import JOIN, fn

from vault.db.models import Alarm, Folder, Person, database
from vault.domain.model import AlarmRule, Classification, marking
from vault.services import audit, clock
from vault.services.clock import utcnow
from vault.services.errors import VaultError


def open_alarms(limit: int = 500) -> list[dict]:
    """Open alarms, newest first, with what the guard needs to act on each.

    Read as plain rows, not model instances: the board asks for this on every change and for
    every screen watching it, and building three objects per row cost more than the query."""
    query = (
        Alarm.select(
            Alarm.id,
            Alarm.at,
            Alarm.rule,
            Alarm.severity,
            Alarm.reason,
            Alarm.code,
            Alarm.station,
            Folder.code,
            Folder.title,
            Folder.classification,
            Folder.retention,
            Person.name,
        )
        .join(Folder, JOIN.LEFT_OUTER)
        .join(Person, JOIN.LEFT_OUTER, on=(Folder.holder == Person.id))
        .where(Alarm.acknowledged_at.is_null())
        .order_by(Alarm.id.desc())
        .limit(limit)
        .tuples()
    )
    return [_as_dict(*row) for row in query]


def _as_dict(
    alarm_id,
    at,
    rule,
    severity,
    reason,
    read,
    station,
    code,
    title,
    classification,
    retention,
    holder,
) -> dict:
    level = Classification(classification) if classification else None
    return {
        "id": alarm_id,
        "at": clock.shown(at),
        "rule": rule,
        "severity": severity,
        "reason": reason,
        "code": code or read,  # a tag read still names the folder
        "read": read,  # what the device read: a label with its generation, or a tag
        "title": title or "",
        "classification": level.value if level else "",
        "marking": marking(level, retention) if level else "",
        "station": station or "",
        "holder": holder or "",
    }


def board_version() -> tuple[int, int]:
    """Changes whenever an alarm is raised or acknowledged: (newest id, open count)."""
    newest = Alarm.select(fn.MAX(Alarm.id)).scalar() or 0
    open_count = Alarm.select().where(Alarm.acknowledged_at.is_null()).count()
    return newest, open_count


def acknowledge(alarm_id: int, note: str, by: str) -> None:
    if not note.strip():
        raise VaultError("write a note saying what was done before acknowledging the alarm")
    with database.atomic():
        alarm = Alarm.get_or_none(Alarm.id == alarm_id)
        if alarm is None:
            raise VaultError(f"there is no alarm {alarm_id}")
        if alarm.acknowledged_at is not None:
            raise VaultError(f"alarm {alarm_id} was already acknowledged")
        Alarm.update(  # only these columns: the database refuses any other change to an alarm
            acknowledged_at=utcnow(), acknowledged_by=by, acknowledged_note=note.strip()
        ).where(Alarm.id == alarm_id).execute()
        audit.record_ack(alarm.id)


@dataclass(frozen=True)
class HistoryQuery:
    """What the history page asks for: words to find, a rule, local dates (inclusive)."""

    text: str = ""
    rule: str = ""
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class HistoryPage:
    rows: list[dict]
    next_before: int | None  # where the next (older) page starts; None: nothing older
    searched_to: int | None = None  # a search stopped early: it looked back to this alarm only


# A text search tests every alarm it passes (a code, a title, a note may hold the words), so
# one page looks through at most this many alarms, newest first; "older" goes on from there.
# Years of alarms then cost a page what a month does.
SEARCH_WINDOW = 1_000
SEARCH_PER_PAGE = 3_000
EXPORT_WINDOW = 20_000  # the export reads everything; bigger windows, fewer queries


def history(query: HistoryQuery, before: int | None = None, limit: int = 50) -> list[dict]:
    """Acknowledged alarms, newest first, `limit` at a time (see `history_page`)."""
    return history_page(query, before, limit).rows


def history_page(
    query: HistoryQuery, before: int | None = None, limit: int = 50, export: bool = False
) -> HistoryPage:
    """A page of acknowledged alarms, newest first: the next page starts before the last one
    shown (keyset, so a page deep in years of alarms costs what the first one does). A search
    for words looks through SEARCH_PER_PAGE alarms at most, and may come back with fewer rows
    than `limit` but a place to go on from. The export (`export`) looks back without bound, in
    bigger windows."""
    select = _history_select(query)
    if not query.text.strip():
        if before is not None:
            select = select.where(Alarm.id < before)
        rows = [_history_dict(alarm) for alarm in select.limit(limit + 1)]
        return HistoryPage(rows[:limit], rows[limit - 1]["id"] if len(rows) > limit else None)
    top = before if before is not None else (Alarm.select(fn.MAX(Alarm.id)).scalar() or 0) + 1
    found: list[dict] = []
    low = top
    look_back, step = (None, EXPORT_WINDOW) if export else (SEARCH_PER_PAGE, SEARCH_WINDOW)
    while low > 1 and (look_back is None or top - low < look_back):
        high, low = low, max(low - step, 1)
        window = select.where(Alarm.id < high, Alarm.id >= low).limit(limit + 1 - len(found))
        found += [_history_dict(alarm) for alarm in window]
        if len(found) > limit:
            return HistoryPage(found[:limit], found[limit - 1]["id"])
    if low <= 1:
        return HistoryPage(found, None)
    return HistoryPage(found, low, searched_to=low)


def history_all(query: HistoryQuery, batch: int = 1000) -> Iterator[dict]:
    """Every acknowledged alarm the query finds, newest first, fetched in batches (the export)."""
    before = None
    while True:
        page = history_page(query, before, batch, export=True)
        yield from page.rows
        if page.next_before is None:
            return
        before = page.next_before


def alarm_rules() -> list[str]:
    """The rules an alarm can be raised by, for the history page's choice (from the rules
    themselves: asking the table which it holds would read every alarm on every page)."""
    return sorted(rule.value for rule in AlarmRule)


def _history_select(query: HistoryQuery):
    select = (
        Alarm.select(Alarm, Folder, Person)
        .join(Folder, JOIN.LEFT_OUTER)
        .join(Person, JOIN.LEFT_OUTER, on=(Folder.holder == Person.id))
        # Through COALESCE: walked in id order, SQLite would otherwise take the acknowledged
        # index and sort every acknowledged alarm to show the newest fifty.
        .where(fn.COALESCE(Alarm.acknowledged_at, None).is_null(False))
        .order_by(Alarm.id.desc())
    )
    text = query.text.strip()
    if text:
        select = select.where(
            Alarm.code.contains(text)
            | Folder.code.contains(text)
            | Folder.title.contains(text)
            | Alarm.acknowledged_note.contains(text)
            | Alarm.acknowledged_by.contains(text)
        )
    if query.rule:
        select = select.where(Alarm.rule == query.rule)
    if query.start:
        select = select.where(Alarm.at >= _utc_midnight(query.start))
    if query.end:
        select = select.where(Alarm.at < _utc_midnight(query.end + timedelta(days=1)))
    return select


def _utc_midnight(day: date) -> datetime:
    """The start of a day in the site's calendar as a stored (naive UTC) time."""
    midnight = datetime.combine(day, time(), tzinfo=clock.zone())
    return midnight.astimezone(UTC).replace(tzinfo=None)


def _history_dict(alarm: Alarm) -> dict:
    folder = alarm.folder if alarm.folder_id else None
    row = _as_dict(
        alarm.id,
        alarm.at,
        alarm.rule,
        alarm.severity,
        alarm.reason,
        alarm.code,
        alarm.station_id,
        *(
            (folder.code, folder.title, folder.classification, folder.retention)
            if folder
            else (None, None, None, None)
        ),
        folder.holder.name if folder and folder.holder_id else None,
    )
    row["acknowledged_at"] = clock.shown(alarm.acknowledged_at)
    row["acknowledged_by"] = alarm.acknowledged_by
    row["note"] = alarm.acknowledged_note
    return row
