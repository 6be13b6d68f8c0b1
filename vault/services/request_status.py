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

from peewee import JOIN

from vault.db.models import Approval, ApprovalFolder, Folder, Letter, Person, Request, RequestItem
from vault.domain.approvals import Duty, SignOff, approval_problem, letter_problem
from vault.domain.model import Classification
from vault.services import policy
from vault.services.clock import today
from vault.services.requests import letter_view, request_named

STATUSES = ("waiting", "approved", "refused", "withdrawn", "ended", "closed")
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
    requests = list(
        Request.select(Request, Person, Letter)
        .join(Person, on=Request.reader == Person.id)
        .switch(Request)
        .join(Letter, on=Request.letter == Letter.id, join_type=JOIN.LEFT_OUTER)
        .order_by(Request.id.desc())
        .limit(LIST_LIMIT)
    )
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
    return _row(request, folders) | {
        "folders": folders,
        "decisions": decisions,
        "letter": letter,
        "letter_covers": letter.covers.splitlines() if letter else [],
    }


def _row(request: Request, folders: list[FolderLine]) -> dict:
    approvers = sorted({s.approver for line in folders for s in line.signoffs})
    return {
        "id": request.id,
        "reader": request.reader.name,
        "purpose": request.purpose,
        "valid_from": request.valid_from,
        "valid_until": request.valid_until,
        "created_by": request.created_by,
        "created_at": request.created_at,
        "withdrawn_at": request.withdrawn_at,
        "visitor": request.letter_id is not None,
        "unit": request.letter.unit if request.letter_id else "",
        "codes": [line.code for line in folders],
        "approvers": approvers,
        "status": _status(request, folders),
    }


def _status(request: Request, folders: list[FolderLine]) -> str:
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
    """Every folder of these requests with its decisions, in three queries."""
    if not request_ids:
        return {}
    signoffs: dict[tuple[int, int], list[SignOff]] = defaultdict(list)
    query = (
        ApprovalFolder.select(ApprovalFolder.folder, Approval)
        .join(Approval)
        .where(Approval.request.in_(request_ids))
        .order_by(Approval.id)
    )
    for row in query:
        a = row.approval
        signoffs[(a.request_id, row.folder_id)].append(
            SignOff(a.approver, Duty(a.duty), a.approved)
        )
    requests = {
        r.id: r
        for r in Request.select(Request, Letter)
        .join(Letter, on=Request.letter == Letter.id, join_type=JOIN.LEFT_OUTER)
        .where(Request.id.in_(request_ids))
    }
    rules, day = policy.current(), today()
    lines: dict[int, list[FolderLine]] = defaultdict(list)
    items = (
        RequestItem.select(RequestItem, Folder)
        .join(Folder)
        .where(RequestItem.request.in_(request_ids))
        .order_by(RequestItem.id)
    )
    for item in items:
        request, folder = requests[item.request_id], item.folder
        given = tuple(signoffs.get((item.request_id, folder.id), ()))
        visitor = request.letter_id is not None
        level = Classification(folder.classification)
        needs = approval_problem(rules, level, visitor, given)
        status = "approved" if needs is None else "waiting"
        if any(not s.approved for s in given):
            status = "refused"
        letter = (
            letter_problem(letter_view(request.letter), folder.code, folder.title, day)
            if visitor
            else None
        )
        lines[item.request_id].append(
            FolderLine(
                folder.code,
                folder.title,
                folder.classification,
                status,
                needs,
                given,
                letter,
                item.closed_at is not None,
            )
        )
    return lines
