"""Stocktakes: open a count, record what the shelves show, reconcile, explain and close.

Opening freezes the register's folders in scope as the expected list with one INSERT … SELECT
(a whole warehouse is a million folders; nothing of it passes through Python), so folders that
move during the count do not blur it. Reads come from the handheld through the bridge (custody
calls `record_handheld_read` for every read at a handheld station) or from the desk page and
the command line (`scan`). A shelf label sets the shelf for the reads after it, per source.

The reconciliation itself is `vault.domain.stocktake`; this module streams it the expected rows
and the sightings in folder order and hands the lines to pages, CSV and PDF files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from peewee import JOIN, SQL, Case, Expression, Field, ModelSelect, Value, fn

from vault.db.models import (
    CustodyEvent,
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
from vault.domain.model import EventKind, FolderState, Read, StationKind
from vault.domain.stocktake import Category, Line, Scope, ScopeKind
from vault.services import audit
from vault.services.clock import shown, to_local, utcnow
from vault.services.errors import VaultError
from vault.services.report import Report

# Custody events that move a folder: a missing folder's line says which happened after opening.
MOVES = tuple(
    k.value
    for k in (
        EventKind.LEFT_WAREHOUSE,
        EventKind.RETURNED_TO_WAREHOUSE,
        EventKind.ISSUED,
        EventKind.CHECKED_IN,
        EventKind.LEFT_READING_ROOM,
        EventKind.BACK_IN_READING_ROOM,
        EventKind.DESTROYED,
    )
)
COLUMNS = [
    ("category", "Result"),
    ("code", "Folder"),
    ("classification", "Classification"),
    ("home", "Home shelf"),
    ("found_on", "Found on"),
    ("state", "State at opening"),
    ("holder", "Holder"),
    ("note", "Note"),
    ("explanation", "Explanation"),
]


def _plain(text: str, **values: object) -> str:
    return text.format(**values) if values else text


Words = Callable[..., str]  # a page's `_`: the text in the reader's language, values filled in


@dataclass(frozen=True)
class ScanResult:
    code: str
    kind: str  # "shelf", "folder" or "unregistered"
    shelf: str  # the shelf in force after this read


def scope_of(stocktake: Stocktake) -> Scope:
    return Scope(ScopeKind(stocktake.scope), stocktake.scope_value)


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


def open_ids() -> list[int]:
    """The counts still open (a handful at most: one indexed look-up per handheld read)."""
    return [
        s for (s,) in Stocktake.select(Stocktake.id).where(Stocktake.closed_at.is_null()).tuples()
    ]


def record_handheld_read(read: Read, code: str, folder: Folder | None) -> None:
    """Called by custody for every read it records: a read at a handheld is a scan of every
    open count. Any other station's read returns at once."""
    if read.station_kind is not StationKind.HANDHELD:
        return
    for stocktake_id in open_ids():
        if folder is None and not read.tag:
            shelf = _registered_shelf(code)
            if shelf is not None:
                _store(stocktake_id, read.station_id, read.at, domain.SHELF_PREFIX + shelf, shelf)
                continue
        shelf = _current_shelf(stocktake_id, read.station_id)
        _store(stocktake_id, read.station_id, read.at, code, shelf, folder.id if folder else None)


def scan(stocktake_id: int | str, codes: Iterable[str], source: str) -> list[ScanResult]:
    """Record codes typed or pasted at the desk (or given to the command line), in order."""
    with database.atomic():
        stocktake = _open(stocktake_id)
        shelf = _current_shelf(stocktake.id, source)
        results = []
        for raw in codes:
            code = raw.strip()
            if not code:
                continue
            at = utcnow()
            named = _registered_shelf(code)
            if named is not None:
                shelf = named
                _store(stocktake.id, source, at, domain.SHELF_PREFIX + shelf, shelf)
                results.append(ScanResult(code, "shelf", shelf))
                continue
            folder_id = _folder_id(code)
            _store(stocktake.id, source, at, code, shelf, folder_id)
            results.append(ScanResult(code, "folder" if folder_id else "unregistered", shelf))
    if not results:
        raise VaultError("nothing was scanned")
    return results


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
    """The shelf of this source's latest read: every scan row carries the shelf in force."""
    latest = (
        StocktakeScan.select(StocktakeScan.shelf)
        .where(StocktakeScan.stocktake == stocktake_id, StocktakeScan.source == source)
        .order_by(StocktakeScan.id.desc())
        .first()
    )
    return latest.shelf if latest else ""


