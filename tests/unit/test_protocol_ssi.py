"""Zebra/Symbol SSI: decode-data packets in, ACK/NAK out.

Packet layout and checksum: SE 923 Integration Guide ch. 6 (General Packet Format, Table 6-2;
DECODE_DATA p.6-15), SE955 Integration Guide p.10-10 (CMD_ACK, retransmission rule); CMD_NAK
with its cause byte: Datalogic Dragon D151 manual, "SIMPLE SERIAL INTERFACE", p.63.
Captured packets: clocklimited/motorola-ssi-scanner test/checksum.test.js (`07 F3 00 00 01 4E
52 FE 65`, the "NR" no-read message) and test/scanner.test.js (a code in two packets, the first
with the continued bit); the ACK bytes `04 D0 04 00 FF 28` match the enioka scanner SDK's
SsiChecksumTest.
"""

import pytest

from firmware_bridge.devices import SsiDevice, bad_checksum, noise, truncated
from firmware_bridge.devices.barcode import SSI_ACK, SSI_NAK_RESEND, ssi_decode_packet
from firmware_bridge.protocols import SsiProtocol, make_protocol
from firmware_bridge.protocols.ssi import ACK, NAK

CODE = "WC-TJ-2002-0137"
NO_READ = bytes.fromhex("07F3000001 4E52 FE65")


def packet(data: bytes, status: int = 0, code_type: int = 0x03) -> bytes:
    return ssi_decode_packet(data, code_type, status)


def test_ack_and_nak_are_the_documented_bytes():
    assert ACK == SSI_ACK == bytes.fromhex("04 D0 04 00 FF 28")
    assert NAK == SSI_NAK_RESEND == bytes.fromhex("05 D1 04 00 01 FF 25")


def test_the_published_no_read_packet_passes_its_checksum_is_acknowledged_and_not_read():
    p = SsiProtocol()
    assert p.feed(NO_READ) == []
    assert p.rejected == 0
    assert p.replies() == ACK


def test_a_decode_data_packet_is_read_and_acknowledged_only_through_replies():
    p = SsiProtocol()
    raw = packet(CODE.encode())
    frames = p.feed(raw)
    assert [(f.code, f.raw, f.tag) for f in frames] == [(CODE, raw, False)]
    assert p.replies() == ACK
    assert p.replies() == b""  # handed out once


def test_a_code_in_two_packets_is_read_once_as_a_whole():
    first = bytes.fromhex("09 F3 00 02 1C") + b"http"
    last = bytes.fromhex("09 F3 00 00 1C") + b"http"
    first += (-sum(first) & 0xFFFF).to_bytes(2, "big")
    last += (-sum(last) & 0xFFFF).to_bytes(2, "big")
    p = SsiProtocol()
    assert p.feed(first) == []
    frames = p.feed(last)
    assert [(f.code, f.raw) for f in frames] == [("httphttp", first + last)]
    assert p.replies() == ACK + ACK


def test_a_bad_checksum_is_naked_and_the_retransmission_is_read():
    device = SsiDevice()
    p = SsiProtocol()
    assert p.feed(bad_checksum("ssi", device.read(CODE))) == []
    assert (p.rejected, p.replies()) == (1, NAK)
    assert [f.code for f in p.feed(device.retransmit(CODE))] == [CODE]
    assert p.replies() == ACK


def test_a_retransmission_of_an_acknowledged_packet_is_acknowledged_but_not_read_twice():
    device = SsiDevice()
    p = SsiProtocol()
    assert [f.code for f in p.feed(device.read(CODE))] == [CODE]
    assert p.feed(device.retransmit(CODE)) == []
    assert p.replies() == ACK + ACK
    assert p.rejected == 0
    # The same label scanned again is a new read, not a retransmission.
    assert [f.code for f in p.feed(device.read(CODE))] == [CODE]


def test_a_packet_cut_short_is_dropped_and_naked_when_the_line_goes_quiet():
    p = SsiProtocol()
    assert p.feed(truncated(packet(CODE.encode()))) == []
    assert p.replies() == b""
    assert p.idle() == []
    assert (p.rejected, p.replies()) == (1, NAK)
    assert [f.code for f in p.feed(packet(b"B-1"))] == ["B-1"]


