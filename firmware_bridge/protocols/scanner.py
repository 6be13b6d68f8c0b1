"""Barcode scanners in serial mode: `[STX][prefix][AIM id]data[suffix]` then a terminator.

Terminators: with `terminator = "auto"` (the default) a record ends at CR, LF, CRLF or ETX,
or, for scanners that send data "as is" with no terminator, when the line goes quiet for
`idle_gap`. Once a good record has ended with a terminator the scanner is known to send
them, and a quiet line no longer ends a record: a slow line must not split one code in two.
`terminator = "CR"`, `"LF"`, `"CRLF"` or `"ETX"` accepts only that one; `"none"` only the gap.

A record missing the configured prefix or suffix, holding control or non-ASCII bytes, or
longer than `max_length` is not a code Vault printed: it is counted as rejected and dropped,
never passed on as a read.
"""

from __future__ import annotations

import re

from firmware_bridge.protocols.base import Driver, Frame
from firmware_bridge.protocols.options import ascii_text, choice, integer, list_of, seconds

MAX_LENGTH = 128
IDLE_GAP = 0.05
STX = 0x02
_PRINTABLE = re.compile(rb"[\x21-\x7e]+")
_AIM = re.compile(rb"\][A-Za-z][0-9A-Za-z]")  # ISO/IEC 15424: "]", code character, modifier
_AIM_ID = re.compile(r"\]?([A-Za-z])([0-9A-Za-z]?)")
_SPLITTERS = {
    "auto": re.compile(rb"[\r\n\x03]").split,
    "CR": re.compile(rb"\r").split,
    "LF": re.compile(rb"\n").split,
    "CRLF": re.compile(rb"\n").split,  # the CR stays on the record and is checked there
    "ETX": re.compile(rb"\x03").split,
}
_NAMED = {"\r": "CR", "\n": "LF", "\r\n": "CRLF", "\x03": "ETX"}


def _terminator(value: object) -> str:
    if isinstance(value, str) and value in _NAMED:
        return _NAMED[value]
    return choice("auto", "none", "CR", "LF", "CRLF", "ETX")(value)


def _aim_id(value: object) -> str:
    """ "]C0", "C0" (that modifier only) or "C" (any modifier of that code character)."""
    match = _AIM_ID.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"must list AIM identifiers such as ']C0', 'd2' or 'Q', not {value!r}")
    return match[1] + match[2]


class ScannerProtocol(Driver):
    OPTIONS = {
        "terminator": _terminator,
        "prefix": ascii_text(16),
        "suffix": ascii_text(16),
        "idle_gap": seconds(0.0, 10.0),
        "aim": choice("strip", "keep", "require"),
        "symbologies": list_of(_aim_id),
        "max_length": integer(1, 4096),
    }

    def __init__(
        self,
        terminator: str = "auto",
        prefix: bytes = b"",
        suffix: bytes = b"",
        idle_gap: float = IDLE_GAP,
        aim: str = "strip",
        symbologies: tuple[str, ...] | None = None,
        max_length: int = MAX_LENGTH,
    ) -> None:
        super().__init__()
        self.terminator = terminator
        self.prefix, self.suffix = prefix, suffix
        self.aim = aim
        self.symbologies = frozenset(symbologies) if symbologies else None
        self.max_length = max_length
        self._split = _SPLITTERS.get(terminator)
        # Only a scanner that may send no terminator needs the loop to report quiet lines.
        self.idle_gap = idle_gap if terminator in ("auto", "none") else None
        self._terminated = False  # a good record has ended with a terminator on this line
        self._buffer = bytearray()
        self._overflow = False

    def feed(self, data: bytes) -> list[Frame]:
        if self._split is None:
            self._append(data)
            return []
        pieces = self._split(data)
        frames: list[Frame] = []
        for piece in pieces[:-1]:
            self._append(piece)
            self._end_record(frames, terminated=True)
        self._append(pieces[-1])
        return frames

    def idle(self) -> list[Frame]:
        """A quiet line ends a record only for a scanner not known to send terminators."""
        frames: list[Frame] = []
        if self.terminator == "none" or (self.terminator == "auto" and not self._terminated):
            self._end_record(frames, terminated=False)
        return frames

    def reset(self) -> None:
        super().reset()
        self._buffer.clear()
        self._overflow = False

    def _append(self, piece: bytes) -> None:
        if self._overflow:
            return
        if len(self._buffer) + len(piece) > self.max_length:
            self._overflow = True  # keep nothing; the record is rejected when it ends
            self._buffer.clear()
        else:
            self._buffer += piece

    def _end_record(self, frames: list[Frame], terminated: bool) -> None:
        raw, overflow = bytes(self._buffer), self._overflow
        self._buffer.clear()
        self._overflow = False
        if overflow:
            self._reject(f"record longer than max_length {self.max_length}")
        elif raw:
            code = self._decode(raw)
            if code is not None:
                frames.append(Frame(code, raw))
                self._terminated = self._terminated or terminated

    def _decode(self, raw: bytes) -> str | None:
        """The code in one record, or None (counted as rejected) if it is not a clean one."""
        record = raw[1:] if raw[0] == STX else raw
        if self.terminator == "CRLF":
            if not record.endswith(b"\r"):
                return self._refuse("record ended by LF without the CR", raw)
            record = record[:-1]
        if self.prefix:
            if not record.startswith(self.prefix):
                return self._refuse(f"record lacks the prefix {self.prefix!r}", raw)
            record = record[len(self.prefix) :]
        if self.suffix:
            if not record.endswith(self.suffix):
                return self._refuse(f"record lacks the suffix {self.suffix!r}", raw)
            record = record[: -len(self.suffix)]
        record = self._symbology(record, raw)
        if record is None:
            return None
        record = record.strip(b" \t")
        if not _PRINTABLE.fullmatch(record):
            return self._refuse("record empty or holding control or non-ASCII bytes", raw)
        return record.decode("ascii")

    def _symbology(self, record: bytes, raw: bytes) -> bytes | None:
        """Strip (or keep) an AIM identifier, and check it against the allowed symbologies."""
        aim = record[1:3].decode("ascii") if _AIM.match(record) else None
        if aim is None:
            if self.aim == "require" or self.symbologies is not None:
                return self._refuse("record without an AIM symbology identifier", raw)
            return record
        if self.symbologies is not None and not {aim, aim[0]} & self.symbologies:
            return self._refuse(f"symbology ]{aim} is not in symbologies", raw)
        return record if self.aim == "keep" else record[3:]

    def _refuse(self, reason: str, raw: bytes) -> None:
        self._reject(f"{reason}: {raw[:40]!r}")
        return None
