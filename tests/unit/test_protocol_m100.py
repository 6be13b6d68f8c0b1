"""MagicRF M100 / R200 module frames.

Frames from the M100 serial command user manual as quoted by m5stack/M5Unit-RFID
test/native/test_uhf_codec/uhf_test.cpp: the tag notice of a single poll (§ notification
frame, PL 0x0011, RSSI 0xC9 = -55, PC 0x3400, CRC 0x3A76), "multiple polling 10000 times"
BB 00 27 00 03 22 27 10 83 7E, the no-tag notice BB 01 FF 00 01 15 16 7E and the bad-checksum
and bad-end variants of BB 01 07 00 01 00 09 7E.
"""

import pytest

from firmware_bridge.devices import M100Device, bad_checksum, noise, truncated
from firmware_bridge.protocols import Frame, M100Protocol, make_protocol

EPC = "30751FEB705C5904E3D50D70"
NOTICE = bytes.fromhex("BB 02 22 00 11 C9 34 00 30 75 1F EB 70 5C 59 04 E3 D5 0D 70 3A 76 EF 7E")
NO_TAG = bytes.fromhex("BB 01 FF 00 01 15 16 7E")
ANSWER = bytes.fromhex("BB 01 07 00 01 00 09 7E")  # "set region" succeeded


def test_the_manual_tag_notice_is_a_tag_read_with_its_rssi():
    p = M100Protocol()
    assert p.feed(NOTICE) == [Frame(EPC, NOTICE, tag=True, rssi=-55)]


def test_the_simulated_module_writes_exactly_the_manual_frame():
    assert M100Device(rssi=-55, pc=0x3400).read(EPC) == NOTICE


def test_opening_starts_multiple_polling_and_poll_renews_it():
    p = M100Protocol()
    assert p.opening() == bytes.fromhex("BB 00 27 00 03 22 FF FF 4A 7E")
    assert p.poll() == b""  # the loop polls at once after opening: not twice in a row
    assert (p.poll(), p.poll_interval) == (p.opening(), 60.0)
    rounds = make_protocol("m100", {"rounds": 10000})
    assert rounds.opening() == bytes.fromhex("BB 00 27 00 03 22 27 10 83 7E")


def test_single_mode_asks_for_one_round_each_poll():
    p = make_protocol("m100", {"mode": "single", "poll_interval": 0.5})
    assert (p.opening(), p.poll(), p.poll_interval) == (b"", bytes.fromhex("BB00220000227E"), 0.5)


def test_no_tag_notices_and_command_answers_are_not_reads_nor_faults():
    p = M100Protocol()
    assert p.feed(NO_TAG + ANSWER + NO_TAG) == []
    assert p.rejected == 0


@pytest.mark.parametrize(
    "broken",
    [
        bytes.fromhex("BB 01 07 00 01 00 0A 7E"),  # bad checksum
        bytes.fromhex("BB 01 07 00 01 00 09 DD"),  # bad end byte
        bad_checksum("m100", NOTICE),
    ],
)
def test_a_frame_failing_its_checks_is_rejected_and_the_next_read(broken):
    p = M100Protocol()
    assert [f.code for f in p.feed(broken + NOTICE)] == [EPC]
    assert p.rejected == 1


def test_0x7e_inside_an_epc_does_not_end_the_frame():
    epc = "7E7E00BB7E0102037E7E7E7E"
    frame = M100Device().read(epc)
    assert frame.count(0x7E) > 5
    for cut in range(len(frame) + 1):
        p = M100Protocol()
        assert [f.code for f in p.feed(frame[:cut]) + p.feed(frame[cut:])] == [epc], cut


def test_a_tag_notice_whose_gen2_crc_is_wrong_is_rejected_unless_told_otherwise():
    notice = bytearray(NOTICE)
    notice[8] ^= 0x01  # one EPC bit flipped ...
    notice[-2] = sum(notice[1:-2]) & 0xFF  # ... behind a frame checksum that matches
    strict = M100Protocol()
    assert strict.feed(bytes(notice)) == []
    assert (strict.rejected, "Gen2 CRC" in strict.last_error) == (1, True)
    lenient = make_protocol("m100", {"tag_crc": False})
    assert [f.code for f in lenient.feed(bytes(notice))] == ["31751FEB705C5904E3D50D70"]


def test_noise_with_stray_headers_before_and_after():
    p = M100Protocol()
    data = noise(30, seed=7) + b"\xbb\x02\xbb" + NOTICE + b"\xbb\x00" + NOTICE + b"\xbb"
    frames = p.feed(data) + p.idle()
    assert [f.code for f in frames] == [EPC, EPC]
    assert p.rejected == 3


def test_a_frame_cut_off_by_a_quiet_line_is_dropped():
    p = M100Protocol()
    assert p.feed(truncated(NOTICE)) + p.idle() == []
    assert p.rejected == 1
    assert [f.code for f in p.feed(NOTICE)] == [EPC]


def test_a_notice_split_at_every_byte_is_read_once():
    data = b"\x00\xbb" + NOTICE
    for cut in range(len(data) + 1):
        p = M100Protocol()
        frames = p.feed(data[:cut]) + p.feed(data[cut:])
        assert [f.code for f in frames] == [EPC], cut
        assert p.rejected == 1, cut
