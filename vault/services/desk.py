"""The reading-room desk: an archivist scans folders to issue them to a named reader and to take
them back. The scan is a custody read like any other (the same rules decide it); the answer
says at once what happened to the folder, or why the desk refused it.

Serial desk scanners go through the bridge and issue to the reader the request approves; the
desk page names the reader the archivist is serving, so a folder offered to anybody else is
refused (and, for an issue, alarmed). The desk page also shows the serial scanner's scans
(`serial_answers`), so both scanners of one desk feed one list.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from peewee import JOIN, fn

from vault.db.models import (
    Alarm,
    CustodyEvent,
    Folder,
    Person,
    Station,
)
from vault.domain import labelcode
from vault.domain.access import Role
from vault.domain.approvals import witness_problem
from vault.domain.model import Classification, Read, StationKind, marking
from vault.services import accounts, policy
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
    needs_witness: bool = False  # refused until a second member of staff confirms the issue


ACCEPTED = {"issued", "checked_in", "left_warehouse", "returned_to_warehouse"}


def desk_station(station_id: str) -> Station:
    station = Station.get_or_none(Station.id == station_id)
    if station is None or station.kind != StationKind.READING_DESK.value:
        raise VaultError(f"{station_id!r} is not a reading-room desk station")
    return station


def readers() -> list[str]:
    """People who hold or have requested folders: the names the desk can pick from."""
    return [p.name for p in Person.select().where(Person.role == "reader").order_by(Person.name)]


def scan(
    station_id: str,
    text: str,
    reader: str | None,
    staff: str | None = None,
    witness: str | None = None,
) -> DeskAnswer:
    """Record one desk scan and say what it did. `staff` is the archivist signed in at the desk
    page; `witness` the second member of staff who confirmed the issue (`confirm_witness`)."""
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
        staff=staff,
        witness=witness,
    )
    recorded = record_read(read, f"desk-{uuid.uuid4()}")
    folder = Folder.get_or_none(Folder.code == labelcode.parse(text).code)
    if folder is None:
        return DeskAnswer(text, False, recorded.event_kind, "not in the register")
    level = Classification(folder.classification)
    holder = folder.holder.name if folder.holder_id else ""
    accepted = recorded.event_kind in ACCEPTED
    message = recorded.refusal or _done(recorded.event_kind, holder)
    lacking = witness_problem(policy.current(), level, staff, witness)
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
        needs_witness=recorded.refusal is not None and recorded.refusal == lacking,
    )


# Who may confirm an issue as the second member of staff: people who work with the folders.
WITNESS_ROLES = frozenset({Role.ARCHIVIST, Role.LEADER})


def confirm_witness(username: str, password: str, staff: str | None, at: str) -> str:
    """Check the second member of staff's own password at the desk; return their username.

    The password is checked as at sign-in (`accounts.confirm_password`): a wrong one counts as a
    failed sign-in of that account from `at`, the desk, so the desk cannot be used to guess one.
    """
    username = username.strip().lower()[:80]
    if not username or not password:
        raise VaultError("the second member of staff must give their username and password")
    if staff and username == staff:
        raise VaultError("the second member of staff must be someone other than the archivist")
    try:
        user, _ = accounts.confirm_password(username, password, at)
    except accounts.SignInRefused as refused:
        if refused.args[0] != accounts.WRONG:
            raise  # locked out for a while: the sign-in's own words say how long
        user = None
    if user is None or user.role not in WITNESS_ROLES:
        raise VaultError(
            "the second member of staff's username or password is not right, or they are not "
            "an active archivist or leader: nothing was issued"
        )
    return user.username


def _done(event: str, holder: str) -> str:
    return {
        "issued": f"issued to {holder}",
        "checked_in": "taken back at the desk",
    }.get(event, event.replace("_", " "))


# A reader's card carries this prefix before the reader's name, so one scanner serves both:
# the archivist scans the card ("READER:张华") and then the folders that reader asks for.
READER_CARD = "READER:"
SERIAL_LIMIT = 50  # serial scans sent to a desk page at once (a reconnect after a long gap)


def desk_stations() -> list[str]:
    """The reading-room desk stations, in the order the desk page offers them."""
    query = Station.select(Station.id).where(Station.kind == StationKind.READING_DESK.value)
    return [s.id for s in query.order_by(Station.id)]


def reader_on_card(text: str) -> str | None:
    """The reader a scanned card names, or None when the scan is not a reader's card."""
    text = text.strip()
    if not text.upper().startswith(READER_CARD):
        return None
    name = text[len(READER_CARD) :].strip()
    if not Person.select().where(Person.name == name, Person.role == "reader").exists():
        raise VaultError(f"no reader named {name!r} has asked for folders")
    return name


def last_event_id(station_id: str) -> int:
    """The newest custody event at the station: a desk page's serial feed starts after it."""
    newest = CustodyEvent.select(fn.MAX(CustodyEvent.id)).where(CustodyEvent.station == station_id)
    return newest.scalar() or 0


def serial_answers(station_id: str, after: int) -> list[tuple[int, DeskAnswer]]:
    """Scans by the station's serial scanner since event `after`, oldest first, answered as the
    page answers its own scans. The page's own scans (event ids "desk-…") are left out: the page
    already showed them."""
    query = (
        CustodyEvent.select(CustodyEvent, Folder, Person)
        .join(Folder, JOIN.LEFT_OUTER)
        .join(Person, JOIN.LEFT_OUTER, on=(Folder.holder == Person.id))
        .where(
            CustodyEvent.station == station_id,
            CustodyEvent.id > after,
            ~CustodyEvent.event_id.startswith("desk-"),
        )
        .order_by(CustodyEvent.id)
        .limit(SERIAL_LIMIT)
    )
    return [(event.id, _serial_answer(event)) for event in query]


def _serial_answer(event: CustodyEvent) -> DeskAnswer:
    folder = event.folder if event.folder_id else None
    if folder is None:
        return DeskAnswer(event.code, False, event.kind, "not in the register")
    raised = list(Alarm.select(Alarm.id, Alarm.reason).where(Alarm.event == event.id))
    holder = folder.holder.name if folder.holder_id else ""
    message = {
        "void_label": "void label: a reprint replaced this label",
        "refused": "refused",
    }.get(event.kind) or _done(event.kind, holder)
    return DeskAnswer(
        folder.code,
        event.kind in ACCEPTED,
        event.kind,
        raised[0].reason if raised else message,  # an alarm says more than the move
        folder.title,
        marking(Classification(folder.classification), folder.retention),
        event.state_after or folder.state,
        holder,
        tuple(a.id for a in raised),
    )
