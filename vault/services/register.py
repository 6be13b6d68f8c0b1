"""Registering folders from a CSV file: all rows valid, or nothing imported.

The file is UTF-8 (a byte-order mark is accepted) with the header
`code,title,year,classification,retention,location`. Every bad row is reported with its line
number and reason, so the archivist can fix the whole file in one pass.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from vault.db.models import Folder, Location, database
from vault.domain.model import Classification
from vault.domain.retention import RetentionUnreadable, appraisal_date

HEADER = ["code", "title", "year", "classification", "retention", "location"]
# Printed as Code 128 and typed by keyboard scanners: plain ASCII, no spaces.
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")
CLASSIFICATIONS = ", ".join(c.value for c in Classification)


@dataclass(frozen=True)
class FolderRow:
    line: int
    code: str
    title: str
    year: int
    classification: Classification
    retention: str
    location: str


class ImportRejected(Exception):
    """The file has bad rows; nothing was imported."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing imported")


def read_rows(data: bytes, existing_codes: set[str]) -> list[FolderRow]:
    """Parse and check every row; raise ImportRejected listing every problem found."""
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise ImportRejected(["line 1: the file is empty; expected the header " + ",".join(HEADER)])
    if [h.strip().lower() for h in header] != HEADER:
        raise ImportRejected([f"line 1: the header must be {','.join(HEADER)}"])
    rows: list[FolderRow] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for fields in reader:
        line = reader.line_num
        if not any(f.strip() for f in fields):
            continue
        try:
            row = _check(line, fields)
        except ValueError as e:
            problems.append(f"line {line}: {e}")
            continue
        if row.code in seen:
            problems.append(f"line {line}: code {row.code} is also on line {seen[row.code]}")
        elif row.code in existing_codes:
            problems.append(f"line {line}: code {row.code} is already registered")
        seen.setdefault(row.code, line)
        rows.append(row)
    if problems:
        raise ImportRejected(problems)
    return rows


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ImportRejected([f"line {line}: not UTF-8 text (save the file as UTF-8)"]) from None


def _check(line: int, fields: list[str]) -> FolderRow:
    if len(fields) != len(HEADER):
        raise ValueError(f"expected {len(HEADER)} fields, found {len(fields)}")
    code, title, year, classification, retention, location = (f.strip() for f in fields)
    if not CODE_PATTERN.match(code):
        raise ValueError(
            f"code {code!r} must be 1-40 letters, digits, '.', '_', '/' or '-', with no spaces"
        )
    if not title:
        raise ValueError(f"folder {code} has no title")
    if not re.fullmatch(r"\d{4}", year):
        raise ValueError(f"year {year!r} is not a four-digit year")
    try:
        level = Classification(classification)
    except ValueError:
        raise ValueError(
            f"classification {classification!r} is not one of {CLASSIFICATIONS}"
        ) from None
    if not location:
        raise ValueError(f"folder {code} has no location")
    return FolderRow(line, code, title, int(year), level, retention, location)


def import_file(path: Path) -> int:
    """Register every folder in the CSV file at `path`; return how many."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ImportRejected([f"cannot read {path}: {e.strerror}"]) from None
    with database.atomic():
        existing = {c for (c,) in Folder.select(Folder.code).tuples()}
        rows = read_rows(data, existing)
        locations = _locations({r.location for r in rows})
        for start in range(0, len(rows), 500):
            Folder.insert_many(
                [_folder_fields(r, locations) for r in rows[start : start + 500]]
            ).execute()
    return len(rows)


def _locations(codes: set[str]) -> dict[str, int]:
    known = {loc.code: loc.id for loc in Location.select()}
    for code in sorted(codes - known.keys()):
        known[code] = Location.create(code=code).id
    return known


def _folder_fields(row: FolderRow, locations: dict[str, int]) -> dict:
    return {
        "code": row.code,
        "title": row.title,
        "year": row.year,
        "classification": row.classification.value,
        "retention": row.retention,
        "location": locations[row.location],
        "appraisal_on": _appraisal_on(row),
    }


def _appraisal_on(row: FolderRow) -> date | None:
    """When the folder comes due for appraisal. A retention period nobody can read is taken
    as written and left without a date, as the v7 migration does: the appraisal page lists such
    folders for someone to correct, and a whole file is not refused over one odd period."""
    try:
        return appraisal_date(row.year, row.retention)
    except RetentionUnreadable:
        return None
