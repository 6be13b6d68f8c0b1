"""Stocktakes: open a count, record what the shelves show, explain and close.

Opening freezes the register's folders in scope as the expected list with one INSERT … SELECT
(a whole warehouse is a million folders; nothing of it passes through Python), so folders that
move during the count do not blur it, and writes each expected folder's result so far
(`stocktake_results`). Reads come from the handheld through the bridge (custody calls
`record_handheld_read` for every read at a handheld station) or from the desk page and the
command line (`scan`). A shelf label sets the shelf for the reads after it, per source; every
other read changes the result of what it read, in the read's own transaction.

The page's queries are `stocktake_page`; the files' reconciliation is `stocktake_report`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from peewee import JOIN, ModelSelect, Value, fn

from vault.db.models import (
    Folder,
    Location,
    Person,
    Stocktake,
    StocktakeExpected,
    StocktakeNote,
    StocktakeScan,
    database,
)
from vault.domain import labelcode
from vault.domain import stocktake as domain
from vault.domain.model import FolderState, Read, StationKind
from vault.domain.stocktake import Scope, ScopeKind
from vault.services import audit
from vault.services import stocktake_results as results
from vault.services.clock import shown, utcnow
from vault.services.errors import VaultError
from vault.services.stocktake_page import close_check


@dataclass(frozen=True)
class ScanResult:
    code: str
    kind: str  # "shelf", "folder" or "unregistered"
    shelf: str  # the shelf in force after this read


def get(stocktake_id: int | str) -> Stocktake:
    found = None
    if str(stocktake_id).isdigit():
        found = Stocktake.get_or_none(Stocktake.id == int(stocktake_id))
    if found is None:
        raise VaultError(f"there is no stocktake {stocktake_id}")
    return found


def open_stocktake(kind: str, value: str, by: str) -> Stocktake:
    """Open a count and freeze its expected list; refused for a scope naming no shelf."""
    try:
        scope = Scope.parse(kind, value)
    except ValueError as e:
        raise VaultError(str(e)) from None
    if not by.strip():
        raise VaultError("say who opens the count")
    with database.atomic():
        if scope.kind in (ScopeKind.ROOM, ScopeKind.SHELVES) and not _shelves(scope).exists():
            raise VaultError(f"no shelf of the register is in {scope.describe()}")
        stocktake = Stocktake.create(
            scope=scope.kind.value, scope_value=scope.value, opened_at=utcnow(), opened_by=by
        )
        _freeze(stocktake, scope)
        results.freeze(stocktake)
    return stocktake


def _shelves(scope: Scope) -> ModelSelect:
    """The registered shelves of a room ("A", or any "A-…") or of a range of shelves."""
    code = Location.code
    if scope.kind is ScopeKind.ROOM:
        room = scope.value  # "." is the character after "-": the range is every "A-…"
        return Location.select().where(
            (code == room) | ((code >= room + "-") & (code < room + "."))
        )
    low, high = scope.shelf_range
    return Location.select().where(code.between(low, high))


def _freeze(stocktake: Stocktake, scope: Scope) -> None:
    """The expected list, as one INSERT … SELECT (destroyed folders are never expected)."""
    chosen = (
        Folder.select(
            Value(stocktake.id),
            Folder.id,
            Folder.code,
            Location.code,
            Folder.state,
            fn.COALESCE(Person.name, ""),
            Folder.classification,
        )
        .join(Location, on=Folder.location == Location.id)
        .join(Person, JOIN.LEFT_OUTER, on=Folder.holder == Person.id)
        .where(Folder.state != FolderState.DESTROYED.value)
    )
    if scope.kind is ScopeKind.CLASSIFIED:
        chosen = chosen.where(Folder.classification.in_(sorted(domain.CLASSIFIED)))
    elif scope.kind is not ScopeKind.ALL:
        chosen = chosen.where(Location.id.in_(_shelves(scope).select(Location.id)))
    fields = [
        StocktakeExpected.stocktake,
        StocktakeExpected.folder,
        StocktakeExpected.code,
        StocktakeExpected.location,
        StocktakeExpected.state,
        StocktakeExpected.holder,
        StocktakeExpected.classification,
    ]
    StocktakeExpected.insert_from(chosen, fields).execute()


def open_counts() -> list[Stocktake]:
    """The counts still open (a handful at most: one indexed look-up per handheld read)."""
    return list(Stocktake.select().where(Stocktake.closed_at.is_null()))


def record_handheld_read(read: Read, code: str, folder: Folder | None) -> None:
    """Called by custody for every read it records: a read at a handheld is a scan of every
    open count. Any other station's read returns at once."""
    if read.station_kind is not StationKind.HANDHELD:
        return
    for stocktake in open_counts():
        changes = results.Changes()
        source, at = read.station_id, read.at
        shelf = _registered_shelf(code) if folder is None and not read.tag else None
        if shelf is not None:
            _store(stocktake, changes, source, at, domain.SHELF_PREFIX + shelf, shelf)
        else:
            shelf = _current_shelf(stocktake.id, source)
            _store(stocktake, changes, source, at, code, shelf, folder.id if folder else None)
        results.apply(changes, stocktake.id)


