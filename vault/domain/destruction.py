"""Destruction: where a batch stands, and what keeps a folder out of one (DESIGN.md rule 7).

A batch of folders due for appraisal is destroyed only after enough members of the archives
leading group approve it, nobody of them refused it, and no folder has since been held, asked
for or taken out of the warehouse. These are the rules as plain functions of plain values; the
service (`vault.services.destruction`) fetches the values and writes the outcome.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class BatchStatus(StrEnum):
    DRAFT = "draft"  # nobody has decided yet: folders, site and supervisors may change
    AWAITING = "awaiting approvals"  # some approvals, not enough yet
    APPROVED = "approved"  # enough approvals: ready for the pulping
    REFUSED = "refused"  # a member of the leading group refused it: it is never destroyed
    DESTROYED = "destroyed"  # confirmed after the pulping


@dataclass(frozen=True)
class Decision:
    """One member of the leading group's decision on a batch."""

    approver: str
    approved: bool


@dataclass(frozen=True)
class Standing:
    status: BatchStatus
    approvals: int  # approvals recorded
    needed: int  # approvals the policy asks for

    @property
    def text(self) -> str:
        if self.status is BatchStatus.AWAITING:
            return f"awaiting approvals ({self.approvals} of {self.needed})"
        return self.status.value


def standing(decisions: Sequence[Decision], needed: int, destroyed: bool) -> Standing:
    """Where the batch stands, from its decisions and whether its destruction was confirmed."""
    approvals = len({d.approver for d in decisions if d.approved})
    if destroyed:
        status = BatchStatus.DESTROYED
    elif any(not d.approved for d in decisions):
        status = BatchStatus.REFUSED
    elif approvals >= needed:
        status = BatchStatus.APPROVED
    elif decisions:
        status = BatchStatus.AWAITING
    else:
        status = BatchStatus.DRAFT
    return Standing(status, approvals, needed)


# Where a folder off its shelf is, in the words of a refusal.
WHERE = {
    "issued": "issued to a reader",
    "in_reading_room": "in the reading room",
    "outside": "outside the warehouse",
}


@dataclass(frozen=True)
class FolderFacts:
    """What the register says of one folder, as far as destroying it goes."""

    code: str
    state: str  # the folder's state: "shelved", "issued", "destroyed", …
    appraisal_on: date | None
    holds: tuple[str, ...] = ()  # reasons of the holds not lifted
    open_requests: tuple[int, ...] = ()  # requests still open for it (a pending request)


def hold_problem(folder: FolderFacts) -> str | None:
    """Why a hold keeps the folder from being destroyed (None: nothing holds it)."""
    if folder.holds:
        return f"{folder.code} is held: {' / '.join(folder.holds)}"
    if folder.open_requests:
        numbers = ", ".join(str(n) for n in folder.open_requests)
        return f"{folder.code} is asked for by open request {numbers}"
    return None


def batch_problem(folder: FolderFacts, today: date) -> str | None:
    """Why the folder may not be put in a destruction batch today (None: it may)."""
    if folder.state == "destroyed":
        return f"{folder.code} was already destroyed"
    if folder.appraisal_on is None:
        return f"{folder.code} has no appraisal date: it is kept permanently"
    if folder.appraisal_on > today:
        return f"{folder.code} is not due for appraisal until {folder.appraisal_on}"
    return hold_problem(folder)


def pulping_problem(folder: FolderFacts) -> str | None:
    """Why the folder may not be confirmed destroyed now (None: it may): it must be on its
    shelf, and nothing may hold it."""
    if folder.state == "destroyed":
        return f"{folder.code} was already destroyed"
    if folder.state != "shelved":
        where = WHERE.get(folder.state, folder.state)
        return f"{folder.code} is not on its shelf: it is {where}"
    return hold_problem(folder)


def approver_problem(
    approver: str, leading_group: Collection[str], decisions: Sequence[Decision]
) -> str | None:
    """Why this person may not decide on the batch (None: they may)."""
    if not leading_group:
        return (
            "nobody is named in the archives leading group: name its members in the "
            "configuration, [approvals] leading_group"
        )
    if approver not in leading_group:
        return f"{approver} is not a member of the archives leading group"
    if any(d.approver == approver for d in decisions):
        return f"{approver} has already decided on this batch"
    return None


def confirm_problem(
    now: Standing, destroyed_on: date, today: date, approved_on: date
) -> str | None:
    """Why the pulping cannot be confirmed as done on `destroyed_on` (None: it can).
    `approved_on` is the day of the latest approval (the pulping comes after it)."""
    if now.status is BatchStatus.DESTROYED:
        return "this batch was already confirmed destroyed"
    if now.status is BatchStatus.REFUSED:
        return "this batch was refused: it is never destroyed"
    if now.status is not BatchStatus.APPROVED:
        return (
            f"this batch needs {now.needed} approvals by the archives leading group "
            f"({now.approvals} recorded)"
        )
    if destroyed_on > today:
        return f"the destruction date {destroyed_on} is in the future"
    if destroyed_on < approved_on:
        return f"the destruction date {destroyed_on} is before the approval on {approved_on}"
    return None
