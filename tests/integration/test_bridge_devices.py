"""`vault bridge` as a process, with every protocol's simulated device on a real pseudo-terminal.

Each device writes the bytes its real counterpart writes (firmware_bridge.devices) and answers
what the bridge sends it (SSI acknowledgements, Chafon inventories). The database is a real
SQLite file that the test reads after the bridge has written it.
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from firmware_bridge.simulator import SimulatedDevice
from tests.conftest import SAMPLE_CSV, run_vault, wait_until

FOLDER = "WC-TJ-2002-0137"
EM_TAG = "62E3086CED"
EPC = "E2801160600002040B2C1A9F"
CODES = {  # what each kind of device reads off the folder
    "scanner": FOLDER,
    "ssi": FOLDER,
    "rdm6300": EM_TAG,
    "id12": EM_TAG,
    "chafon": EPC,
    "m100": EPC,
    "vault": EM_TAG,
}


def write_config(folder: Path, stations: list[dict], portals: list[dict] = ()) -> Path:
    lines = ['database = "sqlite:///vault.db"']
    for kind, tables in (("stations", stations), ("portals", portals)):
        for table in tables:
            lines.append(f"[[{kind}]]")
            options = table.pop("options", None)
            lines += [f"{key} = {json.dumps(value)}" for key, value in table.items()]
            if options:
                lines.append(f"[{kind}.options]")
                lines += [f"{key} = {json.dumps(value)}" for key, value in options.items()]
    path = folder / "vault.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def prepare(tmp_path: Path, stations: list[dict], portals: list[dict] = ()) -> Path:
    config = write_config(tmp_path, stations, list(portals))
    run_vault(config, "init")
    run_vault(config, "import", str(SAMPLE_CSV))
    return config


def query(tmp_path: Path, sql: str, *params) -> list[tuple]:
    connection = sqlite3.connect(tmp_path / "vault.db", timeout=10)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def events(tmp_path: Path) -> list[tuple[str, str, str]]:
    return query(tmp_path, "SELECT station_id, code, kind FROM custody_event ORDER BY id")


def alarms(tmp_path: Path) -> list[tuple[str, str, str]]:
    return query(tmp_path, "SELECT station_id, rule, acknowledged_by FROM alarm ORDER BY id")


def connected(tmp_path: Path, *stations: str) -> bool:
    rows = query(tmp_path, "SELECT id, status FROM station")
    return all((s, "connected") in rows for s in stations)


@pytest.fixture
def devices():
    made: list[SimulatedDevice] = []

    def make(station: str, protocol: str, link: Path, **settings) -> SimulatedDevice:
        made.append(SimulatedDevice(station, protocol, **settings))
        made[-1].link_to(link)
        return made[-1]

    yield make
    for device in made:
        device.close()


@pytest.mark.parametrize("protocol", list(CODES))
def test_every_protocol_carries_a_read_from_the_device_to_an_alarm(
    protocol, tmp_path, devices, processes
):
    link = tmp_path / "dev" / "exit-1"
    config = prepare(
        tmp_path,
        [{"id": "exit-1", "kind": "reading_exit", "port": str(link), "protocol": protocol}],
    )
    code = CODES[protocol]
    if code != FOLDER:
        run_vault(config, "labels", "tag", FOLDER, code)
    device = devices("exit-1", protocol, link)
    processes.start(config, "bridge")
    wait_until(lambda: connected(tmp_path, "exit-1"), what="the station opened")
    device.scan(code)
    wait_until(lambda: events(tmp_path), what=f"the {protocol} read in the database")
    assert events(tmp_path) == [("exit-1", code, "left_reading_room")]
    assert [rule for _, rule, _ in alarms(tmp_path)] == ["left the reading room"]
    if protocol == "ssi":
        wait_until(lambda: device.device.acks == 1, what="the scanner's ACK")


def test_a_tag_in_the_field_is_one_read_per_pass(tmp_path, devices, processes):
    link = tmp_path / "dev" / "desk-rfid"
    station = {
        "id": "desk-1",
        "kind": "reading_desk",
        "port": str(link),
        "protocol": "rdm6300",
        "repeat_window": 0.5,
    }
    config = prepare(tmp_path, [station])
    device = devices("desk-1", "rdm6300", link)
    processes.start(config, "bridge")
    wait_until(lambda: connected(tmp_path, "desk-1"), what="the reader opened")
    device.fault("!repeat", (EM_TAG, "15"))  # about 0.3 s in the field
    wait_until(lambda: events(tmp_path), what="the pass")
    time.sleep(0.2)
    assert len(events(tmp_path)) == 1
    time.sleep(0.6)  # gone from the field for longer than the window: the next is a new pass
    device.scan(EM_TAG)
    wait_until(lambda: len(events(tmp_path)) == 2, what="the second pass")


def test_a_portal_tells_the_direction_and_alarms_a_folder_going_out(tmp_path, devices, processes):
    inside, outside = tmp_path / "dev" / "in", tmp_path / "dev" / "out"
    config = prepare(
        tmp_path,
        [
            {"id": "gate-in", "kind": "portal_reader", "port": str(inside), "protocol": "m100"},
            {"id": "gate-out", "kind": "portal_reader", "port": str(outside), "protocol": "m100"},
        ],
        [{"id": "gate-1", "inside": "gate-in", "outside": "gate-out", "window": 3}],
    )
    run_vault(config, "labels", "tag", FOLDER, EPC)
    reader_in, reader_out = devices("gate-in", "m100", inside), devices("gate-out", "m100", outside)
    processes.start(config, "bridge")
    wait_until(lambda: connected(tmp_path, "gate-in", "gate-out"), what="both readers open")

    stray = "E20000000000000000001234"  # a tag nobody registered
    for tag in (EPC, stray):
        reader_in.scan(tag)
        time.sleep(0.1)
        reader_out.scan(tag)
    wait_until(lambda: len([e for e in events(tmp_path) if e[0] == "gate-1"]) == 2, what="out")
    passages = [e for e in events(tmp_path) if e[0] == "gate-1"]
    assert passages == [("gate-1", EPC, "left_reading_room"), ("gate-1", stray, "unknown_code")]
    assert [(s, rule) for s, rule, _ in alarms(tmp_path)] == [("gate-1", "left the reading room")]

    time.sleep(3.1)  # a new pass: carried back in
    reader_out.scan(EPC)
    time.sleep(0.1)
    reader_in.scan(EPC)
    wait_until(lambda: ("gate-1", EPC, "back_in_reading_room") in events(tmp_path), what="back in")
    assert len(alarms(tmp_path)) == 1


def test_garbled_frames_are_counted_and_never_read(tmp_path, devices, processes):
    link = tmp_path / "dev" / "door"
    config = prepare(
        tmp_path,
        [{"id": "door-1", "kind": "warehouse_door", "port": str(link), "protocol": "rdm6300"}],
    )
    run_vault(config, "labels", "tag", FOLDER, EM_TAG)
    device = devices("door-1", "rdm6300", link)
    bridge = processes.start(config, "bridge")
    wait_until(lambda: connected(tmp_path, "door-1"), what="the reader opened")
    device.fault("!noise", ("64",))
    time.sleep(0.2)
    device.fault("!badcrc", (EM_TAG,))
    time.sleep(0.2)
    device.fault("!truncated", (EM_TAG,))
    time.sleep(0.3)
    device.scan(EM_TAG)
    wait_until(lambda: events(tmp_path), what="the good read")
    time.sleep(0.3)
    assert events(tmp_path) == [("door-1", EM_TAG, "left_warehouse")]
    rejected = lambda: query(tmp_path, "SELECT rejected FROM station WHERE id='door-1'")[0][0]  # noqa: E731
    wait_until(lambda: rejected() >= 3, what="three rejected frames counted")
    status = run_vault(config, "bridge", "status").stdout
    assert "door-1" in status and "connected" in status
    assert bridge.poll() is None


def test_a_silent_gate_raises_station_offline_and_clears_it_when_heard(
    tmp_path, devices, processes
):
    link = tmp_path / "dev" / "gate"
    config = prepare(
        tmp_path,
        [
            {
                "id": "gate-1",
                "kind": "reading_exit",
                "port": str(link),
                "protocol": "vault",
                "heartbeat": 1.5,
            }
        ],
    )
    device = devices("gate-1", "vault", link, heartbeat=0.4, device="gate-1", heartbeat_s=1)
    processes.start(config, "bridge")
    wait_until(lambda: connected(tmp_path, "gate-1"), what="the gate opened")
    time.sleep(2.0)
    assert alarms(tmp_path) == []  # heartbeats keep it online
    device.fault("!silent", ("4",))
    wait_until(lambda: alarms(tmp_path), timeout=6, what="the offline alarm")
    assert alarms(tmp_path) == [("gate-1", "station offline", "")]
    wait_until(
        lambda: alarms(tmp_path)[0][2] == "vault bridge", timeout=8, what="cleared when heard"
    )
    assert len(alarms(tmp_path)) == 1


def test_reads_wait_in_the_spool_while_the_database_is_locked(tmp_path, devices, processes):
    link = tmp_path / "dev" / "desk"
    config = prepare(tmp_path, [{"id": "desk-1", "kind": "reading_desk", "port": str(link)}])
    device = devices("desk-1", "scanner", link)
    processes.start(config, "bridge")
    wait_until(lambda: connected(tmp_path, "desk-1"), what="the scanner opened")
    lock = sqlite3.connect(tmp_path / "vault.db", isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    codes = [f"UNREGISTERED-{i}" for i in range(5)]
    for code in codes:
        device.scan(code)
    time.sleep(1.5)
    assert lock.execute("SELECT COUNT(*) FROM custody_event").fetchone() == (0,)
    lock.execute("ROLLBACK")
    lock.close()
    wait_until(lambda: len(events(tmp_path)) == 5, timeout=20, what="the spooled reads")
    assert [code for _, code, _ in events(tmp_path)] == codes  # in the order they were read


def test_kill_9_loses_no_acknowledged_read_and_doubles_none(tmp_path, devices, processes):
    """An SSI scanner is answered only once its read is on disk: every ACKed read must end up
    in the database exactly once, however often the bridge is killed."""
    link = tmp_path / "dev" / "desk"
    config = prepare(
        tmp_path, [{"id": "desk-1", "kind": "reading_desk", "port": str(link), "protocol": "ssi"}]
    )
    device = devices("desk-1", "ssi", link)
    rng = random.Random(7)
    acked, sent = [], 0
    for _ in range(5):
        bridge = processes.start(config, "bridge")
        wait_until(lambda: connected(tmp_path, "desk-1"), what="the scanner opened")
        time.sleep(0.3)  # a late ACK from before the kill has arrived by now
        kill_at = time.monotonic() + rng.uniform(0.3, 1.2)
        while time.monotonic() < kill_at:
            code, before = f"READ-{sent:04d}", device.device.acks
            sent += 1
            device.scan(code)
            deadline = time.monotonic() + 1.0
            while device.device.acks == before and time.monotonic() < deadline:
                time.sleep(0.002)
            if device.device.acks > before:
                acked.append(code)
        bridge.send_signal(signal.SIGKILL)
        bridge.wait(timeout=5)
        query(tmp_path, "UPDATE station SET status = 'disconnected'")
    processes.start(config, "bridge")
    wait_until(lambda: len(events(tmp_path)) >= len(acked), timeout=20, what="every ACKed read")
    time.sleep(0.5)
    stored = [code for _, code, _ in events(tmp_path)]
    assert len(acked) > 20
    assert sorted(set(stored)) == sorted(stored)  # nothing doubled
    assert set(acked) <= set(stored)  # nothing acknowledged was lost


def test_a_read_the_database_cannot_take_is_set_aside_not_lost(tmp_path, devices, processes):
    """A spool left by an older configuration names a station that no longer exists."""
    from datetime import datetime

    from firmware_bridge.spool import Spool, SpoolRecord

    link = tmp_path / "dev" / "desk"
    config = prepare(tmp_path, [{"id": "desk-1", "kind": "reading_desk", "port": str(link)}])
    with Spool(tmp_path / "spool") as spool:
        spool.append([SpoolRecord("old-door", "GHOST-1", b"GHOST-1\r\n", datetime.now(), False)])
    device = devices("desk-1", "scanner", link)
    processes.start(config, "bridge")
    wait_until(lambda: connected(tmp_path, "desk-1"), what="the scanner opened")
    device.scan("AFTER-1")
    wait_until(lambda: events(tmp_path), what="the next read recorded")
    assert events(tmp_path) == [("desk-1", "AFTER-1", "unknown_code")]
    [kept] = (tmp_path / "spool" / "undeliverable.jsonl").read_text().splitlines()
    assert json.loads(kept)["code"] == "GHOST-1" and "old-door" in kept
