"""ID Innovations ID-12 / ID-20 in ASCII mode: STX, 10 hex data, 2 hex checksum, CR, LF, ETX.

Format from the ID-12 datasheet p.4 (quoted at forum.arduino.cc/t/rfid-format/14447) and the
Concordia SLAB Arduino page on the ID-12; the tag and checksum are the Seeed RDM630 wiki's.
"""

from firmware_bridge.devices import Id12Device, bad_checksum, noise, truncated
from firmware_bridge.protocols import Frame, Id12Protocol, Rdm6300Protocol

ID12 = b"\x02" + b"62E3086CED" + b"08" + b"\r\n\x03"
RDM6300 = b"\x02" + b"62E3086CED" + b"08" + b"\x03"


def test_an_id12_frame_is_read():
    p = Id12Protocol()
    assert p.feed(ID12) == [Frame("62E3086CED", ID12, tag=True)]
    assert Id12Device().read("62E3086CED") == ID12


def test_the_two_frame_shapes_are_not_mistaken_for_each_other():
    id12, rdm = Id12Protocol(), Rdm6300Protocol()
    assert id12.feed(RDM6300) + id12.idle() == []
    assert rdm.feed(ID12) + rdm.idle() == []
    assert (id12.rejected, rdm.rejected) == (1, 1)


def test_bad_checksum_truncation_and_noise():
    p = Id12Protocol()
    data = bad_checksum("id12", ID12) + truncated(ID12, 14) + ID12 + noise(9, seed=3) + ID12
    assert [f.code for f in p.feed(data) + p.idle()] == ["62E3086CED"] * 2
    assert p.rejected == 3


def test_a_frame_split_at_every_byte_is_read_once():
    for cut in range(len(ID12) + 1):
        p = Id12Protocol()
        frames = p.feed(ID12[:cut]) + p.feed(ID12[cut:])
        assert [f.code for f in frames] == ["62E3086CED"], cut
        assert p.rejected == 0, cut