def scan(stocktake_id: int | str, codes: Iterable[str], source: str) -> list[ScanResult]:
    """Record codes typed or pasted at the desk (or given to the command line), in order."""
    with database.atomic():
        stocktake = _open(stocktake_id)
        shelf = _current_shelf(stocktake.id, source)
        changes, said = results.Changes(), []
        for raw in codes:
            code = raw.strip()
            if not code:
                continue
            at = utcnow()
            named = _registered_shelf(code)
            if named is not None:
                shelf = named
                _store(stocktake, changes, source, at, domain.SHELF_PREFIX + shelf, shelf)
                said.append(ScanResult(code, "shelf", shelf))
                continue
            folder_id = _folder_id(code)
            _store(stocktake, changes, source, at, code, shelf, folder_id)
            said.append(ScanResult(code, "folder" if folder_id else "unregistered", shelf))
        results.apply(changes, stocktake.id)
    if not said:
        raise VaultError("nothing was scanned")
    return said


def _open(stocktake_id: int | str) -> Stocktake:
    stocktake = get(stocktake_id)
    if stocktake.closed_at is not None:
        raise VaultError(
            f"stocktake {stocktake.id} was closed on {shown(stocktake.closed_at)} "
            f"by {stocktake.closed_by}; nothing more is recorded in it"
        )
    return stocktake


def _registered_shelf(code: str) -> str | None:
    candidate = domain.shelf_code(code)
    if not candidate:
        return None
    found = Location.select(Location.code).where(Location.code == candidate).first()
    return found.code if found else None


def _folder_id(code: str) -> int | None:
    """A folder's label (with or without its generation), or its tag typed by a desk reader."""
    named = labelcode.parse(code).code
    found = Folder.select(Folder.id).where(Folder.code == named).first()
    if found is None:
        found = Folder.select(Folder.id).where(Folder.rfid_epc == code.upper()).first()
    return found.id if found else None


def _current_shelf(stocktake_id: int, source: str) -> str:
    """The shelf of this source's latest read naming no folder: every read carries the shelf in
    force and only a shelf label (which names no folder) changes it, so that read has it too.
    Reads naming no folder are a few of a count's 200,000; the (stocktake, folder) index walks
    them newest first, where every read would be walked for a desk that has read nothing."""
    s = StocktakeScan
    latest = (
        s.select(s.shelf)
        .where(s.stocktake == stocktake_id, s.folder.is_null(), s.source == source)
        .order_by(s.id.desc())
        .first()
    )
    return latest.shelf if latest else ""


def current_shelf(stocktake_id: int, source: str) -> str:
    return _current_shelf(stocktake_id, source)


def _store(
    stocktake: Stocktake,
    changes: results.Changes,
    source: str,
    at: datetime,
    code: str,
    shelf: str,
    folder_id: int | None = None,
) -> None:
    """The read, and the result of what it read (a shelf label changes none)."""
    StocktakeScan.insert(
        stocktake=stocktake.id, at=at, source=source, shelf=shelf, code=code, folder=folder_id
    ).execute()
    changes[results.READS] += 1
    results.read(stocktake, code, shelf, folder_id, changes)


def explain(stocktake_id: int | str, code: str, note: str, by: str) -> StocktakeNote:
    """Staff's word on why an expected folder was not found ("sent for repair, receipt 12")."""
    note, code = note.strip(), labelcode.parse(code).code if code.strip() else ""
    with database.atomic():
        stocktake = _open(stocktake_id)
        if not note:
            raise VaultError("write why the folder was not found")
        e = StocktakeExpected  # found by its folder: the (stocktake, folder) index
        named = Folder.select(Folder.id).where(Folder.code == code)
        expected = (
            e.select(e.folder).where(e.stocktake == stocktake.id, e.folder.in_(named)).first()
        )
        if expected is None:
            raise VaultError(
                f"{code or 'that folder'} is not on the list of stocktake {stocktake.id}"
            )
        changes = results.Changes()
        earlier = results.explanation_of(stocktake.id, expected.folder_id)
        results.explained(stocktake, expected.folder_id, earlier, changes)
        results.apply(changes, stocktake.id)
        return StocktakeNote.create(
            stocktake=stocktake, folder=expected.folder_id, note=note, by=by, at=utcnow()
        )


def close(stocktake_id: int | str, by: str) -> dict[str, int]:
    """Close the count, unless a missing folder that must be accounted for is unexplained;
    the totals go into the hash-chained record."""
    with database.atomic():
        stocktake = _open(stocktake_id)
        refusal = close_check(stocktake)
        if refusal is not None:
            raise VaultError(refusal)
        counts, expected = results.totals(stocktake)
        summary = {c.name.lower(): n for c, n in counts.items()} | {
            "expected": expected,
            "reads": results.counts(stocktake)[results.READS],
            "scope": f"{stocktake.scope} {stocktake.scope_value}".strip(),
            "closed_by": by,
        }
        Stocktake.update(closed_at=utcnow(), closed_by=by).where(
            Stocktake.id == stocktake.id
        ).execute()
        audit.record_note(audit.STOCKTAKE_CLOSED, stocktake.id, summary)
    return summary


def latest_scans(stocktake: Stocktake, limit: int = 15) -> list[dict]:
    """The newest reads of a count, newest first, as the desk page lists them."""
    s = StocktakeScan
    query = (
        s.select(s.at, s.source, s.shelf, s.code, s.folder)
        .where(s.stocktake == stocktake.id)
        .order_by(s.id.desc())
        .limit(limit)
        .tuples()
    )
    out = []
    for at, source, shelf, code, folder_id in query:
        kind = "folder" if folder_id else "unregistered"
        if folder_id is None and domain.marks_shelf(code, shelf):
            kind = "shelf"
        out.append({"at": at, "source": source, "shelf": shelf, "code": code, "kind": kind})
    return out


def expected_count(stocktake: Stocktake) -> int:
    return results.totals(stocktake)[1]
