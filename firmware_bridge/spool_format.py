"""The spool's record format: how one read is laid out on disk, and how a segment is walked.

Kept apart from `firmware_bridge.spool` (which owns files, locking, fsync and the checkpoint)
so the byte layout can be read on its own. The layout is described in that module's docstring.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

MAGIC = b"VSR1"
HEADER = struct.Struct("<4sII")
FIELDS = struct.Struct("<qBHHHI")
MAX_PAYLOAD = 1 << 24
CHUNK = 1 << 20
EPOCH, MICROSECOND = datetime(1970, 1, 1), timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class SpoolRecord:
    station: str
    code: str
    raw: bytes
    at: datetime  # UTC, naive, microseconds kept
    tag: bool
    kind: str = "read"  # "read", "portal_out", "portal_in", ...


@dataclass(frozen=True, slots=True)
class SpoolEntry:
    """A record as stored: `id` is its event id; segment/offset/end say where it lies."""

    id: str
    record: SpoolRecord
    segment: int
    offset: int
    end: int


def encode(record: SpoolRecord) -> bytes:
    if record.at.tzinfo is not None:
        raise ValueError("spool times are naive UTC")
    station, code, kind = record.station.encode(), record.code.encode(), record.kind.encode()
    head = (record.at - EPOCH) // MICROSECOND, record.tag, len(station), len(code), len(kind)
    payload = b"".join((FIELDS.pack(*head, len(record.raw)), station, code, kind, record.raw))
    if len(payload) > MAX_PAYLOAD:
        raise ValueError(f"read from {record.station} too large for the spool")
    return HEADER.pack(MAGIC, len(payload), zlib.crc32(payload)) + payload


def decode(payload: bytes) -> SpoolRecord:
    micros, flags, *sizes = FIELDS.unpack_from(payload)
    parts, pos = [], FIELDS.size
    for size in sizes:
        parts.append(payload[pos : pos + size])
        pos += size
    station, code, kind = (p.decode() for p in parts[:3])
    return SpoolRecord(station, code, parts[3], EPOCH + micros * MICROSECOND, bool(flags & 1), kind)


class SegmentReader:
    """Walks one segment up to `end`, reading a MiB at a time."""

    def __init__(self, fd: int, end: int) -> None:
        self.fd, self.end, self.base, self.buf = fd, end, 0, b""

    def get(self, pos: int, n: int) -> bytes | None:
        if pos + n > self.end:
            return None
        start = pos - self.base
        if start < 0 or start + n > len(self.buf):
            self.base, start = pos, 0
            self.buf = os.pread(self.fd, min(max(n, CHUNK), self.end - pos), pos)
            if len(self.buf) < n:
                return None
        return self.buf[start : start + n]

    def record_at(self, pos: int) -> tuple[int, bytes] | None:
        head = self.get(pos, HEADER.size)
        if head is None:
            return None
        magic, length, crc = HEADER.unpack(head)
        if magic != MAGIC or not 0 < length <= MAX_PAYLOAD:
            return None
        payload = self.get(pos + HEADER.size, length)
        if payload is None or zlib.crc32(payload) != crc:
            return None
        return pos + HEADER.size + length, payload

    def next_sound(self, pos: int) -> int:
        """Where the first sound record after damage at `pos` starts (or the end)."""
        candidate = pos + 1
        while candidate < self.end:
            block = self.get(candidate, min(CHUNK, self.end - candidate)) or b""
            found = block.find(MAGIC)
            if found < 0:
                candidate += max(1, len(block) - len(MAGIC) + 1)
            elif self.record_at(candidate + found):
                return candidate + found
            else:
                candidate += found + 1
        return self.end

    def walk(self, pos: int) -> Iterator[tuple[int, int, bytes | None]]:
        """(start, end, payload) per record from `pos`; payload None marks a damaged range."""
        while pos < self.end:
            found = self.record_at(pos)
            if found is None:
                resume = self.next_sound(pos)
                yield pos, resume, None
                pos = resume
            else:
                yield pos, found[0], found[1]
                pos = found[0]