def current_shelf(stocktake_id: int, source: str) -> str:
    return _current_shelf(stocktake_id, source)


def _store(
    stocktake_id: int, source: str, at: datetime, code: str, shelf: str, folder_id=None
) -> None:
    StocktakeScan.insert(
        stocktake=stocktake_id, at=at, source=source, shelf=shelf, code=code, folder=folder_id
    ).execute()


def explain(stocktake_id: int | str, code: str, note: str, by: str) -> StocktakeNote:
    """Staff's word on why an expected folder was not found ("sent for repair, receipt 12")."""
    note, code = note.strip(), labelcode.parse(code).code if code.strip() else ""
    with database.atomic():
        stocktake = _open(stocktake_id)
        if not note:
            raise VaultError("write why the folder was not found")
        expected = (
            StocktakeExpected.select(StocktakeExpected.folder)
            .where(StocktakeExpected.stocktake == stocktake.id, StocktakeExpected.code == code)
            .first()
        )
        if expected is None:
            raise VaultError(
                f"{code or 'that folder'} is not on the list of stocktake {stocktake.id}"
            )
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
        counts, expected = totals(stocktake)
        summary = {c.name.lower(): n for c, n in counts.items()} | {
            "expected": expected,
            "reads": _reads(stocktake.id),
            "scope": f"{stocktake.scope} {stocktake.scope_value}".strip(),
            "closed_by": by,
        }
        Stocktake.update(closed_at=utcnow(), closed_by=by).where(
            Stocktake.id == stocktake.id
        ).execute()
        audit.record_note(audit.STOCKTAKE_CLOSED, stocktake.id, summary)
    return summary


# --- the reconciliation -------------------------------------------------------------------------


def lines(stocktake: Stocktake, only: Category | None = None) -> Iterator[Line]:
    """Every line of the reconciliation in folder order, then the unregistered codes; or only
    the lines of one result (the query then leaves out what cannot be of that result)."""
    scope = scope_of(stocktake)
    if only is not Category.UNREGISTERED:
        merged = domain.reconcile(
            _expected(stocktake, only),
            _seen(stocktake),
            scope,
            _moves(stocktake) if only in (None, Category.MISSING) else {},
            _explanations(stocktake),
            strangers=only in (None, Category.MISPLACED),
        )
        yield from merged if only is None else (li for li in merged if li.category is only)
    if only in (None, Category.UNREGISTERED):
        yield from domain.unregistered(_unknown_reads(stocktake), scope)


def tally(stocktake: Stocktake, keep: int = 200) -> domain.Tally:
    return domain.Tally(scope_of(stocktake), keep).add_all(lines(stocktake))


def by_category(stocktake: Stocktake) -> Iterator[Line]:
    """Every line, grouped as reports list them: a pass per result, nothing held in memory."""
    for category in Category:
        yield from lines(stocktake, category)


# The three streams below are read as plain cursor rows: a whole warehouse is a million rows,
# and turning each into model values would cost more than the reconciliation itself.


def _expected(stocktake: Stocktake, only: Category | None = None) -> Iterator[domain.Expected]:
    e = StocktakeExpected
    query = (
        e.select(e.folder, e.code, e.location, e.state, e.holder, e.classification)
        .where(e.stocktake == stocktake.id)
        .order_by(e.folder)
    )
    if only is Category.ISSUED:
        query = query.where(e.state != domain.SHELVED)
    elif only is not None:
        query = query.where(e.state == domain.SHELVED)
    for row in database.execute(query):
        yield domain.Expected(*row)


