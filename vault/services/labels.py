"""Printing labels for registered folders, and the record of every print.

Each print of a folder's label gets the next generation number, carried in the barcode
("WC-TJ-2002-0137+2"); the new generation is recorded only once the output exists (the PDF
is written, or the thermal printer took the data), and from then on the earlier labels are void.
Generations are checked again when they are recorded, so two archivists reprinting the same
folder at once cannot both think their label is the valid one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from labels.content import LabelContent
from vault.db.models import Folder, LabelPrint, Location, database
from vault.domain import labelcode
from vault.domain.model import Classification, marking
from vault.services.clock import utcnow
from vault.services.errors import VaultError

Progress = Callable[[int, int], None]  # labels done, labels in the batch


@dataclass(frozen=True)
class Selection:
    """Which folders a batch is for; the parts combine (all must hold)."""

    codes: tuple[str, ...] = ()
    unlabelled: bool = False  # no label printed yet
    first: str | None = None  # code range, inclusive, in code order
    last: str | None = None
    location: str | None = None  # a location code or its prefix: "A-03" covers A-03-02

    @property
    def empty(self) -> bool:
        return not (self.codes or self.unlabelled or self.first or self.last or self.location)


@dataclass(frozen=True)
class Planned:
    """One label of a batch: the folder, the generation it will carry, what it shows."""

    folder_id: int
    code: str
    generation: int
    content: LabelContent
    epc: str | None = None


def select_folders(selection: Selection, everything: bool = False) -> list[Folder]:
    """The folders a selection names, in code order; refuses an empty or unknown selection."""
    if selection.empty and not everything:
        raise VaultError(
            "say which folders: codes, --unlabelled, --range FIRST LAST, --location, "
            "--codes-file or --all"
        )
    query = Folder.select(Folder, Location).join(Location).order_by(Folder.code)
    if selection.codes:
        _require_registered(selection.codes)
        query = query.where(Folder.code.in_(selection.codes))
    if selection.unlabelled:
        query = query.where(Folder.label_generation == 0)
    if selection.first:
        query = query.where(Folder.code >= selection.first)
    if selection.last:
        query = query.where(Folder.code <= selection.last)
    if selection.location:
        loc = selection.location
        query = query.where((Location.code == loc) | Location.code.startswith(loc + "-"))
    folders = list(query)
    if not folders:
        raise VaultError("no registered folder matches that selection")
    return folders


def _require_registered(codes: tuple[str, ...]) -> None:
    found: set[str] = set()
    for start in range(0, len(codes), 500):  # stay under SQLite's bound-parameter limit
        chunk = codes[start : start + 500]
        found |= {c for (c,) in Folder.select(Folder.code).where(Folder.code.in_(chunk)).tuples()}
    missing = [c for c in codes if c not in found]
    if missing:
        shown = ", ".join(missing[:10]) + (
            f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        )
        raise VaultError(f"not registered: {shown}")


def content_for(folder: Folder, generation: int) -> LabelContent:
    level = Classification(folder.classification)
    return LabelContent(
        code=folder.code,
        title=folder.title,
        marking=marking(level, folder.retention),
        classified=level.is_classified,
        location=folder.location.code,
        barcode=labelcode.compose(folder.code, generation),
        generation=generation,
    )


def plan(folders: list[Folder], epc_for: Callable[[Folder], str] | None = None) -> list[Planned]:
    """The next generation of each folder's label; nothing is recorded yet."""
    return [
        Planned(
            f.id,
            f.code,
            f.label_generation + 1,
            content_for(f, f.label_generation + 1),
            epc_for(f) if epc_for else None,
        )
        for f in folders
    ]


def record_prints(batch: list[Planned], output: str) -> None:
    """Make the batch's generations current, or refuse if any folder was reprinted meanwhile."""
    now = utcnow()
    with database.atomic():
        for item in batch:
            changed = (
                Folder.update(label_generation=item.generation)
                .where(Folder.id == item.folder_id, Folder.label_generation == item.generation - 1)
                .execute()
            )
            if changed != 1:
                raise VaultError(
                    f"folder {item.code} was given a new label elsewhere while this batch was "
                    "printing; nothing from this batch was recorded: print the batch again"
                )
            if item.epc:
                Folder.update(rfid_epc=item.epc).where(
                    Folder.id == item.folder_id, Folder.rfid_epc.is_null()
                ).execute()
            LabelPrint.create(
                folder=item.folder_id,
                generation=item.generation,
                printed_at=now,
                output=output[:250],
                epc=item.epc,
            )


def contents(batch: list[Planned], progress: Progress | None = None) -> Iterator[LabelContent]:
    for done, item in enumerate(batch, start=1):
        yield item.content
        if progress is not None:
            progress(done, len(batch))


def history(code: str) -> list[dict]:
    """Every print of a folder's label, newest first, with which one is valid."""
    folder = Folder.get_or_none(Folder.code == code)
    if folder is None:
        raise VaultError(f"not registered: {code}")
    prints = folder.label_prints.order_by(LabelPrint.generation.desc())
    return [
        {
            "generation": p.generation,
            "barcode": labelcode.compose(code, p.generation),
            "printed_at": p.printed_at,
            "output": p.output,
            "epc": p.epc or "",
            "valid": p.generation == folder.label_generation,
        }
        for p in prints
    ]


def record_tag(code: str, tag: str) -> None:
    """Record a pre-encoded tag (its own EPC or 125 kHz id) against a folder."""
    tag = tag.strip().upper()
    if not tag or any(c not in "0123456789ABCDEF" for c in tag):
        raise VaultError(f"tag identity must be hexadecimal, got {tag!r}")
    with database.atomic():
        folder = Folder.get_or_none(Folder.code == code)
        if folder is None:
            raise VaultError(f"not registered: {code}")
        owner = Folder.get_or_none(Folder.rfid_epc == tag)
        if owner is not None and owner.id != folder.id:
            raise VaultError(f"tag {tag} is already recorded for folder {owner.code}")
        Folder.update(rfid_epc=tag).where(Folder.id == folder.id).execute()
