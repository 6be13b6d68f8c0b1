"""What the destruction pages and the certificate show: the batches, one batch with its folders
and decisions, and the destruction certificate as a report (page, CSV, PDF)."""

from __future__ import annotations

from peewee import fn

from vault.db.models import Destruction, DestructionBatch, DestructionItem, Folder
from vault.domain.destruction import BatchStatus, pulping_problem
from vault.domain.model import Classification, marking
from vault.services import destruction
from vault.services.clock import shown
from vault.services.errors import VaultError
from vault.services.report import Report


def batches() -> list[dict]:
    """Every batch, newest first, with its folder count and where it stands."""
    counts = dict(
        DestructionItem.select(DestructionItem.batch, fn.COUNT(DestructionItem.id))
        .group_by(DestructionItem.batch)
        .tuples()
    )
    destroyed = dict(Destruction.select(Destruction.batch, Destruction.destroyed_on).tuples())
    rows = []
    for b in DestructionBatch.select().order_by(DestructionBatch.id.desc()):
        rows.append(
            {
                "id": b.id,
                "reason": b.reason,
                "site": b.site,
                "created_by": b.created_by,
                "created_at": b.created_at,
                "folders": counts.get(b.id, 0),
                "status": destruction.standing_of(b.id).text,
                "destroyed_on": destroyed.get(b.id),
            }
        )
    return rows


def _folder_row(f: Folder) -> dict:
    return {
        "id": f.id,
        "code": f.code,
        "title": f.title,
        "year": f.year,
        "marking": marking(Classification(f.classification), f.retention),
        "retention": f.retention,
        "appraisal_on": f.appraisal_on,
        "state": f.state,
    }


def batch_folders(batch_id: int) -> list[Folder]:
    query = Folder.select().join(DestructionItem).where(DestructionItem.batch == batch_id)
    return list(query.order_by(Folder.code))


def detail(batch_id: int) -> dict:
    """A batch as its page shows it: folders (each with what would stop its pulping now),
    supervisors, decisions, the confirmation if any."""
    batch = destruction.get(batch_id)
    folders = batch_folders(batch_id)
    now = destruction.standing_of(batch_id)
    known = destruction.facts(folders)
    rows = []
    for f in folders:
        problem = None if now.status is BatchStatus.DESTROYED else pulping_problem(known[f.id])
        rows.append(_folder_row(f) | {"problem": problem or ""})
    return {
        "batch": batch,
        "supervisors": batch.supervisors.splitlines(),
        "folders": rows,
        "decisions": destruction.decisions(batch_id),
        "standing": now,
        "destruction": Destruction.get_or_none(Destruction.batch == batch_id),
    }


def certificate(batch_id: int) -> Report:
    """The destruction certificate: what was destroyed, when, where and by whom, with lines for
    the supervisors to sign. Only a batch confirmed destroyed has one."""
    batch = destruction.get(batch_id)
    done = Destruction.get_or_none(Destruction.batch == batch_id)
    if done is None:
        raise VaultError(f"destruction batch {batch_id} has not been confirmed destroyed")
    supervisors = batch.supervisors.splitlines()
    lines = [
        f"Destruction site: {batch.site}",
        f"Destroyed on: {done.destroyed_on}",
        f"Reason: {batch.reason}",
        f"Supervisors: {', '.join(supervisors)}",
    ]
    for d in destruction.decisions(batch_id):
        lines.append(f"Approved by {d.approver} at {shown(d.at)}: {d.opinion}")
    lines.append(f"Confirmed by {done.confirmed_by} at {shown(done.confirmed_at)}")
    if done.note:
        lines.append(f"Note: {done.note}")
    folders = batch_folders(batch_id)
    lines.append(f"Folders destroyed: {len(folders)}")
    return Report(
        title=f"Destruction certificate no. {batch_id}",
        lines=lines,
        columns=[
            ("code", "Folder"),
            ("title", "Title"),
            ("year", "Year"),
            ("marking", "Classification"),
            ("retention", "Retention"),
        ],
        rows=[_folder_row(f) for f in folders],
        footer=[f"Supervisor {name}, signature: ____________" for name in supervisors],
        name=f"destruction-certificate-{batch_id}",
    )
