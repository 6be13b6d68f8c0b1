"""Vault's line protocol, gate side, and the reader-module parsers a gate needs.

The same file runs on the gate (MicroPython on an RP2040 or ESP32) and in the bridge's tests
and simulator (CPython), so it keeps to what both have: plain functions and classes, bytes,
simple f-strings (MicroPython 1.17 and later); no dataclasses, typing or bytes.hex(). No
hardware is touched here; main.py does that.

A frame is one ASCII line (docs/vault-protocol.md):
    V1,<device>,<seq>,<type>[,<field>...]*<CRC>\n
CRC: CRC-16/CCITT-FALSE of everything before the "*", as 4 upper-case hex digits.
"""

try:
    from binascii import crc_hqx
except ImportError:  # MicroPython's binascii has no crc_hqx
    crc_hqx = None

VERSION = 1
SEQ_MODULO = 65536
MAX_LINE = 160
HELLO, HEARTBEAT, READ = "H", "B", "R"
EM, EPC, BARCODE = "EM", "EPC", "BC"
HEX_DIGITS = "0123456789ABCDEFabcdef"
DEVICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."

_table = []


def crc16_table(data):
    """CRC-16/CCITT-FALSE (poly 0x1021, preset 0xFFFF, no reflection, no final xor)."""
    if not _table:
        for byte in range(256):
            crc = byte << 8
            for _ in range(8):
                crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            _table.append(crc & 0xFFFF)
    crc = 0xFFFF
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ _table[(crc >> 8) ^ byte]
    return crc


def crc16(data):
    """The line CRC; CPython's C routine when there is one, the table otherwise."""
    if crc_hqx is not None:
        return crc_hqx(data, 0xFFFF)
    return crc16_table(data)


def _field(value):
    text = "" if value is None else str(value)
    for char in text:
        if char in ",*" or not " " < char <= "~":
            raise ValueError(f"field {text!r} holds a character the line protocol cannot carry")
    return text


def encode(device, seq, kind, fields=()):
    """One frame as bytes, ending in LF. Trailing empty fields are left off."""
    if not device or len(device) > 32 or [c for c in device if c not in DEVICE_CHARS]:
        raise ValueError(f"device name {device!r}: 1-32 letters, digits, '-', '_' or '.'")
    parts = [_field(f) for f in fields]
    while parts and not parts[-1]:
        parts.pop()
    body = ",".join([f"V{VERSION}", device, str(seq % SEQ_MODULO), kind] + parts)
    body = body.encode()
    if len(body) + 6 > MAX_LINE:
        raise ValueError(f"frame longer than {MAX_LINE} bytes")
    return body + b"*" + (f"{crc16(body):04X}").encode() + b"\n"


class Link:
    """Numbers a gate's frames and hands them to `write` (a UART's or stdout's write)."""

    def __init__(self, device, write=None, firmware="", reader="", heartbeat_s=0):
        self.device = device
        self.write = write
        self.firmware = firmware
        self.reader = reader
        self.heartbeat_s = heartbeat_s
        self.seq = 0

    def _send(self, kind, fields, copies=1):
        data = encode(self.device, self.seq, kind, fields)
        self.seq = (self.seq + 1) % SEQ_MODULO
        if self.write is not None:
            for _ in range(copies):
                self.write(data)
        return data

    def hello(self):
        """First frame after power-up: the host starts counting this gate's frames anew."""
        self.seq = 0
        return self._send(HELLO, (self.firmware, self.reader, self.heartbeat_s))

    def heartbeat(self, uptime_s):
        return self._send(HEARTBEAT, (uptime_s,))

    def read(self, kind, code, rssi=None, antenna=None, copies=1):
        """A read; on a noisy link `copies` > 1 sends it again under the same number."""
        return self._send(READ, (kind, code, rssi, antenna), copies)


def _hex(text):
    """int of an all-hex-digit bytes string, or None (int() alone also takes ' +_')."""
    text = bytes(text).decode()
    for char in text:
        if char not in HEX_DIGITS:
            return None
    return int(text, 16)


