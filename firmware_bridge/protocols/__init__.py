"""Device protocols. Each is a small class fed raw bytes that returns the reads it completed;
it owns no port, clock or database, so a test can feed it any bytes."""

from __future__ import annotations

from firmware_bridge.protocols.base import Frame, Protocol
from firmware_bridge.protocols.line import LineProtocol

PROTOCOLS: dict[str, type[Protocol]] = {"line": LineProtocol}


def make_protocol(name: str) -> Protocol:
    try:
        return PROTOCOLS[name]()
    except KeyError:
        raise ValueError(f"unknown protocol {name!r}; known: {', '.join(PROTOCOLS)}") from None


__all__ = ["Frame", "Protocol", "LineProtocol", "PROTOCOLS", "make_protocol"]
