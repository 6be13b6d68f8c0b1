"""The register: finding folders, a folder's page, the folders out and overdue.

Called by the web pages (and anything else that lists folders); returns plain dicts and `Page`s,
never model instances, so a page or a CSV file can show them as they are. Every list is paged by
the folder code (keyset: "the next 50 codes after X"), never by OFFSET, so page 2,000 of a
million-folder register costs what page 1 does.

Which index answers a search is decided in `vault.db.search_index.find_folders` (SQLite; without
the title index a title is tested on folders read in code order, in bounded `partial` pages). On
PostgreSQL the same filters run as one plain query for now, a title by `ILIKE`, which reads every
folder (a pg_trgm index is the next step there).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from peewee import JOIN, SqliteDatabase, fn

from vault.db import search_index
from vault.db.models import (
    Approval,
    ApprovalFolder,
    CustodyEvent,
    Folder,
    LabelPrint,
    Location,
    Person,
    Request,
    RequestItem,
    Station,
    database,
)
from vault.db.search_index import Filters
from vault.domain import labelcode
from vault.domain.model import Classification, FolderState, marking
from vault.services.clock import shown
from vault.services.csv_export import csv_chunks, write_csv
from vault.services.errors import VaultError

MAX_LIMIT = 500
OUT_STATES = (FolderState.IN_READING_ROOM, FolderState.ISSUED, FolderState.OUTSIDE)


@dataclass(frozen=True)
class Page:
    """One page of a list. `next_after` is the `after` of the next page, None when this is the
    last. `partial`: the search stopped early to stay fast, so there may be fewer rows than asked
    (even none) although more may follow from `next_after`."""

    rows: list[dict]
    next_after: str | None
    partial: bool = False


def search_folders(
    code: str | None = None,
    title: str | None = None,
    classification: str | None = None,
    location: str | None = None,
    state: str | None = None,
    limit: int = 50,
    after: str | None = None,
) -> Page:
    """Folders matching every filter given, in code order: `code` a prefix in any letter case,
    `title` a substring (Chinese, Latin, digits alike), `location` a location code or its prefix
    ("A-03" covers A-03-02), `classification` and `state` exact values.

    With the title index, a title of two or more characters is looked up; a one-character title
    is tested on folders read in code order (fast for a common character, a rare one may need
    several `partial` pages to cover the register)."""
    filters = _filters(code, title, classification, location, state)
    limit = _limit(limit)
    if isinstance(database.obj, SqliteDatabase):
        found = search_index.find_folders(database.obj, filters, limit, after)
        rows, resume = found.rows, found.resume
    else:
        rows, resume = _find_portable(filters, limit, after), None
    ids = [row[0] for row in rows[:limit]]
    page_rows = _folder_rows(ids)
    if resume is not None:
        return Page(page_rows, resume, partial=True)
    return Page(page_rows, rows[limit - 1][1] if len(rows) > limit else None)


def _filters(*values: str | None) -> Filters:
    code, title, classification, location, state = (
        v.strip() if isinstance(v, str) and v.strip() else None for v in values
    )
    if classification and classification not in {c.value for c in Classification}:
        raise VaultError(f"there is no classification {classification!r}")
    if state and state not in {s.value for s in FolderState}:
        raise VaultError(f"there is no folder state {state!r}")
    return Filters(code, title, classification, location, state)


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise VaultError(f"a page holds 1 to {MAX_LIMIT} rows, not {limit}")
    return limit


def _find_portable(f: Filters, limit: int, after: str | None) -> list[tuple[int, str]]:
    """The same search as one plain query, for PostgreSQL: code prefix and title by ILIKE."""
    query = Folder.select(Folder.id, Folder.code).order_by(Folder.code).limit(limit + 1)
    if f.code:
        query = query.where(Folder.code.startswith(f.code))
    if f.title:
        query = query.where(Folder.title.contains(f.title))
    if f.classification:
        query = query.where(Folder.classification == f.classification)
    if f.state:
        query = query.where(Folder.state == f.state)
    if f.location:
        places = Location.select(Location.id).where(
            (Location.code == f.location) | Location.code.startswith(f.location + "-")
        )
        query = query.where(Folder.location.in_(places))
    if after is not None:
        query = query.where(Folder.code > after)
    return list(query.tuples())


def _folder_rows(ids: list[int], extra: Callable[[Folder], dict] | None = None) -> list[dict]:
    """The register's columns for these folders, in the order of `ids`."""
    if not ids:
        return []
    query = (
        Folder.select(Folder, Location, Person)
        .join(Location)
        .switch(Folder)
        .join(Person, JOIN.LEFT_OUTER, on=(Folder.holder == Person.id))
        .where(Folder.id.in_(ids))
    )
    by_id = {f.id: f for f in query}
    return [_folder_dict(by_id[i]) | (extra(by_id[i]) if extra else {}) for i in ids]


