"""The audit log: every custody event, alarm, acknowledgement and approval, hash-chained.

Entries are written in the same transaction as the row they record, from the row itself, so
the log and the tables cannot disagree unless someone edits the database behind Vault's back.
`verify` walks the chain (`vault.domain.audit.ChainCheck`) and, beside it, the custody events
and alarms in id order, rebuilding each one's record from the row: an edited row no longer
matches its entry, a deleted row leaves an entry with no row, and a row slipped in has no entry.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from vault.db.models import Alarm, AuditEntry, CustodyEvent, Request, database
from vault.domain.audit import GENESIS, ChainCheck, Entry, canonical, entry_hash
from vault.services.clock import utcnow

EVENT, ALARM, ACK, APPROVAL = "custody_event", "alarm", "alarm_ack", "approval"


def _when(value) -> str | None:
    return value.isoformat(sep=" ") if value is not None else None


def event_record(e: CustodyEvent) -> dict:
    return {
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


def approval_record(r: Request, folder_ids: list[int]) -> dict:
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


@dataclass(frozen=True)
class Verdict:
    entries: int
    problem: str | None  # the first entry or row found changed, removed or inserted

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify() -> Verdict:
    chain = ChainCheck()
    rows = {
        EVENT: _Rows(CustodyEvent, event_record, "custody event"),
        ALARM: _Rows(Alarm, alarm_record, "alarm"),
    }
    acks: dict[int, str] = {}
    for seq, kind, ref, body, prev, digest in _entries():
        if not chain.feed(Entry(seq, body, prev, digest)):
            break
        problem = _check_row(kind, ref, body, rows, acks)
        if problem:
            return Verdict(chain.count, f"entry {seq}: {problem}")
    if chain.problem:
        return Verdict(chain.count, chain.problem)
    problem = next((p for r in rows.values() if (p := r.leftover())), None) or _check_acks(acks)
    return Verdict(chain.count, problem)


def _entries() -> Iterator[tuple]:
    query = AuditEntry.select(
        AuditEntry.seq,
        AuditEntry.kind,
        AuditEntry.ref,
        AuditEntry.body,
        AuditEntry.prev_hash,
        AuditEntry.hash,
    ).order_by(AuditEntry.seq)
    return query.tuples().iterator()


def _check_row(kind: str, ref: int, body: str, rows: dict, acks: dict[int, str]) -> str | None:
    if kind in rows:
        return rows[kind].match(ref, body)
    if kind == ACK:
        acks[ref] = body
    return None


class _Rows:
    """A table's rows in id order, matched one by one against the entries that record them."""

    def __init__(self, model, record, name: str) -> None:
        self.name, self.kind, self.record = name, _KINDS[model], record
        self.cursor = iter(model.select().order_by(model.id).iterator())
        self.pending = next(self.cursor, None)

    def match(self, ref: int, body: str) -> str | None:
        row = self.pending
        if row is not None and row.id < ref:
            return f"{self.name} {row.id} is not in the record: it was inserted"
        if row is None or row.id > ref:
            return f"{self.name} {ref} was removed"
        self.pending = next(self.cursor, None)
        if canonical(self.kind, self.record(row)) != body:
            return f"{self.name} {ref} was changed"
        return None

    def leftover(self) -> str | None:
        if self.pending is not None:
            return f"{self.name} {self.pending.id} is not in the record: it was inserted"
        return None


_KINDS = {CustodyEvent: EVENT, Alarm: ALARM}


def _check_acks(acks: dict[int, str]) -> str | None:
    """Every acknowledged alarm's acknowledgement is the one recorded, and no other was made."""
    for alarm in Alarm.select().where(Alarm.acknowledged_at.is_null(False)).iterator():
        body = acks.pop(alarm.id, None)
        if body is None:
            return f"the acknowledgement of alarm {alarm.id} is not in the record"
        if json.loads(body)["record"] != json.loads(canonical(ACK, ack_record(alarm)))["record"]:
            return f"the acknowledgement of alarm {alarm.id} was changed"
    if acks:
        return f"the acknowledgement of alarm {min(acks)} was removed"
    return None


def record_event(event: CustodyEvent) -> None:
    append(EVENT, event.id, event_record(event))


def record_alarm(alarm: Alarm) -> None:
    append(ALARM, alarm.id, alarm_record(alarm))


def record_ack(alarm_id: int) -> None:
    append(ACK, alarm_id, ack_record(Alarm.get_by_id(alarm_id)))


def record_approval(request: Request, folder_ids: list[int]) -> None:
    append(APPROVAL, request.id, approval_record(request, folder_ids))


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
        record_approval(request, [item.folder_id for item in request.items])
        count += 1
    return count
