"""The serial barcode scanner driver, fed the bytes scanners send.

Record layouts from the scanner manuals cited in docs/shared serial-devices.md §1: Zebra/Symbol
"Standard" RS-232 host (DS6608 guide p.88: suffix CR/LF, or "data as is" with no terminator;
Olivetti host: STX prefix, ETX suffix); AIM identifiers from the NCR 7895 programming reference
("AIM Code Identifiers": `]C1AIMID`, `]A7AIMID`, `]I04123`) and the Zebra DS2208 guide p.324
(`]L2ABCD`).
"""

import pytest

from firmware_bridge.devices import ScannerDevice
from firmware_bridge.protocols import Frame, ScannerProtocol, make_protocol

CODE = "WC-TJ-2002-0137"


def split_everywhere(make, data: bytes):
    """Feed `data` in two pieces at every byte boundary, then one byte at a time."""
    for cut in [*range(len(data) + 1), None]:
        protocol = make()
        if cut is None:
            frames = [f for i in range(len(data)) for f in protocol.feed(data[i : i + 1])]
        else:
            frames = protocol.feed(data[:cut]) + protocol.feed(data[cut:])
        yield cut, frames, protocol


@pytest.mark.parametrize("end", [b"\r", b"\n", b"\r\n", b"\x03"])
def test_each_terminator_ends_one_read(end):
    p = ScannerProtocol()
    frames = p.feed(CODE.encode() + end + b"WC-TJ-2002-0138" + end)
    assert frames == [Frame(CODE, CODE.encode()), Frame("WC-TJ-2002-0138", b"WC-TJ-2002-0138")]
    assert p.rejected == 0


def test_olivetti_stx_etx_record_is_read_without_the_stx():
    p = ScannerProtocol()
    assert p.feed(b"\x02" + CODE.encode() + b"\x03") == [Frame(CODE, b"\x02" + CODE.encode())]


def test_data_as_is_without_terminator_ends_when_the_line_goes_quiet():
    p = ScannerProtocol()
    assert p.idle_gap == pytest.approx(0.05)
    assert p.feed(CODE.encode()) == []
    assert p.idle() == [Frame(CODE, CODE.encode())]
    assert p.idle() == []  # nothing pending: a second quiet spell reads nothing


def test_once_a_scanner_has_sent_a_terminator_a_quiet_line_does_not_cut_a_code():
    p = ScannerProtocol()
    assert [f.code for f in p.feed(b"WC-TJ-2004-0201\r")] == ["WC-TJ-2004-0201"]
    assert p.feed(b"WC-TJ-20") == []
    assert p.idle() == []  # a slow line, not the end of the record
    assert [f.code for f in p.feed(b"02-0137\r")] == [CODE]
    assert p.rejected == 0


def test_a_fixed_terminator_needs_no_idle_handling_and_waits_for_it():
    p = make_protocol("scanner", {"terminator": "CR"})
    assert p.idle_gap is None
    assert p.feed(b"WC-TJ-20") == []
    assert p.idle() == []
    assert [f.code for f in p.feed(b"02-0137\r")] == [CODE]


def test_terminator_none_reads_only_at_the_quiet_line_and_rejects_line_ends():
    p = make_protocol("scanner", {"terminator": "none"})
    assert p.feed(CODE.encode()) == []
    assert [f.code for f in p.idle()] == [CODE]
    p.feed(b"ABC\r\n")
    assert p.idle() == []
    assert p.rejected == 1


def test_crlf_terminator_rejects_a_record_ended_by_lf_alone():
    p = make_protocol("scanner", {"terminator": "\r\n"})
    assert p.terminator == "CRLF"
    frames = p.feed(b"BAD-1\nWC-TJ-2002-0137\r\n")
    assert [f.code for f in frames] == [CODE]
    assert p.rejected == 1


def test_configured_prefix_and_suffix_are_stripped_and_required():
    p = make_protocol("scanner", {"prefix": "#S", "suffix": "!"})
    frames = p.feed(b"#SWC-TJ-2002-0137!\r\nWC-TJ-2004-0201!\r\n#SWC-TJ-2004-0201\r\n")
    assert [f.code for f in frames] == [CODE]
    assert p.rejected == 2
    assert "prefix" in p.last_error or "suffix" in p.last_error


@pytest.mark.parametrize(
    ("record", "code"),
    [
        (b"]C1AIMID", "AIMID"),  # NCR: Code 128 / GS1-128
        (b"]A7AIMID", "AIMID"),  # NCR: Code 39 full ASCII
        (b"]I04123", "4123"),  # NCR: Interleaved 2 of 5
        (b"]L2ABCD", "ABCD"),  # Zebra DS2208: PDF417
        (b"]d2WC-TJ-2002-0137", CODE),  # GS1 Data Matrix
        (b"]zCAZTEC", "AZTEC"),  # Aztec, modifier letter (Datalogic 9800i)
    ],
)
def test_aim_identifiers_are_stripped(record, code):
    assert [f.code for f in ScannerProtocol().feed(record + b"\r")] == [code]


def test_aim_keep_leaves_the_identifier_and_require_rejects_codes_without():
    keep = make_protocol("scanner", {"aim": "keep"})
    assert [f.code for f in keep.feed(b"]C0" + CODE.encode() + b"\r")] == ["]C0" + CODE]
    require = make_protocol("scanner", {"aim": "require"})
    assert require.feed(CODE.encode() + b"\r") == []
    assert require.rejected == 1


def test_only_allowed_symbologies_are_read():
    p = make_protocol("scanner", {"symbologies": ["]C0", "Q"]})
    frames = p.feed(b"]C0A-1\r]E04006381333931\r]Q3B-2\r]C1C-3\rD-4\r")
    assert [f.code for f in frames] == ["A-1", "B-2"]
    assert p.rejected == 3


def test_garbled_bytes_are_rejected_never_read():
    p = ScannerProtocol()
    frames = p.feed(b"WC\x00TJ\xff\r\n\x1b[2J\r\nWC TJ\r\nWC-TJ-2004-0201\r\n")
    assert [f.code for f in frames] == ["WC-TJ-2004-0201"]
    assert p.rejected == 3


def test_an_oversize_record_counts_once_and_the_next_still_reads():
    p = make_protocol("scanner", {"max_length": 32})
    frames = []
    for _ in range(20):
        frames += p.feed(b"9" * 25)
    frames += p.feed(b"\r\nWC-TJ-2004-0201\r\n")
    assert [f.code for f in frames] == ["WC-TJ-2004-0201"]
    assert p.rejected == 1


def test_a_record_split_at_every_byte_still_reads_once():
    data = b"\x02#S]C0" + CODE.encode() + b"!\r\n"
    for cut, frames, p in split_everywhere(
        lambda: make_protocol("scanner", {"prefix": "#S", "suffix": "!"}), data
    ):
        assert [f.code for f in frames] == [CODE], cut
        assert p.rejected == 0, cut


def test_reset_drops_a_partial_record():
    p = ScannerProtocol()
    p.feed(b"WC-TJ-20")
    p.reset()
    assert [f.code for f in p.feed(b"B-1\r")] == ["B-1"]


def test_the_simulated_scanner_writes_what_the_driver_reads():
    device = ScannerDevice(terminator=b"\x03", prefix=b">", aim="]C0", stx=True)
    p = make_protocol("scanner", {"prefix": ">"})
    assert device.read(CODE) == b"\x02>]C0" + CODE.encode() + b"\x03"
    assert [f.code for f in p.feed(device.read(CODE) * 2)] == [CODE, CODE]
    assert (device.heartbeat(), device.answer(b"x")) == (b"", b"")
