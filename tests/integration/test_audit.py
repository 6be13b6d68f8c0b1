"""The hash-chained record: `vault audit verify` on a real database, after it has been edited
behind Vault's back (the append-only triggers turned off first, as a tamperer would)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from tests import databases
from tests.conftest import SAMPLE_CSV, run_vault, write_config
from vault.db.audit_guard import WRITTEN_ONCE
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
    databases.open_archive(tmp_path)
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
    databases.tamper(config.parent, *statements)


def test_an_untouched_record_verifies_and_its_head_can_be_written_down(archive):
    code, out = verify(archive)
    assert code == 0 and "the record verifies: 8 entries" in out, out
    head = run_vault(archive, "audit", "head").stdout
    assert head.startswith("entry 8 ") and head.split()[2] in out


def test_the_database_refuses_to_change_recorded_rows(archive):
    connection = databases.raw(archive.parent)
    for sql in (
        "UPDATE custody_event SET kind = 'checked_in' WHERE id = 1",
        "DELETE FROM custody_event WHERE id = 1",
        "UPDATE audit_entry SET body = '{}' WHERE seq = 1",
        "DELETE FROM audit_entry WHERE seq = 8",
        "UPDATE alarm SET reason = 'nothing' WHERE id = 1",
        "UPDATE alarm SET acknowledged_note = 'rewritten' WHERE id = 1",
        "DELETE FROM alarm WHERE id = 2",
    ):
        with pytest.raises(databases.refused_errors(), match="append-only"):
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
                "VALUES (99, 'forged', '2026-01-01 00:00:00', 'exit-1', 'X', 'seen', '')"
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

    (tmp_path / "old").mkdir()
    databases.open_archive(tmp_path / "old")
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
            "VALUES ('old', '2026-01-02 00:00:00', 'exit-1', 'OLD-1', 'unknown_code', "
            f"{db.param})",
            (b"OL",),
        )
        assert schema.migrate(db) == (5, schema.LATEST)
        assert audit.verify().ok and audit.head()[0] == 1
    finally:
        database.close()
        database.initialize(None)


# The archive's rules as records: letters, approvals naming folders, holds and their lifting,
# destruction approvals, destructions and data released outside. The services that write them
# are written elsewhere; here the rows are written as they do it: the row, then its entry, in
# one transaction.

NOW = datetime(2026, 3, 2, 9, 30, 15, 123456)  # microseconds kept: they must read back the same


def _record(row):
    from vault.services import audit

    audit.record(row)
    return row


@pytest.fixture
def rules(db, tmp_path: Path) -> Path:
    """Entries: 1 letter, 2 approval, 3 hold, 4 its lifting, 5 destruction approval,
    6 destruction, 7 data release, 8 a second letter (id 10). Returns the archive's folder."""
    from vault.db.models import (
        Approval,
        ApprovalFolder,
        Destruction,
        DestructionApproval,
        DestructionBatch,
        DestructionItem,
        ExternalRelease,
        Folder,
        Hold,
        Letter,
        Location,
        Person,
        Request,
    )
    from vault.services import audit

    shelf = Location.create(code="A-01-01")
    folders = [
        Folder.create(
            code=f"WC-TJ-2002-{n:04d}",
            title=f"2002年农业普查汇总表（第{n}册）",
            classification="secret",
            location=shelf,
        )
        for n in (1, 2, 3)
    ]
    letter = {
        "unit": "县农业局",
        "issued_on": date(2026, 3, 1),
        "valid_until": date(2026, 3, 31),
        "covers": "WC-TJ-2002\n农业普查",
        "seal_confirmed_by": "档案员01",
        "recorded_at": NOW,
    }
    with database.atomic():
        first = _record(Letter.create(number="农函〔2026〕3号", **letter))
    with database.atomic():
        request = Request.create(
            reader=Person.create(name="张华"),
            purpose="核对",
            letter=first,
            valid_from=date(2026, 3, 2),
            valid_until=date(2026, 3, 6),
        )
        approval = Approval.create(request=request, approver="李局长", opinion="同意", at=NOW)
        for folder in folders[:2]:
            ApprovalFolder.create(approval=approval, folder=folder)
        _record(approval)
    with database.atomic():
        hold = _record(
            Hold.create(folder=folders[2], reason="审计调查", placed_by="王科长", placed_at=NOW)
        )
    with database.atomic():
        Hold.update(lifted_by="王科长", lifted_at=NOW, lift_note="调查结束").where(
            Hold.id == hold.id
        ).execute()
        audit.record_amendment(audit.HOLD_LIFT, Hold.get_by_id(hold.id))
    with database.atomic():
        batch = DestructionBatch.create(
            reason="保管期满，经鉴定无保存价值",
            site="县造纸厂",
            supervisors="刘科长\n陈档案员",
            created_by="档案员01",
            created_at=NOW,
        )
        for folder in folders[1:]:
            DestructionItem.create(batch=batch, folder=folder)
        _record(
            DestructionApproval.create(batch=batch, approver="李局长", opinion="同意销毁", at=NOW)
        )
    with database.atomic():
        _record(
            Destruction.create(
                batch=batch,
                destroyed_on=date(2026, 3, 5),
                confirmed_by="刘科长",
                confirmed_at=NOW,
                note="化浆",
            )
        )
    with database.atomic():
        _record(
            ExternalRelease.create(
                unit="市统计局",
                letter_number="市统函〔2026〕9号",
                letter_date=date(2026, 2, 27),
                purpose="年度核查",
                seal_confirmed_by="档案员01",
                approved_by="李局长",
                provided="2025年农业普查汇总数据（电子表格一份）",
                provided_on=date(2026, 3, 3),
                recorded_by="档案员01",
                recorded_at=NOW,
            )
        )
    with database.atomic():
        _record(Letter.create(id=10, number="农函〔2026〕4号", **letter))
    return tmp_path


