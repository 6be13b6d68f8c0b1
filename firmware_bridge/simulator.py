"""Simulated devices on pseudo-terminals: the bytes real scanners and readers write, on a tty.

Each simulated device opens a pseudo-terminal and links the station's configured port name to
it, so the bridge opens it with pyserial exactly as it would open a USB scanner. The device side
of each protocol (`firmware_bridge.devices`) supplies the bytes, and what the device answers to
the bridge's commands (Chafon inventories, SSI acknowledgements) is answered from a thread.

A scenario is a list of steps "after N seconds, at station S, do X":

    0.5  door-1  WC-TJ-2002-0137          a read (barcode, or tag id for an RFID reader)
    0.2  exit-1  !repeat E2801160... 20   a tag reported 20 times while in the field
    0.1  exit-1  !noise 40                40 random bytes on the line
    0.1  exit-1  !badcrc WC-TJ-2002-0137  a frame with a wrong checksum
    0.1  exit-1  !truncated WC-TJ-...     the first half of a frame, then nothing
    1    door-1  !unplug 3                the port vanishes for 3 s, then comes back (new tty)
    1    gate-1  !silent 12               a heartbeat device sends nothing for 12 s
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import threading
import time
import tty
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from firmware_bridge.devices import make_device
from firmware_bridge.devices.faults import bad_checksum, noise, truncated

FAULTS = ("!repeat", "!noise", "!badcrc", "!truncated", "!unplug", "!silent")


class ScenarioError(ValueError):
    """A scenario file line that cannot be understood."""


@dataclass(frozen=True)
class Step:
    after: float  # seconds after the previous step
    station_id: str
    code: str  # the code read, or a fault ("!noise") whose arguments are in `args`
    args: tuple[str, ...] = ()


class SimulatedDevice:
    """One station's device on a pseudo-terminal; answers the bridge's commands."""

    def __init__(
        self, station_id: str, protocol: str = "scanner", heartbeat: float = 0.0, **settings
    ) -> None:
        self.station_id = station_id
        self.protocol = protocol
        self.device = make_device(protocol, **settings)
        self.heartbeat = heartbeat
        self.link: Path | None = None
        self._lock = threading.Lock()
        self._quiet_until = 0.0
        self._closed = threading.Event()
        self._open_pty()
        self._thread = threading.Thread(target=self._serve, daemon=True, name=f"sim-{station_id}")
        self._thread.start()

    def _open_pty(self) -> None:
        self.master, self.slave = pty.openpty()
        tty.setraw(self.slave)
        self.device_path = os.ttyname(self.slave)

    def link_to(self, path: str | os.PathLike) -> None:
        """Point the station's configured port name at this pseudo-terminal."""
        link = Path(path)
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink():
            link.unlink()
        elif link.exists():
            raise FileExistsError(f"{link} exists and is not a link; not replacing a real device")
        link.symlink_to(self.device_path)
        self.link = link

    def scan(self, code: str) -> None:
        self.write(self.device.read(code))

    def write(self, data: bytes) -> None:
        with self._lock:
            if data and self.master >= 0:
                os.write(self.master, data)

    def fault(self, name: str, args: tuple[str, ...]) -> None:
        if name == "!repeat":
            count = int(args[1]) if len(args) > 1 else 10
            for _ in range(count):  # a tag in the field, reported as the reader reports it
                self.scan(args[0])
                time.sleep(0.02)
        elif name == "!noise":
            self.write(noise(int(args[0]) if args else 32, seed=int(time.time())))
        elif name == "!badcrc":
            self.write(bad_checksum(self.protocol, self.device.read(args[0])))
        elif name == "!truncated":
            self.write(truncated(self.device.read(args[0])))
        elif name == "!unplug":
            self.unplug(float(args[0]) if args else 2.0)
        elif name == "!silent":
            self._quiet_until = time.monotonic() + (float(args[0]) if args else 10.0)

    def unplug(self, seconds: float) -> None:
        """The port vanishes (the bridge's reads fail), then a new tty appears under the name."""
        with self._lock:
            self._close_pty()
            if self.link is not None and self.link.is_symlink():
                self.link.unlink()
        time.sleep(seconds)
        with self._lock:
            self._open_pty()
            if self.link is not None:
                self.link.symlink_to(self.device_path)

    def _serve(self) -> None:
        """Answer what the bridge writes; send heartbeats when the device has them."""
        next_beat = time.monotonic() + self.heartbeat
        while not self._closed.is_set():
            master = self.master
            try:
                ready, _, _ = select.select([master], [], [], 0.05) if master >= 0 else ([], 0, 0)
                host = os.read(master, 4096) if ready else b""
            except OSError:
                host = b""
                time.sleep(0.05)  # unplugged: nothing to answer until it is back
            if host:
                self.write(self.device.answer(host))
            now = time.monotonic()
            if self.heartbeat and now >= next_beat:
                next_beat = now + self.heartbeat
                if now >= self._quiet_until:
                    with contextlib.suppress(OSError):
                        self.write(self.device.heartbeat())

    def _close_pty(self) -> None:
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.master = self.slave = -1

    def close(self) -> None:
        self._closed.set()
        self._thread.join(timeout=1)
        if self.link is not None and self.link.is_symlink():
            self.link.unlink()
        with self._lock:
            self._close_pty()