def _folder_dict(f: Folder) -> dict:
    level = Classification(f.classification)
    return {
        "code": f.code,
        "title": f.title,
        "year": f.year,
        "classification": level.value,
        "marking": marking(level, f.retention),
        "retention": f.retention,
        "location": f.location.code,
        "state": f.state,
        "holder": f.holder.name if f.holder_id else "",
        "label_generation": f.label_generation,
    }


def folder_detail(code: str, limit: int = 50, before: int | None = None) -> dict:
    """A folder's page: the folder, where it is now, every print of its label, and its custody
    timeline newest first, `limit` events at a time (`before`: the `next_before` of the page
    before, an event id). Times are local."""
    folder = (
        Folder.select(Folder, Location, Person)
        .join(Location)
        .switch(Folder)
        .join(Person, JOIN.LEFT_OUTER, on=(Folder.holder == Person.id))
        .where(Folder.code == code.strip())
        .first()
    )
    if folder is None:
        raise VaultError(f"not registered: {code}")
    events, next_before = _timeline(folder.id, _limit(limit), before)
    return {
        "folder": _folder_dict(folder) | {"rfid_epc": folder.rfid_epc or ""},
        "place": _place(folder),
        "labels": _labels(folder),
        "events": events,
        "event_count": CustodyEvent.select().where(CustodyEvent.folder == folder.id).count(),
        "next_before": next_before,
    }


def _timeline(folder_id: int, limit: int, before: int | None) -> tuple[list[dict], int | None]:
    query = (
        CustodyEvent.select(
            CustodyEvent.id,
            CustodyEvent.at,
            CustodyEvent.station,
            Station.kind,
            CustodyEvent.kind,
            Person.name,
            CustodyEvent.state_after,
            CustodyEvent.code,
            CustodyEvent.raw,
        )
        .join(Station, JOIN.LEFT_OUTER, on=(CustodyEvent.station == Station.id))
        .switch(CustodyEvent)
        .join(Person, JOIN.LEFT_OUTER, on=(CustodyEvent.person == Person.id))
        .where(CustodyEvent.folder == folder_id)
        .order_by(CustodyEvent.at.desc(), CustodyEvent.id.desc())
        .limit(limit + 1)
    )
    if before is not None:
        mark = CustodyEvent.get_or_none(CustodyEvent.id == before, CustodyEvent.folder == folder_id)
        if mark is None:
            raise VaultError(f"event {before} is not in this folder's timeline")
        query = query.where(
            CustodyEvent.at <= mark.at, (CustodyEvent.at < mark.at) | (CustodyEvent.id < mark.id)
        )
    rows = list(query.tuples())
    events = [_event_dict(*row) for row in rows[:limit]]
    return events, (rows[limit - 1][0] if len(rows) > limit else None)


def _event_dict(event_id, at, station, station_kind, kind, person, state_after, read, raw) -> dict:
    raw = bytes(raw or b"")
    text = raw.decode("utf-8", "backslashreplace")
    return {
        "id": event_id,
        "at": shown(at),
        "station": station or "",
        "station_kind": station_kind or "",
        "kind": kind,
        "person": person or "",
        "state_after": state_after or "",
        "read": read,  # what the device read: the code with its label generation, or a tag
        "raw": "".join(c if c.isprintable() else repr(c)[1:-1] for c in text),
        "raw_hex": raw.hex(" "),
    }


def _place(folder: Folder) -> dict:
    """Where the folder is: its state and holder, its last read, the request it is out on."""
    request = (
        Request.select(Request, Person)
        .join(RequestItem, on=(RequestItem.request == Request.id))
        .switch(Request)
        .join(Person, on=(Request.reader == Person.id))
        .where(_open_item(folder.id))
        .order_by(Request.valid_until.desc())
        .first()
    )
    place = {
        "state": folder.state,
        "holder": folder.holder.name if folder.holder_id else "",
        "home": folder.location.code,
        "request": None,
    }
    if request is not None:
        place["request"] = {"id": request.id, "reader": request.reader.name,
                            "valid_from": str(request.valid_from),
                            "valid_until": str(request.valid_until)}  # fmt: skip
    return place | _last_events([folder.id]).get(folder.id, {})


