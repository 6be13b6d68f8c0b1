"""Stocktake speed: a count of a whole warehouse of 1,000,000 folders with 200,000 reads.

`python -m bench.stocktake_speed [--folders N] [--scans N] [--events N]` builds a fresh
archive in a temporary SQLite file (its own: plain INSERT … SELECT over a recursive counter, no
row passes through Python), opens a stocktake of the whole warehouse through the service,
stores the reads as the handheld would have (shelf label, then the folders on it; a fiftieth of
them on the wrong shelf, some codes the register lacks, some read twice) in bulk and writes the
kept results from them (`stocktake_rebuild`), and times the service calls behind the pages and
files: opening, the count's page (totals and the first 200 lines of each result), a later page
of the missing folders, the close check, the list of stocktakes, the rest of the desk page,
scans through the service one code a call (as the desk form and the handheld send them), and
the CSV of every line — whose counts must then match the page's. Server time only, warm cache,
median and worst of a few runs.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from vault.db import search_index
from vault.db.connection import open_database
from vault.db.models import database
from vault.db.schema import migrate
from vault.domain.stocktake import Category
from vault.services import stocktake, stocktake_page, stocktake_rebuild, stocktake_report

ROOMS = "ABCDE"


def build(path: Path, folders: int, events: int) -> None:
    db = open_database(f"sqlite:///{path}")
    migrate(db)
    search_index.drop(db)  # the title index is not what this measures
    for sql in (
        "PRAGMA synchronous=OFF",
        # 50,000 shelves: five rooms of 100 rows of 100 shelves
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 49999) "
        "INSERT INTO location(id, code) SELECT i + 1, printf('%s-%03d-%02d', "
        "substr('ABCDE', i / 10000 + 1, 1), i / 100 % 100, i % 100) FROM n",
        "INSERT INTO person(id, name, role) VALUES (1, '张华', 'reader')",
        # folders scattered over the shelves; 1 in 200 out with a reader
        f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {folders}) "
        "INSERT INTO folder(id, code, title, year, classification, retention, location_id, "
        "state, holder_id, label_generation) SELECT i, printf('WC-TJ-%04d-%07d', 1980 + i % 45, "
        "(i * 7919) % 10000019), '统计台账', 1980 + i % 45, CASE i % 20 WHEN 0 THEN 'public' "
        "WHEN 1 THEN 'public' WHEN 2 THEN 'public' WHEN 3 THEN 'public' WHEN 4 THEN 'top_secret' "
        "WHEN 5 THEN 'secret' WHEN 6 THEN 'secret' WHEN 7 THEN 'secret' WHEN 8 THEN 'confidential'"
        " WHEN 9 THEN 'confidential' WHEN 10 THEN 'confidential' WHEN 11 THEN 'confidential' "
        "WHEN 12 THEN 'confidential' ELSE 'internal' END, '30年', (i * 31) % 50000 + 1, "
        "CASE WHEN i % 200 = 0 THEN 'issued' ELSE 'shelved' END, "
        "CASE WHEN i % 200 = 0 THEN 1 END, 0 FROM n",
        f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {events}) "
        "INSERT INTO custody_event(id, event_id, at, code, folder_id, kind, raw) "
        "SELECT i, 'e-' || i, datetime('2020-01-01', '+' || (i / 20) || ' seconds'), "
        f"'F', (i * 7) % {folders} + 1, 'seen', x'' FROM n",
    ):
        db.execute_sql(sql)
    db.close()
    database.initialize(None)


def read_the_shelves(stocktake_id: int, scans: int) -> None:
    """The handheld's reads: shelf by shelf, the folders on it (every fiftieth on the next
    shelf), a code the register lacks on every tenth shelf, a burst of repeats on every fifth."""
    per_shelf = 20
    shelves = scans // (per_shelf + 1)
    sql = [
        f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {shelves}) "
        "INSERT INTO stocktake_scan(stocktake_id, at, source, shelf, code, folder_id) "
        f"SELECT {stocktake_id}, datetime('2025-01-02'), 'hand-1', l.code, 'LOC:' || l.code, "
        "NULL FROM n JOIN location l ON l.id = n.i",
        "INSERT INTO stocktake_scan(stocktake_id, at, source, shelf, code, folder_id) "
        f"SELECT {stocktake_id}, datetime('2025-01-02'), 'hand-1', CASE WHEN f.id % 50 = 0 "
        "THEN (SELECT code FROM location WHERE id = f.location_id % 50000 + 1) ELSE l.code END, "
        "f.code, f.id FROM folder f JOIN location l ON l.id = f.location_id "
        f"WHERE f.location_id <= {shelves} AND f.state = 'shelved'",
        "INSERT INTO stocktake_scan(stocktake_id, at, source, shelf, code, folder_id) "
        f"SELECT stocktake_id, at, source, shelf, code, folder_id FROM stocktake_scan "
        f"WHERE stocktake_id = {stocktake_id} AND folder_id % 5 = 0",
        "INSERT INTO stocktake_scan(stocktake_id, at, source, shelf, code, folder_id) "
        f"SELECT {stocktake_id}, datetime('2025-01-02'), 'hand-1', l.code, "
        f"'NOT-REGISTERED-' || l.id, NULL FROM location l WHERE l.id <= {shelves} "
        "AND l.id % 10 = 0",
    ]
    with database.atomic():
        for statement in sql:
            database.execute_sql(statement)


def timed(call: Callable[[], object], runs: int) -> tuple[float, float, object]:
    call()  # warm
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times), result


def write_csv(count, out: Path) -> dict[str, int]:
    """The CSV of every line; how many lines of each result it has."""
    report = stocktake_report.report(count)
    keys = [key for key, _ in report.columns]
    results: dict[str, int] = {}
    with out.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(keys)
        for row in report.rows:
            writer.writerow([row[key] for key in keys])
            results[row["category"]] = results.get(row["category"], 0) + 1
    return results


def scans(count, codes: list[str]) -> Callable[[], object]:
    """One code a call, as the desk's scan field and the handheld send them: a shelf label,
    then folders (some on the wrong shelf, some read again) and a code the register lacks."""
    feed = iter(codes)
    return lambda: stocktake.scan(count.id, [next(feed)], "desk:bench")


def codes_to_scan(n: int) -> list[str]:
    shelf, folders = (
        database.execute_sql(
            "SELECT l.code, group_concat(f.code, ' ') FROM location l JOIN folder f "
            "ON f.location_id = l.id WHERE l.id > 49000 GROUP BY l.id ORDER BY l.id LIMIT 200"
        ).fetchall(),
        [],
    )
    for code, on_it in shelf:
        folders += ["LOC:" + code, *on_it.split(" "), on_it.split(" ")[0], "NOT-IN-REG-" + code]
    return folders[:n]


def measure(count, folder: Path, runs: int, calls: int) -> list[tuple[str, float, float, str]]:
    rows = []

    def add(name: str, call: Callable[[], object], n: int, said: Callable[[object], str]):
        median, worst, result = timed(call, n)
        rows.append((name, median, worst, said(result)))

    page = stocktake_page
    add("page: totals + 200 lines of each result", lambda: page.page(count, 200), runs,
        lambda p: ", ".join(f"{c.name.lower()} {p.counts[c]:,}" for c in Category))  # fmt: skip
    add("  totals alone", lambda: page.totals(count), runs, lambda _: "")
    for category in Category:
        add(f"  200 {category.name.lower()} lines", lambda c=category: page.first_lines(
            count, c, 201), runs, lambda lines: f"{len(lines)} lines")  # fmt: skip
    after = page.first_lines(count, Category.MISSING, 5000)[-1].code
    add("page, missing after the 5,000th", lambda: page.page(count, 200, Category.MISSING,
        after), runs, lambda p: f"from {p.lines[Category.MISSING][0].code}")  # fmt: skip
    add("close check", lambda: page.close_check(count), runs, lambda r: (r or "")[:40])
    owed = iter(page.first_lines(count, Category.MISSING, 1000))
    add("explain a missing folder", lambda: stocktake.explain(count.id, next(owed).code,
        "at the bindery", "王芳"), runs, lambda n: f"note {n.id}")  # fmt: skip
    add("list page", page.listing, runs, lambda s: f"{len(s)} stocktake(s)")
    add("desk page: latest reads, current shelf", lambda: (stocktake.latest_scans(count),
        stocktake.current_shelf(count.id, "desk:nobody")), runs, lambda _: "")  # fmt: skip
    one_code = scans(count, codes_to_scan(calls * (runs + 1)))
    median, worst, _ = timed(lambda: [one_code() for _ in range(calls)], runs)
    rows.append((f"scan, per code ({calls} calls of one code)", median / calls, worst / calls,
                 "shelf labels, folders, repeats, unknown codes"))  # fmt: skip
    counts = page.page(count, 0).counts
    median, worst, made = timed(lambda: write_csv(count, folder / "count.csv"), 1)
    rows.append(("CSV of every line", median, worst, f"{sum(made.values()):,} rows"))
    agree = all(made.get(c.value, 0) == counts[c] for c in Category)
    rows.append(("  page totals = CSV lines per result", 0, 0, "yes" if agree else f"NO {made}"))
    return rows


def stocktake_run(
    folders: int, scans: int, events: int, runs: int, calls: int, say=print
) -> tuple[float, list[tuple[str, float, float, str]]]:
    """Build the archive, open the count and measure; returns the opening time (ms) and the
    measured calls. `say` hears the progress lines."""
    with tempfile.TemporaryDirectory(prefix="vault-stocktake-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        build(folder / "vault.db", folders, events)
        say(f"built {folders:,} folders, {events:,} events in "
            f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        open_database(f"sqlite:///{folder / 'vault.db'}")
        started = time.perf_counter()
        count = stocktake.open_stocktake("all", "", "王芳")
        opened = (time.perf_counter() - started) * 1000
        read_the_shelves(count.id, scans)
        started = time.perf_counter()
        stocktake_rebuild.rebuild(count)
        rebuilt = time.perf_counter() - started
        reads = stocktake_page.listing()[0]["reads"]
        say(f"opened stocktake {count.id} of the whole warehouse in {opened:,.0f} ms; "
            f"{reads:,} reads stored in bulk, results written from them in "
            f"{rebuilt:.1f} s")  # fmt: skip
        rows = measure(count, folder, runs, calls)
        rows.insert(0, ("results written from the reads", rebuilt * 1000, rebuilt * 1000,
                        f"{reads:,} reads stored in bulk"))  # fmt: skip
        database.close()
        database.initialize(None)
    return opened, rows


def run(
    folders: int = 1_000_000, scans: int = 200_000, events: int = 1_000_000
) -> list[tuple[str, str]]:
    """The rows for `python -m bench`: median and worst of five runs, in ms."""
    opened, rows = stocktake_run(folders, scans, events, runs=5, calls=100, say=lambda _: None)
    name = f"stocktake ({folders:,} folders, {scans:,} handheld reads)"
    out = [(f"{name}: open (freeze list and results) (ms)", f"{opened:,.1f}")]
    for call, median, worst, said in rows:
        if call.endswith("= CSV lines per result"):  # a check, not a time
            out.append((f"{name}: {call.strip()}", said))
            continue
        value = f"{median:,.1f} / {worst:,.1f}" + (f" ({said})" if said else "")
        out.append((f"{name}: {call.strip()}, median / worst (ms)", value))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folders", type=int, default=1_000_000)
    parser.add_argument("--scans", type=int, default=200_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--calls", type=int, default=100, help="scan calls per timed run")
    args = parser.parse_args()
    opened, rows = stocktake_run(args.folders, args.scans, args.events, args.runs, args.calls)
    print(f"\n{'call':44} {'median ms':>10} {'worst ms':>10}  result")
    print(f"{'open (freeze list and results)':44} {opened:10,.1f} {opened:10,.1f}  once")
    for name, median, worst, said in rows[1:]:
        print(f"{name:44} {median:10,.1f} {worst:10,.1f}  {said}")


if __name__ == "__main__":
    main()
