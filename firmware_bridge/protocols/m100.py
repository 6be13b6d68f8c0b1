"""MagicRF M100 / QM100 UHF modules (R200, JRD-4035, YRM100, M5Stack UHF unit).

Frame: Header 0xBB, Type (0 command, 1 answer, 2 notice), Command, PL (2 bytes, big-endian),
PL bytes of parameters, Checksum (low byte of the sum Type..last parameter), End 0x7E.
Frames are cut by PL, never at the first 0x7E, because 0x7E can occur inside an EPC.

A tag read is notice 0x02 / command 0x22: RSSI (signed), PC (2), EPC (PL - 5), CRC (2), where
CRC is the tag's own Gen2 CRC over PC + EPC, checked here unless `tag_crc = false`.
On opening, the module is told to poll continuously (command 0x27, 65535 rounds), and told
again every `poll_interval` so it never runs out of rounds; with `mode = "single"` the bridge
instead asks for one round (command 0x22) every `poll_interval`.
"""

from __future__ import annotations

from firmware_bridge.protocols.base import Frame
from firmware_bridge.protocols.crc import crc16_gen2
from firmware_bridge.protocols.framed import BAD, MORE, NOISE, OK, FramedDriver
from firmware_bridge.protocols.options import boolean, choice, integer, seconds

HEADER, END = 0xBB, 0x7E
COMMAND, ANSWER, NOTICE = 0x00, 0x01, 0x02
SINGLE_POLL, MULTIPLE_POLL = 0x22, 0x27
MAX_PARAMS = 512  # longer than any frame the module sends; stops noise holding the buffer


def m100_frame(kind: int, command: int, params: bytes = b"") -> bytes:
    body = bytes((kind, command)) + len(params).to_bytes(2, "big") + params
    return bytes((HEADER,)) + body + bytes((sum(body) & 0xFF, END))


def multiple_poll(rounds: int = 0xFFFF) -> bytes:
    """BB 00 27 00 03 22 FF FF 4A 7E for the default 65535 rounds."""
    return m100_frame(COMMAND, MULTIPLE_POLL, bytes((0x22,)) + rounds.to_bytes(2, "big"))


class M100Protocol(FramedDriver):
    OPTIONS = {
        **FramedDriver.OPTIONS,
        "mode": choice("multiple", "single"),
        "poll_interval": seconds(0.0, 3600.0),
        "rounds": integer(1, 0xFFFF),
        "tag_crc": boolean,
    }

    def __init__(
        self,
        idle_gap: float | None = None,
        mode: str = "multiple",
        poll_interval: float | None = None,
        rounds: int = 0xFFFF,
        tag_crc: bool = True,
    ) -> None:
        super().__init__(idle_gap)
        self.mode = mode
        self.tag_crc = tag_crc
        self._just_opened = False
        if mode == "multiple":
            self._poll = multiple_poll(rounds)
            self.poll_interval = 60.0 if poll_interval is None else poll_interval
        else:
            self._poll = m100_frame(COMMAND, SINGLE_POLL)
            self.poll_interval = 0.2 if poll_interval is None else poll_interval

    def opening(self) -> bytes:
        if self.mode != "multiple":
            return b""
        self._just_opened = True
        return self._poll

    def poll(self) -> bytes:
        """The polling command again; not right after opening() has just sent it."""
        if self._just_opened:
            self._just_opened = False
            return b""
        return self._poll

    def _next_start(self, buf: bytearray, pos: int, end: int) -> int:
        found = buf.find(HEADER, pos, end)
        return end if found < 0 else found

    def _measure(self, buf: bytearray, pos: int, end: int) -> tuple[int, int]:
        have = end - pos
        if buf[pos] != HEADER or (have > 1 and buf[pos + 1] > NOTICE):
            return NOISE, 0
        if have < 5:
            return MORE, 0
        params = buf[pos + 3] << 8 | buf[pos + 4]
        if params > MAX_PARAMS:
            return NOISE, 0
        size = params + 7
        if have < size:
            return MORE, 0
        if buf[pos + size - 1] != END:
            self._why = "module frame without its end byte"
            return BAD, size
        if sum(buf[pos + 1 : pos + size - 2]) & 0xFF != buf[pos + size - 2]:
            self._why = "module frame with a bad checksum"
            return BAD, size
        return OK, size

    def _handle(self, raw: bytes, frames: list[Frame]) -> None:
        if raw[1] != NOTICE or raw[2] != SINGLE_POLL:
            return  # answers to commands, and "no tag this round" (BB 01 FF 00 01 15 16 7E)
        params = raw[5:-2]
        if len(params) < 6:
            self._reject(f"tag notice too short to hold an EPC: {raw.hex()}")
            return
        pc_epc, crc = params[1:-2], params[-2] << 8 | params[-1]
        if self.tag_crc and crc16_gen2(pc_epc) != crc:
            self._reject(f"tag notice whose Gen2 CRC does not match: {raw.hex()}")
            return
        rssi = params[0] - 256 if params[0] > 127 else params[0]
        frames.append(Frame(pc_epc[2:].hex().upper(), raw, tag=True, rssi=rssi))
