"""The register's search index and the B-tree indexes its pages need.

Title search must find "农业普查" inside "2002年全县农业普查汇总表" among a million folders in a
few milliseconds; `LIKE '%农业普查%'` reads every row. So each title is also kept, on SQLite, in
an FTS5 table as the overlapping character pairs of its lower-cased text ("20 00 02 2年 年全 全县
…", every pair written as its UTF-8 bytes in hex so that no tokenizer splits or merges them), and a
query of two or more characters is looked up as the phrase of its own pairs. A phrase of
consecutive pairs matches exactly the titles that contain the query, so the index returns what a
substring test would, Chinese, Latin, digits, punctuation and spaces alike (Latin letters are
compared case-insensitively, as SQLite's `lower` and `LIKE` do: ASCII only).

The pairs are computed in SQL (a join with a table of positions), inside triggers on `folder`,
so every writer (`vault import`, the bridge, the sqlite3 shell) keeps the index in step without
knowing it exists: no application function has to be registered on the connection. The FTS table
is contentless (it stores no copy of the titles), which is why a delete names the old pairs again.

On PostgreSQL `install` does nothing yet and the search service falls back to `ILIKE`
(a trigram GIN index, `pg_trgm`, is the natural next step there).

`vault.db.schema` calls `install` and `install_indexes` from a migration step; both are idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import Database, SqliteDatabase

FTS_TABLE = "folder_search"
POSITIONS = "search_position"
# Titles longer than this many characters are indexed on their first MAX_TITLE characters only.
MAX_TITLE = 10_000

# The pairs of a title as one space-separated text, computed by SQLite itself.
_PAIRS = (
    "(SELECT group_concat(g, ' ') FROM (SELECT hex(substr(lower({t}), n, 2)) AS g "
    "FROM search_position WHERE n < length({t}) ORDER BY n))"
)
_INSERT = f"INSERT INTO {FTS_TABLE}(rowid, grams) VALUES (new.id, {_PAIRS.format(t='new.title')});"
_DELETE = (
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, grams) "
    f"VALUES ('delete', old.id, {_PAIRS.format(t='old.title')});"
)
TRIGGERS = {
    "folder_search_insert": f"AFTER INSERT ON folder BEGIN {_INSERT} END",
    "folder_search_delete": f"AFTER DELETE ON folder BEGIN {_DELETE} END",
    "folder_search_update": f"AFTER UPDATE OF title ON folder BEGIN {_DELETE} {_INSERT} END",
}

# What the register's queries walk, by name; the comment says which query needs it.
INDEXES = {
    # outside_now / overdue / search by state: one state's folders in code order, no sort.
    "folder_state_code": "folder (state, code)",
    # folder_detail: a folder's timeline newest first, and its last event, with no sort
    # (the rowid, i.e. the event id, is the index's hidden last column: ties break by id).
    "custody_event_folder_at": "custody_event (folder_id, at)",
    # overdue: a folder's open request items.
    "request_item_folder_closed": "request_item (folder_id, closed_at)",
}


def is_available(db: Database) -> bool:
    """True when this database can hold the title index: SQLite with FTS5, and without ICU
    (whose `lower` folds more than ASCII letters, unlike `match_expression`)."""
    if not isinstance(db, SqliteDatabase):
        return False
    options = {row[0] for row in db.execute_sql("PRAGMA compile_options")}
    return "ENABLE_FTS5" in options and "ENABLE_ICU" not in options


def is_installed(db: Database) -> bool:
    """True when the title index and all its triggers exist (so it is in step)."""
    if not isinstance(db, SqliteDatabase):
        return False
    names = {FTS_TABLE, *TRIGGERS}
    marks = ", ".join("?" * len(names))
    sql = f"SELECT count(*) FROM sqlite_master WHERE name IN ({marks})"
    return db.execute_sql(sql, tuple(names)).fetchone()[0] == len(names)


def install(db: Database) -> bool:
    """Create the title index and its triggers and fill it from the folders registered; return
    whether it was (re)built now. Idempotent: a complete index is left alone. An incomplete one
    (a trigger lost, say by a migration that rebuilt the folder table) is built again, since it
    may have missed changes. Filling takes about 8 s per million folders on a small machine, in
    the caller's transaction if any. Does nothing (False) without FTS5 or on PostgreSQL."""
    if not is_available(db) or is_installed(db):
        return False
    with db.atomic():
        drop(db)
        db.execute_sql(f"CREATE TABLE IF NOT EXISTS {POSITIONS} (n INTEGER PRIMARY KEY)")
        db.cursor().executemany(
            f"INSERT OR IGNORE INTO {POSITIONS}(n) VALUES (?)",
            [(n,) for n in range(1, MAX_TITLE + 1)],
        )
        db.execute_sql(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            "grams, content='', tokenize='ascii', columnsize=0)"
        )
        for name, body in TRIGGERS.items():
            db.execute_sql(f"CREATE TRIGGER {name} {body}")
        db.execute_sql(
            f"INSERT INTO {FTS_TABLE}(rowid, grams) "
            f"SELECT id, {_PAIRS.format(t='title')} FROM folder"
        )
        # One merged b-tree per pair: a fresh bulk load leaves many segments otherwise.
        db.execute_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
    return True


