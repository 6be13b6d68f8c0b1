"""Which database the suite runs on, and the raw access tests need behind Vault's back.

`VAULT_TEST_DATABASE` picks the backend: `sqlite` (the default) gives every test folder its own
SQLite file, `vault.db`, as a one-PC archive has; `postgresql` gives it its own database on a
PostgreSQL server the suite starts itself (`tests.postgres_server`), as an archive shared by
several computers has. `scripts/test.sh` runs the suite once with each.

A folder stands for an archive: `url_for(folder)` is that archive's database, the same URL each
time it is asked within a test, so a configuration file, a `vault` process and the test itself
all reach the same data. Databases made for a test are dropped when it ends.
"""

from __future__ import annotations

import atexit
import itertools
import os
import sqlite3
from pathlib import Path

from vault.db.audit_guard import TRIGGERS
from vault.db.connection import open_database

BACKEND = os.environ.get("VAULT_TEST_DATABASE", "sqlite")
if BACKEND not in ("sqlite", "postgresql"):
    raise RuntimeError(f"VAULT_TEST_DATABASE must be sqlite or postgresql, not {BACKEND!r}")
POSTGRESQL = BACKEND == "postgresql"

_server = None  # the suite's PostgreSQL server, started at the first test that needs one
_names = itertools.count(1)
_made: dict[Path, str] = {}  # folder -> database name, for the running test


def server():
    """The suite's PostgreSQL server, started on first use and removed when the run ends."""
    global _server
    if _server is None:
        from tests.postgres_server import PostgresServer

        _server = PostgresServer().start()
        atexit.register(_server.remove)
    return _server


def url_for(folder: Path, *, migrated: bool = False) -> str:
    """The database URL of the archive kept in `folder`: made empty the first time, or with
    the current schema already in place when `migrated` (a copy of one migrated template, on
    PostgreSQL, which is six times quicker than migrating each)."""
    folder = Path(folder).resolve()
    if not POSTGRESQL:
        return f"sqlite:///{folder / 'vault.db'}"
    if folder not in _made:
        name = f"vault_test_{os.getpid()}_{next(_names)}"
        server().create_database(name, _template() if migrated else "template0")
        _made[folder] = name
    return server().url(_made[folder])


_template_name = ""


def _template() -> str:
    """A database migrated to the current schema once per run, for `url_for` to copy."""
    global _template_name
    if not _template_name:
        from vault.db.models import database
        from vault.db.schema import migrate

        name = f"vault_template_{os.getpid()}"
        handle = open_database(server().create_database(name))
        migrate(handle)
        handle.close()
        database.initialize(None)
        _template_name = name
    return _template_name


def config_url(folder: Path) -> str:
    """What a vault.toml in `folder` says for `database`: relative on SQLite, as people write it."""
    return "sqlite:///vault.db" if not POSTGRESQL else url_for(folder)


def open_archive(folder: Path):
    """Bind the models to the archive in `folder`, as `vault` does with its configuration."""
    return open_database(url_for(folder))


def exists(folder: Path) -> bool:
    """Whether the archive in `folder` has been created (a SQLite file, or a schema)."""
    if not POSTGRESQL:
        return (Path(folder) / "vault.db").exists()
    with raw(folder) as connection:
        return bool(connection.rows("SELECT 1 FROM pg_tables WHERE tablename = 'schema_version'"))


def drop_all() -> None:
    """Drop the databases the finished test made."""
    while _made:
        _, name = _made.popitem()
        server().drop_database(name)


class Raw:
    """A plain DB-API connection in autocommit mode: `?` placeholders on both backends."""

    def __init__(self, folder: Path) -> None:
        if POSTGRESQL:
            import psycopg2

            self.connection = psycopg2.connect(url_for(folder))
            self.connection.autocommit = True
        else:
            self.connection = sqlite3.connect(Path(folder) / "vault.db", isolation_level=None)

    def execute(self, sql: str, params: tuple = ()) -> None:
        self.rows(sql, params, fetch=False)

    def rows(self, sql: str, params: tuple = (), fetch: bool = True) -> list[tuple]:
        if POSTGRESQL:
            sql = sql.replace("?", "%s")
        cursor = self.connection.cursor()
        try:
            cursor.execute(sql, params)
            return cursor.fetchall() if fetch else []
        finally:
            cursor.close()

    def bypass_guard(self) -> None:
        """Turn off the append-only triggers for this connection, as a tamperer with the
        database's own account would: SQLite's are dropped, PostgreSQL's skipped."""
        if POSTGRESQL:
            self.execute("SET session_replication_role = replica")
        else:
            for name in TRIGGERS:
                self.execute(f"DROP TRIGGER IF EXISTS {name}")

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Raw:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def raw(folder: Path) -> Raw:
    return Raw(folder)


def refused_errors() -> tuple[type[Exception], ...]:
    """What the raw connection raises when a trigger refuses a statement."""
    if POSTGRESQL:
        import psycopg2

        return (psycopg2.Error,)
    return (sqlite3.IntegrityError,)


def tamper(folder: Path, *statements: str) -> None:
    """Run `statements` against the archive in `folder` with the append-only guard off."""
    with raw(folder) as connection:
        connection.bypass_guard()
        for sql in statements:
            connection.execute(sql)
