"""The "three secrets" folders as reports: who has had each in hand and when, and where each is
now (DESIGN.md rules 1 and 6: every movement of a classified folder is approved and
accounted for).

Both walk the classified folders in code order a batch at a time (keyset on the code) and ask
one query per batch for the batch's events, so a register of a million folders streams past
in bounded memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime

from peewee import JOIN, fn

from vault.db.models import (
    Approval,
    ApprovalFolder,
    CustodyEvent,
    Folder,
    Location,
    Person,
    Request,
)
from vault.domain import closing
from vault.domain.model import Classification, EventKind, marking
from vault.services import clock
from vault.services.clock import shown
from vault.services.report import Report
from vault.services.reports import produced

BATCH = 100  # folders a query covers: a page of the report (200 rows) is one or two of them
CLASSIFIED = [c.value for c in Classification if c.is_classified]
# The issue ends when the folder is taken back at the desk, or comes back into the warehouse.
ENDS = (EventKind.CHECKED_IN, EventKind.RETURNED_TO_WAREHOUSE, EventKind.DESTROYED)
HOLDER_KINDS = [k.value for k in (EventKind.ISSUED, EventKind.LEFT_READING_ROOM, *ENDS)]

FOLDER_COLUMNS = (("code", "folder"), ("title", "title"), ("marking", "marking"))
HOLDERS_COLUMNS = (
    *FOLDER_COLUMNS,
    ("reader", "reader"),
    ("issued_at", "issued at"),
    ("issued_by", "issued by"),
    ("witness", "witness"),
    ("approved_by", "approved by"),
    ("outside_at", "carried out at"),
    ("back_at", "taken back at"),
    ("ended_by", "taken back by"),
)
PLACES_COLUMNS = (
    *FOLDER_COLUMNS,
    ("state", "state"),
    ("holder", "holder"),
    ("home", "home shelf"),
    ("last_at", "last read at"),
    ("last_station", "last station"),
    ("last_kind", "last event"),
)


def classified_holders() -> Report:
    """Every issue of every classified folder: to whom, when, by whom, on whose approval, and
    when it came back."""
    return Report(
        "Classified folders: who has had them in hand",
        [produced()],
        HOLDERS_COLUMNS,
        _holder_rows(),
        [f"Classified folders: {_count()}"],
        name="classified-holders",
    )


def classified_places() -> Report:
    """Every classified folder with its state, holder, home shelf and last read."""
    out = (
        Folder.select()
        .where(
            Folder.classification.in_(CLASSIFIED),
            Folder.state.in_([s.value for s in closing.NOT_BACK]),
        )
        .count()
    )
    return Report(
        "Classified folders and where they are",
        [produced()],
        PLACES_COLUMNS,
        _place_rows(),
        [f"Classified folders: {_count()}", f"Out of the warehouse: {out}"],
        name="classified-places",
    )


def _classified():
    # The level inside a function: the walk in code order then follows the code's index, reading
    # about two folders per classified one, instead of sorting the 450,000 classified folders
    # of a million (the level's index would) to give the first 500.
    return Folder.select().where(fn.COALESCE(Folder.classification, "").in_(CLASSIFIED))


def _count() -> int:
    """By the level's index (a count reads no folder)."""
    return Folder.select().where(Folder.classification.in_(CLASSIFIED)).count()


def _batches(query) -> Iterator[list[Folder]]:
    after = None
    while True:
        page = query.order_by(Folder.code).limit(BATCH)
        if after is not None:
            page = page.where(Folder.code > after)
        batch = list(page)
        if not batch:
            return
        yield batch
        after = batch[-1].code


def _folder_cells(folder: Folder) -> dict:
    level = Classification(folder.classification)
    return {
        "code": folder.code,
        "title": folder.title,
        "marking": marking(level, folder.retention),
    }


