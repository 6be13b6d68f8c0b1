"""Crash safety: kill -9 the bridges, the web server and the database server under traffic.

Two `vault bridge` processes (two door computers, each with its own configuration and spool,
one database) read four SSI scanners that hold each read until the bridge acknowledges it
(tests/acked_scanner.py). SSI, because it is the protocol in which the bridge answers a read,
and only once the read is fsynced in its spool: Vault's own line protocol is one way (the gate
is never answered), so "the bridge received this read" has no meaning there.

For 45 s (longer on a slow machine, until each has been killed three times), at random
moments of their running, the test SIGKILLs a bridge, the `vault serve` web server or, on
PostgreSQL, the database server (a server of this test's own, with fsync on, killed with every
backend and started again on the same folder and port), and a supervisor starts each killed
process again after a short random pause, as systemd's Restart=always would. On SQLite there
is no database server to kill: only the bridges and the web server are killed. On PostgreSQL a
last outage comes once everything runs, and the bridges and the web server must come through
it without a restart. A watcher polls the alarm board's data throughout and counts the
requests that failed during outages.

Afterwards every read a scanner got an ACK for must be in the database exactly once (a read
whose ACK died with a killed bridge is sent again, marked as a retransmission, to the next one,
which knows it from its spool's record of the station's last read), with the alarms the domain
rules give it;
nothing may be stored that no scanner sent; the audit chain must verify; and the board must
answer again.

Set VAULT_CRASH_SEED to replay a run's kill schedule (the thread timing still differs).
"""

from __future__ import annotations

import csv
import functools
import http.client
import json
import os
import random
import signal
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import datetime
from itertools import count
from pathlib import Path

from tests import databases
from tests.acked_scanner import AckedScanner, Scan
from tests.conftest import Processes, add_user, free_port, run_vault, signed_in_opener, wait_until
from vault.domain.model import Classification, FolderState, FolderView, Read, StationKind
from vault.domain.rules import decide

TRAFFIC_S = 45.0
BRIDGES = {  # door computer -> its stations
    "reading-room": (("exit-1", StationKind.READING_EXIT), ("desk-1", StationKind.READING_DESK)),
    "warehouse": (("door-1", StationKind.WAREHOUSE_DOOR), ("hand-1", StationKind.HANDHELD)),
}
FOLDERS_PER_STATION = 800
CLASSES = (Classification.PUBLIC, Classification.CONFIDENTIAL, Classification.SECRET)
RETRANSMIT = 0x01  # SSI status bit: a packet sent again


class Service:
    """A `vault` process kept running the way systemd's Restart=always keeps it: started again
    a short random pause after it dies, whether killed or failed at start-up."""

    _starting = threading.Lock()  # Processes names its logs by count

    def __init__(
        self, name: str, processes: Processes, config: Path, args: tuple, rng: random.Random
    ) -> None:
        self.name, self.processes, self.config, self.args, self.rng = (
            name, processes, config, args, rng,
        )  # fmt: skip
        self.runs = 0  # processes started so far; the scanners tag transmissions with it
        self.kills = 0
        self.exits: list[int] = []  # each process's exit status (-9: killed by the test)
        self.proc: subprocess.Popen | None = None
        self._listening: dict[subprocess.Popen, set[str]] = {}  # stations whose port it opened
        self._current: tuple[int, subprocess.Popen | None] = (0, None)  # run and its process
        # Killed by the test. Popen.poll() cannot say so while the supervisor's thread is in
        # wait(): it answers None ("running") for as long as another thread holds waitpid.
        self._killed: set[subprocess.Popen] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._keep, daemon=True, name=f"keep-{name}")
        self._thread.start()

    def _keep(self) -> None:
        while not self._stop.is_set():
            with Service._starting:
                self.proc = self.processes.start(self.config, *self.args)
                self.runs += 1
                self._current = (self.runs, self.proc)
            self.exits.append(self.proc.wait())
            self._stop.wait(self.rng.uniform(0.1, 1.0))

    def ready(self) -> bool:
        """Running and past start-up (which fails, by design, while the database is down)."""
        proc = self.proc
        if not self._running(proc):
            return False
        marker = "Vault alarm board:" if self.args[0] == "serve" else "bridge running for"
        return marker in self.processes.output(proc)

    def serving(self, station: str) -> tuple[int, bool]:
        """This run's number, and whether it has the station's port open (a bridge logs that
        once its port is open and flushed)."""
        runs, proc = self._current
        if not self._running(proc):
            return runs, False
        if station not in self._listening.setdefault(proc, set()):
            if f"station {station}: listening on" not in self.processes.output(proc):
                return runs, False
            self._listening[proc].add(station)
        return runs, True

    def _running(self, proc: subprocess.Popen | None) -> bool:
        return proc is not None and proc not in self._killed and proc.poll() is None

    def kill(self) -> None:
        proc = self.proc
        if self._running(proc):
            self._killed.add(proc)
            proc.send_signal(signal.SIGKILL)
            self.kills += 1

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=15)


