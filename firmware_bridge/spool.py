"""The bridge's local spool: every decoded read is written here and fsynced before it is
acknowledged to the device or forwarded to the database, so neither `kill -9` nor a database
outage loses a read.

Flow: station threads -> `append` (one fsync per batch, shared by concurrent callers) ->
acknowledge the device; one forwarder thread -> `pending` -> database commit -> `forwarded`.
Each entry's id is the custody event's event id, so a read forwarded again after a crash
(committed, but killed before the checkpoint) is stored once.

On-disk format (one directory per spool, opened by one process at a time; integers
little-endian):

  spool.id     the spool's uuid, 32 hex digits; written once, part of every id
  last.json    each station's last stored read (raw bytes, hex), as of this run's start: a
               scanner that was not answered before a crash sends that read again, marked as a
               retransmission, and the restarted bridge must know it already has it
  lock         held with flock(2) while a process has the spool open
  checkpoint   two 32-byte slots written alternately, so a torn write leaves the other intact:
               b"VCK1" | counter u64 | segment u64 | offset u64 | crc32 of the 28 bytes before;
               the sound slot with the higher counter is the first record not yet forwarded
  NNNNNNNNNN.seg  segments numbered from 1, never renumbered; records back to back:
               b"VSR1" | payload length u32 | crc32(payload) u32 | payload
               payload: at i64 (microseconds since 1970-01-01, UTC) | flags u8 (1 = RFID tag) |
               station, code, kind lengths u16 each | raw length u32 |
               station, code, kind (UTF-8) | raw (the device's bytes as received)

An id is "<spool uuid>-<segment>-<offset of the record>". Every open starts a new segment, so
no offset is ever written twice and no id is ever given to two reads. A bad record at the end
of the last segment is a write the bridge did not finish (never acknowledged): it is cut off
on reopen. A bad record with sound records after it is disk damage: it is logged and skipped,
the records after it are kept (the magic lets the reader find the next record).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import struct
import threading
import uuid
import zlib
from collections.abc import Sequence
from pathlib import Path

from firmware_bridge.spool_format import (
    SegmentReader,
    SpoolEntry,
    SpoolRecord,
    decode,
    encode,
)

log = logging.getLogger("vault.bridge.spool")

CHECK_MAGIC = b"VCK1"
SLOT = struct.Struct("<4sQQQ")


class SpoolError(Exception):
    """The spool cannot keep its promise (disk failure, directory in use, identity missing):
    reads must not be acknowledged to the device until someone resolves it."""


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Spool:
    """Append from any thread; `pending`/`forwarded` from one forwarder thread."""

    def __init__(self, directory: Path, segment_bytes: int = 64 << 20) -> None:
        self.directory, self.segment_bytes = Path(directory), segment_bytes
        self._lock, self._read_lock = threading.Lock(), threading.Lock()
        self._synced, self._ready = threading.Condition(self._lock), threading.Condition(self._lock)
        self._sizes: dict[int, int] = {}  # segment -> bytes known durable
        self._readers: dict[int, int] = {}
        self._damage: set[tuple[int, int]] = set()
        self._closed, self._broken, self._syncing = False, "", False
        self._wseq = self._synced_seq = self._wrecords = self._synced_records = 0
        self._backlog = self._counter = 0
        self._fds: list[int] = []
        if not self.directory.is_dir():
            self.directory.mkdir(parents=True)
            _fsync_dir(self.directory.parent)
        try:
            self._fds.append(self._take_lock())
            self._uuid = self._identity()
            self._checkpoint_fd = os.open(self.directory / "checkpoint", os.O_RDWR | os.O_CREAT)
            self._fds.append(self._checkpoint_fd)
            self._recover()
        except BaseException:
            self._release()
            raise

    def _take_lock(self) -> int:
        fd = os.open(self.directory / "lock", os.O_RDWR | os.O_CREAT)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise SpoolError(f"spool {self.directory} is open in another process") from None
        return fd

    def _identity(self) -> str:
        path = self.directory / "spool.id"
        if path.exists():
            ident = path.read_text().strip()
            if len(ident) != 32 or not all(c in "0123456789abcdef" for c in ident):
                raise SpoolError(f"{path} is damaged; restore it before starting the bridge")
            return ident
        if any(self.directory.glob("*.seg")):
            raise SpoolError(f"{path} is missing but the spool holds reads; restore it")
        ident, temporary = uuid.uuid4().hex, path.with_suffix(".tmp")
        with open(temporary, "w") as out:
            out.write(ident + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
        _fsync_dir(self.directory)
        return ident

    def _recover(self) -> None:
        """Find the checkpoint, drop forwarded segments, count and check what is left, cut a
        torn tail, make survivors durable, and start a fresh segment for this run."""
        head_segment, head_offset = self._load_checkpoint()
        numbers = sorted(int(p.stem) for p in self.directory.glob("*.seg") if p.stem.isdigit())
        for number in numbers:
            if number < head_segment:
                self._path(number).unlink()
        live = [n for n in numbers if n >= head_segment]
        for number in live:
            start = head_offset if number == head_segment else 0
            self._backlog += self._scan(number, start, last=number == live[-1])
        self.last_raw = self._last_reads(live)
        self._wfd = -1
        self._open_segment(max([*numbers, head_segment]) + 1)
        self._advance(self._normalise(head_segment, head_offset))  # restarts leave no segments

    def _last_reads(self, segments: list[int]) -> dict[str, bytes]:
        """Each station's last stored read: from last.json (the runs before), then from every
        record still in a segment (forwarded or not; the last run's are all there, since a
        run's own segment is never deleted while it writes). Saved again before this run
        writes anything, so a crash of this run soon after starting still finds them."""
        path, last = self.directory / "last.json", {}
        with contextlib.suppress(OSError, ValueError, AttributeError):
            last = {k: bytes.fromhex(v) for k, v in json.loads(path.read_text()).items()}
        for number in segments:
            with open(self._path(number), "rb") as segment:
                size = self._sizes.get(number, os.fstat(segment.fileno()).st_size)
                for _, _, payload in SegmentReader(segment.fileno(), size).walk(0):
                    if payload is not None:
                        record = decode(payload)
                        last[record.station] = record.raw
        temporary = path.with_suffix(".tmp")
        with open(temporary, "w") as out:
            json.dump({k: v.hex() for k, v in last.items()}, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
        _fsync_dir(self.directory)
        return last

    def _scan(self, number: int, start: int, last: bool) -> int:
        path, count = self._path(number), 0
        with open(path, "rb+") as segment:
            size = end = os.fstat(segment.fileno()).st_size
            for at, resume, payload in SegmentReader(segment.fileno(), size).walk(start):
                if payload is not None:
                    count += 1
                elif last and resume == size:
                    log.warning(
                        "spool %s: segment %s ends with %d bytes of a write the bridge did not "
                        "finish (never acknowledged); cut off",
                        self.directory, path.name, size - at,
                    )  # fmt: skip
                    segment.truncate(at)
                    end = at
                else:
                    self._report(number, at, resume)
            if last:
                os.fsync(segment.fileno())  # complete but unsynced records become durable now
        self._sizes[number] = end
        return count

    def _report(self, number: int, at: int, resume: int) -> None:
        if (number, at) not in self._damage:
            self._damage.add((number, at))
            log.error(
                "spool %s: segment %s is damaged at bytes %d-%d (checksum or framing wrong: a "
                "disk fault); the reads stored there are lost, the reads after them are kept",
                self.directory, self._path(number).name, at, resume,
            )  # fmt: skip

    def _path(self, number: int) -> Path:
        return self.directory / f"{number:010d}.seg"

    def _load_checkpoint(self) -> tuple[int, int]:
        data, best = os.pread(self._checkpoint_fd, 2 * 32, 0), (0, 0, 0)
        for slot in (data[:32], data[32:64]):
            if len(slot) == 32 and zlib.crc32(slot[:28]) == int.from_bytes(slot[28:], "little"):
                magic, counter, segment, offset = SLOT.unpack(slot[:28])
                if magic == CHECK_MAGIC and counter > best[0]:
                    best = (counter, segment, offset)
        self._counter = best[0]
        return best[1], best[2]

    def _write_checkpoint(self, segment: int, offset: int) -> None:
        self._counter += 1
        body = SLOT.pack(CHECK_MAGIC, self._counter, segment, offset)
        slot = body + zlib.crc32(body).to_bytes(4, "little")
        os.pwrite(self._checkpoint_fd, slot, (self._counter % 2) * 32)
        os.fsync(self._checkpoint_fd)

    def _open_segment(self, number: int) -> None:
        fd = os.open(self._path(number), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        _fsync_dir(self.directory)  # the new name must survive a power cut too
        if self._wfd >= 0:
            os.close(self._wfd)
            self._fds.remove(self._wfd)
        self._fds.append(fd)
        self._wfd, self._wsegment, self._woffset = fd, number, 0
        self._sizes[number] = 0

    def _normalise(self, segment: int, offset: int) -> tuple[int, int]:
        """Move a position that sits at the end of a finished segment to the next one."""
        for number in sorted(self._sizes):
            if number > segment:
                segment, offset = number, 0
            if number == segment and (number == self._wsegment or offset < self._sizes[number]):
                break
        return segment, offset

    def append(self, records: Sequence[SpoolRecord]) -> list[SpoolEntry]:
        """Write a batch, fsync it (sharing the fsync with concurrent callers) and return its
        entries; only then may the reads be acknowledged to the device."""
        if not records:
            return []
        frames = [encode(r) for r in records]
        data = b"".join(frames)
        with self._lock:
            self._check_open()
            if self._woffset and self._woffset + len(data) > self.segment_bytes:
                self._roll()
            segment, position = self._wsegment, self._woffset
            self._write(data)
            self._wseq += 1
            self._wrecords += len(records)
            self._sync(self._wseq)
        entries, prefix = [], f"{self._uuid}-{segment}-"
        for record, frame in zip(records, frames, strict=True):
            end = position + len(frame)
            entries.append(SpoolEntry(f"{prefix}{position}", record, segment, position, end))
            position = end
        return entries

    def _write(self, data: bytes) -> None:
        view, done = memoryview(data), 0
        try:
            while done < len(data):
                done += os.pwrite(self._wfd, view[done:], self._woffset + done)
        except OSError as e:
            raise SpoolError(f"cannot write to spool {self.directory}: {e}") from e
        self._woffset += len(data)

    def _sync(self, ticket: int) -> None:
        """Group commit: one caller fsyncs for everyone who wrote before it started; the others
        wait. The lock is released during the fsync so more batches can be written meanwhile."""
        while self._synced_seq < ticket:
            self._check_open()
            if self._syncing:
                self._synced.wait()
                continue
            self._syncing = True
            target, fd = (self._wseq, self._wsegment, self._woffset, self._wrecords), self._wfd
            self._lock.release()
            try:
                self._fsync(fd)
            finally:
                self._lock.acquire()
                self._syncing = False
                self._synced.notify_all()
            self._publish(*target)

    def _fsync(self, fd: int) -> None:
        try:
            os.fsync(fd)
        except OSError as e:  # after a failed fsync the page cache cannot be trusted
            self._broken = f"spool {self.directory} cannot be made durable: {e}"
            raise SpoolError(self._broken) from e

    def _publish(self, seq: int, segment: int, offset: int, records: int) -> None:
        if seq > self._synced_seq:
            self._synced_seq, self._sizes[segment] = seq, offset
            self._backlog += records - self._synced_records
            self._synced_records = records
            self._ready.notify_all()

    def _roll(self) -> None:
        while self._syncing:
            self._synced.wait()
        self._check_open()
        self._fsync(self._wfd)
        self._publish(self._wseq, self._wsegment, self._woffset, self._wrecords)
        self._open_segment(self._wsegment + 1)

    def _check_open(self) -> None:
        if self._broken:
            raise SpoolError(self._broken)
        if self._closed:
            raise SpoolError(f"spool {self.directory} is closed")

    def pending(self, limit: int) -> list[SpoolEntry]:
        """The oldest durable entries not yet forwarded, in append order (the same ones again
        until `forwarded` is told about them)."""
        with self._read_lock:
            with self._lock:
                self._check_open()
                sizes, seq = dict(self._sizes), self._synced_seq
            out: list[SpoolEntry] = []
            for number in sorted(n for n in sizes if n >= self._head[0]):
                start = self._head[1] if number == self._head[0] else 0
                if self._read_segment(number, start, sizes[number], out, limit):
                    return out
            with self._lock:
                if not out and seq == self._synced_seq:
                    self._backlog = 0  # reads lost to damage found while running are not owed
            return out

    def _read_segment(self, number: int, start: int, end: int, out: list, limit: int) -> bool:
        """Add the segment's entries from `start` to `out`; True if it stopped at `limit`."""
        if number not in self._readers:
            self._readers[number] = os.open(self._path(number), os.O_RDONLY)
        prefix = f"{self._uuid}-{number}-"
        for at, stop, payload in SegmentReader(self._readers[number], end).walk(start):
            if payload is None:
                self._report(number, at, stop)
            elif len(out) < limit:
                out.append(SpoolEntry(prefix + str(at), decode(payload), number, at, stop))
            else:
                return True
        return False

    def forwarded(self, entries: Sequence[SpoolEntry]) -> None:
        """The database has committed these entries (a prefix of `pending`): move the durable
        checkpoint past them and delete segments no longer needed."""
        with self._read_lock:
            fresh = [e for e in entries if (e.segment, e.offset) >= self._head]
            if not fresh:
                return
            with self._lock:
                self._check_open()
                head = self._normalise(fresh[-1].segment, fresh[-1].end)
                self._backlog = max(0, self._backlog - len(fresh))
                if head == (self._wsegment, self._sizes[self._wsegment]):
                    self._backlog = 0  # reads lost to damage found while running are not owed
            self._advance(head)

    def _advance(self, head: tuple[int, int]) -> None:
        """Make `head` the durable checkpoint, then delete the segments wholly before it."""
        self._write_checkpoint(*head)
        self._head = head
        with self._lock:
            finished = [n for n in self._sizes if n < head[0]]
        for number in finished:
            with contextlib.suppress(KeyError):
                os.close(self._readers.pop(number))
            self._path(number).unlink(missing_ok=True)
            with self._lock:
                del self._sizes[number]

    def wait(self, timeout: float) -> bool:
        """Block until something is pending, the spool closes or `timeout` passes."""
        with self._lock:
            self._ready.wait_for(lambda: self._backlog > 0 or self._closed, timeout)
            return self._backlog > 0 and not self._closed

    @property
    def backlog(self) -> int:
        with self._lock:
            return self._backlog

    def close(self) -> None:
        with self._read_lock, self._lock:
            while self._syncing:
                self._synced.wait()
            if not self._closed:
                self._closed = True
                self._release()
            self._ready.notify_all()
            self._synced.notify_all()

    def _release(self) -> None:
        for fd in [*self._fds, *self._readers.values()]:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._fds, self._readers = [], {}

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
