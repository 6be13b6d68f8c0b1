"""Requests and approvals: a reader asks for folders, leaders approve them folder by folder.

A request names a reader, the folders, the purpose and the dates it is valid for; a visitor's
request also names their unit's introduction letter. Each approval is a row of its own, written
once, naming the folders it approves (`Approval`, `ApprovalFolder`). Whether a request covers a
folder today is worked out afresh at every read (`covering`), from the approvals recorded and the
policy (`vault.domain.approvals`), so a letter that ran out yesterday stops an issue today.
"""

from __future__ import annotations

import re
from datetime import date

from vault.db.models import (
    Approval,
    ApprovalFolder,
    Folder,
    Letter,
    Person,
    Request,
    RequestItem,
    User,
    database,
)
from vault.domain.access import Role
from vault.domain.approvals import (
    Duty,
    LetterView,
    SignOff,
    approval_problem,
    letter_problem,
    witness_problem,
)
from vault.domain.model import ApprovalView, Classification, FolderState
from vault.services import audit, policy
from vault.services.clock import today, utcnow
from vault.services.errors import VaultError
from vault.services.letters import LetterForm, record_letter


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
        folders = {f.code: f for f in _folders(codes)}
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


def create_request(
    reader: str,
    codes: list[str],
    purpose: str,
    valid_from: date,
    valid_until: date,
    created_by: str,
    letter: LetterForm | None = None,
) -> int:
    """Record a reader's request for folders (a visitor's with their letter), waiting for the
    leaders' decisions; return its number. `created_by` is the archivist's username."""
    _account(created_by, {Role.ARCHIVIST}, "the archivist recording a request")
    if not reader.strip():
        raise VaultError("a request needs the reader's name")
    if not purpose.strip():
        raise VaultError("a request needs its purpose")
    if valid_until < valid_from:
        raise VaultError("the request ends before it starts")
    with database.atomic():
        folders = _folders(codes)
        written = record_letter(letter) if letter is not None else None
        name = visitor_name(reader, letter.unit) if letter is not None else reader.strip()
        request = Request.create(
            reader=_person(name, "reader"),
            purpose=purpose.strip(),
            valid_from=valid_from,
            valid_until=valid_until,
            letter=written,
            created_by=created_by,
            created_at=utcnow(),
        )
        for folder in folders:
            RequestItem.create(request=request, folder=folder)
    return request.id


def visitor_name(name: str, unit: str) -> str:
    """A visitor as the desk and the records name them: "王五（县发改委）". The unit is part of
    the name, so a visitor is never taken for a member of staff (or another unit's visitor) of
    the same name when folders are issued to them or asked back from them."""
    name, unit = name.strip(), unit.strip()
    return name if name.endswith(f"（{unit}）") else f"{name}（{unit}）"


def codes_in(text: str) -> list[str]:
    """Folder codes typed one per line, or separated by spaces or commas."""
    return [code for code in re.split(r"[\s,，、]+", text) if code]


def _folders(codes: list[str]) -> list[Folder]:
    codes = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    if not codes:
        raise VaultError("name at least one folder code")
    found = {f.code: f for f in Folder.select().where(Folder.code.in_(codes))}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise VaultError(f"not registered: {', '.join(unknown)}")
    destroyed = [c for c in codes if found[c].state == FolderState.DESTROYED.value]
    if destroyed:
        raise VaultError(f"destroyed, never issued again: {', '.join(destroyed)}")
    return [found[c] for c in codes]


def decide_request(
    request_id: int, approver: str, opinion: str, codes: list[str] | None, approved: bool = True
) -> Approval:
    """A leader approves (or refuses) named folders of a request, with a written opinion.
    `approver` is the leader's username (the heads of the unit are named by username); None
    for `codes` means every folder of the request. One decision per leader per request."""
    _account(approver, {Role.LEADER}, "an approval")
    if not opinion.strip():
        raise VaultError("the leader's decision needs a written opinion")
    with database.atomic():
        request = request_named(request_id)
        closed = _closed_status(request)
        if closed is not None:
            raise VaultError(f"request {request_id} is {closed}: it can no longer be decided")
        if (
            Approval.select()
            .where(Approval.request == request, Approval.approver == approver)
            .exists()
        ):
            raise VaultError(f"{approver} has already decided on request {request_id}")
        asked = {item.folder.code: item.folder_id for item in request.items}
        named = list(asked) if codes is None else list(dict.fromkeys(codes))
        if not named:
            raise VaultError("tick at least one folder of the request")
        others = [c for c in named if c not in asked]
        if others:
            raise VaultError(f"request {request_id} does not ask for {', '.join(others)}")
        folder_ids = [asked[c] for c in named]
        return record_approval(request.id, approver, opinion.strip(), folder_ids, approved)


def withdraw_request(request_id: int) -> None:
    """Withdraw a request: nothing more is issued against it (folders out still come back)."""
    with database.atomic():
        request = request_named(request_id)
        if request.withdrawn_at is not None:
            raise VaultError(f"request {request_id} was already withdrawn")
        request.withdrawn_at = utcnow()
        request.save()


def request_named(request_id: int) -> Request:
    request = Request.get_or_none(Request.id == request_id)
    if request is None:
        raise VaultError(f"there is no request {request_id}")
    return request


def _closed_status(request: Request) -> str | None:
    """ "withdrawn", "closed" (every folder back) or "ended" (past its last day), or None."""
    if request.withdrawn_at is not None:
        return "withdrawn"
    items = list(RequestItem.select(RequestItem.closed_at).where(RequestItem.request == request))
    if items and all(i.closed_at is not None for i in items):
        return "closed"
    if request.valid_until < today():
        return "ended"
    return None


def _account(username: str, roles: set[Role], what: str) -> User:
    user = User.get_or_none(User.username == username.strip())
    if user is None or user.disabled or user.role not in roles:
        wanted = " or ".join(sorted(roles))
        raise VaultError(f"{what} needs the username of an active {wanted}, not {username!r}")
    return user


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
        problem = letter_problem(letter_view(request.letter), folder.code, folder.title, day)
    return ApprovalView(
        request_id,
        request.reader.name,
        problem,
        witness_problem(rules, level, staff, witness),
    )


def letter_view(letter: Letter) -> LetterView:
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