def tamper_file(folder: Path, *statements: str) -> None:
    databases.tamper(folder, *statements)


def test_the_rules_records_verify(rules):
    from vault.services import audit

    verdict = audit.verify()
    assert verdict.ok, verdict.problem
    assert verdict.entries == 8 and verdict.head == audit.head()


RELEASE_COLUMNS = (
    "unit, letter_number, letter_date, purpose, seal_confirmed_by, approved_by, provided, "
    "provided_on, recorded_by, recorded_at"
)


@pytest.mark.parametrize(
    ("statements", "named"),
    [
        (
            ["UPDATE approval SET opinion = '不同意' WHERE id = 1"],
            "entry 2: approval 1 was changed",
        ),
        (
            ["DELETE FROM approval_folder WHERE approval_id = 1 AND folder_id = 2"],
            "entry 2: approval 1 was changed",
        ),
        (
            [
                "INSERT INTO approval (id, request_id, approver, duty, approved, opinion, at) "
                "VALUES (7, 1, '李局长', 'leader', TRUE, '同意', '2026-03-02 09:30:15')"
            ],
            "approval 7 is not in the record: it was inserted",
        ),
        (["UPDATE approval SET approved = FALSE WHERE id = 1"], "entry 2: approval 1 was changed"),
        (["UPDATE letter SET covers = '全部' WHERE id = 1"], "entry 1: letter 1 was changed"),
        (["DELETE FROM letter WHERE id = 10"], "entry 8: letter 10 was removed"),
        (
            [
                "INSERT INTO letter (id, unit, number, issued_on, valid_until, covers, "
                "seal_confirmed_by, recorded_at) SELECT 5, unit, '伪函', issued_on, valid_until, "
                "covers, seal_confirmed_by, recorded_at FROM letter WHERE id = 1"
            ],
            "entry 8: letter 5 is not in the record: it was inserted",
        ),
        (["UPDATE hold SET reason = '无' WHERE id = 1"], "entry 3: hold 1 was changed"),
        (
            ["UPDATE hold SET lift_note = '无需调查' WHERE id = 1"],
            "the lifting of hold 1 was changed",
        ),
        (
            ["UPDATE hold SET lifted_at = NULL, lifted_by = '', lift_note = '' WHERE id = 1"],
            "the lifting of hold 1 was removed",
        ),
        (
            ["UPDATE destruction_approval SET approved = FALSE WHERE id = 1"],
            "entry 5: destruction approval 1 was changed",
        ),
        (
            ["DELETE FROM destruction_item WHERE folder_id = 3"],
            "entry 5: destruction approval 1 was changed",
        ),
        (
            ["UPDATE destruction_batch SET site = '露天焚烧' WHERE id = 1"],
            "entry 5: destruction approval 1 was changed",
        ),
        (["DELETE FROM destruction WHERE id = 1"], "entry 6: destruction 1 was removed"),
        (
            ["UPDATE destruction SET destroyed_on = '2026-03-06' WHERE id = 1"],
            "entry 6: destruction 1 was changed",
        ),
        (
            ["UPDATE external_release SET provided = '无' WHERE id = 1"],
            "entry 7: data release 1 was changed",
        ),
        (
            [
                f"INSERT INTO external_release (id, {RELEASE_COLUMNS}) "
                f"SELECT 3, {RELEASE_COLUMNS} FROM external_release WHERE id = 1"
            ],
            "data release 3 is not in the record: it was inserted",
        ),
        (  # two edits: the one earlier in the record is named
            [
                "UPDATE external_release SET purpose = '无' WHERE id = 1",
                "UPDATE approval SET approver = '赵局长' WHERE id = 1",
            ],
            "entry 2: approval 1 was changed",
        ),
        (["DELETE FROM audit_entry WHERE seq = 3"], "entry 3 was removed (the next entry is 4)"),
        (
            ["UPDATE audit_entry SET body = replace(body, '化浆', '焚烧') WHERE seq = 6"],
            "entry 6 was changed",
        ),
    ],
)
def test_an_edit_of_a_rules_record_is_named(rules, statements, named):
    from vault.services import audit

    tamper_file(rules, *statements)
    verdict = audit.verify()
    assert not verdict.ok and verdict.problem == named, verdict.problem


