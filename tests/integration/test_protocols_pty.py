"""Every driver behind a real pseudo-terminal, read and written through pyserial.

The simulated device writes at the master side; pyserial opens the slave as the bridge opens a
USB scanner; the bytes it reads go to the driver, and what the driver has to say (opening,
polls, acknowledgements) goes back through pyserial and is read at the master, where the
simulated device answers it.
"""

import os
import select
import time
import tty

import pytest
import serial

from firmware_bridge.devices import ChafonDevice, SsiDevice, bad_checksum, make_device
from firmware_bridge.protocols import PROTOCOLS, make_protocol
from firmware_bridge.protocols.ssi import ACK, NAK

pytestmark = pytest.mark.no_database  # drivers on pseudo-terminals only: run once, not per database

CODES = {
    "scanner": ["WC-TJ-2002-0137", "WC-TJ-2004-0201"],
    "line": ["WC-TJ-2002-0137", "WC-TJ-2004-0201"],
    "ssi": ["WC-TJ-2002-0137", "WC-TJ-2004-0201"],
    "rdm6300": ["62E3086CED", "0100CE754C"],
    "id12": ["62E3086CED", "0100CE754C"],
    "chafon": ["E2000017221101441890ABCD", "E200001722110144189012EF"],
    "m100": ["30751FEB705C5904E3D50D70", "7E7E7E7E7E7E7E7E7E7E7E7E"],
    "vault": ["62E3086CED", "0100CE754C"],
}


class Line:
    """A pseudo-terminal: the device's end (master fd) and the bridge's (pyserial)."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.port = serial.Serial(os.ttyname(self.slave), 9600, timeout=0.02)

    def device_writes(self, data: bytes) -> None:
        os.write(self.master, data)

    def device_reads(self, size: int, timeout: float = 2.0) -> bytes:
        """What the bridge wrote, as the device receives it."""
        data, deadline = b"", time.monotonic() + timeout
        while len(data) < size and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                data += os.read(self.master, size - len(data))
        return data

    def bridge_writes(self, data: bytes) -> None:
        if data:
            self.port.write(data)
            self.port.flush()

    def bridge_reads(self, protocol, want: int, timeout: float = 3.0) -> list:
        """The station loop's part: read what arrived, tell the driver when the line is quiet."""
        frames, deadline = [], time.monotonic() + timeout
        quiet_since = time.monotonic()
        while len(frames) < want and time.monotonic() < deadline:
            data = self.port.read(self.port.in_waiting or 1)
            now = time.monotonic()
            if data:
                frames += protocol.feed(data)
                quiet_since = now
            elif protocol.idle_gap is not None and now - quiet_since >= protocol.idle_gap:
                frames += protocol.idle()
                quiet_since = now
        return frames

    def close(self) -> None:
        self.port.close()
        os.close(self.slave)
        os.close(self.master)


@pytest.fixture
def line():
    pty_line = Line()
    yield pty_line
    pty_line.close()


def exchange(line: Line, protocol, device, code: str) -> list:
    """One read, the way the device and the bridge take turns for this protocol."""
    if protocol.poll_interval is not None and isinstance(device, ChafonDevice):
        device.field = [code]
        command = protocol.poll()
        line.bridge_writes(command)
        line.device_writes(device.answer(line.device_reads(len(command))))
    else:
        line.device_writes(device.read(code))
    frames = line.bridge_reads(protocol, 1)
    replies = protocol.replies()  # the loop writes these once the reads are stored
    line.bridge_writes(replies)
    device.answer(line.device_reads(len(replies)))
    return frames


@pytest.mark.parametrize("name", sorted(PROTOCOLS))
def test_each_driver_reads_its_device_through_a_real_tty(line, name):
    protocol, device = make_protocol(name), make_device(name)
    opening = protocol.opening()
    line.bridge_writes(opening)
    device.answer(line.device_reads(len(opening)))
    if name == "vault":
        line.device_writes(device.hello())
        assert [f.heartbeat for f in line.bridge_reads(protocol, 1)] == [True]
    frames = [f for code in CODES[name] for f in exchange(line, protocol, device, code)]
    assert [f.code for f in frames] == CODES[name]
    assert (protocol.rejected, protocol.lost) == (0, 0)
    if name == "ssi":
        assert (device.acks, device.naks) == (2, 0)  # each read acknowledged at the scanner
    if name == "chafon":
        assert device.polls == 2


def test_ssi_acknowledgements_reach_the_scanner_only_when_the_loop_writes_them(line):
    protocol, scanner = make_protocol("ssi"), SsiDevice()
    line.device_writes(bad_checksum("ssi", scanner.read("WC-TJ-2002-0137")))
    assert line.bridge_reads(protocol, 1, timeout=0.5) == []
    assert line.device_reads(len(NAK), timeout=0.2) == b""  # nothing is sent from feed
    line.bridge_writes(protocol.replies())
    assert line.device_reads(len(NAK)) == NAK

    line.device_writes(scanner.retransmit("WC-TJ-2002-0137"))
    assert [f.code for f in line.bridge_reads(protocol, 1)] == ["WC-TJ-2002-0137"]
    line.bridge_writes(protocol.replies())
    assert line.device_reads(len(ACK)) == ACK


def test_a_scanner_without_terminator_is_read_when_the_line_goes_quiet(line):
    protocol, scanner = make_protocol("scanner"), make_device("scanner", terminator=b"")
    line.device_writes(scanner.read("WC-TJ-2002-0137"))
    assert [f.code for f in line.bridge_reads(protocol, 1)] == ["WC-TJ-2002-0137"]
    time.sleep(0.1)
    line.device_writes(scanner.read("WC-TJ-2004-0201"))
    assert [f.code for f in line.bridge_reads(protocol, 1)] == ["WC-TJ-2004-0201"]


def test_the_m100_is_told_to_poll_when_the_port_opens(line):
    protocol = make_protocol("m100")
    line.bridge_writes(protocol.opening())
    assert line.device_reads(10) == bytes.fromhex("BB 00 27 00 03 22 FF FF 4A 7E")


def test_a_gate_heartbeat_and_a_lost_frame_arrive_as_such(line):
    protocol, gate = make_protocol("vault"), make_device("vault")
    line.device_writes(gate.hello() + gate.heartbeat())
    gate.skip(2)
    line.device_writes(gate.read("62E3086CED"))
    frames = line.bridge_reads(protocol, 3)
    assert [(f.heartbeat, f.seq, f.code) for f in frames] == [
        (True, 0, ""),
        (True, 1, ""),
        (False, 4, "62E3086CED"),
    ]
    assert protocol.lost == 2