def drop(db: Database) -> None:
    """Remove the title index and its triggers (`install` builds them again)."""
    if not isinstance(db, SqliteDatabase):
        return
    with db.atomic():
        for name in TRIGGERS:
            db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
        db.execute_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def install_indexes(db: Database) -> list[str]:
    """Create the B-tree indexes the register's queries walk; return the ones created now.

    Each costs a sort of its table once (all three on 10 million events: about 11 s on a small
    machine) and a little on every insert after. The register needs no others: the model's own
    indexes serve the rest (label_print (folder_id, generation) for a label history;
    alarm (acknowledged_at), whose hidden rowid column orders open alarms by id)."""
    existing = {
        row[0]
        for row in db.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index'"
            if isinstance(db, SqliteDatabase)
            else "SELECT indexname FROM pg_indexes"
        )
    }
    created = []
    with db.atomic():
        for name, target in INDEXES.items():
            if name not in existing:
                db.execute_sql(f"CREATE INDEX {name} ON {target}")
                created.append(name)
    return created


def match_expression(text: str) -> str | None:
    """The FTS5 query for titles containing `text`: the phrase of its character pairs, written
    as the triggers write them. None for a single character (no pair to look up)."""
    low = ascii_lower(text)
    if len(low) < 2:
        return None
    pairs = (low[i : i + 2].encode("utf-8").hex().upper() for i in range(len(low) - 1))
    return '"' + " ".join(pairs) + '"'


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ascii_lower(text: str) -> str:
    """Lower-case as SQLite's `lower` does without ICU: ASCII letters only."""
    return text.translate(_ASCII_LOWER)


# ---- Finding folders on SQLite: which index drives the query ----------------------------------

SET_PLAN_MAX = 60_000  # a filter matching more folders never drives the query (~40 ms)
SET_ROW_COST = 2  # a set plan's cost per match, in folders a walk reads in the same time
WINDOWS = (256, 1024, 4096, 16384)  # index entries read per step of a walk in code order
SCAN_BUDGET = 60_000  # index entries a walk reads before it returns what it found so far


@dataclass(frozen=True)
class Filters:
    """What a register search asks for; the parts combine (all must hold)."""

    code: str | None = None  # prefix, any letter case
    title: str | None = None  # substring
    classification: str | None = None
    location: str | None = None  # a location code, or its prefix: "A-03" covers A-03-02
    state: str | None = None


@dataclass(frozen=True)
class Found:
    """Up to limit + 1 folders (id, code) in code order; `resume` is set when a walk stopped at
    its budget: the code it had read up to, to go on from."""

    rows: list[tuple[int, str]]
    resume: str | None = None


