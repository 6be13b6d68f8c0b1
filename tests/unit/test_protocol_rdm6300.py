"""RDM6300 / RDM630 125 kHz reader frames.

The sample frame is the Seeed wiki's ("125Khz RFID module - UART", TTL interface RS232 data
output format): card 62E3086CED, output 02, 36 32 45 33 30 38 36 43 45 44, checksum
(62)^(E3)^(08)^(6C)^(ED) = 08, 03. The same frame is the test vector of
mad-tinkerer/python-rdm6300 and of several Arduino drivers.
"""

from firmware_bridge.devices import Rdm6300Device, bad_checksum, noise, repeated, truncated
from firmware_bridge.protocols import Frame, Rdm6300Protocol, make_protocol

SEEED = b"\x02" + b"62E3086CED" + b"08" + b"\x03"


def test_the_seeed_frame_reads_as_the_ten_digits_marked_as_a_tag():
    p = Rdm6300Protocol()
    assert p.feed(SEEED) == [Frame("62E3086CED", SEEED, tag=True)]
    assert p.rejected == 0


def test_the_simulated_reader_writes_exactly_the_seeed_frame():
    assert Rdm6300Device().read("62e3086ced") == SEEED


def test_lower_case_hex_is_read_upper_case():
    frame = b"\x0262e3086ced08\x03"
    assert [f.code for f in Rdm6300Protocol().feed(frame)] == ["62E3086CED"]


def test_a_bad_checksum_is_rejected_and_the_next_frame_read():
    p = Rdm6300Protocol()
    frames = p.feed(b"\x02" + b"62E3086CED" + b"09" + b"\x03" + SEEED)
    assert [f.code for f in frames] == ["62E3086CED"]
    assert p.rejected == 1
    assert "checksum" in p.last_error


def test_a_truncated_frame_followed_by_a_good_one():
    p = Rdm6300Protocol()
    frames = p.feed(truncated(SEEED, 9) + SEEED)
    assert [f.code for f in frames] == ["62E3086CED"]
    assert p.rejected == 1


def test_a_frame_cut_off_by_a_quiet_line_is_dropped_once():
    p = Rdm6300Protocol()
    assert p.feed(truncated(SEEED)) == []
    assert p.idle() == []
    assert p.rejected == 1
    assert [f.code for f in p.feed(SEEED)] == ["62E3086CED"]
    assert p.rejected == 1


def test_noise_before_and_after_including_stray_stx_bytes():
    p = Rdm6300Protocol()
    frames = p.feed(noise(40, seed=1) + b"\x02\x02" + SEEED + b"\x03\x02" + noise(5, seed=2))
    frames += p.idle()
    assert [f.code for f in frames] == ["62E3086CED"]
    assert p.rejected == 2


def test_a_frame_split_at_every_byte_is_read_once():
    data = b"\x0212" + SEEED
    for cut in range(len(data) + 1):
        p = Rdm6300Protocol()
        frames = p.feed(data[:cut]) + p.feed(data[cut:])
        assert [f.code for f in frames] == ["62E3086CED"], cut
        assert p.rejected == 1, cut


def test_every_repeat_is_passed_on_by_default():
    p = Rdm6300Protocol()
    assert len(p.feed(repeated(SEEED, 4))) == 4


def test_repeats_once_reads_a_tag_once_per_presentation():
    p = make_protocol("rdm6300", {"repeats": "once", "idle_gap": 0.3})
    assert p.idle_gap == 0.3
    other = Rdm6300Device().read("0100CE754C")
    frames = p.feed(repeated(SEEED, 5) + other + SEEED)
    assert [f.code for f in frames] == ["62E3086CED", "0100CE754C", "62E3086CED"]
    assert p.feed(SEEED) == []
    p.idle()  # the tag left the field
    assert [f.code for f in p.feed(SEEED)] == ["62E3086CED"]


def test_bad_checksum_fault_variant_is_rejected():
    p = Rdm6300Protocol()
    assert p.feed(bad_checksum("rdm6300", SEEED)) == []
    assert p.rejected == 1


def test_noise_right_after_a_bad_frame_is_a_fault_of_its_own():
    p = Rdm6300Protocol()
    frames = p.feed(bad_checksum("rdm6300", SEEED) + b"\xff\xfe\x41" + SEEED)
    assert [f.code for f in frames] == ["62E3086CED"]
    assert p.rejected == 2
