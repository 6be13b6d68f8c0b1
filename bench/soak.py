"""Soak: the whole system under a steady flood for minutes on end, watched for slowing down,
growing and failing.

`python -m bench.soak [--minutes 10] [--stations 4] [--rate 1000] [--clients 20] [--postgresql]`
starts a real `vault bridge` and a real `vault serve` on a fresh archive (a SQLite file, or a
database on a PostgreSQL server started for the run with `--postgresql`). Every station is a
UHF reader (M100 protocol) at the reading-room exit, on a pseudo-terminal the bridge opens with
pyserial; a writer process (its own, so the browsers cannot hold it up) sends each line `--rate`
raw tag notices a second, in bursts every 10 ms, as a gate reader reports what is in its field:
the tags of folders lying nearby, over and over (collapsed by the bridge's repeat filter), a new
unregistered tag carried past every NEW_EVERY frames (a read stored as an unknown code), and
every ALARM_EVERY seconds on each line the tag of a registered folder that is not issued, which
raises "left the reading room". `--clients` guards' pages in headless Chromium watch the live
board the whole time (bench.soak_board), and a guard acknowledges each alarm ACK_AFTER seconds
after it was raised, through the board's form, as the night shift does. Scan-to-screen latency
runs from just after the alarm frame's write to the pty to the moment its row appears in each
page.

Every 30 s the bench samples the bridge's and the web server's resident memory and CPU, the
events stored and the spool backlog. After the writer stops it waits for the board to show
every alarm (or for the archive to stand still) and reports what arrived.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import re
import sqlite3
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.bridge_ingest import CLOCK_TICK, Line, epc, m100, open_lines
from bench.scan_to_screen import (
    GUARD,
    PASSWORD,
    _connected,
    _free_port,
    _signed_in,
    _vault,
    _wait,
)
from bench.soak_board import CHROMIUM_ARGS, Client, open_clients
from bench.soak_report import report
from tests.e2e.conftest import CHROMIUM

TICK = 0.01  # the writer's burst interval, seconds
FIELD = 30  # tags lying in each reader's field, reported round and round
NEW_EVERY = 50  # one new tag carried past every this many frames (20 reads/s at 1,000 frames/s)
ALARM_EVERY = 5.0  # seconds between alarm tags on each line (staggered between lines)
ACK_AFTER = 20.0  # seconds after which the bench's guard acknowledges an alarm
SAMPLE_EVERY = 30.0  # seconds between memory samples
DRAIN_LIMIT = 180.0  # seconds the bench waits after the last frame for the board to catch up
STILL = 20.0  # ... or for this long with nothing new stored


# ---- the archive and its processes ----


@dataclass
class Archive:
    """The run's folder, database and the two `vault` processes."""

    folder: Path
    url: str
    lines: list[Line]
    bridge: subprocess.Popen | None = None
    server: subprocess.Popen | None = None
    base: str = ""

    def query(self, sql: str) -> list[tuple]:
        if self.url.startswith("sqlite"):
            uri = f"file:{self.folder / 'vault.db'}?mode=ro"
            with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=30)) as c:
                return c.execute(sql).fetchall()
        import psycopg2

        with contextlib.closing(psycopg2.connect(self.url)) as c, c.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    def log_lines(self, name: str) -> list[str]:
        return (self.folder / name).read_text(errors="replace").splitlines()


