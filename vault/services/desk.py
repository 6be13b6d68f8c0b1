"""The reading-room desk: an archivist scans folders to issue them to a named reader and to take
them back. The scan is a custody read like any other (the same rules decide it); the answer
says at once what happened to the folder, or why the desk refused it.

Serial desk scanners go through the bridge and issue to the reader the request approves; the
desk page names the reader the archivist is serving, so a folder offered to anybody else is
refused (and, for an issue, alarmed).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from vault.db.models import Folder, Person, Station
from vault.domain import labelcode
from vault.domain.model import Classification, Read, StationKind, marking
from vault.services.clock import utcnow
from vault.services.custody import record_read
from vault.services.errors import VaultError


@dataclass(frozen=True)
class DeskAnswer:
    code: str  # the folder's code (or what was scanned, when nobody registered it)
    accepted: bool
    event: str  # issued, checked_in, refused, void_label, unknown_code, …
    message: str  # what the archivist reads: the refusal, or what happened
    title: str = ""
    marking: str = ""
    state: str = ""
    holder: str = ""
    alarm_ids: tuple[int, ...] = ()


ACCEPTED = {"issued", "checked_in", "left_warehouse", "returned_to_warehouse"}


def desk_station(station_id: str) -> Station:
    station = Station.get_or_none(Station.id == station_id)
    if station is None or station.kind != StationKind.READING_DESK.value:
        raise VaultError(f"{station_id!r} is not a reading-room desk station")
    return station


def readers() -> list[str]:
    """People who hold or have requested folders: the names the desk can pick from."""
    return [p.name for p in Person.select().where(Person.role == "reader").order_by(Person.name)]


def scan(station_id: str, text: str, reader: str | None) -> DeskAnswer:
    """Record one desk scan and say what it did."""
    text = text.strip()
    if not text:
        raise VaultError("nothing was scanned")
    desk_station(station_id)
    read = Read(
        station_id,
        StationKind.READING_DESK,
        text,
        utcnow(),
        text.encode("utf-8"),
        reader=reader or None,
    )
    recorded = record_read(read, f"desk-{uuid.uuid4()}")
    folder = Folder.get_or_none(Folder.code == labelcode.parse(text).code)
    if folder is None:
        return DeskAnswer(text, False, recorded.event_kind, "not in the register")
    level = Classification(folder.classification)
    holder = folder.holder.name if folder.holder_id else ""
    accepted = recorded.event_kind in ACCEPTED
    message = recorded.refusal or _done(recorded.event_kind, holder)
    return DeskAnswer(
        folder.code,
        accepted,
        recorded.event_kind,
        message,
        folder.title,
        marking(level, folder.retention),
        folder.state,
        holder,
        recorded.alarm_ids,
    )


def _done(event: str, holder: str) -> str:
    return {
        "issued": f"issued to {holder}",
        "checked_in": "taken back at the desk",
    }.get(event, event.replace("_", " "))
