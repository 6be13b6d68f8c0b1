"""Opening the configured database, SQLite or PostgreSQL, with settings that keep every commit.

SQLite runs in WAL mode with synchronous=FULL (a commit survives a crash or power cut), foreign
keys on, and every transaction taken as BEGIN IMMEDIATE so that two writers wait for each other
(busy_timeout) instead of failing with "database is locked".

PostgreSQL is given the same discipline, because Vault's services are written for it: a
transaction that reads a row and writes it back (a label's generation, a stocktake's tally, the
closing check) must not lose a concurrent writer's update, which PostgreSQL's default isolation
allows. So every transaction begins by taking one transaction-scoped advisory lock, and writers
on every computer take turns, as on SQLite. A transaction that only reads says so with
`atomic(lock_type="DEFERRED")`, on either database, and takes no lock.
"""

from __future__ import annotations

from urllib.parse import urlparse

from peewee import Database, PostgresqlDatabase
from playhouse.db_url import connect, parse

from vault.db.models import database

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "cache_size": -64000,
}

WRITER_LOCK = 0x7661756C74  # the advisory lock every PostgreSQL write transaction takes ("vault")


class DatabaseUnavailable(Exception):
    """The configured database cannot be opened."""


class VaultPostgresqlDatabase(PostgresqlDatabase):
    """PostgreSQL whose transactions take turns unless they only read (see the module)."""

    def begin(self, isolation_level=None, lock_type: str = "IMMEDIATE") -> None:
        super().begin(isolation_level)
        if lock_type != "DEFERRED":
            # execute_sql, not a bare cursor: a lost connection must raise peewee's
            # OperationalError, which callers wait out, not psycopg2's, which they do not know.
            self.execute_sql("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK,))


def open_database(url: str) -> Database:
    """Connect the models to the database at `url` (a peewee database URL)."""
    scheme = urlparse(url).scheme
    try:
        if scheme == "sqlite":
            db = connect(url, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", timeout=10)
        elif scheme in ("postgres", "postgresql"):
            db = VaultPostgresqlDatabase(**parse(url))
        else:
            db = connect(url)
    except (RuntimeError, ValueError) as e:
        raise DatabaseUnavailable(f"database {url!r}: {e}") from None
    database.initialize(db)
    return db
