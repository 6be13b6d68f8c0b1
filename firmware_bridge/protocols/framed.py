"""The scanning loop shared by the binary readers (SSI, EM4100, Chafon, M100).

Each of them sends frames whose size is known from the first bytes. The loop asks the driver
what sits at the current position: a whole good frame, the start of one still arriving, a
frame that fails its checks, or a byte that cannot start a frame. Anything that is not a good
frame is stepped over one possible start at a time, so a good frame hidden behind noise or
behind a broken frame is still found. Each fault is counted once: a run of noise, or one
broken frame however many of its bytes get searched again.
"""

from __future__ import annotations

from firmware_bridge.protocols.base import Driver, Frame
from firmware_bridge.protocols.options import seconds

OK, MORE, NOISE, BAD = 0, 1, 2, 3
IDLE_GAP = 0.1  # a UART at 9600 baud plus a USB adapter's latency timer stays well below this


class FramedDriver(Driver):
    OPTIONS = {"idle_gap": seconds(0.0, 10.0)}
    idle_gap: float | None = IDLE_GAP

    def __init__(self, idle_gap: float | None = None) -> None:
        super().__init__()
        if idle_gap is not None:
            self.idle_gap = idle_gap
        self._buffer = bytearray()
        self._base = 0  # stream position of the buffer's first byte
        self._noise_end = -1  # stream position where the last run of noise ends
        self._broken_end = -1  # stream position where the last counted broken frame ends
        self._why = ""  # set by _measure when it returns BAD

    def feed(self, data: bytes) -> list[Frame]:
        self._buffer += data
        return self._scan(final=False)

    def idle(self) -> list[Frame]:
        """Nothing more is coming for now: a frame still waiting for bytes never will."""
        return self._scan(final=True) if self._buffer else []

    def reset(self) -> None:
        super().reset()
        self._base += len(self._buffer)
        self._buffer.clear()

    def _scan(self, final: bool) -> list[Frame]:
        buf = self._buffer
        end = len(buf)
        pos = 0
        frames: list[Frame] = []
        measure = self._measure
        while pos < end:
            verdict, size = measure(buf, pos, end)
            if verdict == OK:
                self._handle(bytes(buf[pos : pos + size]), frames)
                pos += size
                continue
            if verdict == MORE:
                if not final:
                    break
                self._broken(pos, end, "frame cut short: the line went quiet before its end")
            elif verdict == BAD:
                self._broken(pos, pos + size, self._why)
            after = self._next_start(buf, pos + 1, end)
            self._noise(pos if verdict == NOISE else pos + 1, after)
            pos = after
        del buf[:pos]
        self._base += pos
        return frames

    def _noise(self, start: int, stop: int) -> None:
        """Bytes that cannot start a frame: one count for a run of them, none inside a broken
        frame already counted."""
        start = max(self._base + start, self._broken_end)
        stop = self._base + stop
        if stop > start:
            if start != self._noise_end:
                self._reject(f"{stop - start} byte(s) of noise between frames")
            self._noise_end = stop

    def _broken(self, start: int, stop: int, reason: str) -> None:
        """A frame that failed its checks or never ended; its own bytes are not counted again
        as they are searched for a frame hidden inside."""
        start, stop = self._base + start, self._base + stop
        if start >= self._broken_end:
            self._reject(reason)
            self._on_broken()
            self._broken_end = stop

    def _on_broken(self) -> None:
        """Hook: a broken frame was counted (SSI answers it with a NAK)."""

    def _next_start(self, buf: bytearray, pos: int, end: int) -> int:
        """Where the next frame could start; drivers with a start byte jump straight to it."""
        return pos

    def _measure(self, buf: bytearray, pos: int, end: int) -> tuple[int, int]:
        """(OK, size) | (MORE, 0) | (NOISE, 0) | (BAD, size) for the bytes at `pos`."""
        raise NotImplementedError

    def _handle(self, raw: bytes, frames: list[Frame]) -> None:
        """Decode one frame that passed its checks; append the reads it carries."""
        raise NotImplementedError
