"""The database as opened by Vault: durable settings, the schema version, migrations."""

import threading

import pytest

from tests.conftest import SAMPLE_CSV
from vault.db.connection import open_database
from vault.db.models import Folder, SchemaVersion, database
from vault.db.schema import LATEST, SchemaError, current_version, migrate, require_current
from vault.services.register import import_file


def test_sqlite_runs_in_wal_with_full_sync_and_foreign_keys(sqlite_db):
    db = sqlite_db
    pragma = lambda name: db.execute_sql(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") >= 5000


def test_init_twice_keeps_the_data(db):
    import_file(SAMPLE_CSV)
    assert migrate(db) == (LATEST, LATEST)
    assert Folder.select().count() == 12
    require_current(db)


def test_a_fresh_database_asks_for_init(tmp_path):
    handle = open_database(f"sqlite:///{tmp_path / 'new.db'}")
    try:
        assert current_version(handle) == 0
        with pytest.raises(SchemaError, match="run `vault init`"):
            require_current(handle)
    finally:
        handle.close()
        database.initialize(None)


def test_a_database_newer_than_this_vault_is_refused(db):
    SchemaVersion.update(version=LATEST + 1).execute()
    with pytest.raises(SchemaError, match="newer than this Vault"):
        migrate(db)
    with pytest.raises(SchemaError, match="needs"):
        require_current(db)


def test_concurrent_writers_wait_instead_of_failing(db):
    """Every transaction takes the write lock first (SQLite: BEGIN IMMEDIATE, queued on
    busy_timeout; PostgreSQL: the advisory lock), so a read-modify-write loses no update."""
    import_file(SAMPLE_CSV)
    errors: list[Exception] = []

    def writer() -> None:
        try:
            for _ in range(50):
                with database.atomic():
                    folder = Folder.get(Folder.code == "WC-TJ-2002-0137")
                    folder.label_generation = folder.label_generation + 1
                    folder.save()
        except Exception as e:  # noqa: BLE001 - any failure is the finding
            errors.append(e)
        finally:
            database.close()

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Folder.get(Folder.code == "WC-TJ-2002-0137").label_generation == 400


def test_a_first_version_database_is_migrated_with_its_data(tmp_path):
    from vault.db import schema
    from vault.db.models import Folder, LabelPrint, Location, SchemaVersion, Station

    open_database(f"sqlite:///{tmp_path / 'old.db'}")
    db = database.obj
    with db.atomic():
        schema.MIGRATIONS[0](db)
        SchemaVersion.create(version=1)
    # Tables are created from today's models; take station back to how version 1 left it.
    for column in ("frames", "reads", "rejected", "lost", "last_read_at", "backlog", "reported_at"):
        db.execute_sql(f"ALTER TABLE station DROP COLUMN {column}")
    db.execute_sql(
        "INSERT INTO station (id, kind, port, protocol, status, status_detail) "
        "VALUES ('door-1', 'warehouse_door', '/dev/ttyUSB0', 'line', 'unknown', '')"
    )
    loc = Location.create(code="A-01")
    Folder.create(code="WC-1", title="t", classification="secret", location=loc)
    assert schema.migrate(db) == (1, schema.LATEST)
    assert Station.get_by_id("door-1").reads == 0
    assert LabelPrint.select().count() == 0
    assert Folder.get(Folder.code == "WC-1").label_generation == 0
