"""Simulated devices on pseudo-terminals: the bytes a real scanner writes, on a real tty.

Each simulated device opens a pseudo-terminal and, when asked, links the station's configured
port name to it, so the bridge opens it with pyserial exactly as it would open a USB scanner.
A scenario is a list of steps "after N seconds, station S reads code C".
"""

from __future__ import annotations

import contextlib
import os
import pty
import time
import tty
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path


class ScenarioError(ValueError):
    """A scenario file line that cannot be understood."""


@dataclass(frozen=True)
class Step:
    after: float  # seconds after the previous step
    station_id: str
    code: str


class SimulatedScanner:
    """A serial barcode scanner: writes each code followed by the configured terminator."""

    def __init__(self, station_id: str, terminator: bytes = b"\r\n") -> None:
        self.station_id = station_id
        self.terminator = terminator
        self.master, self.slave = pty.openpty()
        tty.setraw(self.slave)
        self.device = os.ttyname(self.slave)
        self.link: Path | None = None

    def link_to(self, path: str | os.PathLike) -> None:
        """Point the station's configured port name at this pseudo-terminal."""
        link = Path(path)
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink():
            link.unlink()
        elif link.exists():
            raise FileExistsError(f"{link} exists and is not a link; not replacing a real device")
        link.symlink_to(self.device)
        self.link = link

    def scan(self, code: str) -> None:
        self.write(code.encode("ascii") + self.terminator)

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def close(self) -> None:
        if self.link is not None and self.link.is_symlink():
            self.link.unlink()
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)


def parse_scenario(lines: Iterable[str]) -> list[Step]:
    """Lines of `SECONDS STATION CODE`; blank lines and `#` comments are skipped."""
    steps = []
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        parts = text.split()
        if len(parts) != 3:
            raise ScenarioError(f"line {number}: expected SECONDS STATION CODE, got {line!r}")
        try:
            after = float(parts[0])
        except ValueError:
            raise ScenarioError(f"line {number}: {parts[0]!r} is not a number of seconds") from None
        steps.append(Step(after, parts[1], parts[2]))
    return steps


def play(
    steps: list[Step],
    scanners: dict[str, SimulatedScanner],
    say: Callable[[str], None] = print,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    for step in steps:
        scanner = scanners.get(step.station_id)
        if scanner is None:
            raise ScenarioError(f"the scenario names station {step.station_id!r}, not configured")
        sleep(step.after)
        scanner.scan(step.code)
        say(f"simulated scan: {step.code} at {step.station_id}")