class BoardWatcher:
    """Asks for the alarm board's data every 0.2 s, as the guard room's screen does."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.answered = self.failed = 0
        self.last_answer = 0.0
        self._opener = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True, name="board-watcher")
        self._thread.start()

    def fetch(self) -> dict:
        if self._opener is None:
            self._opener = signed_in_opener(self.base, "guard")
        with self._opener.open(self.base + "/api/alarms", timeout=10) as answer:
            return json.loads(answer.read())

    def _watch(self) -> None:
        while not self._stop.wait(0.2):
            try:
                self.fetch()
            except (OSError, http.client.HTTPException, AssertionError, ValueError):
                # refused, reset, cut off mid-answer, a 500, signed out mid-restart
                self.failed += 1
                continue
            self.answered += 1
            self.last_answer = time.monotonic()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=15)


class Database:
    """The shared archive's database, reached behind Vault's back for the checks."""

    def __init__(self, url: str, path: Path | None) -> None:
        self.url, self.path = url, path

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self.path is not None:
            connection = sqlite3.connect(self.path, timeout=30)
        else:
            import psycopg2

            connection = psycopg2.connect(self.url, connect_timeout=5)
            sql = sql.replace("?", "%s")
        try:
            cursor = connection.cursor()
            cursor.execute(sql, params)
            return cursor.fetchall()
        finally:
            connection.close()

    def rows_or_none(self, sql: str) -> list[tuple] | None:
        """None while the database server is down."""
        try:
            return self.rows(sql)
        except Exception:  # noqa: BLE001 - psycopg2's errors, the server restarting
            return None


def write_site(folder: Path, url: str, stations, ports: dict[str, str]) -> Path:
    """A door computer's vault.toml: the shared database, its stations, its own spool."""
    folder.mkdir(parents=True)
    lines = [f"database = {json.dumps(url)}", "[bridge]", 'spool = "spool"']
    for station, kind in stations:
        lines += ["[[stations]]", f'id = "{station}"', f'kind = "{kind.value}"']
        lines += [f"port = {json.dumps(ports[station])}", 'protocol = "ssi"']
    path = folder / "vault.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_register(path: Path, stations: list[str]) -> dict[str, Classification]:
    """Folders for every station to read, each folder read once, so a read is known by its code."""
    folders = {}
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["code", "title", "year", "classification", "retention", "location"])
        for station in stations:
            for n in range(FOLDERS_PER_STATION):
                code, cls = f"CS-{station.upper()}-{n:05d}", CLASSES[n % len(CLASSES)]
                folders[code] = cls
                out.writerow([code, f"崩溃测试卷宗 {n}", 2001, cls.value, "30年", "Z-01-01"])
    return folders


def codes_for(station: str, rng: random.Random):
    """Registered folders, each once, and now and then a code the register does not know."""
    for n in count():
        if rng.random() < 0.2:
            yield f"VISITOR-{station.upper()}-{n:05d}"
        else:
            yield f"CS-{station.upper()}-{n:05d}"


def expected_alarms(scan: Scan, kind: StationKind, folders: dict[str, Classification]) -> int:
    """What the domain rules raise for the read: every folder starts shelved with no request."""
    cls = folders.get(scan.code)
    view = None if cls is None else FolderView(scan.code, cls, FolderState.SHELVED)
    read = Read(scan.station, kind, scan.code, datetime.now())
    return len(decide(read, view, None).alarms)


