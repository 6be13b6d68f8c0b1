"""The serial line driver, fed bytes directly."""

import pytest

from firmware_bridge.protocols import Frame, LineProtocol, make_protocol


@pytest.mark.parametrize("end", [b"\r", b"\n", b"\r\n"])
def test_each_terminator_ends_one_read(end):
    p = LineProtocol()
    assert p.feed(b"WC-TJ-2002-0137" + end + b"WC-TJ-2002-0138" + end) == [
        Frame("WC-TJ-2002-0137", b"WC-TJ-2002-0137"),
        Frame("WC-TJ-2002-0138", b"WC-TJ-2002-0138"),
    ]
    assert p.rejected == 0


def test_a_line_split_across_reads_is_joined():
    p = LineProtocol()
    assert p.feed(b"WC-TJ-") == []
    assert p.feed(b"2002-01") == []
    assert [f.code for f in p.feed(b"37\r\n")] == ["WC-TJ-2002-0137"]


def test_blank_lines_are_ignored_not_rejected():
    p = LineProtocol()
    assert p.feed(b"\r\n\r\n\n") == []
    assert p.rejected == 0


def test_garbled_bytes_are_rejected_never_read():
    p = LineProtocol()
    frames = p.feed(b"WC\x00TJ\xff\r\n\x1b[2J\r\nWC-TJ-2004-0201\r\n")
    assert [f.code for f in frames] == ["WC-TJ-2004-0201"]
    assert p.rejected == 2


def test_an_endless_line_is_rejected_and_the_next_line_still_reads():
    p = LineProtocol(max_line=32)
    frames = p.feed(b"9" * 500 + b"\r\nWC-TJ-2004-0201\r\n")
    assert [f.code for f in frames] == ["WC-TJ-2004-0201"]
    assert p.rejected == 1


def test_reset_drops_a_partial_line():
    p = LineProtocol()
    p.feed(b"WC-TJ-20")
    p.reset()
    assert [f.code for f in p.feed(b"B-1\r")] == ["B-1"]


def test_unknown_protocol_is_named():
    with pytest.raises(ValueError, match="unknown protocol 'morse'"):
        make_protocol("morse")
