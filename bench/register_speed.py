"""Register speed: the service calls behind the register's pages, on 1,000,000 folders and
10,000,000 custody events (`bench.dataset`), each over a few hundred varied queries.

Server time only: the time of the service function in this process, through Vault's own
connection (WAL, its 64 MB page cache), with the database file on local disk; no HTTP, no
template. Warm cache: every query is run once untimed before the timed pass, and the file has just
been built or read, so the operating system holds the pages the queries touch. Queries are drawn
with a fixed seed: title terms are substrings of real titles at random places (2, 3 and 4
characters, and single characters), plus terms no title has; code prefixes from a fonds to a
nearly full code, in any letter case; combined filters; later pages reached by following
`next_after`; folder pages of random folders and of the 200 with thousands of events.

`python -m bench.register_speed [DIR]` prints the table (building the dataset first if needed);
`run()` returns the rows for `python -m bench`.
"""

from __future__ import annotations

import argparse
import io
import random
import time
from collections.abc import Callable
from pathlib import Path

from bench import dataset
from vault.db.connection import open_database
from vault.db.models import database
from vault.services import search

Query = Callable[[], object]
COLUMNS = ["code", "title", "classification", "location", "state", "holder"]
# The busiest folders: those read again and again among the last 50,000 events.
HOT = (
    "SELECT folder_id FROM custody_event WHERE id > (SELECT max(id) - 50000 FROM custody_event) "
    "GROUP BY folder_id HAVING count(*) >= 8"
)


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _sample(sql: str, count: int, rng: random.Random) -> list:
    rows = database.execute_sql(sql).fetchall()
    return rng.sample(rows, min(count, len(rows)))


def title_terms(rng: random.Random, length: int, count: int) -> list[str]:
    """Substrings of real titles at random places; a tenth are terms no title has."""
    titles = [t for (t,) in _sample("SELECT title FROM folder WHERE id % 97 = 0", 3000, rng)]
    terms = []
    while len(terms) < count * 9 // 10:
        title = rng.choice(titles)
        if len(title) >= length:
            start = rng.randrange(len(title) - length + 1)
            terms.append(title[start : start + length])
    absent = "鑫淼焱垚犇骉鱻羴"
    terms += ["".join(rng.choices(absent, k=length)) for _ in range(count - len(terms))]
    return terms


def queries(rng: random.Random) -> dict[str, list[Query]]:
    """Each measured function with its varied calls, by row name."""
    s = search.search_folders
    groups: dict[str, list[Query]] = {}
    for n in (2, 3, 4):
        groups[f"search_folders: title, {n} characters"] = [
            (lambda t=t: s(title=t)) for t in title_terms(rng, n, 200)
        ]
    groups["search_folders: title, 1 character"] = [
        (lambda t=t: s(title=t)) for t in title_terms(rng, 1, 100)
    ]
    codes = [c for (c,) in _sample("SELECT code FROM folder WHERE id % 13 = 0", 200, rng)]
    prefixes = [_case(rng, c[: rng.choice((2, 5, 10, 13))]) for c in codes]
    groups["search_folders: code prefix"] = [(lambda p=p: s(code=p)) for p in prefixes]
    groups["search_folders: combined filters"] = _combined(rng, 200)
    groups["search_folders: pages 2-5 (next_after)"] = _later_pages(rng, 100)
    groups["search_folders + write_csv: a 200-row page as CSV"] = [
        (lambda t=t: search.write_csv(s(title=t, limit=200).rows, COLUMNS, io.BytesIO()))
        for t in title_terms(rng, 2, 100)
    ]
    groups["folder_detail: random folders"] = _details(rng, "id % 101 = 0", 200)
    groups["folder_detail: folders with thousands of events"] = _details(rng, f"id IN ({HOT})", 100)
    groups["outside_now: every page"] = _every_page(search.outside_now)
    groups["overdue: every page"] = _every_page(lambda **k: search.overdue(dataset.TODAY, **k))
    return groups


def _case(rng: random.Random, text: str) -> str:
    return text.lower() if rng.random() < 0.3 else text


