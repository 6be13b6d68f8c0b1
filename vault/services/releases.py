"""The register of statistical data provided to outside units (DESIGN.md rule 8).

Each entry names the unit, its letter (number and date), the purpose, the archivist who saw the
letter's official seal, the leader who approved, what was provided and when. Entries are never
changed (the database refuses it) and are in the audit log; a mistake is corrected by a new
entry that says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from vault.db.models import ExternalRelease, User, database
from vault.domain.access import Role
from vault.services import audit
from vault.services.clock import shown, today, utcnow
from vault.services.errors import VaultError
from vault.services.report import Report

COLUMNS = [
    ("provided_on", "Provided on"),
    ("unit", "Unit"),
    ("letter", "Letter"),
    ("purpose", "Purpose"),
    ("provided", "What was provided"),
    ("approved_by", "Approved by"),
    ("seal_confirmed_by", "Seal confirmed by"),
    ("recorded_at", "Recorded"),
]


@dataclass(frozen=True)
class Release:
    """A release as the archivist writes it down."""

    unit: str
    letter_number: str
    letter_date: date
    purpose: str
    approved_by: str  # the approving leader's username
    provided: str
    provided_on: date


def leaders() -> list[tuple[str, str]]:
    """Leader accounts that may be named as approving a release: (username, name)."""
    query = User.select().where(User.role == Role.LEADER.value, User.disabled == False)  # noqa: E712
    return [(u.username, u.display_name or u.username) for u in query.order_by(User.username)]


def _problem(r: Release) -> str | None:
    for value, what in (
        (r.unit, "the unit the data is provided to"),
        (r.letter_number, "the number of the unit's letter"),
        (r.purpose, "the purpose the unit gives"),
        (r.provided, "what was provided"),
    ):
        if not value.strip():
            return f"the register needs {what}"
    if r.provided_on > today():
        return f"the date provided {r.provided_on} is in the future"
    if r.letter_date > r.provided_on:
        return f"the letter is dated {r.letter_date}, after the data was provided"
    if r.approved_by not in {name for name, _ in leaders()}:
        return f"{r.approved_by!r} is not a leader's account: name the leader who approved"
    return None


def record(release: Release, seal_confirmed: bool, by: str) -> ExternalRelease:
    """Register a release; `by` is the archivist who saw the letter's seal and records it."""
    if not seal_confirmed:
        raise VaultError("confirm that the letter carries the unit's official seal")
    if not by.strip():
        raise VaultError("the register needs the name of who records the release")
    problem = _problem(release)
    if problem:
        raise VaultError(problem)
    with database.atomic():
        row = ExternalRelease.create(
            unit=release.unit.strip(),
            letter_number=release.letter_number.strip(),
            letter_date=release.letter_date,
            purpose=release.purpose.strip(),
            seal_confirmed_by=by,
            approved_by=release.approved_by,
            provided=release.provided.strip(),
            provided_on=release.provided_on,
            recorded_by=by,
            recorded_at=utcnow(),
        )
        audit.record(row)
    return row


def rows(unit: str = ""):
    """The register, newest first; `unit`: only units whose name contains it."""
    query = ExternalRelease.select()
    if unit.strip():
        query = query.where(ExternalRelease.unit.contains(unit.strip()))
    query = query.order_by(ExternalRelease.provided_on.desc(), ExternalRelease.id.desc())
    for r in query.iterator():
        yield {
            "id": r.id,
            "provided_on": r.provided_on,
            "unit": r.unit,
            "letter": f"{r.letter_number} ({r.letter_date})",
            "purpose": r.purpose,
            "provided": r.provided,
            "approved_by": r.approved_by,
            "seal_confirmed_by": r.seal_confirmed_by,
            "recorded_at": shown(r.recorded_at),  # site-local, as every page shows times
        }


def report(unit: str = "") -> Report:
    lines = [f"Units matching: {unit.strip()}"] if unit.strip() else []
    return Report(
        title="Data released to outside units",
        lines=lines,
        columns=COLUMNS,
        rows=rows(unit),
        name="data-releases",
    )
