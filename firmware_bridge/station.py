"""The loop that owns one station's serial port: open, read, decode, store, answer, reopen.

For each burst of bytes: the protocol driver decodes frames; repeats of an RFID tag still in the
reader's field are collapsed into one read per pass; the reads go to `store` (the bridge's
spool), which returns only once they are on disk; only then are the driver's replies (an SSI
ACK) written back, so a device is never told a read arrived that a crash could lose.

A port that cannot be opened (unplugged scanner, wrong name) is reported once per change with
the station and the port named, then retried with a growing pause; the other stations are not
affected because each runs in its own thread. `/dev/serial/by-id/…` names work as they are:
the name is opened afresh on every attempt, so a replugged scanner that comes back as another
ttyUSB is found under its stable name.
"""

from __future__ import annotations

import logging
import os
import select
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import serial

from firmware_bridge.health import StationHealth
from firmware_bridge.protocols import Frame, make_protocol
from firmware_bridge.repeats import RepeatFilter

log = logging.getLogger("vault.bridge")

RETRY_FIRST = 0.5
RETRY_MAX = 10.0
QUIET_TIMEOUT = 1.0  # how long a read waits on a silent line: wakeups stay rare when idle
READ_SIZE = 1 << 16  # take all a port holds in one read (a pty hands over at most 4 KiB)
WRITE_WAIT = 1.0  # how often a write blocked by a device that reads nothing checks for stop


class StationPort(Protocol):
    """What the bridge needs to know of a station: its name, its port and how it speaks.

    Any object with these attributes will do (vault's StationConfig has them), so this package
    needs no configuration type of its own."""

    @property
    def id(self) -> str: ...
    @property
    def port(self) -> str: ...
    @property
    def baud(self) -> int: ...
    @property
    def protocol(self) -> str: ...
    @property
    def options(self) -> dict: ...
    @property
    def heartbeat(self) -> float: ...
    @property
    def repeat_window(self) -> float: ...


@dataclass(frozen=True)
class StationRead:
    station_id: str
    code: str
    raw: bytes
    at: datetime  # UTC, naive, taken when the frame completed
    tag: bool = False


Store = Callable[[list[StationRead]], None]  # returns once the reads are durable
StatusHandler = Callable[[str, str, str], None]  # station id, status, detail


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class StationLoop:
    def __init__(
        self,
        station: StationPort,
        store: Store,
        on_status: StatusHandler,
        stop: threading.Event,
        health: StationHealth | None = None,
        last_raw: bytes = b"",
    ) -> None:
        self.station = station
        self.last_raw = last_raw  # the station's last stored read, for `Protocol.resume`
        self.store = store
        self.on_status = on_status
        self.stop = stop
        self.protocol = make_protocol(station.protocol, station.options)
        self.repeats = RepeatFilter(station.repeat_window)
        self.health = health or StationHealth(station.id, station.heartbeat, time.monotonic())

    def run(self) -> None:
        delay = RETRY_FIRST
        last_problem = ""
        while not self.stop.is_set():
            try:
                port = serial.Serial(self.station.port, self.station.baud, timeout=QUIET_TIMEOUT)
            except (serial.SerialException, OSError, ValueError) as e:
                problem = _reason(e)
                if problem != last_problem:
                    log.error(
                        "station %s: cannot open port %s: %s; retrying",
                        self.station.id,
                        self.station.port,
                        problem,
                    )
                    self.on_status(self.station.id, "disconnected", f"cannot open: {problem}")
                    self.health.closed(time.monotonic(), f"cannot open: {problem}")
                    last_problem = problem
                self.stop.wait(delay)
                delay = min(delay * 2, RETRY_MAX)
                continue
            delay, last_problem = RETRY_FIRST, ""
            self._read_until_lost(port)

    def _read_until_lost(self, port: serial.Serial) -> None:
        log.info("station %s: listening on %s", self.station.id, self.station.port)
        self.on_status(self.station.id, "connected", self.station.port)
        self.health.opened(time.monotonic(), self.station.port)
        self.protocol.reset()
        self.protocol.resume(self.last_raw)
        try:
            line = PolledPort(port, self.stop)
            line.write(self.protocol.opening())
            self._serve(line)
        except (serial.SerialException, OSError) as e:
            log.error("station %s: port %s lost: %s", self.station.id, self.station.port, e)
            self.on_status(self.station.id, "disconnected", f"lost: {_reason(e)}")
            self.health.closed(time.monotonic(), f"lost: {_reason(e)}")
        finally:
            port.close()

    def _serve(self, line: PolledPort) -> None:
        gap = self.protocol.idle_gap
        interval = self.protocol.poll_interval
        next_poll = time.monotonic()
        timeout = QUIET_TIMEOUT
        while not self.stop.is_set():
            if interval:
                now = time.monotonic()
                if now >= next_poll:
                    line.write(self.protocol.poll())
                    next_poll = now + interval
                timeout = max(0.0, min(timeout or QUIET_TIMEOUT, next_poll - now))
            data = line.read(timeout)
            if data:
                self.health.heard(time.monotonic())
                frames = self.protocol.feed(data)
                timeout = gap if gap else QUIET_TIMEOUT  # wake to close an unended record
            else:
                frames = self.protocol.idle() if gap else []
                timeout = QUIET_TIMEOUT
            if frames:
                self._keep(frames)
            line.write(self.protocol.replies())

    def _keep(self, frames: list[Frame]) -> None:
        """Store the new reads; only then may the device be answered."""
        at, now = utc_now(), time.monotonic()
        first = self.repeats.first_sighting
        reads = [
            StationRead(self.station.id, f.code, f.raw, at, f.tag)
            for f in frames
            if not f.heartbeat and (not f.tag or first(self.station.id, f.code, now))
        ]
        if reads:
            self._store(reads)
            self.last_raw = reads[-1].raw
        self.health.counted(len(frames), len(reads), self.protocol.rejected, self.protocol.lost, at)

    def _store(self, reads: list[StationRead]) -> None:
        """Keep trying: a read the device was not answered for is still only in our hands."""
        while True:
            try:
                self.store(reads)
                return
            except OSError as e:
                log.error("station %s: cannot store %d read(s): %s", self.station.id, len(reads), e)
                if self.stop.wait(1.0):
                    raise