def find_folders(db: Database, f: Filters, limit: int, after: str | None) -> Found:
    """The folders matching `f` with codes after `after`, in code order, on SQLite.

    First the folders are read in code order for a moment (a "walk": the code index, or the
    state's part of the (state, code) index, only within the code prefix's ranges), each tested
    against the filters: common filters fill a page at once. If they did not, a filter that
    matches few folders (a rare title, a shelf) may drive the query instead: its matches are
    fetched from its index, tested and sorted (at most SET_PLAN_MAX; `_driver` says when).
    Otherwise the walk goes on, up to SCAN_BUDGET folders (a few tens of milliseconds), and says
    where it got to: a rare one-character title (no character pair to look up), or filters that
    are each common but seldom hold together, may need several calls to cover the register."""
    ranges = _code_ranges(db, f.code) if f.code else [("", None)]
    first = _walk(db, f, ranges, limit, after, budget=sum(WINDOWS[:2]))
    if len(first.rows) > limit or first.resume is None:
        return first
    driver = _driver(db, f, ranges, limit)
    if driver is not None:
        return Found(_set_plan(db, f, driver, limit, after))
    rest = _walk(db, f, ranges, limit - len(first.rows), first.resume, SCAN_BUDGET)
    return Found(first.rows + rest.rows, rest.resume)


def _driver(db: Database, f: Filters, ranges: list, limit: int) -> str | None:
    """The filter that should drive the query ("title" or "location"), or None for a walk.

    A small cost model: a set plan costs about SET_ROW_COST walked folders per match; a walk
    reads (limit + 1) / density folders, the density guessed from each filter's share of the
    register as if the filters were independent (a classification: one in five), and never more
    than the code range or state it walks."""
    counts = {}
    match = match_expression(f.title) if f.title else None
    if match and is_installed(db):
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?"
        counts["title"] = _count(db, sql, [match])
    if f.location:
        sql = f"SELECT 1 FROM location l CROSS JOIN folder f ON f.location_id = l.id WHERE {_LOC}"
        counts["location"] = _count(db, sql, _location_params(f.location))
    if not counts:
        return None
    driver = min(counts, key=counts.__getitem__)
    total = db.execute_sql("SELECT max(id) FROM folder").fetchone()[0] or 1
    walkable = total
    if f.code or f.state:
        walkable = 0
        for low, high in ranges:
            where, params = _window_where(f.state, low, high, after=None)
            walkable += _count(db, f"SELECT 1 FROM folder f WHERE {where}", params)
    density = walkable / total * (0.2 if f.classification else 1.0)
    for count in counts.values():
        density *= count / total
    walk = min(walkable, (limit + 1) / max(density, 1e-9))
    if counts[driver] <= SET_PLAN_MAX and counts[driver] * SET_ROW_COST < walk:
        return driver
    return None


_LOC = "(l.code = ? OR (l.code >= ? AND l.code < ?))"


def _location_params(location: str) -> list[str]:
    return [location, location + "-", location + "."]  # "." follows "-": the prefix's range


def _count(db: Database, sql: str, params: list, cap: int = SET_PLAN_MAX) -> int:
    """How many rows `sql` gives, counting no further than cap + 1."""
    query = f"SELECT count(*) FROM ({sql} LIMIT ?)"
    return db.execute_sql(query, [*params, cap + 1]).fetchone()[0]


def _residual(f: Filters, skip: set[str]) -> tuple[list[str], list]:
    """SQL tests for the filters not driving the query. The unary `+` keeps SQLite from
    walking those columns' own indexes instead of the one chosen here."""
    clauses, params = [], []
    if f.code and "code" not in skip:
        clauses.append("f.code LIKE ? ESCAPE '\\'")
        params.append(_like_escape(f.code) + "%")
    if f.title and "title" not in skip:
        clauses.append("instr(lower(f.title), ?) > 0")
        params.append(ascii_lower(f.title))
    if f.classification:
        clauses.append("+f.classification = ?")
        params.append(f.classification)
    if f.state and "state" not in skip:
        clauses.append("+f.state = ?")
        params.append(f.state)
    if f.location and "location" not in skip:
        clauses.append(f"+f.location_id IN (SELECT l.id FROM location l WHERE {_LOC})")
        params += _location_params(f.location)
    return clauses, params


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _set_plan(db: Database, f: Filters, driver: str, limit: int, after: str | None) -> list:
    if driver == "title":
        source = f"{FTS_TABLE} CROSS JOIN folder f ON f.id = {FTS_TABLE}.rowid"
        clauses, params = [f"{FTS_TABLE} MATCH ?"], [match_expression(f.title or "")]
    else:
        source = "location l CROSS JOIN folder f ON f.location_id = l.id"
        clauses, params = [_LOC], _location_params(f.location or "")
    more, more_params = _residual(f, skip={driver})
    if after is not None:
        more.append("f.code > ?")
        more_params.append(after)
    sql = (
        f"SELECT f.id, f.code FROM {source} WHERE {' AND '.join(clauses + more)} "
        "ORDER BY f.code LIMIT ?"
    )
    return db.execute_sql(sql, [*params, *more_params, limit + 1]).fetchall()


