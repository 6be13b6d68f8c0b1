"""A stocktake's reconciliation as files: every line, in folder order, for the CSV and PDF.

The files are written from the reads themselves, not from the rows the page reads
(`stocktake_results`): this module streams the expected rows and the sightings in folder order
into `vault.domain.stocktake.reconcile`, which merges them without holding them, so a count of
a whole warehouse is written out row by row. It is also the reference the kept rows are tested
against.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import groupby

from vault.db.models import (
    CustodyEvent,
    Folder,
    Location,
    Stocktake,
    StocktakeExpected,
    StocktakeNote,
    StocktakeScan,
    database,
)
from vault.domain import stocktake as domain
from vault.domain.model import EventKind
from vault.domain.stocktake import Category, Line
from vault.services.clock import shown, to_local
from vault.services.report import Report
from vault.services.stocktake_results import scope_of, totals

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


# --- the reconciliation -------------------------------------------------------------------------


def lines(stocktake: Stocktake, only: Category | None = None) -> Iterator[Line]:
    """Every line of the reconciliation in folder order, then the unregistered codes; or only
    the lines of one result (the query then leaves out what cannot be of that result)."""
    scope = scope_of(stocktake)
    if only is not Category.UNREGISTERED:
        merged = domain.reconcile(
            expected_rows(stocktake, only),
            sightings(stocktake),
            scope,
            moves_of(stocktake) if only in (None, Category.MISSING) else {},
            explanations_of(stocktake),
            strangers=only in (None, Category.MISPLACED),
        )
        yield from merged if only is None else (li for li in merged if li.category is only)
    if only in (None, Category.UNREGISTERED):
        yield from domain.unregistered(unknown_reads(stocktake), scope)


def tally(stocktake: Stocktake, keep: int = 200) -> domain.Tally:
    return domain.Tally(scope_of(stocktake), keep).add_all(lines(stocktake))


def by_category(stocktake: Stocktake) -> Iterator[Line]:
    """Every line, grouped as reports list them: a pass per result, nothing held in memory."""
    for category in Category:
        yield from lines(stocktake, category)


# The three streams below are read as plain cursor rows: a whole warehouse is a million rows,
# and turning each into model values would cost more than the reconciliation itself.


def expected_rows(stocktake: Stocktake, only: Category | None = None) -> Iterator[domain.Expected]:
    e = StocktakeExpected
    query = (
        e.select(e.folder, e.code, e.location, e.state, e.holder, e.classification)
        .where(e.stocktake == stocktake.id)
        .order_by(e.folder)
    )
    if only is Category.ISSUED:
        query = query.where(e.state != domain.SHELVED)
    elif only in (Category.MISSING, Category.FOUND):
        query = query.where(e.state == domain.SHELVED)
    # (the misplaced need every expected row: an issued folder read is no stranger)
    for row in database.execute(query):
        yield domain.Expected(*row)


def sightings(stocktake: Stocktake) -> Iterator[domain.Seen]:
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


def unknown_reads(stocktake: Stocktake) -> Iterator[tuple[str, str]]:
    s = StocktakeScan
    query = (
        s.select(s.code, s.shelf)
        .where(s.stocktake == stocktake.id, s.folder.is_null())
        .order_by(s.id)
    )
    yield from database.execute(query)


def moves_of(
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


def explanations_of(stocktake: Stocktake, folders: list[int] | None = None) -> dict[int, str]:
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
