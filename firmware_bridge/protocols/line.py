"""Barcode scanners in serial mode: one code per line, ended by CR, LF or CRLF.

A line that is too long (no terminator ever came, or noise on the wire) or holds control or
non-ASCII bytes is not a code that Vault printed: it is counted as rejected and dropped, never
passed on as a read.
"""

from __future__ import annotations

from firmware_bridge.protocols.base import Frame

MAX_LINE = 128
TERMINATORS = b"\r\n"


class LineProtocol:
    def __init__(self, max_line: int = MAX_LINE) -> None:
        self.max_line = max_line
        self.rejected = 0
        self._buffer = bytearray()
        self._overflow = False

    def feed(self, data: bytes) -> list[Frame]:
        frames: list[Frame] = []
        for byte in data:
            if byte in TERMINATORS:
                frame = self._end_line()
                if frame is not None:
                    frames.append(frame)
            elif len(self._buffer) >= self.max_line:
                self._overflow = True
            else:
                self._buffer.append(byte)
        return frames

    def reset(self) -> None:
        self._buffer.clear()
        self._overflow = False

    def _end_line(self) -> Frame | None:
        raw = bytes(self._buffer)
        overflow = self._overflow
        self.reset()
        if not raw and not overflow:
            return None  # the LF of a CRLF, or a blank line
        text = raw.strip(b" \t")
        if overflow or not text or not all(0x21 <= b <= 0x7E for b in text):
            self.rejected += 1
            return None
        return Frame(text.decode("ascii"), raw)
