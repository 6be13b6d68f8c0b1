"""Random bytes, cut at random places, into every driver.

Whatever arrives, a driver never raises, never counts fewer rejections than before, and reads
nothing that was not sent as a frame: valid frames with noise between them come back exactly,
in order, however the bytes were split across reads.
"""

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from firmware_bridge.devices import make_device
from firmware_bridge.protocols import PROTOCOLS, make_protocol

FAST = settings(
    max_examples=100,
    deadline=None,
    database=None,  # nothing written into the work tree
    suppress_health_check=[HealthCheck.too_slow],
)
PRINTABLE = string.ascii_letters + string.digits + "-_./:"
HEX = st.text("0123456789ABCDEF", min_size=1, max_size=16).map(lambda s: s + s)  # even
CODES = {
    "scanner": st.text(PRINTABLE, min_size=1, max_size=30),
    "line": st.text(PRINTABLE, min_size=1, max_size=30),
    "ssi": st.text(PRINTABLE, min_size=1, max_size=300),
    "rdm6300": st.text("0123456789ABCDEF", min_size=10, max_size=10),
    "id12": st.text("0123456789ABCDEF", min_size=10, max_size=10),
    "chafon": HEX,
    "m100": HEX,
    "vault": st.text("0123456789ABCDEF", min_size=10, max_size=10),
}
# Noise for text scanners: bytes no scanner record may hold, so a noise record is never a code.
SCANNER_NOISE = bytes(b for b in range(256) if not 0x20 < b < 0x7F and b not in b"\r\n\x03")


def feed_in_pieces(protocol, data: bytes, cuts: list[int], quiet: bool) -> list:
    """Feed `data` split at `cuts`; return the frames; check the counter never goes down."""
    frames, rejected, start = [], 0, 0
    for cut in [*sorted(set(cuts)), len(data)]:
        frames += protocol.feed(data[start:cut])
        if quiet:
            frames += protocol.idle()
        assert protocol.rejected >= rejected
        rejected = protocol.rejected
        start = cut
    frames += protocol.idle()
    assert protocol.rejected >= rejected
    protocol.replies(), protocol.poll()
    return frames


@pytest.mark.parametrize("name", sorted(PROTOCOLS))
@FAST
@given(
    data=st.binary(max_size=600),
    cuts=st.lists(st.integers(0, 600), max_size=8),
    quiet=st.booleans(),
)
def test_random_bytes_never_raise_and_every_read_is_clean(name, data, cuts, quiet):
    protocol = make_protocol(name)
    for frame in feed_in_pieces(protocol, data, cuts, quiet):
        assert isinstance(frame.code, str) and isinstance(frame.raw, bytes)
        assert frame.heartbeat or frame.code.isascii() and frame.code.isprintable()
        assert frame.raw in data


@pytest.mark.parametrize("name", sorted(PROTOCOLS))
@FAST
@given(data=st.binary(max_size=300), rest=st.data())
def test_after_any_noise_and_a_quiet_line_the_next_frame_is_read(name, data, rest):
    protocol, device = make_protocol(name), make_device(name)
    protocol.feed(data)
    protocol.idle()
    if name in ("scanner", "line"):
        protocol.feed(b"\r")  # a scanner that sends terminators only ends a record at one
    elif name == "vault":
        protocol.feed(b"\n")
    code = rest.draw(CODES[name])
    frames = protocol.feed(device.read(code)) + protocol.idle()
    assert [f.code for f in frames] == [code]


@pytest.mark.parametrize("name", sorted(PROTOCOLS))
@FAST
@given(rest=st.data())
def test_frames_between_noise_come_back_exactly(name, rest):
    device = make_device(name)
    codes = rest.draw(st.lists(CODES[name], min_size=1, max_size=5))
    stream = b""
    for code in codes:
        if name in ("scanner", "line"):
            junk = rest.draw(st.binary(min_size=1, max_size=30))
            stream += bytes(SCANNER_NOISE[b % len(SCANNER_NOISE)] for b in junk) + b"\r"
        else:
            stream += rest.draw(st.binary(max_size=60))
        stream += device.read(code)
    cuts = rest.draw(st.lists(st.integers(0, len(stream)), max_size=10))
    protocol = make_protocol(name)
    frames = feed_in_pieces(protocol, stream, cuts, quiet=False)
    assert [f.code for f in frames] == codes