def _combined(rng: random.Random, count: int) -> list[Query]:
    levels = [level for level, _ in dataset.LEVELS]
    states = ["shelved", "in_reading_room", "issued", "outside"]
    terms = [t for n in (2, 3, 4) for t in title_terms(rng, n, count // 3 + 1)]
    calls = []
    for term in rng.sample(terms, count):
        options = {
            "title": term,
            "classification": rng.choice(levels),
            "location": f"{rng.choice('ABCDEFGH')}-{rng.randint(1, 50):02d}",
            "state": rng.choice(states),
            "code": f"{rng.choice(dataset.FONDS)}-{rng.choice(dataset.CATALOGUES)}",
        }
        chosen = dict(rng.sample(sorted(options.items()), rng.randint(2, 3)))
        calls.append(lambda f=chosen: search.search_folders(**f))
    return calls


def _later_pages(rng: random.Random, count: int) -> list[Query]:
    """Pages 2 to 5 of searches: the cursor of the page before is found untimed."""
    calls = []
    for term in title_terms(rng, 2, count):
        page, depth = search.search_folders(title=term), rng.randint(1, 4)
        for _ in range(depth - 1):
            if page.next_after is None:
                break
            page = search.search_folders(title=term, after=page.next_after)
        calls.append(lambda t=term, a=page.next_after: search.search_folders(title=t, after=a))
    return calls


def _details(rng: random.Random, where: str, count: int) -> list[Query]:
    codes = [c for (c,) in _sample(f"SELECT code FROM folder WHERE {where}", count, rng)]
    return [(lambda c=c: search.folder_detail(c)) for c in codes]


def _every_page(list_function: Callable[..., search.Page]) -> list[Query]:
    """One call per page of the whole list, each with the cursor the page before gave."""
    calls, after = [], None
    while True:
        page = list_function(after=after)
        calls.append(lambda a=after: list_function(after=a))
        if page.next_after is None:
            return calls
        after = page.next_after


def measure(groups: dict[str, list[Query]]) -> list[tuple[str, int, float, float, float, int]]:
    """Warm every call once, then time each: (name, calls, p50, p95, max ms, partial pages)."""
    for calls in groups.values():
        for call in calls:
            call()
    table = []
    for name, calls in groups.items():
        times, partial = [], 0
        for call in calls:
            started = time.perf_counter()
            result = call()
            times.append((time.perf_counter() - started) * 1000)
            partial += bool(getattr(result, "partial", False))
        p50, p95 = _percentile(times, 50), _percentile(times, 95)
        table.append((name, len(calls), p50, p95, max(times), partial))
    return table


def measure_dataset(folder: Path) -> tuple[dict, list]:
    """Build (or reuse) the dataset, then measure every group on it."""
    figures = dataset.build(folder)
    db = open_database(f"sqlite:///{folder / 'vault.db'}")
    try:
        rng = random.Random(2024)
        groups = queries(rng)
        busiest = database.execute_sql(
            "SELECT max(n) FROM (SELECT count(*) AS n FROM custody_event "
            f"WHERE folder_id IN ({HOT}) GROUP BY folder_id)"
        ).fetchone()[0]
        figures = {**figures, "busiest": busiest}
        return figures, measure(groups)
    finally:
        db.close()
        database.initialize(None)


def run(folder: Path = dataset.DEFAULT_DIR) -> list[tuple[str, str]]:
    figures, table = measure_dataset(folder)
    name = f"register dataset ({figures['folders']:,} folders, {figures['events']:,} events)"
    rows = [(name, f"{figures['bytes'] / 2**30:.1f} GiB, built in {figures['total_s']:.0f} s")]
    for name, calls, p50, p95, top, partial in table:
        note = f", {partial} partial" if partial else ""
        rows.append(
            (
                f"register {name} ({calls} calls{note}): p50 / p95 / max (ms)",
                f"{p50:.1f} / {p95:.1f} / {top:.1f}",
            )  # fmt: skip
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=dataset.DEFAULT_DIR)
    figures, table = measure_dataset(parser.parse_args().folder)
    print(
        f"{figures['folders']:,} folders, {figures['events']:,} events (busiest folder: "
        f"{figures['busiest']:,}), {figures['bytes'] / 2**30:.2f} GiB on disk; built in "
        f"{figures['total_s']:.0f} s (title index {figures['search_index_s']:.0f} s, "
        f"indexes {figures['indexes_s']:.0f} s). Server time, warm cache.\n"
    )
    print("| function | calls | p50 ms | p95 ms | max ms | partial pages |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, calls, p50, p95, top, partial in table:
        print(f"| {name} | {calls} | {p50:.1f} | {p95:.1f} | {top:.1f} | {partial} |")


if __name__ == "__main__":
    main()
