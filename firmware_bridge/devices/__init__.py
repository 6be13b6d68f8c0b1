"""The device side of every protocol: the exact bytes a real scanner or reader writes for a
read (and for a heartbeat, where the protocol has one), what it answers to the host's
commands, and broken variants of those bytes. `vault simulate` plays them on pseudo-terminals
and the tests feed them to the drivers.
"""

from __future__ import annotations

from typing import Protocol

from firmware_bridge.devices.barcode import ScannerDevice, SsiDevice
from firmware_bridge.devices.em4100 import Id12Device, Rdm6300Device
from firmware_bridge.devices.faults import bad_checksum, noise, repeated, truncated
from firmware_bridge.devices.gate import GateDevice
from firmware_bridge.devices.uhf import ChafonDevice, M100Device


class Device(Protocol):
    def read(self, code: str) -> bytes:
        """What the device writes when it reads `code` (for Chafon: its inventory answer)."""
        ...

    def heartbeat(self) -> bytes:
        """A keep-alive, or b"" for devices that send none."""
        ...

    def answer(self, host: bytes) -> bytes:
        """What the device writes back after receiving `host` from the bridge."""
        ...


DEVICES: dict[str, type] = {
    "scanner": ScannerDevice,
    "line": ScannerDevice,
    "ssi": SsiDevice,
    "rdm6300": Rdm6300Device,
    "id12": Id12Device,
    "chafon": ChafonDevice,
    "m100": M100Device,
    "vault": GateDevice,
}


def make_device(protocol: str, **settings: object) -> Device:
    """A simulated device for a station configured with `protocol`."""
    try:
        return DEVICES[protocol](**settings)
    except KeyError:
        raise ValueError(f"no simulated device speaks {protocol!r}") from None


__all__ = [
    "DEVICES",
    "Device",
    "make_device",
    "ScannerDevice",
    "SsiDevice",
    "Rdm6300Device",
    "Id12Device",
    "ChafonDevice",
    "M100Device",
    "GateDevice",
    "bad_checksum",
    "truncated",
    "noise",
    "repeated",
]
