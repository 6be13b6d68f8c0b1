"""UHF readers: a Chafon reader answering Inventory, and an M100 module polling on its own."""

from __future__ import annotations

from firmware_bridge.protocols.crc import crc16_gen2, crc16_mcrf4xx

INVENTORY = 0x01


def _chafon_frame(address: int, command: int, status: int, data: bytes) -> bytes:
    body = bytes((len(data) + 5, address, command, status)) + data
    return body + crc16_mcrf4xx(body).to_bytes(2, "little")


class ChafonDevice:
    """Answers each Inventory command with the tags in its field (`field`)."""

    def __init__(
        self, address: int = 0x00, variant: str = "uhfreader18", antenna: int = 1, rssi: int = 0x6B
    ) -> None:
        self.address, self.variant = address, variant
        self.antenna, self.rssi = antenna, rssi
        self.field: list[str] = []  # EPCs of the tags in range, hex
        self.polls = 0

    def response(self, epcs: list[str], status: int = 0x01) -> bytes:
        """The Inventory answer listing `epcs` (status 0x01: done, 0x03: more frames follow)."""
        tags = [bytes.fromhex(epc) for epc in epcs]
        if self.variant == "uhfreader288m":
            data = bytes((1 << (self.antenna - 1), len(tags)))
            data += b"".join(bytes((len(t),)) + t + bytes((self.rssi,)) for t in tags)
        else:
            data = bytes((len(tags),)) + b"".join(bytes((len(t),)) + t for t in tags)
        return _chafon_frame(self.address, INVENTORY, status, data)

    def read(self, code: str) -> bytes:
        return self.response([code])

    def heartbeat(self) -> bytes:
        return b""

    def answer(self, host: bytes) -> bytes:
        """One answer per Inventory command in `host` (04 FF 01 1B B4 and the like)."""
        out = b""
        pos = 0
        while pos < len(host):
            size = host[pos] + 1
            command = host[pos : pos + size]
            if len(command) == size and command[2:3] == b"\x01" and not crc16_mcrf4xx(command):
                self.polls += 1
                out += self.response(self.field)
            pos += size
        return out


class M100Device:
    """Sends a tag notice (BB 02 22 ...) for each tag it sees while polling."""

    NO_TAG = bytes.fromhex("BB01FF000115167E")  # error notice 0x15: no tag this round

    def __init__(self, rssi: int = -55, pc: int | None = None) -> None:
        self.rssi, self.pc = rssi, pc
        self.commands: list[bytes] = []

    def read(self, code: str) -> bytes:
        epc = bytes.fromhex(code)
        pc = self.pc if self.pc is not None else (len(epc) // 2) << 11  # EPC length in words
        pc_epc = pc.to_bytes(2, "big") + epc
        params = bytes((self.rssi & 0xFF,)) + pc_epc + crc16_gen2(pc_epc).to_bytes(2, "big")
        body = bytes((0x02, 0x22)) + len(params).to_bytes(2, "big") + params
        return b"\xbb" + body + bytes((sum(body) & 0xFF, 0x7E))

    def no_tag(self) -> bytes:
        return self.NO_TAG

    def heartbeat(self) -> bytes:
        return b""

    def answer(self, host: bytes) -> bytes:
        """The module starts polling when told to; it has nothing to say back here."""
        if host:
            self.commands.append(host)
        return b""