def check_reads(db: Database, scanners, kinds, folders) -> dict:
    """Every ACKed read in the database exactly once, with its alarms.

    `resent_after_a_kill` counts the reads sent to more than one run of the bridge (their ACK
    was lost with a killed bridge, or never came): the case a restarted bridge must recognise."""
    rows = db.rows(
        "SELECT e.id, e.station_id, e.code, e.raw, "
        "(SELECT COUNT(*) FROM alarm a WHERE a.event_id = e.id) FROM custody_event e "
        "ORDER BY e.id"
    )
    stored: dict[str, list[tuple]] = {}
    for _, station, code, raw, alarms in rows:
        stored.setdefault(code, []).append((station, bytes(raw), alarms))
    sent = {s.code: s for scanner in scanners for s in scanner.scans}
    assert set(stored) <= set(sent), f"reads nobody sent: {sorted(set(stored) - set(sent))[:5]}"
    lost, doubled, wrong_alarms, resent_twice = [], [], [], 0
    for scanner in scanners:
        for scan in scanner.acked:
            copies = stored.get(scan.code, [])
            if not copies:
                lost.append(scan)
                continue
            assert {station for station, _, _ in copies} == {scan.station}, copies
            resent_twice += scan.runs_seen > 1
            if len(copies) > 1:
                doubled.append((scan, len(copies)))
            want = expected_alarms(scan, kinds[scan.station], folders)
            if copies[0][2] != want:
                wrong_alarms.append((scan.code, copies[0][2], want))
    assert not lost, f"{len(lost)} ACKed read(s) missing, e.g. {lost[:3]}"
    assert not doubled, f"read(s) stored more than once: {doubled[:3]}"
    assert not wrong_alarms, f"(code, alarms, expected): {wrong_alarms[:5]}"
    return {"events": len(rows), "resent_after_a_kill": resent_twice}


