"""Each folder's result in a stocktake, kept up to date as the reads arrive.

The count's page shows totals and the first lines of each result; reconciling a million expected
rows against the reads for that took seconds a load. So the reconciliation is kept instead of
recounted: opening writes a `StocktakeResult` row for every expected folder (one INSERT …
SELECT: missing when it was shelved, issued when not) and the totals (`StocktakeTally`); each
read then changes the row of what it read, and the totals, in the read's own transaction. The
new result is decided by the same rules as the files' reconciliation (`domain.classify`,
`domain.stranger`, `domain.unregistered`), from the row's shelves seen so far and the new one;
tests/integration/test_stocktake.py holds the rows to that reconciliation.

Concurrent reads (the bridge's handheld and the desk pages) each change a row by reading it
and writing it back. On SQLite every transaction is BEGIN IMMEDIATE, so writers take turns and
the read sees the last commit. On PostgreSQL the row is read FOR UPDATE (a second read of the
same folder waits for the first to commit, then sees its shelves); a first read of a stranger or
an unknown code inserts with ON CONFLICT DO NOTHING against the unique indexes, so two at once
make one row; the totals are added to (count = count + n), last and in a fixed order, so their
hot rows are locked only to the commit and two transactions never take them in opposite orders.
"""

from __future__ import annotations

from collections import Counter

from peewee import Case, ModelSelect, Value, fn

from vault.db.models import (
    Folder,
    Location,
    Stocktake,
    StocktakeExpected,
    StocktakeNote,
    StocktakeResult,
    StocktakeTally,
    database,
)
from vault.domain import stocktake as domain
from vault.domain.stocktake import Category, Scope, ScopeKind

EXPECTED, READS, UNEXPLAINED = "expected", "reads", "unexplained"  # tallies besides results
Changes = Counter  # tally name -> how much it changes in this transaction


def scope_of(stocktake: Stocktake) -> Scope:
    return Scope(ScopeKind(stocktake.scope), stocktake.scope_value)


def shelves_of(row_reads: int, text: str) -> frozenset[str]:
    """The shelves a row was read on ("" — read before any shelf label — is one of them)."""
    return frozenset(text.split("\n")) if row_reads else frozenset()


def _text(shelves: frozenset[str]) -> str:
    return "\n".join(sorted(shelves))


def freeze(stocktake: Stocktake) -> None:
    """The rows and totals of a count just opened, from its expected list: nothing read yet,
    so a shelved folder is missing, any other issued; classified missing ones (every missing
    one in a count of the classified folders) are unexplained (`domain.must_be_explained`)."""
    e, r, sid = StocktakeExpected, StocktakeResult, stocktake.id
    shelved = e.state == domain.SHELVED
    result = Case(None, [(shelved, Category.MISSING.value)], Category.ISSUED.value)
    chosen = e.select(Value(sid), e.folder, e.code, result, Value(True), Value(0), Value(""))
    fields = [r.stocktake, r.folder, r.code, r.result, r.listed, r.reads, r.shelves]
    r.insert_from(chosen.where(e.stocktake == sid), fields).execute()
    needs = shelved
    if stocktake.scope != ScopeKind.CLASSIFIED.value:
        needs = shelved & e.classification.in_(sorted(domain.CLASSIFIED))
    expected, missing, unexplained = (
        e.select(fn.COUNT(e.id), _sum(shelved), _sum(needs))
        .where(e.stocktake == sid)
        .scalar(as_tuple=True)
    )
    counts = dict.fromkeys([c.value for c in Category], 0) | {
        Category.MISSING.value: missing or 0,
        Category.ISSUED.value: expected - (missing or 0),
        EXPECTED: expected,
        READS: 0,
        UNEXPLAINED: unexplained or 0,
    }
    StocktakeTally.insert_many(
        [{"stocktake": sid, "result": name, "count": n} for name, n in counts.items()]
    ).execute()


def _sum(condition) -> fn:
    return fn.SUM(Case(None, [(condition, 1)], 0))


def counts(stocktake: Stocktake) -> dict[str, int]:
    """Every tally of a count: a handful of rows, read by their index."""
    t = StocktakeTally
    query = t.select(t.result, t.count).where(t.stocktake == stocktake.id)
    return dict(query.tuples())


def totals(stocktake: Stocktake) -> tuple[dict[Category, int], int]:
    """The count of each result, and of folders expected."""
    known = counts(stocktake)
    return {c: known.get(c.value, 0) for c in Category}, known.get(EXPECTED, 0)


def apply(changes: Changes, stocktake_id: int) -> None:
    """Add this transaction's changes to the totals, in a fixed order, last."""
    t = StocktakeTally
    for name in sorted(changes):
        if changes[name]:
            t.update(count=t.count + changes[name]).where(
                t.stocktake == stocktake_id, t.result == name
            ).execute()


def _locked(query: ModelSelect) -> StocktakeResult | None:
    """The row, locked to the end of the transaction where the database can (PostgreSQL);
    SQLite's IMMEDIATE transaction already holds the only write lock."""
    if database.for_update:
        query = query.for_update()
    return query.first()


