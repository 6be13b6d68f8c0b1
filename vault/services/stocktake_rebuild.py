"""A count's kept rows and totals written again from its reads.

`stocktake_results` keeps each folder's result as the reads arrive; this writes them all again
in one pass, by the same rules as the files' reconciliation, for reads stored in bulk (as the
speed bench stores 200,000 of them) or for a count whose rows are in doubt.
"""

from __future__ import annotations

from collections.abc import Iterator

from peewee import fn

from vault.db.models import (
    Stocktake,
    StocktakeResult,
    StocktakeScan,
    StocktakeTally,
    database,
)
from vault.domain import stocktake as domain
from vault.domain.stocktake import Category, Line, Scope
from vault.services import stocktake_report as report
from vault.services import stocktake_results as results
from vault.services.stocktake_results import scope_of


def rebuild(stocktake: Stocktake) -> None:
    """Write a count's kept rows and totals again from its reads, by the same rules (for reads
    stored in bulk, as the speed bench does, or a count whose rows are in doubt)."""
    sid, scope, r = stocktake.id, scope_of(stocktake), StocktakeResult
    with database.atomic():
        r.delete().where(r.stocktake == sid).execute()
        StocktakeTally.delete().where(StocktakeTally.stocktake == sid).execute()
        results.freeze(stocktake)
        s = StocktakeScan
        reads = s.select(s.folder, fn.COUNT(s.id)).where(
            s.stocktake == sid, s.folder.is_null(False)
        )
        times = dict(reads.group_by(s.folder).tuples())
        listed, fresh = [], []
        for line, seen in _merged(stocktake, scope):
            n, text = times[seen.folder_id], "\n".join(sorted(seen.shelves))
            if line.listed:
                listed.append((line.category.value, n, text, sid, seen.folder_id))
            else:
                fresh.append((sid, seen.folder_id, seen.code, line.category.value, False, n, text))
        for line in domain.unregistered(report.unknown_reads(stocktake), scope):
            fresh.append(
                (sid, None, line.code, line.category.value, False, 1, "\n".join(line.found_on))
            )
        p = database.param
        cursor = database.cursor()
        cursor.executemany(
            f"UPDATE stocktake_result SET result = {p}, reads = {p}, shelves = {p} "
            f"WHERE stocktake_id = {p} AND folder_id = {p}",
            listed,
        )
        cursor.executemany(
            "INSERT INTO stocktake_result (stocktake_id, folder_id, code, result, listed, reads, "
            f"shelves) VALUES ({', '.join([p] * 7)})",
            fresh,
        )
        _recount(stocktake)


def _merged(stocktake: Stocktake, scope: Scope) -> Iterator[tuple[Line, domain.Seen]]:
    """Each folder read, with its line: an expected one's, or a stranger's on the scope."""
    expected = report.expected_rows(stocktake)
    row = next(expected, None)
    for seen in report.sightings(stocktake):
        while row is not None and row.folder_id < seen.folder_id:
            row = next(expected, None)
        if row is not None and row.folder_id == seen.folder_id:
            yield domain.classify(row, seen.shelves), seen
        elif (line := domain.stranger(seen, scope)) is not None:
            yield line, seen


def _recount(stocktake: Stocktake) -> None:
    """The totals from the rows (reads from the reads; unexplained by `must_be_explained`)."""
    sid, r, t = stocktake.id, StocktakeResult, StocktakeTally
    kept = dict(
        r.select(r.result, fn.COUNT(r.id)).where(r.stocktake == sid).group_by(r.result).tuples()
    )
    scope = scope_of(stocktake)
    owed = sum(
        domain.must_be_explained(line, scope) for line in report.lines(stocktake, Category.MISSING)
    )
    reads = StocktakeScan.select().where(StocktakeScan.stocktake == sid).count()
    figures = {c.value: kept.get(c.value, 0) for c in Category}
    figures |= {results.READS: reads, results.UNEXPLAINED: owed}
    for name, n in figures.items():
        t.update(count=n).where(t.stocktake == sid, t.result == name).execute()
