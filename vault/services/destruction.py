"""Destruction batches: made from folders due for appraisal, approved by the archives leading
group, confirmed after the pulping (DESIGN.md rule 7).

A batch is a draft until the first member of the leading group decides; from then on its
folders, site and supervisors are fixed (the database refuses changes too), and each decision
is recorded in the audit log with the batch as it stood. The confirmation after the pulping
writes, in one transaction, the destruction, a "destroyed" custody event for every folder and
the folders' new state, so a label of one of them read anywhere afterwards raises "destroyed
folder read" and the desk refuses it (`vault.domain.rules`). The rules of what may be batched,
approved and confirmed are in `vault.domain.destruction`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from vault.db.models import (
    CustodyEvent,
    Destruction,
    DestructionApproval,
    DestructionBatch,
    DestructionItem,
    Folder,
    database,
)
from vault.domain.destruction import (
    BatchStatus,
    Decision,
    FolderFacts,
    Standing,
    approver_problem,
    batch_problem,
    confirm_problem,
    pulping_problem,
    standing,
)
from vault.domain.model import EventKind, FolderState
from vault.services import audit, holds, policy
from vault.services.clock import to_local, today, utcnow
from vault.services.errors import VaultError

SHOWN_PROBLEMS = 5  # a refusal names this many folders, then says how many more


def facts(folders: Iterable[Folder]) -> dict[int, FolderFacts]:
    """Each folder's state, appraisal date, holds and open requests, by folder id."""
    folders = list(folders)
    ids = [f.id for f in folders]
    held, asked = holds.holds_on(ids), holds.open_requests_on(ids)
    return {
        f.id: FolderFacts(
            f.code,
            f.state,
            f.appraisal_on,
            tuple(held.get(f.id, ())),
            tuple(asked.get(f.id, ())),
        )
        for f in folders
    }


def live_batches_of(folder_ids: Iterable[int], other_than: int | None = None) -> dict[int, int]:
    """The batch each folder is in that is neither refused nor destroyed, by folder id."""
    found: dict[int, int] = {}
    refused = DestructionApproval.select(DestructionApproval.batch).where(
        DestructionApproval.approved == False  # noqa: E712 (peewee builds SQL from it)
    )
    done = Destruction.select(Destruction.batch)
    for chunk in holds._chunks(folder_ids):
        query = DestructionItem.select(DestructionItem.folder, DestructionItem.batch).where(
            DestructionItem.folder.in_(chunk),
            DestructionItem.batch.not_in(refused),
            DestructionItem.batch.not_in(done),
        )
        if other_than is not None:
            query = query.where(DestructionItem.batch != other_than)
        found.update(dict(query.tuples()))
    return found


def _refuse_if(problems: list[str]) -> None:
    if problems:
        shown = "; ".join(problems[:SHOWN_PROBLEMS])
        more = len(problems) - SHOWN_PROBLEMS
        raise VaultError(shown + (f"; and {more} more" if more > 0 else ""))


def _folders(codes: Iterable[str]) -> list[Folder]:
    """The folders named, in the order given, each once; every code must be registered."""
    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    found: dict[str, Folder] = {}
    for start in range(0, len(wanted), holds.CHUNK):
        chunk = wanted[start : start + holds.CHUNK]
        found |= {f.code: f for f in Folder.select().where(Folder.code.in_(chunk))}
    _refuse_if([f"no folder {c!r} is registered" for c in wanted if c not in found])
    return [found[c] for c in wanted]


def _check_batchable(folders: list[Folder], batch_id: int | None = None) -> None:
    day = today()
    known = facts(folders)
    elsewhere = live_batches_of(known, other_than=batch_id)
    problems = []
    for f in folders:
        problem = batch_problem(known[f.id], day)
        if problem is None and f.id in elsewhere:
            problem = f"{f.code} is already in destruction batch {elsewhere[f.id]}"
        if problem:
            problems.append(problem)
    _refuse_if(problems)


def _supervisors(lines: Iterable[str]) -> str:
    names = [n.strip() for n in lines if n.strip()]
    if not names:
        raise VaultError("name at least one supervisor of the destruction")
    return "\n".join(dict.fromkeys(names))


def _check_words(reason: str, site: str) -> None:
    if not reason.strip():
        raise VaultError("a destruction batch needs its reason (e.g. retention period expired)")
    if not site.strip():
        raise VaultError("a destruction batch needs the site where the folders are pulped")


def create(
    reason: str, site: str, supervisors: Iterable[str], codes: Iterable[str], by: str
) -> DestructionBatch:
    """A new batch of the folders `codes`, each due, not held and in no other batch."""
    _check_words(reason, site)
    names = _supervisors(supervisors)
    with database.atomic():
        folders = _folders(codes)
        if not folders:
            raise VaultError("a destruction batch needs at least one folder")
        _check_batchable(folders)
        batch = DestructionBatch.create(
            reason=reason.strip(),
            site=site.strip(),
            supervisors=names,
            created_by=by,
            created_at=utcnow(),
        )
        _add_items(batch.id, folders)
    return batch


def _add_items(batch_id: int, folders: list[Folder]) -> None:
    rows = [{"batch": batch_id, "folder": f.id} for f in folders]
    for start in range(0, len(rows), holds.CHUNK):
        DestructionItem.insert_many(rows[start : start + holds.CHUNK]).execute()


