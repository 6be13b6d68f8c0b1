"""125 kHz EM4100 readers that print each tag as ASCII hex.

RDM6300 / RDM630 (Seeed "125Khz RFID module - UART"): STX, 10 hex digits (2 version/customer
+ 8 tag), 2 hex digits of checksum (XOR of the 5 data bytes), ETX; 14 bytes at 9600 8N1.
ID-12 / ID-20 (ID Innovations, ASCII mode): the same with CR LF before the ETX; 16 bytes.

The module keeps sending the frame while the tag stays in the field. With `repeats = "once"`
a frame equal to the previous one is dropped until the line has gone quiet (the tag left),
so a presentation gives one read; the default passes every frame on and leaves that to the
station loop's repeat filter, which has a clock.
"""

from __future__ import annotations

import re

from firmware_bridge.protocols.base import Frame
from firmware_bridge.protocols.framed import BAD, MORE, NOISE, OK, FramedDriver
from firmware_bridge.protocols.options import choice

STX, ETX = 0x02, 0x03


class Rdm6300Protocol(FramedDriver):
    OPTIONS = {**FramedDriver.OPTIONS, "repeats": choice("all", "once")}
    SIZE = 14
    _FRAME = re.compile(rb"\x02([0-9A-Fa-f]{10})([0-9A-Fa-f]{2})\x03")
    _START = re.compile(rb"\x02[0-9A-Fa-f]{0,12}\Z")  # a frame still arriving

    def __init__(self, idle_gap: float | None = None, repeats: str = "all") -> None:
        super().__init__(idle_gap)
        self.repeats = repeats
        self._previous = b""

    def idle(self) -> list[Frame]:
        self._previous = b""  # the line went quiet: the tag has left the field
        return super().idle()

    def _next_start(self, buf: bytearray, pos: int, end: int) -> int:
        found = buf.find(STX, pos, end)
        return end if found < 0 else found

    def _measure(self, buf: bytearray, pos: int, end: int) -> tuple[int, int]:
        if buf[pos] != STX:
            return NOISE, 0
        match = self._FRAME.match(buf, pos)
        if match is None:
            return (MORE, 0) if self._START.match(buf, pos, end) else (NOISE, 0)
        value = int(match[1], 16)
        xor = (value ^ value >> 8 ^ value >> 16 ^ value >> 24 ^ value >> 32) & 0xFF
        if xor != int(match[2], 16):
            self._why = f"bad checksum on tag {match[1].decode('ascii').upper()}"
            return BAD, self.SIZE
        return OK, self.SIZE

    def _handle(self, raw: bytes, frames: list[Frame]) -> None:
        if self.repeats == "once":
            if raw[1:11] == self._previous:
                return
            self._previous = raw[1:11]
        frames.append(Frame(raw[1:11].decode("ascii").upper(), raw, tag=True))


class Id12Protocol(Rdm6300Protocol):
    SIZE = 16
    _FRAME = re.compile(rb"\x02([0-9A-Fa-f]{10})([0-9A-Fa-f]{2})\r\n\x03")
    _START = re.compile(rb"\x02(?:[0-9A-Fa-f]{0,11}|[0-9A-Fa-f]{12}(?:\r\n?)?)\Z")
