"""Barcode scanners: a plain serial scanner, and a Zebra/Symbol scanner in SSI mode."""

from __future__ import annotations

SSI_ACK = bytes.fromhex("04D00400FF28")  # CMD_ACK from the host, as the scanner expects it
SSI_NAK_RESEND = bytes.fromhex("05D1040001FF25")  # CMD_NAK, cause 1: checksum failure
DECODE_DATA = 0xF3
RETRANSMIT, CONTINUED = 0x01, 0x02


class ScannerDevice:
    """`[STX][prefix][AIM id]code[suffix]terminator`, as the scanner is programmed."""

    def __init__(
        self,
        terminator: bytes = b"\r\n",
        prefix: bytes = b"",
        suffix: bytes = b"",
        aim: str = "",
        stx: bool = False,
    ) -> None:
        self.terminator, self.prefix, self.suffix = terminator, prefix, suffix
        self.aim = aim.encode("ascii")
        self.stx = b"\x02" if stx else b""

    def read(self, code: str) -> bytes:
        data = self.aim + code.encode("ascii")
        return self.stx + self.prefix + data + self.suffix + self.terminator

    def heartbeat(self) -> bytes:
        return b""

    def answer(self, host: bytes) -> bytes:
        return b""


def ssi_decode_packet(data: bytes, code_type: int, status: int = 0) -> bytes:
    """DECODE_DATA: Len F3 00 Status Type data CkH CkL (checksum: -sum, 16 bits)."""
    body = bytes((len(data) + 5, DECODE_DATA, 0x00, status, code_type)) + data
    return body + (-sum(body) & 0xFFFF).to_bytes(2, "big")


class SsiDevice:
    """Sends each code as DECODE_DATA packets and counts the host's ACKs and NAKs."""

    MAX_DATA = 250  # Length is one byte and counts the 5 header bytes

    def __init__(self, code_type: int = 0x03, max_data: int = MAX_DATA) -> None:
        self.code_type = code_type  # 0x03: Code 128, which Vault's labels use
        self.max_data = max_data
        self.acks = 0
        self.naks = 0

    def packets(self, code: str, retransmit: bool = False) -> list[bytes]:
        data = code.encode("ascii")
        chunks = [data[i : i + self.max_data] for i in range(0, len(data), self.max_data)]
        chunks = chunks or [b""]
        flags = [CONTINUED] * (len(chunks) - 1) + [0]
        retransmitted = RETRANSMIT if retransmit else 0
        return [
            ssi_decode_packet(chunk, self.code_type, flag | retransmitted)
            for chunk, flag in zip(chunks, flags, strict=True)
        ]

    def read(self, code: str) -> bytes:
        return b"".join(self.packets(code))

    def retransmit(self, code: str) -> bytes:
        """The same code again with the retransmit bit: the scanner had no ACK in time."""
        return b"".join(self.packets(code, retransmit=True))

    def heartbeat(self) -> bytes:
        return b""

    def answer(self, host: bytes) -> bytes:
        self.acks += host.count(SSI_ACK)
        self.naks += host.count(SSI_NAK_RESEND)
        return b""
