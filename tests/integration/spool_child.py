"""A bridge in miniature for the spool crash test, run until the test kills it with SIGKILL.

`python -m tests.integration.spool_child SPOOL_DIR DATABASE`: two station threads append
batches of numbered reads (the number is the read's code) and print "first last" once append()
has returned, i.e. once the reads could be acknowledged to the device. A forwarder thread stores
reads in SQLite with the entry id as a unique event id, as the archive database does, then marks
them forwarded. Numbering continues after the highest number already in the spool or database.
"""

import random
import sqlite3
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

from firmware_bridge.spool import Spool, SpoolRecord

SEGMENT_BYTES = 4096  # small, so segments roll and get deleted many times per run


def open_database(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE IF NOT EXISTS events (event_id TEXT PRIMARY KEY, number INTEGER)")
    return db


def highest_number(spool: Spool, db: sqlite3.Connection) -> int:
    spooled = [int(e.record.code) for e in spool.pending(10**9)]
    stored = db.execute("SELECT max(number) FROM events").fetchone()[0]
    return max([*spooled, stored or 0, 0])


def forward(spool: Spool, db: sqlite3.Connection) -> None:
    while True:
        if not spool.wait(1.0):
            continue
        entries = spool.pending(rng.randint(1, 200))
        db.execute("BEGIN IMMEDIATE")
        db.executemany(
            "INSERT OR IGNORE INTO events VALUES (?, ?)",
            [(e.id, int(e.record.code)) for e in entries],
        )
        db.execute("COMMIT")
        spool.forwarded(entries)


def station(name: str, spool: Spool) -> None:
    while True:
        with numbering:
            first, size = counter[0], rng.randint(1, 40)
            counter[0] += size
        now = datetime.now(UTC).replace(tzinfo=None)
        spool.append(
            [
                SpoolRecord(name, str(n), n.to_bytes(8, "big") + b"VSR1\r\n", now, n % 2 == 0)
                for n in range(first, first + size)
            ]
        )
        with printing:
            sys.stdout.write(f"{first} {first + size - 1}\n")
            sys.stdout.flush()


rng = random.Random()
numbering, printing = threading.Lock(), threading.Lock()
counter = [0]

if __name__ == "__main__":
    spool = Spool(Path(sys.argv[1]), segment_bytes=SEGMENT_BYTES)
    database = open_database(sys.argv[2])
    counter[0] = highest_number(spool, database) + 1
    threading.Thread(target=forward, args=(spool, database), daemon=True).start()
    for k in range(2):
        threading.Thread(target=station, args=(f"station-{k}", spool), daemon=True).start()
    threading.Event().wait()
