"""Printing labels for registered folders: folder records in, a PDF of label sheets out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from labels.content import LabelContent
from labels.sheets import write_sheets
from vault.db.models import Folder, Location
from vault.domain.model import Classification, marking
from vault.services.errors import VaultError


def label_for(folder: Folder) -> LabelContent:
    level = Classification(folder.classification)
    return LabelContent(
        code=folder.code,
        title=folder.title,
        marking=marking(level, folder.retention),
        classified=level.is_classified,
        location=folder.location.code,
    )


def print_labels(path: Path, codes: list[str] | None = None) -> int:
    """Write labels for the folders named (all folders when none are named); return how many."""
    query = Folder.select(Folder, Location).join(Location).order_by(Folder.code)
    if codes:
        found = {c for (c,) in Folder.select(Folder.code).where(Folder.code.in_(codes)).tuples()}
        missing = [c for c in codes if c not in found]
        if missing:
            raise VaultError(f"not registered: {', '.join(missing)}")
        query = query.where(Folder.code.in_(codes))
    elif not Folder.select().exists():
        raise VaultError("no folders are registered yet: run `vault import FILE.csv` first")

    def contents() -> Iterator[LabelContent]:
        for folder in query.iterator():
            yield label_for(folder)

    return write_sheets(contents(), path)
