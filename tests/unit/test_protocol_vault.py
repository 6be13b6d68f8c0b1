"""Vault's line protocol: frames made by the gate firmware's own framing module
(firmware_bridge/firmware/vaultlink.py, imported here under CPython) read by the bridge's
`vault` driver, as specified in docs/vault-protocol.md.

The reader-module parsers inside vaultlink are checked against the published frames used for
the bridge drivers: the Seeed RDM630 wiki frame and the M100 manual's tag notice.
"""

import pytest

from firmware_bridge.devices import GateDevice, bad_checksum, noise, truncated
from firmware_bridge.firmware import vaultlink
from firmware_bridge.protocols import Frame, VaultProtocol, make_protocol
from firmware_bridge.protocols.crc import crc16_ccitt_false
from firmware_bridge.protocols.vault_line import GateInfo

SEEED = b"\x02" + b"62E3086CED" + b"08" + b"\x03"
M100_NOTICE = bytes.fromhex(
    "BB 02 22 00 11 C9 34 00 30 75 1F EB 70 5C 59 04 E3 D5 0D 70 3A 76 EF 7E"
)
EPC = "30751FEB705C5904E3D50D70"


def gate(reader: str = "rdm6300", device: str = "gate-1") -> vaultlink.Link:
    return vaultlink.Link(device, None, "vaultgate-1.0", reader, 5)


def test_both_crc_routines_give_the_ccitt_false_check_value():
    assert vaultlink.crc16(b"123456789") == vaultlink.crc16_table(b"123456789") == 0x29B1
    assert crc16_ccitt_false(b"123456789") == 0x29B1


def test_the_documented_example_frames_are_what_the_firmware_sends():
    link = gate()
    assert link.hello() == b"V1,gate-1,0,H,vaultgate-1.0,rdm6300,5*8067\n"
    assert link.read("EM", "62E3086CED") == b"V1,gate-1,1,R,EM,62E3086CED*D9F3\n"
    assert link.heartbeat(5) == b"V1,gate-1,2,B,5*1B57\n"


def test_hello_read_and_heartbeat_from_the_firmware_are_decoded():
    link = gate()
    data = link.hello() + link.read("EM", "62e3086ced") + link.heartbeat(5)
    p = VaultProtocol()
    frames = p.feed(data)
    lines = data.split(b"\n")
    assert frames == [
        Frame("", lines[0], heartbeat=True, seq=0, device="gate-1"),
        Frame("62E3086CED", lines[1], tag=True, seq=1, device="gate-1"),
        Frame("", lines[2], heartbeat=True, seq=2, device="gate-1"),
    ]
    assert p.gates == {"gate-1": GateInfo("vaultgate-1.0", "rdm6300", 5)}
    assert (p.rejected, p.lost) == (0, 0)


def test_uhf_and_barcode_reads_carry_rssi_and_antenna():
    link = gate("m100", "dock-2")
    p = VaultProtocol()
    frames = p.feed(link.read("EPC", EPC, -55, 2) + link.read("BC", "WC-TJ-2002-0137"))
    assert [(f.code, f.tag, f.rssi, f.antenna) for f in frames] == [
        (EPC, True, -55, 2),
        ("WC-TJ-2002-0137", False, None, None),
    ]


def test_a_sequence_gap_counts_lost_frames():
    device = GateDevice()
    p = VaultProtocol()
    p.feed(device.hello() + device.read("0000000001"))
    device.skip(3)
    frames = p.feed(device.read("0000000002"))
    assert [f.seq for f in frames] == [5]
    assert p.lost == 3
    assert "3 frame(s) from gate gate-1 lost" in p.last_error


def test_a_repeated_frame_is_read_once_and_not_counted_as_a_fault():
    device = GateDevice(copies=2)
    p = VaultProtocol()
    frames = p.feed(device.hello() + device.read("0000000001") + device.read("0000000002"))
    assert [f.code for f in frames] == ["", "0000000001", "0000000002"]
    assert (p.rejected, p.lost) == (0, 0)


def test_a_garbled_copy_is_replaced_by_the_good_one():
    device = GateDevice()
    p = VaultProtocol()
    frame = device.read("0000000001")
    frames = p.feed(bad_checksum("vault", frame) + frame)
    assert [f.code for f in frames] == ["0000000001"]
    assert (p.rejected, p.lost) == (1, 0)


def test_the_sequence_wraps_without_a_loss():
    link = gate()
    link.seq = 65534
    p = VaultProtocol()
    frames = p.feed(link.heartbeat(1) + link.heartbeat(2) + link.heartbeat(3))
    assert [f.seq for f in frames] == [65534, 65535, 0]
    assert p.lost == 0


