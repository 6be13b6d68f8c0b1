"""Device protocols. Each is a small class fed raw bytes that returns the frames they complete;
it owns no port, clock or database, so a test can feed it any bytes.

A station chooses its driver by name (`protocol = "m100"`) and may tune it with options from
its configuration table; the README ("Serial devices") lists them.
"""

from __future__ import annotations

from collections.abc import Mapping

from firmware_bridge.protocols.base import Driver, Frame, Protocol
from firmware_bridge.protocols.chafon import ChafonProtocol
from firmware_bridge.protocols.em4100 import Id12Protocol, Rdm6300Protocol
from firmware_bridge.protocols.line import LineProtocol
from firmware_bridge.protocols.m100 import M100Protocol
from firmware_bridge.protocols.options import parse_options
from firmware_bridge.protocols.scanner import ScannerProtocol
from firmware_bridge.protocols.ssi import SsiProtocol
from firmware_bridge.protocols.vault_line import VaultProtocol

PROTOCOLS: dict[str, type[Driver]] = {
    "scanner": ScannerProtocol,
    "line": LineProtocol,  # the scanner driver's first name
    "ssi": SsiProtocol,
    "rdm6300": Rdm6300Protocol,
    "id12": Id12Protocol,
    "chafon": ChafonProtocol,
    "m100": M100Protocol,
    "vault": VaultProtocol,
}


def make_protocol(name: str, options: Mapping[str, object] | None = None) -> Protocol:
    """The driver for a station: `name` from its `protocol`, `options` from its table."""
    try:
        cls = PROTOCOLS[name]
    except KeyError:
        raise ValueError(f"unknown protocol {name!r}; known: {', '.join(PROTOCOLS)}") from None
    return cls(**parse_options(name, cls.OPTIONS, options))  # type: ignore[arg-type]


__all__ = [
    "Frame",
    "Protocol",
    "Driver",
    "LineProtocol",
    "ScannerProtocol",
    "SsiProtocol",
    "Rdm6300Protocol",
    "Id12Protocol",
    "ChafonProtocol",
    "M100Protocol",
    "VaultProtocol",
    "PROTOCOLS",
    "make_protocol",
]
