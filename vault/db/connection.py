"""Opening the configured database, SQLite or PostgreSQL, with settings that keep every commit.

SQLite runs in WAL mode with synchronous=FULL (a commit survives a crash or power cut), foreign
keys on, and every transaction taken as BEGIN IMMEDIATE so that two writers wait for each other
(busy_timeout) instead of failing with "database is locked".
"""

from __future__ import annotations

from urllib.parse import urlparse

from peewee import Database
from playhouse.db_url import connect

from vault.db.models import database

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "cache_size": -64000,
}


class DatabaseUnavailable(Exception):
    """The configured database cannot be opened."""


def open_database(url: str) -> Database:
    """Connect the models to the database at `url` (a peewee database URL)."""
    scheme = urlparse(url).scheme
    try:
        if scheme == "sqlite":
            db = connect(url, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", timeout=10)
        else:
            db = connect(url)
    except (RuntimeError, ValueError) as e:
        raise DatabaseUnavailable(f"database {url!r}: {e}") from None
    database.initialize(db)
    return db