def _open_item(folder_id):
    """A request item of the folder, approved for it, that has not ended with its return."""
    approved = (
        Approval.select(Approval.request)
        .join(ApprovalFolder)
        .where(ApprovalFolder.folder == folder_id, Approval.approved == True)  # noqa: E712
    )
    return (
        (RequestItem.folder == folder_id)
        & RequestItem.closed_at.is_null()
        & Request.withdrawn_at.is_null()
        & Request.id.in_(approved)
    )


def _labels(folder: Folder) -> list[dict]:
    prints = LabelPrint.select().where(LabelPrint.folder == folder.id)
    return [
        {
            "generation": p.generation,
            "barcode": labelcode.compose(folder.code, p.generation),
            "printed_at": shown(p.printed_at),
            "output": p.output,
            "epc": p.epc or "",
            "valid": p.generation == folder.label_generation,
        }
        for p in prints.order_by(LabelPrint.generation.desc())
    ]


def _last_events(ids: list[int]) -> dict[int, dict]:
    """Each folder's latest custody event: when, where, what."""
    latest = (
        CustodyEvent.select(CustodyEvent.id)
        .where(CustodyEvent.folder == Folder.id)
        .order_by(CustodyEvent.at.desc(), CustodyEvent.id.desc())
        .limit(1)
    )
    event_ids = [
        e for (_, e) in Folder.select(Folder.id, latest).where(Folder.id.in_(ids)).tuples()
    ]
    query = CustodyEvent.select(
        CustodyEvent.folder, CustodyEvent.at, CustodyEvent.station, CustodyEvent.kind
    ).where(CustodyEvent.id.in_([e for e in event_ids if e is not None]))
    return {
        folder: {"last_at": shown(at), "last_station": station or "", "last_kind": kind}
        for folder, at, station, kind in query.tuples()
    }


def outside_now(limit: int = 50, after: str | None = None) -> Page:
    """Folders out of the warehouse (in the reading room, issued, outside), in code order, with
    their holder and last read."""
    limit = _limit(limit)
    found = _merge([_out_query(state, limit, after) for state in OUT_STATES], limit)
    return _out_page(found, limit, lambda f: {})


def overdue(today: date, limit: int = 50, after: str | None = None) -> Page:
    """Folders out of the warehouse on no approved open request ("no_request"), or on one that
    ended before `today` ("expired"), in code order; `today` is the archive's local date."""
    limit = _limit(limit)
    due = fn.COALESCE(_due(), "0001-01-01")
    queries = [
        _out_query(state, limit, after).where(due < today.isoformat()) for state in OUT_STATES
    ]
    found = _merge(queries, limit)
    ends_query = Folder.select(Folder.id, _due()).where(Folder.id.in_([r[0] for r in found]))
    ends = {folder: str(end) if end else "" for folder, end in ends_query.tuples()}
    return _out_page(
        found,
        limit,
        lambda f: {"valid_until": ends[f.id], "reason": "expired" if ends[f.id] else "no_request"},
    )


def _due():
    """The last day of the folder's approved open requests (a correlated subquery)."""
    return (
        Request.select(fn.MAX(Request.valid_until))
        .join(RequestItem, on=(RequestItem.request == Request.id))
        .where(_open_item(Folder.id))
    )


def _out_query(state: FolderState, limit: int, after: str | None):
    query = Folder.select(Folder.id, Folder.code).where(Folder.state == state.value)
    if after is not None:
        query = query.where(Folder.code > after)
    return query.order_by(Folder.code).limit(limit + 1)


def _merge(queries: list, limit: int) -> list[tuple[int, str]]:
    """One list in code order from each state's list in code order."""
    merged = heapq.merge(*(list(q.tuples()) for q in queries), key=lambda row: row[1])
    return [row for _, row in zip(range(limit + 1), merged, strict=False)]


def _out_page(found: list, limit: int, extra: Callable[[Folder], dict]) -> Page:
    ids = [row[0] for row in found[:limit]]
    last = _last_events(ids)
    rows = _folder_rows(ids, lambda f: last.get(f.id, {}) | extra(f))
    return Page(rows, found[limit - 1][1] if len(found) > limit else None)


def every_row(list_function: Callable[..., Page], /, **arguments) -> Iterator[dict]:
    """Every row of a list, page after page (for CSV export of a whole list)."""
    after = None
    while True:
        page = list_function(**arguments, limit=MAX_LIMIT, after=after)
        yield from page.rows
        if page.next_after is None:
            return
        after = page.next_after


# Kept importable from here: the register's callers export its lists.
__all__ = [
    "Page",
    "csv_chunks",
    "every_row",
    "folder_detail",
    "outside_now",
    "overdue",
    "search_folders",
    "write_csv",
]