def read(stocktake: Stocktake, code: str, shelf: str, folder_id: int | None, changes: Changes):
    """A code read on a shelf: its row and the totals brought up to date (a shelf label read,
    which `domain.unregistered` leaves out, changes none)."""
    scope = scope_of(stocktake)
    r = StocktakeResult
    if folder_id is None:
        for line in domain.unregistered([(code, shelf)], scope):
            query = r.select().where(
                r.stocktake == stocktake.id, r.result == line.category.value, r.code == code
            )
            _seen(stocktake.id, query, {"code": code, "result": line.category.value}, shelf,
                  changes, scope)  # fmt: skip
        return
    query = r.select().where(r.stocktake == stocktake.id, r.folder == folder_id)
    row = _locked(query)
    if row is not None and row.listed:
        _expected_read(stocktake, row, shelf, changes)
        return
    line = _stranger(folder_id, shelves_of(1, shelf), scope)
    if row is None and line is None:
        return  # a folder from elsewhere read on a shelf outside the count: not part of it
    fresh = {"folder": folder_id, "listed": False}
    if line is not None:
        fresh |= {"code": line.code, "result": line.category.value}
    _seen(stocktake.id, query, fresh, shelf, changes, scope)


def _seen(sid: int, query: ModelSelect, fresh: dict, shelf: str, changes: Changes, scope: Scope):
    """A stranger's or an unknown code's row: made by its first read, added to by the others
    (`fresh`: the row its first read makes)."""
    row = _locked(query)
    if row is None:
        insert = StocktakeResult.insert(stocktake=sid, reads=1, shelves=shelf, **fresh)
        if database.execute(insert.on_conflict_ignore()).rowcount == 1:
            changes[fresh["result"]] += 1
            return
        row = _locked(query)  # another transaction made it first (PostgreSQL only)
    shelves = shelves_of(row.reads, row.shelves) | {shelf}
    result = row.result
    if row.folder_id is not None:  # a stranger: still misplaced (`domain.stranger`)
        line = _stranger(row.folder_id, shelves, scope)
        result = line.category.value if line else result
    _write(row, result, shelves, changes)


def _stranger(folder_id: int, shelves: frozenset[str], scope: Scope):
    f = Folder
    found = (
        f.select(f.code, Location.code, f.classification, f.state)
        .join(Location, on=f.location == Location.id)
        .where(f.id == folder_id)
        .tuples()
        .first()
    )
    code, home, level, state = found
    return domain.stranger(domain.Seen(folder_id, code, home, level, shelves, state), scope)


def _expected_read(stocktake: Stocktake, row: StocktakeResult, shelf: str, changes: Changes):
    """An expected folder read: `domain.classify` on its shelves so far and this one."""
    expected = expected_of(stocktake.id, row.folder_id)
    shelves = shelves_of(row.reads, row.shelves)
    explanation = ""  # only a missing folder's explanation changes whether it stops the close
    if row.result == Category.MISSING.value:
        explanation = explanation_of(stocktake.id, row.folder_id)
    before = domain.classify(expected, shelves, explanation=explanation)
    after = domain.classify(expected, shelves | {shelf}, explanation=explanation)
    scope = scope_of(stocktake)
    changes[UNEXPLAINED] += domain.must_be_explained(after, scope) - domain.must_be_explained(
        before, scope
    )
    _write(row, after.category.value, shelves | {shelf}, changes)


def _write(row: StocktakeResult, result: str, shelves: frozenset[str], changes: Changes):
    r = StocktakeResult
    r.update(result=result, reads=r.reads + 1, shelves=_text(shelves)).where(
        r.id == row.id
    ).execute()
    if result != row.result:
        changes[row.result] -= 1
        changes[result] += 1


def expected_of(stocktake_id: int, folder_id: int) -> domain.Expected:
    e = StocktakeExpected
    row = (
        e.select(e.folder, e.code, e.location, e.state, e.holder, e.classification)
        .where(e.stocktake == stocktake_id, e.folder == folder_id)
        .tuples()
        .first()
    )
    return domain.Expected(*row)


def explanation_of(stocktake_id: int, folder_id: int) -> str:
    n = StocktakeNote
    noted = n.select(n.note).where(n.stocktake == stocktake_id, n.folder == folder_id).first()
    return noted.note if noted else ""


def explained(stocktake: Stocktake, folder_id: int, earlier: str, changes: Changes) -> None:
    """Staff explained an expected folder (`earlier`: what was already written about it): a
    missing one that stopped the count from closing no longer does."""
    r = StocktakeResult
    row = _locked(r.select().where(r.stocktake == stocktake.id, r.folder == folder_id))
    expected, scope = expected_of(stocktake.id, folder_id), scope_of(stocktake)
    line = domain.classify(expected, shelves_of(row.reads, row.shelves), explanation=earlier)
    changes[UNEXPLAINED] -= domain.must_be_explained(line, scope)