def _seen(stocktake: Stocktake) -> Iterator[domain.Seen]:
    s = StocktakeScan
    query = (
        s.select(s.folder, s.shelf, Folder.code, Location.code, Folder.classification, Folder.state)
        .join(Folder, on=s.folder == Folder.id)
        .join(Location, on=Folder.location == Location.id)
        .where(s.stocktake == stocktake.id, s.folder.is_null(False))
        .order_by(s.folder)
    )
    for folder_id, reads in groupby(database.execute(query), key=lambda row: row[0]):
        rows = list(reads)
        _, _, code, home, classification, state = rows[0]
        shelves = frozenset(row[1] for row in rows)
        yield domain.Seen(folder_id, code, home, classification, shelves, state)


def _unknown_reads(stocktake: Stocktake) -> Iterator[tuple[str, str]]:
    s = StocktakeScan
    query = (
        s.select(s.code, s.shelf)
        .where(s.stocktake == stocktake.id, s.folder.is_null())
        .order_by(s.id)
    )
    yield from database.execute(query)


def _moves(
    stocktake: Stocktake, folders: list[int] | None = None
) -> dict[int, list[domain.Movement]]:
    """Movements of the expected folders (or of these folders only: the page's few lines)
    after the count opened (and before it closed)."""
    e = CustodyEvent
    listed = StocktakeExpected.select(StocktakeExpected.folder).where(
        StocktakeExpected.stocktake == stocktake.id
    )
    query = e.select(e.folder, e.kind, e.at).where(
        e.at > stocktake.opened_at,
        e.kind.in_(MOVES),
        e.folder.in_(listed if folders is None else folders),
    )
    if stocktake.closed_at is not None:
        query = query.where(e.at <= stocktake.closed_at)
    opened_day = to_local(stocktake.opened_at).date()
    moves: dict[int, list[domain.Movement]] = {}
    for folder_id, kind, at in query.order_by(e.at, e.id).tuples():
        local = to_local(at)
        text = local.strftime("%H:%M" if local.date() == opened_day else "%Y-%m-%d %H:%M")
        moves.setdefault(folder_id, []).append(domain.Movement(kind, text))
    return moves


def _explanations(stocktake: Stocktake, folders: list[int] | None = None) -> dict[int, str]:
    n = StocktakeNote
    notes: dict[int, list[str]] = {}
    query = n.select(n.folder, n.note, n.by).where(n.stocktake == stocktake.id).order_by(n.id)
    if folders is not None:
        query = query.where(n.folder.in_(folders))
    for folder_id, note, by in query.tuples():
        notes.setdefault(folder_id, []).append(f"{note} ({by})")
    return {folder_id: "; ".join(texts) for folder_id, texts in notes.items()}


# --- what pages and files show --------------------------------------------------------------


def headline(stocktake: Stocktake, _: Words = _plain) -> list[str]:
    """The lines under a report's title: scope, who opened and closed it."""
    scope = _(scope_of(stocktake).describe())
    said = [
        _("Scope: {scope}", scope=scope),
        _("Opened {at} by {who}", at=shown(stocktake.opened_at), who=stocktake.opened_by),
    ]
    if stocktake.closed_at is None:
        said.append(_("Still open: reads are being recorded."))
    else:
        said.append(
            _("Closed {at} by {who}", at=shown(stocktake.closed_at), who=stocktake.closed_by)
        )
    return said


def totals_line(counts: dict[Category, int], expected: int, _: Words = _plain) -> str:
    return _(
        "Expected {expected}: found {found}, misplaced {misplaced}, missing {missing}, "
        "issued at the time of the count {issued}; unregistered codes {unregistered}",
        expected=expected,
        found=counts[Category.FOUND],
        misplaced=counts[Category.MISPLACED],
        missing=counts[Category.MISSING],
        issued=counts[Category.ISSUED],
        unregistered=counts[Category.UNREGISTERED],
    )