def _window_where(
    state: str | None, low: str, high: str | None, after: str | None
) -> tuple[str, list]:
    """Folders of one code range (and state), after `after` when it falls inside the range."""
    clauses, params = [], []
    if state:
        clauses.append("f.state = ?")
        params.append(state)
    if after is not None and after >= low:
        clauses.append("f.code > ?")
        params.append(after)
    else:
        clauses.append("f.code >= ?")
        params.append(low)
    if high is not None:
        clauses.append("f.code < ?")
        params.append(high)
    return " AND ".join(clauses), params


def _walk(
    db: Database, f: Filters, ranges: list, limit: int, after: str | None, budget: int
) -> Found:
    """Read folders in code order a window at a time, keeping those every filter accepts."""
    tests, test_params = _residual(f, skip={"code", "state"})
    found: list = []
    scanned, step = 0, 0
    for low, high in ranges:
        if after is not None and high is not None and after >= high:
            continue
        cursor = after
        while True:
            size = WINDOWS[min(step, len(WINDOWS) - 1)]
            step += 1
            where, params = _window_where(f.state, low, high, cursor)
            end = _window_end(db, where, params, size)
            if end is None:
                break
            # The window again, bounded by its end alone: given two upper bounds, SQLite may
            # walk the index to the looser one.
            where, params = _window_where(f.state, low, None, cursor)
            sql = (
                f"SELECT f.id, f.code FROM folder f WHERE {' AND '.join([where, *tests])} "
                "AND f.code <= ? ORDER BY f.code LIMIT ?"
            )
            more = limit + 1 - len(found)
            found += db.execute_sql(sql, [*params, *test_params, end, more]).fetchall()
            scanned += size
            if len(found) > limit:
                return Found(found)
            if scanned >= budget:
                return Found(found, resume=end)
            cursor = end
    return Found(found)


def _window_end(db: Database, where: str, params: list, size: int) -> str | None:
    """The code `size` folders on: reads the index only."""
    sql = (
        f"SELECT max(code) FROM (SELECT f.code FROM folder f WHERE {where} ORDER BY f.code LIMIT ?)"
    )
    return db.execute_sql(sql, [*params, size]).fetchone()[0]


def _code_ranges(db: Database, prefix: str) -> list[tuple[str, str | None]]:
    """The code ranges [low, high) holding codes that start with `prefix` in any letter case,
    in code order. Case variants are tried a letter at a time and dropped as soon as no code
    has them, so an archive coded in capitals costs two index probes per letter."""
    stems = [""]
    for char in prefix:
        variants = sorted({char.upper(), char.lower()}) if char.isascii() else [char]
        grown = [stem + v for stem in stems for v in variants]
        if len(variants) > 1:
            grown = [s for s in grown if _any_code(db, s)]
        stems = grown
    return [(stem, _after_prefix(stem)) for stem in sorted(stems)]


def _any_code(db: Database, prefix: str) -> bool:
    sql = "SELECT 1 FROM folder WHERE code >= ? AND code < ? LIMIT 1"
    return db.execute_sql(sql, [prefix, _after_prefix(prefix)]).fetchone() is not None


def _after_prefix(prefix: str) -> str:
    """The least string greater than every string starting with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
