"""The audit log: custody events, alarms and their acknowledgements, approvals, letters,
holds, destructions and data released outside, hash-chained.

Entries are written in the same transaction as the row they record, from the row itself, so
the log and the tables cannot disagree unless someone edits the database behind Vault's back.
`verify` walks the chain (`vault.domain.audit.ChainCheck`) and, beside it, every recorded table
in id order, rebuilding each row's record: an edited row no longer matches its entry, a deleted
row leaves an entry with no row, and a row slipped in has no entry. Rows that change once after
they are written (an alarm acknowledged, a hold lifted) have a second entry for the change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from vault.db.models import (
    Alarm,
    Approval,
    ApprovalFolder,
    AuditEntry,
    CustodyEvent,
    Destruction,
    DestructionApproval,
    DestructionBatch,
    DestructionItem,
    ExternalRelease,
    Hold,
    Letter,
    Request,
    database,
)
from vault.domain.audit import GENESIS, canonical, entry_hash
from vault.services.clock import utcnow

EVENT, ALARM, ACK = "custody_event", "alarm", "alarm_ack"
LEGACY_APPROVAL = "approval"  # a one-step approval from before approvals were rows: chained only
APPROVAL, LETTER, HOLD, HOLD_LIFT = "request_approval", "letter", "hold", "hold_lift"
DESTRUCTION_APPROVAL, DESTRUCTION, RELEASE = "destruction_approval", "destruction", "release"
STOCKTAKE_CLOSED, CLOSING = "stocktake_closed", "closing_check"  # chained only


def _when(value) -> str | None:
    return value.isoformat(sep=" ") if value is not None else None


def event_record(e: CustodyEvent) -> dict:
    record = {
        "id": e.id,
        "event_id": e.event_id,
        "at": _when(e.at),
        "station": e.station_id,
        "code": e.code,
        "folder": e.folder_id,
        "kind": e.kind,
        "person": e.person_id,
        "state_after": e.state_after,
        "raw": bytes(e.raw or b"").hex(),
    }
    # Who scanned and who witnessed came later; absent, the record reads as it always did.
    if e.staff:
        record["staff"] = e.staff
    if e.witness:
        record["witness"] = e.witness
    return record


def alarm_record(a: Alarm) -> dict:
    return {
        "id": a.id,
        "at": _when(a.at),
        "rule": a.rule,
        "severity": a.severity,
        "reason": a.reason,
        "code": a.code,
        "folder": a.folder_id,
        "station": a.station_id,
        "event": a.event_id,
    }


def ack_record(a: Alarm) -> dict:
    return {
        "id": a.id,
        "at": _when(a.acknowledged_at),
        "by": a.acknowledged_by,
        "note": a.acknowledged_note,
    }


def legacy_approval_record(r: Request, folder_ids: list[int]) -> dict:
    return {
        "id": r.id,
        "reader": r.reader_id,
        "leader": r.approved_by_id,
        "opinion": r.opinion,
        "purpose": r.purpose,
        "from": str(r.valid_from),
        "until": str(r.valid_until),
        "approved_at": _when(r.approved_at),
        "folders": folder_ids,
    }


def approval_record(a: Approval) -> dict:
    folders = ApprovalFolder.select(ApprovalFolder.folder).where(ApprovalFolder.approval == a.id)
    return {
        "id": a.id,
        "request": a.request_id,
        "approver": a.approver,
        "duty": a.duty,
        "approved": a.approved,
        "opinion": a.opinion,
        "at": _when(a.at),
        "folders": sorted(f.folder_id for f in folders),
    }


def letter_record(letter: Letter) -> dict:
    return {
        "id": letter.id,
        "unit": letter.unit,
        "number": letter.number,
        "issued_on": str(letter.issued_on),
        "valid_until": str(letter.valid_until),
        "covers": letter.covers,
        "seal_confirmed_by": letter.seal_confirmed_by,
        "recorded_at": _when(letter.recorded_at),
    }


def hold_record(h: Hold) -> dict:
    return {
        "id": h.id,
        "folder": h.folder_id,
        "reason": h.reason,
        "by": h.placed_by,
        "at": _when(h.placed_at),
    }


def hold_lift_record(h: Hold) -> dict:
    return {"id": h.id, "by": h.lifted_by, "at": _when(h.lifted_at), "note": h.lift_note}


def _batch_record(batch_id: int) -> dict:
    """What was approved or destroyed: the batch as it stood, its folders included."""
    batch = DestructionBatch.get_by_id(batch_id)
    items = DestructionItem.select(DestructionItem.folder).where(DestructionItem.batch == batch_id)
    return {
        "batch": batch.id,
        "reason": batch.reason,
        "site": batch.site,
        "supervisors": batch.supervisors,
        "folders": sorted(i.folder_id for i in items),
    }


def destruction_approval_record(a: DestructionApproval) -> dict:
    return {
        "id": a.id,
        **_batch_record(a.batch_id),
        "approver": a.approver,
        "approved": a.approved,
        "opinion": a.opinion,
        "at": _when(a.at),
    }


def destruction_record(d: Destruction) -> dict:
    return {
        "id": d.id,
        **_batch_record(d.batch_id),
        "destroyed_on": str(d.destroyed_on),
        "confirmed_by": d.confirmed_by,
        "confirmed_at": _when(d.confirmed_at),
        "note": d.note,
    }


def release_record(r: ExternalRelease) -> dict:
    return {
        "id": r.id,
        "unit": r.unit,
        "letter_number": r.letter_number,
        "letter_date": str(r.letter_date),
        "purpose": r.purpose,
        "seal_confirmed_by": r.seal_confirmed_by,
        "approved_by": r.approved_by,
        "provided": r.provided,
        "provided_on": str(r.provided_on),
        "recorded_by": r.recorded_by,
        "recorded_at": _when(r.recorded_at),
    }


def append(kind: str, ref: int, record: dict) -> None:
    """Add an entry after the newest one; call inside the transaction that wrote the row.

    Plain SQL, not the model: this runs for every read the bridge records, and building model
    instances here cost as much as the rest of recording the read."""
    p = database.param
    head = database.execute_sql(f"SELECT seq, hash FROM {_TABLE} ORDER BY seq DESC LIMIT 1")
    last = head.fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    body = canonical(kind, record)
    database.execute_sql(
        f"INSERT INTO {_TABLE} (seq, at, kind, ref, body, prev_hash, hash) "
        f"VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p})",
        (seq, str(utcnow()), kind, ref, body, prev, entry_hash(seq, prev, body)),
    )


_TABLE = AuditEntry._meta.table_name


def head() -> tuple[int, str]:
    """The newest entry's number and hash, for the paper ledger."""
    entry = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
    return (entry.seq, entry.hash) if entry else (0, GENESIS)