def row_of(line: Line, _: Words = _plain) -> dict:
    return {
        "category": _(line.category.value),
        "code": line.code,
        "classification": _(line.classification) if line.classification else "",
        "home": line.home,
        "found_on": ", ".join(line.found_on),
        "state": _(line.state) if line.state else "",
        "holder": line.holder,
        "note": _(line.note) if line.note else "",
        "explanation": line.explanation,
    }


def report(stocktake: Stocktake, _: Words = _plain) -> Report:
    """The whole reconciliation, totals at the top, every line grouped by result."""
    counts, expected = totals(stocktake)
    return Report(
        title=_("Stocktake {n}", n=stocktake.id),
        lines=[*headline(stocktake, _), totals_line(counts, expected, _)],
        columns=COLUMNS,
        rows=(row_of(line, _) for line in by_category(stocktake)),
        footer=[_("Counted by: ____________    Checked by: ____________")],
        name=f"stocktake-{stocktake.id}",
    )


def expected_count(stocktake: Stocktake) -> int:
    return StocktakeExpected.select().where(StocktakeExpected.stocktake == stocktake.id).count()


def listing(every_count: bool = True) -> list[dict]:
    """Every stocktake, newest first, with how many folders it expected and reads it has —
    for the open ones only unless `every_count` (each is a count over up to a million rows:
    the list page leaves the closed ones' figures to their own page and closing record)."""
    counted = Stocktake.select(Stocktake.id)
    if not every_count:
        counted = counted.where(Stocktake.closed_at.is_null())
    ids = [i for (i,) in counted.tuples()]
    expected = dict(
        StocktakeExpected.select(StocktakeExpected.stocktake, fn.COUNT(StocktakeExpected.id))
        .where(StocktakeExpected.stocktake.in_(ids))
        .group_by(StocktakeExpected.stocktake)
        .tuples()
    )
    reads = dict(
        StocktakeScan.select(StocktakeScan.stocktake, fn.COUNT(StocktakeScan.id))
        .where(StocktakeScan.stocktake.in_(ids))
        .group_by(StocktakeScan.stocktake)
        .tuples()
    )
    counts = set(ids)
    return [
        {
            "id": s.id,
            "scope": scope_of(s).describe(),
            "opened_at": s.opened_at,
            "opened_by": s.opened_by,
            "closed_at": s.closed_at,
            "closed_by": s.closed_by,
            "expected": expected.get(s.id, 0) if s.id in counts else None,
            "reads": reads.get(s.id, 0) if s.id in counts else None,
        }
        for s in Stocktake.select().order_by(Stocktake.id.desc())
    ]


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


# --- the page in SQL ----------------------------------------------------------------------------
# The page shows the totals and a few hundred lines; reading a million expected rows into
# Python for that took seconds. These queries say the same rules as `domain.classify`,
# `domain.stranger` and `domain.unregistered` in SQL, walking the (stocktake, folder) indexes;
# the lines shown are then built by those very functions from their own few rows, and
# tests/integration/test_stocktake.py checks that both ways give the same counts and lines.


@dataclass
class Page:
    """What the count's page shows: the totals, and per result its lines from `after` on and
    the code to go on after when there are more."""

    counts: dict[Category, int]
    expected: int
    lines: dict[Category, list[Line]]
    more: dict[Category, str]
    unexplained: bool  # a missing folder still stops the count from closing


def page(
    stocktake: Stocktake, keep: int = 200, category: Category | None = None, after: str = ""
) -> Page:
    """The totals and the first `keep` lines of each result in code order (of `category`, the
    `keep` lines after the code `after`)."""
    counts, expected = totals(stocktake)
    lines, more = {}, {}
    for result in Category:
        start = after if result is category else ""
        shown = first_lines(stocktake, result, keep + 1, start) if counts[result] else []
        lines[result] = shown[:keep]
        if len(shown) > keep:
            more[result] = shown[keep - 1].code
    return Page(counts, expected, lines, more, _unexplained(stocktake).exists())