def test_a_hello_restarts_the_count_and_a_restart_without_one_is_logged_not_lost():
    link = gate()
    p = VaultProtocol()
    link.seq = 900
    p.feed(link.heartbeat(1))
    p.feed(link.hello())
    assert p.lost == 0
    link.seq = 3
    p.feed(link.heartbeat(1))
    assert p.lost == 2  # seq 1 and 2 after the hello never came
    link.seq = 0
    assert len(p.feed(link.heartbeat(1))) == 1
    assert (p.lost, "restarted" in p.last_error) == (2, True)


def test_bad_crc_noise_truncation_and_overlong_lines_are_rejected():
    link = gate()
    p = VaultProtocol()
    good = link.read("EM", "62E3086CED")
    data = bad_checksum("vault", link.read("EM", "0000000001"))
    data += noise(12, seed=9).replace(b"\n", b"") + good  # noise on the frame's own line
    data += truncated(link.heartbeat(1)) + b"\n" + b"V" * 400 + b"\n" + b"hello\r\n"
    frames = p.feed(data)
    assert [f.code for f in frames] == ["62E3086CED"]
    assert p.rejected == 5


@pytest.mark.parametrize(
    "body",
    [
        b"V2,gate-1,7,B,1",  # a protocol version this bridge does not know
        b"V1,gate 1,7,B,1",  # a space in the name
        b"V1,gate-1,70000,B,1",  # sequence above 65535
        b"V1,gate-1,7,R,EM,62E3086CE",  # 9 digits
        b"V1,gate-1,7,R,EPC,ABC",  # odd number of hex digits
        b"V1,gate-1,7,R,XX,123",  # unknown kind of read
        b"V1,gate-1,7,R,EPC,ABCD,loud",  # RSSI not a number
    ],
)
def test_frames_with_a_good_crc_but_bad_content_are_rejected(body):
    p = VaultProtocol()
    line = body + b"*%04X\n" % crc16_ccitt_false(body)
    assert p.feed(line) == []
    assert p.rejected == 1


def test_an_unknown_frame_type_is_ignored_but_its_number_counted():
    body = b"V1,gate-1,1,T,21.5"
    p = VaultProtocol()
    link = gate()
    link.hello()
    link.seq = 2
    frames = p.feed(body + b"*%04X\n" % crc16_ccitt_false(body) + link.heartbeat(1))
    assert [f.seq for f in frames] == [2]
    assert (p.rejected, p.lost) == (0, 0)


def test_the_device_option_accepts_only_that_gate():
    p = make_protocol("vault", {"device": "gate-1"})
    frames = p.feed(gate("rdm6300", "gate-2").hello() + gate().hello())
    assert [f.device for f in frames] == ["gate-1"]
    assert p.rejected == 1


def test_a_frame_split_at_every_byte_is_read_once():
    link = gate()
    data = link.hello() + link.read("EPC", EPC, -60, 1)
    for cut in range(len(data) + 1):
        p = VaultProtocol()
        frames = p.feed(data[:cut]) + p.feed(data[cut:])
        assert [f.code for f in frames] == ["", EPC], cut


def test_the_firmware_refuses_fields_the_line_cannot_carry():
    with pytest.raises(ValueError, match="device name"):
        vaultlink.encode("gate 1", 0, "B")
    with pytest.raises(ValueError, match="cannot carry"):
        vaultlink.encode("gate-1", 0, "R", ("BC", "A,B"))
    with pytest.raises(ValueError, match="longer"):
        vaultlink.encode("gate-1", 0, "R", ("BC", "A" * 200))


def test_the_firmware_rdm6300_parser_reads_the_seeed_frame_through_noise():
    parser = vaultlink.Rdm6300Parser()
    data = b"\x02\x03" + SEEED[:5] + SEEED + b"\x0262E3086CED09\x03" + SEEED
    tags = [t for i in range(len(data)) for t in parser.feed(data[i : i + 1])]
    assert tags == [("62E3086CED", None), ("62E3086CED", None)]


def test_the_firmware_m100_parser_reads_the_manual_notice_and_skips_the_rest():
    parser = vaultlink.M100Parser()
    broken = bytearray(M100_NOTICE)
    broken[-2] ^= 1
    data = b"\xbb\x00" + bytes(broken) + bytes.fromhex("BB01FF000115167E") + M100_NOTICE
    assert parser.feed(data[:11]) + parser.feed(data[11:]) == [(EPC, -55)]
    assert bytes.fromhex("BB 00 27 00 03 22 FF FF 4A 7E") == vaultlink.M100_MULTIPLE_POLL


def test_the_firmware_reports_a_tag_once_per_presentation():
    repeats = vaultlink.RepeatFilter(1000)
    seen = [repeats.accept("62E3086CED", t) for t in (0, 200, 400, 1300, 2600, 2700)]
    assert seen == [True, False, False, False, True, False]
    assert repeats.accept("0100CE754C", 2750)
