"""Checking the whole audit log in one pass, fast enough for ten million custody events.

The log is cut into parts by entry number, each part walked by its own process (two on a long
log and a machine with two cores, else one, in this process): every entry of the part in order,
its link and hash checked with the rule of `vault.domain.audit.ChainCheck` (inline; ChainCheck
is asked for the words when a link fails), and beside it every recorded row its entries name
(`vault.services.audit_rows`). This process then joins the parts: the last entry of one must be
followed by the first of the next, no row may sit before, between or after the rows the parts
matched, and the acknowledgements and liftings recorded must be the ones made. It does so inside
the read transaction it opened first, in which the newest entry was taken as the end of the
walk, so rows written while the walk runs are neither half-seen nor taken for insertions.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from hashlib import sha256

from peewee import SqliteDatabase

from vault.db.models import AuditEntry, database
from vault.domain.audit import GENESIS, ChainCheck, Entry, canonical
from vault.services import audit
from vault.services.audit_rows import Rows, pages

Progress = Callable[[int, int], None]  # (entries checked, entries in the log)
PARALLEL_FROM = 1_000_000  # entries: below this a second process costs more than it saves
TICK = 65_536  # entries between looks at the clock for progress


@dataclass
class Part:
    """What the walk of one part of the log found."""

    count: int = 0
    problem: str | None = None
    first: tuple | None = None  # (seq, body, prev_hash, hash) of its first entry
    last: tuple[int, str] = (0, GENESIS)  # the number and hash of its last entry checked
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind -> first, last row
    amendments: dict[str, dict[int, str]] = field(default_factory=dict)


def walk(start: int | None, stop: int, tick: Callable[[int], None] | None = None) -> Part:
    """Entries `start` (None: from the beginning) to `stop`, and the rows they name."""
    part = Part(amendments={a.kind: {} for a in audit.AMENDED})
    rows = {r.kind: Rows(r) for r in audit.RECORDED}
    amendments, count, recorded = part.amendments, 0, rows.get
    last_seq, last_hash = (0, GENESIS) if start is None else (None, None)
    columns = ("seq", "kind", "ref", "body", "prev_hash", "hash")
    entries = pages(AuditEntry._meta.table_name, columns, start=None if start is None else (start,),
                    stop=stop)  # fmt: skip
    for seq, kind, ref, body, prev, digest in entries:
        if last_seq is None:  # a later part: the parts are joined afterwards
            part.first, last_seq, last_hash = (seq, body, prev, digest), seq - 1, prev
        # ChainCheck's rule, inline: the next number, linked to the last hash, hashing right
        # (vault.domain.audit.entry_hash(seq, prev, body)).
        if (
            seq != last_seq + 1
            or prev != last_hash
            or sha256(f"{seq}|{prev}|{body}".encode()).hexdigest() != digest
        ):
            part.problem = _link_problem((last_seq, last_hash), (seq, body, prev, digest))
            break
        last_seq, last_hash = seq, digest
        count += 1
        matched = recorded(kind)
        if matched is not None:
            problem = matched.match(ref, body)
            if problem:
                part.problem = f"entry {seq}: {problem}"
                break
        elif kind in amendments:
            amendments[kind][ref] = body
        if tick is not None and not count % TICK:
            tick(count)
    part.count, part.last = count, (last_seq or 0, last_hash or GENESIS)
    part.spans = {k: (r.first, r.last) for k, r in rows.items() if r.first is not None}
    return part


def _link_problem(last: tuple[int, str], entry: tuple) -> str | None:
    chain = ChainCheck()
    chain.last_seq, chain.last_hash = last
    chain.feed(Entry(*entry))
    return chain.problem


@contextmanager
def _snapshot() -> Iterator[None]:
    """One read transaction, so every page sees the same database. SQLite: a deferred one, so
    the bridge keeps writing meanwhile (WAL); PostgreSQL: repeatable read, one snapshot."""
    db = database.obj
    if isinstance(db, SqliteDatabase):
        with db.atomic(lock_type="DEFERRED"):
            yield
        return
    outermost = db.transaction_depth() == 0
    with db.atomic(lock_type="DEFERRED"):  # no writer lock: the bridges keep writing meanwhile
        if outermost:
            db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def verify(progress: Progress | None = None, parallel_from: int = PARALLEL_FROM) -> audit.Verdict:
    with _snapshot():
        newest = f"SELECT MAX(seq) FROM {AuditEntry._meta.table_name}"
        stop = database.execute_sql(newest).fetchone()[0] or 0
        helper = None
        if stop >= parallel_from and (os.cpu_count() or 1) > 1 and _reopenable():
            middle = stop // 2 + 1
            helper = _Helper(middle, stop)
            stop = middle - 1
        parts = [walk(None, stop, _ticker(progress, helper))]
        if helper is not None:
            parts.append(helper.result())
        if progress:
            progress(sum(p.count for p in parts), sum(p.count for p in parts))
        return _join(parts)


def _ticker(progress: Progress | None, helper: _Helper | None) -> Callable[[int], None] | None:
    """Tell `progress` about once a second how far the walk (and its helper's) has got."""
    if progress is None:
        return None
    total = database.execute_sql(f"SELECT MAX(seq) FROM {AuditEntry._meta.table_name}")
    total = total.fetchone()[0] or 0
    shown = [time.monotonic()]

    def tick(count: int) -> None:
        if time.monotonic() - shown[0] >= 1:
            shown[0] = time.monotonic()
            progress(count + (helper.done.value if helper else 0), total)

    return tick


def _join(parts: list[Part]) -> audit.Verdict:
    """The parts' verdict: the first problem in the order of the log, then rows outside every
    part's rows, then the amendments."""
    count = 0
    for previous, part in zip([None, *parts], parts, strict=False):
        if previous is not None and part.first is not None:
            problem = _link_problem(previous.last, part.first)
            if problem:
                return audit.Verdict(count, problem)
        count += part.count
        if part.problem:
            return audit.Verdict(count, part.problem)
    for table in audit.RECORDED:
        problem = _inserted(table, [p.spans[table.kind] for p in parts if table.kind in p.spans])
        if problem:
            return audit.Verdict(count, problem)
    for amended in audit.AMENDED:
        bodies = {ref: body for p in parts for ref, body in p.amendments[amended.kind].items()}
        problem = _check_amendments(amended, bodies)
        if problem:
            return audit.Verdict(count, problem)
    head = next((p.last for p in reversed(parts) if p.count), (0, GENESIS))
    return audit.Verdict(count, None, head)


def _inserted(table: audit.Recorded, spans: list[tuple[int, int]]) -> str | None:
    """A row before the first the parts matched, between two parts' rows, or after the last."""
    p, name = database.param, table.model._meta.table_name
    bounds = [None, *(b for span in spans for b in span), None]
    for low, high in zip(bounds[::2], bounds[1::2], strict=True):
        where = [f"id > {p}"] * (low is not None) + [f"id < {p}"] * (high is not None)
        sql = f"SELECT MIN(id) FROM {name}" + (f" WHERE {' AND '.join(where)}" if where else "")
        found = database.execute_sql(sql, [b for b in (low, high) if b is not None]).fetchone()
        if found and found[0] is not None:
            return f"{table.name} {found[0]} is not in the record: it was inserted"
    return None


def _check_amendments(amended: audit.Amended, bodies: dict[int, str]) -> str | None:
    """Every row changed is changed as recorded, and no other change was recorded."""
    model = amended.model
    for row in model.select().where(amended.done()).order_by(model.id).iterator():
        body = bodies.pop(row.id, None)
        if body is None:
            return f"{amended.name} {row.id} is not in the record"
        recorded = json.loads(body)["record"]
        if recorded != json.loads(canonical(amended.kind, amended.record(row)))["record"]:
            return f"{amended.name} {row.id} was changed"
    if bodies:
        return f"{amended.name} {min(bodies)} was removed"
    return None


def _reopenable() -> bool:
    """A second process can open the same database: a SQLite file, or a server."""
    db = database.obj
    return not isinstance(db, SqliteDatabase) or db.database not in ("", ":memory:")


class _Helper:
    """The later part of the log, walked by a second process on its own connection."""

    def __init__(self, start: int, stop: int) -> None:
        db, context = database.obj, multiprocessing.get_context("spawn")
        self.done = context.Value("q", 0, lock=False)
        self.results = context.SimpleQueue()
        recipe = (type(db), db.database, db.connect_params, getattr(db, "_pragmas", None))
        self.process = context.Process(
            target=_help, args=(recipe, start, stop, self.done, self.results), daemon=True
        )
        self.process.start()

    def result(self) -> Part:
        part = self.results.get()
        self.process.join()
        if isinstance(part, BaseException):
            raise part
        return part


def _help(recipe: tuple, start: int, stop: int, done, results) -> None:
    kind, name, params, pragmas = recipe
    extra = {"pragmas": pragmas} if pragmas is not None else {}
    db = kind(name, **params, **extra)
    database.initialize(db)
    try:
        with _snapshot():
            results.put(walk(start, stop, lambda count: setattr(done, "value", count)))
    except Exception as e:  # noqa: BLE001 - handed to the parent, which raises it
        results.put(e)
    finally:
        db.close()