def ledger_check(seq: int, digest: str) -> str | None:
    """What differs between the paper ledger's line "entry `seq` had hash `digest`" and the
    record, or None when the record still holds that entry with that hash. (The entries before it
    are proven by it only once `verify` has found every link of the chain sound.)"""
    entry = AuditEntry.get_or_none(AuditEntry.seq == seq)
    if entry is None:
        newest = head()[0]
        return f"entry {seq} is not in the record (its newest entry is {newest}): it was removed"
    if entry.hash != digest.strip().lower():
        return (
            f"entry {seq} now has hash {entry.hash}, not {digest.strip()} as the ledger says: "
            f"the record up to entry {seq} was rewritten"
        )
    return None


@dataclass(frozen=True)
class Verdict:
    entries: int
    problem: str | None  # the first entry or row found changed, removed or inserted
    head: tuple[int, str] = (0, GENESIS)  # the newest entry checked: its number and hash

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class Recorded:
    """A table whose every row is recorded once, when it is written."""

    kind: str
    model: type
    record: Callable[[object], dict]
    name: str  # what a person calls a row of it


@dataclass(frozen=True)
class Amended:
    """A change made once to a recorded row after it was written, recorded by its own entry."""

    kind: str
    model: type
    done: Callable[[], object]  # the peewee condition: the change has been made
    record: Callable[[object], dict]
    name: str


