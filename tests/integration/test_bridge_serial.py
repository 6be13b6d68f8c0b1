"""`vault bridge` as a process, reading real pseudo-terminals through pyserial."""

import os
from pathlib import Path

from tests import databases
from tests.conftest import SAMPLE_CSV, run_vault, wait_until, write_config
from vault.db.models import Alarm, CustodyEvent, Station, database


def station_status(config_dir: Path, station_id: str) -> str:
    databases.open_archive(config_dir)
    try:
        return Station.get_by_id(station_id).status
    finally:
        database.close()


def events(config_dir: Path) -> list[tuple[str, str, str]]:
    databases.open_archive(config_dir)
    try:
        query = CustodyEvent.select().order_by(CustodyEvent.id)
        return [(e.station_id, e.code, e.kind) for e in query]
    finally:
        database.close()


def test_each_scanned_line_becomes_a_custody_event(tmp_path, make_pty, processes):
    exit_pty, desk_pty = make_pty(), make_pty()
    config = write_config(
        tmp_path,
        [
            {"id": "exit-1", "kind": "reading_exit", "port": exit_pty.path},
            {"id": "desk-1", "kind": "reading_desk", "port": desk_pty.path, "baud": 115200},
        ],
    )
    run_vault(config, "init")
    run_vault(config, "import", str(SAMPLE_CSV))
    processes.start(config, "bridge")
    for sid in ("exit-1", "desk-1"):
        wait_until(lambda s=sid: station_status(tmp_path, s) == "connected", what=f"{sid} open")

    desk_pty.write(b"WC-TJ-2004-0201\r\nWC-TJ-1999-0000\n")
    exit_pty.write(b"WC-TJ-20")  # a frame split across writes, as a slow line delivers it
    exit_pty.write(b"02-0137\r")

    wait_until(lambda: len(events(tmp_path)) == 3, what="three events")
    assert sorted(events(tmp_path)) == [
        ("desk-1", "WC-TJ-1999-0000", "unknown_code"),
        ("desk-1", "WC-TJ-2004-0201", "checked_in"),
        ("exit-1", "WC-TJ-2002-0137", "left_reading_room"),
    ]
    databases.open_archive(tmp_path)
    try:
        assert sorted(a.rule for a in Alarm.select()) == [
            "left the reading room",
            "removed without approval",
        ]
    finally:
        database.close()


def test_a_missing_port_is_named_and_retried_while_the_others_run(tmp_path, make_pty, processes):
    exit_pty = make_pty()
    missing = tmp_path / "dev" / "door-scanner"
    config = write_config(
        tmp_path,
        [
            {"id": "door-1", "kind": "warehouse_door", "port": str(missing)},
            {"id": "exit-1", "kind": "reading_exit", "port": exit_pty.path},
        ],
    )
    run_vault(config, "init")
    bridge = processes.start(config, "bridge")
    wait_until(lambda: station_status(tmp_path, "exit-1") == "connected", what="exit open")
    wait_until(
        lambda: f"station door-1: cannot open port {missing}" in processes.output(bridge),
        what="the message naming the station and port",
    )
    exit_pty.write(b"EXIT-READ-1\r\n")
    wait_until(lambda: ("exit-1", "EXIT-READ-1", "unknown_code") in events(tmp_path), what="read")

    # The scanner is plugged in later: the bridge finds it without a restart.
    door_pty = make_pty()
    missing.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(door_pty.path, missing)
    wait_until(lambda: station_status(tmp_path, "door-1") == "connected", what="door found")
    door_pty.write(b"DOOR-READ-1\r\n")
    wait_until(lambda: ("door-1", "DOOR-READ-1", "unknown_code") in events(tmp_path), what="door")
    assert bridge.poll() is None


def test_an_unplugged_scanner_is_reopened_when_it_returns(tmp_path, make_pty, processes):
    link = tmp_path / "dev" / "exit"
    link.parent.mkdir()
    first = make_pty()
    os.symlink(first.path, link)
    config = write_config(tmp_path, [{"id": "exit-1", "kind": "reading_exit", "port": str(link)}])
    run_vault(config, "init")
    bridge = processes.start(config, "bridge")
    wait_until(lambda: station_status(tmp_path, "exit-1") == "connected", what="open")

    first.close()  # unplugged: the device vanishes
    link.unlink()
    wait_until(lambda: station_status(tmp_path, "exit-1") == "disconnected", what="loss seen")

    second = make_pty()  # plugged back in, as another tty behind the same name
    os.symlink(second.path, link)
    wait_until(lambda: station_status(tmp_path, "exit-1") == "connected", what="reopened")
    second.write(b"AFTER-REPLUG\r\n")
    wait_until(lambda: ("exit-1", "AFTER-REPLUG", "unknown_code") in events(tmp_path), what="read")
    assert bridge.poll() is None

    bridge.terminate()  # a stopped bridge must not leave the board showing "connected"
    assert bridge.wait(timeout=10) == 0
    assert station_status(tmp_path, "exit-1") == "disconnected"
