"""The closing-time check of one day, and its daily summary.

`close_day` finds every folder that was not back in the warehouse at the day's closing time and
raises "not returned at closing time" for each, naming its last holder. Several processes may
try at once (each bridge and the web server run `vault.services.closing_watch`; cron may run
`vault closing run`): the day's `ClosingRun` row is inserted in the same transaction as the
alarms, so the first to commit wins and the others find the row (or hit its primary key) and
write nothing.

Where each folder was at closing time is read from the custody log, not from its state now, so
a day caught up late (or a check that ran a minute after closing, while a folder came back)
names the folders that really were out then.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from peewee import JOIN, IntegrityError, fn

from vault.db.models import Alarm, ClosingRun, CustodyEvent, Folder, Person, database
from vault.domain import closing
from vault.domain.model import AlarmRule, Classification, FolderState, marking
from vault.services import audit, clock
from vault.services.clock import shown, utcnow
from vault.services.errors import VaultError
from vault.services.report import Report


@dataclass(frozen=True)
class Closed:
    """What one closing check did."""

    day: date
    not_returned: int
    alarm_ids: tuple[int, ...]


@dataclass(frozen=True)
class OutAtClosing:
    folder: Folder
    state: FolderState
    holder: str | None
    station: str | None


def close_day(day: date, closing_time: str, zone: tzinfo | None = None) -> Closed | None:
    """Run the closing check of a local `day` (zone None: the site's); None when some process
    has already run it."""
    if not closing_time:
        raise VaultError("no closing_time is configured, so there is no closing check to run")
    zone = zone if zone is not None else clock.zone()
    moment = closing.local_moment(day, closing.clock_time(closing_time), zone)
    try:
        with database.atomic():  # BEGIN IMMEDIATE on SQLite: the racers queue here
            if ClosingRun.get_or_none(ClosingRun.day == day) is not None:
                return None
            out = list(not_back_at(moment))
            ran_at = utcnow()
            ClosingRun.create(day=day, ran_at=ran_at, not_returned=len(out))
            ids = tuple(_raise(found, closing_time, ran_at).id for found in out)
            payload = {"day": day.isoformat(), "not_returned": len(out), "alarms": list(ids)}
            audit.record_note(audit.CLOSING, day.toordinal(), payload)
    except IntegrityError:  # another process inserted the day between our look and our insert
        return None
    return Closed(day, len(ids), ids)


def has_run(day: date) -> bool:
    return ClosingRun.get_or_none(ClosingRun.day == day) is not None


def not_back_at(moment: datetime) -> Iterator[OutAtClosing]:
    """Folders out of the warehouse at the stored time `moment`, in code order: those out now,
    and those that moved since (they may have been out then)."""
    moved = CustodyEvent.select(CustodyEvent.folder).where(
        CustodyEvent.at >= moment, CustodyEvent.state_after.is_null(False)
    )
    candidates = (
        Folder.select()
        .where(Folder.state.in_([s.value for s in closing.NOT_BACK]) | Folder.id.in_(moved))
        .order_by(Folder.code)
    )
    for folder in candidates:
        found = _at(folder, moment)
        if found is not None and found.state in closing.NOT_BACK:
            yield found


def _at(folder: Folder, moment: datetime) -> OutAtClosing | None:
    """Where the folder was at `moment`: the state its last recorded move before then left it
    in, with the holder and station of that move."""
    moves = CustodyEvent.select(CustodyEvent.state_after, Person.name, CustodyEvent.station).join(
        Person, JOIN.LEFT_OUTER, on=(CustodyEvent.person == Person.id)
    )
    moves = moves.where(CustodyEvent.folder == folder.id, CustodyEvent.state_after.is_null(False))
    last = moves.where(CustodyEvent.at < moment).order_by(
        CustodyEvent.at.desc(), CustodyEvent.id.desc()
    )
    row = last.tuples().first()
    if row is not None:
        state, holder, station = row
        return OutAtClosing(folder, FolderState(state), holder, station)
    if moves.where(CustodyEvent.at >= moment).exists():
        return None  # first moved after closing: it was still in its first place, on the shelf
    holder = folder.holder.name if folder.holder_id else None  # never read: as registered
    return OutAtClosing(folder, FolderState(folder.state), holder, None)


def _raise(found: OutAtClosing, closing_time: str, at: datetime) -> Alarm:
    folder = found.folder
    alarm = Alarm.create(
        at=at,  # the run's own time: the summary finds the run's alarms by it
        rule=AlarmRule.NOT_RETURNED.value,
        severity=closing.severity(Classification(folder.classification)).value,
        reason=closing.reason(closing_time, found.state, found.holder, found.station),
        code=folder.code,
        folder=folder,
        station=None,
        event=None,
    )
    audit.record(alarm)
    return alarm


SUMMARY_COLUMNS = (
    ("code", "folder"),
    ("title", "title"),
    ("marking", "marking"),
    ("holder", "last holder"),
    ("severity", "severity"),
    ("reason", "why"),
    ("acknowledged_at", "acknowledged at"),
    ("acknowledged_by", "acknowledged by"),
    ("note", "note"),
)


def summary(day: date) -> Report:
    """The daily summary: the folders the day's check found out, with their last holder and
    whether the guard room has acknowledged each alarm."""
    title = f"Folders not returned at closing time on {day.isoformat()}"
    run = ClosingRun.get_or_none(ClosingRun.day == day)
    if run is None:
        lines = [f"No closing check was run on {day.isoformat()}."]
        return Report(title, lines, SUMMARY_COLUMNS, [], name=f"closing-{day.isoformat()}")
    # Counted by the database and the rows read as they are shown: a day thousands of folders
    # were out must not be read whole to show the page's first rows.
    counted = Alarm.select(fn.COUNT(Alarm.id), fn.COUNT(Alarm.acknowledged_at))
    raised, acknowledged = _of_run(counted, run).tuples().get()
    return Report(
        title,
        [f"Closing check run at {shown(run.ran_at)}"],
        SUMMARY_COLUMNS,
        _summary_rows(run),
        [
            f"Not returned: {raised}",
            f"Acknowledged: {acknowledged}",
            f"Still open: {raised - acknowledged}",
        ],
        name=f"closing-{day.isoformat()}",
    )


def _of_run(query, run: ClosingRun):
    return query.where(Alarm.rule == AlarmRule.NOT_RETURNED.value, Alarm.at == run.ran_at)


def _summary_rows(run: ClosingRun) -> Iterator[dict]:
    query = _of_run(
        Alarm.select(
            Alarm.code, Folder.title, Folder.classification, Folder.retention, Alarm.severity,
            Alarm.reason, Alarm.acknowledged_at, Alarm.acknowledged_by, Alarm.acknowledged_note,
        ).join(Folder, JOIN.LEFT_OUTER),
        run,
    )  # fmt: skip
    for code, title, level, retention, severity, reason, at, by, note in (
        query.order_by(Alarm.code).tuples().iterator()
    ):
        yield {
            "code": code,
            "title": title or "",
            "marking": marking(Classification(level), retention) if level else "",
            "holder": closing.holder_named(reason),
            "severity": severity,
            "reason": reason,
            "acknowledged_at": shown(at),
            "acknowledged_by": by,
            "note": note,
        }
