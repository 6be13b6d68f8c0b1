"""Where each request stands, folder by folder: what the pages and `vault request list|show` say.

A folder of a request is approved when its approvals meet the policy (`approval_problem`),
refused when any approver refused it, and waiting otherwise, with what it still needs. The
request as a whole is withdrawn, closed (every folder back in the warehouse), ended (past its
last day), or else waiting for approval (a folder still waits), approved (at least one folder
may leave) or refused. Nothing here is stored: it is worked out from the rows each time, the
same way `covering` decides at a read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from peewee import JOIN

from vault.db.models import Approval, ApprovalFolder, Folder, Letter, Person, Request, RequestItem
from vault.domain.approvals import Duty, SignOff, approval_problem, letter_problem
from vault.domain.model import Classification
from vault.services import policy
from vault.services.clock import today
from vault.services.requests import letter_view, request_named

STATUSES = ("waiting", "approved", "refused", "withdrawn", "ended", "closed")
# Each status as people read it (the pages translate these words).
STATUS_SHOWN = {
    "waiting": "waiting for approval",
    "approved": "approved",
    "refused": "refused",
    "withdrawn": "withdrawn",
    "ended": "ended",
    "closed": "closed",
}
OPEN = ("waiting", "approved")
LIST_LIMIT = 500  # requests a list shows at most (the newest)


@dataclass(frozen=True)
class FolderLine:
    code: str
    title: str
    classification: str
    status: str  # approved, refused or waiting
    needs: str | None  # what it still needs (or who refused it); None when approved
    signoffs: tuple[SignOff, ...]
    letter_problem: str | None  # why the visitor's letter does not cover it today
    closed: bool  # back in the warehouse: the request no longer covers it


def request_rows(status: str | None = None, waiting_for: str | None = None) -> list[dict]:
    """Requests, open ones first, newest first; `status` keeps one status, `waiting_for` (a
    leader's username) keeps those waiting for a decision that leader has not made yet."""
    query = (
        Request.select(*_COLUMNS, Person.name, Letter.unit)
        .join(Person, on=Request.reader == Person.id)
        .switch(Request)
        .join(Letter, on=Request.letter == Letter.id, join_type=JOIN.LEFT_OUTER)
        .order_by(Request.id.desc())
        .limit(LIST_LIMIT)
        .tuples()
    )
    requests = [_Shown(*values) for values in query]
    lines = _lines([r.id for r in requests])
    rows = []
    for request in requests:
        folders = lines.get(request.id, [])
        row = _row(request, folders)
        if status and row["status"] != status:
            continue
        if waiting_for and not (row["status"] == "waiting" and waiting_for not in row["approvers"]):
            continue
        rows.append(row)
    rows.sort(key=lambda r: (r["status"] not in OPEN, -r["id"]))
    return rows


_COLUMNS = (
    Request.id,
    Request.purpose,
    Request.valid_from,
    Request.valid_until,
    Request.created_by,
    Request.created_at,
    Request.withdrawn_at,
    Request.letter,
)


@dataclass(frozen=True)
class _Shown:
    """What a list row shows of a request, read as plain values (no model instances)."""

    id: int
    purpose: str
    valid_from: date
    valid_until: date
    created_by: str
    created_at: datetime | None
    withdrawn_at: datetime | None
    letter_id: int | None
    reader: str
    unit: str | None


def request_detail(request_id: int) -> dict:
    """One request with its folders' lines, its letter and every decision with its opinion."""
    request = request_named(request_id)
    folders = _lines([request.id]).get(request.id, [])
    decisions = [
        {
            "approver": a.approver,
            "duty": a.duty,
            "approved": a.approved,
            "opinion": a.opinion,
            "at": a.at,
            "codes": [f.folder.code for f in a.folders],
        }
        for a in Approval.select().where(Approval.request == request.id).order_by(Approval.id)
    ]
    letter = request.letter if request.letter_id else None
    shown = _Shown(
        request.id, request.purpose, request.valid_from, request.valid_until,
        request.created_by, request.created_at, request.withdrawn_at, request.letter_id,
        request.reader.name, letter.unit if letter else None,
    )  # fmt: skip
    return _row(shown, folders) | {
        "folders": folders,
        "decisions": decisions,
        "letter": letter,
        "letter_covers": letter.covers.splitlines() if letter else [],
    }


def _row(request: _Shown, folders: list[FolderLine]) -> dict:
    approvers = sorted({s.approver for line in folders for s in line.signoffs})
    return {
        "id": request.id,
        "reader": request.reader,
        "purpose": request.purpose,
        "valid_from": request.valid_from,
        "valid_until": request.valid_until,
        "created_by": request.created_by,
        "created_at": request.created_at,
        "withdrawn_at": request.withdrawn_at,
        "visitor": request.letter_id is not None,
        "unit": request.unit or "",
        "codes": [line.code for line in folders],
        "approvers": approvers,
        "status": _status(request, folders),
    }


def _status(request: _Shown, folders: list[FolderLine]) -> str:
    if request.withdrawn_at is not None:
        return "withdrawn"
    if folders and all(line.closed for line in folders):
        return "closed"
    if request.valid_until < today():
        return "ended"
    if any(line.status == "waiting" for line in folders):
        return "waiting"
    if any(line.status == "approved" for line in folders):
        return "approved"
    return "refused"


def _lines(request_ids: list[int]) -> dict[int, list[FolderLine]]:
    """Every folder of these requests with its decisions, in three queries (four with visitors'
    letters). Plain tuples, not model instances: a list of 500 requests has thousands of rows,
    and building a model instance for each cost more than the queries."""
    if not request_ids:
        return {}
    # By range, not by a list of 500 ids (building that SQL cost more than running it): a list's
    # ids are the newest ones, so the range holds them and (nearly) nothing else.
    wanted, low, high = set(request_ids), min(request_ids), max(request_ids)
    signoffs: dict[tuple[int, int], list[SignOff]] = defaultdict(list)
    query = (
        ApprovalFolder.select(
            Approval.request,
            ApprovalFolder.folder,
            Approval.approver,
            Approval.duty,
            Approval.approved,
        )  # fmt: skip
        .join(Approval)
        .where(Approval.request.between(low, high))
        .order_by(Approval.id)
        .tuples()
    )
    for request_id, folder_id, approver, duty, approved in query:
        if request_id not in wanted:
            continue
        signoffs[(request_id, folder_id)].append(SignOff(approver, Duty(duty), bool(approved)))
    letters = {
        r.id: r.letter
        for r in Request.select(Request.id, Letter)
        .join(Letter, on=Request.letter == Letter.id)
        .where(Request.id.between(low, high))
        if r.id in wanted
    }
    rules, day = policy.current(), today()
    lines: dict[int, list[FolderLine]] = defaultdict(list)
    items = (
        RequestItem.select(
            RequestItem.request,
            Folder.id,
            Folder.code,
            Folder.title,
            Folder.classification,
            RequestItem.closed_at,
        )  # fmt: skip
        .join(Folder)
        .where(RequestItem.request.between(low, high))
        .order_by(RequestItem.id)
        .tuples()
    )
    for request_id, folder_id, code, title, classification, closed_at in items:
        if request_id not in wanted:
            continue
        given = tuple(signoffs.get((request_id, folder_id), ()))
        letter = letters.get(request_id)
        level = Classification(classification)
        needs = approval_problem(rules, level, letter is not None, given)
        status = "approved" if needs is None else "waiting"
        if any(not s.approved for s in given):
            status = "refused"
        problem = (
            letter_problem(letter_view(letter), code, title, day) if letter is not None else None
        )
        lines[request_id].append(
            FolderLine(
                code, title, classification, status, needs, given, problem, closed_at is not None
            )
        )
    return lines
