"""The loop that owns one station's serial port: open, read, decode, hand on, reopen.

A port that cannot be opened (unplugged scanner, wrong name) is reported once per change with
the station and the port named, then retried with a growing pause; the other stations are not
affected because each runs in its own thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import serial

from firmware_bridge.protocols import Frame, make_protocol

log = logging.getLogger("vault.bridge")

RETRY_FIRST = 0.5
RETRY_MAX = 10.0


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


@dataclass(frozen=True)
class StationRead:
    station_id: str
    code: str
    raw: bytes
    at: datetime  # UTC, naive, taken when the frame completed


ReadHandler = Callable[[StationRead], None]
StatusHandler = Callable[[str, str, str], None]  # station id, status, detail


class StationLoop:
    def __init__(
        self,
        station: StationPort,
        on_read: ReadHandler,
        on_status: StatusHandler,
        stop: threading.Event,
    ) -> None:
        self.station = station
        self.on_read = on_read
        self.on_status = on_status
        self.stop = stop
        self.protocol = make_protocol(station.protocol)

    def run(self) -> None:
        delay = RETRY_FIRST
        last_problem = ""
        while not self.stop.is_set():
            try:
                port = serial.Serial(self.station.port, self.station.baud, timeout=0.2)
            except (serial.SerialException, OSError) as e:
                problem = _reason(e)
                if problem != last_problem:
                    log.error(
                        "station %s: cannot open port %s: %s; retrying",
                        self.station.id,
                        self.station.port,
                        problem,
                    )
                    self.on_status(self.station.id, "disconnected", f"cannot open: {problem}")
                    last_problem = problem
                self.stop.wait(delay)
                delay = min(delay * 2, RETRY_MAX)
                continue
            delay, last_problem = RETRY_FIRST, ""
            self._read_until_lost(port)

    def _read_until_lost(self, port: serial.Serial) -> None:
        log.info("station %s: listening on %s", self.station.id, self.station.port)
        self.on_status(self.station.id, "connected", self.station.port)
        self.protocol.reset()
        try:
            while not self.stop.is_set():
                data = port.read(max(1, port.in_waiting))
                if data:
                    self._deliver(self.protocol.feed(data))
        except (serial.SerialException, OSError) as e:
            log.error("station %s: port %s lost: %s", self.station.id, self.station.port, e)
            self.on_status(self.station.id, "disconnected", f"lost: {_reason(e)}")
        finally:
            port.close()

    def _deliver(self, frames: list[Frame]) -> None:
        at = datetime.now(UTC).replace(tzinfo=None)
        for frame in frames:
            try:
                self.on_read(StationRead(self.station.id, frame.code, frame.raw, at))
            except Exception:  # noqa: BLE001 - one bad read must not stop the station
                log.exception(
                    "station %s: read %r (raw %r) could not be handed on",
                    self.station.id,
                    frame.code,
                    frame.raw,
                )


def _reason(error: Exception) -> str:
    text = str(error)
    # pyserial wraps the OS error as "[Errno 2] could not open port …: [Errno 2] No such file…"
    return text.rsplit(": ", 1)[-1] if ": " in text else text


def run_stations(
    stations: Iterable[StationPort],
    on_read: ReadHandler,
    on_status: StatusHandler,
    stop: threading.Event,
) -> list[threading.Thread]:
    """Start one thread per station; they run until `stop` is set."""
    threads = []
    for station in stations:
        loop = StationLoop(station, on_read, on_status, stop)
        thread = threading.Thread(target=loop.run, name=f"station-{station.id}", daemon=True)
        thread.start()
        threads.append(thread)
    return threads
