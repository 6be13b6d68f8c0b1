"""Open alarms for the guard room, and acknowledging them with a note."""

from __future__ import annotations

from peewee import JOIN, fn

from vault.db.models import Alarm, Folder, Person, database
from vault.domain.model import Classification, marking
from vault.services.clock import to_local, utcnow
from vault.services.errors import VaultError


def open_alarms(limit: int = 500) -> list[dict]:
    """Open alarms, newest first, with what the guard needs to act on each."""
    query = (
        Alarm.select(Alarm, Folder, Person)
        .join(Folder, JOIN.LEFT_OUTER)
        .join(Person, JOIN.LEFT_OUTER, on=(Folder.holder == Person.id))
        .where(Alarm.acknowledged_at.is_null())
        .order_by(Alarm.id.desc())
        .limit(limit)
    )
    return [_as_dict(alarm) for alarm in query]


def _as_dict(alarm: Alarm) -> dict:
    folder = alarm.folder if alarm.folder_id else None
    level = Classification(folder.classification) if folder else None
    return {
        "id": alarm.id,
        "at": to_local(alarm.at).strftime("%Y-%m-%d %H:%M:%S"),
        "rule": alarm.rule,
        "severity": alarm.severity,
        "reason": alarm.reason,
        "code": folder.code if folder else alarm.code,  # a tag read still names the folder
        "read": alarm.code,  # what the device read: a label with its generation, or a tag
        "title": folder.title if folder else "",
        "classification": level.value if level else "",
        "marking": marking(level, folder.retention) if level else "",
        "station": alarm.station_id or "",
        "holder": folder.holder.name if folder and folder.holder_id else "",
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
        alarm.acknowledged_at = utcnow()
        alarm.acknowledged_by = by
        alarm.acknowledged_note = note.strip()
        alarm.save()
