"""Zebra/Symbol scanners in SSI mode (Simple Serial Interface, "decode data packet format").

Every packet is Length, Opcode, Message source, Status, Data..., Checksum (two bytes, high
first; two's complement of the sum of every byte before it); Length counts all bytes but the
checksum. A bar code arrives as DECODE_DATA (0xF3): Status, Bar code type, then the data.
Longer codes come in several packets, all but the last with the "continued" status bit.

With ACK/NAK handshaking (the scanner's default) the scanner waits for CMD_ACK and, if none
comes in time, sends the packet again up to twice with the retransmit bit set. So a good
packet is acknowledged, a broken one gets CMD_NAK (cause RESEND), and a retransmission of the
packet just received is acknowledged again but not read twice. The acknowledgements wait in
replies() until the loop has stored the reads: a scanner that got no ACK still holds the code.
"""

from __future__ import annotations

import re

from firmware_bridge.protocols.base import Frame
from firmware_bridge.protocols.crc import ssi_checksum
from firmware_bridge.protocols.framed import BAD, MORE, NOISE, OK, FramedDriver
from firmware_bridge.protocols.options import boolean, integer, list_of

CMD_ACK, CMD_NAK, DECODE_DATA = 0xD0, 0xD1, 0xF3
# What a decoder sends unprompted or in answer to the host (SSI programmer's guide, opcodes).
DECODER_OPCODES = frozenset({CMD_ACK, CMD_NAK, DECODE_DATA, 0xF6, 0xA4, 0xC6, 0x80})
SOURCE_DECODER, SOURCE_HOST = 0x00, 0x04
RETRANSMIT, CONTINUED = 0x01, 0x02
RESERVED_STATUS = 0xF4  # bits 2 and 4-7 are always zero
NAK_RESEND = 0x01  # cause: checksum failure, send it again
NO_READ = b"NR"  # sent instead of data when "Transmit No Read message" is enabled

_PRINTABLE = re.compile(rb"[\x21-\x7e]+")


def ssi_packet(opcode: int, data: bytes = b"", source: int = SOURCE_HOST, status: int = 0) -> bytes:
    """One SSI packet with its length and checksum."""
    body = bytes((len(data) + 4, opcode, source, status)) + data
    return body + ssi_checksum(body).to_bytes(2, "big")


ACK = ssi_packet(CMD_ACK)  # 04 D0 04 00 FF 28
NAK = ssi_packet(CMD_NAK, bytes((NAK_RESEND,)))


class SsiProtocol(FramedDriver):
    OPTIONS = {
        **FramedDriver.OPTIONS,
        "ack": boolean,
        "symbologies": list_of(integer(1, 255)),
        "max_length": integer(1, 65535),
    }

    def __init__(
        self,
        idle_gap: float | None = None,
        ack: bool = True,
        symbologies: tuple[int, ...] | None = None,
        max_length: int = 4096,
    ) -> None:
        super().__init__(idle_gap)
        self.ack = ack
        self.symbologies = frozenset(symbologies) if symbologies else None
        self.max_length = max_length
        self._packets: list[bytes] = []  # the packets of a code still arriving
        self._size = 0
        self._last: bytes | None = None  # the last good packet, retransmit bit cleared

    def reset(self) -> None:
        super().reset()
        self._packets, self._size, self._last = [], 0, None

    def resume(self, raw: bytes) -> None:
        """The last packet of the last stored read: if the bridge was killed after storing it
        but before its ACK went out, the scanner's retransmission of it is dropped (and ACKed)."""
        pos, last = 0, None
        while pos < len(raw) and pos + raw[pos] + 2 <= len(raw):
            last, pos = raw[pos : pos + raw[pos] + 2], pos + raw[pos] + 2
        if last is not None and pos == len(raw) and len(last) >= 7:
            self._last = self._key(last)

    @staticmethod
    def _key(packet: bytes) -> bytes:
        """A packet as compared for retransmission: its retransmit bit and checksum left out."""
        return packet[:3] + bytes((packet[3] & ~RETRANSMIT,)) + packet[4:-2]

    def _reject(self, reason: str) -> None:
        super()._reject(reason)
        self._last = None  # something was missed: the next retransmission must be read

    def _on_broken(self) -> None:
        if self.ack:
            self._replies += NAK

    def _measure(self, buf: bytearray, pos: int, end: int) -> tuple[int, int]:
        length = buf[pos]
        have = end - pos
        if length < 4:
            return NOISE, 0
        if have > 1 and (
            buf[pos + 1] not in DECODER_OPCODES or (buf[pos + 1] == DECODE_DATA and length < 5)
        ):
            return NOISE, 0
        if have > 2 and buf[pos + 2] != SOURCE_DECODER:
            return NOISE, 0
        if have > 3 and buf[pos + 3] & RESERVED_STATUS:
            return NOISE, 0
        if have < length + 2:
            return MORE, 0
        if (sum(buf[pos : pos + length + 2]) + buf[pos + length] * 255) & 0xFFFF:
            self._why = "SSI packet with a bad checksum"
            return BAD, length + 2
        return OK, length + 2

    def _handle(self, raw: bytes, frames: list[Frame]) -> None:
        opcode, status = raw[1], raw[3]
        if opcode in (CMD_ACK, CMD_NAK):
            return  # the scanner answering the host; never acknowledged
        if self.ack:
            self._replies += ACK
        key = self._key(raw)
        if status & RETRANSMIT and key == self._last:
            return  # our ACK came too late; this one is acknowledged and dropped
        self._last = key
        if opcode == DECODE_DATA:
            self._collect(raw, status, frames)

    def _collect(self, raw: bytes, status: int, frames: list[Frame]) -> None:
        self._packets.append(raw)
        self._size += len(raw) - 7
        if status & CONTINUED:
            return
        packets, size = self._packets, self._size
        self._packets, self._size = [], 0
        if size > self.max_length:
            self._reject(f"bar code of {size} bytes is longer than max_length {self.max_length}")
            return
        data = b"".join(p[5:-2] for p in packets).rstrip(b"\r\n")
        if data == NO_READ:
            return
        code_type = raw[4]
        if self.symbologies is not None and code_type not in self.symbologies:
            self._reject(f"bar code type 0x{code_type:02X} is not in symbologies")
        elif not _PRINTABLE.fullmatch(data):
            self._reject(f"bar code {data[:40]!r} has control or non-ASCII bytes")
        else:
            frames.append(Frame(data.decode("ascii"), b"".join(packets)))