SimulatedScanner = SimulatedDevice  # the name the first simulator had

_TERMINATORS = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n", "ETX": b"\x03", "none": b""}


def for_station(station) -> SimulatedDevice:
    """The simulated device a configured station expects (its protocol, as it is set up)."""
    options = dict(getattr(station, "options", {}) or {})
    settings: dict[str, object] = {}
    if station.protocol in ("scanner", "line"):
        settings["terminator"] = _TERMINATORS.get(str(options.get("terminator")), b"\r\n")
        for key in ("prefix", "suffix"):
            if options.get(key):
                settings[key] = str(options[key]).encode("ascii")
    elif station.protocol == "vault":
        settings["device"] = str(options.get("device", station.id))
        beat = getattr(station, "heartbeat", 0.0) or 10.0
        settings["heartbeat_s"] = max(1, int(beat / 2))
    elif station.protocol == "chafon" and options.get("variant"):
        settings["variant"] = str(options["variant"])
    beat = float(settings.get("heartbeat_s", 0))
    return SimulatedDevice(station.id, station.protocol, heartbeat=beat, **settings)


def parse_scenario(lines: Iterable[str]) -> list[Step]:
    """Lines of `SECONDS STATION CODE` or `SECONDS STATION !FAULT ARGS…`; `#` comments."""
    steps = []
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        parts = text.split()
        if len(parts) < 3 or (len(parts) > 3 and not parts[2].startswith("!")):
            raise ScenarioError(f"line {number}: expected SECONDS STATION CODE, got {line!r}")
        try:
            after = float(parts[0])
        except ValueError:
            raise ScenarioError(f"line {number}: {parts[0]!r} is not a number of seconds") from None
        if parts[2].startswith("!") and parts[2] not in FAULTS:
            raise ScenarioError(f"line {number}: unknown fault {parts[2]}; known: {FAULTS}")
        steps.append(Step(after, parts[1], parts[2], tuple(parts[3:])))
    return steps


def play(
    steps: list[Step],
    devices: dict[str, SimulatedDevice],
    say: Callable[[str], None] = print,
    sleep: Callable[[float], object] = time.sleep,
) -> None:
    for step in steps:
        device = devices.get(step.station_id)
        if device is None:
            raise ScenarioError(f"the scenario names station {step.station_id!r}, not configured")
        sleep(step.after)
        if step.code.startswith("!"):
            device.fault(step.code, step.args)
            say(f"simulated {step.code[1:]} {' '.join(step.args)} at {step.station_id}")
        else:
            device.scan(step.code)
            say(f"simulated read: {step.code} at {step.station_id}")