def _holder_rows() -> Iterator[dict]:
    for batch in _batches(_classified()):
        ids = [f.id for f in batch]
        events = defaultdict(list)
        query = (
            CustodyEvent.select(CustodyEvent, Person.name.alias("holder"))
            .join(Person, JOIN.LEFT_OUTER, on=(CustodyEvent.person == Person.id))
            .where(CustodyEvent.folder.in_(ids), CustodyEvent.kind.in_(HOLDER_KINDS))
            .order_by(CustodyEvent.at, CustodyEvent.id)
        )
        for event in query.objects():
            events[event.folder_id].append(event)
        approvals = _approvals_of(ids)
        for folder in batch:
            for issued, outside, back in _periods(events[folder.id]):
                yield _folder_cells(folder) | {
                    "reader": issued.holder or "",
                    "issued_at": shown(issued.at),
                    "issued_by": issued.staff or "",
                    "witness": issued.witness or "",
                    "approved_by": _approvers(approvals[folder.id], issued),
                    "outside_at": shown(outside.at) if outside else "",
                    "back_at": shown(back.at) if back else "",
                    "ended_by": back.kind if back else "",
                }


def _periods(events: list) -> Iterator[tuple]:
    """(issue, carried out or None, end or None) for each issue, in time order; an issue with
    no end yet is still in the reader's hands."""
    issued = outside = None
    for event in events:
        if event.kind == EventKind.ISSUED.value:
            if issued is not None:
                yield issued, outside, None
            issued, outside = event, None
        elif issued is None:
            continue
        elif event.kind == EventKind.LEFT_READING_ROOM.value:
            outside = outside or event
        else:
            yield issued, outside, event
            issued = outside = None
    if issued is not None:
        yield issued, outside, None


def _approvals_of(ids: list[int]) -> dict[int, list[tuple]]:
    """For each folder: (reader, valid from, valid until, approver, at) of every approval."""
    query = (
        ApprovalFolder.select(
            ApprovalFolder.folder,
            Person.name,
            Request.valid_from,
            Request.valid_until,
            Approval.approver,
            Approval.at,
        )
        .join(Approval)
        .join(Request)
        .join(Person, on=(Request.reader == Person.id))
        .where(ApprovalFolder.folder.in_(ids), Approval.approved == True)  # noqa: E712
        .order_by(Approval.at)
        .tuples()
    )
    found = defaultdict(list)
    for folder, *approval in query:
        found[folder].append(tuple(approval))
    return found


def _approvers(approvals: list[tuple], issued) -> str:
    """Who approved the request the folder was issued on: the reader's, valid that day."""
    day = closing.local_day(issued.at, clock.zone())
    names = [
        approver
        for reader, start, end, approver, _at in approvals
        if reader == issued.holder and _day(start) <= day <= _day(end)
    ]
    return ", ".join(dict.fromkeys(names))


def _day(value):
    return value.date() if isinstance(value, datetime) else value


def _place_rows() -> Iterator[dict]:
    query = (
        Folder.select(Folder, Location, Person)
        .join(Location)
        .switch(Folder)
        .join(Person, JOIN.LEFT_OUTER, on=(Folder.holder == Person.id))
        .where(fn.COALESCE(Folder.classification, "").in_(CLASSIFIED))
    )
    for batch in _batches(query):
        last = _last_reads([f.id for f in batch])
        for folder in batch:
            at, station, kind = last.get(folder.id, (None, "", ""))
            yield _folder_cells(folder) | {
                "state": folder.state,
                "holder": folder.holder.name if folder.holder_id else "",
                "home": folder.location.code,
                "last_at": shown(at),
                "last_station": station or "",
                "last_kind": kind,
            }


def _last_reads(ids: list[int]) -> dict[int, tuple]:
    """Each folder's latest custody event: (when, where, what)."""
    latest = (
        CustodyEvent.select(CustodyEvent.id)
        .where(CustodyEvent.folder == Folder.id)
        .order_by(CustodyEvent.at.desc(), CustodyEvent.id.desc())
        .limit(1)
    )
    event_ids = [e for _, e in Folder.select(Folder.id, latest).where(Folder.id.in_(ids)).tuples()]
    query = CustodyEvent.select(
        CustodyEvent.folder, CustodyEvent.at, CustodyEvent.station, CustodyEvent.kind
    ).where(CustodyEvent.id.in_([e for e in event_ids if e is not None]))
    return {folder: (at, station, kind) for folder, at, station, kind in query.tuples()}
