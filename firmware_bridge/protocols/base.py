"""What every protocol driver gives back, the interface the station loop relies on, and the
bookkeeping the drivers share.

A driver is fed raw bytes and returns the reads they complete. It owns no port, clock or
database: the station loop tells it when the line has gone quiet (`idle`), asks it what to
write to the device (`opening`, `poll`, `replies`) and writes those bytes itself, so a test can
drive every path with plain bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from typing import Protocol as Interface

from firmware_bridge.protocols.options import Converter


@dataclass(frozen=True, slots=True)
class Frame:
    """One decoded frame: a read, or a keep-alive from a reader that sends them.

    `code` is the barcode text, or for RFID the tag identity in upper-case hex (EPC for UHF,
    the 10 digits for EM4100); `raw` holds the exact bytes it came from, for the log."""

    code: str
    raw: bytes
    tag: bool = False  # an RFID read rather than a barcode
    heartbeat: bool = False  # the reader is alive; no read
    seq: int | None = None  # sequence number, for readers that number their frames
    device: str | None = None  # the name the reader gives itself
    antenna: int | None = None
    rssi: int | None = None  # signal strength as the reader reports it


class Protocol(Interface):
    """The station loop's view of a driver."""

    rejected: int  # garbled, bad checksum, truncated or oversize input, each counted once
    lost: int  # frames the reader numbered but that never arrived
    last_error: str  # why the last input was rejected, for the log
    idle_gap: float | None  # seconds of quiet after which the loop calls idle(); None: never
    poll_interval: float | None  # seconds between poll() calls; None: never

    def feed(self, data: bytes) -> list[Frame]:
        """Take the next bytes from the port; return the frames they complete."""
        ...

    def idle(self) -> list[Frame]:
        """The line has been quiet for `idle_gap`: end or drop what is half received."""
        ...

    def replies(self) -> bytes:
        """Bytes to write back (acknowledgements), once the frames are safely stored."""
        ...

    def opening(self) -> bytes:
        """Bytes to write when the port has just been opened."""
        ...

    def poll(self) -> bytes:
        """Bytes to write every `poll_interval`, for readers that answer only when asked."""
        ...

    def reset(self) -> None:
        """Forget a partial frame (the port was closed or reopened)."""
        ...

    def resume(self, raw: bytes) -> None:
        """After `reset`: the raw bytes of the station's last stored read, so a device that
        retransmits an unanswered read (SSI) is not stored twice across a restart."""
        ...


class Driver:
    """Counters and no-op defaults, so each driver only writes what its device needs."""

    OPTIONS: ClassVar[dict[str, Converter]] = {}
    idle_gap: float | None = None
    poll_interval: float | None = None

    def __init__(self) -> None:
        self.rejected = 0
        self.lost = 0
        self.last_error = ""
        self._replies = bytearray()

    def feed(self, data: bytes) -> list[Frame]:
        raise NotImplementedError

    def idle(self) -> list[Frame]:
        return []

    def replies(self) -> bytes:
        out = bytes(self._replies)
        self._replies.clear()
        return out

    def opening(self) -> bytes:
        return b""

    def poll(self) -> bytes:
        return b""

    def reset(self) -> None:
        self._replies.clear()

    def resume(self, raw: bytes) -> None:
        pass

    def _reject(self, reason: str) -> None:
        self.rejected += 1
        self.last_error = reason
