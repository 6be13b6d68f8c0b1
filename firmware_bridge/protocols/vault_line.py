"""Vault's own line protocol, spoken by home-built gate readers (docs/vault-protocol.md).

    V1,<device>,<seq>,<type>[,<field>...]*<CRC>\n

Every frame carries the gate's name and a sequence number (0..65535, wrapping) and ends in a
CRC-16/CCITT-FALSE, so a garbled line is never a read, a gap in the numbers is counted in
`lost`, and a frame sent twice under one number (gates may repeat reads on a noisy link) is
read once. Heartbeats come back as Frame(heartbeat=True) so the station can notice a gate
that has gone silent; a hello (sent at power-up) restarts the count without counting a loss.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from firmware_bridge.protocols.base import Driver, Frame
from firmware_bridge.protocols.crc import crc16_ccitt_false
from firmware_bridge.protocols.options import integer

VERSION = 1
SEQ_MODULO = 65536
MAX_LINE = 160
_FIELD = rb"[\x21-\x29\x2b\x2d-\x7e]*"  # printable, no space, "," or "*"
_FRAME = re.compile(
    rb"V(\d{1,3}),([A-Za-z0-9._-]{1,32}),(\d{1,5}),([A-Z])((?:," + _FIELD + rb")*)\*"
    rb"([0-9A-F]{4})\r?\Z"
)
_DEVICE = re.compile(r"[A-Za-z0-9._-]{1,32}")
_HEX = re.compile(r"(?:[0-9A-Fa-f]{2})+")
_PRINTABLE = re.compile(r"[\x21-\x7e]+")
_INTEGER = re.compile(r"-?\d{1,6}")


def _device(value: object) -> str:
    if not isinstance(value, str) or not _DEVICE.fullmatch(value):
        raise ValueError(
            f"must be a gate name of 1-32 letters, digits, '-', '_' or '.', not {value!r}"
        )
    return value


@dataclass(frozen=True)
class GateInfo:
    """What a gate said about itself in its hello."""

    firmware: str
    reader: str
    heartbeat_s: int | None


class VaultProtocol(Driver):
    OPTIONS = {"device": _device, "max_length": integer(32, 4096)}

    def __init__(self, device: str | None = None, max_length: int = MAX_LINE) -> None:
        super().__init__()
        self.device = device
        self.max_length = max_length
        self.gates: dict[str, GateInfo] = {}
        self._last: dict[str, int] = {}  # last sequence number seen from each gate
        self._buffer = bytearray()
        self._overflow = False

    def feed(self, data: bytes) -> list[Frame]:
        pieces = data.split(b"\n")
        frames: list[Frame] = []
        for piece in pieces[:-1]:
            self._append(piece)
            self._end_line(frames)
        self._append(pieces[-1])
        return frames

    def reset(self) -> None:
        """Drop a partial line; keep the sequence numbers, so frames missed while the port
        was closed still count as lost."""
        super().reset()
        self._buffer.clear()
        self._overflow = False

    def _append(self, piece: bytes) -> None:
        if self._overflow or len(self._buffer) + len(piece) > self.max_length:
            self._overflow = True
            self._buffer.clear()
        else:
            self._buffer += piece

    def _end_line(self, frames: list[Frame]) -> None:
        raw, overflow = bytes(self._buffer), self._overflow
        self._buffer.clear()
        self._overflow = False
        if overflow:
            self._reject(f"line longer than max_length {self.max_length}")
        elif raw.strip(b"\r"):
            frame = self._parse(raw)
            if frame is not None:
                frames.append(frame)

    def _parse(self, raw: bytes) -> Frame | None:
        match = _FRAME.search(raw)
        if match is None:
            return self._refuse(f"not a Vault frame: {raw[:60]!r}")
        if match.start():
            self._reject(f"noise before a frame: {raw[: match.start()][:20]!r}")
        body = raw[match.start() : match.start(6) - 1]
        if crc16_ccitt_false(body) != int(match[6], 16):
            return self._refuse(f"bad CRC: {raw[:60]!r}")
        if int(match[1]) != VERSION:
            return self._refuse(f"protocol version {int(match[1])} is not supported (only 1)")
        device, seq, kind = match[2].decode(), int(match[3]), match[4].decode()
        if seq >= SEQ_MODULO:
            return self._refuse(f"sequence number {seq} above 65535 from {device}")
        if self.device is not None and device != self.device:
            return self._refuse(f"frame from gate {device!r}, expected {self.device!r}")
        if not self._in_sequence(device, seq, kind):
            return None
        fields = match[5].decode().split(",")[1:]
        return self._frame(kind, fields, raw, device, seq)

    def _in_sequence(self, device: str, seq: int, kind: str) -> bool:
        """Count a gap as lost frames; False for a repeat of the frame just read."""
        last = self._last.get(device)
        if kind != "H" and last is not None:
            if seq == last:
                return False
            gap = (seq - last - 1) % SEQ_MODULO
            if gap >= SEQ_MODULO // 2:
                self.last_error = f"gate {device} restarted its count without a hello"
            elif gap:
                self.lost += gap
                self.last_error = f"{gap} frame(s) from gate {device} lost ({last} then {seq})"
        self._last[device] = seq
        return True

    def _frame(
        self, kind: str, fields: list[str], raw: bytes, device: str, seq: int
    ) -> Frame | None:
        if kind == "R":
            return self._read(fields, raw, device, seq)
        if kind == "H":
            period = fields[2] if len(fields) > 2 else ""
            self.gates[device] = GateInfo(
                fields[0] if fields else "",
                fields[1] if len(fields) > 1 else "",
                int(period) if period.isdigit() else None,
            )
        elif kind != "B":
            self.last_error = f"frame type {kind!r} from gate {device} is unknown; ignored"
            return None
        return Frame("", raw, heartbeat=True, seq=seq, device=device)

    def _read(self, fields: list[str], raw: bytes, device: str, seq: int) -> Frame | None:
        kind, code = (fields + ["", ""])[:2]
        extra = fields[2:4] + ["", ""]
        sizes = {"EM": (10, 10), "EPC": (2, 124)}.get(kind)
        if sizes is not None and sizes[0] <= len(code) <= sizes[1] and _HEX.fullmatch(code):
            code = code.upper()
        elif kind != "BC" or not _PRINTABLE.fullmatch(code):
            return self._refuse(f"read of kind {kind!r} with code {code!r} from gate {device}")
        if any(value and not _INTEGER.fullmatch(value) for value in extra[:2]):
            return self._refuse(f"read with RSSI/antenna {extra[:2]} from gate {device}")
        rssi, antenna = (int(value) if value else None for value in extra[:2])
        return Frame(
            code, raw, tag=kind != "BC", seq=seq, device=device, antenna=antenna, rssi=rssi
        )

    def _refuse(self, reason: str) -> None:
        self._reject(reason)
        return None
