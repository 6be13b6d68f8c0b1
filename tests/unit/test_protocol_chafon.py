"""Chafon UHF readers: Inventory asked by poll(), EPCs read from the answer.

Frame layout and status codes: UHFReader18 User's Manual V2.0 §3 (command and response data
blocks) and the UR-series User Manual v1.14 §8.2.1 (Inventory, status 0x01-0x04 and 0xF8,
EPC ID = length + EPC). CRC-16 poly 0x8408, preset 0xFFFF, LSB first: the manual's routine, as
in wabson/chafon-rfid chafon_rfid/checksum.py. Captured answers: wabson/chafon-rfid
tests/test_uhfreader18.py, tests/test_uhfreader288.py and tests/test_base.py (bad checksum).
"""

import pytest

from firmware_bridge.devices import ChafonDevice, bad_checksum, noise, truncated
from firmware_bridge.protocols import ChafonProtocol, make_protocol
from firmware_bridge.protocols.chafon import UNANSWERED_POLLS, inventory_command

R18_ONE = bytes.fromhex("13000103010c0000000000000000000003133f39")
R18_OTHER = bytes.fromhex("13000103010c49440000000000000a000334a5fb")
R18_TWO = bytes.fromhex("20000103020c0000000000000000000003130c0000000000000000000003149ac9")
R288_ONE = bytes.fromhex("1500010301010c0000000000000000000003136bb1a5")
R288_ANT3 = bytes.fromhex("1500010304010c49440000000000000a0003346425c0")
R288_NONE = bytes.fromhex("0700010101001e4b")
R288_TWO = bytes.fromhex("2300010301020c0000000000000000000003136b0c0000000000000000000003146c70f2")
R288_BAD_CRC = bytes.fromhex("1500010301010c0000000000000000000003136bb1a6")


def test_poll_sends_the_inventory_command_for_any_reader():
    assert ChafonProtocol().poll() == bytes.fromhex("04 FF 01 1B B4")
    assert inventory_command(0x00)[:3] == bytes.fromhex("04 00 01")


def test_uhfreader18_answers_give_one_tag_read_per_epc():
    p = ChafonProtocol()
    frames = p.feed(R18_ONE + R18_OTHER + R18_TWO)
    assert [f.code for f in frames] == [
        "000000000000000000000313",
        "49440000000000000A000334",
        "000000000000000000000313",
        "000000000000000000000314",
    ]
    assert all(f.tag for f in frames)
    assert [f.raw for f in frames[2:]] == [R18_TWO, R18_TWO]
    assert p.rejected == 0


def test_uhfreader288m_answers_carry_antenna_and_rssi():
    p = make_protocol("chafon", {"variant": "uhfreader288m"})
    frames = p.feed(R288_ONE + R288_ANT3 + R288_NONE + R288_TWO)
    assert [(f.code, f.antenna, f.rssi) for f in frames] == [
        ("000000000000000000000313", 1, 0x6B),
        ("49440000000000000A000334", 3, 0x64),
        ("000000000000000000000313", 1, 0x6B),
        ("000000000000000000000314", 1, 0x6C),
    ]
    assert p.poll() == inventory_command(0xFF, "uhfreader288m")


def test_the_published_bad_crc_frame_is_rejected():
    p = make_protocol("chafon", {"variant": "uhfreader288m"})
    assert p.feed(R288_BAD_CRC) + p.idle() == []
    assert p.rejected == 1
    assert "CRC" in p.last_error


def test_an_answer_for_the_other_variant_does_not_add_up_and_is_rejected():
    p = ChafonProtocol()
    assert p.feed(R288_ONE) == []
    assert p.rejected == 1


def test_poll_waits_for_the_answer_but_not_forever():
    p = ChafonProtocol()
    command = p.poll()
    assert [p.poll() for _ in range(UNANSWERED_POLLS - 1)] == [b""] * (UNANSWERED_POLLS - 1)
    assert p.poll() == command  # the answer was lost: ask again
    done = ChafonDevice().response(["0313"], status=0x01)
    p.feed(done[:-1])
    assert p.poll() == b""
    p.feed(done[-1:])
    assert p.poll() == command


def test_more_frames_follow_keeps_waiting():
    device = ChafonDevice()
    p = ChafonProtocol()
    p.poll()
    p.feed(device.response(["E2000017221101441890"], status=0x03))
    assert p.poll() == b""
    p.feed(device.response(["E2000017221101441891"], status=0x01))
    assert p.poll() != b""


def test_antenna_fault_is_logged_without_reads():
    device = ChafonDevice()
    p = ChafonProtocol()
    assert p.feed(device.response([], status=0xF8)) == []
    assert "antenna" in p.last_error
    assert p.rejected == 0


def test_a_configured_address_ignores_other_readers():
    other = ChafonDevice(address=0x01)
    mine = ChafonDevice(address=0x00)
    p = make_protocol("chafon", {"address": 0})
    frames = p.feed(other.read("AAAA") + mine.read("BBBB"))
    assert [f.code for f in frames] == ["BBBB"]


def test_faults_then_a_good_answer():
    device = ChafonDevice()
    p = ChafonProtocol()
    data = bad_checksum("chafon", device.read("0102")) + noise(7, seed=5)
    data += truncated(device.read("0304")) + device.read("0506")
    frames = p.feed(data) + p.idle()
    assert [f.code for f in frames] == ["0506"]
    assert p.rejected == 3  # the bad frame, the noise, the cut frame


def test_a_cut_answer_is_dropped_when_the_line_goes_quiet():
    p = ChafonProtocol()
    assert p.feed(R18_ONE[:9]) == []
    assert p.idle() == []
    assert p.rejected == 1
    assert [f.code for f in p.feed(R18_ONE)] == ["000000000000000000000313"]


@pytest.mark.parametrize("lead", [b"", b"\x05\x13\x00"])
def test_an_answer_split_at_every_byte_is_read_once(lead):
    data = lead + R18_TWO
    for cut in range(len(data) + 1):
        p = ChafonProtocol()
        frames = p.feed(data[:cut]) + p.feed(data[cut:]) + p.idle()
        assert len(frames) == 2, cut
        assert p.rejected == (1 if lead else 0), cut


def test_the_simulated_reader_answers_polls_with_the_tags_in_its_field():
    device = ChafonDevice()
    device.field = ["000000000000000000000313"]
    assert device.response(device.field, status=0x03) == R18_ONE
    assert device.answer(ChafonProtocol().poll()) == device.response(device.field)
    device = ChafonDevice(variant="uhfreader288m")
    assert device.response(["000000000000000000000313"], status=0x03) == R288_ONE
    assert device.answer(inventory_command(0xFF, "uhfreader288m"))[:3] == b"\x07\x00\x01"
    assert device.answer(b"\x04\xff\x21\x00\x00") == b""  # not an Inventory command