RECORDED = (
    Recorded(EVENT, CustodyEvent, event_record, "custody event"),
    Recorded(ALARM, Alarm, alarm_record, "alarm"),
    Recorded(APPROVAL, Approval, approval_record, "approval"),
    Recorded(LETTER, Letter, letter_record, "letter"),
    Recorded(HOLD, Hold, hold_record, "hold"),
    Recorded(DESTRUCTION_APPROVAL, DestructionApproval, destruction_approval_record,
             "destruction approval"),
    Recorded(DESTRUCTION, Destruction, destruction_record, "destruction"),
    Recorded(RELEASE, ExternalRelease, release_record, "data release"),
)  # fmt: skip
AMENDED = (
    Amended(ACK, Alarm, lambda: Alarm.acknowledged_at.is_null(False), ack_record,
            "the acknowledgement of alarm"),
    Amended(HOLD_LIFT, Hold, lambda: Hold.lifted_at.is_null(False), hold_lift_record,
            "the lifting of hold"),
)  # fmt: skip


def verify(progress: Callable[[int, int], None] | None = None) -> Verdict:
    """Walk the chain and every recorded table (`vault.services.audit_verify`); `progress` is
    told (entries checked, entries in the log) about once a second on a long walk."""
    from vault.services import audit_verify  # it builds on this module's tables and records

    return audit_verify.verify(progress)


def record_event(event: CustodyEvent) -> None:
    append(EVENT, event.id, event_record(event))


def record_alarm(alarm: Alarm) -> None:
    append(ALARM, alarm.id, alarm_record(alarm))


def record_ack(alarm_id: int) -> None:
    append(ACK, alarm_id, ack_record(Alarm.get_by_id(alarm_id)))


def record(row: object) -> None:
    """Record a newly written row of one of the RECORDED tables."""
    table = _RECORDED_BY_MODEL[type(row)]
    append(table.kind, row.id, table.record(row))


def record_amendment(kind: str, row: object) -> None:
    """Record the one change made to a written row (AMENDED: an acknowledgement, a lifting)."""
    amended = next(a for a in AMENDED if a.kind == kind)
    append(kind, row.id, amended.record(row))


def record_note(kind: str, ref: int, payload: dict) -> None:
    """Record something that has no row of its own to check it against (a stocktake closed,
    the closing-time check run): chained, so it cannot be removed or changed unseen."""
    append(kind, ref, payload)


_RECORDED_BY_MODEL = {r.model: r for r in RECORDED}


def backfill() -> int:
    """Record, in id order, what a database from before the audit log already holds."""
    count = 0
    for event in CustodyEvent.select().order_by(CustodyEvent.id).iterator():
        record_event(event)
        count += 1
    for alarm in Alarm.select().order_by(Alarm.id).iterator():
        record_alarm(alarm)
        if alarm.acknowledged_at is not None:
            record_ack(alarm.id)
        count += 1
    for request in Request.select().where(Request.approved_at.is_null(False)).order_by(Request.id):
        append(
            LEGACY_APPROVAL,
            request.id,
            legacy_approval_record(request, [item.folder_id for item in request.items]),
        )
        count += 1
    return count


def carry_over_approvals() -> int:
    """Requests approved in one step (before approvals were rows) get their approval as a row,
    naming every folder of the request, recorded like any new approval."""
    count = 0
    query = Request.select().where(Request.approved_at.is_null(False)).order_by(Request.id)
    for request in query:
        if Approval.select().where(Approval.request == request.id).exists():
            continue
        approval = Approval.create(
            request=request.id,
            approver=request.approved_by.name if request.approved_by_id else "",
            duty="leader",
            opinion=request.opinion,
            at=request.approved_at,
        )
        for item in request.items:
            ApprovalFolder.create(approval=approval, folder=item.folder_id)
        record(approval)
        count += 1
    return count
