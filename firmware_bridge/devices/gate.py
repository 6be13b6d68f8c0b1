"""A home-built gate reader running firmware/main.py, framed by the very module it runs."""

from __future__ import annotations

from firmware_bridge.firmware import vaultlink


class GateDevice:
    """Frames in Vault's line protocol, numbered like the gate numbers them."""

    def __init__(
        self,
        device: str = "gate-1",
        reader: str = "rdm6300",
        firmware: str = "vaultgate-sim",
        heartbeat_s: int = 5,
        copies: int = 1,
    ) -> None:
        self.link = vaultlink.Link(device, None, firmware, reader, heartbeat_s)
        self.kind = vaultlink.EPC if reader == "m100" else vaultlink.EM
        self.copies = copies
        self.uptime = 0

    def hello(self) -> bytes:
        self.uptime = 0
        return self.link.hello()

    def read(
        self,
        code: str,
        kind: str | None = None,
        rssi: int | None = None,
        antenna: int | None = None,
    ) -> bytes:
        """A read; `kind` is "EM", "EPC" or "BC" (defaults to the gate's reader)."""
        return self.link.read(kind or self.kind, code, rssi, antenna) * self.copies

    def heartbeat(self) -> bytes:
        self.uptime += self.link.heartbeat_s
        return self.link.heartbeat(self.uptime)

    def skip(self, frames: int = 1) -> None:
        """Frames the gate sent that never reached the bridge (for loss tests)."""
        self.link.seq = (self.link.seq + frames) % vaultlink.SEQ_MODULO

    def answer(self, host: bytes) -> bytes:
        return b""