class PolledPort:
    """An open port's descriptor, waited on with poll(2) rather than through pyserial.

    pyserial's read() and write() wait in select(2), which raises ValueError for descriptors
    numbered 1024 and up. pyserial holds five per port, so a bridge with about two hundred
    stations has such ports, and their threads died. Reading all that has arrived in one call
    also saves pyserial's in_waiting ioctl and select per read, and a timeout passed per call
    saves the termios reconfiguration pyserial does whenever its `timeout` is changed."""

    def __init__(self, port: serial.Serial, stop: threading.Event) -> None:
        self.fd = port.fileno()
        self.stop = stop
        self._readable, self._writable = select.poll(), select.poll()
        self._readable.register(self.fd, select.POLLIN)
        self._writable.register(self.fd, select.POLLOUT)

    def read(self, timeout: float) -> bytes:
        """What has arrived, waiting up to `timeout` seconds for the first byte; b"" if none."""
        if not self._readable.poll(timeout * 1000):
            return b""
        try:
            data = os.read(self.fd, READ_SIZE)
        except BlockingIOError:
            return b""
        if not data:  # readable yet empty: the device went away (as pyserial reports it)
            raise serial.SerialException("device reports readiness to read but returned no data")
        return data

    def write(self, data: bytes) -> None:
        """All of `data`, waiting for room as long as the device needs, unless the bridge stops
        (as pyserial's write with no write timeout does)."""
        view = memoryview(data)
        while view and not self.stop.is_set():
            try:
                view = view[os.write(self.fd, view) :]
            except BlockingIOError:
                self._writable.poll(WRITE_WAIT * 1000)


def _reason(error: Exception) -> str:
    text = str(error)
    # pyserial wraps the OS error as "[Errno 2] could not open port …: [Errno 2] No such file…"
    return text.rsplit(": ", 1)[-1] if ": " in text else text


def run_stations(
    stations: Iterable[StationPort],
    store: Store,
    on_status: StatusHandler,
    stop: threading.Event,
    health: dict[str, StationHealth] | None = None,
    last_raw: dict[str, bytes] | None = None,
) -> list[threading.Thread]:
    """Start one thread per station; they run until `stop` is set. `last_raw`: each station's
    last stored read, from the spool (see `Protocol.resume`)."""
    threads = []
    for station in stations:
        loop = StationLoop(
            station,
            store,
            on_status,
            stop,
            (health or {}).get(station.id),
            (last_raw or {}).get(station.id, b""),
        )
        thread = threading.Thread(target=loop.run, name=f"station-{station.id}", daemon=True)
        thread.start()
        threads.append(thread)
    return threads