def test_kill_9_of_bridges_web_and_database_loses_and_doubles_no_read(
    tmp_path, make_pty, processes
):
    seed = int(os.environ.get("VAULT_CRASH_SEED", random.randrange(1 << 32)))
    print(f"crash test seed {seed} (VAULT_CRASH_SEED={seed} to replay)")
    rng = random.Random(seed)
    server = None
    if databases.POSTGRESQL:
        from tests.postgres_server import PostgresServer

        server = PostgresServer(durable=True).start()
        url = server.create_database("vault_crash")
        db = Database(url, None)
    else:
        url = f"sqlite:///{tmp_path / 'vault.db'}"
        db = Database(url, tmp_path / "vault.db")
    began = time.monotonic()
    services: list[Service] = []
    scanners: list[AckedScanner] = []
    watcher = None
    try:
        office = write_site(tmp_path / "office", url, (), {})
        run_vault(office, "init")
        kinds = {sid: kind for stations in BRIDGES.values() for sid, kind in stations}
        folders = write_register(tmp_path / "register.csv", list(kinds))
        run_vault(office, "import", str(tmp_path / "register.csv"))
        add_user(office, "guard", "security")
        ptys = {sid: make_pty() for sid in kinds}
        port = free_port()
        web = Service(
            "web", processes, office, ("serve", "--port", str(port), "--threads", "4"), rng
        )
        services.append(web)
        bridge_of = {}
        for name, stations in BRIDGES.items():
            config = write_site(
                tmp_path / name, url, stations, {s: ptys[s].path for s, _ in stations}
            )
            bridge = Service(name, processes, config, ("bridge",), random.Random(rng.random()))
            services.append(bridge)
            bridge_of.update({sid: bridge for sid, _ in stations})
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: _answers(base), timeout=30, what="the web server")
        connected = "SELECT COUNT(*) FROM station WHERE status = 'connected'"
        wait_until(lambda: db.rows(connected) == [(len(kinds),)], timeout=30, what="ports open")

        for sid in kinds:
            bridge = bridge_of[sid]
            scanner = AckedScanner(
                sid,
                ptys[sid].master,
                codes_for(sid, random.Random(rng.random())),
                functools.partial(bridge.serving, sid),
                random.Random(rng.random()),
            )
            scanners.append(scanner)
            scanner.start()
        watcher = BoardWatcher(base)

        kills: Counter[str] = Counter()
        victims = [s.name for s in services] + (["postgresql"] if server else [])
        schedule: list[str] = []  # each victim once per round, in a random order
        outage: threading.Thread | None = None
        by_name = {s.name: s for s in services}
        started = time.monotonic()
        while (elapsed := time.monotonic() - started) < TRAFFIC_S or (
            min(kills[v] for v in victims) < 3 and elapsed < 2 * TRAFFIC_S  # a slow machine
        ):
            time.sleep(rng.uniform(0.3, 1.5))
            schedule = schedule or rng.sample(victims, len(victims))
            victim = schedule[-1]
            # A victim still starting (or recovering) is left until it runs: on a slow machine
            # the kills would otherwise only ever hit start-ups, and no read would get through.
            if victim == "postgresql":
                if outage is not None and outage.is_alive():
                    continue
                outage = threading.Thread(  # down and recovering while the others go on
                    target=_outage, args=(server, random.Random(rng.random()))
                )
                outage.start()
            elif by_name[victim].ready():
                by_name[victim].kill()
            else:
                continue
            schedule.pop()
            kills[victim] += 1
        if outage is not None:
            outage.join()
        if server is not None:  # the last outage: bridges and web server must reconnect alone
            wait_until(lambda: all(s.ready() for s in services), timeout=60, what="restarts")
            runs = [s.runs for s in services]
            _outage(server, rng)
            kills["postgresql"] += 1
        traffic_s = time.monotonic() - started
        setup_s = started - began

        for scanner in scanners:
            scanner.finish(timeout=60)
        acked = [s.code for scanner in scanners for s in scanner.acked]
        wanted = set(acked)

        def drained() -> bool:
            codes = db.rows_or_none("SELECT code FROM custody_event")
            backlog = db.rows_or_none("SELECT SUM(backlog) FROM station")
            return codes is not None and wanted <= {c for (c,) in codes} and backlog == [(0,)]

        try:
            wait_until(drained, timeout=60, what="every ACKed read in the database, spools empty")
        except AssertionError:
            check_reads(db, scanners, kinds, folders)  # names the reads missing, if any
            raise
        last_outage = time.monotonic()
        wait_until(lambda: watcher.last_answer > last_outage, timeout=30, what="board answers")
        watcher.stop()
        if server is not None:  # they came through the last outage without being restarted
            exits = {s.name: s.exits[-3:] for s in services}
            assert [s.runs for s in services] == runs, f"restarted; last exits: {exits}"
        for service in services[1:]:  # the bridges: nothing writes to the database after this
            service.stop()
        board = watcher.fetch()
        web.stop()

        figures = check_reads(db, scanners, kinds, folders)
        verify = run_vault(office, "audit", "verify", check=False)
        assert verify.returncode == 0, verify.stdout + verify.stderr
        open_alarms = db.rows("SELECT COUNT(*) FROM alarm WHERE acknowledged_at IS NULL")[0][0]
        assert len(board["alarms"]) == min(open_alarms, 500) > 0  # the board shows 500
        assert min(kills[v] for v in victims) >= 3, kills  # each was killed, more than once
        summary = {
            "seed": seed,
            "backend": databases.BACKEND,
            "setup_s": round(setup_s, 1),
            "traffic_s": round(traffic_s, 1),
            "after_traffic_s": round(time.monotonic() - started - traffic_s, 1),
            "kills": dict(kills),
            "reads_acked": len(acked),
            "retransmissions": sum(len(s.runs) - 1 for sc in scanners for s in sc.scans),
            "naks": sum(sc.naks for sc in scanners),
            "garbled_tails": sum(sc.tails for sc in scanners),
            "surplus_acks": sum(sc.surplus_acks for sc in scanners),
            "board_answered": watcher.answered,
            "board_failed": watcher.failed,
            **figures,
        }
        print("crash test:", json.dumps(summary))
        (tmp_path / "summary.json").write_text(json.dumps(summary))
    finally:
        for scanner in scanners:
            scanner.stop()
        if watcher is not None:
            watcher.stop()
        for service in services:
            service.stop()
        if server is not None:
            server.remove()


def _answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/signin", timeout=5) as answer:
            return answer.status == 200
    except (OSError, urllib.error.URLError):
        return False


def _outage(server, rng: random.Random) -> None:
    """The database machine crashes and comes back: every backend killed at once, then the
    server started again on the same folder and port, recovering from its WAL."""
    server.kill()
    time.sleep(rng.uniform(0.2, 1.5))
    server.start(timeout=60)
