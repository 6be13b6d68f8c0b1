"""A visitor's introduction letter, as the archivist copies it from the paper.

A visitor from another unit reads only against a letter from their unit: its number, date and
validity, the folders or subjects it covers, and the official seal, which the archivist looks at
and confirms by name (DESIGN.md rule 1). The letter is written once and kept in the hash-chained
record; whether it still covers a folder is checked again at every issue
(`vault.services.requests.covering`), so a letter that runs out stops issues from that day on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from vault.db.models import Letter
from vault.services import audit
from vault.services.clock import today, utcnow
from vault.services.errors import VaultError


@dataclass(frozen=True)
class LetterForm:
    """What the archivist copies from the letter, and who saw its seal."""

    unit: str
    number: str
    issued_on: date
    valid_until: date
    covers: tuple[str, ...]  # folder codes, code prefixes ("WC-TJ-2002") or subjects
    seal_confirmed_by: str  # the archivist who saw the official seal; "" when nobody did


def covers_lines(text: str) -> tuple[str, ...]:
    """A letter's cover lines as typed: one per line (blank lines left out)."""
    return tuple(line.strip() for line in re.split(r"[\r\n]+", text) if line.strip())


def problem(form: LetterForm) -> str | None:
    """Why this letter cannot stand behind a request (None: it can)."""
    if not form.unit.strip() or not form.number.strip():
        return "a visitor's letter needs the unit's name and the letter's number"
    if not form.seal_confirmed_by.strip():
        return "the archivist must confirm the official seal on the visitor's letter"
    if not form.covers:
        return "the letter must name the folders or subjects it covers"
    if form.valid_until < form.issued_on:
        return "the letter runs out before it was written"
    if form.issued_on > today():
        return f"the letter is dated {form.issued_on}, after today"
    if form.valid_until < today():
        return f"the letter ran out on {form.valid_until}"
    return None


def record_letter(form: LetterForm) -> Letter:
    """Write the letter (call inside the transaction that writes its request)."""
    why = problem(form)
    if why is not None:
        raise VaultError(why)
    letter = Letter.create(
        unit=form.unit.strip(),
        number=form.number.strip(),
        issued_on=form.issued_on,
        valid_until=form.valid_until,
        covers="\n".join(form.covers),
        seal_confirmed_by=form.seal_confirmed_by.strip(),
        recorded_at=utcnow(),
    )
    audit.record(letter)
    return letter
