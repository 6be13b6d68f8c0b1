"""A scanner that holds each read until the bridge acknowledges it, on a pseudo-terminal.

It speaks SSI (firmware_bridge.devices.barcode), the protocol in which the bridge answers a read
only once the read is fsynced in its spool. Like a Zebra scanner it sends one read at a time and
sends it again, with the retransmit bit set, when no ACK came within `ACK_WAIT`; unlike one, it
never gives up, so every read is acknowledged in the end. A read counts as received by the
bridge once the scanner has its ACK: that is what the crash test checks against the database.

An ACK names no read, so the scanner must know which read each ACK answers. It sends only while
a bridge has its port open (`serving()`), as a scanner holds its data while the host's line is
down: a packet sent into a port nobody has open would be thrown away unanswered, and the
scanner could not tell that from a slow bridge whose answer is still to come. So every packet
sent is answered, unless the bridge dies; a read sent again to a slow bridge gets two ACKs, and
the second is the previous read's, not the next one's.

The first new read sent to a bridge started since the last one is preceded by the tail of a
packet, as when a bridge dies halfway through reading one: the new bridge must reject the
garbled bytes (a checksum failure, or noise) and still find the packet after them. (Not before a
resend: a read the dead bridge stored whole, and died before answering, left no half packet
behind it; the new bridge must recognise that resend from its spool's last read and answer it
without storing it again.) Otherwise a
packet is one write, so it arrives whole: a packet written in two pieces, with the pause
between them at the mercy of a loaded machine, can outlast the driver's idle gap and be cut,
which no UART does. (A cut packet makes the driver forget the last read, so a late resend of
that read is stored again: SSI cannot tell it from a new scan of the same code.)

The scanner notes for every transmission which run of the bridge was serving its station
(counted by the test's supervisor), so the test can tell a read stored twice because
its ACK was lost with a killed bridge (each run that saw it may have stored it) from a read
stored twice by one bridge.
"""

from __future__ import annotations

import os
import random
import select
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from firmware_bridge.devices.barcode import SSI_ACK, SSI_NAK_RESEND, SsiDevice

ACK_WAIT = 2.0  # seconds without an ACK before the read is sent again


@dataclass
class Scan:
    """One read, from its first transmission to its ACK."""

    station: str
    code: str
    runs: list[int] = field(default_factory=list)  # the bridge run of each transmission
    acked: bool = False
    acked_in: int = 0  # the bridge run serving the station when the ACK came

    @property
    def runs_seen(self) -> int:
        """How many runs of the bridge may have stored it: each from the first transmission to
        the one that answered."""
        return self.acked_in - self.runs[0] + 1


class AckedScanner:
    """One station's scanner, writing to `master` from a thread of its own."""

    def __init__(
        self,
        station: str,
        master: int,
        codes: Iterator[str],
        serving: Callable[[], tuple[int, bool]],
        rng: random.Random,
    ) -> None:
        self.station, self.master, self.codes, self.serving = station, master, codes, serving
        self.rng = rng
        self.device = SsiDevice()
        self.scans: list[Scan] = []
        self.naks = 0
        self.tails = 0  # packet tails sent to a newly started bridge
        self._last_run: int | None = None
        self.surplus_acks = 0  # ACKs taken as late answers to a read already acknowledged
        self._owed = 0  # such ACKs still to come from the bridge run `_owed_by`
        self._owed_by = 0
        self._extra = 0
        self._answers = bytearray()
        self._stopping, self._abandon = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._work, daemon=True, name=f"scanner-{station}")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Send nothing more, not even the read in hand (the test is ending early)."""
        self._abandon.set()
        self._stopping.set()

    def finish(self, timeout: float) -> None:
        """Send no new reads; return once the read in hand is acknowledged."""
        self._stopping.set()
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise AssertionError(f"{self.station}: the last read was not acknowledged")

    @property
    def acked(self) -> list[Scan]:
        return [s for s in self.scans if s.acked]

    def _work(self) -> None:
        while not self._stopping.is_set():
            scan = Scan(self.station, next(self.codes))
            self.scans.append(scan)
            retransmit = False
            while not scan.acked and not self._abandon.is_set():
                run, listening = self.serving()
                if not listening:  # hold the read; an ACK the last bridge sent may be here
                    scan.acked = self._await_ack(time.monotonic() + 0.05)
                    continue
                self._send(scan, run, retransmit)
                retransmit = True
                scan.acked = self._await_ack(time.monotonic() + ACK_WAIT)
            scan.acked_in = self.serving()[0]
            # A bridge that answered late was sent the read again, and answers that too: those
            # ACKs belong to this read, not the next.
            self._owed = max(0, scan.runs.count(scan.runs[-1]) - 1 - self._extra)
            self._owed_by = scan.runs[-1] if scan.runs else 0
            time.sleep(self.rng.uniform(0.02, 0.12))

    def _send(self, scan: Scan, run: int, retransmit: bool) -> None:
        scan.runs.append(run)
        packet = self.device.retransmit(scan.code) if retransmit else self.device.read(scan.code)
        if self._last_run is not None and run != self._last_run and not retransmit:
            os.write(self.master, packet[self.rng.randrange(1, len(packet)) :])
            self.tails += 1
            time.sleep(self.rng.uniform(0.0, 0.05))
        self._last_run = run
        os.write(self.master, packet)

    def _await_ack(self, deadline: float) -> bool:
        """Read the bridge's answers until an ACK for the read in hand, or the deadline."""
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                break
            try:
                self._answers += os.read(self.master, 4096)
            except OSError:
                break
            acks = self._answers.count(SSI_ACK)
            self.naks += self._answers.count(SSI_NAK_RESEND)
            self._answers = _unfinished(self._answers)
            if self.serving()[0] != self._owed_by:  # that bridge died: nothing more from it
                self._owed = 0
            late = min(acks, self._owed)
            self._owed -= late
            self.surplus_acks += late
            if acks > late:
                self._extra = acks - late - 1  # came with the ACK: answers to a resend
                self.surplus_acks += self._extra
                return True
        return False


def _unfinished(data: bytearray) -> bytearray:
    """The end of `data` that may be the start of an answer still arriving."""
    for size in range(min(len(data), 6), 0, -1):
        tail = bytes(data[-size:])
        if any(size < len(p) and p.startswith(tail) for p in (SSI_ACK, SSI_NAK_RESEND)):
            return bytearray(tail)
    return bytearray()
