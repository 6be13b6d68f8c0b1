"""Custody goes warehouse -> desk -> reader -> desk -> warehouse and nowhere else: scenarios
through the real entry points, a `vault bridge` process reading scanners on pseudo-terminals and
the `vault` command, with the audit chain checked at the end of each."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests import databases
from tests.conftest import SAMPLE_CSV, run_vault, wait_until, write_config
from vault.db.models import Alarm, CustodyEvent, Folder, Station, database

TODAY = date.today().isoformat()


def query(folder: Path, fetch):
    databases.open_archive(folder)
    try:
        return fetch()
    finally:
        database.close()


def kinds(folder: Path, code: str) -> list[str]:
    return query(
        folder,
        lambda: [
            e.kind
            for e in CustodyEvent.select()
            .where(CustodyEvent.code.startswith(code))
            .order_by(CustodyEvent.id)
        ],
    )


def rules(folder: Path) -> list[str]:
    return query(folder, lambda: [a.rule for a in Alarm.select().order_by(Alarm.id)])


def start(tmp_path, make_pty, processes, tables: str = ""):
    ptys = {sid: make_pty() for sid in ("door-1", "desk-1", "exit-1")}
    kinds_of = {"door-1": "warehouse_door", "desk-1": "reading_desk", "exit-1": "reading_exit"}
    config = write_config(
        tmp_path, [{"id": sid, "kind": kinds_of[sid], "port": p.path} for sid, p in ptys.items()]
    )
    config.write_text(config.read_text() + "\n" + tables, encoding="utf-8")
    run_vault(config, "init")
    run_vault(config, "import", str(SAMPLE_CSV))
    processes.start(config, "bridge")
    for sid in ptys:
        wait_until(
            lambda s=sid: query(tmp_path, lambda: Station.get_by_id(s).status) == "connected",
            what=f"{sid} open",
        )
    return config, ptys


def test_the_approved_round_trip_raises_nothing_and_a_sideways_return_is_alarmed(
    tmp_path, make_pty, processes
):
    config, ptys = start(tmp_path, make_pty, processes)
    approve = ["approve", "--reader", "张华", "--leader", "李局长", "--opinion", "同意查阅"]
    run_vault(config, *approve, "--from", TODAY, "--until", TODAY, "WC-TJ-2002-0137")
    run_vault(config, *approve, "--from", TODAY, "--until", TODAY, "WC-TJ-2002-0138")

    # 0137: the whole legitimate path, through the door, the desk twice and the door again.
    for station, count in (("door-1", 1), ("desk-1", 2), ("desk-1", 3), ("door-1", 4)):
        ptys[station].write(b"WC-TJ-2002-0137\r\n")
        wait_until(lambda n=count: len(kinds(tmp_path, "WC-TJ-2002-0137")) == n, what="event")
    assert kinds(tmp_path, "WC-TJ-2002-0137") == [
        "left_warehouse",
        "issued",
        "checked_in",
        "returned_to_warehouse",
    ]
    assert rules(tmp_path) == []

    # 0138: issued at the desk, then carried straight back into the warehouse.
    for station, count in (("door-1", 1), ("desk-1", 2), ("door-1", 3)):
        ptys[station].write(b"WC-TJ-2002-0138\r\n")
        wait_until(lambda n=count: len(kinds(tmp_path, "WC-TJ-2002-0138")) == n, what="event")
    assert rules(tmp_path) == ["returned without check-in at the desk"]
    reason = query(tmp_path, lambda: Alarm.get().reason)
    assert "张华" in reason and "door-1" in reason
    state = query(tmp_path, lambda: Folder.get(Folder.code == "WC-TJ-2002-0138").state)
    assert state == "shelved"  # the log says where it is; the alarm says what was wrong
    assert run_vault(config, "audit", "verify").returncode == 0
    # The day's line in the paper ledger, checked against the record later.
    _, seq, digest = run_vault(config, "audit", "head").stdout.split()
    assert run_vault(config, "audit", "check", seq, digest).returncode == 0
    other = run_vault(config, "audit", "check", seq, "0" * 64, check=False)
    assert other.returncode == 1 and "does NOT match the ledger" in other.stdout


def test_a_top_secret_folder_needs_the_head_of_the_unit(tmp_path, make_pty, processes):
    """The default policy: top secret is approved by the head of the unit, named in the
    configuration; a plain leader's approval leaves the folder unapproved."""
    config, ptys = start(tmp_path, make_pty, processes, '[approvals]\nheads = ["王局长"]\n')
    for leader, code in (("李局长", "WC-TJ-2003-0011"), ("王局长", "WC-TJ-2003-0012")):
        run_vault(
            config, "approve", "--reader", "张华", "--leader", leader, "--opinion", "同意",
            "--from", TODAY, "--until", TODAY, code,
        )  # fmt: skip
    ptys["door-1"].write(b"WC-TJ-2003-0011\r\nWC-TJ-2003-0012\r\n")
    wait_until(lambda: len(kinds(tmp_path, "WC-TJ-2003-001")) == 2, what="two door reads")
    alarms = query(tmp_path, lambda: [(a.code, a.rule, a.reason) for a in Alarm.select()])
    assert [(code, rule) for code, rule, _ in alarms] == [
        ("WC-TJ-2003-0011", "removed without approval")
    ]
    assert "needs approval by the head of the unit" in alarms[0][2]
    ptys["desk-1"].write(b"WC-TJ-2003-0011\r\nWC-TJ-2003-0012\r\n")
    wait_until(lambda: len(kinds(tmp_path, "WC-TJ-2003-001")) == 4, what="two desk reads")
    assert kinds(tmp_path, "WC-TJ-2003-0012")[-1] == "issued"
    assert kinds(tmp_path, "WC-TJ-2003-0011")[-1] == "checked_in"  # never issued to the reader
    assert run_vault(config, "audit", "verify").returncode == 0
