"""Holds: what keeps a folder from being destroyed until someone lifts it.

A hold is placed with a reason (an investigation, an audit, a court's order) and lifted with a
note, once; both are in the audit log. A request still open for a folder (not withdrawn, not
past its last day, the folder not yet back on its shelf) holds it too, without anyone placing
a hold: a folder somebody is waiting for is not pulped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from vault.db.models import Folder, Hold, Request, RequestItem, database
from vault.services import audit
from vault.services.clock import today, utcnow
from vault.services.errors import VaultError

CHUNK = 500  # folder ids per query: well under any database's limit of parameters


def place(code: str, reason: str, by: str) -> Hold:
    """Hold the folder `code`; return the hold."""
    code, reason = code.strip(), reason.strip()
    if not reason:
        raise VaultError("a hold needs a reason (an investigation, a pending request, …)")
    if not by.strip():
        raise VaultError("a hold needs the name of who places it")
    with database.atomic():
        folder = Folder.get_or_none(Folder.code == code)
        if folder is None:
            raise VaultError(f"no folder {code!r} is registered")
        if folder.state == "destroyed":
            raise VaultError(f"{code} was already destroyed")
        hold = Hold.create(folder=folder, reason=reason, placed_by=by, placed_at=utcnow())
        audit.record(hold)
    return hold


def lift(hold_id: int, note: str, by: str) -> Hold:
    """Lift a hold, with a note saying why; a hold is lifted once."""
    note = note.strip()
    if not note:
        raise VaultError("lifting a hold needs a note saying why")
    with database.atomic():
        hold = Hold.get_or_none(Hold.id == hold_id)
        if hold is None:
            raise VaultError(f"there is no hold {hold_id}")
        if hold.lifted_at is not None:
            raise VaultError(f"hold {hold_id} was already lifted by {hold.lifted_by}")
        hold.lifted_by, hold.lifted_at, hold.lift_note = by, utcnow(), note
        Hold.update(lifted_by=by, lifted_at=hold.lifted_at, lift_note=note).where(
            Hold.id == hold_id
        ).execute()
        audit.record_amendment(audit.HOLD_LIFT, hold)
    return hold


def active() -> list[dict]:
    """Every hold not lifted, newest first, with its folder."""
    query = (
        Hold.select(Hold, Folder.code, Folder.title)
        .join(Folder)
        .where(Hold.lifted_at.is_null())
        .order_by(Hold.placed_at.desc(), Hold.id.desc())
    )
    return [
        {
            "id": h.id,
            "code": h.folder.code,
            "title": h.folder.title,
            "reason": h.reason,
            "placed_by": h.placed_by,
            "placed_at": h.placed_at,
        }
        for h in query
    ]


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def holds_on(folder_ids: Iterable[int]) -> dict[int, list[str]]:
    """The reasons of the holds not lifted, by folder id."""
    found: dict[int, list[str]] = {}
    for chunk in _chunks(folder_ids):
        query = Hold.select(Hold.folder, Hold.reason).where(
            Hold.folder.in_(chunk), Hold.lifted_at.is_null()
        )
        for folder_id, reason in query.order_by(Hold.id).tuples():
            found.setdefault(folder_id, []).append(reason)
    return found


def open_requests_on(folder_ids: Iterable[int]) -> dict[int, list[int]]:
    """The requests still open for each folder (a pending request holds it), by folder id."""
    found: dict[int, list[int]] = {}
    for chunk in _chunks(folder_ids):
        query = (
            RequestItem.select(RequestItem.folder, Request.id)
            .join(Request)
            .where(
                RequestItem.folder.in_(chunk),
                RequestItem.closed_at.is_null(),
                Request.withdrawn_at.is_null(),
                Request.valid_until >= today(),
            )
            .order_by(Request.id)
        )
        for folder_id, request_id in query.tuples():
            found.setdefault(folder_id, []).append(request_id)
    return found
