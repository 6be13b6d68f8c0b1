"""Chafon UHF readers (UHFReader18, CF-RU5102, UHFReader288M and their relatives).

They answer only when asked: the host sends Inventory (0x01) and the reader replies with the
tags it found. Every frame is Len, Adr, Cmd/reCmd, [Status], Data, CRC-16 (LSB first); Len
counts the bytes after itself; the CRC is CRC-16/MCRF4XX over Len..Data.

Inventory answer data: UHFReader18: Num, then per tag EPC length and EPC. UHFReader288M:
Ant (antenna bit mask), Num, then per tag length (bit 7: EPC + 12-byte TID), data and RSSI.
Status 0x01 done, 0x02 timeout, 0x03 more frames follow, 0x04 reader memory full: all carry
tags; 0xF8 is an antenna fault.
"""

from __future__ import annotations

from firmware_bridge.protocols.base import Frame
from firmware_bridge.protocols.crc import crc16_mcrf4xx
from firmware_bridge.protocols.framed import BAD, MORE, NOISE, OK, FramedDriver
from firmware_bridge.protocols.options import choice, integer, seconds

INVENTORY = 0x01
BROADCAST = 0xFF
WITH_TAGS = frozenset({0x01, 0x02, 0x03, 0x04})
MORE_FOLLOWS, ANTENNA_FAULT = 0x03, 0xF8
# UHFReader288M Inventory parameters: Q 15, session S0, mask on EPC memory with no mask,
# target A, antenna 1, scan time 0x14 x 100 ms.
PARAMS_288M = bytes.fromhex("0f0001000000008014")
TID_SIZE = 12
UNANSWERED_POLLS = 5  # polls skipped while an answer is awaited, before asking again

Tag = tuple[bytes, int | None, int | None]  # EPC, antenna, RSSI


def chafon_frame(address: int, command: int, data: bytes = b"") -> bytes:
    """A host command (or, with a status byte in front of the data, a reader answer)."""
    body = bytes((len(data) + 4, address, command)) + data
    return body + crc16_mcrf4xx(body).to_bytes(2, "little")


def inventory_command(address: int = BROADCAST, variant: str = "uhfreader18") -> bytes:
    return chafon_frame(address, INVENTORY, PARAMS_288M if variant == "uhfreader288m" else b"")


class ChafonProtocol(FramedDriver):
    OPTIONS = {
        **FramedDriver.OPTIONS,
        "address": integer(0, 255),
        "poll_interval": seconds(0.0, 60.0),
        "variant": choice("uhfreader18", "uhfreader288m"),
    }

    def __init__(
        self,
        idle_gap: float | None = None,
        address: int = BROADCAST,
        poll_interval: float = 0.2,
        variant: str = "uhfreader18",
    ) -> None:
        super().__init__(idle_gap)
        self.address = address
        self.poll_interval = poll_interval
        self.variant = variant
        self._command = inventory_command(address, variant)
        self._unanswered = 0  # polls since the inventory now awaited was sent; 0: none awaited

    def poll(self) -> bytes:
        """Ask for an inventory, unless the last one is still being answered."""
        if 0 < self._unanswered < UNANSWERED_POLLS:
            self._unanswered += 1
            return b""
        self._unanswered = 1
        return self._command

    def reset(self) -> None:
        super().reset()
        self._unanswered = 0

    def _measure(self, buf: bytearray, pos: int, end: int) -> tuple[int, int]:
        length = buf[pos]
        if length < 5:
            return NOISE, 0
        if end - pos > 1 and self.address != BROADCAST and buf[pos + 1] != self.address:
            return NOISE, 0
        if end - pos > 2 and buf[pos + 2] != INVENTORY:
            # The bridge sends nothing else, so nothing else is answered; checking this
            # before the CRC keeps a noisy line from costing a CRC per byte.
            return NOISE, 0
        if end - pos <= length:
            return MORE, 0
        if crc16_mcrf4xx(buf[pos : pos + length + 1]):
            self._why = "reader frame with a bad CRC"
            return BAD, length + 1
        return OK, length + 1

    def _handle(self, raw: bytes, frames: list[Frame]) -> None:
        status = raw[3]
        if status != MORE_FOLLOWS:
            self._unanswered = 0
        if status == ANTENNA_FAULT:
            self.last_error = "reader reports an antenna fault: is the antenna connected?"
            return
        if status not in WITH_TAGS:
            return
        data = raw[4:-2]
        tags = _tags_288m(data) if self.variant == "uhfreader288m" else _tags_18(data)
        if tags is None:
            self._reject(f"inventory answer whose tag list does not add up: {raw.hex()}")
            return
        for epc, antenna, rssi in tags:
            frames.append(Frame(epc.hex().upper(), raw, tag=True, antenna=antenna, rssi=rssi))


def _tags_18(data: bytes) -> list[Tag] | None:
    """Num, then (length, EPC) per tag; None when the lengths do not fill the data exactly."""
    if not data:
        return None
    tags: list[Tag] = []
    pos = 1
    for _ in range(data[0]):
        size = data[pos] if pos < len(data) else 0
        epc = data[pos + 1 : pos + 1 + size]
        if size == 0 or len(epc) != size:
            return None
        tags.append((epc, None, None))
        pos += 1 + size
    return tags if pos == len(data) else None


def _tags_288m(data: bytes) -> list[Tag] | None:
    """Ant, Num, then (length, EPC [+ TID], RSSI) per tag."""
    if len(data) < 2:
        return None
    mask = data[0]
    antenna = mask.bit_length() if mask and not mask & (mask - 1) else None
    tags: list[Tag] = []
    pos = 2
    for _ in range(data[1]):
        if pos >= len(data):
            return None
        size, with_tid = data[pos] & 0x7F, data[pos] & 0x80
        body = data[pos + 1 : pos + 1 + size]
        epc = body[:-TID_SIZE] if with_tid else body
        if not epc or len(body) != size or pos + 1 + size >= len(data):
            return None
        tags.append((epc, antenna, data[pos + 1 + size]))
        pos += 2 + size
    return tags if pos == len(data) else None