def _folders_csv(path: Path, count: int) -> None:
    rows = ["code,title,year,classification,retention,location"]
    rows += [f"SOAK-{i:06d},巡检卷宗 {i},2020,public,30年,A-01-{i % 50:02d}" for i in range(count)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


@contextlib.contextmanager
def running_archive(stations: int, folders: int, postgresql: bool) -> Iterator[Archive]:
    server = None
    with tempfile.TemporaryDirectory(prefix="vault-soak-") as tmp:
        folder = Path(tmp)
        url = "sqlite:///vault.db"
        if postgresql:
            from tests.postgres_server import PostgresServer

            server = PostgresServer(folder / "postgres").start()
            url = server.create_database("vault_soak")
        archive = Archive(folder, url, open_lines(stations, "exit"))
        text = [f'database = "{url}"']
        for line in archive.lines:
            text += ["[[stations]]", f'id = "{line.station}"', 'kind = "reading_exit"']
            text += [f'port = "{line.path}"', 'protocol = "m100"']
        config = folder / "vault.toml"
        config.write_text("\n".join(text) + "\n", encoding="utf-8")
        _folders_csv(folder / "folders.csv", folders)
        for args in (("init",), ("import", str(folder / "folders.csv"))):
            subprocess.run(_vault(config, *args), check=True, capture_output=True)
        _tag_folders(url if postgresql else f"sqlite:///{folder / 'vault.db'}", folders)
        add = _vault(config, "user", "add", GUARD, "--role", "security")
        subprocess.run(add, input=PASSWORD + "\n", text=True, check=True, capture_output=True)
        port = _free_port()
        archive.base = f"http://127.0.0.1:{port}"
        with open(folder / "bridge.log", "wb") as blog, open(folder / "serve.log", "wb") as slog:
            archive.bridge = subprocess.Popen(_vault(config, "bridge"), stderr=blog)
            serve = _vault(config, "serve", "--port", str(port))
            archive.server = subprocess.Popen(serve, stderr=slog)
        try:
            _wait(lambda: _signed_in(archive.base) is not None, timeout=60)
            opener = _signed_in(archive.base)
            _wait(lambda: _connected(opener, archive.base), timeout=60)
            yield archive
        finally:
            for process in (archive.server, archive.bridge):
                process.terminate()
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            for line in archive.lines:
                os.close(line.master)
                os.close(line.slave)
            if server:
                server.remove()


def alarm_epc(n: int) -> str:
    """The tag of the folder SOAK-n (registered with `labels.record_tag`)."""
    return f"E2A0{n:020X}"


def _tag_folders(url: str, count: int) -> None:
    """Record each soak folder's tag, as `vault labels tag` does, in this process."""
    from vault.db.connection import open_database
    from vault.services.labels import record_tag

    handle = open_database(url)
    try:
        for n in range(count):
            record_tag(f"SOAK-{n:06d}", alarm_epc(n))
    finally:
        handle.close()


# ---- the frame writer (a process of its own) ----


def write_frames(lines: list[Line], rate: float, seconds: float, out: str) -> None:
    """Every TICK, each line's share of `rate` tag notices a second: the field's tags round and
    round, a new tag every NEW_EVERY frames, and every ALARM_EVERY seconds (staggered between
    lines) a registered folder's tag, written alone and stamped just after its write. Writes
    what it did as JSON to `out`."""
    stations = len(lines)
    written, alarms, worst_lag = [0] * stations, [], 0.0
    next_alarm = [ALARM_EVERY * i / stations for i in range(stations)]  # seconds after the start
    lying = [[m100(epc(s, n)) for n in range(FIELD)] for s in range(stations)]
    started = time.monotonic()
    tick = 0
    while (elapsed := time.monotonic() - started) < seconds:
        due = (tick + 1) * TICK
        if due > elapsed:
            time.sleep(due - elapsed)
        worst_lag = max(worst_lag, time.monotonic() - started - due)
        target = round((tick + 1) * TICK * rate)
        for s, line in enumerate(lines):
            frames = target - written[s]
            alarm = due >= next_alarm[s] and frames > 0
            ordinary = frames - alarm
            base = written[s]
            blob = b"".join(
                m100(epc(s, (1 << 40) + n // NEW_EVERY))
                if n % NEW_EVERY == NEW_EVERY - 1
                else lying[s][n % FIELD]
                for n in range(base, base + ordinary)
            )
            os.write(line.master, blob)
            if alarm:
                code = alarm_epc(len(alarms))  # an alarm names the tag that was read
                os.write(line.master, m100(code))
                alarms.append((code, time.time() * 1000))
                next_alarm[s] += ALARM_EVERY
            written[s] = target
        tick += 1
    took = time.monotonic() - started
    report = {"written": sum(written), "alarms": alarms, "seconds": took, "lag": worst_lag}
    Path(out).write_text(json.dumps(report), encoding="utf-8")


# ---- the guard acknowledging alarms ----


class Guard(threading.Thread):
    """Acknowledges each alarm ACK_AFTER seconds after it first showed in the board's data,
    through the board's own form (a signed-in guard's session and form token), so the board
    holds what a watched board holds rather than every alarm of the run."""

    def __init__(self, base: str) -> None:
        super().__init__(name="guard", daemon=True)
        self.base, self.stop = base, threading.Event()
        self.acknowledged, self.errors = 0, []
        self.first_seen: dict[int, float] = {}

    def run(self) -> None:
        opener = _signed_in(self.base)
        while not self.stop.wait(2.0):
            try:
                with opener.open(self.base + "/api/alarms", timeout=30) as r:
                    open_ids = [a["id"] for a in json.loads(r.read())["alarms"]]
                now = time.monotonic()
                for alarm_id in open_ids:
                    self.first_seen.setdefault(alarm_id, now)
                due = [i for i in open_ids if now - self.first_seen[i] >= ACK_AFTER]
                if due:
                    with opener.open(self.base + "/alarms", timeout=30) as r:
                        token = re.search(r'name="csrf" value="([^"]+)"', r.read().decode())
                    for alarm_id in due:
                        form = {"csrf": token.group(1), "note": "已到出口核实，卷宗已送回"}
                        url = f"{self.base}/alarms/{alarm_id}/ack"
                        with opener.open(
                            url, urllib.parse.urlencode(form).encode(), timeout=30
                        ) as r:
                            if "error=" in r.url:
                                self.errors.append(f"acknowledging {alarm_id}: {r.url}")
                            else:
                                self.acknowledged += 1
            except (OSError, ValueError, KeyError, AttributeError) as e:
                self.errors.append(f"guard: {e}")


# ---- watching ----


def _proc(pid: int) -> tuple[float, float]:
    """(resident MB, CPU seconds) of a process."""
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return rss, (int(fields[11]) + int(fields[12])) / CLOCK_TICK


def _machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine since boot."""
    with open("/proc/stat", encoding="ascii") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    return sum(values) - values[3] - values[4], sum(values)


def _tree_cpu() -> float:
    """CPU seconds of this bench and every process under it (bridge, web server, writer,
    Playwright and Chromium), to tell them from other programs on the machine."""
    parents, cpu = {}, {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                with open(f"/proc/{entry.name}/stat", encoding="ascii") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                pid = int(entry.name)
                parents[pid] = int(fields[1])
                cpu[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICK

    def ours(pid: int) -> bool:
        while pid > 1:
            if pid == os.getpid():
                return True
            pid = parents.get(pid, 0)
        return False

    return sum(seconds for pid, seconds in cpu.items() if ours(pid))


@dataclass
class Sample:
    at: float  # seconds since the writer started
    bridge_mb: float
    server_mb: float
    bridge_cpu: float
    server_cpu: float
    machine: tuple[float, float]
    ours: float  # CPU seconds of every process of the run
    events: int
    backlog: int


@dataclass
class Watch:
    archive: Archive
    clients: list[Client]
    started: float = 0.0
    since: str = ""  # when the writer started, as the logs write time
    samples: list[Sample] = field(default_factory=list)
    loaded: list[Sample] = field(default_factory=list)  # the samples until the last frame

    def sample(self) -> None:
        bridge_mb, bridge_cpu = _proc(self.archive.bridge.pid)
        server_mb, server_cpu = _proc(self.archive.server.pid)
        events, backlog = self.archive.query(
            "SELECT (SELECT coalesce(max(id), 0) FROM custody_event), "
            "(SELECT coalesce(max(backlog), 0) FROM station)"
        )[0]
        at = time.monotonic() - self.started
        self.samples.append(Sample(at, bridge_mb, server_mb, bridge_cpu, server_cpu,
                                   _machine_busy(), _tree_cpu(), events, backlog))  # fmt: skip

    def pump(self, seconds: float) -> None:
        """Let Playwright deliver the pages' events (responses, errors) while time passes."""
        self.clients[0].page.wait_for_timeout(seconds * 1000)

    def during(self, writer: multiprocessing.Process) -> None:
        next_sample = 0.0
        while writer.is_alive():
            if time.monotonic() - self.started >= next_sample:
                self.sample()
                next_sample += SAMPLE_EVERY
            self.pump(0.5)
        self.sample()
        self.loaded = list(self.samples)

    def drain(self, alarm_codes: set[str]) -> float:
        """After the last frame: until every page shows every alarm, the archive stands still
        for STILL seconds, or DRAIN_LIMIT; returns how long it took."""
        began, last_change, last_events = time.monotonic(), time.monotonic(), -1
        while time.monotonic() - began < DRAIN_LIMIT:
            self.pump(2.0)
            ids = set(self.alarm_ids(alarm_codes))
            if (
                ids
                and len(ids) == len(alarm_codes)
                and all(ids <= c.seen.keys() for c in self.clients)
            ):
                break
            events = self.archive.query("SELECT coalesce(max(id), 0) FROM custody_event")[0][0]
            if events != last_events:
                last_events, last_change = events, time.monotonic()
            elif time.monotonic() - last_change > STILL:
                break
        self.sample()
        return time.monotonic() - began

    def alarm_ids(self, codes: set[str]) -> dict[int, str]:
        return {i: c for i, c in self.archive.query("SELECT id, code FROM alarm") if c in codes}


# ---- entry points ----


def soak(args) -> tuple[list[tuple[str, str]], list[str]]:
    folders = args.stations * int(args.minutes * 60 + 5) + 10
    with running_archive(args.stations, folders, args.postgresql) as archive:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            collector = open_clients(browser, archive.base, args.clients, GUARD, PASSWORD)
            watch = Watch(archive, collector.clients)
            out = str(archive.folder / "writer.json")
            writer = multiprocessing.get_context("fork").Process(
                target=write_frames, args=(archive.lines, args.rate, args.minutes * 60, out)
            )
            guard = Guard(archive.base)
            watch.started = time.monotonic()
            watch.since = datetime.now().strftime("%Y-%m-%d %H:%M:%S,%f")[:23]
            writer.start()
            guard.start()
            watch.during(writer)
            writer.join()
            wrote = json.loads(Path(out).read_text(encoding="utf-8"))
            drained = watch.drain({code for code, _ in wrote["alarms"]})
            guard.stop.set()
            guard.join(timeout=60)
            rows, trouble = report(archive, watch, wrote, drained, args)
            rows.append(
                (
                    f"soak: alarms acknowledged by the guard after {ACK_AFTER:.0f} s, errors",
                    f"{guard.acknowledged:,}, {len(guard.errors)}",
                )
            )
            trouble += guard.errors[:5]
            browser.close()
            collector.close()
        return rows, trouble


def _options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--stations", type=int, default=4)
    parser.add_argument("--rate", type=float, default=1000, help="frames/s per station")
    parser.add_argument("--clients", type=int, default=20, help="guards' pages on the board")
    parser.add_argument("--postgresql", action="store_true", help="the archive on PostgreSQL")
    return parser.parse_args(argv)


def run(minutes: float = 10) -> list[tuple[str, str]]:
    return soak(_options(["--minutes", str(minutes)]))[0]


def main() -> None:
    rows, trouble = soak(_options())
    print("| measure | value |")
    print("| --- | --- |")
    for name, value in rows:
        print(f"| {name} | {value} |")
    if trouble:
        print("\nfirst log lines and errors beyond the routine:")
        for line in trouble:
            print("  " + line)


if __name__ == "__main__":
    main()