def totals(stocktake: Stocktake) -> tuple[dict[Category, int], int]:
    """The count of each result, and of folders expected. Found and misplaced are counted from
    the folders read (a count reads far fewer than it expects); missing is the rest of the
    shelved ones."""
    e, sid, scope = StocktakeExpected, stocktake.id, scope_of(stocktake)
    expected = e.select().where(e.stocktake == sid).count()
    issued = e.select().where(e.stocktake == sid, e.state != domain.SHELVED).count()
    s = StocktakeScan
    read = s.select(s.folder).where(s.stocktake == sid, s.folder.is_null(False)).distinct()
    seen, found = (
        e.select(fn.COUNT(e.id), fn.SUM(Case(None, [(_found_here(sid, e), 1)], 0)))
        .where(e.stocktake == sid, e.state == domain.SHELVED, e.folder.in_(read))
        .scalar(as_tuple=True)
    )
    seen, found = seen or 0, found or 0
    strangers = _strangers(sid, scope).select(fn.COUNT(s.folder.distinct())).scalar() or 0
    unknown = _unknown(sid, scope).select(fn.COUNT(s.code.distinct())).scalar() or 0
    counts = {
        Category.MISSING: expected - issued - seen,
        Category.MISPLACED: seen - found + strangers,
        Category.ISSUED: issued,
        Category.UNREGISTERED: unknown,
        Category.FOUND: found,
    }
    return counts, expected


def close_check(stocktake: Stocktake) -> str | None:
    """Why the count may not close yet (missing folders nobody has explained), or None."""
    unexplained = _unexplained(stocktake)
    first = [code for (code,) in unexplained.order_by(StocktakeExpected.folder).limit(10).tuples()]
    if not first:
        return None
    result = domain.Tally(scope_of(stocktake), keep=0)
    result.unexplained, result.unexplained_codes = unexplained.count(), first
    return result.close_refusal()


def first_lines(
    stocktake: Stocktake, category: Category, limit: int, after: str = ""
) -> list[Line]:
    """The lines of one result in code order after the code `after`, at most `limit`."""
    sid, scope = stocktake.id, scope_of(stocktake)
    if category is Category.UNREGISTERED:
        s = StocktakeScan
        codes = [
            c
            for (c,) in _unknown(sid, scope)
            .select(s.code)
            .where(s.code > after)
            .group_by(s.code)
            .order_by(s.code)
            .limit(limit)
            .tuples()
        ]
        reads = s.select(s.code, s.shelf).where(s.stocktake == sid, s.folder.is_null())
        found = domain.unregistered(reads.where(s.code.in_(codes)).tuples(), scope) if codes else []
        return sorted(found, key=lambda line: line.code)
    e = StocktakeExpected
    chosen = e.select(e.folder, e.code, e.location, e.state, e.holder, e.classification).where(
        e.stocktake == sid, e.code > after, _of(category, sid, e)
    )
    rows = [domain.Expected(*row) for row in chosen.order_by(e.code).limit(limit).tuples()]
    folders = [row.folder_id for row in rows]
    strangers: list[Line] = []
    if category is Category.MISPLACED:
        strangers = _stranger_lines(stocktake, scope, limit, after)
    shelves = _shelves_read(sid, folders)
    moves = _moves(stocktake, folders) if category is Category.MISSING else {}
    notes = _explanations(stocktake, folders)
    listed = [
        domain.classify(
            row,
            shelves.get(row.folder_id, ()),
            moves.get(row.folder_id, ()),
            notes.get(row.folder_id, ""),
        )
        for row in rows
    ]
    return sorted(listed + strangers, key=lambda line: line.code)[:limit]


def _of(category: Category, sid: int, e: type[StocktakeExpected]) -> Expression:
    """An expected row's result as a condition on it (`domain.classify` in SQL)."""
    if category is Category.ISSUED:
        return e.state != domain.SHELVED
    read = fn.EXISTS(_scans_of(sid, e.folder))
    found = _found_here(sid, e)
    return (e.state == domain.SHELVED) & {
        Category.MISSING: ~read,
        Category.FOUND: found,
        Category.MISPLACED: read & ~found,
    }[category]


