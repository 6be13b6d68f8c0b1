"""What every protocol driver gives back, and the interface the station loop relies on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol as Interface


@dataclass(frozen=True)
class Frame:
    """One decoded read: the code as text and the exact bytes it came from."""

    code: str
    raw: bytes


class Protocol(Interface):
    rejected: int  # frames thrown away as garbled, counted for the station's health

    def feed(self, data: bytes) -> list[Frame]:
        """Take the next bytes from the port; return the reads they complete."""
        ...

    def reset(self) -> None:
        """Forget a partial frame (the port was closed or reopened)."""
        ...
