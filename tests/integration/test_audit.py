"""The hash-chained record: `vault audit verify` on a real database file, after the file has been
edited behind Vault's back (triggers dropped first, as a tamperer would)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_CSV, run_vault, write_config
from vault.db.audit_guard import TRIGGERS
from vault.db.connection import open_database
from vault.db.models import database
from vault.domain.audit import GENESIS, ChainCheck, Entry, canonical, entry_hash
from vault.domain.model import Read, StationKind
from vault.services.alarms import acknowledge
from vault.services.custody import record_read
from vault.services.requests import approve_request

STATIONS = [
    {"id": "door-1", "kind": "warehouse_door", "port": "dev/door-1"},
    {"id": "exit-1", "kind": "reading_exit", "port": "dev/exit-1"},
]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """An archive with an approval, four custody events, two alarms and an acknowledgement:
    eight entries."""
    config = write_config(tmp_path, STATIONS)
    run_vault(config, "init")
    run_vault(config, "import", str(SAMPLE_CSV))
    open_database(f"sqlite:///{tmp_path / 'vault.db'}")
    try:
        today = date.today()
        approve_request("张华", "李局长", "同意", ["WC-TJ-2002-0137"], today, today)
        for n, (station, kind, code) in enumerate(
            [
                ("door-1", StationKind.WAREHOUSE_DOOR, "WC-TJ-2002-0137"),
                ("door-1", StationKind.WAREHOUSE_DOOR, "WC-TJ-2003-0011"),
                ("exit-1", StationKind.READING_EXIT, "WC-TJ-2002-0137"),
                ("exit-1", StationKind.READING_EXIT, "NOT-REGISTERED"),
            ]
        ):
            record_read(Read(station, kind, code, datetime.now(), code.encode()), f"t-{n}")
        acknowledge(1, "已核实", by="guard")
    finally:
        database.close()
        database.initialize(None)
    return config


def verify(config: Path) -> tuple[int, str]:
    result = run_vault(config, "audit", "verify", check=False)
    return result.returncode, result.stdout


def tamper(config: Path, *statements: str) -> None:
    connection = sqlite3.connect(config.parent / "vault.db", isolation_level=None)
    for name in TRIGGERS:
        connection.execute(f"DROP TRIGGER IF EXISTS {name}")
    for sql in statements:
        connection.execute(sql)
    connection.close()


def test_an_untouched_record_verifies_and_its_head_can_be_written_down(archive):
    code, out = verify(archive)
    assert code == 0 and "the record verifies: 8 entries" in out, out
    head = run_vault(archive, "audit", "head").stdout
    assert head.startswith("entry 8 ") and head.split()[2] in out


def test_the_database_refuses_to_change_recorded_rows(archive):
    connection = sqlite3.connect(archive.parent / "vault.db")
    for sql in (
        "UPDATE custody_event SET kind = 'checked_in' WHERE id = 1",
        "DELETE FROM custody_event WHERE id = 1",
        "UPDATE audit_entry SET body = '{}' WHERE seq = 1",
        "DELETE FROM audit_entry WHERE seq = 8",
        "UPDATE alarm SET reason = 'nothing' WHERE id = 1",
        "UPDATE alarm SET acknowledged_note = 'rewritten' WHERE id = 1",
        "DELETE FROM alarm WHERE id = 2",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute(sql)
    connection.close()
    assert verify(archive)[0] == 0


@pytest.mark.parametrize(
    ("statements", "named"),
    [
        (
            ["UPDATE custody_event SET station_id = 'door-1' WHERE id = 3"],
            "custody event 3 was changed",
        ),
        (["DELETE FROM custody_event WHERE id = 2"], "custody event 2 was removed"),
        (
            [
                "INSERT INTO custody_event (id, event_id, at, station_id, code, kind, raw) "
                "VALUES (99, 'forged', '2026-01-01 00:00:00', 'exit-1', 'X', 'seen', X'')"
            ],
            "custody event 99 is not in the record: it was inserted",
        ),
        (["UPDATE alarm SET reason = 'nothing happened' WHERE id = 2"], "alarm 2 was changed"),
        (["DELETE FROM alarm WHERE id = 1"], "alarm 1 was removed"),
        (
            ["UPDATE alarm SET acknowledged_by = 'someone else' WHERE id = 1"],
            "acknowledgement of alarm 1 was changed",
        ),
        (
            [
                "UPDATE alarm SET acknowledged_at = '2026-01-01 00:00:00', acknowledged_by = 'x' "
                "WHERE id = 2"
            ],
            "acknowledgement of alarm 2 is not in the record",
        ),
        (
            ["UPDATE audit_entry SET body = replace(body, '同意', '不同意') WHERE seq = 1"],
            "entry 1 was changed",
        ),
        (["DELETE FROM audit_entry WHERE seq = 4"], "entry 4 was removed"),
    ],
)
def test_an_edit_behind_vaults_back_is_named(archive, statements, named):
    tamper(archive, *statements)
    code, out = verify(archive)
    assert code == 1 and "does NOT verify" in out
    assert named in out, out


def test_an_inserted_entry_breaks_the_chain_even_with_a_correct_hash_of_its_own():
    bodies = [canonical("custody_event", {"id": n}) for n in range(1, 4)]
    entries, prev = [], GENESIS
    for seq, body in enumerate(bodies, start=1):
        entries.append(Entry(seq, body, prev, entry_hash(seq, prev, body)))
        prev = entries[-1].hash
    forged_body = canonical("custody_event", {"id": 99})
    forged = Entry(2, forged_body, entries[0].hash, entry_hash(2, entries[0].hash, forged_body))
    check = ChainCheck()
    for entry in [entries[0], forged, *entries[1:]]:
        check.feed(entry)
    assert check.problem == "entry 2 appears twice or out of order"
    renumbered = ChainCheck()
    shifted = [Entry(3, e.body, e.prev_hash, e.hash) for e in entries[1:2]]
    for entry in [entries[0], forged, *shifted]:
        renumbered.feed(entry)
    assert renumbered.problem == "entry 3 does not follow entry 2: one was inserted"


def test_an_older_database_is_recorded_when_it_is_migrated(tmp_path):
    from vault.db import schema
    from vault.db.models import SchemaVersion, Station
    from vault.services import audit

    open_database(f"sqlite:///{tmp_path / 'old.db'}")
    db = database.obj
    try:
        with db.atomic():
            for step in schema.MIGRATIONS[:5]:
                step(db)
            SchemaVersion.create(version=5)
        Station.create(id="exit-1", kind="reading_exit", port="/dev/x")
        assert not db.table_exists("audit_entry")  # a database from before the log
        db.execute_sql(
            "INSERT INTO custody_event (event_id, at, station_id, code, kind, raw) "
            "VALUES ('old', '2026-01-02 00:00:00', 'exit-1', 'OLD-1', 'unknown_code', X'4f4c')"
        )
        assert schema.migrate(db) == (5, schema.LATEST)
        assert audit.verify().ok and audit.head()[0] == 1
    finally:
        database.close()
        database.initialize(None)