def due_codes() -> list[str]:
    """Every folder due for appraisal today that may go into a new batch: not held, not asked
    for, not in another batch (the appraisal list's "all due")."""
    due = list(
        Folder.select()
        .where(Folder.appraisal_on <= today(), Folder.state != FolderState.DESTROYED.value)
        .order_by(Folder.code)
    )
    known = facts(due)
    elsewhere = live_batches_of(known)
    return [
        f.code for f in due if f.id not in elsewhere and batch_problem(known[f.id], today()) is None
    ]


def get(batch_id: int) -> DestructionBatch:
    batch = DestructionBatch.get_or_none(DestructionBatch.id == batch_id)
    if batch is None:
        raise VaultError(f"there is no destruction batch {batch_id}")
    return batch


def decisions(batch_id: int) -> list[DestructionApproval]:
    query = DestructionApproval.select().where(DestructionApproval.batch == batch_id)
    return list(query.order_by(DestructionApproval.at, DestructionApproval.id))


def standing_of(batch_id: int) -> Standing:
    made = [Decision(d.approver, d.approved) for d in decisions(batch_id)]
    destroyed = Destruction.select().where(Destruction.batch == batch_id).exists()
    return standing(made, policy.current().destruction_approvers, destroyed)


def edit(
    batch_id: int,
    reason: str,
    site: str,
    supervisors: Iterable[str],
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
) -> DestructionBatch:
    """Change a draft batch: its reason, site and supervisors, folders added or taken out."""
    _check_words(reason, site)
    names = _supervisors(supervisors)
    with database.atomic():
        batch = get(batch_id)
        if standing_of(batch_id).status is not BatchStatus.DRAFT:
            raise VaultError(
                f"destruction batch {batch_id} has decisions of the leading group: it can no "
                "longer be changed"
            )
        adding = _folders(add)
        present = {i.folder_id for i in batch.items}
        adding = [f for f in adding if f.id not in present]
        _check_batchable(adding, batch_id)
        removing = [f.id for f in _folders(remove)]
        if removing:
            DestructionItem.delete().where(
                DestructionItem.batch == batch_id, DestructionItem.folder.in_(removing)
            ).execute()
        _add_items(batch_id, adding)
        if not DestructionItem.select().where(DestructionItem.batch == batch_id).exists():
            raise VaultError("a destruction batch needs at least one folder")
        DestructionBatch.update(reason=reason.strip(), site=site.strip(), supervisors=names).where(
            DestructionBatch.id == batch_id
        ).execute()
    return get(batch_id)


def decide(batch_id: int, approver: str, approved: bool, opinion: str) -> DestructionApproval:
    """One member of the leading group approves or refuses the batch, with a written opinion."""
    if not opinion.strip():
        raise VaultError("a decision on a destruction needs a written opinion")
    with database.atomic():
        get(batch_id)
        now = standing_of(batch_id)
        if now.status in (BatchStatus.DESTROYED, BatchStatus.REFUSED):
            raise VaultError(f"destruction batch {batch_id} is {now.status.value}: it is closed")
        made = [Decision(d.approver, d.approved) for d in decisions(batch_id)]
        problem = approver_problem(approver, policy.current().leading_group, made)
        if problem:
            raise VaultError(problem)
        if not DestructionItem.select().where(DestructionItem.batch == batch_id).exists():
            raise VaultError("a destruction batch needs at least one folder")
        decision = DestructionApproval.create(
            batch=batch_id, approver=approver, approved=approved, opinion=opinion.strip(),
            at=utcnow(),
        )  # fmt: skip
        audit.record(decision)
    return decision


def confirm(batch_id: int, destroyed_on: date, by: str, note: str = "") -> Destruction:
    """After the pulping: the batch is destroyed on `destroyed_on`. Every folder must still be
    on its shelf and unheld; all of it is written in one transaction, or nothing."""
    if not by.strip():
        raise VaultError("the confirmation needs the name of who confirms it")
    with database.atomic():
        get(batch_id)
        approvals = [d for d in decisions(batch_id) if d.approved]
        approved_on = max((to_local(d.at).date() for d in approvals), default=date.min)
        problem = confirm_problem(standing_of(batch_id), destroyed_on, today(), approved_on)
        if problem:
            raise VaultError(problem)
        folders = list(
            Folder.select().join(DestructionItem).where(DestructionItem.batch == batch_id)
        )
        known = facts(folders)
        _refuse_if([p for f in folders if (p := pulping_problem(known[f.id]))])
        done = Destruction.create(
            batch=batch_id, destroyed_on=destroyed_on, confirmed_by=by, confirmed_at=utcnow(),
            note=note.strip(),
        )  # fmt: skip
        audit.record(done)
        for folder in sorted(folders, key=lambda f: f.code):
            _destroyed_event(batch_id, folder, by, done.confirmed_at)
        ids = [f.id for f in folders]
        for start in range(0, len(ids), holds.CHUNK):
            Folder.update(state=FolderState.DESTROYED.value, holder=None).where(
                Folder.id.in_(ids[start : start + holds.CHUNK])
            ).execute()
    return done


def _destroyed_event(batch_id: int, folder: Folder, by: str, at) -> None:
    """The folder's custody ends: a "destroyed" event, at no station, in the audit log."""
    event = CustodyEvent.create(
        event_id=f"destruction-{batch_id}-{folder.id}",
        at=at,
        station=None,
        code=folder.code,
        folder=folder,
        kind=EventKind.DESTROYED.value,
        person=None,
        state_after=FolderState.DESTROYED.value,
        raw=b"",
        staff=by,
    )
    audit.record_event(event)
