"""The count's pages: totals, the first lines of each result, the close check and the list.

Read from the rows kept up to date as the reads arrive (`stocktake_results`): the totals are a
few tally rows, each result's lines a walk of the (stocktake, result, code) index from the code
the page goes on after, so a count of a million folders and 200,000 reads answers as quickly
as a count of a room. The lines shown are built by the very rules of the files' reconciliation
(`domain.classify`, `domain.stranger`, `domain.unregistered`) from their own few rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import SQL, fn

from vault.db.models import (
    Folder,
    Location,
    Stocktake,
    StocktakeExpected,
    StocktakeNote,
    StocktakeResult,
    StocktakeTally,
)
from vault.domain import stocktake as domain
from vault.domain.stocktake import Category, Line, ScopeKind
from vault.services.stocktake_report import explanations_of, moves_of
from vault.services.stocktake_results import (
    EXPECTED,
    READS,
    UNEXPLAINED,
    counts,
    scope_of,
    shelves_of,
    totals,
)


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
    known = counts(stocktake)
    result_counts, expected = totals(stocktake)
    lines, more = {}, {}
    for result in Category:
        start = after if result is category else ""
        shown = first_lines(stocktake, result, keep + 1, start) if result_counts[result] else []
        lines[result] = shown[:keep]
        if len(shown) > keep:
            more[result] = shown[keep - 1].code
    return Page(result_counts, expected, lines, more, known.get(UNEXPLAINED, 0) > 0)


def first_lines(
    stocktake: Stocktake, category: Category, limit: int, after: str = ""
) -> list[Line]:
    """The lines of one result in code order after the code `after`, at most `limit`."""
    r, sid, scope = StocktakeResult, stocktake.id, scope_of(stocktake)
    rows = list(
        r.select(r.folder, r.code, r.listed, r.reads, r.shelves)
        .where(r.stocktake == sid, r.result == category.value, r.code > after)
        .order_by(r.code)
        .limit(limit)
        .tuples()
    )
    if category is Category.UNREGISTERED:
        return [
            line
            for _, code, _, reads, shelves in rows
            for line in domain.unregistered(((code, s) for s in shelves_of(reads, shelves)), scope)
        ]
    listed = [folder for folder, _, is_listed, _, _ in rows if is_listed]
    expected = _expected(sid, listed)
    strangers = _registered(folder for folder, _, is_listed, _, _ in rows if not is_listed)
    moves = moves_of(stocktake, listed) if category is Category.MISSING and listed else {}
    notes = explanations_of(stocktake, listed) if listed else {}
    lines = []
    for folder, _, is_listed, reads, text in rows:
        shelves = shelves_of(reads, text)
        if is_listed:
            line = domain.classify(
                expected[folder], shelves, moves.get(folder, ()), notes.get(folder, "")
            )
        else:
            code, home, level, state = strangers[folder]
            line = domain.stranger(domain.Seen(folder, code, home, level, shelves, state), scope)
        if line is not None:
            lines.append(line)
    return lines


def _expected(sid: int, folders: list[int]) -> dict[int, domain.Expected]:
    if not folders:
        return {}
    e = StocktakeExpected
    query = e.select(e.folder, e.code, e.location, e.state, e.holder, e.classification).where(
        e.stocktake == sid, e.folder.in_(folders)
    )
    return {row[0]: domain.Expected(*row) for row in query.tuples()}


def _registered(folders) -> dict[int, tuple[str, str, str, str]]:
    """Strangers as the register has them now: code, home shelf, classification, state."""
    chosen = list(folders)
    if not chosen:
        return {}
    f = Folder
    query = (
        f.select(f.id, f.code, Location.code, f.classification, f.state)
        .join(Location, on=f.location == Location.id)
        .where(f.id.in_(chosen))
    )
    return {row[0]: row[1:] for row in query.tuples()}


def close_check(stocktake: Stocktake) -> str | None:
    """Why the count may not close yet (missing folders nobody has explained), or None: how
    many from the tally, the first ten by code from the missing rows' index."""
    unexplained = counts(stocktake).get(UNEXPLAINED, 0)
    if not unexplained:
        return None
    r, e, n, sid = StocktakeResult, StocktakeExpected, StocktakeNote, stocktake.id
    noted = n.select(SQL("1")).where(n.stocktake == sid, n.folder == r.folder)
    query = (
        r.select(r.code)
        .join(e, on=(e.stocktake == r.stocktake) & (e.folder == r.folder))
        .where(r.stocktake == sid, r.result == Category.MISSING.value, ~fn.EXISTS(noted))
        .order_by(r.code)
        .limit(10)
    )
    if stocktake.scope != ScopeKind.CLASSIFIED.value:
        query = query.where(e.classification.in_(sorted(domain.CLASSIFIED)))
    result = domain.Tally(scope_of(stocktake), keep=0)
    result.unexplained = unexplained
    result.unexplained_codes = [code for (code,) in query.tuples()]
    return result.close_refusal()


def listing() -> list[dict]:
    """Every stocktake, newest first, with how many folders it expected and reads it has."""
    t, figures = StocktakeTally, {}
    for sid, name, n in (
        t.select(t.stocktake, t.result, t.count).where(t.result.in_([EXPECTED, READS])).tuples()
    ):
        figures[sid, name] = n
    return [
        {
            "id": s.id,
            "scope": scope_of(s).describe(),
            "opened_at": s.opened_at,
            "opened_by": s.opened_by,
            "closed_at": s.closed_at,
            "closed_by": s.closed_by,
            "expected": figures.get((s.id, EXPECTED), 0),
            "reads": figures.get((s.id, READS), 0),
        }
        for s in Stocktake.select().order_by(Stocktake.id.desc())
    ]
