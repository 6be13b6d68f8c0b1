"""Requests and approvals: a reader asks for folders, leaders approve them folder by folder.

A request names a reader, the folders, the purpose and the dates it is valid for; a visitor's
request also names their unit's introduction letter. Each approval is a row of its own, written
once, naming the folders it approves (`Approval`, `ApprovalFolder`). Whether a request covers a
folder today is worked out afresh at every read (`covering`), from the approvals recorded and the
policy (`vault.domain.approvals`), so a letter that ran out yesterday stops an issue today.
"""

from __future__ import annotations

from datetime import date

from vault.db.models import (
    Approval,
    ApprovalFolder,
    Folder,
    Letter,
    Person,
    Request,
    RequestItem,
    database,
)
from vault.domain.approvals import (
    Duty,
    LetterView,
    SignOff,
    approval_problem,
    letter_problem,
    witness_problem,
)
from vault.domain.model import ApprovalView, Classification
from vault.services import audit, policy
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
    """Record a request for `codes` and one leader's approval of all of them, in one step (the
    command line's `vault approve`, the sample archive); return the request's number."""
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
            created_at=utcnow(),
        )
        folder_ids = [folders[code].id for code in dict.fromkeys(codes)]
        for folder_id in folder_ids:
            RequestItem.create(request=request, folder=folder_id)
        record_approval(request.id, leader.strip(), opinion.strip(), folder_ids)
    return request.id


def record_approval(
    request_id: int, approver: str, opinion: str, folder_ids: list[int], approved: bool = True
) -> Approval:
    """One approver's decision on named folders of a request (call inside a transaction)."""
    approval = Approval.create(
        request=request_id,
        approver=approver,
        duty=policy.current().duty_of(approver).value,
        approved=approved,
        opinion=opinion,
        at=utcnow(),
    )
    for folder_id in folder_ids:
        ApprovalFolder.create(approval=approval, folder=folder_id)
    audit.record(approval)
    return approval


def covering(
    folder: Folder, day: date, staff: str | None = None, witness: str | None = None
) -> ApprovalView | None:
    """The request that covers `folder` on `day`, with what it still lacks; None when no open,
    valid request names the folder. Of several, the first with nothing lacking is taken."""
    items = (
        RequestItem.select(RequestItem.request)
        .join(Request)
        .where(
            RequestItem.folder == folder.id,
            RequestItem.closed_at.is_null(),
            Request.withdrawn_at.is_null(),
            Request.valid_from <= day,
            Request.valid_until >= day,
        )
        .order_by(RequestItem.request)
    )
    first = None
    for item in items:
        view = _view(item.request_id, folder, day, staff, witness)
        if view.approved:
            return view
        first = first or view
    return first


def _view(
    request_id: int, folder: Folder, day: date, staff: str | None, witness: str | None
) -> ApprovalView:
    request = Request.get_by_id(request_id)
    rules = policy.current()
    level = Classification(folder.classification)
    signoffs = [
        SignOff(a.approver, Duty(a.duty), a.approved)
        for a in Approval.select(Approval.approver, Approval.duty, Approval.approved)
        .join(ApprovalFolder)
        .where(Approval.request == request_id, ApprovalFolder.folder == folder.id)
    ]
    problem = approval_problem(rules, level, request.letter_id is not None, signoffs)
    if problem is None and request.letter_id is not None:
        problem = letter_problem(_letter(request.letter), folder.code, folder.title, day)
    return ApprovalView(
        request_id,
        request.reader.name,
        problem,
        witness_problem(rules, level, staff, witness),
    )


def _letter(letter: Letter) -> LetterView:
    return LetterView(
        letter.unit,
        letter.number,
        letter.issued_on,
        letter.valid_until,
        tuple(line for line in letter.covers.splitlines() if line.strip()),
    )


def _person(name: str, role: str) -> Person:
    person, _ = Person.get_or_create(name=name, defaults={"role": role})
    return person
