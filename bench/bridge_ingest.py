"""Bridge ingest: how many raw frames one `vault bridge` process absorbs, how long a frame takes
from its last byte on the line to its custody event in the database, and what an idle bridge
costs.

The bridge runs as a real `vault bridge` process on a fresh SQLite file in a temporary folder;
every station is a real pseudo-terminal (the station's port is the slave; this process writes
the devices' exact bytes, from `firmware_bridge.devices`, to the masters). Frame counts come
from the bridge's own figures in the `station` table, which its monitor writes every second;
rates are the slope of those figures between two reports taken while frames were still
arriving, so neither start-up nor the drain at the end is counted. The tags are unknown to the
register, so each read becomes an `unknown_code` event and no alarm.

`python -m bench.bridge_ingest` prints this benchmark's table alone; `python -m bench` adds its
rows to the others.
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import sqlite3
import subprocess
import tempfile
import threading
import time
import tty
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from itertools import pairwise
from pathlib import Path

from bench.scan_to_screen import _percentile, _vault
from firmware_bridge.devices import make_device

CLOCK_TICK = os.sysconf("SC_CLK_TCK")
STALL = 10.0  # seconds no pty takes a byte before the writer gives up (a station died)
PATIENCE = 30.0  # seconds the bridge's figures may stand still before a measurement gives up
WRITE_CHUNK = 64 << 10  # more than a pty takes at once: every write fills what room there is
POLL_SLEEP = 0.0005  # the latency poller's pause between queries: its resolution
FIGURES = (
    "SELECT sum(frames), sum(reads), sum(rejected), max(backlog), max(reported_at) FROM station"
)


@dataclass
class Line:
    """One pseudo-terminal: the bridge opens `path`, this process writes to `master`."""

    station: str
    master: int
    slave: int
    path: str


@dataclass
class Sample:
    """The bridge's figures as one monitor report left them, and its CPU time when read."""

    at: float  # the report's time, seconds (UTC wall clock of the bridge)
    frames: int
    reads: int
    rejected: int
    backlog: int
    events: int  # custody events in the database when this process read the report
    cpu: float  # bridge CPU seconds when this process read the report
    seen: float  # this process's monotonic clock when it read the report