def test_the_problem_names_the_entry_number_and_the_row(rules):
    from vault.services import audit

    tamper_file(rules, "UPDATE destruction SET note = '未监销' WHERE id = 1")
    with databases.raw(rules) as connection:
        [(seq,)] = connection.rows(
            "SELECT seq FROM audit_entry WHERE kind = 'destruction' AND ref = 1"
        )
    assert audit.verify().problem == f"entry {seq}: destruction 1 was changed"


def test_the_database_refuses_to_change_written_once_rows(rules):
    connection = databases.raw(rules)
    refused = [
        *(f"UPDATE {t} SET id = id WHERE id = 1" for t in WRITTEN_ONCE),
        *(f"DELETE FROM {t} WHERE id = 1" for t in WRITTEN_ONCE),
        "UPDATE hold SET lifted_at = '2026-04-01 00:00:00', lift_note = 'again' WHERE id = 1",
        "UPDATE hold SET reason = 'other' WHERE id = 1",
        "DELETE FROM hold WHERE id = 1",
        "DELETE FROM destruction_item WHERE batch_id = 1",
        "INSERT INTO destruction_item (batch_id, folder_id) VALUES (1, 1)",
        "UPDATE destruction_batch SET site = 'elsewhere' WHERE id = 1",
    ]
    for sql in refused:
        with pytest.raises(databases.refused_errors(), match="append-only"):
            connection.execute(sql)
    connection.close()
    from vault.services import audit

    assert audit.verify().ok


