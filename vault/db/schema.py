"""The schema and its version: `vault init` creates it, and migrates an older database in place.

Each migration is a function that takes the database from version N-1 to N inside one
transaction. A database newer than this code is refused rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Callable

from peewee import Database

from vault.db.models import ALL_MODELS, SchemaVersion


class SchemaError(Exception):
    """The database's schema is missing, old or newer than this version of Vault."""


def _v1_create_tables(db: Database) -> None:
    db.create_tables(ALL_MODELS)


MIGRATIONS: tuple[Callable[[Database], None], ...] = (_v1_create_tables,)
LATEST = len(MIGRATIONS)


def current_version(db: Database) -> int:
    if not db.table_exists(SchemaVersion._meta.table_name):
        return 0
    row = SchemaVersion.select().first()
    return row.version if row else 0


def migrate(db: Database) -> tuple[int, int]:
    """Bring the schema to the latest version; return (version before, version after)."""
    before = current_version(db)
    if before > LATEST:
        raise SchemaError(
            f"the database is at schema version {before}, newer than this Vault ({LATEST})"
        )
    for version in range(before + 1, LATEST + 1):
        with db.atomic():
            MIGRATIONS[version - 1](db)
            SchemaVersion.delete().execute()
            SchemaVersion.create(version=version)
    return before, LATEST


def require_current(db: Database) -> None:
    """Refuse to work on a database that `vault init` has not brought up to date."""
    version = current_version(db)
    if version == 0:
        raise SchemaError("the database has no Vault schema yet: run `vault init`")
    if version != LATEST:
        raise SchemaError(
            f"the database is at schema version {version}, this Vault needs {LATEST}: "
            "run `vault init` to migrate it"
        )
