"""Several door computers, one archive: two `vault bridge` processes, each with its own
configuration, serial lines and spool (as two door computers have), write to one database, and
the board served by a third process shows their alarms live.

On PostgreSQL the board is woken by the database's notifications (LISTEN/NOTIFY); on SQLite
(one PC) by its own polling. Both passes of the suite run this test.
"""

from __future__ import annotations

import json
import queue
import threading
from pathlib import Path

import pytest

from tests import databases
from tests.conftest import (
    SAMPLE_CSV,
    add_user,
    free_port,
    run_vault,
    signed_in_opener,
    wait_until,
    write_config,
)
from tests.e2e.conftest import answers
from vault.db import notify
from vault.db.connection import open_database
from vault.db.models import Alarm, CustodyEvent, Station, database
from vault.db.schema import migrate


def door_computer(folder: Path, archive: str, stations: list[dict]) -> Path:
    """A door computer's vault.toml: its own stations and spool, the shared database."""
    folder.mkdir()
    return write_config(folder, stations, database=archive)


def board_events(opener, base: str, into: queue.Queue, stop: threading.Event) -> None:
    """Read the live board's stream as the page's script does, queueing each board sent."""
    with opener.open(base + "/api/alarms/events", timeout=30) as stream:
        while not stop.is_set():
            line = stream.readline().decode()
            if not line:
                return
            if line.startswith("data: ") and '"alarms"' in line:
                into.put(json.loads(line[len("data: ") :]))


def test_two_door_computers_write_one_archive_and_the_board_shows_both(
    tmp_path, make_pty, processes
):
    (tmp_path / "server").mkdir()  # the machine room: on SQLite, where the file is
    archive = databases.url_for(tmp_path / "server")
    exit_a, door_b, exit_b = make_pty(), make_pty(), make_pty()
    gate_a = door_computer(
        tmp_path / "gate-a",
        archive,
        [{"id": "exit-a", "kind": "reading_exit", "port": exit_a.path}],
    )
    gate_b = door_computer(
        tmp_path / "gate-b",
        archive,
        [
            {"id": "door-b", "kind": "warehouse_door", "port": door_b.path},
            {"id": "exit-b", "kind": "reading_exit", "port": exit_b.path},
        ],
    )
    # The machine room's server lists no stations: each door computer registers its own.
    server = door_computer(tmp_path / "server-config", archive, [])
    run_vault(server, "init")
    run_vault(server, "import", str(SAMPLE_CSV))
    add_user(server, "guard", "security")
    port = free_port()
    web = processes.start(server, "serve", "--port", str(port))
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: answers(base + "/signin"), timeout=20, what="the web server")
    processes.start(gate_a, "bridge")
    processes.start(gate_b, "bridge")
    databases.open_archive(tmp_path / "server")
    try:
        for sid in ("exit-a", "door-b", "exit-b"):
            wait_until(  # each bridge registers its stations when it starts
                lambda s=sid: (
                    Station.select().where(Station.id == s, Station.status == "connected").exists()
                ),
                timeout=30,
                what=f"{sid} open",
            )
        boards: queue.Queue = queue.Queue()
        stop = threading.Event()
        reader = threading.Thread(
            target=board_events,
            args=(signed_in_opener(base, "guard"), base, boards, stop),
            daemon=True,
        )
        reader.start()

        # Gate A sees one folder leave; gate B sees another leave and a third go in.
        exit_a.write(b"WC-TJ-2002-0137\r\n")
        exit_b.write(b"WC-TJ-2004-0201\r\n")
        door_b.write(b"WC-TJ-2003-0011\r\n")

        seen: dict[str, str] = {}

        def both_on_the_board() -> bool:
            while not boards.empty():
                for alarm in boards.get()["alarms"]:
                    seen[alarm["code"]] = alarm["station"]
            return {"WC-TJ-2002-0137", "WC-TJ-2004-0201"} <= seen.keys()

        wait_until(both_on_the_board, timeout=20, what="both gates' alarms on the live board")
        stop.set()
        assert seen["WC-TJ-2002-0137"] == "exit-a" and seen["WC-TJ-2004-0201"] == "exit-b"
        stations = {a.station_id for a in Alarm.select()}
        assert {"exit-a", "exit-b"} <= stations
    finally:
        database.close()
        database.initialize(None)
    log = processes.output(web)
    if databases.POSTGRESQL:
        assert "live pages are woken by the database's notifications" in log, log
    else:
        assert "notifications" not in log, log


def test_the_database_tells_the_listener_when_an_alarm_is_raised(tmp_path):
    handle = databases.open_archive(tmp_path)
    stop, heard = threading.Event(), threading.Event()
    try:
        migrate(handle)
        listener = notify.start_listener(handle, heard.set, stop)
        if not databases.POSTGRESQL:
            assert listener is None  # SQLite cannot tell another process: streams poll
            return
        wait_until(lambda: listener.live, what="the listener to connect")
        heard.clear()
        with databases.raw(tmp_path) as other:  # another computer's connection
            other.execute(
                "INSERT INTO alarm (at, rule, severity, reason, code, acknowledged_by, "
                "acknowledged_note) "
                "VALUES ('2026-11-25 10:00:00', 'r', 'critical', 'x', 'C', '', '')"
            )
        assert heard.wait(5), "no notification reached the listener"
    finally:
        stop.set()
        handle.close()
        database.initialize(None)


@pytest.fixture(autouse=True)
def _no_leftover_binding():
    yield
    database.initialize(None)


def test_a_door_computer_starts_while_the_server_is_down_and_records_once_it_is_up(
    tmp_path, make_pty, processes
):
    """The machine room's database server is down when a door computer boots: its bridge must
    run anyway, keep the reads in its spool, and record them once the server is back. (A server
    of this test's own, in both passes: SQLite has no server to be down.)"""
    from tests.postgres_server import PostgresServer

    server = PostgresServer(durable=True).start()
    try:
        url = server.create_database("archive")
        exit_pty = make_pty()
        gate = door_computer(
            tmp_path / "gate",
            url,
            [{"id": "exit-1", "kind": "reading_exit", "port": exit_pty.path}],
        )
        run_vault(gate, "init")
        run_vault(gate, "import", str(SAMPLE_CSV))
        server.stop()
        bridge = processes.start(gate, "bridge")
        wait_until(
            lambda: "listening on" in processes.output(bridge), what="the bridge to open its line"
        )
        exit_pty.write(b"WC-TJ-2002-0137\r\nWC-TJ-2004-0201\r\n")
        wait_until(
            lambda: "reads wait in the spool" in processes.output(bridge),
            what="the bridge to say the reads wait",
        )
        assert bridge.poll() is None, processes.output(bridge)
        server.start()
        handle = open_database(url)
        try:
            wait_until(
                lambda: CustodyEvent.select().count() == 2, timeout=30, what="both reads recorded"
            )
            assert sorted(e.code for e in CustodyEvent.select()) == [
                "WC-TJ-2002-0137",
                "WC-TJ-2004-0201",
            ]
            assert Alarm.select().count() == 2  # two folders left the reading room unissued
        finally:
            handle.close()
    finally:
        processes.stop_all()
        server.remove()