def test_a_batch_nobody_approved_can_still_change(db):
    from vault.db.models import DestructionBatch, DestructionItem, Folder, Location

    shelf = Location.create(code="A-01-01")
    folder = Folder.create(
        code="WC-TJ-2002-0001", title="卷", classification="secret", location=shelf
    )
    batch = DestructionBatch.create(
        reason="r", site="s", supervisors="x", created_by="a", created_at=NOW
    )
    DestructionItem.create(batch=batch, folder=folder)
    assert DestructionItem.delete().where(DestructionItem.batch == batch).execute() == 1
    assert DestructionBatch.update(site="t").where(DestructionBatch.id == batch.id).execute() == 1


@pytest.mark.parametrize(
    "statements",
    [
        [],
        ["DELETE FROM audit_entry WHERE seq = 4"],  # the first entry of the second part
        ["DELETE FROM audit_entry WHERE seq = 3"],  # the last of the first
        ["UPDATE external_release SET provided = '无' WHERE id = 1"],
        ["UPDATE letter SET number = '伪' WHERE id = 1", "UPDATE destruction SET note = '' "],
        [
            "INSERT INTO letter (id, unit, number, issued_on, valid_until, covers, "
            "seal_confirmed_by, recorded_at) SELECT 5, unit, '伪函', issued_on, valid_until, "
            "covers, seal_confirmed_by, recorded_at FROM letter WHERE id = 1"
        ],  # between the rows the two parts matched
    ],
)
def test_two_processes_find_what_one_finds(rules, tmp_path, statements):
    """A long record is walked in two parts by two processes; forced here on a short one."""
    from vault.services import audit_verify

    tamper_file(rules, *statements)
    one = audit_verify.verify(parallel_from=10**9)
    two = audit_verify.verify(parallel_from=1)
    assert one.ok == two.ok == (not statements)
    assert one.head == two.head
    # A row slipped in between the parts is found when they are joined, not at an entry.
    assert two.problem == (one.problem and one.problem.replace("entry 8: letter 5", "letter 5"))


def test_the_paper_ledger_line_is_checked_against_the_record(rules, capsys):
    from argparse import Namespace

    from vault.commands import cmd_audit
    from vault.services import audit

    with databases.raw(rules) as connection:
        [(digest,)] = connection.rows("SELECT hash FROM audit_entry WHERE seq = 5")
    seq = 5
    assert audit.ledger_check(seq, digest.upper()) is None
    assert cmd_audit(None, Namespace(action="check", seq=seq, hash=digest)) == 0
    out = capsys.readouterr().out
    assert "the record verifies: 8 entries" in out and "entry 5 has the hash the ledger" in out
    assert "is not in the record" in audit.ledger_check(99, digest)
    assert cmd_audit(None, Namespace(action="check", seq=4, hash=digest)) == 1
    assert "entry 4 now has hash" in capsys.readouterr().out
    # Rewriting the record from entry 2 on, every hash recomputed, still fails the ledger's line.
    with databases.raw(rules) as connection:
        rows = connection.rows("SELECT seq, body FROM audit_entry ORDER BY seq")
    bodies = [(s, b.replace("同意", "不同意") if s == 2 else b) for s, b in rows]
    chained, prev = [], GENESIS
    for s, body in bodies:
        chained.append((body, prev, entry_hash(s, prev, body), s))
        prev = chained[-1][2]
    with databases.raw(rules) as connection:
        connection.bypass_guard()
        for row in chained:
            connection.execute(
                "UPDATE audit_entry SET body = ?, prev_hash = ?, hash = ? WHERE seq = ?", row
            )
    assert cmd_audit(None, Namespace(action="check", seq=seq, hash=digest)) == 1
    assert "the record up to entry 5 was rewritten" in capsys.readouterr().out


def test_the_command_names_a_changed_approval_and_exits_1(rules, tmp_path):
    config = write_config(tmp_path, [])
    tamper_file(rules, "UPDATE approval SET opinion = '不同意' WHERE id = 1")
    result = run_vault(config, "audit", "verify", check=False)
    assert result.returncode == 1
    assert result.stdout.strip() == (
        "the record does NOT verify: entry 2: approval 1 was changed"
    ), result.stdout
