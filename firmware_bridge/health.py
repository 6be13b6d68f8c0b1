"""Is each station alive, and what has it done: the figures `vault bridge status` shows.

A station is offline when its port has been gone for longer than a short grace (a scanner
unplugged to move it is back in seconds), or, for a device that sends heartbeats, when nothing
at all has been heard from it for longer than its heartbeat period. Barcode scanners send
nothing between scans, so for them only the port counts. A station that is offline comes back
the moment it is heard again.

Times are `time.monotonic()` seconds passed in by the caller, so the rules can be checked with
any clock and a changed wall clock cannot fake silence.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

PORT_GRACE = 10.0  # seconds a port may be missing before the station counts as offline


@dataclass(frozen=True)
class Snapshot:
    station: str
    connected: bool
    offline: bool
    frames: int  # every frame decoded, repeats and heartbeats included
    reads: int
    rejected: int
    lost: int
    last_read_at: datetime | None  # UTC, naive
    detail: str


class StationHealth:
    """One station's counters and liveness; updated by its loop, read by the monitor."""

    def __init__(self, station: str, heartbeat: float, now: float) -> None:
        self.station = station
        self.heartbeat = heartbeat
        self._lock = threading.Lock()
        self._connected = False
        self._changed_at = now
        self._heard_at = now
        self._offline = False
        self._detail = "not opened yet"
        self.frames = self.reads = self.rejected = self.lost = 0
        self.last_read_at: datetime | None = None

    def opened(self, now: float, detail: str) -> None:
        with self._lock:
            self._connected, self._changed_at, self._heard_at = True, now, now
            self._detail = detail

    def closed(self, now: float, detail: str) -> None:
        with self._lock:
            if self._connected:
                self._changed_at = now
            self._connected = False
            self._detail = detail

    def heard(self, now: float) -> None:
        self._heard_at = now  # a float store: atomic, no lock on the hot path

    def counted(
        self, frames: int, reads: int, rejected: int, lost: int, at: datetime | None
    ) -> None:
        with self._lock:
            self.frames += frames
            self.reads += reads
            self.rejected, self.lost = rejected, lost
            if reads:
                self.last_read_at = at

    def check(self, now: float) -> str | None:
        """'offline' or 'online' when the station just changed, else None."""
        with self._lock:
            reason = self._silence(now)
            if reason and not self._offline:
                self._offline, self._detail = True, reason
                return "offline"
            if not reason and self._offline:
                self._offline, self._detail = False, "answering again"
                return "online"
            return None

    def _silence(self, now: float) -> str:
        if not self._connected:
            if now - self._changed_at >= PORT_GRACE:
                return f"port unavailable for {now - self._changed_at:.0f} s: {self._detail}"
            return ""
        quiet = now - self._heard_at
        if self.heartbeat and quiet >= self.heartbeat:
            return f"silent for {quiet:.0f} s (heartbeat expected every {self.heartbeat:g} s)"
        return ""

    def snapshot(self) -> Snapshot:
        with self._lock:
            return Snapshot(
                self.station,
                self._connected,
                self._offline,
                self.frames,
                self.reads,
                self.rejected,
                self.lost,
                self.last_read_at,
                self._detail,
            )
