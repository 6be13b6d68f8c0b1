"""Choosing a driver and its options by name, as a station's configuration does, and the
simulated devices that go with each driver."""

import pytest

from firmware_bridge.devices import DEVICES, bad_checksum, make_device, noise, truncated
from firmware_bridge.protocols import (
    PROTOCOLS,
    LineProtocol,
    ScannerProtocol,
    make_protocol,
)

SAMPLE = {
    "scanner": "WC-TJ-2002-0137",
    "line": "WC-TJ-2002-0137",
    "ssi": "WC-TJ-2002-0137",
    "rdm6300": "62E3086CED",
    "id12": "62E3086CED",
    "chafon": "E2000017221101441890ABCD",
    "m100": "E2000017221101441890ABCD",
    "vault": "62E3086CED",
}


def test_line_still_names_the_scanner_driver():
    p = make_protocol("line")
    assert isinstance(p, LineProtocol) and isinstance(p, ScannerProtocol)
    assert [f.code for f in p.feed(b"A-1\r\n")] == ["A-1"]


@pytest.mark.parametrize("name", sorted(PROTOCOLS))
def test_every_driver_has_the_whole_interface(name):
    p = make_protocol(name)
    assert (p.rejected, p.lost, p.last_error) == (0, 0, "")
    assert p.idle_gap is None or p.idle_gap > 0
    assert p.poll_interval is None or p.poll_interval > 0
    for call in (p.idle, p.replies, p.opening, p.poll, p.reset):
        call()


@pytest.mark.parametrize("name", sorted(PROTOCOLS))
def test_an_unknown_option_is_named(name):
    with pytest.raises(ValueError, match=rf"protocol '{name}': unknown option 'baudrate'"):
        make_protocol(name, {"baudrate": 9600})


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("scanner", {"idle_gap": "50ms"}, "option 'idle_gap' must be a number of seconds"),
        ("scanner", {"idle_gap": 0}, "option 'idle_gap' must be a number of seconds"),
        ("scanner", {"terminator": "TAB"}, "option 'terminator' must be one of"),
        ("scanner", {"prefix": "\x1b"}, "option 'prefix' must be 1 to 16 printable"),
        ("scanner", {"symbologies": "C0"}, "option 'symbologies' must be a non-empty list"),
        ("scanner", {"symbologies": ["]1X"]}, "option 'symbologies' must list AIM"),
        ("scanner", {"aim": "drop"}, "option 'aim' must be one of"),
        ("ssi", {"ack": "yes"}, "option 'ack' must be true or false"),
        ("chafon", {"address": 256}, "option 'address' must be a whole number from 0 to 255"),
        ("chafon", {"address": True}, "option 'address' must be a whole number"),
        ("m100", {"mode": "burst"}, "option 'mode' must be one of"),
        ("rdm6300", {"repeats": "twice"}, "option 'repeats' must be one of"),
        ("vault", {"device": "gate 1"}, "option 'device' must be a gate name"),
        ("vault", {"max_length": 8}, "option 'max_length' must be a whole number from 32"),
    ],
)
def test_a_bad_value_names_the_option_and_what_it_takes(name, options, message):
    with pytest.raises(ValueError, match=f"protocol '{name}': {message}"):
        make_protocol(name, options)


def test_options_must_be_a_table():
    with pytest.raises(ValueError, match="options must be a table"):
        make_protocol("scanner", ["terminator"])  # type: ignore[arg-type]


def test_every_driver_has_a_simulated_device():
    assert set(DEVICES) == set(PROTOCOLS)
    with pytest.raises(ValueError, match="no simulated device speaks 'morse'"):
        make_device("morse")


@pytest.mark.parametrize("name", sorted(PROTOCOLS))
def test_each_device_read_is_what_its_driver_reads(name):
    p, device = make_protocol(name), make_device(name)
    frames = p.feed(device.read(SAMPLE[name])) + p.idle()
    assert [f.code for f in frames] == [SAMPLE[name]]
    assert frames[0].tag == (name not in ("scanner", "line", "ssi"))
    assert p.rejected == 0


@pytest.mark.parametrize("name", sorted(set(PROTOCOLS) - {"scanner", "line"}))
def test_each_fault_variant_is_rejected_and_the_next_read_gets_through(name):
    p, device = make_protocol(name), make_device(name)
    frame = device.read(SAMPLE[name])
    end = b"\n" if name == "vault" else b""  # a cut line still ends at the next LF
    counts = []
    frames: list = []
    for fault in (bad_checksum(name, frame), truncated(frame) + end, noise(16, seed=11) + end):
        frames += p.feed(fault) + p.idle()
        counts.append(p.rejected)
    frames += p.feed(device.read(SAMPLE[name])) + p.idle()
    assert [f.code for f in frames] == [SAMPLE[name]]
    assert counts[0] == 1 and counts[0] < counts[1] < counts[2], counts


def test_scanner_records_have_no_checksum_to_break():
    with pytest.raises(ValueError, match="carry no checksum"):
        bad_checksum("scanner", b"A-1\r\n")