def rdm6300_code(frame):
    """The 10 hex digits of a 14-byte RDM6300 frame, upper-case, or None if it is not one."""
    if len(frame) != 14 or frame[0] != 2 or frame[13] != 3:
        return None
    value, check = _hex(frame[1:11]), _hex(frame[11:13])
    if value is None or check is None:
        return None
    xor = 0
    for shift in (0, 8, 16, 24, 32):
        xor ^= (value >> shift) & 0xFF
    return f"{value:010X}" if xor == check else None


class Rdm6300Parser:
    """RDM6300 bytes in, (code, None) out; noise and bad frames are skipped."""

    def __init__(self):
        self._buf = b""

    def feed(self, data):
        buf = self._buf + bytes(data)
        tags = []
        while True:
            start = buf.find(b"\x02")
            if start < 0 or len(buf) - start < 14:
                buf = b"" if start < 0 else buf[start:]
                break
            code = rdm6300_code(buf[start : start + 14])
            if code is None:
                buf = buf[start + 1 :]
            else:
                tags.append((code, None))
                buf = buf[start + 14 :]
        self._buf = buf
        return tags


def m100_command(command, params=b""):
    body = bytes([0, command, len(params) >> 8, len(params) & 0xFF]) + params
    return b"\xbb" + body + bytes([sum(body) & 0xFF, 0x7E])


M100_MULTIPLE_POLL = m100_command(0x27, b"\x22\xff\xff")  # BB 00 27 00 03 22 FF FF 4A 7E


def m100_tag(frame):
    """(EPC hex, RSSI) from a checked M100 tag notice, or None for any other frame."""
    if frame[1] != 2 or frame[2] != 0x22 or len(frame) < 13:
        return None
    params = frame[5:-2]
    pc_epc = params[1:-2]
    if crc16(pc_epc) ^ 0xFFFF != (params[-2] << 8 | params[-1]):
        return None  # the tag's Gen2 CRC
    epc = "".join([f"{b:02X}" for b in pc_epc[2:]])
    rssi = params[0] - 256 if params[0] > 127 else params[0]
    return (epc, rssi)


class M100Parser:
    """M100 bytes in, (EPC, RSSI) out. Frames are cut by their length, not at 0x7E."""

    def __init__(self):
        self._buf = b""

    def feed(self, data):
        buf = self._buf + bytes(data)
        tags = []
        while True:
            start = buf.find(b"\xbb")
            buf = b"" if start < 0 else buf[start:]
            if len(buf) < 7:
                break
            size = 7 + (buf[3] << 8 | buf[4])
            if buf[1] > 2 or size > 519:
                buf = buf[1:]
                continue
            if len(buf) < size:
                break
            frame = buf[:size]
            if frame[-1] != 0x7E or sum(frame[1:-2]) & 0xFF != frame[-2]:
                buf = buf[1:]
                continue
            buf = buf[size:]
            tag = m100_tag(frame)
            if tag is not None:
                tags.append(tag)
        self._buf = buf
        return tags


class RepeatFilter:
    """One read per presentation: readers repeat a tag for as long as it stays in the field.

    A code is passed on when it has not been seen for `hold_ms`. `diff(a, b)` is a - b in
    milliseconds; on MicroPython pass time.ticks_diff, which copes with the tick wrap."""

    def __init__(self, hold_ms, diff=None):
        self.hold_ms = hold_ms
        self.diff = diff if diff is not None else (lambda a, b: a - b)
        self._seen = {}

    def accept(self, code, now_ms):
        last = self._seen.get(code)
        self._seen[code] = now_ms
        if len(self._seen) > 64:  # bounded memory on the gate: forget tags long gone
            for old in [c for c, t in self._seen.items() if self.diff(now_ms, t) > self.hold_ms]:
                del self._seen[old]
        return last is None or self.diff(now_ms, last) > self.hold_ms
