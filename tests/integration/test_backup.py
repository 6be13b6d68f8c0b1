"""`vault backup` and `vault restore` as processes, on a real database: a backup taken while a
`vault bridge` reads pseudo-terminals and a second writer records reads restores to an archive
that verifies and holds a prefix of what the live one recorded; the refusals leave the target
as it was."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import re
import subprocess
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests import databases
from tests.conftest import (
    SAMPLE_CSV,
    Pty,
    add_user,
    run_vault,
    wait_until,
    write_config,
)
from vault.db.backup import STEP_PAGES
from vault.db.models import Alarm, AuditEntry, CustodyEvent, Folder, User, database
from vault.domain.model import Read, StationKind
from vault.services.custody import record_read

CODES = [line.split(",")[0] for line in SAMPLE_CSV.read_text("utf-8-sig").splitlines()[1:]]
RECORDED = ((CustodyEvent, "id"), (Alarm, "id"), (AuditEntry, "seq"))
BACKUP_SUFFIX = "dump" if databases.POSTGRESQL else "db"


def rows(folder: Path, model: type, order: str) -> list[tuple]:
    with databases.raw(folder) as connection:
        return connection.rows(f"SELECT * FROM {model._meta.table_name} ORDER BY {order}")


def count(folder: Path, model: type) -> int:
    with databases.raw(folder) as connection:
        return connection.rows(f"SELECT COUNT(*) FROM {model._meta.table_name}")[0][0]


def archive(folder: Path, stations: list[dict] | None = None, more: int = 0) -> Path:
    """An archive holding the sample folders and `more` of its own; its configuration file."""
    folder.mkdir(exist_ok=True)
    config = write_config(folder, stations or [])
    run_vault(config, "init")
    run_vault(config, "import", str(SAMPLE_CSV))
    if more:
        csv = folder / "more.csv"
        lines = ["code,title,year,classification,retention,location"]
        lines += [f"WC-GEN-{n:06d},{2000 + n % 20}年第{n}号统计台账与汇总表,{2000 + n % 20},"
                  f"internal,30年,B-{n % 40:02d}-{n % 7:02d}" for n in range(more)]  # fmt: skip
        csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
        run_vault(config, "import", str(csv))
    return config


def backed_up(config: Path, name: str) -> tuple[Path, str]:
    """`vault backup` of the archive; the file and what the command printed."""
    target = config.parent / f"{name}.{BACKUP_SUFFIX}"
    return target, run_vault(config, "backup", str(target)).stdout


def restore(config: Path, backup: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_vault(config, "restore", str(backup), *extra, check=False)


def fingerprint(folder: Path) -> tuple:
    """What a failed restore must leave as it was: the folders, users and audit record (and, on
    SQLite, the folder's files byte for byte)."""
    files = ()
    if not databases.POSTGRESQL:
        files = tuple(
            (p.name, hashlib.sha256(p.read_bytes()).hexdigest()) for p in sorted(folder.iterdir())
        )
    return (
        files,
        rows(folder, Folder, "id"),
        rows(folder, User, "id"),
        rows(folder, AuditEntry, "seq"),
    )


# ---- traffic while the backup is taken ----


def feed_scanners(ptys: list[Pty], stop: threading.Event) -> None:
    """Scanner frames, a folder code or a label nobody registered, on each line in turn."""
    for n in itertools.count():
        if stop.wait(0.003):
            return
        code = CODES[n % len(CODES)] if n % 3 else f"STRAY-{n:06d}"
        ptys[n % len(ptys)].write(code.encode() + b"\r\n")


def record_reads(stop: threading.Event, errors: list[BaseException]) -> None:
    """A second writer on its own connection: the reading-room exit, read after read."""
    try:
        for n in itertools.count():
            if stop.wait(0.005):
                return
            code = CODES[n % len(CODES)]
            read = Read("exit-2", StationKind.READING_EXIT, code, datetime.now(), code.encode())
            record_read(read, f"writer-{n}")
    except BaseException as e:  # shown by the test, not lost in the thread
        errors.append(e)
    finally:
        database.close()


@contextlib.contextmanager
def traffic(live: Path, ptys: list[Pty]) -> Iterator[None]:
    """Reads arriving all the while: scanner frames for the bridge, and this process's writer."""
    stop, errors = threading.Event(), []
    databases.open_archive(live)
    threads = [
        threading.Thread(target=feed_scanners, args=(ptys, stop), daemon=True),
        threading.Thread(target=record_reads, args=(stop, errors), daemon=True),
    ]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        database.initialize(None)
    assert not errors, errors


def station_connected(folder: Path, station_id: str) -> bool:
    with databases.raw(folder) as connection:
        found = connection.rows("SELECT status FROM station WHERE id = ?", (station_id,))
    return found == [("connected",)]


def test_a_backup_taken_under_traffic_restores_to_a_verified_prefix(tmp_path, make_pty, processes):
    door, exit_ = make_pty(), make_pty()
    live = tmp_path / "live"
    config = archive(
        live,
        [
            {"id": "door-1", "kind": "warehouse_door", "port": door.path},
            {"id": "exit-1", "kind": "reading_exit", "port": exit_.path},
            {"id": "exit-2", "kind": "reading_exit", "port": "dev/exit-2"},  # the second writer
        ],
        more=5000,  # a database of many steps of the SQLite copy
    )
    bridge = processes.start(config, "bridge")
    for sid in ("door-1", "exit-1"):
        wait_until(lambda s=sid: station_connected(live, s), what=f"{sid} open")
    with traffic(live, [door, exit_]):
        wait_until(lambda: count(live, CustodyEvent) >= 300, timeout=60, what="300 events")
        before = count(live, AuditEntry)
        backup, printed = backed_up(config, "backup")
        entries = int(re.search(r"([\d,]+) audit entries", printed).group(1).replace(",", ""))
        # The traffic goes on after the backup: the copy must be a prefix, not the whole.
        wait_until(
            lambda: count(live, AuditEntry) > entries + 100, timeout=60, what="later traffic"
        )
    assert bridge.poll() is None, processes.output(bridge)
    assert entries >= before
    if not databases.POSTGRESQL:  # the copy was taken in several steps, all of one snapshot
        assert backup.stat().st_size > 2 * STEP_PAGES * 4096

    restored = tmp_path / "restored"
    restored.mkdir()
    target = write_config(restored, [])
    result = restore(target, backup)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the restored record verifies" in result.stdout
    assert run_vault(target, "audit", "verify").returncode == 0

    for model, order in RECORDED:  # every row of the copy is in the live archive, unchanged
        copied, now = rows(restored, model, order), rows(live, model, order)
        assert copied == now[: len(copied)], model
        assert len(copied) < len(now), model
    assert count(restored, AuditEntry) == entries
    with databases.raw(restored) as connection:  # both writers' reads are in the copy
        kinds = connection.rows("SELECT DISTINCT station_id, kind FROM custody_event")
    assert {("door-1", "unknown_code"), ("exit-1", "left_reading_room")} <= set(kinds), kinds
    assert ("exit-2", "left_reading_room") in kinds
    seq, digest = re.search(r"head entry (\d+) ([0-9a-f]{64})", printed).groups()
    assert int(seq) == entries
    assert run_vault(target, "audit", "head").stdout.split() == ["entry", seq, digest]
    assert run_vault(config, "audit", "check", seq, digest).returncode == 0


# ---- refusals ----


def test_an_archive_is_replaced_only_with_replace(tmp_path):
    source = archive(tmp_path / "source")
    backup, _ = backed_up(source, "source")
    other = tmp_path / "other"
    other.mkdir()
    config = write_config(other, [])
    run_vault(config, "init")
    add_user(config, "keeper", "administrator")
    kept = fingerprint(other)

    refused = restore(config, backup)
    assert refused.returncode == 2
    assert "already holds an archive: give --replace" in refused.stderr
    assert fingerprint(other) == kept

    replaced = restore(config, backup, "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert rows(other, Folder, "id") == rows(source.parent, Folder, "id")
    assert rows(other, User, "id") == []
    if not databases.POSTGRESQL:  # the database it replaced is kept beside it
        assert f"kept as {other / 'vault.db.before-restore'}" in replaced.stdout
        before = other / "before"
        before.mkdir()
        (other / "vault.db.before-restore").rename(before / "vault.db")
        assert [row[1] for row in rows(before, User, "id")] == ["keeper"]


@pytest.fixture
def backup_of_the_other_kind(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A real backup from the other backend: a SQLite archive's when the suite runs on
    PostgreSQL, a PostgreSQL database's (on the suite's server) when it runs on SQLite."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    name = f"vault_other_kind_{id(folder)}"
    if databases.POSTGRESQL:
        url, kind = "sqlite:///vault.db", "SQLite"
    else:
        url, kind = databases.server().create_database(name), "PostgreSQL"
    config = folder / "vault.toml"
    config.write_text(f"database = {json.dumps(url)}\n", encoding="utf-8")
    try:
        run_vault(config, "init")
        yield backed_up(config, "other-kind")[0], kind
    finally:
        if not databases.POSTGRESQL:
            databases.server().drop_database(name)


def test_a_backup_of_the_other_kind_or_no_backup_at_all_is_refused(
    tmp_path, backup_of_the_other_kind
):
    backup, kind = backup_of_the_other_kind
    config = archive(tmp_path / "target")
    kept = fingerprint(config.parent)

    refused = restore(config, backup, "--replace")
    assert refused.returncode == 2
    assert f"is a {kind} backup; this archive's database is" in refused.stderr
    not_a_backup = restore(config, SAMPLE_CSV, "--replace")
    assert not_a_backup.returncode == 2
    assert "is not a Vault backup" in not_a_backup.stderr
    assert fingerprint(config.parent) == kept


@pytest.mark.parametrize("keep", ["half", "all but the end"])
def test_a_damaged_backup_is_refused_and_the_archive_left_as_it_was(tmp_path, keep):
    source = archive(tmp_path / "source")
    run_vault(source, "audit", "verify")
    backup, _ = backed_up(source, "source")
    data = backup.read_bytes()
    damaged = tmp_path / f"damaged.{BACKUP_SUFFIX}"
    damaged.write_bytes(data[: len(data) // 2] if keep == "half" else data[:-4096])
    target = tmp_path / "target"
    target.mkdir()
    config = write_config(target, [])
    run_vault(config, "init")
    add_user(config, "keeper", "administrator")
    kept = fingerprint(target)

    result = restore(config, damaged, "--replace")
    assert result.returncode == 2, result.stdout
    assert result.stderr.startswith("vault: ")
    assert "damaged" in result.stderr or "left as it was" in result.stderr, result.stderr
    assert fingerprint(target) == kept
    assert run_vault(config, "audit", "verify").returncode == 0


def test_backup_names_a_missing_folder(tmp_path):
    config = archive(tmp_path / "source")
    result = run_vault(config, "backup", str(tmp_path / "nowhere" / "b.db"), check=False)
    assert result.returncode == 2
    assert "there is no folder" in result.stderr