def test_noise_before_and_after_is_skipped_and_counted_once_each():
    p = SsiProtocol()
    data = noise(23, seed=4) + packet(CODE.encode()) + b"\x00\x01\x02" + packet(b"B-2")
    frames = p.feed(data) + p.idle()
    assert [f.code for f in frames] == [CODE, "B-2"]
    assert p.rejected == 2


def test_a_packet_split_at_every_byte_is_read_once():
    data = b"\xff\x00" + packet(CODE.encode())
    for cut in range(len(data) + 1):
        p = SsiProtocol()
        frames = p.feed(data[:cut]) + p.feed(data[cut:])
        assert [f.code for f in frames] == [CODE], cut
        assert (p.rejected, p.replies()) == (1, ACK), cut


def test_without_handshaking_nothing_is_written_back():
    p = make_protocol("ssi", {"ack": False})
    p.feed(packet(b"A-1") + bad_checksum("ssi", packet(b"A-2")))
    assert (p.replies(), p.rejected) == (b"", 1)


def test_symbologies_and_control_bytes_and_length_are_checked():
    p = make_protocol("ssi", {"symbologies": [3], "max_length": 20})
    frames = p.feed(
        packet(b"A-1", code_type=0x03)
        + packet(b"4006381333931", code_type=0x0B)
        + packet(b"A\x1dB")
        + packet(b"X" * 21)
        + packet(b"B-2\r\n")
    )
    assert [f.code for f in frames] == ["A-1", "B-2"]
    assert p.rejected == 3
    assert p.replies() == ACK * 5  # every intact packet is acknowledged


def test_a_long_code_from_the_simulated_scanner_spans_packets():
    device = SsiDevice(max_data=10)
    code = "X" * 25
    assert len(device.packets(code)) == 3
    p = SsiProtocol()
    assert [f.code for f in p.feed(device.read(code))] == [code]
    device.answer(p.replies())
    assert (device.acks, device.naks) == (3, 0)


@pytest.mark.parametrize("opcode", [0xD0, 0xD1])
def test_the_scanner_answering_the_host_is_never_acknowledged(opcode):
    body = bytes((4, opcode, 0, 0))
    p = SsiProtocol()
    assert p.feed(body + (-sum(body) & 0xFFFF).to_bytes(2, "big")) == []
    assert (p.replies(), p.rejected) == (b"", 0)


def test_a_second_scan_of_the_same_code_that_arrives_garbled_is_read_when_resent():
    device = SsiDevice()
    p = SsiProtocol()
    assert [f.code for f in p.feed(device.read(CODE))] == [CODE]
    assert p.feed(bad_checksum("ssi", device.read(CODE))) == []  # scanned again, garbled
    assert [f.code for f in p.feed(device.retransmit(CODE))] == [CODE]
    assert p.replies() == ACK + NAK + ACK


def test_a_resend_of_the_last_read_stored_before_a_restart_is_acknowledged_not_read():
    """The bridge stored the read and was killed before its ACK went out; the restarted bridge
    is told the station's last stored read (from the spool) and drops the scanner's resend."""
    device = SsiDevice()
    stored = device.read(CODE)
    p = SsiProtocol()
    p.reset()
    p.resume(stored)
    assert p.feed(device.retransmit(CODE)) == []
    assert p.replies() == ACK
    assert [f.code for f in p.feed(device.read(CODE))] == [CODE]  # scanned again: a new read


def test_resume_knows_only_the_last_read_and_ignores_what_is_not_ssi():
    device = SsiDevice()
    p = SsiProtocol()
    p.resume(device.read("OTHER-1"))
    assert [f.code for f in p.feed(device.retransmit(CODE))] == [CODE]  # a different read
    q = SsiProtocol()
    q.resume(b"WC-TJ-2002-0137\r\n")  # a scanner line stored under an older configuration
    assert [f.code for f in q.feed(device.retransmit(CODE))] == [CODE]
