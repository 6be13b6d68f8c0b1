"""Requests and approvals, minimal: a leader approves a reader's request for named folders.

The full workflow (visitors' letters, approval levels, the desk pages) comes later; this is
enough for folders to leave the warehouse on the legitimate path without an alarm.
"""

from __future__ import annotations

from datetime import date

from vault.db.models import Folder, Person, Request, RequestItem, database
from vault.services import audit
from vault.services.clock import utcnow
from vault.services.errors import VaultError


def approve_request(
    reader: str,
    leader: str,
    opinion: str,
    codes: list[str],
    valid_from: date,
    valid_until: date,
    purpose: str = "",
) -> int:
    """Record an approved request for `codes`; return its number."""
    if not reader.strip() or not leader.strip():
        raise VaultError("a request needs the reader's name and the approving leader's name")
    if not opinion.strip():
        raise VaultError("the leader's approval needs a written opinion")
    if not codes:
        raise VaultError("name at least one folder code")
    if valid_until < valid_from:
        raise VaultError("the request ends before it starts")
    with database.atomic():
        folders = {f.code: f for f in Folder.select().where(Folder.code.in_(codes))}
        unknown = [c for c in codes if c not in folders]
        if unknown:
            raise VaultError(f"not registered: {', '.join(unknown)}")
        request = Request.create(
            reader=_person(reader.strip(), "reader"),
            purpose=purpose,
            valid_from=valid_from,
            valid_until=valid_until,
            approved_by=_person(leader.strip(), "leader"),
            opinion=opinion.strip(),
            approved_at=utcnow(),
        )
        folder_ids = [folders[code].id for code in dict.fromkeys(codes)]
        for folder_id in folder_ids:
            RequestItem.create(request=request, folder=folder_id)
        audit.record_approval(request, folder_ids)
    return request.id


def _person(name: str, role: str) -> Person:
    person, _ = Person.get_or_create(name=name, defaults={"role": role})
    return person
