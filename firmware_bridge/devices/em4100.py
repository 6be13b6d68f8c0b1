"""125 kHz EM4100 readers that print each tag as ASCII hex: RDM6300 and ID-12."""

from __future__ import annotations


class Rdm6300Device:
    """STX, 10 hex digits, 2 hex digits of XOR checksum, ETX (Seeed RDM630 wiki)."""

    END = b"\x03"

    def read(self, code: str) -> bytes:
        value = bytes.fromhex(code)
        if len(value) != 5:
            raise ValueError(f"an EM4100 tag is 10 hex digits, not {code!r}")
        check = value[0] ^ value[1] ^ value[2] ^ value[3] ^ value[4]
        return b"\x02" + code.upper().encode("ascii") + b"%02X" % check + self.END

    def heartbeat(self) -> bytes:
        return b""

    def answer(self, host: bytes) -> bytes:
        return b""


class Id12Device(Rdm6300Device):
    """ID-12 / ID-20 ASCII mode: the same with CR LF before the ETX."""

    END = b"\r\n\x03"