@dataclass
class Bridge:
    """A `vault bridge` process on its own folder, and read-only looks at its database."""

    folder: Path
    lines: list[Line]
    process: subprocess.Popen | None = None
    samples: list[Sample] = field(default_factory=list)

    def query(self, sql: str, *params: object) -> list[tuple]:
        uri = f"file:{self.folder / 'vault.db'}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=10)) as connection:
            return connection.execute(sql, params).fetchall()

    def cpu_seconds(self) -> float:
        """User + system time of every thread of the bridge, from /proc/<pid>/stat."""
        with open(f"/proc/{self.process.pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICK

    def sample(self) -> Sample | None:
        """The latest monitor report, kept if it is new."""
        frames, reads, rejected, backlog, at = self.query(FIGURES)[0]
        if at is None:
            return None
        stamp = datetime.fromisoformat(at).timestamp()
        if self.samples and self.samples[-1].at == stamp:
            return self.samples[-1]
        events, cpu = self.events(), self.cpu_seconds()
        self.samples.append(
            Sample(stamp, frames, reads, rejected, backlog, events, cpu, time.monotonic())
        )
        return self.samples[-1]

    def events(self) -> int:
        """How many custody events are in; ids are never reused, so the highest id is the count
        and costs one index lookup."""
        return self.query("SELECT coalesce(max(id), 0) FROM custody_event")[0][0]


def open_lines(count: int, prefix: str = "st") -> list[Line]:
    lines = []
    for i in range(count):
        master, slave = pty.openpty()
        tty.setraw(slave)
        lines.append(Line(f"{prefix}-{i:03d}", master, slave, os.ttyname(slave)))
    return lines


def _config(folder: Path, lines: list[Line], protocols: list[str]) -> Path:
    text = ['database = "sqlite:///vault.db"']
    for line, protocol in zip(lines, protocols, strict=True):
        text += [
            "[[stations]]",
            f'id = "{line.station}"',
            'kind = "reading_desk"',
            f'port = "{line.path}"',
            "baud = 115200",
            f'protocol = "{protocol}"',
        ]
    path = folder / "vault.toml"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


@contextlib.contextmanager
def running_bridge(lines: list[Line], protocols: list[str]) -> Iterator[Bridge]:
    """A fresh database and a bridge with every station open; stopped and cleaned up after."""
    with tempfile.TemporaryDirectory(prefix="bridge-ingest-") as folder:
        bridge = Bridge(Path(folder), lines)
        config = _config(bridge.folder, lines, protocols)
        subprocess.run(_vault(config, "init"), check=True, capture_output=True)
        with open(bridge.folder / "bridge.log", "wb") as log:
            bridge.process = subprocess.Popen(_vault(config, "bridge"), stderr=log)
            try:
                _wait_connected(bridge)
                yield bridge
            finally:
                bridge.process.terminate()
                try:
                    bridge.process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    bridge.process.kill()
                    bridge.process.wait()
                for line in lines:
                    os.close(line.master)
                    os.close(line.slave)


def _wait_connected(bridge: Bridge, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    want = len(bridge.lines)
    while time.monotonic() < deadline:
        if bridge.process.poll() is not None:
            raise RuntimeError(f"the bridge exited; see {bridge.folder / 'bridge.log'}")
        with contextlib.suppress(sqlite3.OperationalError):
            rows = bridge.query("SELECT count(*) FROM station WHERE status = 'connected'")
            if rows[0][0] == want:
                return
        time.sleep(0.1)
    raise TimeoutError(f"the bridge did not open all {want} stations")


@cache
def m100(epc: str) -> bytes:
    """One M100 tag notice, as the module writes it; repeats of a tag cost nothing to build."""
    return make_device("m100").read(epc)


def epc(station: int, serial: int) -> str:
    return f"E280{station:04X}{serial:016X}"


def mix_blob(station: int, frames: int, population: int, new_every: int) -> bytes:
    """A reader with `population` tags lying in its field, reported round and round, and a new
    tag carried past every `new_every` frames."""
    out, new = [], 1 << 40
    for i in range(frames):
        if i % new_every == new_every - 1:
            new += 1
            out.append(m100(epc(station, new)))
        else:
            out.append(m100(epc(station, i % population)))
    return b"".join(out)


def distinct_blob(station: int, frames: int) -> bytes:
    """Every frame a tag never seen before: nothing for the repeat filter to collapse."""
    device = make_device("m100")
    return b"".join(device.read(epc(station, (1 << 48) + i)) for i in range(frames))


def blast(lines: list[Line], blobs: list[bytes]) -> tuple[float, float, int]:
    """Write every line's bytes as fast as its pty takes them (non-blocking, as much as there is
    room for per write); return (seconds, CPU seconds this writer used, bytes never taken).
    Gives up when no line has taken a byte for STALL seconds (a station thread has died). Also
    discards what the bridge writes to the devices (polls) so nothing backs up that way."""
    started, cpu = time.monotonic(), time.thread_time()
    poller, left = select.poll(), {}
    for line, blob in zip(lines, blobs, strict=True):
        os.set_blocking(line.master, False)
        left[line.master] = memoryview(blob)
        poller.register(line.master, select.POLLOUT | select.POLLIN)
    while left:
        ready = poller.poll(STALL * 1000)
        if not any(events & select.POLLOUT for _, events in ready):
            break
        for fd, events in ready:
            if events & select.POLLIN:
                with contextlib.suppress(BlockingIOError):
                    os.read(fd, 4096)
            if events & select.POLLOUT and fd in left:
                with contextlib.suppress(BlockingIOError):
                    left[fd] = left[fd][os.write(fd, left[fd][:WRITE_CHUNK]) :]
                if not left[fd]:
                    del left[fd]
                    poller.modify(fd, select.POLLIN)
    for line in lines:
        os.set_blocking(line.master, True)
    unsent = sum(len(view) for view in left.values())
    return time.monotonic() - started, time.thread_time() - cpu, unsent


def offer(bridge: Bridge, blobs: list[bytes], frames: int) -> dict:
    """Blast the blobs from a thread while sampling the bridge's figures, until it has counted
    every frame or its count has stood still for PATIENCE seconds (its monitor can wait that
    long for the database while the forwarder has a backlog); return what the writer did."""
    bridge.sample()
    done: dict = {}
    writer = threading.Thread(target=lambda: done.update(w=blast(bridge.lines, blobs)))
    started = moved = time.monotonic()
    writer.start()
    counted = -1
    while writer.is_alive() or (counted < frames and time.monotonic() - moved < PATIENCE):
        time.sleep(0.1)
        latest = bridge.sample()
        if latest and latest.frames != counted:
            counted, moved = latest.frames, time.monotonic()
    writer.join()
    seconds, writer_cpu, unsent = done["w"]
    return {"write_s": seconds, "writer_cpu": writer_cpu, "unsent": unsent, "started": started}


def busy_rates(samples: list[Sample], frames: int, started: float) -> dict:
    """Rates between the first and the last report that fell while frames were still arriving
    (the bridge was reading full pty buffers the whole time in between), and the longest this
    process waited for a new report: the monitor that writes them shares the database with the
    forwarder, and a late report also means late offline alarms."""
    busy = [s for s in samples if s.seen > started and 0 < s.frames < frames]
    first, last = busy[0], busy[-1]
    span, seen = last.at - first.at, last.seen - first.seen
    if span <= 0 or seen <= 0:
        raise RuntimeError("the bridge absorbed everything within one report; offer more frames")
    return {
        "frames": (last.frames - first.frames) / span,
        "reads": (last.reads - first.reads) / span,
        "events": (last.events - first.events) / seen,
        "cpu": (last.cpu - first.cpu) / seen,
        "gap": max(b.seen - a.seen for a, b in pairwise(samples)),
    }


def _common(name: str, run: dict, rates: dict, final: Sample, total: int) -> list:
    """Rows both ingest measurements give. The offered rate: once the ptys are full the writer
    goes only as fast as the bridge reads, and it is done while the last pty-fulls still wait,
    so it is never below the absorbed rate; a writer holding the bridge back would show here."""
    sent, seconds = total - run["unsent"], run["write_s"]
    writer = run["writer_cpu"] / seconds
    return [
        (f"{name}: frames offered", f"{sent:,} in {seconds:.1f} s ({sent / seconds:,.0f}/s)"),
        (f"{name}: frames counted, rejected", f"{final.frames:,}, {final.rejected:,}"),
        (f"{name}: CPU, bridge / writer", f"{rates['cpu']:.0%} / {writer:.0%} of a core"),
        (f"{name}: longest wait for station figures (s)", f"{rates['gap']:.1f}"),
    ]


def measure_mix(
    stations: int, frames_each: int, population: int = 40, new_every: int = 100
) -> list[tuple[str, str]]:
    """Many UHF readers, each with tags lying in its field and a trickle of new ones."""
    blobs = [mix_blob(i, frames_each, population, new_every) for i in range(stations)]
    total = stations * frames_each
    with running_bridge(open_lines(stations), ["m100"] * stations) as bridge:
        run = offer(bridge, blobs, total)
        rates, final = busy_rates(bridge.samples, total, run["started"]), bridge.samples[-1]
    name = f"bridge ingest ({stations} M100 lines, tags lying in the field)"
    return [
        (f"{name}: frames absorbed (/s)", f"{rates['frames']:,.0f}"),
        (f"{name}: new reads spooled (/s)", f"{rates['reads']:,.0f}"),
        (f"{name}: events into SQLite meanwhile (/s)", f"{rates['events']:,.0f}"),
        *_common(name, run, rates, final, total),
    ]


def measure_distinct(stations: int, frames_each: int, after: float = 5.0) -> list[tuple[str, str]]:
    """The worst case: every frame a new tag, so every frame is a read to spool and forward."""
    blobs = [distinct_blob(i, frames_each) for i in range(stations)]
    total = stations * frames_each
    with running_bridge(open_lines(stations, "dx"), ["m100"] * stations) as bridge:
        run = offer(bridge, blobs, total)
        rates, final = busy_rates(bridge.samples, total, run["started"]), bridge.samples[-1]
        before, at = bridge.events(), time.monotonic()
        time.sleep(after)  # the lines are quiet now: the forwarder has the process to itself
        forwarded = (bridge.events() - before) / (time.monotonic() - at)
        backlog = bridge.sample().backlog
    name = f"bridge ingest ({stations} M100 lines, every frame a new tag)"
    return [
        (f"{name}: frames absorbed = reads spooled (/s)", f"{rates['reads']:,.0f}"),
        (f"{name}: events into SQLite meanwhile (/s)", f"{rates['events']:,.0f}"),
        (f"{name}: events into SQLite once lines quiet (/s)", f"{forwarded:,.0f}"),
        (f"{name}: spool backlog when stopped", f"{backlog:,}"),
        *_common(name, run, rates, final, total),
    ]


class EventWatch:
    """Stamps each custody event with this process's clock as it becomes visible, querying
    the database every POLL_SLEEP seconds from a thread (WAL: reading never holds up the
    bridge's writes). `interval` is the mean time between queries: the stamps' resolution."""

    def __init__(self, bridge: Bridge) -> None:
        uri = f"file:{bridge.folder / 'vault.db'}?mode=ro"
        self.connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self.seen: dict[str, float] = {}
        self.polls, self.interval = 0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch)
        self._thread.start()

    def _watch(self) -> None:
        last, started = 0, time.perf_counter()
        while not self._stop.is_set():
            rows = self.connection.execute(
                "SELECT id, code FROM custody_event WHERE id > ? ORDER BY id", (last,)
            ).fetchall()
            now = time.perf_counter()
            for row_id, code in rows:
                self.seen.setdefault(code, now)
                last = row_id
            self.polls += 1
            time.sleep(POLL_SLEEP)
        self.interval = (time.perf_counter() - started) / max(1, self.polls)

    def wait_for(self, count: int, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.seen) < count and time.monotonic() < deadline:
            time.sleep(0.05)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.connection.close()


def _paced(lines: list[Line], frames: int, rate: float) -> tuple[dict[str, float], float]:
    """Write `frames` distinct tag notices at `rate` a second, round the lines; stamp each just
    after its last byte is written. Returns the stamps and the rate actually kept."""
    sent: dict[str, float] = {}
    codes = [epc(9000 + n % len(lines), (1 << 50) + n) for n in range(frames)]
    blobs = [m100(code) for code in codes]
    start = time.perf_counter()
    for n, (code, blob) in enumerate(zip(codes, blobs, strict=True)):
        pause = start + n / rate - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        os.write(lines[n % len(lines)].master, blob)
        sent[code] = time.perf_counter()
    return sent, frames / (time.perf_counter() - start)


def measure_latency(
    stations: int = 2, frames: int = 5000, rate: float = 1000.0, warmup: int = 200
) -> list[tuple[str, str]]:
    """Frame's last byte to its event row, at a paced `rate` shared by a few lines (two lines
    at 500 frames/s each: what a 115,200-baud UHF line carries at most). The first `warmup`
    frames are left out: they pay for the bridge's first queries."""
    with running_bridge(open_lines(stations, "lat"), ["m100"] * stations) as bridge:
        watch = EventWatch(bridge)
        try:
            sent, kept = _paced(bridge.lines, warmup + frames, rate)
            watch.wait_for(len(sent))
        finally:
            watch.close()
    measured = list(sent)[warmup:]
    latencies = [(watch.seen[c] - sent[c]) * 1000 for c in measured if c in watch.seen]
    name = f"bridge latency ({rate:,.0f} frames/s over {stations} M100 lines)"
    return [
        (
            f"{name}: frames measured, missing",
            f"{len(latencies):,}, {len(measured) - len(latencies)}",
        ),
        (f"{name}: pace kept, poll interval", f"{kept:,.0f}/s, {watch.interval * 1000:.2f} ms"),
        *((f"{name}: p{p} (ms)", f"{_percentile(latencies, p):.1f}") for p in (50, 95, 99)),
        (f"{name}: max (ms)", f"{max(latencies):.1f}"),
    ]


def measure_idle(seconds: float = 10.0, settle: float = 2.0) -> list[tuple[str, str]]:
    """CPU an idle bridge uses: 20 stations, a third of them Chafon readers that the bridge
    polls every 0.2 s by design (nobody answers here), no traffic."""
    protocols = [("scanner", "m100", "chafon")[i % 3] for i in range(20)]
    with running_bridge(open_lines(len(protocols), "idle"), protocols) as bridge:
        time.sleep(settle)
        cpu, at = bridge.cpu_seconds(), time.monotonic()
        time.sleep(seconds)
        used = (bridge.cpu_seconds() - cpu) / (time.monotonic() - at)
    name = "bridge idle (20 stations: 7 scanner, 7 M100, 6 Chafon polled every 0.2 s)"
    return [(f"{name}: CPU", f"{used:.2%} of a core")]


def run() -> list[tuple[str, str]]:
    return [
        *measure_mix(stations=200, frames_each=4000),
        *measure_distinct(stations=200, frames_each=2500),
        *measure_latency(),
        *measure_idle(),
    ]


if __name__ == "__main__":
    rows = run()
    print("| measure | value |")
    print("| --- | --- |")
    for name, value in rows:
        print(f"| {name} | {value} |")
