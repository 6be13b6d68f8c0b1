"""Recording a read: where a scan becomes a custody event and alarms.

`record_read` fetches the folder and the approved request that covers it, asks
`vault.domain.rules.decide` what the read means, and writes the event, the folder's new state
and any alarms in one transaction. A read carries an event id from the bridge; recording the
same id twice changes nothing, so a replayed read is never doubled.

A barcode names its folder by code (with the label generation after a "+"); a tag read names it
by the tag identity recorded for the folder. An unknown tag read at the labelling bench shortly
after a folder's barcode was read there is recorded as that folder's tag.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from vault.db.models import Alarm, CustodyEvent, Folder, Person, RequestItem, database
from vault.domain import labelcode
from vault.domain.model import (
    ApprovalView,
    Classification,
    EventKind,
    FolderState,
    FolderView,
    Read,
    StationKind,
)
from vault.domain.rules import AlarmSpec, Decision, decide
from vault.services import audit, stocktake
from vault.services.clock import to_local
from vault.services.requests import covering

# How long after a barcode read at the labelling bench an unknown tag read is taken as its tag.
TAG_PAIRING_WINDOW = timedelta(seconds=30)


@dataclass(frozen=True)
class Recorded:
    event_id: str
    event_kind: str
    alarm_ids: tuple[int, ...]
    duplicate: bool = False
    refusal: str | None = None  # why the desk refused the scan (the folder did not move)


def record_read(read: Read, event_id: str) -> Recorded:
    """Apply the rules to one read and store the outcome."""
    code = read.code.strip()
    with database.atomic():
        existing = _recorded_kind(event_id)
        if existing is not None:
            return Recorded(event_id, existing, (), duplicate=True)
        folder = _folder_named(read, code)
        if folder is None and read.tag and read.station_kind is StationKind.LABEL_BENCH:
            folder = _folder_awaiting_tag(read)
            if folder is not None:
                return _record_tag(read, code, event_id, folder)
        approval = _approval(folder, read) if folder else None
        decision = decide(read, _view(folder) if folder else None, approval)
        event = _store_event(read, code, event_id, folder, decision)
        alarm_ids = tuple(_store_alarm(read, code, folder, event, a).id for a in decision.alarms)
        stocktake.record_handheld_read(read, code, folder)  # a handheld's read counts a shelf
        if folder is not None:
            _move(folder, decision, read)
    return Recorded(event_id, decision.event.value, alarm_ids, refusal=decision.refusal)


def _recorded_kind(event_id: str) -> str | None:
    """The kind of the event already stored under this id (a replayed read), if any. Plain SQL:
    it runs for every read the bridge forwards, and nearly always finds nothing."""
    table, p = CustodyEvent._meta.table_name, database.param
    row = database.execute_sql(
        f"SELECT kind FROM {table} WHERE event_id = {p}", (event_id,)
    ).fetchone()
    return row[0] if row else None


def _folder_named(read: Read, code: str) -> Folder | None:
    # select().first() rather than get_or_none: measurably cheaper on the bridge's forwarding
    # path, where most tags looked up are not folders at all.
    if read.tag:
        return Folder.select().where(Folder.rfid_epc == code.upper()).first()
    return Folder.select().where(Folder.code == labelcode.parse(code).code).first()


def _folder_awaiting_tag(read: Read) -> Folder | None:
    """The folder whose barcode was just read at the labelling bench, if it has no tag yet."""
    selected = (
        CustodyEvent.select(CustodyEvent.folder)
        .where(
            CustodyEvent.kind == EventKind.SELECTED_FOR_TAG.value,
            CustodyEvent.at >= read.at - TAG_PAIRING_WINDOW,
            CustodyEvent.at <= read.at,
        )
        .order_by(CustodyEvent.at.desc(), CustodyEvent.id.desc())
        .first()
    )
    if selected is None:
        return None
    folder = Folder.get_by_id(selected.folder_id)
    return folder if folder.rfid_epc is None else None


def _record_tag(read: Read, code: str, event_id: str, folder: Folder) -> Recorded:
    Folder.update(rfid_epc=code.upper()).where(Folder.id == folder.id).execute()
    _store_event(read, code, event_id, folder, Decision(EventKind.TAG_RECORDED, None))
    return Recorded(event_id, EventKind.TAG_RECORDED.value, ())


def _view(folder: Folder) -> FolderView:
    holder = folder.holder.name if folder.holder_id else None
    return FolderView(
        folder.code,
        Classification(folder.classification),
        FolderState(folder.state),
        holder,
        folder.label_generation,
    )


def _approval(folder: Folder, read: Read) -> ApprovalView | None:
    """The request that covers this folder on the day of the read, if any.

    Requests are dated in the archive's own calendar, so the read's UTC time is turned into a
    local date first (in China, UTC is still yesterday until 08:00)."""
    return covering(folder, to_local(read.at).date(), read.staff, read.witness)


def _store_event(
    read: Read, code: str, event_id: str, folder: Folder | None, decision: Decision
) -> CustodyEvent:
    person = Person.get_or_none(Person.name == decision.holder) if decision.holder else None
    event = CustodyEvent.create(
        event_id=event_id,
        at=read.at,
        station=read.station_id,
        code=code,
        folder=folder,
        kind=decision.event.value,
        person=person,
        state_after=decision.state.value if decision.state else None,
        raw=read.raw,
        staff=read.staff,
        witness=read.witness if decision.event is EventKind.ISSUED else None,
    )
    audit.record_event(event)
    return event


def _store_alarm(
    read: Read, code: str, folder: Folder | None, event: CustodyEvent, spec: AlarmSpec
) -> Alarm:
    alarm = Alarm.create(
        at=read.at,
        rule=spec.rule.value,
        severity=spec.severity.value,
        reason=spec.reason,
        code=code,
        folder=folder,
        station=read.station_id,
        event=event,
    )
    audit.record_alarm(alarm)
    return alarm


def _move(folder: Folder, decision: Decision, read: Read) -> None:
    if decision.state is None:
        return
    holder = Person.get_or_none(Person.name == decision.holder) if decision.holder else None
    Folder.update(state=decision.state.value, holder=holder).where(Folder.id == folder.id).execute()
    if decision.closes_approval:
        RequestItem.update(closed_at=read.at).where(
            RequestItem.folder == folder, RequestItem.closed_at.is_null()
        ).execute()