def _scans_of(sid: int, folder: Field, where=None) -> ModelSelect:
    s = StocktakeScan.alias()
    query = s.select(SQL("1")).where(s.stocktake == sid, s.folder == folder)
    return query if where is None else query.where(where(s))


def _found_here(sid: int, e: type[StocktakeExpected]) -> Expression:
    """Read on its home shelf, or read before any shelf label."""
    return fn.EXISTS(_scans_of(sid, e.folder, lambda s: (s.shelf == e.location) | (s.shelf == "")))


def _covered(scope: Scope, shelf: Field) -> Expression:
    """`Scope.covers_shelf` in SQL: "" (no shelf read yet) is covered by every scope."""
    low, high = scope.shelf_range
    where = {
        ScopeKind.ALL: shelf.is_null(False),
        ScopeKind.ROOM: (shelf == scope.value)
        | ((shelf >= scope.value + "-") & (shelf < scope.value + ".")),
        ScopeKind.SHELVES: shelf.between(low, high),
        ScopeKind.CLASSIFIED: shelf == "",
    }[scope.kind]
    return (shelf == "") | where


def _strangers(sid: int, scope: Scope) -> ModelSelect:
    """Reads of folders the count did not expect, on shelves of the scope (`domain.stranger`)."""
    s, e = StocktakeScan, StocktakeExpected.alias()
    listed = e.select(SQL("1")).where(e.stocktake == sid, e.folder == s.folder)
    return s.select().where(
        s.stocktake == sid, s.folder.is_null(False), _covered(scope, s.shelf), ~fn.EXISTS(listed)
    )


def _stranger_lines(stocktake: Stocktake, scope: Scope, limit: int, after: str) -> list[Line]:
    s = StocktakeScan
    named = (
        _strangers(stocktake.id, scope)
        .select(s.folder, Folder.code, Location.code, Folder.classification, Folder.state)
        .join(Folder, on=s.folder == Folder.id)
        .join(Location, on=Folder.location == Location.id)
        .where(Folder.code > after)
        .group_by(s.folder, Folder.code, Location.code, Folder.classification, Folder.state)
        .order_by(Folder.code)
        .limit(limit)
        .tuples()
    )
    rows = list(named)
    shelves = _shelves_read(stocktake.id, [row[0] for row in rows])
    seen = (
        domain.Seen(folder, code, home, level, frozenset(shelves[folder]), state)
        for folder, code, home, level, state in rows
    )
    return [line for line in (domain.stranger(one, scope) for one in seen) if line is not None]


def _unknown(sid: int, scope: Scope) -> ModelSelect:
    """Reads naming no folder, on shelves of the scope, shelf labels left out."""
    s = StocktakeScan
    label = (s.shelf != "") & (s.code == Value(domain.SHELF_PREFIX).concat(s.shelf))
    return s.select().where(
        s.stocktake == sid, s.folder.is_null(), _covered(scope, s.shelf), ~label
    )


def _shelves_read(sid: int, folders: list[int]) -> dict[int, set[str]]:
    s, shelves = StocktakeScan, {}
    if folders:
        query = s.select(s.folder, s.shelf).where(s.stocktake == sid, s.folder.in_(folders))
        for folder, shelf in query.tuples():
            shelves.setdefault(folder, set()).add(shelf)
    return shelves


def _unexplained(stocktake: Stocktake) -> ModelSelect:
    """Missing folders that stop the count from closing (`domain.must_be_explained` in SQL)."""
    e, n, sid = StocktakeExpected, StocktakeNote, stocktake.id
    noted = n.select(SQL("1")).where(n.stocktake == sid, n.folder == e.folder)
    query = e.select(e.code).where(
        e.stocktake == sid, _of(Category.MISSING, sid, e), ~fn.EXISTS(noted)
    )
    if stocktake.scope != ScopeKind.CLASSIFIED.value:
        query = query.where(e.classification.in_(sorted(domain.CLASSIFIED)))
    return query


def _reads(sid: int) -> int:
    return StocktakeScan.select().where(StocktakeScan.stocktake == sid).count()
